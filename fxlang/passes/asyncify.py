"""The pass 'asyncify': fxlang.asyncify's Asyncify-style lowering, the last pass of target asyncify.

The algorithm is documented where it lives (fxlang/asyncify/__init__.py, its modules, and docs/asyncify.md);
fxlang.asyncify, like the passes, knows Wasm and not fx.  This module only registers it; a module the lowering
cannot translate raises fxlang.asyncify.LowerError, which the driver reports as a diagnostic.
"""

from __future__ import annotations

from fxlang.asyncify import lower
from fxlang.wasm import Module

from . import register


@register('asyncify')
def asyncify(module: Module) -> Module:
    """Input: a valid WasmFX module (stack switching, fxlang's barrier).  Output: a standard Wasm GC +
    exceptions module with no cont types and none of cont.new/cont.bind/suspend/resume*/switch/barrier, with
    the same behaviour and the same trap messages (docs/asyncify.md).  Invariants: type indices, imports and
    export names are kept; functions that cannot suspend are left as they are."""
    return lower(module)
