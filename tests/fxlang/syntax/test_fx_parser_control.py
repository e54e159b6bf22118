"""Parser: the AST of generics, generators, exceptions, async/await, effect sets and `resume`."""

import pytest

from fxlang.diagnostics import FxError
from fxlang.syntax import ast, parse


def items(src):
    return parse(src, "t.fx").items


def tail(src):
    b = items("fn main() {" + src + "}")[0].body
    return b.tail if b.tail is not None else b.stmts[-1].expr


def type_text(t):
    if isinstance(t, ast.NamedType):
        return t.name + (f"[{', '.join(type_text(a) for a in t.args)}]" if t.args else "")
    if isinstance(t, ast.ArrayType):
        return f"[{type_text(t.elem)}]"
    if isinstance(t, ast.FnType):
        s = f"fn({', '.join(type_text(p) for p in t.params)}) -> {type_text(t.result) if t.result else 'unit'}"
        if t.effects is not None:
            s += " / {" + ", ".join(e.name + "".join(" " + type_text(a) for a in e.args) for e in t.effects) + "}"
        return s
    raise AssertionError(t)


def test_generic_declarations():
    s, e, f = items("struct Box[T] { v: T }\nenum Either[L, R] { Left(L), Right(R) }\n"
                    "fn pick[A, B](a: A, b: B) -> Either[A, B] { Left(a) }")
    assert isinstance(s, ast.StructDecl) and s.type_params == ["T"] and s.fields[0].ty.name == "T"
    assert isinstance(e, ast.EnumDecl) and e.type_params == ["L", "R"] and [v.name for v in e.variants] == ["Left", "Right"]
    assert f.type_params == ["A", "B"] and type_text(f.result) == "Either[A, B]"
    assert (s.name_span.line, s.name_span.col) == (1, 8)


def test_non_generic_declarations_keep_empty_type_params():
    s, f = items("struct P { x: int }\nfn f() {}")
    assert s.type_params == [] and f.type_params == [] and f.declared_effects is None and not f.is_async


@pytest.mark.parametrize("text", [
    "Option[int]", "Gen[[str]]", "Pair[int, Option[bool]]", "fn(int) -> int / {State, yield int}",
    "fn() -> unit / {Async}", "fn(fn() -> unit) -> unit", "[fn(Gen[int]) -> Option[int]]",
])
def test_type_syntax_round_trips(text):
    (g,) = items(f"let g: {text} = 0;")
    assert type_text(g.ty) == text


def test_fn_declared_effects_and_async():
    f, g, h = items("fn f() -> int / State { 1 }\nasync fn g(x: int) {}\nfn h() / {A, yield str} {}")
    assert [r.name for r in f.declared_effects] == ["State"] and type_text(f.result) == "int"
    assert g.is_async and g.name == "g" and g.declared_effects is None and (g.name_span.line, g.name_span.col) == (2, 10)
    assert [(r.name, [type_text(a) for a in r.args]) for r in h.declared_effects] == [("A", []), ("yield", ["str"])]


def test_exception_declarations():
    a, b = items("exception NotFound(str, int)\nexception Stop")
    assert isinstance(a, ast.ExceptionDecl) and [type_text(t) for t in a.payload] == ["str", "int"]
    assert b.name == "Stop" and b.payload == []


def test_yield_await_throw_resume():
    y = tail("yield x + 1")
    assert isinstance(y, ast.Yield) and isinstance(y.value, ast.Binary)
    a = tail("await t + 1")
    assert isinstance(a, ast.Binary) and isinstance(a.left, ast.Await)     # await binds like a prefix operator
    t = tail("throw NotFound(\"k\", 2)")
    assert isinstance(t, ast.Throw) and t.name == "NotFound" and len(t.args) == 2
    assert tail("throw Stop").args == []
    r = tail("resume(1)")
    assert isinstance(r, ast.Call) and isinstance(r.callee, ast.Name) and r.callee.name == "resume"


def test_for_loops():
    f = tail("for x in nat(0) { println(x); }")
    assert isinstance(f, ast.For) and f.name == "x" and isinstance(f.iter, ast.Call) and len(f.body.stmts) == 1
    assert tail("for _ in g {}").name == "_"


def test_try_catch_finally():
    t = tail("try { f() } catch NotFound(s) { 1 } catch Stop { 2 } catch _ { 3 } finally { done(); }")
    assert isinstance(t, ast.Try)
    assert [(c.name, [p.name for p in c.params]) for c in t.catches] == [("NotFound", ["s"]), ("Stop", []), (None, [])]
    assert isinstance(t.finally_, ast.Block)
    t2 = tail("try { f(); } finally { g(); }")
    assert t2.catches == [] and t2.finally_ is not None
    t3 = tail("try { f() } catch Empty {}")       # `Empty {}` is not a struct literal here
    assert t3.catches[0].name == "Empty" and t3.finally_ is None


def test_block_like_control_needs_no_semicolon():
    b = items("fn main() { for x in g {} try {} finally {} let y = 1; }")[0].body
    assert [type(s).__name__ for s in b.stmts] == ["ExprStmt", "ExprStmt", "Let"]


def test_import_std_async():
    m = parse("import std.async;\nfn main() {}", "t.fx")
    assert m.imports[0].path == ["std", "async"]


def test_spawn_is_an_ordinary_name():
    c = tail("spawn(|| 1)")
    assert isinstance(c, ast.Call) and c.callee.name == "spawn"


@pytest.mark.parametrize("src, message", [
    ("fn main() { let yield = 1; }", "'yield' is a keyword and cannot be used as a name"),
    ("fn for() {}", "'for' is a keyword and cannot be used as a name"),
    ("fn main() { try { } }", "expected 'catch' or 'finally', found '}'"),
    ("fn main() { for in g {} }", "'in' is a keyword and cannot be used as a name"),
    ("exception {}", "expected name, found '{'"),
])
def test_syntax_errors(src, message):
    with pytest.raises(FxError) as info:
        parse(src, "t.fx")
    assert info.value.message == message


def test_walk_reaches_new_nodes_but_not_annotations():
    f = items("fn main() { try { for x in g { yield x; } } catch E(a) { throw F; } finally { await t; } }")[0]
    kinds = {type(n).__name__ for n in ast.walk(f)}
    assert {"Try", "For", "Yield", "CatchClause", "Throw", "Await"} <= kinds
