"""Differential test: seeded random well-typed programs (closures over mutable variables, loops, arrays that
grow, structs, enums with guards, strings) are compiled, validated by wasm-tools, and must print the same on
V8 (node 26) and on our VM.  Neither engine is the oracle; a disagreement or an invalid module is a bug."""

import random

import pytest

from .conftest import _run_node, run_vm

PRELUDE = """
effect Ask { ask(int) -> int }
enum Opt { Some(int), None }
struct P { a: int, s: str }
fn inc(x: int) -> int { x + 1 }
fn describe(o: Opt) -> str { match o { Some(n) if n < 0 => "neg", Some(n) => "some " + str(n), None => "none" } }
"""

PRINTABLE = ["int", "bool", "str", "float"]
TYPES = PRINTABLE + ["[int]", "Opt", "P", "fn(int) -> int"]


class Gen:
    def __init__(self, seed, effects=False):
        self.r = random.Random(seed)
        self.n = 0
        self.lines = []
        self.effects = effects
        self.handlers = 0           # how many `handle` bodies enclose the expression being generated

    def fresh(self):
        self.n += 1
        return f"v{self.n}"

    def var(self, env, ty, mutable=None):
        names = [n for n, (t, m) in env.items() if t == ty and (mutable is None or m == mutable)]
        return self.r.choice(names) if names else None

    # ---- expressions ---------------------------------------------------------------------------
    def expr(self, ty, d, env):
        r = self.r
        v = self.var(env, ty)
        if v and r.random() < 0.35:
            return v
        if d <= 0:
            return self.leaf(ty, env)
        d -= 1
        k = r.randrange(4)
        if k == 0:
            return f"(if {self.expr('bool', d, env)} {{ {self.expr(ty, d, env)} }} else {{ {self.expr(ty, d, env)} }})"
        if k == 1:
            t2, v = r.choice(TYPES), self.fresh()
            inner = {**env, v: (t2, False)}
            return f"{{ let {v} = {self.expr(t2, d, env)}; {self.expr(ty, d, inner)} }}"
        if k == 2:
            v = self.fresh()
            inner = {**env, v: ("int", False)}
            return (f"match {self.expr('Opt', d, env)} {{ Some({v}) if {v} > 2 => {self.expr(ty, d, inner)}, "
                    f"Some(_) => {self.expr(ty, d, env)}, None => {self.expr(ty, d, env)} }}")
        return self.compound(ty, d, env)

    def compound(self, ty, d, env):
        r, e = self.r, self.expr
        if ty == "int" and self.effects and r.random() < 0.25:
            if self.handlers and r.random() < 0.5:
                return f"(perform ask({e('int', d, env)}))"
            self.handlers += 1
            body = f"({e('int', d, env)}) + (perform ask({e('int', d, env)}))"
            self.handlers -= 1
            v, k = self.fresh(), self.fresh()
            clause = r.choice([f"{k}({v} * 2) + 1", f"{v} - 1", f"{{ let w = {v} % 7; {k}(w) * 3 }}"])
            return f"(handle {{ {body} }} with {{ ask({v}), {k} => {clause} }})"
        if ty == "int":
            return r.choice([
                lambda: f"({e('int', d, env)} {r.choice('+-*')} {e('int', d, env)})",
                lambda: f"({e('int', d, env)} / {r.choice([1, 3, -7])})",
                lambda: f"({e('int', d, env)} % {r.choice([2, 5, -3])})",
                lambda: f"len({e('[int]', d, env)})",
                lambda: self.index(d, env),
                lambda: f"({e('P', d, env)}).a",
                lambda: f"({e('fn(int) -> int', d, env)})({e('int', d, env)})",
                lambda: f"len({e('str', d, env)})",
            ])()
        if ty == "bool":
            return r.choice([
                lambda: f"({e('int', d, env)} {r.choice(['<', '<=', '==', '!=', '>'])} {e('int', d, env)})",
                lambda: f"({e('str', d, env)} {r.choice(['<', '==', '>='])} {e('str', d, env)})",
                lambda: f"({e('bool', d, env)} {r.choice(['&&', '||'])} {e('bool', d, env)})",
                lambda: f"!{e('bool', d, env)}",
                lambda: f"({e('float', d, env)} < {e('float', d, env)})",
            ])()
        if ty == "str":
            return r.choice([
                lambda: f"({e('str', d, env)} + {e('str', d, env)})",
                lambda: f"str({e(r.choice(['int', 'bool', 'float']), d, env)})",
                lambda: f"({e('P', d, env)}).s",
                lambda: f"describe({e('Opt', d, env)})",
            ])()
        if ty == "float":
            return r.choice([
                lambda: f"({e('float', d, env)} {r.choice('+-*')} {e('float', d, env)})",
                lambda: f"(float({e('int', d, env)} % 1000) / 8.0)",
            ])()
        if ty == "[int]":
            return f"[{e('int', d, env)}, {e('int', d, env)}]"
        if ty == "Opt":
            return f"Some({e('int', d, env)})" if r.random() < 0.7 else "None"
        if ty == "P":
            return f"P {{ s: {e('str', d, env)}, a: {e('int', d, env)} }}"
        # fn(int) -> int: a lambda that may capture (and update) mutable variables
        x = self.fresh()
        inner = {**env, x: ("int", False)}
        m = self.var(env, "int", mutable=True)
        if m and r.random() < 0.5:
            return f"(|{x}: int| {{ {m} += {x}; {e('int', d, inner)} }})"
        return r.choice([f"(|{x}: int| {e('int', d, inner)})", "inc"])

    def index(self, d, env):
        xs = self.var(env, "[int]")
        if xs is None:
            return "7"
        i = self.expr("int", d, env)
        return f"{xs}[(({i} % len({xs})) + len({xs})) % len({xs})]"

    def leaf(self, ty, env):
        r = self.r
        return {
            "int": lambda: str(r.choice([0, 1, 2, 3, 5, 10, 1000, 123456789])),
            "bool": lambda: r.choice(["true", "false"]),
            "str": lambda: '"' + r.choice(["", "a", "fx", "héllo", "zz"]) + '"',
            "float": lambda: r.choice(["0.5", "1.25", "3.0", "0.1"]),
            "[int]": lambda: f"[{r.randrange(10)}]",
            "Opt": lambda: r.choice(["None", f"Some({r.randrange(-2, 6)})"]),
            "P": lambda: f'P {{ a: {r.randrange(9)}, s: "p" }}',
            "fn(int) -> int": lambda: "inc",
        }[ty]()

    # ---- statements ----------------------------------------------------------------------------
    def stmts(self, env, n, depth, indent="    "):
        r = self.r
        for _ in range(n):
            k = r.randrange(8)
            if k <= 1:
                ty = r.choice(TYPES)
                v = self.fresh()
                mut = ty in ("int", "str") and r.random() < 0.6
                self.lines.append(f"{indent}let {'mut ' if mut else ''}{v} = {self.expr(ty, 2, env)};")
                env[v] = (ty, mut)
            elif k <= 3:
                ty = r.choice(PRINTABLE)
                self.lines.append(f"{indent}println({self.expr(ty, 3, env)});")
            elif k == 4:
                m = self.var(env, r.choice(["int", "str"]), mutable=True)
                if m:
                    ty = env[m][0]
                    op = "+=" if ty == "int" and r.random() < 0.5 else "="
                    self.lines.append(f"{indent}{m} {op} {self.expr(ty, 2, env)};")
            elif k == 5:
                xs = self.var(env, "[int]")
                if xs:
                    if r.random() < 0.5:
                        self.lines.append(f"{indent}push({xs}, {self.expr('int', 2, env)});")
                    else:
                        self.lines.append(f"{indent}{self.index(1, env)} = {self.expr('int', 2, env)};")
            elif k == 6:
                p = self.var(env, "P")
                if p:
                    self.lines.append(f"{indent}{p}.a += {self.expr('int', 1, env)};")
            elif depth > 0:
                i = self.fresh()
                self.lines.append(f"{indent}let mut {i} = 0;")
                self.lines.append(f"{indent}while {i} < {r.randrange(1, 4)} {{")
                self.stmts(dict(env), 3, depth - 1, indent + "    ")
                self.lines.append(f"{indent}    {i} += 1;")
                self.lines.append(f"{indent}}}")

    def program(self):
        env = {}
        self.stmts(env, 30, 2)
        for v, (t, _) in env.items():
            if t in PRINTABLE:
                self.lines.append(f"    println({v});")
        return PRELUDE + "fn main() {\n" + "\n".join(self.lines) + "\n}\n"


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("effects", [False, True], ids=["core", "effects"])
def test_random_program_same_on_node_and_vm(build, tmp_path, seed, effects):
    src = Gen(seed, effects).program()
    data = build(src)
    r = _run_node(tmp_path / "prog.wasm")
    node = (r.stdout.decode(), r.returncode)
    assert node[1] == 0, f"{r.stderr.decode()}\n{src}"
    assert run_vm(data) == node, src
