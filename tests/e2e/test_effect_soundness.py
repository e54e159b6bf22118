"""Soundness of static effect checking (issue 4): a program the checker accepts never traps with "unhandled tag".

Random small programs create closures, continuations (and closures over them) and generators that perform
effects, under handlers or not, then store them (a local array, a global, a struct field), return them from
fns, pass them along, and call / resume / step them at random places, inside or outside the handlers, some
inside `nosuspend`.  For each one: either `check` rejects it, or it runs on our VM without an "unhandled" trap
(other traps are fine: a one-shot continuation resumed twice, a suspension across nosuspend, ...).  Both
outcomes must occur, so the property is not vacuous (and it is not weak: run against the checker of before
effect variables, which counted a lambda's effects where it was created, 4 of these 200 programs were accepted
and trapped "unhandled tag").  A generic effect Cell[T] is in the mix: closures perform Cell[int] or
Cell[str], handlers of either instance and a generic handler (with_cell, an open row) are around.  The compile and VM runner are the control differential
test's (tests/e2e/test_control_differential.py).
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from fxlang.diagnostics import FxError

from .test_control_differential import compile_fx, run_on_vm

HUNT = int(os.environ.get("FX_SOUND_EXAMPLES", "0"))     # bug hunting: N random (not derandomized) programs

HEADER = """effect Log { log(int) }
effect Ask { ask() -> int }
struct Holder { f: fn() -> unit }
let mut stash: [fn() -> unit] = [];
fn gen0(n: int) -> Gen[int] { perform Log::log(n); yield n; let a = perform Ask::ask(); yield a + n; }
fn quiet_gen(n: int) -> Gen[int] { yield n; yield n + 1; }
fn make(n: int) -> fn() -> unit { || perform Log::log(n) }
fn make_asker() -> fn() -> unit { || println(perform Ask::ask()) }
fn apply(f: fn() -> unit) { f(); }
fn keep(f: fn() -> unit) -> fn() -> unit { f }
fn store(f: fn() -> unit) { push(stash, f); }
fn critical(f: fn() -> unit) { nosuspend { f() } }
effect Cell[T] { cget() -> T, cset(T) }
fn with_cell[T](init: T, f: fn() -> unit / {Cell[T] | e}) {
    let mut s = init;
    handle { f() } with { cget(), k => k(s), cset(v), k => { s = v; k(()) } };
}
fn make_cell(n: int) -> fn() -> unit { || perform cset(perform cget() + n) }
"""

# values of type fn() -> unit
CLOSURES = [
    "|| perform Log::log({n})",
    "|| println({n})",
    "|| println(perform Ask::ask() + {n})",
    "make({n})",
    "make_asker()",
    "keep(|| perform Log::log({n}))",
    "keep(|| println({n}))",
    "|| perform cset(perform cget() + {n})",          # polymorphic effects: Cell[int]
    "|| perform cset(perform cget() + \"s\")",        # Cell[str]
    "make_cell({n})",
]

ROUTES = [          # how a closure value `{c}` is kept for later
    "push(local, {c});",
    "store({c});",
    "holders = [Holder {{ f: {c} }}];",
]

KEPT_CALLS = [      # calling (resuming, stepping) something kept earlier
    "if len(local) > {i} {{ local[{i}](); }}",
    "if len(stash) > {i} {{ stash[{i}](); }}",
    "if len(holders) > 0 {{ let h = holders[0].f; h(); }}",
    "if len(gens) > {i} {{ match next(gens[{i}]) {{ Some(x) => println(x), None => println(0) }} }}",
    "if len(gens) > {i} {{ for x in gens[{i}] {{ println(x); }} }}",
]

CALLS = KEPT_CALLS + [  # or a fn taking a closure now, or an effect performed here
    "apply({c});",
    "critical({c});",
    "perform Log::log({n});",
    "println(perform Ask::ask());",
    "for x in quiet_gen({n}) {{ println(x); }}",
    "with_cell({n}, {c});",
    "with_cell(\"\", {c});",
]

MAKERS = [          # things that make a continuation or a generator
    "push(gens, gen0({n}));",
    "push(gens, quiet_gen({n}));",
    # a continuation saved in a closure (the clause does not resume it): resumed later, wherever it is called
    "handle {{ let a = perform Ask::ask(); perform Log::log(a); }} with {{ "
    "Ask::ask(), k => {{ push(local, || k({n})); }} }};",
    "handle {{ let a = perform Ask::ask(); println(a); }} with {{ Ask::ask(), k => {{ push(local, || k({n})); }} }};",
]

HANDLERS = [
    ("handle {{", "}} with {{ Log::log(v), k => {{ println(v); k(()) }} }};"),
    ("handle {{", "}} with {{ Log::log(v), k => {{ println(v); k(()) }} }};"),
    ("handle {{", "}} with {{ Ask::ask(), k => k({n}) }};"),
    ("handle {{", "}} with {{ Ask::ask(), k => k({n}) }};"),
    ("handle {{", "}} with {{ Log::log(v), k => {{ println(v); k(()) }}, Ask::ask(), k => k({n}) }};"),
    ("handle {{", "}} with {{ Log::log(v), k => {{ println(v); k(()) }}, Ask::ask(), k => k({n}) }};"),
    ("nosuspend {{", "}}"),
    ("handle {{", "}} with {{ cget(), k => k({n}), cset(v), k => k(()) }};"),
    ("handle {{", "}} with {{ cget(), k => k(\"c\"), cset(v), k => {{ println(v); k(()) }} }};"),
]


@st.composite
def statements(draw, depth):
    n = draw(st.integers(1, 9))
    i = draw(st.integers(0, 2))
    c = draw(st.sampled_from(CLOSURES)).format(n=n)
    # main's own statements are mostly handlers and calls of what was kept (where the old holes were)
    kinds = {2: ["nest"] * 3 + ["call"] * 3, 1: ["route"] * 2 + ["make"] * 2 + ["call", "nest"],
             0: ["route", "call", "make"]}[depth]
    kind = draw(st.sampled_from(kinds))
    if kind == "route":
        return [draw(st.sampled_from(ROUTES)).format(c=c)]
    if kind == "call":
        return [draw(st.sampled_from(CALLS if depth < 2 else KEPT_CALLS)).format(c=c, i=i, n=n)]
    if kind == "make":
        return [draw(st.sampled_from(MAKERS)).format(n=n)]
    opening, closing = draw(st.sampled_from(HANDLERS))
    body = draw(st.lists(statements(depth - 1), min_size=1, max_size=4))
    return [opening.format(n=n)] + ["    " + s for b in body for s in b] + [closing.format(n=n)]


@st.composite
def programs(draw):
    body = draw(st.lists(statements(2), min_size=2, max_size=7))
    lines = ["fn main() {", "    let mut local: [fn() -> unit] = [];", "    let mut gens: [Gen[int]] = [];",
             "    let mut holders: [Holder] = [];"]
    lines += ["    " + s for b in body for s in b]
    lines += ["    println(len(local) + len(gens) + len(holders));", "}"]
    return HEADER + "\n".join(lines) + "\n"


def test_accepted_programs_never_trap_with_unhandled(tmp_path):
    seen = {"rejected": 0, "ran": 0}

    @settings(max_examples=HUNT or 200, deadline=None, derandomize=not HUNT, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.function_scoped_fixture])
    @given(src=programs())
    def prop(src):
        note(src)
        path = tmp_path / "program.fx"
        path.write_text(src)
        try:
            data = compile_fx(src, path, "fx")
        except FxError:
            seen["rejected"] += 1
            return
        seen["ran"] += 1
        out, err = run_on_vm(data)
        assert "unhandled" not in err, f"the checker accepted a program that traps: {err}\n{src}"

    prop()
    assert seen["rejected"] > 0 and seen["ran"] > 0, seen
