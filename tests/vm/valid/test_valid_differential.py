"""Random instruction sequences, validated by vm.valid and by wasmtime: the verdicts must agree.

Each program is one function body drawn from a palette of instructions over a fixed set of types,
locals, globals, tags, a table and a memory (numeric, parametric, control, references, casts, GC,
exceptions, stack switching). More than half start with `unreachable`, so the polymorphic stack
of the spec's algorithm is exercised. Programs are written as flat WAT and assembled with
wasmtime.wat2wasm; the few that do not assemble or decode (an extra `end`) are skipped.
"""
from __future__ import annotations

import random

import pytest
import wasmtime

from vm.binary.decode import decode
from vm.errors import DecodeError, ValidationError
from vm.valid import validate

PRELUDE = '''(module
  (type $f (func))
  (type $fi (func (param i32) (result i32)))
  (type $s (sub (struct (field (mut i32)) (field anyref))))
  (type $s2 (sub $s (struct (field (mut i32)) (field eqref) (field i64))))
  (type $a (array (mut i8)))
  (type $c (cont $f))
  (type $ci (cont $fi))
  (type $bt (func (param i32) (result i32 i32)))
  (tag $e (param i32))
  (tag $y (param i32) (result i32))
  (tag $sw (result i32))
  (global $g (mut i32) (i32.const 0))
  (global $gr (mut anyref) (ref.null any))
  (table $t 1 funcref)
  (memory 1)
  (elem declare func $h)
  (func $h (param i32) (result i32) (local.get 0))
  (func (param $p i32) (param $r (ref null $s)) (param $k (ref null $ci)) (result i32)
    (local $x i32) (local $nn (ref $s)) (local $any anyref) (local $ex exnref)
'''

PALETTE = [
    'i32.const 1', 'i32.const 1', 'i64.const 2', 'f32.const 0', 'local.get 0', 'local.get 1',
    'local.get 2', 'local.get 4', 'local.set 0', 'local.tee 3', 'local.set 4', 'local.get 5',
    'local.set 5', 'i32.add', 'i32.eqz', 'i64.add', 'drop', 'select', 'select (result i32)',
    'unreachable', 'br 0', 'br 1', 'br_if 0', 'br_table 0 1', 'br_table 0 0', 'return', 'nop',
    'ref.null any', 'ref.null $s', 'ref.null none', 'ref.is_null', 'ref.as_non_null',
    'br_on_null 0', 'br_on_non_null 0', 'ref.test (ref $s2)', 'ref.cast (ref null $s2)',
    'br_on_cast 0 anyref (ref $s)', 'br_on_cast_fail 0 anyref (ref $s2)', 'struct.get $s 0',
    'struct.get $s 1', 'struct.set $s 0', 'struct.new $s', 'struct.new_default $s2',
    'array.new_default $a', 'array.len', 'array.get_u $a', 'ref.i31', 'i31.get_s',
    'any.convert_extern', 'extern.convert_any', 'ref.eq', 'call $h', 'return_call $h',
    'ref.func $h', 'call_ref $fi', 'global.get $g', 'global.set $gr', 'global.get $gr',
    'throw $e', 'throw_ref', 'suspend $y', 'cont.new $ci', 'resume $ci',
    'resume $ci (on $sw switch)', 'resume_throw $ci $e', 'cont.bind $ci $ci', 'i32.load',
    'i32.store', 'memory.size', 'table.get $t', 'call_indirect (type $fi)',
    'block', 'block (result i32)', 'block (param i32) (result i32)', 'block (type $bt)',
    'loop (param i32)', 'loop', 'if', 'if (result i32)', 'else', 'end', 'end', 'end',
    'try_table (catch $e 0)', 'try_table (result i32) (catch_all 0)', 'try_table (catch_all_ref 0)',
]
OPENERS = ('block', 'loop', 'if', 'try_table')


def program(rnd: random.Random) -> str:
    body = ['unreachable'] if rnd.random() < 0.6 else []
    depth = 0
    for _ in range(rnd.randrange(1, 8)):
        op = rnd.choice(PALETTE)
        if op in ('end', 'else') and depth == 0:
            continue
        depth += (op.split()[0] in OPENERS) - (op == 'end')
        body.append(op)
    body += ['end'] * depth
    return PRELUDE + '\n'.join('    ' + op for op in body) + '\n  )\n)'


def engine():
    cfg = wasmtime.Config()
    for feature in ('wasm_gc', 'wasm_function_references', 'wasm_exceptions', 'wasm_tail_call',
                    'wasm_stack_switching', 'wasm_reference_types', 'wasm_multi_value'):
        setattr(cfg, feature, True)
    return wasmtime.Engine(cfg)


@pytest.mark.parametrize('seed', range(4))
def test_random_bodies_agree_with_wasmtime(seed):
    rnd = random.Random(seed)
    eng = engine()
    verdicts = {True: 0, False: 0}
    disagreements = []
    for _ in range(400):
        src = program(rnd)
        try:
            data = wasmtime.wat2wasm(src)
            module = decode(data)
        except (wasmtime.WasmtimeError, DecodeError):
            continue
        try:
            validate(module)
            ours = None
        except ValidationError as e:
            ours = e.msg
        try:
            wasmtime.Module.validate(eng, data)
            theirs = None
        except wasmtime.WasmtimeError as e:
            theirs = str(e).splitlines()[0]
        verdicts[ours is None] += 1
        if (ours is None) != (theirs is None):
            disagreements.append(f'ours {ours!r}, wasmtime {theirs!r}:\n{src}')
    assert not disagreements, '\n\n'.join(disagreements[:3])
    assert verdicts[True] >= 20 and verdicts[False] >= 200
