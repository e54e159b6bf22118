"""Differential test: seeded random arithmetic/comparison expressions, evaluated by Python with fx's
semantics (64-bit wrap-around, division and remainder truncating toward zero, IEEE doubles printed like
repr) and by the compiled program on node (and on the VM when it is there)."""

import math
import random

import pytest

from .conftest import compile_source

MASK = (1 << 64) - 1


def wrap(n):
    n &= MASK
    return n - (1 << 64) if n >> 63 else n


class Skip(Exception):
    pass


def int_expr(rng, depth, env):
    if depth == 0 or rng.random() < 0.25:
        if rng.random() < 0.4:
            name = rng.choice(sorted(env))
            return name, env[name]
        v = rng.choice([0, 1, 2, 3, 7, 10, 255, 1000003, 2**31, 2**62, rng.randrange(-10**6, 10**6)])
        return (f"({v})" if v < 0 else str(v)), v
    op = rng.choice("+-*/%")
    ls, lv = int_expr(rng, depth - 1, env)
    rs, rv = int_expr(rng, depth - 1, env)
    if op == "+":
        v = wrap(lv + rv)
    elif op == "-":
        v = wrap(lv - rv)
    elif op == "*":
        v = wrap(lv * rv)
    else:
        if rv == 0 or (lv == -2**63 and rv == -1):
            raise Skip
        q = abs(lv) // abs(rv) * (1 if (lv < 0) == (rv < 0) else -1)
        v = wrap(q) if op == "/" else wrap(lv - q * rv)
    return f"({ls} {op} {rs})", v


def float_expr(rng, depth):
    if depth == 0 or rng.random() < 0.3:
        v = rng.choice([0.5, 1.0, 3.0, 0.1, 1e10, 2.5e-3, float(rng.randrange(-1000, 1000)) / 8])
        return (f"({v!r})" if v < 0 else repr(v)), v
    op = rng.choice("+-*/%")
    ls, lv = float_expr(rng, depth - 1)
    rs, rv = float_expr(rng, depth - 1)
    if op in "/%" and rv == 0.0:
        raise Skip
    if op == "+":
        v = lv + rv
    elif op == "-":
        v = lv - rv
    elif op == "*":
        v = lv * rv
    elif op == "/":
        v = lv / rv
    else:
        v = lv - rv * math.trunc(lv / rv) if math.isfinite(lv / rv) else math.nan
    if not math.isfinite(v):
        raise Skip
    return f"({ls} {op} {rs})", v


def program(seed):
    rng = random.Random(seed)
    env = {"a": rng.randrange(-100, 100), "b": rng.randrange(1, 50), "big": 9223372036854775807}
    lines = [f"let {k} = {v};" if v >= 0 else f"let {k} = 0 - {-v};" for k, v in env.items()]
    expected = []
    while len(expected) < 120:
        try:
            kind = rng.random()
            if kind < 0.55:
                s, v = int_expr(rng, 4, env)
                lines.append(f"println({s});")
                expected.append(str(v))
            elif kind < 0.85:
                s, v = float_expr(rng, 3)
                lines.append(f"println({s});")
                expected.append(repr(v))
            else:
                (ls, lv), (rs, rv) = int_expr(rng, 2, env), int_expr(rng, 2, env)
                op = rng.choice(["<", "<=", ">", ">=", "==", "!="])
                v = {"<": lv < rv, "<=": lv <= rv, ">": lv > rv, ">=": lv >= rv, "==": lv == rv,
                     "!=": lv != rv}[op]
                lines.append(f"println({ls} {op} {rs});")
                expected.append("true" if v else "false")
        except Skip:
            continue
    src = "fn main() {\n    " + "\n    ".join(lines) + "\n}\n"
    return src, "".join(e + "\n" for e in expected)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_expressions_on_node(run, seed):
    src, expected = program(seed)
    assert run(src) == expected


def test_random_expressions_on_vm(tmp_path):
    vm = pytest.importorskip("vm")
    if not hasattr(vm, "instantiate"):
        pytest.skip("vm.instantiate is not there yet")
    from tests.fxlang.codegen.conftest import run_vm_wasi
    src, expected = program(4)
    out, err, status = run_vm_wasi(compile_source(src, tmp_path / "prog.fx"))
    assert status == 0, err
    assert out.decode() == expected
