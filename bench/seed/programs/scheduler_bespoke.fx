// scheduler, bespoke: the same round robin with each worker an explicit state machine (its loop counter),
// no effects. Same output as scheduler.fx.
struct Worker { i: int, n: int }

// One time slice: increment, then "yield" (true) or finish (false) when the loop is over.
fn slice(results: [int], me: int, w: Worker) -> bool {
    if w.i < w.n {
        results[me] += 1;
        w.i += 1;
        true
    } else {
        false
    }
}

fn main() {
    let workers = 10; // PARAM workers
    let n = 1_000_000; // PARAM n
    let results: [int] = [];
    let done: [bool] = [];
    let ws: [Worker] = [];
    let mut w = 0;
    while w < workers {
        push(results, 0);
        push(done, false);
        push(ws, Worker { i: 0, n: n });
        w += 1;
    }
    let mut live = workers;
    let mut next = 0;
    while live > 0 {
        if !done[next] {
            if !slice(results, next, ws[next]) { done[next] = true; live -= 1; }
        }
        next = (next + 1) % workers;
    }
    let mut sum = 0;
    w = 0;
    while w < workers { sum += results[w]; w += 1; }
    println("scheduler " + str(sum));
}
