"""The whole compiler pipeline, one line per phase.

    source --load--> ast.Program --check--> Checked --generate--> wasm.Module (target fx)
           --passes (PIPELINES[target], fxlang/passes)--> wasm.Module --encode--> bytes

Every phase raises only fxlang.diagnostics.FxError / FxErrors for bad source. Nothing here imports the VM.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fxlang.passes import PIPELINES, TARGETS

__all__ = ["Compiled", "TARGETS", "PIPELINES", "compile_file", "compile_source", "check_file"]


@dataclass
class Compiled:
    wasm: bytes
    module: object                                  # fxlang.wasm.Module, kept for --stats and --emit wat
    passes: list = field(default_factory=list)      # (pass name, encoded size after it) when asked for
    codegen: dict = field(default_factory=dict)     # code generation counts (evidence handles/performs)


def compile_file(path: str | Path, *, target: str = "fx", trace: bool = False, sizes: bool = False,
                 evidence: bool = False) -> Compiled:
    """Compile the fx program at `path` (and its imports) to a Wasm binary for `target`; `trace`: instrumented
    to report its control transfers on standard error (docs/host.md, "Tracing"); `sizes`: record the module's
    encoded size after code generation and after each pass (fxc build --passes); `evidence`: tail-resumptive
    handlers without continuations where unobservable (docs/effects.md, "Evidence passing")."""
    from fxlang.modules import load_program
    return _compile(lambda: load_program(Path(path)), target, trace, sizes, evidence)


def compile_source(src: str, path: str | Path, *, target: str = "fx", trace: bool = False,
                   evidence: bool = False) -> Compiled:
    """compile_file for source text (`path` names it in diagnostics and resolves its imports)."""
    from fxlang.modules import load_source
    return _compile(lambda: load_source(src, str(path)), target, trace, False, evidence)


def _compile(load, target, trace, sizes, evidence=False) -> Compiled:
    from fxlang import passes
    from fxlang.asyncify import LowerError
    from fxlang.check import check
    from fxlang.diagnostics import FxError, Span
    from fxlang.codegen import generate
    from fxlang.wasm import encode

    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r} (expected one of {', '.join(TARGETS)})")
    report = [] if sizes else None
    note = (lambda name, m: report.append((name, len(encode(m))))) if sizes else None
    with collector_paused():
        program = load()
        checked = check(program)
        counts: dict = {}
        module = generate(checked, trace=trace, evidence=evidence, stats=counts)
        if note is not None:
            note("generate", module)
        try:
            module = passes.run(module, PIPELINES[target], after=note)
        except LowerError as e:            # target asyncify: a module the lowering cannot translate
            raise FxError(f"cannot lower to standard Wasm: {e}", Span(str(program.main.file), 1, 1, 1, 1)) \
                from None
        return Compiled(encode(module), module, report or [], counts)


def check_file(path: str | Path) -> None:
    """Parse and type-check the program at `path`; raise FxError(s) on bad source."""
    from fxlang.check import check
    from fxlang.modules import load_program

    with collector_paused():
        check(load_program(Path(path)))


@contextmanager
def collector_paused():
    """Run a compilation without Python's cyclic garbage collector.  The phases allocate hundreds of thousands
    of long-lived objects (tokens, AST, types, instructions) and free few cycles, so the collector's full
    passes over them were a quarter of the compile time (bench/compile_speed.py); what the compilation
    leaves behind is collected as usual afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
