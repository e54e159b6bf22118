// expect: trap
// nosuspend guards a region that must not be suspended out of (e.g. while a host callback is on the stack).
// `critical` is a library-like helper that runs any callback inside nosuspend.  What a caller passes
// through `f` is the caller's business (its effects are an effect variable of critical's signature), so this
// is the one place where the checker leaves the check to the runtime barrier: the second callback performs
// Log, whose handler is outside the nosuspend block; the suspension would cross it, so the program traps
// ("suspension across barrier" on the VM; the standard target traps likewise), never "unhandled tag".
effect Log { log(int) }

fn critical(f: fn() -> unit) {
    nosuspend { f() }
}

fn main() {
    handle {
        critical(|| println("a quiet callback runs inside nosuspend"));
        perform Log::log(1);
        println("now a callback that performs Log");
        critical(|| perform Log::log(2));
        println("not reached");
    } with {
        Log::log(v), k => { println("log " + str(v)); k(()) },
    };
}
