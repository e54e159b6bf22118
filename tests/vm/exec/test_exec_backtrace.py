"""A trap's Wasm backtrace (vm.Trap.frames): (function index, module offset) of the trapping instruction and
of each call on the way, innermost first — the positions V8 and wasmtime report, which a source map turns
into source lines. The expected offsets are the decoder's own `Instr.offset`s."""

import pytest
import wasmtime

import vm

WAT = '''(module
  (memory 1)
  (tag $t (result i32))
  (type $ft (func (result i32)))
  (type $ct (cont $ft))
  (type $ft2 (func (param i32) (result i32)))
  (type $ct2 (cont $ft2))
  (func $div (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func $load (param i32) (result i32) (i32.load (local.get 0)))
  (func $mid (param i32 i32) (result i32)
    (i32.add (i32.const 1)
      (if (result i32) (local.get 1) (then (call $load (local.get 0))) (else (call $div (local.get 0))))))
  (func (export "top") (param i32 i32) (result i32) (call $mid (local.get 0) (local.get 1)))
  (func $rec (export "rec") (param i32) (result i32) (i32.add (i32.const 1) (call $rec (local.get 0))))
  (func $body (result i32) (drop (suspend $t)) (call $div (i32.const 0)))
  (elem declare func $body)
  (func (export "in_cont") (result i32)
    (resume $ct2 (i32.const 7)
      (block $h (result (ref $ct2))
        (return (resume $ct (on $t $h) (cont.new $ct (ref.func $body))))))))'''


@pytest.fixture(scope='module')
def setup():
    module = vm.decode(wasmtime.wat2wasm(WAT))
    vm.validate(module)
    return module, vm.instantiate(module)


def offsets(module, func, op):
    """Offsets of the instructions `op` in defined function `func`."""
    return [ins.offset for ins in module.funcs[func].body if ins.op == op]


def calls_to(module, func, callee):
    return [ins.offset for ins in module.funcs[func].body if ins.op == 'call' and ins.args[0] == callee]


def trap(inst, name, *args):
    with pytest.raises(vm.Trap) as e:
        inst.exports[name](*args)
    return e.value


def test_a_division_trap_names_the_instruction_and_every_call(setup):
    module, inst = setup
    t = trap(inst, 'top', 0, 0)
    assert t.msg == 'integer divide by zero'
    assert t.frames == [(0, offsets(module, 0, 'i32.div_s')[0]),
                        (2, calls_to(module, 2, 0)[0]),
                        (3, calls_to(module, 3, 2)[0])]


def test_a_memory_fault_keeps_the_faulting_line(setup):
    """A fault is raised anew as a Trap (vm/exec/translate.py, fault_handler): its frame still names the load."""
    module, inst = setup
    t = trap(inst, 'top', 70000, 1)
    assert t.msg == 'out of bounds memory access'
    assert t.frames[:2] == [(1, offsets(module, 1, 'i32.load')[0]), (2, calls_to(module, 2, 1)[0])]


def test_exhaustion_keeps_its_frames(setup):
    module, inst = setup
    t = trap(inst, 'rec', 0)
    assert isinstance(t, vm.Exhaustion)
    call = calls_to(module, 4, 4)[0]
    assert len(t.frames) > 100 and set(t.frames) == {(4, call)}


def test_a_trap_in_a_continuation_shows_the_resumer_too(setup):
    module, inst = setup
    t = trap(inst, 'in_cont')
    assert t.frames == [(0, offsets(module, 0, 'i32.div_s')[0]),
                        (5, calls_to(module, 5, 0)[0]),
                        (6, offsets(module, 6, 'resume')[1])]
