"""LEB128 reading against the spec's limits and the reference interpreter's messages."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from vm.binary.leb128 import (encode_s, encode_u, read_s7, read_s32, read_s33, read_s64, read_u32, read_u64,
                              read_uN, read_sN)
from vm.errors import DecodeError


@pytest.mark.parametrize('data, value', [
    (b'\x00', 0), (b'\x7f', 127), (b'\x80\x01', 128), (b'\xff\xff\xff\xff\x0f', 0xffffffff),
    (b'\x80\x80\x80\x80\x00', 0),                      # padded to the full 5 bytes: allowed
])
def test_u32(data, value):
    assert read_u32(data, 0) == (value, len(data))


@pytest.mark.parametrize('data, value', [
    (b'\x00', 0), (b'\x3f', 63), (b'\x40', -64), (b'\x7f', -1), (b'\x80\x7f', -128),
    (b'\xff\xff\xff\xff\x07', 0x7fffffff), (b'\x80\x80\x80\x80\x78', -0x80000000),
    (b'\xff\xff\xff\xff\x7f', -1),                     # padded -1
])
def test_s32(data, value):
    assert read_s32(data, 0) == (value, len(data))


@pytest.mark.parametrize('reader, data, msg, offset', [
    (read_u32, b'\x80\x80\x80\x80\x80\x00', 'integer representation too long', 5),
    (read_u32, b'\x80\x80\x80\x80\x10', 'integer too large', 4),
    (read_u32, b'\xff\xff\xff\xff\x1f', 'integer too large', 4),
    (read_s32, b'\x80\x80\x80\x80\x70', 'integer too large', 4),    # sign bits not all equal
    (read_s32, b'\xff\xff\xff\xff\x0f', 'integer too large', 4),
    (read_s32, b'\xff\xff\xff\xff\x4f', 'integer too large', 4),
    (read_s64, b'\x80' * 9 + b'\x7e', 'integer too large', 9),
    (read_s64, b'\xff' * 9 + b'\x01', 'integer too large', 9),
    (read_s64, b'\x80' * 10 + b'\x00', 'integer representation too long', 10),
    (read_u64, b'\x82' + b'\x80' * 8 + b'\x02', 'integer too large', 9),
    (read_s7, b'\x80\x00', 'integer representation too long', 1),
    (read_s33, b'\x80\x80\x80\x80\x20', 'integer too large', 4),
    (read_u32, b'\x80\x80', 'unexpected end of section or function', 2),
    (read_s64, b'', 'unexpected end of section or function', 0),
])
def test_errors(reader, data, msg, offset):
    with pytest.raises(DecodeError) as e:
        reader(data, 0)
    assert e.value.msg == msg
    assert e.value.offset == offset


def test_s33_covers_type_indices():
    assert read_s33(encode_s(0xffffffff), 0)[0] == 0xffffffff
    assert read_s33(b'\x70', 0)[0] == -16          # the 'func' heap type code


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**64 - 1))
def test_unsigned_roundtrip(n):
    data = encode_u(n)
    assert read_u64(data, 0) == (n, len(data))
    if n < 2**32:
        assert read_u32(data + b'rest', 0) == (n, len(data))


@settings(max_examples=300, deadline=None)
@given(st.integers(-2**63, 2**63 - 1))
def test_signed_roundtrip(n):
    data = encode_s(n)
    assert read_s64(data, 0) == (n, len(data))
    if -2**31 <= n < 2**31:
        assert read_s32(data, 0) == (n, len(data))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=12), st.sampled_from([7, 32, 33, 64]), st.booleans())
def test_any_bytes_value_or_decode_error(data, bits, signed):
    read = read_sN if signed else read_uN
    try:
        value, pos = read(data, 0, bits)
    except DecodeError as e:
        assert e.offset is not None and 0 <= e.offset <= len(data)
        return
    assert 0 < pos <= len(data)
    if signed:
        assert -2**(bits - 1) <= value < 2**(bits - 1)
    else:
        assert 0 <= value < 2**bits
