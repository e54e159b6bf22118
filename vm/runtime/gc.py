"""GC heap objects: structs, arrays, i31 references and the extern/any conversions."""

from __future__ import annotations


class Struct:
    __slots__ = ('dtype', 'fields', '__weakref__')

    def __init__(self, dtype, fields):
        self.dtype = dtype
        self.fields = fields

    def __repr__(self) -> str:
        return f'<struct {self.fields!r}>'


class Array:
    __slots__ = ('dtype', 'elems', '__weakref__')

    def __init__(self, dtype, elems):
        self.dtype = dtype
        self.elems = elems

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
