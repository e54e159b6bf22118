"""Effects in the checker: perform / handle / nosuspend, and static effect inference.

    EffectTracker     filled by the checker while it walks the bodies, then `solve()`d
    EffectChecking    mixin of the checker: infer_Perform, infer_Handle, infer_NoSuspend, check_effects

Which effects may each function perform without handling them?

While checking, every function body (FnDecl, Lambda, global initialiser) gets a tree of scopes: its root,
one scope per `handle` body (which removes the effects the handler handles) and one per `nosuspend` block.
A scope records the effects performed directly in it (`perform`, `yield`, a call through a function value
whose type carries effects, the Async of an async fn) and the functions it *uses*: a top-level function
called or referenced as a value, or a lambda created there.  Using a function counts its effects where it is
used.  A lambda (or fn value) given a function type *with* an effect set (`fn() -> int / {State}`) is not
counted where it is created: its effects are counted where it is called, through that type, and must fit in
it.  A lambda with no such type counts its effects where it is created, which over-approximates (one created
under a handler and called outside it is assumed handled).  A generator fn's root scope handles its own
`yield T`.

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
        self.direct: dict = {}        # effect -> (span, label) of its first perform here
        self.uses: list = []          # (FnDecl / Lambda node, span of the use)
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

    def perform(self, effect, span=None, label: str = "") -> None:
        if self.stack:
            self.stack[-1].direct.setdefault(effect, (span, label))

    def use(self, node, span=None) -> None:
        """The current scope calls, references or creates the function/lambda `node`."""
        if self.stack:
            self.stack[-1].uses.append((node, span))

    # -- solving -----------------------------------------------------------------------------------------
    def inside(self, scope: Scope) -> frozenset:
        """The effects that reach the boundary of `scope` from within it."""
        out = set(scope.direct)
        for u, _ in scope.uses:
            out |= self.solution.get(id(u), frozenset())
        for c in scope.children:
            out |= self.escaping(c)
        return frozenset(out)

    def escaping(self, scope: Scope) -> frozenset:
        """The effects that leave `scope`: a handler keeps what it handles; a `nosuspend` block lets
        nothing through (a suspension reaching it traps; the checker reports `inside` it instead)."""
        if scope.kind == "nosuspend":
            return frozenset()
        return self.inside(scope) - scope.handled

    def all_scopes(self):
        for _, root in self.roots.values():
            stack = [root]
            while stack:
                s = stack.pop()
                yield s
                stack.extend(s.children)

    def solve(self) -> None:
        # `yield T` effects were recorded while T was still being inferred: use the solved types
        for s in self.all_scopes():
            s.direct = {_solved(e): sp for e, sp in s.direct.items()}
            s.handled = frozenset(_solved(e) for e in s.handled)
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

    def chain(self, node, effect) -> tuple[list[str], object]:
        """How `effect` leaves the body of `node`: the names of the functions on one call chain ending at the
        operation, and the span of that operation."""
        names: list[str] = []
        seen: set = set()
        cur = node
        while cur is not None and id(cur) not in seen:
            seen.add(id(cur))
            names.append(_fn_name(cur))
            root = self.roots.get(id(cur))
            if root is None:
                break
            found = self._find(root[1], effect)
            if found is None:
                break
            kind, what, span = found
            if kind == "direct":
                span, label = span
                names.append(label or _op_name(effect))
                return names, span
            cur = what
        return names, None

    def _find(self, scope: Scope, effect):
        if scope.kind == "nosuspend" or effect in scope.handled:
            return None
        if effect in scope.direct:
            return ("direct", None, scope.direct[effect])
        for c in scope.children:
            r = self._find(c, effect)
            if r is not None:
                return r
        for u, span in scope.uses:
            if effect in self.solution.get(id(u), frozenset()):
                return ("use", u, span)
        return None


def _solved(e):
    return e.resolve() if isinstance(e, T.YieldEffect) else e


def _fn_name(node) -> str:
    if isinstance(node, ast.Lambda):
        return "lambda"
    if isinstance(node, ast.GlobalLet):
        return f"global {node.name}"
    return getattr(node, "name", "?")


def _op_name(effect) -> str:
    if isinstance(effect, T.YieldEffect):
        return "yield"
    if effect.name == "Async":
        return "async"
    return f"perform {effect.name}"


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
        if not self.coerce_args(e, ref.params, f"operation '{ref.name}'"):
            return ERROR
        self.tracker.perform(ref.effect, e.span, f"perform {ref.effect.name}::{ref.name}")
        return ref.result

    def infer_Handle(self, e: ast.Handle, hint):
        if not self.in_template():          # like lambdas: the back end wants the ones it compiles
            self.handles.append(e)
        result = T.TypeVar()
        scope = self.tracker.push("handle", e)
        self.handle_parts.append(e.body)
        try:
            body_t = self.infer_block(e.body, None)
        finally:
            self.handle_parts.pop()
            self.tracker.pop()
        e.body_ty = body_t
        if e.ret is not None:
            self.blocks.append({})
            self.handle_parts.append(e.ret)
            try:
                r = e.ret
                r.param.binding = self.declare_local(r.param.name, LOCAL, False, body_t, r.param)
                self.coerce(r.body, result)
            finally:
                self.handle_parts.pop()
                self.blocks.pop()
        else:
            where = e.body.tail.span if e.body.tail is not None else e.body.span
            self.expect(body_t, result, where, " (the handled block's value is the handler's value)")
        handled: dict = {}
        seen: dict = {}
        for c in e.clauses:
            ref = self.lookup_op(c.effect, c.name, c.span)
            self.blocks.append({})
            self.handle_parts.append(c)
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
                kt = T.Fn((ref.result,), result) if ref is not None else ERROR
                c.k.binding = self.declare_local(c.k.name, PARAM, False, kt, c.k)
                self.k_bindings.add(id(c.k.binding))
                self.frames[-1].clauses.append(c)
                try:
                    self.coerce(c.body, result)
                finally:
                    self.frames[-1].clauses.pop()
            finally:
                self.handle_parts.pop()
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
        for f in self.functions + self.instances + self.templates_fn:
            f.effects = tr.effects_of(f)
        for lam in self.lambdas:
            lam.effects = tr.effects_of(lam)

        def names(effs):
            return ", ".join(sorted(str(e.name) for e in effs))

        m = self.main
        if m is not None:
            out = m.effects
            if m.is_async:
                out = frozenset(x for x in out if getattr(x, "name", "") != "Async")
            yields = [x for x in out if isinstance(x, T.YieldEffect)]
            others = frozenset(x for x in out if not isinstance(x, T.YieldEffect))
            where = m.name_span or m.span
            if others:
                s = "s" if len(others) > 1 else ""
                chain, at = tr.chain(m, sorted(others, key=lambda x: x.name)[0])
                notes = [("performed here", at)] if at is not None else []
                self.error(f"'main' may perform effect{s} {names(others)} that no handler handles "
                           f"({' -> '.join(chain)})", where, notes)
            for y in yields:
                chain, at = tr.chain(m, y)
                notes = [("yields here", at)] if at is not None else []
                self.error(f"yield outside a generator: 'main' may {y.name} ({' -> '.join(chain)}); only a fn "
                           "returning Gen[T] can run code that yields", where, notes)
        for f in self.functions + self.instances:
            self.check_fn_effects(f, tr)
        for node, allowed, span in self.effect_bounds:
            extra = tr.effects_of(node) - frozenset(_solved(x) for x in allowed)
            if extra:
                what = "this lambda" if isinstance(node, ast.Lambda) else f"'{node.name}'"
                chain, at = tr.chain(node, sorted(extra, key=lambda x: str(x.name))[0])
                self.error(f"{what} may perform {names(extra)} but its function type allows only "
                           f"{{{names(allowed)}}} ({' -> '.join(chain)})", span)
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

    def check_fn_effects(self, f: ast.FnDecl, tr) -> None:
        """A generator must not run code that yields another type; declared effects bound the inferred."""
        where = f.name_span or f.span
        if f.gen_elem is not None:
            for y in f.effects:
                if isinstance(y, T.YieldEffect):
                    chain, at = tr.chain(f, y)
                    self.error(f"type mismatch: generator '{f.name}' yields {f.gen_elem} but may {y.name} "
                               f"({' -> '.join(chain)})", at or where)
        if f.declared_effects is not None:
            allowed = set(self.declared.get(id(f), ()))
            if f.is_async:
                allowed |= {x for x in f.effects if getattr(x, "name", "") == "Async"}
            extra = [x for x in f.effects if x not in allowed and ERROR not in allowed]
            if extra:
                chain, at = tr.chain(f, extra[0])
                self.error(f"'{f.name}' may perform {', '.join(sorted(str(x.name) for x in extra))}, which its "
                           f"declared effects do not include ({' -> '.join(chain)})", where)
