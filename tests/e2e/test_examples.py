"""Golden tests: every examples/*.fx has examples/*.out; it must print exactly that on our VM (default
target) and on V8 (standard target), and its target-standard binary must pass `wasm-tools validate --features
all` (a target-fx binary holding our `barrier` opcode would not: wasm-tools knows no 0xe7).
FX_BLESS=1 rewrites the .out files from the VM run."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, wasm_tools_path

EXAMPLES = sorted((ROOT / "examples").glob("*.fx"))
BLESS = os.environ.get("FX_BLESS") == "1"


def fxc(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fxlang.cli", *args], capture_output=True, timeout=timeout,
                          cwd=ROOT)


def golden(example: Path) -> Path:
    return example.with_suffix(".out")


def expected_status(example: Path) -> int:
    """Examples that demonstrate a trap say so with a `// expect: trap` line; they exit with status 1."""
    return 1 if "// expect: trap" in example.read_text() else 0


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_on_vm(example):
    r = fxc("run", str(example))
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
    r = fxc("run", str(example), "--engine", "node")
    assert r.returncode == expected_status(example), r.stderr.decode()
    assert r.stdout.decode() == golden(example).read_text(), r.stderr.decode()
