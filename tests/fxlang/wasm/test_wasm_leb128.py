"""LEB128: known vectors, round-trip properties for every width the binary format uses, malformed inputs."""

import pytest
from hypothesis import given, strategies as st

from fxlang.wasm.leb128 import LEB128Error, read_signed, read_unsigned, signed, unsigned


def test_known_vectors():
    assert unsigned(0) == b'\x00'
    assert unsigned(127) == b'\x7f'
    assert unsigned(128) == b'\x80\x01'
    assert unsigned(624485) == bytes([0xe5, 0x8e, 0x26])
    assert signed(-1) == b'\x7f'
    assert signed(63) == b'\x3f'
    assert signed(64) == b'\xc0\x00'
    assert signed(-64) == b'\x40'
    assert signed(-65) == b'\xbf\x7f'
    assert signed(-123456) == bytes([0xc0, 0xbb, 0x78])


@pytest.mark.parametrize('bits', [32, 33, 64])
@given(data=st.data())
def test_unsigned_round_trip(bits, data):
    n = data.draw(st.integers(0, (1 << bits) - 1))
    enc = unsigned(n)
    assert read_unsigned(enc + b'\xff', 0, bits) == (n, len(enc))
    assert len(enc) == max(1, -(-n.bit_length() // 7))          # minimal length


@pytest.mark.parametrize('bits', [32, 33, 64])
@given(data=st.data())
def test_signed_round_trip(bits, data):
    n = data.draw(st.integers(-(1 << (bits - 1)), (1 << (bits - 1)) - 1))
    enc = signed(n)
    assert read_signed(b'\x00' + enc, 1, bits) == (n, 1 + len(enc))
    assert len(enc) <= -(-bits // 7)


@given(st.integers(0, (1 << 32) - 1), st.integers(0, 4))
def test_padded_encodings_are_read(n, pad):
    """Non-minimal (padded) encodings within the byte limit are well-formed."""
    enc = bytearray(unsigned(n))
    width = len(enc) + pad
    if width > 5:
        return
    enc[-1] |= 0x80
    enc += b'\x80' * (pad - 1) + b'\x00' if pad else b''
    if not pad:
        enc[-1] &= 0x7f
    assert read_unsigned(bytes(enc), 0, 32) == (n, width)


def test_unsigned_too_large():
    with pytest.raises(LEB128Error, match='integer too large') as e:
        read_unsigned(b'\xff\xff\xff\xff\x1f', 0, 32)           # 2**36 - 1 does not fit 32 bits
    assert e.value.offset == 0
    assert read_unsigned(b'\xff\xff\xff\xff\x0f', 0, 32) == ((1 << 32) - 1, 5)


def test_signed_too_large():
    with pytest.raises(LEB128Error, match='integer too large'):
        read_signed(b'\xff\xff\xff\xff\x4f', 0, 32)             # sign bits not an extension
    assert read_signed(b'\xff\xff\xff\xff\x7f', 0, 32) == (-1, 5)
    assert read_signed(b'\x80\x80\x80\x80\x78', 0, 32) == (-(1 << 31), 5)
    with pytest.raises(LEB128Error):
        read_signed(b'\x80\x80\x80\x80\x50', 0, 33)            # bits 33/34 disagree with bit 32
    assert read_signed(b'\x80\x80\x80\x80\x70', 0, 33) == (-(1 << 32), 5)


def test_too_long_and_truncated():
    with pytest.raises(LEB128Error, match='integer representation too long') as e:
        read_unsigned(b'\x00\x80\x80\x80\x80\x80\x00', 1, 32)
    assert e.value.offset == 1
    with pytest.raises(LEB128Error, match='unexpected end') as e:
        read_unsigned(b'\x80\x80', 0, 32)
    assert e.value.offset == 2
    with pytest.raises(LEB128Error, match='integer representation too long'):
        read_signed(b'\x80' * 10 + b'\x00', 0, 64)


def test_negative_unsigned_rejected():
    with pytest.raises(ValueError):
        unsigned(-1)
