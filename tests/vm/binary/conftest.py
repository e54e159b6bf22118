"""Fixtures for the decoder tests: wasm-tools (the outside oracle the decoder is checked against)
and the spec testsuite as wasm-tools turns it into binaries. Fixtures only, so the test modules
need no import from here (they work as a package and as loose files alike)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SUITE = ROOT / '..' / 'shared' / 'testsuite'
_local = Path(sys.executable).with_name('wasm-tools')
WASM_TOOLS = str(_local) if _local.exists() else shutil.which('wasm-tools')


def _run_wasm_tools(*args: str, input: bytes | None = None) -> bytes:
    """Run wasm-tools; its stdout. Raises CalledProcessError (with stderr) on failure."""
    return subprocess.run([WASM_TOOLS, *args], input=input, check=True, capture_output=True).stdout


@pytest.fixture(scope='session')
def wasm_tools():
    """wasm_tools(*args, input=bytes) -> stdout bytes."""
    if WASM_TOOLS is None:
        pytest.skip('wasm-tools not installed')
    return _run_wasm_tools


class SpecScripts:
    """Converts spec scripts to JSON commands + module binaries on demand, once per session."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.cache: dict[str, tuple[list, Path]] = {}

    def __call__(self, rel: str) -> tuple[list, Path]:
        if rel not in self.cache:
            out = self.tmp / rel.replace('/', '_').removesuffix('.wast')
            out.mkdir(parents=True, exist_ok=True)
            js = out / 'cmds.json'
            _run_wasm_tools('json-from-wast', str(SUITE / rel), '-o', str(js), '--wasm-dir', str(out))
            self.cache[rel] = (json.loads(js.read_text())['commands'], out)
        return self.cache[rel]


@pytest.fixture(scope='session')
def spec_scripts(tmp_path_factory, wasm_tools) -> SpecScripts:
    """spec_scripts('gc/struct.wast') -> (JSON commands, directory of their binaries)."""
    if not SUITE.exists():
        pytest.skip('spec testsuite not found at ../shared/testsuite')
    return SpecScripts(tmp_path_factory.mktemp('spec'))


@pytest.fixture(scope='session')
def wat2wasm(tmp_path_factory, wasm_tools):
    """WAT text -> binary, through `wasm-tools parse`."""
    tmp = tmp_path_factory.mktemp('wat')

    def parse(text: str) -> bytes:
        src = tmp / 'm.wat'
        src.write_text(text)
        return wasm_tools('parse', str(src), '-o', '/dev/stdout')
    return parse
