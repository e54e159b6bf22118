"""The module as a whole: exports and imports (docs/host.md), the name section, targets, imports of
stdlib/*.fx and sibling files, and the typed function references cont.new needs (control/handlers.py)."""

import subprocess

import pytest

from fxlang import driver
from fxlang.wasm import encode

from .conftest import _wasm_tools, compile_source, validate


def module_of(src, tmp_path, target="fx"):
    m = driver.compile_source(src, tmp_path / "prog.fx", target=target).module
    validate(encode(m), tmp_path / "module_of.wasm")
    return m


def imports_exports(m):
    return ([(i.module, i.field) for i in m.imports], sorted((e.name, e.kind) for e in m.exports))


def test_exports_memory_and_start_only(tmp_path):
    m = module_of("fn helper() -> int { 1 }\nfn main() { helper(); }", tmp_path)
    assert imports_exports(m) == ([], [("_start", "func"), ("memory", "memory")])


def test_imports_only_what_is_used(tmp_path):
    m = module_of('fn main() { println("x"); }', tmp_path)
    assert imports_exports(m)[0] == [("wasi_snapshot_preview1", "fd_write")]
    m = module_of("fn main() { let s = str(1.5); }", tmp_path)
    assert imports_exports(m)[0] == []                 # floats are formatted inside the program
    m = module_of("fn main() { println(2.5); }", tmp_path)
    assert sorted(imports_exports(m)[0]) == [("wasi_snapshot_preview1", "fd_write")]


def test_name_section_reads_in_source_terms(tmp_path):
    src = """
    struct Point { x: int, y: int }
    enum Opt { Some(int), None }
    fn dist(p: Point) -> int { let total = p.x + p.y; total }
    fn main() { let origin = Point { x: 1, y: 2 }; println(dist(origin)); let o = Some(1);
                let label = "origin"; println(label); }"""
    data = compile_source(src, tmp_path / "prog.fx")
    validate(data, tmp_path / "prog.wasm")
    wat = subprocess.run([_wasm_tools(), "print", str(tmp_path / "prog.wasm")], capture_output=True,
                         text=True, check=True).stdout
    for expected in ("(func $dist", "(param $p ", "(local $total i64)", "(func $main", "(local $origin",
                     "(type $Point", "(field $x (mut i64))", "(type $Opt.Some", "(func $print",
                     "(func $print.int", "(type $str"):
        assert expected in wat, expected


def test_standard_target_has_no_barrier(build):
    src = "fn main() { let f = |x: int| x + 1; println(f(2)); }"
    fx, std = build(src, "fx"), build(src, "standard")
    assert std == fx
    assert b"\xe7" not in bytes(std[:8])


def test_unknown_target_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="unknown target"):
        module_of("fn main() {}", tmp_path, target="asmjs")


def test_functions_are_typed_references_ready_for_cont_new(tmp_path):
    """Every lambda's code has its closure's $code type (env first), so `cont.new (cont $code)` accepts
    `ref.func` of it: build that into the generated module and let wasm-tools check it."""
    src = """
    fn twice(x: int) -> int { x * 2 }
    fn main() { let k = 3; let f = |x: int| x + k; let g = twice; println(f(1) + g(2)); }"""
    m = module_of(src, tmp_path)
    names = {m.names.funcs[f]: f for f in m.funcs}
    lam = next(f for n, f in names.items() if "lambda" in n)
    adapter = names["twice.closure"]
    assert lam.type == adapter.type         # both are `code fn(int)->int`
    ct = m.types.cont(lam.type)
    probe = m.funcs.add(m.types.func([], []), name="probe")
    for f in (lam, adapter):
        probe.emit("ref.func", f)
        probe.emit("cont.new", ct)
        probe.emit("drop")
    validate(encode(m), tmp_path / "probe.wasm")


def test_stdlib_modules(run):
    src = """
    import std.math;
    import std.strings;
    import std.arrays;
    fn main() {
        println(abs(-4) + max(2, 9) + min(2, 9) + clamp(50, 0, 10));
        println(pow(3, 13)); println(gcd(84, -36)); println(sqrt(2.0)); println(sqrt(144.0));
        println(fmax(fabs(-2.5), 1.0));
        println(join(["a", "b", "c"], "-") + repeat("=", 3) + pad_left("7", 3, "0"));
        let xs = map(range(6), |x| (x * 7) % 5);
        sort(xs);
        println(show(xs));
        println(sum(filter(xs, |x| x % 2 == 0)));
        println(fold(range(5), 1, |a, b| a + b * b));
    }"""
    assert run(src) == ("25\n1594323\n12\n1.414213562373095\n12.0\n2.5\na-b-c===007\n"
                        "[0, 0, 1, 2, 3, 4]\n6\n31\n")


def test_sibling_imports_share_types(tmp_path, build):
    (tmp_path / "geometry.fx").write_text("""
    struct Vec2 { x: float, y: float }
    fn add(a: Vec2, b: Vec2) -> Vec2 { Vec2 { x: a.x + b.x, y: a.y + b.y } }
    fn show(v: Vec2) -> str { "(" + str(v.x) + ", " + str(v.y) + ")" }
    """)
    src = """
    import geometry;
    fn main() { println(show(add(Vec2 { x: 1.0, y: 2.0 }, Vec2 { x: 0.5, y: -1.0 }))); }"""
    build(src)
    from .conftest import _run_node
    r = _run_node(tmp_path / "prog.wasm")
    assert r.stdout.decode() == "(1.5, 1.0)\n"
