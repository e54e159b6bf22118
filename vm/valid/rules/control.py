"""Typing rules of control instructions: blocks, branches, calls, exceptions, parametric."""

from __future__ import annotations

from vm.syntax.types import RefType

from ..context import invalid, fmt_type, fmt_types
from . import rule, HANDLERS, I32, EXNREF, EXNREF_NN, FUNCREF
from .references import check_castable, diff_ref


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


@rule('br_on_cast', 'br_on_cast_fail')
def _br_on_cast(v, args, fail=False):
    l, rt1, rt2 = args
    check_castable(v, rt1)
    check_castable(v, rt2)
    if not v.match.ref(rt2, rt1):
        raise invalid(f'type mismatch on cast: type {fmt_type(rt2)} does not match {fmt_type(rt1)}')
    ts = v.label(l)
    out_branch = diff_ref(rt1, rt2) if fail else rt2
    if not ts or not v.match.val(out_branch, ts[-1]):
        raise invalid(f'type mismatch: instruction requires type {fmt_type(out_branch)} '
                      f'but label has {fmt_types(ts)}')
    ts0 = ts[:-1]
    v.pop(rt1)
    v.pop_vals(ts0)
    v.vals.extend(ts0)
    v.vals.append(rt2 if fail else diff_ref(rt1, rt2))


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
