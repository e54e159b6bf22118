"""The `spectest` host module every spec script may import from.

The same entities as the reference interpreter's host/spectest.ml: print functions, globals
holding 666 / 666.6, a funcref table 10..20 (and `table64`, the same with i64 indices) and a
memory of 1..2 pages. Written in Wasm itself, so the VM gives every export its proper type and
import matching ("incompatible import type") works exactly as for any other module; only the
print functions are Python, imported by the Wasm module and re-exported.
"""

from __future__ import annotations

import functools
import math
import struct
import subprocess

SPECTEST_WAT = """
(module
  (import "host" "print" (func $print))
  (import "host" "print_i32" (func $print_i32 (param i32)))
  (import "host" "print_i64" (func $print_i64 (param i64)))
  (import "host" "print_f32" (func $print_f32 (param f32)))
  (import "host" "print_f64" (func $print_f64 (param f64)))
  (import "host" "print_i32_f32" (func $print_i32_f32 (param i32 f32)))
  (import "host" "print_f64_f64" (func $print_f64_f64 (param f64 f64)))
  (export "print" (func $print))
  (export "print_i32" (func $print_i32))
  (export "print_i64" (func $print_i64))
  (export "print_f32" (func $print_f32))
  (export "print_f64" (func $print_f64))
  (export "print_i32_f32" (func $print_i32_f32))
  (export "print_f64_f64" (func $print_f64_f64))
  (global (export "global_i32") i32 (i32.const 666))
  (global (export "global_i64") i64 (i64.const 666))
  (global (export "global_f32") f32 (f32.const 666.6))
  (global (export "global_f64") f64 (f64.const 666.6))
  (table (export "table") 10 20 funcref)
  (memory (export "memory") 1 2)
)
"""

# Kept apart: a VM without table64 still gets every other spectest entity.
SPECTEST64_WAT = """
(module
  (table (export "table64") i64 10 20 funcref)
)
"""

NAMES = ("print", "print_i32", "print_i64", "print_f32", "print_f64", "print_i32_f32", "print_f64_f64",
         "global_i32", "global_i64", "global_f32", "global_f64", "table", "memory")
TYPES = {"print": (), "print_i32": ("i32",), "print_i64": ("i64",), "print_f32": ("f32",),
         "print_f64": ("f64",), "print_i32_f32": ("i32", "f32"), "print_f64_f64": ("f64", "f64")}


@functools.lru_cache(maxsize=None)
def _binary(wasm_tools: str, wat: str) -> bytes:
    return subprocess.run([wasm_tools, "parse", "-"], input=wat.encode(),
                          capture_output=True, check=True).stdout


def show(value, t: str) -> str:
    """A printed value as the reference interpreter shows it: `6 : i32`, `-1.5 : f64`, `nan : f32`."""
    if t in ("f32", "f64"):
        if math.isnan(value):
            text = "nan"
        elif math.isinf(value):
            text = "inf" if value > 0 else "-inf"
        elif t == "f64":
            text = repr(value)
        else:                  # the shortest decimal that reads back as the same binary32
            bits = struct.pack("<f", value)
            text = next((s for s in (f"{value:.{p}g}" for p in range(1, 10))
                         if struct.pack("<f", float(s)) == bits), repr(value))
            if "e" not in text and "." not in text and "n" not in text:
                text += ".0"
    else:
        text = str(value)
    return f"{text} : {t}"


def _printer(types, out):
    def host_print(*args):
        if out is not None:
            for a, t in zip(args, types):          # one line per value, as the reference interpreter
                out.write(show(a, t) + "\n")
            out.flush()
    return host_print


def spectest(vm, wasm_tools: str, *, fuel=None, out=None) -> dict:
    """A fresh spectest instance: field name -> exported entity (for `imports["spectest"]`).
    `out` (a text stream or None) receives what the print functions print."""
    host = {name: _printer(types, out) for name, types in TYPES.items()}
    module = vm.decode(_binary(wasm_tools, SPECTEST_WAT))
    exports = vm.instantiate(module, {"host": host}, fuel=fuel).exports
    fields = {name: exports[name] for name in NAMES}
    try:
        module64 = vm.decode(_binary(wasm_tools, SPECTEST64_WAT))
        fields["table64"] = vm.instantiate(module64, {}, fuel=fuel).exports["table64"]
    except Exception:  # noqa: BLE001 - a VM without table64: scripts importing it fail to link
        pass
    return fields
