effect Log { log(str) }
struct Job { run: fn() -> unit }
fn main() { // E:4: 'main' may perform effect Log that no handler handles (main -> call through a function value (lambda at 5:20 performs Log))
    let job = handle {
        Job { run: || perform Log::log("late") }
    } with { Log::log(s), k => { println(s); k(()) } };
    let r = job.run;
    r();
}
