"""Latent effects and effect polymorphism: function types carry effect variables, top-level fns are polymorphic
in the variables of their signatures (fxlang/check/effects.py; docs/effects.md "Effect inference")."""

import pytest

from fxlang.check import check
from fxlang.diagnostics import FxError
from fxlang.modules import load_source

EFFECTS = """
effect Log { log(int) }
effect State { get() -> int }
"""

HANDLE_LOG = "with { Log::log(v), k => { println(v); k(()) } }"


def checked(src):
    return check(load_source(EFFECTS + src, "p.fx"))


def errors(src):
    with pytest.raises(FxError) as info:
        checked(src)
    e = info.value
    return [x.message for x in getattr(e, "errors", [e])]


def effects(c):
    return {f.name: sorted(e.name for e in f.effects) for f in c.functions}


def test_map_at_two_sites_with_different_effects():
    c = checked(f"""
fn map(xs: [int], f: fn(int) -> int) -> [int] {{
    let out: [int] = [];
    let mut i = 0;
    while i < len(xs) {{ push(out, f(xs[i])); i += 1; }}
    out
}}
fn main() {{
    let a = handle {{ map([1, 2], |x| {{ perform Log::log(x); x }}) }} {HANDLE_LOG};
    let b = map(a, |y| y + 1);
    println(len(b));
}}
""")
    # map performs only what its callers pass: nothing of its own
    assert effects(c)["map"] == [] and effects(c)["main"] == []


def test_apply_charges_the_caller_with_its_arguments_effects():
    src = """
fn apply(f: fn() -> unit) { f(); }
fn main() { apply(|| println("plain")); apply(|| perform Log::log(1)); }
"""
    assert errors(src) == ["'main' may perform effect Log that no handler handles "
                           "(main -> apply -> call through a function value (lambda at 6:47 performs Log))"]
    checked(src.replace("fn main() {", "fn main() { handle {").replace(
        "perform Log::log(1)); }", f"perform Log::log(1)); }} {HANDLE_LOG}; }}"))


def test_compose_two_sites():
    checked(f"""
fn compose(f: fn(int) -> int, g: fn(int) -> int) -> fn(int) -> int {{ |x| g(f(x)) }}
fn main() {{
    let h = compose(|x| x + 1, |x| x * 2);
    println(h(3));
    let n = handle {{
        let noisy = compose(|x| {{ perform Log::log(x); x }}, |x| x + perform State::get());
        noisy(1)
    }} with {{ Log::log(v), k => {{ println(v); k(()) }}, State::get(), k => k(10) }};
    println(n);
}}
""")
    # the composed function is called outside any handler: its effects must be found there
    assert errors("""
fn compose(f: fn(int) -> int, g: fn(int) -> int) -> fn(int) -> int { |x| g(f(x)) }
fn main() {
    let h = handle { compose(|x| x + perform State::get(), |x| x) } with { State::get(), k => k(1) };
    println(h(3));
}
""")[0].startswith("'main' may perform effect State that no handler handles")


def test_a_fn_returning_its_argument():
    src = """
fn id(f: fn() -> unit) -> fn() -> unit { f }
fn main() {
    let quiet = id(|| println("q"));
    quiet();
    let loud = id(|| perform Log::log(1));
    loud();
}
"""
    msgs = errors(src)
    assert len(msgs) == 1 and msgs[0].startswith("'main' may perform effect Log") and "8:5" not in msgs[0]
    checked(src.replace("    loud();\n", f"    handle {{ loud() }} {HANDLE_LOG};\n"))


def test_recursion_stays_polymorphic():
    c = checked(f"""
fn times(n: int, f: fn(int) -> unit) {{ if n > 0 {{ f(n); times(n - 1, f); }} }}
fn even(n: int, f: fn(int) -> unit) {{ if n > 0 {{ f(n); odd(n - 1, f); }} }}
fn odd(n: int, f: fn(int) -> unit) {{ if n > 0 {{ even(n - 1, f); }} }}
fn main() {{
    times(3, |i| println(i));
    handle {{ times(3, |i| perform Log::log(i)); even(4, |i| perform Log::log(i)); }} {HANDLE_LOG};
    odd(5, |i| println(i));
}}
""")
    assert effects(c)["times"] == [] and effects(c)["even"] == [] and effects(c)["main"] == []


def test_generic_fns_instantiate_effects_per_use():
    c = checked(f"""
fn apply_to[T](x: T, f: fn(T) -> T) -> T {{ f(x) }}
fn keep[T](x: T) -> T {{ x }}
fn main() {{
    println(apply_to(1, |x| x + 1));
    println(handle {{ apply_to(2, |x| {{ perform Log::log(x); x }}) }} {HANDLE_LOG});
    let g = keep(|| println("kept"));
    g();
    let s = handle {{ apply_to("a", |x| x + "b") }} {HANDLE_LOG};
    println(s);
}}
""")
    assert effects(c)["main"] == []
    # the same instance used under a handler and outside: the effects belong to the uses, not the instance
    assert errors("""
fn apply_to[T](x: T, f: fn(T) -> T) -> T { f(x) }
fn main() {
    println(apply_to(1, |x| x + 1));
    println(apply_to(2, |x| { perform Log::log(x); x }));
}
""")[0].startswith("'main' may perform effect Log that no handler handles (main -> apply_to")


def test_a_fn_that_makes_a_closure_hands_its_effects_to_the_caller():
    src = """
fn make() -> fn() -> unit { || perform Log::log(7) }
fn main() { let f = make(); f(); }
"""
    assert errors(src) == ["'main' may perform effect Log that no handler handles (main -> call through a "
                           "function value (from 'make': lambda at 5:29 performs Log))"]
    checked(src.replace("f(); }", f"handle {{ f() }} {HANDLE_LOG}; }}"))


def test_stored_continuation_resumed_under_the_handler():
    c = checked("""
effect Ask { ask() -> int }
fn main() {
    let mut saved: [fn(int) -> int] = [];
    let total = handle {
        let first = handle { perform Ask::ask() + 1 } with { Ask::ask(), k => { push(saved, k); 0 } };
        let later = saved[0];
        first + later(41)
    } with { Log::log(v), k => { println(v); k(()) } };
    println(total);
}
""")
    assert effects(c)["main"] == []


def test_stdlib_style_scheduler_queue_of_closures():
    # a run queue of closures and saved continuations, as std.async keeps them
    c = checked("""
effect Yield { pause() }
struct Sched { ready: [fn() -> unit] }
fn spawn(s: Sched, body: fn() -> unit / {Yield}) {
    push(s.ready, || handle { body() } with { Yield::pause(), k => { push(s.ready, || k(())); } });
}
fn run(s: Sched) { while len(s.ready) > 0 { let next = s.ready[0]; s.ready = drop_first(s.ready); next(); } }
fn drop_first(xs: [fn() -> unit]) -> [fn() -> unit] {
    let out: [fn() -> unit] = [];
    let mut i = 1;
    while i < len(xs) { push(out, xs[i]); i += 1; }
    out
}
fn main() {
    let s = Sched { ready: [] };
    spawn(s, || { println(1); perform Yield::pause(); println(3); });
    spawn(s, || { println(2); perform Yield::pause(); println(4); });
    run(s);
}
""")
    assert effects(c)["main"] == [] and effects(c)["run"] == []


def test_a_body_that_performs_more_than_the_scheduler_handles_is_reported_where_it_is_given():
    msgs = errors("""
fn spawn(body: fn() -> unit / {Log}) { handle { body() } with { Log::log(v), k => k(()) }; }
fn main() { spawn(|| { perform Log::log(1); let x = perform State::get(); }); }
""")
    assert msgs == ["this lambda may perform State but its function type allows only {Log} "
                    "(lambda -> perform State::get)"]


def test_generators_perform_their_body_where_stepped():
    c = checked(f"""
fn noisy(n: int) -> Gen[int] {{ let mut i = 0; while i < n {{ perform Log::log(i); yield i; i += 1; }} }}
fn total(g: Gen[int]) -> int {{ let mut t = 0; for x in g {{ t += x; }} t }}
fn main() {{
    let g = noisy(3);                       // creating it performs nothing
    println(handle {{ total(g) }} {HANDLE_LOG});
}}
""")
    assert effects(c)["main"] == [] and effects(c)["total"] == []


def test_a_nosuspend_over_a_callers_function_is_left_to_the_barrier():
    # the helper's parameter may be anything: the runtime barrier decides; the caller is not charged
    c = checked("""
fn critical(f: fn() -> unit) { nosuspend { f() } }
fn main() { critical(|| println("ok")); critical(|| perform Log::log(1)); }
""")
    assert effects(c)["critical"] == [] and effects(c)["main"] == []


def test_a_parameter_stored_in_a_global_stops_being_polymorphic():
    # f escapes into a global: every argument's effects are what a call of the global may perform
    msgs = errors(f"""
let mut saved: fn() -> unit = || println("none");
fn keep(f: fn() -> unit) {{ saved = f; }}
fn main() {{
    handle {{ keep(|| perform Log::log(1)); }} {HANDLE_LOG};
    saved();
}}
""")
    assert len(msgs) == 1 and msgs[0].startswith("'main' may perform effect Log that no handler handles")


def test_type_printing_unchanged():
    msgs = errors("""
fn f(g: fn(int) -> int) -> int { g(1) }
fn main() { let h: fn(int) -> int / {Log} = |x| x; println(f(true)); }
""")
    assert msgs == ["type mismatch: expected fn(int) -> int, found bool"]
