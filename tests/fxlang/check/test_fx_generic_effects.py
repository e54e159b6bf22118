"""Generic effects in the checker: what codegen sees (canonical instances, one per type argument tuple) and how
a perform's type arguments are inferred."""

import pytest

from fxlang.check import check
from fxlang.diagnostics import FxError
from fxlang.modules import load_source
from fxlang.syntax import ast

HEADER = """
effect State[T] { get() -> T, put(T) }
fn run_state[T, R](init: T, body: fn() -> R / {State[T] | e}) -> R {
    let mut s = init;
    handle { body() } with { get(), k => k(s), put(v), k => { s = v; k() } }
}
"""


def checked(src):
    return check(load_source(HEADER + src, "main.fx"))


def performs(c):
    out = []
    for f in c.functions:
        out += [n for n in ast.walk(f) if isinstance(n, ast.Perform)]
    return out


def test_codegen_sees_canonical_instances_only():
    c = checked("""
fn main() {
    println(run_state(1, || { perform put(perform get() + 1); perform get() }));
    println(run_state("a", || -> str { perform get() }));
}
""")
    names = sorted(e.name for e in c.effects)
    assert names == ["State[int]", "State[str]"]
    by_name = {e.name: e for e in c.effects}
    for p in performs(c):
        assert p.op.effect is by_name[p.op.effect.name]          # one object per instance
        assert p.op.effect.canon is None
    for f in c.functions:
        for h in (n for n in ast.walk(f) if isinstance(n, ast.Handle)):
            assert all(e is by_name[e.name] for e in h.handled)
    ops = {(e.name, o.name): (tuple(map(str, o.params)), str(o.result)) for e in c.effects for o in e.ops}
    assert ops[("State[str]", "get")] == ((), "str")
    assert ops[("State[int]", "put")] == (("int",), "unit")


@pytest.mark.parametrize("where", [
    # from the handler around it (the clauses fix T = float)
    "let r = handle { perform put(perform get()); perform get() } with "
    "{ get(), k => k(1.5), put(v), k => k() }; println(r);",
    # from the open row of the generic handler's parameter
    "println(run_state(2.5, || { perform put(perform get()); perform get() }));",
])
def test_open_performs_take_their_arguments_from_the_context(where):
    c = checked("fn main() { " + where + " }")
    assert {p.op.effect.name for p in performs(c) if p.op.effect.generic} == {"State[float]"}


def test_declared_effects_fix_the_arguments():
    c = checked("""
fn swap() / {State[str]} { perform put(perform get()); }
fn main() { run_state("x", swap); }
""")
    swap = next(f for f in c.functions if f.name == "swap")
    assert {n.op.effect.name for n in ast.walk(swap) if isinstance(n, ast.Perform)} == {"State[str]"}


def test_a_generic_handler_passes_other_effects_on():
    # run_state[str] handles State[str]; the lambda's State[int] goes to the handler around the call
    checked("""
fn main() {
    let n = handle { run_state("", || { perform put(perform get() + "a"); perform put(perform get() + 1); 0 }) }
            with { get(), k => k(1), put(v), k => { println(v); k() } };
    println(n);
}
""")
    with pytest.raises(FxError, match="'main' may perform effect State\\[int\\]"):
        checked("""
fn main() { run_state("", || { perform put(perform get() + 1); 0 }); }
""")
