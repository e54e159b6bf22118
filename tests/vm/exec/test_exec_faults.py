"""Which Python errors are Wasm traps: only those raised by a memory access or an unsigned division
itself (bounds and zero divisors are checked by CPython at that line). The same Python error from
anywhere else is a bug of the VM and must surface as itself, never as a plausible trap or
validation error (the CLI reports it as an internal error)."""

import pytest
import wasmtime

import vm
from vm.runtime import instance as instance_mod
from vm.valid import rules

from .conftest import load_wat

MEM = '''(module (memory (export "m") 1) (table 1 funcref)
  (func (export "ld") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "ld8") (param i32) (result i32) (i32.load8_u offset=7 (local.get 0)))
  (func (export "st") (param i32) (i64.store (local.get 0) (i64.const 1)))
  (func (export "st8") (param i32) (i32.store8 (local.get 0) (i32.const 1)))
  (func (export "stf") (param i32) (f32.store (local.get 0) (f32.const 1)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func (export "tget") (param i32) (result funcref) (table.get (local.get 0))))'''


def test_access_and_division_errors_are_traps():
    inst = load_wat(MEM)
    for name, args in (('ld', (65533,)), ('ld8', (65529,)), ('st', (65529,)), ('st8', (65536,)),
                       ('stf', (-1,)), ('ld', (-1,))):
        with pytest.raises(vm.Trap) as t:
            inst.exports[name](*args)
        assert t.value.msg == 'out of bounds memory access', name
        assert t.value.func_name == f'${name}'
    with pytest.raises(vm.Trap) as t:
        inst.exports.div(1, 0)
    assert t.value.msg == 'integer divide by zero'
    assert inst.exports.ld8(65528) == 0


def test_memory64_address_beyond_the_host_index_traps():
    inst = load_wat('''(module (memory i64 1)
      (func (export "ld") (param i64) (result i64) (i64.load offset=0xffffffffffff (local.get 0)))
      (func (export "st") (param i64) (i32.store8 (local.get 0) (i32.const 1))))''')
    for name in ('ld', 'st'):
        with pytest.raises(vm.Trap) as t:
            inst.exports[name](-1)
        assert t.value.msg == 'out of bounds memory access'


def _bug(*args):
    return [][1]          # an IndexError raised outside the translated code


def test_index_error_of_a_helper_is_not_a_trap():
    inst = load_wat(MEM)
    inst.ns['TGET'] = _bug
    with pytest.raises(IndexError):
        inst.exports.tget(0)


def test_index_error_below_an_access_line_is_not_a_trap():
    # f32.store's line is a memory access, but the error comes from a function it calls
    inst = load_wat(MEM)
    inst.ns['f32_to_bits'] = _bug
    with pytest.raises(IndexError):
        inst.exports.stf(0)


def test_zero_division_of_a_helper_is_not_a_trap():
    inst = load_wat(MEM)
    inst.ns['TGET'] = lambda t, i: 1 // 0
    with pytest.raises(ZeroDivisionError):
        inst.exports.tget(0)


def test_translator_syntax_error_is_not_an_implementation_limit(monkeypatch):
    monkeypatch.setattr(instance_mod, 'translate_module', lambda ctx: 'def F0(:\n')
    m = vm.decode(wasmtime.wat2wasm('(module (func))'))
    with pytest.raises(SyntaxError):
        vm.instantiate(m)


def test_validator_bug_is_not_a_validation_error(monkeypatch):
    def broken(v, args):
        raise KeyError('bug')
    monkeypatch.setitem(rules.HANDLERS, 'local.get', broken)
    m = vm.decode(wasmtime.wat2wasm('(module (func (param i32) (drop (local.get 0))))'))
    with pytest.raises(KeyError):
        vm.validate(m)
