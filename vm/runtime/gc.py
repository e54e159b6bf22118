"""GC heap objects: structs, arrays, i31 references and the extern/any conversions."""

from __future__ import annotations

from .budget import BUDGET, STRUCT_BYTES


class Struct:
    __slots__ = ('dtype', 'fields', '__weakref__')

    def __init__(self, dtype, fields):
        self.dtype = dtype
        self.fields = fields
        b = BUDGET                                   # (budget.charge, inlined)
        b.heap += STRUCT_BYTES + 16 * len(fields)     # (8 more a field for boxed values)
        if b.heap > b.check_at:
            b.over()

    def __repr__(self) -> str:
        return f'<struct {self.fields!r}>'


class Array:
    __slots__ = ('dtype', 'elems', '__weakref__')

    def __init__(self, dtype, elems):
        self.dtype = dtype
        self.elems = elems
        b = BUDGET
        b.heap += STRUCT_BYTES + 8 * len(elems)
        if b.heap > b.check_at:
            b.over()

    def __repr__(self) -> str:
        return f'<array len={len(self.elems)}>'


class I31:
    """An i31 reference; `value` is the unsigned 31-bit payload. Compared by value in ref.eq."""

    __slots__ = ('value',)

    def __init__(self, value: int):
        self.value = value & 0x7FFFFFFF

    def __eq__(self, other):
        return isinstance(other, I31) and other.value == self.value

    def __hash__(self):
        return hash(('i31', self.value))

    def __repr__(self) -> str:
        return f'<i31 {self.value}>'


class HostAny:
    """An external (host) reference internalised by any.convert_extern."""

    __slots__ = ('value',)

    def __init__(self, value):
        self.value = value

    def __eq__(self, other):
        return isinstance(other, HostAny) and other.value is self.value

    def __hash__(self):
        return id(self.value)


class ExternAny:
    """An internal (any) reference externalised by extern.convert_any."""

    __slots__ = ('value',)

    def __init__(self, value):
        self.value = value

    def __eq__(self, other):
        return isinstance(other, ExternAny) and ref_eq(other.value, self.value)

    def __hash__(self):
        return id(self.value)

    def __repr__(self) -> str:
        return f'<extern {self.value!r}>'


def any_convert_extern(v):
    if v is None:
        return None
    if isinstance(v, ExternAny):
        return v.value
    return HostAny(v)


def extern_convert_any(v):
    if v is None:
        return None
    if isinstance(v, HostAny):
        return v.value
    return ExternAny(v)


def ref_eq(a, b) -> int:
    if a is b:
        return 1
    if isinstance(a, I31) and isinstance(b, I31):
        return 1 if a.value == b.value else 0
    return 0


# --- instruction helpers (bound into the namespace of translated code) ---------------------------

import struct as _struct

from ..errors import Trap
from .types import DefType
from .entities import Func, WasmExn

_MAX_ELEMS = 50_000_000


def _null_struct():
    return Trap('null structure reference')


def _null_array():
    return Trap('null array reference')


def _oob_array():
    return Trap('out of bounds array access')


def struct_fields(v):
    if v is None:
        raise _null_struct()
    return v.fields


def array_elems(v):
    if v is None:
        raise _null_array()
    return v.elems


def array_get(v, i):
    if v is None:
        raise _null_array()
    e = v.elems
    if i >= len(e):
        raise _oob_array()
    return e[i]


def array_set(v, i, x):
    if v is None:
        raise _null_array()
    e = v.elems
    if i >= len(e):
        raise _oob_array()
    e[i] = x


def array_len(v):
    if v is None:
        raise _null_array()
    return len(v.elems)


def array_new(dt, v, n):
    if n > _MAX_ELEMS:
        raise Trap('out of memory')
    BUDGET.ensure(8 * n)
    return Array(dt, [v] * n)


def array_fill(a, d, v, n):
    if a is None:
        raise _null_array()
    e = a.elems
    if d + n > len(e):
        raise _oob_array()
    e[d:d + n] = [v] * n


def array_copy(a, d, b, s, n):
    if a is None or b is None:
        raise _null_array()
    if d + n > len(a.elems) or s + n > len(b.elems):
        raise _oob_array()
    if n:
        a.elems[d:d + n] = b.elems[s:s + n]


_SIZES = {'i8': 1, 'i16': 2, 'i32': 4, 'i64': 8, 'f32': 4, 'f64': 8}
_FORMATS = {'i8': 'B', 'i16': 'H', 'i32': 'I', 'i64': 'Q', 'f32': 'I', 'f64': 'd'}


def _decode(seg, s, n, storage):
    from ..exec.numeric import f32_from_bits
    size = _SIZES[storage]
    if s + n * size > len(seg):
        raise Trap('out of bounds memory access')
    vals = list(_struct.unpack_from(f'<{n}{_FORMATS[storage]}', seg, s)) if n else []
    if storage == 'f32':
        vals = [f32_from_bits(x) for x in vals]
    return vals


def array_new_data(dt, seg, s, n):
    return Array(dt, _decode(seg, s, n, dt.composite.field.storage))


def array_new_elem(dt, seg, s, n):
    if s + n > len(seg):
        raise Trap('out of bounds table access')
    return Array(dt, list(seg[s:s + n]))


def array_init_data(a, seg, d, s, n):
    if a is None:
        raise _null_array()
    if d + n > len(a.elems):
        raise _oob_array()
    vals = _decode(seg, s, n, a.dtype.composite.field.storage)
    a.elems[d:d + n] = vals


def array_init_elem(a, seg, d, s, n):
    if a is None:
        raise _null_array()
    if d + n > len(a.elems):
        raise _oob_array()
    if s + n > len(seg):
        raise Trap('out of bounds table access')
    a.elems[d:d + n] = seg[s:s + n]


def i31_get(v):
    if v is None:
        raise Trap('null i31 reference')
    return v.value


def _is_cont(v) -> bool:
    return isinstance(v, list)      # [obj] (vm/runtime/cont.py), a list subclass while observing


def heap_match(v, ht) -> bool:
    """Does the non-null reference v belong to heap type ht (run-time form)?"""
    if isinstance(ht, DefType):
        if ht.kind == 'cont':
            # unreachable from valid code: continuation types cannot be cast (validation error, as in
            # wasmtime and wasm-tools); continuation references carry no run-time type
            return _is_cont(v)
        dt = getattr(v, 'dtype', None)
        if not isinstance(dt, DefType) or isinstance(v, (HostAny,)):
            return False
        return dt is ht or ht in dt.ancestors
    if ht == 'any':
        return isinstance(v, (Struct, Array, I31, HostAny))
    if ht == 'eq':
        return isinstance(v, (Struct, Array, I31))
    if ht == 'i31':
        return isinstance(v, I31)
    if ht == 'struct':
        return isinstance(v, Struct)
    if ht == 'array':
        return isinstance(v, Array)
    if ht == 'func':
        return isinstance(v, Func)
    if ht == 'exn':
        return isinstance(v, WasmExn)
    if ht == 'cont':
        return _is_cont(v)
    if ht == 'extern':
        return True
    return False


def ref_test(v, nullable, ht) -> bool:
    if v is None:
        return nullable
    return heap_match(v, ht)


def ref_cast(v, nullable, ht):
    if v is None:
        if nullable:
            return None
        raise Trap('cast failure')
    if heap_match(v, ht):
        return v
    raise Trap('cast failure')
