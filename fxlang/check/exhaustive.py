"""Exhaustiveness of `match`: does every value of the scrutinee's type match some unguarded arm?

    missing(patterns, ty) -> str | None     a pattern (as source text) that no arm covers, or None

The algorithm is the usefulness check of Maranget ("Warnings for pattern matching", 2007) on a matrix of
patterns, one column per value still to be matched: enums and bool are split by constructor, a struct pattern
into one column per field; int, float and
str have infinitely many values, so only a wildcard or binding covers them.
"""

from __future__ import annotations

from fxlang.check import types as T
from fxlang.syntax import ast


def missing(patterns: list[ast.Pattern], ty: T.Type) -> str | None:
    """A witness (e.g. "Some(_)", "false", "_") for a value no pattern matches; None when exhaustive.
    Patterns must already be checked against `ty` (VariantPats carry `.variant`)."""
    w = _missing([[p] for p in patterns], [ty])
    return None if w is None else w[0]


def _is_wild(p: ast.Pattern) -> bool:
    return isinstance(p, (ast.WildcardPat, ast.BindPat))


def _missing(rows: list[list[ast.Pattern]], tys: list[T.Type]) -> list[str] | None:
    if not tys:
        return None if rows else []
    if not rows:
        # Nothing matches; but a value of an enum without variants cannot exist, so nothing is missing.
        if any(isinstance(T.prune(t), T.Enum) and not T.prune(t).variants for t in tys):
            return None
        return ["_"] * len(tys)
    ty = T.prune(tys[0])
    rest = tys[1:]
    # Split by constructor only when some row tests one; otherwise only wildcards can follow, and not
    # splitting keeps recursive types (`enum List { Cons(int, List), Nil }`) from unfolding forever.
    split = any(not _is_wild(r[0]) for r in rows)
    if split and isinstance(ty, T.Enum):
        for i, v in enumerate(ty.variants):
            n = len(v.payload)
            spec = []
            for r in rows:
                p = r[0]
                if _is_wild(p):
                    spec.append([ast.WildcardPat(p.span)] * n + r[1:])
                elif isinstance(p, ast.VariantPat) and p.variant is not None and p.variant.index == i:
                    if len(p.args) == n:
                        spec.append(list(p.args) + r[1:])
            w = _missing(spec, list(v.payload) + rest)
            if w is not None:
                head = v.name if n == 0 else f"{v.name}({', '.join(w[:n])})"
                return [head] + w[n:]
        return None
    if split and isinstance(ty, T.Struct):
        # one constructor: the column becomes one column per field (fields not named match anything)
        n = len(ty.fields)
        spec = []
        for r in rows:
            p = r[0]
            subs = [ast.WildcardPat(p.span)] * n
            if isinstance(p, ast.StructPat):
                for f in p.fields:
                    if 0 <= f.index < n:
                        subs[f.index] = f.pattern
            spec.append(subs + r[1:])
        w = _missing(spec, [t for _, t in ty.fields] + rest)
        if w is None:
            return None
        shown = [f"{name}: {x}" for (name, _), x in zip(ty.fields, w[:n]) if x != "_"]
        return [f"{ty.name} {{ {', '.join(shown + ['..'])} }}"] + w[n:]
    if split and ty == T.BOOL:
        for value in (True, False):
            spec = [r[1:] for r in rows
                    if _is_wild(r[0]) or (isinstance(r[0], ast.LitPat) and r[0].value.value is value)]
            w = _missing(spec, rest)
            if w is not None:
                return ["true" if value else "false"] + w
        return None
    default = [r[1:] for r in rows if _is_wild(r[0])]
    w = _missing(default, rest)
    return None if w is None else ["_"] + w
