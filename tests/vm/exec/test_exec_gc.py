"""GC: structs (packed fields), arrays (data/elem segments, copy, fill), i31, casts, extern/any."""

import pytest

import vm

from .conftest import load_wat


def test_struct_fields_packed_and_mutable():
    i = load_wat('''(module
      (type $p (struct (field $x (mut i8)) (field $y i16) (field $z (mut f64)) (field $r (mut anyref))))
      (func (export "f") (param i32) (result i32 i32 f64)
        (local $s (ref null $p))
        (local.set $s (struct.new $p (local.get 0) (i32.const -2) (f64.const 1.5) (ref.null any)))
        (struct.set $p $x (local.get $s) (i32.add (struct.get_u $p $x (local.get $s)) (i32.const 1)))
        (struct.get_s $p $x (local.get $s))
        (struct.get_u $p $y (local.get $s))
        (struct.get $p $z (local.get $s)))
      (func (export "null") (result i32) (struct.get_s $p $x (ref.null $p))))''')
    assert i.exports.f(0x17F) == (-128, 0xFFFE, 1.5)     # 0x7f + 1 wraps in i8
    with pytest.raises(vm.Trap) as t:
        i.exports.null()
    assert t.value.msg == 'null structure reference'


def test_array_operations():
    i = load_wat('''(module
      (type $a (array (mut i8))) (type $w (array (mut i32))) (type $f (array (mut funcref)))
      (type $v (func (result i32)))
      (data $d "\\01\\02\\03\\04\\05\\06\\07\\08")
      (func $g (result i32) (i32.const 9)) (elem $e func $g $g)
      (func (export "data") (param i32) (result i32)
        (array.get $w (array.new_data $w $d (i32.const 0) (i32.const 2)) (local.get 0)))
      (func (export "copyfill") (result i32 i32 i32)
        (local $x (ref null $a)) (local $y (ref null $a))
        (local.set $x (array.new $a (i32.const 7) (i32.const 4)))
        (local.set $y (array.new_default $a (i32.const 6)))
        (array.fill $a (local.get $y) (i32.const 1) (i32.const 300) (i32.const 2))
        (array.copy $a $a (local.get $y) (i32.const 4) (local.get $x) (i32.const 0) (i32.const 2))
        (array.get_u $a (local.get $y) (i32.const 1))
        (array.get_s $a (local.get $y) (i32.const 5))
        (array.len (local.get $y)))
      (func (export "elem") (result i32)
        (call_ref $v (ref.cast (ref $v) (array.get $f (array.new_elem $f $e (i32.const 1) (i32.const 1)) (i32.const 0)))))
      (func (export "oob") (result i32) (array.get $w (array.new_fixed $w 2 (i32.const 1) (i32.const 2)) (i32.const 2))))''')
    assert i.exports.data(0) == 0x04030201 and i.exports.data(1) == 0x08070605
    assert i.exports.copyfill() == (300 & 0xFF, 7, 6)
    assert i.exports.elem() == 9
    with pytest.raises(vm.Trap) as t:
        i.exports.oob()
    assert t.value.msg == 'out of bounds array access'
    with pytest.raises(vm.Trap) as t:
        i.exports.data(2)
    assert t.value.msg == 'out of bounds array access'


def test_i31_casts_and_extern_roundtrip():
    i = load_wat('''(module
      (type $s (sub (struct))) (type $t (sub $s (struct (field i32))))
      (func (export "i31") (param i32) (result i32 i32)
        (i31.get_s (ref.i31 (local.get 0))) (i31.get_u (ref.i31 (local.get 0))))
      (func (export "test") (param i32) (result i32)
        (local $r anyref)
        (local.set $r (if (result anyref) (local.get 0)
          (then (struct.new $t (i32.const 5))) (else (struct.new_default $s))))
        (i32.add (i32.mul (ref.test (ref $t) (local.get $r)) (i32.const 10))
                 (ref.test (ref $s) (local.get $r))))
      (func (export "cast") (param anyref) (result i32)
        (struct.get $t 0 (ref.cast (ref $t) (local.get 0))))
      (func (export "mk") (param i32) (result anyref)
        (if (result anyref) (local.get 0) (then (struct.new $t (i32.const 3))) (else (ref.i31 (i32.const 1)))))
      (func (export "ext") (param externref) (result externref)
        (extern.convert_any (any.convert_extern (local.get 0))))
      (func (export "br") (param anyref) (result i32)
        (block $l (result (ref $t)) (br_on_cast $l anyref (ref $t) (local.get 0)) (drop) (return (i32.const -1)))
        (struct.get $t 0)))''')
    e = i.exports
    assert e.i31(-1) == (-1, 0x7FFFFFFF)
    assert e.test(1) == 11 and e.test(0) == 1
    assert e.cast(e.mk(1)) == 3
    with pytest.raises(vm.Trap) as t:
        e.cast(e.mk(0))
    assert t.value.msg == 'cast failure'
    host = object()
    assert e.ext(host) is host
    assert e.br(e.mk(1)) == 3 and e.br(e.mk(0)) == -1
