"""Property: random well-typed expressions (built from a type downwards) check, and the checker infers
exactly the type they were built for, with no annotation on the `let` that holds them."""

import random

from hypothesis import HealthCheck, given, settings, strategies as st

from fxlang.check import check
from fxlang.modules import load_source

TYPES = ["int", "float", "bool", "str", "[int]", "[str]", "fn(int) -> int", "Opt"]

PRELUDE = """
effect Ask { ask(str) -> int, tell(str) }
enum Opt { Some(int), Nothing }
fn twice(f: fn(int) -> int, x: int) -> int { f(f(x)) }
"""


class Gen:
    def __init__(self, rng: random.Random):
        self.r = rng
        self.n = 0

    def fresh(self):
        self.n += 1
        return f"v{self.n}"

    def expr(self, ty: str, depth: int, env: dict) -> str:
        r = self.r
        names = [n for n, t in env.items() if t == ty]
        if names and r.random() < 0.3:
            return r.choice(names)
        if depth <= 0:
            return self.leaf(ty)
        if ty == "int" and "__handled__" in env and r.random() < 0.3:
            return f"perform ask({self.expr('str', depth - 1, env)})"
        d = depth - 1
        choice = r.randrange(7)
        if choice == 6:                                    # a handler around the expression
            inner = dict(env)
            inner["__handled__"] = "Ask"
            p, m = self.fresh(), self.fresh()
            return (f"handle {{ {self.expr(ty, d, inner)} }} with {{ ask({p}), k => k(len({p})), "
                    f"tell({m}), k => k() }}")
        if choice == 0:                                    # if / else
            return f"(if {self.expr('bool', d, env)} {{ {self.expr(ty, d, env)} }} else {{ {self.expr(ty, d, env)} }})"
        if choice == 1:                                    # block with a let of another type
            t2 = r.choice(TYPES)
            v = self.fresh()
            inner = dict(env)
            inner[v] = t2
            return f"{{ let {v} = {self.expr(t2, d, env)}; {self.expr(ty, d, inner)} }}"
        if choice == 2:                                    # immediately applied lambda, parameter inferred
            t2 = r.choice(["int", "str", "bool"])
            v = self.fresh()
            inner = dict(env)
            inner[v] = t2
            return f"(|{v}| {self.expr(ty, d, inner)})({self.expr(t2, d, env)})"
        if choice == 3:                                    # match on an enum
            v = self.fresh()
            inner = dict(env)
            inner[v] = "int"
            return (f"match {self.expr('Opt', d, env)} {{ Some({v}) => {self.expr(ty, d, inner)}, "
                    f"Nothing => {self.expr(ty, d, env)} }}")
        if choice == 4:                                    # array element
            return f"[{self.expr(ty, d, env)}, {self.expr(ty, d, env)}][{self.expr('int', d, env)} % 2]"
        return self.compound(ty, d, env)

    def compound(self, ty, d, env):
        r = self.r
        if ty == "int":
            return r.choice([
                f"({self.expr('int', d, env)} {r.choice('+-*/%')} {self.expr('int', d, env)})",
                f"len({self.expr(r.choice(['str', '[int]', '[str]']), d, env)})",
                f"twice({self.expr('fn(int) -> int', d, env)}, {self.expr('int', d, env)})",
                f"int({self.expr('float', d, env)})",
                f"{self.expr('fn(int) -> int', d, env)}({self.expr('int', d, env)})",
            ] + ([f"perform ask({self.expr('str', d, env)})",
                  f"{{ perform tell({self.expr('str', d, env)}); {self.expr('int', d, env)} }}"]
                 if "__handled__" in env else []))
        if ty == "float":
            return r.choice([f"({self.expr('float', d, env)} {r.choice('+-*/')} {self.expr('float', d, env)})",
                             f"float({self.expr('int', d, env)})", f"-{self.expr('float', d, env)}"])
        if ty == "bool":
            t2 = r.choice(["int", "float", "str"])
            return r.choice([f"({self.expr(t2, d, env)} {r.choice(['<', '>=', '==', '!='])} {self.expr(t2, d, env)})",
                             f"({self.expr('bool', d, env)} {r.choice(['&&', '||'])} {self.expr('bool', d, env)})",
                             f"!{self.expr('bool', d, env)}"])
        if ty == "str":
            return r.choice([f"({self.expr('str', d, env)} + {self.expr('str', d, env)})",
                             f"str({self.expr(r.choice(['int', 'float', 'bool']), d, env)})"])
        if ty.startswith("["):
            elem = ty[1:-1]
            return f"[{self.expr(elem, d, env)}]"
        if ty == "Opt":
            return f"Some({self.expr('int', d, env)})"
        v = self.fresh()                                   # fn(int) -> int: a lambda capturing the env
        inner = dict(env)
        inner[v] = "int"
        return f"(|{v}: int| {self.expr('int', d, inner)})"   # alone, a lambda has no use to infer from

    def leaf(self, ty):
        r = self.r
        return {
            "int": lambda: str(r.randrange(100)),
            "float": lambda: f"{r.randrange(100)}.5",
            "bool": lambda: r.choice(["true", "false"]),
            "str": lambda: r.choice(['"a"', '"hello"', '""']),
            "[int]": lambda: "[1, 2]",
            "[str]": lambda: '["x"]',
            "fn(int) -> int": lambda: "(|q| q + 1)",
            "Opt": lambda: r.choice(["Nothing", "Some(3)", "Opt::Nothing"]),
        }[ty]()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False), st.sampled_from(TYPES), st.integers(min_value=1, max_value=4))
def test_generated_expression_has_its_type(rng, ty, depth):
    g = Gen(rng)
    source = PRELUDE + f"fn main() {{ let result = {g.expr(ty, depth, {})}; }}\n"
    checked = check(load_source(source, "gen.fx"))
    binding = next(b for b in checked.main.locals if b.name == "result")
    assert str(binding.ty) == ty, source
    assert not checked.main.effects
