"""The pass 'asyncify': fxlang.asyncify's Asyncify-style lowering, as the last pass of target asyncify.

The algorithm is documented where it lives (fxlang/asyncify/__init__.py and docs/asyncify.md); this module only
registers it, turning the lowering's LowerError into the compiler's FxError.
"""

from __future__ import annotations

from fxlang.wasm import Module

from . import register


@register('asyncify')
def asyncify(module: Module) -> Module:
    """WasmFX (stack switching + fxlang's barrier) -> standard Wasm GC + exceptions: no cont types, none of
    cont.new/cont.bind/suspend/resume*/switch/barrier; same behaviour and traps (docs/asyncify.md)."""
    from fxlang.asyncify import LowerError, lower
    from fxlang.diagnostics import FxError, Span

    try:
        return lower(module)
    except LowerError as e:
        raise FxError(f"cannot lower to standard Wasm: {e}", Span("<module>", 1, 1, 1, 1)) from None
