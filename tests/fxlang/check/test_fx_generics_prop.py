"""Property: random values of random nested generic types (built from the type downwards through generic
constructors, generic fns and generators) check without annotations; the checker infers exactly the type they
were built for, makes exactly the instances the expression needs, and leaves nothing generic for codegen."""

import random

from hypothesis import HealthCheck, given, settings, strategies as st

from fxlang.check import check
from fxlang.modules import load_source

from tests.fxlang.check.test_fx_generics import assert_concrete

LIB = """
struct Pair[A, B] { a: A, b: B }
enum List[T] { Cons(T, List[T]), Nil }
fn id[T](x: T) -> T { x }
fn wrap[T](x: T) -> Option[T] { Some(x) }
fn both[A, B](a: A, b: B) -> Pair[A, B] { Pair { a: a, b: b } }
fn one[T](x: T) -> List[T] { Cons(x, Nil) }
fn gen_of[T](x: T) -> Gen[T] { yield x; yield id(x); }
fn first[T](g: Gen[T]) -> Option[T] { next(g) }
"""


def random_type(r: random.Random, depth: int) -> tuple:
    """A type as a tree: ("int",), ("Option", t), ("Pair", a, b), ("List", t), ("arr", t)."""
    if depth <= 0 or r.random() < 0.25:
        return (r.choice(["int", "str", "bool"]),)
    k = r.choice(["Option", "Pair", "List", "arr"])
    if k == "Pair":
        return (k, random_type(r, depth - 1), random_type(r, depth - 1))
    return (k, random_type(r, depth - 1))


def text(t: tuple) -> str:
    k = t[0]
    if k == "arr":
        return f"[{text(t[1])}]"
    if len(t) == 1:
        return k
    return f"{k}[{', '.join(text(x) for x in t[1:])}]"


class Builder:
    def __init__(self, r: random.Random):
        self.r = r
        self.needed: set[str] = set()      # instances the expression needs, as qualnames

    def use(self, fn: str, *args: tuple) -> None:
        self.needed.add(f"main.{fn}[{', '.join(text(a) for a in args)}]")

    def value(self, t: tuple) -> str:
        r = self.r
        if r.random() < 0.2:
            self.use("id", t)
            return f"id({self.value(t)})"
        k = t[0]
        if k == "int":
            return str(r.randrange(100))
        if k == "str":
            return '"s"'
        if k == "bool":
            return r.choice(["true", "false"])
        if k == "arr":
            return f"[{self.value(t[1])}, {self.value(t[1])}]"
        if k == "Option":
            c = r.randrange(3)
            if c == 0:
                self.use("wrap", t[1])
                return f"wrap({self.value(t[1])})"
            if c == 1:
                self.use("first", t[1])
                self.use("gen_of", t[1])
                self.use("id", t[1])            # gen_of[T] calls id[T]
                return f"first(gen_of({self.value(t[1])}))"
            return f"Some({self.value(t[1])})"
        if k == "Pair":
            if r.random() < 0.5:
                self.use("both", t[1], t[2])
                return f"both({self.value(t[1])}, {self.value(t[2])})"
            return f"Pair {{ a: {self.value(t[1])}, b: {self.value(t[2])} }}"
        if k == "List":
            if r.random() < 0.5:
                self.use("one", t[1])
                return f"one({self.value(t[1])})"
            return f"Cons({self.value(t[1])}, Nil)"
        raise AssertionError(t)


@settings(max_examples=80, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example, HealthCheck.data_too_large])
@given(st.randoms(use_true_random=False), st.integers(min_value=0, max_value=3))
def test_random_generic_values(rng, depth):
    t = random_type(rng, depth)
    b = Builder(rng)
    src = LIB + f"fn main() {{ let v = {b.value(t)}; }}\n"
    c = check(load_source(src, "p.fx"))
    v = next(x for x in c.main.locals if x.name == "v")
    assert str(v.ty) == text(t), src
    made = {f.qualname for f in c.instances}
    assert b.needed <= made, src
    # nothing more than the expression needs, apart from what the library fns need themselves
    extra = {q for q in made - b.needed if not q.startswith("main.id[")}
    assert not extra, (src, extra)
    assert_concrete(c)
