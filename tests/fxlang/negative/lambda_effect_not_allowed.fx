effect State { get() -> int }
effect Log { log(str) }
fn apply(f: fn() -> int / {State}) -> int { f() }
fn main() {
    let v = handle {
        apply(|| { perform Log::log("x"); 1 }) // E:15: this lambda may perform Log but its function type allows only {State} (lambda -> perform Log::log)
    } with { get(), k => k(0) };
    println(v);
}
