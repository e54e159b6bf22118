"""vm.binary.decode on hand-built binaries: every section and instruction form, and the errors.

Binaries are assembled byte by byte here (wasm-tools cannot write our `barrier` nor malformed input).
"""
from __future__ import annotations

import struct

import pytest

from vm.binary import decode
from vm.binary.leb128 import encode_s, encode_u
from vm.errors import DecodeError
from vm.syntax import (ArrayType, Catch, ContType, FieldType, FuncType, GlobalType, Limits, MemArg, MemoryType,
                       RecGroup, RefType, StructType, SubType, TableType, TagType)
from vm.syntax.types import FUNCREF, EXTERNREF

HEADER = b'\x00asm\x01\x00\x00\x00'


def vec(items) -> bytes:
    items = list(items)
    return encode_u(len(items)) + b''.join(items)


def name(s: str) -> bytes:
    b = s.encode()
    return encode_u(len(b)) + b


def section(sid: int, payload: bytes) -> bytes:
    return bytes([sid]) + encode_u(len(payload)) + payload


def module(*sections: bytes) -> bytes:
    return HEADER + b''.join(sections)


def code_entry(body: bytes, locals_: bytes = b'\x00') -> bytes:
    return encode_u(len(locals_ + body)) + locals_ + body


def one_func(body: bytes, functype: bytes = b'\x60\x00\x00', locals_: bytes = b'\x00', before_code=(),
             after_code=()) -> bytes:
    """A module with one function of the given type and body (the body includes its final end)."""
    return module(section(1, vec([functype])), section(3, vec([b'\x00'])), *before_code,
                  section(10, vec([code_entry(body, locals_)])), *after_code)


def body_of(data: bytes):
    return decode(data).funcs[0].body


def ops(data: bytes):
    return [(i.op, i.args) for i in body_of(data)]


def error(data: bytes) -> DecodeError:
    with pytest.raises(DecodeError) as e:
        decode(data)
    return e.value


# ---- Header and sections --------------------------------------------------------------------

def test_empty_module():
    m = decode(HEADER)
    assert (m.types, m.funcs, m.imports, m.start, m.datacount) == ([], [], [], None, None)
    assert m.names.funcs == {}


@pytest.mark.parametrize('data, msg, offset', [
    (b'', 'unexpected end', 0),
    (b'\x00as', 'unexpected end', 3),
    (b'\x00asn\x01\x00\x00\x00', 'magic header not detected', 0),
    (b'\x00asm\x01\x00', 'unexpected end', 6),
    (b'\x00asm\x0d\x00\x01\x00', 'unknown binary version', 4),         # a component
    (HEADER + b'\x0e\x00', 'malformed section id', 8),
    (HEADER + b'\x01\x05\x00', 'length out of bounds', 9),
    (HEADER + b'\x01\x02\x00\x00', 'section size mismatch', 10),
    (HEADER + b'\x08\x01\x00\x08\x01\x00', 'unexpected content after last section', 11),
    (HEADER + b'\x03\x01\x00\x01\x01\x00', 'unexpected content after last section', 11),
])
def test_module_level_errors(data, msg, offset):
    e = error(data)
    assert e.msg.startswith(msg)
    assert e.offset == offset


def test_error_str_reads_well():
    e = error(HEADER + b'\x0e\x00')
    assert str(e) == 'decode error at offset 0x8: malformed section id'


def test_tag_section_sits_between_memory_and_global():
    tags = section(13, vec([b'\x00\x00']))
    types = section(1, vec([b'\x60\x00\x00']))
    memory = section(5, vec([b'\x00\x01']))
    glob = section(6, vec([b'\x7f\x00\x41\x00\x0b']))
    m = decode(module(types, memory, tags, glob))
    assert m.tags[0].type == TagType(0) and len(m.globals) == 1
    assert error(module(types, memory, glob, tags)).msg == 'unexpected content after last section'


def test_datacount_sits_between_elem_and_code():
    m = decode(module(section(12, b'\x00'), section(10, b'\x00')))
    assert m.datacount == 0
    assert error(module(section(10, b'\x00'), section(12, b'\x00'))).msg == \
        'unexpected content after last section'


def test_custom_sections_anywhere_with_placement():
    data = module(section(0, name('a') + b'xyz'), section(1, vec([b'\x60\x00\x00'])),
                  section(0, name('b')), section(5, vec([b'\x00\x01'])), section(0, name('c') + b'\x01'))
    m = decode(data)
    assert [(c.name, c.data, c.after) for c in m.customs] == [('a', b'xyz', 0), ('b', b'', 1), ('c', b'\x01', 5)]
    assert m.customs[0].offset == 8


def test_custom_section_name_longer_than_section():
    assert error(HEADER + b'\x00\x01\x05hello').msg.startswith('unexpected end')


def test_function_and_code_lengths():
    types = section(1, vec([b'\x60\x00\x00']))
    assert error(module(types, section(3, vec([b'\x00', b'\x00'])), section(10, vec([code_entry(b'\x0b')])))).msg \
        == 'function and code section have inconsistent lengths'
    assert error(module(types, section(10, vec([code_entry(b'\x0b')])))).msg \
        == 'function and code section have inconsistent lengths'


# ---- Types ----------------------------------------------------------------------------------

def test_type_section_rec_groups_and_subtypes():
    types = [
        b'\x60\x02\x7f\x7e\x01\x7d',                                  # (func (param i32 i64) (result f32))
        b'\x4e' + vec([b'\x50\x00\x5f' + vec([b'\x78\x01', b'\x63\x01\x00']),  # rec: (sub (struct ...))
                       b'\x4f\x01\x01\x5e\x7c\x01']),               # (sub final 1 (array (mut f64)))
        b'\x5d\x00',                                                  # (cont 0)
        b'\x60\x01\x64\x70\x00',                                      # (func (param (ref func)))
    ]
    m = decode(module(section(1, vec(types))))
    assert m.types == [
        SubType(True, (), FuncType(('i32', 'i64'), ('f32',))),
        SubType(False, (), StructType((FieldType('i8', True), FieldType(RefType(True, 1), False)))),
        SubType(True, (1,), ArrayType(FieldType('f64', True))),
        SubType(True, (), ContType(0)),
        SubType(True, (), FuncType((RefType(False, 'func'),), ())),
    ]
    assert m.rec_groups == [RecGroup(0, 1), RecGroup(1, 2), RecGroup(3, 1), RecGroup(4, 1)]
    assert str(m.types[2]) == '(sub final 1 (array (mut f64)))'


@pytest.mark.parametrize('ty, msg', [
    (b'\x5c', 'malformed definition type'),
    (b'\xe0\x7f\x00\x00', 'integer representation too long'),
    (b'\x60\x01\x5a\x00', 'malformed value type'),
    (b'\x5e\x78\x02', 'malformed mutability'),
    (b'\x5e\x55\x00', 'malformed storage type'),
    (b'\x60\x01\x64\x55\x00', 'malformed heap type'),
])
def test_type_errors(ty, msg):
    assert error(module(section(1, vec([ty])))).msg == msg


def test_all_abstract_heap_types():
    codes = {0x75: 'nocont', 0x74: 'noexn', 0x73: 'nofunc', 0x72: 'noextern', 0x71: 'none', 0x70: 'func',
             0x6f: 'extern', 0x6e: 'any', 0x6d: 'eq', 0x6c: 'i31', 0x6b: 'struct', 0x6a: 'array', 0x69: 'exn',
             0x68: 'cont'}
    params = b''.join(bytes([c]) for c in codes) + b''.join(b'\x64' + bytes([c]) for c in codes)
    m = decode(module(section(1, vec([b'\x60' + encode_u(2 * len(codes)) + params + b'\x00']))))
    got = m.types[0].composite.params
    assert got == tuple(RefType(True, h) for h in codes.values()) + tuple(RefType(False, h) for h in codes.values())


# ---- Imports, tables, memories, globals, exports, start -----------------------------------

def test_imports_of_every_kind():
    imports = vec([
        name('m') + name('f') + b'\x00\x00',
        name('m') + name('t') + b'\x01\x70\x01\x01\x0a',
        name('m') + name('mem') + b'\x02\x05\x01\x80\x80\x04',       # i64 index type, min 1 max 65536
        name('m') + name('g') + b'\x03\x7e\x01',
        name('m') + name('e') + b'\x04\x00\x00',
    ])
    m = decode(module(section(1, vec([b'\x60\x00\x00'])), section(2, imports)))
    assert [(i.module, i.name, i.kind, i.desc) for i in m.imports] == [
        ('m', 'f', 'func', 0),
        ('m', 't', 'table', TableType(FUNCREF, Limits(1, 10))),
        ('m', 'mem', 'memory', MemoryType(Limits(1, 65536, False, 'i64'))),
        ('m', 'g', 'global', GlobalType('i64', True)),
        ('m', 'e', 'tag', TagType(0)),
    ]
    assert m.func_types() == [0] and m.imported('tag')[0].name == 'e'


@pytest.mark.parametrize('desc, msg', [
    (b'\x05', 'malformed import kind'),
    (b'\x02\x02\x01', 'malformed limits flags'),          # shared memories are not supported
    (b'\x03\x7f\x02', 'malformed mutability'),
    (b'\x04\x01\x00', 'zero byte expected'),
    (b'\x01\x7f\x00\x00', 'malformed reference type'),
])
def test_import_errors(desc, msg):
    assert error(module(section(2, vec([name('m') + name('x') + desc])))).msg == msg


def test_import_name_must_be_utf8():
    e = error(module(section(2, vec([name('m') + b'\x02\xc0\x80' + b'\x00\x00']))))
    assert (e.msg, e.offset) == ('malformed UTF-8 encoding', 13)      # at the name's length


def test_tables_memories_globals_exports_start():
    data = module(
        section(1, vec([b'\x60\x00\x00'])),
        section(3, vec([b'\x00'])),
        section(4, vec([b'\x6f\x00\x02', b'\x40\x00\x64\x70\x00\x01\xd2\x00\x0b'])),
        section(5, vec([b'\x01\x01\x02'])),
        section(6, vec([b'\x7f\x01\x41\x7f\x0b', b'\x7d\x00\x43' + struct.pack('<f', 1.5) + b'\x0b'])),
        section(7, vec([name('f') + b'\x00\x00', name('t') + b'\x01\x01', name('m') + b'\x02\x00',
                        name('g') + b'\x03\x01'])),
        section(8, b'\x00'),
        section(10, vec([code_entry(b'\x0b')])),
    )
    m = decode(data)
    assert [t.type for t in m.tables] == [TableType(EXTERNREF, Limits(2, None)),
                                          TableType(RefType(False, 'func'), Limits(1, None))]
    assert m.tables[0].init is None
    assert [(i.op, i.args) for i in m.tables[1].init] == [('ref.func', (0,)), ('end', ())]
    assert m.memories[0].type == MemoryType(Limits(1, 2))
    assert [g.type for g in m.globals] == [GlobalType('i32', True), GlobalType('f32', False)]
    assert [(i.op, i.args) for i in m.globals[0].init] == [('i32.const', (-1,)), ('end', ())]
    assert m.globals[1].init[0].args == (0x3fc00000,)
    assert [(e.name, e.kind, e.index) for e in m.exports] == [('f', 'func', 0), ('t', 'table', 1),
                                                               ('m', 'memory', 0), ('g', 'global', 1)]
    assert m.start == 0
    assert m.func_name(0) == 'f'                  # no name section: the export name


def test_export_kind_error():
    assert error(module(section(7, vec([name('x') + b'\x05\x00'])))).msg == 'malformed export kind'


# ---- Element and data segments ---------------------------------------------------------------

def test_element_segment_forms():
    off = b'\x41\x00\x0b'
    fn = vec([b'\x00'])
    ex = vec([b'\xd2\x00\x0b', b'\xd0\x70\x0b'])
    segments = [
        b'\x00' + off + fn,                         # active table 0, func indices
        b'\x01\x00' + fn,                           # passive, elemkind
        b'\x02\x01' + off + b'\x00' + fn,           # active table 1, elemkind
        b'\x03\x00' + fn,                           # declarative
        b'\x04' + off + ex,                         # active table 0, expressions
        b'\x05\x70' + ex,                           # passive, reftype
        b'\x06\x02' + off + b'\x70' + ex,           # active table 2
        b'\x07\x63\x70' + ex,                       # declarative, (ref null func)
    ]
    m = decode(module(section(9, vec(segments))))
    nn_func = RefType(False, 'func')
    assert [(e.mode, e.table, e.type) for e in m.elems] == [
        ('active', 0, nn_func), ('passive', None, nn_func), ('active', 1, nn_func),
        ('declarative', None, nn_func), ('active', 0, FUNCREF), ('passive', None, FUNCREF),
        ('active', 2, FUNCREF), ('declarative', None, FUNCREF)]
    assert [[(i.op, i.args) for i in e] for e in m.elems[0].init] == [[('ref.func', (0,)), ('end', ())]]
    assert [[i.op for i in e] for e in m.elems[5].init] == [['ref.func', 'end'], ['ref.null', 'end']]
    assert m.elems[4].offset_expr[0].op == 'i32.const' and m.elems[1].offset_expr is None


@pytest.mark.parametrize('seg, msg', [
    (b'\x08', 'malformed elements segment kind'),
    (b'\x01\x01\x00', 'malformed element kind'),
    (b'\x05\x7f\x00', 'malformed reference type'),
])
def test_element_errors(seg, msg):
    assert error(module(section(9, vec([seg])))).msg == msg


def test_data_segment_forms():
    data = module(section(5, vec([b'\x00\x01'])), section(12, b'\x03'),
                  section(11, vec([b'\x00\x41\x08\x0b' + name('ab'), b'\x01' + name('c'),
                                   b'\x02\x00\x41\x00\x0b' + name('')])))
    m = decode(data)
    assert [(d.mode, d.memory, d.init) for d in m.datas] == [('active', 0, b'ab'), ('passive', None, b'c'),
                                                              ('active', 0, b'')]
    assert m.datas[0].offset_expr[0].args == (8,)
    assert m.datacount == 3


def test_data_count_mismatch_and_requirement():
    mem = section(5, vec([b'\x00\x01']))
    assert error(module(mem, section(12, b'\x02'), section(11, vec([b'\x01' + name('')])))).msg == \
        'data count and data section have inconsistent lengths'
    drop = one_func(b'\xfc\x09\x00\x0b', before_code=[mem], after_code=[section(11, vec([b'\x01\x00']))])
    assert error(drop).msg == 'data count section required'
    ok = one_func(b'\xfc\x09\x00\x0b', before_code=[mem, section(12, b'\x01')],
                  after_code=[section(11, vec([b'\x01\x00']))])
    assert ops(ok)[0] == ('data.drop', (0,))


def test_array_new_data_in_a_global_needs_no_data_count():
    types = section(1, vec([b'\x5e\x78\x00']))
    glob = section(6, vec([b'\x64\x00\x00' + b'\x41\x00\x41\x01\xfb\x09\x00\x00\x0b']))
    m = decode(module(types, glob, section(11, vec([b'\x01\x01x']))))
    assert m.globals[0].init[2].op == 'array.new_data'


# ---- Code -------------------------------------------------------------------------------------

def test_locals_and_offsets():
    data = one_func(b'\x20\x00\x1a\x0b', locals_=vec([b'\x02\x7f', b'\x01\x63\x6e']))
    m = decode(data)
    f = m.funcs[0]
    assert f.locals == ('i32', 'i32', RefType(True, 'any'))
    assert data[f.offset] == len(data) - f.offset - 1    # the entry's size field, the last entry
    # size field, locals vector (6 bytes), then the body
    assert [(i.op, i.offset - f.offset) for i in f.body] == [('local.get', 7), ('drop', 9), ('end', 10)]


def test_too_many_locals():
    huge = vec([b'\xff\xff\xff\xff\x0f\x7f', b'\x02\x7e'])
    assert error(one_func(b'\x0b', locals_=huge)).msg == 'too many locals'
    assert error(one_func(b'\x0b', locals_=vec([encode_u(50001) + b'\x7f']))).msg == 'too many locals'
    assert len(decode(one_func(b'\x0b', locals_=vec([encode_u(50000) + b'\x7f']))).funcs[0].locals) == 50000


def test_code_entry_size_mismatch():
    data = module(section(1, vec([b'\x60\x00\x00'])), section(3, vec([b'\x00'])),
                  section(10, b'\x01\x02\x00\x01\x0b'))
    assert error(data).msg == 'section size mismatch'


def test_numeric_immediates():
    nan = 0x7fa00001
    body = (b'\x41' + encode_s(-2**31) + b'\x1a' + b'\x42' + encode_s(2**63 - 1) + b'\x1a'
            + b'\x43' + nan.to_bytes(4, 'little') + b'\x1a'
            + b'\x44' + struct.pack('<d', -0.0) + b'\x1a' + b'\x0b')
    assert ops(one_func(body)) == [
        ('i32.const', (-2**31,)), ('drop', ()), ('i64.const', (2**63 - 1,)), ('drop', ()),
        ('f32.const', (nan,)), ('drop', ()), ('f64.const', (0x8000000000000000,)), ('drop', ()), ('end', ())]


def test_structured_control_and_branches():
    body = (b'\x02\x40'                      # block
            b'\x03\x7f\x41\x01\x0b'          # loop (result i32) i32.const 1 end
            b'\x04\x00\x05\x0b'              # if (type 0) else end
            b'\x0e\x02\x00\x01\x02'          # br_table 0 1 2
            b'\x0b\x0b')
    assert ops(one_func(body)) == [
        ('block', (None,)), ('loop', ('i32',)), ('i32.const', (1,)), ('end', ()), ('if', (0,)), ('else', ()),
        ('end', ()), ('br_table', ((0, 1), 2)), ('end', ()), ('end', ())]


@pytest.mark.parametrize('body, msg', [
    (b'\x05\x0b', 'END opcode expected'),                       # else outside if
    (b'\x04\x40\x05\x05\x0b\x0b', 'END opcode expected'),       # two elses
    (b'\x02\x40\x07\x0b\x0b', 'END opcode expected'),           # legacy catch
    (b'\x06\x40\x0b\x0b', 'illegal opcode 06'),                 # legacy try
    (b'\xc5\x0b', 'illegal opcode c5'),
    (b'\xfc\x12\x0b', 'illegal opcode fc 12'),
    (b'\xfb\x1f\x0b', 'illegal opcode fb 1f'),
    (b'\xfd\x0c' + b'\x00' * 16 + b'\x0b', 'illegal opcode fd 0c'),
    (b'\x28\x80\x01\x00\x0b', 'malformed memop flags'),
    (b'\x1f\x40\x01\x04\x00\x0b\x0b', 'malformed catch clause'),
    (b'\xe3\x00\x01\x02\x00\x0b', 'malformed handler clause'),
    (b'\xfb\x18\x04\x00\x70\x70\x0b', 'malformed br_on_cast flags'),
    (b'\x02\x7a\x0b\x0b', 'malformed block type'),
    (b'\x02\x40\x0b', 'unexpected end'),
])
def test_code_errors(body, msg):
    e = error(one_func(body))
    assert e.msg.startswith(msg), e.msg


def test_simd_prefix_says_so():
    e = error(one_func(b'\xfd\x0c' + b'\x00' * 16 + b'\x0b'))
    assert 'SIMD' in e.msg


def test_memory_instructions():
    body = (b'\x41\x00\x28\x02\x08\x1a'                  # i32.load offset=8
            b'\x41\x00\x29\x43\x01\x10\x1a'              # i64.load memory 1 align=8 offset=16
            b'\x3f\x01\x1a\x41\x00\x40\x00\x1a'          # memory.size 1, memory.grow 0
            b'\x41\x00\x41\x00\x41\x00\xfc\x08\x02\x01'  # memory.init data 2 mem 1
            b'\x41\x00\x41\x00\x41\x00\xfc\x0a\x01\x00'  # memory.copy 1 0
            b'\x0b')
    got = [x for x in ops(one_func(body, before_code=[section(12, b'\x00')])) if x[0] != 'i32.const']
    assert got == [
        ('i32.load', (MemArg(2, 8, 0),)), ('drop', ()), ('i64.load', (MemArg(3, 16, 1),)), ('drop', ()),
        ('memory.size', (1,)), ('drop', ()), ('memory.grow', (0,)), ('drop', ()),
        ('memory.init', (2, 1)), ('memory.copy', (1, 0)), ('end', ())]


def test_reference_gc_and_eh_instructions():
    body = (b'\x1c\x01\x7f'                          # select (result i32)
            b'\xd0\x6e\xd0\x00'                      # ref.null any, ref.null 0
            b'\xfb\x14\x6c\xfb\x17\x00'              # ref.test (ref i31), ref.cast (ref null 0)
            b'\xfb\x18\x01\x00\x6e\x6c'              # br_on_cast 0 anyref (ref i31)
            b'\xfb\x08\x00\x03\xfb\x02\x00\x01'      # array.new_fixed 0 3, struct.get 0 1
            b'\x1f\x40\x02\x00\x00\x00\x03\x01\x0b'  # try_table (catch 0 0) (catch_all_ref 1) end
            b'\x08\x00\x0a\x14\x00\x15\x00\x12\x00\x13\x00\x01'
            b'\x0b')
    assert ops(one_func(body)) == [
        ('select', (('i32',),)), ('ref.null', ('any',)), ('ref.null', (0,)),
        ('ref.test', (RefType(False, 'i31'),)), ('ref.cast', (RefType(True, 0),)),
        ('br_on_cast', (0, RefType(True, 'any'), RefType(False, 'i31'))),
        ('array.new_fixed', (0, 3)), ('struct.get', (0, 1)),
        ('try_table', (None, (Catch('catch', 0, 0), Catch('catch_all_ref', None, 1)))), ('end', ()),
        ('throw', (0,)), ('throw_ref', ()), ('call_ref', (0,)), ('return_call_ref', (0,)),
        ('return_call', (0,)), ('return_call_indirect', (0, 1)), ('end', ())]


def test_barrier():
    body = b'\xe7\x40\xe7\x7f\x41\x01\x0b\x1a\x0b\x0b'
    assert ops(one_func(body)) == [('barrier', (None,)), ('barrier', ('i32',)), ('i32.const', (1,)),
                                   ('end', ()), ('drop', ()), ('end', ()), ('end', ())]
    assert error(one_func(b'\xe7\x40\x0b')).msg.startswith('unexpected end')


def test_deep_nesting_needs_no_recursion():
    depth = 20000
    m = decode(one_func(b'\x02\x40' * depth + b'\x0b' * (depth + 1)))
    assert len(m.funcs[0].body) == 2 * depth + 1


# ---- The name section ---------------------------------------------------------------------------

def name_map(pairs) -> bytes:
    return vec([encode_u(i) + name(s) for i, s in pairs])


def test_name_section():
    sub = [
        (0, name('mod')),
        (1, name_map([(0, 'main')])),
        (2, vec([b'\x00' + name_map([(0, 'x'), (1, 'y')])])),
        (4, name_map([(0, 'ft')])),
        (7, name_map([(0, 'counter')])),
        (10, vec([b'\x00' + name_map([(0, 'fld')])])),
        (11, name_map([(0, 'yield')])),
        (42, b'\x01\x02'),                       # unknown subsection: skipped
    ]
    payload = name('name') + b''.join(bytes([i]) + encode_u(len(c)) + c for i, c in sub)
    m = decode(one_func(b'\x0b', after_code=[section(0, payload)]))
    n = m.names
    assert (n.module, n.funcs, n.locals, n.types, n.globals, n.fields, n.tags) == (
        'mod', {0: 'main'}, {0: {0: 'x', 1: 'y'}}, {0: 'ft'}, {0: 'counter'}, {0: {0: 'fld'}}, {0: 'yield'})
    assert m.func_name(0) == 'main' and m.tag_name(0) == 'yield'


def test_malformed_name_section_is_ignored():
    payload = name('name') + b'\x01\x05' + name_map([(0, 'ok')])[:3] + b'\x01\xff'
    m = decode(one_func(b'\x0b', after_code=[section(0, payload)]))
    assert m.names.funcs == {}
    assert m.customs[0].name == 'name'


def test_locals_budget_scales_with_module_size():
    # 2000 functions of ~8 bytes, each asking for 50000 locals: rejected instead of allocating 10^8.
    n = 2000
    entry = code_entry(b'\x0b', locals_=vec([encode_u(50000) + b'\x7f']))
    data = module(section(1, vec([b'\x60\x00\x00'])), section(3, vec([b'\x00'] * n)), section(10, vec([entry] * n)))
    assert error(data).msg == 'too many locals'


def test_a_megabyte_decodes():
    # its cost, against a tenth of it (linear: 10x): bench/scaling.py
    body = b'\x20\x00\x41\x05\x6a\x21\x00' * 150000 + b'\x41\x00\x28\x02\x08\x1a' * 1000 + b'\x0b'
    data = one_func(body, functype=b'\x60\x01\x7f\x00')
    assert len(data) > 1_000_000
    m = decode(data)
    assert len(m.funcs[0].body) == 4 * 150000 + 3 * 1000 + 1
