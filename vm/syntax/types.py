"""Types of the WasmFX data model (Wasm 3.0 + GC + exceptions + stack switching).

This docstring is the contract shared by the decoder (vm/binary), the validator (vm/valid) and the
executor (vm/exec, vm/runtime). It only grows: nothing here is renamed or removed.

Variable names follow the reference interpreter: t value type, rt reference type, ht heap type,
x/y indices, st sub type, ct composite type.

Value types (`ValType`)
    Number and vector types are plain strings: 'i32' 'i64' 'f32' 'f64' 'v128'  (constants I32 ... V128).
    Reference types are `RefType(nullable: bool, heap: HeapType)`.
    A `HeapType` is either an abstract heap type name (str) from ABSTRACT_HEAP_TYPES
        'func' 'extern' 'any' 'eq' 'i31' 'struct' 'array' 'exn' 'cont'
        'none' 'nofunc' 'noextern' 'noexn' 'nocont'
    or a type index (int) into Module.types (the flattened list of all defined types).
    Abbreviations are constants: FUNCREF = RefType(True, 'func'), EXTERNREF, ANYREF, EQREF, I31REF,
    STRUCTREF, ARRAYREF, EXNREF, CONTREF, NULLREF, NULLFUNCREF, NULLEXTERNREF, NULLEXNREF, NULLCONTREF.
    `is_num(t)`, `is_vec(t)`, `is_ref(t)` classify a value type; `type_name(t)` renders any value
    or storage type in text-format syntax ('i32', 'funcref', '(ref null 3)', '(ref func)').

Storage types
    A storage type is a value type or a packed type string 'i8' / 'i16'.
    `FieldType(storage, mutable: bool)` is a struct field or an array element.

Composite types
    FuncType(params: tuple[ValType, ...], results: tuple[ValType, ...])
    StructType(fields: tuple[FieldType, ...])
    ArrayType(field: FieldType)
    ContType(type_index: int)           -- `cont $ft`, $ft an index of a function type
Sub types and recursion groups
    SubType(final: bool, supertypes: tuple[int, ...], composite)
        A type written without `sub` in the binary (a bare composite type) is SubType(True, (), ct).
    RecGroup(start: int, size: int)    -- types[start:start+size] form one `rec` group; a bare
        type outside `rec` is a group of size 1.  Module.rec_groups lists every group in order.

Limits and entity types
    Limits(min: int, max: int | None, shared: bool = False, index: str = 'i32')
        index is 'i64' for memory64/table64 limits (flag bit 0x04). min/max are decoded as u64
        for both index types (the validator checks the range). The decoder rejects the threads
        proposal's shared flag (0x02) as "malformed limits flags", so shared is always False.
    TableType(elem: RefType, limits: Limits)
    MemoryType(limits: Limits)          -- min/max in 64 KiB pages
    GlobalType(type: ValType, mutable: bool)
    TagType(type_index: int)            -- the attribute byte (always 0, "exception") is checked by
                                           the decoder and not kept
"""

from __future__ import annotations

from typing import NamedTuple, Union

I32 = 'i32'
I64 = 'i64'
F32 = 'f32'
F64 = 'f64'
V128 = 'v128'
I8 = 'i8'
I16 = 'i16'

NUM_TYPES = (I32, I64, F32, F64)
PACKED_TYPES = (I8, I16)

ABSTRACT_HEAP_TYPES = (
    'func', 'extern', 'any', 'eq', 'i31', 'struct', 'array', 'exn', 'cont',
    'none', 'nofunc', 'noextern', 'noexn', 'nocont',
)

HeapType = Union[str, int]


class RefType(NamedTuple):
    nullable: bool
    heap: HeapType

    def __str__(self) -> str:
        return type_name(self)


ValType = Union[str, RefType]

FUNCREF = RefType(True, 'func')
EXTERNREF = RefType(True, 'extern')
ANYREF = RefType(True, 'any')
EQREF = RefType(True, 'eq')
I31REF = RefType(True, 'i31')
STRUCTREF = RefType(True, 'struct')
ARRAYREF = RefType(True, 'array')
EXNREF = RefType(True, 'exn')
CONTREF = RefType(True, 'cont')
NULLREF = RefType(True, 'none')
NULLFUNCREF = RefType(True, 'nofunc')
NULLEXTERNREF = RefType(True, 'noextern')
NULLEXNREF = RefType(True, 'noexn')
NULLCONTREF = RefType(True, 'nocont')

# Text-format short names of nullable abstract reference types.
_SHORT_NAMES = {
    'func': 'funcref', 'extern': 'externref', 'any': 'anyref', 'eq': 'eqref', 'i31': 'i31ref',
    'struct': 'structref', 'array': 'arrayref', 'exn': 'exnref', 'cont': 'contref',
    'none': 'nullref', 'nofunc': 'nullfuncref', 'noextern': 'nullexternref',
    'noexn': 'nullexnref', 'nocont': 'nullcontref',
}


def is_num(t) -> bool:
    return t in NUM_TYPES


def is_vec(t) -> bool:
    return t == V128


def is_ref(t) -> bool:
    return isinstance(t, RefType)


def heap_name(ht: HeapType) -> str:
    return str(ht)


def type_name(t) -> str:
    """Text-format rendering of a value, storage or heap type (for error messages and traces)."""
    if isinstance(t, RefType):
        if t.nullable and isinstance(t.heap, str):
            return _SHORT_NAMES.get(t.heap, f'(ref null {t.heap})')
        return f'(ref null {t.heap})' if t.nullable else f'(ref {t.heap})'
    if isinstance(t, FieldType):
        s = type_name(t.storage)
        return f'(mut {s})' if t.mutable else s
    return str(t)


class FieldType(NamedTuple):
    storage: ValType            # a value type or 'i8' / 'i16'
    mutable: bool

    def __str__(self) -> str:
        return type_name(self)


class FuncType(NamedTuple):
    params: tuple
    results: tuple

    def __str__(self) -> str:
        ps = ' '.join(type_name(t) for t in self.params)
        rs = ' '.join(type_name(t) for t in self.results)
        return f'(func (param {ps}) (result {rs}))'


class StructType(NamedTuple):
    fields: tuple

    def __str__(self) -> str:
        return '(struct ' + ' '.join(f'(field {type_name(f)})' for f in self.fields) + ')'


class ArrayType(NamedTuple):
    field: FieldType

    def __str__(self) -> str:
        return f'(array {type_name(self.field)})'


class ContType(NamedTuple):
    type_index: int

    def __str__(self) -> str:
        return f'(cont {self.type_index})'


CompositeType = Union[FuncType, StructType, ArrayType, ContType]


class SubType(NamedTuple):
    final: bool
    supertypes: tuple
    composite: CompositeType

    def __str__(self) -> str:
        if self.final and not self.supertypes:
            return str(self.composite)
        fin = ' final' if self.final else ''
        sups = ''.join(f' {x}' for x in self.supertypes)
        return f'(sub{fin}{sups} {self.composite})'


class RecGroup(NamedTuple):
    start: int
    size: int


class Limits(NamedTuple):
    min: int
    max: int | None
    shared: bool = False
    index: str = I32


class TableType(NamedTuple):
    elem: RefType
    limits: Limits


class MemoryType(NamedTuple):
    limits: Limits


class GlobalType(NamedTuple):
    type: ValType
    mutable: bool


class TagType(NamedTuple):
    type_index: int


__all__ = [
    'I32', 'I64', 'F32', 'F64', 'V128', 'I8', 'I16', 'NUM_TYPES', 'PACKED_TYPES', 'ABSTRACT_HEAP_TYPES',
    'HeapType', 'ValType', 'RefType', 'FieldType', 'FuncType', 'StructType', 'ArrayType', 'ContType',
    'CompositeType', 'SubType', 'RecGroup', 'Limits', 'TableType', 'MemoryType', 'GlobalType', 'TagType',
    'FUNCREF', 'EXTERNREF', 'ANYREF', 'EQREF', 'I31REF', 'STRUCTREF', 'ARRAYREF', 'EXNREF', 'CONTREF',
    'NULLREF', 'NULLFUNCREF', 'NULLEXTERNREF', 'NULLEXNREF', 'NULLCONTREF',
    'is_num', 'is_vec', 'is_ref', 'heap_name', 'type_name',
]
