"""Tables: a Python list of references (None = null) whose identity never changes."""

from __future__ import annotations

from ..errors import Trap
from .budget import BUDGET

SLOT_BYTES = 8

HOST_LIMIT = 10_000_000


class Table:
    """A table instance: `elems` (list), `max` (None: unbounded), `elem` (canonical reference type)."""

    __slots__ = ('elems', 'max', 'elem', 'index', '__weakref__')

    def __init__(self, elem, min_size: int = 0, max_size: int | None = None, init=None,
                 index: str = 'i32'):
        self.index = index
        if min_size > HOST_LIMIT:
            raise Trap('table size exceeds implementation limit')
        if not BUDGET.reserve(self, min_size * SLOT_BYTES):
            raise Trap('out of memory')
        self.elems = [init] * min_size
        self.max = max_size
        self.elem = elem

    def size(self) -> int:
        return len(self.elems)

    def grow(self, delta: int, init=None) -> int:
        """table.grow: the old size, or 0xFFFFFFFF (-1) on failure."""
        old = len(self.elems)
        new = old + delta
        fail = 0xFFFFFFFF if self.index == 'i32' else 0xFFFFFFFFFFFFFFFF
        limit = fail if self.max is None else self.max
        if new > limit or new > HOST_LIMIT or not BUDGET.reserve(self, delta * SLOT_BYTES):
            return fail
        if delta:
            self.elems.extend([init] * delta)
        return old

    def __getitem__(self, i):
        return self.elems[i]

    def __len__(self):
        return len(self.elems)

    def __repr__(self) -> str:
        return f'<Table {len(self.elems)}>'


def _oob():
    return Trap('out of bounds table access')


def get(elems: list, i: int):
    if i >= len(elems):
        raise _oob()
    return elems[i]


def set_(elems: list, i: int, v) -> None:
    if i >= len(elems):
        raise _oob()
    elems[i] = v


def fill(elems: list, d: int, v, n: int) -> None:
    if d + n > len(elems):
        raise _oob()
    elems[d:d + n] = [v] * n


def copy(dst: list, d: int, src: list, s: int, n: int) -> None:
    if d + n > len(dst) or s + n > len(src):
        raise _oob()
    if n:
        dst[d:d + n] = src[s:s + n]


def init(elems: list, seg, d: int, s: int, n: int) -> None:
    if d + n > len(elems) or s + n > len(seg):
        raise _oob()
    if n:
        elems[d:d + n] = seg[s:s + n]
