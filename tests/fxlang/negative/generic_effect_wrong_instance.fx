// State[int] and State[str] are two effects: a handler of one does not handle the other.
effect State[T] { get() -> T, put(T) }
fn run_state[T, R](init: T, body: fn() -> R / {State[T]}) -> R {
    let mut s = init;
    handle { body() } with { get(), k => k(s), put(v), k => { s = v; k() } }
}
fn main() { // E:4: 'main' may perform effect State[int] that no handler handles (main -> perform State[int]::put)
    run_state(1, || perform put("no")); // E:18: this lambda may perform State[str] but its function type allows only {State[int]} (lambda -> perform State[str]::put)
    handle { perform put(3); } with { get(), k => k("s"), put(v), k => k() };
}
