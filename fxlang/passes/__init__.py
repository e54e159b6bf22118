"""Module-to-module passes over the Wasm IR (fxlang.wasm.Module), as Binaryen's src/passes/ (docs/codegen.md,
"Passes").

    PASSES: dict[str, Pass]            every pass by name (filled by `register`)
    PIPELINES: dict[str, list[str]]    target -> the passes `fxc build --target T` runs after code generation
    TARGETS                            the targets, in PIPELINES order
    run(module, names, after=None) -> Module
                                       run the named passes in order; after(name, module) sees each result

A pass is a function `Module -> Module` named once, with a docstring stating its input, output and the
invariants it keeps, and an algorithm comment at the top of its module.  Passes know Wasm, not fx: they run
on whatever module they are given (what codegen builds, or a binary read back), and each has golden
input/output tests (tests/fxlang/passes/NAME/*.wat).  A pass may return its input changed in place or a new
module; callers use the result.

Code generation always builds the target-fx module (fxlang's `barrier` and the stack-switching `switch` are
allowed there); another target is a pipeline that lowers what it cannot run:

    fx          prune
    standard    lower-switch, lower-barrier, prune     (standard WasmFX: what V8 and wasm-tools accept)

A new lowering is one registered module plus one PIPELINES entry, two lines at the marked place below (before
TARGETS, which the CLI's --target choices come from), e.g. for an Asyncify-style target:
    from fxlang.asyncify import asyncify  # noqa: E402,F401  (registers the pass 'asyncify')
    PIPELINES['asyncify'] = PIPELINES['fx'] + ['asyncify']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from fxlang.wasm import Module


@dataclass(frozen=True)
class Pass:
    name: str
    run: Callable[[Module], Module]

    @property
    def doc(self) -> str:
        """The first line of the pass function's docstring (what `fxc build --passes` shows)."""
        return (self.run.__doc__ or '').strip().splitlines()[0] if self.run.__doc__ else ''


PASSES: dict[str, Pass] = {}


def register(name: str):
    """Decorator: make the function `Module -> Module` the pass `name`."""
    def add(fn):
        if name in PASSES:
            raise ValueError(f'pass {name!r} registered twice')
        PASSES[name] = Pass(name, fn)
        return fn
    return add


def run(module: Module, names, after: Callable[[str, Module], None] | None = None) -> Module:
    """Run the passes `names` in order over `module`; `after(name, result)` is called after each."""
    for name in names:
        p = PASSES.get(name)
        if p is None:
            raise ValueError(f'unknown pass {name!r} (known: {", ".join(sorted(PASSES))})')
        module = p.run(module)
        if after is not None:
            after(name, module)
    return module


from . import lower_barrier, lower_switch, prune  # noqa: E402,F401  (registration)

PIPELINES: dict[str, list[str]] = {
    'fx': ['prune'],
    'standard': ['lower-switch', 'lower-barrier', 'prune'],
}
# more targets here (see the module docstring)
TARGETS = tuple(PIPELINES)

__all__ = ['PASSES', 'PIPELINES', 'TARGETS', 'Pass', 'register', 'run']
