"""Runtime errors come from Wasm itself: array bounds, integer division, float-to-int conversion.
Output written before the trap stays (docs/host.md).  Messages are in the spec's words on V8 too
(wasi_run.mjs translates V8's), placed in the source (tests/e2e/test_runtime_errors.py checks places)."""

import pytest


@pytest.mark.parametrize("body, trap", [
    ("let xs = [1, 2, 3]; println(xs[3]);", "out of bounds array access"),
    ("let xs = [1, 2, 3]; println(xs[-1]);", "out of bounds array access"),
    # capacity is 4 after the first push, but index 2 is past len
    ("let xs: [int] = []; push(xs, 1); push(xs, 2); println(xs[2]);", "out of bounds array access"),
    ("let xs = [1]; xs[1] = 5;", "out of bounds array access"),
    ("let xs = [1]; pop(xs); pop(xs);", "out of bounds array access"),
    ("let z = 0; println(10 / z);", "integer divide by zero"),
    ("let z = 0; println(10 % z);", "integer divide by zero"),
    ("let m = -9223372036854775807 - 1; println(m / -1);", "integer overflow"),
    ("let nan = 0.0 / 0.0; println(int(nan));", "invalid conversion to integer"),
])
def test_trap(run_trap, body, trap):
    out, err = run_trap('fn main() { println("before"); ' + body + ' println("after"); }')
    assert out == "before\n"
    assert err.startswith(f"fxc: trap: {trap} at ") and "/prog.fx:1:" in err


def test_deep_recursion_is_stack_exhaustion_not_a_crash(run_trap):
    out, err = run_trap("fn down(n: int) -> int { down(n + 1) + 1 }\nfn main() { println(down(0)); }")
    assert out == ""
    assert "fxc:" in err
