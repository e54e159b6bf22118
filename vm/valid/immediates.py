"""The shape of an instruction's immediates, checked before its typing rule runs.

[[Instr]] --> None, or ValidationError "malformed instruction ...".

vm.binary.decode only produces well-formed `Instr.args` (the contract in vm/syntax/module.py), but a
module can also be built by hand. Checking the shape here, from the decoder's own table of immediate
kinds (vm/binary/opcodes.py), lets the typing rules trust their input: a Python error inside a rule
is then a bug of the validator and surfaces as one, instead of passing for "malformed instruction".
"""

from __future__ import annotations

from ..binary import opcodes as K
from ..syntax.module import MemArg, Catch, Handler
from ..syntax.types import RefType, ABSTRACT_HEAP_TYPES, NUM_TYPES, V128
from .context import invalid

KIND: dict[str, int] = {'else': K.NONE, 'end': K.NONE}
for _table in (K.SINGLE, K.MISC, K.GC):
    for _name, _kind in _table.values():
        KIND.setdefault(_name, _kind)
KIND['select'] = K.SELECT_T        # 0x1b (untyped, args ()) and 0x1c share the name

CATCH_KINDS = ('catch', 'catch_ref', 'catch_all', 'catch_all_ref')


def _idx(x) -> bool:
    return type(x) is int and x >= 0


def _heap(ht) -> bool:
    return _idx(ht) or (type(ht) is str and ht in ABSTRACT_HEAP_TYPES)


def _ref(t) -> bool:
    return isinstance(t, RefType) and type(t.nullable) is bool and _heap(t.heap)


def _val(t) -> bool:
    return (type(t) is str and (t in NUM_TYPES or t == V128)) or _ref(t)


def _block(bt) -> bool:
    return bt is None or _idx(bt) or _val(bt)


def _catch(c) -> bool:
    return (isinstance(c, Catch) and c.kind in CATCH_KINDS and _idx(c.label)
            and (c.tag is None if 'all' in c.kind else _idx(c.tag)))


def _handlers(hs) -> bool:
    return type(hs) is tuple and all(isinstance(h, Handler) and _idx(h.tag)
                                     and (h.label is None or _idx(h.label)) for h in hs)


SHAPES = {
    K.NONE: lambda a: a == (),
    K.IDX: lambda a: len(a) == 1 and _idx(a[0]),
    K.IDX2: lambda a: len(a) == 2 and _idx(a[0]) and _idx(a[1]),
    K.BLOCK: lambda a: len(a) == 1 and _block(a[0]),
    K.MEMARG: lambda a: (len(a) == 1 and isinstance(a[0], MemArg)
                         and all(_idx(v) for v in a[0])),
    K.I32: lambda a: len(a) == 1 and type(a[0]) is int,
    K.I64: lambda a: len(a) == 1 and type(a[0]) is int,
    K.F32: lambda a: len(a) == 1 and _idx(a[0]),
    K.F64: lambda a: len(a) == 1 and _idx(a[0]),
    K.BR_TABLE: lambda a: (len(a) == 2 and type(a[0]) is tuple and all(map(_idx, a[0]))
                           and _idx(a[1])),
    K.SELECT_T: lambda a: a == () or (len(a) == 1 and type(a[0]) is tuple and all(map(_val, a[0]))),
    K.HEAPTYPE: lambda a: len(a) == 1 and _heap(a[0]),
    K.TRY_TABLE: lambda a: (len(a) == 2 and _block(a[0]) and type(a[1]) is tuple
                            and all(map(_catch, a[1]))),
    K.RESUME: lambda a: len(a) == 2 and _idx(a[0]) and _handlers(a[1]),
    K.RESUME_THROW: lambda a: len(a) == 3 and _idx(a[0]) and _idx(a[1]) and _handlers(a[2]),
    K.REFTYPE_NN: lambda a: len(a) == 1 and _ref(a[0]),
    K.REFTYPE_NULL: lambda a: len(a) == 1 and _ref(a[0]),
    K.BR_ON_CAST: lambda a: len(a) == 3 and _idx(a[0]) and _ref(a[1]) and _ref(a[2]),
    K.ARRAY_FIXED: lambda a: len(a) == 2 and _idx(a[0]) and _idx(a[1]),
}


def check_immediates(ins) -> None:
    """Raise ValidationError unless `ins` is an Instr whose args have the shape its op requires.
    An unknown op passes (the validator reports it as an unknown instruction)."""
    op = getattr(ins, 'op', None)
    if type(op) is not str:
        raise invalid(f'malformed instruction {ins!r}')
    kind = KIND.get(op)
    args = ins.args
    if kind is not None and (type(args) is not tuple or not SHAPES[kind](args)):
        raise invalid(f'malformed instruction {op!r}: immediates {args!r}')
