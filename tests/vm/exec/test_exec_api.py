"""The host interface: linking, instantiation traps, limits (recursion, fuel), untrusted names."""

import pytest
import wasmtime

import vm

from .conftest import load_wat


def test_link_errors():
    wat = '(module (import "env" "f" (func (param i32))))'
    with pytest.raises(vm.LinkError) as e:
        load_wat(wat, {})
    assert e.value.msg.startswith('unknown import')
    with pytest.raises(vm.LinkError) as e:
        load_wat(wat, {'env': {'f': vm.Memory(1)}})
    assert e.value.msg.startswith('incompatible import type')
    other = load_wat('(module (func (export "g") (param i64)))')
    with pytest.raises(vm.LinkError):
        load_wat(wat, {'env': {'f': other.exports.g}})
    with pytest.raises(vm.LinkError):
        load_wat('(module (import "env" "m" (memory 2)))', {'env': {'m': vm.Memory(1)}})
    with pytest.raises(vm.LinkError):
        load_wat('(module (import "env" "g" (global (mut i32))))', {'env': {'g': vm.Global('i32', False, 1)}})


def test_function_import_subtyping():
    a = load_wat('''(module (type $s (sub (func (result anyref))))
        (type $t (sub $s (func (result eqref))))
        (func (export "f") (type $t) (ref.null eq)))''')
    b = load_wat('''(module (type $s (sub (func (result anyref))))
        (import "a" "f" (func (type $s)))
        (func (export "g") (result anyref) (call 0)))''', {'a': a.exports})
    assert b.exports.g() is None
    with pytest.raises(vm.LinkError):
        load_wat('''(module (type $s (sub (func (result anyref))))
          (type $t (sub $s (func (result eqref))))
          (import "a" "f" (func (type $t))))''', {'a': {'f': b.exports.g}})


def test_start_function_and_segment_traps():
    log = []
    load_wat('(module (import "env" "p" (func $p (param i32))) (func $s (call $p (i32.const 42))) (start $s))',
             {'env': {'p': log.append}})
    assert log == [42]
    with pytest.raises(vm.Trap) as t:
        load_wat('(module (func $s unreachable) (start $s))')
    assert t.value.msg == 'unreachable'
    mem = vm.Memory(1)
    with pytest.raises(vm.Trap) as t:
        load_wat('''(module (import "env" "m" (memory 1))
          (data (i32.const 0) "ok") (data (i32.const 65535) "xx"))''', {'env': {'m': mem}})
    assert t.value.msg == 'out of bounds memory access'
    assert mem.read(0, 2) == b'ok'          # earlier segments stay written


def test_deep_and_runaway_recursion():
    i = load_wat('''(module
      (func $d (export "depth") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $d (i32.sub (local.get 0) (i32.const 1)))))))
      (func $r (export "runaway") (call $r)))''')
    assert i.exports.depth(10_000) == 10_000
    for _ in range(2):
        with pytest.raises(vm.Exhaustion) as e:
            i.exports.runaway()
        assert e.value.msg == 'call stack exhausted'
    assert i.exports.depth(100) == 100       # the process and the VM live on


def test_fuel_stops_infinite_loops_and_recursion():
    i = load_wat('(module (func (export "spin") (loop $l (br $l))) (func $r (export "r") (call $r)))',
                 fuel=50_000)
    with pytest.raises(vm.OutOfFuel) as e:
        i.exports.spin()
    assert e.value.msg == 'out of fuel' and e.value.func_name == '$spin'
    j = load_wat('(module (func $r (export "r") (call $r)))', fuel=1000)
    with pytest.raises(vm.OutOfFuel):
        j.exports.r()


HOSTILE = ['a"b', "x'); __import__('os').system('exit 3') #", 'line\nbreak', '\\', '{0}', 'é∑']


def test_hostile_names_stay_out_of_generated_source():
    exports = []
    for k, n in enumerate(HOSTILE):
        quoted = '"' + ''.join(f'\\{b:02x}' for b in n.encode()) + '"'
        exports.append(f'(func (export {quoted}) (result i32) (i32.const {k}) (unreachable))')
    imp = '"' + ''.join(f'\\{b:02x}' for b in HOSTILE[1].encode()) + '"'
    wat = f'(module (import {imp} {imp} (func $h (result i32))) {" ".join(exports)})'
    i = load_wat(wat, {HOSTILE[1]: {HOSTILE[1]: lambda: 7}})
    for k, n in enumerate(HOSTILE):
        with pytest.raises(vm.Trap) as t:
            i.exports[n]()
        assert t.value.func_name == f'${n}'
        assert n not in i.source
    assert "__import__" not in i.source


def test_host_value_conversions():
    i = load_wat('''(module
      (func (export "i32") (param i32) (result i32) (local.get 0))
      (func (export "i64") (param i64) (result i64) (local.get 0))
      (func (export "f32") (param f32) (result f32) (local.get 0))
      (func (export "two") (result i32 i64) (i32.const -1) (i64.const -2)))''')
    assert i.exports.i32(-1) == -1 and i.exports.i32(2**32 + 5) == 5
    assert i.exports.i64(-(2**63)) == -(2**63)
    assert i.exports.f32(0.1) == 0.10000000149011612
    assert i.exports.two() == (-1, -2)
    with pytest.raises(vm.Trap):
        i.exports.i32()
    assert 'i32' in i.exports and isinstance(i.exports['i32'], vm.Func)


def test_export_names_win_over_attribute_names():
    i = load_wat('''(module (func (export "items") (result i32) (i32.const 3))
        (func (export "keys") (result i32) (i32.const 4)) (memory (export "__len__") 1))''')
    e = i.exports
    assert e.items() == 3 and e.keys() == 4 and e['keys']() == 4
    assert len(e) == 3 and sorted(e) == ['__len__', 'items', 'keys'] and 'items' in e
    with pytest.raises(AttributeError):
        e.missing


def test_runaway_recursion_of_a_big_frame_function_ends_in_exhaustion():
    # how long it takes, against a one-local function: bench/scaling.py
    locals_ = ' '.join(['(local i64)'] * 1000)
    i = load_wat(f'(module (func $f (export "f") {locals_} (call $f)))')
    with pytest.raises(vm.Exhaustion):
        i.exports.f()


def test_instantiate_validates_unvalidated_modules():
    m = vm.decode(wasmtime.wat2wasm('(module (func (export "f") (result i32) (i32.const 1)))'))
    assert vm.instantiate(m).exports.f() == 1
    bad = vm.decode(bytes.fromhex('0061736d01000000010401600000030201000a0601040041010b'))
    with pytest.raises(vm.ValidationError):
        vm.instantiate(bad)
