"""Type checker: the annotations codegen relies on (see fxlang/syntax/ast.py) and inference."""

import pytest

from fxlang.check import check, types as T
from fxlang.diagnostics import FxError
from fxlang.modules import load_source
from fxlang.syntax import ast


def checked(src, tmp_path=None):
    path = str(tmp_path / "main.fx") if tmp_path else "main.fx"
    return check(load_source(src, path))


def fn(c, name):
    return next(f for f in c.functions if f.name == name)


def nodes(root, cls):
    return [n for n in ast.walk(root) if isinstance(n, cls)]


def errors(src):
    with pytest.raises(FxError) as info:
        checked(src)
    e = info.value
    return [x.message for x in getattr(e, "errors", [e])]


PROGRAM = """
struct Point { x: int, y: float }
enum Shape { Circle(float), Rect(float, float), Empty }
let mut calls: int = 0;
fn area(s: Shape) -> float {
    calls += 1;
    match s {
        Circle(r) => 3.0 * r * r,
        Shape::Rect(w, h) => w * h,
        Empty => 0.0,
    }
}
fn apply(f: fn(int) -> int, v: int) -> int { f(v) }
fn main() {
    let p = Point { y: 2.5, x: 1 };
    let mut total = 0;
    let add = |n| { total += n; total };
    let k = 10;
    let nested = || { let inner = |m: int| m + k; inner(1) };
    println(apply(add, p.x) + apply(|z| z * 2, 3) + nested());
    let xs = [];
    push(xs, "a");
    let n = loop { if len(xs) > 3 { break len(xs); } push(xs, str(total)); };
    let sh = Empty;
    println(area(sh) + area(Circle(1.0)));
    let f = area;
    println(f(Rect(1.0, 2.0)));
}
"""


@pytest.fixture(scope="module")
def prog():
    return checked(PROGRAM)


def test_every_expression_has_a_resolved_type(prog):
    for f in prog.functions:
        for n in ast.walk(f):
            if isinstance(n, ast.Expr):
                assert isinstance(n.ty, T.Type), n
                assert not T.has_vars(n.ty), n
                assert "<error>" not in str(n.ty), n


def test_checked_summary(prog):
    assert [f.qualname for f in prog.functions] == ["main.area", "main.apply", "main.main"]
    assert prog.main is fn(prog, "main")
    assert [s.name for s in prog.structs] == ["Point"]
    assert [e.name for e in prog.enums] == ["Shape"]
    assert [g.name for g in prog.globals] == ["calls"]
    assert [len(l.params) for l in prog.lambdas] == [1, 0, 1, 1]   # add, nested, inner, |z|
    assert len({l.name for l in prog.lambdas}) == 4


def test_types_of_declarations(prog):
    assert str(fn(prog, "apply").fn_type) == "fn(fn(int) -> int, int) -> int"
    point = prog.structs[0]
    assert [(n, str(t)) for n, t in point.fields] == [("x", "int"), ("y", "float")]
    shape = prog.enums[0]
    assert [(v.name, [str(t) for t in v.payload]) for v in shape.variants] == [
        ("Circle", ["float"]), ("Rect", ["float", "float"]), ("Empty", [])]


def test_bindings_and_captures(prog):
    main = fn(prog, "main")
    by_name = {b.name: b for b in main.locals}
    assert set(by_name) >= {"p", "total", "add", "k", "nested", "xs", "n", "sh", "f"}
    assert by_name["total"].mutable and by_name["total"].captured and by_name["total"].boxed
    assert by_name["k"].captured and not by_name["k"].boxed
    assert not by_name["p"].captured
    assert str(by_name["xs"].ty) == "[str]"
    assert str(by_name["add"].ty) == "fn(int) -> int"
    assert str(by_name["n"].ty) == "int"
    assert all(b.owner is main for b in main.locals)
    add, nested, inner, doubler = prog.lambdas
    assert add.captures == [by_name["total"]]
    assert doubler.captures == []
    # `inner` uses k, so `nested`, which contains it, captures k too
    assert inner.captures == [by_name["k"]] and nested.captures == [by_name["k"]]
    assert [b.name for b in nested.locals] == ["inner"]
    assert [b.name for b in inner.locals] == ["m"]
    ids = [b.id for f in prog.functions for b in f.locals]
    assert len(ids) == len(set(ids))


def test_name_resolution_kinds(prog):
    main = fn(prog, "main")
    kinds = {(n.name, n.binding.kind) for n in nodes(main, ast.Name) if n.binding}
    assert ("apply", ast.FN) in kinds and ("p", ast.LOCAL) in kinds and ("area", ast.FN) in kinds
    area = fn(prog, "area")
    g = nodes(area, ast.Assign)[0].target
    assert g.binding.kind == ast.GLOBAL and g.binding is prog.globals[0].binding
    params = [p.binding for p in area.params]
    assert params[0].kind == ast.PARAM and str(params[0].ty) == "Shape"


def test_call_kinds(prog):
    main = fn(prog, "main")
    calls = {}
    for c in nodes(main, ast.Call):
        key = c.callee.name if isinstance(c.callee, ast.Name) else type(c.callee).__name__
        calls.setdefault(key, set()).add(c.kind)
    assert calls["apply"] == {ast.CALL_FN}
    assert calls["println"] == {ast.CALL_BUILTIN} and calls["push"] == {ast.CALL_BUILTIN}
    assert calls["Circle"] == {ast.CALL_VARIANT} and calls["Rect"] == {ast.CALL_VARIANT}
    assert calls["f"] == {ast.CALL_CLOSURE} and calls["inner"] == {ast.CALL_CLOSURE}
    circle = next(c for c in nodes(main, ast.Call) if c.kind == ast.CALL_VARIANT)
    assert circle.variant.enum is prog.enums[0] and circle.variant.index == 0
    apply = fn(prog, "apply")
    assert nodes(apply, ast.Call)[0].kind == ast.CALL_CLOSURE


def test_structs_variants_and_patterns(prog):
    main = fn(prog, "main")
    lit = nodes(main, ast.StructLit)[0]
    assert lit.struct is prog.structs[0]
    assert [(f.name, f.index) for f in lit.fields] == [("y", 1), ("x", 0)]
    field = next(n for n in nodes(main, ast.Field))
    assert field.struct is prog.structs[0] and field.index == 0 and field.ty == T.INT
    sh = next(n for n in nodes(main, ast.Name) if n.name == "Empty")
    assert sh.binding is None and sh.variant.index == 2 and sh.ty is prog.enums[0]
    pats = nodes(fn(prog, "area"), ast.VariantPat)
    assert [(p.name, p.variant.index) for p in pats] == [("Circle", 0), ("Rect", 1), ("Empty", 2)]
    r = nodes(fn(prog, "area"), ast.BindPat)[0]
    assert r.binding.ty == T.FLOAT


def test_loops_and_returns():
    c = checked("""
fn find(xs: [int], v: int) -> int {
    let mut i = 0;
    while i < len(xs) {
        if xs[i] == v { return i; }
        i += 1;
        continue;
    }
    -1
}
fn main() { let r = loop { break 2.5; }; println(r); }
""")
    f = fn(c, "find")
    w = nodes(f, ast.While)[0]
    assert nodes(f, ast.Continue)[0].loop is w
    assert nodes(f, ast.Return)[0].fn is f
    assert nodes(f, ast.Return)[0].ty == T.NEVER
    m = fn(c, "main")
    loop = nodes(m, ast.Loop)[0]
    assert loop.ty == T.FLOAT and nodes(m, ast.Break)[0].loop is loop


def test_inference_from_expected_function_type_and_use():
    c = checked("""
struct P { name: str }
fn main() {
    let f: fn(str, int) -> bool = |s, n| len(s) > n;
    let get = |p| p.name;
    let q = P { name: "x" };
    println(get(q));
    let ys = [];
    println(len(ys));
    push(ys, 1.5);
}
""")
    m = fn(c, "main")
    lams = c.lambdas
    assert str(lams[0].fn_type) == "fn(str, int) -> bool"
    assert str(lams[1].fn_type) == "fn(P) -> str"
    ys = next(b for b in m.locals if b.name == "ys")
    assert str(ys.ty) == "[float]"


def test_divergence_and_branches():
    c = checked("""
fn pick(b: bool) -> int {
    let v = if b { 1 } else { return 0; };
    match b { true => v, false => return 2 }
}
fn main() {}
""")
    f = fn(c, "pick")
    assert f.body.ty == T.INT
    assert nodes(f, ast.If)[0].ty == T.INT


def test_imports_are_visible_but_not_transitively(tmp_path):
    (tmp_path / "a.fx").write_text("fn from_a() -> int { 1 }\nstruct S { v: int }\n")
    (tmp_path / "b.fx").write_text("import a;\nfn from_b() -> int { from_a() }\n")
    ok = checked("import b;\nfn main() { println(from_b()); }\n", tmp_path)
    assert [f.qualname for f in ok.functions] == ["a.from_a", "b.from_b", "main.main"]
    with pytest.raises(FxError) as info:
        checked("import b;\nfn main() { println(from_a()); }\n", tmp_path)
    assert info.value.message == "unknown function 'from_a'"


def test_local_definitions_shadow_builtins_and_imports():
    c = checked("fn len(x: int) -> int { x }\nfn main() { let print = 3; println(len(print)); }\n")
    call = next(n for n in nodes(fn(c, "main"), ast.Call) if isinstance(n.callee, ast.Name) and n.callee.name == "len")
    assert call.kind == ast.CALL_FN


@pytest.mark.parametrize("src, message", [
    ("fn main() { let x = 1; x = 2; }", "cannot assign to immutable variable 'x'"),
    ("fn main() { let f = |x| x; }", "cannot infer the type of this lambda; add a type annotation"),
    ("fn main() { let f = |a, b| a + b; }", "cannot infer the type of the operand of operator '+'; add a type annotation"),
    ("fn main() { let a = [1]; let b = a + a; }", "operator '+' cannot be applied to [int]"),
    ("fn main() { let s = str(main); }", "'str' cannot be applied to fn() -> unit"),
    ("fn main() { let v = int(\"3\"); }", "'int' cannot be applied to str"),
    ("enum E { A } fn main() { let e = A; let b = e == e; }", "operator '==' cannot be applied to E"),
    ("fn f(x: int) -> int { x } fn main() { f(true); }", "type mismatch: expected int, found bool"),
    ("fn main() { let g: fn(int) -> int = |x: str| 1; }", "type mismatch: expected int, found str"),
    ("fn main() { let f = |x| x(x); }",
     "cannot infer a type here: it would have to contain itself; add type annotations"),
])
def test_type_errors(src, message):
    assert message in errors(src)


def test_errors_are_gathered_not_cascaded():
    msgs = errors("""
fn main() {
    let a = nope + 1;
    let b = a * 2;
    let c: str = 5;
    undefined_fn(a, b);
}
""")
    assert msgs == ["unknown variable 'nope'", "type mismatch: expected str, found int",
                    "unknown function 'undefined_fn'"]


def test_names_defined_in_two_imports_are_ambiguous(tmp_path):
    (tmp_path / "a.fx").write_text("fn f() -> int { 1 }\nstruct S { a: int }\n")
    (tmp_path / "b.fx").write_text("fn f() -> int { 2 }\nstruct S { b: int }\n")
    with pytest.raises(FxError) as info:
        checked("import a;\nimport b;\nfn main() { let s: S = S { a: 1 }; println(f()); }\n", tmp_path)
    msgs = [e.message for e in info.value.errors]
    assert msgs == ["ambiguous name 'S': it is defined in modules 'a' and 'b'",
                    "ambiguous name 'f': it is defined in modules 'a' and 'b'"]
    # the importing module's own definition wins without ambiguity
    checked("import a;\nimport b;\nfn f() -> int { 3 }\nfn main() { println(f()); }\n", tmp_path)
