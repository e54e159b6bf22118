// c10m: the artifact's later switching benchmark (oopsla23-artifx benchmarks/c10m/c10m.c, after libmprompt's
// async workload), written with an effect. `active` worker slots; for each of `total` iterations, slot
// i mod active is resumed twice: the first resume starts the worker, which suspends at once; the second
// gives it the stack budget `kb`, the worker uses that much stack and returns 1. The slot then gets a fresh
// worker. At the end every slot is run the same way. Checksum: the count, total + active.
// As in C, a slot holds a created, not yet started worker: fx has no way to create a continuation without
// running it, so a worker first suspends in `started` (run by alloc), which stands for cont.new.
// bench/seed/run.py sets the numbers marked PARAM (fx has no program input).
effect Async { started(), worker_yield(int) -> int }

// Uses stack: `kb` nested frames (fx has no stack buffers to touch; see docs/science.md).
fn stack_use(kb: int) -> int {
    if kb <= 0 { 0 } else { 1 + stack_use(kb - 1) }
}

fn async_worker(arg: int) -> int {
    perform started();
    let kb = perform worker_yield(arg);
    if stack_use(kb) == kb { 1 } else { 0 }
}

fn main() {
    let total = 10_000_000; // PARAM total
    let active = 10_000; // PARAM active
    let kb = 32; // PARAM kb
    let dead = |n: int| -> int { 0 };
    let slots: [fn(int) -> int] = [];
    let mut i = 0;
    while i < active { push(slots, dead); i += 1; }
    // a new worker in slot j, parked at its start; its first resume runs it to worker_yield, which parks it
    // in the slot again, and the second one finishes it
    let alloc = |j: int| {
        handle { async_worker(j) } with {
            started(), k => { slots[j] = |n: int| -> int { k(()) }; 0 },
            worker_yield(arg), k => { slots[j] = k; 0 },
        };
    };
    i = 0;
    while i < active { alloc(i); i += 1; }
    let mut count = 0;
    i = 0;
    while i < total {
        let j = i % active;
        slots[j](kb);
        count += slots[j](kb);
        slots[j] = dead;
        alloc(j);
        i += 1;
    }
    let mut j = 0;
    while j < active {
        slots[j](kb);
        count += slots[j](kb);
        slots[j] = dead;
        j += 1;
    }
    println("c10m count " + str(count));
}
