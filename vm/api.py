"""The public entry points of the VM (see vm/__init__.py for the contract)."""

from __future__ import annotations

from .errors import Trap, Exhaustion, WasmException
from .exec import engine
from .runtime import instance as _instance
from .runtime.entities import WasmExn


def _guarded(job):
    def wrapped():
        try:
            return job()
        except RecursionError:
            raise Exhaustion() from None
        except WasmExn as e:
            raise WasmException(e.tag, e.values) from None
        except MemoryError:
            raise Trap('out of memory') from None
    engine.run(wrapped)


def instantiate(module, imports=None, *, fuel=None, trace=None, stats=False):
    """[[validated Module, imports]] -> Instance; raises LinkError or Trap (start function,
    segment initialisation). `imports` maps module name -> field name -> value."""
    try:
        return _instance.instantiate(module, imports, fuel=fuel, trace=trace, stats=stats,
                                     run=_guarded)
    except RecursionError:
        raise Exhaustion() from None
