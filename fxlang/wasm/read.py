"""read(data) -> Module: the binary format back into fxlang.wasm.module data, section by section in the order
and under the headings of encode.py.

Structural only (no type checking): enough for everything the compiler emits and for any valid module
without SIMD or threads, including fxlang's `barrier`.  Raises ReadError(message, offset) — spec wording
("unexpected end", "malformed section id", ...) plus the byte offset where reading failed.
"""

from __future__ import annotations

import struct

from . import opcodes, srcmap
from .encode import (DATA_OPS, CATCH_CODES, COMP_CODES, CUSTOM, CODE, DATA, DATA_COUNT, ELEMENT, EXPORT, FUNCTION,
                     GLOBAL, HANDLER_CODES, HEAP_CODES, IMPORT, KIND_CODES, MAGIC, MEMORY, NUM_CODES,
                     PACKED_CODES, REC, REF, REF_NULL, SECTION_ORDER, START, SUB, SUB_FINAL, TABLE, TAG, TYPE)
from .leb128 import LEB128Error, read_signed, read_unsigned
from .module import (ArrayType, ContType, Custom, Data, Element, Export, Field, FloatBits, FuncType,
                     Function, Global,
                     GlobalType, Import, Instr, Limits, MemArg, Module, RecGroup, RefType, StructType, SubType,
                     Table, TableType, Tag)

_HEAPS = {v: k for k, v in HEAP_CODES.items()}
_NUMS = {v: k for k, v in NUM_CODES.items()}
_PACKED = {v: k for k, v in PACKED_CODES.items()}
_COMPS = {v: k for k, v in COMP_CODES.items()}
_KINDS = {v: k for k, v in KIND_CODES.items()}
_CATCHES = {v: k for k, v in CATCH_CODES.items()}
_HANDLERS = {v: k for k, v in HANDLER_CODES.items()}


class ReadError(ValueError):
    def __init__(self, message: str, offset: int):
        super().__init__(f'{message} (at byte offset {offset})')
        self.message, self.offset = message, offset


class Reader:
    """A cursor over bytes; every method reads one grammar production and advances."""

    def __init__(self, data: bytes, pos: int = 0, end: int | None = None):
        self.data, self.pos = data, pos
        self.end = len(data) if end is None else end

    def fail(self, message: str, at: int | None = None):
        raise ReadError(message, self.pos if at is None else at)

    def at_end(self) -> bool:
        return self.pos >= self.end

    def byte(self) -> int:
        if self.pos >= self.end:
            self.fail('unexpected end')
        b = self.data[self.pos]
        self.pos += 1
        return b

    def peek(self) -> int:
        if self.pos >= self.end:
            self.fail('unexpected end')
        return self.data[self.pos]

    def bytes(self, n: int) -> bytes:
        if self.pos + n > self.end:
            self.fail('unexpected end')
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return bytes(b)

    def _leb(self, fn, bits):
        try:
            v, pos = fn(self.data[:self.end], self.pos, bits)
        except LEB128Error as e:
            raise ReadError(e.message, e.offset) from None
        self.pos = pos
        return v

    def u32(self) -> int:
        return self._leb(read_unsigned, 32)

    def u64(self) -> int:
        return self._leb(read_unsigned, 64)

    def s32(self) -> int:
        return self._leb(read_signed, 32)

    def s33(self) -> int:
        return self._leb(read_signed, 33)

    def s64(self) -> int:
        return self._leb(read_signed, 64)

    def vec(self, item) -> list:
        return [item() for _ in range(self.u32())]

    def name(self) -> str:
        at = self.pos
        raw = self.bytes(self.u32())
        try:
            return raw.decode('utf-8')
        except UnicodeDecodeError:
            self.fail('malformed UTF-8 encoding', at)

    # ---- types ------------------------------------------------------------------------------------

    def heaptype(self):
        b = self.peek()
        if b in _HEAPS:
            self.pos += 1
            return _HEAPS[b]
        at = self.pos
        idx = self.s33()
        if idx < 0:
            self.fail('malformed heap type', at)
        return idx

    def reftype_after(self, b: int) -> RefType:
        if b in _HEAPS:
            return RefType(_HEAPS[b], True)
        if b in (REF, REF_NULL):
            return RefType(self.heaptype(), b == REF_NULL)
        self.fail('malformed reference type', self.pos - 1)

    def reftype(self) -> RefType:
        return self.reftype_after(self.byte())

    def valtype(self):
        b = self.byte()
        if b in _NUMS:
            return _NUMS[b]
        if b in _HEAPS or b in (REF, REF_NULL):
            return self.reftype_after(b)
        self.fail('malformed value type', self.pos - 1)

    def fieldtype(self) -> Field:
        b = self.peek()
        if b in _PACKED:
            self.pos += 1
            storage = _PACKED[b]
        else:
            storage = self.valtype()
        mut = self.byte()
        if mut > 1:
            self.fail('malformed mutability', self.pos - 1)
        return Field(storage, bool(mut))

    def comptype(self):
        at = self.pos
        kind = _COMPS.get(self.byte())
        if kind is FuncType:
            return FuncType(tuple(self.vec(self.valtype)), tuple(self.vec(self.valtype)))
        if kind is StructType:
            return StructType(tuple(self.vec(self.fieldtype)))
        if kind is ArrayType:
            return ArrayType(self.fieldtype())
        if kind is ContType:                     # the type index is an s33, like a heap type's
            idx_at = self.pos
            idx = self.s33()
            if idx < 0:
                self.fail('malformed type index', idx_at)
            return ContType(idx)
        self.fail('malformed composite type', at)

    def subtype(self) -> SubType:
        b = self.peek()
        if b in (SUB, SUB_FINAL):
            self.pos += 1
            supers = tuple(self.vec(self.u32))
            return SubType(self.comptype(), supers, b == SUB_FINAL)
        return SubType(self.comptype())

    def rec_group(self) -> RecGroup:
        if self.peek() == REC:
            self.pos += 1
            return RecGroup(tuple(self.vec(self.subtype)), explicit=True)
        return RecGroup((self.subtype(),))

    def limits(self) -> Limits:
        at = self.pos
        flags = self.byte()
        if flags & ~0x0f:
            self.fail('malformed limits flags', at)
        is64 = bool(flags & 4)
        # u64 in the binary whatever the address type; the validator checks the range
        lo = self.u64()
        hi = self.u64() if flags & 1 else None
        page = self.u32() if flags & 8 else None
        return Limits(lo, hi, bool(flags & 2), is64, page)

    def tabletype(self) -> TableType:
        return TableType(self.reftype(), self.limits())

    def globaltype(self) -> GlobalType:
        t = self.valtype()
        mut = self.byte()
        if mut > 1:
            self.fail('malformed mutability', self.pos - 1)
        return GlobalType(t, bool(mut))

    def blocktype(self):
        b = self.peek()
        if b == 0x40:
            self.pos += 1
            return None
        if b in _NUMS or b in _HEAPS or b in (REF, REF_NULL):
            return self.valtype()
        at = self.pos
        idx = self.s33()
        if idx < 0:
            self.fail('malformed block type', at)
        return idx

    # ---- instructions -----------------------------------------------------------------------------

    def memarg(self) -> MemArg:
        at = self.pos
        align = self.u32()
        mem = 0
        if align & 0x40:
            align &= ~0x40
            mem = self.u32()
        if align >= 64:
            self.fail('malformed memop flags', at)
        return MemArg(align, self.u64(), mem)

    def f32(self):
        raw = self.bytes(4)
        v = struct.unpack('<f', raw)[0]
        return v if struct.pack('<f', v) == raw else FloatBits(int.from_bytes(raw, 'little'), 32)

    def f64(self):
        raw = self.bytes(8)
        v = struct.unpack('<d', raw)[0]
        return v if struct.pack('<d', v) == raw else FloatBits(int.from_bytes(raw, 'little'), 64)

    def clause(self, table, kinds_with_label):
        at = self.pos
        kind = table.get(self.byte())
        if kind is None:
            self.fail('malformed handler' if table is _HANDLERS else 'malformed catch clause', at)
        if kind == 'switch':
            return (kind, self.u32())
        if kind in kinds_with_label:
            return (kind, self.u32(), self.u32())
        return (kind, self.u32())

    def immediate(self, kind: str):
        simple = {'label': self.u32, 'type': self.u32, 'func': self.u32, 'table': self.u32, 'mem': self.u32,
                  'global': self.u32, 'local': self.u32, 'tag': self.u32, 'elem': self.u32, 'data': self.u32,
                  'field': self.u32, 'u32': self.u32, 'memarg': self.memarg, 'i32': self.s32,
                  'i64': self.s64, 'f32': self.f32, 'f64': self.f64, 'heap': self.heaptype,
                  'bt': self.blocktype}
        if kind in simple:
            return simple[kind]()
        if kind == 'valtypes':
            return tuple(self.vec(self.valtype))
        if kind == 'labels':
            return tuple(self.vec(self.u32))
        if kind == 'catches':
            return tuple(self.vec(lambda: self.clause(_CATCHES, ('catch', 'catch_ref'))))
        if kind == 'handlers':
            return tuple(self.vec(lambda: self.clause(_HANDLERS, ('on',))))
        raise AssertionError(kind)

    def instr(self) -> Instr:
        at = self.pos
        b = self.byte()
        if b in opcodes.PREFIXES:
            code = self.u32()
            op = opcodes.BY_CODE.get((b, code))
        else:
            op = opcodes.BY_CODE.get((None, b))
        if op is None:
            self.fail('illegal opcode', at)
        imms = []
        flags = 0
        for kind in op.kinds:
            if kind == 'castflags':
                flags = self.byte()
                if flags > 3:
                    self.fail('malformed br_on_cast flags', self.pos - 1)
            elif kind == 'reftype':
                imms.append(RefType(self.heaptype(), bool(flags & (1 if len(imms) == 1 else 2))))
            else:
                imms.append(self.immediate(kind))
        return Instr(op.name, tuple(imms))

    def expr(self) -> list[Instr]:
        """Instructions up to the `end` that closes the expression (nested blocks included)."""
        code, depth = [], 0
        while True:
            ins = self.instr()
            if ins.op in opcodes.BLOCK_OPS:
                depth += 1
            elif ins.op in opcodes.END_OPS:
                if depth == 0:
                    if ins.op == 'end':
                        return code
                    self.fail('delegate outside a try block', self.pos)
                depth -= 1
            code.append(ins)


# ---- sections -------------------------------------------------------------------------------------

def _import(r: Reader) -> Import:
    module, field_ = r.name(), r.name()
    at = r.pos
    kind = _KINDS.get(r.byte())
    if kind == 'func':
        desc = r.u32()
    elif kind == 'table':
        desc = r.tabletype()
    elif kind == 'memory':
        desc = r.limits()
    elif kind == 'global':
        desc = r.globaltype()
    elif kind == 'tag':
        _tag_attribute(r)
        desc = r.u32()
    else:
        r.fail('malformed import kind', at)
    return Import(module, field_, kind, desc)


def _tag_attribute(r: Reader) -> None:
    if r.byte() != 0:
        r.fail('malformed tag attribute', r.pos - 1)


def _table(r: Reader) -> Table:
    if r.peek() == 0x40:
        r.pos += 1
        if r.byte() != 0:
            r.fail('malformed table', r.pos - 1)
        t = r.tabletype()
        return Table(t, r.expr())
    return Table(r.tabletype())


def _element(r: Reader) -> Element:
    at = r.pos
    flags = r.u32()
    if flags > 7:
        r.fail('malformed elements segment kind', at)
    mode = ('passive', 'declarative')[(flags >> 1) & 1] if flags & 1 else 'active'
    table = offset = None
    if mode == 'active':
        if flags & 2:
            table = r.u32()
        offset = r.expr()
    uses_exprs = bool(flags & 4)
    etype = RefType('func')
    if flags & 3:                       # explicit element kind / type
        if uses_exprs:
            etype = r.reftype()
        elif r.byte() != 0:
            r.fail('malformed element kind', r.pos - 1)
    if uses_exprs:
        return Element(mode, etype, exprs=r.vec(r.expr), table=table, offset=offset)
    return Element(mode, etype, funcs=r.vec(r.u32), table=table, offset=offset)


def _data(r: Reader) -> Data:
    at = r.pos
    flags = r.u32()
    if flags == 1:
        return Data('passive', r.bytes(r.u32()))
    if flags == 0:
        offset = r.expr()
        return Data('active', r.bytes(r.u32()), None, offset)
    if flags == 2:
        mem = r.u32()
        offset = r.expr()
        return Data('active', r.bytes(r.u32()), mem, offset)
    r.fail('malformed data segment kind', at)


def _locals(r: Reader) -> tuple[list, list | None]:
    """The declared locals, and their (count, type) runs when those are not the canonical grouping."""
    out, runs = [], []
    for _ in range(r.u32()):
        at = r.pos
        n = r.u32()
        if len(out) + n > 50000:
            r.fail('too many locals', at)
        t = r.valtype()
        out.extend([t] * n)
        runs.append((n, t))
    canonical = all(n and (i == 0 or runs[i - 1][1] != t) for i, (n, t) in enumerate(runs))
    return out, None if canonical else runs


def _name_map(r: Reader) -> dict:
    return {k: v for k, v in r.vec(lambda: (r.u32(), r.name()))}


def _indirect_map(r: Reader) -> dict:
    return {k: v for k, v in r.vec(lambda: (r.u32(), _name_map(r)))}


def _names(module: Module, r: Reader) -> None:
    """The name section (raises ReadError if malformed; the caller then keeps it as an opaque custom)."""
    n = module.names
    maps = {1: 'funcs', 4: 'types', 5: 'tables', 6: 'memories', 7: 'globals', 8: 'elems', 9: 'datas',
            11: 'tags'}
    indirect = {2: 'locals', 3: 'labels', 10: 'fields'}
    while not r.at_end():
        sid = r.byte()
        size = r.u32()
        if r.pos + size > r.end:
            r.fail('unexpected end')
        sub = Reader(r.data, r.pos, r.pos + size)
        if sid == 0:
            n.module = sub.name()
        elif sid in maps:
            getattr(n, maps[sid]).update(_name_map(sub))
        elif sid in indirect:
            getattr(n, indirect[sid]).update(_indirect_map(sub))
        else:
            n.unknown.append((sid, sub.bytes(size)))
        if not sub.at_end():
            sub.fail('section size mismatch')
        r.pos += size


def read(data: bytes) -> Module:
    """bytes -> Module.  Raises ReadError(message, offset) for anything that is not a well-formed binary."""
    data = bytes(data)
    r = Reader(data)
    if data[:4] != MAGIC[:4]:
        r.fail('magic header not detected', 0)
    if len(data) < 8:
        r.fail('unexpected end', len(data))
    if data[4:8] != MAGIC[4:]:
        r.fail('unknown binary version', 4)
    r.pos = 8
    m = Module()
    st = _State()
    order = {sid: i for i, sid in enumerate(SECTION_ORDER)}
    while not r.at_end():
        sec_at = r.pos
        sid = r.byte()
        size = r.u32()
        body_at = r.pos
        if body_at + size > len(data):
            r.fail('length out of bounds', sec_at)
        s = Reader(data, body_at, body_at + size)
        if sid == CUSTOM:
            _custom(m, s, st.last_id)
        else:
            if sid not in order:
                r.fail('malformed section id', sec_at)
            if order[sid] < st.last or (order[sid] == st.last and st.last_id):
                r.fail('unexpected content after last section', sec_at)
            st.last, st.last_id = order[sid], sid
            if sid not in (START, DATA_COUNT) and not s.at_end() and data[s.pos] == 0:
                m.keep_empty.add(sid)
            _SECTIONS[sid](m, s, st)
            if not s.at_end():
                s.fail('section size mismatch')
        r.pos = body_at + size
    if st.func_types and not m.funcs.entries:
        r.fail('function and code section have inconsistent lengths')
    if st.data_count is not None and st.data_count != len(m.datas):
        r.fail('data count and data section have inconsistent lengths')
    m.data_count = st.data_count is not None
    if not m.data_count and any(i.op in DATA_OPS for f in m.funcs for i in f.body):
        r.fail('data count section required')
    _take_srcmap(m, data, st)
    return m


def _take_srcmap(m: Module, data: bytes, st: _State) -> None:
    """An fx source map (srcmap.py) becomes the instructions' `loc`s and the functions' `fx_name`s, so a
    pass moving code keeps it right and the encoder writes it anew; the old section, whose offsets no
    longer hold after any change, is dropped. A malformed map is dropped too (it is only a help)."""
    sections = [c for c in m.customs if c.name == srcmap.SECTION]
    if not sections:
        return
    m.customs = [c for c in m.customs if c.name != srcmap.SECTION]
    try:
        smap = srcmap.decode(sections[0].data)
    except (ValueError, UnicodeDecodeError):
        return
    nimp = m.imports.count('func')
    for k, (f, (at, end)) in enumerate(zip(m.funcs.entries, st.body_at)):
        entry = smap.funcs.get(nimp + k)
        if entry is None:
            continue
        name, offsets, places = entry
        f.fx_name = name or None
        if not offsets:
            continue
        r = Reader(data, at, end)
        body, j, place = [], 0, None
        for ins in f.body:
            while j < len(offsets) and offsets[j] <= r.pos:
                place = srcmap.Place(*places[j])
                j += 1
            r.instr()
            body.append(ins._replace(loc=place) if place is not None else ins)
        f.body = body


class _State:
    """What one section leaves for a later one while reading."""

    def __init__(self):
        self.last, self.last_id = 0, 0             # position in SECTION_ORDER and id of the last section
        self.func_types: list[int] = []            # function section, for the code section
        self.data_count: int | None = None
        self.body_at: list[tuple[int, int]] = []   # where each function's instructions are (source map)


def _custom(m: Module, s: Reader, after: int) -> None:
    name = s.name()
    if name == 'name':
        # custom sections are not validated: a malformed name section is kept as opaque bytes
        names_at = s.pos
        try:
            _names(m, s)
            return
        except ReadError:
            m.names.clear()
            s.pos = names_at
    m.customs.append(Custom(name, s.data[s.pos:s.end], after))


def _type_section(m, s, st):
    for g in s.vec(s.rec_group):
        m.types.add_group(g)


def _import_section(m, s, st):
    for imp in s.vec(lambda: _import(s)):
        m.imports.add(imp)


def _function_section(m, s, st):
    st.func_types = s.vec(s.u32)


def _tag_section(m, s, st):
    def tag():
        _tag_attribute(s)
        return Tag(s.u32())
    m.tags.entries.extend(s.vec(tag))


def _export_section(m, s, st):
    def export():
        name = s.name()
        at = s.pos
        kind = _KINDS.get(s.byte())
        if kind is None:
            s.fail('malformed export kind', at)
        return Export(name, kind, s.u32())
    m.exports.entries.extend(s.vec(export))


def _start_section(m, s, st):
    m.start = s.u32()


def _data_count_section(m, s, st):
    st.data_count = s.u32()


def _code_section(m, s, st):
    count_at = s.pos
    if s.u32() != len(st.func_types):
        s.fail('function and code section have inconsistent lengths', count_at)
    for t in st.func_types:
        size_at = s.pos
        f_end = s.u32() + s.pos
        if f_end > s.end:
            s.fail('unexpected end', size_at)
        fr = Reader(s.data, s.pos, f_end)
        f = _new_function(m, t)
        f.locals, f.local_runs = _locals(fr)
        st.body_at.append((fr.pos, f_end))
        f.body = fr.expr()
        if not fr.at_end():
            fr.fail('section size mismatch')
        s.pos = f_end


_SECTIONS = {
    TYPE: _type_section,
    IMPORT: _import_section,
    FUNCTION: _function_section,
    TABLE: lambda m, s, st: m.tables.entries.extend(s.vec(lambda: _table(s))),
    MEMORY: lambda m, s, st: m.memories.entries.extend(s.vec(s.limits)),
    TAG: _tag_section,
    GLOBAL: lambda m, s, st: m.globals.entries.extend(s.vec(lambda: Global(s.globaltype(), s.expr()))),
    EXPORT: _export_section,
    START: _start_section,
    ELEMENT: lambda m, s, st: m.elements.entries.extend(s.vec(lambda: _element(s))),
    DATA_COUNT: _data_count_section,
    CODE: _code_section,
    DATA: lambda m, s, st: m.datas.entries.extend(s.vec(lambda: _data(s))),
}


def _new_function(m: Module, type_idx: int) -> Function:
    f = Function(m, len(m.funcs.entries), type_idx)
    m.funcs.entries.append(f)
    return f
