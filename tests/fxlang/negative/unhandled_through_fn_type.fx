effect State { get() -> int }
fn apply(f: fn() -> int / {State}) -> int {
    f()
}
fn main() { // E:4: 'main' may perform effect State that no handler handles (main -> apply -> call through a function value)
    println(apply(|| perform State::get()));
}
