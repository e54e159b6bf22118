// std.threads: lightweight threads on fibers, with direct transfer (docs/fibers.md describes it).
//
// Every thread is a Fiber.  Nothing sits between two threads: yield_now() switches straight to the next
// ready thread (`switch` on target fx; one resume of the fiber_run loop on target standard), and the thread
// that receives control settles the one that gave it up, using the Fiber that switch_to handed over: back into
// its record, and onto the ready queue when it only yielded.  So there is no scheduler loop and no handler per
// thread; the price is that a thread can only perform the effect Switch (anything else is handled inside it).
//
// The scheduler state is found through a global stack of schedulers (the innermost run is on top), so runs may
// nest: a thread may call run, whose threads all finish before that call returns.

// thread states
fn threads_ready() -> int { 0 }      // running, or in the ready queue (its fiber is in `k` once it is queued)
fn threads_blocked() -> int { 1 }    // waiting in some list until another thread wakes it
fn threads_done() -> int { 2 }       // its function returned

struct Thread {
    id: int,                 // 0 is main; then in spawn order
    state: int,
    k: [Fiber],              // its suspended fiber: 0 or 1 element
    joiners: [Thread],       // threads blocked in join on this one, in order
    why: str,                // what a blocked thread waits for
}

// A first-in first-out queue made of two stacks (amortised O(1) per operation).
struct ThreadsFifo[T] { front: [T], back: [T] }

fn threads_fifo[T]() -> ThreadsFifo[T] {
    let front: [T] = [];
    let back: [T] = [];
    ThreadsFifo { front: front, back: back }
}

fn threads_fifo_len[T](q: ThreadsFifo[T]) -> int { len(q.front) + len(q.back) }

fn threads_fifo_push[T](q: ThreadsFifo[T], v: T) { push(q.back, v); }

fn threads_fifo_pop[T](q: ThreadsFifo[T]) -> T {
    if len(q.front) == 0 {
        while len(q.back) > 0 { push(q.front, pop(q.back)); }
    }
    pop(q.front)
}

struct Sched {
    ready: ThreadsFifo[Thread],
    threads: [Thread],       // every thread, by id
    live: int,               // threads not done
    cur: int,                // the running thread
    from: int,               // the thread that switched away last: whoever receives its Fiber settles it
    switches: int,           // switch_to calls so far
    finished: [Fiber],       // fibers of finished threads, suspended in their last switch_to
    draining: bool,          // run is finishing them (see run)
}

let threads_scheds: [Sched] = [];

fn threads_current() -> Sched {
    let n = len(threads_scheds);
    if n == 0 { panic("std.threads: spawn, yield_now, join and recv work only inside threads::run"); }
    threads_scheds[n - 1]
}

// The thread that switched to this one gave up `prev`, its own fiber: keep it in its record, and queue it
// when it only yielded.  A finished thread's fiber goes to `finished`.
fn threads_settle(s: Sched, prev: Fiber) {
    let p = s.threads[s.from];
    if p.state == threads_done() { push(s.finished, prev); return; }
    push(p.k, prev);
    if p.state == threads_ready() { threads_fifo_push(s.ready, p); }
}

fn threads_describe(s: Sched) -> str {
    let mut out = "";
    let mut i = 0;
    while i < len(s.threads) {
        let t = s.threads[i];
        if t.state == threads_blocked() {
            if out != "" { out = out + ", "; }
            out = out + "thread " + str(t.id) + " (" + t.why + ")";
        }
        i += 1;
    }
    out
}

// Gives up the processor: `me` is blocked, done, or ready (and then some other thread is ready too).
// Returns when another thread switches back to `me`.
fn threads_switch(s: Sched, me: Thread) / {Switch} {
    if threads_fifo_len(s.ready) == 0 {
        panic("deadlock: every thread is blocked: " + threads_describe(s));
    }
    let next = threads_fifo_pop(s.ready);
    s.from = me.id;
    s.switches += 1;
    let prev = switch_to(pop(next.k));
    if s.draining { return; }
    threads_settle(s, prev);
    s.cur = me.id;
}

fn threads_wake(s: Sched, t: Thread) {
    t.state = threads_ready();
    t.why = "";
    threads_fifo_push(s.ready, t);
}

// A thread's function returned: wake its joiners, then hand over to the next ready thread for good.  The
// last thread of the run returns instead, and with it fiber_run.
fn threads_finish(s: Sched, me: Thread) / {Switch} {
    me.state = threads_done();
    s.live -= 1;
    let mut i = 0;
    while i < len(me.joiners) {
        threads_wake(s, me.joiners[i]);
        i += 1;
    }
    if s.live == 0 { return; }
    threads_switch(s, me);          // returns only when run drains the finished threads
}

fn threads_new(s: Sched, body: fn() -> unit) -> Thread {
    let joiners: [Thread] = [];
    let k: [Fiber] = [];
    let t = Thread { id: len(s.threads), state: threads_ready(), k: k, joiners: joiners, why: "" };
    push(s.threads, t);
    s.live += 1;
    push(t.k, fiber(|from| {
        match from { Some(prev) => threads_settle(s, prev), None => {} }
        s.cur = t.id;
        body();
        threads_finish(s, t);
    }));
    threads_fifo_push(s.ready, t);
    t
}

// ---- the API ----------------------------------------------------------------------------------------

// Runs `main` as thread 0, with every thread it spawns, until all of them have returned.  Panics on a
// deadlock (every unfinished thread blocked), naming each blocked thread and what it waits for.  An
// exception that escapes a thread propagates out of run.
//
// The run ends when the last thread returns; the others ended by switching to the next thread for good.
// Their fibers are then resumed one by one (switch_to returns at once while draining) so that every fiber
// runs to its end rather than staying suspended until it is garbage.
fn run(main: fn() -> unit) {
    let threads: [Thread] = [];
    let finished: [Fiber] = [];
    let s = Sched { ready: threads_fifo(), threads: threads, live: 0, cur: 0, from: 0, switches: 0,
                    finished: finished, draining: false };
    threads_new(s, main);
    let first = threads_fifo_pop(s.ready);
    push(threads_scheds, s);
    try {
        fiber_run(pop(first.k));
        s.draining = true;
        while len(s.finished) > 0 { fiber_run(pop(s.finished)); }
    } finally { pop(threads_scheds); }
}

// Starts `f` as a new thread at the back of the ready queue; the caller goes on at once.
fn spawn(f: fn() -> unit) -> Thread { threads_new(threads_current(), f) }

// Switches straight to the next ready thread, if there is one; the caller goes to the back of the queue.
fn yield_now() / {Switch} {
    let s = threads_current();
    if threads_fifo_len(s.ready) == 0 { return; }
    let me = s.threads[s.cur];
    threads_switch(s, me);
}

// Waits until `t` has returned.
fn join(t: Thread) / {Switch} {
    let s = threads_current();
    if t.state == threads_done() { return; }
    let me = s.threads[s.cur];
    if me.id == t.id { panic("deadlock: thread " + str(t.id) + " joins itself"); }
    me.state = threads_blocked();
    me.why = "join thread " + str(t.id);
    push(t.joiners, me);
    threads_switch(s, me);
}

fn thread_id(t: Thread) -> int { t.id }

// The running thread's id.
fn self_id() -> int { threads_current().cur }

// How many times threads of the innermost run have switched so far.
fn switch_count() -> int { threads_current().switches }

// ---- channels -----------------------------------------------------------------------------------------
// Unbounded: send never blocks; recv blocks while the channel is empty.  A woken receiver runs when its turn
// in the ready queue comes.

struct Chan[T] { items: ThreadsFifo[T], receivers: ThreadsFifo[Thread] }

fn chan[T]() -> Chan[T] { Chan { items: threads_fifo(), receivers: threads_fifo() } }

fn send[T](c: Chan[T], v: T) {
    threads_fifo_push(c.items, v);
    if threads_fifo_len(c.receivers) > 0 { threads_wake(threads_current(), threads_fifo_pop(c.receivers)); }
}

fn recv[T](c: Chan[T]) -> T / {Switch} {
    while threads_fifo_len(c.items) == 0 {
        let s = threads_current();
        let me = s.threads[s.cur];
        me.state = threads_blocked();
        me.why = "recv";
        threads_fifo_push(c.receivers, me);
        threads_switch(s, me);
    }
    threads_fifo_pop(c.items)
}
