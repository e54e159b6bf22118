"""The public entry points of the VM (see vm/__init__.py for the contract)."""

from __future__ import annotations

from .errors import Trap, Exhaustion, WasmException
from .exec import engine
from .valid import validate as _validate
from .runtime import instance as _instance
from .runtime.entities import WasmExn
from .runtime.budget import BUDGET, DEFAULT_LIMIT


def _guarded(job):
    def wrapped():
        try:
            return job()
        except RecursionError:
            raise Exhaustion() from None
        except WasmExn as e:
            raise WasmException(e.tag, e.values) from None
    engine.run(wrapped)              # (a MemoryError becomes Trap "out of memory" there)


def validate(module) -> None:
    """[[Module]] -> None; raises ValidationError. Remembers success, so instantiate() does not
    validate the same module again."""
    _validate(module)
    module._vm_validated = True


def instantiate(module, imports=None, *, fuel=None, trace=None, stats=False,
                memory_limit=DEFAULT_LIMIT):
    """[[Module, imports]] -> Instance; raises LinkError or Trap (start function, segment
    initialisation). `imports` maps module name -> field name -> value. A module that did not go
    through vm.validate is validated first (ValidationError): the translator trusts its input.
    `memory_limit` (bytes, None: none) bounds what Wasm code makes the host allocate — memories,
    tables, GC objects, continuations — for this and every instance instantiated before it
    (vm/runtime/budget.py); beyond it, "out of memory" traps (or memory.grow/table.grow fail)."""
    BUDGET.set_limit(memory_limit)
    if not getattr(module, '_vm_validated', False):
        validate(module)
    try:
        return _instance.instantiate(module, imports, fuel=fuel, trace=trace, stats=stats,
                                     run=_guarded)
    except RecursionError:
        raise Exhaustion() from None
    except MemoryError:
        raise Trap('out of memory') from None
