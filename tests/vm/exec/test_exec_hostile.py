"""Hostile modules and hosts (issue 11's findings): each ends in a VM error naming the problem, never
in a traceback, a hang or a killed process."""

import pytest

import vm

from .conftest import load_wat


# -- host functions: arity checked at link time, results at every call --------------------------------

IMPORT = '''(module (import "env" "f" (func $f (param i32 i32) (result i32)))
  (func (export "call") (result i32) (call $f (i32.const 1) (i32.const 2))))'''


def test_host_function_of_the_wrong_arity_is_a_link_error():
    with pytest.raises(vm.LinkError) as e:
        load_wat(IMPORT, {'env': {'f': lambda a: a}})
    assert 'env.f' in e.value.msg and '2 argument' in e.value.msg
    load_wat(IMPORT, {'env': {'f': lambda *a: 0}})          # variadic: fine
    load_wat(IMPORT, {'env': {'f': max}})                   # a builtin Python cannot inspect: fine


@pytest.mark.parametrize('result', ['3', 1.5, None, [1, 2], object()])
def test_host_result_of_the_wrong_type_traps(result):
    inst = load_wat(IMPORT, {'env': {'f': lambda a, b: result}})
    with pytest.raises(vm.Trap) as e:
        inst.exports.call()
    assert e.value.msg.startswith('host function env.f returned')
    assert 'where i32 was expected' in e.value.msg or 'wrong number' in e.value.msg


def test_host_results_of_reference_types_are_checked():
    inst = load_wat('''(module (import "env" "f" (func $f (result funcref)))
      (import "env" "g" (func $g (result (ref extern))))
      (func (export "f") (result funcref) (call $f))
      (func (export "g") (result externref) (call $g)))''',
                    {'env': {'f': lambda: 'not a function', 'g': lambda: None}})
    with pytest.raises(vm.Trap) as e:
        inst.exports.f()
    assert 'where funcref was expected' in e.value.msg
    with pytest.raises(vm.Trap) as e:
        inst.exports.g()
    assert 'where (ref extern) was expected' in e.value.msg


# -- names from the binary reach messages escaped ---------------------------------------------------

def test_names_in_messages_are_escaped():
    inst = load_wat('(module (func (export "evil\\n\\1b[31mname") (unreachable)))')
    with pytest.raises(vm.Trap) as e:
        inst.exports['evil\n\x1b[31mname']()
    text = str(e.value)
    assert text == 'trap: unreachable (in $evil\\n\\x1b[31mname)'
    assert e.value.func_name == '$evil\n\x1b[31mname'           # the data itself is unchanged
