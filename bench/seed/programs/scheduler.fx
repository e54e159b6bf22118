// scheduler (wasmfx/fiber-c examples/scheduler.c): `workers` coroutines each increment their own counter
// and yield, `n` times; a round-robin scheduler resumes the next unfinished one until all are done.
// Checksum: the sum of the counters, workers * n. bench/seed/run.py sets the numbers marked PARAM.
effect Sched { yield_now() }

fn increment(results: [int], me: int, n: int) {
    let mut i = 0;
    while i < n {
        results[me] += 1;
        perform yield_now();
        i += 1;
    }
}

fn main() {
    let workers = 10; // PARAM workers
    let n = 1_000_000; // PARAM n
    let results: [int] = [];
    let done: [bool] = [];
    let ks: [fn(unit) -> bool] = [];
    let mut w = 0;
    while w < workers {
        let me = w;
        push(results, 0);
        push(done, false);
        // not started yet: the first resume runs the worker to its first yield_now (result false)
        push(ks, |u: unit| -> bool {
            handle { increment(results, me, n); true } with { yield_now(), k => { ks[me] = k; false } }
        });
        w += 1;
    }
    let mut live = workers;
    let mut next = 0;
    while live > 0 {
        if !done[next] {
            if ks[next](()) { done[next] = true; live -= 1; }
        }
        next = (next + 1) % workers;
    }
    let mut sum = 0;
    w = 0;
    while w < workers { sum += results[w]; w += 1; }
    println("scheduler " + str(sum));
}
