"""fxlang.hosts.python_host and `fxc run` on hostile .wasm programs: an out-of-bounds pointer, an
`fx` import of the wrong arity, a `memory` export that is no memory — each a plain error, never a
traceback, and never memory growing behind the program's back."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
import wasmtime

from fxlang.hosts.python_host import Panic, fx_imports

ROOT = Path(__file__).resolve().parents[3]


def test_out_of_bounds_pointers_trap_and_do_not_grow_memory():
    mem = bytearray(65536)
    fx = fx_imports(lambda: mem, io.BytesIO())
    with pytest.raises(Panic) as e:
        fx["f64_to_str"](1.5, 65535)
    assert e.value.message == "out of bounds memory access (in fx.f64_to_str)"
    assert len(mem) == 65536
    for name in ("write", "panic", "trace"):
        with pytest.raises(Panic) as e:
            fx[name](65530, 7)
        assert e.value.message == f"out of bounds memory access (in fx.{name})"
    assert fx["f64_to_str"](1.5, 65533) == 3 and mem[65533:] == b"1.5"


def _run(tmp_path, wat: str) -> subprocess.CompletedProcess:
    path = tmp_path / "hostile.wasm"
    path.write_bytes(wasmtime.wat2wasm(wat))
    return subprocess.run([sys.executable, "-m", "fxlang.cli", "run", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("wat, message", [
    ('(module (import "fx" "write" (func (param i32))) (memory (export "memory") 1)'
     ' (func (export "main")))', "link error: incompatible import type for fx.write"),
    ('(module (global (export "memory") i32 (i32.const 0)) (func (export "main")))',
     "the export `memory` is not a memory"),
    ('(module (import "fx" "f64_to_str" (func $s (param f64 i32) (result i32)))'
     ' (memory (export "memory") 1)'
     ' (func (export "main") (drop (call $s (f64.const 1.5) (i32.const 65535)))))',
     "trap: out of bounds memory access (in fx.f64_to_str)"),
])
def test_hostile_programs_get_plain_errors(tmp_path, wat, message):
    p = _run(tmp_path, wat)
    assert p.returncode == 1 and message in p.stderr and "Traceback" not in p.stderr, p.stderr
