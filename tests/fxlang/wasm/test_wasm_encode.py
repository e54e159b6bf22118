"""The encoder and the builder API: every instruction group validates under wasm-tools, hand-written WAT parsed
by wasm-tools gives identical bytes, and the builder's index management (dedup, handles, labels) holds."""

import pytest

from ._wasm_oracle import parse_wat, strip_custom, validate
from ._wasm_samples import VALID, barrier_module
from fxlang.wasm import (Field, FuncType, GlobalType, Module, StructType, WasmBuildError, encode, opcodes, ref, ref_null)
from fxlang.wasm.read import read


@pytest.mark.parametrize('name', sorted(VALID))
def test_sample_validates(name):
    ok, err = validate(encode(VALID[name]()))
    assert ok, err


def test_samples_use_every_opcode():
    used = set()
    for make in list(VALID.values()) + [barrier_module]:
        for f in make().funcs:
            used.update(i.op for i in f.body)
    used.add('end')             # implicit at the end of each body, explicit after blocks
    assert set(opcodes.OPS) - used == set()


def _fact_module():
    m = Module()
    m.imports.func('fx', 'write', m.types.func(['i32', 'i32'], []), name='fx.write')
    m.memories.add(1, name='memory')
    m.exports.memory('memory', 0)
    fact = m.funcs.add(m.types.func(['i64'], ['i64']), name='fact')
    acc = fact.local('i64', 'acc')
    fact.emit('i64.const', 1)
    fact.emit('local.set', acc)
    with fact.block(None) as done:
        with fact.loop(None) as again:
            fact.emit('local.get', 0); fact.emit('i64.eqz'); fact.emit('br_if', done)
            fact.emit('local.get', acc); fact.emit('local.get', 0); fact.emit('i64.mul')
            fact.emit('local.set', acc)
            fact.emit('local.get', 0); fact.emit('i64.const', 1); fact.emit('i64.sub')
            fact.emit('local.set', 0); fact.emit('br', again)
    fact.emit('local.get', acc)
    m.exports.func('fact', fact)
    return m


FACT_WAT = """
(module
  (import "fx" "write" (func $w (param i32 i32)))
  (memory $memory 1)
  (export "memory" (memory $memory))
  (func $fact (param i64) (result i64) (local $acc i64)
    i64.const 1
    local.set $acc
    block $done
      loop $again
        local.get 0
        i64.eqz
        br_if $done
        local.get $acc
        local.get 0
        i64.mul
        local.set $acc
        local.get 0
        i64.const 1
        i64.sub
        local.set 0
        br $again
      end
    end
    local.get $acc)
  (export "fact" (func $fact)))
"""


def test_fact_matches_wasm_tools():
    assert strip_custom(encode(_fact_module())) == strip_custom(parse_wat(FACT_WAT))


STACK_SWITCHING_WAT = """
(module
  (type $ft (func (param i32) (result i32)))
  (type $ct (cont $ft))
  (type $ft0 (func (result i32)))
  (type $ct0 (cont $ft0))
  (rec (type $fs (func (param (ref null $cs)))) (type $cs (cont $fs)))
  (type $v (func))
  (type $exn_t (func (param i32)))
  (type $bt (func (result i32 (ref $ct))))
  (tag $yield (type $ft))
  (tag $swap (type $v))
  (tag $exn (type $exn_t))
  (export "run" (func $run))
  (elem declare func $body $switcher)
  (func $body (type $ft) local.get 0 suspend $yield)
  (func $run (type $ft) (local $k (ref null $ct))
    block $on_yield (type $bt)
      local.get 0
      ref.func $body
      cont.new $ct
      resume $ct (on $yield $on_yield)
      return
    end
    local.set $k
    drop
    i32.const 5
    local.get $k
    cont.bind $ct $ct0
    resume $ct0
    drop
    block $on_yield2 (type $bt)
      i32.const 1
      local.get $k
      resume_throw $ct $exn (on $yield $on_yield2)
      return
    end
    drop
    drop
    block $caught (result exnref)
      try_table (catch_all_ref $caught)
        i32.const 2
        throw $exn
      end
      i32.const 0
      return
    end
    local.get $k
    resume_throw_ref $ct
    drop
    i32.const 0)
  (func $switcher (type $fs) local.get 0 switch $cs $swap drop)
  (func $sched (type $v)
    ref.null $cs
    ref.func $switcher
    cont.new $cs
    resume $cs (on $swap switch)))
"""


def test_stack_switching_matches_wasm_tools():
    from ._wasm_samples import stack_switching_module
    ours = encode(stack_switching_module())
    assert strip_custom(ours) == strip_custom(parse_wat(STACK_SWITCHING_WAT))


GC_WAT = """
(module
  (rec
    (type $node (sub (struct (field $val i64) (field $next (mut (ref null $node))))))
    (type $leaf (sub final $node (struct (field $val i64) (field $next (mut (ref null $node))) (field f32))))
    (type $arr (array (mut i8))))
  (type $get_t (func (param (ref null $node)) (result i64)))
  (func $get (type $get_t) local.get 0 struct.get $node $val)
  (func $mk (result (ref $arr)) i32.const 3 array.new_default $arr))
"""


def test_gc_rec_group_matches_wasm_tools():
    m = Module()
    with m.types.rec() as g:
        node, leaf = g.reserve(), g.reserve()
        arr = g.array(Field('i8', True), name='arr')
        fields = (Field('i64'), Field(ref_null(node), True))
        g.define(node, StructType(fields), final=False, name='node', field_names={0: 'val', 1: 'next'})
        g.define(leaf, StructType(fields + (Field('f32'),)), supers=[node], name='leaf')
    get = m.funcs.add(m.types.func([ref_null(node)], ['i64']), name='get')
    get.emit('local.get', 0)
    get.emit('struct.get', node, 0)
    mk = m.funcs.add(m.types.func([], [ref(arr)]), name='mk')
    mk.emit('i32.const', 3)
    mk.emit('array.new_default', arr)
    data = encode(m)
    assert validate(data)[0]
    assert strip_custom(data) == strip_custom(parse_wat(GC_WAT))


def test_types_are_deduplicated_by_structure():
    m = Module()
    a = m.types.func(['i32', 'funcref'], ['i64'])
    b = m.types.func(['i32', ref_null('func')], ['i64'])       # the shorthand is the same type
    c = m.types.func(['i32'], ['i64'])
    s1 = m.types.struct([Field('i32', True)], name='cell')
    s2 = m.types.struct([Field('i32', True)], name='other')
    assert a == b and a != c and s1 == s2
    assert m.names.types[s1] == 'cell'                           # the first name wins
    assert m.types.add(StructType((Field('i32', True),)), final=False) != s1   # finality is structure
    with m.types.rec() as g:                                     # rec groups are never merged
        r = g.struct([Field('i32', True)])
    assert r not in (s1, s2) and len(m.types) == 5


def test_late_imports_shift_defined_indices():
    m = Module()
    v = m.types.func()
    f = m.funcs.add(v, name='f')
    g = m.funcs.add(v, name='g')
    f.emit('call', g)
    f.emit('ref.func', g)
    f.emit('drop')
    m.exports.func('g', g)
    m.start = f
    assert int(f) == 0 and int(g) == 1
    imp = m.imports.func('env', 'h', v, name='h')
    m.globals.add('i32', [('i32.const', 1)])
    gi = m.imports.global_('env', 'gl', GlobalType('i32'))
    assert int(imp) == 0 and int(f) == 1 and int(g) == 2 and int(gi) == 0
    data = encode(m)
    assert validate(data)[0]
    back = read(data)
    assert back.funcs.entries[0].body[0].imms == (2,)
    assert back.start == 1 and back.exports.entries[0].index == 2
    assert back.names.funcs == {0: 'h', 1: 'f', 2: 'g'}


def test_labels_resolve_to_relative_depths():
    m = Module()
    f = m.funcs.add(m.types.func())
    top = f.function_label()
    with f.block() as outer:
        with f.loop() as inner:
            f.emit('br', inner)
            f.emit('br', outer)
            f.emit('br', top)
            with f.block():
                f.emit('i32.const', 0)
                f.emit('br_table', [inner, outer], top)
    assert [i.imms for i in f.body if i.op in ('br', 'br_table')] == [(0,), (1,), (2,), ((1, 2), 3)]
    assert validate(encode(m))[0]
    with pytest.raises(WasmBuildError, match='not in scope'):
        f.emit('br', inner)


def test_emit_checks_the_opcode_table():
    m = Module()
    f = m.funcs.add(m.types.func())
    with pytest.raises(WasmBuildError, match='unknown instruction'):
        f.emit('i32.frobnicate')
    with pytest.raises(WasmBuildError, match=r'local.get takes 1 immediate'):
        f.emit('local.get')
    with pytest.raises(WasmBuildError, match='without an open block'):
        f.emit('end')
    with pytest.raises(WasmBuildError, match='unknown value type'):
        f.emit('block', 'i33')
    with pytest.raises(WasmBuildError, match='not a function type'):
        m.funcs.add(m.types.struct([]))
    f.emit('i32.const', 1 << 40)
    with pytest.raises(WasmBuildError, match='out of range'):
        encode(m)


def test_memarg_defaults_and_conveniences():
    m = Module()
    m.memories.add(1)
    f = m.funcs.add(m.types.func(['i32'], ['i64']))
    f.emit('local.get', 0)
    f.emit('i64.load32_u', 12)
    f.emit('ref.null', 'any')
    f.emit('ref.test', ref_null('struct'))
    f.emit('drop')
    memarg = f.body[1].imms[0]
    assert (memarg.align, memarg.offset, memarg.mem) == (2, 12, 0)
    assert f.body[3].op == 'ref.test_null'
    assert validate(encode(m))[0]


def test_data_count_emitted_when_code_needs_it():
    m = Module()
    m.memories.add(1)
    seg = m.datas.passive(b'xy')
    f = m.funcs.add(m.types.func())
    f.emit('data.drop', seg)
    data = encode(m)
    assert validate(data)[0]
    assert read(data).data_count is True
    m2 = Module()
    m2.memories.add(1)
    m2.datas.active([('i32.const', 0)], b'xy')
    assert read(encode(m2)).data_count is False


def test_ref_func_targets_are_declared():
    m = Module()
    t = m.types.func([], ['funcref'])
    f = m.funcs.add(t)
    f.emit('ref.func', f)
    data = encode(m)
    assert validate(data)[0]
    [seg] = read(data).elements
    assert seg.mode == 'declarative' and seg.funcs == [0]
    m.exports.func('f', f)                       # an export declares it too: no segment then
    assert len(read(encode(m)).elements) == 0


def test_unknown_heap_type_rejected():
    with pytest.raises(WasmBuildError):
        ref('nothing')
    with pytest.raises(WasmBuildError):
        FuncType(('i32', 'str'))


def test_names_given_by_handle_and_by_index_merge():
    m = Module()
    f = m.funcs.add(m.types.func(['i32']), name='first')
    m.names.funcs[0] = 'renamed'                 # same index as the handle f
    f.name_param(0, 'a')
    m.names.locals[0] = {0: 'b'}
    data = encode(m)
    assert validate(data)[0]
    names = read(data).names
    assert names.funcs == {0: 'renamed'} and names.locals == {0: {0: 'b'}}


def test_docstring_example_runs_and_validates():
    """The builder contract's own example (fxlang/wasm/module.py) encodes a module wasm-tools accepts."""
    import textwrap
    from fxlang.wasm import module as module_py
    doc = module_py.__doc__
    example = textwrap.dedent(doc[doc.index('Example:') + len('Example:'):])
    scope = {}
    exec(compile(example, 'module.py docstring', 'exec'), scope)
    ok, err = validate(scope['data'])
    assert ok, err
    assert read(scope['data']).names.funcs == {0: 'fx.write', 1: 'fact'}


def test_labels_of_catch_clauses_and_delegate_count_from_outside():
    m = Module()
    tag = m.tags.add(m.types.func())
    f = m.funcs.add(m.types.func())
    with f.block() as outer:
        with f.try_table(None, [('catch', tag, outer)]):     # catch labels: relative to outside
            f.emit('throw', tag)
        f.emit('try', None)
        f.emit('throw', tag)
        f.emit('delegate', outer)                            # delegate: counted after the try closed
    assert f.body[1].imms[1] == (('catch', tag, 0),)
    assert f.body[-2] == ('delegate', (0,))
    assert validate(encode(m))[0]
