effect Log { log(str) }
fn chatty(from: Option[Fiber]) { perform Log::log("hi"); }
fn main() { // E:4: 'main' may perform effect Log that no handler handles (main -> fiber_run (lambda at 7:24 performs Log))
    let fs: [Fiber] = [];
    handle {
        // creating a fiber under the handler does not count: the body runs in fiber_run, outside it
        push(fs, fiber(|from| { perform Log::log("x"); }));
        push(fs, fiber(chatty));
    } with { Log::log(m), k => k(()) }
    fiber_run(fs[0]);
    fiber_run(fs[1]);
}
