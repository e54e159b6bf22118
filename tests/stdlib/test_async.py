"""std.async (stdlib/async.fx): programs using the scheduler, run on our VM and on V8, output compared with
the expectation written next to each program (derived by hand from the rules in docs/async.md)."""
from __future__ import annotations

from textwrap import dedent

import pytest

from tests.stdlib.conftest import run_program

PRELUDE = "import std.async;\n"


def prog(body: str) -> str:
    return PRELUDE + dedent(body)


def lines(text: str) -> str:
    return dedent(text).lstrip("\n")


# ---- scheduling order ---------------------------------------------------------------------------------

def test_spawn_returns_at_once_and_the_child_runs_when_the_parent_suspends(fx):
    out = fx(prog("""
        async fn child(name: str) -> int { println(name + " runs"); len(name) }
        async fn main() {
            let a = spawn(|| child("a"));
            let b = spawn(|| child("bb"));
            println("main spawned both");
            yield_now();
            println("main resumed");
            println(await a + await b);
        }
    """))
    assert out == lines("""
        main spawned both
        a runs
        bb runs
        main resumed
        3
    """)


def test_yield_now_is_round_robin_in_spawn_order(fx):
    out = fx(prog("""
        async fn worker(name: str, n: int) {
            let mut i = 0;
            while i < n { println(name + str(i)); yield_now(); i += 1; }
        }
        async fn main() {
            let a = spawn(|| worker("a", 3));
            let b = spawn(|| worker("b", 2));
            let c = spawn(|| worker("c", 3));
            await a;
            await b;
            await c;
            println("done");
        }
    """))
    assert out.split() == ["a0", "b0", "c0", "a1", "b1", "c1", "a2", "c2", "done"]


def test_sleepers_wake_in_order_of_time_then_spawn_order(fx):
    # task 1 asks for tick 5 at time 2, after task 2 asked for tick 5 at time 0: they still wake in spawn order.
    # Main (task 0) also wakes at 5, first. The others wake by their delay, ties in spawn order.
    out = fx(prog("""
        async fn early() { sleep(2); println("1 asks for 5 at " + str(clock())); sleep(3); println("1 at " + str(clock())); }
        async fn late() { sleep(5); println("2 at " + str(clock())); }
        async fn delayed(id: int, d: int) { sleep(d); println(str(id) + " at " + str(clock())); }
        async fn main() {
            let a = spawn(|| early());
            let b = spawn(|| late());
            sleep(5);
            println("0 at " + str(clock()));
            await a;
            await b;
            let delays = [5, 3, 8, 1, 3, 7, 2, 5];
            let ts: [Task[unit]] = [];
            let mut i = 0;
            while i < len(delays) { let d = delays[i]; let id = 3 + i; push(ts, spawn(|| delayed(id, d))); i += 1; }
            i = 0;
            while i < len(ts) { await ts[i]; i += 1; }
            sleep(0);
            println("end at " + str(clock()));
        }
    """))
    assert out == lines("""
        1 asks for 5 at 2
        0 at 5
        1 at 5
        2 at 5
        6 at 6
        9 at 7
        4 at 8
        7 at 8
        3 at 10
        10 at 10
        8 at 12
        5 at 13
        end at 13
    """)


def test_time_only_moves_when_no_task_is_ready(fx):
    out = fx(prog("""
        async fn spinner(n: int) -> int {
            let mut i = 0;
            while i < n { yield_now(); i += 1; }
            clock()
        }
        async fn main() {
            let s = spawn(|| spinner(50));
            sleep(1);
            println("main at " + str(clock()) + ", spinner finished at " + str(await s));
        }
    """))
    assert out == "main at 1, spinner finished at 0\n"


def test_await_wakes_every_awaiter_in_the_order_they_waited(fx):
    out = fx(prog("""
        async fn main() {
            let gate: Chan[int] = chan();
            let t = spawn(|| recv(gate) * 10);
            let w1 = spawn(|| { let v = await t; println("w1 got " + str(v)); });
            let w2 = spawn(|| { let v = await t; println("w2 got " + str(v)); });
            yield_now();
            println("done before the gate: " + str(is_done(t)));
            send(gate, 4);
            await w1;
            await w2;
            println("t = " + str(await t) + ", done: " + str(is_done(t)) + ", id " + str(task_id(t)));
        }
    """))
    assert out == lines("""
        done before the gate: false
        w1 got 40
        w2 got 40
        t = 40, done: true, id 1
    """)


def test_tasks_of_any_result_type(fx):
    out = fx(prog("""
        struct Msg { from: int, text: str }
        async fn main() {
            let c: Chan[Msg] = chan();
            let t = spawn(|| { let m = recv(c); m.text + " from " + str(m.from) });
            send(c, Msg { from: 3, text: "hello" });
            println(await t);
            let o: Chan[Option[int]] = chan();
            send(o, Some(4));
            send(o, None);
            let mut k = 0;
            while k < 3 {
                match try_recv(o) {
                    Some(Some(v)) => println("some " + str(v)),
                    Some(None) => println("none"),
                    None => println("empty"),
                }
                k += 1;
            }
            let f = spawn(|| 2.5);
            let b = spawn(|| -> bool { yield_now(); true });
            println(str(await f) + " " + str(await b));
        }
    """))
    assert out == "hello from 3\nsome 4\nnone\nempty\n2.5 true\n"


# ---- channels ----------------------------------------------------------------------------------------

def test_unbounded_channel_is_fifo_and_never_blocks_the_sender(fx):
    out = fx(prog("""
        async fn produce(c: Chan[str], n: int) {
            let mut i = 0;
            while i < n { send(c, "m" + str(i)); i += 1; }
            println("producer sent " + str(n) + " without waiting");
        }
        async fn main() {
            let c: Chan[str] = chan();
            let p = spawn(|| produce(c, 6));
            await p;
            println("queued " + str(chan_len(c)));
            let mut got = "";
            while chan_len(c) > 0 { got = got + recv(c) + " "; }
            println(got);
        }
    """))
    assert out == "producer sent 6 without waiting\nqueued 6\nm0 m1 m2 m3 m4 m5 \n"


def test_bounded_channel_blocks_the_sender_while_full(fx):
    out = fx(prog("""
        async fn producer(c: Chan[int]) {
            let mut i = 1;
            while i <= 5 { send(c, i); println("sent " + str(i)); i += 1; }
        }
        async fn main() {
            let c: Chan[int] = chan_bounded(2);
            let p = spawn(|| producer(c));
            sleep(1);
            println("main wakes with " + str(chan_len(c)) + " queued");
            let mut k = 0;
            while k < 5 { println("got " + str(recv(c))); k += 1; }
            await p;
        }
    """))
    assert out == lines("""
        sent 1
        sent 2
        main wakes with 2 queued
        got 1
        got 2
        got 3
        sent 3
        sent 4
        sent 5
        got 4
        got 5
    """)


def test_receivers_are_served_in_the_order_they_blocked(fx):
    out = fx(prog("""
        async fn receiver(name: str, c: Chan[int], n: int) {
            let mut i = 0;
            while i < n { println(name + " got " + str(recv(c))); i += 1; }
        }
        async fn main() {
            let c: Chan[int] = chan();
            let a = spawn(|| receiver("a", c, 2));
            let b = spawn(|| receiver("b", c, 2));
            let d = spawn(|| receiver("c", c, 1));
            yield_now();
            send(c, 1);
            send(c, 2);
            send(c, 3);
            sleep(1);
            send(c, 4);
            send(c, 5);
            await a;
            await b;
            await d;
        }
    """))
    assert out == "a got 1\nb got 2\nc got 3\na got 4\nb got 5\n"


def test_a_cancelled_receiver_gives_its_value_back_to_the_next_receiver(fx):
    out = fx(prog("""
        async fn receiver(name: str, c: Chan[int]) -> int { let v = recv(c); println(name + " got " + str(v)); v }
        async fn main() {
            let c: Chan[int] = chan();
            let a = spawn(|| receiver("a", c));
            let b = spawn(|| receiver("b", c));
            yield_now();
            send(c, 1);
            cancel_task(a);
            println("after cancel: " + str(chan_len(c)));
            println(await b);
            let r = try { await a } catch Cancelled { -1 };
            println(r);
        }
    """))
    assert out == "after cancel: 0\nb got 1\n1\n-1\n"


def test_a_blocked_sender_cancelled_after_its_value_moved_in_stays_sent(fx):
    out = fx(prog("""
        async fn sender(c: Chan[int]) { try { send(c, 2); println("sender done"); } finally { println("sender finally"); } }
        async fn main() {
            let c: Chan[int] = chan_bounded(1);
            send(c, 1);
            let s = spawn(|| sender(c));
            yield_now();
            println(recv(c));
            cancel_task(s);
            println("cancelled: " + str(is_cancelled(s)) + ", queued " + str(chan_len(c)));
            println(recv(c));
        }
    """))
    assert out == "1\nsender finally\ncancelled: true, queued 1\n2\n"


# ---- deadlock --------------------------------------------------------------------------------------

def test_deadlock_is_reported_with_every_blocked_task(tmp_path, engine):
    r = run_program(prog("""
        async fn main() {
            let c: Chan[int] = chan();
            let t = spawn(|| recv(c));
            let u = spawn(|| -> int { sleep(3); 1 });
            println("waiting");
            println(await t + await u);
        }
    """), tmp_path, engine)
    # an async main is started by run_main: an uncaught Deadlock becomes a panic with its text
    assert r.returncode == 1
    assert r.stdout == "waiting\n"
    assert r.stderr.startswith("fxc: trap: deadlock: every unfinished task is blocked and none is sleeping "
                               "(task 0 (main) waits in await_task(task 1), task 1 waits in recv) "
                               "at std/async.fx:")     # the panic in run_main


def test_deadlock_can_be_caught_and_a_later_run_starts_afresh(fx):
    out = fx(prog("""
        fn main() {
            let msg = try {
                run(|| {
                    let c: Chan[int] = chan_bounded(1);
                    send(c, 1);
                    let ts: [Task[unit]] = [];
                    push(ts, spawn(|| { await ts[1]; }));
                    push(ts, spawn(|| { await ts[0]; }));
                    sleep(2);
                    send(c, 2);
                });
                "no deadlock"
            } catch Deadlock(m) { m };
            println("caught: " + msg);
            run(|| { sleep(4); println("second run at " + str(clock())); });
        }
    """))
    msg = ("deadlock: every unfinished task is blocked and none is sleeping (task 0 (main) waits in send, "
           "task 1 waits in await_task(task 2), task 2 waits in await_task(task 1))")
    assert out == f"caught: {msg}\nsecond run at 4\n"


# ---- cancellation ------------------------------------------------------------------------------------

def test_cancelling_a_sleeping_task_runs_its_finally_before_cancel_task_returns(fx):
    out = fx(prog("""
        async fn sleeper() -> int {
            try { sleep(10); println("never"); 1 } finally { println("sleeper finally at " + str(clock())); }
        }
        async fn main() {
            let t = spawn(|| sleeper());
            sleep(3);
            println("cancelling");
            cancel_task(t);
            println("cancel_task returned; cancelled: " + str(is_cancelled(t)));
            let r = try { await t } catch Cancelled { -1 };
            println("await gave " + str(r));
            sleep(20);
            println("main ends at " + str(clock()));
        }
    """))
    assert out == lines("""
        cancelling
        sleeper finally at 3
        cancel_task returned; cancelled: true
        await gave -1
        main ends at 23
    """)


def test_cancelling_blocked_ready_unstarted_and_finished_tasks(fx):
    out = fx(prog("""
        async fn receiver(c: Chan[int]) {
            try { let v = recv(c); println("received " + str(v)); } finally { println("receiver cleanup"); }
        }
        async fn never_started() { try { println("body ran"); } finally { println("never-started finally"); } }
        async fn yielder() { try { loop { yield_now(); } } finally { println("yielder cleanup"); } }
        async fn main() {
            let c: Chan[int] = chan();
            let r = spawn(|| receiver(c));
            let y = spawn(|| yielder());
            yield_now();
            let n = spawn(|| never_started());
            cancel_task(n);
            cancel_task(r);
            cancel_task(y);
            send(c, 5);
            println("channel holds " + str(chan_len(c)));
            let f = spawn(|| 7);
            println(await f);
            cancel_task(f);
            cancel_task(r);
            println("done " + str(is_done(f)) + ", cancelled " + str(is_cancelled(n)) + " "
                    + str(is_cancelled(r)) + " " + str(is_cancelled(y)) + " " + str(is_cancelled(f)));
        }
    """))
    assert out == lines("""
        receiver cleanup
        yielder cleanup
        channel holds 1
        7
        done true, cancelled true true true false
    """)


def test_a_task_cancelling_itself_gets_it_at_its_next_suspension(fx):
    out = fx(prog("""
        async fn selfish(h: [Task[unit]]) {
            try {
                cancel_task(h[0]);
                println("still running after cancelling itself");
                yield_now();
                println("never");
            } finally { println("selfish finally"); }
        }
        async fn main() {
            let h: [Task[unit]] = [];
            push(h, spawn(|| selfish(h)));
            let r = try { await h[0]; "finished" } catch Cancelled { "cancelled" };
            println(r);
        }
    """))
    assert out == "still running after cancelling itself\nselfish finally\ncancelled\n"


def test_a_task_cannot_catch_its_cancellation_but_its_cleanup_may_suspend(fx):
    # cancellation is discontinue(k): neither `catch _` nor `catch Cancelled` stops it, finally blocks run,
    # and a cleanup that sleeps is scheduled like any task; awaiting the task waits for the cleanup's end
    out = fx(prog("""
        async fn stubborn() -> int {
            let r = try { sleep(10); 0 } catch _ { println("caught"); 1 } finally {
                println("cleanup at " + str(clock()));
                sleep(1);
                println("cleanup done at " + str(clock()));
            };
            println("not reached");
            r
        }
        async fn main() {
            let t = spawn(|| stubborn());
            sleep(2);
            cancel_task(t);
            println("cancel_task returned");
            let r = try { await t } catch Cancelled { -1 };
            println(str(r) + " at " + str(clock()));
            println("cancelled: " + str(is_cancelled(t)));
        }
    """))
    assert out == lines("""
        cleanup at 2
        cancel_task returned
        cleanup done at 3
        -1 at 3
        cancelled: true
    """)


def test_a_finally_that_suspends_finishes_later(fx):
    out = fx(prog("""
        async fn slow_cleanup() {
            try { sleep(100); } finally {
                println("cleanup starts at " + str(clock()));
                sleep(5);
                println("cleanup ends at " + str(clock()));
            }
        }
        async fn main() {
            let t = spawn(|| slow_cleanup());
            sleep(1);
            cancel_task(t);
            println("cancel_task returned at " + str(clock()));
            let r = try { await t; "done" } catch Cancelled { "cancelled" };
            println(r + " at " + str(clock()));
        }
    """))
    assert out == lines("""
        cleanup starts at 1
        cancel_task returned at 1
        cleanup ends at 6
        cancelled at 6
    """)


def test_tasks_left_when_main_returns_are_cancelled_in_spawn_order(fx):
    out = fx(prog("""
        async fn daemon(name: str) {
            try { loop { sleep(4); println(name + " tick at " + str(clock())); } }
            finally { println(name + " stopped at " + str(clock())); }
        }
        fn main() {
            run(|| {
                spawn(|| daemon("d1"));
                spawn(|| daemon("d2"));
                sleep(9);
                spawn(|| daemon("d3"));
                println("main returns at " + str(clock()));
            });
            println("run returned");
        }
    """))
    assert out == lines("""
        d1 tick at 4
        d2 tick at 4
        d1 tick at 8
        d2 tick at 8
        main returns at 9
        d1 stopped at 9
        d2 stopped at 9
        run returned
    """)


# ---- exceptions and nesting ----------------------------------------------------------------------------

def test_an_exception_escaping_a_task_propagates_out_of_run(fx):
    out = fx(prog("""
        exception Boom(int)
        fn main() {
            let r = try {
                run(|| {
                    let t = spawn(|| -> int { sleep(1); throw Boom(7) });
                    println("main awaits");
                    println(await t);
                    println("unreachable");
                });
                0
            } catch Boom(x) { x };
            println("caught Boom " + str(r));
            run(|| println("a later run works"));
        }
    """))
    assert out == "main awaits\ncaught Boom 7\na later run works\n"


def test_exceptions_inside_a_task_are_ordinary(fx):
    out = fx(prog("""
        exception Bad(str)
        async fn risky(n: int) -> int {
            try { sleep(n); if n == 2 { throw Bad("two"); } n } catch Bad(s) { println("caught " + s); 0 }
        }
        async fn main() {
            let a = spawn(|| risky(1));
            let b = spawn(|| risky(2));
            println(await a + await b);
        }
    """))
    assert out == "caught two\n1\n"


def test_runs_nest_with_their_own_clock(fx):
    out = fx(prog("""
        async fn main() {
            sleep(5);
            run(|| {
                let t = spawn(|| { sleep(3); println("inner task at " + str(clock())); });
                sleep(2);
                println("inner main at " + str(clock()));
            });
            println("outer clock " + str(clock()));
        }
    """))
    assert out == "inner main at 2\nouter clock 5\n"


def test_a_long_loop_of_spawns_does_not_exhaust_the_stack(fx):
    out = fx(prog("""
        async fn main() {
            let tasks: [Task[int]] = [];
            let mut i = 0;
            while i < 3000 { let me = i; push(tasks, spawn(|| me)); i += 1; }
            let mut total = 0;
            i = 0;
            while i < len(tasks) { total += await tasks[i] + clock(); i += 1; }
            println(total);
        }
    """))
    assert out == f"{sum(range(3000))}\n"


# ---- size -------------------------------------------------------------------------------------------

ROUND_ROBIN = prog("""
    async fn worker(id: int, steps: int, log: [int]) -> int {
        let mut i = 0;
        while i < steps { push(log, id); yield_now(); i += 1; }
        id
    }
    async fn main() {
        let log: [int] = [];
        let tasks: [Task[int]] = [];
        let mut i = 0;
        while i < 1000 { let me = i; push(tasks, spawn(|| worker(me, 10, log))); i += 1; }
        let mut total = 0;
        i = 0;
        while i < 1000 { total += await tasks[i]; i += 1; }
        let mut in_order = true;
        i = 0;
        while i < len(log) { if log[i] != i % 1000 { in_order = false; } i += 1; }
        println(str(total) + " " + str(len(log)) + " " + str(in_order) + " " + str(clock()));
    }
""")


def test_round_robin_of_1000_tasks_yielding_10_times(tmp_path, engine):
    # its speed, and how it scales with the number of tasks: bench/scaling.py
    r = run_program(ROUND_ROBIN, tmp_path, engine)
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"{sum(range(1000))} 10000 true 0\n"


# ---- with the other control features ---------------------------------------------------------------------

def test_generators_may_sleep_inside_tasks(fx):
    # The generator's sleep suspends the whole task, generator frames included (stackful).
    out = fx(prog("""
        fn ticks(n: int) -> Gen[int] {
            let mut i = 0;
            while i < n { sleep(2); yield i; i += 1; }
        }
        async fn consumer(name: str) {
            for x in ticks(3) { println(name + " got " + str(x) + " at " + str(clock())); }
        }
        async fn main() {
            let a = spawn(|| consumer("a"));
            sleep(1);
            let b = spawn(|| consumer("b"));
            await a;
            await b;
            let g = ticks(10);
            let t = spawn(|| { for x in g { if x == 1 { break; } } println("broke out at " + str(clock())); });
            await t;
        }
    """))
    assert out == lines("""
        a got 0 at 2
        b got 0 at 3
        a got 1 at 4
        b got 1 at 5
        a got 2 at 6
        b got 2 at 7
        broke out at 11
    """)


def test_cancelling_a_task_suspended_inside_a_generator_runs_both_finally_blocks(fx):
    out = fx(prog("""
        fn ticks() -> Gen[int] {
            let mut i = 0;
            try { loop { sleep(2); yield i; i += 1; } } finally { println("generator finally at " + str(clock())); }
        }
        async fn consumer() {
            try { for x in ticks() { println("got " + str(x)); } } finally { println("consumer finally"); }
        }
        async fn main() {
            let t = spawn(|| consumer());
            sleep(5);
            cancel_task(t);
            println("cancelled: " + str(is_cancelled(t)));
        }
    """))
    assert out == "got 0\ngot 1\ngenerator finally at 5\nconsumer finally\ncancelled: true\n"


def test_a_cleanup_that_blocks_forever_after_main_returned_is_a_deadlock(fx):
    out = fx(prog("""
        fn main() {
            let c: Chan[int] = chan();
            let r = try {
                run(|| {
                    spawn(|| { try { sleep(10); } finally { println("cleanup waits for a value"); println(recv(c)); } });
                    sleep(1);
                    println("main returns");
                });
                "no deadlock"
            } catch Deadlock(m) { "caught" };
            println(r);
        }
    """))
    assert out == lines("""
        main returns
        cleanup waits for a value
        caught
    """)


# ---- tasks performing effects handled around run ------------------------------------------------------

def test_tasks_perform_effects_handled_around_run(fx):
    # a task's effects are its spawn closure's latent effects: Log and a generic State[int] reach the
    # handlers around run; each suspension of the task still goes to the scheduler
    out = fx(prog("""
        effect Log { log(str) }
        effect State[T] { get() -> T, put(T) }
        async fn worker(name: str, n: int) -> int {
            let mut i = 0;
            while i < n {
                perform log(name + str(i));
                perform put(perform get() + 1);
                yield_now();
                i += 1;
            }
            n
        }
        fn main() {
            let mut count = 0;
            handle {
                handle {
                    run(|| {
                        let a = spawn(|| worker("a", 2));
                        let b = spawn(|| worker("b", 3));
                        perform log("main waits");
                        println(await a + await b);
                    });
                } with { log(s), k => { println("log " + s); k() } };
            } with { get(), k => k(count), put(v), k => { count = v; k() } };
            println(count);
        }
    """))
    assert out == lines("""
        log main waits
        log a0
        log b0
        log a1
        log b1
        log b2
        5
        5
    """)


def test_a_task_effect_without_a_handler_around_run_is_a_compile_error(tmp_path):
    r = run_program(prog("""
        effect Log { log(int) }
        async fn worker(n: int) -> int { perform log(n); n }
        fn main() { run(|| { let t = spawn(|| worker(3)); println(await t); }); }
    """), tmp_path)
    assert r.returncode != 0
    assert "'main' may perform effect Log that no handler handles (main -> run" in r.stderr
