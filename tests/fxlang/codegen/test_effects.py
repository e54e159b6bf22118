"""Effects end to end: `effect`, `perform`, deep `handle` with first-class one-shot `k`, `nosuspend`, compiled
through fxlang/codegen/control to WasmFX (tags, suspend, cont.new, resume, barrier) and run on node 26 and on the VM."""

from fxlang.syntax import ast

from .conftest import _run_node, compile_source, run_vm


def test_nested_handlers_state_and_logging(both):
    src = """
    effect Ask { ask() -> int }
    effect Log { log(str) }
    fn compute() -> int {
        perform log("start");
        let a = perform ask();
        let b = perform ask();
        perform log("got " + str(a) + " and " + str(b));
        a + b * 10
    }
    fn main() {
        let mut n = 0;
        let mut lines = "";
        let r = handle {
            handle { compute() } with {
                ask(), k => { n += 1; k(n) },
                return x => x * 2,
            }
        } with {
            log(msg), k => { lines = lines + msg + ";"; k() },
        };
        println(r);
        println(lines);
        println(n);
    }"""
    assert both(src) == "42\nstart;got 1 and 2;\n2\n"


def test_generator_exception_and_state_patterns(both):
    src = """
    effect Gen { yield_(int) }
    effect Fail { fail(str) -> int }
    effect State { get() -> int, put(int) }
    fn numbers(n: int) { let mut i = 0; while i < n { perform yield_(i * i); i += 1; } }
    fn safe_div(a: int, b: int) -> int { if b == 0 { perform fail("division by zero") } else { a / b } }
    fn counter() -> int {
        perform put(perform get() + 5);
        perform put(perform get() * 2);
        perform get()
    }
    fn run_state(init: int) -> int {
        let mut s = init;
        handle { counter() } with { get(), k => k(s), put(v), k => { s = v; k() } }
    }
    fn main() {
        let mut total = 0;
        handle { numbers(5) } with { yield_(x), k => { print(str(x) + " "); total += x; k() } };
        println();
        println(total);
        println(handle { safe_div(10, 2) + safe_div(1, 0) } with {
            fail(msg), k => { println("failed: " + msg); -1 },
        });
        println(run_state(1));
        handle { numbers(3) } with { yield_(x), k => { println("stopping at " + str(x)); } };
        let f = |x: int| handle { perform yield_(x); x + 1 } with { yield_(y), k => { k() * 100 } };
        println(f(4));
    }"""
    assert both(src) == "0 1 4 9 16 \n30\nfailed: division by zero\n-1\n12\nstopping at 0\n500\n"


def test_continuation_stored_and_resumed_later(both):
    """k escapes its clause: the handler returns at once, the rest of the body runs when k is called."""
    src = """
    effect Pause { pause(int) -> str }
    fn worker() -> int {
        let a = perform pause(1);
        let b = perform pause(2);
        println("worker got " + a + " and " + b);
        len(a + b)
    }
    fn main() {
        let mut ks: [fn(str) -> int] = [];
        let first = handle { worker() } with {
            pause(n), k => { println("paused at " + str(n)); push(ks, |s: str| k(s)); 0 - n },
        };
        println(first);
        let second = ks[0]("x");
        println(second);
        let third = ks[1]("yz");
        println(third);
    }"""
    assert both(src) == "paused at 1\n-1\npaused at 2\n-2\nworker got x and yz\n3\n"


def test_resuming_twice_traps(run_trap, tmp_path):
    src = """
    effect E { e() }
    fn main() {
        handle { perform e(); println("resumed"); } with { e(), k => { k(); k(); } };
    }"""
    out, err = run_trap(src)
    assert out == "resumed\n"
    assert "continuation" in err
    vm_out, status = run_vm(compile_source(src, tmp_path / "vm.fx"))
    assert (vm_out, status) == ("resumed\n", 1)


def test_inner_handler_of_the_same_effect_wins_and_effects_pass_through_closures(both):
    src = """
    effect Ask { ask() -> int }
    fn twice(f: fn() -> int) -> int { f() + f() }
    fn main() {
        let r = handle {
            let outer = perform ask();
            let inner = handle { perform ask() } with { ask(), k => k(100) };
            outer + inner
        } with { ask(), k => k(1) };
        println(r);
        println(handle { twice(|| perform ask()) } with { ask(), k => k(21) });
    }"""
    assert both(src) == "101\n42\n"


def test_nosuspend_block(build, tmp_path):
    src = """
    effect Ask { ask() -> int }
    fn main() {
        let x = nosuspend { let a = 20; a * 2 + 2 };
        println(x);
        println(handle { (nosuspend { 1 }) + perform ask() } with { ask(), k => k(x) });
    }"""
    # target standard (no barrier instruction) runs on V8 ...
    std = build(src, "standard")
    r = _run_node(tmp_path / "prog.wasm")
    assert r.stdout.decode() == "42\n43\n", r.stderr.decode()
    assert run_vm(std) == ("42\n43\n", 0)
    # ... target fx uses fxlang's own barrier (0xe7), which standard tools reject and our VM runs
    fx = compile_source(src, tmp_path / "fx.fx", target="fx")
    assert fx != std
    assert run_vm(fx) == ("42\n43\n", 0)


def test_perform_amid_struct_and_array_accesses(both):
    src = """
    effect Ask { ask(int) -> int }
    struct P { x: int, xs: [int] }
    fn work(p: P) -> int {
        let a = p.x + perform ask(p.xs[0]);
        p.xs[1] = perform ask(a);
        let f = |y: int| y + perform ask(p.x);
        f(p.xs[1]) + p.xs[1] / p.x
    }
    fn main() {
        let p = P { x: 3, xs: [10, 20] };
        println(handle { work(p) } with { ask(v), k => k(v * 2) });
        println(p.xs[1]);
    }"""
    assert both(src) == "67\n46\n"


def test_handlers_in_globals_lambdas_loops_and_clauses_that_perform(both):
    src = """
    effect Ask { ask() -> int }
    effect Log { log(str) }
    let base = handle { perform ask() + 1 } with { ask(), k => k(41) };
    fn many(n: int) -> int {
        let mut total = 0;
        let mut i = 0;
        while i < n { total += perform ask(); i += 1; }
        total
    }
    fn main() {
        println(base);
        let mut c = 0;
        println(handle { many(1000) } with { ask(), k => { c += 1; k(c) } });
        let offset = 7;
        let f = |x: int| {
            let mut seen = 0;
            let r = handle { perform ask() * x } with { ask(), k => { seen += 1; k(offset + seen) } };
            r + seen
        };
        println(f(2));
        let mut log = "";
        let r = handle {
            handle { perform ask() + perform ask() } with {
                ask(), k => { perform log("asked"); k(5) },
            }
        } with { log(m), k => { log = log + m + "!"; k() } };
        println(str(r) + " " + log);
        let u = handle { perform log("a"); perform log("b"); } with {
            log(m), k => { let v = k(); println(m); v + 1 },
            return _r => 99,
        };
        println(u);
    }
    """
    assert both(src) == "42\n500500\n17\n10 asked!asked!\nb\na\n101\n"


def test_nosuspend_traps_on_an_escaped_continuation_even_under_an_outer_handler(build, tmp_path):
    """The Ask continuation escapes its handler; resumed inside nosuspend (in a fn that takes it as a parameter,
    which the checker leaves to the barrier) it performs Log.  An outer Log handler is around the nosuspend, but
    the suspension must not cross it: both targets trap."""
    src = """
    effect Ask { ask() -> int }
    effect Log { log(int) }
    fn critical(f: fn(int) -> int, v: int) -> int { nosuspend { f(v) } }
    fn main() {
        let mut saved: [fn(int) -> int] = [];
        let first = handle {
            handle { let x = perform Ask::ask(); perform Log::log(x); x + 1 } with {
                Ask::ask(), k => { push(saved, |v: int| k(v)); 0 },
            }
        } with { Log::log(v), k => { println("log " + str(v)); k(()) } };
        let later = saved[0];
        println(nosuspend { 1 + 1 });
        let r = handle { critical(later, 41) } with { Log::log(v), k => { println("outer log"); k(()) } };
        println(r);
    }
    """
    build(src, "standard")
    r = _run_node(tmp_path / "prog.wasm")
    assert (r.stdout.decode(), r.returncode) == ("2\n", 1)
    for target in ("fx", "standard"):
        out, status = run_vm(compile_source(src, tmp_path / f"{target}.fx", target=target))
        assert (out, status) == ("2\n", 1)


def test_nosuspend_body_that_returns_runs_inline_on_the_standard_target(build, tmp_path):
    src = """
    effect E { e() }
    fn first_big(xs: [int]) -> int {
        let mut i = 0;
        while i < len(xs) { nosuspend { if xs[i] > 10 { return xs[i]; } } i += 1; }
        0 - 1
    }
    fn main() { println(first_big([1, 20, 30])); handle { perform e(); } with { e(), k => k(()) }; }"""
    build(src, "standard")
    r = _run_node(tmp_path / "prog.wasm")
    assert r.stdout.decode() == "20\n", r.stderr.decode()
    assert run_vm(compile_source(src, tmp_path / "fx.fx", target="fx")) == ("20\n", 0)


def test_free_variables_of_handler_parts(tmp_path):
    from fxlang.check import check
    from fxlang.codegen.control.captures import free_variables, handle_parts, handler_captures
    from fxlang.modules import load_source
    src = """
    effect Ask { ask(int) -> int }
    fn main() {
        let mut total = 0;
        let base = 10;
        let unused = 5;
        let r = handle {
            let local = perform ask(base);
            total += local;
            local
        } with {
            ask(v), k => { let w = v + base; k(w) + total },
            return x => x + unused,
        };
        println(r);
    }"""
    program = load_source(src, str(tmp_path / "p.fx"))
    checked = check(program)
    h = next(n for item in program.main.items for n in ast.walk(item) if isinstance(n, ast.Handle))
    names = [[b.name for b in free_variables(part)] for part in handle_parts(h)]
    assert names == [["base", "total"], ["base", "total"], ["unused"]]
    assert {b.name for b in handler_captures(checked)} == {"total"}


def test_handler_captures_come_from_generic_instances_not_templates(tmp_path):
    """Each instance of a generic fn has bindings of its own; those (not the template's) are captured."""
    from fxlang.check import check
    from fxlang.codegen.control.captures import handler_captures
    from fxlang.modules import load_source
    src = """
    effect Log { log(int) }
    fn logged[T](x: T, n: int) -> int {
        let mut count = 0;
        let r = handle { perform log(n); perform log(n + 1); n } with { log(v), k => { count += v; k() } };
        r + count
    }
    fn main() { println(logged(1, 10)); println(logged("s", 1)); }"""
    checked = check(load_source(src, str(tmp_path / "p.fx")))
    caps = handler_captures(checked)
    assert len(checked.instances) == 2
    for inst in checked.instances:
        mine = {n.binding for n in ast.walk(inst.body) if isinstance(n, ast.Let)}
        assert {b.name for b in caps & mine} == {"count"}
    template_bindings = {n.binding for g in checked.generic_fns for n in ast.walk(g.body) if isinstance(n, ast.Let)}
    assert not caps & template_bindings


def test_unit_parameter_may_be_left_out_in_calls_and_generic_handlers(both):
    """`k()` for `k(())`, and likewise for fns, lambdas and function values of one `unit` parameter."""
    src = """
    effect Log { log(int) }
    effect Ask { ask() -> int }
    fn f(u: unit) -> int { 7 }
    fn logged[T](x: T, n: int) -> int {
        let mut count = 0;
        let r = handle { perform log(n); perform log(n + 1); n } with { log(v), k => { count += v; k() } };
        r + count
    }
    fn asked[T](x: T) -> int {
        let mut a = 0;
        handle { perform ask() + perform ask() } with { ask(), k => { a += 1; k(a) } }
    }
    fn main() {
        println(f());
        let g = |u: unit| 5;
        println(g());
        println(logged(1, 10));
        println(logged("s", 1));
        println(asked(true));
        let mut saved: [fn(unit) -> int] = [];
        let z = handle { perform log(3); 40 } with { log(v), k => { push(saved, k); v } };
        println(z + saved[0]());
    }"""
    assert both(src) == "7\n5\n31\n4\n3\n43\n"


def test_nosuspend_traps_on_a_yield_or_a_switch_on_both_targets(build, tmp_path):
    """The standard target's trapping handler covers every suspension tag of the program — yields and the fibers'
    switch as well as effect operations — so a suspension the checker left to the barrier (it arrives through a
    parameter of the fn holding the nosuspend) traps there on every engine instead of crossing it."""
    common = "fn critical(f: fn() -> unit) { nosuspend { f() } }\n"
    programs = {
        "yield": common + """
        fn nums() -> Gen[int] { yield 1; critical(|| { yield 2; }); yield 3; }
        fn main() { for x in nums() { println(x); } }""",
        "switch": common + """
        fn main() {
            let b = fiber(|from| { println("b"); });
            let a = fiber(|from| { println("a"); critical(|| { switch_to(b); }); println("not reached"); });
            fiber_run(a);
        }""",
    }
    for name, src in programs.items():
        want = "1\n" if name == "yield" else "a\n"
        build(src, "standard")
        r = _run_node(tmp_path / "prog.wasm")
        assert (r.stdout.decode(), r.returncode) == (want, 1), (name, r.stderr.decode())
        assert "suspension across nosuspend" in r.stderr.decode(), (name, r.stderr.decode())
        for target in ("fx", "standard"):
            out, status = run_vm(compile_source(src, tmp_path / f"{name}_{target}.fx", target=target))
            assert (out, status) == (want, 1), (name, target)
