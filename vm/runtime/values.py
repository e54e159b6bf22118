"""Conversions between the API representation of values (signed ints) and the internal one
(unsigned ints, f32 rounded to binary32)."""

from __future__ import annotations

from ..exec.numeric import round_f32


def to_internal(t, v):
    if t == 'i32':
        return int(v) & 0xFFFFFFFF
    if t == 'i64':
        return int(v) & 0xFFFFFFFFFFFFFFFF
    if t == 'f32':
        return round_f32(float(v))
    if t == 'f64':
        return float(v)
    return v


def to_api(t, v):
    if t == 'i32':
        v = int(v)
        return v - ((v & 0x80000000) << 1)
    if t == 'i64':
        v = int(v)
        return v - ((v & 0x8000000000000000) << 1)
    return v


def default_value(t):
    if t in ('i32', 'i64', 'i8', 'i16'):
        return 0
    if t in ('f32', 'f64'):
        return 0.0
    return None
