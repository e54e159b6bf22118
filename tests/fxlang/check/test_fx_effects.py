"""Effects: declarations, perform, deep handlers with first-class continuations, nosuspend, and static
effect inference (FnDecl.effects / Lambda.effects)."""

import pytest

from fxlang.check import check, types as T
from fxlang.diagnostics import FxError
from fxlang.modules import load_source
from fxlang.syntax import ast

PRELUDE = """
effect Ask { ask(str) -> int, tell(str) }
effect Fail { fail() -> int }
"""


def checked(src):
    return check(load_source(PRELUDE + src, "e.fx"))


def errors(src):
    with pytest.raises(FxError) as info:
        checked(src)
    e = info.value
    return [x.message for x in getattr(e, "errors", [e])]


def effects(c):
    return {f.name: sorted(e.name for e in f.effects) for f in c.functions}


def test_declarations_and_perform_annotations():
    c = checked("""
fn asker() -> int { perform tell("hi"); perform Ask::ask("q") }
fn main() { let v = handle { asker() } with { ask(q), k => k(len(q)), tell(s), k => k() }; println(v); }
""")
    ask, fail = c.effects
    assert [(o.name, [str(p) for p in o.params], str(o.result)) for o in ask.ops] == [
        ("ask", ["str"], "int"), ("tell", ["str"], "unit")]
    asker = c.functions[0]
    performs = [n for n in ast.walk(asker) if isinstance(n, ast.Perform)]
    assert [(p.op.effect, p.op.index, str(p.ty)) for p in performs] == [(ask, 1, "unit"), (ask, 0, "int")]


def test_handler_types_continuations_and_resume_calls():
    c = checked("""
fn main() {
    let r = handle { perform ask("x") + 1 } with {
        ask(prompt), k => k(len(prompt)),
        tell(_), k => k(),
        return v => str(v),
    };
    println(r);
}
""")
    main = c.main
    h = next(n for n in ast.walk(main) if isinstance(n, ast.Handle))
    assert str(h.ty) == "str" and str(h.body_ty) == "int"
    assert [e.name for e in h.handled] == ["Ask"]
    ask_clause, tell_clause = h.clauses
    assert ask_clause.op.index == 0 and tell_clause.op.index == 1
    assert str(ask_clause.params[0].binding.ty) == "str"
    assert str(ask_clause.k.binding.ty) == "fn(int) -> str"
    assert str(tell_clause.k.binding.ty) == "fn(unit) -> str"
    assert str(h.ret.param.binding.ty) == "int"
    resumes = [n for n in ast.walk(main) if isinstance(n, ast.Call) and n.kind == ast.CALL_RESUME]
    assert len(resumes) == 2
    assert all(b.owner is main for b in main.locals)


def test_handler_without_return_clause_has_the_body_type():
    c = checked("fn main() { let v = handle { perform fail() } with { fail(), k => -1 }; println(v); }")
    h = next(n for n in ast.walk(c.main) if isinstance(n, ast.Handle))
    assert h.ty == T.INT and h.body_ty == T.INT


def test_effect_inference_through_calls_recursion_and_handlers():
    c = checked("""
fn a() -> int { perform ask("q") }
fn b(n: int) -> int { if n == 0 { a() } else { c(n - 1) } }
fn c(n: int) -> int { if n == 0 { perform fail() } else { b(n - 1) } }
fn handled() -> int { handle { b(3) } with { fail(), k => 0 } }
fn pure(x: int) -> int { x * 2 }
fn main() {}
""")
    assert effects(c) == {"a": ["Ask"], "b": ["Ask", "Fail"], "c": ["Ask", "Fail"], "handled": ["Ask"],
                          "pure": [], "main": []}


def test_lambdas_and_function_values_count_where_called():
    # latent effects travel with the function type: creating a lambda or taking a fn as a value performs
    # nothing; calling it performs its effects (here under the handler)
    c = checked("""
fn a() -> int { perform ask("q") }
fn make() -> fn() -> int { || perform fail() }
fn uses_value() -> int { let f = a; 1 }
fn main() {
    let r = handle { let g = make(); g() } with { fail(), k => 0 };
    println(r);
}
""")
    e = effects(c)
    assert e["make"] == [] and e["uses_value"] == [] and e["main"] == []
    assert [sorted(x.name for x in lam.effects) for lam in c.lambdas] == [["Fail"]]


def test_clauses_run_outside_the_handled_block():
    # a perform inside a clause is not handled by the same handler
    assert errors("""
fn main() { let v = handle { perform fail() } with { fail(), k => perform fail() }; }
""") == ["'main' may perform effect Fail that no handler handles (main -> perform Fail::fail)"]
    # but an outer handler handles it
    checked("""
fn main() {
    let v = handle { handle { perform fail() } with { fail(), k => perform fail() + 1 } } with { fail(), k => 7 };
    println(v);
}
""")


@pytest.mark.parametrize("src, message", [
    ("fn main() { perform ask(1); }", "type mismatch: expected str, found int"),
    ("fn main() { perform fail(1); }", "operation 'fail' takes 0 arguments but 1 was given"),
    ("fn main() { perform nope(); }", "unknown effect operation 'nope'"),
    ("fn main() { perform Ask::nope(); }", "effect Ask has no operation 'nope'"),
    ("fn main() { let v = handle { 1 } with { ask(x), k => k(1) }; }",
     "handler for effect Ask does not handle operation 'tell'"),
    ("fn main() { let v = handle { 1 } with { fail(), k => k(\"s\") }; }", "type mismatch: expected int, found str"),
    ("fn main() { let v = handle { 1 } with { fail(), k => k(1, 2) }; }",
     "resuming a continuation takes 1 argument but 2 were given"),
    ("fn main() { let v = handle { 1 } with { fail(), k => \"s\" }; }", "type mismatch: expected int, found str"),
    ("fn main() { nosuspend { perform fail(); } }",
     "effect Fail may be performed inside 'nosuspend' (a suspension cannot cross it)"),
    ("fn f() -> int { perform fail() } fn main() { nosuspend { f(); } }",
     "effect Fail may be performed inside 'nosuspend' (a suspension cannot cross it)"),
    ("fn main() { let x: Fail = 1; }", "'Fail' is an effect, not a type"),
    ("effect Fail { x() } fn main() {}", "duplicate definition of 'Fail'"),
    ("effect Twice { a(), a() } fn main() {}", "duplicate operation 'a' in effect Twice"),
    ("effect Other { fail() } fn main() { perform fail(); }", "ambiguous operation 'fail': write Fail::fail or Other::fail"),
    ("let g: int = perform fail(); fn main() {}",
     "the initialiser of global 'g' may perform Fail, which no handler handles"),
])
def test_effect_errors(src, message):
    assert message in errors(src)


def test_nosuspend_with_handled_effects_inside_is_fine():
    c = checked("fn main() { nosuspend { let v = handle { perform fail() } with { fail(), k => 1 }; println(v); } }")
    ns = next(n for n in ast.walk(c.main) if isinstance(n, ast.NoSuspend))
    assert ns.ty == T.UNIT


def test_continuations_are_values_of_one_type():
    c = checked("""
fn main() {
    let v = handle { perform ask("a") + perform ask("b") } with {
        ask(p), k => { let mut saved = k; let ks = [k]; saved = ks[0]; saved(1) },
        tell(m), k => { let other = k; other() },
    };
    println(v);
}
""")
    saved = next(b for b in c.main.locals if b.name == "saved")
    assert str(saved.ty) == "fn(int) -> int"
    assert str(next(b for b in c.main.locals if b.name == "ks").ty) == "[fn(int) -> int]"
