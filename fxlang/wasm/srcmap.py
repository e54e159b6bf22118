"""The source map: which fx source line each piece of a function's code comes from (docs/host.md, "Traps and the
source map").

A custom section named `fx.srcmap`, written by the encoder after every other section when any instruction
carries a location (`Instr.loc`), read back by hosts to turn an engine's trap position (function index and
byte offset in the module, as V8, wasmtime and our VM report it) into `file.fx:line:col (in fn name)`.

    payload  = version:u32 (1) files:vec(name) funcs:vec(func)
    func     = index:u32 fxname:name start:u32 size:u32 entries:vec(entry)
    entry    = delta:u32 fileline:s32 [file:u32] col:u32

`index` is the function index; `fxname` its source-level name ("" when it has none); `start` and `size` the
module offset and length of its code section entry (for engines whose backtraces give offsets only, as
wasmtime's); entries are sorted by module offset, `delta` being the offset minus the previous entry's (the
first entry's is the offset itself); `fileline` is the line minus the previous entry's line (0 before the
first), times two, plus 1 when a file index follows (the first entry of a function, and wherever the file
changes). An entry covers the code from its offset to the next entry, so it is written only where the
location changes, and only for instructions an engine can report (`reported`: those that may trap or call;
a backtrace names nothing else). Offsets are absolute in the module, the positions engines report; a pass
that moves code moves the locations with the instructions, and the encoder recomputes the offsets.

    encode(funcs) -> bytes         funcs: [(index, fxname, start, size, [(offset, Span-like), ...])]
    decode(payload) -> SourceMap   raises ValueError on a malformed payload
    find(binary) -> SourceMap | None   the section of a binary, if it has a well-formed one
    SourceMap.where(func, offset) -> Where(name, file, line, col)   (file None: no location)

File "" (NOWHERE) stands for code without a source location; a function named PANIC is the panic report
(below).
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import NamedTuple

from . import opcodes
from .leb128 import read_signed, read_unsigned, signed, unsigned

SECTION = 'fx.srcmap'
VERSION = 1
# A function the map names PANIC reports a panic: it has written "fxc: trap: <message>" to standard error without
# the end of the line and traps; the host ends the line with where the panic came from (its callers) and "\n".
PANIC = '<panic>'


class Place(NamedTuple):
    """A location that is no source span: NOWHERE marks code (the panic function's trap) that is in the map
    without a place in the source."""
    file: str
    line: int
    col: int


NOWHERE = Place('', 0, 0)

# Instructions engines never report: they cannot trap and call nothing (a trap's backtrace names the trapping
# instruction and, in each caller, the call). The map keeps entries for the others only: a fraction of the
# size, and the same answer for every position an engine reports.
_SILENT_OPS = frozenset({
    'local.get', 'local.set', 'local.tee', 'global.get', 'global.set', 'i32.const', 'i64.const', 'f32.const',
    'f64.const', 'block', 'loop', 'if', 'else', 'end', 'br', 'br_if', 'br_table', 'br_on_null',
    'br_on_non_null', 'br_on_cast', 'br_on_cast_fail', 'drop', 'select', 'select_t', 'nop', 'return',
    'ref.null', 'ref.is_null', 'ref.func', 'ref.eq', 'ref.i31', 'ref.test', 'ref.test_null',
    'any.convert_extern', 'extern.convert_any', 'struct.new', 'struct.new_default'})
_TRAPPING_NUMERIC = re.compile(r'^i(32|64)\.(div|rem)_|^i(32|64)\.trunc_f(32|64)_[su]$')
_NUMERIC = re.compile(r'^[if](32|64)\.')


@functools.lru_cache(maxsize=None)
def reported(op: str) -> bool:
    """Can an engine report an instruction `op` in a backtrace (it may trap, or it calls)?  Numeric
    instructions only when they divide or truncate to an integer; memory accesses (memarg) always."""
    if op in _SILENT_OPS:
        return False
    if _NUMERIC.match(op) and 'memarg' not in opcodes.OPS[op].kinds:
        return bool(_TRAPPING_NUMERIC.match(op))
    return True


class Where(NamedTuple):
    name: str | None            # the function's fx name
    file: str | None
    line: int
    col: int

    def __str__(self) -> str:
        """`file:line:col (in name)`, with non-printable characters escaped: a map comes from the binary,
        which may be hostile, and the text goes to a terminal."""
        at = f'{self.file}:{self.line}:{self.col}' if self.file is not None else '?'
        return printable(f'{at} (in {self.name})' if self.name else at)


def printable(text: str) -> str:
    """`text` with its non-printable characters escaped (text from a binary on its way to a terminal)."""
    if text.isprintable():
        return text
    return ''.join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _name(s: str) -> bytes:
    b = s.encode('utf-8')
    return unsigned(len(b)) + b


def encode(funcs) -> bytes:
    """The section payload (without the section's own name) for `funcs`: (index, fxname, start, size,
    entries) with entries (offset, loc) sorted by offset, loc having .file, .line and .col."""
    files: dict[str, int] = {}
    body = bytearray()
    body += unsigned(len(funcs))
    for index, name, start, size, entries in funcs:
        body += unsigned(index) + _name(name or '') + unsigned(start) + unsigned(size)
        runs = []
        last = None
        for off, loc in entries:
            key = (loc.file, loc.line, loc.col)
            if key != last:
                runs.append((off, files.setdefault(loc.file, len(files)), loc.line, loc.col))
                last = key
        body += unsigned(len(runs))
        prev, prev_line, prev_file = 0, 0, None
        for off, fi, line, col in runs:
            body += unsigned(off - prev) + signed((line - prev_line) * 2 + (fi != prev_file))
            if fi != prev_file:
                body += unsigned(fi)
            body += unsigned(col)
            prev, prev_line, prev_file = off, line, fi
    head = unsigned(VERSION) + unsigned(len(files)) + b''.join(_name(f) for f in files)
    return bytes(head + body)


class _Reader:
    def __init__(self, data: bytes, pos: int = 0, end: int | None = None):
        self.data, self.pos, self.end = data, pos, len(data) if end is None else end

    def _leb(self, read) -> int:
        value, pos = read(self.data, self.pos)          # LEB128Error is a ValueError
        if pos > self.end:
            raise ValueError('number past the end')
        self.pos = pos
        return value

    def u32(self) -> int:
        return self._leb(read_unsigned)

    def s32(self) -> int:
        return self._leb(read_signed)

    def name(self) -> str:
        n = self.u32()
        if self.pos + n > self.end:
            raise ValueError('name past the end')
        s = bytes(self.data[self.pos:self.pos + n]).decode('utf-8')
        self.pos += n
        return s


class SourceMap:
    def __init__(self, files: list[str], funcs: dict[int, tuple[str, list[int], list[tuple]]],
                 ranges: list[tuple[int, int, int]]):
        self.files = files
        self.funcs = funcs          # index -> (fx name, offsets, [(file, line, col)])
        self.ranges = ranges        # sorted (start, end, index) of every function in the map

    def _entry(self, func: int | None, offset: int | None):
        """The map's entry for function `func`, or, when the engine did not say, the one holding `offset`."""
        if func is not None:
            return self.funcs.get(func)
        return self._by_offset(offset) if offset is not None else None

    def where(self, func: int | None, offset: int | None) -> Where | None:
        """The location of the code at module `offset` in function `func` (either may be None when the
        engine did not say), or None when the map knows nothing about it."""
        entry = self._entry(func, offset)
        if entry is None:
            return None
        name, offsets, locs = entry
        if offset is None:
            return Where(name or None, None, 0, 0)
        i = bisect.bisect_right(offsets, offset) - 1
        if i < 0:
            return Where(name or None, None, 0, 0)
        file, line, col = locs[i]
        return Where(name or None, file or None, line, col)

    def _by_offset(self, offset: int):
        """The function whose code holds `offset`."""
        i = bisect.bisect_right(self.ranges, (offset, float('inf'))) - 1
        if i >= 0 and self.ranges[i][0] <= offset < self.ranges[i][1]:
            return self.funcs[self.ranges[i][2]]
        return None

    def is_panic(self, func: int | None, offset: int | None) -> bool:
        """Is this frame the panic report (PANIC)?"""
        entry = self._entry(func, offset)
        return entry is not None and entry[0] == PANIC


def decode(payload: bytes) -> SourceMap:
    r = _Reader(payload)
    if r.u32() != VERSION:
        raise ValueError('unknown source map version')
    files = [r.name() for _ in range(r.u32())]
    funcs, ranges = {}, []
    for _ in range(r.u32()):
        index = r.u32()
        name = r.name()
        start = r.u32()
        ranges.append((start, start + r.u32(), index))
        offsets, locs = [], []
        off, line, fi = 0, 0, None
        for _ in range(r.u32()):
            off += r.u32()
            fileline = r.s32()
            line += fileline >> 1
            if fileline & 1:
                fi = r.u32()
            if fi is None or fi >= len(files):
                raise ValueError('file index out of range')
            if line < 0:
                raise ValueError('negative line')
            offsets.append(off)
            locs.append((files[fi], line, r.u32()))
        funcs[index] = (name, offsets, locs)
    if r.pos != len(payload):
        raise ValueError('trailing bytes')
    ranges.sort()
    return SourceMap(files, funcs, ranges)


def find(binary: bytes) -> SourceMap | None:
    """The source map of a binary module, or None if it has none or a malformed one (a map is a help for
    messages, never a reason to fail)."""
    if binary[:4] != b'\0asm':
        return None
    r = _Reader(binary, 8)
    try:
        while r.pos < len(binary):
            sid = binary[r.pos]
            r.pos += 1
            size = r.u32()
            end = r.pos + size
            if sid == 0:
                sub = _Reader(binary, r.pos, end)
                if sub.name() == SECTION:
                    return decode(bytes(binary[sub.pos:end]))
            r.pos = end
    except (ValueError, UnicodeDecodeError, IndexError):
        return None
    return None
