"""`fxc wast --lower` on the spec suite: every module a script instantiates is lowered (fxlang.asyncify) before
the VM runs it, and every lowered binary must pass `wasm-tools validate` with its default features (stack
switching off).  lower_spec_known_failures.json lists, per file, the checks counted and the lines that fail
lowered; a file's test fails when it gets worse AND when it gets better without the list being updated
(FX_BLESS=1 rewrites it).  The known failures are the scripts whose continuations cross module boundaries
(a lowered module is a closed world for continuations: docs/asyncify.md)."""
from __future__ import annotations

import fcntl
import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from fxlang.asyncify.script import SpecAdapter
from tests.e2e.conftest import wasm_tools_path
from vm.script import run_wast

ROOT = Path(__file__).resolve().parents[3]
SUITE = ROOT / ".." / "shared" / "testsuite"
KNOWN = Path(__file__).with_name("lower_spec_known_failures.json")
BLESS = os.environ.get("FX_BLESS") == "1"
FILES = ["stack-switching/cont.wast", "stack-switching/resume_throw.wast", "stack-switching/validation.wast",
         "stack-switching/validation_gc.wast", "throw.wast", "throw_ref.wast", "try_table.wast", "tag.wast",
         "call_ref.wast", "return_call.wast", "return_call_ref.wast", "return_call_indirect.wast"]


class ValidatingAdapter(SpecAdapter):
    """Lowers like `fxc wast --lower`, and checks each lowered binary with wasm-tools' default features."""

    invalid: list = []

    def module(self, data: bytes) -> bytes:
        out = super().module(data)
        with tempfile.NamedTemporaryFile(suffix=".wasm") as f:
            f.write(out)
            f.flush()
            r = subprocess.run([wasm_tools_path(), "validate", f.name], capture_output=True, text=True)
        if r.returncode != 0:
            self.invalid.append(r.stderr.strip())
        return out


@pytest.mark.parametrize("name", FILES)
def test_lowered_script(name):
    path = SUITE / name
    assert path.exists(), f"{path} missing: the spec suite lives in ../shared/testsuite, next to the repo"
    adapter = ValidatingAdapter()
    adapter.invalid = []
    result = run_wast(path, adapter=adapter)
    assert adapter.invalid == [], adapter.invalid[:3]
    failed = sorted({f.line for f in result.failures})
    known = json.loads(KNOWN.read_text())["files"] if KNOWN.exists() else {}
    if BLESS:                      # xdist workers bless in parallel: read-modify-write under a lock
        with open(Path(tempfile.gettempdir()) / "fxlang-lower-bless.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data = json.loads(KNOWN.read_text()) if KNOWN.exists() else {"files": {}}
            data["files"][name] = {"checks": result.total, "failed": failed}
            KNOWN.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
        return
    entry = known.get(name)
    assert entry is not None, f"{name} is not in {KNOWN.name}: run with FX_BLESS=1"
    messages = {f.line: f.message for f in result.failures}
    new = [f"{line}: {messages[line]}" for line in failed if line not in entry["failed"]]
    assert not new, f"new failures when lowered: {new}"
    fixed = [line for line in entry["failed"] if line not in failed]
    assert not fixed, f"lines now passing lowered (update the list with FX_BLESS=1): {fixed}"
    assert result.total == entry["checks"]
