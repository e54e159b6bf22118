"""Checked access to the guest's linear memory: every pointer and length a WASI call receives is
checked against the memory's current size before it is used, and a bad one raises Fault (the call then
returns EFAULT). Nothing reads or writes outside the bytearray, and no host-sized allocation follows a
guest-chosen length before that length is known to fit in memory."""

from __future__ import annotations

import struct

MASK32 = 0xFFFFFFFF
MASK64 = 0xFFFFFFFFFFFFFFFF
IOV_MAX = 1024                # iovecs per call, as Linux; more gives EINVAL


class Fault(Exception):
    """A guest pointer/length outside linear memory."""


class Guest:
    __slots__ = ('data',)

    def __init__(self, data: bytearray):
        self.data = data

    def _span(self, ptr: int, n: int) -> int:
        ptr &= MASK32
        if n < 0 or ptr + n > len(self.data):
            raise Fault()
        return ptr

    def read(self, ptr: int, n: int) -> bytes:
        p = self._span(ptr, n & MASK32)
        return bytes(self.data[p:p + n])

    def write(self, ptr: int, b: bytes) -> None:
        p = self._span(ptr, len(b))
        self.data[p:p + len(b)] = b

    def check(self, ptr: int, n: int) -> None:
        self._span(ptr, n)

    def u32(self, ptr: int) -> int:
        p = self._span(ptr, 4)
        return struct.unpack_from('<I', self.data, p)[0]

    def u64(self, ptr: int) -> int:
        p = self._span(ptr, 8)
        return struct.unpack_from('<Q', self.data, p)[0]

    def u8(self, ptr: int) -> int:
        p = self._span(ptr, 1)
        return self.data[p]

    def u16(self, ptr: int) -> int:
        p = self._span(ptr, 2)
        return struct.unpack_from('<H', self.data, p)[0]

    def put(self, ptr: int, fmt: str, *values) -> None:
        size = struct.calcsize(fmt)
        p = self._span(ptr, size)
        struct.pack_into(fmt, self.data, p, *values)

    def string(self, ptr: int, n: int) -> str:
        """A UTF-8 path or name; invalid UTF-8 raises UnicodeDecodeError (EILSEQ)."""
        return self.read(ptr, n & MASK32).decode('utf-8')

    def iovecs(self, iovs: int, count: int) -> list[tuple[int, int]]:
        """The (ptr, len) pairs of an iovec/ciovec array, every buffer checked to lie inside memory."""
        count &= MASK32
        if count > IOV_MAX:
            raise ValueError('too many iovecs')
        raw = self.read(iovs, 8 * count)
        out = []
        for i in range(count):
            ptr, n = struct.unpack_from('<II', raw, 8 * i)
            self._span(ptr, n)
            out.append((ptr, n))
        return out
