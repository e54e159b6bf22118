"""Errors of the VM, one class per phase; all derive from VMError.

    DecodeError(msg, offset)                      malformed binary          (vm.binary.decode)
    ValidationError(msg, func_index, func_name, offset)  invalid module    (vm.valid.validate)
    LinkError(msg)                                imports do not match      (vm.instantiate)
    Trap(msg, func_name)                          runtime trap
        Exhaustion          "call stack exhausted"
        OutOfFuel           "out of fuel"
        UnhandledSuspension "unhandled tag $name"  (tag=, payload=)
        BarrierTrap         "suspension across barrier"
    WasmException(tag, payload)                   an uncaught Wasm exception reaching the host

`.msg` is the bare message (what spec tests compare by prefix); str() adds the location for a CLI,
with non-printable characters of names escaped (`printable`):
    decode error at offset 0x1a: unexpected end
    validation error in function 3 ($fib) at offset 0x4f: type mismatch: ...
    trap: integer divide by zero (in $fib)
A Trap's `frames` is its Wasm backtrace: (function index, module byte offset) pairs, innermost first, the
positions V8 and wasmtime report too, so a toolchain's source map can name source lines.
Every class accepts extra keyword fields (stored as attributes) so a phase can attach more context
without a change here.
"""

from __future__ import annotations

import bisect
from typing import NamedTuple


def printable(text: str) -> str:
    """`text` with every non-printable character escaped (\\n, \\x1b, ...): names in a module are
    untrusted and must not reach a terminal raw (a newline or an ANSI escape in a function name)."""
    if text.isprintable():
        return text
    return ''.join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class VMError(Exception):
    """Base of every error the VM raises on bad input or at run time."""

    kind = 'error'

    def __init__(self, msg: str, **extra):
        super().__init__(msg)
        self.msg = msg
        for k, v in extra.items():
            setattr(self, k, v)

    def where(self) -> str:
        return ''

    def __str__(self) -> str:
        return printable(f'{self.kind}{self.where()}: {self.msg}')


class DecodeError(VMError):
    """Malformed binary module; `offset` is the byte offset where decoding failed."""

    kind = 'decode error'

    def __init__(self, msg: str, offset: int | None = None, **extra):
        super().__init__(msg, **extra)
        self.offset = offset

    def where(self) -> str:
        return '' if self.offset is None else f' at offset {self.offset:#x}'


class ValidationError(VMError):
    """Invalid module (spec wording, e.g. "type mismatch: expected i32, found f64")."""

    kind = 'validation error'

    def __init__(self, msg: str, func_index: int | None = None, func_name: str | None = None,
                 offset: int | None = None, **extra):
        super().__init__(msg, **extra)
        self.func_index = func_index
        self.func_name = func_name
        self.offset = offset

    def where(self) -> str:
        s = ''
        if self.func_index is not None:
            s += f' in function {self.func_index}'
            if self.func_name:
                s += f' (${self.func_name})'
        elif self.func_name:
            s += f' in ${self.func_name}'
        if self.offset is not None:
            s += f' at offset {self.offset:#x}'
        return s


class LinkError(VMError):
    """Imports do not match the module's import declarations ("incompatible import type", ...)."""

    kind = 'link error'


class Frame(NamedTuple):
    """One frame of a trap's backtrace: the function and the byte offset in the module of the instruction
    it was executing (the trapping one, or a call)."""
    func_index: int
    offset: int


class Trap(VMError):
    """A runtime trap; `func_name` is the function executing when it happened (if known)."""

    kind = 'trap'
    fault_line = None       # (file, line) of translated code a memory/division fault was raised anew from

    def __init__(self, msg: str, func_name: str | None = None, **extra):
        super().__init__(msg, **extra)
        self.func_name = func_name

    @property
    def frames(self) -> list[Frame]:
        """The Wasm backtrace, innermost first: the frames of translated code the trap passed through (a
        continuation's frames are there when it trapped while running), each mapped through the line table
        the translator keeps (vm/exec/translate.py, line_marks)."""
        out = []
        tb = self.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            lines = frame.f_globals.get('_LINES') if frame.f_code.co_filename.startswith('<wasm') else None
            if lines is not None:
                table = lines.get(frame.f_code.co_filename)
                line = tb.tb_lineno
                if tb.tb_next is None and self.fault_line and self.fault_line[0] == frame.f_code.co_filename:
                    line = self.fault_line[1]
                if table is not None and 0 < line < len(table) and table[line] >= 0:
                    nimp, starts = frame.f_globals['_FUNCS']
                    k = bisect.bisect_right(starts, table[line]) - 1
                    if k >= 0:
                        out.append(Frame(nimp + k, table[line]))
            tb = tb.tb_next
        out.reverse()
        return out

    def where(self) -> str:
        return ''

    def __str__(self) -> str:
        s = f'{self.kind}: {self.msg}'
        if self.func_name:
            s += f' (in {self.func_name})'
        return printable(s)


class Exhaustion(Trap):
    """Call stack exhausted (the spec's assert_exhaustion)."""

    def __init__(self, msg: str = 'call stack exhausted', func_name: str | None = None, **extra):
        super().__init__(msg, func_name, **extra)


class OutOfFuel(Trap):
    """The fuel given to instantiate() ran out."""

    def __init__(self, msg: str = 'out of fuel', func_name: str | None = None, **extra):
        super().__init__(msg, func_name, **extra)


class UnhandledSuspension(Trap):
    """A `suspend` found no handler for its tag (the spec's assert_suspension)."""

    def __init__(self, msg: str = 'unhandled tag', func_name: str | None = None, *, tag=None,
                 payload=(), **extra):
        super().__init__(msg, func_name, **extra)
        self.tag = tag
        self.payload = payload


class BarrierTrap(Trap):
    """A suspension tried to cross a `barrier` block."""

    def __init__(self, msg: str = 'suspension across barrier', func_name: str | None = None, **extra):
        super().__init__(msg, func_name, **extra)


class WasmException(VMError):
    """An uncaught Wasm exception reaching the host: `tag` (runtime tag) and `payload` (values)."""

    kind = 'uncaught exception'

    def __init__(self, tag=None, payload=(), msg: str = 'uncaught exception', **extra):
        super().__init__(msg, **extra)
        self.tag = tag
        self.payload = tuple(payload)

    def __str__(self) -> str:
        name = getattr(self.tag, 'name', None)
        s = 'uncaught exception'
        if name:
            s += f' {name}'
        if self.payload:
            s += ' (' + ', '.join(map(repr, self.payload)) + ')'
        return printable(s)


__all__ = ['VMError', 'DecodeError', 'ValidationError', 'LinkError', 'Trap', 'Exhaustion', 'OutOfFuel',
           'UnhandledSuspension', 'BarrierTrap', 'WasmException']
