effect Log { log(str) }
fn chatty(from: Option[Fiber]) { perform Log::log("hi"); }
fn main() {
    handle {
        let a = fiber(|from| { perform Log::log("x"); }); // E:23: this lambda may perform Log but its function type allows only {Switch} (lambda -> perform Log::log)
        let b = fiber(chatty); // E:23: 'chatty' may perform Log but its function type allows only {Switch} (chatty -> perform Log::log)
        fiber_run(a);
        fiber_run(b);
    } with { Log::log(m), k => k(()) }
}
