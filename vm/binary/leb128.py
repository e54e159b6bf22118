"""LEB128 integers as the binary format reads them (spec 5.2.2), with the reference interpreter's errors.

`read_uN(data, pos, n)` / `read_sN(data, pos, n)` return (value, new position) and raise DecodeError:
    "integer representation too long"   more than ceil(n/7) bytes
    "integer too large"                 the last byte has bits beyond the n-bit range
    "unexpected end of section or function"   the input ends inside the number
Shorthands read_u32, read_u64, read_s7, read_s32, read_s33, read_s64. `encode_u` / `encode_s` are the
inverse (for tests and tools that build binaries).
"""

from __future__ import annotations

from ..errors import DecodeError

UNEXPECTED_END = 'unexpected end of section or function'


def read_uN(data: bytes, pos: int, n: int) -> tuple[int, int]:
    result = 0
    shift = 0
    end = len(data)
    while True:
        if n <= 0:
            raise DecodeError('integer representation too long', pos)
        if pos >= end:
            raise DecodeError(UNEXPECTED_END, end)
        b = data[pos]
        pos += 1
        if n < 7 and (b & 0x7f) >= (1 << n):
            raise DecodeError('integer too large', pos - 1)
        result |= (b & 0x7f) << shift
        if not b & 0x80:
            return result, pos
        shift += 7
        n -= 7


def read_sN(data: bytes, pos: int, n: int) -> tuple[int, int]:
    result = 0
    shift = 0
    end = len(data)
    while True:
        if n <= 0:
            raise DecodeError('integer representation too long', pos)
        if pos >= end:
            raise DecodeError(UNEXPECTED_END, end)
        b = data[pos]
        pos += 1
        if n < 7:
            mask = (-1 << (n - 1)) & 0x7f
            if (b & mask) != 0 and (b & mask) != mask:
                raise DecodeError('integer too large', pos - 1)
        result |= (b & 0x7f) << shift
        shift += 7
        if not b & 0x80:
            if b & 0x40:
                result -= 1 << shift
            return result, pos
        n -= 7


def read_u32(data: bytes, pos: int) -> tuple[int, int]:
    b = data[pos] if pos < len(data) else 0x80
    if b < 0x80:
        return b, pos + 1
    return read_uN(data, pos, 32)


def read_u64(data: bytes, pos: int) -> tuple[int, int]:
    return read_uN(data, pos, 64)


def read_s7(data: bytes, pos: int) -> tuple[int, int]:
    return read_sN(data, pos, 7)


def read_s32(data: bytes, pos: int) -> tuple[int, int]:
    return read_sN(data, pos, 32)


def read_s33(data: bytes, pos: int) -> tuple[int, int]:
    return read_sN(data, pos, 33)


def read_s64(data: bytes, pos: int) -> tuple[int, int]:
    return read_sN(data, pos, 64)


def encode_u(value: int) -> bytes:
    """Shortest unsigned LEB128 encoding of a non-negative int."""
    if value < 0:
        raise ValueError('encode_u of a negative number')
    out = bytearray()
    while True:
        b = value & 0x7f
        value >>= 7
        if value:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def encode_s(value: int) -> bytes:
    """Shortest signed LEB128 encoding of an int."""
    out = bytearray()
    while True:
        b = value & 0x7f
        value >>= 7
        if (value == 0 and not b & 0x40) or (value == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)
