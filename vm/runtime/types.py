"""Run-time types: defined types canonicalised across modules (iso-recursive equivalence), so that
call_indirect, ref.test/ref.cast and import linking can compare types of different modules by identity.

A `DefType` stands for one defined type of one rec group; two modules that define structurally equal
rec groups share the same DefType objects. Value types at run time are 'i32'..'v128' strings or
`RefType(nullable, heap)` with heap an abstract name or a DefType.
"""

from __future__ import annotations

from ..syntax.types import (RefType, FieldType, FuncType, StructType, ArrayType, ContType)


class DefType:
    __slots__ = ('composite', 'final', 'supers', 'ancestors', 'kind', '__weakref__')

    def __init__(self):
        self.composite = None
        self.final = True
        self.supers = ()
        self.ancestors = frozenset()
        self.kind = 'func'

    def sub_of(self, other: 'DefType') -> bool:
        return self is other or other in self.ancestors

    def __repr__(self) -> str:
        return f'<DefType {self.kind} {self.composite}>'


_interned: dict = {}


def _key_ht(ht, start, size, canon):
    if isinstance(ht, int):
        if start <= ht < start + size:
            return ('rec', ht - start)
        return ('def', id(canon[ht]))
    return ht


def _key_vt(t, start, size, canon):
    if isinstance(t, RefType):
        return ('ref', t.nullable, _key_ht(t.heap, start, size, canon))
    if isinstance(t, FieldType):
        return ('field', _key_vt(t.storage, start, size, canon), t.mutable)
    return t


def _key_ct(ct, start, size, canon):
    k = lambda t: _key_vt(t, start, size, canon)
    if isinstance(ct, FuncType):
        return ('func', tuple(map(k, ct.params)), tuple(map(k, ct.results)))
    if isinstance(ct, StructType):
        return ('struct', tuple(map(k, ct.fields)))
    if isinstance(ct, ArrayType):
        return ('array', k(ct.field))
    if isinstance(ct, ContType):
        return ('cont', _key_ht(ct.type_index, start, size, canon))
    return ('?', repr(ct))


def canon_types(module) -> list:
    """The canonical DefType of every type index of `module`."""
    canon: list = [None] * len(module.types)
    groups = module.rec_groups or [(i, 1) for i in range(len(module.types))]
    for start, size in groups:
        sts = module.types[start:start + size]
        key = tuple((st.final, tuple(_key_ht(x, start, size, canon) for x in st.supertypes),
                     _key_ct(st.composite, start, size, canon)) for st in sts)
        dts = _interned.get(key)
        if dts is None:
            dts = [DefType() for _ in sts]
            for i, dt in enumerate(dts):
                canon[start + i] = dt
            for i, (st, dt) in enumerate(zip(sts, dts)):
                dt.final = st.final
                dt.supers = tuple(canon[x] for x in st.supertypes if 0 <= x < len(canon) and canon[x])
                anc = set()
                for s in dt.supers:
                    anc.add(s)
                    anc |= s.ancestors
                dt.ancestors = frozenset(anc)
                dt.composite = _resolve_ct(st.composite, canon)
                dt.kind = type(st.composite).__name__[:-4].lower()  # func struct array cont
            _interned[key] = dts
        else:
            for i, dt in enumerate(dts):
                canon[start + i] = dt
    return canon


def resolve_vt(t, canon):
    """A module-relative value type -> its run-time form (heap indices replaced by DefTypes)."""
    if isinstance(t, RefType) and isinstance(t.heap, int):
        return RefType(t.nullable, canon[t.heap])
    return t


def _resolve_ct(ct, canon):
    r = lambda t: resolve_vt(t, canon)
    if isinstance(ct, FuncType):
        return FuncType(tuple(map(r, ct.params)), tuple(map(r, ct.results)))
    if isinstance(ct, StructType):
        return StructType(tuple(FieldType(r(f.storage), f.mutable) for f in ct.fields))
    if isinstance(ct, ArrayType):
        return ArrayType(FieldType(r(ct.field.storage), ct.field.mutable))
    if isinstance(ct, ContType):
        return ContType(canon[ct.type_index] if 0 <= ct.type_index < len(canon) else None)
    return ct


# --- subtyping of run-time heap and value types -------------------------------------------------

_TOP = {'func': 'func', 'nofunc': 'func', 'extern': 'extern', 'noextern': 'extern',
        'any': 'any', 'eq': 'any', 'i31': 'any', 'struct': 'any', 'array': 'any', 'none': 'any',
        'exn': 'exn', 'noexn': 'exn', 'cont': 'cont', 'nocont': 'cont'}
_BOTTOM = {'func': 'nofunc', 'extern': 'noextern', 'any': 'none', 'exn': 'noexn', 'cont': 'nocont'}
_KIND_TOP = {'func': 'func', 'struct': 'any', 'array': 'any', 'cont': 'cont'}


def heap_top(ht) -> str:
    if isinstance(ht, DefType):
        return _KIND_TOP[ht.kind]
    return _TOP.get(ht, ht)


def heap_sub(a, b) -> bool:
    """Is heap type a a subtype of heap type b (both in run-time form)?"""
    if a is b or a == b:
        return True
    if isinstance(a, DefType):
        if isinstance(b, DefType):
            return a.sub_of(b)
        if b in ('struct', 'array'):
            return a.kind == b
        if b == 'eq':
            return a.kind in ('struct', 'array')
        return b == heap_top(a)
    if isinstance(b, DefType):
        return a == _BOTTOM.get(heap_top(b))
    # both abstract
    if a in ('none', 'nofunc', 'noextern', 'noexn', 'nocont'):
        return heap_top(a) == heap_top(b)
    if b == 'any':
        return a in ('eq', 'i31', 'struct', 'array')
    if b == 'eq':
        return a in ('i31', 'struct', 'array')
    return False


def val_sub(a, b) -> bool:
    if isinstance(a, RefType) and isinstance(b, RefType):
        return (b.nullable or not a.nullable) and heap_sub(a.heap, b.heap)
    return a == b


def val_eq(a, b) -> bool:
    return val_sub(a, b) and val_sub(b, a)
