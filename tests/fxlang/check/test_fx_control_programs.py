"""Every random control-feature program of the end-to-end generator (tests/e2e/control_programs.py:
generators, stackful yields, for/break, next/cancel, try/catch/finally, State/Emit handlers) passes the front
end, fully annotated: the checker accepts what the examples and the lowering are written against."""

from hypothesis import HealthCheck, given, settings

from fxlang.check import check, types as T
from fxlang.modules import load_source
from fxlang.syntax import ast

from tests.e2e.control_programs import programs, render_fx


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(programs())
def test_generated_control_programs_check(prog):
    src = render_fx(prog)
    c = check(load_source(src, "control.fx"))
    for f in c.functions:
        for n in ast.walk(f):
            if isinstance(n, ast.Expr):
                assert isinstance(n.ty, T.Type) and not T.has_vars(n.ty), src
            if isinstance(n, ast.For):
                assert n.elem == T.INT and (n.name == "_" or n.binding is not None), src
            if isinstance(n, ast.Break) and isinstance(n.loop, ast.For):
                assert n.leaves and n.leaves[-1] is n.loop, src
    assert c.main.effects == frozenset()
