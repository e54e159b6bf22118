"""Exact semantics of the Wasm 2.0 numeric instructions (no SIMD).

One function per instruction, named after it (`i32.div_s` -> `i32_div_s`), and the table `OPS` mapping
the text-format name to `(function, arity)`. Spec: WebAssembly core spec 4.3 "Numerics".

Value representation, shared with the executor:
    i32, i64  unsigned Python ints in [0, 2**32) / [0, 2**64)
    f64       Python float
    f32       Python float holding a value exactly representable in binary32; every f32 result is
              rounded to binary32 here. An f32 NaN keeps its 23-bit payload in the top 23 payload bits
              of the double (so a signalling f32 NaN is a signalling double NaN): convert with
              `f32_from_bits` / `f32_to_bits`, never with struct's 'f' format, which quiets it.

Traps raise vm.errors.Trap with the spec's wording: "integer divide by zero", "integer overflow",
"invalid conversion to integer".
"""

import math
import struct

__all__ = ["OPS", "f32_from_bits", "f32_to_bits", "f64_from_bits", "f64_to_bits", "round_f32"]

_M32 = 0xFFFFFFFF
_M64 = 0xFFFFFFFFFFFFFFFF
_S32 = 0x80000000
_S64 = 0x8000000000000000
_INF = math.inf
_NAN = math.nan  # canonical: 0x7ff8000000000000, demotes to canonical 0x7fc00000

_pack_f = struct.Struct("<f").pack
_unpack_f = struct.Struct("<f").unpack
_pack_I = struct.Struct("<I").pack
_unpack_I = struct.Struct("<I").unpack
_pack_d = struct.Struct("<d").pack
_unpack_d = struct.Struct("<d").unpack
_pack_Q = struct.Struct("<Q").pack
_unpack_Q = struct.Struct("<Q").unpack
_copysign = math.copysign
_trunc = math.trunc
_floor = math.floor
_ceil = math.ceil
_sqrt = math.sqrt
_isinf = math.isinf


def _trap(message):
    # vm.errors belongs to the decoder side; import on first trap so this module loads on its own.
    from vm.errors import Trap
    raise Trap(message)


# ---------------------------------------------------------------------------------------------------
# Bit-level conversions

def f32_from_bits(n):
    """binary32 bit pattern (int) -> f32 value (float), keeping NaN payloads and signalling NaNs."""
    if n & 0x7F800000 == 0x7F800000 and n & 0x7FFFFF:
        return _unpack_d(_pack_Q(((n & _S32) << 32) | 0x7FF0000000000000 | ((n & 0x7FFFFF) << 29)))[0]
    return _unpack_f(_pack_I(n))[0]


def f32_to_bits(x):
    """f32 value (float) -> binary32 bit pattern (int), the inverse of f32_from_bits."""
    if x != x:
        b = _unpack_Q(_pack_d(x))[0]
        mant = (b >> 29) & 0x7FFFFF
        if not mant:  # a double NaN whose payload lives below binary32's precision: quiet it
            mant = 0x400000
        return ((b >> 32) & _S32) | 0x7F800000 | mant
    try:
        return _unpack_I(_pack_f(x))[0]
    except OverflowError:
        return 0xFF800000 if x < 0 else 0x7F800000


def f64_from_bits(n):
    """binary64 bit pattern (int) -> f64 value (float)."""
    return _unpack_d(_pack_Q(n))[0]


def f64_to_bits(x):
    """f64 value (float) -> binary64 bit pattern (int)."""
    return _unpack_Q(_pack_d(x))[0]


def round_f32(x):
    """Round a double to the nearest binary32 value (ties to even); overflow gives a signed infinity.
    A NaN keeps its sign and top 23 payload bits, signalling or not (for values crossing the API)."""
    if x != x:
        return f32_from_bits(f32_to_bits(x))
    try:
        return _unpack_f(_pack_f(x))[0]
    except OverflowError:
        return _copysign(_INF, x)


# ---------------------------------------------------------------------------------------------------
# i32

def i32_eqz(a):
    return 1 if a == 0 else 0

def i32_eq(a, b):
    return 1 if a == b else 0

def i32_ne(a, b):
    return 1 if a != b else 0

def i32_lt_s(a, b):
    return 1 if (a ^ _S32) < (b ^ _S32) else 0

def i32_lt_u(a, b):
    return 1 if a < b else 0

def i32_gt_s(a, b):
    return 1 if (a ^ _S32) > (b ^ _S32) else 0

def i32_gt_u(a, b):
    return 1 if a > b else 0

def i32_le_s(a, b):
    return 1 if (a ^ _S32) <= (b ^ _S32) else 0

def i32_le_u(a, b):
    return 1 if a <= b else 0

def i32_ge_s(a, b):
    return 1 if (a ^ _S32) >= (b ^ _S32) else 0

def i32_ge_u(a, b):
    return 1 if a >= b else 0

def i32_clz(a):
    return 32 - a.bit_length()

def i32_ctz(a):
    return (a & -a).bit_length() - 1 if a else 32

def i32_popcnt(a):
    return a.bit_count()

def i32_add(a, b):
    return (a + b) & _M32

def i32_sub(a, b):
    return (a - b) & _M32

def i32_mul(a, b):
    return (a * b) & _M32

def i32_div_s(a, b):
    if b == 0:
        _trap("integer divide by zero")
    if a == _S32 and b == _M32:
        _trap("integer overflow")
    sa = a - 0x100000000 if a & _S32 else a
    sb = b - 0x100000000 if b & _S32 else b
    q = abs(sa) // abs(sb)
    return (-q if (sa < 0) != (sb < 0) else q) & _M32

def i32_div_u(a, b):
    if b == 0:
        _trap("integer divide by zero")
    return a // b

def i32_rem_s(a, b):
    if b == 0:
        _trap("integer divide by zero")
    sa = a - 0x100000000 if a & _S32 else a
    sb = b - 0x100000000 if b & _S32 else b
    r = abs(sa) % abs(sb)
    return (-r if sa < 0 else r) & _M32

def i32_rem_u(a, b):
    if b == 0:
        _trap("integer divide by zero")
    return a % b

def i32_and(a, b):
    return a & b

def i32_or(a, b):
    return a | b

def i32_xor(a, b):
    return a ^ b

def i32_shl(a, b):
    return (a << (b & 31)) & _M32

def i32_shr_s(a, b):
    return ((a - 0x100000000 if a & _S32 else a) >> (b & 31)) & _M32

def i32_shr_u(a, b):
    return a >> (b & 31)

def i32_rotl(a, b):
    k = b & 31
    return ((a << k) | (a >> (32 - k))) & _M32

def i32_rotr(a, b):
    k = b & 31
    return ((a >> k) | (a << (32 - k))) & _M32

def i32_extend8_s(a):
    return (((a & 0xFF) ^ 0x80) - 0x80) & _M32

def i32_extend16_s(a):
    return (((a & 0xFFFF) ^ 0x8000) - 0x8000) & _M32

def i32_wrap_i64(a):
    return a & _M32


# ---------------------------------------------------------------------------------------------------
# i64

def i64_eqz(a):
    return 1 if a == 0 else 0

def i64_eq(a, b):
    return 1 if a == b else 0

def i64_ne(a, b):
    return 1 if a != b else 0

def i64_lt_s(a, b):
    return 1 if (a ^ _S64) < (b ^ _S64) else 0

def i64_lt_u(a, b):
    return 1 if a < b else 0

def i64_gt_s(a, b):
    return 1 if (a ^ _S64) > (b ^ _S64) else 0

def i64_gt_u(a, b):
    return 1 if a > b else 0

def i64_le_s(a, b):
    return 1 if (a ^ _S64) <= (b ^ _S64) else 0

def i64_le_u(a, b):
    return 1 if a <= b else 0

def i64_ge_s(a, b):
    return 1 if (a ^ _S64) >= (b ^ _S64) else 0

def i64_ge_u(a, b):
    return 1 if a >= b else 0

def i64_clz(a):
    return 64 - a.bit_length()

def i64_ctz(a):
    return (a & -a).bit_length() - 1 if a else 64

def i64_popcnt(a):
    return a.bit_count()

def i64_add(a, b):
    return (a + b) & _M64

def i64_sub(a, b):
    return (a - b) & _M64

def i64_mul(a, b):
    return (a * b) & _M64

def i64_div_s(a, b):
    if b == 0:
        _trap("integer divide by zero")
    if a == _S64 and b == _M64:
        _trap("integer overflow")
    sa = a - 0x10000000000000000 if a & _S64 else a
    sb = b - 0x10000000000000000 if b & _S64 else b
    q = abs(sa) // abs(sb)
    return (-q if (sa < 0) != (sb < 0) else q) & _M64

def i64_div_u(a, b):
    if b == 0:
        _trap("integer divide by zero")
    return a // b

def i64_rem_s(a, b):
    if b == 0:
        _trap("integer divide by zero")
    sa = a - 0x10000000000000000 if a & _S64 else a
    sb = b - 0x10000000000000000 if b & _S64 else b
    r = abs(sa) % abs(sb)
    return (-r if sa < 0 else r) & _M64

def i64_rem_u(a, b):
    if b == 0:
        _trap("integer divide by zero")
    return a % b

def i64_and(a, b):
    return a & b

def i64_or(a, b):
    return a | b

def i64_xor(a, b):
    return a ^ b

def i64_shl(a, b):
    return (a << (b & 63)) & _M64

def i64_shr_s(a, b):
    return ((a - 0x10000000000000000 if a & _S64 else a) >> (b & 63)) & _M64

def i64_shr_u(a, b):
    return a >> (b & 63)

def i64_rotl(a, b):
    k = b & 63
    return ((a << k) | (a >> (64 - k))) & _M64

def i64_rotr(a, b):
    k = b & 63
    return ((a >> k) | (a << (64 - k))) & _M64

def i64_extend8_s(a):
    return (((a & 0xFF) ^ 0x80) - 0x80) & _M64

def i64_extend16_s(a):
    return (((a & 0xFFFF) ^ 0x8000) - 0x8000) & _M64

def i64_extend32_s(a):
    return (((a & _M32) ^ _S32) - _S32) & _M64

def i64_extend_i32_s(a):
    return a | 0xFFFFFFFF00000000 if a & _S32 else a

def i64_extend_i32_u(a):
    return a


# ---------------------------------------------------------------------------------------------------
# Floats, shared by f32 and f64 (an f32 operand is an exact double, so the double operation is exact
# or, for + - * / sqrt, rounds once more to binary32 without double-rounding error since 53 >= 2*24+2).

def _fdiv(a, b):
    if b == 0.0:
        if a != a:
            return a + b
        if a == 0.0:
            return _NAN
        return _copysign(_INF, a) * _copysign(1.0, b)
    return a / b

def _fmin(a, b):
    if a < b:
        return a
    if b < a:
        return b
    if a == b:
        # only zeros can be equal with different signs; -(-a - b) is -0 unless both are +0
        return -(-a - b) if a == 0.0 else a
    return a + b  # a NaN operand: propagate it, quieted

def _fmax(a, b):
    if a > b:
        return a
    if b > a:
        return b
    if a == b:
        return a + b if a == 0.0 else a  # +0 unless both are -0
    return a + b

def _fsqrt(a):
    if a < 0.0:
        return _NAN
    if a != a:
        return a + a
    return _sqrt(a)

# Beyond 2**52 every double is an integer (and every f32 beyond 2**23).
_INTEGRAL = 4503599627370496.0

def _fceil(a):
    if a != a:
        return a + a
    if not (-_INTEGRAL < a < _INTEGRAL) or a == 0.0:
        return a
    return _copysign(float(_ceil(a)), a)

def _ffloor(a):
    if a != a:
        return a + a
    if not (-_INTEGRAL < a < _INTEGRAL) or a == 0.0:
        return a
    return _copysign(float(_floor(a)), a)

def _ftrunc(a):
    if a != a:
        return a + a
    if not (-_INTEGRAL < a < _INTEGRAL) or a == 0.0:
        return a
    return _copysign(float(_trunc(a)), a)

def _fnearest(a):
    if a != a:
        return a + a
    if not (-_INTEGRAL < a < _INTEGRAL) or a == 0.0:
        return a
    return _copysign(float(round(a)), a)  # round() on a float is ties-to-even

def _fcopysign(a, b):
    return _copysign(a, b)

def _feq(a, b):
    return 1 if a == b else 0

def _fne(a, b):
    return 1 if a != b else 0

def _flt(a, b):
    return 1 if a < b else 0

def _fgt(a, b):
    return 1 if a > b else 0

def _fle(a, b):
    return 1 if a <= b else 0

def _fge(a, b):
    return 1 if a >= b else 0


# ---------------------------------------------------------------------------------------------------
# f32

def f32_eq(a, b):
    return 1 if a == b else 0

def f32_ne(a, b):
    return 1 if a != b else 0

def f32_lt(a, b):
    return 1 if a < b else 0

def f32_gt(a, b):
    return 1 if a > b else 0

def f32_le(a, b):
    return 1 if a <= b else 0

def f32_ge(a, b):
    return 1 if a >= b else 0

def f32_abs(a):
    return abs(a)

def f32_neg(a):
    return -a

f32_ceil = _fceil
f32_floor = _ffloor
f32_trunc = _ftrunc
f32_nearest = _fnearest
f32_copysign = _fcopysign
f32_min = _fmin
f32_max = _fmax

def f32_sqrt(a):
    if a < 0.0:
        return _NAN
    if a != a:
        return a + a
    return _unpack_f(_pack_f(_sqrt(a)))[0]

def f32_add(a, b):
    try:
        return _unpack_f(_pack_f(a + b))[0]
    except OverflowError:
        return _copysign(_INF, a + b)

def f32_sub(a, b):
    try:
        return _unpack_f(_pack_f(a - b))[0]
    except OverflowError:
        return _copysign(_INF, a - b)

def f32_mul(a, b):
    try:
        return _unpack_f(_pack_f(a * b))[0]
    except OverflowError:
        return _copysign(_INF, a * b)

def f32_div(a, b):
    r = _fdiv(a, b)
    try:
        return _unpack_f(_pack_f(r))[0]
    except OverflowError:
        return _copysign(_INF, r)


# ---------------------------------------------------------------------------------------------------
# f64

f64_eq = f32_eq
f64_ne = f32_ne
f64_lt = f32_lt
f64_gt = f32_gt
f64_le = f32_le
f64_ge = f32_ge
f64_ceil = _fceil
f64_floor = _ffloor
f64_trunc = _ftrunc
f64_nearest = _fnearest
f64_copysign = _fcopysign
f64_min = _fmin
f64_max = _fmax
f64_sqrt = _fsqrt
f64_div = _fdiv

def f64_abs(a):
    return abs(a)

def f64_neg(a):
    return -a

def f64_add(a, b):
    return a + b

def f64_sub(a, b):
    return a - b

def f64_mul(a, b):
    return a * b


# ---------------------------------------------------------------------------------------------------
# Conversions

def _trunc_checked(a, lo, hi, mask):
    # lo/hi: the smallest and largest integer the result type holds; trunc(a) must lie in [lo, hi]
    if a != a:
        _trap("invalid conversion to integer")
    if _isinf(a):
        _trap("integer overflow")
    t = _trunc(a)
    if t < lo or t > hi:
        _trap("integer overflow")
    return t & mask

def i32_trunc_f32_s(a):
    return _trunc_checked(a, -0x80000000, 0x7FFFFFFF, _M32)

def i32_trunc_f32_u(a):
    return _trunc_checked(a, 0, _M32, _M32)

i32_trunc_f64_s = i32_trunc_f32_s
i32_trunc_f64_u = i32_trunc_f32_u

def i64_trunc_f32_s(a):
    return _trunc_checked(a, -0x8000000000000000, 0x7FFFFFFFFFFFFFFF, _M64)

def i64_trunc_f32_u(a):
    return _trunc_checked(a, 0, _M64, _M64)

i64_trunc_f64_s = i64_trunc_f32_s
i64_trunc_f64_u = i64_trunc_f32_u

def _trunc_sat(a, lo, hi, mask):
    if a != a:
        return 0
    if a <= lo:
        return lo & mask
    if a >= hi:
        return hi & mask
    return _trunc(a) & mask

def i32_trunc_sat_f32_s(a):
    return _trunc_sat(a, -0x80000000, 0x7FFFFFFF, _M32)

def i32_trunc_sat_f32_u(a):
    return _trunc_sat(a, 0, _M32, _M32)

i32_trunc_sat_f64_s = i32_trunc_sat_f32_s
i32_trunc_sat_f64_u = i32_trunc_sat_f32_u

def i64_trunc_sat_f32_s(a):
    return _trunc_sat(a, -0x8000000000000000, 0x7FFFFFFFFFFFFFFF, _M64)

def i64_trunc_sat_f32_u(a):
    return _trunc_sat(a, 0, _M64, _M64)

i64_trunc_sat_f64_s = i64_trunc_sat_f32_s
i64_trunc_sat_f64_u = i64_trunc_sat_f32_u

def _int_to_f32(v):
    # Correctly rounded int -> binary32. Going through a plain double could round twice, so
    # beyond 53 bits first cut to 53 bits rounding to odd (sticky bit), then round once to 24 bits.
    n = -v if v < 0 else v
    shift = n.bit_length() - 53
    if shift > 0:
        m = n >> shift
        if n & ((1 << shift) - 1):
            m |= 1
        x = math.ldexp(float(m), shift)
    else:
        x = float(n)
    return _unpack_f(_pack_f(-x if v < 0 else x))[0]

def f32_convert_i32_s(a):
    return _unpack_f(_pack_f(float(a - 0x100000000 if a & _S32 else a)))[0]

def f32_convert_i32_u(a):
    return _unpack_f(_pack_f(float(a)))[0]

def f32_convert_i64_s(a):
    return _int_to_f32(a - 0x10000000000000000 if a & _S64 else a)

def f32_convert_i64_u(a):
    return _int_to_f32(a)

def f64_convert_i32_s(a):
    return float(a - 0x100000000 if a & _S32 else a)

def f64_convert_i32_u(a):
    return float(a)

def f64_convert_i64_s(a):
    return float(a - 0x10000000000000000 if a & _S64 else a)  # int -> float is correctly rounded

def f64_convert_i64_u(a):
    return float(a)

def f32_demote_f64(a):
    if a != a:
        return _unpack_f(_pack_f(a + a))[0]  # quiet, keep the top 23 payload bits
    try:
        return _unpack_f(_pack_f(a))[0]
    except OverflowError:
        return _copysign(_INF, a)

def f64_promote_f32(a):
    return a + a if a != a else a

def i32_reinterpret_f32(a):
    return f32_to_bits(a)

def i64_reinterpret_f64(a):
    return _unpack_Q(_pack_d(a))[0]

def f32_reinterpret_i32(a):
    return f32_from_bits(a)

def f64_reinterpret_i64(a):
    return _unpack_d(_pack_Q(a))[0]


# ---------------------------------------------------------------------------------------------------
# Text-format name -> (function, arity)

_NAMES = """
i32.eqz 1  i32.eq 2  i32.ne 2  i32.lt_s 2  i32.lt_u 2  i32.gt_s 2  i32.gt_u 2  i32.le_s 2  i32.le_u 2
i32.ge_s 2  i32.ge_u 2
i64.eqz 1  i64.eq 2  i64.ne 2  i64.lt_s 2  i64.lt_u 2  i64.gt_s 2  i64.gt_u 2  i64.le_s 2  i64.le_u 2
i64.ge_s 2  i64.ge_u 2
f32.eq 2  f32.ne 2  f32.lt 2  f32.gt 2  f32.le 2  f32.ge 2
f64.eq 2  f64.ne 2  f64.lt 2  f64.gt 2  f64.le 2  f64.ge 2
i32.clz 1  i32.ctz 1  i32.popcnt 1  i32.add 2  i32.sub 2  i32.mul 2  i32.div_s 2  i32.div_u 2
i32.rem_s 2  i32.rem_u 2  i32.and 2  i32.or 2  i32.xor 2  i32.shl 2  i32.shr_s 2  i32.shr_u 2
i32.rotl 2  i32.rotr 2
i64.clz 1  i64.ctz 1  i64.popcnt 1  i64.add 2  i64.sub 2  i64.mul 2  i64.div_s 2  i64.div_u 2
i64.rem_s 2  i64.rem_u 2  i64.and 2  i64.or 2  i64.xor 2  i64.shl 2  i64.shr_s 2  i64.shr_u 2
i64.rotl 2  i64.rotr 2
f32.abs 1  f32.neg 1  f32.ceil 1  f32.floor 1  f32.trunc 1  f32.nearest 1  f32.sqrt 1  f32.add 2
f32.sub 2  f32.mul 2  f32.div 2  f32.min 2  f32.max 2  f32.copysign 2
f64.abs 1  f64.neg 1  f64.ceil 1  f64.floor 1  f64.trunc 1  f64.nearest 1  f64.sqrt 1  f64.add 2
f64.sub 2  f64.mul 2  f64.div 2  f64.min 2  f64.max 2  f64.copysign 2
i32.wrap_i64 1  i32.trunc_f32_s 1  i32.trunc_f32_u 1  i32.trunc_f64_s 1  i32.trunc_f64_u 1
i64.extend_i32_s 1  i64.extend_i32_u 1  i64.trunc_f32_s 1  i64.trunc_f32_u 1  i64.trunc_f64_s 1
i64.trunc_f64_u 1  f32.convert_i32_s 1  f32.convert_i32_u 1  f32.convert_i64_s 1  f32.convert_i64_u 1
f32.demote_f64 1  f64.convert_i32_s 1  f64.convert_i32_u 1  f64.convert_i64_s 1  f64.convert_i64_u 1
f64.promote_f32 1  i32.reinterpret_f32 1  i64.reinterpret_f64 1  f32.reinterpret_i32 1
f64.reinterpret_i64 1
i32.extend8_s 1  i32.extend16_s 1  i64.extend8_s 1  i64.extend16_s 1  i64.extend32_s 1
i32.trunc_sat_f32_s 1  i32.trunc_sat_f32_u 1  i32.trunc_sat_f64_s 1  i32.trunc_sat_f64_u 1
i64.trunc_sat_f32_s 1  i64.trunc_sat_f32_u 1  i64.trunc_sat_f64_s 1  i64.trunc_sat_f64_u 1
""".split()

OPS = {name: (globals()[name.replace(".", "_")], int(arity))
       for name, arity in zip(_NAMES[::2], _NAMES[1::2])}
