"""`fx.panic` (docs/host.md): runtime errors the compiled code reports with a message of its own, printed by
`fxc run` as `fxc: trap: <message>` with exit status 1 on both engines (the VM and node 26)."""

from __future__ import annotations

import pytest

from fxlang import cli

from tests.conftest import require_node

RESUME_TWICE = """
effect Ask { ask() -> int }
fn main() {
    println("start");
    let r = handle { perform ask() + 1 } with {
        ask(), k => { let a = k(1); println("once"); let b = k(2); a + b },
    };
    println(r);
}
"""

# the Ask continuation escapes its handler; resumed inside nosuspend it performs Log, and the outer Log
# handler around the nosuspend must not see it
ESCAPED_INTO_NOSUSPEND = """
effect Ask { ask() -> int }
effect Log { log(int) }
// the checker leaves nosuspend over a parameter's effects to the run-time barrier (docs/effects.md)
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

# `catch _` compiles to catch_all: the panic must not be an exception it could catch
PANIC_UNDER_CATCH_ALL = """
effect E { e() }
fn main() {
    let v = try {
        handle { perform e(); println("resumed"); } with { e(), k => { k(); k(); } };
        1
    } catch _ { println("caught"); 2 };
    println(v);
}
"""

# k escapes its handle; resumed after the loop is gone, the body's `break` has no target left
STRAY_BREAK = """
effect Ask { ask() -> int }
fn main() {
    let mut saved: [fn(int) -> int] = [];
    let mut i = 0;
    while i < 1 {
        let r = handle { let x = perform ask(); if x > 5 { break; } x } with {
            ask(), k => { push(saved, k); 0 },
        };
        println(r);
        i += 1;
    }
    println("later");
    println(saved[0](10));
}
"""

ENGINES = [("vm", "fx"), ("vm", "standard"), ("node", None)]


def fxc_run(tmp_path, capfdbinary, src, engine, target):
    path = tmp_path / "prog.fx"
    path.write_text(src)
    if engine == "node":
        require_node()
    args = ["run", str(path), "--engine", engine] + (["--target", target] if target else [])
    status = cli.main(args)
    out, err = capfdbinary.readouterr()
    return status, out.decode(), err.decode()


@pytest.mark.parametrize("engine,target", ENGINES)
def test_resuming_k_twice_names_the_effect(tmp_path, capfdbinary, engine, target):
    status, out, err = fxc_run(tmp_path, capfdbinary, RESUME_TWICE, engine, target)
    assert (status, out) == (1, "start\nonce\n")
    assert err.startswith("fxc: trap: continuation of effect Ask resumed twice"), err
    assert "Traceback" not in err


@pytest.mark.parametrize("engine,target", [("vm", "standard"), ("node", None)])
def test_suspension_across_nosuspend_on_the_standard_target(tmp_path, capfdbinary, engine, target):
    status, out, err = fxc_run(tmp_path, capfdbinary, ESCAPED_INTO_NOSUSPEND, engine, target)
    assert (status, out) == (1, "2\n")
    assert err == "fxc: trap: suspension across nosuspend\n"


def test_suspension_across_the_barrier_on_the_fx_target(tmp_path, capfdbinary):
    """The VM's barrier trap reads in fx's words, placed at the suspension (the standard target's lowered
    barrier reports from its handler, without a place: docs/host.md)."""
    status, out, err = fxc_run(tmp_path, capfdbinary, ESCAPED_INTO_NOSUSPEND, "vm", "fx")
    assert (status, out) == (1, "2\n")
    assert err.startswith("fxc: trap: suspension across nosuspend at "), err      # no doubled "trap: trap:"
    assert "/prog.fx:10:53 (in lambda in fn main)\n  called from " in err


@pytest.mark.parametrize("engine,target", ENGINES)
def test_a_panic_is_not_an_exception_catch_all_could_catch(tmp_path, capfdbinary, engine, target):
    status, out, err = fxc_run(tmp_path, capfdbinary, PANIC_UNDER_CATCH_ALL, engine, target)
    assert (status, out) == (1, "resumed\n")
    assert err.startswith("fxc: trap: continuation of effect E resumed twice"), err


@pytest.mark.parametrize("engine,target", ENGINES)
def test_a_jump_out_of_a_finished_handler_panics(tmp_path, capfdbinary, engine, target):
    status, out, err = fxc_run(tmp_path, capfdbinary, STRAY_BREAK, engine, target)
    assert (status, out) == (1, "0\nlater\n")
    assert err == "fxc: trap: break, continue or return out of a handler that has already finished\n"
