"""LEB128 integers (the Wasm binary format's variable-length integers).

`unsigned(n)` / `signed(n)` encode; `read_unsigned(data, pos, bits)` / `read_signed(data, pos, bits)` decode
and return (value, next position), raising LEB128Error(message, offset) for a malformed or too-long number
or one that does not fit in `bits` (32, 33 or 64), in the spec's wording.
"""


class LEB128Error(ValueError):
    def __init__(self, message: str, offset: int):
        super().__init__(f'{message} at offset {offset}')
        self.message, self.offset = message, offset


_ONE_BYTE = [bytes([i]) for i in range(128)]


def unsigned(n: int) -> bytes:
    if 0 <= n < 128:
        return _ONE_BYTE[n]
    if n < 0:
        raise ValueError(f'unsigned LEB128 of negative {n}')
    out = bytearray()
    while True:
        byte = n & 0x7f
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def signed(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7f
        n >>= 7                      # arithmetic shift: -1 stays -1
        if (n == 0 and not byte & 0x40) or (n == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def _read(data, pos: int, bits: int, is_signed: bool) -> tuple[int, int]:
    start = pos
    result = shift = 0
    max_bytes = (bits + 6) // 7
    for i in range(max_bytes):
        if pos >= len(data):
            raise LEB128Error('unexpected end of section or function', pos)
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7f) << shift
        shift += 7
        if not byte & 0x80:
            if i == max_bytes - 1:
                # the unused bits of the last byte must be a sign/zero extension of the value
                used = bits - 7 * i
                rest = byte & 0x7f
                if is_signed:
                    ext = rest >> (used - 1)
                    if ext not in (0, (1 << (8 - used)) - 1):
                        raise LEB128Error('integer too large', start)
                elif rest >> used:
                    raise LEB128Error('integer too large', start)
            if is_signed and byte & 0x40:
                result -= 1 << shift
            return result, pos
    raise LEB128Error('integer representation too long', start)


def read_unsigned(data, pos: int, bits: int = 32) -> tuple[int, int]:
    return _read(data, pos, bits, False)


def read_signed(data, pos: int, bits: int = 32) -> tuple[int, int]:
    return _read(data, pos, bits, True)
