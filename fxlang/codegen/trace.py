"""Source-level tracing (`fxc build --trace`, docs/host.md "Tracing"): the compiler instruments the program so
that it reports its own control transfers, in fx source names, as `[trace]` lines on standard error
(runtime helper io.trace: WASI fd_write).

    Tracer(runtime)                      only made when tracing was asked for (ProgramGen.tracer is None else)
      .line(f, text)                     emit a call reporting the constant line `text` (memory untouched)
      .where(span)                       `file.fx:line:col` of a source span (the file's base name)
      .guarded(f, is_null, text)         report `text` unless `is_null()` leaves 1 (a cancel of nothing)

Lines (one per event, the host prefixes `[trace] `):
    perform Effect::op at f.fx:L:C              before every `perform` (after its arguments)
    resume Effect::op (handler at f.fx:L:C)      a `k` is resumed (however it is called, stored or not); the
                                                place is the `handle` expression's (each traced handle site
                                                has its own drivers, fxlang/codegen/control/handlers.py)
    discontinue Effect::op (handler at f.fx:L:C) a `k` is discontinued
    yield in gen at f.fx:L:C                    before the `suspend` of a `yield` (gen: the enclosing fn)
    next gen at f.fx:L:C                        each step of a generator by `next(g)` / a `for` (the loop's place)
    cancel gen at f.fx:L:C                      `cancel(g)`, and a `for` leaving a live generator (break,
                                                return, an exception)
Each line is a constant in the passive `literals` segment; a helper copies it into the scratch area and calls
`io.trace(ptr, len)`.  Nothing of this exists in a module built without tracing.
"""

from __future__ import annotations

from pathlib import PurePath


class Tracer:
    def __init__(self, runtime):
        self.rt = runtime

    def where(self, span) -> str:
        if span is None:
            return '?'
        return f'{PurePath(span.file).name}:{span.line}:{span.col}'

    def line(self, f, text: str) -> None:
        self.rt.trace(f, text)

    def guarded(self, f, is_null, text: str) -> None:
        is_null()
        f.emit('i32.eqz')
        with f.if_():
            self.line(f, text)
