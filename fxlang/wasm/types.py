"""Wasm types as plain data (value, reference, composite, sub and rec-group types, limits, table and global
types) and the type section builder, which interns single types by structure.

Value types are the strings 'i32' 'i64' 'f32' 'f64' 'v128' or a RefType; `valtype()` normalises the
text-format shorthands ('funcref', 'anyref', ...) to RefType so equal types compare (and hash) equal.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, Iterable

from .names import Names


class WasmBuildError(Exception):
    """A misuse of the builder API (a compiler bug, not a user error)."""


NUM_TYPES = ('i32', 'i64', 'f32', 'f64', 'v128')
ABSTRACT_HEAPS = ('func', 'extern', 'any', 'eq', 'i31', 'struct', 'array', 'exn', 'cont',
                  'none', 'nofunc', 'noextern', 'noexn', 'nocont')
_SHORTHANDS = {
    'funcref': 'func', 'externref': 'extern', 'anyref': 'any', 'eqref': 'eq', 'i31ref': 'i31',
    'structref': 'struct', 'arrayref': 'array', 'exnref': 'exn', 'contref': 'cont', 'nullref': 'none',
    'nullfuncref': 'nofunc', 'nullexternref': 'noextern', 'nullexnref': 'noexn', 'nullcontref': 'nocont',
}


@dataclass(frozen=True)
class RefType:
    heap: str | int          # abstract heap type name or type index
    nullable: bool = True

    def __post_init__(self):
        if isinstance(self.heap, str):
            if self.heap not in ABSTRACT_HEAPS:
                raise WasmBuildError(f'unknown heap type {self.heap!r}')
        else:
            object.__setattr__(self, 'heap', operator.index(self.heap))


def ref(heap: str | int) -> RefType:
    return RefType(heap, False)


def ref_null(heap: str | int) -> RefType:
    return RefType(heap, True)


def valtype(t: Any) -> str | RefType:
    """Normalise a value type: shorthand names become RefType; anything unknown raises WasmBuildError."""
    if isinstance(t, RefType):
        return t
    if t in NUM_TYPES:
        return t
    if t in _SHORTHANDS:
        return RefType(_SHORTHANDS[t], True)
    raise WasmBuildError(f'unknown value type {t!r}')


def _storage(t: Any) -> str | RefType:
    return t if t in ('i8', 'i16') else valtype(t)


@dataclass(frozen=True)
class Field:
    storage: str | RefType      # a value type or the packed types 'i8' / 'i16'
    mutable: bool = False

    def __post_init__(self):
        object.__setattr__(self, 'storage', _storage(self.storage))


@dataclass(frozen=True)
class FuncType:
    params: tuple = ()
    results: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, 'params', tuple(valtype(t) for t in self.params))
        object.__setattr__(self, 'results', tuple(valtype(t) for t in self.results))


@dataclass(frozen=True)
class StructType:
    fields: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, 'fields', tuple(_field(f) for f in self.fields))


@dataclass(frozen=True)
class ArrayType:
    field: Field

    def __post_init__(self):
        object.__setattr__(self, 'field', _field(self.field))


@dataclass(frozen=True)
class ContType:
    func_type: int


def _field(f: Any) -> Field:
    return f if isinstance(f, Field) else Field(f)


@dataclass(frozen=True)
class SubType:
    comp: FuncType | StructType | ArrayType | ContType
    supers: tuple = ()
    final: bool = True

    def __post_init__(self):
        object.__setattr__(self, 'supers', tuple(operator.index(s) for s in self.supers))


@dataclass(frozen=True)
class RecGroup:
    types: tuple                # of SubType
    explicit: bool = False      # encoded with the 0x4e rec prefix even when it holds a single type


class TypeSection:
    """Types, in rec groups.  `func/struct/array/cont/add` append a single-type group (deduplicated);
    `with types.rec() as g:` builds an explicit recursive group whose members may refer to each other."""

    def __init__(self, names: Names | None = None):
        self.names = names if names is not None else Names()
        self.groups: list[RecGroup] = []
        self.defs: list[SubType | None] = []     # flat, by type index
        self._interned: dict[SubType, int] = {}
        self._open: RecBuilder | None = None

    def __len__(self):
        return len(self.defs)

    def __getitem__(self, idx) -> SubType:
        return self.defs[operator.index(idx)]

    def add(self, comp, supers=(), final=True, *, name=None, field_names=None) -> int:
        """A single type (deduplicated by structure); `name` / `field_names` ({index: name}) go to the
        name section unless the type was already named."""
        sub = SubType(comp, tuple(supers), final)
        if self._open is not None:
            raise WasmBuildError('cannot add a type outside the open rec group')
        idx = self._interned.get(sub)
        if idx is None:
            idx = len(self.defs)
            self.groups.append(RecGroup((sub,)))
            self.defs.append(sub)
            self._interned[sub] = idx
        self._name(idx, name, field_names)
        return idx

    def _name(self, idx, name, field_names):
        if name is not None:
            self.names.types.setdefault(idx, name)
        if field_names:
            self.names.fields.setdefault(idx, dict(field_names))

    def func(self, params: Iterable = (), results: Iterable = (), **kw) -> int:
        return self.add(FuncType(tuple(params), tuple(results)), **kw)

    def struct(self, fields: Iterable = (), **kw) -> int:
        return self.add(StructType(tuple(fields)), **kw)

    def array(self, elem, mutable: bool = False, **kw) -> int:
        f = elem if isinstance(elem, Field) else Field(elem, mutable)
        return self.add(ArrayType(f), **kw)

    def cont(self, func_type: int, **kw) -> int:
        return self.add(ContType(operator.index(func_type)), **kw)

    def rec(self) -> RecBuilder:
        if self._open is not None:
            raise WasmBuildError('rec groups do not nest')
        self._open = RecBuilder(self)
        return self._open

    def add_group(self, group: RecGroup) -> list[int]:
        """Append a whole group as is (used by the reader); returns the indices of its types."""
        first = len(self.defs)
        self.groups.append(group)
        self.defs.extend(group.types)
        if len(group.types) == 1 and not group.explicit:
            self._interned.setdefault(group.types[0], first)
        return list(range(first, len(self.defs)))

    def map_defs(self, fn) -> None:
        """Redefine every type in place as `fn(index, SubType) -> SubType` (indices and rec groups stay): for
        passes that change what types are without renumbering them (fxlang.asyncify turns cont types into
        structs)."""
        idx = 0
        groups = []
        for g in self.groups:
            new = []
            for s in g.types:
                new.append(fn(idx, s))
                idx += 1
            groups.append(RecGroup(tuple(new), g.explicit))
        self.groups = groups
        self.defs = [s for g in groups for s in g.types]
        self._interned = {}
        first = 0
        for g in groups:
            if len(g.types) == 1 and not g.explicit:
                self._interned.setdefault(g.types[0], first)
            first += len(g.types)

    def func_type(self, idx) -> FuncType:
        comp = self[idx].comp
        if not isinstance(comp, FuncType):
            raise WasmBuildError(f'type {operator.index(idx)} is not a function type')
        return comp


class RecBuilder:
    """An explicit rec group under construction.  `reserve()` hands out an index to define later (for
    forward references); `func/struct/array/cont/add` define a type at once; `define(idx, ...)` fills a
    reserved one.  Leaving the `with` block (or `end()`) closes the group."""

    def __init__(self, section: TypeSection):
        self.section = section
        self.first = len(section.defs)
        self.types: list[SubType | None] = []

    def reserve(self) -> int:
        self.types.append(None)
        self.section.defs.append(None)
        return self.first + len(self.types) - 1

    def define(self, idx: int, comp, supers=(), final=True, *, name=None, field_names=None) -> int:
        sub = SubType(comp, tuple(supers), final)
        self.section._name(idx, name, field_names)
        pos = idx - self.first
        if not 0 <= pos < len(self.types) or self.types[pos] is not None:
            raise WasmBuildError(f'type {idx} is not a reserved, undefined member of this rec group')
        self.types[pos] = sub
        self.section.defs[idx] = sub
        return idx

    def add(self, comp, supers=(), final=True, **kw) -> int:
        return self.define(self.reserve(), comp, supers, final, **kw)

    def func(self, params=(), results=(), **kw) -> int:
        return self.add(FuncType(tuple(params), tuple(results)), **kw)

    def struct(self, fields=(), **kw) -> int:
        return self.add(StructType(tuple(fields)), **kw)

    def array(self, elem, mutable=False, **kw) -> int:
        return self.add(ArrayType(elem if isinstance(elem, Field) else Field(elem, mutable)), **kw)

    def cont(self, func_type, **kw) -> int:
        return self.add(ContType(operator.index(func_type)), **kw)

    def end(self) -> list[int]:
        if any(t is None for t in self.types):
            raise WasmBuildError('rec group closed with reserved but undefined types')
        self.section.groups.append(RecGroup(tuple(self.types), explicit=True))
        self.section._open = None
        return list(range(self.first, self.first + len(self.types)))

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *_):
        if exc_type is None:
            self.end()
        else:
            self.section._open = None


@dataclass(frozen=True)
class Limits:
    min: int
    max: int | None = None
    shared: bool = False
    is64: bool = False
    page_size_log2: int | None = None    # custom-page-sizes proposal


@dataclass(frozen=True)
class TableType:
    elem: RefType
    limits: Limits

    def __post_init__(self):
        object.__setattr__(self, 'elem', valtype(self.elem))


@dataclass(frozen=True)
class GlobalType:
    type: str | RefType
    mutable: bool = False

    def __post_init__(self):
        object.__setattr__(self, 'type', valtype(self.type))
