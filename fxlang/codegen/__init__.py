"""Code generation: a checked fx program -> a WasmFX module (docs/codegen.md).

    generate(checked, target="fx", trace=False) -> fxlang.wasm.Module   raises FxError for a construct not
                                                                          supported yet

[[check.Checked]] --> [[wasm.Module]].  Modules: layout.py (type representation), runtime.py (helper
functions in Wasm), expr.py (function bodies), program.py (declarations, globals, closures, exports).
"""

from __future__ import annotations

TARGETS = ("fx", "standard")


def generate(checked, target: str = "fx", trace: bool = False):
    """Generate the Wasm module for `checked` (a check.Checked).

    target "fx" may use fxlang's `barrier` extension; "standard" emits only standard WasmFX (the core
    language emits no barrier on either target).  trace: instrument the program to report its performs, resumes,
    yields, steps and cancels through the host import fx.trace (fxlang/codegen/trace.py)."""
    import sys

    from fxlang.codegen.program import ProgramGen
    from fxlang.diagnostics import FxError, Span

    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r} (expected one of {', '.join(TARGETS)})")
    # expressions are generated recursively, a few frames per nesting level: the same room as the checker
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20000))
    try:
        return ProgramGen(checked, target, trace=trace).run()
    except RecursionError:
        m = checked.program.main
        raise FxError("program is nested too deeply to generate code for", Span(m.file, 1, 1, 1, 1)) from None
    finally:
        sys.setrecursionlimit(limit)


__all__ = ["generate", "TARGETS"]
