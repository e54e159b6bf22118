"""Modules and instructions of the WasmFX data model: what `vm.binary.decode` produces.

This docstring is the contract shared by the decoder, the validator and the executor. It only
grows: nothing here is renamed or removed. Types are described in vm/syntax/types.py.

Instructions
    Code is a flat list of `Instr` objects (`__slots__`: op, args, offset):
      op      the text-format name: 'i32.add', 'br_table', 'cont.new', 'resume', 'barrier', ...
      args    a tuple of immediates (below); () for instructions without immediates
      offset  the byte offset of the instruction's first opcode byte in the decoded file
    Structured instructions are flat markers; a function body and every constant expression end
    with their own final 'end' (kept in the list).
      'block' 'loop' 'if' 'barrier'     (bt,)      bt = None | ValType | int (type index)
      'try_table'                       (bt, catches)   catches: tuple of Catch
      'else' 'end'                      ()
    Catch(kind, tag, label): kind in 'catch' 'catch_ref' 'catch_all' 'catch_all_ref'; tag is None
    for the catch_all kinds.
    Handler(tag, label): one clause of resume/resume_throw/resume_throw_ref; `(on $t $l)` has an int
    label, `(on $t switch)` has label None (`h.is_switch`).

    Immediates by instruction (x = index of the named space, l = label depth):
      unreachable nop return drop throw_ref ref.is_null ref.as_non_null ref.eq array.len
      ref.i31 i31.get_s i31.get_u any.convert_extern extern.convert_any, all numeric ops ()
      br br_if br_on_null br_on_non_null            (l,)
      br_table                                      (labels: tuple[int], default: int)
      br_on_cast br_on_cast_fail                    (l, rt1: RefType, rt2: RefType)
      call return_call ref.func                     (funcidx,)
      call_indirect return_call_indirect            (typeidx, tableidx)
      call_ref return_call_ref                      (typeidx,)
      throw                                         (tagidx,)
      select                                        () untyped (0x1b) | (types: tuple[ValType],) (0x1c)
      local.get local.set local.tee                 (localidx,)
      global.get global.set                         (globalidx,)
      table.get table.set table.size table.grow table.fill   (tableidx,)
      table.copy                                    (dst tableidx, src tableidx)
      table.init                                    (elemidx, tableidx)
      elem.drop                                     (elemidx,)
      *.load* *.store*                              (MemArg,)
      memory.size memory.grow memory.fill           (memidx,)
      memory.copy                                   (dst memidx, src memidx)
      memory.init                                   (dataidx, memidx)
      data.drop                                     (dataidx,)
      i32.const i64.const                           (value,) signed Python int
      f32.const f64.const                           (bits,) raw IEEE bits as unsigned int (keeps NaN payloads)
      ref.null                                      (heaptype,)  str or type index
      ref.test ref.cast                             (rt: RefType,)  (0xfb 20/22 non-null, 21/23 null)
      struct.new struct.new_default                 (typeidx,)
      struct.get struct.get_s struct.get_u struct.set   (typeidx, fieldidx)
      array.new array.new_default array.get array.get_s array.get_u array.set array.fill  (typeidx,)
      array.new_fixed                               (typeidx, n)
      array.new_data array.init_data                (typeidx, dataidx)
      array.new_elem array.init_elem                (typeidx, elemidx)
      array.copy                                    (dst typeidx, src typeidx)
      cont.new                                      (typeidx,)
      cont.bind                                     (typeidx1, typeidx2)
      suspend                                       (tagidx,)
      resume                                        (typeidx, handlers: tuple[Handler])
      resume_throw                                  (typeidx, tagidx, handlers: tuple[Handler])
      resume_throw_ref                              (typeidx, handlers: tuple[Handler])
      switch                                        (typeidx, tagidx)
    MemArg(align, offset, memory): align is the exponent (log2 of the byte alignment) as encoded,
    offset an unsigned int, memory the memory index (0 unless the multi-memory flag bit 6 is set).
    The 0xfc ops are named as in the text format: 'i32.trunc_sat_f32_s', 'memory.init', ...

Module (a dataclass; list fields in index order, imports NOT included in funcs/tables/...)
    types         list[SubType]          all defined types, rec groups flattened
    rec_groups    list[RecGroup]         group boundaries over `types`
    imports       list[Import]           Import(module, name, kind, desc, offset)
                                         kind 'func' (desc = type index) | 'table' (TableType)
                                         | 'memory' (MemoryType) | 'global' (GlobalType) | 'tag' (TagType)
    funcs         list[Func]             Func(type_index, locals, body, offset)
                                         locals: tuple[ValType] expanded (params not included);
                                         body: list[Instr] ending with 'end'; offset: byte offset
                                         of the code entry (its size field)
    tables        list[Table]            Table(type: TableType, init: expr | None, offset)
                                         init None: every element starts as ref.null of the type
    memories      list[Memory]           Memory(type: MemoryType, offset)
    globals       list[Global]           Global(type: GlobalType, init: expr, offset)
    tags          list[Tag]              Tag(type: TagType, offset)
    exports       list[Export]           Export(name, kind, index, offset); kind as in Import
    start         int | None             function index
    elems         list[Elem]             Elem(mode, type: RefType, init: list[expr], table, offset_expr, offset)
                                         mode 'active' | 'passive' | 'declarative'; table/offset_expr
                                         only for active segments (else None). Segments written as
                                         function indices get init exprs [ref.func x, end].
    datas         list[Data]             Data(mode, init: bytes, memory, offset_expr, offset)
                                         mode 'active' | 'passive'
    datacount     int | None             the data count section's value, if present
    names         Names                  from the 'name' custom section (empty if absent or malformed)
    customs       list[Custom]           Custom(name, data: bytes, offset, after: section id it follows
                                         (0 if before any non-custom section))
    An `expr` is a list[Instr] ending with 'end'. Every `offset` is a byte offset in the file.
    Nothing is validated here: indices may be out of range and exprs need not be constant.

    Index spaces count imports first. Helpers: module.func_types() (type index of every function,
    imports first), module.imported(kind) (imports of one kind), module.func_type(funcidx) (FuncType),
    module.func_name(funcidx) (name from the name section or None), module.tag_name(tagidx).

Names (from the name section; malformed subsections are ignored, as the spec requires of custom
sections): module: str | None; funcs, types, tables, memories, globals, elems, datas, tags:
dict[int, str]; locals, labels, fields: dict[int, dict[int, str]].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from .types import FuncType, SubType, RecGroup, GlobalType, TableType, MemoryType, TagType, RefType


class Instr:
    __slots__ = ('op', 'args', 'offset')

    def __init__(self, op: str, args: tuple = (), offset: int = 0):
        self.op = op
        self.args = args
        self.offset = offset

    def __repr__(self) -> str:
        if self.args:
            return f'Instr({self.op!r}, {self.args!r}, @{self.offset:#x})'
        return f'Instr({self.op!r}, @{self.offset:#x})'


class MemArg(NamedTuple):
    align: int
    offset: int
    memory: int = 0


class Catch(NamedTuple):
    kind: str               # 'catch' | 'catch_ref' | 'catch_all' | 'catch_all_ref'
    tag: int | None
    label: int


class Handler(NamedTuple):
    tag: int
    label: int | None       # None: (on $t switch)

    @property
    def is_switch(self) -> bool:
        return self.label is None


class Import(NamedTuple):
    module: str
    name: str
    kind: str               # 'func' | 'table' | 'memory' | 'global' | 'tag'
    desc: object            # int type index | TableType | MemoryType | GlobalType | TagType
    offset: int = 0


class Export(NamedTuple):
    name: str
    kind: str
    index: int
    offset: int = 0


class Func(NamedTuple):
    type_index: int
    locals: tuple
    body: list
    offset: int = 0


class Table(NamedTuple):
    type: TableType
    init: list | None = None
    offset: int = 0


class Memory(NamedTuple):
    type: MemoryType
    offset: int = 0


class Global(NamedTuple):
    type: GlobalType
    init: list
    offset: int = 0


class Tag(NamedTuple):
    type: TagType
    offset: int = 0


class Elem(NamedTuple):
    mode: str               # 'active' | 'passive' | 'declarative'
    type: RefType
    init: list              # list of exprs
    table: int | None = None
    offset_expr: list | None = None
    offset: int = 0


class Data(NamedTuple):
    mode: str               # 'active' | 'passive'
    init: bytes
    memory: int | None = None
    offset_expr: list | None = None
    offset: int = 0


class Custom(NamedTuple):
    name: str
    data: bytes
    offset: int = 0
    after: int = 0


@dataclass
class Names:
    module: str | None = None
    funcs: dict = field(default_factory=dict)
    locals: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    types: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    memories: dict = field(default_factory=dict)
    globals: dict = field(default_factory=dict)
    elems: dict = field(default_factory=dict)
    datas: dict = field(default_factory=dict)
    tags: dict = field(default_factory=dict)


@dataclass
class Module:
    types: list = field(default_factory=list)
    rec_groups: list = field(default_factory=list)
    imports: list = field(default_factory=list)
    funcs: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    memories: list = field(default_factory=list)
    globals: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    exports: list = field(default_factory=list)
    start: int | None = None
    elems: list = field(default_factory=list)
    datas: list = field(default_factory=list)
    datacount: int | None = None
    names: Names = field(default_factory=Names)
    customs: list = field(default_factory=list)

    def imported(self, kind: str) -> list:
        """The imports of one kind ('func', 'table', 'memory', 'global', 'tag'), in order."""
        return [im for im in self.imports if im.kind == kind]

    def func_types(self) -> list:
        """Type index of every function in the function index space (imports first)."""
        return [im.desc for im in self.imports if im.kind == 'func'] + [f.type_index for f in self.funcs]

    def func_type(self, funcidx: int) -> FuncType | None:
        """The FuncType of function `funcidx`, or None if the index or its type is not a function type."""
        fts = self.func_types()
        if not 0 <= funcidx < len(fts):
            return None
        x = fts[funcidx]
        if not (isinstance(x, int) and 0 <= x < len(self.types)):
            return None
        ct = self.types[x].composite
        return ct if isinstance(ct, FuncType) else None

    def func_name(self, funcidx: int) -> str | None:
        """The function's name from the name section, else its export name, else None."""
        name = self.names.funcs.get(funcidx)
        if name is not None:
            return name
        for ex in self.exports:
            if ex.kind == 'func' and ex.index == funcidx:
                return ex.name
        return None

    def tag_name(self, tagidx: int) -> str | None:
        """The tag's name from the name section, else its export or import name, else None."""
        name = self.names.tags.get(tagidx)
        if name is not None:
            return name
        for ex in self.exports:
            if ex.kind == 'tag' and ex.index == tagidx:
                return ex.name
        tags = self.imported('tag')
        if 0 <= tagidx < len(tags):
            return f'{tags[tagidx].module}.{tags[tagidx].name}'
        return None


__all__ = [
    'Instr', 'MemArg', 'Catch', 'Handler', 'Import', 'Export', 'Func', 'Table', 'Memory', 'Global',
    'Tag', 'Elem', 'Data', 'Custom', 'Names', 'Module', 'SubType', 'RecGroup',
]
