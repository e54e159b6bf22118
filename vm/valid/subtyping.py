"""Type equivalence and subtyping (Wasm 3.0 GC + stack switching), iso-recursive.

[[Module.types]] --> canonical type ids, and the matching relations over value types.

Type equivalence follows the spec's iso-recursive rule: two defined types are equal when their
recursion groups are structurally equal and they sit at the same position in them. We decide it
by *canonicalization*: every rec group is turned into a hashable key in which references into the
group itself become ('rec', i) and references to earlier types become the canonical id of the type
referred to; equal keys denote the same group. Canonical ids are process-wide (one registry), so
ids from different modules compare directly -- the linker can use them for import matching.

Subtyping between defined types is the reflexive-transitive closure of the declared supertypes
(checked structurally once, when the module is validated), so `match_def` only walks a chain.

Reference: spec 3.0 "Matching" (valid/match.ml in the reference interpreter).
"""

from __future__ import annotations

from vm.syntax.types import (
    ArrayType, ContType, FieldType, FuncType, RefType, StructType,
)

# -- Abstract heap types -------------------------------------------------------------------------

# The top of each hierarchy; a concrete type's top is decided by its kind.
TOP = {
    'any': 'any', 'eq': 'any', 'i31': 'any', 'struct': 'any', 'array': 'any', 'none': 'any',
    'func': 'func', 'nofunc': 'func',
    'extern': 'extern', 'noextern': 'extern',
    'exn': 'exn', 'noexn': 'exn',
    'cont': 'cont', 'nocont': 'cont',
}
BOTTOM = {'any': 'none', 'func': 'nofunc', 'extern': 'noextern', 'exn': 'noexn', 'cont': 'nocont'}
KIND_TOP = {'func': 'func', 'struct': 'any', 'array': 'any', 'cont': 'cont'}

# Abstract heap types a concrete type of each kind is a subtype of.
_KIND_SUPERS = {
    'struct': frozenset(('any', 'eq', 'struct')),
    'array': frozenset(('any', 'eq', 'array')),
    'func': frozenset(('func',)),
    'cont': frozenset(('cont',)),
}

_ABSTRACT_SUBS = frozenset((
    ('eq', 'any'), ('i31', 'any'), ('struct', 'any'), ('array', 'any'),
    ('i31', 'eq'), ('struct', 'eq'), ('array', 'eq'),
))

# Heap type of an operand whose type is unknown (popped from a polymorphic stack).
BOT_HEAP = 'bot'


def kind_of(ct) -> str:
    if isinstance(ct, FuncType):
        return 'func'
    if isinstance(ct, StructType):
        return 'struct'
    if isinstance(ct, ArrayType):
        return 'array'
    return 'cont'


# -- Canonicalization (process-wide registry) ----------------------------------------------------

class _Registry:
    """Interns rec groups by structure. Canonical ids are never reused."""

    def __init__(self):
        self.groups: dict = {}       # group key -> canonical id of its first type
        self.supers: list = []       # canonical id -> canonical id of declared supertype or None
        self.kinds: list = []        # canonical id -> 'func' | 'struct' | 'array' | 'cont'
        self.depth: list = []        # canonical id -> length of its supertype chain

    def intern(self, key, kinds, super_of) -> int:
        base = self.groups.get(key)
        if base is not None:
            return base
        base = len(self.kinds)
        self.groups[key] = base
        for i, k in enumerate(kinds):
            s = super_of(base, i)
            self.kinds.append(k)
            self.supers.append(s)
            self.depth.append(0 if s is None else self.depth[s] + 1)
        return base


REGISTRY = _Registry()


def _key_heap(ht, start, size, canon):
    if isinstance(ht, int):
        if start <= ht < start + size:
            return ('rec', ht - start)
        return canon[ht]
    return ht


def _key_val(t, start, size, canon):
    if isinstance(t, RefType):
        return (t.nullable, _key_heap(t.heap, start, size, canon))
    return t


def _key_field(f, start, size, canon):
    return (_key_val(f.storage, start, size, canon), f.mutable)


def _key_composite(ct, start, size, canon):
    if isinstance(ct, FuncType):
        return ('func', tuple(_key_val(t, start, size, canon) for t in ct.params),
                tuple(_key_val(t, start, size, canon) for t in ct.results))
    if isinstance(ct, StructType):
        return ('struct', tuple(_key_field(f, start, size, canon) for f in ct.fields))
    if isinstance(ct, ArrayType):
        return ('array', _key_field(ct.field, start, size, canon))
    return ('cont', _key_heap(ct.type_index, start, size, canon))


def canonicalize_group(types, start, size, canon) -> None:
    """Append the canonical ids of types[start:start+size] to `canon` (which holds those before).

    Every type index inside the group must already be known to be < start+size and every
    supertype index < its own index; the validator checks that before calling.
    """
    key = tuple(
        (st.final, tuple(_key_heap(x, start, size, canon) for x in st.supertypes),
         _key_composite(st.composite, start, size, canon))
        for st in types[start:start + size])
    kinds = [kind_of(st.composite) for st in types[start:start + size]]

    def super_of(base, i):
        sups = types[start + i].supertypes
        if not sups:
            return None
        x = sups[0]
        return base + (x - start) if x >= start else canon[x]

    base = REGISTRY.intern(key, kinds, super_of)
    canon.extend(range(base, base + size))


def canonical_ids(types, rec_groups) -> list:
    """Canonical ids of all types of a (validated) module, in index order."""
    canon: list = []
    for g in rec_groups:
        canonicalize_group(types, g.start, g.size, canon)
    return canon


def match_canonical(c1: int, c2: int) -> bool:
    """Is canonical type c1 a (declared, transitive) subtype of c2?"""
    supers, depth = REGISTRY.supers, REGISTRY.depth
    d2 = depth[c2]
    while c1 is not None and depth[c1] >= d2:
        if c1 == c2:
            return True
        c1 = supers[c1]
    return False


# -- Matching within one module -------------------------------------------------------------------

class Matcher:
    """Subtyping over value types whose concrete heap types are indices into one module's types.

    `canon` maps the module's type indices (known so far) to canonical ids and `kinds` to their
    kind; both grow while the type section is validated.
    """

    def __init__(self):
        self.canon: list = []
        self.kinds: list = []

    def top_of(self, ht) -> str:
        if isinstance(ht, int):
            return KIND_TOP[self.kinds[ht]]
        return TOP.get(ht, ht)

    def heap(self, h1, h2) -> bool:
        if h1 == h2 or h1 == BOT_HEAP:
            return True
        if isinstance(h1, int):
            if isinstance(h2, int):
                return match_canonical(self.canon[h1], self.canon[h2])
            return h2 in _KIND_SUPERS[self.kinds[h1]]
        if h2 == BOT_HEAP:
            return False
        if isinstance(h2, int):
            return h1 == BOTTOM[KIND_TOP[self.kinds[h2]]]
        if (h1, h2) in _ABSTRACT_SUBS:
            return True
        return h1 in BOTTOM.values() and BOTTOM[TOP[h2]] == h1

    def ref(self, r1: RefType, r2: RefType) -> bool:
        return (r2.nullable or not r1.nullable) and self.heap(r1.heap, r2.heap)

    def val(self, t1, t2) -> bool:
        """t1 <: t2; t1 None is the unknown (bottom) type of an unreachable operand."""
        if t1 is None or t1 == t2:
            return True
        if isinstance(t1, RefType) and isinstance(t2, RefType):
            return (t2.nullable or not t1.nullable) and self.heap(t1.heap, t2.heap)
        return False

    def results(self, ts1, ts2) -> bool:
        return len(ts1) == len(ts2) and all(self.val(a, b) for a, b in zip(ts1, ts2))

    def storage(self, s1, s2) -> bool:
        if isinstance(s1, str) and s1 in ('i8', 'i16') or isinstance(s2, str) and s2 in ('i8', 'i16'):
            return s1 == s2
        return self.val(s1, s2)

    def field(self, f1: FieldType, f2: FieldType) -> bool:
        if f1.mutable != f2.mutable or not self.storage(f1.storage, f2.storage):
            return False
        return not f1.mutable or self.storage(f2.storage, f1.storage)

    def func(self, ft1: FuncType, ft2: FuncType) -> bool:
        return self.results(ft2.params, ft1.params) and self.results(ft1.results, ft2.results)

    def composite(self, ct1, ct2) -> bool:
        """Structural matching of composite types (used for declared supertypes)."""
        if isinstance(ct1, FuncType) and isinstance(ct2, FuncType):
            return self.func(ct1, ct2)
        if isinstance(ct1, StructType) and isinstance(ct2, StructType):
            n = len(ct2.fields)
            return len(ct1.fields) >= n and all(
                self.field(a, b) for a, b in zip(ct1.fields[:n], ct2.fields))
        if isinstance(ct1, ArrayType) and isinstance(ct2, ArrayType):
            return self.field(ct1.field, ct2.field)
        if isinstance(ct1, ContType) and isinstance(ct2, ContType):
            return self.heap(ct1.type_index, ct2.type_index)
        return False


__all__ = ['Matcher', 'canonical_ids', 'canonicalize_group', 'match_canonical', 'REGISTRY',
           'TOP', 'BOTTOM', 'BOT_HEAP', 'kind_of']
