"""Stack-switching instructions decoded from binaries that wasm-tools wrote from hand-written WAT,
checked immediate by immediate (indices looked up through the name section wasm-tools emits), plus
our own `barrier` (0xe7), which no standard tool writes: we patch a `block` opcode into it."""
from __future__ import annotations

import subprocess

import pytest

from vm.binary import decode
from vm.syntax import ContType, FuncType, Handler, RefType

WAT = r'''
(module
  (type $f0 (func))
  (type $fi (func (param i32) (result i32)))
  (type $c0 (cont $f0))
  (type $ci (cont $fi))
  (type $fii (func (param i32 i32) (result i32)))
  (type $cii (cont $fii))
  (rec (type $fsw (func (param (ref null $csw)))) (type $csw (cont $fsw)))
  (tag $yield)
  (tag $ask (param i32) (result i32))
  (tag $sw (result i32))
  (tag $sw0)
  (tag $exn (param i32))
  (func $g (param i32 i32) (result i32) (local.get 0))
  (func $body)
  (elem declare func $g $body)
  (func $main (param i32) (result i32) (local $k (ref null $ci))
    (block $on_yield (result (ref $c0))
      (resume $c0 (on $yield $on_yield) (cont.new $c0 (ref.func $body)))
      (return (i32.const 0)))
    (drop)
    (block $h (result i32 (ref $ci))
      (resume $ci (on $ask $h) (on $sw switch) (local.get 0)
        (cont.bind $cii $ci (i32.const 7) (cont.new $cii (ref.func $g))))
      (return))
    (local.set $k)
    (drop)
    (block $b (result i32 (ref $ci))
      (resume_throw $ci $exn (on $ask $b) (i32.const 1) (local.get $k))
      (return))
    (drop) (drop)
    (block $b2 (result i32 (ref $ci))
      (resume_throw_ref $ci (on $ask $b2) (ref.null exn) (local.get $k))
      (return))
    (drop)
    (suspend $ask))
  (func $switcher (param $k (ref null $csw))
    (drop (switch $csw $sw0 (local.get $k))))
)
'''


@pytest.fixture(scope='module')
def wasm(wat2wasm) -> bytes:
    return wat2wasm(WAT)


def index(names: dict, name: str) -> int:
    return {v: k for k, v in names.items()}[name]


def test_wat_is_valid_stack_switching(wasm, wasm_tools):
    wasm_tools('validate', '--features', 'all', input=wasm)


def test_cont_types(wasm):
    m = decode(wasm)
    ty = lambda n: index(m.names.types, n)
    assert m.types[ty('c0')].composite == ContType(ty('f0'))
    assert m.types[ty('cii')].composite == ContType(ty('fii'))
    fsw, csw = ty('fsw'), ty('csw')
    assert m.types[csw].composite == ContType(fsw)
    assert m.types[fsw].composite == FuncType((RefType(True, csw),), ())
    assert any(g.start == fsw and g.size == 2 for g in m.rec_groups)


def test_stack_switching_immediates(wasm):
    m = decode(wasm)
    ty = lambda n: index(m.names.types, n)
    tag = lambda n: index(m.names.tags, n)
    main = m.funcs[index(m.names.funcs, 'main') - len(m.imported('func'))]
    got = [(i.op, i.args) for i in main.body
           if i.op in ('cont.new', 'cont.bind', 'resume', 'resume_throw', 'resume_throw_ref', 'suspend')]
    assert got == [
        ('cont.new', (ty('c0'),)),
        ('resume', (ty('c0'), (Handler(tag('yield'), 0),))),
        ('cont.new', (ty('cii'),)),
        ('cont.bind', (ty('cii'), ty('ci'))),
        ('resume', (ty('ci'), (Handler(tag('ask'), 0), Handler(tag('sw'), None)))),
        ('resume_throw', (ty('ci'), tag('exn'), (Handler(tag('ask'), 0),))),
        ('resume_throw_ref', (ty('ci'), (Handler(tag('ask'), 0),))),
        ('suspend', (tag('ask'),)),
    ]
    assert [h.is_switch for h in got[4][1][1]] == [False, True]
    switcher = m.funcs[index(m.names.funcs, 'switcher')]
    assert [(i.op, i.args) for i in switcher.body if i.op == 'switch'] == [('switch', (ty('csw'), tag('sw0')))]
    assert m.names.locals[index(m.names.funcs, 'main')][1] == 'k'


def test_opcodes_are_the_current_encoding(wasm):
    m = decode(wasm)
    first_byte = {}
    for f in m.funcs:
        for i in f.body:
            first_byte.setdefault(i.op, wasm[i.offset])
    assert {op: first_byte[op] for op in ('cont.new', 'cont.bind', 'suspend', 'resume', 'resume_throw',
                                          'resume_throw_ref', 'switch')} == {
        'cont.new': 0xe0, 'cont.bind': 0xe1, 'suspend': 0xe2, 'resume': 0xe3, 'resume_throw': 0xe4,
        'resume_throw_ref': 0xe5, 'switch': 0xe6}


def test_barrier_patched_from_block(wat2wasm, wasm_tools):
    data = bytearray(wat2wasm('(module (func (result i32) (block (result i32) (i32.const 1))))'))
    block = decode(bytes(data)).funcs[0].body[0]
    assert (block.op, block.args) == ('block', ('i32',))
    data[block.offset] = 0xe7
    body = decode(bytes(data)).funcs[0].body
    assert [(i.op, i.args, i.offset) for i in body[:2]] == [('barrier', ('i32',), block.offset),
                                                             ('i32.const', (1,), block.offset + 2)]
    with pytest.raises(subprocess.CalledProcessError):          # standard tools reject 0xe7
        wasm_tools('validate', '--features', 'all', input=bytes(data))
