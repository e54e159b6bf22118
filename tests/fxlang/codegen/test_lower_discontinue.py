"""discontinue(k) and panic(msg), end to end on our VM and on V8 (node 26): the cancelled code's finally blocks
run, `catch _` does not catch the cancellation, suspensions during the cleanup go to the same clauses, the
one-shot rule covers discontinue, and panics stop the program with their message (docs/language.md)."""

from __future__ import annotations

from textwrap import dedent

import pytest

from tests.fxlang.codegen.conftest import trap_message
from tests.stdlib.conftest import run_program
from tests.e2e.conftest import node  # noqa: F401  (fixture)


@pytest.fixture(params=("vm", "node"))
def engine(request):
    if request.param == "node":
        request.getfixturevalue("node")
    return request.param


def run(src, tmp_path, engine):
    return run_program(dedent(src), tmp_path, engine)


def ok(src, tmp_path, engine) -> str:
    r = run(src, tmp_path, engine)
    assert r.returncode == 0 and r.stderr == "", f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    return r.stdout


def trap(src, tmp_path, engine) -> tuple[str, str]:
    """(stdout, the report's `fxc: trap: <message>` without its place: tests/e2e/test_runtime_errors.py checks
    places) of a run that must stop with a trap."""
    r = run(src, tmp_path, engine)
    assert r.returncode == 1, f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    assert "/prog.fx:" in r.stderr, r.stderr              # placed in the source
    return r.stdout, "fxc: trap: " + trap_message(r.stderr.encode())


def test_finally_blocks_run_innermost_first_and_the_rest_is_skipped(tmp_path, engine):
    out = ok("""
        effect E { op(int) -> int }
        fn inner() -> int {
            try { let x = perform E::op(1); println("skipped " + str(x)); x } finally { println("inner finally") }
        }
        fn outer() -> int {
            try { let y = inner(); println("skipped too"); y } finally { println("outer finally") }
        }
        fn main() {
            let saved: [fn(int) -> int] = [];
            let r = handle { outer() } with { E::op(v), k => { push(saved, k); v + 100 } };
            println(r);
            discontinue(pop(saved));
            println("after");
        }
    """, tmp_path, engine)
    assert out == "101\ninner finally\nouter finally\nafter\n"


def test_catch_all_does_not_catch_cancellation(tmp_path, engine):
    out = ok("""
        effect E { op() }
        exception Oops
        fn body() {
            try {
                try { perform E::op(); } catch _ { println("caught by catch _"); }
                println("not reached");
            } finally { println("cleanup"); }
        }
        fn main() {
            let saved: [fn(unit) -> unit] = [];
            handle { body() } with { E::op(), k => push(saved, k) };
            discontinue(saved[0]);
            try { throw Oops } catch _ { println("an exception is still caught"); }
        }
    """, tmp_path, engine)
    assert out == "cleanup\nan exception is still caught\n"


def test_discontinue_from_inside_the_clause(tmp_path, engine):
    out = ok("""
        effect Ask { ask(str) -> int }
        fn body() -> int {
            try { perform Ask::ask("a") + perform Ask::ask("b") } finally { println("body cleanup") }
        }
        fn main() {
            let r = handle { body() } with {
                Ask::ask(q), k => if q == "b" { discontinue(k); -1 } else { k(1) },
            };
            println(r);
        }
    """, tmp_path, engine)
    assert out == "body cleanup\n-1\n"


def test_cleanup_that_suspends_goes_to_the_same_clauses(tmp_path, engine):
    out = ok("""
        effect E { op(int) -> int }
        fn body() {
            try { perform E::op(1); println("not reached"); }
            finally { let y = perform E::op(2); println("cleanup got " + str(y)); }
        }
        fn main() {
            let saved: [fn(int) -> unit] = [];
            handle { body(); println("body not finished") } with {
                E::op(v), k => { println("op " + str(v)); push(saved, k); },
            };
            discontinue(pop(saved));
            println("suspended in cleanup: " + str(len(saved)));
            let k2 = pop(saved);
            k2(5);
            println("end");
        }
    """, tmp_path, engine)
    assert out == "op 1\nop 2\nsuspended in cleanup: 1\ncleanup got 5\nend\n"


def test_cleanup_suspending_again_can_be_discontinued_too(tmp_path, engine):
    out = ok("""
        effect E { op(int) -> int }
        fn body() {
            try { perform E::op(1); }
            finally { try { perform E::op(2); println("not reached"); } finally { println("inner cleanup"); } }
        }
        fn main() {
            let saved: [fn(int) -> unit] = [];
            handle { body() } with { E::op(v), k => push(saved, k) };
            discontinue(pop(saved));
            discontinue(pop(saved));
            println("end " + str(len(saved)));
        }
    """, tmp_path, engine)
    assert out == "inner cleanup\nend 0\n"


def test_nested_handlers_only_the_inner_body_is_cancelled(tmp_path, engine):
    out = ok("""
        effect In { get() -> int }
        effect Out { log(str) }
        fn main() {
            let saved: [fn(int) -> int] = [];
            handle {
                let r = handle {
                    try { perform In::get() } finally { perform Out::log("inner cleanup logs"); }
                } with { In::get(), k => { push(saved, k); 5 } };
                discontinue(pop(saved));
                perform Out::log("outer body goes on with " + str(r));
            } with { Out::log(s), k => { println(s); k(()) } };
        }
    """, tmp_path, engine)
    assert out == "inner cleanup logs\nouter body goes on with 5\n"


def test_generator_loop_in_the_cancelled_body(tmp_path, engine):
    out = ok("""
        effect E { op(int) }
        fn nums() -> Gen[int] {
            try { let mut i = 0; loop { yield i; i += 1; } } finally { println("generator finally"); }
        }
        fn main() {
            let saved: [fn(unit) -> unit] = [];
            handle {
                try { for x in nums() { perform E::op(x); } } finally { println("body finally"); }
            } with { E::op(x), k => if x < 2 { k(()) } else { push(saved, k) } };
            discontinue(saved[0]);
            println("end");
        }
    """, tmp_path, engine)
    # the cancellation passes through the for loop like any exception: the loop cancels its generator on
    # the way (innermost first), then the body's finally runs
    assert out == "generator finally\nbody finally\nend\n"


def test_one_shot_covers_discontinue(tmp_path, engine):
    src = """
        effect E { op(int) -> int }
        fn main() {
            let saved: [fn(int) -> int] = [];
            handle { perform E::op(1) } with { E::op(v), k => { push(saved, k); 0 } };
            let k = saved[0];
            %s
        }
    """
    _, err = trap(src % "discontinue(k); println(k(1));", tmp_path, engine)
    assert err == "fxc: trap: continuation of effect E resumed twice"
    _, err = trap(src % "println(k(1)); discontinue(k);", tmp_path, engine)
    assert err == "fxc: trap: continuation of effect E discontinued after it was used"
    _, err = trap(src % "discontinue(k); discontinue(k);", tmp_path, engine)
    assert err == "fxc: trap: continuation of effect E discontinued after it was used"


def test_not_a_continuation(tmp_path, engine):
    _, err = trap("""
        fn inc(x: int) -> int { x + 1 }
        fn main() { let f = |x: int| x + 1; println(f(1)); discontinue(inc); }
    """, tmp_path, engine)
    assert err == "fxc: trap: discontinue of a function that is not a continuation"


def test_valued_handler_resumed_at_the_end_of_a_cleanup_panics(tmp_path, engine):
    out, err = trap("""
        effect E { op(int) -> int }
        fn main() {
            let saved: [fn(int) -> int] = [];
            let r = handle { try { perform E::op(1) } finally { perform E::op(2); } } with {
                E::op(v), k => { push(saved, k); v }
            };
            discontinue(pop(saved));
            println("resuming the cleanup");
            println(pop(saved)(0));
        }
    """, tmp_path, engine)
    assert out == "resuming the cleanup\n"
    assert err == ("fxc: trap: a discontinued continuation of effect E ended its cleanup in a resume that "
                   "wants a value")


def test_panic_stops_with_its_message(tmp_path, engine):
    out, err = trap("""
        fn check(n: int) -> int { if n > 2 { panic("too big: " + str(n)) } else { n } }
        fn main() { println(check(1)); println(check(7)); println("not reached"); }
    """, tmp_path, engine)
    assert out == "1\n" and err == "fxc: trap: too big: 7"


def test_panic_is_not_an_exception(tmp_path, engine):
    out, err = trap("""
        fn main() {
            try { panic("π is not caught") } catch _ { println("caught") } finally { println("finally") }
        }
    """, tmp_path, engine)
    assert out == "" and err == "fxc: trap: π is not caught"


def test_panic_message_longer_than_the_scratch_area_is_cut(tmp_path, engine):
    out, err = trap("""
        fn main() { let mut s = ""; let mut i = 0; while i < 5000 { s = s + "x"; i += 1; } panic(s); }
    """, tmp_path, engine)
    assert err == "fxc: trap: " + "x" * 4096


def test_a_user_function_named_panic_wins(tmp_path, engine):
    out = ok("""
        fn panic(s: str) -> int { println("mine: " + s); 0 }
        fn main() { panic("hi"); }
    """, tmp_path, engine)
    assert out == "mine: hi\n"


def test_panic_has_type_never_and_works_in_generic_code(tmp_path, engine):
    out, err = trap("""
        fn must[T](o: Option[T], what: str) -> T { match o { Some(v) => v, None => panic("no " + what) } }
        fn main() {
            let n: int = if len("ab") == 2 { must(Some(4), "int") } else { panic("unreachable") };
            println(n + 1);
            println(must(Some("s"), "str"));
            let m: str = must(None, "value");
            println(m);
        }
    """, tmp_path, engine)
    assert out == "5\ns\n" and err == "fxc: trap: no value"


def test_discontinue_in_generic_code_with_a_valued_answer(tmp_path, engine):
    out = ok("""
        effect Need { need(str) -> str }
        fn stop_all[T](ks: [fn(T) -> unit]) { while len(ks) > 0 { discontinue(pop(ks)); } }
        fn main() {
            let ks: [fn(str) -> unit] = [];
            let mut i = 0;
            while i < 3 {
                let me = i;
                handle {
                    try { println(perform need("x") + str(me)); } finally { println("cleanup " + str(me)); }
                } with { need(q), k => push(ks, k) };
                i += 1;
            }
            stop_all(ks);
            println("all stopped");
        }
    """, tmp_path, engine)
    assert out == "cleanup 2\ncleanup 1\ncleanup 0\nall stopped\n"
