"""Effects in the checker: perform / handle / nosuspend, and static effect inference.

    EffectTracker     filled by the checker while it walks the bodies, then `solve()`d
    EffectChecking    mixin of the checker: infer_Perform, infer_Handle, infer_NoSuspend, check_effects

Which effects may each function perform without handling them?

While checking, every function body (FnDecl, Lambda, global initialiser) gets a tree of scopes: its root,
one scope per `handle` body (which removes the effects the handler handles) and one per `nosuspend` block.
A scope records the effects performed directly in it (`perform`) and the functions it *uses*: a top-level
function called or referenced as a value, or a lambda created there.  Using a function counts its effects
where it is used; for function values and lambdas that is where they are created, not where they are
eventually called, which over-approximates (a lambda created under a handler and called outside it is
assumed handled; one created in `nosuspend` but called outside is still counted there).

`solve()` is a monotone fixpoint over all bodies (recursion and mutual recursion converge because effect
sets only grow and are finite).  Then `escaping(scope)` tells what leaves a scope, which the checker uses for
`main` (must be nothing), and `inside(scope)` what reaches a `nosuspend` block (must be nothing: a
suspension cannot cross the barrier; so that one mistake gives one error, nothing propagates past it).
"""

from __future__ import annotations

from fxlang.check import types as T
from fxlang.check.unify import ERROR
from fxlang.diagnostics import Span
from fxlang.syntax import ast
from fxlang.syntax.ast import LOCAL, PARAM


class Scope:
    def __init__(self, kind: str, node, parent: "Scope | None"):
        self.kind = kind              # "body", "handle" or "nosuspend"
        self.node = node
        self.parent = parent
        self.handled: frozenset = frozenset()
        self.direct: set = set()
        self.uses: list = []          # FnDecl / Lambda nodes
        self.children: list[Scope] = []


class EffectTracker:
    def __init__(self):
        self.roots: dict[int, tuple[object, Scope]] = {}      # id(body node) -> (node, root scope)
        self.nosuspend: list[Scope] = []
        self.stack: list[Scope] = []
        self.solution: dict[int, frozenset] = {}

    # -- building ----------------------------------------------------------------------------------------
    def enter_body(self, node) -> None:
        """Start the body of a function, lambda or global initialiser (nested bodies stack)."""
        root = Scope("body", node, None)
        self.roots[id(node)] = (node, root)
        self.stack.append(root)

    def exit_body(self) -> None:
        self.stack.pop()

    def push(self, kind: str, node) -> Scope:
        s = Scope(kind, node, self.stack[-1])
        self.stack[-1].children.append(s)
        self.stack.append(s)
        if kind == "nosuspend":
            self.nosuspend.append(s)
        return s

    def pop(self) -> None:
        self.stack.pop()

    def perform(self, effect) -> None:
        if self.stack:
            self.stack[-1].direct.add(effect)

    def use(self, node) -> None:
        """The current scope calls, references or creates the function/lambda `node`."""
        if self.stack:
            self.stack[-1].uses.append(node)

    # -- solving -----------------------------------------------------------------------------------------
    def inside(self, scope: Scope) -> frozenset:
        """The effects that reach the boundary of `scope` from within it."""
        out = set(scope.direct)
        for u in scope.uses:
            out |= self.solution.get(id(u), frozenset())
        for c in scope.children:
            out |= self.escaping(c)
        return frozenset(out)

    def escaping(self, scope: Scope) -> frozenset:
        """The effects that leave `scope`: a handler keeps what it handles; a `nosuspend` block lets
        nothing through (a suspension reaching it traps; the checker reports `inside` it instead)."""
        if scope.kind == "nosuspend":
            return frozenset()
        out = self.inside(scope)
        if scope.kind == "handle":
            out -= scope.handled
        return out

    def solve(self) -> None:
        changed = True
        while changed:
            changed = False
            for key, (_, root) in self.roots.items():
                new = self.escaping(root)
                if new != self.solution.get(key, frozenset()):
                    self.solution[key] = new
                    changed = True

    def effects_of(self, node) -> frozenset:
        return self.solution.get(id(node), frozenset())


# ---------------------------------------------------------------------------------------------------------
# Checking perform / handle / nosuspend (a mixin of the checker)

class EffectChecking:
    def infer_Perform(self, e: ast.Perform, hint):
        ref = self.lookup_op(e.effect, e.name, e.span)
        if ref is None:
            for a in e.args:
                self.infer(a)
            return ERROR
        e.op = ref
        n = len(ref.params)
        if len(e.args) != n:
            for a in e.args:
                self.infer(a)
            return self.error(f"operation '{ref.name}' takes {n} argument{'' if n == 1 else 's'} but "
                              f"{len(e.args)} {'was' if len(e.args) == 1 else 'were'} given", e.span)
        for a, pt in zip(e.args, ref.params):
            self.coerce(a, pt)
        self.tracker.perform(ref.effect)
        return ref.result

    def infer_Handle(self, e: ast.Handle, hint):
        result = T.TypeVar()
        scope = self.tracker.push("handle", e)
        try:
            body_t = self.infer_block(e.body, None)
        finally:
            self.tracker.pop()
        e.body_ty = body_t
        if e.ret is not None:
            self.blocks.append({})
            try:
                r = e.ret
                r.param.binding = self.declare_local(r.param.name, LOCAL, False, body_t, r.param)
                self.coerce(r.body, result)
            finally:
                self.blocks.pop()
        else:
            where = e.body.tail.span if e.body.tail is not None else e.body.span
            self.expect(body_t, result, where, " (the handled block's value is the handler's value)")
        handled: dict = {}
        seen: dict = {}
        for c in e.clauses:
            ref = self.lookup_op(c.effect, c.name, c.span)
            self.blocks.append({})
            try:
                params = ref.params if ref is not None else ()
                if ref is not None:
                    c.op = ref
                    key = (id(ref.effect), ref.index)
                    if key in seen:
                        self.error(f"operation '{ref.name}' is handled twice", c.span,
                                   [("first handled here", seen[key].span)])
                    seen[key] = c
                    handled[id(ref.effect)] = ref.effect
                    if len(c.params) != len(params):
                        n = len(params)
                        self.error(f"operation '{ref.name}' takes {n} argument{'' if n == 1 else 's'} but the "
                                   f"clause has {len(c.params)}", c.span)
                for i, prm in enumerate(c.params):
                    pt = params[i] if i < len(params) else ERROR
                    prm.binding = self.declare_local(prm.name, PARAM, False, pt, prm)
                kt = T.Cont(ref.result, result) if ref is not None else ERROR
                c.k.binding = self.declare_local(c.k.name, PARAM, False, kt, c.k)
                self.coerce(c.body, result)
            finally:
                self.blocks.pop()
        for eff in handled.values():
            missing = [op.name for i, op in enumerate(eff.ops) if (id(eff), i) not in seen]
            if missing:
                names = ", ".join(f"'{n}'" for n in missing)
                s = "s" if len(missing) > 1 else ""
                self.error(f"handler for effect {eff.name} does not handle operation{s} {names}",
                           Span(e.span.file, e.span.line, e.span.col, e.span.line, e.span.col + len("handle")))
        e.handled = list(handled.values())
        scope.handled = frozenset(e.handled)
        return result

    def infer_NoSuspend(self, e: ast.NoSuspend, hint):
        self.tracker.push("nosuspend", e)
        try:
            return self.infer_block(e.body, hint)
        finally:
            self.tracker.pop()

    def check_effects(self) -> None:
        """Solve effect inference; report effects that escape `main`, a `nosuspend` block or a global."""
        tr = self.tracker
        tr.solve()
        for f in self.functions:
            f.effects = tr.effects_of(f)
        for lam in self.lambdas:
            lam.effects = tr.effects_of(lam)

        def names(effs):
            return ", ".join(sorted(e.name for e in effs))

        if self.main is not None and self.main.effects:
            s = "s" if len(self.main.effects) > 1 else ""
            self.error(f"'main' may perform effect{s} {names(self.main.effects)} that no handler handles",
                       self.main.name_span or self.main.span)
        for scope in tr.nosuspend:
            out = tr.inside(scope)
            if out:
                n = scope.node
                s = "s" if len(out) > 1 else ""
                self.error(f"effect{s} {names(out)} may be performed inside 'nosuspend' (a suspension cannot "
                           "cross it)", Span(n.span.file, n.span.line, n.span.col, n.span.line,
                                             n.span.col + len("nosuspend")))
        for g in self.globals:
            out = tr.effects_of(g)
            if out:
                self.error(f"the initialiser of global '{g.name}' may perform {names(out)}, which no handler "
                           "handles", g.value.span)
