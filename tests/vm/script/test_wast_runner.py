"""vm.script.run_wast and `python -m vm.script` on small scripts covering every command kind."""
from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from vm.exec.numeric import f32_from_bits, f64_from_bits
from vm.script import run_wast
from vm.script.values import HostRef, Values, format_expected

ROOT = Path(__file__).resolve().parents[3]

ALL_KINDS = r"""
(module $M
  (import "spectest" "print_i32" (func $print (param i32)))
  (global (export "g") i32 (i32.const 42))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
  (func (export "two") (result i64 f64) (i64.const -1) (f64.const 0.5))
  (func (export "null") (result funcref) (ref.null func))
  (func (export "id") (param externref) (result externref) (local.get 0))
  (func $rec (export "rec") (param i32) (result i32) (call $rec (local.get 0)))
  (func (export "sum") (param i32) (call $print (local.get 0)))
)
(assert_return (invoke "add" (i32.const 1) (i32.const -3)) (i32.const -2))
(assert_return (get "g") (i32.const 42))
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_return (invoke "two") (i64.const -1) (f64.const 0.5))
(assert_return (invoke "null") (ref.null func))
(assert_return (invoke "id" (ref.extern 7)) (ref.extern 7))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_exhaustion (invoke "rec" (i32.const 0)) "call stack exhausted")
(invoke "sum" (i32.const 5))
(register "M" $M)
(module (import "M" "add" (func $add (param i32 i32) (result i32)))
  (tag $e (param i32))
  (tag $t)
  (func (export "twice") (param i32) (result i32) (call $add (local.get 0) (local.get 0)))
  (func (export "throw") (throw $e (i32.const 1)))
  (func (export "suspend") (suspend $t))
)
(assert_return (invoke "twice" (i32.const 21)) (i32.const 42))
(assert_return (invoke $M "add" (i32.const 2) (i32.const 2)) (i32.const 4))
(assert_exception (invoke "throw"))
(assert_suspension (invoke "suspend") "unhandled")
(assert_unlinkable (module (import "M" "nope" (func))) "unknown import")
(assert_unlinkable (module (import "M" "add" (func (param i64)))) "incompatible import type")
(assert_trap (module (func $f unreachable) (start $f)) "unreachable")
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_malformed (module quote "(func (i32.const 0x))") "unknown operator")
(module definition $D (global (export "c") (mut i32) (i32.const 3)))
(module instance $I $D)
(assert_return (get $I "c") (i32.const 3))
"""


def write(tmp_path, text: str, name="t.wast") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_every_command_kind_passes(tmp_path):
    r = run_wast(write(tmp_path, ALL_KINDS))
    assert r.failures == []
    # 2 modules, 1 definition, 1 instance, 9 assert_return, 1 action, 1 trap, 1 exhaustion,
    # 1 exception, 1 suspension, 2 unlinkable, 1 uninstantiable, 1 invalid, 1 binary malformed
    assert (r.passed, r.failed, r.skipped) == (23, 0, 1)
    assert r.skips[0][0] == ALL_KINDS.count("\n", 0, ALL_KINDS.index("(module quote")) + 1


def test_failures_are_records_with_line_numbers(tmp_path):
    script = """(module
  (func (export "f") (result i32) (i32.const 1))
  (func (export "loop") (loop (br 0))))
(assert_return (invoke "f") (i32.const 2))
(assert_trap (invoke "f") "unreachable")
(assert_return (invoke "missing") (i32.const 1))
(assert_return (invoke "loop"))
(assert_invalid (module (func)) "type mismatch")
(assert_malformed (module binary "\\00asm\\01\\00\\00\\00") "unexpected end")
(assert_return (invoke "f") (i32.const 1))
"""
    r = run_wast(write(tmp_path, script), fuel=100_000)
    assert r.failed_lines() == [4, 5, 6, 7, 8, 9]
    assert r.passed == 2  # the module and the last assertion
    messages = {f.line: f.message for f in r.failures}
    assert "expected (i32:2), got (1)" in messages[4]
    assert "unknown export" in messages[6]
    assert "out of fuel" in messages[7]


def test_a_failed_module_fails_its_assertions_but_not_the_run(tmp_path):
    script = """(module (func (export "f") (result i32) (i64.const 0)))
(assert_return (invoke "f") (i32.const 0))
(module (func (export "g") (result i32) (i32.const 7)))
(assert_return (invoke "g") (i32.const 7))
"""
    r = run_wast(write(tmp_path, script))
    assert r.failed_lines() == [1, 2]
    assert r.passed == 2
    assert "ValidationError" in r.failures[0].message


def test_wast_syntax_error_is_a_failure_record(tmp_path):
    r = run_wast(write(tmp_path, "(module (func (export \"f\")\n"))
    assert r.failed == 1 and r.failures[0].command == "json-from-wast"
    assert r.passed == 0


def test_cli_prints_counts_and_total(tmp_path):
    good = write(tmp_path, '(module (func (export "f") (result i32) (i32.const 1)))\n'
                           '(assert_return (invoke "f") (i32.const 1))\n', "good.wast")
    bad = write(tmp_path, '(module (func (export "f") (result i32) (i32.const 1)))\n'
                          '(assert_return (invoke "f") (i32.const 2))\n', "bad.wast")
    proc = subprocess.run([sys.executable, "-m", "vm.script", str(good), str(bad)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    lines = proc.stdout.strip().splitlines()
    assert lines[-1] == "3 passed, 1 failed"
    assert f"{good}: 2 passed, 0 failed" in lines[0]
    assert any(line.strip().startswith(f"{bad}:2: assert_return") for line in lines)
    assert proc.returncode == 1 and proc.stderr == ""


# --- value patterns, without the executor -----------------------------------------------------------

def test_value_patterns():
    v = Values()
    f32 = lambda bits: f32_from_bits(bits)
    assert v.matches({"type": "i32", "value": "4294967295"}, -1)
    assert v.matches({"type": "i64", "value": "-1"}, -1)
    assert not v.matches({"type": "i32", "value": "1"}, 1.0)
    assert v.matches({"type": "f32", "value": "nan:canonical"}, f32(0xFFC00000))
    assert not v.matches({"type": "f32", "value": "nan:canonical"}, f32(0x7FC00001))
    assert v.matches({"type": "f32", "value": "nan:arithmetic"}, f32(0x7FC00001))
    assert not v.matches({"type": "f32", "value": "nan:arithmetic"}, f32(0x7FA00000))
    assert v.matches({"type": "f64", "value": "nan:canonical"}, math.nan)
    assert v.matches({"type": "f64", "value": str(0x8000000000000000)}, -0.0)
    assert not v.matches({"type": "f64", "value": "0"}, -0.0)
    assert v.matches({"type": "f32", "value": str(0x7FA00000)}, f32(0x7FA00000))  # signalling NaN, exact
    assert v.matches({"type": "externref", "value": "3"}, v.arg({"type": "externref", "value": "3"}))
    assert not v.matches({"type": "externref", "value": "3"}, HostRef(4))
    assert v.matches({"type": "externref"}, HostRef(4)) and not v.matches({"type": "externref"}, None)
    assert v.matches({"type": "funcref", "value": "null"}, None)
    assert v.matches({"type": "refnull"}, None) and not v.matches({"type": "refnull"}, HostRef(1))
    either = {"type": "either", "values": [{"type": "i32", "value": "1"}, {"type": "i32", "value": "2"}]}
    assert v.matches(either, 2) and not v.matches(either, 3)
    assert v.arg({"type": "i32", "value": "4294967295"}) == -1
    assert math.copysign(1, v.arg({"type": "f64", "value": str(0x8000000000000000)})) == -1
    assert v.arg({"type": "f64", "value": "4607182418800017408"}) == f64_from_bits(0x3FF0000000000000) == 1.0
    assert format_expected([{"type": "i32", "value": "4294967295"}, {"type": "f32", "value": "nan:canonical"}]) \
        == "(i32:-1, f32:nan:canonical)"


def test_time_budget_marks_the_rest_failed(tmp_path):
    script = '(module (func (export "f")))\n(register "m")\n(invoke "f")\n(assert_return (invoke "f"))\n'
    r = run_wast(write(tmp_path, script), time_budget=0.0)
    assert r.passed == 0 and r.failed_lines() == [1, 3, 4]  # `register` is not a check
    assert all("time budget" in f.message for f in r.failures)


def test_spectest_entities_are_typed_and_print(tmp_path):
    import io
    script = r"""
(module (import "spectest" "print_i32_f32" (func $p (param i32 f32))) (import "spectest" "print" (func $q))
  (import "spectest" "global_f32" (global $g f32)) (import "spectest" "table" (table 10 20 funcref))
  (import "spectest" "memory" (memory 1 2)) (import "spectest" "global_i64" (global i64))
  (func (export "go") (call $p (i32.const -7) (global.get $g)) (call $q))
  (func (export "g") (result i64) (global.get 1)))
(invoke "go")
(assert_return (invoke "g") (i64.const 666))
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i64)))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "global_i32" (global (mut i32)))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "memory" (memory 3))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "unknown" (func))) "unknown import")
"""
    out = io.StringIO()
    r = run_wast(write(tmp_path, script), out=out)
    assert r.failures == [] and r.passed == 7
    # one line per value, floats as the shortest decimal of their own width (reference interpreter)
    assert out.getvalue() == "-7 : i32\n666.6 : f32\n"


def test_show_values_as_the_reference_interpreter():
    from vm.script.spectest import show
    assert show(6, "i32") == "6 : i32"
    assert show(-1, "i64") == "-1 : i64"
    assert show(0.1, "f64") == "0.1 : f64"
    assert show(f32_from_bits(0x3DCCCCCD), "f32") == "0.1 : f32"
    assert show(2.0, "f32") == "2.0 : f32"
    assert show(float("-inf"), "f64") == "-inf : f64"
    assert show(float("nan"), "f32") == "nan : f32"


def test_fxc_wast_shows_prints_unless_quiet(tmp_path):
    script = write(tmp_path, '''(module (import "spectest" "print_i32" (func $p (param i32)))
  (func (export "go") (call $p (i32.const 6))))
(invoke "go")
(assert_return (invoke "go") (i32.const 1))
''', "prints.wast")
    proc = subprocess.run([sys.executable, "-m", "fxlang.cli", "wast", str(script)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    lines = proc.stdout.splitlines()
    assert lines[:2] == ["6 : i32", "6 : i32"]
    assert any(line.strip().startswith(f"{script}:4: assert_return") for line in lines)
    quiet = subprocess.run([sys.executable, "-m", "fxlang.cli", "wast", "--quiet", str(script)],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "6 : i32" not in quiet.stdout and f"{script}:4: assert_return" in quiet.stdout
    assert proc.returncode == quiet.returncode == 1
