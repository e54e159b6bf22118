"""The VM's opcode table: binary opcode -> (text-format name, immediate kind).

One table for the decoder (the compiler has its own, see the independence rule). Immediate kinds say
how vm.binary.decode reads the bytes after the opcode and what Instr.args holds (see vm/syntax/module.py):

    NONE        ()
    IDX         (u32,)                     local/global/func/table/tag/label/type/data/elem index
    IDX2        (u32, u32)                 two indices in binary order
    BLOCK       (blocktype,)
    MEMARG      (MemArg,)
    I32 I64     (signed value,)
    F32 F64     (raw bits,)
    BR_TABLE    (labels, default)
    SELECT_T    (types,)
    HEAPTYPE    (heaptype,)
    TRY_TABLE   (blocktype, catches)
    RESUME      (typeidx, handlers)
    RESUME_THROW (typeidx, tagidx, handlers)
    REFTYPE_NN / REFTYPE_NULL  (RefType,)   ref.test / ref.cast, non-null or nullable
    BR_ON_CAST  (label, rt1, rt2)
    ARRAY_FIXED (typeidx, n)
"""

NONE = 0
IDX = 1
IDX2 = 2
BLOCK = 3
MEMARG = 4
I32 = 5
I64 = 6
F32 = 7
F64 = 8
BR_TABLE = 9
SELECT_T = 10
HEAPTYPE = 11
TRY_TABLE = 12
RESUME = 13
RESUME_THROW = 14
REFTYPE_NN = 15
REFTYPE_NULL = 16
BR_ON_CAST = 17
ARRAY_FIXED = 18

# Opcodes with their own handling in the decoder (structure and prefixes).
ELSE = 0x05
END = 0x0b
PREFIX_GC = 0xfb
PREFIX_MISC = 0xfc
PREFIX_SIMD = 0xfd

# Opcodes that open a block (pushed on the decoder's control stack).
BLOCK_OPS = frozenset({0x02, 0x03, 0x04, 0x1f, 0xe7})
IF = 0x04

SINGLE: dict[int, tuple[str, int]] = {
    0x00: ('unreachable', NONE),
    0x01: ('nop', NONE),
    0x02: ('block', BLOCK),
    0x03: ('loop', BLOCK),
    0x04: ('if', BLOCK),
    0x08: ('throw', IDX),
    0x0a: ('throw_ref', NONE),
    0x0c: ('br', IDX),
    0x0d: ('br_if', IDX),
    0x0e: ('br_table', BR_TABLE),
    0x0f: ('return', NONE),
    0x10: ('call', IDX),
    0x11: ('call_indirect', IDX2),
    0x12: ('return_call', IDX),
    0x13: ('return_call_indirect', IDX2),
    0x14: ('call_ref', IDX),
    0x15: ('return_call_ref', IDX),
    0x1a: ('drop', NONE),
    0x1b: ('select', NONE),
    0x1c: ('select', SELECT_T),
    0x1f: ('try_table', TRY_TABLE),
    0x20: ('local.get', IDX),
    0x21: ('local.set', IDX),
    0x22: ('local.tee', IDX),
    0x23: ('global.get', IDX),
    0x24: ('global.set', IDX),
    0x25: ('table.get', IDX),
    0x26: ('table.set', IDX),
    0x28: ('i32.load', MEMARG),
    0x29: ('i64.load', MEMARG),
    0x2a: ('f32.load', MEMARG),
    0x2b: ('f64.load', MEMARG),
    0x2c: ('i32.load8_s', MEMARG),
    0x2d: ('i32.load8_u', MEMARG),
    0x2e: ('i32.load16_s', MEMARG),
    0x2f: ('i32.load16_u', MEMARG),
    0x30: ('i64.load8_s', MEMARG),
    0x31: ('i64.load8_u', MEMARG),
    0x32: ('i64.load16_s', MEMARG),
    0x33: ('i64.load16_u', MEMARG),
    0x34: ('i64.load32_s', MEMARG),
    0x35: ('i64.load32_u', MEMARG),
    0x36: ('i32.store', MEMARG),
    0x37: ('i64.store', MEMARG),
    0x38: ('f32.store', MEMARG),
    0x39: ('f64.store', MEMARG),
    0x3a: ('i32.store8', MEMARG),
    0x3b: ('i32.store16', MEMARG),
    0x3c: ('i64.store8', MEMARG),
    0x3d: ('i64.store16', MEMARG),
    0x3e: ('i64.store32', MEMARG),
    0x3f: ('memory.size', IDX),
    0x40: ('memory.grow', IDX),
    0x41: ('i32.const', I32),
    0x42: ('i64.const', I64),
    0x43: ('f32.const', F32),
    0x44: ('f64.const', F64),
    0xd0: ('ref.null', HEAPTYPE),
    0xd1: ('ref.is_null', NONE),
    0xd2: ('ref.func', IDX),
    0xd3: ('ref.eq', NONE),
    0xd4: ('ref.as_non_null', NONE),
    0xd5: ('br_on_null', IDX),
    0xd6: ('br_on_non_null', IDX),
    0xe0: ('cont.new', IDX),
    0xe1: ('cont.bind', IDX2),
    0xe2: ('suspend', IDX),
    0xe3: ('resume', RESUME),
    0xe4: ('resume_throw', RESUME_THROW),
    0xe5: ('resume_throw_ref', RESUME),
    0xe6: ('switch', IDX2),
    0xe7: ('barrier', BLOCK),
}

# 0x45 .. 0xc4: numeric instructions without immediates, in opcode order.
_NUMERIC = """
i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u i32.ge_s i32.ge_u
i64.eqz i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u
f32.eq f32.ne f32.lt f32.gt f32.le f32.ge
f64.eq f64.ne f64.lt f64.gt f64.le f64.ge
i32.clz i32.ctz i32.popcnt i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u
i32.and i32.or i32.xor i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr
i64.clz i64.ctz i64.popcnt i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s i64.rem_u
i64.and i64.or i64.xor i64.shl i64.shr_s i64.shr_u i64.rotl i64.rotr
f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt f32.add f32.sub f32.mul f32.div
f32.min f32.max f32.copysign
f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt f64.add f64.sub f64.mul f64.div
f64.min f64.max f64.copysign
i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u
i64.extend_i32_s i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u
f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64
f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32
i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64
i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s
""".split()
assert len(_NUMERIC) == 0xc4 - 0x45 + 1
for _i, _name in enumerate(_NUMERIC):
    SINGLE[0x45 + _i] = (_name, NONE)

# 0xfc prefix: saturating truncation, bulk memory and table instructions.
MISC: dict[int, tuple[str, int]] = {
    0x00: ('i32.trunc_sat_f32_s', NONE),
    0x01: ('i32.trunc_sat_f32_u', NONE),
    0x02: ('i32.trunc_sat_f64_s', NONE),
    0x03: ('i32.trunc_sat_f64_u', NONE),
    0x04: ('i64.trunc_sat_f32_s', NONE),
    0x05: ('i64.trunc_sat_f32_u', NONE),
    0x06: ('i64.trunc_sat_f64_s', NONE),
    0x07: ('i64.trunc_sat_f64_u', NONE),
    0x08: ('memory.init', IDX2),        # dataidx, memidx
    0x09: ('data.drop', IDX),
    0x0a: ('memory.copy', IDX2),        # dst memidx, src memidx
    0x0b: ('memory.fill', IDX),
    0x0c: ('table.init', IDX2),         # elemidx, tableidx
    0x0d: ('elem.drop', IDX),
    0x0e: ('table.copy', IDX2),         # dst tableidx, src tableidx
    0x0f: ('table.grow', IDX),
    0x10: ('table.size', IDX),
    0x11: ('table.fill', IDX),
}

# 0xfb prefix: GC instructions.
GC: dict[int, tuple[str, int]] = {
    0x00: ('struct.new', IDX),
    0x01: ('struct.new_default', IDX),
    0x02: ('struct.get', IDX2),
    0x03: ('struct.get_s', IDX2),
    0x04: ('struct.get_u', IDX2),
    0x05: ('struct.set', IDX2),
    0x06: ('array.new', IDX),
    0x07: ('array.new_default', IDX),
    0x08: ('array.new_fixed', ARRAY_FIXED),
    0x09: ('array.new_data', IDX2),
    0x0a: ('array.new_elem', IDX2),
    0x0b: ('array.get', IDX),
    0x0c: ('array.get_s', IDX),
    0x0d: ('array.get_u', IDX),
    0x0e: ('array.set', IDX),
    0x0f: ('array.len', NONE),
    0x10: ('array.fill', IDX),
    0x11: ('array.copy', IDX2),
    0x12: ('array.init_data', IDX2),
    0x13: ('array.init_elem', IDX2),
    0x14: ('ref.test', REFTYPE_NN),
    0x15: ('ref.test', REFTYPE_NULL),
    0x16: ('ref.cast', REFTYPE_NN),
    0x17: ('ref.cast', REFTYPE_NULL),
    0x18: ('br_on_cast', BR_ON_CAST),
    0x19: ('br_on_cast_fail', BR_ON_CAST),
    0x1a: ('any.convert_extern', NONE),
    0x1b: ('extern.convert_any', NONE),
    0x1c: ('ref.i31', NONE),
    0x1d: ('i31.get_s', NONE),
    0x1e: ('i31.get_u', NONE),
}

# Instructions whose immediates name a data segment: their presence requires the data count section.
USES_DATA = frozenset({'memory.init', 'data.drop', 'array.new_data', 'array.init_data'})

# Abstract heap types by their (single-byte) binary code.
HEAP_TYPE_CODES: dict[int, str] = {
    0x75: 'nocont', 0x74: 'noexn', 0x73: 'nofunc', 0x72: 'noextern', 0x71: 'none',
    0x70: 'func', 0x6f: 'extern', 0x6e: 'any', 0x6d: 'eq', 0x6c: 'i31', 0x6b: 'struct',
    0x6a: 'array', 0x69: 'exn', 0x68: 'cont',
}
REF_NULL = 0x63     # (ref null ht)
REF = 0x64          # (ref ht)

NUM_TYPE_CODES: dict[int, str] = {0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128'}
PACKED_TYPE_CODES: dict[int, str] = {0x78: 'i8', 0x77: 'i16'}

# Composite and sub types.
FUNC_TYPE = 0x60
STRUCT_TYPE = 0x5f
ARRAY_TYPE = 0x5e
CONT_TYPE = 0x5d
SUB = 0x50
SUB_FINAL = 0x4f
REC = 0x4e

EMPTY_BLOCK = 0x40

# Section ids and their required order (the tag section sits between memory and global, data count
# between element and code).
SECTION_NAMES = {
    0: 'custom', 1: 'type', 2: 'import', 3: 'function', 4: 'table', 5: 'memory', 6: 'global',
    7: 'export', 8: 'start', 9: 'element', 10: 'code', 11: 'data', 12: 'data count', 13: 'tag',
}
SECTION_ORDER = (1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11)

EXTERN_KINDS = ('func', 'table', 'memory', 'global', 'tag')
