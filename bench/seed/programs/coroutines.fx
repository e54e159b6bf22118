// coroutines: the talk's experiment 1 (the July 2023 artifact of "Continuing WebAssembly with Effect Handlers",
// benchmarks/c/coroutines.c), written with an effect. `total` coroutines are created one after another; whenever
// more than `simul` are ready, the oldest ready one is resumed (a FIFO). A coroutine counts itself, suspends
// once, then calls a function with a large frame. Checksum: the count and the sum of what each one computed.
// bench/seed/run.py sets the two numbers marked PARAM (fx has no program input).
effect Co { pause() }

let mut count = 0;
let mut black_box = 0;

// Many live locals: fx has no stack arrays, so the "large local frame" is sixteen ints kept alive together.
fn big_function(seed: int) -> int {
    let a0 = seed; let a1 = a0 + 1; let a2 = a1 + 1; let a3 = a2 + 1;
    let a4 = a3 + 1; let a5 = a4 + 1; let a6 = a5 + 1; let a7 = a6 + 1;
    let a8 = a7 + 1; let a9 = a8 + 1; let a10 = a9 + 1; let a11 = a10 + 1;
    let a12 = a11 + 1; let a13 = a12 + 1; let a14 = a13 + 1; let a15 = a14 + 1;
    a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15
}

fn a_coroutine() {
    count += 1;
    let save = count;
    perform pause();
    black_box += big_function(save);
}

fn main() {
    let total = 10_000_000; // PARAM total
    let simul = 10_000; // PARAM simul
    let cap = simul + 2;
    let idle = |u: unit| {};
    let q: [fn(unit) -> unit] = [];
    let mut i = 0;
    while i < cap { push(q, idle); i += 1; }
    let mut head = 0;
    let mut size = 0;
    // a fresh coroutine: runs under its own handler, which parks its continuation at the back of the queue
    let start = |u: unit| handle { a_coroutine() } with {
        pause(), k => { q[(head + size) % cap] = k; size += 1; },
    };
    let mut created = 0;
    while created < total {
        q[(head + size) % cap] = start;
        size += 1;
        created += 1;
        while size > simul {
            let f = q[head];
            q[head] = idle;
            head = (head + 1) % cap;
            size -= 1;
            f(());
        }
    }
    while size > 0 {
        let f = q[head];
        q[head] = idle;
        head = (head + 1) % cap;
        size -= 1;
        f(());
    }
    println("coroutines " + str(count) + " checksum " + str(black_box));
}
