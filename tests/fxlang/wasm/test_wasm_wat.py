"""The WAT printer: wasm-tools parses what it prints back into the identical binary (custom sections aside),
for our samples and for the spec test suite's modules; names become valid $ids; floats print exactly."""

import re
from collections import defaultdict

import pytest

from ._wasm_oracle import parse_many, parse_wat, spec_corpus, strip_custom
from ._wasm_samples import VALID
from fxlang.wasm import FloatBits, Module, encode
from fxlang.wasm.read import ReadError
from fxlang.wasm.wat import disassemble, print_module

# Modules written as raw bytes with encodings WAT cannot express (empty sections, padded LEB128, ...).
RAW_BINARY_SCRIPTS = {'binary.wast', 'binary-leb128.wast', 'float_literals.wast', 'custom.wast'}


def test_samples_reparse_identically():
    modules = [VALID[n]() for n in sorted(VALID)]
    texts = [print_module(m) for m in modules]
    for name, m, text, parsed in zip(sorted(VALID), modules, texts, parse_many(texts)):
        assert isinstance(parsed, bytes), parsed
        assert strip_custom(parsed) == strip_custom(encode(m)), name


def test_disassemble_equals_print_of_built_module():
    for make in VALID.values():
        m = make()
        assert disassemble(encode(m)) == print_module(m)


def test_printed_names_and_layout():
    text = print_module(VALID['stack_switching']())
    assert '(type $cs (;5;) (cont $fs))' in text
    assert 'resume $ct (on $yield 0 (;@1;))' in text     # labels print as relative depths
    assert 'resume $cs (on $swap switch)' in text
    assert 'resume_throw $ct $exn (on $yield 0 (;@1;))' in text
    assert 'cont.bind $ct $ct0' in text and 'switch $cs $swap' in text
    assert re.search(r'^    block \(type 8\)  ;; label = @1$', text, re.M)
    assert re.search(r'^      try_table \(catch_all_ref 0 \(;@1;\)\)  ;; label = @2$', text, re.M)
    assert '(elem (;0;) declare func $body $switcher)' in text


def test_spec_modules_reparse_identically():
    by_script = defaultdict(list)
    for rel, kind, fn, data in spec_corpus():
        if kind == 'module' and rel.split('/')[-1] not in RAW_BINARY_SCRIPTS:
            by_script[rel].append((fn, data))
    assert len(by_script) > 100
    total = 0
    for rel, mods in sorted(by_script.items()):
        texts = [disassemble(d) for _, d in mods]
        for (fn, data), parsed in zip(mods, parse_many(texts)):
            assert isinstance(parsed, bytes), f'{rel} {fn}: {parsed}'
            assert strip_custom(parsed) == strip_custom(data), f'{rel} {fn}'
            total += 1
    assert total > 1400


def test_names_are_sanitised_and_unique():
    m = Module()
    t = m.types.struct([('i32')], name='my struct', field_names={0: 'the "x"'})
    v = m.types.func()
    a = m.funcs.add(v, name='print(x)')
    b = m.funcs.add(v, name='print(x)')
    c = m.funcs.add(m.types.func(['i32']), name='Option.Some')
    c.name_param(0, 'x y')
    c.local('i32', 'x_y')
    a.emit('call', b)
    b.emit('call', a)
    c.emit('local.get', 0)
    c.emit('local.set', 1)
    m.names.module = 'fx main'
    text = print_module(m)
    assert '(module $fx_main' in text
    assert '$print_x_' in text and '$print_x__1' in text and '$Option.Some' in text
    assert '(param $x_y i32)' in text and '(local $x_y_1 i32)' in text
    assert '(type $my_struct (;0;) (struct (field $the__x_ i32)))' in text
    assert strip_custom(parse_wat(text)) == strip_custom(encode(m))
    assert t == 0


F32 = [0.0, -0.0, 1.5, 0.1, 1e-45, 3.4028234663852886e38, -1.1754943508222875e-38, float('inf'),
       float('-inf'), FloatBits(0x7fc00000, 32), FloatBits(0xffc00000, 32), FloatBits(0x7f800001, 32),
       FloatBits(0x7fa00000, 32), FloatBits(0xff812345, 32)]
F64 = [0.0, -0.0, 0.1, 1e300, 5e-324, 1.7976931348623157e308, 2.2250738585072014e-308, 123456789.125,
       float('inf'), float('-inf'), FloatBits(0x7ff8000000000000, 64), FloatBits(0xfff8000000000001, 64),
       FloatBits(0x7ff0000000000001, 64), FloatBits(0x7ff4000000000000, 64)]


def test_float_constants_print_exactly():
    m = Module()
    f = m.funcs.add(m.types.func())
    for v in F32:
        f.emit('f32.const', v)
        f.emit('drop')
    for v in F64:
        f.emit('f64.const', v)
        f.emit('drop')
    text = print_module(m)
    for expected in ('f32.const -0.0', 'f32.const 0.1', 'f32.const 1e-45', 'f32.const -nan',
                     'f32.const nan:0x1', 'f64.const 5e-324', 'f64.const nan:0x4000000000000', 'f32.const -inf'):
        assert expected + '\n' in text
    assert strip_custom(parse_wat(text)) == strip_custom(encode(m))


def test_disassemble_reports_malformed_input():
    with pytest.raises(ReadError) as e:
        disassemble(b'\0asm\1\0\0\0\x0d\x02\x01\x01')
    assert e.value.offset == 11 and e.value.message == 'malformed tag attribute'


def test_custom_sections_round_trip_in_place():
    from fxlang.wasm import Custom
    m = Module()
    m.funcs.add(m.types.func())
    m.customs += [Custom('first', b'\x00\x01', 0), Custom('meta', b'abc"\xff', 1), Custom('late', b'z', 10),
                  Custom('last', b'', 11)]
    data = encode(m)
    text = print_module(m)
    assert '(@custom "meta" (after type) "abc\\22\\ff")' in text
    assert parse_wat(text) == data                  # byte for byte, custom sections included
    # 'last' follows the data section, which is absent: read back, it follows the last present one (code)
    assert read_back_customs(data) == [('first', b'\x00\x01', 0), ('meta', b'abc"\xff', 1), ('late', b'z', 10),
                                       ('last', b'', 10)]


def read_back_customs(data):
    from fxlang.wasm.read import read
    return [(c.name, c.data, c.after) for c in read(data).customs]


def test_output_is_bounded_for_deep_nesting_and_many_locals():
    from fxlang.wasm.wat import MAX_INDENT
    depth = 2000
    wat = ('(module (func (local i64 i64 i64 f32 f32 i32) ' + '(block ' * depth + ')' * depth + '))')
    text = disassemble(parse_wat(wat))
    lines = text.splitlines()
    assert max(len(l) - len(l.lstrip(' ')) for l in lines) <= 2 * MAX_INDENT
    assert len(text) < 200 * depth                      # linear, not quadratic, in the nesting
    assert '    (local i64 i64 i64 f32 f32 i32)' in lines   # one line for the run of unnamed locals
    assert parse_wat(text) == parse_wat(wat)            # still reads back to the same binary
