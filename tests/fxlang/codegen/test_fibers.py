"""Fibers (fxlang/codegen/control/fibers.py, docs/fibers.md): `switch` on target fx, its lowering on target standard.

Every program runs three ways — our VM on target fx (real `switch`), our VM on target standard (suspend and a
resume loop) and V8 on target standard — and all three must print the same, or trap with the same message.
"""

from __future__ import annotations

import re

import pytest

from fxlang import driver
from fxlang.wasm import encode
from fxlang.wasm.stats import instruction_counts
from fxlang.wasm.wat import print_module
from tests.fxlang.codegen.conftest import (_run_node, assert_v8_rule, compile_source, run_vm_with_message,
                                          validate)


vm_run = run_vm_with_message


def node_run(data: bytes, tmp_path) -> tuple[str, int, str]:
    path = tmp_path / "std.wasm"
    path.write_bytes(data)
    r = _run_node(path)
    return r.stdout.decode(), r.returncode, r.stderr.decode()


@pytest.fixture
def three(tmp_path):
    """Build both targets (validated), check the instructions each holds, run on VM/fx, VM/standard and
    V8/standard; all must agree.  Returns (stdout, status, VM trap message)."""
    def three(src: str):
        fx = compile_source(src, tmp_path / "p.fx", "fx")
        validate(fx, tmp_path / "fx.wasm")
        std = compile_source(src, tmp_path / "p.fx", "standard")
        validate(std, tmp_path / "std.wasm")
        assert "switch" not in instruction_counts(std)
        a = vm_run(fx)
        b = vm_run(std)
        assert a == b, f"target fx: {a}\ntarget standard: {b}"
        out, status, err = node_run(std, tmp_path)
        assert (out, status) == a[:2], f"V8: {(out, status, err[-600:])}\nVM: {a}"
        if status:
            assert a[2] in err, f"V8 trapped with another message: {err[-600:]}"
        return a
    return three


PING_PONG = """
fn main() {
    let b = fiber(|from| {
        match from { Some(f) => { println("b: started by a fiber"); }, None => { println("b: started by fiber_run"); } }
        let a = match from { Some(f) => f, None => panic("b needs a") };
        let mut i = 0;
        let mut back = a;
        while i < 3 {
            println("b " + str(i));
            back = switch_to(back);
            i += 1;
        }
    });
    let a = fiber(|from| {
        match from { Some(f) => { println("a: started by a fiber"); }, None => { println("a: started by fiber_run"); } }
        let mut peer = b;
        let mut i = 0;
        while i < 3 {
            println("a " + str(i));
            peer = switch_to(peer);
            i += 1;
        }
        println("a done");
    });
    fiber_run(a);
    println("run over");
}"""


def test_ping_pong_same_everywhere(three):
    out, status, _ = three(PING_PONG)
    assert status == 0
    assert out == ("a: started by fiber_run\na 0\nb: started by a fiber\nb 0\na 1\nb 1\na 2\nb 2\na done\n"
                   "run over\n")


def test_target_fx_emits_switch_and_a_switch_handler(tmp_path):
    data = compile_source(PING_PONG, tmp_path / "p.fx", "fx")
    validate(data, tmp_path / "fx.wasm")
    counts = instruction_counts(data)
    assert counts["switch"] == 2 and counts["resume"] == 1 and "suspend" not in counts
    wat = print_module(driver.compile_source(PING_PONG, tmp_path / "p.fx", target="fx").module)
    assert "(on $fiber.sw switch)" in wat and "switch $fiber.ct $fiber.sw" in wat


def test_target_standard_lowers_switch_to_suspend_and_a_resume_loop(tmp_path):
    data = compile_source(PING_PONG, tmp_path / "p.fx", "standard")
    validate(data, tmp_path / "std.wasm")
    counts = instruction_counts(data)
    assert "switch" not in counts and counts["suspend"] == 2 and counts["resume"] == 1
    wat = print_module(driver.compile_source(PING_PONG, tmp_path / "p.fx", target="standard").module)
    assert not re.search(r"^\s*switch |\(on \S+ switch\)", wat, re.M)
    assert re.search(r"\(on \$fiber.sw \d+ ", wat)


def test_standard_driver_follows_the_v8_rule(tmp_path):
    assert_v8_rule(driver.compile_source(PING_PONG, tmp_path / "p.fx", target="standard").module)


def test_hot_switch_loop_on_node_with_default_flags(three):
    # 100,000 switches: enough for V8 to tier up and inline (docs/codegen.md, "Engine constraints")
    src = """
    struct Box { total: int }
    fn main() {
        let box = Box { total: 0 };
        let b = fiber(|from| {
            let mut peer = match from { Some(f) => f, None => panic("no peer") };
            loop { box.total += 2; peer = switch_to(peer); }
        });
        let a = fiber(|from| {
            let mut peer = b;
            let mut i = 0;
            while i < 50000 { box.total += 1; peer = switch_to(peer); i += 1; }
        });
        fiber_run(a);
        println(box.total);
    }"""
    assert three(src)[:2] == ("150000\n", 0)


def test_switching_to_a_used_fiber_panics_the_same_way_everywhere(three):
    src = """
    fn main() {
        let b = fiber(|from| {
            println("b runs");
            let a = match from { Some(f) => f, None => panic("no a") };
            switch_to(a);
        });
        let a = fiber(|from| {
            switch_to(b);
            println("a back");
            switch_to(b);
        });
        fiber_run(a);
    }"""
    out, status, msg = three(src)
    assert (out, status) == ("b runs\na back\n", 1)
    assert msg.startswith("fiber resumed twice")


def test_running_a_finished_fiber_again_panics(three):
    src = """
    fn main() {
        let f = fiber(|from| { println("once"); });
        fiber_run(f);
        fiber_run(f);
    }"""
    out, status, msg = three(src)
    assert (out, status) == ("once\n", 1) and msg.startswith("fiber resumed twice")


def test_fibers_in_structs_arrays_and_nested_runs(three):
    src = """
    struct Pool { waiting: [Fiber], log: [str] }
    fn main() {
        let pool = Pool { waiting: [], log: [] };
        let mut i = 0;
        while i < 4 {
            let id = i;
            push(pool.waiting, fiber(|from| {
                push(pool.log, "fiber " + str(id));
                if id == 2 {
                    // a nested run inside a fiber: its own switches stay inside it
                    let inner_b = fiber(|f| { push(pool.log, "inner b"); });
                    let inner_a = fiber(|f| { push(pool.log, "inner a"); switch_to(inner_b); });
                    fiber_run(inner_a);
                    push(pool.log, "inner run over");
                }
                if len(pool.waiting) > 0 { switch_to(pop(pool.waiting)); }
            }));
            i += 1;
        }
        fiber_run(pop(pool.waiting));
        let mut j = 0;
        while j < len(pool.log) { println(pool.log[j]); j += 1; }
    }"""
    out, status, _ = three(src)
    assert status == 0
    assert out == "fiber 3\nfiber 2\ninner a\ninner b\ninner run over\nfiber 1\nfiber 0\n"


def test_a_handler_inside_a_fiber_survives_switching_away_and_back(three):
    src = """
    effect Log { log(str) }
    struct Peer { f: [Fiber] }
    fn main() {
        let peer = Peer { f: [] };
        let b = fiber(|from| {
            let a = match from { Some(f) => f, None => panic("no a") };
            println("b: a is suspended inside its handler");
            switch_to(a);
        });
        let a = fiber(|from| {
            let lines = handle {
                perform Log::log("before");
                switch_to(b);                 // crosses the Log handler: the whole stack moves
                perform Log::log("after");
                0
            } with {
                Log::log(m), k => { println("log: " + m); k(()) + 1 },
            };
            println("a: " + str(lines) + " lines");
        });
        fiber_run(a);
    }"""
    out, status, _ = three(src)
    assert (out, status) == ("log: before\nb: a is suspended inside its handler\nlog: after\na: 2 lines\n", 0)


def test_a_generator_advanced_by_two_fibers_in_turn(three):
    src = """
    fn nat() -> Gen[int] { let mut i = 0; loop { yield i; i += 1; } }
    fn main() {
        let g = nat();
        let b = fiber(|from| {
            let mut peer = match from { Some(f) => f, None => panic("no a") };
            let mut n = 0;
            while n < 3 {
                match next(g) { Some(x) => println("b takes " + str(x)), None => {} }
                peer = switch_to(peer);
                n += 1;
            }
        });
        let a = fiber(|from| {
            let mut peer = b;
            loop {
                match next(g) { Some(x) => println("a takes " + str(x)), None => {} }
                peer = switch_to(peer);
            }
        });
        fiber_run(a);
        cancel(g);
    }"""
    out, status, _ = three(src)
    assert (out, status) == ("a takes 0\nb takes 1\na takes 2\nb takes 3\na takes 4\nb takes 5\na takes 6\n", 0)


def test_an_exception_in_a_fiber_leaves_fiber_run_after_its_finally_blocks(three):
    src = """
    exception Boom(int)
    fn main() {
        let b = fiber(|from| {
            try {
                println("b throws");
                throw Boom(7);
            } finally { println("b's finally"); }
        });
        let a = fiber(|from| {
            try { switch_to(b); } finally { println("a's finally never runs: a stays suspended"); }
        });
        try { fiber_run(a); } catch Boom(n) { println("caught Boom(" + str(n) + ") around fiber_run"); }
        println("main goes on");
    }"""
    out, status, _ = three(src)
    assert (out, status) == ("b throws\nb's finally\ncaught Boom(7) around fiber_run\nmain goes on\n", 0)


def test_a_suspension_of_another_effect_crosses_fiber_run_to_an_outer_handler(three):
    # A fiber performs Log and the Log handler is around fiber_run: the suspension crosses fiber_run, and the
    # whole fiber stack, fiber_run's resume included, is captured by the outer handler and resumed.
    src = """
    effect Log { log(str) }
    fn main() {
        let n = handle {
            let say = |m: str| perform Log::log(m);
            let b = fiber(|from| {
                say("b, inside fiber_run");
                let a = match from { Some(f) => f, None => panic("no a") };
                switch_to(a);
            });
            let a = fiber(|from| {
                say("a, inside fiber_run");
                switch_to(b);
                say("a again");
            });
            fiber_run(a);
            println("fiber_run returned");
            0
        } with {
            Log::log(m), k => { println("outer handler: " + m); k(()) + 1 },
        };
        println(str(n) + " suspensions crossed fiber_run");
    }"""
    out, status, _ = three(src)
    assert status == 0
    assert out == ("outer handler: a, inside fiber_run\nouter handler: b, inside fiber_run\n"
                   "outer handler: a again\nfiber_run returned\n3 suspensions crossed fiber_run\n")


def test_trace_reports_each_switch_the_same_on_both_targets_and_engines(tmp_path):
    from tests.fxlang.codegen.test_trace import run_vm_traced, trace_lines
    src = PING_PONG.replace("\n", "", 1)
    lines = ["fiber_run at prog.fx:24:5"] + [f"switch_to at prog.fx:{ln}" for ln in
                                             ("19:20", "9:20", "19:20", "9:20", "19:20", "9:20")]
    want = "".join(line + "\n" for line in lines)
    for target in ("fx", "standard"):
        data = encode(driver.compile_source(src, tmp_path / "prog.fx", target=target, trace=True).module)
        validate(data, tmp_path / "prog.wasm")
        out, err = run_vm_traced(data)
        assert trace_lines(err) == want, target
    r = _run_node(tmp_path / "prog.wasm")
    assert r.returncode == 0 and trace_lines(r.stderr.decode()) == want


def test_fxc_build_stats_counts_switch(tmp_path):
    import subprocess
    import sys
    from tests.e2e.conftest import ROOT
    src = tmp_path / "p.fx"
    src.write_text(PING_PONG)
    counts = {}
    for target in ("fx", "standard"):
        r = subprocess.run([sys.executable, "-m", "fxlang.cli", "build", str(src), "--target", target, "--stats",
                            "-o", str(tmp_path / f"{target}.wasm")], capture_output=True, text=True, cwd=ROOT)
        assert r.returncode == 0, r.stderr
        counts[target] = {ln.split()[0]: int(ln.split()[1]) for ln in (r.stdout + r.stderr).splitlines()
                          if len(ln.split()) == 2 and ln.split()[1].isdigit()}
    assert counts["fx"]["switch"] == 2 and "suspend" not in counts["fx"]
    assert "switch" not in counts["standard"] and counts["standard"]["suspend"] == 2


def test_named_functions_as_bodies_and_fibers_in_generic_containers(three):
    src = """
    struct Slot[T] { items: [T] }
    fn bounce(from: Option[Fiber]) / {Switch} {
        match from {
            Some(f) => { println("bounce: back to the caller"); switch_to(f); },
            None => { println("bounce: alone"); },
        }
    }
    fn main() {
        let slot: Slot[Fiber] = Slot { items: [] };
        push(slot.items, fiber(bounce));
        let caller = fiber(|from| {
            let b = pop(slot.items);
            let again = switch_to(b);
            push(slot.items, again);
            println("caller: got bounce back");
        });
        fiber_run(caller);
        fiber_run(fiber(bounce));
        println(len(slot.items));
    }"""
    assert three(src)[:2] == ("bounce: back to the caller\ncaller: got bounce back\nbounce: alone\n1\n", 0)


def test_std_threads_may_perform_effects_handled_around_run(three):
    src = """
    import std.threads;
    effect Log { log(str) }
    fn main() {
        let lines = handle {
            run(|| {
                spawn(|| { perform Log::log("b1"); yield_now(); perform Log::log("b2"); });
                perform Log::log("a1"); yield_now(); perform Log::log("a2");
            });
            0
        } with { Log::log(m), k => { println(m); k(()) + 1 } };
        println(str(lines) + " lines");
    }"""
    assert three(src) == ("a1\nb1\na2\nb2\n4 lines\n", 0, "")
