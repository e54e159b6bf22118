"""Trap reports in fx terms, the same words on every engine (docs/host.md, "Traps").

An engine reports a trap as a message and a Wasm backtrace: (function index, byte offset in the module)
pairs, innermost first — vm.Trap.frames on our VM, the `wasm-function[i]:0xOFF` positions of V8's stack
(wasi_run.mjs does the same as this module in JavaScript), wasmtime's numbered backtrace. With the binary's
source map (fxlang/wasm/srcmap.py) that becomes

    trap: integer divide by zero at gen.fx:12:9 (in fn mean)
      called from gen.fx:20:5 (in fn main)

Frames the map does not know (runtime helpers, the entry point) are left out; at most MAX_FRAMES frames
are shown, then `  ...`. Without a map, or when no frame is known, the engine's own wording stays.

A panic has already written `fxc: trap: <message>` (no end of line) when it traps in the function the map
names PANIC (fxlang/codegen/wasi_io.py): the report is then only the rest of that line, ` at ...` and the
callers, or just the end of the line.
"""

from __future__ import annotations

from fxlang.wasm.srcmap import SourceMap, Where

MAX_FRAMES = 8


def located(frames, srcmap: SourceMap | None) -> list[Where]:
    """The frames the source map places in the source, innermost first."""
    if srcmap is None:
        return []
    out = []
    for func, offset in frames:
        where = srcmap.where(func, offset)
        if where is not None and where.file is not None:
            out.append(where)
    return out


def describe(message: str, frames, srcmap: SourceMap | None) -> str | None:
    """`trap: MESSAGE at FILE:L:C (in fn f)` and `called from` lines, or None when no frame is located."""
    places = located(frames, srcmap)
    if not places:
        return None
    lines = [f'trap: {message} at {places[0]}']
    lines += [f'  called from {w}' for w in places[1:MAX_FRAMES]]
    if len(places) > MAX_FRAMES:
        lines.append('  ...')
    return '\n'.join(lines)


def panic_tail(frames, srcmap: SourceMap | None) -> str | None:
    """When the trap is a panic's report: the rest of its line (" at ..." and `called from` lines, or "")
    and the newline; else None."""
    frames = list(frames)
    if srcmap is None or not frames or not srcmap.is_panic(*frames[0]):
        return None
    places = located(frames[1:], srcmap)
    if not places:
        return '\n'
    lines = [f' at {places[0]}']
    lines += [f'  called from {w}' for w in places[1:MAX_FRAMES]]
    if len(places) > MAX_FRAMES:
        lines.append('  ...')
    return '\n'.join(lines) + '\n'
