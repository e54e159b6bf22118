"""Typing rules of GC aggregates: struct.* and array.*."""

from __future__ import annotations

from vm.syntax.types import PACKED_TYPES, RefType

from ..context import invalid, fmt_type, unpacked, defaultable
from . import rule, HANDLERS, I32


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
