"""Instantiation: [[validated Module + imports]] --> [[Instance]].

Linking (spec "external types" matching, including subtyping of imported function types), allocation
of tags, globals, memories and tables, translation of the functions (vm.exec.translate), element and
data segment initialisation and the start function. Raises LinkError or Trap.
"""

from __future__ import annotations

import inspect
import struct
import warnings

from ..errors import LinkError, Trap, OutOfFuel, Exhaustion
from ..syntax.types import type_name
from . import memory as memory_ops, table as table_ops
from .cont import (BARRIER, cont_new, cont_bind, resume, resume_gen, resume_throw, resume_throw_gen,
                   unhandled, null_cont, exn_of_ref, dispatch, drive_gen)
from .entities import Global, Tag, Func, TailCall, WasmExn
from . import gc
from .gc import ref_eq
from .memory import Memory
from .table import Table
from .types import canon_types, resolve_vt, val_sub, val_eq
from .values import to_internal, to_api, default_value
from .consteval import eval_const
from ..exec import numeric
from ..exec.translate import (ModuleContext, translate_module, direct_suspends, fault_handler,
                              chunk_name)
from .budget import BUDGET

# Memory a translated function keeps (code objects, namespace entries, Func), besides its source.
CODE_BYTES = 2048


class Instance:
    """A module instance: `exports` (attribute and item access), `stats()`."""

    def __init__(self):
        self.exports = Exports()
        self.funcs = []
        self.tables = []
        self.memories = []
        self.globals = []
        self.tags = []
        self.types = []
        self.elems = []
        self.datas = []
        self.ns = {}
        self.observer = None
        self.source = ''

    def stats(self) -> dict:
        if self.observer is None:
            return {}
        return self.observer.snapshot()


class Exports:
    """Exported entities by name: `exports.main`, `exports['main']`, `'main' in exports`,
    `for name in exports`. Every export name wins over attribute names (only dunders are methods)."""

    __slots__ = ('_items',)

    def __init__(self):
        object.__setattr__(self, '_items', {})

    def __getattribute__(self, name):
        items = object.__getattribute__(self, '_items')
        if name in items:
            return items[name]
        if name == '_items' or name.startswith('__'):
            return object.__getattribute__(self, name)
        raise AttributeError(f'no export named {name!r}')

    def __getitem__(self, name):
        return object.__getattribute__(self, '_items')[name]

    def __contains__(self, name):
        return name in object.__getattribute__(self, '_items')

    def __iter__(self):
        return iter(object.__getattribute__(self, '_items'))

    def __len__(self):
        return len(object.__getattribute__(self, '_items'))

    def __repr__(self):
        return f'<Exports {sorted(object.__getattribute__(self, "_items"))}>'


# --- helpers bound into the namespace of translated code ----------------------------------------

# Locals of big-frame functions currently on the call stack (see vm/exec/translate.py, BIG_FRAME).
STACK_DEPTH = [0]

def _call_indirect(elems, i, dt):
    if i >= len(elems):
        raise Trap('undefined element')
    f = elems[i]
    if f is None:
        raise Trap(f'uninitialized element {i}')
    fdt = f.dtype
    if fdt is not dt and (fdt is None or dt not in fdt.ancestors):
        raise Trap('indirect call type mismatch')
    return f


def _call_ref(f):
    if f is None:
        raise Trap('null function reference')
    return f


def _non_null(v):
    if v is None:
        raise Trap('null reference')
    return v


def _out_of_fuel(name):
    return OutOfFuel(func_name=name)


BASE_NS = {
    'TRAP': Trap, 'TRAPCLS': Trap, 'STRUCT_ERROR': struct.error, 'OOF': _out_of_fuel,
    'LD_I': struct.Struct('<I').unpack_from, 'LD_i': struct.Struct('<i').unpack_from,
    'LD_Q': struct.Struct('<Q').unpack_from, 'LD_D': struct.Struct('<d').unpack_from,
    'LD_H': struct.Struct('<H').unpack_from, 'LD_h': struct.Struct('<h').unpack_from,
    'ST_I': struct.Struct('<I').pack_into, 'ST_Q': struct.Struct('<Q').pack_into,
    'ST_D': struct.Struct('<d').pack_into, 'ST_H': struct.Struct('<H').pack_into,
    'f32_from_bits': numeric.f32_from_bits, 'f32_to_bits': numeric.f32_to_bits,
    'MFILL': memory_ops.fill, 'MCOPY': memory_ops.copy, 'MINIT': memory_ops.init,
    'TGET': table_ops.get, 'TSET': table_ops.set_, 'TFILL': table_ops.fill, 'TCOPY': table_ops.copy,
    'TINIT': table_ops.init,
    'CI': _call_indirect, 'CR': _call_ref, 'NN': _non_null, 'REFEQ': ref_eq, 'TC': TailCall,
    'EXN': WasmExn, 'EXNREF': exn_of_ref,
    'CNEW': cont_new, 'CBIND': cont_bind, 'RESUME': resume, 'RESUME_G': resume_gen,
    'RESUME_THROW': resume_throw, 'RESUME_THROW_G': resume_throw_gen, 'UNHANDLED': unhandled,
    'RESUME_THROW_REF': resume_throw, 'RESUME_THROW_REF_G': resume_throw_gen,
    'NULLCONT': null_cont, 'BAR': BARRIER, 'SD': STACK_DEPTH, 'EXHAUSTED': Exhaustion, 'DISPATCH': dispatch, 'DRIVE_G': drive_gen,
    'STRUCT': gc.Struct, 'ARRAY': gc.Array, 'SF': gc.struct_fields, 'AGET': gc.array_get,
    'ASET': gc.array_set, 'ALEN': gc.array_len, 'ANEW': gc.array_new, 'AFILL': gc.array_fill,
    'ACOPY': gc.array_copy, 'ANEWD': gc.array_new_data, 'ANEWE': gc.array_new_elem,
    'AINITD': gc.array_init_data, 'AINITE': gc.array_init_elem, 'I31': gc.I31,
    'I31GET': gc.i31_get, 'ANYCONV': gc.any_convert_extern, 'EXTCONV': gc.extern_convert_any,
    'REFTEST': gc.ref_test, 'REFCAST': gc.ref_cast,
}


# --- linking -------------------------------------------------------------------------------------

def _limits_match(size, max_, lim) -> bool:
    if size < lim.min:
        return False
    if lim.max is not None:
        return max_ is not None and max_ <= lim.max
    return True


def _accepts(fn, n: int) -> bool:
    """Can `fn` be called with n positional arguments? (True when Python cannot tell.)"""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return True
    try:
        sig.bind(*range(n))
    except TypeError:
        return False
    return True


def _host_value(t, v, name):
    """A host function's result `v` for result type `t`, checked, in the internal representation."""
    if t in ('i32', 'i64'):
        ok = isinstance(v, int)
    elif t in ('f32', 'f64'):
        ok = isinstance(v, (int, float))
    elif v is None:
        ok = t.nullable
    elif t.heap == 'func':
        ok = isinstance(v, Func)
    else:
        ok = t.heap == 'extern'    # host code can make no other reference (e.g. no struct)
    if not ok:
        raise Trap(f'host function {name} returned {type(v).__name__} {v!r:.40} '
                   f'where {type_name(t)} was expected')
    return to_internal(t, v)


def make_host_func(fn, dtype, name):
    """Wrap a Python callable as a Func of run-time type `dtype` (API values in and out). Its arity is
    checked now (LinkError), its results at every call (Trap)."""
    ft = dtype.composite
    ps, rs = ft.params, ft.results
    nres = len(rs)
    if not _accepts(fn, len(ps)):
        raise LinkError(f'incompatible import type for {name}: the host function does not take '
                        f'{len(ps)} argument(s)')

    def plain(*args):
        r = fn(*[to_api(t, a) for t, a in zip(ps, args)])
        if nres == 0:
            return None
        if nres == 1:
            if isinstance(r, (tuple, list)) and len(r) == 1:
                r = r[0]
            return _host_value(rs[0], r, name)
        if not isinstance(r, (tuple, list)) or len(r) != nres:
            raise Trap(f'host function {name} returned the wrong number of results')
        return tuple(_host_value(t, v, name) for t, v in zip(rs, r))

    return Func(plain, dtype=dtype, name=name, nres=nres, host=True)


def link_imports(module, canon, imports):
    out = {'func': [], 'table': [], 'memory': [], 'global': [], 'tag': []}
    imports = imports or {}
    for im in module.imports:
        mod = imports.get(im.module) if hasattr(imports, 'get') else None
        if mod is None:
            raise LinkError(f'unknown import {im.module}.{im.name}', module=im.module, name=im.name)
        try:
            v = mod[im.name] if not hasattr(mod, 'exports') else mod.exports[im.name]
        except (KeyError, TypeError, AttributeError):
            try:
                v = getattr(mod, im.name)
            except AttributeError:
                raise LinkError(f'unknown import {im.module}.{im.name}', module=im.module,
                                name=im.name) from None
        bad = LinkError(f'incompatible import type for {im.module}.{im.name}', module=im.module,
                        name=im.name)
        k = im.kind
        if k == 'func':
            dt = canon[im.desc]
            if isinstance(v, Func):
                if v.dtype is not None and not v.dtype.sub_of(dt):
                    raise bad
                out['func'].append(v)
            elif callable(v) and not isinstance(v, (Table, Memory, Global, Tag)):
                out['func'].append(make_host_func(v, dt, f'{im.module}.{im.name}'))
            else:
                raise bad
        elif k == 'table':
            if not isinstance(v, Table):
                raise bad
            tt = im.desc
            if not _limits_match(len(v.elems), v.max, tt.limits) or v.index != tt.limits.index:
                raise bad
            if not val_eq(v.elem, resolve_vt(tt.elem, canon)):
                raise bad
            out['table'].append(v)
        elif k == 'memory':
            if not isinstance(v, Memory):
                raise bad
            if not _limits_match(v.size(), v.max, im.desc.limits) or v.index != im.desc.limits.index:
                raise bad
            out['memory'].append(v)
        elif k == 'global':
            if not isinstance(v, Global):
                raise bad
            gt = im.desc
            t = resolve_vt(gt.type, canon)
            if v.mutable != gt.mutable:
                raise bad
            if gt.mutable and not val_eq(v.type, t):
                raise bad
            if not gt.mutable and not val_sub(v.type, t):
                raise bad
            out['global'].append(v)
        elif k == 'tag':
            if not isinstance(v, Tag):
                raise bad
            dt = canon[im.desc.type_index]
            if v.type is not dt and (hasattr(v.type, 'composite') or v.type != dt.composite):
                raise bad
            out['tag'].append(v)
        else:
            raise bad
    return out


# --- instantiation -------------------------------------------------------------------------------

def func_display_name(module, i) -> str:
    name = module.names.funcs.get(i)
    if name is None:
        for ex in module.exports:
            if ex.kind == 'func' and ex.index == i:
                name = ex.name
                break
    return f'${name}' if name is not None else f'func[{i}]'


def instantiate(module, imports=None, *, fuel=None, trace=None, stats=False, run=None) -> Instance:
    inst = Instance()
    canon = canon_types(module)
    inst.types = canon
    linked = link_imports(module, canon, imports)
    ns = dict(BASE_NS)
    inst.ns = ns
    for i, dt in enumerate(canon):
        ns[f'DT{i}'] = dt

    # tags
    tags = list(linked['tag'])
    ntag_imp = len(tags)
    for k, t in enumerate(module.tags):
        tags.append(Tag(canon[t.type.type_index], module.tag_name(ntag_imp + k) or None))
    inst.tags = tags

    # functions (objects first: globals, tables and elements may refer to them)
    nimp = len(linked['func'])
    funcs = list(linked['func'])
    for k, f in enumerate(module.funcs):
        i = nimp + k
        ft = canon[f.type_index]
        funcs.append(Func(None, dtype=ft, name=func_display_name(module, i),
                          nres=len(ft.composite.results)))
    inst.funcs = funcs
    for i, f in enumerate(funcs):
        ns[f'FO{i}'] = f
        ns[f'NM{i}'] = f.name

    # globals
    globs = list(linked['global'])
    inst.globals = globs
    for g in module.globals:
        t = resolve_vt(g.type.type, canon)
        v = eval_const(g.init, inst)
        globs.append(Global(t, g.type.mutable, v, internal=True))
    for i, g in enumerate(globs):
        ns[f'GL{i}'] = g

    # memories and tables
    mems = list(linked['memory'])
    for m in module.memories:
        lim = m.type.limits
        mems.append(Memory(lim.min, lim.max, lim.shared, lim.index))
    inst.memories = mems
    for i, m in enumerate(mems):
        ns[f'M{i}'] = m.data
        ns[f'MO{i}'] = m
    tables = list(linked['table'])
    for t in module.tables:
        init = eval_const(t.init, inst) if t.init is not None else None
        lim = t.type.limits
        tables.append(Table(resolve_vt(t.type.elem, canon), lim.min, lim.max, init, lim.index))
    inst.tables = tables
    for i, t in enumerate(tables):
        ns[f'T{i}'] = t.elems
        ns[f'TO{i}'] = t

    # segments (evaluated before the code runs; dropped ones become empty)
    inst.datas = [d.init for d in module.datas]
    ns['DATAS'] = inst.datas
    inst.elems = [[eval_const(e, inst) for e in seg.init] for seg in module.elems]
    ns['ELEMS'] = inst.elems

    # observation (trace / stats)
    observe = bool(trace) or bool(stats)
    if observe:
        from .observe import Observer
        inst.observer = Observer(trace, stats)
        inst.observer.install(ns)

    # may-suspend fixpoint over direct calls; imported functions report their own flag
    may = [f.may_suspend for f in funcs[:nimp]]
    callees = []
    has_tail = [False] * nimp
    for f in module.funcs:
        s, cs = direct_suspends(f.body)
        may.append(s)
        callees.append(cs)
        has_tail.append(any(ins.op.startswith('return_call') for ins in f.body))
    changed = True
    while changed:
        changed = False
        for k, cs in enumerate(callees):
            i = nimp + k
            if not may[i] and any(may[c] for c in cs if c < len(may)):
                may[i] = True
                changed = True
    for i in range(nimp):
        f = funcs[i]
        ns[f'F{i}'] = f.plain
        ns[f'G{i}'] = f.gen

    ns['FU'] = [fuel if fuel is not None else 0]
    ctx = ModuleContext(module, ns, may, has_tail, fuel is not None, observe, nimp,
                        [f.name for f in funcs], tags)
    ctx.stats = bool(stats)
    try:
        chunks = translate_module(ctx)
        inst.source = ''.join(chunks)
        if not BUDGET.reserve(inst, CODE_BYTES * len(module.funcs) + len(inst.source)):
            raise Trap('out of memory')
        codes = []
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')      # e.g. SyntaxWarning on `None[0]` in dead paths
            for n, src in enumerate(chunks):
                codes.append(compile(src, chunk_name(n), 'exec'))
    except (RecursionError, MemoryError) as e:
        # a valid module too big for this host to translate or compile. (A SyntaxError is not caught:
        # the translator writes every line, and keeps within CPython's nesting limits by hoisting, so
        # source that does not compile is a bug of the VM, reported as one.)
        raise Trap(f'implementation limit: cannot compile the module ({type(e).__name__})') from None
    ns['FAULT'] = fault_handler(ns, ctx.fault_lines)
    # for backtraces (vm.errors.Trap.frames): the module offset of each translated line, and where each
    # defined function's code starts
    ns['_LINES'] = ctx.line_offsets
    ns['_FUNCS'] = (nimp, [f.offset for f in module.funcs])
    for code in codes:
        exec(code, ns)
    for k in range(len(module.funcs)):
        i = nimp + k
        f = funcs[i]
        f.plain = ns[f'F{i}']
        f.tplain = ns[f'_T{i}'] if has_tail[i] else f.plain
        if may[i]:
            f.gen = ns[f'G{i}']
            f.may_suspend = True
    inst.fuel = ns['FU']

    # exports
    kinds = {'func': funcs, 'table': tables, 'memory': mems, 'global': globs, 'tag': tags}
    for ex in module.exports:
        inst.exports._items[ex.name] = kinds[ex.kind][ex.index]

    # element and data segments, then start (may trap; effects so far stay visible)
    def init_and_start():
        for x, seg in enumerate(module.elems):
            if seg.mode == 'active':
                off = eval_const(seg.offset_expr, inst)
                table_ops.init(tables[seg.table].elems, inst.elems[x], off, 0, len(inst.elems[x]))
                inst.elems[x] = ()
            elif seg.mode == 'declarative':
                inst.elems[x] = ()
        for x, seg in enumerate(module.datas):
            if seg.mode == 'active':
                off = eval_const(seg.offset_expr, inst)
                memory_ops.init(mems[seg.memory or 0].data, inst.datas[x], off, 0, len(inst.datas[x]))
                inst.datas[x] = b''
        if module.start is not None:
            funcs[module.start].plain()

    if run is not None:
        run(init_and_start)
    else:
        init_and_start()
    return inst
