// A small stand-in for stdlib/async.fx, used by the checker tests: the same public functions, a simple
// scheduler.  It exercises what the real one needs from the front end: generic structs (Task[T], Chan[T]),
// generic fns, closures, effect operations whose payloads are closures, continuations stored in arrays.
effect Async {
    fork(fn() -> unit / {Async}),
    pause(),
    wait(int),
    block(fn(fn() -> unit) -> unit),
}

struct Task[T] { value: [T], waiters: [fn() -> unit], cancelled: [bool] }
struct Chan[T] { items: [T], waiters: [fn() -> unit] }

fn wake_all(ws: [fn() -> unit]) {
    while len(ws) > 0 {
        let w = pop(ws);
        w();
    }
}

fn spawn[T](f: fn() -> T / {Async}) -> Task[T] / {Async} {
    let t = Task { value: [], waiters: [], cancelled: [] };
    perform fork(|| {
        let v = f();
        push(t.value, v);
        wake_all(t.waiters);
    });
    t
}

fn await_task[T](t: Task[T]) -> T / {Async} {
    while len(t.value) == 0 {
        perform block(|wake| push(t.waiters, wake));
    }
    t.value[0]
}

fn cancel_task[T](t: Task[T]) / {Async} {
    push(t.cancelled, true);
}

fn yield_now() / {Async} { perform pause(); }

fn sleep(ticks: int) / {Async} { perform wait(ticks); }

fn chan[T]() -> Chan[T] { Chan { items: [], waiters: [] } }

fn send[T](c: Chan[T], v: T) / {Async} {
    push(c.items, v);
    wake_all(c.waiters);
}

fn recv[T](c: Chan[T]) -> T / {Async} {
    while len(c.items) == 0 {
        perform block(|wake| push(c.waiters, wake));
    }
    pop(c.items)
}

fn run_task(f: fn() -> unit / {Async}, queue: [fn() -> unit]) {
    let parked: [fn(unit) -> unit] = [];
    handle { f() } with {
        fork(g), k => { push(queue, || run_task(g, queue)); k(()) },
        pause(), k => { push(parked, k); push(queue, || { let r = pop(parked); r(()) }); },
        wait(n), k => push(queue, || k(())),
        block(register), k => register(|| push(queue, || resume(()))),
    }
}

fn run(main: fn() -> unit / {Async}) {
    let queue: [fn() -> unit] = [];
    run_task(main, queue);
    while len(queue) > 0 {
        let next_task = pop(queue);
        next_task();
    }
}
