"""Validation of instruction sequences: function bodies and constant expressions.

[[Context, locals, results, list[Instr]]] --> None, or ValidationError at the first bad instruction.

This is the spec's validation algorithm (Appendix "Validation Algorithm") over the flat
instruction list: a value stack `vals` of operand types (None is the unknown type of the
appendix, the bottom of an unreachable stack), a control stack `ctrls` of frames with
push_ctrl/pop_ctrl, and push_val(s)/pop_val(s). Local initialization for non-defaultable locals
uses the appendix's `inits` stack, reset by pop_ctrl. Each instruction is checked once, so the
cost is linear in code size.

Typing rules follow the spec (Wasm 3.0: typed function references, GC, exceptions, tail calls)
and the stack-switching proposal (reference interpreter valid/valid.ml), plus our `barrier`,
which is typed exactly like `block`. Error messages use the reference interpreter's wording
("type mismatch: instruction requires [i32] but stack has [f64]") because spec tests compare by
prefix.
"""

from __future__ import annotations

from vm.errors import ValidationError
from vm.syntax.types import (
    ArrayType, ContType, FuncType, RefType, PACKED_TYPES, StructType, V128,
)

from .context import invalid, fmt_type, fmt_types, unpacked, defaultable
from .subtyping import BOT_HEAP

I32, I64, F32, F64 = 'i32', 'i64', 'f32', 'f64'
EXNREF_NN = RefType(False, 'exn')
EXNREF = RefType(True, 'exn')
FUNCREF = RefType(True, 'func')
EQREF = RefType(True, 'eq')
I31REF = RefType(True, 'i31')
I31REF_NN = RefType(False, 'i31')
ARRAYREF = RefType(True, 'array')


# -- Instructions with a fixed type [t1*] -> [t2*] --------------------------------------------------

def _numeric_signatures() -> dict:
    sig = {}
    for t in (I32, I64):
        sig[f'{t}.eqz'] = ((t,), (I32,))
        for op in ('eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'):
            sig[f'{t}.{op}'] = ((t, t), (I32,))
        for op in ('clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s'):
            sig[f'{t}.{op}'] = ((t,), (t,))
        for op in ('add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor',
                   'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'):
            sig[f'{t}.{op}'] = ((t, t), (t,))
    sig['i64.extend32_s'] = ((I64,), (I64,))
    for t in (F32, F64):
        for op in ('eq', 'ne', 'lt', 'gt', 'le', 'ge'):
            sig[f'{t}.{op}'] = ((t, t), (I32,))
        for op in ('abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt'):
            sig[f'{t}.{op}'] = ((t,), (t,))
        for op in ('add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'):
            sig[f'{t}.{op}'] = ((t, t), (t,))
    conversions = {
        'i32.wrap_i64': (I64, I32), 'i64.extend_i32_s': (I32, I64), 'i64.extend_i32_u': (I32, I64),
        'f32.demote_f64': (F64, F32), 'f64.promote_f32': (F32, F64),
        'i32.reinterpret_f32': (F32, I32), 'i64.reinterpret_f64': (F64, I64),
        'f32.reinterpret_i32': (I32, F32), 'f64.reinterpret_i64': (I64, F64),
    }
    for it in (I32, I64):
        for ft in (F32, F64):
            for s in ('s', 'u'):
                conversions[f'{it}.trunc_{ft}_{s}'] = (ft, it)
                conversions[f'{it}.trunc_sat_{ft}_{s}'] = (ft, it)
                conversions[f'{ft}.convert_{it}_{s}'] = (it, ft)
    for op, (a, b) in conversions.items():
        sig[op] = ((a,), (b,))
    for t in (I32, I64, F32, F64):
        sig[f'{t}.const'] = ((), (t,))
    sig['nop'] = ((), ())
    sig['ref.eq'] = ((EQREF, EQREF), (I32,))
    sig['ref.i31'] = ((I32,), (I31REF_NN,))
    sig['i31.get_s'] = ((I31REF,), (I32,))
    sig['i31.get_u'] = ((I31REF,), (I32,))
    sig['array.len'] = ((ARRAYREF,), (I32,))
    return sig


SIMPLE = _numeric_signatures()

# Loads and stores: op -> (value type, natural alignment exponent).
LOADS = {
    'i32.load': (I32, 2), 'i64.load': (I64, 3), 'f32.load': (F32, 2), 'f64.load': (F64, 3),
    'i32.load8_s': (I32, 0), 'i32.load8_u': (I32, 0), 'i32.load16_s': (I32, 1),
    'i32.load16_u': (I32, 1), 'i64.load8_s': (I64, 0), 'i64.load8_u': (I64, 0),
    'i64.load16_s': (I64, 1), 'i64.load16_u': (I64, 1), 'i64.load32_s': (I64, 2),
    'i64.load32_u': (I64, 2),
}
STORES = {
    'i32.store': (I32, 2), 'i64.store': (I64, 3), 'f32.store': (F32, 2), 'f64.store': (F64, 3),
    'i32.store8': (I32, 0), 'i32.store16': (I32, 1), 'i64.store8': (I64, 0),
    'i64.store16': (I64, 1), 'i64.store32': (I64, 2),
}

# Instructions allowed in constant expressions (extended-const and GC included).
CONST_OPS = frozenset((
    'i32.const', 'i64.const', 'f32.const', 'f64.const', 'ref.null', 'ref.func', 'global.get',
    'i32.add', 'i32.sub', 'i32.mul', 'i64.add', 'i64.sub', 'i64.mul',
    'ref.i31', 'struct.new', 'struct.new_default', 'array.new', 'array.new_default',
    'array.new_fixed', 'any.convert_extern', 'extern.convert_any', 'end',
))

BLOCKS = frozenset(('block', 'loop', 'if', 'barrier', 'try_table'))


class Frame:
    __slots__ = ('op', 'start', 'end', 'height', 'unreachable', 'init_height')

    def __init__(self, op, start, end, height, init_height):
        self.op = op
        self.start = start
        self.end = end
        self.height = height
        self.unreachable = False
        self.init_height = init_height

    def labels(self):
        return self.start if self.op == 'loop' else self.end


class CodeValidator:
    """One function body (or constant expression) under a module context."""

    def __init__(self, ctx, locals_, results, nparams=0):
        self.ctx = ctx
        self.match = ctx.match
        self.locals = locals_
        self.results = tuple(results)
        self.vals: list = []
        self.ctrls: list = []
        # Defaultable locals and parameters are initialized from the start.
        self.inited = [i < nparams or defaultable(t) for i, t in enumerate(locals_)]
        self.inits: list = []
        self.const = False

    # -- operand stack ----------------------------------------------------------------------------

    def _mismatch(self, ts, n):
        fr = self.ctrls[-1]
        avail = len(self.vals) - fr.height
        got = self.vals[len(self.vals) - min(n, avail):] if avail > 0 else []
        return invalid(f'type mismatch: instruction requires {fmt_types(ts)} '
                       f'but stack has {fmt_types(got)}')

    def pop(self, t):
        """pop_val(expect): pop one operand that must match t; returns the actual type."""
        vals = self.vals
        fr = self.ctrls[-1]
        if len(vals) == fr.height:
            if fr.unreachable:
                return None
            raise self._mismatch((t,), 1)
        a = vals[-1]
        if a is not t and a != t and not self.match.val(a, t):
            raise self._mismatch((t,), 1)
        vals.pop()
        return a

    def pop_any(self):
        """pop_val() without expectation."""
        vals = self.vals
        fr = self.ctrls[-1]
        if len(vals) == fr.height:
            if fr.unreachable:
                return None
            raise invalid('type mismatch: instruction requires [_] but stack has []')
        return vals.pop()

    def pop_vals(self, ts):
        n = len(ts)
        if n == 0:
            return []
        vals = self.vals
        fr = self.ctrls[-1]
        avail = len(vals) - fr.height
        val = self.match.val
        if avail >= n:
            got = vals[-n:]
            for a, t in zip(got, ts):
                if a is not t and a != t and not val(a, t):
                    raise self._mismatch(ts, n)
            del vals[-n:]
            return got
        if not fr.unreachable:
            raise self._mismatch(ts, n)
        real = vals[fr.height:]
        for a, t in zip(real, ts[n - avail:]):
            if not val(a, t):
                raise self._mismatch(ts, n)
        del vals[fr.height:]
        return [None] * (n - avail) + real

    def pop_ref(self):
        """Pop an operand that must be a reference (or unknown); returns its RefType."""
        vals = self.vals
        fr = self.ctrls[-1]
        if len(vals) == fr.height:
            if fr.unreachable:
                return RefType(False, BOT_HEAP)
            raise invalid('type mismatch: instruction requires reference type but stack has []')
        a = vals[-1]
        if a is None:
            vals.pop()
            return RefType(False, BOT_HEAP)
        if not isinstance(a, RefType):
            raise invalid('type mismatch: instruction requires reference type '
                          f'but stack has {fmt_type(a)}')
        vals.pop()
        return a

    def set_unreachable(self):
        fr = self.ctrls[-1]
        del self.vals[fr.height:]
        fr.unreachable = True

    # -- control stack ----------------------------------------------------------------------------

    def push_ctrl(self, op, start, end):
        fr = Frame(op, start, end, len(self.vals), len(self.inits))
        self.ctrls.append(fr)
        self.vals.extend(start)

    def check_frame_end(self, fr):
        actual = self.vals[fr.height:]
        ts = fr.end
        val = self.match.val
        ok = len(actual) == len(ts) or (fr.unreachable and len(actual) < len(ts))
        if ok:
            off = len(ts) - len(actual)
            ok = all(val(a, t) for a, t in zip(actual, ts[off:]))
        if not ok:
            raise invalid(f'type mismatch: block requires {fmt_types(ts)} '
                          f'but stack has {fmt_types(actual)}')

    def reset_inits(self, height):
        inits, inited = self.inits, self.inited
        while len(inits) > height:
            inited[inits.pop()] = False

    def pop_ctrl(self):
        fr = self.ctrls[-1]
        self.check_frame_end(fr)
        if fr.op == 'if' and not self.match.results(fr.start, fr.end):
            raise invalid(f'type mismatch: else branch requires {fmt_types(fr.end)} '
                          f'but if has no else and takes {fmt_types(fr.start)}')
        del self.vals[fr.height:]
        self.ctrls.pop()
        self.reset_inits(fr.init_height)
        return fr

    def label(self, l):
        ctrls = self.ctrls
        if type(l) is not int or not 0 <= l < len(ctrls):
            raise invalid(f'unknown label {l}')
        return ctrls[-1 - l].labels()

    # -- the loop -----------------------------------------------------------------------------------

    def run(self, body, start=(), end=None, const=False):
        """Validate `body` (a flat list ending with its own 'end') as a block [start] -> [end]."""
        self.const = const
        self.push_ctrl('func', tuple(start), self.results if end is None else tuple(end))
        simple = SIMPLE
        handlers = HANDLERS
        ins = None
        try:
            for i, ins in enumerate(body):
                if not self.ctrls:
                    raise invalid('operators remaining after end of function')
                op = ins.op
                if const and op not in CONST_OPS:
                    raise invalid(f'constant expression required: {op} is not constant')
                sig = simple.get(op)
                if sig is not None:
                    ts1, ts2 = sig
                    if ts1:
                        if len(ts1) == 1:
                            self.pop(ts1[0])
                        else:
                            self.pop_vals(ts1)
                    if ts2:
                        self.vals.extend(ts2)
                    continue
                h = handlers.get(op)
                if h is None:
                    raise invalid(f'unknown instruction {op!r}')
                h(self, ins.args)
            if self.ctrls:
                raise invalid('unexpected end of function: missing end')
        except ValidationError as e:
            if e.offset is None and ins is not None:
                e.offset = getattr(ins, 'offset', None)
            raise
        except (TypeError, ValueError, IndexError, KeyError, AttributeError) as e:
            # Malformed immediates (a hand-built module, not something decode produces).
            err = invalid(f'malformed instruction {getattr(ins, "op", ins)!r}: {e}')
            err.offset = getattr(ins, 'offset', None)
            raise err from None


# -- Instruction handlers ------------------------------------------------------------------------
# Each handler is f(v: CodeValidator, args) and implements one typing rule.

HANDLERS: dict = {}


def rule(*ops):
    def register(f):
        for op in ops:
            HANDLERS[op] = f
        return f
    return register


@rule('unreachable')
def _unreachable(v, args):
    v.set_unreachable()


def _block_like(op):
    def check(v, args):
        start, end = v.ctx.block_type(args[0])
        v.pop_vals(start)
        v.push_ctrl(op, start, end)
    return check


for _op in ('block', 'loop', 'barrier'):
    HANDLERS[_op] = _block_like(_op)


@rule('if')
def _if(v, args):
    start, end = v.ctx.block_type(args[0])
    v.pop(I32)
    v.pop_vals(start)
    v.push_ctrl('if', start, end)


@rule('else')
def _else(v, args):
    fr = v.ctrls[-1]
    if fr.op != 'if':
        raise invalid('else without matching if')
    v.check_frame_end(fr)
    del v.vals[fr.height:]
    v.reset_inits(fr.init_height)
    fr.op = 'else'
    fr.unreachable = False
    v.vals.extend(fr.start)


@rule('end')
def _end(v, args):
    fr = v.pop_ctrl()
    if v.ctrls:
        v.vals.extend(fr.end)


@rule('try_table')
def _try_table(v, args):
    bt, catches = args
    start, end = v.ctx.block_type(bt)
    ctx = v.ctx
    for c in catches:
        kind = c.kind
        if kind == 'catch':
            ts = exception_tag(v, c.tag)
        elif kind == 'catch_ref':
            ts = tuple(exception_tag(v, c.tag)) + (EXNREF_NN,)
        elif kind == 'catch_all':
            ts = ()
        elif kind == 'catch_all_ref':
            ts = (EXNREF_NN,)
        else:
            raise invalid(f'malformed catch clause {kind!r}')
        lts = v.label(c.label)
        if not v.match.results(ts, lts):
            raise invalid(f'type mismatch: catch handler requires {fmt_types(lts)} '
                          f'but label has {fmt_types(ts)}')
    v.pop_vals(start)
    v.push_ctrl('try_table', start, end)


@rule('br')
def _br(v, args):
    v.pop_vals(v.label(args[0]))
    v.set_unreachable()


@rule('br_if')
def _br_if(v, args):
    ts = v.label(args[0])
    v.pop(I32)
    v.pop_vals(ts)
    v.vals.extend(ts)


@rule('br_table')
def _br_table(v, args):
    labels, default = args
    v.pop(I32)
    m = v.label(default)
    arity = len(m)
    for l in labels:
        ts = v.label(l)
        if len(ts) != arity:
            raise invalid(f'type mismatch: br_table target {l} has arity {len(ts)}, '
                          f'default target has arity {arity}')
        v.vals.extend(v.pop_vals(ts))
    v.pop_vals(m)
    v.set_unreachable()


@rule('br_on_null')
def _br_on_null(v, args):
    ts = v.label(args[0])
    rt = v.pop_ref()
    v.pop_vals(ts)
    v.vals.extend(ts)
    v.vals.append(RefType(False, rt.heap))


@rule('br_on_non_null')
def _br_on_non_null(v, args):
    ts = v.label(args[0])
    rt = v.pop_ref()
    t1 = RefType(False, rt.heap)
    if not ts or not v.match.val(t1, ts[-1]):
        raise invalid(f'type mismatch: instruction requires type {fmt_type(t1)} '
                      f'but label has {fmt_types(ts)}')
    ts0 = ts[:-1]
    v.pop_vals(ts0)
    v.vals.extend(ts0)


def _check_castable(v, rt):
    v.ctx.check_ref(rt)
    if v.ctx.top_of(rt.heap) == 'cont':
        raise invalid(f'invalid cast: continuation type {fmt_type(rt)} cannot be cast')


def _diff(rt1, rt2):
    """rt1 minus rt2: what remains when a cast to rt2 fails."""
    return RefType(False, rt1.heap) if rt2.nullable else rt1


@rule('br_on_cast', 'br_on_cast_fail')
def _br_on_cast(v, args, fail=False):
    l, rt1, rt2 = args
    _check_castable(v, rt1)
    _check_castable(v, rt2)
    if not v.match.ref(rt2, rt1):
        raise invalid(f'type mismatch on cast: type {fmt_type(rt2)} does not match {fmt_type(rt1)}')
    ts = v.label(l)
    out_branch = _diff(rt1, rt2) if fail else rt2
    if not ts or not v.match.val(out_branch, ts[-1]):
        raise invalid(f'type mismatch: instruction requires type {fmt_type(out_branch)} '
                      f'but label has {fmt_types(ts)}')
    ts0 = ts[:-1]
    v.pop(rt1)
    v.pop_vals(ts0)
    v.vals.extend(ts0)
    v.vals.append(rt2 if fail else _diff(rt1, rt2))


HANDLERS['br_on_cast_fail'] = lambda v, args: _br_on_cast(v, args, fail=True)


@rule('return')
def _return(v, args):
    v.pop_vals(v.results)
    v.set_unreachable()


def _check_tail_results(v, ft):
    if not v.match.results(ft.results, v.results):
        raise invalid(f'type mismatch: current function requires result type {fmt_types(v.results)} '
                      f'but callee returns {fmt_types(ft.results)}')


@rule('call')
def _call(v, args):
    ft = v.ctx.func_type_of(args[0])
    v.pop_vals(ft.params)
    v.vals.extend(ft.results)


@rule('return_call')
def _return_call(v, args):
    ft = v.ctx.func_type_of(args[0])
    _check_tail_results(v, ft)
    v.pop_vals(ft.params)
    v.set_unreachable()


@rule('call_ref')
def _call_ref(v, args):
    x = args[0]
    ft = v.ctx.func_type(x)
    v.pop(RefType(True, x))
    v.pop_vals(ft.params)
    v.vals.extend(ft.results)


@rule('return_call_ref')
def _return_call_ref(v, args):
    x = args[0]
    ft = v.ctx.func_type(x)
    _check_tail_results(v, ft)
    v.pop(RefType(True, x))
    v.pop_vals(ft.params)
    v.set_unreachable()


def _indirect(v, args):
    x, y = args
    tt = v.ctx.table(y)
    ft = v.ctx.func_type(x)
    if not v.match.ref(tt.elem, FUNCREF):
        raise invalid('type mismatch: instruction requires table of function type '
                      f'but table has element type {fmt_type(tt.elem)}')
    v.pop(tt.limits.index)
    return ft


@rule('call_indirect')
def _call_indirect(v, args):
    ft = _indirect(v, args)
    v.pop_vals(ft.params)
    v.vals.extend(ft.results)


@rule('return_call_indirect')
def _return_call_indirect(v, args):
    ft = _indirect(v, args)
    _check_tail_results(v, ft)
    v.pop_vals(ft.params)
    v.set_unreachable()


def exception_tag(v, x):
    """An exception tag's parameters; tags used as exceptions must have no results."""
    ft = v.ctx.tag(x)
    if ft.results:
        raise invalid(f'non-empty tag result type: tag {x} used as an exception has results '
                      f'{fmt_types(ft.results)}')
    return ft.params


@rule('throw')
def _throw(v, args):
    v.pop_vals(exception_tag(v, args[0]))
    v.set_unreachable()


@rule('throw_ref')
def _throw_ref(v, args):
    v.pop(EXNREF)
    v.set_unreachable()


@rule('drop')
def _drop(v, args):
    v.pop_any()


@rule('select')
def _select(v, args):
    if args:
        ts = args[0]
        if len(ts) != 1:
            raise invalid('invalid result arity: typed select must have exactly one result type')
        t = ts[0]
        v.ctx.check_val(t)
        v.pop(I32)
        v.pop(t)
        v.pop(t)
        v.vals.append(t)
        return
    v.pop(I32)
    t1 = v.pop_any()
    t2 = v.pop_any()
    for t in (t1, t2):
        if isinstance(t, RefType):
            raise invalid('type mismatch: instruction requires numeric or vector type '
                          f'but stack has {fmt_type(t)}')
    if t1 is not None and t2 is not None and t1 != t2:
        raise invalid(f'type mismatch: instruction requires {fmt_types((t1, t1))} '
                      f'but stack has {fmt_types((t2, t1))}')
    v.vals.append(t2 if t1 is None else t1)


# -- variables --

@rule('local.get')
def _local_get(v, args):
    x = args[0]
    v.ctx.local_check(x, len(v.locals))
    if not v.inited[x]:
        raise invalid(f'uninitialized local {x}')
    v.vals.append(v.locals[x])


def _init_local(v, x):
    if not v.inited[x]:
        v.inited[x] = True
        v.inits.append(x)


@rule('local.set')
def _local_set(v, args):
    x = args[0]
    v.ctx.local_check(x, len(v.locals))
    v.pop(v.locals[x])
    _init_local(v, x)


@rule('local.tee')
def _local_tee(v, args):
    x = args[0]
    v.ctx.local_check(x, len(v.locals))
    t = v.locals[x]
    v.pop(t)
    _init_local(v, x)
    v.vals.append(t)


@rule('global.get')
def _global_get(v, args):
    gt = v.ctx.global_(args[0])
    if v.const and gt.mutable:
        raise invalid('constant expression required: global.get of a mutable global')
    v.vals.append(gt.type)


@rule('global.set')
def _global_set(v, args):
    gt = v.ctx.global_(args[0])
    if not gt.mutable:
        raise invalid(f'immutable global {args[0]}')
    v.pop(gt.type)


# -- tables --

@rule('table.get')
def _table_get(v, args):
    tt = v.ctx.table(args[0])
    v.pop(tt.limits.index)
    v.vals.append(tt.elem)


@rule('table.set')
def _table_set(v, args):
    tt = v.ctx.table(args[0])
    v.pop(tt.elem)
    v.pop(tt.limits.index)


@rule('table.size')
def _table_size(v, args):
    tt = v.ctx.table(args[0])
    v.vals.append(tt.limits.index)


@rule('table.grow')
def _table_grow(v, args):
    tt = v.ctx.table(args[0])
    at = tt.limits.index
    v.pop(at)
    v.pop(tt.elem)
    v.vals.append(at)


@rule('table.fill')
def _table_fill(v, args):
    tt = v.ctx.table(args[0])
    at = tt.limits.index
    v.pop(at)
    v.pop(tt.elem)
    v.pop(at)


def _min_addr(a, b):
    return I32 if I32 in (a, b) else I64


@rule('table.copy')
def _table_copy(v, args):
    x, y = args
    t1 = v.ctx.table(x)
    t2 = v.ctx.table(y)
    if not v.match.ref(t2.elem, t1.elem):
        raise invalid(f'type mismatch: source element type {fmt_type(t2.elem)} '
                      f'does not match destination element type {fmt_type(t1.elem)}')
    a1, a2 = t1.limits.index, t2.limits.index
    v.pop_vals((a1, a2, _min_addr(a1, a2)))


@rule('table.init')
def _table_init(v, args):
    y, x = args
    tt = v.ctx.table(x)
    et = v.ctx.elem(y)
    if not v.match.ref(et, tt.elem):
        raise invalid(f"type mismatch: element segment's type {fmt_type(et)} "
                      f"does not match table's element type {fmt_type(tt.elem)}")
    v.pop_vals((tt.limits.index, I32, I32))


@rule('elem.drop')
def _elem_drop(v, args):
    v.ctx.elem(args[0])


# -- memories --

def _memarg(v, memarg, natural):
    mt = v.ctx.memory(memarg.memory)
    if not 0 <= memarg.align <= natural:
        raise invalid(f'alignment must not be larger than natural: 2**{memarg.align} > {1 << natural}')
    at = mt.limits.index
    if at == I32 and not 0 <= memarg.offset < 1 << 32:
        raise invalid(f'offset out of range: {memarg.offset} does not fit in 32 bits')
    return at


def _load(v, args, op):
    t, natural = LOADS[op]
    v.pop(_memarg(v, args[0], natural))
    v.vals.append(t)


def _store(v, args, op):
    t, natural = STORES[op]
    at = _memarg(v, args[0], natural)
    v.pop(t)
    v.pop(at)


for _op in LOADS:
    HANDLERS[_op] = (lambda op: lambda v, args: _load(v, args, op))(_op)
for _op in STORES:
    HANDLERS[_op] = (lambda op: lambda v, args: _store(v, args, op))(_op)


@rule('memory.size')
def _memory_size(v, args):
    v.vals.append(v.ctx.memory(args[0]).limits.index)


@rule('memory.grow')
def _memory_grow(v, args):
    at = v.ctx.memory(args[0]).limits.index
    v.pop(at)
    v.vals.append(at)


@rule('memory.fill')
def _memory_fill(v, args):
    at = v.ctx.memory(args[0]).limits.index
    v.pop_vals((at, I32, at))


@rule('memory.copy')
def _memory_copy(v, args):
    x, y = args
    a1 = v.ctx.memory(x).limits.index
    a2 = v.ctx.memory(y).limits.index
    v.pop_vals((a1, a2, _min_addr(a1, a2)))


@rule('memory.init')
def _memory_init(v, args):
    d, x = args
    at = v.ctx.memory(x).limits.index
    v.ctx.data(d)
    v.pop_vals((at, I32, I32))


@rule('data.drop')
def _data_drop(v, args):
    v.ctx.data(args[0])


# -- references --

@rule('ref.null')
def _ref_null(v, args):
    ht = args[0]
    v.ctx.check_heap(ht)
    v.vals.append(RefType(True, ht))


@rule('ref.func')
def _ref_func(v, args):
    x = args[0]
    tx = v.ctx.func(x)
    if x not in v.ctx.refs:
        raise invalid(f'undeclared function reference {x}')
    v.vals.append(RefType(False, tx))


@rule('ref.is_null')
def _ref_is_null(v, args):
    v.pop_ref()
    v.vals.append(I32)


@rule('ref.as_non_null')
def _ref_as_non_null(v, args):
    rt = v.pop_ref()
    v.vals.append(RefType(False, rt.heap))


@rule('ref.test')
def _ref_test(v, args):
    rt = args[0]
    _check_castable(v, rt)
    v.pop(RefType(True, v.ctx.top_of(rt.heap)))
    v.vals.append(I32)


@rule('ref.cast')
def _ref_cast(v, args):
    rt = args[0]
    _check_castable(v, rt)
    v.pop(RefType(True, v.ctx.top_of(rt.heap)))
    v.vals.append(rt)


@rule('any.convert_extern')
def _any_convert_extern(v, args):
    rt = v.pop_ref()
    if rt.heap != BOT_HEAP and not v.match.heap(rt.heap, 'extern'):
        raise invalid(f'type mismatch: instruction requires [externref] but stack has [{fmt_type(rt)}]')
    v.vals.append(RefType(rt.nullable, 'any'))


@rule('extern.convert_any')
def _extern_convert_any(v, args):
    rt = v.pop_ref()
    if rt.heap != BOT_HEAP and not v.match.heap(rt.heap, 'any'):
        raise invalid(f'type mismatch: instruction requires [anyref] but stack has [{fmt_type(rt)}]')
    v.vals.append(RefType(rt.nullable, 'extern'))


# -- aggregates (GC) --

def _field(st, y):
    if type(y) is not int or not 0 <= y < len(st.fields):
        raise invalid(f'unknown field {y}')
    return st.fields[y]


@rule('struct.new')
def _struct_new(v, args):
    x = args[0]
    st = v.ctx.struct_type(x)
    v.pop_vals(tuple(unpacked(f.storage) for f in st.fields))
    v.vals.append(RefType(False, x))


@rule('struct.new_default')
def _struct_new_default(v, args):
    x = args[0]
    st = v.ctx.struct_type(x)
    for f in st.fields:
        if not defaultable(f.storage):
            raise invalid(f'field type is not defaultable: {fmt_type(f.storage)}')
    v.vals.append(RefType(False, x))


def _struct_get(v, args, packed):
    x, y = args
    f = _field(v.ctx.struct_type(x), y)
    if (f.storage in PACKED_TYPES) != packed:
        raise invalid('field is packed' if not packed else 'field is unpacked')
    v.pop(RefType(True, x))
    v.vals.append(unpacked(f.storage))


HANDLERS['struct.get'] = lambda v, args: _struct_get(v, args, False)
HANDLERS['struct.get_s'] = lambda v, args: _struct_get(v, args, True)
HANDLERS['struct.get_u'] = lambda v, args: _struct_get(v, args, True)


@rule('struct.set')
def _struct_set(v, args):
    x, y = args
    f = _field(v.ctx.struct_type(x), y)
    if not f.mutable:
        raise invalid(f'field is immutable: field {y} of type {x}')
    v.pop(unpacked(f.storage))
    v.pop(RefType(True, x))


@rule('array.new')
def _array_new(v, args):
    x = args[0]
    at = v.ctx.array_type(x)
    v.pop_vals((unpacked(at.field.storage), I32))
    v.vals.append(RefType(False, x))


@rule('array.new_default')
def _array_new_default(v, args):
    x = args[0]
    at = v.ctx.array_type(x)
    if not defaultable(at.field.storage):
        raise invalid(f'array type is not defaultable: {fmt_type(at.field.storage)}')
    v.pop(I32)
    v.vals.append(RefType(False, x))


@rule('array.new_fixed')
def _array_new_fixed(v, args):
    x, n = args
    at = v.ctx.array_type(x)
    t = unpacked(at.field.storage)
    if type(n) is not int or n < 0:
        raise invalid(f'malformed array.new_fixed length {n!r}')
    fr = v.ctrls[-1]
    avail = len(v.vals) - fr.height
    if n > avail and not fr.unreachable:
        raise invalid(f'type mismatch: instruction requires {n} operands of type {fmt_type(t)} '
                      f'but stack has {avail}')
    for _ in range(min(n, avail)):
        v.pop(t)
    if n > avail:
        v.set_unreachable()       # the rest are unknown; stack stays polymorphic
        del v.vals[fr.height:]
    v.vals.append(RefType(False, x))


@rule('array.new_data')
def _array_new_data(v, args):
    x, d = args
    at = v.ctx.array_type(x)
    v.ctx.data(d)
    t = unpacked(at.field.storage)
    if isinstance(t, RefType):
        raise invalid('array type is not numeric or vector')
    v.pop_vals((I32, I32))
    v.vals.append(RefType(False, x))


@rule('array.new_elem')
def _array_new_elem(v, args):
    x, e = args
    at = v.ctx.array_type(x)
    rt = v.ctx.elem(e)
    if not v.match.val(rt, unpacked(at.field.storage)):
        raise invalid(f"type mismatch: element segment's type {fmt_type(rt)} "
                      f"does not match array's field type {fmt_type(at.field)}")
    v.pop_vals((I32, I32))
    v.vals.append(RefType(False, x))


def _array_get(v, args, packed):
    x = args[0]
    at = v.ctx.array_type(x)
    if (at.field.storage in PACKED_TYPES) != packed:
        raise invalid('array is packed' if not packed else 'array is unpacked')
    v.pop_vals((RefType(True, x), I32))
    v.vals.append(unpacked(at.field.storage))


HANDLERS['array.get'] = lambda v, args: _array_get(v, args, False)
HANDLERS['array.get_s'] = lambda v, args: _array_get(v, args, True)
HANDLERS['array.get_u'] = lambda v, args: _array_get(v, args, True)


def _mutable_array(v, x):
    at = v.ctx.array_type(x)
    if not at.field.mutable:
        raise invalid(f'array is immutable: type {x}')
    return at


@rule('array.set')
def _array_set(v, args):
    x = args[0]
    at = _mutable_array(v, x)
    v.pop_vals((RefType(True, x), I32, unpacked(at.field.storage)))


@rule('array.fill')
def _array_fill(v, args):
    x = args[0]
    at = _mutable_array(v, x)
    v.pop_vals((RefType(True, x), I32, unpacked(at.field.storage), I32))


@rule('array.copy')
def _array_copy(v, args):
    x, y = args
    dst = _mutable_array(v, x)
    src = v.ctx.array_type(y)
    if not v.match.storage(src.field.storage, dst.field.storage):
        raise invalid(f'array types do not match: {fmt_type(src.field)} is not a subtype of '
                      f'{fmt_type(dst.field)}')
    v.pop_vals((RefType(True, x), I32, RefType(True, y), I32, I32))


@rule('array.init_data')
def _array_init_data(v, args):
    x, d = args
    at = _mutable_array(v, x)
    v.ctx.data(d)
    if isinstance(unpacked(at.field.storage), RefType):
        raise invalid('array type is not numeric or vector')
    v.pop_vals((RefType(True, x), I32, I32, I32))


@rule('array.init_elem')
def _array_init_elem(v, args):
    x, e = args
    at = _mutable_array(v, x)
    rt = v.ctx.elem(e)
    if not v.match.val(rt, unpacked(at.field.storage)):
        raise invalid(f"type mismatch: element segment's type {fmt_type(rt)} "
                      f"does not match array's field type {fmt_type(at.field)}")
    v.pop_vals((RefType(True, x), I32, I32, I32))


# -- stack switching --

@rule('cont.new')
def _cont_new(v, args):
    x = args[0]
    ct = v.ctx.cont_type(x)
    v.pop(RefType(True, ct.type_index))
    v.vals.append(RefType(False, x))


@rule('cont.bind')
def _cont_bind(v, args):
    x, y = args
    ft1 = v.ctx.cont_func_type(x)
    ft2 = v.ctx.cont_func_type(y)
    n1, n2 = len(ft1.params), len(ft2.params)
    if n1 < n2:
        raise invalid(f'type mismatch in continuation arguments: type {x} takes {n1} arguments, '
                      f'type {y} takes {n2}')
    bound, rest = ft1.params[:n1 - n2], ft1.params[n1 - n2:]
    if not v.match.func(FuncType(rest, ft1.results), ft2):
        raise invalid(f'type mismatch in continuation types: {fmt_types(rest)} -> '
                      f'{fmt_types(ft1.results)} does not match {fmt_types(ft2.params)} -> '
                      f'{fmt_types(ft2.results)}')
    v.pop(RefType(True, x))
    v.pop_vals(bound)
    v.vals.append(RefType(False, y))


@rule('suspend')
def _suspend(v, args):
    ft = v.ctx.tag(args[0])
    v.pop_vals(ft.params)
    v.vals.extend(ft.results)


def _check_handlers(v, handlers, results):
    """Handler clauses of resume/resume_throw/resume_throw_ref; `results` are the resume's."""
    ctx = v.ctx
    for h in handlers:
        ft = ctx.tag(h.tag)
        if h.label is None:
            if ft.params:
                raise invalid(f'type mismatch in switch tag: tag {h.tag} has parameters '
                              f'{fmt_types(ft.params)}')
            continue
        lts = v.label(h.label)
        last = lts[-1] if lts else None
        if not isinstance(last, RefType):
            raise invalid('type mismatch: instruction requires continuation reference type '
                          f'but label has {fmt_types(lts)}')
        if not isinstance(last.heap, int):
            raise invalid('type mismatch: instruction requires concrete continuation reference '
                          f'type but label has {fmt_types(lts)}')
        ft2 = ctx.cont_func_type(last.heap)
        if not v.match.func(FuncType(ft.results, results), ft2):
            raise invalid(f'type mismatch in continuation type: handler for tag {h.tag} needs '
                          f'{fmt_types(ft.results)} -> {fmt_types(results)}, label has '
                          f'{fmt_types(ft2.params)} -> {fmt_types(ft2.results)}')
        if not v.match.results(tuple(ft.params) + (last,), lts):
            raise invalid(f'type mismatch: label requires {fmt_types(lts)} but tag {h.tag} '
                          f'provides {fmt_types(tuple(ft.params) + (last,))}')


@rule('resume')
def _resume(v, args):
    x, handlers = args
    ft = v.ctx.cont_func_type(x)
    _check_handlers(v, handlers, ft.results)
    v.pop(RefType(True, x))
    v.pop_vals(ft.params)
    v.vals.extend(ft.results)


@rule('resume_throw')
def _resume_throw(v, args):
    x, tag, handlers = args
    ft = v.ctx.cont_func_type(x)
    exn = exception_tag(v, tag)
    _check_handlers(v, handlers, ft.results)
    v.pop(RefType(True, x))
    v.pop_vals(exn)
    v.vals.extend(ft.results)


@rule('resume_throw_ref')
def _resume_throw_ref(v, args):
    x, handlers = args
    ft = v.ctx.cont_func_type(x)
    _check_handlers(v, handlers, ft.results)
    v.pop(RefType(True, x))
    v.pop(EXNREF)
    v.vals.extend(ft.results)


@rule('switch')
def _switch(v, args):
    x, tag = args
    ctx = v.ctx
    ft1 = ctx.cont_func_type(x)
    last = ft1.params[-1] if ft1.params else None
    if not isinstance(last, RefType):
        raise invalid('type mismatch: instruction requires continuation reference type '
                      f'but the type annotation has {fmt_types(ft1.params)}')
    if not isinstance(last.heap, int):
        raise invalid('type mismatch: instruction requires concrete continuation reference type '
                      f'but the type annotation has {fmt_types(ft1.params)}')
    ft2 = ctx.cont_func_type(last.heap)
    et = ctx.tag(tag)
    if et.params:
        raise invalid(f'type mismatch in switch tag: tag {tag} has parameters {fmt_types(et.params)}')
    if not v.match.results(ft1.results, et.results) or not v.match.results(et.results, ft2.results):
        raise invalid(f'type mismatch in continuation types: switch tag {tag} results '
                      f'{fmt_types(et.results)}, continuation results {fmt_types(ft1.results)} '
                      f'and {fmt_types(ft2.results)}')
    v.pop(RefType(True, x))
    v.pop_vals(ft1.params[:-1])
    v.vals.extend(ft2.params)


__all__ = ['CodeValidator', 'CONST_OPS']
