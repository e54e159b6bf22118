"""The whole compiler pipeline, one line per phase.

    source file --load_program--> ast.Program --check--> Checked --generate--> wasm.Module --encode--> bytes

Every phase raises only fxlang.diagnostics.FxError / FxErrors for bad source. Nothing here imports the VM.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

TARGETS = ("fx", "standard", "asyncify")


@dataclass
class Compiled:
    wasm: bytes
    module: object  # fxlang.wasm.Module, kept for --stats and --emit wat


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


def compile_file(path: str | Path, *, target: str = "fx", trace: bool = False) -> Compiled:
    """Compile the fx program at `path` (and its imports) to a Wasm binary for `target`; `trace`: instrumented
    to report its control transfers through fx.trace (docs/host.md, "Tracing")."""
    from fxlang.check import check
    from fxlang.codegen import generate
    from fxlang.modules import load_program
    from fxlang.wasm import encode

    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}")
    with collector_paused():
        program = load_program(Path(path))
        checked = check(program)
        module = generate(checked, target="fx" if target == "asyncify" else target, trace=trace)
        if target == "asyncify":
            module = lower_module(module)
        return Compiled(encode(module), module)


def lower_module(module):
    """target asyncify: the target-fx module through fxlang.asyncify (WasmFX -> standard Wasm GC + EH)."""
    from fxlang.asyncify import LowerError, lower
    from fxlang.diagnostics import FxError, Span

    try:
        return lower(module)
    except LowerError as e:
        raise FxError(f"cannot lower to standard Wasm: {e}", Span("<module>", 1, 1, 1, 1)) from None


def check_file(path: str | Path) -> None:
    """Parse and type-check the program at `path`; raise FxError(s) on bad source."""
    from fxlang.check import check
    from fxlang.modules import load_program

    with collector_paused():
        check(load_program(Path(path)))
