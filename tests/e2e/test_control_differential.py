"""Differential property test of the control features (the issue's acceptance): random nestings of
generators, handlers, try/catch/finally and cancellation (tests/e2e/control_programs.py) are compiled; our VM
(target fx) and V8 (node 26, target standard), and both again on target asyncify (the lowering, V8 without the
WasmFX flag), and the VM with `--evidence`, must each print exactly what the Python oracle says.

Each level uses a set of features; a small probe program per feature (valid according to docs/effects.md) must
compile on both targets, its own test, so a feature that stops compiling is named by that test. A compiler
exception (a diagnostic or a crash) on a random program fails the test: nothing here is skipped, except the V8
half when node 26 is not installed (declared in tests/declared_skips.txt).
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, note, settings

from fxlang.cli import NODE_FLAGS
from tests.conftest import require_node
from tests.e2e.conftest import ROOT

from .control_programs import TooLong, expected_output, programs, render_fx

PROBES = {
    "handlers": "fn main() { let g = handle { 1 } with { return r => r }; println(g); }",
    "generators": """
        fn gen0(a: int) -> Gen[int] { yield a; yield a + 1; }
        fn main() {
            for x in gen0(1) { println(x); break; }
            let g = gen0(5);
            match next(g) { Some(x) => { println(x); }, None => { } };
        }""",
    "exceptions": """
        exception Boom(int)
        exception Stop
        fn main() {
            try { throw Boom(1); } catch Boom(e) { println(e); } catch Stop { } catch _ { } finally { println(2); };
        }""",
    "cancel": """
        fn gen0(a: int) -> Gen[int] { yield a; }
        fn main() { let g = gen0(1); match next(g) { Some(x) => { cancel(g); }, None => { } }; }""",
    "stackful": """
        fn walk0(a: int) { yield a; yield a + 1; }
        fn gen1(a: int) -> Gen[int] { walk0(a); walk0(a * 10); }
        fn main() { for x in gen1(1) { println(x); } }""",
    "escape": """
        effect Emit { emit(int) }
        fn main() {
            let mut i = 0;
            while i < 3 {
                i += 1;
                let r = handle { perform Emit::emit(i); if i == 2 { break; } 0 } with {
                    Emit::emit(v), k => { let r = k(()); println(v); r },
                };
                println(r);
            }
        }""",
    "jumps": """
        fn gen0(a: int) -> Gen[int] { yield a; yield a + 1; yield a + 2; }
        fn gen1(a: int) -> Gen[int] {
            for x in gen0(a) { if x == a { continue; } yield x; if x > a { return; } }
        }
        fn main() { for x in gen1(1) { println(x); } return; }""",
    "gen_effects": """
        effect Emit { emit(int) }
        fn gen0(a: int) -> Gen[int] { perform Emit::emit(a); yield a; }
        fn main() {
            let r = handle { for x in gen0(1) { println(x); } 0 } with { Emit::emit(v), k => k(()) };
            println(r);
        }""",
}

LEVELS = {
    "handlers": frozenset({"handlers"}),
    "handlers_exceptions": frozenset({"handlers", "exceptions"}),
    "generators_exceptions": frozenset({"generators", "exceptions", "cancel"}),
    "all": frozenset({"handlers", "generators", "exceptions", "cancel"}),
    "stackful": frozenset({"handlers", "generators", "exceptions", "cancel", "stackful"}),
    "gen_effects": frozenset({"handlers", "generators", "exceptions", "cancel", "gen_effects"}),
    "escape": frozenset({"handlers", "generators", "exceptions", "cancel", "stackful", "escape"}),
    "jumps": frozenset({"handlers", "generators", "exceptions", "cancel", "stackful", "escape", "jumps"}),
}
EXAMPLES = {"handlers": 15, "handlers_exceptions": 20, "generators_exceptions": 25, "all": 30, "stackful": 20,
            "gen_effects": 20, "escape": 20, "jumps": 25}
# FX_CONTROL_EXAMPLES=N runs N random (not derandomized) programs per level, for bug hunting
HUNT = int(os.environ.get("FX_CONTROL_EXAMPLES", "0"))
DEPTH = int(os.environ.get("FX_CONTROL_DEPTH", "3"))      # deeper nesting for bug hunting
FUEL = 10**8


def compile_fx(src: str, path, target: str, evidence: bool = False) -> bytes:
    """Source -> Wasm binary through the compiler's phases (raises FxError/FxErrors on bad source)."""
    from fxlang import driver
    return driver.compile_source(src, path, target=target, evidence=evidence).wasm


def run_on_vm(data: bytes) -> tuple[str, str]:
    """(stdout, "") or, when the program fails (a trap, a panic, an uncaught exception), (stdout, stderr)."""
    from tests.fxlang.codegen.conftest import run_vm_wasi
    out, err, status = run_vm_wasi(data, fuel=FUEL)
    return out.decode(errors="replace"), err.decode(errors="replace") if status else ""


def run_on_node(data: bytes, tmp_path, wasmfx: bool = True) -> tuple[str, str]:
    """V8 runs `data`; a lowered (target asyncify) binary runs without the WasmFX flag."""
    wasm = tmp_path / "program.wasm"
    wasm.write_bytes(data)
    flags = NODE_FLAGS if wasmfx else [f for f in NODE_FLAGS if f != "--experimental-wasm-wasmfx"]
    r = subprocess.run([require_node(), *flags, "--no-warnings", str(ROOT / "fxlang/hosts/wasi_run.mjs"),
                        str(wasm), '{"args": ["program.wasm"], "env": {}, "preopens": []}'],
                       capture_output=True, timeout=60)
    return r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace") if r.returncode else ""


def level_test(level, engine):
    @settings(max_examples=HUNT or EXAMPLES[level], deadline=None, derandomize=not HUNT, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.function_scoped_fixture])
    @given(prog=programs(LEVELS[level], DEPTH))
    def check_level(tmp_path, prog):
        try:
            expected = expected_output(prog)
        except TooLong:
            return
        src = render_fx(prog)
        note(src)
        note(f"expected:\n{expected}")
        path = tmp_path / "program.fx"
        path.write_text(src)
        if engine == "vm":
            vm_out, vm_err = run_on_vm(compile_fx(src, path, "fx"))
            assert (vm_out, vm_err) == (expected, ""), f"VM differs from the oracle on\n{src}"
        elif engine == "vm-evidence":       # fxc build --evidence (fxlang/codegen/control/evidence.py)
            vm_out, vm_err = run_on_vm(compile_fx(src, path, "fx", evidence=True))
            assert (vm_out, vm_err) == (expected, ""), f"VM, --evidence, differs from the oracle on\n{src}"
        elif engine == "vm-asyncify":
            vm_out, vm_err = run_on_vm(compile_fx(src, path, "asyncify"))
            assert (vm_out, vm_err) == (expected, ""), f"VM, target asyncify, differs from the oracle on\n{src}"
        elif engine == "node-asyncify":
            node_out, node_err = run_on_node(compile_fx(src, path, "asyncify"), tmp_path, wasmfx=False)
            assert (node_out, node_err) == (expected, ""), f"V8, target asyncify, differs from the oracle on\n{src}"
        else:
            node_out, node_err = run_on_node(compile_fx(src, path, "standard"), tmp_path)
            assert (node_out, node_err) == (expected, ""), f"V8 differs from the oracle on\n{src}"
    return check_level


@pytest.mark.parametrize("target", ["fx", "standard", "asyncify"])
@pytest.mark.parametrize("feature", sorted(PROBES))
def test_each_feature_probe_compiles(feature, target, tmp_path):
    assert compile_fx(PROBES[feature], tmp_path / f"probe_{feature}.fx", target)


@pytest.mark.parametrize("engine", ["vm", "node", "vm-asyncify", "node-asyncify", "vm-evidence"])
@pytest.mark.parametrize("level", list(LEVELS))
def test_random_control_programs_print_what_the_oracle_says(level, engine, tmp_path):
    if engine.startswith("node"):
        require_node()
    level_test(level, engine)(tmp_path)
