"""Modules built with the fxlang.wasm builder, one per instruction group, used by the encode/read/wat tests.

Together they use every opcode of fxlang.wasm.opcodes (test_wasm_encode checks that); each is valid under
`wasm-tools validate --features all` except `barrier_module`, which uses fxlang's own 0xe7.
"""

from fxlang.wasm import Field, FuncType, Module, RefType, StructType, ref, ref_null
from fxlang.wasm.module import Element, MemArg

NUM = ('i32', 'i64', 'f32', 'f64')
_UNARY = {'clz', 'ctz', 'popcnt', 'abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt',
          'extend8_s', 'extend16_s', 'extend32_s'}
_COMPARE = {'eq', 'ne', 'lt', 'lt_s', 'lt_u', 'gt', 'gt_s', 'gt_u', 'le', 'le_s', 'le_u', 'ge', 'ge_s', 'ge_u'}


def numeric_signature(op: str):
    """The stack type of a numeric instruction, from the naming conventions of the spec."""
    t, name = op.split('.')
    if name == 'eqz':
        return [t], ['i32']
    if name in _COMPARE:
        return [t, t], ['i32']
    if name in _UNARY:
        return [t], [t]
    if '_' in name and name.split('_')[1] in NUM:            # conversions: t.op_src[_sx]
        return [name.split('_')[1]], [t]
    if name.startswith('trunc_sat_'):
        return [name.split('_')[2]], [t]
    return [t, t], [t]


def numeric_module() -> Module:
    """Every numeric instruction, each in its own function, plus the four constants."""
    from fxlang.wasm import opcodes
    m = Module()
    for name, op in opcodes.OPS.items():
        t = name.split('.')[0]
        if t not in NUM or op.kinds or name.split('.')[1] in ('load', 'store'):
            continue
        params, results = numeric_signature(name)
        f = m.funcs.add(m.types.func(params, results), name=name)
        for i in range(len(params)):
            f.emit('local.get', i)
        f.emit(name)
    f = m.funcs.add(m.types.func([], ['i32', 'i64', 'f32', 'f64']), name='consts')
    f.emit('i32.const', -2147483648)
    f.emit('i64.const', 0xffffffffffffffff)      # unsigned form of -1
    f.emit('f32.const', 1.5)
    f.emit('f64.const', float('-inf'))
    return m


def control_module() -> Module:
    """Blocks, branches, calls, tail calls, locals/globals, memory, tables, bulk operations, start."""
    m = Module()
    v_v = m.types.func()
    i_i = m.types.func(['i32'], ['i32'])
    ii_i = m.types.func(['i32', 'i32'], ['i32'])
    multi = m.types.func(['i32'], ['i32', 'i64'])
    mem0 = m.memories.add(1, 2, name='mem0')
    mem1 = m.memories.add(1, name='mem1')
    tab = m.tables.add('funcref', 4, name='tab')
    tab2 = m.tables.add(ref_null('extern'), 1, 10)
    g = m.globals.add('i32', [('i32.const', 7)], mutable=True, name='counter')
    gref = m.globals.add('funcref', [('ref.null', 'func')])
    seg = m.datas.active([('i32.const', 16)], b'hello\x00\xff"\\', name='greeting')
    pseg = m.datas.passive(b'bulk')
    m.exports.memory('memory', mem0)

    init = m.funcs.add(v_v, name='init')
    init.emit('i32.const', 1); init.emit('global.set', g)
    m.start = init

    f = m.funcs.add(ii_i, name='control')
    f.name_param(0, 'a'); f.name_param(1, 'b')
    x = f.local('i32', 'x')
    y = f.local('i64', 'y')
    f.local('i64')
    f.local('f32', 'z')
    f.emit('nop')
    with f.block('i32') as out:
        with f.block(None) as b1:
            with f.loop(None) as lp:
                f.emit('local.get', 0); f.emit('br_if', b1)
                f.emit('i32.const', 0)
                f.emit('br_table', [b1, lp, b1], b1)
        f.emit('local.get', 1)
        f.emit('local.get', 0)
        with f.if_('i32'):
            f.emit('i32.const', 1)
            f.else_()
            f.emit('i32.const', 2)
        f.emit('local.get', 1)
        f.emit('select')
        f.emit('local.tee', x)
        f.emit('br', out)
    f.emit('drop')
    f.emit('i32.const', 0)
    with f.block(multi) as mb:
        f.emit('i64.const', 5)
        f.emit('br', mb)
    f.emit('local.set', y)
    f.emit('drop')
    f.emit('i32.const', 1); f.emit('i32.const', 2); f.emit('i32.const', 0)
    f.emit('select', ['i32'])
    f.emit('drop')
    f.emit('global.get', g); f.emit('global.set', g)
    # memory
    f.emit('i32.const', 0); f.emit('i32.load'); f.emit('drop')
    f.emit('i32.const', 0); f.emit('i64.load', MemArg(1, 8)); f.emit('drop')
    f.emit('i32.const', 0); f.emit('f64.load', 24); f.emit('drop')
    f.emit('i32.const', 0); f.emit('i32.load8_u', MemArg(0, 3, mem=1)); f.emit('drop')
    for op in ('f32.load', 'i32.load8_s', 'i32.load16_s', 'i32.load16_u', 'i64.load8_s', 'i64.load8_u',
               'i64.load16_s', 'i64.load16_u', 'i64.load32_s', 'i64.load32_u'):
        f.emit('i32.const', 0); f.emit(op); f.emit('drop')
    for op, t in (('i32.store', 'i32'), ('i64.store', 'i64'), ('f32.store', 'f32'), ('f64.store', 'f64'),
                  ('i32.store8', 'i32'), ('i32.store16', 'i32'), ('i64.store8', 'i64'), ('i64.store16', 'i64'),
                  ('i64.store32', 'i64')):
        f.emit('i32.const', 8); f.emit(t + '.const', 0); f.emit(op)
    f.emit('memory.size', mem0); f.emit('memory.grow', mem0); f.emit('drop')
    f.emit('i32.const', 0); f.emit('i32.const', 0); f.emit('i32.const', 4)
    f.emit('memory.init', pseg, mem0)
    f.emit('data.drop', pseg)
    f.emit('i32.const', 0); f.emit('i32.const', 0); f.emit('i32.const', 4)
    f.emit('memory.copy', mem1, mem0)
    f.emit('i32.const', 0); f.emit('i32.const', 0); f.emit('i32.const', 4)
    f.emit('memory.fill', mem0)
    # tables and references
    f.emit('i32.const', 0); f.emit('table.get', tab); f.emit('ref.is_null'); f.emit('drop')
    f.emit('i32.const', 0); f.emit('ref.func', f); f.emit('table.set', tab)
    f.emit('table.size', tab); f.emit('drop')
    f.emit('ref.null', 'extern'); f.emit('i32.const', 1); f.emit('table.grow', tab2); f.emit('drop')
    f.emit('i32.const', 0); f.emit('ref.null', 'func'); f.emit('i32.const', 1); f.emit('table.fill', tab)
    f.emit('i32.const', 0); f.emit('i32.const', 1); f.emit('i32.const', 1); f.emit('table.copy', tab, tab)
    passive = m.elements.passive([init, f])
    f.emit('i32.const', 0); f.emit('i32.const', 0); f.emit('i32.const', 1); f.emit('table.init', passive, tab)
    f.emit('elem.drop', passive)
    f.emit('global.get', gref); f.emit('drop')
    # calls
    f.emit('call', init)
    f.emit('i32.const', 3); f.emit('i32.const', 0); f.emit('call_indirect', i_i, tab); f.emit('drop')
    f.emit('i32.const', 0)
    with f.if_(None):
        f.emit('local.get', 0); f.emit('local.get', 1); f.emit('return_call', f)
    f.emit('i32.const', 0)
    with f.if_(None):
        f.emit('i32.const', 0); f.emit('i32.const', 0); f.emit('return_call_indirect', i_i, tab)
    f.emit('local.get', 0)
    f.emit('return')
    m.elements.active([('i32.const', 0)], [f, init])
    m.elements.add(Element(
        'active', ref('func'), exprs=[[('ref.func', f)]], table=tab, offset=[('i32.const', 2)]))
    u = m.funcs.add(v_v)
    u.emit('unreachable')
    return m


def gc_module() -> Module:
    """GC types in a rec group with subtyping, every struct/array/i31/cast instruction, typed references."""
    m = Module()
    with m.types.rec() as g:
        node = g.reserve()
        point = g.struct([Field('i32', True), Field('i8', True), Field('i16')], final=False, name='point',
                         field_names={0: 'x', 1: 'small', 2: 'half'})
        point3 = g.add(StructType((Field('i32', True), Field('i8', True), Field('i16'), Field('f64'))),
                       supers=[point], final=True, name='point3')
        g.define(node, StructType((Field('i64'), Field(ref_null(node), True))), supers=(), final=False,
                 name='node', field_names={0: 'val', 1: 'next'})
        bytes_ = g.array(Field('i8', True), name='bytes')
        refs = g.array(Field(ref_null(node), True), name='refs')
    funcs = m.types.array(Field('funcref', True), name='funcs')
    binop = m.types.func(['i32', 'i32'], ['i32'])
    assert m.types.func(['i32', 'i32'], ['i32']) == binop      # deduplicated
    abs_ = m.types.add(StructType(()), final=False, name='abs')
    m.types.add(StructType(()), supers=[abs_], final=False)     # non-final subtype with a supertype
    seg = m.datas.passive(b'abcdef')
    eseg = m.elements.add(Element(
        'passive', RefType('func'), exprs=[[('ref.null', 'func')]]))

    add = m.funcs.add(binop, name='add')
    add.emit('local.get', 0); add.emit('local.get', 1); add.emit('i32.add')

    f = m.funcs.add(m.types.func([ref_null('any'), 'externref'], ['i32']), name='gc')
    p = f.local(ref_null(point), 'p')
    n = f.local(ref_null(node), 'n')
    a = f.local(ref_null(bytes_), 'a')
    f.emit('i32.const', 1); f.emit('i32.const', 2); f.emit('i32.const', 3); f.emit('struct.new', point)
    f.emit('local.set', p)
    f.emit('struct.new_default', point); f.emit('drop')
    f.emit('local.get', p); f.emit('struct.get', point, 0); f.emit('drop')
    f.emit('local.get', p); f.emit('struct.get_s', point, 1); f.emit('drop')
    f.emit('local.get', p); f.emit('struct.get_u', point, 2); f.emit('drop')
    f.emit('local.get', p); f.emit('i32.const', 9); f.emit('struct.set', point, 0)
    f.emit('i64.const', 1); f.emit('ref.null', node); f.emit('struct.new', node); f.emit('local.set', n)
    f.emit('i32.const', 0); f.emit('i32.const', 4); f.emit('array.new', bytes_); f.emit('local.set', a)
    f.emit('i32.const', 4); f.emit('array.new_default', refs); f.emit('drop')
    f.emit('i32.const', 1); f.emit('i32.const', 2); f.emit('array.new_fixed', bytes_, 2); f.emit('drop')
    f.emit('i32.const', 0); f.emit('i32.const', 3); f.emit('array.new_data', bytes_, seg); f.emit('drop')
    f.emit('i32.const', 0); f.emit('i32.const', 1); f.emit('array.new_elem', funcs, eseg); f.emit('drop')
    f.emit('local.get', a); f.emit('i32.const', 0); f.emit('array.get_s', bytes_); f.emit('drop')
    f.emit('local.get', a); f.emit('i32.const', 0); f.emit('array.get_u', bytes_); f.emit('drop')
    f.emit('i32.const', 0); f.emit('array.new_default', refs); f.emit('i32.const', 0); f.emit('array.get', refs)
    f.emit('drop')
    f.emit('local.get', a); f.emit('i32.const', 0); f.emit('i32.const', 7); f.emit('array.set', bytes_)
    f.emit('local.get', a); f.emit('array.len'); f.emit('drop')
    f.emit('local.get', a); f.emit('i32.const', 0); f.emit('i32.const', 7); f.emit('i32.const', 1)
    f.emit('array.fill', bytes_)
    f.emit('local.get', a); f.emit('i32.const', 0); f.emit('local.get', a); f.emit('i32.const', 1)
    f.emit('i32.const', 1); f.emit('array.copy', bytes_, bytes_)
    f.emit('local.get', a); f.emit('i32.const', 0); f.emit('i32.const', 0); f.emit('i32.const', 1)
    f.emit('array.init_data', bytes_, seg)
    f.emit('i32.const', 1); f.emit('array.new_default', funcs); f.emit('i32.const', 0); f.emit('i32.const', 0)
    f.emit('i32.const', 1); f.emit('array.init_elem', funcs, eseg)
    f.emit('local.get', 0); f.emit('ref.test', ref(point)); f.emit('drop')
    f.emit('local.get', 0); f.emit('ref.test', ref_null('struct')); f.emit('drop')
    f.emit('local.get', 0); f.emit('ref.cast', ref_null(point)); f.emit('drop')
    f.emit('local.get', 0); f.emit('ref.cast', ref('i31')); f.emit('i31.get_s'); f.emit('drop')
    f.emit('i32.const', 5); f.emit('ref.i31'); f.emit('i31.get_u'); f.emit('drop')
    f.emit('local.get', 1); f.emit('any.convert_extern'); f.emit('extern.convert_any'); f.emit('drop')
    f.emit('local.get', p); f.emit('local.get', p); f.emit('ref.eq'); f.emit('drop')
    with f.block(ref_null('any')) as lbl:
        f.emit('local.get', 0); f.emit('br_on_cast', lbl, ref_null('any'), ref(point3))
        f.emit('br_on_cast_fail', lbl, ref_null('any'), ref_null('eq'))
    f.emit('drop')
    with f.block(None) as lbl:
        f.emit('local.get', p); f.emit('br_on_null', lbl); f.emit('drop')
    with f.block(ref(point)) as lbl:
        f.emit('local.get', p); f.emit('br_on_non_null', lbl)
        f.emit('unreachable')
    f.emit('ref.as_non_null'); f.emit('drop')
    f.emit('i32.const', 1); f.emit('i32.const', 2); f.emit('ref.func', add); f.emit('call_ref', binop)
    f.emit('drop')
    f.emit('i32.const', 1); f.emit('i32.const', 2); f.emit('ref.func', add); f.emit('return_call_ref', binop)
    m.exports.func('gc', f)
    return m


def eh_module() -> Module:
    """Tags, throw/throw_ref, try_table with all four catch clauses, and the legacy try/catch/delegate."""
    m = Module()
    exn = m.tags.add(m.types.func(['i32']), name='exn')
    imported = m.imports.tag('env', 'err', m.types.func([]), name='err')
    f = m.funcs.add(m.types.func([], ['i32']), name='eh')
    with f.block(None) as all_:
        with f.block('exnref') as all_ref:
            with f.block(m.types.func([], ['i32', 'exnref'])) as caught_ref:
                with f.block('i32') as caught:
                    with f.try_table(None, [('catch', exn, caught), ('catch_ref', exn, caught_ref),
                                            ('catch_all', all_), ('catch_all_ref', all_ref)]):
                        f.emit('i32.const', 7); f.emit('throw', exn)
                    f.emit('i32.const', 0)
                f.emit('return')
            f.emit('throw_ref')
        f.emit('throw_ref')
    f.emit('i32.const', 1)
    legacy = m.funcs.add(m.types.func([], ['i32']), name='legacy')
    with legacy.block('i32') as done:
        legacy.emit('try', 'i32')
        legacy.emit('try', 'i32')
        legacy.emit('throw', imported)
        legacy.emit('delegate', 0)
        legacy.emit('catch', exn)
        legacy.emit('br', done)
        legacy.emit('catch_all')
        legacy.emit('try', None)
        legacy.emit('catch_all')
        legacy.emit('rethrow', 1)
        legacy.emit('end')
        legacy.emit('i32.const', 2)
        legacy.emit('end')
    m.exports.tag('exn', exn)
    return m


def stack_switching_module() -> Module:
    """A tag, cont types, cont.new/cont.bind/suspend/resume with (on $t $l) and (on $t switch),
    resume_throw, resume_throw_ref and switch."""
    m = Module()
    ft = m.types.func(['i32'], ['i32'], name='ft')
    ct = m.types.cont(ft, name='ct')
    ft0 = m.types.func([], ['i32'], name='ft0')
    ct0 = m.types.cont(ft0, name='ct0')
    with m.types.rec() as g:
        fs = g.reserve()
        cs = g.cont(fs, name='cs')
        g.define(fs, FuncType((ref_null(cs),)), name='fs')
    yield_ = m.tags.add(m.types.func(['i32'], ['i32']), name='yield')
    swap = m.tags.add(m.types.func([]), name='swap')
    exn = m.tags.add(m.types.func(['i32']), name='exn')

    body = m.funcs.add(ft, name='body')
    body.emit('local.get', 0); body.emit('suspend', yield_)

    run = m.funcs.add(m.types.func(['i32'], ['i32']), name='run')
    with run.block(m.types.func([], ['i32', ref(ct)])) as on_yield:
        run.emit('local.get', 0)
        run.emit('ref.func', body)
        run.emit('cont.new', ct)
        run.emit('resume', ct, [('on', yield_, on_yield)])
        run.emit('return')
    k = run.local(ref_null(ct), 'k')
    run.emit('local.set', k)
    run.emit('drop')
    run.emit('i32.const', 5); run.emit('local.get', k); run.emit('cont.bind', ct, ct0)
    run.emit('resume', ct0, [])
    run.emit('drop')
    with run.block(m.types.func([], ['i32', ref(ct)])) as on_yield2:
        run.emit('i32.const', 1); run.emit('local.get', k)
        run.emit('resume_throw', ct, exn, [('on', yield_, on_yield2)])
        run.emit('return')
    run.emit('drop'); run.emit('drop')
    with run.block('exnref') as caught:
        with run.try_table(None, [('catch_all_ref', caught)]):
            run.emit('i32.const', 2); run.emit('throw', exn)
        run.emit('i32.const', 0); run.emit('return')
    run.emit('local.get', k)
    run.emit('resume_throw_ref', ct, [])
    run.emit('drop')
    run.emit('i32.const', 0)

    sw = m.funcs.add(fs, name='switcher')
    sw.emit('local.get', 0); sw.emit('switch', cs, swap); sw.emit('drop')
    sched = m.funcs.add(m.types.func(), name='sched')
    sched.emit('ref.null', cs)
    sched.emit('ref.func', sw); sched.emit('cont.new', cs)
    sched.emit('resume', cs, [('on', swap, 'switch')])
    m.exports.func('run', run)
    return m


def barrier_module() -> Module:
    """fxlang's barrier (0xe7) around a suspension: valid WasmFX with our extension, unknown to wasm-tools."""
    m = Module()
    t = m.tags.add(m.types.func(), name='t')
    f = m.funcs.add(m.types.func([], ['i32']), name='guarded')
    with f.barrier('i32') as lbl:
        f.emit('suspend', t)
        f.emit('i32.const', 1)
        f.emit('i32.const', 1)
        f.emit('br_if', lbl)
    m.exports.func('guarded', f)
    return m


VALID = {'numeric': numeric_module, 'control': control_module, 'gc': gc_module, 'eh': eh_module,
         'stack_switching': stack_switching_module}
