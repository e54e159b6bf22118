"""Exception handling: throw, try_table catch clauses, throw_ref, exnref, exceptions and continuations."""

import pytest

import vm

from .conftest import load_wat


def test_catch_kinds_and_rethrow():
    i = load_wat('''(module
      (tag $e (param i32)) (tag $f (param i32 i32))
      (func $thrower (param i32)
        (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $e (i32.const 10))))
        (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $f (i32.const 3) (i32.const 4)))))
      (func (export "catch") (param i32) (result i32)
        (block $ce (result i32)
          (block $cf (result i32 i32)
            (try_table (catch $e $ce) (catch $f $cf) (call $thrower (local.get 0)))
            (return (i32.const 0)))
          (i32.add))
        (i32.const 100) (i32.add))
      (func (export "catch_all") (param i32) (result i32)
        (block $h
          (try_table (catch_all $h) (call $thrower (local.get 0)))
          (return (i32.const 0)))
        (i32.const 1))
      (func (export "rethrow") (param i32) (result i32)
        (block $c (result i32)
          (try_table (catch $e $c)
            (block $h (result exnref)
              (try_table (catch_all_ref $h) (call $thrower (local.get 0)))
              (return (i32.const 0)))
            (throw_ref))
          (return (i32.const -1)))))''')
    e = i.exports
    assert e.catch(0) == 0 and e.catch(1) == 110 and e.catch(2) == 107
    assert e.catch_all(0) == 0 and e.catch_all(2) == 1
    assert e.rethrow(1) == 10
    with pytest.raises(vm.WasmException) as x:
        e.rethrow(2)
    assert x.value.payload == (3, 4)


def test_uncaught_exception_reaches_host_with_payload():
    i = load_wat('''(module (tag $e (export "e") (param i32 f64))
      (func (export "f") (throw $e (i32.const -3) (f64.const 1.5))))''')
    with pytest.raises(vm.WasmException) as x:
        i.exports.f()
    assert x.value.tag is i.exports.e
    assert x.value.payload == (0xFFFFFFFD, 1.5)     # internal representation


def test_traps_are_not_catchable():
    i = load_wat('''(module (func (export "f") (result i32)
        (block $h (try_table (catch_all $h) (unreachable))) (i32.const 1)))''')
    with pytest.raises(vm.Trap) as t:
        i.exports.f()
    assert t.value.msg == 'unreachable'


def test_exception_escapes_continuation_into_resumer():
    i = load_wat('''(module
      (type $ft (func)) (type $ct (cont $ft))
      (tag $e (param i32)) (tag $y)
      (func $body (suspend $y) (throw $e (i32.const 5)))
      (elem declare func $body)
      (func (export "run") (result i32) (local $k (ref null $ct))
        (block $h (result (ref $ct))
          (resume $ct (on $y $h) (cont.new $ct (ref.func $body))) (return (i32.const -1)))
        (local.set $k)
        (block $c (result i32)
          (try_table (catch $e $c) (resume $ct (local.get $k)))
          (i32.const -2))))''')
    assert i.exports.run() == 5


def test_null_exnref_traps():
    i = load_wat('(module (func (export "f") (throw_ref (ref.null exn))))')
    with pytest.raises(vm.Trap) as t:
        i.exports.f()
    assert t.value.msg.startswith('null')
