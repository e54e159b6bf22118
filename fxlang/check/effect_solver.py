"""Static effect inference: the tracker the checker fills while it walks the bodies, and its solver.

    EffectTracker     filled by the checker (fxlang/check/effects.py and the other mixins), then `solve()`d

Which effects may each function perform without handling them?  (The rules, in prose: docs/effects.md,
"Effect inference".)

Latent effects travel with function and generator types.  A function type's effect component
(types.Fn.effects) is a closed set when written `/ {E, ..}` and otherwise an effect variable (types.EffectVar,
union-find; unify merges variables, binds a variable met by a closed set, and wants two closed sets equal).
Gen[T] has one too: what stepping the generator performs besides its yields.

While checking, every body (FnDecl, Lambda, global initialiser) gets a tree of scopes: its root, one scope per
`handle` body (which removes the effects the handler handles), one for the clauses and return clause of each
`handle` (transparent; kept apart for `k`), and one per `nosuspend` block.  A scope records what is performed
in it: concrete effects (`perform`, `yield`, the Async of an async fn), effect components (a call through a
function value, `discontinue` through one, stepping a generator: `next` / `for` / `cancel`) and calls of
top-level fns (with the type of that use).  Besides, the tracker keeps lower-bound constraints on variables:

    lambda L of type variable v             effects(body of L) <= v
    top-level fn f used as a value, var v   what calling f performs <= v
    a handler clause's k, var v             what escapes the handled body + what the clauses perform <= v
    generator fn g returning Gen[T] / v     effects(body of g) - yield T <= v    (calling g performs nothing)

Polymorphism.  Every use of a top-level fn (call or value) gets a refreshed copy of its signature (fresh
variables: effect_vars.refresh).  The variables of fn f's signature that are still owned by f after checking
(not merged with a variable of a declaration, a global or another body) are *generic*: inside f's bodies
(f and its lambdas) they are opaque atoms (`Latent(var, excluding)`: "what the caller's variable holds, minus
what was handled on the way"); at a use, each generic variable is replaced by the use's variable (and that one
gets the substituted lower bounds of the generic one).  A signature variable that is not generic is simply
made one with the use's.  If an atom reaches a place where it cannot be substituted (a closed set, a variable
of another owner), its variable stops being generic and solving starts again; so the solution is sound and
terminates (atoms are finite, sets only grow).

`solve()` is a monotone fixpoint over all bodies and variables.  Then `escaping(scope)` tells what leaves a
scope (for `main`: must be nothing concrete), `inside(scope)` what reaches a `nosuspend` block (must be
nothing the checker can see; atoms of the enclosing fn's generic variables are left to the runtime barrier:
the one place where the checker defers), and `problems` lists bounds that do not hold (a value that may
perform more than its closed function type allows).
"""

from __future__ import annotations

from dataclasses import dataclass

from fxlang.check import types as T
from fxlang.check.effect_vars import signature_components, variables
from fxlang.check.unify import ERROR, union_effects
from fxlang.syntax import ast


@dataclass(frozen=True, eq=True)
class Latent:
    """The effects of a generic effect variable of a top-level fn (what its caller passes), minus `excluding`
    (handled between the use and the fn's boundary)."""
    var: T.EffectVar
    excluding: frozenset = frozenset()

    @property
    def name(self) -> str:
        return "<latent>"


class Scope:
    def __init__(self, kind: str, node, parent: "Scope | None"):
        self.kind = kind              # "body", "handle", "clauses" or "nosuspend"
        self.node = node
        self.parent = parent
        self.handled: frozenset = frozenset()
        self.direct: dict = {}        # effect -> (span, label) of its first perform here
        self.vars: list = []          # (effect component, span, label): a call through a value, ...
        self.uses: list = []          # Use: a call of a top-level fn (its decl, span and this use's type)
        self.children: list[Scope] = []


@dataclass
class Use:
    """A use of top-level fn `decl` (call, or value when `var` is set) with type `ty`."""
    decl: object
    ty: object
    span: object
    body: object                  # the body node the use is in
    var: object = None            # a value: the latent variable of the value's type
    pairs: list | None = None     # (signature component, use component)
    map: dict | None = None       # generic variable of decl -> the use's component (while solving)


def _minus(effects, handled: frozenset):
    if not handled:
        return effects
    out = set()
    for e in effects:
        if isinstance(e, Latent):
            out.add(Latent(e.var, e.excluding | handled))
        elif e not in handled:
            out.add(e)
    return out


def concrete(effects) -> frozenset:
    return frozenset(e for e in effects if not isinstance(e, Latent))


class EffectTracker:
    def __init__(self):
        self.roots: dict[int, tuple[object, Scope, object]] = {}   # id(body) -> (node, root scope, owner fn)
        self.nosuspend: list[Scope] = []
        self.stack: list[Scope] = []
        self.owner = None                 # the top-level FnDecl whose bodies are being checked
        self.lambdas: list = []           # (Lambda, var)
        self.ks: list = []                # (handle scope, clauses scope, var, clause)
        self.gens: list = []              # (generator FnDecl, component of its Gen result)
        self.uses: list[Use] = []
        self.solution: dict[int, frozenset] = {}
        self.low: dict = {}               # representative EffectVar -> set of effects (its lower bounds)
        self.generic: dict = {}           # representative EffectVar -> the FnDecl it is generic for
        self.problems: list = []          # (kind, node or Use, extra effects, closed set, span)
        self.fns: list = []               # every top-level FnDecl with a signature (set by the checker)

    # -- building ----------------------------------------------------------------------------------------
    def enter_body(self, node) -> None:
        """Start the body of a function, lambda or global initialiser (nested bodies stack)."""
        root = Scope("body", node, None)
        self.roots[id(node)] = (node, root, self.owner)
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

    def perform_latent(self, component, span=None, label: str = "") -> None:
        """A call through a value (or stepping a generator) whose type has effect component `component`."""
        if not self.stack:
            return
        if isinstance(component, T.EffectVar):
            self.stack[-1].vars.append((component, span, label))
        else:
            for e in component:
                self.perform(e, span, label)

    def use_call(self, decl, ty, span, scope: Scope | None = None) -> None:
        scope = scope if scope is not None else (self.stack[-1] if self.stack else None)
        if scope is not None:
            u = Use(decl, ty, span, self.body_of(scope))
            scope.uses.append(u)
            self.uses.append(u)

    def use_value(self, decl, ty, var, span, body=None) -> None:
        if body is None:
            body = self.stack[0].node if self.stack else None
        self.uses.append(Use(decl, ty, span, body, var))

    def body_of(self, scope: Scope):
        while scope.parent is not None:
            scope = scope.parent
        return scope.node

    # -- solving -----------------------------------------------------------------------------------------
    def atoms(self, component) -> frozenset:
        """What performing a value of effect component `component` performs."""
        if isinstance(component, T.EffectVar):
            r = component.find()
            if r.closed is not None:
                return T.closed_effects(r.closed)
            if r in self.generic:
                return frozenset((Latent(r),))
            return frozenset(self.low.get(r, ()))
        return T.closed_effects(component)

    def subst(self, effects, use: Use) -> set:
        """`effects` of `use.decl`, seen at the use: its generic atoms replaced by what the use's variables hold."""
        out = set()
        m = None
        for e in effects:
            if isinstance(e, Latent):
                if m is None:
                    m = self._map(use)
                c = m.get(e.var)
                if c is None:
                    if self.generic.get(e.var) is not use.decl:
                        out.add(e)          # not this fn's: a violation, found when checking
                    continue
                out |= _minus(self.atoms(c), e.excluding)
            else:
                out.add(e)
        return out

    def _map(self, use: Use) -> dict:
        if use.map is not None:
            return use.map
        m = {}
        for a, b in use.pairs or ():
            if isinstance(a, T.EffectVar):
                r = a.find()
                if self.generic.get(r) is use.decl and r not in m:
                    m[r] = b
        return m

    def contrib(self, decl) -> frozenset:
        """What calling top-level fn `decl` performs (in terms of its own generic atoms)."""
        if getattr(decl, "gen_elem", None) is not None:
            return frozenset()          # creating a generator runs nothing of its body
        return self.solution.get(id(decl), frozenset())

    def inside(self, scope: Scope) -> frozenset:
        """The effects that reach the boundary of `scope` from within it."""
        out = set(scope.direct)
        for c, _, _ in scope.vars:
            out |= self.atoms(c)
        for u in scope.uses:
            out |= self.subst(self.contrib(u.decl), u)
        for c in scope.children:
            out |= self.escaping(c)
        return frozenset(out)

    def escaping(self, scope: Scope) -> frozenset:
        """The effects that leave `scope`: a handler keeps what it handles; a `nosuspend` block lets
        nothing through (a suspension reaching it traps; the checker reports `inside` it instead)."""
        if scope.kind == "nosuspend":
            return frozenset()
        return frozenset(_minus(self.inside(scope), scope.handled))

    def all_scopes(self):
        for _, root, _ in self.roots.values():
            stack = [root]
            while stack:
                s = stack.pop()
                yield s
                stack.extend(s.children)

    def solve(self) -> None:
        # `yield T` and generic effects' instances were recorded while T was still being inferred: use the
        # solved types
        for s in self.all_scopes():
            s.direct = {_solved(e): sp for e, sp in s.direct.items()}
            s.handled = frozenset(_solved(e) for e in s.handled)
        for u in self.uses:
            u.pairs = signature_components(u.decl.fn_type, u.ty) if isinstance(u.decl.fn_type, T.Fn) else []
        demoted: set = set()
        conflicts: dict = {}
        while True:
            self._link(demoted, conflicts)
            self._fixpoint()
            bad = self._violations()
            if not bad:
                break
            demoted |= bad
        self.problems = [("conflict", u, T.closed_effects(b), T.closed_effects(a), u.span)
                         for u, a, b in conflicts.values()] + self._bounds()

    def _link(self, demoted: set, conflicts: dict) -> None:
        """Decide the generic variables; make non-generic signature variables one with the uses' ones."""
        while True:
            changed = False
            droots = {d.find() for d in demoted}
            self.generic = {}
            for f in self.fns:
                ft = f.fn_type
                if not isinstance(ft, T.Fn):
                    continue
                for v in variables(ft.result, [x for p in ft.params for x in variables(p)]):
                    r = v.find()
                    if r.closed is None and r.owner is f and r not in droots:
                        self.generic[r] = f
            for u in self.uses:
                seen: dict = {}
                for a, b in u.pairs:
                    ra = a.find() if isinstance(a, T.EffectVar) else None
                    if ra is not None and self.generic.get(ra) is u.decl:
                        if ra in seen:      # one generic variable, two places: one variable at the use
                            if not _same(seen[ra], b):
                                if union_effects(seen[ra], b):
                                    changed = True
                                else:
                                    conflicts.setdefault(id(u), (u, seen[ra], b))
                        else:
                            seen[ra] = b
                        continue
                    if _same(a, b):
                        continue
                    if not union_effects(a, b):
                        conflicts.setdefault(id(u), (u, a, b))
                        continue
                    changed = True
            if not changed:
                return

    def _fixpoint(self) -> None:
        for u in self.uses:
            u.map = None
            u.map = self._map(u)
        self.low = {}
        self.solution = {}
        bodies = list(self.roots.items())
        changed = True
        while changed:
            changed = False
            for key, (_, root, _) in bodies:
                new = self.escaping(root)
                if new != self.solution.get(key, frozenset()):
                    self.solution[key] = new
                    changed = True
            for lam, var in self.lambdas:
                changed |= self._add(var, self.solution.get(id(lam), ()))
            for decl, comp in self.gens:
                changed |= self._add(comp, self.solution.get(id(decl), ()))
            for hs, cs, var, _ in self.ks:
                changed |= self._add(var, self.escaping(hs) | self.escaping(cs))
            for u in self.uses:
                if u.var is not None:
                    changed |= self._add(u.var, self.subst(self.contrib(u.decl), u))
                for r, c in self._map(u).items():
                    if r in self.low:
                        changed |= self._add(c, self.subst(self.low[r], u))

    def _add(self, component, effects) -> bool:
        if not effects or not isinstance(component, T.EffectVar):
            return False
        r = component.find()
        if r.closed is not None:
            return False            # bounded: checked in _bounds
        cur = self.low.get(r)
        if cur is None:
            cur = self.low[r] = set()
        n = len(cur)
        cur |= effects
        return len(cur) != n

    def _violations(self) -> set:
        """Generic atoms found where they cannot be substituted: their variables stop being generic."""
        bad = set()

        def check(effects, owner):
            for e in effects:
                if isinstance(e, Latent) and self.generic.get(e.var) is not owner:
                    bad.add(e.var)

        for r, effs in self.low.items():
            check(effs, self.generic.get(r, r.owner))
        for key, (_, _, owner) in self.roots.items():
            check(self.solution.get(key, ()), owner)
        for kind, _, effs, comp, _ in self._bound_checks():
            if _closed(comp) is not None:
                check(effs, object())   # nothing may carry an atom into a closed set
        return bad

    def _bound_checks(self):
        """(kind, node or Use, effects, closed set, span) for every value given a closed effect set."""
        for lam, var in self.lambdas:
            yield "lambda", lam, self.solution.get(id(lam), frozenset()), var, lam.span
        for hs, cs, var, clause in self.ks:
            yield "k", clause, self.escaping(hs) | self.escaping(cs), var, clause.k.span
        for decl, comp in self.gens:
            yield "gen", decl, self.solution.get(id(decl), frozenset()), comp, decl.name_span or decl.span
        for u in self.uses:
            if u.var is not None:
                yield "value", u, self.subst(self.contrib(u.decl), u), u.var, u.span
            for r, c in self._map(u).items():
                yield "instance", u, self.subst(self.low.get(r, ()), u), c, u.span

    def _bounds(self) -> list:
        out = []
        for kind, node, effs, comp, span in self._bound_checks():
            allowed = _closed(comp)
            if allowed is None or ERROR in allowed:
                continue
            extra = concrete(effs) - allowed
            if extra:
                out.append((kind, node, extra, allowed, span))
        return out

    def effects_of(self, node) -> frozenset:
        """The concrete effects that leave `node`'s body (generic atoms dropped: they are the callers')."""
        return concrete(self.solution.get(id(node), frozenset()))

    def visible_inside(self, scope: Scope) -> frozenset:
        """What the checker can see reaching `scope`: its concrete effects, and what flows into the generic
        variables of the enclosing fn within it; what callers pass through those variables is not known."""
        out = set()
        todo = list(self.inside(scope))
        seen = set()
        while todo:
            e = todo.pop()
            if isinstance(e, Latent):
                if e.var in seen:
                    continue
                seen.add(e.var)
                todo.extend(_minus(self.low.get(e.var, ()), e.excluding))
            else:
                out.add(e)
        return frozenset(out)

    # -- explaining --------------------------------------------------------------------------------------
    def chain(self, node, effect) -> tuple[list[str], object]:
        """How `effect` leaves the body of `node`: the names of the functions on one call chain ending at the
        operation (or at a call through a function value, with where the effect comes from), and the span of
        that operation."""
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
            if kind == "latent":
                comp, label = what
                names.append(self._describe(label, comp, effect))
                return names, span
            if kind == "via":
                decl, comp = what
                names.append(_fn_name(decl))
                names.append(self._describe("call through a function value", comp, effect))
                return names, span
            cur = what
        return names, None

    def _find(self, scope: Scope, effect):
        if scope.kind == "nosuspend" or effect in scope.handled:
            return None
        if effect in scope.direct:
            return ("direct", None, scope.direct[effect])
        for c, span, label in scope.vars:
            if effect in self.atoms(c):
                return ("latent", (c, label or "call through a function value"), span)
        for c in scope.children:
            r = self._find(c, effect)
            if r is not None:
                return r
        for u in scope.uses:
            own = self.contrib(u.decl)
            if effect in own:
                return ("use", u.decl, u.span)
            for e in own:
                if isinstance(e, Latent) and effect not in e.excluding:
                    c = self._map(u).get(e.var)
                    if c is not None and effect in self.atoms(c):
                        return ("via", (u.decl, c), u.span)
        return None

    def _describe(self, label: str, comp, effect, depth: int = 0) -> str:
        """`label`, with where a value of effect component `comp` that performs `effect` was made."""
        if not isinstance(comp, T.EffectVar):
            return label
        r = comp.find()
        for lam, var in self.lambdas:
            if var.find() is r and effect in self.solution.get(id(lam), ()):
                s = lam.span
                return f"{label} (lambda at {s.line}:{s.col} performs {effect.name})"
        for hs, cs, var, clause in self.ks:
            if var.find() is r and effect in self.escaping(hs) | self.escaping(cs):
                s = clause.k.span
                return f"{label} (continuation '{clause.k.name}' at {s.line}:{s.col} resumes code that " \
                       f"performs {effect.name})"
        for decl, c in self.gens:
            if isinstance(c, T.EffectVar) and c.find() is r and effect in self.solution.get(id(decl), ()):
                return f"{label} (generator '{decl.name}' performs {effect.name})"
        for u in self.uses:
            if u.var is not None and u.var.find() is r and effect in self.subst(self.contrib(u.decl), u):
                return f"{label} (fn '{u.decl.name}' performs {effect.name})"
        if depth < 4:
            for u in self.uses:     # handed over by a fn, e.g. a lambda it returns
                for g, c in (u.map or {}).items():
                    if _rep(c) is r and effect in self.subst(self.low.get(g, ()), u):
                        inner = self._describe("", g, effect, depth + 1).strip()[1:-1]
                        return f"{label} (from '{u.decl.name}'{': ' + inner if inner else ''})"
        return label


def _closed(comp):
    """The closed set an effect component is bound to, or None."""
    return T.closed_effects(comp)


def _rep(c):
    return c.find() if isinstance(c, T.EffectVar) else c


def _same(a, b) -> bool:
    """Whether two effect components are one already (making them one would change nothing)."""
    ra, rb = _rep(a), _rep(b)
    if ra is rb:
        return True
    if isinstance(ra, T.EffectVar) and isinstance(rb, T.EffectVar):
        return False
    return T.closed_effects(ra) is not None and T.closed_effects(ra) == T.closed_effects(rb)


def _solved(e):
    return T.resolve_effect(e)


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
