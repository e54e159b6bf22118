"""Typing rules of reference instructions: ref.*, casts, extern conversions."""

from __future__ import annotations

from vm.syntax.types import RefType

from ..context import invalid, fmt_type
from ..subtyping import BOT_HEAP
from . import rule, I32


def check_castable(v, rt):
    v.ctx.check_ref(rt)
    if v.ctx.top_of(rt.heap) == 'cont':
        raise invalid(f'invalid cast: continuation type {fmt_type(rt)} cannot be cast')


def diff_ref(rt1, rt2):
    """rt1 minus rt2: what remains when a cast to rt2 fails."""
    return RefType(False, rt1.heap) if rt2.nullable else rt1


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
    check_castable(v, rt)
    v.pop(RefType(True, v.ctx.top_of(rt.heap)))
    v.vals.append(I32)


@rule('ref.cast')
def _ref_cast(v, args):
    rt = args[0]
    check_castable(v, rt)
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
