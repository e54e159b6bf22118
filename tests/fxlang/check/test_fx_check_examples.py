"""Every example program and every standard-library module passes the front end, and checking is
deterministic: the same program gives the same annotations twice."""

import os

import pytest

from fxlang.check import check
from fxlang.modules import STDLIB_DIR, load_program, load_source
from fxlang.syntax import ast

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
EXAMPLES = sorted(os.path.join(ROOT, "examples", f) for f in os.listdir(os.path.join(ROOT, "examples"))
                  if f.endswith(".fx")) if os.path.isdir(os.path.join(ROOT, "examples")) else []
STDLIB = sorted(f[:-3] for f in os.listdir(STDLIB_DIR) if f.endswith(".fx")) if os.path.isdir(STDLIB_DIR) else []


@pytest.mark.parametrize("path", EXAMPLES, ids=os.path.basename)
def test_example_checks(path):
    c = check(load_program(path))
    assert c.main.name == "main"
    for f in c.functions:
        for n in ast.walk(f):
            if isinstance(n, ast.Call):
                assert n.kind in (ast.CALL_FN, ast.CALL_CLOSURE, ast.CALL_BUILTIN, ast.CALL_VARIANT, ast.CALL_RESUME)
            if isinstance(n, ast.Name) and n.binding is None and n.variant is None:
                assert any(isinstance(c, ast.Call) and c.callee is n and c.kind == ast.CALL_BUILTIN
                           for c in ast.walk(f))
            if isinstance(n, ast.Expr):
                assert "<error>" not in str(n.ty)


@pytest.mark.parametrize("name", STDLIB)
def test_stdlib_module_checks(name, tmp_path):
    main = tmp_path / "main.fx"
    c = check(load_source(f"import std.{name};\nfn main() {{}}\n", str(main)))
    assert any(m.name == f"std.{name}" for m in c.program.modules)


def test_checking_twice_gives_the_same_types():
    if not EXAMPLES:
        pytest.skip("no examples")
    first = check(load_program(EXAMPLES[0]))
    second = check(load_program(EXAMPLES[0]))
    types1 = [str(n.ty) for f in first.functions for n in ast.walk(f) if isinstance(n, ast.Expr)]
    types2 = [str(n.ty) for f in second.functions for n in ast.walk(f) if isinstance(n, ast.Expr)]
    assert types1 == types2
