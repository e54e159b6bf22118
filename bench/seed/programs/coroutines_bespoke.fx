// coroutines, bespoke: the same FIFO of coroutines with no effects. A coroutine is an explicit state machine
// (a record with its program counter and the local it keeps across the suspension), as the artifact's
// coroutines_bespoke.c does it in C. Same output as coroutines.fx.
struct Co { pc: int, save: int }

let mut count = 0;
let mut black_box = 0;

fn big_function(seed: int) -> int {
    let a0 = seed; let a1 = a0 + 1; let a2 = a1 + 1; let a3 = a2 + 1;
    let a4 = a3 + 1; let a5 = a4 + 1; let a6 = a5 + 1; let a7 = a6 + 1;
    let a8 = a7 + 1; let a9 = a8 + 1; let a10 = a9 + 1; let a11 = a10 + 1;
    let a12 = a11 + 1; let a13 = a12 + 1; let a14 = a13 + 1; let a15 = a14 + 1;
    a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15
}

// One step of a coroutine: true when it suspended (and must be queued again), false when it finished.
fn step(c: Co) -> bool {
    if c.pc == 0 {
        count += 1;
        c.save = count;
        c.pc = 1;
        true
    } else {
        black_box += big_function(c.save);
        false
    }
}

fn main() {
    let total = 10_000_000; // PARAM total
    let simul = 10_000; // PARAM simul
    let cap = simul + 2;
    let idle = Co { pc: 2, save: 0 };
    let q: [Co] = [];
    let mut i = 0;
    while i < cap { push(q, idle); i += 1; }
    let mut head = 0;
    let mut size = 0;
    let mut created = 0;
    while created < total || size > 0 {
        if created < total {
            q[(head + size) % cap] = Co { pc: 0, save: 0 };
            size += 1;
            created += 1;
        }
        while size > simul || (created == total && size > 0) {
            let c = q[head];
            q[head] = idle;
            head = (head + 1) % cap;
            size -= 1;
            if step(c) {
                q[(head + size) % cap] = c;
                size += 1;
            }
        }
    }
    println("coroutines " + str(count) + " checksum " + str(black_box));
}
