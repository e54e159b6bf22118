"""Generics: monomorphised structs, enums and fns; the prelude's Option[T]; the codegen-ready invariant
(no type parameter, type variable or provisional instance anywhere in what codegen sees)."""

import os

import pytest

from fxlang.check import check, types as T
from fxlang.diagnostics import FxError
from fxlang.modules import load_program, load_source
from fxlang.syntax import ast

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
ASYNC_STDLIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "async_stdlib")


def checked(src, **kw):
    return check(load_source(src, "g.fx", **kw))


def errors(src):
    with pytest.raises(FxError) as info:
        checked(src)
    e = info.value
    return [x.message for x in getattr(e, "errors", [e])]


def fn(c, qualname):
    return next(f for f in c.functions if f.qualname == qualname)


def calls(f):
    return [n for n in ast.walk(f) if isinstance(n, ast.Call)]


LIB = """
enum List[T] { Cons(T, List[T]), Nil }
struct Pair[A, B] { a: A, b: B }
fn id[T](x: T) -> T { x }
fn length[T](l: List[T]) -> int { match l { Cons(_, rest) => 1 + length(rest), Nil => 0 } }
fn swap[A, B](p: Pair[A, B]) -> Pair[B, A] { Pair { a: p.b, b: p.a } }
fn map[T, U](xs: [T], f: fn(T) -> U) -> [U] {
    let out = [];
    let mut i = 0;
    while i < len(xs) { push(out, f(xs[i])); i += 1; }
    out
}
fn first[T](xs: [T]) -> Option[T] { if len(xs) == 0 { None } else { Some(xs[0]) } }
"""


def test_instances_are_separate_checked_fns():
    c = checked(LIB + """
fn main() {
    println(length(Cons(1, Cons(2, Nil))));
    println(id("s") + id("t"));
    let p = swap(Pair { a: 1, b: "x" });
    println(p.a);
    let ys = map([1, 2, 3], |x| str(x));
    match first(ys) { Some(s) => println(s), None => {} }
    let f = id;
    println(f(3));
}
""")
    names = [f.qualname for f in c.functions]
    assert names[0] == "g.main" or names[0].endswith(".main")
    assert {"main.length[int]", "main.id[str]", "main.swap[int, str]", "main.map[int, str]", "main.first[str]",
            "main.id[int]"} <= set(names)
    assert {f.qualname for f in c.instances} == set(names) - {c.main.qualname}
    assert [f.name for f in c.generic_fns if f.qualname.startswith("main.")] == ["id", "length", "swap", "map", "first"]
    assert not any(f.type_params for f in c.functions)
    swap = fn(c, "main.swap[int, str]")
    assert swap.instance_of.name == "swap" and [str(a) for a in swap.type_args] == ["int", "str"]
    assert str(swap.fn_type) == "fn(Pair[int, str]) -> Pair[str, int]"
    # the call binds the instance and records its type arguments
    call = next(e for e in calls(c.main) if isinstance(e.callee, ast.Name) and e.callee.name == "swap")
    assert call.kind == ast.CALL_FN and call.callee.binding is swap.binding
    assert [str(a) for a in call.type_args] == ["int", "str"]
    # a generic fn used as a value binds its instance too
    fval = next(n for n in ast.walk(c.main) if isinstance(n, ast.Let) and n.name == "f").value
    assert fval.binding is fn(c, "main.id[int]").binding


def test_recursive_instance_calls_itself():
    c = checked(LIB + "fn main() { println(length(Cons(\"a\", Nil))); }")
    inst = fn(c, "main.length[str]")
    rec = next(e for e in calls(inst) if isinstance(e.callee, ast.Name) and e.callee.name == "length")
    assert rec.callee.binding is inst.binding


def test_instance_types_are_canonical_and_listed():
    c = checked(LIB + """
fn main() {
    let a: List[int] = Nil;
    let b = Cons(1, a);
    let o: Option[int] = Some(2);
    let q = Pair { a: o, b: [b] };
    println(len(q.b));
}
""")
    enums = {str(e): e for e in c.enums}
    structs = {str(s): s for s in c.structs}
    assert {"List[int]", "Option[int]"} <= set(enums)
    assert "Pair[Option[int], [List[int]]]" in structs
    assert "List" not in enums and "Option" not in enums          # templates are not types codegen emits
    lst = enums["List[int]"]
    assert lst.generic == "List" and lst.args == (T.INT,)
    assert [(v.name, [str(p) for p in v.payload]) for v in lst.variants] == [("Cons", ["int", "List[int]"]), ("Nil", [])]
    assert lst.variants[0].payload[1] is lst                      # recursive instance is the same object
    locals_ = {b.name: b for b in c.main.locals}
    assert locals_["a"].ty is lst and locals_["b"].ty is lst
    pair = structs["Pair[Option[int], [List[int]]]"]
    assert [(n, str(t)) for n, t in pair.fields] == [("a", "Option[int]"), ("b", "[List[int]]")]


def test_inference_from_expected_type_and_later_use():
    c = checked("""
struct Box[T] { items: [T] }
fn empty[T]() -> Box[T] { Box { items: [] } }
fn put[T](b: Box[T], x: T) { push(b.items, x); }
fn main() {
    let b: Box[str] = empty();
    put(b, "x");
    let c = empty();
    put(c, 3);
}
""")
    assert {f.qualname for f in c.instances} == {"main.empty[str]", "main.put[str]", "main.empty[int]", "main.put[int]"}


def test_variant_patterns_of_generic_enums():
    c = checked("""
enum Tree[T] { Leaf, Node(Tree[T], T, Tree[T]) }
fn sum(t: Tree[int]) -> int { match t { Leaf => 0, Node(l, v, r) => sum(l) + v + sum(r) } }
fn main() { println(sum(Node(Leaf, 1, Node(Leaf, 2, Leaf)))); }
""")
    tree = next(e for e in c.enums if str(e) == "Tree[int]")
    pats = [n for n in ast.walk(c.functions[0]) if isinstance(n, ast.VariantPat)]
    assert pats and all(p.variant.enum is tree for p in pats)


def test_user_option_shadows_the_prelude():
    c = checked("enum Option { Some(int), None }\nfn main() { let o = Some(1); match o { Some(x) => println(x), None => {} } }")
    assert [str(e) for e in c.enums] == ["Option"]


@pytest.mark.parametrize("src, message", [
    ("fn id[T](x: T) -> T { x + 1 } fn main() {}", "operator '+' cannot be applied to T"),
    ("fn mk[T]() -> [T] { [] } fn main() { let a = mk(); }", "cannot infer the type argument T of 'mk'; add a type annotation"),
    ("struct B[T] { v: T } fn main() { let b: B = B { v: 1 }; }", "type 'B' takes 1 type argument but 0 were given; write B[T]"),
    ("struct B { v: int } fn main() { let b: B[int] = B { v: 1 }; }", "type 'B' takes no type arguments"),
    ("fn main() { let o: Option[int] = Some(\"s\"); }", "type mismatch: expected int, found str"),
    ("fn f[T](x: T) { f([x]); } fn main() { f(1); }",
     "generic function 'f' is instantiated with ever larger type arguments (polymorphic recursion cannot be monomorphised)"),
    ("fn f[T, T](x: T) {} fn main() {}", "duplicate type parameter 'T'"),
    ("fn f[T](x: T) -> int { x } fn main() {}", "type mismatch: expected int, found T"),
    ("fn main() { let x: int[int] = 1; }", "type 'int' takes no type arguments"),
])
def test_generic_errors(src, message):
    assert message in errors(src)


def test_template_errors_are_reported_once():
    errs = errors("fn bad[T](x: T) -> T { x * 2 } fn main() { bad(1); bad(\"s\"); bad(true); }")
    assert errs == ["operator '*' cannot be applied to T"]


# ---------------------------------------------------------------------------------------------------------
# What codegen sees is concrete

def _types_in(t, seen=None):
    seen = set() if seen is None else seen
    if id(t) in seen:
        return
    seen.add(id(t))
    yield t
    if isinstance(t, (T.Array, T.Gen)):
        yield from _types_in(t.elem, seen)
    elif isinstance(t, T.Fn):
        for p in t.params + (t.result,):
            yield from _types_in(p, seen)
    elif isinstance(t, T.Enum):
        for v in t.variants:
            for p in v.payload:
                yield from _types_in(p, seen)
    elif isinstance(t, T.Struct):
        for _, f in t.fields:
            yield from _types_in(f, seen)


def assert_concrete(c):
    known = set(map(id, c.enums)) | set(map(id, c.structs))
    roots = []
    for f in c.functions:
        for n in ast.walk(f):
            for attr in ("ty", "fn_type", "elem", "body_ty", "struct"):
                t = getattr(n, attr, None)
                if isinstance(t, T.Type):
                    roots.append((n, t))
            b = getattr(n, "binding", None)
            if isinstance(b, ast.Binding):
                roots.append((n, b.ty))
            v = getattr(n, "variant", None)
            if isinstance(v, ast.VariantRef):
                roots.append((n, v.enum))
            if isinstance(n, ast.Await) and n.call is not None:
                roots.append((n, n.call.ty))
    for n, root in roots:
        for t in _types_in(root):
            assert not isinstance(t, (T.TypeVar, T.Param)), (n, root)
            if isinstance(t, (T.Enum, T.Struct)):
                assert t.canon is None and not t.params, (n, root)
                assert id(t) in known, f"{t} used by {type(n).__name__} at {n.span} is not in Checked"


def test_library_program_is_concrete():
    assert_concrete(checked(LIB + """
fn main() {
    let l = Cons(Pair { a: 1, b: Some("x") }, Nil);
    println(length(l));
    let ys = map([1, 2], |x| Some(x));
    match first(ys) { Some(Some(v)) => println(v), _ => {} }
}
"""))


EXAMPLES = os.path.join(ROOT, "examples")
PROGRAMS = sorted(os.path.join(EXAMPLES, f) for f in os.listdir(EXAMPLES) if f.endswith(".fx"))


@pytest.mark.parametrize("path", PROGRAMS, ids=os.path.basename)
def test_examples_check_concrete(path):
    """Every example passes the front end (with the real std.async) and leaves nothing generic for codegen;
    an async main is started through std.async."""
    with open(path, encoding="utf-8") as f:
        async_main = "async fn main" in f.read()
    c = check(load_program(path))
    assert_concrete(c)
    assert (c.async_run is not None) == async_main
