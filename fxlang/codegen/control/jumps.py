"""`break`, `continue` and `return` that leave a `handle` body or clause (docs/codegen.md, "Jumps out of handlers").

    escaping_jumps(handle) -> list[Break | Continue | Return]     the jumps inside `handle` whose target is outside
    mark_activations(escapes)            give each catching `handle` and its jumps a shared `activation` binding
    Jumps(module, layout)
      .tag                               the `$escape` tag (no payload), or None when no jump escapes anywhere
      .throw(g, e, want, value)          at a jump in a handler's closure: store the value, throw `$escape`
      .site(g, e, jumps, emit)           at a `handle` in the function that owns the targets: catch and jump

A handle body and its clauses are closures (effects.py) that run on another stack or under the handler's
driver, so a Wasm branch cannot reach the loop or function they sit in.  An escaping jump is an exception
instead: it unwinds exactly like one — through `k` calls in clauses, the driver, the `finally` blocks in
between — up to the `handle` expression, where a `try_table` catches it and makes the real jump (running
the cleanups between the `handle` and the target).  Each jump has a program-wide number, stored in a global
before the throw; its value (a `break v` or `return v`) waits in one global per Wasm value type, read right
after the catch.  One tag for all jumps keeps `catch _` simple: it lets `$escape` through like `$cancel`.

A jump belongs to one *activation* of its catching `handle` (the outermost handle it leaves, the one in its
target's function), not to the source site: a saved `k` may be resumed while the same `handle` runs again
(recursion, or the next turn of a loop), and the newer activation must not make the older one's jump.  So
each catching handle counts its activations: on entry it takes a fresh i64 from the `escape.activations`
global into a local (its binding is `handle.activation`), which the body and clause closures capture by value
like any immutable variable (captures.py sees the binding on the handle and on each of its jumps).  A jump
stores that number in `escape.activation` next to its own number; the site rethrows unless both match.

Cleanups happen in nesting order, as for any exception: a `finally` runs as the exception passes it, and a
`for` loop that such a jump leaves inside the closures cancels its generator and rethrows, as it does for every
exception (generators.py, `_guard`).
The loops and `finally` blocks between the `handle` and the target (in the target's function) are left by
the real jump, which runs them like any `break`/`return` does.  A `k` resumed after its `handle` expression
finished has no catching `handle` left: the program's entry catches such a jump and panics
("break, continue or return out of a handler that has already finished").
"""

from __future__ import annotations

from fxlang.check import types as T
from fxlang.syntax import ast as A
from fxlang.wasm import RefType, ref_null


def escaping_jumps(handle) -> list:
    """Break/Continue/Return inside `handle` (not inside a lambda there) whose target lies outside it."""
    inside_loops, found = set(), []
    stack = [handle]
    while stack:
        n = stack.pop()
        if isinstance(n, A.Lambda):
            continue
        if isinstance(n, (A.While, A.Loop, A.For)):
            inside_loops.add(n)
        elif isinstance(n, (A.Return, A.Break, A.Continue)):
            found.append(n)
        stack.extend(A.children(n))
    return [j for j in found if isinstance(j, A.Return) or j.loop not in inside_loops]


def mark_activations(escapes: dict) -> None:
    """`escapes`: Handle -> escaping_jumps(handle).  Each jump is caught by the outermost handle it leaves
    (every handle it leaves lies between it and its target, so they nest); that handle and the jump get the
    same synthetic immutable int binding `activation` (free_variables in captures.py treats the handle as
    declaring it and the jump as using it, so the closures in between capture it)."""
    leaving: dict = {}
    for h, jumps in escapes.items():
        for j in jumps:
            leaving.setdefault(j, []).append(h)
    size: dict = {}

    def nodes(h):
        if h not in size:
            size[h] = sum(1 for _ in A.walk(h))
        return size[h]
    for j, handles in leaving.items():
        h = handles[0] if len(handles) == 1 else max(handles, key=nodes)   # nested: the outermost is largest
        if getattr(h, 'activation', None) is None:
            h.activation = A.Binding('activation', A.LOCAL, False, T.INT, h)
        j.activation = h.activation


class Jumps:
    def __init__(self, module, layout, needed: bool):
        self.m, self.L = module, layout
        self.tag = module.tags.add(module.types.func([], []), name='escape') if needed else None
        self._ids: dict = {}
        self._id_global = None
        self._slots: dict = {}
        self._activation_globals = None

    def _activations(self):
        """(the counter of activations of catching handles, the activation of the jump in flight)"""
        if self._activation_globals is None:
            self._activation_globals = tuple(
                self.m.globals.add('i64', [('i64.const', 0)], mutable=True, name=name)
                for name in ('escape.activations', 'escape.activation'))
        return self._activation_globals

    def _id(self, jump) -> int:
        return self._ids.setdefault(jump, len(self._ids) + 1)

    def _which(self):
        if self._id_global is None:
            self._id_global = self.m.globals.add('i32', [('i32.const', 0)], mutable=True, name='escape.jump')
        return self._id_global

    def _slot(self, vt):
        key = vt if isinstance(vt, str) else ('ref', vt.heap)
        g = self._slots.get(key)
        if g is None:
            if isinstance(vt, str):
                g = self.m.globals.add(vt, [(f'{vt}.const', 0)], mutable=True, name=f'escape.{vt}')
            else:
                g = self.m.globals.add(ref_null(vt.heap), [('ref.null', vt.heap)], mutable=True,
                                       name='escape.ref')
            self._slots[key] = g
        return g

    # ---- the closure side ------------------------------------------------------------------------
    def throw(self, g, e, vt, value) -> None:
        """`value()` pushes the jump's value (of Wasm type `vt`, None for none)."""
        if vt is not None:
            value()
            g.emit('global.set', self._slot(vt))
        g.emit('i32.const', self._id(e))
        g.emit('global.set', self._which())
        g.read(e.activation)             # captured from the catching handle's function (mark_activations)
        g.emit('global.set', self._activations()[1])
        g.emit('throw', self.tag)

    # ---- the handle side -------------------------------------------------------------------------
    def site(self, g, e, jumps, emit) -> None:
        """Around `emit()` (the handle expression's code): catch `$escape`; make each of `jumps` whose target
        is in g's function (running the cleanups between the handle and the target); rethrow the others."""
        own = [j for j in jumps if targets_here(g, j)]
        if not own:
            emit()
            return
        inside = set(A.walk(e))
        bt = g.L.vt(e.ty)
        exn = g.tmp('exnref', 'escape')
        counter, in_flight = self._activations()
        act = g.locals[e.activation] = g.tmp('i64', 'activation')
        g.emit('global.get', counter)
        g.emit('i64.const', 1)
        g.emit('i64.add')
        g.emit('local.tee', act)
        g.emit('global.set', counter)
        with g.f.block(bt) as done:
            with g.f.block('exnref') as caught:
                with g.f.try_table(bt, [('catch_ref', self.tag, caught)]):
                    emit()
                g.emit('br', done)
            g.emit('local.set', exn)
            with g.f.block() as other:       # a jump of another activation (or another handle): rethrow
                g.emit('global.get', in_flight)
                g.emit('local.get', act)
                g.emit('i64.ne')
                g.emit('br_if', other)
                for j in own:
                    g.emit('global.get', self._which())
                    g.emit('i32.const', self._id(j))
                    g.emit('i32.eq')
                    with g.f.if_():
                        g.jump(j, [n for n in j.leaves or () if n not in inside], self._loader(j, g))
            g.emit('local.get', exn)
            g.emit('throw_ref')

    def _loader(self, j, g):
        vt = g.jump_type(j)
        if vt is None:
            return None

        def load():
            g.emit('global.get', self._slot(vt))
            if isinstance(vt, RefType):
                g.emit('ref.as_non_null')
        return load


def targets_here(g, j) -> bool:
    """Whether jump `j`'s target (loop or function) is in the function FnGen `g` is generating."""
    if isinstance(j, A.Return):
        return g.owner is None or j.fn is g.owner
    return j.loop in g.loops
