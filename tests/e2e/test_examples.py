"""Golden tests: every examples/*.fx has examples/*.out; it must print exactly that on our VM (default
target), on V8 (standard target) and, where a wasmtime CLI is installed, on wasmtime for every example it can
run (the others skip with the reason); its binaries must pass `wasm-tools validate --features all`.
An example's first line may be `// run: <fxc run options>` (e.g. `--dir examples -- examples/data/x.txt`),
given on every engine; standard input is empty. FX_BLESS=1 rewrites the .out files from the VM run."""
from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import wasmtime_cli
from tests.e2e.conftest import ROOT, wasm_tools_path

EXAMPLES = sorted((ROOT / "examples").glob("*.fx"))
BLESS = os.environ.get("FX_BLESS") == "1"


def fxc(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fxlang.cli", *args], capture_output=True, timeout=timeout,
                          cwd=ROOT, stdin=subprocess.DEVNULL)


def run_options(example: Path) -> list[str]:
    first = example.read_text().split("\n", 1)[0]
    return shlex.split(first[len("// run:"):]) if first.startswith("// run:") else []


def run_example(example: Path, *engine: str) -> subprocess.CompletedProcess:
    options = run_options(example)
    cut = options.index("--") if "--" in options else len(options)
    return fxc("run", str(example), *engine, *options[:cut], *options[cut:])


def golden(example: Path) -> Path:
    return example.with_suffix(".out")


def expected_status(example: Path) -> int:
    """Examples that demonstrate a trap say so with a `// expect: trap` line; they exit with status 1."""
    return 1 if "// expect: trap" in example.read_text() else 0


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_on_vm(example):
    r = run_example(example)
    assert r.returncode == expected_status(example), r.stderr.decode()
    if BLESS:
        golden(example).write_bytes(r.stdout)
    expected = golden(example).read_bytes()
    assert r.stdout.decode() == expected.decode(), r.stderr.decode()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_standard_target_passes_wasm_tools_validate(example, tmp_path):
    out = tmp_path / "p.wasm"
    b = fxc("build", str(example), "--target", "standard", "-o", str(out))
    assert b.returncode == 0, b.stderr.decode()
    v = subprocess.run([wasm_tools_path(), "validate", "--features", "all", str(out)], capture_output=True)
    assert v.returncode == 0, v.stderr.decode()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_on_v8(example, node):
    r = run_example(example, "--engine", "node")
    assert r.returncode == expected_status(example), r.stderr.decode()
    assert r.stdout.decode() == golden(example).read_text(), r.stderr.decode()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_on_wasmtime(example):
    if wasmtime_cli() is None:
        pytest.skip("no wasmtime CLI: install the `engines` extra (make setup does)")
    r = run_example(example, "--engine", "wasmtime")
    if b"wasmtime 49 cannot run this program" in r.stderr:
        pytest.skip("wasmtime 49: " + r.stderr.decode().split("cannot run this program: ", 1)[1].split(";")[0])
    assert r.returncode == expected_status(example), r.stderr.decode()
    assert r.stdout.decode() == golden(example).read_text(), r.stderr.decode()
