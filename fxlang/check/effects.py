"""Effects in the checker: perform / handle / nosuspend, and the reports of static effect inference.

    EffectChecking    mixin of the checker: infer_Perform, infer_Handle, infer_NoSuspend, check_effects

The inference itself (latent effects, effect variables, polymorphism, the fixpoint) is the tracker's:
fxlang/check/effect_solver.py; the rules in prose: docs/effects.md, "Effect inference".
"""

from __future__ import annotations

from fxlang.check import types as T
from fxlang.check.unify import ERROR
from fxlang.diagnostics import Span
from fxlang.syntax import ast
from fxlang.syntax.ast import LOCAL, PARAM, OpRef


class EffectChecking:
    def infer_Perform(self, e: ast.Perform, hint):
        ref = self.lookup_op(e.effect, e.name, e.span)
        if ref is None:
            for a in e.args:
                self.infer(a)
            return ERROR
        if ref.effect.params:       # a generic effect: its arguments are inferred (see infer_generic_performs)
            ref = OpRef(self.fresh_effect(ref.effect), ref.index)
            if self.pending_performs:
                self.pending_performs[-1].append((ref.effect, e.span))
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
        self.pending_performs.append([])
        try:
            body_t = self.infer_block(e.body, None)
        finally:
            self.handle_parts.pop()
            self.tracker.pop()
            pending = self.pending_performs.pop()
        e.body_ty = body_t
        clauses = self.tracker.push("clauses", e)     # what the clauses perform is also k's (resuming re-enters)
        try:
            self.check_handler_parts(e, scope, clauses, body_t, result)
        finally:
            self.tracker.pop()
        self.infer_generic_performs(pending, e.handled)
        return result

    def infer_generic_performs(self, pending: list, around) -> None:
        """Performs of a generic effect whose type arguments their own uses left open (`perform put(perform
        get())`) take them from the innermost handler around them that handles that effect (or, at a fn's
        top level, from its declared effects), when there is exactly one such instance.  The rest go on to the
        next enclosing handler; unification only adds constraints, and what is left open at the end of the
        body is reported as "cannot infer"."""
        by_template: dict = {}
        for eff in around:
            if isinstance(eff, T.Effect) and eff.template is not None:
                by_template.setdefault(id(eff.template), []).append(eff)
        rest = []
        for eff, span in pending:
            cands = by_template.get(id(eff.template), [])
            if len(cands) != 1:
                rest.append((eff, span))
            elif any(T.has_vars(a) for a in eff.args + cands[0].args):
                # may also fix the handler's or the row's arguments; a mismatch is left to the effect checker
                # ("may perform State[str] but ... allows only {State[int]}")
                for a, b in zip(eff.args, cands[0].args):
                    if T.has_vars(a) or T.has_vars(b):
                        self.unify(a, b)
        if self.pending_performs:
            self.pending_performs[-1].extend(rest)

    def check_handler_parts(self, e: ast.Handle, scope, clauses, body_t, result) -> None:
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
        instances: dict = {}
        for c in e.clauses:
            ref = self.lookup_op(c.effect, c.name, c.span)
            if ref is not None and ref.effect.params:    # one instance of a generic effect per handler
                inst = instances.get(id(ref.effect))
                if inst is None:
                    inst = instances[id(ref.effect)] = self.fresh_effect(ref.effect)
                ref = OpRef(inst, ref.index)
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
                kvar = self.new_effect_var()
                kt = T.Fn((ref.result,), result, kvar) if ref is not None else ERROR
                self.tracker.ks.append((scope, clauses, kvar, c))
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

    def infer_NoSuspend(self, e: ast.NoSuspend, hint):
        self.tracker.push("nosuspend", e)
        try:
            return self.infer_block(e.body, hint)
        finally:
            self.tracker.pop()

    def check_effects(self) -> None:
        """Solve effect inference; report effects that escape `main`, a `nosuspend` block or a global, and
        values that may perform more than their closed function type allows."""
        tr = self.tracker
        tr.fns = [f for f in self.functions + self.instances + self.templates_fn if isinstance(f.fn_type, T.Fn)]
        tr.solve()
        for s in tr.all_scopes():
            if isinstance(s.node, ast.Handle) and s.kind == "handle":
                s.node.escaping = tr.escaping(s)
            elif isinstance(s.node, ast.Handle) and s.kind == "clauses":
                s.node.clause_effects = tr.inside(s)
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
        for kind, node, extra, allowed, span in tr.problems:
            if kind == "conflict":
                self.error(f"type mismatch: '{node.decl.name}' needs a function type with effects "
                           f"{{{names(allowed or ())}}} here, found {{{names(extra or ())}}}", span)
                continue
            first = sorted(extra, key=lambda x: str(x.name))[0]
            if kind == "lambda":
                chain, _ = tr.chain(node, first)
                what = f"this lambda may perform {names(extra)}"
            elif kind == "k":
                chain = None
                what = f"continuation '{node.k.name}' may resume code that performs {names(extra)}"
            elif kind == "gen":
                chain, _ = tr.chain(node, first)
                what = f"stepping generator '{node.name}' may perform {names(extra)}"
            elif kind == "value":
                chain, _ = tr.chain(node.decl, first)
                what = f"'{node.decl.name}' may perform {names(extra)}"
            else:
                chain = None
                what = f"'{node.decl.name}' returns or passes on a function value that may perform {names(extra)}"
            why = f" ({' -> '.join(chain)})" if chain else ""
            self.error(f"{what} but its function type allows only {{{names(allowed)}}}{why}", span)
        for scope in tr.nosuspend:
            out = tr.visible_inside(scope)
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
        """A generator must not run code that yields another type; declared effects bound the inferred
        (what a call performs through the fn's generic variables is its callers' business: not counted)."""
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
