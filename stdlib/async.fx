// std.async: tasks, channels and a deterministic scheduler with a virtual clock, written in fx on top of
// effect handlers (docs/effects.md, "async/await").
//
// Every task runs under its own deep handler of the Async effect (run_task). A task that must wait stores
// its continuation (as a closure) in the scheduler and its handler returns; the scheduler loop (run) resumes
// ready tasks first-in first-out, then advances the clock to the earliest timer (ties: the order sleep was
// called in). Cancelling a task resumes it with `true`: the operation it was suspended in throws Cancelled,
// its finally blocks run, and the task ends; that happens before cancel_task returns.

exception Cancelled

effect Async {
    fork(fn() -> unit / {Async}) -> int,    // start a task; its id
    pause() -> bool,                         // let the other ready tasks run; true: cancelled meanwhile
    wait(int) -> bool,                       // sleep for some ticks
    block(fn(fn() -> unit) -> unit) -> bool, // park until the registered wake-up function is called
    kill(int),                               // cancel a task
    now() -> int,                            // the virtual clock
}

struct Timer { at: int, seq: int, task: int }

struct Sched {
    ready: [int],                    // ids of tasks to resume, first-in first-out from `head`
    head: int,
    now: int,
    seq: int,
    timers: [Timer],
    conts: [fn(bool) -> unit],      // per task: continue it (false) or cancel it (true)
    state: [int],                    // per task: 0 ready or running, 1 parked, 2 finished
    current: int,
}

struct Task[T] { id: int, value: [T], waiters: [fn() -> unit] }
struct Chan[T] { items: [T], head: int, waiters: [fn() -> unit] }

fn check_cancelled(cancelled: bool) / {Async} {
    if cancelled { throw Cancelled; }
}

fn wake_all(ws: [fn() -> unit]) {
    let mut i = 0;
    while i < len(ws) { ws[i](); i += 1; }
    while len(ws) > 0 { pop(ws); }
}

// ---- the task API -------------------------------------------------------------------------------------

fn spawn[T](f: fn() -> T / {Async}) -> Task[T] / {Async} {
    let t = Task { id: -1, value: [], waiters: [] };
    t.id = perform fork(|| {
        let v = f();
        push(t.value, v);
        wake_all(t.waiters);
    });
    t
}

fn await_task[T](t: Task[T]) -> T / {Async} {
    while len(t.value) == 0 {
        check_cancelled(perform block(|wake| push(t.waiters, wake)));
    }
    t.value[0]
}

fn cancel_task[T](t: Task[T]) / {Async} {
    perform kill(t.id);
}

fn yield_now() / {Async} {
    check_cancelled(perform pause());
}

fn sleep(ticks: int) / {Async} {
    check_cancelled(perform wait(ticks));
}

fn clock() -> int / {Async} {
    perform now()
}

fn chan[T]() -> Chan[T] {
    Chan { items: [], head: 0, waiters: [] }
}

fn send[T](c: Chan[T], v: T) / {Async} {
    push(c.items, v);
    wake_all(c.waiters);
}

fn recv[T](c: Chan[T]) -> T / {Async} {
    while c.head == len(c.items) {
        check_cancelled(perform block(|wake| push(c.waiters, wake)));
    }
    let v = c.items[c.head];
    c.head += 1;
    v
}

// ---- the scheduler ------------------------------------------------------------------------------------

fn new_task(s: Sched, f: fn() -> unit / {Async}) -> int {
    let id = len(s.state);
    push(s.state, 0);
    push(s.conts, |cancelled: bool| run_task(s, id, f));
    push(s.ready, id);
    id
}

fn park(s: Sched, id: int, k: fn(bool) -> unit) {
    s.conts[id] = k;
    s.state[id] = 1;
}

fn make_ready(s: Sched, id: int) {
    if s.state[id] == 1 {
        s.state[id] = 0;
        push(s.ready, id);
    }
}

fn run_task(s: Sched, id: int, f: fn() -> unit / {Async}) {
    handle {
        try { f(); } catch Cancelled { }
        s.state[id] = 2;
    } with {
        fork(g), k => k(new_task(s, g)),
        pause(), k => { park(s, id, k); make_ready(s, id); },
        wait(n), k => {
            push(s.timers, Timer { at: s.now + n, seq: s.seq, task: id });
            s.seq += 1;
            park(s, id, k);
        },
        block(register), k => {
            park(s, id, k);
            register(|| make_ready(s, id));
        },
        kill(victim), k => {
            if s.state[victim] == 1 {
                s.state[victim] = 0;
                s.current = victim;
                s.conts[victim](true);
                s.current = id;
            }
            k(())
        },
        now(), k => k(s.now),
    }
}

// the index of the earliest live timer (-1 when there is none)
fn earliest(s: Sched) -> int {
    let mut best = -1;
    let mut i = 0;
    while i < len(s.timers) {
        let t = s.timers[i];
        if best < 0 || t.at < s.timers[best].at || (t.at == s.timers[best].at && t.seq < s.timers[best].seq) {
            best = i;
        }
        i += 1;
    }
    best
}

fn run(main: fn() -> unit / {Async}) {
    let s = Sched { ready: [], head: 0, now: 0, seq: 0, timers: [], conts: [], state: [], current: 0 };
    new_task(s, main);
    loop {
        if s.head < len(s.ready) {
            let id = s.ready[s.head];
            s.head += 1;
            if s.state[id] == 0 {
                s.current = id;
                s.conts[id](false);
            }
        } else {
            let i = earliest(s);
            if i < 0 { break; }
            let t = s.timers[i];
            s.timers[i] = s.timers[len(s.timers) - 1];
            pop(s.timers);
            if t.at > s.now { s.now = t.at; }
            make_ready(s, t.task);
        }
    }
}
