"""Stack switching: cont.new/bind, suspend/resume, resume_throw, switch, one-shot rules, traces."""

import gc
import types

import pytest
import wasmtime

import vm

from .conftest import load_wat


GEN = '''
  (type $ft (func (param i32)))
  (type $ct (cont $ft))
  (type $ft0 (func))
  (type $ct0 (cont $ft0))
  (tag $yield (param i32))
  (tag $exn (param i32))
  ;; a generator: yields 0..n-1 (n = its parameter)
  (func $gen (param $n i32) (local $i i32)
    (loop $l
      (if (i32.lt_u (local.get $i) (local.get $n))
        (then (suspend $yield (local.get $i))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $l)))))
  (elem declare func $gen)
'''


def test_generator_sum_and_nested_calls():
    i = load_wat(f'''(module {GEN}
      (func (export "sum") (param $n i32) (result i32)
        (local $k (ref null $ct0)) (local $acc i32)
        (local.set $k (cont.bind $ct $ct0 (local.get $n) (cont.new $ct (ref.func $gen))))
        (block $done
          (loop $next
            (block $on_yield (result i32 (ref $ct0))
              (resume $ct0 (on $yield $on_yield) (local.get $k))
              (br $done))
            (local.set $k)
            (local.set $acc (i32.add (local.get $acc)))
            (br $next)))
        (local.get $acc)))''')
    assert i.exports.sum(10) == 45
    assert i.exports.sum(0) == 0
    assert i.exports.sum(1000) == 499500


def test_suspension_deep_in_calls_and_forwarding_through_inner_handler():
    i = load_wat('''(module
      (type $fti (func (result i32))) (type $cti (cont $fti))
      (type $ftii (func (param i32) (result i32))) (type $ctii (cont $ftii))
      (tag $outer (result i32)) (tag $inner)
      (func $leaf (result i32) (i32.add (suspend $outer) (i32.const 1)))
      (func $mid (result i32) (i32.mul (call $leaf) (i32.const 2)))
      ;; runs $mid as a continuation handling only $inner: $outer is forwarded outward
      (func $wrap (result i32)
        (block $h (result (ref $cti))
          (return (resume $cti (on $inner $h) (cont.new $cti (ref.func $mid)))))
        (drop) (i32.const -1))
      (elem declare func $mid $wrap)
      (func (export "run") (result i32) (local $k (ref null $ctii))
        (block $h (result (ref $ctii))
          (return (resume $cti (on $outer $h) (cont.new $cti (ref.func $wrap)))))
        ;; answer the forwarded suspension with 20: (20 + 1) * 2
        (local.set $k)
        (resume $ctii (i32.const 20) (local.get $k))))''')
    assert i.exports.run() == 42


def test_one_shot_and_null_traps():
    i = load_wat(f'''(module {GEN}
      (func (export "twice") (local $k (ref null $ct))
        (local.set $k (cont.new $ct (ref.func $gen)))
        (block $h (result i32 (ref $ct0))
          (resume $ct (on $yield $h) (i32.const 5) (local.get $k)) (return))
        (drop) (drop)
        (resume $ct (i32.const 5) (local.get $k)))
      (func (export "null") (resume $ct0 (ref.null $ct0)))
      (func (export "nullfunc") (drop (cont.new $ct0 (ref.null $ft0))))
      (func (export "unhandled") (resume $ct (i32.const 3) (cont.new $ct (ref.func $gen)))))''')
    with pytest.raises(vm.Trap) as e:
        i.exports.twice()
    assert e.value.msg == 'continuation already consumed'
    with pytest.raises(vm.Trap) as e:
        i.exports.null()
    assert e.value.msg == 'null continuation reference'
    with pytest.raises(vm.Trap) as e:
        i.exports.nullfunc()
    assert e.value.msg == 'null function reference'
    with pytest.raises(vm.UnhandledSuspension) as e:
        i.exports.unhandled()
    assert e.value.msg.startswith('unhandled tag')


def test_resume_throw_into_fresh_and_suspended_continuations():
    i = load_wat(f'''(module {GEN}
      ;; the continuation catches $exn around its suspension and returns normally
      (func $catcher (param i32)
        (block $c (result i32)
          (try_table (catch $exn $c) (suspend $yield (local.get 0)))
          (return))
        (drop))
      (elem declare func $catcher)
      (func (export "fresh") (result i32)
        (block $c (result i32)
          (try_table (catch $exn $c)
            (resume_throw $ct0 $exn (i32.const 7) (cont.bind $ct $ct0 (i32.const 1) (cont.new $ct (ref.func $catcher)))))
          (i32.const -1) (return))
        ;; not started: the exception comes straight back to the resumer
        )
      (func (export "suspended") (result i32)
        (local $k (ref null $ct0))
        (block $h (result i32 (ref $ct0))
          (resume $ct0 (on $yield $h) (cont.bind $ct $ct0 (i32.const 1) (cont.new $ct (ref.func $catcher))))
          (return (i32.const -1)))
        (local.set $k) (drop)
        (resume_throw $ct0 $exn (i32.const 9) (local.get $k))
        (i32.const 1))
      (func (export "escapes") (result i32)
        (local $k (ref null $ct0))
        (block $h (result i32 (ref $ct0))
          (resume $ct0 (on $yield $h) (cont.bind $ct $ct0 (i32.const 4) (cont.new $ct (ref.func $gen))))
          (return (i32.const -1)))
        (local.set $k) (drop)
        (block $c (result i32)
          (try_table (catch $exn $c) (resume_throw $ct0 $exn (i32.const 11) (local.get $k)))
          (return (i32.const -2)))))''')
    assert i.exports.fresh() == 7
    assert i.exports.suspended() == 1
    assert i.exports.escapes() == 11


def test_switch_between_two_coroutines():
    seen = []
    i = load_wat('''(module
      (rec (type $ft (func (param i32 (ref null $ct)) (result i32))) (type $ct (cont $ft)))
      (func $print (import "env" "print") (param i32))
      (tag $sw (result i32))
      (func $a (type $ft) (local $k (ref null $ct))
        (call $print (local.get 0))
        (switch $ct $sw (i32.add (local.get 0) (i32.const 1)) (local.get 1))
        (local.set $k) (call $print)
        (i32.const 100))
      (func $b (type $ft) (local $k (ref null $ct))
        (call $print (local.get 0))
        (switch $ct $sw (i32.add (local.get 0) (i32.const 10)) (local.get 1))
        (unreachable))
      (elem declare func $a $b)
      (func (export "run") (result i32)
        (resume $ct (on $sw switch) (i32.const 1) (cont.new $ct (ref.func $b)) (cont.new $ct (ref.func $a)))))''',
                 {'env': {'print': seen.append}})
    assert i.exports.run() == 100
    assert seen == [1, 2, 12]


def test_tag_identity_across_instances():
    a = load_wat('(module (tag $t (export "t")) (tag $u (export "u")))')
    b = load_wat('''(module (type $ft (func)) (type $ct (cont $ft))
      (tag $t (import "a" "t")) (func $s (export "s") (suspend $t)) (elem declare func $s)
      (func (export "run") (result i32)
        (block $h (result (ref $ct)) (resume $ct (on $t $h) (cont.new $ct (ref.func $s))) (return (i32.const 0)))
        (drop) (i32.const 1)))''', {'a': a.exports})
    c = load_wat('''(module (type $ft (func)) (type $ct (cont $ft))
      (tag $t (import "a" "u")) (func $s (import "b" "s"))
      (func $w (call $s)) (elem declare func $w)
      (func (export "run") (result i32)
        (block $h (result (ref $ct)) (resume $ct (on $t $h) (cont.new $ct (ref.func $w))) (return (i32.const 0)))
        (drop) (i32.const 1)))''', {'a': a.exports, 'b': b.exports})
    assert b.exports.run() == 1
    # c handles a *different* tag instance ("u"): b's suspension of "t" is unhandled there
    with pytest.raises(vm.UnhandledSuspension):
        c.exports.run()


def test_trace_and_stats():
    lines = []
    wat = f'''(module {GEN}
      (func (export "run") (result i32) (local $k (ref null $ct0)) (local $n i32)
        (local.set $k (cont.bind $ct $ct0 (i32.const 3) (cont.new $ct (ref.func $gen))))
        (block $done (loop $l
          (block $h (result i32 (ref $ct0))
            (resume $ct0 (on $yield $h) (local.get $k)) (br $done))
          (local.set $k) (drop) (local.set $n (i32.add (local.get $n) (i32.const 1))) (br $l)))
        (local.get $n)))'''
    i = load_wat(wat, trace=lines.append, stats=True)
    assert i.exports.run() == 3
    st = i.stats()
    assert st['cont.new'] == 1 and st['cont.bind'] == 1 and st['resume'] == 4 and st['suspend'] == 3
    assert st['peak_live_continuations'] >= 1 and st['peak_call_depth'] >= 2
    assert any(l.startswith('cont.new $gen') for l in lines)
    assert sum(l.startswith('suspend $yield in $gen') for l in lines) == 3
    # without trace/stats the translated code carries no instrumentation
    plain = load_wat(wat)
    assert 'OBS' not in plain.source and plain.stats() == {}


def live_generators() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is types.GeneratorType)


def test_suspended_continuations_are_held_then_collected():
    # bytes per suspended continuation: bench/vm_speed.py
    i = load_wat(f'''(module {GEN}
      (table $t 20000 (ref null $ct0))
      (func (export "make") (param $n i32) (local $j i32) (local $k (ref null $ct0))
        (loop $l
          (block $h (result i32 (ref $ct0))
            (resume $ct0 (on $yield $h) (cont.bind $ct $ct0 (i32.const 5) (cont.new $ct (ref.func $gen))))
            (return))
          (local.set $k) (drop) (table.set $t (local.get $j) (local.get $k))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $j) (local.get $n)))))
      (func (export "clear") (table.fill $t (i32.const 0) (ref.null $ct0) (i32.const 20000))))''')
    gc.collect()
    before = live_generators()
    i.exports.make(20000)
    assert live_generators() - before >= 20000      # each one holds its suspended generator
    i.exports.clear()
    gc.collect()
    assert live_generators() - before < 100          # dropped continuations are garbage


def test_trace_names_switch_and_resume_throw():
    lines = []
    i = load_wat('''(module
      (rec (type $ft (func (param (ref null $ct)))) (type $ct (cont $ft)))
      (type $f0 (func)) (type $c0 (cont $f0))
      (tag $sw) (tag $e) (tag $y)
      (func $a (type $ft) (drop (switch $ct $sw (local.get 0))))
      (func $b (type $ft))
      (func $s (suspend $y))
      (elem declare func $a $b $s)
      (func (export "run") (local $k (ref null $c0))
        (resume $ct (on $sw switch) (cont.new $ct (ref.func $b)) (cont.new $ct (ref.func $a)))
        (block $h (result (ref $c0))
          (resume $c0 (on $y $h) (cont.new $c0 (ref.func $s))) (return))
        (local.set $k)
        (block $c (try_table (catch $e $c) (resume_throw $c0 $e (local.get $k))))))''', trace=lines.append, stats=True)
    i.exports.run()
    assert 'switch $sw in $a' in lines
    assert any(l.startswith('resume_throw $e') for l in lines)
    st = i.stats()
    assert st['switch'] == 1 and st['resume_throw'] == 1 and st['resume'] == 2 and st['suspend'] == 1


def test_suspension_from_deep_recursion_and_runaway_recursion_in_continuation():
    i = load_wat('''(module (type $f (func (param i32) (result i32))) (type $c (cont $f))
      (tag $t (result i32))
      (func $rec (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (suspend $t))
          (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get 0) (i32.const 1)))))))
      (elem declare func $rec)
      (func (export "run") (param i32) (result i32) (local $k (ref null $c))
        (block $h (result (ref $c))
          (return (resume $c (on $t $h) (local.get 0) (cont.new $c (ref.func $rec)))))
        (local.set $k)
        (resume $c (i32.const 5) (local.get $k))))''')
    assert i.exports.run(10_000) == 10_005
    with pytest.raises(vm.Exhaustion):
        i.exports.run(10**6)
    assert i.exports.run(3) == 8


# -- casts to continuation types: invalid, so no continuation is ever cast at run time ----------------

@pytest.mark.parametrize('cast', [
    '(drop (ref.test (ref $k) (local.get 0)))',
    '(drop (ref.cast (ref null $k) (local.get 0)))',
    '(drop (ref.cast contref (local.get 0)))',
    '(drop (block (result contref) (br_on_cast 0 contref (ref $k) (local.get 0))))',
    '(drop (block (result contref) (br_on_cast_fail 0 contref (ref $k) (local.get 0))))',
])
def test_casts_to_continuation_types_are_invalid(cast):
    # The stack-switching proposal makes continuation types uncastable (wasmtime and wasm-tools
    # agree), so the run-time check of gc.heap_match never sees a continuation.
    wat = f'''(module (type $f (func)) (type $k (cont $f))
      (func (param contref) {cast}))'''
    m = vm.decode(wasmtime.wat2wasm(wat))
    with pytest.raises(vm.ValidationError) as e:
        vm.validate(m)
    assert e.value.msg.startswith('invalid cast')


def test_stats_count_dropped_continuations_as_dead():
    i = load_wat('''(module (type $f (func)) (type $k (cont $f)) (func $a) (elem declare func $a)
      (func (export "drop_many") (local $n i32)
        (loop $l (drop (cont.new $k (ref.func $a)))
          (br_if $l (i32.lt_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (i32.const 100)))))
      (func (export "keep_two") (result (ref $k) (ref $k))
        (cont.new $k (ref.func $a)) (cont.new $k (ref.func $a))))''', stats=True)
    i.exports.drop_many()
    # (the translated loop's temporary still holds the previous one while the next is made)
    assert i.stats()['cont.new'] == 100 and i.stats()['peak_live_continuations'] <= 2
    kept = [i.exports.keep_two() for _ in range(3)]
    assert i.stats()['peak_live_continuations'] == 6


def test_traps_inside_continuations_name_the_function_they_happen_in():
    # the generator flavour has no handler of its own: the plain resumer's handler names the trap
    # after the innermost translated frame (a helper's trap, a memory fault, a division by zero)
    i = load_wat('''(module (type $f (func)) (type $k (cont $f)) (memory 1) (table 1 funcref)
      (tag $t)
      (func $deep_helper (suspend $t) (drop (table.get (i32.const 7))))
      (func $via_call (call $deep_helper))
      (func $mem (suspend $t) (drop (i32.load (i32.const 70000))))
      (func $div (suspend $t) (drop (i32.div_u (i32.const 1) (i32.const 0))))
      (elem declare func $via_call $mem $div)
      (func $run (param $f (ref $f))
        (block $h (result (ref $k))
          (resume $k (on $t $h) (cont.new $k (local.get $f))) (return))
        (resume $k))
      (func (export "helper") (call $run (ref.func $via_call)))
      (func (export "mem") (call $run (ref.func $mem)))
      (func (export "div") (call $run (ref.func $div))))''')
    for name, msg, func in (('helper', 'out of bounds table access', '$deep_helper'),
                            ('mem', 'out of bounds memory access', '$mem'),
                            ('div', 'integer divide by zero', '$div')):
        with pytest.raises(vm.Trap) as e:
            i.exports[name]()
        assert (e.value.msg, e.value.func_name) == (msg, func), name


def test_forwarding_handler_passes_answers_exceptions_and_returns_through():
    # $middle handles only $other; $yield and the answers, a resume_throw, and the inner function's
    # return all pass through its resume (forwarded inline in the generator flavour)
    i = load_wat('''(module
      (type $f (func (result i32))) (type $k (cont $f))
      (type $fa (func (param i32) (result i32))) (type $ka (cont $fa))
      (tag $yield (param i32) (result i32)) (tag $other) (tag $exn (param i32))
      (func $inner (result i32) (local $a i32)
        (local.set $a (suspend $yield (i32.const 1)))             ;; answered: 10
        (local.set $a (i32.add (local.get $a) (suspend $yield (i32.const 2))))   ;; answered: 20
        (block $caught (result i32)
          (try_table (catch $exn $caught)
            (drop (suspend $yield (i32.const 3))))                 ;; resume_throw $exn 300
          (return (i32.const -1)))
        (i32.add (local.get $a)))                                   ;; 10 + 20 + 300
      (func $middle (result i32)
        (block $h (result (ref $k))
          (return (i32.mul (resume $k (on $other $h) (cont.new $k (ref.func $inner)))
                           (i32.const 2))))
        (drop) (i32.const -5))
      (elem declare func $inner $middle)
      (func (export "run") (result i32) (local $k (ref null $ka)) (local $v i32)
        (block $h (result i32 (ref $ka))
          (return (resume $k (on $yield $h) (cont.new $k (ref.func $middle)))))
        (local.set $k) (drop)
        (block $h (result i32 (ref $ka))
          (return (resume $ka (on $yield $h) (i32.const 10) (local.get $k))))
        (local.set $k) (drop)
        (block $h (result i32 (ref $ka))
          (return (resume $ka (on $yield $h) (i32.const 20) (local.get $k))))
        (local.set $k) (drop)
        (block $h (result i32 (ref $ka))
          (return (resume_throw $ka $exn (on $yield $h) (i32.const 300) (local.get $k))))
        (drop) (drop) (i32.const -9)))''')
    assert i.exports.run() == 660


def test_a_reference_in_a_handled_payload_is_not_kept_alive():
    # the payload travels in the tag's slot; a handled reference must not stay there
    import weakref

    class Obj:
        pass
    i = load_wat('''(module (type $f (func)) (type $k (cont $f))
      (tag $give (param externref)) (global $o (mut externref) (ref.null extern))
      (func $g (suspend $give (global.get $o)))
      (elem declare func $g)
      (func (export "run") (param $x externref) (result i32)
        (global.set $o (local.get $x))
        (block $h (result externref (ref $k))
          (resume $k (on $give $h) (cont.new $k (ref.func $g)))
          (return (i32.const 0)))
        (drop)
        (global.set $o (ref.null extern))
        (ref.is_null)))''')
    o = Obj()
    w = weakref.ref(o)
    assert i.exports.run(o) == 0
    del o
    gc.collect()
    assert w() is None


# -- found by tests/vm/exec/test_exec_cont_differential.py (mutated modules) ------------------------

@pytest.mark.parametrize('tag_results, cont_results', [
    ('i32', 'i64'), ('(ref func)', 'funcref'), ('funcref', '(ref func)'), ('', 'i64')])
def test_switch_handler_tag_results_must_be_the_resume_results(tag_results, cont_results):
    # (on $t switch): $t : [] -> [t*] with t* the continuation's results, in both directions of
    # subtyping (wasm-tools and wasmtime: "switch tag does not match continuation"); we accepted it.
    wat = f'''(module (type $f (func (result {cont_results}))) (type $c (cont $f))
      (tag $t (result {tag_results}))
      (func (param (ref $c)) (result {cont_results}) (resume $c (on $t switch) (local.get 0))))'''
    m = vm.decode(wasmtime.wat2wasm(wat))
    with pytest.raises(vm.ValidationError) as e:
        vm.validate(m)
    assert e.value.msg.startswith('type mismatch in switch tag')


def test_switch_handler_with_matching_tag_results_is_valid():
    load_wat('''(module (type $f (func (result funcref))) (type $c (cont $f)) (tag $t (result funcref))
      (func (param (ref $c)) (result funcref) (resume $c (on $t switch) (local.get 0))))''')


@pytest.mark.parametrize('stats', [False, True])
def test_switch_to_a_consumed_continuation_traps_before_looking_for_a_handler(stats):
    # Fuzzer seed 10333: a switch to a consumed continuation, with no switch handler anywhere, trapped
    # "unhandled tag $sw" here and "continuation already consumed" on wasmtime (as in the reference
    # interpreter, the target is checked first). Now the same wherever the switch happens.
    i = load_wat('''(module
      (rec (type $fs (func (param (ref null $cs)) (result i64))) (type $cs (cont $fs)))
      (type $f0 (func (result i64))) (type $c0 (cont $f0))
      (tag $sw (result i64)) (tag $other)
      (func $a (type $fs) (i64.const 1))
      (func $inner (result i64) (local $k (ref null $cs))
        (local.set $k (cont.new $cs (ref.func $a)))
        (drop (resume $cs (ref.null $cs) (local.get $k)))
        (drop (switch $cs $sw (local.get $k)))
        (i64.const 2))
      (elem declare func $a $inner)
      (func (export "plain") (result i64) (call $inner))
      (func (export "nested") (result i64)
        (block $h (result (ref $c0))
          (return (resume $c0 (on $other $h) (cont.new $c0 (ref.func $inner)))))
        (drop) (i64.const 3))
      (func (export "handled") (result i64)
        (resume $c0 (on $sw switch) (cont.new $c0 (ref.func $inner)))))''', stats=stats)
    for name in ('plain', 'nested', 'handled'):
        with pytest.raises(vm.Trap) as e:
            i.exports[name]()
        assert e.value.msg == 'continuation already consumed', name
