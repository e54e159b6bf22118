"""fxlang/hosts/node.py: FX_NODE, else the project's .tools/ copy, never the node on PATH; a node that is not 26
or rejects --experimental-wasm-wasmfx is an error naming it, and only a truly absent node is NodeMissing."""
from __future__ import annotations

import os
import stat

import pytest

from fxlang import cli
from fxlang.hosts import node as lookup
from fxlang.hosts.node import NodeError, NodeMissing, find_node
from tests.conftest import NODE_MISSING

HELLO = "fn main() { println(\"hi\"); }\n"


def fake_node(tmp_path, name: str, body: str) -> str:
    """An executable standing in for node: `body` is its shell script."""
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.fixture
def nothing_installed(monkeypatch, tmp_path):
    monkeypatch.delenv("FX_NODE", raising=False)
    monkeypatch.setattr(lookup, "INSTALLED", tmp_path / "no-tools" / "node")


def test_fx_node_naming_no_file_is_an_error_not_absence(monkeypatch, tmp_path):
    monkeypatch.setenv("FX_NODE", str(tmp_path / "missing-node"))
    with pytest.raises(NodeError) as info:
        find_node()
    assert not isinstance(info.value, NodeMissing)
    assert str(info.value).startswith(f"FX_NODE={tmp_path / 'missing-node'}: no such file")


def test_a_node_of_another_version_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("FX_NODE", fake_node(tmp_path, "node20", 'echo 20.20.2\n'))
    with pytest.raises(NodeError, match=r"node 20\.20\.2, but WasmFX needs node 26"):
        find_node()


def test_a_node_without_wasmfx_is_an_error_with_its_complaint(monkeypatch, tmp_path):
    body = 'echo "$0: bad option: $1" >&2\nexit 9\n'
    monkeypatch.setenv("FX_NODE", fake_node(tmp_path, "oldnode", body))
    with pytest.raises(NodeError, match=r"not a node 26 with --experimental-wasm-wasmfx \(.*bad option"):
        find_node()


def test_the_probe_asks_for_wasmfx_and_accepts_node_26(monkeypatch, tmp_path):
    good = fake_node(tmp_path, "node26", '[ "$1" = --experimental-wasm-wasmfx ] && echo 26.10.0\n')
    monkeypatch.setenv("FX_NODE", good)
    assert find_node() == good


def test_the_tools_copy_is_used_when_fx_node_is_unset(monkeypatch, tmp_path, nothing_installed):
    good = fake_node(tmp_path, "node", 'echo 26.1.0\n')
    monkeypatch.setattr(lookup, "INSTALLED", tmp_path / "node")
    assert find_node() == good


def test_the_node_on_path_is_never_taken(monkeypatch, tmp_path, nothing_installed):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_node(bin_dir, "node", 'echo 26.10.0\n')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    with pytest.raises(NodeMissing) as info:
        find_node()
    assert str(info.value).startswith(NODE_MISSING)       # what tests/declared_skips.txt matches


def test_fxc_reports_a_wrong_node_as_a_user_error(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("FX_NODE", fake_node(tmp_path, "node20", 'echo 20.20.2\n'))
    src = tmp_path / "hi.fx"
    src.write_text(HELLO)
    assert cli.main(["run", "--engine", "node", str(src)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"fxc: FX_NODE={tmp_path / 'node20'}: node 20.20.2, but WasmFX needs node 26"), err
