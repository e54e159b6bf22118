"""Unification and deferred constraints for the type checker.

    Unifier        mixin of the checker: unify / expect / join / require over types.Type

The host class provides `error(message, span)`, a `deferred` list and an `infinite` flag.  After an error the
type `ERROR` stands in for the culprit; it unifies with anything, so one mistake gives one message.
`NEVER` (a diverging expression) fits any expected type but never solves a type variable.
"""

from __future__ import annotations

from dataclasses import dataclass

from fxlang.check import types as T
from fxlang.diagnostics import Span

ERROR = T.Prim("<error>")        # the type of an expression that already had an error


@dataclass
class Deferred:
    """A constraint on a type not known yet, checked when the function is done."""
    ty: T.Type
    allowed: object    # a tuple of types, or a predicate on a type
    span: Span
    what: str          # "operator '+'", "'print'", ...

    def ok(self, t: T.Type) -> bool:
        return self.allowed(t) if callable(self.allowed) else t in self.allowed


def has_length(t: T.Type) -> bool:
    return t is T.STR or isinstance(t, T.Array)


def union_effects(a, b) -> bool:
    """Make two effect components (EffectVar or closed frozenset) one: variables are merged (the owner is kept
    only when both have the same), a variable meeting a closed set is bound to it; two closed sets must be
    equal.  False when they cannot be one (nothing changed then)."""
    if isinstance(a, T.EffectVar):
        a = a.find()
    if isinstance(b, T.EffectVar):
        b = b.find()
    if a is b:
        return True
    if not isinstance(a, T.EffectVar) and not isinstance(b, T.EffectVar):
        return T.closed_effects(a) == T.closed_effects(b)
    if not isinstance(a, T.EffectVar):
        a, b = b, a
    if not isinstance(b, T.EffectVar):          # a variable meets a closed set
        if a.closed is not None:
            return T.closed_effects(a.closed) == T.closed_effects(b)
        a.closed = frozenset(b)
        return True
    if a.closed is not None and b.closed is not None and T.closed_effects(a.closed) != T.closed_effects(b.closed):
        return False
    a.parent = b
    if b.closed is None:
        b.closed = a.closed
    if a.owner is not b.owner:
        b.owner = None
    return True


class Unifier:
    def unify(self, a: T.Type, b: T.Type) -> bool:
        a, b = T.prune(a), T.prune(b)
        if a is b or a is ERROR or b is ERROR:
            return True
        if isinstance(a, T.TypeVar) or isinstance(b, T.TypeVar):
            var, other = (a, b) if isinstance(a, T.TypeVar) else (b, a)
            if other is T.NEVER:
                return True          # never is no information: the variable stays open
            if self.occurs(var, other):
                self.infinite = True
                return False
            var.ref = other
            return True
        if isinstance(a, T.Prim) and isinstance(b, T.Prim):
            return a == b
        if isinstance(a, T.Param) or isinstance(b, T.Param):
            return a == b
        if isinstance(a, T.Gen) and isinstance(b, T.Gen):
            return self.unify(a.elem, b.elem) and union_effects(a.effects, b.effects)
        if isinstance(a, (T.Struct, T.Enum)) and isinstance(b, (T.Struct, T.Enum)):
            # two instances of one generic declaration: the same type when their arguments are
            ta, tb = a.template, b.template
            if ta is None or ta is not tb or len(a.args) != len(b.args):
                return False
            return all([self.unify(x, y) for x, y in zip(a.args, b.args)])
        if isinstance(a, T.Array) and isinstance(b, T.Array):
            return self.unify(a.elem, b.elem)
        if isinstance(a, T.Fn) and isinstance(b, T.Fn):
            if len(a.params) != len(b.params):
                return False
            ok = all(self.unify(x, y) for x, y in zip(a.params, b.params))
            ok = self.unify_result(a.result, b.result) and ok
            return union_effects(a.effects, b.effects) and ok
        if isinstance(a, T.Cont) and isinstance(b, T.Cont):
            ok = self.unify(a.arg, b.arg)
            return self.unify_result(a.result, b.result) and ok
        return False

    def unify_result(self, a: T.Type, b: T.Type) -> bool:
        a, b = T.prune(a), T.prune(b)
        if a is T.NEVER and b is T.NEVER:
            return True
        if a is T.NEVER or b is T.NEVER:
            return isinstance(a, T.TypeVar) or isinstance(b, T.TypeVar)
        return self.unify(a, b)

    def occurs(self, var: T.TypeVar, t: T.Type) -> bool:
        t = T.prune(t)
        if t is var:
            return True
        if isinstance(t, T.Array):
            return self.occurs(var, t.elem)
        if isinstance(t, T.Fn):
            return any(self.occurs(var, p) for p in t.params) or self.occurs(var, t.result)
        if isinstance(t, T.Gen):
            return self.occurs(var, t.elem)
        if isinstance(t, (T.Struct, T.Enum)):
            return any(self.occurs(var, a) for a in t.args)
        if isinstance(t, T.Cont):
            return self.occurs(var, t.arg) or self.occurs(var, t.result)
        return False

    def expect(self, actual: T.Type, expected: T.Type, span: Span, context: str = "") -> T.Type:
        """Check that a value of type `actual` may be used where `expected` is required."""
        if T.prune(actual) is T.NEVER:
            return expected
        self.infinite = False
        if not self.unify(expected, actual):
            if self.infinite:
                self.error("cannot infer a type here: it would have to contain itself; add type annotations", span)
            else:
                self.error(f"type mismatch: expected {expected}, found {actual}{context}", span)
            return ERROR
        return expected

    def join(self, a: T.Type, b: T.Type, span: Span, context: str = "") -> T.Type:
        """The type of a value that comes from one of two branches."""
        if T.prune(a) is T.NEVER:
            return b
        if T.prune(b) is T.NEVER:
            return a
        return self.expect(b, a, span, context)

    def require(self, ty: T.Type, allowed: tuple, span: Span, what: str) -> None:
        """`ty` must be one of `allowed`; decided now if known, else when the function is done."""
        t = T.prune(ty)
        if isinstance(t, T.TypeVar):
            self.deferred.append(Deferred(ty, allowed, span, what))
        elif t is not ERROR and t is not T.NEVER and t not in allowed:
            self.error(f"{what} cannot be applied to {t}", span)
