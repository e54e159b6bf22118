effect Log { log(str) }
fn make(tag: str) -> fn() -> unit {
    || perform Log::log(tag)
}
fn main() { // E:4: 'main' may perform effect Log that no handler handles (main -> call through a function value (from 'make': lambda at 3:5 performs Log))
    let f = handle { make("a") } with { Log::log(s), k => { println(s); k(()) } };
    f();
}
