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


# -- under an address-space limit (ulimit -v) -------------------------------------------------------

LIMITED = r'''
import resource, sys, time
import vm
data = open(sys.argv[1], 'rb').read()
with open('/proc/self/statm') as f:
    vsz = int(f.read().split()[0]) * resource.getpagesize()
limit = vsz + (300 << 20)            # a 1 GiB thread stack no longer fits
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
inst = vm.instantiate(vm.decode(data), memory_limit=None)
print('deep', inst.exports.deep(3000), flush=True)
start = time.time()
try:
    inst.exports.hog()
except vm.Trap as e:
    print(str(e), flush=True)
print('alive', inst.exports.deep(10), flush=True)
'''

HOG = '''(module (type $node (struct (field (ref null $node)) (field i64)))
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1)))))))
  (func (export "hog") (local $l (ref null $node))
    (loop $again (local.set $l (struct.new $node (local.get $l) (i64.const 0))) (br $again))))'''


def test_memory_exhaustion_under_ulimit_is_a_trap_not_a_hang(tmp_path):
    import subprocess
    import sys
    import wasmtime
    wasm = tmp_path / 'hog.wasm'
    wasm.write_bytes(wasmtime.wat2wasm(HOG))
    p = subprocess.run([sys.executable, '-c', LIMITED, str(wasm)], capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    assert p.stdout.splitlines() == ['deep 3000', 'trap: out of memory', 'alive 10']


# -- the memory budget (vm/runtime/budget.py) -------------------------------------------------------

def _limit(extra: int) -> int:
    """A memory_limit leaving `extra` bytes beyond what live objects of other tests hold."""
    from vm.runtime.budget import BUDGET
    BUDGET.recount()
    return BUDGET.fixed + BUDGET.heap + extra


def test_memories_beyond_the_budget_trap_at_instantiation():
    wat = '(module ' + ' '.join(f'(memory (export "m{i}") 16)' for i in range(8)) + ')'
    with pytest.raises(vm.Trap) as e:
        load_wat(wat, memory_limit=_limit(64 * 65536))
    assert e.value.msg == 'out of memory'
    load_wat(wat, memory_limit=_limit(128 * 65536 + 65536))


def test_growth_beyond_the_budget_fails():
    inst = load_wat('''(module (memory 1) (table 0 funcref)
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "tgrow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))''',
                    memory_limit=_limit(40 * 65536))
    assert inst.exports.grow(16) == 1
    assert inst.exports.grow(32) == -1           # would exceed the budget: fails, as the spec permits
    assert inst.exports.grow(16) == 17
    assert inst.exports.tgrow(1_000_000) == -1   # 8 MB of slots
    assert inst.exports.tgrow(1000) == 0


def test_gc_objects_beyond_the_budget_trap():
    inst = load_wat(HOG, memory_limit=_limit(16 << 20))
    with pytest.raises(vm.Trap) as e:
        inst.exports.hog()
    assert e.value.msg == 'out of memory'
    assert inst.exports.deep(5) == 5              # and the instance still works
    big = load_wat('''(module (type $a (array (mut i64)))
      (func (export "big") (result i32) (array.len (array.new_default $a (i32.const 10_000_000)))))''',
                   memory_limit=_limit(16 << 20))
    with pytest.raises(vm.Trap) as e:             # 80 MB: refused before it is allocated
        big.exports.big()
    assert e.value.msg == 'out of memory'


def test_continuations_beyond_the_budget_trap():
    inst = load_wat('''(module (type $f (func)) (type $k (cont $f))
      (type $node (struct (field (ref null $node)) (field (ref null $k))))
      (global $list (mut (ref null $node)) (ref.null $node))
      (func $body)
      (elem declare func $body)
      (func (export "hoard") (local $i i32)
        (loop $again
          (global.set $list (struct.new $node (global.get $list) (cont.new $k (ref.func $body))))
          (br $again))))''', memory_limit=_limit(8 << 20))
    with pytest.raises(vm.Trap) as e:
        inst.exports.hoard()
    assert e.value.msg == 'out of memory'


# -- fuel: a runaway tail-call loop is charged like a runaway loop ----------------------------------

def test_tail_calls_cost_six_units_of_fuel():
    inst = load_wat('''(module (global $n (export "n") (mut i32) (i32.const 0))
      (func $f (export "f") (global.set $n (i32.add (global.get $n) (i32.const 1))) (return_call $f))
      (func (export "g") (loop $l (global.set $n (i32.add (global.get $n) (i32.const 1))) (br $l))))''',
                    fuel=6000)
    with pytest.raises(vm.OutOfFuel):
        inst.exports.f()
    assert 990 <= inst.exports.n.get() <= 1010          # 1 (entry) + 5 (the tail call) each
    inst.exports.n.set(0)
    inst.fuel[0] = 6000
    with pytest.raises(vm.OutOfFuel):
        inst.exports.g()
    assert 5990 <= inst.exports.n.get() <= 6010


# -- many functions: compiled in chunks, charged to the budget --------------------------------------

def test_many_functions_compile_in_chunks_and_keep_their_traps():
    from vm.exec.translate import CHUNK_LINES
    n = 3000
    wat = '(module (memory 1) ' + ''.join(
        f'(func (export "f{i}") (param i32) (result i32) (i32.load (local.get 0)))' for i in range(n)) + ')'
    inst = load_wat(wat)
    assert inst.source.count('\n') > CHUNK_LINES              # more than one chunk
    for i in (0, n // 2, n - 1):
        assert inst.exports[f'f{i}'](4) == 0
        with pytest.raises(vm.Trap) as e:
            inst.exports[f'f{i}'](65534)
        assert e.value.msg == 'out of bounds memory access' and e.value.func_name == f'$f{i}'


def test_translated_code_is_charged_to_the_budget():
    wat = '(module ' + '(func)' * 2000 + ')'
    with pytest.raises(vm.Trap) as e:
        load_wat(wat, memory_limit=_limit(1 << 20))           # ~2 KB a function do not fit in 1 MB
    assert e.value.msg == 'out of memory'
    load_wat(wat, memory_limit=_limit(16 << 20))


def test_grown_memory_is_usable_to_its_last_byte():
    inst = load_wat('''(module (memory 1)
      (func (export "grow_and_touch") (result i32)
        (drop (memory.grow (i32.const 2)))
        (i32.store8 (i32.const 196607) (i32.const 42))
        (i32.load8_u (i32.const 196607))))''')
    assert inst.exports.grow_and_touch() == 42
