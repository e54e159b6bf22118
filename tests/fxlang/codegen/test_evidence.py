"""`--evidence` (fxlang/codegen/control/evidence.py): which handlers run without continuations, and that the
programs print the same as without it, on our VM (targets fx and asyncify) and V8.

Each case gives the expected output and how many handles / performs the plan compiles with evidence; the
whole-program rule (an effect uses evidence only when every handler of it qualifies) is what most cases probe.
"""
from __future__ import annotations

import pytest

from fxlang import driver
from tests.conftest import require_node
from tests.fxlang.codegen.conftest import run_vm_wasi
from tests.e2e.test_control_differential import run_on_node

CASES = {
    # reader and state handlers in tail form, performs in called functions: both effects use evidence
    "reader_and_state": ("""
effect Ask { ask() -> int }
effect State { get() -> int, put(int) }
fn asker(n: int) -> int { let mut t = 0; let mut i = 0; while i < n { t += perform ask(); i += 1; } t }
fn count(n: int) { while perform get() < n { perform put(perform get() + 1); } }
fn main() {
    println(handle { asker(1000) } with { ask(), k => k(3) });
    let mut s = 0;
    let r = handle { count(50); perform get() * 2 } with { get(), k => k(s), put(v), k => { s = v; k(()) } };
    println(r);
    println(s);
}""", "3000\n100\n50\n", (2, 5)),
    # nested handlers of one effect: the innermost answers; an exception leaving the inner one restores the outer
    "nesting_and_exceptions": ("""
effect Ask { ask() -> int }
exception Out(int)
fn twice() -> int { perform ask() + perform ask() }
fn main() {
    let r = handle {
        let a = twice();
        let b = handle { twice() } with { ask(), k => k(100) };
        let c = try { handle { throw Out(perform ask()) } with { ask(), k => k(7) } } catch Out(n) { n * 1000 };
        let d = twice();
        a + b + c + d
    } with { ask(), k => k(1) };
    println(r);
}""", "7204\n", (3, 3)),
    # a second handler of Ask that is not in tail form: Ask keeps its continuations everywhere
    "one_general_handler_spoils_the_effect": ("""
effect Ask { ask() -> int }
fn main() {
    println(handle { perform ask() + perform ask() } with { ask(), k => k(1) });
    println(handle { perform ask() * 10 } with { ask(), k => k(2) + 1 });
}""", "2\n21\n", (0, 0)),
    # the body may perform another effect handled outside: it could suspend past the handle
    "an_escaping_body_keeps_continuations": ("""
effect Ask { ask() -> int }
effect Log { log(int) }
fn main() {
    let r = handle {
        handle { perform log(perform ask()); perform ask() } with { ask(), k => k(5) }
    } with { log(n), k => { println(n); k(()) } };
    println(r);
}""", "5\n5\n", (1, 1)),
    # a clause that calls a function might perform or throw from the perform site: not evidence
    "a_clause_calling_a_function_keeps_continuations": ("""
effect Ask { ask() -> int }
fn seven() -> int { 7 }
fn main() { println(handle { perform ask() + 1 } with { ask(), k => k(seven()) }); }
""", "8\n", (0, 0)),
    # generators and tasks inside an evidence body; a generator leaving the body performs under a later handler
    "generators_and_tasks": ("""
import std.async;
effect Ask { ask() -> int }
fn nums(n: int) -> Gen[int] { let mut i = 0; while i < n { yield i * perform ask(); i += 1; } }
fn main() {
    let total = handle {
        let mut t = 0;
        for x in nums(4) { t += x; }
        run(|| {
            let a = spawn(|| { yield_now(); perform ask() });
            let b = spawn(|| perform ask() * 2);
            t += await a + await b;
        });
        t
    } with { ask(), k => k(10) };
    println(total);
    let g = handle { nums(3) } with { ask(), k => k(1000) };
    let s = handle { let mut s = 0; for x in g { s += x; } s } with { ask(), k => k(1) };
    println(s);
}""", "90\n3\n", (3, 3)),
}


def build(src, tmp_path, target="fx", evidence=True):
    return driver.compile_source(src, tmp_path / "prog.fx", target=target, evidence=evidence)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_plan_and_the_output_on_the_vm(name, tmp_path):
    src, expected, (handles, performs) = CASES[name]
    plain = build(src, tmp_path, evidence=False)
    compiled = build(src, tmp_path)
    assert compiled.codegen == {"evidence handles": handles, "evidence performs": performs}
    for data in (plain.wasm, compiled.wasm, build(src, tmp_path, "asyncify").wasm):
        out, err, status = run_vm_wasi(data)
        assert (out.decode(), err.decode(), status) == (expected, "", 0)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_output_on_v8(name, tmp_path):
    require_node()
    src, expected, _ = CASES[name]
    assert run_on_node(build(src, tmp_path, "standard").wasm, tmp_path) == (expected, "")


def test_no_continuation_is_left_when_every_handler_qualifies(tmp_path):
    """The reader/state program's binary needs no stack switching at all (wasm-tools' default features)."""
    from fxlang.wasm.stats import instruction_counts
    counts = instruction_counts(build(CASES["reader_and_state"][0], tmp_path).wasm)
    assert not {op for op in counts if op in ("suspend", "resume", "cont.new", "cont.bind", "switch")}
