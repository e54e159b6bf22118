"""A Python model of std.async's scheduling rules (docs/async.md), to check the fx scheduler against.

Tasks are Python generators that yield requests: ('yield',), ('sleep', n), ('block', why, register),
('cancel', p), ('spawn', factory). The model follows the rules as documented, not the fx code: a FIFO run queue; spawn
queues the new task's start and the spawner goes on; virtual time moves only when nothing is ready, to the
earliest timer, waking every task due then in spawn order; cancelling a suspended task discontinues it at once:
the cancellation is thrown at its suspension point, where no catch stops it (modelled as Cancelled, which the
scripts only catch around await_task), and it runs its cleanup until it suspends again or ends, then the
canceller goes on; cancelling a running task delivers it at its next suspension; cancelling one not started ends it;
when main returns, the unfinished tasks are cancelled in spawn order and run to their end; channels hand a
sent value to the longest-waiting receiver and move the longest-blocked sender's value into a freed place.
"""
from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Generator

NEW, RUNNING, SUSPENDED, READY, DONE, CANCELLED = range(6)


class Cancelled(Exception):
    """The cancellation thrown into a task (std.async's exception Cancelled)."""


class Deadlock(Exception):
    """Unfinished tasks remain, all blocked, none sleeping; the message is std.async's."""


@dataclass(eq=False)
class Proc:
    id: int
    factory: Callable[[], Generator]
    state: int = NEW
    gen: Generator | None = None
    suspended_at: bool = False            # holds a continuation
    epoch: int = 0
    cancel_pending: bool = False
    awaiters: deque = field(default_factory=deque)
    result: object = None
    why: str = ""


@dataclass(eq=False)
class Waiter:
    proc: Proc
    epoch: int


class Scheduler:
    def __init__(self) -> None:
        self.ready: deque = deque()
        self.timers: list = []
        self.procs: list[Proc] = []
        self.live = 0
        self.clock = 0
        self.out: list[str] = []

    # ---- tasks
    def spawn(self, factory) -> Proc:
        p = Proc(len(self.procs), factory)
        self.procs.append(p)
        self.live += 1
        self.ready.append(lambda: self.start(p))
        return p

    def start(self, p: Proc) -> None:
        if p.state != NEW:
            return
        p.state = RUNNING
        p.gen = p.factory()
        self.step(p, None, False)

    def step(self, p: Proc, value, throw: bool) -> None:
        """Runs p from its suspension point until it suspends again or ends."""
        while True:
            try:
                req = p.gen.throw(Cancelled()) if throw else p.gen.send(value)
            except StopIteration as e:
                p.result = e.value
                return self.finish(p, True)
            except Cancelled:
                return self.finish(p, False)
            value, throw = None, False
            kind = req[0]
            if kind == 'spawn':
                value = self.spawn(req[1])
            elif kind == 'cancel':
                self.cancel(req[1])
            elif kind == 'yield' or (kind == 'sleep' and req[1] <= 0):
                if self.suspend(p):
                    self.make_ready(p)
                return
            elif kind == 'sleep':
                if self.suspend(p):
                    heapq.heappush(self.timers, (self.clock + req[1], p.id, p.epoch, p))
                return
            elif kind == 'block':
                if self.suspend(p):
                    p.why = req[1]
                    req[2](Waiter(p, p.epoch))
                return
            else:
                raise ValueError(req)

    def suspend(self, p: Proc) -> bool:
        p.suspended_at = True
        p.state = SUSPENDED
        if not p.cancel_pending:
            return True
        p.cancel_pending = False
        p.state = READY
        epoch = p.epoch
        self.ready.appendleft(lambda: self.resume(p, epoch, True))
        return False

    def resume(self, p: Proc, epoch: int, cancel: bool) -> None:
        if p.epoch != epoch or not p.suspended_at:
            return
        p.suspended_at = False
        p.epoch += 1
        p.state = RUNNING
        self.step(p, None, cancel)

    def make_ready(self, p: Proc) -> None:
        if p.state != SUSPENDED:
            return
        p.state = READY
        epoch = p.epoch
        self.ready.append(lambda: self.resume(p, epoch, False))

    def wake(self, w: Waiter) -> bool:
        if w.proc.epoch != w.epoch or w.proc.state != SUSPENDED:
            return False
        self.make_ready(w.proc)
        return True

    def finish(self, p: Proc, ok: bool) -> None:
        p.state = DONE if ok else CANCELLED
        self.live -= 1
        while p.awaiters:
            self.wake(p.awaiters.popleft())

    def cancel(self, p: Proc) -> None:
        if p.state == NEW:
            self.finish(p, False)
        elif p.state in (SUSPENDED, READY):
            self.resume(p, p.epoch, True)
        elif p.state == RUNNING:
            p.cancel_pending = True

    # ---- the loop
    def live_timer(self) -> bool:
        while self.timers:
            tick, _, epoch, p = self.timers[0]
            if p.epoch == epoch and p.state == SUSPENDED:
                return True
            heapq.heappop(self.timers)
        return False

    def drive(self, root: Proc | None) -> None:
        while True:
            if root is not None and root.state in (DONE, CANCELLED):
                return
            if self.ready:
                self.ready.popleft()()
            elif self.live_timer():
                tick = self.timers[0][0]
                self.clock = tick
                while self.live_timer() and self.timers[0][0] == tick:
                    self.make_ready(heapq.heappop(self.timers)[3])
            elif self.live > 0:
                raise Deadlock(self.deadlock_message())
            else:
                return

    def deadlock_message(self) -> str:
        def describe(p: Proc) -> str:
            name = "task 0 (main)" if p.id == 0 else f"task {p.id}"
            if p.state == NEW:
                return name + " has not started"
            return name + (" waits in " + p.why if p.state == SUSPENDED else " is running")
        blocked = [describe(p) for p in self.procs if p.state not in (DONE, CANCELLED)]
        return "deadlock: every unfinished task is blocked and none is sleeping (" + ", ".join(blocked) + ")"

    def run(self, main) -> None:
        root = self.spawn(main)
        self.drive(root)
        i = 0
        while i < len(self.procs):
            self.cancel(self.procs[i])
            i += 1
        self.drive(None)


def await_task(t: Proc):
    while True:
        if t.state == DONE:
            return t.result
        if t.state == CANCELLED:
            raise Cancelled()
        yield ('block', f"await_task(task {t.id})", t.awaiters.append)


@dataclass(eq=False)
class Chan:
    capacity: int                                        # 0: unbounded
    items: deque = field(default_factory=deque)
    receivers: deque = field(default_factory=deque)      # (Waiter, slot)
    senders: deque = field(default_factory=deque)        # (Waiter, value)


def hand(s: Scheduler, c: Chan, v) -> bool:
    while c.receivers:
        w, slot = c.receivers.popleft()
        if s.wake(w):
            slot.append(v)
            return True
    return False


def send(s: Scheduler, c: Chan, v):
    if hand(s, c, v):
        return
    if c.capacity == 0 or len(c.items) < c.capacity:
        c.items.append(v)
        return
    yield ('block', "send", lambda w: c.senders.append((w, v)))


def take(s: Scheduler, c: Chan):
    v = c.items.popleft()
    while c.capacity > 0 and len(c.items) < c.capacity and c.senders:
        w, value = c.senders.popleft()
        if s.wake(w):
            c.items.append(value)
    return v


def recv(s: Scheduler, c: Chan):
    if c.items:
        return take(s, c)
    slot: list = []
    try:
        yield ('block', "recv", lambda w: c.receivers.append((w, slot)))
    except Cancelled:
        if slot:
            c.items.appendleft(slot.pop())
            while c.items:                       # hand it on to the next waiting receiver
                v = c.items.popleft()
                if not hand(s, c, v):
                    c.items.appendleft(v)
                    break
        raise
    return slot.pop()


# ---- scripted tasks: the same interpreter as SCRIPT_FX below ------------------------------------------
YIELD, SLEEP, AWAIT, CANCEL, SEND, RECV = range(6)


def script(s: Scheduler, tid: int, ops: list[int], tasks: list[Proc], c: Chan):
    try:
        for i in range(0, len(ops), 2):
            op, arg = ops[i], ops[i + 1]
            if op == YIELD:
                yield ('yield',)
                s.out.append(f"{tid} yielded @{s.clock}")
            elif op == SLEEP:
                yield ('sleep', arg)
                s.out.append(f"{tid} slept {arg} @{s.clock}")
            elif op == AWAIT:
                t = tasks[arg]
                try:
                    r = yield from await_task(t)
                except Cancelled:
                    if t.state != CANCELLED:
                        raise
                    r = -1
                s.out.append(f"{tid} awaited {arg + 1} = {r} @{s.clock}")
            elif op == CANCEL:
                yield ('cancel', tasks[arg])
                s.out.append(f"{tid} cancelled {arg + 1} @{s.clock}")
            elif op == SEND:
                yield from send(s, c, arg)
                s.out.append(f"{tid} sent {arg} @{s.clock}")
            else:
                v = yield from recv(s, c)
                s.out.append(f"{tid} received {v} @{s.clock}")
        return tid * 100 + s.clock
    except Cancelled:
        s.out.append(f"{tid} cancelled @{s.clock}")
        raise


def scenario_output(scripts: list[list[int]], main_ops: list[int], capacity: int = 0) -> list[str]:
    s = Scheduler()
    c = Chan(capacity)

    def main():
        tasks: list[Proc] = []
        for i, ops in enumerate(scripts):
            tasks.append((yield ('spawn', lambda i=i, ops=ops: script(s, i + 1, ops, tasks, c))))
        yield from script(s, 0, main_ops, tasks, c)
        for i, t in enumerate(tasks):
            try:
                r = yield from await_task(t)
            except Cancelled:
                r = -1
            s.out.append(f"main: task {i + 1} = {r}")

    try:
        s.run(main)
    except Deadlock as e:
        s.out += ["caught the deadlock"]
    return s.out


SCRIPT_FX = """\
import std.async;

async fn script(id: int, ops: [int], tasks: [Task[int]], c: Chan[int]) -> int {
    let mut ended = false;
    try {
        let mut i = 0;
        while i < len(ops) {
            let op = ops[i];
            let arg = ops[i + 1];
            if op == 0 {
                yield_now();
                println(str(id) + " yielded @" + str(clock()));
            } else if op == 1 {
                sleep(arg);
                println(str(id) + " slept " + str(arg) + " @" + str(clock()));
            } else if op == 2 {
                let t = tasks[arg];
                let r = try { await t } catch Cancelled { -1 };
                println(str(id) + " awaited " + str(arg + 1) + " = " + str(r) + " @" + str(clock()));
            } else if op == 3 {
                cancel_task(tasks[arg]);
                println(str(id) + " cancelled " + str(arg + 1) + " @" + str(clock()));
            } else if op == 4 {
                send(c, arg);
                println(str(id) + " sent " + str(arg) + " @" + str(clock()));
            } else {
                let v = recv(c);
                println(str(id) + " received " + str(v) + " @" + str(clock()));
            }
            i += 2;
        }
        let r = id * 100 + clock();
        ended = true;
        r
    } finally {
        // cancellation is discontinue(k): no catch sees it, the finally runs (and may ask for the clock)
        if !ended { println(str(id) + " cancelled @" + str(clock())); }
    }
}

fn scenario(scripts: [[int]], main_ops: [int], capacity: int) {
    try {
        run(|| {
            let c: Chan[int] = chan_bounded(capacity);
            let tasks: [Task[int]] = [];
            let mut i = 0;
            while i < len(scripts) {
                let me = i;
                push(tasks, spawn(|| script(me + 1, scripts[me], tasks, c)));
                i += 1;
            }
            script(0, main_ops, tasks, c);
            i = 0;
            while i < len(tasks) {
                let r = try { await tasks[i] } catch Cancelled { -1 };
                println("main: task " + str(i + 1) + " = " + str(r));
                i += 1;
            }
        });
    } catch Deadlock(m) {
        println("caught the deadlock");
    }
}
"""


def random_scenario(rng, max_tasks: int = 5, max_ops: int = 6, channels: bool = False):
    """(scripts for 1..max_tasks tasks, main's script, channel capacity). A task awaits only tasks spawned
    before it (no await cycles); anyone may cancel anyone, itself included. With `channels`, tasks also send
    to and receive from one channel (unbounded or of capacity 1 or 2), which may deadlock."""
    n = rng.randint(1, max_tasks)

    def ops_for(index: int | None) -> list[int]:
        out: list[int] = []
        for _ in range(rng.randint(0, max_ops)):
            awaitable = n if index is None else index
            kinds = [YIELD] * 3 + [SLEEP] * 4 + [CANCEL] + ([AWAIT] * 2 if awaitable else [])
            if channels:
                kinds += [SEND] * 4 + [RECV] * 2
            k = rng.choice(kinds)
            if k == YIELD:
                out += [YIELD, 0]
            elif k == SLEEP:
                out += [SLEEP, rng.randint(0, 4)]
            elif k == AWAIT:
                out += [AWAIT, rng.randrange(awaitable)]
            elif k == SEND:
                out += [SEND, rng.randint(1, 99)]
            elif k == RECV:
                out += [RECV, 0]
            else:
                out += [CANCEL, rng.randrange(n)]
        return out

    return [ops_for(i) for i in range(n)], ops_for(None), (rng.choice([0, 1, 2]) if channels else 0)


def fx_list(xs) -> str:
    if isinstance(xs, list):
        return "[" + ", ".join(fx_list(x) for x in xs) + "]"
    return str(xs)


def program(scenarios) -> tuple[str, str]:
    """An fx program running every scenario, and the output the model predicts for it."""
    body, expected = [], []
    for i, (scripts, main_ops, capacity) in enumerate(scenarios):
        body.append(f'    println("scenario {i}");')
        if not main_ops:
            body.append("    let none: [int] = [];")
        body.append(f"    scenario({fx_list(scripts)}, {fx_list(main_ops) if main_ops else 'none'}, {capacity});")
        expected.append(f"scenario {i}")
        expected += scenario_output(scripts, main_ops, capacity)
    src = SCRIPT_FX + "\nfn main() {\n" + "\n".join(body) + "\n}\n"
    return src, "".join(line + "\n" for line in expected)
