"""`fxc lower`: the command line of the lowering — output, --stats, and a clear error (exit 1, the function
and the reason) for what it cannot translate."""
from __future__ import annotations

import subprocess
import sys

from tests.e2e.conftest import ROOT, wasm_tools_path

GENERATOR = ROOT / "tests/fxlang/asyncify/cases/generator_loop.wat"

LEGACY_CATCH = """
(module
  (type $ft (func))
  (type $ct (cont $ft))
  (tag $t)
  (tag $exn)
  (func $s (suspend $t))
  (func $in_catch
    try
      throw $exn
    catch $exn
      call $s
    end)
  (func (export "main")
    (block $h (result (ref $ct))
      (resume $ct (on $t $h) (cont.new $ct (ref.func $in_catch)))
      (return))
    (drop))
  (elem declare func $in_catch)
)
"""


def fxc(*args):
    return subprocess.run([sys.executable, "-m", "fxlang.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_lower_writes_standard_wasm_and_reports_stats(tmp_path):
    out = tmp_path / "g.wasm"
    r = fxc("lower", str(GENERATOR), "-o", str(out), "--stats")
    assert r.returncode == 0, r.stderr
    assert "functions instrumented" in r.stderr and "1 / 2" in r.stderr
    assert "frame types" in r.stderr and "code size after" in r.stderr
    v = subprocess.run([wasm_tools_path(), "validate", str(out)], capture_output=True, text=True)
    assert v.returncode == 0, v.stderr


def test_what_cannot_be_lowered_is_an_error_naming_the_function(tmp_path):
    src = tmp_path / "legacy.wat"
    src.write_text(LEGACY_CATCH)
    r = fxc("lower", str(src), "-o", str(tmp_path / "x.wasm"))
    assert r.returncode == 1
    assert "cannot lower" in r.stderr and "function in_catch" in r.stderr and "legacy `catch`" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "x.wasm").exists()


def test_a_module_that_is_not_wasm_is_a_read_error_with_an_offset(tmp_path):
    bad = tmp_path / "bad.wasm"
    bad.write_bytes(b"\0asm\x01\0\0\0\x01\x05")
    r = fxc("lower", str(bad))
    assert r.returncode == 1 and "offset" in r.stderr and "Traceback" not in r.stderr
