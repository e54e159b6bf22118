"""fxc's answer to its own bugs and to a reader that goes away.

An internal bug — any Python exception that is not a diagnostic, a decode/validation/link error or a trap — is
injected at the compiler, at the VM's API and in a host function; each must end in exit status 3 with one line
`fxc: internal error, please report: <exception> (at <file>:<line> in <function>)`, never as a trap or a
validation error, and with the traceback only under --debug / FX_DEBUG=1. A closed standard output
(`fxc run x.fx | head -1`) ends quietly with status 141 on both engines.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from fxlang import cli
from tests.e2e.conftest import ROOT

HELLO = ROOT / "examples/hello.fx"
MANY_LINES = "fn main() { let mut i = 0; while i < 200000 { println(str(i)); i += 1; } }\n"


class InjectedBug(Exception):
    """Stands for any unexpected exception inside fxc."""


def boom(*args, **kwargs):
    raise InjectedBug("injected")


def fxc_main(capsys, *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def assert_internal_error(status: int, err: str, where: str) -> None:
    assert status == cli.EXIT_INTERNAL
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("fxc: internal error, please report: InjectedBug: injected (at "), err
    assert f" in {where})" in lines[0] and "--debug or FX_DEBUG=1" in lines[0], err
    assert "trap" not in err and "validat" not in err


@pytest.mark.parametrize("command", ["build", "check", "run"])
def test_a_compiler_bug_is_an_internal_error(command, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr("fxlang.check.check", boom)
    args = [command, str(HELLO)] + (["-o", str(tmp_path / "h.wasm")] if command == "build" else [])
    status, out, err = fxc_main(capsys, *args)
    assert out == ""
    assert_internal_error(status, err, "boom")


def test_a_vm_bug_is_an_internal_error_not_a_validation_error(monkeypatch, capsys):
    import vm
    monkeypatch.setattr(vm, "validate", boom)
    status, out, err = fxc_main(capsys, "run", str(HELLO))
    assert_internal_error(status, err, "boom")


class BuggyStdout:
    """A standard output whose writes fail with a bug of the host side (the program's output goes through it)."""

    def __init__(self):
        self.buffer = self

    def write(self, data):
        raise InjectedBug("injected")

    def flush(self):
        pass


def test_a_host_side_bug_is_an_internal_error_not_a_trap(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", BuggyStdout())
    status, out, err = fxc_main(capsys, "run", str(HELLO))
    assert_internal_error(status, err, "write")


@pytest.mark.parametrize("debug", [["--debug"], []])
def test_the_traceback_is_behind_debug_or_fx_debug(debug, monkeypatch, capsys):
    if not debug:
        monkeypatch.setenv("FX_DEBUG", "1")
    monkeypatch.setattr("fxlang.check.check", boom)
    status, out, err = fxc_main(capsys, *debug, "check", str(HELLO))
    assert status == cli.EXIT_INTERNAL
    assert err.startswith("Traceback (most recent call last):"), err
    assert 'raise InjectedBug("injected")' in err
    last = err.splitlines()[-1]
    assert last.startswith("fxc: internal error, please report: InjectedBug: injected (at ") and "debug" not in last


def test_an_internal_error_from_the_command_line_process(tmp_path):
    """The real process: `python -m fxlang.cli` with a module patched before fxc starts."""
    code = ("import sys, fxlang.check\n"
            "def boom(*a, **k): raise KeyError('no such local')\n"
            "fxlang.check.check = boom\n"
            "from fxlang.cli import main\n"
            "sys.exit(main(sys.argv[1:]))\n")
    r = subprocess.run([sys.executable, "-c", code, "run", str(HELLO)], capture_output=True, text=True, cwd=ROOT,
                       timeout=300)
    assert (r.returncode, r.stdout) == (3, "")
    assert r.stderr.startswith("fxc: internal error, please report: KeyError: 'no such local' (at <string>:2 in boom)")
    assert "Traceback" not in r.stderr and len(r.stderr.splitlines()) == 1


@pytest.mark.parametrize("engine", ["vm", "node"])
def test_a_closed_standard_output_ends_quietly(engine, tmp_path, request):
    if engine == "node":
        request.getfixturevalue("node")
    src = tmp_path / "many.fx"
    src.write_text(MANY_LINES)
    p = subprocess.Popen([sys.executable, "-m", "fxlang.cli", "run", "--engine", engine, str(src)], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = p.stdout.readline()
        p.stdout.close()                         # as `| head -1` does
        err = p.stderr.read()
        status = p.wait(timeout=300)
    finally:
        if p.poll() is None:
            p.kill()
    assert first == b"0\n"
    assert err == b"", err.decode()
    # a WASI program sees EPIPE from fd_write and ends as it sees fit (fx's println ignores it: status 0); fxc
    # itself reports a closed output as 141
    assert status in (0, cli.EXIT_PIPE)
