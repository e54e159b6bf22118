"""Free variables of code that the back end moves into a function of its own.

    free_variables(nodes) -> list[Binding]       locals/params used in `nodes` but declared outside them
    handler_captures(program) -> set[Binding]    mutable variables used inside some `handle` body or clause

A `handle` body and its clauses become closures (fxlang/lower/effects.py), so they capture like lambdas do; the
checker computes captures for real lambdas only, so the back end computes these itself.  A mutable variable
captured this way must live in a cell, exactly like one captured by a lambda.
"""

from __future__ import annotations

from fxlang.syntax import ast as A


def free_variables(nodes) -> list:
    declared, used = set(), []
    seen = set()
    for root in nodes:
        if root is None:
            continue
        for n in A.walk(root):
            b = getattr(n, 'binding', None)
            if isinstance(n, (A.Let, A.BindPat, A.Param)) or type(n).__name__ == 'For':
                if b is not None:
                    declared.add(b)
            elif isinstance(n, A.Name) and b is not None and b.kind in (A.LOCAL, A.PARAM):
                if b not in seen:
                    seen.add(b)
                    used.append(b)
    return [b for b in used if b not in declared]


def handle_parts(h) -> list:
    """The pieces of a Handle node that run as closures: body, each clause, the return clause."""
    parts = [[h.body]] + [[c] for c in h.clauses]
    if h.ret is not None:
        parts.append([h.ret])
    return parts


def handler_captures(program) -> set:
    handle = getattr(A, 'Handle', None)
    out = set()
    if handle is None:
        return out
    for m in program.modules:
        for item in m.items:
            for n in A.walk(item):
                if isinstance(n, handle):
                    for part in handle_parts(n):
                        out.update(b for b in free_variables(part) if b.mutable)
    return out
