"""encode(module) -> bytes: the Wasm binary format, sections in the order and under the headings read.py uses.

When instructions carry source locations (`Instr.loc`), the module ends with the `fx.srcmap` custom section
(srcmap.py), whose offsets are those of the instructions in this encoding.

Raises WasmBuildError for a module the builder should not have let through (an index that is not an index,
an immediate of the wrong shape); the encoder does not validate types — wasm-tools / the VM do that.
"""

from __future__ import annotations

import operator
import struct

from . import opcodes
from . import srcmap as srcmap_format
from .leb128 import signed, unsigned
from .module import (ABSTRACT_HEAPS, ArrayType, ContType, Data, Element, FloatBits, FuncType, GlobalType,
                     Instr, Limits, MemArg, Module, RefType, StructType, SubType, TableType, WasmBuildError)

MAGIC = b'\0asm\1\0\0\0'

# section ids
CUSTOM, TYPE, IMPORT, FUNCTION, TABLE, MEMORY, GLOBAL, EXPORT, START, ELEMENT, CODE, DATA, DATA_COUNT, TAG = \
    range(14)
# binary order of the known sections (tag sits between memory and global)
SECTION_ORDER = (TYPE, IMPORT, FUNCTION, TABLE, MEMORY, TAG, GLOBAL, EXPORT, START, ELEMENT, DATA_COUNT,
                 CODE, DATA)

NUM_CODES = {'i32': 0x7f, 'i64': 0x7e, 'f32': 0x7d, 'f64': 0x7c, 'v128': 0x7b}
PACKED_CODES = {'i8': 0x78, 'i16': 0x77}
HEAP_CODES = {'func': 0x70, 'extern': 0x6f, 'any': 0x6e, 'eq': 0x6d, 'i31': 0x6c, 'struct': 0x6b,
              'array': 0x6a, 'exn': 0x69, 'cont': 0x68, 'none': 0x71, 'noextern': 0x72, 'nofunc': 0x73,
              'noexn': 0x74, 'nocont': 0x75}
assert set(HEAP_CODES) == set(ABSTRACT_HEAPS)
REF_NULL, REF = 0x63, 0x64
COMP_CODES = {FuncType: 0x60, StructType: 0x5f, ArrayType: 0x5e, ContType: 0x5d}
SUB, SUB_FINAL, REC = 0x50, 0x4f, 0x4e
KIND_CODES = {'func': 0, 'table': 1, 'memory': 2, 'global': 3, 'tag': 4}
CATCH_CODES = {'catch': 0, 'catch_ref': 1, 'catch_all': 2, 'catch_all_ref': 3}
HANDLER_CODES = {'on': 0, 'switch': 1}
# data-using instructions that need the data count section
DATA_OPS = frozenset({'memory.init', 'data.drop', 'array.new_data', 'array.init_data'})


def _u(n) -> bytes:
    return unsigned(operator.index(n))


def _name(s: str) -> bytes:
    b = s.encode('utf-8')
    return unsigned(len(b)) + b


def _vec(items, enc) -> bytes:
    items = list(items)
    return unsigned(len(items)) + b''.join(enc(x) for x in items)


# ---- types ----------------------------------------------------------------------------------------

def heaptype(h) -> bytes:
    if isinstance(h, str):
        return bytes([HEAP_CODES[h]])
    return signed(operator.index(h))


def reftype(t: RefType) -> bytes:
    if t.nullable and isinstance(t.heap, str):
        return bytes([HEAP_CODES[t.heap]])          # shorthand, as wasm-tools writes it
    return bytes([REF_NULL if t.nullable else REF]) + heaptype(t.heap)


def valtype(t) -> bytes:
    if isinstance(t, RefType):
        return reftype(t)
    try:
        return bytes([NUM_CODES[t]])
    except (KeyError, TypeError):
        raise WasmBuildError(f'not a value type: {t!r}') from None


def storagetype(t) -> bytes:
    return bytes([PACKED_CODES[t]]) if t in PACKED_CODES else valtype(t)


def fieldtype(f) -> bytes:
    return storagetype(f.storage) + bytes([1 if f.mutable else 0])


def comptype(c) -> bytes:
    code = bytes([COMP_CODES[type(c)]])
    if isinstance(c, FuncType):
        return code + _vec(c.params, valtype) + _vec(c.results, valtype)
    if isinstance(c, StructType):
        return code + _vec(c.fields, fieldtype)
    if isinstance(c, ArrayType):
        return code + fieldtype(c.field)
    return code + signed(operator.index(c.func_type))     # an s33 type index, read like a heap type


def subtype(s: SubType) -> bytes:
    if s.final and not s.supers:
        return comptype(s.comp)
    return bytes([SUB_FINAL if s.final else SUB]) + _vec(s.supers, _u) + comptype(s.comp)


def limits(lim: Limits) -> bytes:
    flags = ((lim.max is not None) | (lim.shared << 1) | (lim.is64 << 2)
             | ((lim.page_size_log2 is not None) << 3))
    out = bytes([flags]) + _u(lim.min)
    if lim.max is not None:
        out += _u(lim.max)
    if lim.page_size_log2 is not None:
        out += _u(lim.page_size_log2)
    return out


def tabletype(t: TableType) -> bytes:
    return reftype(t.elem) + limits(t.limits)


def globaltype(t: GlobalType) -> bytes:
    return valtype(t.type) + bytes([1 if t.mutable else 0])


def blocktype(bt) -> bytes:
    if bt is None:
        return b'\x40'
    if isinstance(bt, int):
        return signed(bt)
    return valtype(bt)


# ---- instructions ---------------------------------------------------------------------------------

def _float(v, width: int) -> bytes:
    if isinstance(v, FloatBits):
        return v.bits.to_bytes(width // 8, 'little')
    return struct.pack('<f' if width == 32 else '<d', v)


def _memarg(m: MemArg) -> bytes:
    if m.mem:
        return _u(m.align | 0x40) + _u(m.mem) + _u(m.offset)
    return _u(m.align) + _u(m.offset)


def _clause(c, codes) -> bytes:
    return bytes([codes[c[0]]]) + b''.join(_u(x) for x in c[1:] if x != 'switch')


def _int(v, bits: int) -> bytes:
    v = operator.index(v)
    if not -(1 << (bits - 1)) <= v < (1 << bits):
        raise WasmBuildError(f'i{bits} constant out of range: {v}')
    if v >= 1 << (bits - 1):
        v -= 1 << bits                                # constants are signed LEB128
    return signed(v)


_IMM = {
    'bt': blocktype, 'label': _u, 'type': _u, 'func': _u, 'table': _u, 'mem': _u, 'global': _u, 'local': _u,
    'tag': _u, 'elem': _u, 'data': _u, 'field': _u, 'u32': _u, 'memarg': _memarg,
    'i32': lambda v: _int(v, 32), 'i64': lambda v: _int(v, 64),
    'f32': lambda v: _float(v, 32), 'f64': lambda v: _float(v, 64),
    'heap': heaptype, 'reftype': lambda t: heaptype(t.heap), 'valtypes': lambda ts: _vec(ts, valtype),
    'labels': lambda ls: _vec(ls, _u),
    'catches': lambda cs: _vec(cs, lambda c: _clause(c, CATCH_CODES)),
    'handlers': lambda hs: _vec(hs, lambda h: _clause(h, HANDLER_CODES)),
}


# each op's opcode bytes (instructions without immediates are just these)
_OP_BYTES = {name: bytes([op.code]) if op.prefix is None else bytes([op.prefix]) + unsigned(op.code)
             for name, op in opcodes.OPS.items()}


def instr(ins: Instr) -> bytes:
    if not ins.imms:
        code = _OP_BYTES.get(ins.op)
        if code is not None and not opcodes.OPS[ins.op].kinds:
            return code
    op = opcodes.OPS[ins.op]
    out = bytearray(_OP_BYTES[ins.op])
    imms = iter(ins.imms)
    for kind in op.kinds:
        if kind == 'castflags':
            rt1, rt2 = ins.imms[1], ins.imms[2]
            out.append(int(rt1.nullable) | int(rt2.nullable) << 1)
            continue
        try:
            out += _IMM[kind](next(imms))
        except (TypeError, ValueError, KeyError, AttributeError, StopIteration) as e:
            raise WasmBuildError(f'bad {kind} immediate in {ins.op} {ins.imms!r}: {e}') from None
    return bytes(out)


def expr(code) -> bytes:
    return b''.join(instr(i) for i in code) + b'\x0b'


# ---- sections -------------------------------------------------------------------------------------

def _section(sid: int, payload: bytes) -> bytes:
    return bytes([sid]) + unsigned(len(payload)) + payload


def _rec_group(g) -> bytes:
    if len(g.types) == 1 and not g.explicit:
        return subtype(g.types[0])
    return bytes([REC]) + _vec(g.types, subtype)


def _import(imp) -> bytes:
    d = imp.desc
    desc = {'func': lambda: _u(d), 'table': lambda: tabletype(d), 'memory': lambda: limits(d),
            'global': lambda: globaltype(d), 'tag': lambda: b'\x00' + _u(d)}[imp.kind]()
    return _name(imp.module) + _name(imp.field) + bytes([KIND_CODES[imp.kind]]) + desc


def _table(t) -> bytes:
    if t.init is None:
        return tabletype(t.type)
    return b'\x40\x00' + tabletype(t.type) + expr(t.init)


def _element(e: Element) -> bytes:
    is_funcref = e.type == RefType('func', True)
    uses_exprs = e.funcs is None
    implicit_table = e.mode == 'active' and e.table is None and is_funcref
    flags = {'active': 0 if implicit_table else 2, 'passive': 1, 'declarative': 3}[e.mode] | (uses_exprs << 2)
    out = bytes([flags])
    if e.mode == 'active':
        if not implicit_table:
            out += _u(e.table or 0)
        out += expr(e.offset)
    if uses_exprs:
        if not implicit_table:
            out += reftype(e.type)
        return out + _vec(e.exprs, expr)
    if not implicit_table:
        out += b'\x00'                      # elemkind funcref
    return out + _vec(e.funcs, _u)


def _data(d: Data) -> bytes:
    if d.mode == 'passive':
        return b'\x01' + _vec(d.data, lambda b: bytes([b]))
    if d.mem is None:
        return b'\x00' + expr(d.offset) + _u(len(d.data)) + d.data
    return b'\x02' + _u(d.mem) + expr(d.offset) + _u(len(d.data)) + d.data


def _locals(types) -> bytes:
    runs: list[list] = []
    for t in types:
        if runs and runs[-1][1] == t:
            runs[-1][0] += 1
        else:
            runs.append([1, t])
    return _vec(runs, lambda r: unsigned(r[0]) + valtype(r[1]))


def _code(f, locs: list | None = None) -> bytes:
    """A code section entry.  With `locs`, appends (offset in the entry, loc) for each instruction that has
    a location (the source map's raw material)."""
    runs = f.local_runs
    if runs is not None and [t for n, t in runs for _ in range(n)] == f.locals:
        decls = _vec(runs, lambda r: unsigned(r[0]) + valtype(r[1]))
    else:
        decls = _locals(f.locals)
    if locs is None or not any(i.loc is not None for i in f.body):
        body = decls + expr(f.body)
        return unsigned(len(body)) + body
    code = bytearray(decls)
    marks = []
    for ins in f.body:
        if ins.loc is not None and srcmap_format.reported(ins.op):
            marks.append((len(code), ins.loc))
        code += instr(ins)
    code.append(0x0b)
    size = unsigned(len(code))
    locs.extend((len(size) + at, loc) for at, loc in marks)
    return size + code


def _code_section(module: Module, srcmap: list) -> bytes:
    """The code section's payload; `srcmap` receives (function index, fx name, start, size, [(offset in the
    payload, loc)]) for every function with locations (an engine can report)."""
    nimp = module.imports.count('func')
    out = bytearray(unsigned(len(module.funcs)))
    for k, f in enumerate(module.funcs):
        locs = []
        start = len(out)
        out += _code(f, locs)
        if locs:
            srcmap.append((nimp + k, f.fx_name, start, len(out) - start,
                           [(start + at, loc) for at, loc in locs]))
    return bytes(out)


def _name_map(m: dict) -> bytes:
    # keys may mix handles and ints naming the same index: resolve first, the later entry wins
    items = sorted({operator.index(k): v for k, v in m.items()}.items())
    return _vec(items, lambda kv: unsigned(kv[0]) + _name(kv[1]))


def _indirect_map(m: dict) -> bytes:
    merged: dict[int, dict] = {}
    for k, v in m.items():
        merged.setdefault(operator.index(k), {}).update(v)
    items = sorted((k, v) for k, v in merged.items() if v)
    return _vec(items, lambda kv: unsigned(kv[0]) + _name_map(kv[1]))


def names_section(n) -> bytes:
    subs = []
    if n.module is not None:
        subs.append((0, _name(n.module)))
    for sid, m, enc in ((1, n.funcs, _name_map), (2, n.locals, _indirect_map), (3, n.labels, _indirect_map),
                        (4, n.types, _name_map), (5, n.tables, _name_map), (6, n.memories, _name_map),
                        (7, n.globals, _name_map), (8, n.elems, _name_map), (9, n.datas, _name_map),
                        (10, n.fields, _indirect_map), (11, n.tags, _name_map)):
        if any(m.values()):
            subs.append((sid, enc(m)))
    subs.extend(n.unknown)
    subs.sort(key=lambda s: s[0])
    payload = _name('name') + b''.join(bytes([sid]) + unsigned(len(p)) + p for sid, p in subs)
    return _section(CUSTOM, payload)


def _needs_data_count(module: Module) -> bool:
    if module.data_count is not None:
        return module.data_count
    return any(i.op in DATA_OPS for f in module.funcs for i in f.body)


def encode(module: Module) -> bytes:
    """Module -> the bytes of its binary encoding.  Raises WasmBuildError for malformed builder data."""
    elements = module.elements_with_declarations()
    present = {
        TYPE: len(module.types.groups), IMPORT: len(module.imports), FUNCTION: len(module.funcs),
        TABLE: len(module.tables), MEMORY: len(module.memories), TAG: len(module.tags),
        GLOBAL: len(module.globals), EXPORT: len(module.exports), START: module.start is not None,
        ELEMENT: len(elements), DATA_COUNT: _needs_data_count(module), CODE: len(module.funcs),
        DATA: len(module.datas),
    }
    payloads = {
        TYPE: lambda: _vec(module.types.groups, _rec_group),
        IMPORT: lambda: _vec(module.imports, _import),
        FUNCTION: lambda: _vec(module.funcs, lambda f: _u(f.type)),
        TABLE: lambda: _vec(module.tables, _table),
        MEMORY: lambda: _vec(module.memories, limits),
        TAG: lambda: _vec(module.tags, lambda t: b'\x00' + _u(t.type)),
        GLOBAL: lambda: _vec(module.globals, lambda g: globaltype(g.type) + expr(g.init)),
        EXPORT: lambda: _vec(module.exports, lambda e: _name(e.name) + bytes([KIND_CODES[e.kind]]) + _u(e.index)),
        START: lambda: _u(module.start),
        ELEMENT: lambda: _vec(elements, _element),
        DATA_COUNT: lambda: unsigned(len(module.datas)),
        DATA: lambda: _vec(module.datas, _data),
    }
    srcmap: list = []                    # filled while the code section is encoded
    customs = {}
    for c in module.customs:
        customs.setdefault(c.after, []).append(_section(CUSTOM, _name(c.name) + c.data))
    out = bytearray(MAGIC)
    out += b''.join(customs.get(0, []))
    for sid in SECTION_ORDER:
        if present[sid] or sid in module.keep_empty:
            if sid == CODE:
                payload = _code_section(module, srcmap)
                base = len(out) + 1 + len(unsigned(len(payload)))     # after the id byte and the size
                srcmap = [(i, name, base + start, size, [(base + at, loc) for at, loc in locs])
                          for i, name, start, size, locs in srcmap]
                out += _section(sid, payload)
            else:
                out += _section(sid, payloads[sid]())
        out += b''.join(customs.get(sid, []))
    if not module.names.is_empty():
        out += names_section(module.names)
    if any(entries for *_, entries in srcmap):
        out += _section(CUSTOM, _name(srcmap_format.SECTION) + srcmap_format.encode(srcmap))
    return bytes(out)
