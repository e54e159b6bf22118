"""Generators, exceptions, the cleanups jumps leave, effect sets on function types, `resume`, string builtins
and async/await (against the test double of std.async in async_stdlib/)."""

import os

import pytest

from fxlang.check import check, types as T
from fxlang.diagnostics import FxError
from fxlang.modules import load_source
from fxlang.syntax import ast

ASYNC_STDLIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "async_stdlib")


def checked(src, **kw):
    return check(load_source(src, "c.fx", **kw))


def errors(src, **kw):
    with pytest.raises(FxError) as info:
        checked(src, **kw)
    e = info.value
    return [x.message for x in getattr(e, "errors", [e])]


def fn(c, name):
    return next(f for f in c.functions if f.name == name)


def nodes(f, cls):
    return [n for n in ast.walk(f) if isinstance(n, cls)]


def effect_names(f):
    return sorted(str(e.name) for e in f.effects)


# ---------------------------------------------------------------------------------------------------------
# generators

GENS = """
fn nat(from: int) -> Gen[int] { let mut i = from; loop { yield i; i += 1; } }
fn twice(x: int) { yield x; yield x; }
fn dup(g: Gen[int]) -> Gen[int] { for x in g { twice(x); } }
fn words() -> Gen[str] { yield "a"; yield "b"; return; }
"""


def test_generator_fns_and_yield_effects():
    c = checked(GENS + """
fn main() {
    for x in dup(nat(0)) { if x > 3 { break; } println(x); }
    let g = words();
    match next(g) { Some(w) => println(w), None => {} }
    cancel(g);
}
""")
    nat, twice, dup, words = (fn(c, n) for n in ("nat", "twice", "dup", "words"))
    assert nat.gen_elem == T.INT and words.gen_elem == T.STR and twice.gen_elem is None
    assert str(nat.fn_type) == "fn(int) -> Gen[int]"
    assert effect_names(twice) == ["yield int"] and effect_names(dup) == [] and effect_names(c.main) == []
    y = nodes(nat, ast.Yield)[0]
    assert y.ty == T.UNIT and y.elem == T.INT
    assert nodes(twice, ast.Yield)[0].elem == T.INT
    f = nodes(c.main, ast.For)[0]
    assert f.elem == T.INT and f.binding.name == "x" and f.binding.ty == T.INT and f.ty == T.UNIT
    assert f.binding in c.main.locals
    nxt = next(n for n in nodes(c.main, ast.Call) if n.kind == ast.CALL_BUILTIN and n.builtin == "next")
    assert str(nxt.ty) == "Option[str]" and nxt.ty in c.enums
    assert set(map(str, c.gen_types)) == {"int", "str"}


def test_yield_type_is_inferred_for_plain_fns_and_lambdas():
    c = checked("""
fn each(xs: [str]) { let mut i = 0; while i < len(xs) { yield xs[i]; i += 1; } }
fn strs() -> Gen[str] { each(["a", "b"]); let f = || yield "c"; f(); }
fn main() { for s in strs() { println(s); } }
""")
    assert effect_names(fn(c, "each")) == ["yield str"]
    assert [effect_names(lam) for lam in c.lambdas] == [["yield str"]]


@pytest.mark.parametrize("src, message", [
    ("fn main() { yield 1; }", "yield outside a generator: 'main' cannot yield (only a fn returning Gen[T], or a fn "
                               "called from one, may yield)"),
    ("fn f() { yield 1; } fn main() { f(); }",
     "yield outside a generator: 'main' may yield int (main -> f -> yield); only a fn returning Gen[T] can run code "
     "that yields"),
    ("fn g() -> Gen[int] { yield \"s\"; } fn main() {}", "type mismatch: expected int, found str (this generator yields int)"),
    ("fn t(x: str) { yield x; } fn g() -> Gen[int] { t(\"a\"); } fn main() {}",
     "type mismatch: generator 'g' yields int but may yield str (g -> t -> yield)"),
    ("fn f() { yield 1; yield \"s\"; } fn main() {}",
     "type mismatch: expected int, found str (every yield of a function yields the same type)"),
    ("fn main() { for x in 5 { } }", "'for' iterates over a generator (Gen[T]), an array or a range a..b, not int"),
    ("fn main() { next(3); }", "'next' cannot be applied to int (it takes a generator, Gen[T])"),
    ("fn g() -> Gen[int] { return 1; } fn main() {}", "a generator ends with 'return' without a value"),
    ("let x = yield 1; fn main() {}", "yield outside a generator: a global initialiser cannot yield (only a fn "
                                      "returning Gen[T], or a fn called from one, may yield)"),
    ("fn g() -> Gen[int] { yield 1; } fn main() { for x in g() { break 1; } }",
     "'break' with a value is only allowed inside 'loop'"),
])
def test_generator_errors(src, message):
    assert message in errors(src)


# ---------------------------------------------------------------------------------------------------------
# jumps out of try/finally and for

def test_jumps_list_the_cleanups_they_leave():
    c = checked(GENS + """
fn main() {
    for x in nat(0) {                                     // line 8
        if x > 10 { break; }                              // 9: cancels the for
        if x % 2 == 0 { continue; }                       // 10: nothing to clean up
        try {                                             // 11
            for y in nat(x) {                             // 12
                if y > 3 { break; } else { return; }      // 13
            }
            while true { break; }                         // 15: plain
        } finally { println("f"); }
        try { continue; } catch _ {}                      // 17: a try without finally needs nothing
    }
}
""")
    got = {(type(n).__name__, n.span.line): [(type(x).__name__, x.span.line) for x in n.leaves]
           for n in ast.walk(c.main) if isinstance(n, (ast.Break, ast.Continue, ast.Return))}
    assert got == {
        ("Break", 9): [("For", 8)],
        ("Continue", 10): [],
        ("Break", 13): [("For", 12)],
        ("Return", 13): [("For", 12), ("Try", 11), ("For", 8)],
        ("Break", 15): [],
        ("Continue", 17): [],
    }


def test_return_in_catch_body_leaves_its_try():
    c = checked("exception E\nfn f() -> int { try { throw E } catch E { return 1; } finally { println(\"x\"); } }\n"
                "fn main() { println(f()); }")
    ret = nodes(fn(c, "f"), ast.Return)[0]
    assert [type(x).__name__ for x in ret.leaves] == ["Try"]


# ---------------------------------------------------------------------------------------------------------
# exceptions

def test_exceptions():
    c = checked("""
exception NotFound(str)
exception Bad(int, str)
exception Stop
fn find(xs: [str], k: str) -> int {
    let mut i = 0;
    while i < len(xs) { if xs[i] == k { return i; } i += 1; }
    throw NotFound(k)
}
fn main() {
    let r = try { find(["a"], "b") } catch NotFound(s) { println(s); -1 } catch Bad(n, m) { n } catch Stop { -2 }
            catch _ { -3 } finally { println("done"); };
    println(r);
    try { println(0); } finally { println("always"); }
}
""")
    assert [(e.name, [str(t) for t in e.payload]) for e in c.exceptions] == [
        ("NotFound", ["str"]), ("Bad", ["int", "str"]), ("Stop", [])]
    th = nodes(fn(c, "find"), ast.Throw)[0]
    assert th.exception is c.exceptions[0] and th.ty == T.NEVER
    tr = nodes(c.main, ast.Try)
    assert tr[0].ty == T.INT and tr[1].ty == T.UNIT
    cs = tr[0].catches
    assert [c_.exception.name if c_.exception else None for c_ in cs] == ["NotFound", "Bad", "Stop", None]
    assert [(p.binding.name, str(p.binding.ty)) for p in cs[1].params] == [("n", "int"), ("m", "str")]
    assert all(p.binding in c.main.locals for p in cs[1].params)


@pytest.mark.parametrize("src, message", [
    ("exception E(int) fn main() { throw E(\"s\"); }", "type mismatch: expected int, found str"),
    ("exception E(int) fn main() { throw E; }", "exception 'E' takes 1 argument but 0 were given"),
    ("fn main() { throw F; }", "unknown exception 'F'"),
    ("struct S {} fn main() { throw S; }", "'S' is not an exception"),
    ("exception E(int) fn main() { try { } catch E { } }", "exception 'E' carries 1 value but the catch clause binds 0"),
    ("exception E fn main() { try { } catch E { } catch E { } }", "exception 'E' is caught twice"),
    ("fn main() { try { 1 } catch _ { \"s\" }; }",
     "type mismatch: expected int, found str (the body of 'try' and its 'catch' clauses must have the same type)"),
    ("exception E fn main() { try { } catch _ { } catch E { } }",
     "unreachable 'catch': the 'catch _' above it catches every exception"),
    ("fn main() { try { } finally { 1 } }", "type mismatch: expected unit, found int (a 'finally' block has no value)"),
    ("exception E fn main() { let e: E = 1; }", "'E' is an exception, not a type"),
])
def test_exception_errors(src, message):
    assert message in errors(src)


@pytest.mark.parametrize("src, message", [
    # an if/match tail hands on a generator only when it is one; otherwise a generator body has no value
    ("fn g(c: bool) -> Gen[int] { if c { 1 } else { 2 } } fn main() {}", "type mismatch: expected unit, found int"),
    ("fn g(k: int) -> Gen[int] { match k { 0 => 1, _ => 2 } } fn main() {}",
     "type mismatch: expected unit, found int"),
    ("fn n() -> Gen[str] { yield \"a\"; } fn g(c: bool) -> Gen[int] { if c { n() } else { n() } } fn main() {}",
     "type mismatch: expected int, found str (this generator yields int)"),
])
def test_generator_fn_tail_errors(src, message):
    assert message in errors(src)


# ---------------------------------------------------------------------------------------------------------
# effect sets on function types, k as a function, resume

EFF = "effect S { get() -> int }\neffect U { u() }\n"


def test_effects_through_function_types():
    c = checked(EFF + """
fn apply(f: fn() -> int / {S}) -> int { f() }
fn twice(f: fn() -> int / {S}) -> int { apply(f) + apply(f) }
fn main() {
    let v = handle { twice(|| perform S::get() + 1) } with { get(), k => k(1) };
    println(v);
}
""")
    assert effect_names(fn(c, "apply")) == ["S"] and effect_names(fn(c, "twice")) == ["S"]
    lam = c.lambdas[0]
    assert effect_names(lam) == ["S"] and str(lam.fn_type) == "fn() -> int / {S}"


def test_lambda_without_effect_type_counts_where_created():
    c = checked(EFF + """
fn apply(f: fn() -> int) -> int { f() }
fn main() { let v = handle { apply(|| perform S::get()) } with { get(), k => k(1) }; println(v); }
""")
    assert effect_names(fn(c, "apply")) == [] and effect_names(c.main) == []


def test_fn_value_given_an_effect_type():
    c = checked(EFF + """
fn get() -> int / S { perform S::get() }
fn apply(f: fn() -> int / {S}) -> int { f() }
fn main() { println(handle { apply(get) } with { get(), k => k(5) }); }
""")
    assert effect_names(fn(c, "get")) == ["S"] and effect_names(c.main) == []


def test_continuation_is_a_function_value():
    c = checked(EFF + """
fn main() {
    let saved: [fn(int) -> int] = [];
    let v = handle { perform S::get() * 2 } with { get(), k => { push(saved, k); resume(1) + k(2) } };
    println(v);
}
""")
    clause = nodes(c.main, ast.HandlerClause)[0]
    assert str(clause.k.binding.ty) == "fn(int) -> int"
    res = [n for n in nodes(c.main, ast.Call) if n.kind == ast.CALL_RESUME]
    assert [n.callee.name for n in res] == ["resume", "k"]
    assert all(n.callee.binding is clause.k.binding for n in res)


@pytest.mark.parametrize("src, message", [
    (EFF + "fn apply(f: fn() -> int / {S}) -> int { f() } fn main() { println(apply(|| perform S::get())); }",
     "'main' may perform effect S that no handler handles (main -> apply -> call through a function value)"),
    (EFF + "fn apply(f: fn() -> int / {S}) -> int { f() }\n"
           "fn main() { let v = handle { apply(|| { perform U::u(); 1 }) } with { get(), k => k(1) }; }",
     "this lambda may perform U but its function type allows only {S} (lambda -> perform U::u)"),
    (EFF + "fn f() -> int / {U} { perform S::get() } fn main() { }",
     "'f' may perform S, which its declared effects do not include (f -> perform S::get)"),
    (EFF + "fn main() { let x = resume(1); }",
     "'resume' outside a handler: only the body of a handler clause can resume (or call its continuation "
     "parameter, e.g. k(v))"),
    (EFF + "fn main() { perform S::get(1); }", "operation 'get' takes 0 arguments but 1 was given"),
    (EFF + "fn f(g: fn() / {Nope}) {} fn main() {}", "unknown effect 'Nope'"),
    (EFF + "struct P {} fn f(g: fn() / {P}) {} fn main() {}", "'P' is not an effect"),
])
def test_effect_type_errors(src, message):
    assert message in errors(src)


# ---------------------------------------------------------------------------------------------------------
# strings

def test_string_builtins():
    c = checked('fn main() { let b = byte("abc", 1); let s = slice("abc", 0, 2) + chr(233); println(b + len(s)); }')
    got = {n.builtin: str(n.ty) for n in nodes(c.main, ast.Call) if n.kind == ast.CALL_BUILTIN}
    assert got["byte"] == "int" and got["slice"] == "str" and got["chr"] == "str"


@pytest.mark.parametrize("src, message", [
    ('fn main() { let x = byte("a"); }', "'byte' takes 2 arguments but 1 was given"),
    ('fn main() { let x = slice("a", 0, "b"); }', "type mismatch: expected int, found str"),
    ("fn main() { let x: int = chr(65); }", "type mismatch: expected int, found str"),
])
def test_string_builtin_errors(src, message):
    assert message in errors(src)


# ---------------------------------------------------------------------------------------------------------
# async / await

ASYNC = "import std.async;\n"


def test_async_fns_and_await():
    c = checked(ASYNC + """
async fn worker(id: int, n: int) -> int { sleep(3); yield_now(); n * id }
async fn main() {
    let t = spawn(|| worker(1, 5));
    let c: Chan[int] = chan();
    send(c, await t);
    println(recv(c));
    cancel_task(t);
}
""", stdlib_dir=ASYNC_STDLIB)
    worker = fn(c, "worker")
    assert worker.is_async and effect_names(worker) == ["Async"]
    assert c.async_run is not None and c.async_run.qualname == "std.async.run"
    aw = nodes(c.main, ast.Await)[0]
    assert aw.ty == T.INT and aw.call.kind == ast.CALL_FN
    assert aw.call.callee.binding.decl.qualname == "std.async.await_task[int]"
    assert [str(a) for a in aw.call.type_args] == ["int"]
    assert aw.call.args[0] is aw.value
    lam = c.lambdas[-1] if c.lambdas[-1].name.startswith("main") else next(
        x for x in c.lambdas if x.name.startswith("main"))
    assert str(lam.fn_type) == "fn() -> int / {Async}"
    assert {"Task[int]", "Chan[int]"} <= {str(s) for s in c.structs}


def test_sync_main_has_no_runner():
    c = checked(ASYNC + "fn main() { println(1); }", stdlib_dir=ASYNC_STDLIB)
    assert c.async_run is None


@pytest.mark.parametrize("src, message", [
    (ASYNC + "fn f(t: Task[int]) -> int { await t } fn main() {}",
     "'await' outside async: only an async fn (or a lambda inside one) may await"),
    (ASYNC + "async fn f() {} fn main() { f(); }",
     "'main' may perform effect Async that no handler handles (main -> f -> async fn f)"),
    ("async fn f() -> int { 1 } fn main() {}", "an async fn needs the scheduler: add 'import std.async;'"),
])
def test_async_errors(src, message):
    assert message in errors(src, stdlib_dir=ASYNC_STDLIB)


MINI_ASYNC = """
effect Async { pause() }
fn await_task(t: int) -> int / {Async} { perform pause(); t }
fn run[T](main: fn() -> T / {Async}) -> [T] {
    let out = [];
    handle { push(out, main()); } with { pause(), k => k(()) };
    out
}
"""


def test_generic_scheduler_run_is_instantiated_for_unit(tmp_path):
    (tmp_path / "async.fx").write_text(MINI_ASYNC)
    c = checked(ASYNC + "async fn main() { println(await 3); }", stdlib_dir=str(tmp_path))
    assert c.async_run.qualname == "std.async.run[unit]" and c.async_run in c.functions
    assert str(c.async_run.fn_type) == "fn(fn() -> unit / {Async}) -> [unit]"


def test_scheduler_run_with_wrong_signature(tmp_path):
    (tmp_path / "async.fx").write_text("effect Async { pause() }\nfn run(n: int) {}\n")
    assert errors(ASYNC + "async fn main() {}", stdlib_dir=str(tmp_path)) == [
        "an async 'main' needs the scheduler's fn run(main: fn() -> unit / {Async}) in std.async"]


def test_generic_generators_and_yielding_closures():
    c = checked("""
fn from_array[T](xs: [T]) -> Gen[T] { let mut i = 0; while i < len(xs) { yield xs[i]; i += 1; } }
fn gen_from(f: fn() / {yield int}) -> Gen[int] { f(); }
fn main() {
    for s in from_array(["a", "b"]) { println(s); }
    for x in gen_from(|| { yield 1; yield 2; }) { println(x); }
}
""")
    assert {f.qualname: str(f.gen_elem) for f in c.instances} == {"main.from_array[str]": "str"}
    gf = fn(c, "gen_from")
    assert gf.gen_elem == T.INT and effect_names(gf) == [] and effect_names(c.main) == []
    assert effect_names(c.lambdas[0]) == ["yield int"] and str(c.lambdas[0].fn_type) == "fn() -> unit / {yield int}"
    assert "type mismatch: expected int, found str (every yield of a function yields the same type)" in errors(
        "fn gen_from(f: fn() / {yield int}) -> Gen[int] { f(); }\n"
        "fn main() { for x in gen_from(|| yield \"s\") {} }")
