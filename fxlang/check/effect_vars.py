"""The effect components of types (types.EffectVar or a closed frozenset), walked structurally.

    refresh(t, owner, keep_closed=True) -> t'      a copy of `t` with a fresh effect variable for each variable
    components(sig, use) -> [(a, b)]               the effect components at the same places of two types
    link(a, b)                                     make the effect components of two equal types one

`refresh` is how a use of a top-level fn instantiates the effect variables of its signature (and how generic
instances and generic type instances get variables of their own); `components` pairs the signature's
variables with the use's when solving (effect_solver.py); `link` ties a generic type instance's arguments to the
canonical instance's.
"""

from __future__ import annotations

from fxlang.check import types as T
from fxlang.check.unify import union_effects


def refresh(t: T.Type, owner, keep_closed: bool = True, memo: dict | None = None) -> T.Type:
    memo = {} if memo is None else memo

    def comp(c):
        if isinstance(c, T.EffectVar):
            r = c.find()
            if r.closed is not None and keep_closed:
                return frozenset(r.closed)
            v = memo.get(r)
            if v is None:
                v = memo[r] = T.EffectVar(owner)
                v.hint = c.hint or r.hint
            return v
        if keep_closed:
            return c
        return T.EffectVar(owner)

    def go(t):
        t = T.prune(t)
        if isinstance(t, T.Fn):
            return T.Fn(tuple(go(p) for p in t.params), go(t.result), comp(t.effects))
        if isinstance(t, T.Gen):
            return T.Gen(go(t.elem), comp(t.effects))
        if isinstance(t, T.Array):
            return T.Array(go(t.elem))
        return t        # nominal instances keep the variables of their canonical instance

    return go(t)


def components(sig: T.Type, use: T.Type, out: list | None = None) -> list:
    out = [] if out is None else out
    a, b = T.prune(sig), T.prune(use)
    if isinstance(a, T.Fn) and isinstance(b, T.Fn) and len(a.params) == len(b.params):
        out.append((a.effects, b.effects))
        for x, y in zip(a.params, b.params):
            components(x, y, out)
        components(a.result, b.result, out)
    elif isinstance(a, T.Gen) and isinstance(b, T.Gen):
        out.append((a.effects, b.effects))
        components(a.elem, b.elem, out)
    elif isinstance(a, T.Array) and isinstance(b, T.Array):
        components(a.elem, b.elem, out)
    elif isinstance(a, (T.Struct, T.Enum)) and isinstance(b, (T.Struct, T.Enum)) and a is not b \
            and a.template is not None and a.template is b.template and len(a.args) == len(b.args):
        for x, y in zip(a.args, b.args):
            components(x, y, out)
    return out


def signature_components(sig: T.Fn, use: T.Type) -> list:
    """`components` of a fn's signature and the type of one use of it, without the signature's own (closed,
    empty) component: what calling the fn performs is its inferred effects, not a type's."""
    use = T.prune(use)
    out: list = []
    if isinstance(sig, T.Fn) and isinstance(use, T.Fn) and len(sig.params) == len(use.params):
        for x, y in zip(sig.params, use.params):
            components(x, y, out)
        components(sig.result, use.result, out)
    return out


def link(a: T.Type, b: T.Type) -> None:
    for x, y in components(a, b):
        union_effects(x, y)


def variables(t: T.Type, out: list | None = None) -> list:
    """The effect variables in `t` (not looking into nominal types)."""
    out = [] if out is None else out
    t = T.prune(t)
    if isinstance(t, T.Fn):
        if isinstance(t.effects, T.EffectVar):
            out.append(t.effects)
        for p in t.params:
            variables(p, out)
        variables(t.result, out)
    elif isinstance(t, T.Gen):
        if isinstance(t.effects, T.EffectVar):
            out.append(t.effects)
        variables(t.elem, out)
    elif isinstance(t, T.Array):
        variables(t.elem, out)
    return out
