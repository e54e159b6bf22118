"""`next(g)` from inside g panics "generator already running" (codegen/control/generators.advance, the
`running` field of $gen), on our VM and V8; after g finished or threw, next says None."""

from __future__ import annotations

from tests.fxlang.codegen.conftest import _run_node, compile_source, run_vm_with_message, validate

PROGRAM = """
let gs: [Gen[int]] = [];
exception Boom
fn bad() -> Gen[int] { yield 1; throw Boom; }
fn selfish() -> Gen[int] {
    yield 1;
    match next(gs[0]) { Some(x) => println(x), None => println("none") }
    yield 2;
}
fn main() {
    let b = bad();
    match next(b) { Some(x) => println(x), None => {} }
    try { next(b); } catch Boom { println("boom"); }
    match next(b) { Some(x) => println(x), None => println("finished after throw") }
    push(gs, selfish());
    for x in gs[0] { println(x); }
}
"""


def test_next_from_inside_the_generator_panics(tmp_path):
    out, status, msg = run_vm_with_message(compile_source(PROGRAM, tmp_path / "prog.fx", "fx"))
    assert (out, status) == ("1\nboom\nfinished after throw\n1\n", 1)
    assert "generator already running" in msg
    data = compile_source(PROGRAM, tmp_path / "prog.fx", "standard")
    validate(data, tmp_path / "prog.wasm")
    r = _run_node(tmp_path / "prog.wasm")
    assert r.returncode == 1 and r.stdout.decode() == out
    assert "generator already running" in r.stderr.decode()
