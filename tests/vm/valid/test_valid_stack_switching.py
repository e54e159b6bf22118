"""Typing of the stack-switching instructions and of our `barrier`, beyond what the spec suite covers.

Modules are written in WAT and assembled with wasmtime.wat2wasm, decoded with vm.decode. Every case
that does not use `barrier` is also checked against wasmtime's own validator (configured for
stack switching), so the expected outcome is not ours alone. `barrier` (0xe7) exists only in our
VM: those modules are written with `block` and the opcode byte is patched to 0xe7.
"""
from __future__ import annotations

import pytest
import wasmtime

from vm.binary.decode import decode
from vm.errors import ValidationError
from vm.valid import validate


def _engine():
    cfg = wasmtime.Config()
    for feature in ('wasm_gc', 'wasm_function_references', 'wasm_exceptions', 'wasm_tail_call',
                    'wasm_stack_switching', 'wasm_reference_types', 'wasm_multi_value'):
        setattr(cfg, feature, True)
    return wasmtime.Engine(cfg)


ENGINE = _engine()


def check(src: str, error: str | None = None):
    """Validate with vm.valid and with wasmtime; both must agree with `error` (None: valid)."""
    data = wasmtime.wat2wasm(src)
    try:
        wasmtime.Module.validate(ENGINE, data)
        theirs = None
    except Exception as e:  # wasmtime raises WasmtimeError
        theirs = str(e)
    assert (theirs is None) == (error is None), f'wasmtime disagrees with the test: {theirs}'
    return expect(data, error)


def expect(data: bytes, error: str | None):
    m = decode(data)
    if error is None:
        validate(m)
        return None
    with pytest.raises(ValidationError) as info:
        validate(m)
    assert info.value.msg.startswith(error), info.value.msg
    return info.value


def with_barriers(src: str) -> bytes:
    """Assemble `src` and turn every `block` whose label is named $barrier... into `barrier`."""
    data = bytearray(wasmtime.wat2wasm(src))
    m = decode(bytes(data))
    patched = 0
    for f in m.funcs:
        for ins in f.body:
            if ins.op == 'block':
                assert data[ins.offset] == 0x02
                data[ins.offset] = 0xE7
                patched += 1
    assert patched
    return bytes(data)


TYPES = '''
  (type $f (func))
  (type $c (cont $f))
  (type $fi (func (param i32) (result i32)))
  (type $ci (cont $fi))
'''


# -- barrier: typed exactly like block ------------------------------------------------------------

def test_barrier_with_params_and_results():
    data = with_barriers('''(module (func (result i32)
        (i32.const 1)
        (block (param i32) (result i32) (i32.const 2) (i32.add))))''')
    assert [i.op for i in decode(data).funcs[0].body].count('barrier') == 1
    expect(data, None)


def test_barrier_label_is_a_branch_target():
    expect(with_barriers('''(module (func (param i32) (result i64)
        (block (result i64) (br_if 0 (i64.const 7) (local.get 0)) (drop) (i64.const 8))))'''), None)


def test_barrier_result_mismatch():
    expect(with_barriers('(module (func (result i32) (block (result i32) (i64.const 1))))'),
           'type mismatch')


def test_barrier_missing_param():
    expect(with_barriers('(module (func (block (param i32) (drop))))'), 'type mismatch')


def test_barrier_may_contain_suspend():
    # Crossing a barrier traps at run time; validation accepts it.
    expect(with_barriers('(module (tag $t (param i32) (result i64)) (func (result i64) '
                         '(block (result i64) (suspend $t (i32.const 1)))))'), None)


def test_barrier_unknown_label():
    expect(with_barriers('(module (func (block (br 0)) (block (nop))))'), None)


# -- cont.new / cont.bind -------------------------------------------------------------------------

def test_cont_type_of_non_function_type():
    check('(module (type $s (struct)) (type $c (cont $s)))', 'non-function type')


def test_cont_new_needs_matching_function():
    check(f'(module {TYPES} (func $g (param i32) (result i32) (local.get 0)) (elem declare func $g)'
          '(func (result (ref $ci)) (cont.new $ci (ref.func $g))))')
    check(f'(module {TYPES} (func $g) (elem declare func $g)'
          '(func (result (ref $ci)) (cont.new $ci (ref.func $g))))', 'type mismatch')


def test_cont_bind_arity():
    check(f'''(module {TYPES}
      (func (param (ref $ci)) (result (ref $c))
        (i32.const 0) (local.get 0) (cont.bind $ci $c) (drop) (unreachable)))''', 'type mismatch')
    check('''(module
      (type $f2 (func (param i32 i64) (result f32)))
      (type $c2 (cont $f2))
      (type $f1 (func (param i64) (result f32)))
      (type $c1 (cont $f1))
      (func (param (ref $c2)) (result (ref $c1))
        (cont.bind $c2 $c1 (i32.const 1) (local.get 0))))''')
    check('''(module
      (type $f1 (func (param i64) (result f32)))
      (type $c1 (cont $f1))
      (type $f2 (func (param i32 i64) (result f32)))
      (type $c2 (cont $f2))
      (func (param (ref $c1)) (result (ref $c2))
        (cont.bind $c1 $c2 (local.get 0))))''', 'type mismatch in continuation arguments')


# -- suspend / resume handlers --------------------------------------------------------------------

def test_suspend_with_tag_results():
    check('(module (tag $t (param i32) (result f64)) (func (result f64) (suspend $t (i32.const 1))))')
    check('(module (tag $t (param i32) (result f64)) (func (result i32) (suspend $t (i32.const 1))))',
          'type mismatch')


HANDLER = '''(module
  (type $f (func (result {res})))
  (type $c (cont $f))
  (type $kf (func (param {kparam}) (result {kres})))
  (type $k (cont $kf))
  (tag $t (param i32) (result {tres}))
  (func (param $x (ref $c)) (result {res})
    (block $h (result i32 (ref $k))
      (resume $c (on $t $h) (local.get $x))
      (return))
    (drop) (drop) (unreachable)))'''


def test_handler_label_takes_tag_params_and_continuation():
    check(HANDLER.format(res='anyref', kparam='eqref', kres='anyref', tres='eqref'))


def test_handler_continuation_type_uses_subtyping():
    # $k = cont [(ref eq)] -> [anyref] accepts what the tag returns (eqref ⊇ (ref eq)) and
    # produces a supertype of the resume's results: cont [eqref] -> [(ref i31)] matches it.
    check(HANDLER.format(res='(ref i31)', kparam='(ref eq)', kres='anyref', tres='eqref'))


def test_handler_continuation_type_params_wrong_direction():
    # The captured continuation takes the tag's results (eqref); a label type that promises to
    # accept any anyref would let the handler pass it a non-eq value.
    check(HANDLER.format(res='anyref', kparam='anyref', kres='anyref', tres='eqref'),
          'type mismatch in continuation type')
    # Narrowing the accepted values is fine: the label's continuation takes (ref eq) <: anyref.
    check(HANDLER.format(res='anyref', kparam='(ref eq)', kres='anyref', tres='anyref'))


def test_handler_continuation_type_results_wrong_direction():
    check(HANDLER.format(res='anyref', kparam='eqref', kres='eqref', tres='eqref'), 'type mismatch')


def test_handler_label_without_continuation():
    check(f'''(module {TYPES} (tag $t)
      (func (param (ref $c))
        (block $h (resume $c (on $t $h) (local.get 0)) (return))))''',
          'type mismatch: instruction requires continuation reference type')


def test_handler_label_missing_tag_param():
    check(f'''(module {TYPES} (tag $t (param i32))
      (func (param (ref $c))
        (block $h (result (ref $c)) (resume $c (on $t $h) (local.get 0)) (return)) (drop)))''',
          'type mismatch')


def test_handler_unknown_label_and_tag():
    check(f'(module {TYPES} (tag $t) (func (param (ref $c)) (resume $c (on $t 1) (local.get 0))))',
          'unknown label')


def test_switch_handler_tag_must_have_no_params():
    check(f'''(module {TYPES} (tag $t (param i32))
      (func (param (ref $c)) (resume $c (on $t switch) (local.get 0))))''',
          'type mismatch in switch tag')
    check(f'''(module {TYPES} (tag $t)
      (func (param (ref $c)) (resume $c (on $t switch) (local.get 0))))''')


def test_resume_throw_and_throw_ref_operands():
    check(f'''(module {TYPES} (tag $e (param i64))
      (func (param (ref $ci)) (result i32) (resume_throw $ci $e (i64.const 1) (local.get 0))))''')
    check(f'''(module {TYPES} (tag $e (param i64))
      (func (param (ref $ci)) (result i32) (resume_throw $ci $e (i32.const 1) (local.get 0))))''',
          'type mismatch')
    check(f'''(module {TYPES}
      (func (param (ref $ci)) (param exnref) (result i32)
        (resume_throw_ref $ci (local.get 1) (local.get 0))))''')
    check(f'''(module {TYPES}
      (func (param (ref $ci)) (param exnref) (result i32)
        (resume_throw_ref $ci (local.get 0) (local.get 1))))''', 'type mismatch')


# -- switch ---------------------------------------------------------------------------------------

SWITCH = '''(module
  (rec
    (type $f1 (func (param i64 (ref null $c2)) (result {r1})))
    (type $c1 (cont $f1))
    (type $f2 (func (param f32) (result {r2})))
    (type $c2 (cont $f2)))
  (tag $t (result {rt}))
  (func (param (ref $c1)) (result f32)
    (switch $c1 $t (i64.const 0) (local.get 0))))'''


def test_switch_typing():
    check(SWITCH.format(r1='i32', r2='i32', rt='i32'))


def test_switch_tag_results_must_match_both_continuations():
    check(SWITCH.format(r1='i32', r2='i64', rt='i32'), 'type mismatch')
    check(SWITCH.format(r1='i64', r2='i32', rt='i32'), 'type mismatch')


def test_switch_tag_with_params():
    check(f'''(module {TYPES} (tag $t (param i32))
      (rec (type $g (func (param (ref null $d)))) (type $d (cont $g)))
      (func (param (ref $d)) (switch $d $t (local.get 0))))''', 'type mismatch in switch tag')


def test_switch_last_param_must_be_a_continuation():
    check('''(module (type $f (func (param i32))) (type $c (cont $f)) (tag $t)
      (func (param (ref $c)) (switch $c $t (local.get 0))))''', 'type mismatch')


# -- where errors point ---------------------------------------------------------------------------

def test_error_names_function_and_offset():
    data = wasmtime.wat2wasm(f'''(module {TYPES} (tag $t (param i32))
      (func $ok) (func $bad (param (ref $c)) (suspend $t (local.get 0))))''')
    e = expect(data, 'type mismatch')
    assert e.func_index == 1 and e.func_name == 'bad'
    bad = decode(data).funcs[1].body
    assert e.offset == next(i.offset for i in bad if i.op == 'suspend')
    assert '(ref 1)' in e.msg and 'i32' in e.msg


def test_tags_with_results_are_not_exceptions():
    # Tags may have results (for suspend), but throw/catch/resume_throw need exception tags.
    check('(module (tag $t (param i32) (result i32)) (export "t" (tag $t)))')
    check('(module (tag $t (param i32) (result i32)) (func (throw $t (i32.const 1))))',
          'non-empty tag result type')
    check('''(module (tag $t (param i32) (result i32))
      (func (block $l (result i32) (try_table (catch $t $l)) (unreachable)) (drop)))''',
          'non-empty tag result type')
    check(f'''(module {TYPES} (tag $t (param i32) (result i32))
      (func (param (ref $c)) (resume_throw $c $t (i32.const 1) (local.get 0))))''',
          'non-empty tag result type')
