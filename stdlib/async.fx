// std.async: a deterministic scheduler for async/await, written in fx (docs/async.md describes it).
//
// Tasks are computations that perform the effect Async.  Each task runs under its own handler
// (sched_start); when a task suspends, the clause stores the task's continuation `k` in the task's record
// (Proc) and returns, so control goes back to the scheduler loop (sched_drive), which resumes the next
// ready task.  The run queue holds `fn() -> unit` closures (one per wake-up), so it stays monomorphic
// whatever the tasks compute.  Time is virtual: it only moves when no task is ready, straight to the
// earliest timer.  Nothing depends on the host, so a program prints the same on every engine.
//
// The module has no globals: a task reaches its scheduler through the operations below, so runs may nest
// and nothing depends on when the program's globals are initialised.

// Proc: the scheduler's record of a task; Waiter: a blocked task in some waiting list.
effect Async {
    async_spawn(fn() -> unit / {Async | e}) -> Proc, // a new task; the caller goes on at once
    async_clock() -> int,                           // the virtual clock; the caller goes on at once
    async_yield() -> int,                           // to the back of the run queue
    async_sleep(int) -> int,                        // until the clock has moved on by that many ticks
    async_block(str, fn(Waiter) -> unit) -> int,    // until woken; the str says what it waits for, the fn
                                                    // puts the task's Waiter where a waker will find it
}
// A suspended task is resumed with sched_wake(); a cancelled one is not resumed but discontinued: the
// builtin discontinue(k) throws the cancellation into it, so its finally blocks run, and no `catch` stops it.

// Thrown by await_task when the awaited task was cancelled.  An ordinary fx exception.
exception Cancelled

// Thrown by run when unfinished tasks remain, all blocked, and none sleeps; the text names each task and
// what it waits for.  An async main is started by run_main, which turns it into a panic with that text.
exception Deadlock(str)

fn sched_wake() -> int { 0 }

// task states
fn sched_new() -> int { 0 }          // spawned, not started
fn sched_running() -> int { 1 }      // on the stack, or about to be resumed from the front of the run queue
fn sched_suspended() -> int { 2 }    // k stored, waiting for a wake-up
fn sched_ready() -> int { 3 }        // k stored, its wake-up is in the run queue
fn sched_done() -> int { 4 }         // returned
fn sched_cancelled() -> int { 5 }    // ended by cancellation (or cancelled before it started)

// A first-in first-out queue made of two stacks (amortised O(1) per operation).
struct Fifo[T] { front: [T], back: [T] }

fn fifo_new[T]() -> Fifo[T] {
    let front: [T] = [];
    let back: [T] = [];
    Fifo { front: front, back: back }
}

fn fifo_len[T](q: Fifo[T]) -> int { len(q.front) + len(q.back) }

fn fifo_push[T](q: Fifo[T], v: T) { push(q.back, v); }

// Puts `v` first in line.
fn fifo_push_front[T](q: Fifo[T], v: T) { push(q.front, v); }

fn fifo_pop[T](q: Fifo[T]) -> T {
    if len(q.front) == 0 {
        while len(q.back) > 0 { push(q.front, pop(q.back)); }
    }
    pop(q.front)
}

struct Proc {
    id: int,                        // 0 is main; then in spawn order
    sched: Sched,
    state: int,
    k: [fn(int) -> unit],           // the suspended continuation: 0 or 1 element
    epoch: int,                     // bumped at every resumption: wake-ups of an older epoch are stale
    why: str,                       // what a suspended task waits for
    cancel_pending: bool,           // cancelled while running: delivered at its next suspension point
    awaiters: Fifo[Waiter],         // tasks blocked in await_task on this one
}

// A blocked task, valid while the task's epoch has not moved on.
struct Waiter { proc: Proc, epoch: int }

// A sleeping task: wakes when the clock reaches `tick`; same tick: lower task id (spawn order) first.
struct Timer { tick: int, proc: Proc, epoch: int }

struct Sched {
    ready: Fifo[fn() -> unit],      // wake-ups, in order
    timers: [Timer],                // binary min-heap on (tick, task id)
    procs: [Proc],                  // every task, in spawn order
    live: int,                      // tasks neither done nor cancelled
    clock: int,
    nest: int,                      // calls of k nested in the clauses of spawn and clock (see sched_may_nest)
}

// A task's handle: `result` holds its value once it has returned.
struct Task[T] { proc: Proc, result: [T] }

struct Chan[T] {
    items: Fifo[T],
    capacity: int,                  // 0: unbounded
    receivers: Fifo[Receiver[T]],   // tasks blocked in recv (only while items is empty)
    senders: Fifo[Sender[T]],       // tasks blocked in send (bounded channels only, while items is full)
}

// A task blocked in recv; send puts the value into `slot`.
struct Receiver[T] { waiter: Waiter, slot: [T] }

// A task blocked in send with its value.
struct Sender[T] { waiter: Waiter, value: T }

// ---- the handler: one per task --------------------------------------------------------------------

// Runs a new task's body under the scheduler's handler, up to its first suspension (or its end).
fn sched_start(p: Proc, body: fn() -> unit / {Async | e}) {
    if p.state != sched_new() { return; }          // cancelled before it started
    p.state = sched_running();
    let s = p.sched;
    handle {
        // a task that is discontinued ends in the finally; one whose await_task threw Cancelled, in the catch
        let mut finished = false;
        try { body(); finished = true; } catch Cancelled { } finally { sched_finish(p, finished); }
    } with {
        async_spawn(f), k => {
            let child = sched_spawn(s, f);
            if sched_may_nest(s) { try { k(child); } finally { s.nest -= 1; } }
            else { fifo_push_front(s.ready, || k(child)); }
        },
        async_clock(), k => {
            let now = s.clock;
            if sched_may_nest(s) { try { k(now); } finally { s.nest -= 1; } }
            else { fifo_push_front(s.ready, || k(now)); }
        },
        async_yield(), k => {
            if sched_suspend(p, k) { sched_make_ready(p); }
        },
        async_sleep(ticks), k => {
            if sched_suspend(p, k) { sched_add_timer(s, Timer { tick: s.clock + ticks, proc: p, epoch: p.epoch }); }
        },
        async_block(why, register), k => {
            if sched_suspend(p, k) {
                p.why = why;
                register(Waiter { proc: p, epoch: p.epoch });
            }
        },
    }
}

// spawn and clock do not suspend the task: their clauses call k at once, which nests the rest of the task
// inside the clause until the task really suspends.  After sched_max_nest() such calls in a row the task is
// resumed from the front of the run queue instead, so a long loop of spawns does not exhaust the stack.
fn sched_max_nest() -> int { 200 }

fn sched_may_nest(s: Sched) -> bool {
    if s.nest >= sched_max_nest() { return false; }
    s.nest += 1;
    true
}

// Stores a suspending task's continuation.  A cancellation that arrived while the task ran is delivered
// now (the task is discontinued first in the run queue): then the result is false.
fn sched_suspend(p: Proc, k: fn(int) -> unit) -> bool {
    push(p.k, k);
    p.state = sched_suspended();
    if !p.cancel_pending { return true; }
    p.cancel_pending = false;
    p.state = sched_ready();
    let epoch = p.epoch;
    fifo_push_front(p.sched.ready, || sched_discontinue(p, epoch));
    false
}

// A task has ended: wake whoever awaits it.
fn sched_finish(p: Proc, finished: bool) {
    p.state = if finished { sched_done() } else { sched_cancelled() };
    p.sched.live -= 1;
    while fifo_len(p.awaiters) > 0 { sched_wake_waiter(fifo_pop(p.awaiters)); }
}

// Resumes a suspended task, if `epoch` is still its current one.  Returns when the task suspends again or
// ends.
fn sched_resume(p: Proc, epoch: int) {
    if p.epoch != epoch || len(p.k) == 0 { return; }
    let k = pop(p.k);
    p.epoch += 1;
    p.state = sched_running();
    k(sched_wake());
}

// Cancels a suspended task, if `epoch` is still its current one: its finally blocks run now, up to its end
// or to a suspension inside them (then the rest of the cleanup is scheduled like any task).
fn sched_discontinue(p: Proc, epoch: int) {
    if p.epoch != epoch || len(p.k) == 0 { return; }
    let k = pop(p.k);
    p.epoch += 1;
    p.state = sched_running();
    discontinue(k);
}

// Queues a wake-up for a suspended task (at most one per suspension).
fn sched_make_ready(p: Proc) {
    if p.state != sched_suspended() { return; }
    p.state = sched_ready();
    let epoch = p.epoch;
    fifo_push(p.sched.ready, || sched_resume(p, epoch));
}

fn sched_wake_waiter(w: Waiter) -> bool {
    if w.proc.epoch != w.epoch || w.proc.state != sched_suspended() { return false; }
    sched_make_ready(w.proc);
    true
}

// Wakes the first still-waiting task of a list; false when there is none.
fn sched_wake_one(ws: Fifo[Waiter]) -> bool {
    while fifo_len(ws) > 0 {
        if sched_wake_waiter(fifo_pop(ws)) { return true; }
    }
    false
}

// ---- timers: a binary heap ------------------------------------------------------------------------

fn sched_timer_before(a: Timer, b: Timer) -> bool {
    a.tick < b.tick || (a.tick == b.tick && a.proc.id < b.proc.id)
}

fn sched_add_timer(s: Sched, t: Timer) {
    let h = s.timers;
    push(h, t);
    let mut i = len(h) - 1;
    while i > 0 {
        let parent = (i - 1) / 2;
        if !sched_timer_before(h[i], h[parent]) { break; }
        let tmp = h[i];
        h[i] = h[parent];
        h[parent] = tmp;
        i = parent;
    }
}

fn sched_pop_timer(s: Sched) -> Timer {
    let h = s.timers;
    let top = h[0];
    let last = pop(h);
    if len(h) > 0 {
        h[0] = last;
        let mut i = 0;
        loop {
            let l = 2 * i + 1;
            let r = l + 1;
            let mut m = i;
            if l < len(h) && sched_timer_before(h[l], h[m]) { m = l; }
            if r < len(h) && sched_timer_before(h[r], h[m]) { m = r; }
            if m == i { break; }
            let tmp = h[i];
            h[i] = h[m];
            h[m] = tmp;
            i = m;
        }
    }
    top
}

fn sched_timer_live(t: Timer) -> bool { t.proc.epoch == t.epoch && t.proc.state == sched_suspended() }

// Drops the timers of tasks that were cancelled meanwhile; true when a live one remains.
fn sched_has_timer(s: Sched) -> bool {
    while len(s.timers) > 0 && !sched_timer_live(s.timers[0]) { sched_pop_timer(s); }
    len(s.timers) > 0
}

// Moves the clock to the earliest timer and wakes every task due then, in spawn order.
fn sched_advance_clock(s: Sched) {
    let tick = s.timers[0].tick;
    s.clock = tick;
    while sched_has_timer(s) && s.timers[0].tick == tick {
        sched_make_ready(sched_pop_timer(s).proc);
    }
}

// ---- the loop ---------------------------------------------------------------------------------------

fn sched_spawn(s: Sched, body: fn() -> unit / {Async | e}) -> Proc {
    let k: [fn(int) -> unit] = [];
    let awaiters: Fifo[Waiter] = fifo_new();
    let p = Proc { id: len(s.procs), sched: s, state: sched_new(), k: k, epoch: 0, why: "", cancel_pending: false,
                   awaiters: awaiters };
    push(s.procs, p);
    s.live += 1;
    fifo_push(s.ready, || sched_start(p, body));
    p
}

fn sched_describe(p: Proc) -> str {
    let name = if p.id == 0 { "task 0 (main)" } else { "task " + str(p.id) };
    if p.state == sched_new() { name + " has not started" }
    else if p.state == sched_suspended() { name + " waits in " + p.why }
    else { name + " is running" }
}

fn sched_deadlock(s: Sched) {
    let mut msg = "deadlock: every unfinished task is blocked and none is sleeping (";
    let mut first = true;
    let mut i = 0;
    while i < len(s.procs) {
        let p = s.procs[i];
        if p.state != sched_done() && p.state != sched_cancelled() {
            if !first { msg = msg + ", "; }
            msg = msg + sched_describe(p);
            first = false;
        }
        i += 1;
    }
    msg = msg + ")";
    throw Deadlock(msg)
}

fn sched_ended(p: Proc) -> bool { p.state == sched_done() || p.state == sched_cancelled() }

// Runs tasks until `root` has ended (or, when root is empty, until every task has ended).
fn sched_drive(s: Sched, root: [Proc]) {
    loop {
        if len(root) > 0 && sched_ended(root[0]) { break; }
        if fifo_len(s.ready) > 0 {
            let wake = fifo_pop(s.ready);
            wake();
        } else if sched_has_timer(s) {
            sched_advance_clock(s);
        } else if s.live > 0 {
            sched_deadlock(s);
        } else {
            break;
        }
    }
}

// Cancels a task: a suspended one is discontinued at once (its finally blocks run before this returns, up
// to a suspension inside them); a running one gets it at its next suspension point; one not started never
// runs.
fn sched_cancel_proc(p: Proc) {
    if p.state == sched_new() {
        sched_finish(p, false);
    } else if p.state == sched_suspended() || p.state == sched_ready() {
        sched_discontinue(p, p.epoch);
    } else if p.state == sched_running() {
        p.cancel_pending = true;
    }
}

// Runs `main` as task 0, with every task it spawns, until main returns; then cancels the tasks still
// unfinished (in spawn order) and runs them until they have ended.  Throws Deadlock (see above).  An
// exception that escapes a task propagates out of run.  Runs may nest: each has its own scheduler.
fn run(main: fn() -> unit / {Async | e}) {
    let ready: Fifo[fn() -> unit] = fifo_new();
    let timers: [Timer] = [];
    let procs: [Proc] = [];
    let s = Sched { ready: ready, timers: timers, procs: procs, live: 0, clock: 0, nest: 0 };
    let root = [sched_spawn(s, main)];
    sched_drive(s, root);
    let mut i = 0;
    while i < len(s.procs) {
        sched_cancel_proc(s.procs[i]);
        i += 1;
    }
    let all: [Proc] = [];
    sched_drive(s, all);
}

// How the compiler starts an async main: run(main), with a deadlock turned into a panic with its text.
fn run_main(main: fn() -> unit / {Async | e}) {
    try { run(main); } catch Deadlock(msg) { panic(msg); }
}

// ---- what tasks call ----------------------------------------------------------------------------------

// Starts `f` as a new task and returns its handle at once; the task first runs when the tasks queued
// before it have had their turn.
fn spawn[T](f: fn() -> T / {Async | e}) -> Task[T] / {Async} {
    let result: [T] = [];
    let p = perform async_spawn(|| push(result, f()));
    Task { proc: p, result: result }
}

// The task's result, waiting until it has one.  Throws Cancelled if the task was cancelled.
fn await_task[T](t: Task[T]) -> T / {Async} {
    loop {
        if len(t.result) > 0 { return t.result[0]; }
        if t.proc.state == sched_cancelled() { throw Cancelled; }
        perform async_block("await_task(task " + str(t.proc.id) + ")", |w| fifo_push(t.proc.awaiters, w));
    }
}

// Gives every other ready task a turn: the current one goes to the back of the run queue.
fn yield_now() / {Async} {
    perform async_yield();
}

// Suspends the current task for `ticks` units of virtual time; sleep(0) (or less) is yield_now().
fn sleep(ticks: int) / {Async} {
    if ticks <= 0 {
        yield_now();
    } else {
        perform async_sleep(ticks);
    }
}

// The virtual clock: the tick the scheduler has advanced to (0 when run starts).
fn clock() -> int / {Async} { perform async_clock() }

// Cancels `t` (see sched_cancel_proc); nothing happens to a task that has ended.
fn cancel_task[T](t: Task[T]) / {Async} {
    sched_cancel_proc(t.proc);
}

fn task_id[T](t: Task[T]) -> int { t.proc.id }

fn is_done[T](t: Task[T]) -> bool { t.proc.state == sched_done() }

fn is_cancelled[T](t: Task[T]) -> bool { t.proc.state == sched_cancelled() }

// ---- channels -------------------------------------------------------------------------------------
// Values are handed over directly: send gives its value to the longest-waiting receiver (which then returns
// it), and a receiver that takes a value out of a full bounded channel moves the longest-blocked sender's
// value in.  So receivers are served, and blocked senders complete, in the order they blocked.

// An unbounded channel: send never blocks.
fn chan[T]() -> Chan[T] { chan_bounded(0) }

// A channel holding at most `capacity` values (capacity <= 0: unbounded); send blocks while it is full.
fn chan_bounded[T](capacity: int) -> Chan[T] {
    let items: Fifo[T] = fifo_new();
    let receivers: Fifo[Receiver[T]] = fifo_new();
    let senders: Fifo[Sender[T]] = fifo_new();
    Chan { items: items, capacity: if capacity < 0 { 0 } else { capacity }, receivers: receivers, senders: senders }
}

// Sends `v`: to a waiting receiver, else into the channel; blocks while a bounded channel is full (when
// it is cancelled there after its value was moved in, the value stays sent).
fn send[T](c: Chan[T], v: T) / {Async} {
    if chan_hand(c, v) { return; }
    if c.capacity == 0 || fifo_len(c.items) < c.capacity {
        fifo_push(c.items, v);
        return;
    }
    perform async_block("send", |w| fifo_push(c.senders, Sender { waiter: w, value: v }));
}

// Receives the oldest value, blocking while the channel is empty.  A receiver cancelled after a value was
// handed to it puts the value back at the front of the channel, for the next receiver.
fn recv[T](c: Chan[T]) -> T / {Async} {
    if fifo_len(c.items) > 0 { return chan_take(c); }
    let slot: [T] = [];
    let mut woken = false;
    try {
        perform async_block("recv", |w| fifo_push(c.receivers, Receiver { waiter: w, slot: slot }));
        woken = true;
    } finally {
        if !woken && len(slot) > 0 {                // cancelled: the value goes back, to the next receiver
            fifo_push_front(c.items, pop(slot));
            chan_feed(c);
        }
    }
    pop(slot)
}

// The oldest value if there is one, without blocking.
fn try_recv[T](c: Chan[T]) -> Option[T] / {Async} {
    if fifo_len(c.items) == 0 { None } else { Some(chan_take(c)) }
}

// The number of values in the channel.
fn chan_len[T](c: Chan[T]) -> int { fifo_len(c.items) }

// Gives `v` to the longest-waiting receiver still waiting; false when there is none.
fn chan_hand[T](c: Chan[T], v: T) -> bool {
    while fifo_len(c.receivers) > 0 {
        let r = fifo_pop(c.receivers);
        if sched_wake_waiter(r.waiter) {
            push(r.slot, v);
            return true;
        }
    }
    false
}

// Hands values from the front of the channel to waiting receivers.
fn chan_feed[T](c: Chan[T]) {
    while fifo_len(c.items) > 0 {
        let v = fifo_pop(c.items);
        if !chan_hand(c, v) {
            fifo_push_front(c.items, v);
            return;
        }
    }
}

// Takes the oldest value; the freed place goes to the longest-blocked sender.
fn chan_take[T](c: Chan[T]) -> T {
    let v = fifo_pop(c.items);
    while c.capacity > 0 && fifo_len(c.items) < c.capacity && fifo_len(c.senders) > 0 {
        let s = fifo_pop(c.senders);
        if sched_wake_waiter(s.waiter) { fifo_push(c.items, s.value); }
    }
    v
}
