// c10m, bespoke: the same slots and resumes with no effects. A worker is an explicit state machine (a record
// with its program counter), as the artifact's c10m_bespoke.c does it in C. Same output as c10m.fx.
struct Worker { pc: int, arg: int }

fn stack_use(kb: int) -> int {
    if kb <= 0 { 0 } else { 1 + stack_use(kb - 1) }
}

// One resume: the first one stops where the effectful worker suspends (and gives 0), the second finishes it.
fn resume_worker(w: Worker, kb: int) -> int {
    if w.pc == 0 {
        w.pc = 1;
        0
    } else {
        w.pc = 2;
        if stack_use(kb) == kb { 1 } else { 0 }
    }
}

fn main() {
    let total = 10_000_000; // PARAM total
    let active = 10_000; // PARAM active
    let kb = 32; // PARAM kb
    let slots: [Worker] = [];
    let mut i = 0;
    while i < active { push(slots, Worker { pc: 0, arg: i }); i += 1; }
    let mut count = 0;
    i = 0;
    while i < total {
        let j = i % active;
        resume_worker(slots[j], kb);
        count += resume_worker(slots[j], kb);
        slots[j] = Worker { pc: 0, arg: j };
        i += 1;
    }
    let mut j = 0;
    while j < active {
        resume_worker(slots[j], kb);
        count += resume_worker(slots[j], kb);
        j += 1;
    }
    println("c10m count " + str(count));
}
