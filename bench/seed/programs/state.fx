// state (wasmfx/fiber-c examples/state.c): a counter written against a State effect, counting to `n` with
// get/put. The handler answers each operation from a loop (it parks `k` and returns which operation it was),
// as eval_state does in C: a clause that called k(...) itself would nest one resume per operation.
// Checksum: the final state, n. bench/seed/run.py sets the number marked PARAM.
effect State { get() -> int, put(int) }

fn count(n: int) {
    while perform get() < n {
        perform put(perform get() + 1);
    }
}

fn main() {
    let n = 10_000_000; // PARAM n
    let mut s = 0;
    let mut put_value = 0;
    let mut on_get = |v: int| -> int { 0 };
    let mut on_put = |u: unit| -> int { 0 };
    // 0: the counter returned; 1: it waits in get (on_get); 2: it waits in put (on_put, put_value)
    let mut op = handle { count(n); 0 } with {
        get(), k => { on_get = k; 1 },
        put(v), k => { on_put = k; put_value = v; 2 },
    };
    let mut ops = 0;
    while op != 0 {
        ops += 1;
        if op == 1 { op = on_get(s); } else { s = put_value; op = on_put(()); }
    }
    println("state " + str(s) + " ops " + str(ops));
}
