"""Free variables of code that the back end moves into a function of its own.

    free_variables(nodes) -> list[Binding]       locals/params used in `nodes` but declared outside them
    handle_nodes(checked) -> list[Handle]        every `handle` expression the back end compiles
    handler_captures(checked, handles=None) -> set[Binding]
                                                 mutable variables used inside some `handle` body or clause

A `handle` body and its clauses become closures (effects.py), so they capture like lambdas do; the checker
computes captures for real lambdas only, so the back end computes these itself.  A mutable variable
captured this way must live in a cell, exactly like one captured by a lambda.

The back end's own variables count too: a `handle` that catches jumps out of its closures declares the
immutable binding `handle.activation`, which each such jump uses (jumps.py, mark_activations), so the
closures between the handle and the jump capture the activation number.

`handler_captures` walks what the back end compiles (`Checked.functions`, generic instances included, and the
global initialisers), not the module items: an instance of a generic fn is a copy of its template with
bindings of its own, and the template itself is never compiled.
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
            act = getattr(n, 'activation', None)
            if act is not None:
                if isinstance(n, A.Handle):
                    declared.add(act)
                elif act not in seen:
                    seen.add(act)
                    used.append(act)
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


def handle_nodes(checked) -> list:
    """`checked`: a fxlang.check.Checked, whose `handles` the checker collected."""
    return list(checked.handles)


def handler_captures(checked, handles=None) -> set:
    out = set()
    for h in handle_nodes(checked) if handles is None else handles:
        for part in handle_parts(h):
            out.update(b for b in free_variables(part) if b.mutable)
    return out
