"""Binary decoder: bytes --> vm.syntax.Module.

    decode(data) -> Module        raises DecodeError(msg, offset), and nothing else, for any input.

Covers the whole binary format the VM runs: Wasm 2.0 without SIMD, tail calls, typed function
references, GC (rec groups, sub types, struct/array, 0xfb), exception handling (tag section,
try_table/throw/throw_ref), stack switching (cont types, 0xe0-0xe6) and our `barrier` (0xe7),
plus the name section (with the extended subsections for types, fields, tags, globals, ...).

Like the reference interpreter (interpreter/binary/decode.ml), a section's contents are read from
the whole stream and its size is checked afterwards ("section size mismatch"); error messages use
its wording because spec scripts compare them by prefix. Instructions are decoded into a flat list
(vm/syntax/module.py); block structure is tracked with a small stack, so nesting depth costs no
Python recursion. Every count is checked against the bytes left before anything is allocated.
"""

from __future__ import annotations

import gc

from ..errors import DecodeError
from ..syntax.types import (RefType, FieldType, FuncType, StructType, ArrayType, ContType, SubType,
                            RecGroup, Limits, TableType, MemoryType, GlobalType, TagType)
from ..syntax.module import (Instr, MemArg, Catch, Handler, Import, Export, Func, Table, Memory, Global,
                             Tag, Elem, Data, Custom, Names, Module)
from . import opcodes as op
from .leb128 import read_uN, read_sN, UNEXPECTED_END

MAGIC = b'\x00asm'
VERSION = b'\x01\x00\x00\x00'

# Implementation limits on locals, which are expanded into one tuple per function: at most 50000 in
# one function (as in wasmparser), and, over the whole module, a number proportional to its size
# (so a few bytes per function cannot ask for gigabytes). The spec's own limit, 2^32 per function,
# gives the same message.
MAX_LOCALS = 50000
LOCALS_PER_BYTE = 8

_SINGLE = [op.SINGLE.get(b) for b in range(256)]
_ORDER = {sid: i for i, sid in enumerate(op.SECTION_ORDER)}
_NUM_CODES = op.NUM_TYPE_CODES
_HEAP_CODES = op.HEAP_TYPE_CODES
_END_EXPECTED = frozenset({op.ELSE, 0x07, 0x19})   # bytes that close an instruction sequence


def decode(data: bytes) -> Module:
    """Decode a binary module. Raises DecodeError(msg, offset) if `data` is malformed."""
    data = bytes(data)
    # Decoding allocates many small objects and no cycles: the cyclic GC would only rescan them
    # (it costs 2/3 of the decoding time on big modules).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Decoder(data).module()
    except IndexError:
        # Reading past the input: all reads index `data` directly and let this signal the end.
        raise DecodeError(UNEXPECTED_END, len(data)) from None
    finally:
        if gc_was_enabled:
            gc.enable()


class _Decoder:
    def __init__(self, data: bytes):
        self.data = data
        self.uses_data = False      # a function body names a data segment: data count required
        self.in_func = False
        self.locals_budget = MAX_LOCALS + LOCALS_PER_BYTE * len(self.data)

    # ---- Generic values -------------------------------------------------------------------

    def u32(self, pos: int) -> tuple[int, int]:
        b = self.data[pos]
        if b < 0x80:
            return b, pos + 1
        return read_uN(self.data, pos, 32)

    def len32(self, pos: int) -> tuple[int, int]:
        """A u32 length or count, which must fit in the bytes that are left."""
        n, p = self.u32(pos)
        if n > len(self.data) - pos:        # measured from the length itself, as the spec does
            raise DecodeError('length out of bounds', pos)
        return n, p

    def code7(self, pos: int) -> tuple[int, int]:
        """A one-byte type code (read as s7, so a continuation bit is 'too long')."""
        b = self.data[pos]
        if b & 0x80:
            self.data[pos + 1]      # the input may simply end here
            raise DecodeError('integer representation too long', pos + 1)
        return b, pos + 1

    def bytes_(self, pos: int, n: int) -> tuple[bytes, int]:
        if n < 0 or pos + n > len(self.data):
            raise DecodeError(UNEXPECTED_END, len(self.data))
        return self.data[pos:pos + n], pos + n

    def name(self, pos: int) -> tuple[str, int]:
        n, p = self.len32(pos)
        raw, p = self.bytes_(p, n)
        try:
            return raw.decode('utf-8'), p
        except UnicodeDecodeError:
            raise DecodeError('malformed UTF-8 encoding', pos) from None

    # ---- Types ----------------------------------------------------------------------------

    def heap_type(self, pos: int):
        b = self.data[pos]
        if b < 0x40:
            return b, pos + 1
        if b & 0x80:
            try:
                x, p = read_sN(self.data, pos, 33)
            except DecodeError:
                x = -1
            if x >= 0:
                return x, p
        b, p = self.code7(pos)
        ht = _HEAP_CODES.get(b)
        if ht is None:
            raise DecodeError('malformed heap type', pos)
        return ht, p

    def ref_type(self, pos: int, msg: str = 'malformed reference type'):
        b, p = self.code7(pos)
        ht = _HEAP_CODES.get(b)
        if ht is not None:
            return RefType(True, ht), p
        if b == op.REF:
            ht, p = self.heap_type(p)
            return RefType(False, ht), p
        if b == op.REF_NULL:
            ht, p = self.heap_type(p)
            return RefType(True, ht), p
        raise DecodeError(msg, pos)

    def val_type(self, pos: int):
        t = _NUM_CODES.get(self.data[pos])
        if t is not None:
            return t, pos + 1
        return self.ref_type(pos, 'malformed value type')

    def result_type(self, pos: int) -> tuple[tuple, int]:
        n, p = self.len32(pos)
        ts = []
        for _ in range(n):
            t, p = self.val_type(p)
            ts.append(t)
        return tuple(ts), p

    def storage_type(self, pos: int):
        b = self.data[pos]
        packed = op.PACKED_TYPE_CODES.get(b)
        if packed is not None:
            return packed, pos + 1
        if b in _NUM_CODES:
            return _NUM_CODES[b], pos + 1
        return self.ref_type(pos, 'malformed storage type')

    def mutability(self, pos: int) -> tuple[bool, int]:
        b = self.data[pos]
        if b > 1:
            raise DecodeError('malformed mutability', pos)
        return b == 1, pos + 1

    def field_type(self, pos: int) -> tuple[FieldType, int]:
        st, p = self.storage_type(pos)
        mut, p = self.mutability(p)
        return FieldType(st, mut), p

    def composite_type(self, pos: int):
        b, p = self.code7(pos)
        if b == op.FUNC_TYPE:
            params, p = self.result_type(p)
            results, p = self.result_type(p)
            return FuncType(params, results), p
        if b == op.STRUCT_TYPE:
            n, p = self.len32(p)
            fields = []
            for _ in range(n):
                f, p = self.field_type(p)
                fields.append(f)
            return StructType(tuple(fields)), p
        if b == op.ARRAY_TYPE:
            f, p = self.field_type(p)
            return ArrayType(f), p
        if b == op.CONT_TYPE:
            x, p2 = self.heap_type(p)
            if not isinstance(x, int):
                raise DecodeError('malformed type index', p)
            return ContType(x), p2
        raise DecodeError('malformed definition type', pos)

    def sub_type(self, pos: int) -> tuple[SubType, int]:
        b = self.data[pos]
        if b == op.SUB or b == op.SUB_FINAL:
            n, p = self.len32(pos + 1)
            supers = []
            for _ in range(n):
                x, p = self.u32(p)
                supers.append(x)
            ct, p = self.composite_type(p)
            return SubType(b == op.SUB_FINAL, tuple(supers), ct), p
        ct, p = self.composite_type(pos)
        return SubType(True, (), ct), p

    def limits(self, pos: int) -> tuple[Limits, int]:
        flags = self.data[pos]
        if flags & 0xfa:
            raise DecodeError('malformed limits flags', pos)
        mn, p = read_uN(self.data, pos + 1, 64)
        mx = None
        if flags & 1:
            mx, p = read_uN(self.data, p, 64)
        return Limits(mn, mx, False, 'i64' if flags & 4 else 'i32'), p

    def table_type(self, pos: int) -> tuple[TableType, int]:
        rt, p = self.ref_type(pos)
        lim, p = self.limits(p)
        return TableType(rt, lim), p

    def memory_type(self, pos: int) -> tuple[MemoryType, int]:
        lim, p = self.limits(pos)
        return MemoryType(lim), p

    def global_type(self, pos: int) -> tuple[GlobalType, int]:
        t, p = self.val_type(pos)
        mut, p = self.mutability(p)
        return GlobalType(t, mut), p

    def tag_type(self, pos: int) -> tuple[TagType, int]:
        if self.data[pos] != 0:
            raise DecodeError('zero byte expected', pos)
        x, p = self.u32(pos + 1)
        return TagType(x), p

    # ---- Instructions ---------------------------------------------------------------------

    def block_type(self, pos: int):
        data = self.data
        b = data[pos]
        if b == op.EMPTY_BLOCK:
            return None, pos + 1
        if b < 0x40:
            return b, pos + 1
        if b in _NUM_CODES or b in _HEAP_CODES or b == op.REF or b == op.REF_NULL:
            return self.val_type(pos)
        if b & 0x80:
            x, p = read_sN(data, pos, 33)
            if x >= 0:
                return x, p
        raise DecodeError('malformed block type', pos)

    def memarg(self, pos: int) -> tuple[MemArg, int]:
        flags, p = self.u32(pos)
        if flags >= 0x80:
            raise DecodeError('malformed memop flags', pos)
        mem = 0
        if flags & 0x40:
            mem, p = self.u32(p)
        offset, p = read_uN(self.data, p, 64)
        return MemArg(flags & 0x3f, offset, mem), p

    def handlers(self, pos: int) -> tuple[tuple, int]:
        n, p = self.len32(pos)
        hs = []
        for _ in range(n):
            kind = self.data[p]
            if kind == 0x00:
                tag, p = self.u32(p + 1)
                label, p = self.u32(p)
                hs.append(Handler(tag, label))
            elif kind == 0x01:
                tag, p = self.u32(p + 1)
                hs.append(Handler(tag, None))
            else:
                raise DecodeError('malformed handler clause', p)
        return tuple(hs), p

    def catches(self, pos: int) -> tuple[tuple, int]:
        n, p = self.len32(pos)
        cs = []
        for _ in range(n):
            kind = self.data[p]
            p += 1
            if kind == 0x00 or kind == 0x01:
                tag, p = self.u32(p)
                label, p = self.u32(p)
                cs.append(Catch('catch' if kind == 0 else 'catch_ref', tag, label))
            elif kind == 0x02 or kind == 0x03:
                label, p = self.u32(p)
                cs.append(Catch('catch_all' if kind == 2 else 'catch_all_ref', None, label))
            else:
                raise DecodeError('malformed catch clause', p - 1)
        return tuple(cs), p

    def immediates(self, kind: int, pos: int) -> tuple[tuple, int]:
        """The immediates of an instruction of the given kind (opcodes.py) that start at `pos`."""
        data = self.data
        if kind == op.IDX:
            x, p = self.u32(pos)
            return (x,), p
        if kind == op.IDX2:
            x, p = self.u32(pos)
            y, p = self.u32(p)
            return (x, y), p
        if kind == op.NONE:
            return (), pos
        if kind == op.MEMARG:
            m, p = self.memarg(pos)
            return (m,), p
        if kind == op.I32:
            x, p = read_sN(data, pos, 32)
            return (x,), p
        if kind == op.I64:
            x, p = read_sN(data, pos, 64)
            return (x,), p
        if kind == op.F32:
            raw, p = self.bytes_(pos, 4)
            return (int.from_bytes(raw, 'little'),), p
        if kind == op.F64:
            raw, p = self.bytes_(pos, 8)
            return (int.from_bytes(raw, 'little'),), p
        if kind == op.BLOCK:
            bt, p = self.block_type(pos)
            return (bt,), p
        if kind == op.BR_TABLE:
            n, p = self.len32(pos)
            labels = []
            for _ in range(n):
                x, p = self.u32(p)
                labels.append(x)
            default, p = self.u32(p)
            return (tuple(labels), default), p
        if kind == op.SELECT_T:
            ts, p = self.result_type(pos)
            return (ts,), p
        if kind == op.HEAPTYPE:
            ht, p = self.heap_type(pos)
            return (ht,), p
        if kind == op.TRY_TABLE:
            bt, p = self.block_type(pos)
            cs, p = self.catches(p)
            return (bt, cs), p
        if kind == op.RESUME:
            x, p = self.u32(pos)
            hs, p = self.handlers(p)
            return (x, hs), p
        if kind == op.RESUME_THROW:
            x, p = self.u32(pos)
            tag, p = self.u32(p)
            hs, p = self.handlers(p)
            return (x, tag, hs), p
        if kind == op.REFTYPE_NN or kind == op.REFTYPE_NULL:
            ht, p = self.heap_type(pos)
            return (RefType(kind == op.REFTYPE_NULL, ht),), p
        if kind == op.BR_ON_CAST:
            flags = data[pos]
            if flags & 0xfc:
                raise DecodeError('malformed br_on_cast flags', pos)
            label, p = self.u32(pos + 1)
            ht1, p = self.heap_type(p)
            ht2, p = self.heap_type(p)
            return (label, RefType(bool(flags & 1), ht1), RefType(bool(flags & 2), ht2)), p
        if kind == op.ARRAY_FIXED:
            x, p = self.u32(pos)
            n, p = self.u32(p)
            return (x, n), p
        raise AssertionError(f'unknown immediate kind {kind}')

    def prefixed(self, table: dict, prefix: int, off: int, pos: int) -> tuple[Instr, int]:
        sub, p = read_uN(self.data, pos, 32)
        entry = table.get(sub)
        if entry is None:
            raise DecodeError(f'illegal opcode {prefix:02x} {sub:02x}', off)
        name, kind = entry
        if name in op.USES_DATA and self.in_func:
            self.uses_data = True
        args, p = self.immediates(kind, p)
        return Instr(name, args, off), p

    def expr(self, pos: int) -> tuple[list, int]:
        """Instructions up to and including the `end` that closes the sequence starting at `pos`."""
        # The hot loop of the decoder: common immediates are read inline (one-byte LEB128 fast
        # paths), everything else goes through immediates().
        data = self.data
        out = []
        append = out.append
        single = _SINGLE
        immediates = self.immediates
        NONE, IDX, I32, MEMARG, BLOCK, TRY_TABLE = op.NONE, op.IDX, op.I32, op.MEMARG, op.BLOCK, op.TRY_TABLE
        END, ELSE, IF = op.END, op.ELSE, op.IF
        # Open blocks: True for an `if` still waiting for its `else`.
        ctl = []
        while True:
            off = pos
            b = data[pos]
            pos += 1
            entry = single[b]
            if entry is not None:
                name, kind = entry
                if kind == NONE:
                    append(Instr(name, (), off))
                elif kind == IDX:
                    x = data[pos]
                    if x < 0x80:
                        pos += 1
                    else:
                        x, pos = read_uN(data, pos, 32)
                    append(Instr(name, (x,), off))
                elif kind == I32:
                    x = data[pos]
                    if x < 0x40:
                        pos += 1
                    elif x < 0x80:
                        x -= 0x80
                        pos += 1
                    else:
                        x, pos = read_sN(data, pos, 32)
                    append(Instr(name, (x,), off))
                elif kind == MEMARG:
                    flags = data[pos]
                    o = data[pos + 1]
                    if flags < 0x40 and o < 0x80:
                        pos += 2
                        append(Instr(name, (MemArg(flags, o, 0),), off))
                    else:
                        m, pos = self.memarg(pos)
                        append(Instr(name, (m,), off))
                else:
                    args, pos = immediates(kind, pos)
                    append(Instr(name, args, off))
                    if kind == BLOCK or kind == TRY_TABLE:
                        ctl.append(b == IF)
            elif b == END:
                append(Instr('end', (), off))
                if not ctl:
                    return out, pos
                ctl.pop()
            elif b == ELSE and ctl and ctl[-1]:
                ctl[-1] = False
                append(Instr('else', (), off))
            elif b in _END_EXPECTED:
                raise DecodeError('END opcode expected', off)
            elif b == op.PREFIX_MISC:
                ins, pos = self.prefixed(op.MISC, b, off, pos)
                append(ins)
            elif b == op.PREFIX_GC:
                ins, pos = self.prefixed(op.GC, b, off, pos)
                append(ins)
            elif b == op.PREFIX_SIMD:
                sub, _ = read_uN(data, pos, 32)
                raise DecodeError(f'illegal opcode fd {sub:02x} (SIMD is not supported)', off)
            else:
                raise DecodeError(f'illegal opcode {b:02x}', off)

    # ---- Sections -------------------------------------------------------------------------

    def vec(self, item, pos: int) -> tuple[list, int]:
        n, p = self.len32(pos)
        xs = []
        for _ in range(n):
            x, p = item(p)
            xs.append(x)
        return xs, p

    def type_section(self, m: Module, pos: int) -> int:
        n, p = self.len32(pos)
        for _ in range(n):
            if self.data[p] == op.REC:
                sts, p = self.vec(self.sub_type, p + 1)
            else:
                st, p = self.sub_type(p)
                sts = [st]
            m.rec_groups.append(RecGroup(len(m.types), len(sts)))
            m.types.extend(sts)
        return p

    def import_(self, pos: int) -> tuple[Import, int]:
        module, p = self.name(pos)
        name, p = self.name(p)
        kind = self.data[p]
        if kind == 0x00:
            desc, p2 = self.u32(p + 1)
        elif kind == 0x01:
            desc, p2 = self.table_type(p + 1)
        elif kind == 0x02:
            desc, p2 = self.memory_type(p + 1)
        elif kind == 0x03:
            desc, p2 = self.global_type(p + 1)
        elif kind == 0x04:
            desc, p2 = self.tag_type(p + 1)
        else:
            raise DecodeError('malformed import kind', p)
        return Import(module, name, op.EXTERN_KINDS[kind], desc, pos), p2

    def table(self, pos: int) -> tuple[Table, int]:
        if self.data[pos] == 0x40:
            if self.data[pos + 1] != 0:
                raise DecodeError('zero byte expected', pos + 1)
            tt, p = self.table_type(pos + 2)
            init, p = self.expr(p)
            return Table(tt, init, pos), p
        tt, p = self.table_type(pos)
        return Table(tt, None, pos), p

    def memory(self, pos: int) -> tuple[Memory, int]:
        mt, p = self.memory_type(pos)
        return Memory(mt, pos), p

    def tag(self, pos: int) -> tuple[Tag, int]:
        tt, p = self.tag_type(pos)
        return Tag(tt, pos), p

    def global_(self, pos: int) -> tuple[Global, int]:
        gt, p = self.global_type(pos)
        init, p = self.expr(p)
        return Global(gt, init, pos), p

    def export(self, pos: int) -> tuple[Export, int]:
        name, p = self.name(pos)
        kind = self.data[p]
        if kind > 4:
            raise DecodeError('malformed export kind', p)
        x, p = self.u32(p + 1)
        return Export(name, op.EXTERN_KINDS[kind], x, pos), p

    def elem_kind(self, pos: int) -> tuple[RefType, int]:
        if self.data[pos] != 0x00:
            raise DecodeError('malformed element kind', pos)
        return RefType(False, 'func'), pos + 1

    def func_indices(self, pos: int) -> tuple[list, int]:
        n, p = self.len32(pos)
        init = []
        for _ in range(n):
            off = p
            x, p = self.u32(p)
            init.append([Instr('ref.func', (x,), off), Instr('end', (), off)])
        return init, p

    def elem(self, pos: int) -> tuple[Elem, int]:
        flags, p = self.u32(pos)
        if flags > 7:
            raise DecodeError('malformed elements segment kind', pos)
        table, offset = None, None
        if flags & 1 == 0:                      # active
            mode = 'active'
            table = 0
            if flags & 2:
                table, p = self.u32(p)
            offset, p = self.expr(p)
        else:
            mode = 'declarative' if flags & 2 else 'passive'
        if flags & 4:                           # expressions
            if flags == 4:
                rt = RefType(True, 'func')
            else:
                rt, p = self.ref_type(p)
            init, p = self.vec(self.expr, p)
        else:                                   # function indices
            rt = RefType(False, 'func')
            if flags != 0:
                rt, p = self.elem_kind(p)
            init, p = self.func_indices(p)
        return Elem(mode, rt, init, table, offset, pos), p

    def data_(self, pos: int) -> tuple[Data, int]:
        flags, p = self.u32(pos)
        if flags > 2:
            raise DecodeError('malformed data segment kind', pos)
        if flags == 1:
            n, p = self.len32(p)
            init, p = self.bytes_(p, n)
            return Data('passive', init, None, None, pos), p
        mem = 0
        if flags == 2:
            mem, p = self.u32(p)
        offset, p = self.expr(p)
        n, p = self.len32(p)
        init, p = self.bytes_(p, n)
        return Data('active', init, mem, offset, pos), p

    def code(self, pos: int) -> tuple[tuple, int]:
        """One code section entry: (locals, body, offset)."""
        size, p = self.len32(pos)
        start = p
        n, p = self.len32(p)
        groups = []
        total = 0
        for _ in range(n):
            count, p = self.u32(p)
            t, p = self.val_type(p)
            groups.append((count, t))
            total += count
        if total >= 1 << 32 or total > MAX_LOCALS or total > self.locals_budget:
            raise DecodeError('too many locals', start)
        self.locals_budget -= total
        locals_ = []
        for count, t in groups:
            locals_.extend([t] * count)
        self.in_func = True
        body, p = self.expr(p)
        self.in_func = False
        if p != start + size:
            raise DecodeError('section size mismatch', start)
        return (tuple(locals_), body, pos), p

    def custom(self, m: Module, pos: int, size: int, section_offset: int, after: int) -> int:
        start = pos
        name, p = self.name(pos)
        content, p = self.bytes_(p, size - (p - start))
        m.customs.append(Custom(name, content, section_offset, after))
        if name == 'name':
            m.names = decode_names(content)
        return p

    def module(self) -> Module:
        data = self.data
        if len(data) < 4:
            raise DecodeError('unexpected end', len(data))
        if data[:4] != MAGIC:
            raise DecodeError('magic header not detected', 0)
        if len(data) < 8:
            raise DecodeError('unexpected end', len(data))
        if data[4:8] != VERSION:
            raise DecodeError('unknown binary version', 4)
        m = Module()
        func_types: list = []
        codes: list = []
        last = -1           # position in SECTION_ORDER of the last non-custom section
        after = 0           # id of the last non-custom section
        code_offset = func_offset = None
        pos = 8
        end = len(data)
        while pos < end:
            section_offset = pos
            sid = data[pos]
            if sid > 13:
                raise DecodeError('malformed section id', pos)
            size, p = self.len32(pos + 1)
            start = p
            if sid == 0:
                pos = self.custom(m, p, size, section_offset, after)
                continue
            order = _ORDER[sid]
            if order <= last:
                raise DecodeError('unexpected content after last section', section_offset)
            last, after = order, sid
            if sid == 1:
                p = self.type_section(m, p)
            elif sid == 2:
                m.imports, p = self.vec(self.import_, p)
            elif sid == 3:
                func_offset = section_offset
                func_types, p = self.vec(self.u32, p)
            elif sid == 4:
                m.tables, p = self.vec(self.table, p)
            elif sid == 5:
                m.memories, p = self.vec(self.memory, p)
            elif sid == 13:
                m.tags, p = self.vec(self.tag, p)
            elif sid == 6:
                m.globals, p = self.vec(self.global_, p)
            elif sid == 7:
                m.exports, p = self.vec(self.export, p)
            elif sid == 8:
                m.start, p = self.u32(p)
            elif sid == 9:
                m.elems, p = self.vec(self.elem, p)
            elif sid == 12:
                m.datacount, p = self.u32(p)
            elif sid == 10:
                code_offset = section_offset
                codes, p = self.vec(self.code, p)
            elif sid == 11:
                m.datas, p = self.vec(self.data_, p)
            if p != start + size:
                raise DecodeError('section size mismatch', start)
            pos = p
        if len(func_types) != len(codes):
            at = code_offset if code_offset is not None else func_offset
            raise DecodeError('function and code section have inconsistent lengths', at)
        if m.datacount is not None and m.datacount != len(m.datas):
            raise DecodeError('data count and data section have inconsistent lengths', end)
        if m.datacount is None and self.uses_data:
            raise DecodeError('data count section required', end)
        m.funcs = [Func(x, locals_, body, off) for x, (locals_, body, off) in zip(func_types, codes)]
        return m


# ---- The name section ---------------------------------------------------------------------

_NAME_MAPS = {1: 'funcs', 4: 'types', 5: 'tables', 6: 'memories', 7: 'globals', 8: 'elems',
              9: 'datas', 11: 'tags'}
_INDIRECT_NAME_MAPS = {2: 'locals', 3: 'labels', 10: 'fields'}


def decode_names(content: bytes) -> Names:
    """The contents of a 'name' custom section. Malformed parts are dropped, never an error: a custom
    section cannot make a module malformed."""
    names = Names()
    d = _Decoder(content)
    pos = 0
    try:
        while pos < len(content):
            sid = content[pos]
            size, p = d.len32(pos + 1)
            sub = _Decoder(content[p:p + size])
            if sid == 0:
                names.module, _ = sub.name(0)
            elif sid in _NAME_MAPS:
                getattr(names, _NAME_MAPS[sid]).update(_name_map(sub, 0)[0])
            elif sid in _INDIRECT_NAME_MAPS:
                target = getattr(names, _INDIRECT_NAME_MAPS[sid])
                n, q = sub.len32(0)
                for _ in range(n):
                    x, q = sub.u32(q)
                    inner, q = _name_map(sub, q)
                    target[x] = inner
            pos = p + size
    except (DecodeError, IndexError):
        pass
    return names


def _name_map(d: _Decoder, pos: int) -> tuple[dict, int]:
    n, p = d.len32(pos)
    out = {}
    for _ in range(n):
        x, p = d.u32(p)
        s, p = d.name(p)
        out[x] = s
    return out, p
