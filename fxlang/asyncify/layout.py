"""The data of the lowered module: continuation objects, frames, the handler stack, value slots, dummies.

Continuations.  Each continuation type `(cont $ft)` is redefined *in place* (so no type index moves) as the
non-final struct `(struct (field $used (mut i32)) (field $enter funcref))`: every continuation object is one
of its subtypes, and `$enter` is its "apply" method, a function `$enter_c : [params of $ft, (ref struct)] ->
[results of $ft]` (kept as funcref because the type it needs is defined after the cont type; a resume casts it).
The subtypes are
    new_c   cont.new          + fn   (ref $ft)           enter: run fn (or throw a pending resume_throw)
    bind    cont.bind c1 c2   + inner (ref struct), the bound values   enter: inner.enter(bound ++ args)
    cap_c   a suspension      + frames (ref null $Frame)   enter: store args in the slots, rewind the frames
The abstract heap `cont` becomes `struct`, `nocont` becomes `none`.

Frames.  `$Frame = (sub (struct (field $next (mut (ref null $Frame)))))`; each instrumented function f has a
final subtype `$F_f` (next, point: i32, one field per saved local); a continuation's bottom is a
`$Bottom_r` (next, rewind: (ref $rewind_r), fn: funcref) that knows how to re-enter the function the
continuation started with (`$rewind_r : [(ref $Frame)] -> [r*]`, r the continuation's results).

Value slots.  Suspension payloads and resume arguments travel through mutable globals, one per (value type,
ordinal among the values of that type): `$slot.i32.0`, ...; a reference type's slot is its nullable version.
"""

from __future__ import annotations

import operator

from fxlang.wasm import (ArrayType, ContType, Field, FuncType, GlobalType, Instr, Module, RecGroup, RefType,
                         StructType, SubType, ref, ref_null)

FUNCREF = RefType('func', True)
STRUCT = RefType('struct', False)


class LowerError(Exception):
    """A module the lowering cannot translate: the message names the function and the reason."""


def nullable(t):
    return RefType(t.heap, True) if isinstance(t, RefType) else t


class Layout:
    def __init__(self, m: Module):
        self.m = m
        self.conts: dict[int, int] = {}       # cont type index -> its function type index
        self._retype_conts()
        t = m.types
        with t.rec() as g:
            frame = g.reserve()
            g.define(frame, StructType((Field(ref_null(frame), True),)), final=False, name='asyncify.Frame')
        self.frame = frame
        self.hs_array = t.array('i32', mutable=True, name='asyncify.Handlers')
        self.empty_struct = t.struct((), name='asyncify.Empty')
        self.empty_array = t.array('i32', mutable=False)
        self._globals: dict[str, object] = {}
        self._slots: dict[tuple, object] = {}
        self._types: dict[tuple, int] = {}
        self._dummy_fns: dict[int, object] = {}
        self._dummy_tag = None
        g = m.globals
        self.state = g.add('i32', [('i32.const', 0)], mutable=True, name='asyncify.state')
        self.frames = g.add(ref_null(frame), [('ref.null', frame)], mutable=True, name='asyncify.frames')
        self.hs = g.add(ref(self.hs_array), [('i32.const', 16), ('array.new_default', self.hs_array)],
                        mutable=True, name='asyncify.handlers')
        self.hsp = g.add('i32', [('i32.const', 0)], mutable=True, name='asyncify.depth')
        self.target = g.add('i32', [('i32.const', 0)], mutable=True, name='asyncify.target')
        self.code = g.add('i32', [('i32.const', 0)], mutable=True, name='asyncify.code')
        self.exn = g.add(RefType('exn', True), [('ref.null', 'exn')], mutable=True, name='asyncify.exn')
        self.thunk = g.add(RefType('struct', True), [('ref.null', 'struct')], mutable=True,
                           name='asyncify.switch')

    # -- continuation types ------------------------------------------------------------------------

    def _retype_conts(self) -> None:
        base = StructType((Field('i32', True), Field(FUNCREF, False)))

        def retype(idx, s):
            if isinstance(s.comp, ContType):
                self.conts[idx] = s.comp.func_type
                return SubType(base, s.supers, False)
            return s
        self.m.types.map_defs(retype)

    def cont_func(self, c: int) -> FuncType:
        return self.m.types.func_type(self.conts[c])

    def func_type(self, params, results) -> int:
        return self.m.types.func(tuple(params), tuple(results))

    def enter_type(self, c: int) -> int:
        ft = self.cont_func(c)
        return self.func_type(ft.params + (STRUCT,), ft.results)

    def rewind_type(self, results) -> int:
        return self.func_type((ref(self.frame),), results)

    def bottom_type(self, results) -> int:
        key = ('bottom', tuple(results))
        if key not in self._types:
            fields = (Field(ref_null(self.frame), True), Field(ref(self.rewind_type(results))), Field(FUNCREF))
            self._types[key] = self.m.types.add(StructType(fields), (self.frame,), True)
        return self._types[key]

    def sub_struct(self, key, parent: int, extra) -> int:
        """A final struct type extending `parent` (a retyped cont type) with `extra` fields."""
        if key not in self._types:
            fields = self.m.types[parent].comp.fields + tuple(extra)
            self._types[key] = self.m.types.add(StructType(fields), (parent,), True)
        return self._types[key]

    def new_type(self, c: int) -> int:
        return self.sub_struct(('new', c), c, (Field(ref(self.conts[c])),))

    def cap_type(self, c: int) -> int:
        return self.sub_struct(('cap', c), c, (Field(ref_null(self.frame)),))

    def bind_type(self, c1: int, c2: int) -> int:
        n = len(self.cont_func(c1).params) - len(self.cont_func(c2).params)
        bound = self.cont_func(c1).params[:n]
        return self.sub_struct(('bind', c1, c2), c2, (Field(STRUCT),) + tuple(Field(v) for v in bound))

    def switch_base(self, results) -> int:
        """The pending switch: apply(frames, self) captures the switcher and enters the target."""
        key = ('switch', tuple(results))
        if key not in self._types:
            apply = self.func_type((ref_null(self.frame), STRUCT), results)
            self._types[key] = self.m.types.add(StructType((Field(ref(apply)),)), (), False)
            self._types[('apply',) + key[1:]] = apply
        return self._types[key]

    def apply_type(self, results) -> int:
        self.switch_base(results)
        return self._types[('apply', tuple(results))]

    def frame_type(self, fields) -> int:
        """A function's frame: next, point, then `fields` (value types, nullable)."""
        fs = (Field(ref_null(self.frame), True), Field('i32')) + tuple(Field(nullable(v)) for v in fields)
        return self.m.types.add(StructType(fs), (self.frame,), True)

    # -- slots ---------------------------------------------------------------------------------------

    def slots(self, types) -> list:
        """The slot globals carrying values of `types`, in order."""
        seen: dict = {}
        out = []
        for v in types:
            key = nullable(v)
            k = seen.get(key, 0)
            seen[key] = k + 1
            out.append(self._slot(key, k))
        return out

    def _slot(self, t, k: int):
        if (t, k) not in self._slots:
            if t == 'v128':
                raise LowerError('v128 values cannot cross a suspension (SIMD is not supported)')
            name = f'asyncify.slot.{_type_name(t)}.{k}'
            self._slots[(t, k)] = self.m.globals.add(t, zero(t), mutable=True, name=name)
        return self._slots[(t, k)]

    # -- dummy values (arguments of calls re-made while rewinding; results of an unwinding return) ------

    def dummy(self, t, _depth: int = 0) -> list[Instr]:
        if not isinstance(t, RefType):
            return zero(t)
        if t.nullable:
            return [Instr('ref.null', (t.heap,))]
        h = t.heap
        if isinstance(h, str):
            if h in ('any', 'eq', 'i31'):
                return [Instr('i32.const', (0,)), Instr('ref.i31', ())]
            if h == 'struct':
                return [Instr('struct.new_default', (self.empty_struct,))]
            if h == 'array':
                return [Instr('array.new_fixed', (self.empty_array, 0))]
            if h == 'func':
                return [Instr('ref.func', (self._dummy_fn(self.func_type((), ())),))]
            if h == 'extern':
                return [Instr('i32.const', (0,)), Instr('ref.i31', ()), Instr('extern.convert_any', ())]
            if h == 'exn':
                return self._dummy_exn()
            return [Instr('unreachable', ())]           # none, nofunc, noextern, noexn: uninhabited
        comp = self.m.types[h].comp
        if isinstance(comp, FuncType):
            return [Instr('ref.func', (self._dummy_fn(h),))]
        if isinstance(comp, ArrayType):
            return [Instr('array.new_fixed', (h, 0))]
        if isinstance(comp, StructType):
            if all(_defaultable(f.storage) for f in comp.fields):
                return [Instr('struct.new_default', (h,))]
            if _depth > 8:
                return [Instr('unreachable', ())]
            out = []
            for f in comp.fields:
                out += zero('i32') if f.storage in ('i8', 'i16') else self.dummy(f.storage, _depth + 1)
            return out + [Instr('struct.new', (h,))]
        return [Instr('unreachable', ())]

    def _dummy_fn(self, type_idx: int):
        if type_idx not in self._dummy_fns:
            f = self.m.funcs.add(type_idx, name=f'asyncify.dummy.{type_idx}')
            f.emit('unreachable')
            self._dummy_fns[type_idx] = f
        return self._dummy_fns[type_idx]

    def _dummy_exn(self) -> list[Instr]:
        if self._dummy_tag is None:
            self._dummy_tag = self.m.tags.add(self.func_type((), ()), name='asyncify.dummy')
        bt = RefType('exn', True)
        return [Instr('block', (bt,)), Instr('try_table', (None, (('catch_all_ref', 1),))),
                Instr('throw', (self._dummy_tag,)), Instr('end', ()), Instr('unreachable', ()),
                Instr('end', ()), Instr('ref.as_non_null', ())]


def zero(t) -> list[Instr]:
    if t == 'i32':
        return [Instr('i32.const', (0,))]
    if t == 'i64':
        return [Instr('i64.const', (0,))]
    if t == 'f32':
        return [Instr('f32.const', (0.0,))]
    if t == 'f64':
        return [Instr('f64.const', (0.0,))]
    if isinstance(t, RefType) and t.nullable:
        return [Instr('ref.null', (t.heap,))]
    raise LowerError(f'no default value for {t!r}')


def _defaultable(s) -> bool:
    return not isinstance(s, RefType) or s.nullable


def _type_name(t) -> str:
    if isinstance(t, RefType):
        return f'ref.{t.heap}'
    return str(t)


def map_heap(t):
    """The abstract continuation heap types become struct/none (every value type of the module goes here)."""
    if isinstance(t, RefType) and t.heap in ('cont', 'nocont'):
        return RefType('struct' if t.heap == 'cont' else 'none', t.nullable)
    return t


def index(h) -> int:
    return operator.index(h)


def retype_abstract(m: Module) -> None:
    """Every value type of the module through map_heap: types, locals, globals, tables, imports, elements and
    instruction immediates."""
    from fxlang.wasm import TableType, opcodes

    def vt(t):
        return map_heap(t) if isinstance(t, RefType) else t

    def comp(c):
        if isinstance(c, FuncType):
            return FuncType(tuple(vt(p) for p in c.params), tuple(vt(r) for r in c.results))
        if isinstance(c, StructType):
            return StructType(tuple(Field(vt(f.storage), f.mutable) for f in c.fields))
        if isinstance(c, ArrayType):
            return ArrayType(Field(vt(c.field.storage), c.field.mutable))
        return c

    m.types.map_defs(lambda _, s: SubType(comp(s.comp), s.supers, s.final))

    def heap(h):
        return {'cont': 'struct', 'nocont': 'none'}.get(h, h) if isinstance(h, str) else h

    def instrs(code):
        out = []
        for ins in code or ():
            kinds = [k for k in opcodes.OPS[ins.op].kinds if k != 'castflags']
            if any(k in ('bt', 'heap', 'reftype', 'valtypes') for k in kinds):
                imms = []
                for k, v in zip(kinds, ins.imms):
                    if k == 'bt' and isinstance(v, RefType):
                        v = vt(v)
                    elif k == 'heap':
                        v = heap(v)
                    elif k == 'reftype':
                        v = vt(v)
                    elif k == 'valtypes':
                        v = tuple(vt(x) for x in v)
                    imms.append(v)
                ins = Instr(ins.op, tuple(imms))
            out.append(ins)
        return out

    for f in m.funcs:
        f.locals = [vt(v) for v in f.locals]
        f.local_runs = None
        f.body = instrs(f.body)
    for g in m.globals.entries:
        g.type = GlobalType(vt(g.type.type), g.type.mutable)
        g.init = instrs(g.init)
    for t in m.tables.entries:
        t.type = TableType(vt(t.type.elem), t.type.limits)
        t.init = instrs(t.init) if t.init is not None else None
    for imp in m.imports.entries:
        if imp.kind == 'global':
            imp.desc = GlobalType(vt(imp.desc.type), imp.desc.mutable)
        elif imp.kind == 'table':
            imp.desc = TableType(vt(imp.desc.elem), imp.desc.limits)
    for e in m.elements.entries:
        e.type = vt(e.type)
        if e.exprs is not None:
            e.exprs = [instrs(x) for x in e.exprs]
