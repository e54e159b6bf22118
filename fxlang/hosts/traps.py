"""Trap reports in fx terms, the same words on every engine (docs/host.md, "Traps").

An engine reports a trap as a message and a Wasm backtrace: (function index, byte offset in the module)
pairs, innermost first — vm.Trap.frames on our VM, the `wasm-function[i]:0xOFF` positions of V8's stack
(wasi_run.mjs does the same as this module in JavaScript), wasmtime's numbered backtrace. With the binary's
source map (fxlang/wasm/srcmap.py), report(message, frames, binary) makes of it

    fxc: trap: integer divide by zero at gen.fx:12:9 (in fn mean)
      called from gen.fx:20:5 (in fn main)

Frames the map does not know (runtime helpers, the entry point) are left out; at most MAX_FRAMES frames
are shown, then `  ...`; calls repeated from one place (recursion) are one line. Without a map, or when no
frame is known, the engine's own wording stays.

A panic has already written `fxc: trap: <message>` (no end of line) when it traps in the function the map
names PANIC (fxlang/codegen/wasi_io.py): the report is then only the rest of that line, ` at ...` and the
callers, or just the end of the line.
"""

from __future__ import annotations

from fxlang.wasm import srcmap
from fxlang.wasm.srcmap import SourceMap, Where

# the engine's words for what an fx program did: a `barrier` is what `nosuspend` compiles to
FX_WORDS = {'suspension across barrier': 'suspension across nosuspend'}
# float -> integer conversions (i32/i64.trunc_f32/f64_s/u): V8 says the same for NaN and out of range, so
# every engine's report does ("invalid conversion to integer"; the spec's words for an out-of-range value
# are "integer overflow", which stays for division)
TRUNC_OPCODES = range(0xa8, 0xb2)
MAX_FRAMES = 8        # lines of a report
WINDOW = 100          # innermost frames looked at (V8's stack trace holds this many: wasi_run.mjs)


def report(message: str, frames, binary: bytes) -> str | None:
    """What the host writes to standard error after `binary` trapped with `message` and the backtrace
    `frames` ((function index or None, module offset) pairs, innermost first): the rest of a panic's line,
    or `fxc: trap: MESSAGE at FILE:L:C (in fn f)` and `called from` lines, each ending in a newline; None
    when the map places no frame (the host keeps the engine's wording)."""
    frames = list(frames)
    smap = srcmap.find(binary)
    if smap is None or not frames:
        return None
    if smap.is_panic(*frames[0]):
        places = _located(frames[1:], smap)
        return '\n'.join(_lines(f' at {places[0]}', places)) + '\n' if places else '\n'
    places = _located(frames, smap)
    if not places:
        return None
    return '\n'.join(_lines(f'fxc: trap: {_words(message, frames, binary)} at {places[0]}', places)) + '\n'


def _words(message: str, frames: list, binary: bytes) -> str:
    """`message` in the words every engine's report uses for an fx program."""
    at = frames[0][1]
    if message == 'integer overflow' and at is not None and 0 <= at < len(binary) \
            and binary[at] in TRUNC_OPCODES:
        return 'invalid conversion to integer'
    return FX_WORDS.get(message, message)


def _located(frames: list, smap: SourceMap) -> list[Where]:
    """The frames the source map places in the source, innermost first."""
    out = []
    for func, offset in frames[:WINDOW]:
        where = smap.where(func, offset)
        if where is not None and where.file is not None:
            out.append(where)
    return out


def _lines(first: str, places: list) -> list[str]:
    """`first` and a `called from` line per caller; a run of calls from one place (recursion) is one line
    ending in ", repeatedly"; at most MAX_FRAMES lines, then `  ...`."""
    lines = [first]
    rest = [str(w) for w in places[1:]]
    i = 0
    while i < len(rest):
        j = i
        while j + 1 < len(rest) and rest[j + 1] == rest[i]:
            j += 1
        lines.append(f'  called from {rest[i]}' + (', repeatedly' if j > i else ''))
        i = j + 1
    if len(lines) > MAX_FRAMES:
        lines[MAX_FRAMES:] = ['  ...']
    return lines
