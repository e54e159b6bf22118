"""fxlang.asyncify.liveness: exact live sets on hand-written WAT (straight line, if/else, loops carrying a value,
branches out of nested blocks, br_table, try_table / legacy try handlers reading a local written in the body,
resume handlers, tee); equality with an independent reference (an explicit control-flow graph and, per local,
backward reachability from its reads) on random structured bodies and on the module corpus; and the
straight-line read invariant on the corpus."""

from __future__ import annotations

import random
import subprocess

import pytest
import wasmtime
from hypothesis import given, settings, strategies as st

from fxlang.asyncify.liveness import LivenessError, live_after
from fxlang.wasm import Module
from fxlang.wasm.body import Instr
from fxlang.wasm.read import read
from tests.fxlang.wasm._wasm_oracle import WASM_TOOLS

from . import _corpus


# ---- helpers ----------------------------------------------------------------------------------------

def module(wat: str) -> Module:
    data = wasmtime.wat2wasm(wat)
    if WASM_TOOLS is not None:
        p = subprocess.run([WASM_TOOLS, 'validate', '--features', 'all', '-'], input=data, capture_output=True)
        assert p.returncode == 0, p.stderr.decode()
    return read(data)


def lives(wat: str, func: int = -1) -> list[str]:
    """'op: live locals after it' for every instruction of a function (default: the last)."""
    m = module(wat)
    f = m.funcs.entries[func]
    la = live_after(m, f)
    assert len(la) == len(f.body)
    return [f'{ins.op}: {" ".join(map(str, sorted(s)))}'.rstrip() for ins, s in zip(f.body, la)]


def lines(text: str) -> list[str]:
    return [l.strip() for l in text.strip().splitlines()]


# ---- hand-written cases -----------------------------------------------------------------------------

def test_straight_line_and_tee():
    assert lives('''(module (func $f (param i32) (result i32) local.get 0)
      (func (param i32 i32) (result i32) (local i32)
        local.get 0
        local.tee 2
        call $f
        local.set 1
        local.get 1
        local.get 2
        i32.add
        i32.const 1
        local.set 0
        local.get 0
        i32.add))''') == lines('''
        local.get:
        local.tee: 2
        call: 2
        local.set: 1 2
        local.get: 2
        local.get:
        i32.add:
        i32.const:
        local.set: 0
        local.get:
        i32.add:''')


def test_if_else_branches_union():
    assert lives('''(module (func (param i32 i32 i32) (result i32)
        local.get 0
        if (result i32)
          local.get 1
        else
          local.get 2
        end
        local.get 2
        i32.add))''') == lines('''
        local.get: 1 2
        if: 1 2
        local.get: 2
        else: 2
        local.get: 2
        end: 2
        local.get:
        i32.add:''')


def test_else_less_if_keeps_what_is_read_after():
    assert lives('''(module (func (param i32 i32) (result i32)
        local.get 0
        if
          i32.const 1
          local.set 1
        end
        local.get 1))''') == lines('''
        local.get: 1
        if: 1
        i32.const:
        local.set: 1
        end: 1
        local.get:''')


def test_loop_carries_values_around():
    assert lives('''(module (func (param i32) (result i32) (local i32)
        loop $l
          local.get 1
          local.get 0
          i32.add
          local.set 1
          local.get 0
          i32.const 1
          i32.sub
          local.tee 0
          br_if $l
        end
        local.get 1))''') == lines('''
        loop: 0 1
        local.get: 0
        local.get: 0
        i32.add: 0
        local.set: 0 1
        local.get: 1
        i32.const: 1
        i32.sub: 1
        local.tee: 0 1
        br_if: 0 1
        end: 1
        local.get:''')


def test_nested_loops_reach_a_fixpoint():
    """Local 0 is read at the top of the outer loop and written after the inner one: it is live through the
    inner loop because of its branch back to the outer loop."""
    la = lives('''(module (func (param i32 i32 i32)
        loop $outer
          local.get 0
          drop
          loop $inner
            local.get 2
            br_if $inner
            i32.const 5
            local.set 1
            local.get 1
            br_if $outer
          end
          local.get 1
          local.set 0
          local.get 2
          br_if $outer
        end))''')
    assert la == lines('''
        loop: 0 2
        local.get: 0 2
        drop: 0 2
        loop: 0 2
        local.get: 0 2
        br_if: 0 2
        i32.const: 0 2
        local.set: 0 1 2
        local.get: 0 1 2
        br_if: 0 1 2
        end: 1 2
        local.get: 2
        local.set: 0 2
        local.get: 0 2
        br_if: 0 2
        end:''')


def test_br_out_of_nested_blocks_and_br_table():
    assert lives('''(module (func (param i32 i32 i32) (result i32)
        block $a
          block $b
            block $c
              local.get 0
              br_table $a $b $c
            end
            local.get 2
            return
          end
          local.get 1
          br $a
        end
        local.get 0))''') == lines('''
        block: 0 1 2
        block: 0 1 2
        block: 0 1 2
        local.get: 0 1 2
        br_table: 0 1 2
        end: 2
        local.get:
        return:
        end: 0 1
        local.get: 0
        br: 0
        end: 0
        local.get:''')


def test_return_and_unreachable_end_liveness():
    assert lives('''(module (func (param i32) (result i32)
        local.get 0
        local.get 0
        br_if 0
        unreachable))''') == lines('''
        local.get: 0
        local.get:
        br_if:
        unreachable:''')


def test_try_table_catch_reads_a_local_written_in_the_body():
    assert lives('''(module (tag $e) (func $f)
      (func (param i32) (result i32) (local i32)
        block $h
          try_table (catch $e $h)
            i32.const 1
            local.set 1
            call $f
            local.get 0
            local.set 1
          end
          local.get 0
          return
        end
        local.get 1))''') == lines('''
        block: 0 1
        try_table: 0 1
        i32.const: 0 1
        local.set: 0 1
        call: 0 1
        local.get: 0 1
        local.set: 0 1
        end: 0
        local.get:
        return:
        end: 1
        local.get:''')


def test_legacy_try_handlers_and_delegate():
    assert lives('''(module (tag $e (param i32)) (func $f)
      (func (param i32 i32 i32) (result i32)
        try $t (result i32)
          try
            call $f
          delegate $t
          call $f
          local.get 0
        catch $e
          local.get 1
          i32.add
        catch_all
          local.get 2
        end))''') == lines('''
        try: 0 1 2
        try: 0 1 2
        call: 0 1 2
        delegate: 0 1 2
        call: 0 1 2
        local.get: 1 2
        catch:
        local.get:
        i32.add:
        catch_all:
        local.get:
        end:''')


def test_resume_handler_label_is_a_successor():
    assert lives('''(module
      (type $ft (func)) (type $ct (cont $ft)) (tag $t)
      (func $g)
      (elem declare func $g)
      (func (param i32 i32) (result i32)
        block $on (result (ref $ct))
          ref.func $g
          cont.new $ct
          resume $ct (on $t $on)
          local.get 0
          return
        end
        drop
        local.get 1))''') == lines('''
        block: 0 1
        ref.func: 0 1
        cont.new: 0 1
        resume: 0 1
        local.get:
        return:
        end: 1
        drop: 1
        local.get:''')


def test_catch_to_an_enclosing_loop():
    """A try_table whose catch label is a loop around it: the handler edge goes backward."""
    assert lives('''(module (tag $e) (func $f)
      (func (param i32 i32)
        loop $l
          local.get 1
          drop
          try_table (catch_all $l)
            i32.const 0
            local.set 1
            call $f
          end
          local.get 0
          br_if $l
        end))''') == lines('''
        loop: 0 1
        local.get: 0 1
        drop: 0 1
        try_table: 0 1
        i32.const: 0 1
        local.set: 0 1
        call: 0 1
        end: 0 1
        local.get: 0 1
        br_if: 0 1
        end:''')


def test_broken_structure_is_a_liveness_error():
    m = Module()
    f = m.funcs.add(m.types.func([], []))
    f.body = [Instr('block', (None,)), Instr('br', (3,)), Instr('end', ())]
    with pytest.raises(LivenessError, match='label 3 out of range'):
        live_after(m, f)
    f.body = [Instr('end', ())]
    with pytest.raises(LivenessError, match='without an open block'):
        live_after(m, f)


# ---- the reference: an explicit CFG and per-local backward reachability --------------------------------

def reference(body) -> list[frozenset[int]]:
    """live_out per instruction with the documented (conservative) exception edges, computed differently:
    build the successor graph explicitly, then for each local find the nodes from which a read is reachable
    without a write on the way."""
    n = len(body)
    opener_stack, openers_at = [], []
    match = {}                     # opener -> end; marker -> opener
    for i, ins in enumerate(body):
        openers_at.append(tuple(opener_stack))
        if ins.op in ('block', 'loop', 'if', 'try', 'try_table', 'barrier'):
            opener_stack.append(i)
        elif ins.op in ('end', 'delegate'):
            o = opener_stack.pop()
            match[o], match[i] = i, o
        elif ins.op in ('else', 'catch', 'catch_all'):
            match[i] = opener_stack[-1]

    def label(i, d):
        enclosing = openers_at[i]       # for try_table's clauses too: they count from outside the block
        if d == len(enclosing):
            return n
        o = enclosing[-1 - d]
        return o if body[o].op == 'loop' else match[o]

    succ = [set() for _ in range(n)]
    for i, ins in enumerate(body):
        op = ins.op
        nxt = i + 1
        if op in ('return', 'unreachable', 'throw', 'throw_ref', 'rethrow', 'return_call',
                  'return_call_indirect', 'return_call_ref'):
            pass
        elif op == 'br':
            succ[i].add(label(i, ins.imms[0]))
        elif op in ('br_if', 'br_on_null', 'br_on_non_null', 'br_on_cast', 'br_on_cast_fail'):
            succ[i] |= {nxt, label(i, ins.imms[0])}
        elif op == 'br_table':
            succ[i] |= {label(i, d) for d in (*ins.imms[0], ins.imms[1])}
        elif op in ('resume', 'resume_throw', 'resume_throw_ref'):
            succ[i] |= {nxt} | {label(i, h[2]) for h in ins.imms[-1] if h[0] == 'on'}
        elif op == 'if':
            e = next((j for j in range(i + 1, match[i]) if body[j].op == 'else' and match[j] == i), None)
            succ[i] |= {nxt, e + 1 if e is not None else match[i]}
        elif op in ('else', 'catch', 'catch_all'):
            succ[i].add(match[match[i]])
        else:
            succ[i].add(nxt)
    # exception edges: from every instruction strictly inside a region to its handlers
    for o, ins in enumerate(body):
        if ins.op == 'try_table':
            handlers = {label(o, c[-1]) for c in ins.imms[1]}
            region = range(o + 1, match[o])
        elif ins.op == 'try' and body[match[o]].op == 'end':
            catches = [j for j in range(o + 1, match[o]) if body[j].op in ('catch', 'catch_all') and match[j] == o]
            if not catches:
                continue
            handlers = {c + 1 for c in catches}
            region = range(o + 1, catches[0])
        elif ins.op == 'try':          # try ... delegate: the handlers of every enclosing legacy try
            handlers = {j + 1 for t in openers_at[o] if body[t].op == 'try'
                        for j in range(t + 1, match[t]) if body[j].op in ('catch', 'catch_all') and match[j] == t}
            region = range(o + 1, match[o])
        else:
            continue
        for i in region:
            succ[i] |= handlers
    preds = [[] for _ in range(n + 1)]
    for i, ss in enumerate(succ):
        for s in ss:
            preds[s].append(i)
    nlocals = 1 + max([ins.imms[0] for ins in body if ins.op in ('local.get', 'local.set', 'local.tee')],
                      default=-1)
    live_out = [set() for _ in range(n)]
    for x in range(nlocals):
        reads = [i for i, ins in enumerate(body) if ins.op == 'local.get' and ins.imms[0] == x]
        live_in = set(reads)
        work = list(reads)
        while work:
            m = work.pop()
            for p in preds[m]:
                live_out[p].add(x)
                writes = body[p].op in ('local.set', 'local.tee') and body[p].imms[0] == x
                if not writes and p not in live_in:
                    live_in.add(p)
                    work.append(p)
    return [frozenset(s) for s in live_out]


# ---- random structured bodies -----------------------------------------------------------------------

def random_body(rng: random.Random, nlocals: int = 4, budget: int = 40) -> list[Instr]:
    """A well-nested body (stack typing ignored: liveness does not depend on it) mixing local accesses,
    calls, branches of every kind, loops, ifs, try_table and legacy try."""
    out: list[Instr] = []
    left = [budget]

    def seq(depth: int):
        for _ in range(rng.randrange(0, 6)):
            if left[0] <= 0:
                return
            left[0] -= 1
            r = rng.random()
            lbl = lambda: rng.randrange(depth + 1)            # noqa: E731
            x = rng.randrange(nlocals)
            if r < 0.2:
                out.append(Instr('local.get', (x,)))
            elif r < 0.32:
                out.append(Instr('local.set', (x,)))
            elif r < 0.38:
                out.append(Instr('local.tee', (x,)))
            elif r < 0.43:
                out.append(Instr('call', (0,)))
            elif r < 0.48:
                out.append(Instr('br_if', (lbl(),)))
            elif r < 0.5:
                out.append(Instr(rng.choice(['br_on_null', 'br_on_non_null']), (lbl(),)))
            elif r < 0.52:
                out.append(Instr('br', (lbl(),)))
            elif r < 0.535:
                out.append(Instr('br_table', (tuple(lbl() for _ in range(rng.randrange(3))), lbl())))
            elif r < 0.55:
                out.append(Instr(rng.choice(['return', 'unreachable', 'throw']), ()))
            elif r < 0.65:
                out.append(Instr(rng.choice(['block', 'loop']), (None,)))
                seq(depth + 1)
                out.append(Instr('end', ()))
            elif r < 0.75:
                out.append(Instr('if', (None,)))
                seq(depth + 1)
                if rng.random() < 0.6:
                    out.append(Instr('else', ()))
                    seq(depth + 1)
                out.append(Instr('end', ()))
            elif r < 0.82:
                clauses = tuple(('catch_all', lbl()) for _ in range(rng.randrange(1, 3)))
                out.append(Instr('try_table', (None, clauses)))
                seq(depth + 1)
                out.append(Instr('end', ()))
            elif r < 0.87:
                out.append(Instr('resume', (0, tuple(('on', 0, lbl()) for _ in range(rng.randrange(2))))))
            elif r < 0.95:
                out.append(Instr('try', (None,)))
                seq(depth + 1)
                if rng.random() < 0.3:
                    out.append(Instr('delegate', (rng.randrange(depth + 1),)))
                    continue
                for _ in range(rng.randrange(3)):
                    out.append(Instr(rng.choice(['catch', 'catch_all']), ()))
                    seq(depth + 1)
                out.append(Instr('end', ()))
            else:
                out.append(Instr('nop', ()))

    seq(0)
    return out


def _live_after_body(body, nlocals=4):
    m = Module()
    f = m.funcs.add(m.types.func([], []))
    f.locals = ['i32'] * nlocals
    f.body = body
    return live_after(m, f)


@settings(max_examples=300, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(5, 80))
def test_random_bodies_match_the_reference(rng, budget):
    body = random_body(rng, budget=budget)
    got = _live_after_body(body)
    want = reference(body)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, (i, body[i], sorted(g), sorted(w), body)


def test_reference_agrees_on_the_hand_written_shapes():
    """The reference itself, on a case whose answer is known: a loop carrying a local."""
    body = [Instr('loop', (None,)), Instr('local.get', (0,)), Instr('br_if', (0,)), Instr('end', ()),
            Instr('i32.const', (1,)), Instr('local.set', (0,))]
    assert reference(body) == [frozenset({0})] * 3 + [frozenset()] * 3


# ---- the corpus ---------------------------------------------------------------------------------------

_STRAIGHT_STOP = frozenset({'block', 'loop', 'if', 'else', 'end', 'try', 'try_table', 'catch', 'catch_all',
                            'delegate', 'barrier', 'br', 'br_if', 'br_table', 'br_on_null', 'br_on_non_null',
                            'br_on_cast', 'br_on_cast_fail', 'return', 'unreachable', 'throw', 'throw_ref',
                            'rethrow', 'return_call', 'return_call_indirect', 'return_call_ref'})


def check_function(m: Module, f, exact_limit: int = 400_000) -> None:
    body = f.body
    la = live_after(m, f)
    assert len(la) == len(body)
    nlocals = len(m.types.func_type(f.type).params) + len(f.locals)
    for s in la:
        assert all(0 <= x < nlocals for x in s)
    # the straight-line invariant: a local read at j, not written in between, is live after i
    for i in range(len(body)):
        if body[i].op in _STRAIGHT_STOP:
            continue
        written = set()
        for j in range(i + 1, min(len(body), i + 40)):
            ins = body[j]
            if ins.op == 'local.get' and ins.imms[0] not in written:
                assert ins.imms[0] in la[i], (i, j, ins)
            elif ins.op in ('local.set', 'local.tee'):
                written.add(ins.imms[0])
            if ins.op in _STRAIGHT_STOP:
                break
    # the exact reference where it is affordable
    if len(body) * max(nlocals, 1) <= exact_limit:
        assert la == reference(body)


def check_modules(mods) -> int:
    count = 0
    for name, m in mods:
        for f in m.funcs:
            try:
                check_function(m, f)
            except AssertionError as e:
                raise AssertionError(f'{name}, function {int(f)}: {e}') from None
            count += 1
    return count


def test_corpus_sample_modules():
    assert check_modules(_corpus.sample_modules()) > 0


def test_corpus_spec_suite():
    if not _corpus.has_testsuite():
        pytest.skip(f'spec testsuite not found at {_corpus.TESTSUITE}')
    assert check_modules(_corpus.spec_modules()) > 3000


def test_corpus_examples():
    assert check_modules(_corpus.example_modules()) > 500


def test_corpus_smith_modules():
    if WASM_TOOLS is None:
        pytest.skip('wasm-tools not found')
    check_modules(_corpus.smith_modules())
