"""Random control-feature programs for the differential tests, with their expected output.

    programs(features) --hypothesis--> Program --render_fx--> fx source (docs/effects.md syntax)
                                               --expected_output--> the oracle's stdout (AST interpreter)
                                               --render_python--> an equivalent plain-Python program
                                                                  (generator/exception subset only)

The AST is our own and deliberately small. Features (a program uses a subset of FEATURES):
  handlers     deep handlers for State (get/put) and Emit (emit) whose clauses resume, resume and then act,
               abandon the body, or store k to resume it after the handle returned
  generators   `fn genN(a: int) -> Gen[int]` yielding ints, `for` over them with `break`, manual `next`
  exceptions   `throw Boom(n)` / `throw Stop` at random points, `try/catch Boom(e)/catch Stop/catch _/finally`
  cancel       `cancel(g)` before the first `next` or after a `Some`
  stackful     plain functions `walkN(a: int)` that yield, called from generators
  gen_effects  generators that perform Emit, handled around their consumer
  escape       `break` (and `return`, with jumps) out of a handler body
  jumps        `continue`, and `return` (ends a generator; cancels the generators of the loops it leaves)
  finally_yield  `yield` inside the `finally` blocks of generators: an ordinary yield when the finally runs on
               a normal exit, a jump or an exception; a panic when a cancellation runs it (docs/language.md §10)
plus bounded `while` loops and `if`s over int expressions.

The oracle interprets the AST with Python generators standing for suspended stacks: every interpreted
evaluation is a Python generator that yields effect requests (`Op`) outward and returns its value. That gives
exactly the semantics of docs/effects.md:
  * handlers are deep: `k(v)` drives the captured body again under the same handler;
  * an operation a handler does not handle is forwarded outward (the engine's tag dispatch), and whatever the
    outer side throws back in (cancellation) is thrown into the suspended body;
  * `finally` runs on normal exit, on an exception, on `break`/`continue`/`return` and on cancellation, never
    when a continuation is merely abandoned (a handler that does not resume, a generator that is dropped):
    an abandoned continuation is garbage. The interpreter therefore never uses Python's own `finally:` for
    fx semantics (CPython would run it at garbage collection via GeneratorExit), and keeps abandoned
    generators alive;
  * `break` (or `return`) out of `for` cancels the generator (`resume_throw $cancel`): its finally blocks run
    and the cancellation comes back to the loop; `cancel(g)` does the same explicitly; so does an exception
    (the cancellation included) leaving a `for` body, before it goes on (docs/effects.md, "Generators");
  * an exception raised in a resumed generator (or handled body) propagates to the resumer;
  * a cleanup's Emit into a handler inside the generator that drops the body ends the cancellation there: the
    generator goes on after that handle, and its end ends the cancel (docs/language.md §10);
  * a yield while a generator is being cancelled stops the program with the panic YIELD_WHILE_CANCELLED
    (expected_outcome gives the output until then and the message; Python's close() raises "generator
    ignored GeneratorExit" there, the rendered Python's cancel() stops the program the same way).
Programs are built so that the few points docs/effects.md leaves open never arise: no `next` on a finished
generator, no `cancel` of a finished one, no `throw`/jump inside `finally` (and a `yield` only with feature
finally_yield), no uncaught exception at the top, and a jump out of a handler body (feature escape: it unwinds the body like an exception, running
its finally blocks, and skips what a clause does after `k`) only where no `k` can be resumed after the
handle returned.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, replace

from hypothesis import strategies as st

# The panic of a generator that yields while it is being cancelled (fxlang/codegen/control/generators.py).
YIELD_WHILE_CANCELLED = "generator yielded while being cancelled (a yield in finally)"

FEATURES = frozenset({"handlers", "generators", "exceptions", "cancel", "gen_effects", "stackful", "escape",
                      "finally_yield",
                      "jumps"})

# ------------------------------------------------------------------------------------------------ the AST
# e: expressions (int valued), s: statements, b: tuple of statements


@dataclass(frozen=True)
class Lit:
    n: int


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Add:
    a: object
    b: object


@dataclass(frozen=True)
class Mul:
    a: object
    n: int


@dataclass(frozen=True)
class Get:                       # perform State::get()
    pass


@dataclass(frozen=True)
class Print:
    e: object


@dataclass(frozen=True)
class Yield:
    e: object


@dataclass(frozen=True)
class Put:                       # perform State::put(e)
    e: object


@dataclass(frozen=True)
class Emit:                      # perform Emit::emit(e)
    e: object


@dataclass(frozen=True)
class Throw:                     # throw Boom(e) / throw Stop
    exc: str
    e: object = None


@dataclass(frozen=True)
class Break:
    pass


@dataclass(frozen=True)
class Continue:                  # feature jumps
    pass


@dataclass(frozen=True)
class Return:                    # feature jumps: leaves the function (ends a generator), cancelling the
    pass                         # generators of the `for` loops it leaves and running finally blocks


@dataclass(frozen=True)
class If:                        # if (e) % m == r { body }
    e: object
    m: int
    r: int
    body: tuple


@dataclass(frozen=True)
class Repeat:                    # var takes 0 .. n-1 (a bounded while loop)
    var: str
    counter: str
    n: int
    body: tuple


@dataclass(frozen=True)
class For:                       # for var in gen<gen>(arg) { body }
    var: str
    gen: int
    arg: object
    body: tuple


@dataclass(frozen=True)
class Step:                      # match next(g) { Some(var) => { some; <next step> }, None => { none } }
    var: str
    some: tuple
    none: tuple


@dataclass(frozen=True)
class Pull:                      # let g = gen<gen>(arg); steps...; cancel(g) after the last Some if cancel
    gvar: str
    gen: int
    arg: object
    steps: tuple
    cancel: bool


@dataclass(frozen=True)
class Try:                       # try { body } catch Boom(boom_var) {..} catch Stop {..} catch _ {..} finally {..}
    body: tuple
    boom: tuple | None = None    # (var, body)
    stop: tuple | None = None
    any: tuple | None = None
    final: tuple | None = None


@dataclass(frozen=True)
class HandleState:               # let mut cell = init; let res = handle { body; value } with { State clauses }
    cell: str
    init: int
    res: str
    body: tuple
    value: object
    get: int                     # clause variant, see STATE_GET
    put: int                     # clause variant, see STATE_PUT
    ret: int                     # return r => r + ret


@dataclass(frozen=True)
class HandleEmit:                # let res = handle { body; value } with { Emit clause }
    res: str
    body: tuple
    value: object
    clause: int                  # see EMIT
    ret: int


@dataclass(frozen=True)
class Call:                      # walk<fn>(arg); -- a plain function that yields (feature stackful)
    fn: int
    arg: object


@dataclass(frozen=True)
class GenFn:                     # fn gen<index>(a: int) -> Gen[int] { body }   or, when helper,
    index: int                   # fn walk<index>(a: int) { body }: yields to whoever resumes its caller
    body: tuple
    emits: bool                  # performs Emit outside its own handlers (feature gen_effects)
    helper: bool = False

    @property
    def name(self):
        return f"walk{self.index}" if self.helper else f"gen{self.index}"


@dataclass(frozen=True)
class Program:
    gens: tuple
    main: tuple
    features: frozenset


# Clause variants: fx text (with {k} {v} {s} {r} placeholders) for each; the oracle implements the same below.
STATE_GET = ("{k}({s})",
             "{k}({s} * 2)",
             "{{ println(7000 + {s}); {s} }}")                                        # abandons the body
STATE_PUT = ("{{ {s} = {v}; {k}(()) }}",
             "{{ {s} = {s} + {v}; let {r} = {k}(()); println(8000 + {s}); {r} }}",
             "{{ println(7500 + {v}); -1 }}")                                         # abandons the body
EMIT = ("{{ println(1000 + {v}); {k}(()) }}",
        "{{ let {r} = {k}(()); println(2000 + {v}); {r} + 1 }}",
        "{{ println(3000 + {v}); {v} }}",                                             # abandons the body
        "{{ push({ks}, |u: int| {k}(())); {v} }}")        # k escapes; resumed after the handle returned


def contains(body, kind) -> bool:
    """Whether any statement of `kind` occurs in `body`, at any depth (handler bodies included)."""
    for s in body:
        if isinstance(s, kind):
            return True
        for sub in _sub_bodies(s):
            if contains(sub, kind):
                return True
    return False


def _sub_bodies(s):
    if isinstance(s, (If, Repeat, For, HandleState, HandleEmit)):
        yield s.body
    elif isinstance(s, Pull):
        for step in s.steps:
            yield step.some
            yield step.none
    elif isinstance(s, Try):
        yield s.body
        for clause in (s.boom[1] if s.boom else None, s.stop, s.any, s.final):
            if clause is not None:
                yield clause


# ------------------------------------------------------------------------------------------------ strategy

@dataclass(frozen=True)
class Ctx:
    """What the statement being generated may do."""
    in_gen: bool                 # yield allowed
    gens: tuple                  # generator functions it may call (GenFn, defined before)
    effects: frozenset           # effects handled around it ('State', 'Emit')
    in_loop: bool                # break (and continue, feature jumps) allowed
    in_finally: bool             # only print/emit
    vars: tuple                  # int variables in scope
    depth: int
    can_return: bool = True      # `return` allowed (feature jumps)


class Builder:
    def __init__(self, draw, features, depth=3):
        self.draw = draw
        self.f = features
        self.depth = depth
        self.n = 0

    def fresh(self, prefix):
        self.n += 1
        return f"{prefix}{self.n}"

    def pick(self, options):
        return self.draw(st.sampled_from(options))

    def int_(self, lo, hi):
        return self.draw(st.integers(lo, hi))

    # ---- expressions
    def expr(self, ctx, depth=1):
        kinds = ["lit", "var", "var"]
        if depth > 0:
            kinds += ["add", "mul"]
        if "State" in ctx.effects:
            kinds.append("get")
        k = self.pick(kinds)
        if k == "lit":
            return Lit(self.int_(0, 9))
        if k == "var":
            return Var(self.pick(ctx.vars)) if ctx.vars else Lit(self.int_(0, 9))
        if k == "add":
            return Add(self.expr(ctx, depth - 1), self.expr(ctx, depth - 1))
        if k == "mul":
            return Mul(self.expr(ctx, depth - 1), self.int_(2, 3))
        return Get()

    def cond_if(self, ctx, body):
        m = self.int_(2, 3)
        return If(self.expr(ctx, 0), m, self.int_(0, m - 1), body)

    # ---- statements
    def body(self, ctx, lo=1, hi=3):
        return tuple(self.stmt(ctx) for _ in range(self.int_(lo, hi)))

    def usable_gens(self, ctx):
        return [g for g in ctx.gens if not g.helper and (not g.emits or "Emit" in ctx.effects)]

    def helpers(self, ctx):
        return [g for g in ctx.gens if g.helper] if ctx.in_gen else []

    def stmt(self, ctx):
        f = self.f
        if ctx.in_finally:
            kinds = ["print"] + (["emit"] if "Emit" in ctx.effects else [])
            if ctx.in_gen and "finally_yield" in f:
                kinds += ["yield"]
        else:
            kinds = ["print", "print"]
            if ctx.in_gen:
                kinds += ["yield", "yield", "yield"]
            if self.helpers(ctx):
                kinds += ["call", "call"]
            if "State" in ctx.effects:
                kinds.append("put")
            if "Emit" in ctx.effects:
                kinds.append("emit")
            if "exceptions" in f:
                kinds.append("throw")
            if ctx.in_loop:
                kinds += ["break", "break"] + (["continue"] if "jumps" in f else [])
            if ctx.can_return and "jumps" in f:
                kinds.append("return")
            if ctx.depth > 0:
                kinds += ["if", "repeat"]
                if self.usable_gens(ctx):
                    kinds += ["for", "for", "pull"]
                if "exceptions" in f:
                    kinds += ["try", "try"]
                if "handlers" in f:
                    kinds += ["state", "emit_h"]
        k = self.pick(kinds)
        inner = replace(ctx, depth=ctx.depth - 1)
        if k == "print":
            return Print(self.expr(ctx))
        if k == "yield":
            return Yield(self.expr(ctx))
        if k == "call":
            return Call(self.pick(self.helpers(ctx)).index, self.expr(ctx))
        if k == "put":
            return Put(self.expr(ctx))
        if k == "emit":
            return Emit(self.expr(ctx))
        if k == "throw":
            exc = Throw("Boom", self.expr(ctx)) if self.draw(st.booleans()) else Throw("Stop")
            return self.cond_if(ctx, (exc,)) if self.int_(0, 3) else exc
        if k in ("break", "continue", "return"):
            return self.cond_if(ctx, ({"break": Break, "continue": Continue, "return": Return}[k](),))
        if k == "if":
            return self.cond_if(ctx, self.body(inner))
        if k == "repeat":
            v = self.fresh("x")
            loop = replace(ctx, in_loop=True, vars=ctx.vars + (v,), depth=ctx.depth - 1)
            return Repeat(v, self.fresh("i"), self.int_(1, 3), self.body(loop))
        if k == "for":
            g = self.pick(self.usable_gens(ctx))
            v = self.fresh("x")
            loop = replace(ctx, in_loop=True, vars=ctx.vars + (v,), depth=ctx.depth - 1)
            return For(v, g.index, self.expr(ctx), self.body(loop))
        if k == "pull":
            return self.pull(ctx, inner)
        if k == "try":
            return self.try_(ctx, inner)
        # A jump may leave a handler body (feature escape) unless a k may be resumed after the handle
        # returned (EMIT clause 3): a jump from there has nowhere to land.
        escape = "escape" in f
        if k == "state":
            cell, res = self.fresh("s"), self.fresh("r")
            hctx = replace(inner, effects=ctx.effects | {"State"}, in_loop=escape and ctx.in_loop,
                           can_return=escape and ctx.can_return)
            return HandleState(cell, self.int_(0, 5), res, self.body(hctx), self.expr(hctx),
                               self.int_(0, len(STATE_GET) - 1), self.int_(0, len(STATE_PUT) - 1),
                               self.int_(0, 3))
        clause = self.int_(0, len(EMIT) - 1)
        escape = escape and clause != 3
        hctx = replace(inner, effects=ctx.effects | {"Emit"}, in_loop=escape and ctx.in_loop,
                       can_return=escape and ctx.can_return)
        return HandleEmit(self.fresh("r"), self.body(hctx), self.expr(hctx), clause, self.int_(0, 3))

    def pull(self, ctx, inner):
        g = self.pick(self.usable_gens(ctx))
        steps, vars_ = [], ctx.vars
        for _ in range(self.int_(0 if "cancel" in self.f else 1, 3)):
            v = self.fresh("x")
            vars_ = vars_ + (v,)
            some = replace(inner, vars=vars_)
            steps.append(Step(v, self.body(some, 0, 2), self.body(inner, 0, 1)))
        cancel = "cancel" in self.f and (not steps or self.draw(st.booleans()))
        return Pull(self.fresh("g"), g.index, self.expr(ctx), tuple(steps), cancel)

    def try_(self, ctx, inner):
        fin = replace(ctx, in_finally=True, depth=0)
        boom = stop = any_ = final = None
        shape = self.int_(0, 5)
        if shape in (0, 2, 3, 5):
            v = self.fresh("e")
            boom = (v, self.body(replace(inner, vars=ctx.vars + (v,)), 1, 2))
        if shape in (2, 5):
            stop = self.body(inner, 1, 2)
        if shape == 3:
            any_ = self.body(inner, 1, 2)
        if shape in (1, 3, 4, 5):
            final = self.body(fin, 1, 2)
        if shape == 4:
            stop = self.body(inner, 1, 1)
        return Try(self.body(inner), boom, stop, any_, final)

    def program(self):
        f = self.f
        gens = []
        if "generators" in f:
            count = self.int_(1, 4 if "stackful" in f else 3)
            for i in range(count):
                helper = "stackful" in f and i < count - 1 and self.draw(st.booleans())
                emits = not helper and "gen_effects" in f and "handlers" in f and self.draw(st.booleans())
                ctx = Ctx(True, tuple(gens), frozenset({"Emit"}) if emits else frozenset(), False, False,
                          ("a",), self.depth - 1)
                body = self.body(ctx, 1, 4)
                if not contains(body, Yield):
                    body = body + (Yield(Var("a")),)
                gens.append(GenFn(i, body, emits, helper))
        ctx = Ctx(False, tuple(gens), frozenset(), False, False, (), self.depth)
        main = self.body(ctx, 1, 4)
        if "exceptions" in f:      # nothing escapes main: an uncaught exception would be a trap
            e = self.fresh("e")
            main = (Try(main, (e, (Print(Lit(-1)), Print(Var(e)))), (Print(Lit(-2)),)),)
        return Program(tuple(gens), main, frozenset(f))


@st.composite
def programs(draw, features=FEATURES, depth=3):
    """A random Program using only `features` (a subset of FEATURES), statements nested up to `depth`."""
    return Builder(draw, frozenset(features), depth).program()


# ------------------------------------------------------------------------------------------------ fx text

def render_expr(e) -> str:
    if isinstance(e, Lit):
        return str(e.n)
    if isinstance(e, Var):
        return e.name
    if isinstance(e, Add):
        return f"({render_expr(e.a)} + {render_expr(e.b)})"
    if isinstance(e, Mul):
        return f"({render_expr(e.a)} * {e.n})"
    if isinstance(e, Get):
        return "(perform State::get())"
    raise TypeError(e)


def _block(body, ind) -> list[str]:
    out = []
    for s in body:
        out += _stmt(s, ind)
    return out


def _stmt(s, ind) -> list[str]:
    p = "    " * ind
    if isinstance(s, Print):
        return [f"{p}println({render_expr(s.e)});"]
    if isinstance(s, Yield):
        return [f"{p}yield {render_expr(s.e)};"]
    if isinstance(s, Put):
        return [f"{p}perform State::put({render_expr(s.e)});"]
    if isinstance(s, Emit):
        return [f"{p}perform Emit::emit({render_expr(s.e)});"]
    if isinstance(s, Throw):
        return [f"{p}throw Boom({render_expr(s.e)});" if s.exc == "Boom" else f"{p}throw Stop;"]
    if isinstance(s, Break):
        return [f"{p}break;"]
    if isinstance(s, Continue):
        return [f"{p}continue;"]
    if isinstance(s, Return):
        return [f"{p}return;"]
    if isinstance(s, If):
        return [f"{p}if {render_expr(s.e)} % {s.m} == {s.r} {{", *_block(s.body, ind + 1), f"{p}}}"]
    if isinstance(s, Repeat):
        return [f"{p}let mut {s.counter} = 0;", f"{p}while {s.counter} < {s.n} {{",
                f"{p}    let {s.var} = {s.counter};", f"{p}    {s.counter} += 1;",
                *_block(s.body, ind + 1), f"{p}}}"]
    if isinstance(s, Call):
        return [f"{p}walk{s.fn}({render_expr(s.arg)});"]
    if isinstance(s, For):
        return [f"{p}for {s.var} in gen{s.gen}({render_expr(s.arg)}) {{", *_block(s.body, ind + 1), f"{p}}}"]
    if isinstance(s, Pull):
        return [f"{p}let {s.gvar} = gen{s.gen}({render_expr(s.arg)});", *_steps(s, 0, ind)]
    if isinstance(s, Try):
        lines = [f"{p}try {{", *_block(s.body, ind + 1)]
        if s.boom:
            lines += [f"{p}}} catch Boom({s.boom[0]}) {{", *_block(s.boom[1], ind + 1)]
        if s.stop is not None:
            lines += [f"{p}}} catch Stop {{", *_block(s.stop, ind + 1)]
        if s.any is not None:
            lines += [f"{p}}} catch _ {{", *_block(s.any, ind + 1)]
        if s.final is not None:
            lines += [f"{p}}} finally {{", *_block(s.final, ind + 1)]
        return lines + [f"{p}}}"]
    if isinstance(s, HandleState):
        k, v, r = f"k_{s.cell}", f"v_{s.cell}", f"t_{s.cell}"
        names = dict(k=k, v=v, s=s.cell, r=r)
        return [f"{p}let mut {s.cell} = {s.init};",
                f"{p}let {s.res} = handle {{", *_block(s.body, ind + 1), f"{p}    {render_expr(s.value)}",
                f"{p}}} with {{",
                f"{p}    State::get(), {k} => {STATE_GET[s.get].format(**names)},",
                f"{p}    State::put({v}), {k} => {STATE_PUT[s.put].format(**names)},",
                f"{p}    return {r} => {r} + {s.ret},",
                f"{p}}};", f"{p}println({s.res});"]
    if isinstance(s, HandleEmit):
        k, v, r, ks = f"k_{s.res}", f"v_{s.res}", f"t_{s.res}", f"ks_{s.res}"
        names = dict(k=k, v=v, r=r, ks=ks)
        stored = s.clause == 3
        return [*([f"{p}let {ks}: [fn(int) -> int] = [];"] if stored else []),
                f"{p}let {s.res} = handle {{", *_block(s.body, ind + 1), f"{p}    {render_expr(s.value)}",
                f"{p}}} with {{",
                f"{p}    Emit::emit({v}), {k} => {EMIT[s.clause].format(**names)},",
                f"{p}    return {r} => {r} + {s.ret},",
                f"{p}}};", f"{p}println({s.res});",
                *([f"{p}while len({ks}) > 0 {{", f"{p}    let f_{s.res} = pop({ks});",
                   f"{p}    println(f_{s.res}(0));", f"{p}}}"] if stored else [])]
    raise TypeError(s)


def _steps(s: Pull, i, ind) -> list[str]:
    p = "    " * ind
    if i == len(s.steps):
        return [f"{p}cancel({s.gvar});"] if s.cancel else []
    step = s.steps[i]
    return [f"{p}match next({s.gvar}) {{",
            f"{p}    Some({step.var}) => {{", *_block(step.some, ind + 2), *_steps(s, i + 1, ind + 2), f"{p}    }},",
            f"{p}    None => {{", *_block(step.none, ind + 2), f"{p}    }},",
            f"{p}}}"]


def render_fx(prog: Program) -> str:
    """The program as fx source in the syntax of docs/effects.md."""
    f = prog.features
    lines = []
    if "handlers" in f:
        lines += ["effect State { get() -> int, put(int) }", "effect Emit { emit(int) }"]
    if "exceptions" in f:
        lines += ["exception Boom(int)", "exception Stop"]
    for g in prog.gens:
        head = f"fn {g.name}(a: int) {{" if g.helper else f"fn {g.name}(a: int) -> Gen[int] {{"
        lines += ["", head, *_block(g.body, 1), "}"]
    lines += ["", "fn main() {", *_block(prog.main, 1), "}"]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------------ the oracle

class OracleError(Exception):
    """The program left the semantics the oracle models (a bug in the strategy, not in the compiler)."""


class Panic(BaseException):
    """The program panics (stops at once: no fx `finally` or `catch` sees it, and the interpreter's
    `except Exception` never does either)."""


class TooLong(Exception):
    """The program runs longer than the test wants to wait for; the test discards it."""


class FxThrow(Exception):
    def __init__(self, tag, value=None):
        super().__init__(tag, value)
        self.tag, self.value = tag, value


class Cancel(Exception):
    """The built-in $cancel exception."""


class BreakSignal(Exception):
    pass


class ContinueSignal(Exception):
    pass


class ReturnSignal(Exception):
    pass


JUMPS = (BreakSignal, ContinueSignal, ReturnSignal)


@dataclass
class Op:
    kind: str                    # 'yield' 'get' 'put' 'emit'
    value: int | None = None


@dataclass
class Cell:
    value: int


@dataclass
class GenState:
    gen: object
    done: bool = False


def trunc_rem(a: int, m: int) -> int:
    """fx `%` (i64.rem_s): the remainder of division truncated toward zero."""
    r = abs(a) % abs(m)
    return -r if a < 0 else r


def wrap64(n: int) -> int:
    n &= (1 << 64) - 1
    return n - (1 << 64) if n >= 1 << 63 else n


class Oracle:
    def __init__(self, prog: Program, max_steps: int = 20000):
        self.prog = prog
        self.gens = {g.index: g for g in prog.gens}
        self.out: list[str] = []
        self.steps = max_steps
        self.alive = []          # abandoned generators stay alive: CPython would close() them at GC time

    def tick(self):
        self.steps -= 1
        if self.steps < 0:
            raise TooLong()

    def print(self, v):
        self.out.append(str(v))
        if len(self.out) > 2000:
            raise TooLong()

    def run(self) -> tuple[str, str | None]:
        g = self.function(self.prog.main, None)
        try:
            op = g.send(None)
        except StopIteration:
            return "".join(line + "\n" for line in self.out), None
        except Panic as p:
            return "".join(line + "\n" for line in self.out), str(p)
        raise OracleError(f"unhandled operation {op} at the top")

    # ---- expressions
    def expr(self, e, env):
        if isinstance(e, Lit):
            return e.n
        if isinstance(e, Var):
            return env[e.name]
        if isinstance(e, Add):
            a = yield from self.expr(e.a, env)
            b = yield from self.expr(e.b, env)
            return wrap64(a + b)
        if isinstance(e, Mul):
            a = yield from self.expr(e.a, env)
            return wrap64(a * e.n)
        if isinstance(e, Get):
            return (yield Op("get"))
        raise TypeError(e)

    # ---- statements
    def block(self, body, env):
        for s in body:
            self.tick()
            yield from self.stmt(s, env)

    def stmt(self, s, env):
        if isinstance(s, Print):
            self.print((yield from self.expr(s.e, env)))
        elif isinstance(s, Yield):
            yield Op("yield", (yield from self.expr(s.e, env)))
        elif isinstance(s, Put):
            yield Op("put", (yield from self.expr(s.e, env)))
        elif isinstance(s, Emit):
            yield Op("emit", (yield from self.expr(s.e, env)))
        elif isinstance(s, Throw):
            raise FxThrow(s.exc, (yield from self.expr(s.e, env)) if s.e is not None else None)
        elif isinstance(s, Break):
            raise BreakSignal()
        elif isinstance(s, Continue):
            raise ContinueSignal()
        elif isinstance(s, Return):
            raise ReturnSignal()
        elif isinstance(s, Call):
            yield from self.function(self.gens[s.fn].body, (yield from self.expr(s.arg, env)))
        elif isinstance(s, If):
            if trunc_rem((yield from self.expr(s.e, env)), s.m) == s.r:
                yield from self.block(s.body, env)
        elif isinstance(s, Repeat):
            for i in range(s.n):
                try:
                    yield from self.block(s.body, {**env, s.var: i})
                except BreakSignal:
                    break
                except ContinueSignal:
                    pass
        elif isinstance(s, For):
            g = self.new_gen(s.gen, (yield from self.expr(s.arg, env)))
            while True:
                x = yield from self.next(g)
                if x is None:
                    break
                try:
                    yield from self.block(s.body, {**env, s.var: x})
                except BreakSignal:
                    yield from self.cancel(g)
                    break
                except ContinueSignal:
                    pass
                except (ReturnSignal, FxThrow, Cancel):     # an exception leaving the loop cancels it too
                    yield from self.cancel(g)
                    raise
        elif isinstance(s, Pull):
            g = self.new_gen(s.gen, (yield from self.expr(s.arg, env)))
            yield from self.steps_(s, 0, g, env)
        elif isinstance(s, Try):
            yield from self.try_(s, env)
        elif isinstance(s, HandleState):
            cell = Cell(s.init)
            body = self.handled_body(s, env)
            self.alive.append(body)
            self.print((yield from self.drive(body, s, cell)))
        elif isinstance(s, HandleEmit):
            body = self.handled_body(s, env)
            self.alive.append(body)
            stored = []              # the k's that clause 3 keeps, resumed last-in first-out afterwards
            self.print((yield from self.drive(body, s, stored)))
            while stored:
                self.print((yield from stored.pop()(None)))
        else:
            raise TypeError(s)

    def steps_(self, s: Pull, i, g, env):
        if i == len(s.steps):
            if s.cancel:
                yield from self.cancel(g)
            return
        step = s.steps[i]
        x = yield from self.next(g)
        if x is None:
            yield from self.block(step.none, env)
        else:
            env2 = {**env, step.var: x}
            yield from self.block(step.some, env2)
            yield from self.steps_(s, i + 1, g, env2)

    def try_(self, s: Try, env):
        # Python `finally:` is not used: fx finally must not run when the continuation is abandoned.
        try:
            yield from self.block(s.body, env)
        except FxThrow as ex:
            if ex.tag == "Boom" and s.boom:
                handler, henv = s.boom[1], {**env, s.boom[0]: ex.value}
            elif ex.tag == "Stop" and s.stop is not None:
                handler, henv = s.stop, env
            elif s.any is not None:
                handler, henv = s.any, env
            else:
                if s.final is not None:
                    yield from self.block(s.final, env)
                raise
            try:
                yield from self.block(handler, henv)
            except (FxThrow, Cancel, *JUMPS):
                if s.final is not None:
                    yield from self.block(s.final, env)
                raise
        except (Cancel, *JUMPS):
            if s.final is not None:
                yield from self.block(s.final, env)
            raise
        if s.final is not None:
            yield from self.block(s.final, env)

    # ---- handlers
    def handled_body(self, h, env):
        yield from self.block(h.body, env)
        return (yield from self.expr(h.value, env))

    def drive(self, body, h, cell, send=None, exc=None):
        """Run `body` under handler `h` until it returns or performs an operation `h` handles."""
        while True:
            try:
                op = body.throw(exc) if exc is not None else body.send(send)
            except StopIteration as stop:
                return stop.value + h.ret
            exc = None
            if isinstance(h, HandleState) and op.kind in ("get", "put"):
                return (yield from self.state_clause(h, op, Resumption(self, body, h, cell), cell))
            if isinstance(h, HandleEmit) and op.kind == "emit":
                return (yield from self.emit_clause(h, op, Resumption(self, body, h, cell), cell))
            send, exc = yield from self.forward(op)

    def forward(self, op):
        """Pass `op` to the enclosing handler; return (value, None) or (None, exception thrown back in)."""
        try:
            return (yield op), None
        except Exception as e:       # cancellation (or an exception) thrown into the suspended computation
            return None, e

    def state_clause(self, h, op, k, cell):
        if op.kind == "get":
            if h.get == 0:
                return (yield from k(cell.value))
            if h.get == 1:
                return (yield from k(wrap64(cell.value * 2)))
            self.print(7000 + cell.value)
            return cell.value
        v = op.value
        if h.put == 0:
            cell.value = v
            return (yield from k(None))
        if h.put == 1:
            cell.value = wrap64(cell.value + v)
            r = yield from k(None)
            self.print(wrap64(8000 + cell.value))
            return r
        self.print(wrap64(7500 + v))
        return -1

    def emit_clause(self, h, op, k, stored):
        v = op.value
        if h.clause == 0:
            self.print(wrap64(1000 + v))
            return (yield from k(None))
        if h.clause == 1:
            r = yield from k(None)
            self.print(wrap64(2000 + v))
            return wrap64(r + 1)
        if h.clause == 2:
            self.print(wrap64(3000 + v))
            return v
        stored.append(k)
        return v

    # ---- generators
    def function(self, body, a):
        """A call of a generator's or helper's body with parameter `a`: `return` ends it."""
        try:
            yield from self.block(body, {"a": a})
        except ReturnSignal:
            pass

    def new_gen(self, index, a):
        g = GenState(self.function(self.gens[index].body, a))
        self.alive.append(g)
        return g

    def next(self, g: GenState):
        if g.done:
            raise OracleError("next on a finished generator")
        send = exc = None
        while True:
            try:
                op = g.gen.throw(exc) if exc is not None else g.gen.send(send)
            except StopIteration:
                g.done = True
                return None
            except Exception:
                g.done = True
                raise
            exc = None
            if op.kind == "yield":
                return op.value
            send, exc = yield from self.forward(op)

    def cancel(self, g: GenState):
        if g.done:
            raise OracleError("cancel of a finished generator")
        send, exc = None, Cancel()
        while True:
            try:
                op = g.gen.throw(exc) if exc is not None else g.gen.send(send)
            except Cancel:
                g.done = True
                return
            except StopIteration:      # a handler inside it dropped the cleanup, and it went on to its end
                g.done = True
                return
            except Exception:
                g.done = True
                raise
            exc = None
            if op.kind == "yield":
                raise Panic(YIELD_WHILE_CANCELLED)
            send, exc = yield from self.forward(op)


class Resumption:
    """`k`: one-shot; calling it drives the captured body again under the same (deep) handler."""

    def __init__(self, oracle, body, h, cell):
        self.oracle, self.body, self.h, self.cell = oracle, body, h, cell
        self.used = False

    def __call__(self, value):
        if self.used:
            raise OracleError("continuation resumed twice")
        self.used = True
        return (yield from self.oracle.drive(self.body, self.h, self.cell, send=value))


def expected_outcome(prog: Program, max_steps: int = 20000) -> tuple[str, str | None]:
    """(the stdout the program must produce, the message it must panic with or None); raises TooLong for
    programs that run too long to test."""
    return Oracle(prog, max_steps).run()


def expected_output(prog: Program, max_steps: int = 20000) -> str:
    """The stdout of a program that must run to its end (OracleError when it panics instead)."""
    out, panic = expected_outcome(prog, max_steps)
    if panic is not None:
        raise OracleError(f"the program panics: {panic}")
    return out


# ------------------------------------------------------------------------------------------------ Python text

PY_PRELUDE = """\
class FxThrow(Exception):
    def __init__(self, tag, value=None):
        self.tag, self.value = tag, value
class Cancel(Exception):
    pass
def rem(a, m):
    r = abs(a) % abs(m)
    return -r if a < 0 else r
class Panic(BaseException):
    pass
def cancel(g):
    try:
        g.throw(Cancel())
    except Cancel:
        return
    out.append(PANIC)        # what runs after this (Python's own finally blocks) is not the fx program's
    raise Panic()
def start(g):
    alive.append(g)          # never collected before the end: CPython would run its finally at close()
    return g
"""


def render_python(prog: Program) -> str:
    """An equivalent plain-Python program (Python generators, try/except/finally, throw(Cancel) for
    cancellation) for programs without handlers. It appends the printed lines to the list `out`."""
    if "handlers" in prog.features:
        raise ValueError("render_python covers generators and exceptions only")
    lines = [PY_PRELUDE]
    for g in prog.gens:
        lines += [f"def {g.name}(a):", "    if False:", "        yield", *_py_block(g.body, 1), ""]
    lines += ["def main():", "    pass", *_py_block(prog.main, 1), "", "main()"]
    return "\n".join(lines) + "\n"


def _py_block(body, ind):
    out = []
    for s in body:
        out += _py_stmt(s, ind)
    return out or ["    " * ind + "pass"]


def _py_stmt(s, ind):
    p = "    " * ind
    e = render_expr
    if isinstance(s, Print):
        return [f"{p}out.append(str({e(s.e)}))"]
    if isinstance(s, Yield):
        return [f"{p}yield {e(s.e)}"]
    if isinstance(s, Throw):
        return [f"{p}raise FxThrow('Boom', {e(s.e)})" if s.exc == "Boom" else f"{p}raise FxThrow('Stop')"]
    if isinstance(s, Break):
        return [f"{p}break"]
    if isinstance(s, Continue):
        return [f"{p}continue"]
    if isinstance(s, Return):
        return [f"{p}return"]
    if isinstance(s, Call):
        return [f"{p}yield from walk{s.fn}({e(s.arg)})"]
    if isinstance(s, If):
        return [f"{p}if rem({e(s.e)}, {s.m}) == {s.r}:", *_py_block(s.body, ind + 1)]
    if isinstance(s, Repeat):
        return [f"{p}for {s.var} in range({s.n}):", *_py_block(s.body, ind + 1)]
    if isinstance(s, For):
        # fx cancels the generator when anything but its end leaves the loop: break, return, an exception
        # (a generator that raised is closed already: throwing Cancel into it comes straight back)
        g, left = f"_{s.var}_g", f"_{s.var}_left"
        return [f"{p}{g} = start(gen{s.gen}({e(s.arg)}))", f"{p}{left} = True",
                f"{p}try:",
                f"{p}    for {s.var} in {g}:", *_py_block(s.body, ind + 2),
                f"{p}    else:", f"{p}        {left} = False",
                f"{p}finally:", f"{p}    if {left}:", f"{p}        cancel({g})"]
    if isinstance(s, Pull):
        return [f"{p}{s.gvar} = start(gen{s.gen}({e(s.arg)}))", *_py_steps(s, 0, ind)]
    if isinstance(s, Try):
        lines = [f"{p}try:", *_py_block(s.body, ind + 1), f"{p}except FxThrow as _exc:"]
        kw = "if"
        if s.boom:
            lines += [f"{p}    {kw} _exc.tag == 'Boom':", f"{p}        {s.boom[0]} = _exc.value",
                      *_py_block(s.boom[1], ind + 2)]
            kw = "elif"
        if s.stop is not None:
            lines += [f"{p}    {kw} _exc.tag == 'Stop':", *_py_block(s.stop, ind + 2)]
            kw = "elif"
        if s.any is not None:
            lines += [f"{p}    {kw} True:", *_py_block(s.any, ind + 2)]
            kw = "elif"
        lines += [f"{p}    else:" if kw == "elif" else f"{p}    if True:", f"{p}        raise"]
        if s.final is not None:
            lines += [f"{p}finally:", *_py_block(s.final, ind + 1)]
        return lines
    raise ValueError(f"render_python does not cover {type(s).__name__}")


def _py_steps(s: Pull, i, ind):
    p = "    " * ind
    if i == len(s.steps):
        return [f"{p}cancel({s.gvar})"] if s.cancel else []
    step = s.steps[i]
    return [f"{p}{step.var} = next({s.gvar}, None)", f"{p}if {step.var} is not None:",
            *_py_block(step.some, ind + 1), *_py_steps(s, i + 1, ind + 1),
            f"{p}else:", *_py_block(step.none, ind + 1)]


_PANIC_MARK = object()


def python_outcome(prog: Program) -> tuple[str, str | None]:
    """Run render_python(prog): (what it printed, YIELD_WHILE_CANCELLED when it panicked, else None)."""
    out, alive = [], []
    try:
        exec(compile(render_python(prog), "<control program>", "exec"),
             {"out": out, "alive": alive, "PANIC": _PANIC_MARK})
    except BaseException:
        if _PANIC_MARK not in out:
            raise
    panic = None
    if _PANIC_MARK in out:       # the Python program goes on unwinding after a panic; fx stops there
        out, panic = out[:out.index(_PANIC_MARK)], YIELD_WHILE_CANCELLED
    text = "".join(line + "\n" for line in out)
    hook = sys.unraisablehook    # closing a generator whose finally yields reports "ignored GeneratorExit"
    sys.unraisablehook = lambda _: None
    try:
        alive.clear()
    finally:
        sys.unraisablehook = hook
    return text, panic


def python_output(prog: Program) -> str:
    """What render_python(prog) printed, for a program that runs to its end (OracleError when it panics)."""
    text, panic = python_outcome(prog)
    if panic is not None:
        raise OracleError(f"the program panics: {panic}")
    return text
