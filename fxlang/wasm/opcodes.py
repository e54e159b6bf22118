"""The compiler's one opcode table: text name -> (prefix, code, immediate kinds).

This table is the single source of truth for fxlang.wasm: the function-body builder checks `emit()` calls
against it, `encode.py` writes instructions from it, `read.py` decodes them with it and `wat.py` prints them
with it.  The VM has its own table on purpose (vm/ and fxlang/ share no code).

Coverage: Wasm 2.0 core, bulk memory, reference types, tail calls, typed function references, exception
handling (exnref `try_table` and the legacy `try`), GC (0xfb prefix), the stack-switching proposal
(0xe0-0xe6) and fxlang's own `barrier` (0xe7 blocktype instr* end).  SIMD and threads are not covered.

Immediate kinds, in *binary* order (the order `emit()` takes them):
    bt        block type: None (empty), a value type, or a type index (int)
    label     label index (relative depth) or a module.Label
    labels    list of label indices (br_table targets; the default follows as a separate `label`)
    type func table mem global local tag elem data field     indices into the respective index spaces
    u32       plain unsigned count (array.new_fixed length)
    memarg    module.MemArg(align, offset, mem)
    i32 i64   integer constants (signed or unsigned Python ints; stored two's complement)
    f32 f64   float constants: Python float or module.FloatBits for exact NaN payloads
    heap      heap type: an abstract name ('func', 'any', ...) or a type index (int)
    reftype   reference type (module.RefType); only br_on_cast/br_on_cast_fail, after the `castflags` marker
    valtypes  list of value types (typed `select`)
    catches   try_table clauses: ('catch', tag, label) | ('catch_ref', tag, label) | ('catch_all', label)
              | ('catch_all_ref', label)
    handlers  resume clauses: ('on', tag, label) | ('switch', tag)
The pseudo-kind `castflags` takes no immediate: it marks the flags byte of br_on_cast (bit 0: first type
nullable, bit 1: second type nullable), computed from the two `reftype` immediates.
"""

from typing import NamedTuple


class Op(NamedTuple):
    name: str
    prefix: int | None      # None for single-byte opcodes, else 0xfb / 0xfc
    code: int
    kinds: tuple[str, ...]


# Opcodes that open a block (their body runs to a matching `end`).
BLOCK_OPS = frozenset({'block', 'loop', 'if', 'try', 'try_table', 'barrier'})
# Opcodes that sit between a block's parts (no new nesting level).
MIDDLE_OPS = frozenset({'else', 'catch', 'catch_all'})
# Opcodes that close a block.
END_OPS = frozenset({'end', 'delegate'})

# Natural alignment (log2 bytes) of every memory access, for MemArg defaults and the WAT printer.
NATURAL_ALIGN: dict[str, int] = {}

_TABLE = """
# -- control --------------------------------------------------------------------------------
00 unreachable
01 nop
02 block bt
03 loop bt
04 if bt
05 else
06 try bt
07 catch tag
08 throw tag
09 rethrow label
0a throw_ref
0b end
0c br label
0d br_if label
0e br_table labels label
0f return
10 call func
11 call_indirect type table
12 return_call func
13 return_call_indirect type table
14 call_ref type
15 return_call_ref type
18 delegate label
19 catch_all
1a drop
1b select
1c select_t valtypes
1f try_table bt catches
# -- variables and tables -------------------------------------------------------------------
20 local.get local
21 local.set local
22 local.tee local
23 global.get global
24 global.set global
25 table.get table
26 table.set table
# -- memory -----------------------------------------------------------------------------------
28 i32.load memarg
29 i64.load memarg
2a f32.load memarg
2b f64.load memarg
2c i32.load8_s memarg
2d i32.load8_u memarg
2e i32.load16_s memarg
2f i32.load16_u memarg
30 i64.load8_s memarg
31 i64.load8_u memarg
32 i64.load16_s memarg
33 i64.load16_u memarg
34 i64.load32_s memarg
35 i64.load32_u memarg
36 i32.store memarg
37 i64.store memarg
38 f32.store memarg
39 f64.store memarg
3a i32.store8 memarg
3b i32.store16 memarg
3c i64.store8 memarg
3d i64.store16 memarg
3e i64.store32 memarg
3f memory.size mem
40 memory.grow mem
# -- numeric ----------------------------------------------------------------------------------
41 i32.const i32
42 i64.const i64
43 f32.const f32
44 f64.const f64
45 i32.eqz
46 i32.eq
47 i32.ne
48 i32.lt_s
49 i32.lt_u
4a i32.gt_s
4b i32.gt_u
4c i32.le_s
4d i32.le_u
4e i32.ge_s
4f i32.ge_u
50 i64.eqz
51 i64.eq
52 i64.ne
53 i64.lt_s
54 i64.lt_u
55 i64.gt_s
56 i64.gt_u
57 i64.le_s
58 i64.le_u
59 i64.ge_s
5a i64.ge_u
5b f32.eq
5c f32.ne
5d f32.lt
5e f32.gt
5f f32.le
60 f32.ge
61 f64.eq
62 f64.ne
63 f64.lt
64 f64.gt
65 f64.le
66 f64.ge
67 i32.clz
68 i32.ctz
69 i32.popcnt
6a i32.add
6b i32.sub
6c i32.mul
6d i32.div_s
6e i32.div_u
6f i32.rem_s
70 i32.rem_u
71 i32.and
72 i32.or
73 i32.xor
74 i32.shl
75 i32.shr_s
76 i32.shr_u
77 i32.rotl
78 i32.rotr
79 i64.clz
7a i64.ctz
7b i64.popcnt
7c i64.add
7d i64.sub
7e i64.mul
7f i64.div_s
80 i64.div_u
81 i64.rem_s
82 i64.rem_u
83 i64.and
84 i64.or
85 i64.xor
86 i64.shl
87 i64.shr_s
88 i64.shr_u
89 i64.rotl
8a i64.rotr
8b f32.abs
8c f32.neg
8d f32.ceil
8e f32.floor
8f f32.trunc
90 f32.nearest
91 f32.sqrt
92 f32.add
93 f32.sub
94 f32.mul
95 f32.div
96 f32.min
97 f32.max
98 f32.copysign
99 f64.abs
9a f64.neg
9b f64.ceil
9c f64.floor
9d f64.trunc
9e f64.nearest
9f f64.sqrt
a0 f64.add
a1 f64.sub
a2 f64.mul
a3 f64.div
a4 f64.min
a5 f64.max
a6 f64.copysign
a7 i32.wrap_i64
a8 i32.trunc_f32_s
a9 i32.trunc_f32_u
aa i32.trunc_f64_s
ab i32.trunc_f64_u
ac i64.extend_i32_s
ad i64.extend_i32_u
ae i64.trunc_f32_s
af i64.trunc_f32_u
b0 i64.trunc_f64_s
b1 i64.trunc_f64_u
b2 f32.convert_i32_s
b3 f32.convert_i32_u
b4 f32.convert_i64_s
b5 f32.convert_i64_u
b6 f32.demote_f64
b7 f64.convert_i32_s
b8 f64.convert_i32_u
b9 f64.convert_i64_s
ba f64.convert_i64_u
bb f64.promote_f32
bc i32.reinterpret_f32
bd i64.reinterpret_f64
be f32.reinterpret_i32
bf f64.reinterpret_i64
c0 i32.extend8_s
c1 i32.extend16_s
c2 i64.extend8_s
c3 i64.extend16_s
c4 i64.extend32_s
# -- references -------------------------------------------------------------------------------
d0 ref.null heap
d1 ref.is_null
d2 ref.func func
d3 ref.eq
d4 ref.as_non_null
d5 br_on_null label
d6 br_on_non_null label
# -- stack switching (+ fxlang's barrier) ------------------------------------------------------
e0 cont.new type
e1 cont.bind type type
e2 suspend tag
e3 resume type handlers
e4 resume_throw type tag handlers
e5 resume_throw_ref type handlers
e6 switch type tag
e7 barrier bt
# -- GC ---------------------------------------------------------------------------------------
fb00 struct.new type
fb01 struct.new_default type
fb02 struct.get type field
fb03 struct.get_s type field
fb04 struct.get_u type field
fb05 struct.set type field
fb06 array.new type
fb07 array.new_default type
fb08 array.new_fixed type u32
fb09 array.new_data type data
fb0a array.new_elem type elem
fb0b array.get type
fb0c array.get_s type
fb0d array.get_u type
fb0e array.set type
fb0f array.len
fb10 array.fill type
fb11 array.copy type type
fb12 array.init_data type data
fb13 array.init_elem type elem
fb14 ref.test heap
fb15 ref.test_null heap
fb16 ref.cast heap
fb17 ref.cast_null heap
fb18 br_on_cast castflags label reftype reftype
fb19 br_on_cast_fail castflags label reftype reftype
fb1a any.convert_extern
fb1b extern.convert_any
fb1c ref.i31
fb1d i31.get_s
fb1e i31.get_u
# -- saturating truncation, bulk memory and tables ---------------------------------------------
fc00 i32.trunc_sat_f32_s
fc01 i32.trunc_sat_f32_u
fc02 i32.trunc_sat_f64_s
fc03 i32.trunc_sat_f64_u
fc04 i64.trunc_sat_f32_s
fc05 i64.trunc_sat_f32_u
fc06 i64.trunc_sat_f64_s
fc07 i64.trunc_sat_f64_u
fc08 memory.init data mem
fc09 data.drop data
fc0a memory.copy mem mem
fc0b memory.fill mem
fc0c table.init elem table
fc0d elem.drop elem
fc0e table.copy table table
fc0f table.grow table
fc10 table.size table
fc11 table.fill table
"""

OPS: dict[str, Op] = {}                     # by name
BY_CODE: dict[tuple[int | None, int], Op] = {}   # by (prefix, code)


def _load() -> None:
    for line in _TABLE.splitlines():
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        code, name, *kinds = line.split()
        if len(code) == 4:
            prefix, num = int(code[:2], 16), int(code[2:], 16)
        else:
            prefix, num = None, int(code, 16)
        op = Op(name, prefix, num, tuple(kinds))
        OPS[name] = op
        BY_CODE[(prefix, num)] = op
        if 'memarg' in kinds:
            NATURAL_ALIGN[name] = _natural_align(name)


def _natural_align(name: str) -> int:
    ty, access = name.split('.')
    for width, log in (('8', 0), ('16', 1), ('32', 2)):
        if access.startswith(('load' + width, 'store' + width)):
            return log
    return 3 if ty in ('i64', 'f64') else 2


_load()

# Text names that differ from the table key (the table needs one key per opcode).
TEXT_NAME = {'select_t': 'select', 'ref.test_null': 'ref.test', 'ref.cast_null': 'ref.cast'}
PREFIXES = frozenset({0xfb, 0xfc})
