"""The `fx` host interface (docs/host.md) as plain Python callables, for engines embedded in Python.

It does not import any engine: the caller passes a function that returns the instance's exported memory
bytes (a bytearray-like object), available only after instantiation.
"""
from __future__ import annotations

import sys
from typing import BinaryIO, Callable, TextIO


class Panic(Exception):
    """Raised by `fx.panic`: the program stopped itself with `message` (the caller reports it as a trap)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def format_f64(x: float) -> str:
    """docs/host.md's float formatting: exactly Python's repr(float)."""
    return repr(float(x))


def fx_imports(memory: Callable[[], bytearray], out: BinaryIO, err: TextIO | None = None) -> dict:
    """The `fx` import module: `write(ptr, len)`, `f64_to_str(x, ptr) -> len`, `panic(ptr, len)`, which
    raises Panic (engines let a host function's exception through, or wrap it: see `panic_message`), and
    `trace(ptr, len)`, which writes `[trace] <line>` to `err` (default: standard error)."""

    def span(name: str, ptr: int, length: int) -> tuple[bytearray, int, int]:
        """The memory and [ptr, end) of an access by fx.<name>; out of bounds traps (as a Panic) instead
        of reading short or, for a write, growing the memory."""
        data = memory()
        ptr &= 0xFFFFFFFF
        end = ptr + (length & 0xFFFFFFFF)
        if end > len(data):
            raise Panic(f"out of bounds memory access (in fx.{name})")
        return data, ptr, end

    def write(ptr: int, length: int) -> None:
        data, ptr, end = span("write", ptr, length)
        out.write(bytes(data[ptr:end]))

    def f64_to_str(x: float, ptr: int) -> int:
        text = format_f64(x).encode()
        data, ptr, end = span("f64_to_str", ptr, len(text))
        data[ptr:end] = text
        return len(text)

    def panic(ptr: int, length: int) -> None:
        data, ptr, end = span("panic", ptr, length)
        raise Panic(bytes(data[ptr:end]).decode("utf-8", errors="replace"))

    def trace(ptr: int, length: int) -> None:
        data, ptr, end = span("trace", ptr, length)
        line = bytes(data[ptr:end]).decode("utf-8", errors="replace")
        stream = err if err is not None else sys.stderr
        stream.write(f"[trace] {line}\n")
        stream.flush()

    return {"write": write, "f64_to_str": f64_to_str, "panic": panic, "trace": trace}


def panic_message(e: BaseException) -> str | None:
    """The message of the Panic that `e` is or wraps (via __cause__/__context__), else None."""
    seen = set()
    while e is not None and id(e) not in seen:
        if isinstance(e, Panic):
            return e.message
        seen.add(id(e))
        e = e.__cause__ or e.__context__
    return None
