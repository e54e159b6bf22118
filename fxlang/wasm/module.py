"""A Wasm module as plain data, with one small builder per section and a function-body builder.

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
from dataclasses import dataclass, field
from typing import Any, Iterable, NamedTuple

from . import opcodes

__all__ = [
    'Module', 'WasmBuildError', 'RefType', 'ref', 'ref_null', 'valtype', 'Field', 'FuncType', 'StructType',
    'ArrayType', 'ContType', 'SubType', 'RecGroup', 'Limits', 'TableType', 'GlobalType', 'MemArg', 'FloatBits',
    'Instr', 'Label', 'Import', 'Function', 'Table', 'Global', 'Export', 'Element', 'Data', 'Tag', 'Names',
    'Custom', 'Handle', 'ABSTRACT_HEAPS', 'NUM_TYPES', 'to_expr',
]


class WasmBuildError(Exception):
    """A misuse of the builder API (a compiler bug, not a user error)."""


# ---- types --------------------------------------------------------------------------------------

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


# ---- instructions -------------------------------------------------------------------------------

@dataclass(frozen=True)
class MemArg:
    align: int                 # log2 of the alignment
    offset: int = 0
    mem: int = 0


@dataclass(frozen=True)
class FloatBits:
    """An exact float constant given by its bit pattern (keeps NaN payloads intact)."""
    bits: int
    width: int                 # 32 or 64


class Instr(NamedTuple):
    op: str                    # key in opcodes.OPS
    imms: tuple = ()


class Label:
    """A branch target handed out by a block helper; `emit('br', label)` turns it into a relative depth.
    Used as a context manager, leaving the `with` block emits the block's `end`."""

    def __init__(self, body: Function, level: int):
        self.body, self.level = body, level

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *_):
        if exc_type is None:
            self.body.end()


def to_expr(code) -> list[Instr]:
    """A constant expression from a list of Instr / (op, *imms) tuples / a single such tuple."""
    if code is None:
        return None
    if isinstance(code, tuple) and code and isinstance(code[0], str):
        code = [code]
    out = []
    for ins in code:
        if isinstance(ins, Instr):
            out.append(ins)
        else:
            op, *imms = ins
            out.append(_check(op, tuple(imms)))
    return out


def _check(op: str, imms: tuple) -> Instr:
    """Normalise the conveniences listed in the module docstring and check arity against the table."""
    if op in ('ref.test', 'ref.cast') and len(imms) == 1 and isinstance(imms[0], RefType):
        op = op + '_null' if imms[0].nullable else op
        imms = (imms[0].heap,)
    elif op == 'select' and len(imms) == 1:
        op = 'select_t'
    info = opcodes.OPS.get(op)
    if info is None:
        raise WasmBuildError(f'unknown instruction {op!r}')
    kinds = [k for k in info.kinds if k != 'castflags']
    if kinds == ['memarg']:
        if not imms:
            imms = (MemArg(opcodes.NATURAL_ALIGN[op]),)
        elif not isinstance(imms[0], MemArg):
            imms = (MemArg(opcodes.NATURAL_ALIGN[op], operator.index(imms[0])),)
    if len(imms) != len(kinds):
        raise WasmBuildError(f'{op} takes {len(kinds)} immediate(s) ({" ".join(kinds) or "none"}), '
                             f'got {len(imms)}')
    fixed = []
    for kind, imm in zip(kinds, imms):
        if kind == 'bt':
            imm = None if imm is None else (imm if isinstance(imm, int) else valtype(imm))
        elif kind == 'heap':
            imm = imm if isinstance(imm, str) else operator.index(imm)
            if isinstance(imm, str) and imm not in ABSTRACT_HEAPS:
                raise WasmBuildError(f'unknown heap type {imm!r}')
        elif kind == 'reftype':
            imm = valtype(imm)
        elif kind == 'valtypes':
            imm = tuple(valtype(t) for t in imm)
        fixed.append(imm)
    return Instr(op, tuple(fixed))


# ---- index-space entries ------------------------------------------------------------------------

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


class Function:
    """A defined function: its type index, declared locals and body.  It is its own index handle and
    its own body builder (`emit`, `local`, the block helpers)."""

    def __init__(self, module: Module, pos: int, type: int):
        self.module, self.pos, self.type = module, pos, operator.index(type)
        self.locals: list = []           # declared locals (params not included)
        self.body: list[Instr] = []      # without the final `end`
        # the reader's (count, type) runs when the binary grouped locals non-canonically; used by the
        # encoder only while they still spell `locals`
        self.local_runs: list | None = None
        self._depth = 0                  # open blocks

    # -- index handle
    def __index__(self) -> int:
        return self.module.imports.count('func') + self.pos

    __int__ = __index__

    def __repr__(self):
        return f'<func {self.__index__()}>'

    @property
    def params(self) -> tuple:
        return self.module.types.func_type(self.type).params

    @property
    def results(self) -> tuple:
        return self.module.types.func_type(self.type).results

    # -- locals
    def local(self, type, name: str | None = None) -> int:
        idx = len(self.params) + len(self.locals)
        self.locals.append(valtype(type))
        if name is not None:
            self.module.names.locals.setdefault(self, {})[idx] = name
        return idx

    def name_param(self, idx: int, name: str) -> None:
        self.module.names.locals.setdefault(self, {})[idx] = name

    # -- instructions
    def emit(self, op: str, *imms) -> None:
        ins = _check(op, imms)
        info = opcodes.OPS[ins.op]
        if 'label' in info.kinds or 'labels' in info.kinds or info.kinds[-1:] in (('catches',), ('handlers',)):
            ins = Instr(ins.op, tuple(self._resolve(k, v) for k, v in
                                      zip([k for k in info.kinds if k != 'castflags'], ins.imms)))
        if ins.op in opcodes.BLOCK_OPS:
            self._depth += 1
        elif ins.op in opcodes.END_OPS:
            if self._depth == 0:
                raise WasmBuildError(f'{ins.op} without an open block (the function\'s end is implicit)')
            self._depth -= 1
        self.body.append(ins)

    def _label(self, lbl) -> int:
        if isinstance(lbl, Label):
            if lbl.body is not self or lbl.level > self._depth:
                raise WasmBuildError('branch to a label that is not in scope')
            return self._depth - lbl.level
        return operator.index(lbl)

    def _resolve(self, kind: str, imm):
        if kind == 'label':
            return self._label(imm)
        if kind == 'labels':
            return tuple(self._label(l) for l in imm)
        if kind in ('catches', 'handlers'):
            # try_table's catch labels are resolved in the context *outside* the try_table block (spec:
            # the clauses are checked under C, the body under C with the new label); the block is not
            # open yet when they are resolved here, so no adjustment is needed
            return tuple(self._clause(c) for c in imm)
        return imm

    def _clause(self, c) -> tuple:
        c = tuple(c)
        if c[0] == 'on' and len(c) == 3 and c[2] == 'switch':     # the text format's spelling
            return ('switch', c[1])
        if c[0] in ('catch', 'catch_ref', 'on') and len(c) == 3:
            return (c[0], c[1], self._label(c[2]))
        if c[0] in ('catch_all', 'catch_all_ref') and len(c) == 2:
            return (c[0], self._label(c[1]))
        if c[0] == 'switch' and len(c) == 2:
            return c
        raise WasmBuildError(f'malformed clause {c!r}')

    def function_label(self) -> Label:
        """The label of the function body itself (branching to it returns)."""
        return Label(self, 0)

    def _open(self, op: str, *imms) -> Label:
        self.emit(op, *imms)
        return Label(self, self._depth)

    def block(self, bt=None) -> Label:
        return self._open('block', bt)

    def loop(self, bt=None) -> Label:
        return self._open('loop', bt)

    def if_(self, bt=None) -> Label:
        return self._open('if', bt)

    def else_(self) -> None:
        self.emit('else')

    def barrier(self, bt=None) -> Label:
        return self._open('barrier', bt)

    def try_table(self, bt=None, catches=()) -> Label:
        return self._open('try_table', bt, catches)

    def end(self) -> None:
        self.emit('end')


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


@dataclass
class Names:
    """The name section.  Keys may be ints or handles; they are resolved when encoding."""
    module: str | None = None
    funcs: dict = field(default_factory=dict)
    locals: dict = field(default_factory=dict)    # func -> {local index: name}
    labels: dict = field(default_factory=dict)    # func -> {label index: name}
    types: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    memories: dict = field(default_factory=dict)
    globals: dict = field(default_factory=dict)
    elems: dict = field(default_factory=dict)
    datas: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)    # type -> {field index: name}
    tags: dict = field(default_factory=dict)
    unknown: list = field(default_factory=list)   # (subsection id, raw bytes) of subsections not listed above

    def space(self, kind: str) -> dict:
        return {'func': self.funcs, 'table': self.tables, 'memory': self.memories,
                'global': self.globals, 'tag': self.tags, 'type': self.types}[kind]

    def is_empty(self) -> bool:
        return self.module is None and not any(
            getattr(self, k) for k in ('funcs', 'locals', 'labels', 'types', 'tables', 'memories',
                                       'globals', 'elems', 'datas', 'fields', 'tags', 'unknown'))


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

    def elements_with_declarations(self) -> list[Element]:
        """The element segments as encoded: those given, plus one declarative segment for the functions
        that code takes with `ref.func` but that are declared nowhere else (spec C.refs: exports, global and
        table initialisers, element segments)."""
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
