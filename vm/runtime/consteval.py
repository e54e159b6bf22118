"""Evaluation of constant expressions (global initialisers, table initialisers, segment offsets and
elements) at instantiation time."""

from __future__ import annotations

from ..errors import Trap
from ..exec import numeric
from .gc import I31, Struct, Array, any_convert_extern, extern_convert_any
from .values import default_value

_ARITH = {'i32.add', 'i32.sub', 'i32.mul', 'i64.add', 'i64.sub', 'i64.mul'}


def eval_const(expr, inst):
    """Value of a constant expression (internal representation)."""
    stack = []
    for ins in expr:
        op = ins.op
        a = ins.args
        if op == 'end':
            break
        if op == 'i32.const':
            stack.append(a[0] & 0xFFFFFFFF)
        elif op == 'i64.const':
            stack.append(a[0] & 0xFFFFFFFFFFFFFFFF)
        elif op == 'f32.const':
            stack.append(numeric.f32_from_bits(a[0]))
        elif op == 'f64.const':
            stack.append(numeric.f64_from_bits(a[0]))
        elif op == 'ref.null':
            stack.append(None)
        elif op == 'ref.func':
            stack.append(inst.funcs[a[0]])
        elif op == 'global.get':
            stack.append(inst.globals[a[0]].value)
        elif op in _ARITH:
            b = stack.pop()
            x = stack.pop()
            stack.append(numeric.OPS[op][0](x, b))
        elif op == 'ref.i31':
            stack.append(I31(stack.pop()))
        elif op == 'any.convert_extern':
            stack.append(any_convert_extern(stack.pop()))
        elif op == 'extern.convert_any':
            stack.append(extern_convert_any(stack.pop()))
        elif op in ('struct.new', 'struct.new_default'):
            dt = inst.types[a[0]]
            fields = dt.composite.fields
            if op == 'struct.new':
                vals = stack[len(stack) - len(fields):] if fields else []
                del stack[len(stack) - len(fields):]
            else:
                vals = [default_value(f.storage) for f in fields]
            stack.append(Struct(dt, list(vals)))
        elif op in ('array.new', 'array.new_default', 'array.new_fixed'):
            dt = inst.types[a[0]]
            if op == 'array.new_fixed':
                n = a[1]
                vals = stack[len(stack) - n:] if n else []
                del stack[len(stack) - n:]
                stack.append(Array(dt, list(vals)))
            else:
                n = stack.pop()
                v = stack.pop() if op == 'array.new' else default_value(dt.composite.field.storage)
                if n > 10_000_000:
                    raise Trap('out of memory')
                stack.append(Array(dt, [v] * n))
        else:
            raise Trap(f'unsupported constant instruction {op}')
    return stack[-1] if stack else None
