"""Shared helpers for end-to-end tests: the repo root, wasm-tools; node 26 is the root conftest's `node`
fixture / require_node() (re-exported here for tests/stdlib/conftest.py)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from tests.conftest import node, require_node  # noqa: F401  (re-exported)

ROOT = Path(__file__).resolve().parents[2]


def wasm_tools_path() -> str:
    local = Path(sys.executable).with_name("wasm-tools")
    return str(local) if local.exists() else (shutil.which("wasm-tools") or "wasm-tools")


def node_path() -> str | None:
    """node 26's path, or None when none is installed (a configured but wrong node raises NodeError): for
    tests that choose their engines at collection time."""
    from fxlang.hosts.node import NodeMissing, find_node
    try:
        return find_node()
    except NodeMissing:
        return None
