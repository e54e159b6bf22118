"""fxlang.passes.prune: what the exports cannot reach is dropped, everything else is renumbered consistently.

The strongest check reuses the instruction-group samples (which together use every opcode): built once as is
and once with unreachable types, globals, tags and functions declared *before* everything else (so every index
of the sample shifts), both prune to the same bytes, and wasm-tools accepts the result."""

import pytest

from tests.fxlang.wasm import _wasm_samples
from tests.fxlang.wasm._wasm_oracle import validate
from tests.fxlang.wasm._wasm_samples import VALID
from fxlang.wasm import Field, Module, StructType, encode, ref, ref_null
from fxlang.passes.prune import prune
from fxlang.wasm.read import read


class _JunkFirst(Module):
    """A module that starts with entities nothing uses (structures no sample declares)."""

    def __init__(self):
        super().__init__()
        t = self.types.struct([Field('i16', True), Field('f32')], name='junk.t')
        self.types.array(Field(ref_null(t), True), name='junk.arr')
        with self.types.rec() as g:
            a = g.reserve()
            g.define(a, StructType((Field(ref_null(a)), Field('i16'))), name='junk.rec')
        glob = self.globals.add(ref_null(t), [('ref.null', t)], mutable=True, name='junk.g')
        self.tags.add(self.types.func(['f64', 'f64', 'f64']), name='junk.tag')
        f = self.funcs.add(self.types.func(['f32', 'f32', 'f32'], []), name='junk.f')
        f.emit('global.get', glob)
        f.emit('drop')


def _export_all(m: Module) -> Module:
    exported = {int(e.index) for e in m.exports if e.kind == 'func'}
    for i, f in enumerate(x for x in m.funcs if not m.names.funcs.get(x, '').startswith('junk.')):
        if int(f) not in exported:
            m.exports.func(f'f{i}', f)
    return m


@pytest.mark.parametrize('name', sorted(VALID))
@pytest.mark.parametrize('export_all', [False, True])
def test_junk_declared_first_prunes_to_the_same_bytes(name, export_all, monkeypatch):
    clean = VALID[name]()
    monkeypatch.setattr(_wasm_samples, 'Module', _JunkFirst)
    junky = VALID[name]()
    if export_all:
        clean, junky = _export_all(clean), _export_all(junky)
    assert len(junky.funcs) > len(clean.funcs)
    a, b = encode(prune(clean)), encode(prune(junky))
    ok, err = validate(b)
    assert ok, err
    assert a == b
    assert b'junk' not in b


def test_everything_exported_and_used_is_kept_as_is():
    m = _export_all(VALID['control']())
    before = encode(m)
    assert encode(prune(m)) == before          # nothing was dead, and no body had dead code
    assert encode(m) == before                 # the input is left alone


def _module(extra_import: bool):
    m = Module()
    if extra_import:
        m.imports.func('fx', 'unused', m.types.func(['f64'], []), name='fx.unused')
    write = m.imports.func('fx', 'write', m.types.func(['i32', 'i32'], []), name='fx.write')
    m.memories.add(1, name='memory')
    m.exports.memory('memory', 0)
    helper = m.funcs.add(m.types.func([], ['i32']), name='helper')
    helper.emit('i32.const', 7)
    main = m.funcs.add(m.types.func([], []), name='main')
    main.emit('call', helper)
    main.emit('i32.const', 1)
    main.emit('call', write)
    m.exports.func('main', main)
    return m


def test_an_imported_function_nobody_calls_goes_and_names_follow():
    pruned = prune(_module(extra_import=True))
    assert [(i.module, i.field) for i in pruned.imports] == [('fx', 'write')]
    assert encode(pruned) == encode(prune(_module(extra_import=False)))
    assert sorted(pruned.names.funcs.values()) == ['fx.write', 'helper', 'main']
    main = next(f for f in pruned.funcs if pruned.names.funcs[f] == 'main')
    assert [int(i.imms[0]) for i in main.body if i.op == 'call'] == [1, 0]     # helper, then fx.write


def test_a_rec_group_loses_its_dead_members():
    m = Module()
    with m.types.rec() as g:
        a, b = g.reserve(), g.reserve()
        g.struct([Field('i32')], name='unused.member')
        g.define(a, StructType((Field(ref_null(b)),)), name='a')
        g.define(b, StructType((Field('i64'),)), name='b')
    f = m.funcs.add(m.types.func([], []), name='main')
    f.emit('ref.null', a)
    f.emit('drop')
    m.exports.func('main', f)
    pruned = prune(m)
    assert sorted(pruned.names.types.values()) == ['a', 'b']
    assert [len(g.types) for g in pruned.types.groups] == [2, 1]
    ok, err = validate(encode(pruned))
    assert ok, err


def test_a_rec_group_that_would_become_another_type_is_kept_whole():
    # (rec (struct i32) (struct f64)) minus its second member would be (struct i32) — the same type as the
    # plain one below, so `ref.test` could no longer tell them apart: the group stays whole
    m = Module()
    with m.types.rec() as g:
        x = g.struct([Field('i32')], name='x')
        g.struct([Field('f64')], name='dead.but.kept')
    y = m.types.struct([Field('i32')], name='y')
    f = m.funcs.add(m.types.func([], ['i32']), name='main')
    f.emit('i32.const', 1)
    f.emit('struct.new', x)
    f.emit('ref.test', ref(y))                  # 0: x and y are different types
    m.exports.func('main', f)
    pruned = prune(m)
    assert sorted(pruned.names.types.values()) == ['dead.but.kept', 'x', 'y']
    assert [len(g.types) for g in pruned.types.groups][:2] == [2, 1]
    ok, err = validate(encode(pruned))
    assert ok, err


def test_a_function_taken_by_ref_func_stays_declared():
    m = Module()
    ft = m.types.func([], ['i32'])
    target = m.funcs.add(ft, name='target')
    target.emit('i32.const', 3)
    m.funcs.add(ft, name='dead').emit('i32.const', 4)
    f = m.funcs.add(m.types.func([], ['i32']), name='main')
    f.emit('ref.func', target)
    f.emit('call_ref', ft)
    m.exports.func('main', f)
    pruned = prune(m)
    assert sorted(pruned.names.funcs.values()) == ['main', 'target']
    ok, err = validate(encode(pruned))
    assert ok, err
    assert [e.mode for e in pruned.elements_with_declarations()] == ['declarative']


def test_instructions_after_an_unconditional_transfer_go_up_to_the_end_of_their_block():
    m = Module()
    f = m.funcs.add(m.types.func(['i32'], ['i32']), name='main')
    with f.block('i32') as out:
        f.emit('local.get', 0)
        with f.if_('i32'):
            f.emit('i32.const', 1)
            f.emit('br', out)
            f.emit('i32.const', 2)              # dead
            with f.block():                     # dead, with what is inside
                f.emit('nop')
            f.emit('else')
            f.emit('i32.const', 3)              # the else arm is live
        f.emit('return')
        f.emit('unreachable')                   # dead
        f.emit('i32.const', 4)                  # dead
    f.emit('drop')
    f.emit('i32.const', 5)
    m.exports.func('main', f)
    pruned = prune(m)
    ops = [(i.op,) + tuple(i.imms) for i in pruned.funcs.entries[0].body]
    assert ops == [('block', 'i32'), ('local.get', 0), ('if', 'i32'), ('i32.const', 1), ('br', 1), ('else',),
                   ('i32.const', 3), ('end',), ('return',), ('end',), ('drop',), ('i32.const', 5)]
    ok, err = validate(encode(pruned))
    assert ok, err


def test_a_module_read_from_bytes_prunes_like_the_built_one():
    built = _module(extra_import=True)
    assert encode(prune(read(encode(built)))) == encode(prune(built))


def test_globals_and_tags_reached_only_from_other_globals_and_handlers():
    m = Module()
    t = m.types.struct([Field('i32')], name='box')
    inner = m.globals.add('i32', [('i32.const', 5)], name='inner')
    m.globals.add('i32', [('i32.const', 6)], name='dead')
    outer = m.globals.add(ref(t), [('global.get', inner), ('struct.new', t)], name='outer')
    m.tags.add(m.types.func(['i64']), name='dead.tag')
    exn = m.tags.add(m.types.func(['i32']), name='exn')
    f = m.funcs.add(m.types.func([], ['i32']), name='main')
    with f.block('i32') as caught:
        with f.try_table(None, [('catch', exn, caught)]):
            f.emit('global.get', outer)
            f.emit('struct.get', t, 0)
            f.emit('throw', exn)
        f.emit('i32.const', 0)
        f.emit('return')
    m.exports.func('main', f)
    pruned = prune(m)
    assert sorted(pruned.names.globals.values()) == ['inner', 'outer']
    assert list(pruned.names.tags.values()) == ['exn']
    ok, err = validate(encode(pruned))
    assert ok, err
