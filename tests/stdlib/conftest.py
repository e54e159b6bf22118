"""Helpers for the tests of the standard library written in fx (stdlib/*.fx).

A test writes an fx program into its tmp_path and runs it through the command line (`fxc run`, engine `vm` or
`node`), with $FXLANG_STDLIB pointing at this checkout's stdlib/ so `import std.async;` loads the library under
test. Node 26 comes from the root conftest's `node` fixture (a declared skip when not installed, a failure
when the configured one is not node 26).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, node  # noqa: F401  (the node fixture, re-exported)

# engine[-asyncify]: the VM (target fx) or V8 (target standard), or either on target asyncify (the lowering;
# V8 then runs without the WasmFX flag)
ENGINES = ("vm", "node", "vm-asyncify", "node-asyncify")


def engine_options(engine: str) -> list[str]:
    """`fxc run` options for an engine name of ENGINES (`vm-asyncify`: --engine vm --target asyncify)."""
    base, _, lowered = engine.partition("-")
    return ["--engine", base, *(["--target", "asyncify"] if lowered else [])]


def run_program(source: str, tmp_path: Path, engine: str = "vm", name: str = "prog",
                timeout: int = 120) -> subprocess.CompletedProcess:
    """Compile and run `source` on `engine`; returns the finished process (stdout/stderr as text)."""
    path = tmp_path / f"{name}.fx"
    path.write_text(source)
    env = dict(os.environ, FXLANG_STDLIB=str(ROOT / "stdlib"))
    return subprocess.run([sys.executable, "-m", "fxlang.cli", "run", str(path), *engine_options(engine)],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    """Each test runs on our VM and on V8 (node 26, standard target), and on both again on target asyncify."""
    if request.param.startswith("node"):
        request.getfixturevalue("node")
    return request.param


@pytest.fixture
def fx(tmp_path, engine):
    """fx(source) -> stdout of a run that must succeed (exit status 0, nothing on stderr)."""
    def run(source: str) -> str:
        r = run_program(source, tmp_path, engine)
        assert r.returncode == 0, f"exit {r.returncode} on {engine}\nstdout:\n{r.stdout}\nstderr:\n{r.stderr}"
        assert r.stderr == "", r.stderr
        return r.stdout
    return run
