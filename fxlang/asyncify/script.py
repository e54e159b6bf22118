"""Spec scripts over lowered modules: the adapter `fxc wast --lower` gives the VM's script runner.

    SpecAdapter().module(bytes) -> bytes            lower a module the script instantiates
    SpecAdapter().trap_message(trap) -> str | None  the message a lowered module's trap stands for
"""

from __future__ import annotations

from .runtime import TRAP_PREFIX


def named_trap(message: str | None, func_name: str | None) -> str | None:
    """A lowered module traps with `unreachable` in a function named TRAP_PREFIX + its message."""
    name = (func_name or '').lstrip('$')
    if message == 'unreachable' and name.startswith(TRAP_PREFIX):
        return name[len(TRAP_PREFIX):]
    return None


class SpecAdapter:
    @staticmethod
    def module(data: bytes) -> bytes:
        from fxlang.wasm import encode
        from fxlang.wasm.read import read

        from . import lower
        return encode(lower(read(data)))

    @staticmethod
    def trap_message(trap) -> str | None:
        return named_trap(getattr(trap, 'msg', None), getattr(trap, 'func_name', None))
