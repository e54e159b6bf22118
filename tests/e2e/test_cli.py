"""fxc's contract: commands, exit status (0 ok / 1 user error / 2 usage), messages on stderr, no tracebacks."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, wasm_tools_path

HELLO = ROOT / "examples/hello.fx"


def fxc(*args: str, cwd: Path = ROOT, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fxlang.cli", *args], capture_output=True, cwd=cwd,
                          timeout=300, input=input)


def no_traceback(r: subprocess.CompletedProcess) -> None:
    assert b"Traceback" not in r.stderr, r.stderr.decode()


@pytest.mark.parametrize("args", [[], ["frobnicate"], ["build"], ["run", "x.fx", "--engine", "spidermonkey"]])
def test_usage_errors_exit_2(args):
    r = fxc(*args)
    assert r.returncode == 2
    assert b"usage: fxc" in r.stderr
    no_traceback(r)


@pytest.mark.parametrize("cmd", ["build", "run", "check", "dis", "wast"])
def test_every_command_has_help(cmd):
    r = fxc(cmd, "--help")
    assert r.returncode == 0 and b"usage: fxc " + cmd.encode() in r.stdout


def test_check_ok_and_build_writes_wasm(tmp_path):
    assert fxc("check", str(HELLO)).returncode == 0
    out = tmp_path / "hello.wasm"
    r = fxc("build", str(HELLO), "-o", str(out))
    assert r.returncode == 0, r.stderr.decode()
    assert out.read_bytes()[:4] == b"\0asm"
    v = subprocess.run([wasm_tools_path(), "validate", "--features", "all", str(out)], capture_output=True)
    assert v.returncode == 0, v.stderr.decode()


def test_diagnostic_has_location_line_and_caret(tmp_path):
    bad = tmp_path / "bad.fx"
    bad.write_text('fn main() {\n    let x: int = "text";\n}\n')
    r = fxc("build", str(bad))
    assert r.returncode == 1
    err = r.stderr.decode()
    assert f"{bad}:2:" in err and "expected int, found str" in err
    assert '    let x: int = "text";' in err and "^" in err
    no_traceback(r)


def test_missing_file_is_a_user_error(tmp_path):
    r = fxc("run", str(tmp_path / "nope.fx"))
    assert r.returncode == 1 and b"nope.fx" in r.stderr
    no_traceback(r)


def test_emit_wat_reparses_to_the_same_binary(tmp_path):
    wat = tmp_path / "hello.wat"
    assert fxc("build", str(HELLO), "--emit", "wat", "-o", str(wat)).returncode == 0
    wasm = tmp_path / "hello.wasm"
    assert fxc("build", str(HELLO), "-o", str(wasm)).returncode == 0
    parsed = subprocess.run([wasm_tools_path(), "parse", str(wat)], capture_output=True, check=True).stdout
    strip = [wasm_tools_path(), "strip", "-a", "-"]
    a = subprocess.run(strip, input=parsed, capture_output=True, check=True).stdout
    b = subprocess.run(strip, input=wasm.read_bytes(), capture_output=True, check=True).stdout
    assert a == b


def test_run_wat_and_wasm_inputs(tmp_path):
    wat = tmp_path / "p.wat"
    wat.write_text("""(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 0) "\\10\\00\\00\\00\\0c\\00\\00\\00")
      (data (i32.const 16) "hi from wat\\n")
      (func (export "_start") (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))""")
    r = fxc("run", str(wat))
    assert (r.returncode, r.stdout) == (0, b"hi from wat\n"), r.stderr.decode()
    wasm = tmp_path / "p.wasm"
    subprocess.run([wasm_tools_path(), "parse", str(wat), "-o", str(wasm)], check=True)
    assert fxc("run", str(wasm)).stdout == b"hi from wat\n"
    assert b"(func" in fxc("dis", str(wasm)).stdout


def test_trap_names_the_function_and_exits_1(tmp_path):
    src = tmp_path / "t.fx"
    src.write_text("fn boom(xs: [int]) -> int { xs[5] }\nfn main() { println(\"before\"); println(boom([1])); }\n")
    r = fxc("run", str(src))
    assert r.returncode == 1
    assert r.stdout == b"before\n"
    err = r.stderr.decode()
    assert err.startswith("fxc: trap: ") and "boom" in err
    no_traceback(r)


def test_infinite_loop_stops_at_the_fuel_limit(tmp_path):
    src = tmp_path / "loop.fx"
    src.write_text("fn main() { let mut i = 0; loop { i += 1; } }\n")
    r = fxc("run", str(src), "--fuel", "100000")
    assert r.returncode == 1 and b"out of fuel" in r.stderr
    no_traceback(r)


def test_node_engine_stops_an_infinite_loop_at_the_time_limit(tmp_path, node):
    src = tmp_path / "loop.fx"
    src.write_text("fn main() { let mut i = 0; loop { i += 1; } }\n")
    r = fxc("run", "--engine", "node", "--time-limit", "4", str(src))
    assert r.returncode == 1 and b"stopped after 4 s" in r.stderr, r.stderr.decode()
    no_traceback(r)
    wrong = fxc("run", "--engine", "node", "--fuel", "10", str(src))
    assert wrong.returncode == 1 and b"--fuel needs --engine vm" in wrong.stderr
    no_traceback(wrong)


def test_bad_binary_reports_offset(tmp_path):
    bad = tmp_path / "bad.wasm"
    bad.write_bytes(b"\0asm\x01\0\0\0\x01\x05\x01\x60")
    r = fxc("run", str(bad))
    assert r.returncode == 1 and b"offset" in r.stderr
    no_traceback(r)


def test_wast_command_counts(tmp_path):
    w = tmp_path / "t.wast"
    w.write_text('(module (func (export "f") (result i32) (i32.const 7)))\n'
                 '(assert_return (invoke "f") (i32.const 7))\n'
                 '(assert_return (invoke "f") (i32.const 8))\n')
    r = fxc("wast", str(w))
    assert r.returncode == 1
    # the module command is a check of its own: 2 passed (module, first assert), 1 failed
    assert r.stdout.decode().strip().splitlines()[-1] == "2 passed, 1 failed"


TRACED = """\
effect State { get() -> int }
fn nums(n: int) -> Gen[int] { let mut i = 0; while i < n { yield i; i += 1; } }
fn main() {
    let x = handle { perform State::get() } with { State::get(), k => k(5) };
    for y in nums(x) { if y == 1 { break; } }
    println(x);
}
"""
TRACE_LINES = """\
[trace] perform State::get at prog.fx:4:22
[trace] resume State::get (handler at prog.fx:4:13)
[trace] next nums at prog.fx:5:5
[trace] yield in nums at prog.fx:2:60
[trace] next nums at prog.fx:5:5
[trace] yield in nums at prog.fx:2:60
[trace] cancel nums at prog.fx:5:5
"""


def test_run_trace_prints_the_same_source_level_trace_on_both_engines(tmp_path, node):
    src = tmp_path / "prog.fx"
    src.write_text(TRACED)
    on_vm = fxc("run", "--trace", str(src))
    on_node = fxc("run", "--engine", "node", "--trace", str(src))
    for r in (on_vm, on_node):
        assert r.returncode == 0, r.stderr.decode()
        assert r.stdout == b"5\n"
        assert r.stderr.decode() == TRACE_LINES
    plain = fxc("run", str(src))
    assert plain.returncode == 0 and plain.stdout == b"5\n" and plain.stderr == b""


def test_build_trace_writes_trace_lines_to_stderr_and_vm_trace_shows_the_vm_level(tmp_path):
    src = tmp_path / "prog.fx"
    src.write_text(TRACED)
    out = tmp_path / "prog.wasm"
    assert fxc("build", "--trace", str(src), "-o", str(out)).returncode == 0
    wat = fxc("dis", str(out))
    assert b'(func $io.trace' in wat.stdout and b'(import "wasi_snapshot_preview1" "fd_write"' in wat.stdout
    r = fxc("run", str(out))                              # the instrumented binary traces wherever it runs
    assert r.returncode == 0 and r.stderr.decode() == TRACE_LINES
    plain = tmp_path / "plain.wasm"
    assert fxc("build", str(src), "-o", str(plain)).returncode == 0
    assert b'io.trace' not in fxc("dis", str(plain)).stdout
    vm_level = fxc("run", "--vm-trace", str(src))
    assert vm_level.returncode == 0 and vm_level.stdout == b"5\n"
    assert vm_level.stderr.startswith(b"[vm] ") and b"[trace]" not in vm_level.stderr
    wrong = fxc("run", "--engine", "node", "--vm-trace", str(src))
    assert wrong.returncode == 1 and b"--vm-trace needs --engine vm" in wrong.stderr
    no_traceback(wrong)
