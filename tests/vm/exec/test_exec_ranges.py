"""Range facts (vm/exec/ranges.py): an add/sub loses its wrap-around mask only where a tested
comparison proves it cannot wrap; a wrapping add/sub stored to a local is corrected by a comparison.
Each function is run on wasmtime (the oracle) and on our VM for values at the 32/64-bit edges."""

import re

import wasmtime
from hypothesis import given, settings, strategies as st

import vm

from .conftest import load_wat

WAT = '''(module
  ;; counted loop: after (br_if $done (i32.ge_u i n)) the add cannot wrap; from a start near 2^32
  (func (export "count") (param $i i32) (param $n i32) (result i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $done (i32.gt_u (local.get $acc) (i32.const 50)))
        (br $next)))
    (i32.add (local.get $acc) (local.get $i)))
  ;; the opposite test: the fall-through knows i >= n, so i + 1 may wrap
  (func (export "wraps") (param $i i32) (param $n i32) (result i32)
    (block $small
      (br_if $small (i32.lt_u (local.get $i) (local.get $n)))
      (return (i32.add (local.get $i) (i32.const 1))))
    (i32.sub (local.get $i) (i32.const 1)))
  ;; fib-like: n - 1 and n - 2 only in the else arm of (if (i32.lt_u n 2)); the then arm may wrap
  (func (export "arms") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (i32.sub (local.get $n) (i32.const 2)))
      (else (i32.add (i32.sub (local.get $n) (i32.const 1))
                     (i32.sub (local.get $n) (i32.const 2))))))
  ;; a fact dies when its local is set again, and at a loop's start (its back edge)
  (func (export "reset") (param $n i32) (param $m i32) (result i32) (local $k i32)
    (if (i32.eqz (local.get $n)) (then (return (i32.const 7))))
    (local.set $n (local.get $m))
    (local.set $k (i32.sub (local.get $n) (i32.const 1)))
    (loop $l
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (br_if $l (i32.eqz (local.tee $m (i32.sub (local.get $m) (i32.const 1))))))
    (i32.xor (local.get $k) (local.get $m)))
  ;; i64: a wrapping sum and difference stored to locals
  (func (export "acc64") (param $a i64) (param $b i64) (result i64) (local $s i64) (local $d i64)
    (local.set $s (i64.add (local.get $a) (local.get $b)))
    (local.set $d (i64.sub (local.get $a) (local.get $b)))
    (i64.xor (local.get $s) (i64.rotl (local.get $d) (i64.const 7))))
  ;; a load that did not trap bounds its address by the memory's size; a fact outlives an if that
  ;; does not assign its local, and a loop that does not
  (memory 1)
  (func (export "walk") (param $p i32) (param $k i32) (result i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
      (if (i32.eqz (local.get $s)) (then (local.set $s (i32.const 3))) (else (local.set $s (local.get $k))))
      (local.set $p (i32.add (local.get $p) (i32.const 0x7FFFFFF0)))
      (br_if $l (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
    (i32.add (local.get $s) (local.get $p)))
  (func (export "outlive") (param $i i32) (param $n i32) (result i32) (local $j i32)
    (if (i32.ge_u (local.get $i) (local.get $n)) (then (return (i32.const -1))))
    (if (i32.eqz (local.get $n)) (then (local.set $j (i32.const 9))))
    (loop $l
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $j) (i32.const 3))))
    (i32.add (i32.add (local.get $i) (i32.const 1)) (local.get $j)))
  ;; a fact from before a loop dies at its start when the loop assigns the local (back edge)
  (func (export "backedge") (param $i i32) (param $n i32) (result i32) (local $c i32) (local $k i32)
    (if (i32.ge_u (local.get $i) (local.get $n)) (then (return (i32.const 7))))
    (loop $l
      (local.set $c (i32.add (local.get $i) (i32.const 1)))
      (local.set $i (i32.const -1))
      (br_if $l (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 2))))
    (i32.eqz (local.get $c)))
  (func (export "acc32") (param $a i32) (param $b i32) (result i32) (local $s i32) (local $d i32)
    (local.set $s (i32.add (local.get $a) (local.get $b)))
    (local.tee $d (i32.sub (local.get $a) (local.get $b)))
    (i32.xor (local.get $s)))
)'''

_ours = load_wat(WAT)
_store = wasmtime.Store()
_theirs = wasmtime.Instance(_store, wasmtime.Module(_store.engine, wasmtime.wat2wasm(WAT)), [])

u32 = st.one_of(st.integers(0, 4), st.integers(2**32 - 60, 2**32 - 1), st.integers(0, 2**32 - 1))
u64 = st.one_of(st.integers(0, 4), st.integers(2**64 - 4, 2**64 - 1), st.integers(0, 2**64 - 1))


def _signed(v, bits):
    return v - (1 << bits) if v >= 1 << (bits - 1) else v


def same(name, bits, *args):
    args = [_signed(a, bits) for a in args]
    try:
        theirs = _theirs.exports(_store)[name](_store, *args)
    except wasmtime.Trap as e:
        theirs = 'trap: out of bounds' if 'out of bounds' in str(e) else f'trap: {e}'
    try:
        ours = _ours.exports[name](*args)
    except vm.Trap as e:
        ours = f'trap: {e.msg}'.replace(' memory access', '')
    assert ours == theirs, (name, args)


@settings(max_examples=150, deadline=None)
@given(u32, u32)
def test_i32_adds_and_subs_agree_with_wasmtime_at_the_edges(a, b):
    for name in ('count', 'wraps', 'reset', 'acc32', 'outlive', 'backedge'):
        same(name, 32, a, b)
    same('walk', 32, a, b % 4)
    same('arms', 32, a)


@settings(max_examples=100, deadline=None)
@given(u64, u64)
def test_i64_adds_and_subs_agree_with_wasmtime_at_the_edges(a, b):
    same('acc64', 64, a, b)


def test_masks_are_dropped_only_where_proved():
    src = re.sub(r'  #.*$', '', _ours.source, flags=re.M)      # (the translator's line marks)
    # the counted loop's `i + 1` and the else arm's `n - 1` lose their masks; `wraps` keeps both
    # of its (its fall-through knows i >= n: i + 1 may wrap; the branch target knows nothing)
    count, wraps, arms = (src.split(f'def F{i}(')[1].split('\ndef ')[0] for i in range(3))
    assert 'l0 = (l0 + 1)\n' in count
    assert '((l0 + 1) & 0xFFFFFFFF)' in wraps and '((l0 - 1) & 0xFFFFFFFF)' in wraps
    assert '(l0 - 1)' in arms and '((l0 - 2) & 0xFFFFFFFF)' in arms
    walk, outlive = (src.split(f'def F{i}(')[1].split('\ndef ')[0] for i in (5, 6))
    assert 'l0 = (l0 + 2147483632)\n' in walk           # after the load of address l0
    assert '(l0 + 1)' in outlive and '((l0 + 1) & 0xFFFFFFFF)' not in outlive
