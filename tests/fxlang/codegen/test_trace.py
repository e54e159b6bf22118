"""`fxc build --trace` (fxlang/codegen/trace.py, docs/host.md "Tracing"): the instrumented program reports each
perform, resume of a handler's k, discontinue, yield, generator step and cancel, with fx source names, through
standard error (WASI fd_write) -- the same lines on our VM (vm.wasi) and on node 26 (node:wasi)."""

from __future__ import annotations


from fxlang import driver
from fxlang.wasm import encode
from fxlang.wasm.wat import disassemble

from .conftest import _run_node, run_vm_wasi, validate

PROGRAM = """\
effect State { get() -> int, put(int) }
effect Ask { ask() -> int }
exception Stop
fn nums(n: int) -> Gen[int] {
    let mut i = 0;
    try { while i < n { yield i; i += 1; } } finally { println("fin"); }
}
fn risky() -> Gen[int] { yield 1; throw Stop; }
fn main() {
    let r = handle {
        let x = perform State::get();
        perform State::put(x + 1);
        x
    } with {
        State::get(), k => k(7),
        State::put(v), k => k(()),
    };
    println(r);
    for x in nums(3) { if x == 1 { break; } }
    let g = nums(2);
    match next(g) { Some(v) => println(v), None => println("none") }
    cancel(g);
    try { for y in nums(5) { if y == 1 { throw Stop; } } } catch Stop { println("stop"); }
    try { for z in risky() { println(z); } } catch Stop { println("risky"); }
    let saved: [fn(int) -> unit] = [];
    handle { println(perform Ask::ask()); } with { Ask::ask(), k => push(saved, k) };
    discontinue(saved[0]);
}
"""

TRACE = """\
perform State::get at prog.fx:11:17
resume State::get (handler at prog.fx:10:13)
perform State::put at prog.fx:12:9
resume State::put (handler at prog.fx:10:13)
next nums at prog.fx:19:5
yield in nums at prog.fx:6:25
next nums at prog.fx:19:5
yield in nums at prog.fx:6:25
cancel nums at prog.fx:19:5
next nums at prog.fx:21:11
yield in nums at prog.fx:6:25
cancel nums at prog.fx:22:5
next nums at prog.fx:23:11
yield in nums at prog.fx:6:25
next nums at prog.fx:23:11
yield in nums at prog.fx:6:25
cancel nums at prog.fx:23:11
next risky at prog.fx:24:11
yield in risky at prog.fx:8:26
next risky at prog.fx:24:11
perform Ask::ask at prog.fx:26:22
discontinue Ask::ask (handler at prog.fx:26:5)
"""

OUTPUT = "7\nfin\n0\nfin\nfin\nstop\n1\nrisky\n"


def compile_traced(tmp_path, src=PROGRAM, target="fx", trace=True) -> bytes:
    data = encode(driver.compile_source(src, tmp_path / "prog.fx", target=target, trace=trace).module)
    validate(data, tmp_path / "prog.wasm")
    return data


def run_vm_traced(data: bytes) -> tuple[str, str]:
    out, err, status = run_vm_wasi(data)
    assert status == 0, err
    return out.decode(), err.decode()


def trace_lines(text: str) -> str:
    assert all(line.startswith("[trace] ") for line in text.splitlines()), text
    return "".join(line[len("[trace] "):] + "\n" for line in text.splitlines())


def test_same_source_level_trace_on_the_vm_and_on_node(tmp_path):
    out, err = run_vm_traced(compile_traced(tmp_path))
    assert out == OUTPUT
    assert trace_lines(err) == TRACE
    compile_traced(tmp_path, target="standard")          # node runs the standard target, like fxc run
    r = _run_node(tmp_path / "prog.wasm")
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode() == OUTPUT
    assert trace_lines(r.stderr.decode()) == TRACE


def test_no_trace_code_or_cost_unless_asked(tmp_path):
    plain = compile_traced(tmp_path, trace=False)
    traced = compile_traced(tmp_path)
    assert '$io.trace' not in disassemble(plain)
    assert '$io.trace' in disassemble(traced)
    assert len(plain) < len(traced)
    out, err = run_vm_traced(plain)
    assert (out, err) == (OUTPUT, "")


def test_generators_without_a_known_fn_are_named_by_their_variable(tmp_path):
    src = """\
fn count(n: int) -> Gen[int] { let mut i = 0; while i < n { yield i; i += 1; } }
fn total(src: Gen[int]) -> int { let mut s = 0; for x in src { s += x; } s }
fn main() { println(total(count(2))); }
"""
    out, err = run_vm_traced(compile_traced(tmp_path, src))
    assert out == "1\n"
    assert trace_lines(err) == ("next src at prog.fx:2:49\nyield in count at prog.fx:1:61\n" * 2 +
                                "next src at prog.fx:2:49\n")


def test_a_stored_k_resumed_later_is_traced_with_its_handle_site(tmp_path):
    src = """\
effect Ask { ask() -> int }
fn main() {
    let saved: [fn(int) -> unit] = [];
    handle { println(perform Ask::ask()); } with { Ask::ask(), k => push(saved, k) };
    handle { println(perform Ask::ask() + 1); } with { Ask::ask(), k => k(10) };
    saved[0](3);
}
"""
    out, err = run_vm_traced(compile_traced(tmp_path, src))
    assert out == "11\n3\n"
    assert trace_lines(err) == ("perform Ask::ask at prog.fx:4:22\n"
                                "perform Ask::ask at prog.fx:5:22\n"
                                "resume Ask::ask (handler at prog.fx:5:5)\n"
                                "resume Ask::ask (handler at prog.fx:4:5)\n")


def test_a_yield_in_a_handle_body_is_named_by_its_generator_fn(tmp_path):
    src = """\
effect Log { log(int) }
fn gen() -> Gen[int] {
    let x = handle { yield 1; perform Log::log(5); 7 } with { Log::log(v), k => k(()) };
    yield x;
}
fn main() { for v in gen() { println(v); } }
"""
    out, err = run_vm_traced(compile_traced(tmp_path, src))
    assert out == "1\n7\n"
    assert trace_lines(err) == ("next gen at prog.fx:6:13\n"
                                "yield in gen at prog.fx:3:22\n"          # inside the handle's body closure
                                "next gen at prog.fx:6:13\n"
                                "perform Log::log at prog.fx:3:31\n"
                                "resume Log::log (handler at prog.fx:3:13)\n"
                                "yield in gen at prog.fx:4:5\n"
                                "next gen at prog.fx:6:13\n")
