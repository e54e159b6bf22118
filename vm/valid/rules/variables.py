"""Typing rules of local.* and global.* (with local initialization)."""

from __future__ import annotations

from ..context import invalid
from . import rule


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
