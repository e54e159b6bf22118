effect Log { log(str) }
let mut hook: fn() -> unit = || println("default");
fn install() { hook = || perform Log::log("hooked"); }
fn main() { // E:4: 'main' may perform effect Log that no handler handles (main -> call through a function value (lambda at 3:23 performs Log))
    handle { install(); } with { Log::log(s), k => { println(s); k(()) } };
    hook();
}
