"""Code generation: a checked fx program -> its WasmFX module (docs/codegen.md).

    generate(checked, trace=False) -> fxlang.wasm.Module   raises FxError for a construct not supported yet

[[check.Checked]] --> [[wasm.Module]], the module of target fx: `nosuspend` is fxlang's `barrier` block and a
fiber's `switch_to` the stack-switching `switch`.  Other targets are pipelines of passes over this module
(fxlang/passes: lower-switch, lower-barrier), run by the driver; codegen knows nothing of them.  Nothing
unreachable is removed here either (the pass `prune`).

Modules: layout.py (type representation), runtime.py (helper functions in Wasm), expr.py (function bodies),
program.py (declarations, globals, closures, exports), trace.py (fxc build --trace), printing.py (print
calls), control/ (the control features: effect handlers, generators, exceptions, jumps, fibers, nosuspend).
"""

from __future__ import annotations


def generate(checked, trace: bool = False, evidence: bool = False, stats: dict | None = None):
    """Generate the Wasm module for `checked` (a check.Checked).

    trace: instrument the program to report its performs, resumes, yields, steps and cancels through the host
    write `[trace]` lines (fxlang/codegen/trace.py); evidence: handlers whose clauses all resume in tail
    position run without continuations where that is unobservable (fxlang/codegen/control/evidence.py);
    stats: receives {'evidence handles': n, 'evidence performs': n} (suspends removed)."""
    import sys

    from fxlang.codegen.program import ProgramGen
    from fxlang.diagnostics import FxError, Span

    # expressions are generated recursively, a few frames per nesting level: the same room as the checker
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20000))
    try:
        gen = ProgramGen(checked, trace=trace, evidence=evidence)
        module = gen.run()
        if stats is not None:
            stats.update({f'evidence {k}': v for k, v in gen.evidence.stats.items()})
        return module
    except RecursionError:
        m = checked.program.main
        raise FxError("program is nested too deeply to generate code for", Span(m.file, 1, 1, 1, 1)) from None
    finally:
        sys.setrecursionlimit(limit)


__all__ = ["generate"]
