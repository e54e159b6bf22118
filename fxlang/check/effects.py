"""Static effect inference: which effects may each function perform without handling them?

    EffectTracker     filled by the checker while it walks the bodies, then `solve()`d

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
