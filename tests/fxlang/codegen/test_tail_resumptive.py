"""Tail-resumptive handler clauses run in constant stack (codegen/control/handlers.py, handle.drive and
handle.tr; effects.tail_resumptive decides which clauses are).  Long loops of operations on our VM and on V8;
which clauses qualify; and the same output with the optimisation off (FX_TAIL_RESUME=0) on programs where
the clauses do more than resume: state, outer effects, discontinue, exceptions, generators."""

from __future__ import annotations

import re

import pytest

from fxlang.codegen.control.effects import tail_resumptive
from fxlang.wasm.wat import disassemble
from tests.fxlang.codegen.conftest import _run_node, compile_source, run_vm_with_message, validate

ASK = """
effect Ask { ask() -> int }
fn main() {
    let r = handle { let mut i = 0; let mut t = 0;
                     while i < N { t += perform ask(); i += 1; } t }
            with { ask(), k => k(1) };
    println(r);
}
"""

STATE = """
effect State { get() -> int, put(int) }
fn main() {
    let mut s = 0;
    let r = handle {
        let mut i = 0;
        while i < N { perform put(perform get() + i % 3); i += 1; }
        perform get()
    } with {
        get(), k => k(s),
        put(v), k => { s = v; k(()) },
        return x => x * 2,
    };
    println(r);
}
"""


def _both(src, tmp_path):
    """stdout on our VM (target fx) and on V8 (target standard)."""
    vm_out, status, msg = run_vm_with_message(compile_source(src, tmp_path / "prog.fx", "fx"))
    assert status == 0, msg
    data = compile_source(src, tmp_path / "prog.fx", "standard")
    validate(data, tmp_path / "prog.wasm")
    r = _run_node(tmp_path / "prog.wasm")
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    return vm_out, r.stdout.decode()


@pytest.mark.parametrize("src, want", [
    (ASK.replace("N", "100000"), "100000\n"),
    (STATE.replace("N", "100000"), f"{2 * sum(i % 3 for i in range(100000))}\n"),
])
def test_100000_operations_in_constant_stack(src, want, tmp_path):
    # before: "call stack exhausted" after about 25,000 operations on both engines
    assert _both(src, tmp_path) == (want, want)


def _clauses(src, tmp_path):
    """The names of the handle.tr.<op> functions of the compiled program (one per tail-resumptive op)."""
    wat = disassemble(compile_source(src, tmp_path / "prog.fx", "fx"))
    return sorted(set(re.findall(r"\(func \$handle\.tr\.(\S+) ", wat)))


@pytest.mark.parametrize("clause, tail", [
    ("op(x), k => k(x + 1)", True),
    ("op(x), k => resume(x)", True),
    ("op(x), k => { println(x); k(x) }", True),
    ("op(x), k => if x > 0 { k(x) } else { let y = -x; k(y) }", True),
    ("op(x), k => match x { 0 => k(1), n => k(n) }", True),
    ("op(x), k => k(x) + 1", False),                          # k's result is used
    ("op(x), k => { let r = k(x); r }", False),
    ("op(x), k => if x > 0 { k(x) } else { 0 }", False),      # one way out does not resume
    ("op(x), k => { push(saved, k); 0 }", False),
    ("op(x), k => { push(saved, k); k(x) }", False),         # k escapes: a later call must trap
    ("op(x), k => k(k(x))", False),
])
def test_which_clauses_are_tail_resumptive(clause, tail, tmp_path):
    src = f"""
effect E {{ op(int) -> int }}
let saved: [fn(int) -> int] = [];
fn main() {{ println(handle {{ perform op(3) + perform op(-2) }} with {{ {clause} }}); }}
"""
    assert _clauses(src, tmp_path) == (["E.op"] if tail else [])


# Programs whose clauses resume in tail position but do more: each must print the same with and without the
# optimisation (on the VM), and the same on V8.
PROGRAMS = [
    # clauses performing an outer effect before resuming; the outer handler is tail-resumptive too
    """
effect Log { log(str) }
effect Ask { ask(int) -> int }
fn main() {
    handle {
        let r = handle { perform ask(1) + perform ask(2) } with {
            ask(n), k => { perform log("ask " + str(n)); k(n * 10) },
        };
        println(r);
    } with { log(s), k => { println(s); k() } };
}
""",
    # an exception thrown by the body through the handler, and one thrown by a clause
    """
effect Ask { ask(int) -> int }
exception Bad(int)
fn main() {
    let a = try { handle { perform ask(1) + perform ask(5) } with {
        ask(n), k => { if n > 3 { throw Bad(n); } k(n) } } } catch Bad(n) { -n };
    println(a);
    let b = try { handle { let x = perform ask(2); if x == 2 { throw Bad(7); } x } with { ask(n), k => k(n) } }
            catch Bad(n) { n * 100 };
    println(b);
}
""",
    # discontinue: the cleanup performs an operation whose clause is tail-resumptive
    """
effect Ask { ask() -> int, stop() }
fn main() {
    let saved: [fn(unit) -> unit] = [];
    handle {
        try { perform stop(); println("not reached"); }
        finally { println("cleanup got " + str(perform ask())); }
    } with { ask(), k => k(42), stop(), k => push(saved, k) };
    discontinue(pop(saved));
    println("done");
}
""",
    # a generator driven inside a tail-resumptive handler, and a handler inside a generator
    """
effect Ask { ask() -> int }
fn nat() -> Gen[int] { let mut i = 0; loop { yield i + perform ask(); i += 1; } }
fn main() {
    let t = handle {
        let mut s = 0;
        for x in nat() { if x > 20 { break; } s += x; }
        s
    } with { ask(), k => k(10) };
    println(t);
}
""",
    # mixed: one clause tail-resumptive, one not, in one handler
    """
effect Counter { tick() -> int, total() -> int }
fn main() {
    let mut n = 0;
    let r = handle {
        let mut i = 0;
        while i < 1000 { perform tick(); i += 1; }
        perform total()
    } with {
        tick(), k => { n += 1; k(n) },
        total(), k => { let r = k(n); r + 1 },
    };
    println(r);
}
""",
]


@pytest.mark.parametrize("src", PROGRAMS)
def test_same_output_with_and_without_the_optimisation(src, tmp_path, monkeypatch):
    with_tr = _both(src, tmp_path)
    monkeypatch.setenv("FX_TAIL_RESUME", "0")
    out, status, msg = run_vm_with_message(compile_source(src, tmp_path / "prog.fx", "fx"))
    assert status == 0, msg
    assert with_tr == (out, out)


def test_the_detector_leaves_a_clause_without_k_alone():
    from fxlang.syntax import ast
    clause = ast.HandlerClause(None, "op", [], ast.Param("k", None, None), ast.IntLit(1, None), None)   # k unbound
    assert tail_resumptive(clause, None) is None
