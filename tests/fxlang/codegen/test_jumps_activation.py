"""A jump out of a handler belongs to the *activation* of the `handle` that created its clause, not to the
source site (fxlang/codegen/control/jumps.py, mark_activations): a saved `k` resumed while the same `handle` runs again
must not make the newer activation jump.  On our VM (both targets) and on node 26."""

from __future__ import annotations

from fxlang.check import check
from fxlang.codegen.control.jumps import escaping_jumps, mark_activations
from fxlang.modules import load_source
from fxlang.syntax import ast

from .conftest import compile_source, run_vm

PANIC = "break, continue or return out of a handler that has already finished"


def same_everywhere(run, tmp_path, src):
    out = run(src)                                   # target fx on node (validated by wasm-tools first)
    for target in ("fx", "standard"):
        assert run_vm(compile_source(src, tmp_path / f"{target}.fx", target=target)) == (out, 0), target
    return out


def panics_everywhere(run_trap, tmp_path, src):
    out, err = run_trap(src)
    assert PANIC in err, err
    for target in ("fx", "standard"):
        assert run_vm(compile_source(src, tmp_path / f"{target}.fx", target=target)) == (out, 1), target
    return out


# f(n) recurses from its Ask clause; the innermost activation resumes the outermost one's k, whose body then
# performs Stop: the outermost clause's jump must unwind through every newer activation of the same handle
RECURSION = """
effect Ask { ask() -> int }
effect Stop { stop(int) }
fn f(depth: int, saved: [fn(int) -> int]) -> int {
    let v = loop {
        let r = handle {
            if depth == 0 {
                println("inner resumes the outer k");
                let got = saved[0](5);
                println("inner got " + str(got));
                0
            } else {
                let x = perform Ask::ask();
                perform Stop::stop(x);
                1
            }
        } with {
            Ask::ask(), k => {
                push(saved, k);
                let v = f(depth - 1, saved);
                println("clause of " + str(depth) + " after inner: " + str(v));
                v
            },
            Stop::stop(x), k => { JUMP depth * 100 + x; },
        };
        println("handle of " + str(depth) + " gave " + str(r));
        break r;
    };
    println("loop of " + str(depth) + " left with " + str(v));
    v
}
fn main() { println(f(3, [])); }
"""


def test_return_from_an_outer_activations_clause_resumed_by_an_inner_one(run, tmp_path):
    out = same_everywhere(run, tmp_path, RECURSION.replace("JUMP", "return"))
    assert out == "inner resumes the outer k\n305\n"


def test_break_from_an_outer_activations_clause_resumed_by_an_inner_one(run, tmp_path):
    out = same_everywhere(run, tmp_path, RECURSION.replace("JUMP", "break"))
    assert out == "inner resumes the outer k\nloop of 3 left with 305\n305\n"


def test_an_inner_activation_still_makes_its_own_jumps(run, tmp_path):
    # each activation's Stop clause breaks its own loop while older activations are live below it
    src = """
    effect Stop { stop(int) }
    fn f(depth: int) -> int {
        let v = loop {
            handle {
                let below = if depth > 0 { f(depth - 1) } else { 0 };
                perform Stop::stop(below + depth);
            } with { Stop::stop(x), k => { break x * 2; } };
        };
        println("depth " + str(depth) + ": " + str(v));
        v
    }
    fn main() { println(f(2)); }"""
    assert same_everywhere(run, tmp_path, src) == "depth 0: 0\ndepth 1: 2\ndepth 2: 8\n8\n"


# the second turn of the loop runs the same handle again and resumes the first turn's k: its `break`
# belongs to the finished first activation, so nothing may catch it
LOOP = """
effect Ask { ask() -> int }
fn main() {
    let mut saved: [fn(int) -> int] = [];
    let mut i = 0;
    while i < 3 {
        i += 1;
        let r = handle {
            if i == 1 { let x = perform Ask::ask(); if x > 5 { JUMP; } x } else { saved[0](10) }
        } with { Ask::ask(), k => { push(saved, k); 0 } };
        println(r);
    }
    println("after loop");
}
"""


def test_break_of_a_finished_activation_resumed_by_the_next_turn_of_the_loop_panics(run_trap, tmp_path):
    assert panics_everywhere(run_trap, tmp_path, LOOP.replace("JUMP", "break")) == "0\n"


def test_continue_of_a_finished_activation_resumed_by_the_next_turn_of_the_loop_panics(run_trap, tmp_path):
    assert panics_everywhere(run_trap, tmp_path, LOOP.replace("JUMP", "continue")) == "0\n"


def test_return_of_a_finished_activation_resumed_by_a_new_call_panics(run_trap, tmp_path):
    # the first call's handle finished with k saved; the second call runs the same handle in a new frame
    src = """
    effect Ask { ask() -> int }
    fn f(first: bool, saved: [fn(int) -> int]) -> int {
        handle {
            if first { let x = perform Ask::ask(); if x > 5 { return x; } x } else { saved[0](10) + 1 }
        } with { Ask::ask(), k => { push(saved, k); 0 } }
    }
    fn main() {
        let saved: [fn(int) -> int] = [];
        println(f(true, saved));
        println("second call");
        println(f(false, saved));
    }"""
    assert panics_everywhere(run_trap, tmp_path, src) == "0\nsecond call\n"


def test_each_jump_is_marked_with_the_outermost_handle_it_leaves(tmp_path):
    src = """
    effect Ask { ask() -> int }
    fn main() {
        loop {
            handle {
                handle { if perform ask() > 0 { break; } } with { ask(), k => { if true { return; } k(1) } };
            } with { ask(), k => k(1) };
        }
    }"""
    program = load_source(src, str(tmp_path / "p.fx"))
    check(program)
    outer, inner = [n for item in program.main.items for n in ast.walk(item) if isinstance(n, ast.Handle)]
    escapes = {h: escaping_jumps(h) for h in (outer, inner)}
    mark_activations(escapes)
    assert getattr(inner, "activation", None) is None
    assert outer.activation is not None and not outer.activation.mutable
    assert sorted(type(j).__name__ for j in escapes[outer]) == ["Break", "Return"]
    assert all(j.activation is outer.activation for j in escapes[outer])
