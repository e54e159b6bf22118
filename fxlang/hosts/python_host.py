"""The `fx` host interface (docs/host.md) as plain Python callables, for engines embedded in Python.

It does not import any engine: the caller passes a function that returns the instance's exported memory
bytes (a bytearray-like object), available only after instantiation.
"""
from __future__ import annotations

from typing import BinaryIO, Callable


def format_f64(x: float) -> str:
    """docs/host.md's float formatting: exactly Python's repr(float)."""
    return repr(float(x))


def fx_imports(memory: Callable[[], bytearray], out: BinaryIO) -> dict:
    """The `fx` import module: `write(ptr, len)` and `f64_to_str(x, ptr) -> len`."""

    def write(ptr: int, length: int) -> None:
        ptr &= 0xFFFFFFFF
        length &= 0xFFFFFFFF
        out.write(bytes(memory()[ptr:ptr + length]))

    def f64_to_str(x: float, ptr: int) -> int:
        data = format_f64(x).encode()
        ptr &= 0xFFFFFFFF
        memory()[ptr:ptr + len(data)] = data
        return len(data)

    return {"write": write, "f64_to_str": f64_to_str}
