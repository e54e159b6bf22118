effect Log { log(str) }
fn quietly(f: fn() -> unit / {}) { f(); }
fn main() {
    handle {
        quietly(|| perform Log::log("x")); // E:17: this lambda may perform Log but its function type allows only {} (lambda -> perform Log::log)
    } with { Log::log(s), k => { println(s); k(()) } };
}
