"""Parser: the AST shape for each construct, spans, operator precedence and syntax errors."""

import pytest

from fxlang.diagnostics import FxError, FxErrors
from fxlang.syntax import ast, parse


def body(src):
    """The main function's body block of `fn main() { src }`."""
    m = parse("fn main() {" + src + "}", "t.fx")
    return m.items[0].body


def expr(src):
    b = body(src)
    assert not b.stmts
    return b.tail


def show(e):
    """A compact s-expression of an expression, for precedence tests."""
    if isinstance(e, ast.Binary):
        return f"({e.op} {show(e.left)} {show(e.right)})"
    if isinstance(e, ast.Unary):
        return f"({e.op} {show(e.operand)})"
    if isinstance(e, ast.IntLit):
        return str(e.value)
    if isinstance(e, ast.Name):
        return e.name
    if isinstance(e, ast.Call):
        return f"(call {show(e.callee)} {' '.join(show(a) for a in e.args)})".replace(" )", ")")
    if isinstance(e, ast.Field):
        return f"(. {show(e.target)} {e.name})"
    if isinstance(e, ast.Index):
        return f"([] {show(e.target)} {show(e.index)})"
    if isinstance(e, ast.Lambda):
        return "(lambda" + "".join(" " + p.name for p in e.params) + f" {show(e.body)})"
    if isinstance(e, ast.Return):
        return f"(return {show(e.value) if e.value else ''})"
    return type(e).__name__


@pytest.mark.parametrize("src, tree", [
    ("1 + 2 * 3", "(+ 1 (* 2 3))"),
    ("1 - 2 - 3", "(- (- 1 2) 3)"),
    ("a || b && c", "(|| a (&& b c))"),
    ("a == b || c < d", "(|| (== a b) (< c d))"),
    ("-a * b", "(* (- a) b)"),
    ("-f(x)", "(- (call f x))"),
    ("!a.b[1]", "(! ([] (. a b) 1))"),
    ("f(1)(2)", "(call (call f 1) 2)"),
    ("|x| x + 1", "(lambda x (+ x 1))"),
    ("|| f() + 1", "(lambda (+ (call f) 1))"),
    ("a % b / c", "(/ (% a b) c)"),
])
def test_precedence(src, tree):
    assert show(expr(src)) == tree


def test_return_and_break_take_following_expression():
    assert show(expr("return -1")) == "(return (- 1))"
    loop = expr("loop { break x + 1; }")
    assert isinstance(loop.body.stmts[0].expr, ast.Break)
    assert show(loop.body.stmts[0].expr.value) == "(+ x 1)"
    assert body("return;").stmts[0].expr.value is None


def test_items():
    m = parse("""
import std.gen;
import util;
struct Point { x: int, y: float, }
enum Shape { Circle(float), Rect(float, float), Empty }
let mut count: int = 0;
fn area(s: Shape, scale: float) -> float { 0.0 }
""", "m.fx", "main")
    assert [i.path for i in m.imports] == [["std", "gen"], ["util"]]
    st, en, gl, fn = m.items
    assert isinstance(st, ast.StructDecl) and [f.name for f in st.fields] == ["x", "y"]
    assert [(v.name, len(v.payload)) for v in en.variants] == [("Circle", 1), ("Rect", 2), ("Empty", 0)]
    assert isinstance(gl, ast.GlobalLet) and gl.mutable and gl.name == "count"
    assert fn.name == "area" and [p.name for p in fn.params] == ["s", "scale"]
    assert isinstance(fn.result, ast.NamedType) and fn.result.name == "float"
    assert (fn.name_span.line, fn.name_span.col) == (7, 4)
    assert (st.name_span.line, st.name_span.col, st.name_span.end_col) == (4, 8, 13)


def test_types():
    m = parse("fn f(a: [int], g: fn(int, str) -> bool, h: fn(), u: ()) {}", "t.fx")
    a, g, h, u = (p.ty for p in m.items[0].params)
    assert isinstance(a, ast.ArrayType) and a.elem.name == "int"
    assert isinstance(g, ast.FnType) and [t.name for t in g.params] == ["int", "str"] and g.result.name == "bool"
    assert isinstance(h, ast.FnType) and h.params == [] and h.result is None
    assert isinstance(u, ast.NamedType) and u.name == "unit"


def test_statements_and_tail():
    b = body("let x = 1; let mut y: int = 2; y += x; if x > 0 { y = 3; } while false {} f(); y")
    kinds = [type(s).__name__ for s in b.stmts]
    assert kinds == ["Let", "Let", "Assign", "ExprStmt", "ExprStmt", "ExprStmt"]
    assert b.stmts[1].mutable and b.stmts[1].ty.name == "int"
    assert b.stmts[2].op == "+="
    assert b.stmts[3].semi is False and isinstance(b.stmts[3].expr, ast.If)
    assert b.stmts[5].semi is True
    assert isinstance(b.tail, ast.Name) and b.tail.name == "y"


def test_block_like_tail_and_no_tail():
    assert isinstance(body("if a { 1 } else { 2 }").tail, ast.If)
    b = body("f();")
    assert b.tail is None and len(b.stmts) == 1


def test_struct_literal_and_fields():
    e = expr("Point { x: 1, y: 2 }.x")
    assert isinstance(e, ast.Field) and isinstance(e.target, ast.StructLit)
    assert [f.name for f in e.target.fields] == ["x", "y"]
    cond = body("if ok { 1 } else { 2 }").tail
    assert isinstance(cond.cond, ast.Name)


def test_paths_and_patterns():
    m = expr("""match s {
        Shape::Circle(r) => r,
        Rect(w, _) if w > 0.0 => w,
        Empty => 0.0,
        -1 => 1.0,
        "s" => 2.0,
        true => 3.0,
        other => 4.0,
        _ => 5.0
    }""")
    pats = [a.pattern for a in m.arms]
    assert isinstance(pats[0], ast.VariantPat) and pats[0].enum == "Shape" and pats[0].name == "Circle"
    assert isinstance(pats[0].args[0], ast.BindPat)
    assert isinstance(pats[1], ast.VariantPat) and isinstance(pats[1].args[1], ast.WildcardPat)
    assert m.arms[1].guard is not None
    assert isinstance(pats[2], ast.VariantPat) and pats[2].args == []
    assert isinstance(pats[3], ast.LitPat) and pats[3].value.value == -1
    assert pats[4].value.value == "s" and pats[5].value.value is True
    assert isinstance(pats[6], ast.BindPat) and isinstance(pats[7], ast.WildcardPat)
    assert isinstance(expr("Option::None"), ast.Path)


def test_match_arms_with_block_bodies_need_no_comma():
    m = expr("match x { 1 => { a } 2 => { b } _ => c }")
    assert len(m.arms) == 3


def test_lambda_forms():
    f = expr("|a, b: int| -> int { a + b }")
    assert [p.name for p in f.params] == ["a", "b"] and f.params[0].ty is None and f.params[1].ty.name == "int"
    assert f.result.name == "int" and isinstance(f.body, ast.Block)
    g = expr("|| -> str { \"s\" }")
    assert g.params == [] and g.result.name == "str"


def test_literals():
    b = body('let a = [1, 2,]; let u = (); let s = "x\\n"; let f = 1.5; let t = true;')
    vals = [s.value for s in b.stmts]
    assert isinstance(vals[0], ast.ArrayLit) and len(vals[0].elems) == 2
    assert isinstance(vals[1], ast.UnitLit)
    assert vals[2].value == "x\n" and vals[3].value == 1.5 and vals[4].value is True
    assert expr("-9223372036854775808").value == -(2**63)


def test_spans_cover_the_node():
    m = parse("fn main() {\n    let total = add(1,\n        2);\n}", "s.fx")
    let = m.items[0].body.stmts[0]
    s = let.span
    assert (s.file, s.line, s.col, s.end_line, s.end_col) == ("s.fx", 2, 5, 3, 12)
    call = let.value
    assert (call.span.line, call.span.col, call.span.end_line, call.span.end_col) == (2, 17, 3, 11)
    for node in ast.walk(m.items[0]):
        assert node.span.file == "s.fx"


@pytest.mark.parametrize("src, message, line, col", [
    ("fn main() { let x = 1 let y = 2; }", "expected ';', found 'let'", 1, 23),
    ("fn main() {", "expected statement or '}', found end of file", 1, 12),
    ("fn main() { let x = ; }", "expected expression, found ';'", 1, 21),
    ("fn f(x int) {}", "expected ':', found 'int'", 1, 8),
    ("fn main() { f(1 2) }", "expected ')' or ',', found number 2", 1, 17),
    ("fn main() {} }", "expected item (fn, struct, enum, effect, exception, import or let), found '}'", 1, 14),
    ("struct P { x: int", "expected ',' or '}', found end of file", 1, 18),
    ("fn main() { a < b < c; }", "comparison operators cannot be chained; use parentheses", 1, 19),
    ("fn main() { 1 = 2; }", "invalid assignment target", 1, 13),
    ("fn resume() {}", "'resume' is a keyword and cannot be used as a name", 1, 4),
    ("fn main() { f() g() }", "expected ';' after expression, found 'g'", 1, 17),
])
def test_syntax_errors(src, message, line, col):
    with pytest.raises(FxError) as info:
        parse(src, "e.fx")
    e = info.value
    assert e.message == message
    assert (e.span.line, e.span.col) == (line, col)
    rendered = e.render()
    assert rendered.startswith(f"e.fx:{line}:{col}: error: {message}\n    {src.splitlines()[line - 1]}\n")


def test_block_like_expression_at_statement_start_ends_the_statement():
    # As in Rust: `while ... { }` then `-1` on the next line is a statement followed by the tail `-1`,
    # not a subtraction; `(x)` and `[x]` after a block-like statement likewise start new expressions.
    b = body("while c { } -1")
    assert isinstance(b.stmts[0].expr, ast.While) and show(b.tail) == "(- 1)"
    b = body("if c { f() } (x)")
    assert isinstance(b.stmts[0].expr, ast.If) and show(b.tail) == "x"
    b = body("match v { _ => 1 } [1]")
    assert isinstance(b.stmts[0].expr, ast.Match) and isinstance(b.tail, ast.ArrayLit)
    # inside an expression the block-like operand still combines
    assert show(body("let v = if c { 1 } else { 2 } - 1;").stmts[0].value).startswith("(- If")
    # a `;` after a block-like expression makes it a statement rather than the block's value
    b = body("loop { break; };")
    assert b.tail is None and b.stmts[0].semi


def test_effect_declarations_perform_handle_nosuspend():
    m = parse("""
effect Ask { ask(str) -> int, tell(str), }
fn main() {
    let r = handle { perform ask("x") + perform Ask::ask("y") } with {
        ask(p), k => k(1),
        Ask::tell(_), resume_k => { resume_k() }
        return v => v * 2
    };
    nosuspend { f() }
}
""", "e.fx")
    eff, main = m.items
    assert isinstance(eff, ast.EffectDecl) and eff.name == "Ask"
    assert [(o.name, len(o.params), o.result.name if o.result else None) for o in eff.ops] == [
        ("ask", 1, "int"), ("tell", 1, None)]
    h = main.body.stmts[0].value
    assert isinstance(h, ast.Handle) and isinstance(h.body, ast.Block)
    performs = [n for n in ast.walk(h.body) if isinstance(n, ast.Perform)]
    assert [(p.effect, p.name) for p in performs] == [(None, "ask"), ("Ask", "ask")]
    c1, c2 = h.clauses
    assert (c1.effect, c1.name, [p.name for p in c1.params], c1.k.name) == (None, "ask", ["p"], "k")
    assert (c2.effect, c2.name, [p.name for p in c2.params], c2.k.name) == ("Ask", "tell", ["_"], "resume_k")
    assert h.ret.param.name == "v"
    ns = main.body.tail
    assert isinstance(ns, ast.NoSuspend) and isinstance(ns.body, ast.Block)


@pytest.mark.parametrize("src, message", [
    ("fn main() { handle { } with { return a => 1, return b => 2 } }", "a handler has at most one 'return' clause"),
    ("fn main() { handle { } with { a(), k => 1 b(), k => 2 } }", "expected ',' after handler clause"),
    ("effect E { op(x: int) }", "expected ')' or ',', found ':'"),
])
def test_effect_syntax_errors(src, message):
    with pytest.raises(FxError) as info:
        parse(src, "e.fx")
    assert info.value.message == message


def test_parser_table_cache_survives_a_corrupt_file(monkeypatch):
    import os

    from fxlang.syntax import parser as P

    cache = os.path.join(os.path.dirname(P.__file__), "__pycache__", "fx_parsetab.pickle")
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(cache, "wb") as f:
        f.write(b"\x80\x04garbage")
    monkeypatch.setattr(P, "_parser", None)
    m = parse("fn main() { let x = 1 + 2; }", "c.fx")
    assert m.items[0].name == "main"
    monkeypatch.setattr(P, "_parser", None)    # the next build writes a good cache again and reads it
    assert parse("fn main() {}", "c.fx").items[0].name == "main"


def test_one_syntax_error_per_broken_item():
    src = ("fn a() { let x = ; }\n"
           "fn b() { let y = 1 let z = 2; }\n"
           "struct S { x: int\n"
           "fn c() { }\n"
           "fn d( { }\n")
    with pytest.raises(FxErrors) as info:
        parse(src, "m.fx")
    got = [(e.span.line, e.span.col, e.message) for e in info.value.errors]
    assert got == [(1, 18, "expected expression, found ';'"),
                   (2, 20, "expected ';', found 'let'"),
                   (4, 1, "expected ',' or '}', found 'fn'"),
                   (5, 7, "expected ')' or name, found '{'")]


def test_resync_needs_an_item_keyword_in_column_one():
    # `fn` indented inside a broken function body is not a resync point: one error, no cascade
    with pytest.raises(FxError) as info:
        parse("fn a() {\n    let x = ;\n    fn inner() {}\n}\n", "m.fx")
    assert not isinstance(info.value, FxErrors)


# ---- issue 9: ranges, struct patterns, assignment arms, generic effects, open rows ---------------------

def test_for_over_a_range():
    f = expr("for i in 0..n + 1 { }")
    assert isinstance(f, ast.For) and f.name == "i"
    assert isinstance(f.iter, ast.Range)
    assert show(f.iter.lo) == "0" and show(f.iter.hi) == "(+ n 1)"


def test_struct_patterns():
    m = expr("match p { P { x: 0, y } => 1, P { x: Some(_), .. } => 2, P {} => 3 }")
    a, b, c = (arm.pattern for arm in m.arms)
    assert isinstance(a, ast.StructPat) and a.name == "P" and not a.rest
    assert [(f.name, type(f.pattern).__name__) for f in a.fields] == [("x", "LitPat"), ("y", "BindPat")]
    assert b.rest and isinstance(b.fields[0].pattern, ast.VariantPat)
    assert c.fields == [] and not c.rest


def test_assignment_as_a_match_arm():
    m = expr("match o { Some(x) => cur = x, None if ok => n += 1, _ => {} }")
    first, second = m.arms[0].body, m.arms[1].body
    assert isinstance(first, ast.Block) and first.tail is None
    assert isinstance(first.stmts[0], ast.Assign) and first.stmts[0].op == "="
    assert second.stmts[0].op == "+=" and m.arms[1].guard is not None


def test_generic_effect_and_rows():
    m = parse("effect State[T] { get() -> T, put(T) }\n"
              "fn f(g: fn() -> int / {State[int] | e}) / {State[str]} {}", "t.fx")
    eff, fn = m.items
    assert eff.type_params == ["T"]
    row = fn.params[0].ty.effects
    assert [(r.name, r.row) for r in row] == [("State", False), ("e", True)]
    assert fn.declared_effects[0].name == "State" and len(fn.declared_effects[0].args) == 1


def test_a_missing_semicolon_is_reported_at_the_end_of_its_line():
    with pytest.raises(FxError) as info:
        parse("fn main() {\n    let x = 1\n    let y = 2;\n}\n", "t.fx")
    e = info.value
    assert (e.span.line, e.span.col) == (2, 14)
    assert e.message == "expected ';' after this, found 'let' on the next line"
