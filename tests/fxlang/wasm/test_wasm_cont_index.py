"""`cont $ft` whose type index needs more than one LEB128 byte as an s33 (>= 64): the encoder writes it signed
like a heap type (wasm-tools writes `cont $t69` as `5d c5 00`), fxlang.wasm.read reads it back, and the module
validates under wasm-tools and runs on our VM and on V8 (node 26)."""

import subprocess

import pytest

import vm
from fxlang.wasm import Field, Module, StructType, encode, ref
from fxlang.wasm.module import ContType
from fxlang.wasm.read import ReadError, read

from ._wasm_oracle import parse_wat, strip_custom, validate
from tests.e2e.conftest import node  # noqa: F401  (fixture)

FILLER = 69                  # struct types before the function type: $ft is type 69, its cont type 70


def _module() -> Module:
    """69 distinct struct types, then ft = [i64] -> [i64], ct = cont ft, a tag `yield` [i64] -> [i64] and
    main() -> i64 that runs `body` (suspends once with x, returns the answer + 1) under a handler answering 2*x."""
    m = Module()
    for i in range(FILLER):
        m.types.add(StructType((Field('i32'),) * (i + 1)), name=f's{i}')
    ft = m.types.func(['i64'], ['i64'], name='ft')
    ct = m.types.cont(ft, name='ct')
    tag = m.tags.add(ft, name='yield')
    body = m.funcs.add(ft, name='body')
    body.emit('local.get', 0); body.emit('suspend', tag); body.emit('i64.const', 1); body.emit('i64.add')
    main = m.funcs.add(m.types.func([], ['i64']), name='main')
    k = main.local(ref(ct), 'k')
    with main.block(m.types.func([], ['i64', ref(ct)])) as on_yield:
        main.emit('i64.const', 20); main.emit('ref.func', body); main.emit('cont.new', ct)
        main.emit('resume', ct, [('on', tag, on_yield)])
        main.emit('return')
    main.emit('local.set', k)
    main.emit('i64.const', 2); main.emit('i64.mul')
    main.emit('local.get', k)
    main.emit('resume', ct, [])
    m.exports.func('main', main)
    return m


WAT = ''.join(f'(type $s{i} (struct{" (field i32)" * (i + 1)}))' for i in range(FILLER)) + """
  (type $ft (func (param i64) (result i64)))
  (type $ct (cont $ft))
"""


def test_index_of_cont_type_is_written_as_s33():
    data = encode(_module())
    assert bytes([0x5d, 0xc5, 0x00]) in data            # cont $ft with $ft = 69 is 5d c5 00
    theirs = strip_custom(parse_wat(f'(module {WAT})'))
    assert bytes([0x5d, 0xc5, 0x00]) in theirs          # ... as wasm-tools writes it
    ours = strip_custom(encode(_types_only()))
    assert ours == theirs


def _types_only() -> Module:
    m = Module()
    for i in range(FILLER):
        m.types.add(StructType((Field('i32'),) * (i + 1)))
    m.types.cont(m.types.func(['i64'], ['i64']))
    return m


def test_wasm_tools_validates():
    ok, err = validate(encode(_module()))
    assert ok, err


def test_reader_round_trips_the_index():
    mod = read(encode(_module()))
    conts = [mod.types[i].comp for i in range(len(mod.types)) if isinstance(mod.types[i].comp, ContType)]
    assert [c.func_type for c in conts] == [FILLER]
    assert encode(mod) == encode(_module())


def test_reader_rejects_a_negative_cont_index():
    data = bytearray(encode(_module()))
    at = data.index(bytes([0x5d, 0xc5, 0x00]))
    data[at + 1:at + 3] = bytes([0xff, 0x7f])          # s33 -1
    with pytest.raises(ReadError, match='malformed type index') as e:
        read(bytes(data))
    assert e.value.offset == at + 1


def test_runs_on_our_vm():
    inst = vm.instantiate(vm.decode(encode(_module())))
    assert inst.exports.main() == 41


def test_runs_on_v8(node, tmp_path):
    path = tmp_path / 'm.wasm'
    path.write_bytes(encode(_module()))
    js = ("const fs = require('fs');"
          f"WebAssembly.instantiate(fs.readFileSync({str(path)!r})).then(r => console.log(String(r.instance.exports.main())));")
    p = subprocess.run([node, '--experimental-wasm-wasmfx', '-e', js], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == '41'
