"""Linear memory: a zero-filled byte buffer whose identity never changes (grow extends it in place),
so translated code can hold it in a constant.

The buffer is an anonymous `mmap` (a bytearray if it is empty: nothing maps 0 bytes): the OS commits
its pages when they are first written, so eight declared 1 GiB memories cost nothing until used, and
`mmap.resize` grows it in place. Both index, slice and serve `struct.unpack_from/pack_into` alike."""

from __future__ import annotations

import mmap

from ..errors import Trap
from .budget import BUDGET

PAGE = 65536
MAX_PAGES = 65536          # 4 GiB, the i32 address space
HOST_LIMIT_PAGES = 16384   # growing beyond 1 GiB fails (memory.grow returns -1), as the spec permits


class Memory:
    """A memory instance. `data` is the buffer (mmap, or bytearray while empty: see above); `max` the
    maximum in pages (None: unbounded)."""

    __slots__ = ('data', 'max', 'shared', 'index', '__weakref__')

    def __init__(self, min_pages: int = 0, max_pages: int | None = None, shared: bool = False,
                 index: str = 'i32'):
        self.index = index
        if min_pages > HOST_LIMIT_PAGES:
            raise Trap('memory size exceeds implementation limit')
        if not BUDGET.reserve(self, min_pages * PAGE):
            raise Trap('out of memory')
        self.data = _zeroed(min_pages * PAGE)
        self.max = max_pages
        self.shared = shared

    @property
    def pages(self) -> int:
        return len(self.data) >> 16

    def size(self) -> int:
        return len(self.data) >> 16

    def grow(self, delta: int) -> int:
        """memory.grow: the old size in pages, or 0xFFFFFFFF (-1) on failure."""
        old = len(self.data) >> 16
        new = old + delta
        top = MAX_PAGES if self.index == 'i32' else 1 << 48
        limit = top if self.max is None else min(self.max, top)
        if new > limit or new > HOST_LIMIT_PAGES:
            return 0xFFFFFFFF if self.index == 'i32' else 0xFFFFFFFFFFFFFFFF
        if delta:
            if not BUDGET.reserve(self, delta * PAGE):
                return 0xFFFFFFFF if self.index == 'i32' else 0xFFFFFFFFFFFFFFFF
            try:
                if type(self.data) is bytearray:
                    self.data.extend(bytes(delta * PAGE))
                else:
                    self.data.resize(len(self.data) + delta * PAGE)
            except (MemoryError, OSError, ValueError, BufferError):
                BUDGET.unreserve(self, delta * PAGE)
                return 0xFFFFFFFF if self.index == 'i32' else 0xFFFFFFFFFFFFFFFF
        return old

    # host helpers
    def read(self, addr: int, n: int) -> bytes:
        if addr < 0 or n < 0 or addr + n > len(self.data):
            raise Trap('out of bounds memory access')
        return bytes(self.data[addr:addr + n])

    def write(self, addr: int, b: bytes) -> None:
        if addr < 0 or addr + len(b) > len(self.data):
            raise Trap('out of bounds memory access')
        self.data[addr:addr + len(b)] = b

    def __repr__(self) -> str:
        return f'<Memory {self.pages} pages>'


def _zeroed(nbytes: int):
    # MAP_PRIVATE: a shared anonymous map would not grow its backing object on resize (touching the
    # new pages raises SIGBUS)
    return mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE) if nbytes else bytearray()


def _oob():
    return Trap('out of bounds memory access')


def fill(data: bytearray, d: int, val: int, n: int) -> None:
    if d + n > len(data):
        raise _oob()
    if n:
        data[d:d + n] = bytes((val & 0xFF,)) * n


def copy(dst: bytearray, d: int, src: bytearray, s: int, n: int) -> None:
    if d + n > len(dst) or s + n > len(src):
        raise _oob()
    if n:
        dst[d:d + n] = src[s:s + n]


def init(data: bytearray, seg: bytes, d: int, s: int, n: int) -> None:
    if d + n > len(data) or s + n > len(seg):
        raise _oob()
    if n:
        data[d:d + n] = seg[s:s + n]
