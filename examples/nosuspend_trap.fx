// expect: trap
// nosuspend guards a region that must not be suspended out of (e.g. while a host callback is on the stack).
// A continuation captured by one handler escapes its handle block; resuming it later inside `nosuspend`
// runs code that performs Log, whose handler is gone: the suspension would cross the nosuspend boundary,
// so the program traps ("suspension across barrier" on the VM; the standard target traps likewise).
effect Ask { ask() -> int }
effect Log { log(int) }

fn main() {
    let mut saved: [fn(int) -> int] = [];
    let first = handle {
        handle {
            let x = perform Ask::ask();
            perform Log::log(x);
            x + 1
        } with {
            Ask::ask(), k => { push(saved, |v: int| k(v)); 0 },
        }
    } with {
        Log::log(v), k => { println("log " + str(v)); k(()) },
    };
    println("handled block returned " + str(first));
    println(nosuspend { 40 + 2 });
    let later = saved[0];
    println("resuming inside nosuspend");
    println(nosuspend { later(41) });
    println("not reached");
}
