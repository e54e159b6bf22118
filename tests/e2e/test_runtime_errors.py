"""Runtime errors name fx source lines, in the same words on every engine and target (docs/host.md, "Traps").

Each program below stops with a trap, a panic or an uncaught exception; its report (standard error) is
given inline and must come out exactly so on our VM, on V8 (node) and on wasmtime, for target fx and for
target asyncify (the lowered binary keeps the source map: passes move locations with the instructions).
wasmtime 49 refuses WasmFX binaries keeping continuations in GC objects: those runs are skipped by name
below, as the lowered binaries of the same programs run there.
"""
from __future__ import annotations

import pytest

from tests.e2e.conftest import node_path
from tests.e2e.test_cli import fxc, no_traceback
from tests.e2e.test_cli_wasi import wasmtime_available

CASES = {
    "divide_by_zero": ("""
fn mean(xs: [int]) -> int {
    let mut s = 0;
    for x in xs { s += x; }
    s / len(xs)
}
fn main() {
    println(mean([1, 2, 3]));
    let none: [int] = [];
    println(mean(none));
}
""", "2\n", """\
fxc: trap: integer divide by zero at prog.fx:5:5 (in fn mean)
  called from prog.fx:10:13 (in fn main)
"""),
    "index_out_of_bounds": ("""
fn third(xs: [int]) -> int { xs[2] }
fn main() {
    let xs = [1, 2];
    let f = |ys: [int]| third(ys) + 1;
    println(f(xs));
}
""", "", """\
fxc: trap: out of bounds array access at prog.fx:2:30 (in fn third)
  called from prog.fx:5:25 (in lambda in fn main)
  called from prog.fx:6:13 (in fn main)
"""),
    "panic": ("""
fn check(n: int) -> int {
    if n > 3 { panic("n too big: " + str(n)); }
    n
}
fn main() {
    println(check(2));
    println(check(5));
}
""", "2\n", """\
fxc: trap: n too big: 5 at prog.fx:3:16 (in fn check)
  called from prog.fx:8:13 (in fn main)
"""),
    "uncaught_exception": ("""
exception Bad(str, int)
exception Quiet
fn check(n: int, strict: bool) -> int {
    if n > 3 { throw Bad("n too big", n); }
    if strict { throw Quiet; }
    n
}
fn main() {
    try { check(9, false); } catch Bad(m, k) { println("caught " + m); }
    println(check(2, false));
    println(check(5, false));
}
""", "caught n too big\n2\n", """\
fxc: trap: uncaught exception Bad("n too big", 5) at prog.fx:5:16 (in fn check)
"""),
    "recursion": ("""
fn down(n: int) -> int { if n == 0 { 0 } else { 1 + down(n - 1) } }
fn main() {
    println(down(10));
    println(down(100000000));
}
""", "10\n", """\
fxc: trap: call stack exhausted at prog.fx:2:53 (in fn down)
  called from prog.fx:2:53 (in fn down), repeatedly
"""),
    "inside_a_generator": ("""
fn ratios(n: int) -> Gen[int] {
    let mut i = 0;
    while i < n { yield 10 / (2 - i); i += 1; }
}
fn total() -> int {
    let mut s = 0;
    for x in ratios(5) { s += x; }
    s
}
fn main() { println(total()); }
""", "", """\
fxc: trap: integer divide by zero at prog.fx:4:25 (in fn ratios)
  called from prog.fx:8:5 (in fn total)
  called from prog.fx:11:21 (in fn main)
"""),
    "inside_a_handler": ("""
effect Ask { ask() -> int }
fn asker() -> int { perform ask() + perform ask() }
fn main() {
    let mut left = 2;
    let r = handle { asker() } with {
        ask(), k => { left -= 1; k(100 / left) }
    };
    println(r);
}
""", "", """\
fxc: trap: integer divide by zero at prog.fx:7:36 (in fn main)
  called from prog.fx:6:13 (in fn main)
"""),
}

KEEPS_CONTINUATIONS_IN_GC = {"inside_a_generator", "inside_a_handler"}


def runs():
    have_node, have_wasmtime = node_path() is not None, wasmtime_available()
    for name in CASES:
        for target in ("fx", "asyncify"):
            for engine in ("vm", "node", "wasmtime"):
                marks = []
                if engine == "node" and not have_node:
                    marks = [pytest.mark.skip("node 26 not installed")]
                elif engine == "wasmtime" and not have_wasmtime:
                    marks = [pytest.mark.skip("no wasmtime CLI (the `engines` extra)")]
                elif engine == "wasmtime" and target == "fx" and name in KEEPS_CONTINUATIONS_IN_GC:
                    continue          # wasmtime 49 refuses it (the asyncify run covers wasmtime)
                yield pytest.param(name, target, engine, marks=marks, id=f"{name}-{target}-{engine}")


@pytest.mark.parametrize("name,target,engine", list(runs()))
def test_a_runtime_error_names_the_fx_line(tmp_path, name, target, engine):
    source, stdout, stderr = CASES[name]
    (tmp_path / "prog.fx").write_text(source)          # (line 1 is empty)
    r = fxc("run", "prog.fx", "--target", target, "--engine", engine, cwd=tmp_path)
    no_traceback(r)
    assert (r.returncode, r.stdout.decode(), r.stderr.decode()) == (1, stdout, stderr)


def hostile_binary() -> bytes:
    """A WASI command dividing by zero whose source map names a file and a function with a newline and an
    ANSI escape in them (a map comes from the binary: untrusted)."""
    from fxlang.diagnostics import Span
    from fxlang.wasm import Module, encode
    m = Module()
    m.memories.add(1, name="memory")
    m.exports.memory("memory", 0)
    f = m.funcs.add(m.types.func([], []), name="_start")
    f.fx_name = "fn \x1b[2Jevil"
    f.loc = Span("x\nfxc: trap: forged\x1b[31m.fx", 3, 4, 3, 5)
    f.emit("i32.const", 1)
    f.emit("i32.const", 0)
    f.emit("i32.div_s")
    f.emit("drop")
    m.exports.func("_start", f)
    return encode(m)


@pytest.mark.parametrize("engine", ["vm", "node" if node_path() else
                                    pytest.param("node", marks=pytest.mark.skip("node 26 not installed"))])
def test_names_from_a_hostile_source_map_are_escaped(tmp_path, engine):
    (tmp_path / "evil.wasm").write_bytes(hostile_binary())
    r = fxc("run", "evil.wasm", "--engine", engine, cwd=tmp_path)
    no_traceback(r)
    assert (r.returncode, r.stderr.decode()) == (
        1, "fxc: trap: integer divide by zero at x\\nfxc: trap: forged\\x1b[31m.fx:3:4 (in fn \\x1b[2Jevil)\n")
