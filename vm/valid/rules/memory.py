"""Typing rules of table and memory instructions (bulk memory, multi-memory, 64-bit addresses)."""

from __future__ import annotations

from ..context import invalid, fmt_type
from . import rule, HANDLERS, I32, I64, F32, F64

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
