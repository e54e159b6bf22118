"""A Wasm module as plain data, with one small builder per section and a function-body builder.

Split by concern: types.py (types, the type section), body.py (instructions, the function-body builder),
names.py (the name section), this file (index spaces, the other sections, Module).  Everything is
re-exported here and from `fxlang.wasm`.

Contract (used by fxlang.codegen, filled in by fxlang.wasm.read, consumed by encode.py and wat.py):

* `Module()` has one attribute per section, in binary order: `types`, `imports`, `funcs`, `tables`, `memories`,
  `tags`, `globals`, `exports`, `start`, `elements`, `data_count`, `datas`, plus `names` (the name section)
  and `customs` (other custom sections, as `Custom(name, data, after)`).
* Index management: **types** get plain int indices, handed out at once (`m.types.func(...)` -> int) and
  deduplicated: asking twice for the same single (non-rec) type gives the same index.  Everything else that
  lives in an index space shared with imports (functions, tables, memories, globals, tags) gets a *handle*
  that resolves to its index lazily (`operator.index(h)`, `int(h)`), so imports may be added at any time,
  even after functions are defined: imported entities always come first in their index space and the
  handles of defined ones shift accordingly.  Handles are accepted wherever an index is: `emit()`
  immediates, exports, element segments, `start`, name maps.  Locals are plain ints (params first).
  Labels are relative depths (ints) or `Label` objects returned by the block helpers, resolved when emitted.
* Value types: 'i32' 'i64' 'f32' 'f64' 'v128', or `RefType(heap, nullable)` where heap is an abstract heap
  type name ('func' 'extern' 'any' 'eq' 'i31' 'struct' 'array' 'exn' 'cont' 'none' 'nofunc' 'noextern'
  'noexn' 'nocont') or a type index.  The shorthands 'funcref', 'externref', 'anyref', 'eqref', 'i31ref',
  'structref', 'arrayref', 'exnref', 'contref', 'nullref', 'nullfuncref', 'nullexternref', 'nullexnref',
  'nullcontref' are accepted everywhere and normalised to RefType.  `ref(h)` / `ref_null(h)` build them.
* Instruction immediates are given in binary order; fxlang/wasm/opcodes.py lists each opcode's kinds.
  Conveniences: a load/store's memarg may be omitted (natural alignment, offset 0) or an int offset;
  `emit('ref.test'|'ref.cast', RefType(...))` picks the nullable opcode; `emit('select', [types])` is the
  typed select.  Every `emit` is checked against the opcode table (unknown opcode or wrong immediate count
  raises `WasmBuildError`).
* `ref.func` targets not declared anywhere else are put in a declarative element segment by the encoder
  (and shown by the printer): `Module.elements_with_declarations()`.
* A few fields exist only so that read -> encode reproduces odd binaries byte for byte; builders leave
  them alone: `Module.keep_empty` (sections present but empty), `Module.data_count` (set by the reader),
  `Function.local_runs` (non-canonical grouping of local declarations), `Names.unknown` (unknown name
  subsections), `Custom.after` (placement of custom sections).

Example:

    from fxlang.wasm import Module, encode, ref
    m = Module()
    write = m.imports.func('fx', 'write', m.types.func(['i32', 'i32'], []), name='fx.write')
    m.memories.add(1, name='memory')
    m.exports.memory('memory', 0)
    fact = m.funcs.add(m.types.func(['i64'], ['i64']), name='fact')
    n = 0                                  # param 0
    acc = fact.local('i64', 'acc')
    fact.emit('i64.const', 1); fact.emit('local.set', acc)
    with fact.block(None) as done:
        with fact.loop(None) as again:
            fact.emit('local.get', n); fact.emit('i64.eqz'); fact.emit('br_if', done)
            fact.emit('local.get', acc); fact.emit('local.get', n); fact.emit('i64.mul')
            fact.emit('local.set', acc)
            fact.emit('local.get', n); fact.emit('i64.const', 1); fact.emit('i64.sub')
            fact.emit('local.set', n); fact.emit('br', again)
    fact.emit('local.get', acc)
    m.exports.func('fact', fact)
    data = encode(m)                       # bytes; `wasm-tools validate` accepts them
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

from .body import FloatBits, Function, Instr, Label, MemArg, to_expr
from .names import Names
from .types import (ABSTRACT_HEAPS, NUM_TYPES, ArrayType, ContType, Field, FuncType, GlobalType, Limits, RecGroup,
                    RefType, StructType, SubType, TableType, TypeSection, WasmBuildError, ref, ref_null, valtype)

__all__ = [
    'Module', 'WasmBuildError', 'RefType', 'ref', 'ref_null', 'valtype', 'Field', 'FuncType', 'StructType',
    'ArrayType', 'ContType', 'SubType', 'RecGroup', 'Limits', 'TableType', 'GlobalType', 'MemArg', 'FloatBits',
    'Instr', 'Label', 'Import', 'Function', 'Table', 'Global', 'Export', 'Element', 'Data', 'Tag', 'Names',
    'Custom', 'Handle', 'ABSTRACT_HEAPS', 'NUM_TYPES', 'to_expr',
]


# ---- index spaces and imports -------------------------------------------------------------------

class Handle:
    """An entry of a function/table/memory/global/tag index space; resolves to its index when used."""
    __slots__ = ('module', 'kind', 'pos', 'imported')

    def __init__(self, module: Module, kind: str, pos: int, imported: bool):
        self.module, self.kind, self.pos, self.imported = module, kind, pos, imported

    def __index__(self) -> int:
        if self.imported:
            return self.pos
        return self.module.imports.count(self.kind) + self.pos

    __int__ = __index__

    def __repr__(self):
        return f'<{self.kind} {self.__index__()}>'


@dataclass
class Import:
    module: str
    field: str
    kind: str                  # 'func' | 'table' | 'memory' | 'global' | 'tag'
    desc: Any                  # type index | TableType | Limits | GlobalType | type index


class ImportSection:
    def __init__(self, module: Module):
        self.module = module
        self.entries: list[Import] = []
        self._counts = {'func': 0, 'table': 0, 'memory': 0, 'global': 0, 'tag': 0}

    def __iter__(self):
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)

    def count(self, kind: str) -> int:
        return self._counts[kind]

    def add(self, imp: Import, name: str | None = None) -> Handle:
        h = Handle(self.module, imp.kind, self._counts[imp.kind], True)
        self._counts[imp.kind] += 1
        self.entries.append(imp)
        if name is not None:
            self.module.names.space(imp.kind)[h] = name
        return h

    def func(self, module: str, field: str, type: int, name: str | None = None) -> Handle:
        return self.add(Import(module, field, 'func', operator.index(type)), name)

    def table(self, module: str, field: str, type: TableType, name=None) -> Handle:
        return self.add(Import(module, field, 'table', type), name)

    def memory(self, module: str, field: str, limits: Limits, name=None) -> Handle:
        return self.add(Import(module, field, 'memory', limits), name)

    def global_(self, module: str, field: str, type: GlobalType, name=None) -> Handle:
        return self.add(Import(module, field, 'global', type), name)

    def tag(self, module: str, field: str, type: int, name=None) -> Handle:
        return self.add(Import(module, field, 'tag', operator.index(type)), name)

    def of_kind(self, kind: str) -> list[Import]:
        return [i for i in self.entries if i.kind == kind]


# ---- sections -----------------------------------------------------------------------------------

class FunctionSection:
    def __init__(self, module: Module):
        self.module = module
        self.entries: list[Function] = []

    def __iter__(self):
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)

    def add(self, type: int, name: str | None = None) -> Function:
        f = Function(self.module, len(self.entries), type)
        self.module.types.func_type(type)   # fail early on a non-function type
        self.entries.append(f)
        if name is not None:
            self.module.names.funcs[f] = name
        return f


@dataclass
class Table:
    type: TableType
    init: list | None = None     # constant expression, or None for the default (null)

    def __post_init__(self):
        self.init = to_expr(self.init)


@dataclass
class Global:
    type: GlobalType
    init: list                   # constant expression

    def __post_init__(self):
        self.init = to_expr(self.init)


@dataclass
class Export:
    name: str
    kind: str                    # 'func' | 'table' | 'memory' | 'global' | 'tag'
    index: Any


@dataclass
class Element:
    mode: str                    # 'active' | 'passive' | 'declarative'
    type: RefType
    funcs: list | None = None    # function indices (the compact form), or
    exprs: list | None = None    # constant expressions
    table: Any = None            # active only; None: table 0 in the form without a table index
    offset: list | None = None   # active only

    def __post_init__(self):
        self.type = valtype(self.type)
        if self.exprs is not None:
            self.exprs = [to_expr(x) for x in self.exprs]
        self.offset = to_expr(self.offset)


@dataclass
class Data:
    mode: str                    # 'active' | 'passive'
    data: bytes
    mem: Any = None              # active only; None: memory 0 in the form without a memory index
    offset: list | None = None

    def __post_init__(self):
        self.offset = to_expr(self.offset)


@dataclass
class Tag:
    type: int                    # a function type with no results


@dataclass
class Custom:
    name: str
    data: bytes
    after: int = 0               # id of the section it follows (0: before all; 'name' is always last)


class _Space:
    """A section of defined entities that share an index space with imports."""
    kind = ''

    def __init__(self, module: Module):
        self.module = module
        self.entries: list = []

    def __iter__(self):
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)

    def _append(self, entry, name) -> Handle:
        h = Handle(self.module, self.kind, len(self.entries), False)
        self.entries.append(entry)
        if name is not None:
            self.module.names.space(self.kind)[h] = name
        return h


class TableSection(_Space):
    kind = 'table'

    def add(self, elem, min: int, max: int | None = None, init=None, name=None, is64=False) -> Handle:
        return self._append(Table(TableType(elem, Limits(min, max, is64=is64)), to_expr(init)), name)


class MemorySection(_Space):
    kind = 'memory'

    def add(self, min: int, max: int | None = None, name=None, shared=False, is64=False) -> Handle:
        return self._append(Limits(min, max, shared, is64), name)


class GlobalSection(_Space):
    kind = 'global'

    def add(self, type, init, mutable: bool = False, name=None) -> Handle:
        return self._append(Global(GlobalType(type, mutable), to_expr(init)), name)


class TagSection(_Space):
    kind = 'tag'

    def add(self, type: int, name=None) -> Handle:
        return self._append(Tag(operator.index(type)), name)


class ExportSection:
    def __init__(self, module: Module):
        self.module = module
        self.entries: list[Export] = []

    def __iter__(self):
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)

    def add(self, name: str, kind: str, index) -> None:
        if any(e.name == name for e in self.entries):
            raise WasmBuildError(f'duplicate export name {name!r}')
        self.entries.append(Export(name, kind, index))

    def func(self, name, index):
        self.add(name, 'func', index)

    def table(self, name, index):
        self.add(name, 'table', index)

    def memory(self, name, index):
        self.add(name, 'memory', index)

    def global_(self, name, index):
        self.add(name, 'global', index)

    def tag(self, name, index):
        self.add(name, 'tag', index)


class ElementSection:
    def __init__(self, module: Module):
        self.module = module
        self.entries: list[Element] = []

    def __iter__(self):
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)

    def add(self, elem: Element, name=None) -> int:
        self.entries.append(elem)
        idx = len(self.entries) - 1
        if name is not None:
            self.module.names.elems[idx] = name
        return idx

    def declare(self, funcs) -> int:
        """Declare functions for `ref.func` (a declarative segment)."""
        return self.add(Element('declarative', RefType('func'), funcs=list(funcs)))

    def active(self, offset, funcs, table=None) -> int:
        return self.add(Element('active', RefType('func'), funcs=list(funcs), table=table,
                                offset=to_expr(offset)))

    def passive(self, funcs) -> int:
        return self.add(Element('passive', RefType('func'), funcs=list(funcs)))


class DataSection:
    def __init__(self, module: Module):
        self.module = module
        self.entries: list[Data] = []

    def __iter__(self):
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)

    def add(self, data: Data, name=None) -> int:
        self.entries.append(data)
        idx = len(self.entries) - 1
        if name is not None:
            self.module.names.datas[idx] = name
        return idx

    def passive(self, data: bytes, name=None) -> int:
        return self.add(Data('passive', bytes(data)), name)

    def active(self, offset, data: bytes, mem=None, name=None) -> int:
        return self.add(Data('active', bytes(data), mem, to_expr(offset)), name)


class Module:
    def __init__(self):
        self.names = Names()
        self.types = TypeSection(self.names)
        self.imports = ImportSection(self)
        self.funcs = FunctionSection(self)
        self.tables = TableSection(self)
        self.memories = MemorySection(self)
        self.tags = TagSection(self)
        self.globals = GlobalSection(self)
        self.exports = ExportSection(self)
        self.start = None                  # function index/handle or None
        self.elements = ElementSection(self)
        self.data_count: bool | None = None   # None: emitted when code uses memory.init/data.drop/... data
        self.datas = DataSection(self)
        self.customs: list[Custom] = []
        # ids of sections to emit even when empty (the reader records them so binaries round-trip exactly)
        self.keep_empty: set[int] = set()

    def declared_functions(self) -> set[int]:
        """The functions declared for `ref.func` outside code (spec C.refs): exported, or referenced by a
        global or table initialiser or an element segment."""
        declared: set[int] = set()

        def scan(code):
            for i in code or ():
                if i.op == 'ref.func':
                    declared.add(operator.index(i.imms[0]))

        for e in self.exports:
            if e.kind == 'func':
                declared.add(operator.index(e.index))
        for g in self.globals:
            scan(g.init)
        for t in self.tables:
            scan(t.init)
        for e in self.elements:
            declared.update(operator.index(f) for f in e.funcs or ())
            for x in e.exprs or ():
                scan(x)
            scan(e.offset)
        return declared

    def elements_with_declarations(self) -> list[Element]:
        """The element segments as encoded: those given, plus one declarative segment for the functions
        that code takes with `ref.func` but that are declared nowhere else (declared_functions)."""
        declared = self.declared_functions()
        missing = []
        for f in self.funcs:
            for i in f.body:
                if i.op == 'ref.func':
                    idx = operator.index(i.imms[0])
                    if idx not in declared:
                        declared.add(idx)
                        missing.append(idx)
        if not missing:
            return list(self.elements)
        return list(self.elements) + [Element('declarative', RefType('func'), funcs=sorted(missing))]

    def func_type_of(self, funcidx) -> FuncType:
        """The type of any function (imported or defined) by index."""
        i = operator.index(funcidx)
        imported = self.imports.of_kind('func')
        if i < len(imported):
            return self.types.func_type(imported[i].desc)
        return self.types.func_type(self.funcs.entries[i - len(imported)].type)
