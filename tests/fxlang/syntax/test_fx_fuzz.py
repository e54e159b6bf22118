"""Robustness: random token soups and random mutations of valid programs never raise anything but FxError
(from the lexer, parser, module loader or checker), and every diagnostic renders."""

from hypothesis import HealthCheck, given, settings, strategies as st

from fxlang.check import check, types as T
from fxlang.diagnostics import FxError
from fxlang.modules import load_source
from fxlang.syntax import ast
from fxlang.syntax.lexer import Lexer

VALID = [
    """
struct Point { x: int, y: float }
enum Shape { Circle(float), Rect(float, float), Empty }
fn area(s: Shape) -> float {
    match s { Circle(r) => 3.0 * r * r, Rect(w, h) => w * h, Empty => 0.0 }
}
fn main() {
    let p = Point { x: 1, y: 2.0 };
    let mut xs: [int] = [];
    let mut i = 0;
    while i < 10 { push(xs, i * p.x); i += 1; }
    println(str(len(xs)) + " " + str(area(Rect(p.y, 2.0))));
}
""",
    """
fn fib(n: int) -> int { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }
fn compose(f: fn(int) -> int, g: fn(int) -> int) -> fn(int) -> int { |x| f(g(x)) }
fn main() {
    let mut count = 0;
    let inc = |d| { count += d; count };
    let h = compose(|a| a + 1, |b| b * 2);
    let v = loop { if inc(1) > 3 { break h(fib(10)); } };
    match v { 0 => println("zero"), n if n > 100 => println(n), _ => println(-1) }
}
""",
    """
enum Tree { Leaf, Node(Tree, int, Tree) }
let limit: int = 3;
fn sum(t: Tree) -> int {
    match t { Leaf => 0, Tree::Node(l, v, r) => sum(l) + v + sum(r) }
}
fn main() {
    let t = Node(Node(Leaf, 1, Leaf), 2, Leaf);
    let s = "tab\\t \\"q\\" \\u{263A}";
    if sum(t) > limit && !false { println(s) } else { println(1.5e3) }
}
""",
    """
effect Ask { ask(str) -> int, tell(str) }
effect Fail { fail() -> int }
fn asker(n: int) -> int { if n > 3 { perform fail() } else { perform tell("n"); perform ask("x") + n } }
fn main() {
    let r = handle { handle { asker(2) } with { fail(), k => 0 } } with {
        ask(p), k => k(len(p)),
        Ask::tell(m), k => { println(m); k() }
        return v => v * 2,
    };
    nosuspend { println(r) }
}
""",
    """
enum List[T] { Cons(T, List[T]), Nil }
struct Pair[A, B] { a: A, b: B }
fn map[T, U](l: List[T], f: fn(T) -> U) -> List[U] { match l { Cons(x, r) => Cons(f(x), map(r, f)), Nil => Nil } }
fn pair[A, B](a: A, b: B) -> Pair[A, B] { Pair { a: a, b: b } }
fn main() {
    let l = map(Cons(1, Cons(2, Nil)), |x| pair(x, str(x)));
    let o: Option[int] = None;
    match l { Cons(p, _) => println(p.b), Nil => {} }
    match o { Some(v) => println(v), None => println(slice("abc", 0, byte("a", 0) - 96) + chr(65)) }
}
""",
    """
exception NotFound(str)
exception Stop
effect Log { log(str) }
fn nat(from: int) -> Gen[int] { let mut i = from; loop { yield i; i += 1; } }
fn twice(x: int) { yield x; yield x; }
fn dup(g: Gen[int]) -> Gen[int] { try { for x in g { twice(x); } } finally { println("closed"); } }
fn apply(f: fn(int) -> int / {Log}, x: int) -> int { f(x) }
fn main() {
    for x in dup(nat(0)) { if x > 3 { break; } if x == 1 { continue; } println(x); }
    let g = nat(5);
    match next(g) { Some(x) => println(x), None => {} }
    cancel(g);
    let r = try { throw NotFound("k") } catch NotFound(s) { len(s) } catch Stop { 0 } catch _ { -1 } finally { println("f"); };
    let saved: [fn(unit) -> int] = [];
    let v = handle { apply(|y| { perform Log::log("y"); y + r }, 2) } with { log(m), k => { push(saved, k); resume(()) } };
    println(v);
}
""",
]

VOCAB = [
    "fn", "let", "mut", "if", "else", "while", "loop", "break", "continue", "return", "match", "struct",
    "enum", "import", "true", "false", "yield", "handle", "x", "y", "main", "Point", "Some", "None", "_",
    "int", "str", "[int]", "0", "42", "1.5", '"s"', '"\\n"', "+", "-", "*", "/", "%", "==", "!=", "<", ">=",
    "&&", "||", "!", "=", "+=", "(", ")", "{", "}", "[", "]", ",", ";", ":", "::", ".", "->", "=>", "|",
    "\n", "//c\n", "len", "push", "println", "str", "@", '"', "/*", "effect", "perform", "handle", "with",
    "nosuspend", "k", "ask", "Ask", "for", "in", "try", "catch", "finally", "throw", "exception", "async",
    "await", "resume", "Gen", "Option", "[T]", "T", "/", "next", "cancel", "NotFound", "Stop",
]


def pipeline(source: str) -> None:
    try:
        checked = check(load_source(source, "fuzz.fx", stdlib_dir="/nonexistent"))
    except FxError as e:
        text = e.render()
        assert "error:" in text
        return
    # A program that checks is fully annotated: no unsolved or internal error types anywhere.
    for m in checked.program.modules:
        for d in m.items:
            for n in ast.walk(d):
                if isinstance(n, ast.Expr):
                    assert isinstance(n.ty, T.Type) and not T.has_vars(n.ty) and "<error>" not in str(n.ty)
                b = getattr(n, "binding", None)
                if b is not None:
                    assert not T.has_vars(b.ty) and "<error>" not in str(b.ty)
                if isinstance(n, ast.Call):
                    assert n.kind in (ast.CALL_FN, ast.CALL_CLOSURE, ast.CALL_BUILTIN, ast.CALL_VARIANT,
                                      ast.CALL_RESUME)


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.lists(st.sampled_from(VOCAB), max_size=60))
def test_token_soup(words):
    pipeline(" ".join(words))


@FAST
@given(st.lists(st.sampled_from(VOCAB), max_size=40))
def test_token_soup_inside_main(words):
    pipeline("fn main() { " + " ".join(words) + " }")


def _tokens(source):
    lexer = Lexer(source, "v.fx")
    return [source[t.lexpos:t.endpos] for t in lexer.tokenize()]


TOKENS = [_tokens(s) for s in VALID]


def test_valid_programs_check():
    for s in VALID:
        check(load_source(s, "valid.fx", stdlib_dir="/nonexistent"))
        pipeline(s)


def test_regressions_found_by_fuzzing():
    pipeline('fn main() { let s = "\\u{-263A}"; }')      # negative code point in a unicode escape
    pipeline("fn main() { let a = return.x; }")           # field of a diverging expression


mutation = st.tuples(st.sampled_from(["delete", "duplicate", "swap", "replace"]),
                     st.integers(min_value=0, max_value=10_000), st.sampled_from(VOCAB))


@FAST
@given(st.integers(min_value=0, max_value=len(VALID) - 1), st.lists(mutation, min_size=1, max_size=4))
def test_token_mutations(which, mutations):
    toks = list(TOKENS[which])
    for kind, pos, word in mutations:
        i = pos % len(toks)
        if kind == "delete" and len(toks) > 1:
            del toks[i]
        elif kind == "duplicate":
            toks.insert(i, toks[i])
        elif kind == "swap":
            j = (i + 1) % len(toks)
            toks[i], toks[j] = toks[j], toks[i]
        else:
            toks[i] = word
    pipeline(" ".join(toks))


@FAST
@given(st.integers(min_value=0, max_value=len(VALID) - 1), st.integers(min_value=0, max_value=10_000),
       st.integers(min_value=0, max_value=5), st.text(max_size=3))
def test_character_mutations(which, pos, cut, insert):
    s = VALID[which]
    i = pos % len(s)
    pipeline(s[:i] + insert + s[i + cut:])
