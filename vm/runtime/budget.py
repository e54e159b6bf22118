"""The memory budget: what Wasm code may make the host allocate, before it traps "out of memory".

One meter for the process (GC objects and continuations move freely between instances, and all
instances share the one execution thread):

  * `fixed`: linear memories (64 KiB a page) and tables (8 bytes a slot) created by instances, exact,
    and the translated code of each instance (its source plus an estimate per function); released
    when the Memory/Table/Instance is freed.
  * `heap`: an estimate of the live GC objects (structs, arrays) and continuations. Allocations add
    their estimated size (cont.new for continuations); Python frees unreferenced objects without
    telling us, so when the estimate crosses `check_at` it is recounted: a cyclic collection, then
    the sizes of the Struct/Array objects and Wasm generators (started continuations) really alive.
    (A fresh, never-resumed continuation is a small list the recount cannot tell from others; it
    is counted from cont.new to the next recount only.) `check_at` then moves to twice the
    live size (at least CHECK_STEP further), so recounting costs amortised O(1) per allocation.

`limit` is the `memory_limit` of the latest vm.instantiate (default DEFAULT_LIMIT; None: no limit):
the instances of one program share it. `fixed + heap` must stay within it: a memory or table that would not fit fails to
grow (memory.grow/table.grow return -1, as the spec permits) or traps at instantiation; a GC object or
continuation that does not fit after a recount traps "out of memory". An actual MemoryError (the host
ran out first, e.g. under `ulimit -v`) also ends as that trap (vm/exec/engine.py).
"""

from __future__ import annotations

import gc
import types
import weakref

from ..errors import Trap

DEFAULT_LIMIT = 2 << 30
CHECK_STEP = 64 << 20
STRUCT_BYTES = 160           # a Struct (72 bytes with its GC header) with its field list (72 + 8 a field)
CONT_BYTES = 256             # a continuation reference (64) with its generator and frame (192 for a small function)


class Budget:
    __slots__ = ('limit', 'fixed', 'heap', 'step_at', 'check_at', 'owned')

    def __init__(self):
        self.limit = DEFAULT_LIMIT
        self.fixed = 0
        self.owned = {}                # id of a live memory/table -> bytes reserved for it
        self.heap = 0
        self.step_at = CHECK_STEP      # the amortisation rule's next recount
        self.check_at = CHECK_STEP     # the heap size at which `charge` calls `over`
        self._retarget()

    def _retarget(self) -> None:
        self.check_at = self.step_at if self.limit is None else min(self.step_at, self.limit - self.fixed)

    def set_limit(self, limit) -> None:
        self.limit = limit
        self._retarget()

    def reserve(self, owner, nbytes: int) -> bool:
        """Reserve nbytes more for a memory or table `owner` (given back when it is freed); False
        if they do not fit."""
        if nbytes <= 0:
            return True
        if self.limit is not None and self.fixed + self.heap + nbytes > self.limit:
            self.recount()
            if self.fixed + self.heap + nbytes > self.limit:
                return False
        key = id(owner)
        if key not in self.owned:
            self.owned[key] = 0
            weakref.finalize(owner, self._freed, key)
        self.owned[key] += nbytes
        self.fixed += nbytes
        self._retarget()
        return True

    def unreserve(self, owner, nbytes: int) -> None:
        """Give back part of a reservation (an allocation that failed after all)."""
        self.owned[id(owner)] -= nbytes
        self.fixed -= nbytes
        self._retarget()

    def _freed(self, key) -> None:
        self.fixed -= self.owned.pop(key)
        self._retarget()

    def recount(self) -> None:
        gc.collect()
        from .gc import Struct, Array
        live = 0
        gen = types.GeneratorType
        for o in gc.get_objects():
            t = type(o)
            if t is Struct:
                live += STRUCT_BYTES + 16 * len(o.fields)
            elif t is Array:
                live += STRUCT_BYTES + 8 * len(o.elems)
            elif t is gen and o.gi_code.co_filename.startswith('<wasm'):
                live += CONT_BYTES
        self.heap = live
        self.step_at = max(2 * live, live + CHECK_STEP)
        self._retarget()

    def ensure(self, nbytes: int) -> None:
        """Trap unless nbytes more fit (before a big allocation, so it is not made at all)."""
        if self.limit is not None and self.fixed + self.heap + nbytes > self.limit:
            self.recount()
            if self.fixed + self.heap + nbytes > self.limit:
                raise Trap('out of memory')

    def over(self) -> None:
        """Called when `heap` crossed `check_at`: recount, and trap if the live heap does not fit."""
        self.recount()
        if self.limit is not None and self.fixed + self.heap > self.limit:
            raise Trap('out of memory')


BUDGET = Budget()


def charge(nbytes: int) -> None:
    """Count a new GC object or continuation of about nbytes."""
    b = BUDGET
    b.heap += nbytes
    if b.heap > b.check_at:
        b.over()
