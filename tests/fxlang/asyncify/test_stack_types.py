"""fxlang.asyncify.stack_types: the exact operand stack before every instruction, per instruction family on
hand-written WAT; the control structure (blocks, parent); errors; and consistency properties over the spec
suite, the examples (targets fx and standard), the fxlang.wasm sample modules and wasm-tools smith modules."""

from __future__ import annotations

import random
import subprocess

import pytest
import wasmtime
from hypothesis import given, settings, strategies as st

from fxlang.asyncify.stack_types import FIXED, Block, TypingError, type_function, _HANDLERS, _KNOWN_OTHER
from fxlang.wasm import Module, RefType, encode, opcodes, ref
from fxlang.wasm.body import Instr
from fxlang.wasm.read import read
from tests.fxlang.wasm._wasm_oracle import WASM_TOOLS

from . import _corpus


# ---- helpers ----------------------------------------------------------------------------------------

def show(t) -> str:
    if isinstance(t, RefType):
        return f'(ref {"null " if t.nullable else ""}{t.heap})'
    return t


def fmt(stack) -> str:
    return '-' if stack is None else ' '.join(show(t) for t in stack)


def module(wat: str) -> Module:
    """The module of a WAT text, which wasm-tools must find valid (so that the expectations are about valid
    code)."""
    data = wasmtime.wat2wasm(wat)
    if WASM_TOOLS is not None:
        p = subprocess.run([WASM_TOOLS, 'validate', '--features', 'all', '-'], input=data, capture_output=True)
        assert p.returncode == 0, p.stderr.decode()
    return read(data)


def typed(wat: str, func: int = -1):
    """The typing of one defined function (default: the last) of a WAT module."""
    m = module(wat)
    f = m.funcs.entries[func]
    return f, type_function(m, f)


def stacks(wat: str, func: int = -1) -> list[str]:
    """'op: stack' for every instruction of the function, the final end as 'END: stack'."""
    f, t = typed(wat, func)
    assert len(t.before) == len(f.body) == len(t.parent)
    return [f'{ins.op}: {fmt(s)}'.rstrip() for ins, s in zip(f.body, t.before)] + [f'END: {fmt(t.end_stack)}'.rstrip()]


def lines(text: str) -> list[str]:
    return [l.strip() for l in text.strip().splitlines()]


def matches(expected, actual) -> bool:
    """Value-type agreement, subtyping aside: numeric types exactly, references by being references."""
    if isinstance(expected, RefType) or isinstance(actual, RefType):
        return isinstance(expected, RefType) and isinstance(actual, RefType)
    return expected == actual


def level_holds(stack, base: int, types) -> bool:
    level = stack[base:]
    return len(level) == len(types) and all(map(matches, types, level))


def check_consistent(m: Module, f, t) -> int:
    """The properties every typing must have; returns the number of reachable call sites checked."""
    body = f.body
    ft = m.types.func_type(f.type)
    if t.end_stack is not None:
        assert level_holds(t.end_stack, 0, ft.results), (t.end_stack, ft.results)
    for i, b in t.blocks.items():
        op = body[i].op
        assert op in opcodes.BLOCK_OPS
        assert body[b.end].op == ('delegate' if op == 'try' and body[b.end].op == 'delegate' else 'end')
        assert t.parent[b.end] == i
        closers = [b.end] + ([b.else_] if b.else_ is not None else []) + list(b.catches)
        for c in closers:
            if t.before[c] is not None:
                assert level_holds(t.before[c], b.base, b.results), (i, c, t.before[c], b)
                assert t.before[i] is not None
        if t.before[i] is not None:
            entry = t.before[i][:-1] if op == 'if' else t.before[i]
            assert len(entry) == b.base + len(b.params)
            assert level_holds(entry, b.base, b.params)
            if i + 1 < len(body) and t.before[i + 1] is not None:
                assert t.before[i + 1] == entry[:b.base] + tuple(b.params)
            after = b.end + 1
            if after < len(body) and t.before[after] is not None:
                assert t.before[after][:b.base] == entry[:b.base]
                assert level_holds(t.before[after][:b.base + len(b.results)], b.base, b.results)
    calls = 0
    for i, ins in enumerate(body):
        s = t.before[i]
        if s is None:
            continue
        if ins.op in ('call', 'return_call'):
            params, extra = m.func_type_of(ins.imms[0]).params, 0
        elif ins.op in ('call_indirect', 'return_call_indirect', 'call_ref', 'return_call_ref'):
            params, extra = m.types.func_type(ins.imms[0]).params, 1
        else:
            continue
        calls += 1
        args = s[len(s) - extra - len(params):len(s) - extra]
        assert len(s) >= extra + len(params) and len(args) == len(params)
        assert all(map(matches, params, args)), (i, ins, params, args)
    return calls


def check_module(name: str, m: Module) -> tuple[int, int]:
    funcs = calls = 0
    for f in m.funcs:
        try:
            t = type_function(m, f)
        except TypingError as e:
            raise AssertionError(f'{name}: {e}') from None
        try:
            calls += check_consistent(m, f, t)
        except AssertionError as e:
            raise AssertionError(f'{name}, function {int(f)}: {e}') from None
        funcs += 1
    return funcs, calls


# ---- numeric, locals, globals ---------------------------------------------------------------------

def test_straight_line_numeric_and_locals():
    assert stacks('''(module (global $g (mut f64) (f64.const 0))
      (func (param i32 i64) (result f64) (local f32 f64)
        local.get 1 local.get 0 i64.extend_i32_u i64.add
        f64.convert_i64_s local.tee 3 drop f32.const 1 local.set 2 global.get $g global.set $g
        local.get 0 i32.eqz drop local.get 2 f64.promote_f32))''') == lines('''
        local.get:
        local.get: i64
        i64.extend_i32_u: i64 i32
        i64.add: i64 i64
        f64.convert_i64_s: i64
        local.tee: f64
        drop: f64
        f32.const:
        local.set: f32
        global.get:
        global.set: f64
        local.get:
        i32.eqz: i32
        drop: i32
        local.get:
        f64.promote_f32: f32
        END: f64''')


def test_fixed_signatures_agree_with_wasm_tools():
    """Each context-free signature of the table, written as a function taking its operands as params and
    returning its results, is accepted by wasm-tools validate: an independent check of the table."""
    if WASM_TOOLS is None:
        pytest.skip('wasm-tools not found')
    m = Module()
    for op, (pops, pushes) in FIXED.items():
        if op in ('data.drop', 'elem.drop'):
            continue
        pops = [RefType(_REF_OPERANDS[op]) if p is None else p for p in pops]
        f = m.funcs.add(m.types.func(pops, pushes))
        for i in range(len(pops)):
            f.emit('local.get', i)
        imms = {'i32.const': (1,), 'i64.const': (1,), 'f32.const': (1.0,), 'f64.const': (1.0,),
                'ref.test': ('any',), 'ref.test_null': ('any',)}.get(op, ())
        f.emit(op, *imms)
    p = subprocess.run([WASM_TOOLS, 'validate', '--features', 'all', '-'], input=encode(m), capture_output=True)
    assert p.returncode == 0, p.stderr.decode()


_REF_OPERANDS = {'ref.is_null': 'any', 'ref.eq': 'eq', 'i31.get_s': 'i31', 'i31.get_u': 'i31',
                 'array.len': 'array', 'ref.test': 'any', 'ref.test_null': 'any', 'drop': 'any'}


def test_every_opcode_is_typed():
    typed_ops = set(FIXED) | set(_HANDLERS) | _KNOWN_OTHER
    assert set(opcodes.OPS) <= typed_ops, sorted(set(opcodes.OPS) - typed_ops)


def test_memory_and_memory64():
    assert stacks('''(module (memory 1) (memory $m i64 1) (data "x")
      (func
        i32.const 0 i64.load32_u offset=4 drop
        i64.const 0 f32.load $m drop
        i64.const 0 f64.const 1 f64.store $m
        memory.size $m memory.grow $m drop memory.size drop
        i32.const 0 i32.const 0 i32.const 1 memory.init 0
        i64.const 0 i32.const 0 i64.const 1 memory.fill $m
        i64.const 0 i32.const 0 i32.const 1 memory.copy $m 0))''') == lines('''
        i32.const:
        i64.load32_u: i32
        drop: i64
        i64.const:
        f32.load: i64
        drop: f32
        i64.const:
        f64.const: i64
        f64.store: i64 f64
        memory.size:
        memory.grow: i64
        drop: i64
        memory.size:
        drop: i32
        i32.const:
        i32.const: i32
        i32.const: i32 i32
        memory.init: i32 i32 i32
        i64.const:
        i32.const: i64
        i64.const: i64 i32
        memory.fill: i64 i32 i64
        i64.const:
        i32.const: i64
        i32.const: i64 i32
        memory.copy: i64 i32 i32
        END:''')


def test_tables_and_table64():
    assert stacks('''(module (table $t 1 funcref) (table $u i64 1 externref) (table $v i64 1 funcref) (elem $e func)
      (func (result i64)
        i32.const 0 table.get $t
        ref.null func i32.const 0 table.grow $t drop
        i64.const 0 table.get $u drop
        i64.const 0 ref.null extern i64.const 1 table.fill $u
        i32.const 0 i32.const 0 i32.const 0 table.init $t $e elem.drop $e
        i32.const 0 i64.const 0 i32.const 0 table.copy $t $v
        drop table.size $u))''') == lines('''
        i32.const:
        table.get: i32
        ref.null: (ref null func)
        i32.const: (ref null func) (ref null func)
        table.grow: (ref null func) (ref null func) i32
        drop: (ref null func) i32
        i64.const: (ref null func)
        table.get: (ref null func) i64
        drop: (ref null func) (ref null extern)
        i64.const: (ref null func)
        ref.null: (ref null func) i64
        i64.const: (ref null func) i64 (ref null extern)
        table.fill: (ref null func) i64 (ref null extern) i64
        i32.const: (ref null func)
        i32.const: (ref null func) i32
        i32.const: (ref null func) i32 i32
        table.init: (ref null func) i32 i32 i32
        elem.drop: (ref null func)
        i32.const: (ref null func)
        i64.const: (ref null func) i32
        i32.const: (ref null func) i32 i64
        table.copy: (ref null func) i32 i64 i32
        drop: (ref null func)
        table.size:
        END: i64''')


# ---- control ------------------------------------------------------------------------------------

def test_blocks_params_results_and_full_stack():
    wat = '''(module (type $ii (func (param i32) (result i32 i64)))
      (func (result i32 i32 i64 f32)
        i32.const 1
        i32.const 2
        block $b (type $ii)
          i64.const 3
          i32.const 0
          br_if $b
          drop
          i64.const 5
        end
        f32.const 6))'''
    assert stacks(wat) == lines('''
        i32.const:
        i32.const: i32
        block: i32 i32
        i64.const: i32 i32
        i32.const: i32 i32 i64
        br_if: i32 i32 i64 i32
        drop: i32 i32 i64
        i64.const: i32 i32
        end: i32 i32 i64
        f32.const: i32 i32 i64
        END: i32 i32 i64 f32''')
    f, t = typed(wat)
    assert t.blocks == {2: Block(('i32',), ('i32', 'i64'), 8, None, (), 1)}
    assert t.parent == [None, None, None, 2, 2, 2, 2, 2, 2, None]


def test_if_else_loop_and_nesting():
    wat = '''(module
      (func (param i32) (result i32)
        local.get 0
        if (result i32)
          loop $l (result i32)
            local.get 0
            br_if $l
            i32.const 1
          end
        else
          i32.const 2
        end
        local.get 0
        if
          nop
        end))'''
    assert stacks(wat) == lines('''
        local.get:
        if: i32
        loop:
        local.get:
        br_if: i32
        i32.const:
        end: i32
        else: i32
        i32.const:
        end: i32
        local.get: i32
        if: i32 i32
        nop: i32
        end: i32
        END: i32''')
    f, t = typed(wat)
    assert t.blocks == {1: Block((), ('i32',), 9, 7, (), 0), 2: Block((), ('i32',), 6, None, (), 0),
                        11: Block((), (), 13, None, (), 1)}
    assert t.parent == [None, None, 1, 2, 2, 2, 2, 1, 1, 1, None, None, 11, 11]


def test_unreachable_regions_are_none_up_to_their_end():
    wat = '''(module
      (func (param i32) (result i32)
        block (result i32)
          i32.const 1
          br 0
          i32.const 2
          block (result i64)
            i64.const 3
          end
          drop
        end
        local.get 0
        if (result i32)
          unreachable
          i32.add
        else
          i32.const 4
        end
        i32.add
        return
        drop))'''
    assert stacks(wat) == lines('''
        block:
        i32.const:
        br: i32
        i32.const: -
        block: -
        i64.const: -
        end: -
        drop: -
        end: -
        local.get: i32
        if: i32 i32
        unreachable: i32
        i32.add: -
        else: -
        i32.const: i32
        end: i32 i32
        i32.add: i32 i32
        return: i32
        drop: -
        END: -''')
    f, t = typed(wat)
    # a block in unreachable code still has its structure; its base counts the polymorphic stack as empty
    assert t.blocks[4] == Block((), ('i64',), 6, None, (), 0)


def test_branches_that_do_not_fall_through():
    assert stacks('''(module (type $v (func)) (table 1 funcref) (func $f) (elem declare func $f)
      (func (param i32)
        block block block
          local.get 0 br_table 0 1 2
        end
        i32.const 1 return_call $f
        end
        i32.const 0 return_call_indirect (type $v)
        end
        ref.func $f return_call_ref $v))''') == lines('''
        block:
        block:
        block:
        local.get:
        br_table: i32
        end: -
        i32.const:
        return_call: i32
        end: -
        i32.const:
        return_call_indirect: i32
        end: -
        ref.func:
        return_call_ref: (ref 0)
        END: -''')


def test_calls_and_select():
    assert stacks('''(module (type $t (func (param i32 i64) (result f32 f64))) (table 1 funcref)
      (func $f (type $t) f32.const 0 f64.const 0)
      (elem declare func $f)
      (func (param i32) (result (ref null $t))
        i32.const 1 i64.const 2 call $f drop drop
        i32.const 1 i64.const 2 i32.const 0 call_indirect (type $t) drop drop
        i32.const 1 i64.const 2 ref.func $f call_ref $t drop drop
        ref.func $f ref.null $t local.get 0 select (result (ref null $t))
        i64.const 1 i64.const 2 local.get 0 select drop))''') == lines('''
        i32.const:
        i64.const: i32
        call: i32 i64
        drop: f32 f64
        drop: f32
        i32.const:
        i64.const: i32
        i32.const: i32 i64
        call_indirect: i32 i64 i32
        drop: f32 f64
        drop: f32
        i32.const:
        i64.const: i32
        ref.func: i32 i64
        call_ref: i32 i64 (ref 0)
        drop: f32 f64
        drop: f32
        ref.func:
        ref.null: (ref 0)
        local.get: (ref 0) (ref null 0)
        select_t: (ref 0) (ref null 0) i32
        i64.const: (ref null 0)
        i64.const: (ref null 0) i64
        local.get: (ref null 0) i64 i64
        select: (ref null 0) i64 i64 i32
        drop: (ref null 0) i64
        END: (ref null 0)''')


def test_untyped_select_keeps_its_operand_type():
    f, t = typed('(module (func (result f64) f64.const 1 f64.const 2 i32.const 0 select))')
    assert t.end_stack == ('f64',)


# ---- references and GC ---------------------------------------------------------------------------

def test_reference_instructions_use_operand_types():
    assert stacks('''(module (type $s (struct))
      (func (param (ref null $s) externref) (result i32)
        local.get 0 ref.as_non_null drop
        block
          local.get 0 br_on_null 0 drop
        end
        block (result (ref $s))
          local.get 0 br_on_non_null 0 unreachable
        end drop
        local.get 1 any.convert_extern extern.convert_any drop
        local.get 1 ref.as_non_null any.convert_extern drop
        local.get 0 ref.is_null local.get 0 local.get 0 ref.eq i32.add))''') == lines('''
        local.get:
        ref.as_non_null: (ref null 0)
        drop: (ref 0)
        block:
        local.get:
        br_on_null: (ref null 0)
        drop: (ref 0)
        end:
        block:
        local.get:
        br_on_non_null: (ref null 0)
        unreachable:
        end: -
        drop: (ref 0)
        local.get:
        any.convert_extern: (ref null extern)
        extern.convert_any: (ref null any)
        drop: (ref null extern)
        local.get:
        ref.as_non_null: (ref null extern)
        any.convert_extern: (ref extern)
        drop: (ref any)
        local.get:
        ref.is_null: (ref null 0)
        local.get: i32
        local.get: i32 (ref null 0)
        ref.eq: i32 (ref null 0) (ref null 0)
        i32.add: i32 i32
        END: i32''')


def test_br_on_non_null_drops_the_reference_on_fall_through():
    f, t = typed('''(module (func (param anyref) (result anyref)
        block (result (ref any))
          local.get 0 br_on_non_null 0
          ref.null any return
        end))''')
    assert t.before[2] == (RefType('any'),)
    assert t.before[3] == ()


def test_gc_structs_arrays_packed_fields_casts():
    assert stacks('''(module
      (type $s (struct (field i8) (field (mut i64)) (field (mut (ref null $s)))))
      (type $a (array (mut i16)))
      (type $b (array (mut anyref)))
      (data $d "xy") (elem $e anyref)
      (func (param anyref) (result i32)
        i32.const 1 i64.const 2 ref.null $s struct.new $s
        struct.get_s $s 0 drop
        struct.new_default $s i64.const 3 struct.set $s 1
        struct.new_default $s struct.get $s 2 struct.get $s 1 drop
        i32.const 7 i32.const 2 array.new $a i32.const 0 array.get_u $a drop
        i32.const 1 i32.const 2 array.new_fixed $a 2 i32.const 0 i32.const 9 array.set $a
        i32.const 4 array.new_default $b array.len drop
        i32.const 0 i32.const 2 array.new_data $a $d drop
        i32.const 0 i32.const 0 array.new_elem $b $e
        i32.const 0 ref.null any i32.const 0 array.fill $b
        i32.const 0 i32.const 0 array.new_default $b i32.const 0 array.get $b drop
        ref.i31 i31.get_s drop
        local.get 0 ref.test (ref $s) drop
        local.get 0 ref.test (ref null $s) drop
        local.get 0 ref.cast (ref null $a) drop
        local.get 0 ref.cast (ref i31) i31.get_u))''') == lines('''
        i32.const:
        i64.const: i32
        ref.null: i32 i64
        struct.new: i32 i64 (ref null 0)
        struct.get_s: (ref 0)
        drop: i32
        struct.new_default:
        i64.const: (ref 0)
        struct.set: (ref 0) i64
        struct.new_default:
        struct.get: (ref 0)
        struct.get: (ref null 0)
        drop: i64
        i32.const:
        i32.const: i32
        array.new: i32 i32
        i32.const: (ref 1)
        array.get_u: (ref 1) i32
        drop: i32
        i32.const:
        i32.const: i32
        array.new_fixed: i32 i32
        i32.const: (ref 1)
        i32.const: (ref 1) i32
        array.set: (ref 1) i32 i32
        i32.const:
        array.new_default: i32
        array.len: (ref 2)
        drop: i32
        i32.const:
        i32.const: i32
        array.new_data: i32 i32
        drop: (ref 1)
        i32.const:
        i32.const: i32
        array.new_elem: i32 i32
        i32.const: (ref 2)
        ref.null: (ref 2) i32
        i32.const: (ref 2) i32 (ref null any)
        array.fill: (ref 2) i32 (ref null any) i32
        i32.const:
        i32.const: i32
        array.new_default: i32 i32
        i32.const: i32 (ref 2)
        array.get: i32 (ref 2) i32
        drop: i32 (ref null any)
        ref.i31: i32
        i31.get_s: (ref i31)
        drop: i32
        local.get:
        ref.test: (ref null any)
        drop: i32
        local.get:
        ref.test_null: (ref null any)
        drop: i32
        local.get:
        ref.cast_null: (ref null any)
        drop: (ref null 1)
        local.get:
        ref.cast: (ref null any)
        i31.get_u: (ref i31)
        END: i32''')


def test_br_on_cast_fall_through_types():
    assert stacks('''(module (type $s (struct))
      (func (param anyref) (result (ref null $s))
        block (result (ref null $s))
          local.get 0 br_on_cast 0 anyref (ref null $s) drop
          local.get 0 br_on_cast 0 anyref (ref $s) drop
          local.get 0 ref.as_non_null br_on_cast 0 (ref any) (ref $s) drop
          block (result anyref)
            local.get 0 br_on_cast_fail 0 anyref (ref $s) return
          end
          drop
          ref.null $s
        end))''') == lines('''
        block:
        local.get:
        br_on_cast: (ref null any)
        drop: (ref any)
        local.get:
        br_on_cast: (ref null any)
        drop: (ref null any)
        local.get:
        ref.as_non_null: (ref null any)
        br_on_cast: (ref any)
        drop: (ref any)
        block:
        local.get:
        br_on_cast_fail: (ref null any)
        return: (ref 0)
        end: -
        drop: (ref null any)
        ref.null:
        end: (ref null 0)
        END: (ref null 0)''')


# ---- exceptions -------------------------------------------------------------------------------------

def test_try_table_and_throws():
    wat = '''(module (tag $e (param i32 i64)) (func $n)
      (func (result i32 i64)
        block $h (result i32 i64)
          try_table (result f32) (catch $e $h)
            i32.const 1 i64.const 2 throw $e
          end
          drop
          block $r (result exnref)
            try_table (catch_all_ref $r)
              call $n
            end
            unreachable
          end
          throw_ref
        end))'''
    assert stacks(wat) == lines('''
        block:
        try_table:
        i32.const:
        i64.const: i32
        throw: i32 i64
        end: -
        drop: f32
        block:
        try_table:
        call:
        end:
        unreachable:
        end: -
        throw_ref: (ref null exn)
        end: -
        END: i32 i64''')


def test_legacy_try_catch_delegate():
    wat = '''(module (tag $e (param f64)) (tag $x)
      (func (result i32)
        try $outer (result i32)
          try (result i32)
            throw $x
          delegate $outer
        catch $e
          drop i32.const 1
        catch_all
          try
            nop
          catch_all
            rethrow 0
          end
          i32.const 2
        end))'''
    assert stacks(wat) == lines('''
        try:
        try:
        throw:
        delegate: -
        catch: i32
        drop: f64
        i32.const:
        catch_all: i32
        try:
        nop:
        catch_all:
        rethrow:
        end: -
        i32.const:
        end: i32
        END: i32''')
    f, t = typed(wat)
    assert t.blocks[0] == Block((), ('i32',), 14, None, (4, 7), 0)
    assert t.blocks[1] == Block((), ('i32',), 3, None, (), 0)
    assert t.blocks[8] == Block((), (), 12, None, (10,), 0)
    assert t.parent[3] == 1 and t.parent[4] == 0 and t.parent[10] == 8 and t.parent[14] == 0


# ---- stack switching and barrier ----------------------------------------------------------------------

SS = '''(module
  (type $ft (func (param i32 f32) (result i64)))
  (type $ct (cont $ft))
  (type $ft1 (func (param f32) (result i64)))
  (type $ct1 (cont $ft1))
  (type $ft0 (func (result i64)))
  (type $ct0 (cont $ft0))
  (rec (type $fs (func (param i32 (ref null $cs)) (result i32))) (type $cs (cont $fs)))
  (tag $yield (param i32) (result f32))
  (tag $swap (result i32)) (tag $swap64 (result i64))
  (tag $exn (param i64 i64))
  (func $body (type $ft) local.get 0 suspend $yield drop i64.const 0)
  (func $sw (type $fs) i32.const 0)
  (elem declare func $body)
  (func (param exnref) (result i64)
    block $on (result i32 (ref $ct1))
      i32.const 1 f32.const 2 ref.func $body cont.new $ct
      resume $ct (on $yield $on) (on $swap64 switch)
      drop
      i32.const 3 f32.const 4 ref.func $body cont.new $ct cont.bind $ct $ct0
      resume $ct0 drop
      i32.const 5 ref.func $body cont.new $ct cont.bind $ct $ct1 drop
      i64.const 6 i64.const 7 ref.null $ct resume_throw $ct $exn drop
      local.get 0 ref.null $ct resume_throw_ref $ct (on $yield $on) drop
      i32.const 8 ref.null $cs switch $cs $swap drop drop
      i64.const 9 return
    end
    drop drop i64.const 0))'''


def test_stack_switching_instructions():
    assert stacks(SS) == lines('''
        block:
        i32.const:
        f32.const: i32
        ref.func: i32 f32
        cont.new: i32 f32 (ref 0)
        resume: i32 f32 (ref 1)
        drop: i64
        i32.const:
        f32.const: i32
        ref.func: i32 f32
        cont.new: i32 f32 (ref 0)
        cont.bind: i32 f32 (ref 1)
        resume: (ref 5)
        drop: i64
        i32.const:
        ref.func: i32
        cont.new: i32 (ref 0)
        cont.bind: i32 (ref 1)
        drop: (ref 3)
        i64.const:
        i64.const: i64
        ref.null: i64 i64
        resume_throw: i64 i64 (ref null 1)
        drop: i64
        local.get:
        ref.null: (ref null exn)
        resume_throw_ref: (ref null exn) (ref null 1)
        drop: i64
        i32.const:
        ref.null: i32
        switch: i32 (ref null 7)
        drop: i32 (ref null 7)
        drop: i32
        i64.const:
        return: i64
        end: -
        drop: i32 (ref 3)
        drop: i32
        i64.const:
        END: i64''')
    f, t = typed(SS, func=0)
    assert fmt(t.before[1]) == 'i32' and fmt(t.before[2]) == 'f32'     # suspend [i32] -> [f32]


def test_barrier_is_typed_like_block():
    m = Module()
    tag = m.tags.add(m.types.func([], ['i32']))
    f = m.funcs.add(m.types.func([], ['i64', 'i32']))
    f.emit('i64.const', 1)
    with f.barrier(m.types.func(['i64'], ['i64'])) as b:
        f.emit('suspend', tag)
        f.emit('br_if', b)
    f.emit('i32.const', 0)
    t = type_function(m, f)
    assert [fmt(s) for s in t.before] == ['', 'i64', 'i64', 'i64 i32', 'i64', 'i64']
    assert t.end_stack == ('i64', 'i32')
    assert t.blocks == {1: Block(('i64',), ('i64',), 4, None, (), 0)}
    assert t.parent == [None, None, 1, 1, 1, None]


def test_builder_handles_are_accepted():
    """A module being built (immediates are Handles, types come from the builder) types like a read one."""
    m = Module()
    g = m.globals.add('i64', [Instr('i64.const', (0,))], mutable=True)
    callee = m.funcs.add(m.types.func(['i64'], ['i64']))
    callee.emit('local.get', 0)
    f = m.funcs.add(m.types.func([], ['i64']))
    f.emit('global.get', g)
    f.emit('call', callee)
    f.emit('ref.func', callee)
    f.emit('drop')
    t = type_function(m, f)
    assert [fmt(s) for s in t.before] == ['', 'i64', 'i64', 'i64 (ref 0)']
    assert t.end_stack == ('i64',)
    assert t.before[3][1] == ref(m.funcs.entries[0].type)


# ---- errors -----------------------------------------------------------------------------------------

def _raw(params, results, body, locals_=()):
    m = Module()
    f = m.funcs.add(m.types.func(params, results))
    f.locals = list(locals_)
    f.body = [Instr(op, tuple(imms)) for op, *imms in body]
    return m, f


@pytest.mark.parametrize('body, message', [
    ([('i32.add',)], 'body[0] i32.add: stack underflow'),
    ([('local.get', 3)], 'body[0] local.get: unknown local 3'),
    ([('block', None)], '1 block(s) not closed by end'),
    ([('end',)], 'body[0] end: end without an open block'),
    ([('else',)], 'body[0] else: else outside an if'),
    ([('block', None), ('catch_all',), ('end',)], 'body[1] catch_all: catch_all outside a legacy try'),
    ([('call', 9)], 'body[0] call: unknown function 9'),
    ([('block', 7), ('end',)], 'body[0] block: unknown type 7'),
    ([('f32.const', 1.0), ('i32.eqz',)], 'body[1] i32.eqz: operands [f32] do not match [i32]'),
    ([('i64.const', 1)], 'at the function end, the level holds [i64] but the block yields [i32]'),
    ([('block', 'i32'), ('end',), ('drop',)], 'body[1] end: the level holds [] but the block yields [i32]'),
    ([('global.get', 0)], 'body[0] global.get: unknown global 0'),
    ([('struct.new', 0)], 'body[0] struct.new: type 0 is not a struct type'),
])
def test_inconsistencies_raise_typing_error(body, message):
    m, f = _raw([], ['i32'] if 'function end' in message else [], body)
    with pytest.raises(TypingError) as e:
        type_function(m, f)
    assert message in str(e.value)


def test_invalid_spec_modules_type_or_raise_typing_error():
    """Never an IndexError or other crash, whatever the (invalid) module."""
    if not _corpus.has_testsuite():
        pytest.skip(f'spec testsuite not found at {_corpus.TESTSUITE}')
    mods = _corpus.invalid_spec_modules()
    assert len(mods) > 500
    raised = 0
    for name, m in mods:
        for f in m.funcs:
            try:
                type_function(m, f)
            except TypingError:
                raised += 1
    assert raised > 0


# ---- properties over the corpus -------------------------------------------------------------------

def test_consistent_on_sample_modules():
    for name, m in _corpus.sample_modules():
        check_module(name, m)


def test_consistent_on_spec_suite():
    if not _corpus.has_testsuite():
        pytest.skip(f'spec testsuite not found at {_corpus.TESTSUITE}')
    mods = _corpus.spec_modules()
    names = {n.split('/')[0] for n, _ in mods}
    assert 'stack-switching' in names and 'gc' in names
    funcs = calls = 0
    for name, m in mods:
        a, b = check_module(name, m)
        funcs, calls = funcs + a, calls + b
    assert funcs > 3000 and calls > 500


def test_consistent_on_examples():
    funcs = calls = 0
    for name, m in _corpus.example_modules():
        a, b = check_module(name, m)
        funcs, calls = funcs + a, calls + b
    assert funcs > 500 and calls > 500


def test_consistent_on_smith_modules():
    if WASM_TOOLS is None:
        pytest.skip('wasm-tools not found')
    for name, m in _corpus.smith_modules():
        check_module(name, m)


# ---- an independent oracle: wasm-tools validates the typed stacks -------------------------------------

def _probes(m: Module, rng, per_function: int) -> int:
    """Add to `m`, for a few reachable positions i of each function, a copy of the function that, before
    body[i], stores the values of the innermost level, as typed, into fresh locals of the typed types (top
    first), then executes `unreachable` (the rest is then stack-polymorphic, so still valid).  Validation
    accepts the copy only if the level holds at least that many values, of (subtypes of) those types: numeric
    types and reference subtyping are checked by wasm-tools, not by us."""
    added = 0
    for f in list(m.funcs):
        if len(f.body) > 3000:
            continue
        t = type_function(m, f)
        reachable = [i for i, s in enumerate(t.before) if s is not None]
        nlocals = len(m.types.func_type(f.type).params) + len(f.locals)
        for i in rng.sample(reachable, min(per_function, len(reachable))):
            p = t.parent[i]
            level = t.before[i][0 if p is None else t.blocks[p].base:]
            probe = m.funcs.add(f.type)
            probe.locals = list(f.locals) + list(level)
            stores = [Instr('local.set', (nlocals + k,)) for k in reversed(range(len(level)))]
            probe.body = f.body[:i] + stores + [Instr('unreachable', ())] + f.body[i:]
            added += 1
    return added


def _validate_probes(mods, seed: int, per_function: int) -> int:
    rng = random.Random(seed)
    total = 0
    for name, m in mods:
        if any(ins.op == 'barrier' for f in m.funcs for ins in f.body):
            continue                      # fxlang's own opcode: wasm-tools cannot read it
        m = read(encode(m))               # a private copy
        n = _probes(m, rng, per_function)
        if not n:
            continue
        p = subprocess.run([WASM_TOOLS, 'validate', '--features', 'all', '-'], input=encode(m),
                           capture_output=True)
        assert p.returncode == 0, f'{name}: {p.stderr.decode()}'
        total += n
    return total


def test_typed_stacks_validate_on_examples():
    if WASM_TOOLS is None:
        pytest.skip('wasm-tools not found')
    mods = [(n, m) for n, m in _corpus.example_modules() if n.endswith('/read')]
    assert _validate_probes(mods, seed=1, per_function=2) > 1000


def test_typed_stacks_validate_on_spec_and_smith_modules():
    if WASM_TOOLS is None or not _corpus.has_testsuite():
        pytest.skip('wasm-tools or the spec testsuite not found')
    spec = list(_corpus.spec_modules())
    rng = random.Random(7)
    chosen = [x for x in spec if x[0].startswith('stack-switching/')]
    chosen += rng.sample([x for x in spec if x[0].startswith('gc/')], 40)
    chosen += rng.sample([x for x in spec if x[0].count('/') == 1], 60)
    chosen += list(_corpus.smith_modules())[:15]
    assert _validate_probes(chosen, seed=2, per_function=4) > 500


# ---- random typed bodies: the generator knows every stack it builds ---------------------------------

_NUMS = ('i32', 'i64', 'f64')
_CONST = {'i32': ('i32.const', 1), 'i64': ('i64.const', 2), 'f64': ('f64.const', 3.0)}
_ADD = {'i32': 'i32.add', 'i64': 'i64.add', 'f64': 'f64.add'}


class _Gen:
    """Builds a valid body instruction by instruction, choosing each one from the stack it has built so far;
    `expected[i]` is that stack (None where unreachable), known from the generator's own few rules."""

    def __init__(self, rng, m: Module):
        self.rng, self.m = rng, m
        self.body: list[Instr] = []
        self.expected: list = []

    def emit(self, stack, op, *imms):
        self.expected.append(None if stack is None else tuple(stack))
        self.body.append(Instr(op, imms))

    def push(self, stack, types):
        for t in types:
            self.emit(stack, *_CONST[t])
            stack.append(t)

    def level(self, stack, base: int, labels: list, budget: list, results: tuple) -> bool:
        """One block level until it holds exactly `results`; True if it ended unreachable instead."""
        rng = self.rng
        while budget[0] > 0 and rng.random() < 0.85:
            budget[0] -= 1
            lv = stack[base:]
            r = rng.random()
            if r < 0.15:
                self.push(stack, [rng.choice(_NUMS)])
            elif r < 0.25 and len(lv) >= 2 and lv[-1] == lv[-2]:
                self.emit(stack, _ADD[lv[-1]])
                stack.pop()
            elif r < 0.32:
                k = rng.randrange(3)
                self.emit(stack, 'local.get', k)
                stack.append(_NUMS[k])
            elif r < 0.4 and lv:
                op = rng.choice(['local.set', 'local.tee'])
                self.emit(stack, op, _NUMS.index(lv[-1]))
                if op == 'local.set':
                    stack.pop()
            elif r < 0.45 and lv:
                self.emit(stack, 'drop')
                stack.pop()
            elif r < 0.5 and len(lv) >= 3 and lv[-1] == 'i32' and lv[-2] == lv[-3]:
                self.emit(stack, 'select')
                del stack[-2:]
            elif r < 0.55 and lv[-2:] == ['i32', 'i64']:
                self.emit(stack, 'call', 0)
                stack[-2:] = ['f64']
            elif r < 0.75:
                self.block(stack, base, labels, budget)
            elif r < 0.82:
                d = rng.randrange(len(labels))          # br_if: the label's values stay on fall-through
                self.push(stack, list(labels[-1 - d]) + ['i32'])
                self.emit(stack, 'br_if', d)
                stack.pop()
            elif r < 0.9:
                self.transfer(stack, labels)
                return True
        for _ in range(len(stack) - base):
            self.emit(stack, 'drop')
            stack.pop()
        self.push(stack, results)
        return False

    def transfer(self, stack, labels):
        rng = self.rng
        r = rng.random()
        if r < 0.25:
            self.emit(stack, 'unreachable')
        elif r < 0.45:
            self.push(stack, labels[0])
            self.emit(stack, 'return')
        elif r < 0.75:
            d = rng.randrange(len(labels))
            self.push(stack, labels[-1 - d])
            self.emit(stack, 'br', d)
        else:
            want = labels[-1 - rng.randrange(len(labels))]
            same = [d for d in range(len(labels)) if labels[-1 - d] == want]
            self.push(stack, list(want) + ['i32'])
            self.emit(stack, 'br_table', tuple(rng.choice(same) for _ in range(rng.randrange(3))), rng.choice(same))

    def block(self, stack, base, labels, budget):
        rng = self.rng
        op = rng.choice(['block', 'loop', 'if'])
        if op == 'if':
            self.push(stack, ['i32'])
        lv = stack[base:len(stack) - (op == 'if')]
        nparams = rng.randrange(min(len(lv), 2) + 1)
        params = tuple(lv[len(lv) - nparams:])
        has_else = op == 'if' and rng.random() < 0.6
        if op == 'if' and not has_else:
            results = params                            # an else-less if passes its params through
        else:
            results = tuple(rng.choice(_NUMS) for _ in range(rng.randrange(3)))
        bt = (None if not params and not results else results[0] if not params and len(results) == 1
              else self.m.types.func(params, results))
        self.emit(stack, op, bt)
        if op == 'if':
            stack.pop()
        inner = len(stack) - nparams
        inside = labels + [params if op == 'loop' else results]
        dead = self.level(stack, inner, inside, budget, results)
        if has_else:
            self.emit(None if dead else stack, 'else')
            del stack[inner:]
            stack.extend(params)
            dead = self.level(stack, inner, inside, budget, results)
        self.emit(None if dead else stack, 'end')
        del stack[inner:]
        stack.extend(results)


def _generated(seed: int, budget: int):
    rng = random.Random(seed)
    m = Module()
    callee = m.funcs.add(m.types.func(['i32', 'i64'], ['f64']))
    callee.emit('f64.const', 0.5)
    results = tuple(rng.choice(_NUMS) for _ in range(rng.randrange(3)))
    f = m.funcs.add(m.types.func([], results))
    f.locals = list(_NUMS)
    g = _Gen(rng, m)
    stack: list = []
    dead = g.level(stack, 0, [results], [budget], results)
    f.body = g.body
    return m, f, g.expected, None if dead else tuple(stack)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 60))
def test_random_typed_bodies_get_the_stacks_they_were_built_with(seed, budget):
    m, f, expected, end_stack = _generated(seed, budget)
    t = type_function(m, f)
    assert [fmt(s) for s in t.before] == [fmt(s) for s in expected]
    assert t.end_stack == end_stack


def test_random_typed_bodies_are_valid():
    """The generator's rules are the spec's: wasm-tools accepts what it builds."""
    for seed in range(40):
        m, f, expected, end_stack = _generated(seed, 60)
        p = subprocess.run([WASM_TOOLS, 'validate', '--features', 'all', '-'], input=encode(m),
                           capture_output=True)
        assert p.returncode == 0, (seed, p.stderr.decode())
