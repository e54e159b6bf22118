"""The fx.srcmap custom section (fxlang/wasm/srcmap.py): written by the encoder from the instructions' `loc`s,
read back by hosts; its offsets are those of the instructions in the binary (checked against the VM's
decoder, an independent reader), and reading + encoding a module keeps it."""

import pytest

import vm
from fxlang.diagnostics import Span
from fxlang.wasm import Module, encode, srcmap
from fxlang.wasm.module import Custom
from fxlang.wasm.read import read


def sample() -> Module:
    m = Module()
    ft = m.types.func(['i32'], ['i32'])
    f = m.funcs.add(ft, name='f')
    f.fx_name = 'fn f'
    f.loc = Span('a.fx', 2, 1, 2, 9)
    f.emit('local.get', 0)
    f.emit('call', 1)
    f.loc = Span('a.fx', 3, 5, 3, 9)
    f.emit('i32.const', 2)
    f.loc = Span('a.fx', 4, 7, 4, 9)
    f.emit('i32.div_s')
    g = m.funcs.add(ft, name='g')               # a helper: no fx name, no locations
    g.emit('local.get', 0)
    h = m.funcs.add(ft, name='h')
    h.fx_name = 'fn h'
    h.loc = Span('b.fx', 10, 1, 10, 2)
    h.emit('local.get', 0)
    h.emit('call', f)
    m.exports.func('h', h)
    return m


def test_entries_point_at_the_instructions_that_made_them():
    data = encode(sample())
    smap = srcmap.find(data)
    assert smap.files == ['a.fx', 'b.fx']
    decoded = vm.decode(data)
    body_f, body_h = decoded.funcs[0].body, decoded.funcs[2].body
    name, offsets, places = smap.funcs[0]
    assert name == 'fn f'
    # entries for the instructions an engine can report (the call, the division), none for the others
    assert offsets == [body_f[1].offset, body_f[3].offset]
    assert places == [('a.fx', 2, 1), ('a.fx', 4, 7)]
    assert 1 not in smap.funcs
    div = body_f[3].offset
    assert smap.where(0, div) == ('fn f', 'a.fx', 4, 7)
    assert str(smap.where(0, div)) == 'a.fx:4:7 (in fn f)'
    assert smap.where(0, body_f[1].offset) == ('fn f', 'a.fx', 2, 1)
    assert smap.where(0, body_f[0].offset) == ('fn f', None, 0, 0)    # before any entry
    assert smap.where(2, body_h[1].offset) == ('fn h', 'b.fx', 10, 1)
    assert smap.where(None, div) == smap.where(0, div)                 # by offset alone (wasmtime)
    assert smap.where(None, decoded.funcs[1].body[0].offset) is None   # inside g: not in the map
    assert smap.where(7, 0) is None


def test_reading_and_encoding_keeps_the_map_byte_for_byte():
    data = encode(sample())
    assert encode(read(data)) == data


def test_a_pass_that_moves_code_moves_the_locations():
    """Code inserted before the located instructions shifts their offsets: the encoder writes new ones."""
    m = read(encode(sample()))
    f = m.funcs.entries[0]
    f.body[0:0] = [f.body[0].__class__('nop', ())] * 5
    data = encode(m)
    smap, decoded = srcmap.find(data), vm.decode(data)
    div = next(i.offset for i in decoded.funcs[0].body if i.op == 'i32.div_s')
    call = next(i.offset for i in decoded.funcs[0].body if i.op == 'call')
    assert smap.where(0, div) == ('fn f', 'a.fx', 4, 7)
    assert smap.where(0, call) == ('fn f', 'a.fx', 2, 1)
    assert smap.where(0, decoded.funcs[0].body[0].offset) == ('fn f', None, 0, 0)   # the nops: before any entry


def test_a_module_without_locations_has_no_map():
    m = Module()
    f = m.funcs.add(m.types.func([], []), name='f')
    f.emit('nop')
    assert srcmap.find(encode(m)) is None


@pytest.mark.parametrize('damage', [b'\x02', b'\x01\x05', b'\x01\x01\x03abc\x01\x00\x00\x00\x00\x01\x00\x07\x01\x01',
                                    b'\x01\x00\x00\xff'])
def test_a_malformed_map_is_ignored(damage):
    """A map only helps messages: a malformed one (bad version, truncated, file index out of range, trailing
    bytes) is dropped by readers, never an error."""
    with pytest.raises(ValueError):
        srcmap.decode(damage)
    m = Module()
    m.customs.append(Custom(srcmap.SECTION, damage, 0))
    data = encode(m)
    assert srcmap.find(data) is None
    assert srcmap.SECTION not in [c.name for c in read(data).customs]


def test_the_disassembly_marks_places_and_escapes_hostile_file_names():
    from fxlang.wasm.wat import disassemble
    m = sample()
    f = m.funcs.entries[0]
    f.body[1] = f.body[1]._replace(loc=Span('evil\n(module)\x1b[31m.fx', 1, 2, 1, 3))
    text = disassemble(encode(m), places=True)
    lines = text.splitlines()
    assert r'    ;; @ evil\n(module)\x1b[31m.fx:1:2' in lines
    assert lines[lines.index('    ;; @ a.fx:4:7') + 1] == '    i32.div_s'
    assert ';; @' not in disassemble(encode(m))            # only when asked
