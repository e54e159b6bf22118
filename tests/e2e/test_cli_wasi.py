"""`fxc run` follows `wasmtime run`'s conventions for WASI commands, the same on every engine: --dir
HOST[::GUEST] (the first is fd 3), --env NAME=VALUE, `-- ARGS` (argv[0] the program's file name), standard
input passed through, the program's exit status."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import wasmtime_cli
from tests.e2e.conftest import node_path
from tests.e2e.test_cli import fxc, no_traceback

HERE = Path(__file__).parent / "wasi"
CAT = Path(__file__).parents[1] / "vm/wasi/cat_args.wat"


def wasmtime_available() -> bool:
    return wasmtime_cli() is not None


def engines() -> list:
    out = ["vm"]
    out.append("node" if node_path() else pytest.param("node", marks=pytest.mark.skip("node 26 not installed")))
    out.append("wasmtime" if wasmtime_available() else
               pytest.param("wasmtime", marks=pytest.mark.skip("no wasmtime CLI (the `engines` extra)")))
    return out


@pytest.mark.parametrize("engine", engines())
def test_stdin_env_args_dir_and_status(tmp_path, engine):
    box = tmp_path / "box"
    box.mkdir()
    wat = tmp_path / "prog.wat"
    wat.write_text((HERE / "stdin_env_file.wat").read_text())
    r = fxc("run", str(wat), "--engine", engine, "--dir", f"{box}::/data", "--env", "A=1", "--env", "B=x y",
            "--", "written by the program", input=b"line one\nline two\n")
    no_traceback(r)
    assert r.returncode == 3, r.stderr.decode()
    assert r.stdout == b"line one\nline two\nA=1\nB=x y\n"
    assert (box / "out.txt").read_bytes() == b"written by the program"


@pytest.mark.parametrize("engine", engines())
def test_argv0_is_the_file_name_and_first_dir_is_fd3(tmp_path, engine):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "f.txt").write_text("from a\n")
    (b / "f.txt").write_text("from b\n")
    wat = tmp_path / "cat.wat"
    wat.write_text(CAT.read_text())
    r = fxc("run", str(wat), "--engine", engine, "--dir", str(a), "--dir", f"{b}::/b", "--", "f.txt")
    assert (r.returncode, r.stdout, r.stderr) == (7, b"cat.wat\nf.txt\nfrom a\n", b"")
    r = fxc("run", str(wat), "--engine", engine, "--dir", str(a), "--", "../b/f.txt")
    # ENOTCAPABLE (76) on the VM and node; wasmtime answers an escape with EPERM (63)
    codes = (b"76", b"63") if engine == "wasmtime" else (b"76",)
    assert r.returncode == 2 and r.stderr in [b"open ../b/f.txt: errno " + c + b"\n" for c in codes]


def test_bad_dir_and_env_are_user_errors(tmp_path):
    wat = tmp_path / "cat.wat"
    wat.write_text(CAT.read_text())
    r = fxc("run", str(wat), "--dir", str(tmp_path / "missing"))
    assert r.returncode == 1 and b"is not a directory" in r.stderr
    r = fxc("run", str(wat), "--env", "=x")
    assert r.returncode == 1 and b"--env =x" in r.stderr
    no_traceback(r)


def test_missing_wasi_call_is_named(tmp_path):
    wat = tmp_path / "sock.wat"
    wat.write_text('''(module
      (import "wasi_snapshot_preview1" "sock_accept" (func $a (param i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "_start") (drop (call $a (i32.const 0) (i32.const 0) (i32.const 0)))))''')
    r = fxc("run", str(wat))
    assert r.returncode == 1
    assert b"WASI call sock_accept is not implemented by vm.wasi" in r.stderr
    no_traceback(r)
