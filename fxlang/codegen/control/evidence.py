"""Evidence passing: handlers whose clauses all resume in tail position, compiled without continuations
(`fxc build --evidence`; docs/effects.md, "Evidence passing"), after Koka's evidence translation.

    Evidence(program_gen)            plans, for the whole program, which effects use evidence
      .uses(op)                      does a perform of `op` call its clause directly?
      .handles(e)                    is `handle` e compiled with evidence?
      .perform(g, op, args)          the direct call
      .handle(g, e, ops, t, h)       stack: body closure, tail clause closures (ops order), return closure -> H
      .stats                         {'handles': n, 'performs': n} compiled so (performs: suspends removed)

Algorithm.  An operation's *evidence* is a mutable global holding the closure of the clause that handles it
now: fn(A..) -> R, the clause's body with its final `k(v)` replaced by `v` (effects.tail_resumptive). A handle
compiled with evidence saves its operations' globals, sets them to its clauses, calls its body closure
directly (no cont.new, no resume, no driver loop), restores the globals on the way out — normally, or by an
exception (or a jump, which travels as one), which it then rethrows — and applies its return clause. A
perform of such an operation calls the clause found in the global at the perform site.

That has the handler's meaning only where nothing can tell the difference, which is decided per effect for
the whole program: an effect uses evidence when every `handle` of it qualifies:
  * every operation clause is tail-resumptive and *simple*: no perform, yield, throw, call of a function or
    closure (builtins other than next/cancel/discontinue/fibers are fine), handle, try, lambda, loop over a
    generator or jump — so running it at the perform site, inside the body's own handlers and try blocks,
    cannot reach any of them;
  * nothing may escape its body (the checker's `Handle.escaping` is empty, latent parts included) and no
    jump leaves it: the body never suspends past the handle, so the save/restore brackets of all handles
    nest in time like calls, and no continuation holds a part of a bracket;
  * every other effect it handles qualifies (a handle is compiled one way), to a fixpoint.
Then a perform of an evidence effect always runs inside a handle of it that set the global, so the perform
needs no fallback: its `suspend` is gone.  Handlers of other effects are untouched.
"""

from __future__ import annotations

from fxlang.check import types as T
from fxlang.syntax import ast as A
from fxlang.wasm import ref, ref_null

from ..layout import CLO_CODE, CLO_ENV
from .effects import tail_resumptive

UNSAFE_BUILTINS = frozenset({'next', 'cancel', 'discontinue', 'fiber', 'switch_to', 'fiber_run'})
UNSAFE_NODES = (A.Perform, A.Yield, A.Throw, A.Handle, A.Try, A.Lambda, A.Return, A.Break, A.Continue,
                A.Await, A.NoSuspend, A.For)


def simple(c) -> bool:
    """Can clause `c` run at the perform site unobserved (see the module docstring)?"""
    for n in A.walk(c.body):
        if isinstance(n, UNSAFE_NODES):
            return False
        if isinstance(n, A.Call):
            if n.kind == A.CALL_BUILTIN and n.builtin not in UNSAFE_BUILTINS:
                continue
            if n.kind == A.CALL_VARIANT:
                continue
            if n.kind == A.CALL_RESUME or (isinstance(n.callee, A.Name) and n.callee.binding is c.k.binding):
                continue                      # its own k, in tail position (tail_resumptive checked)
            return False
    return True


class Evidence:
    def __init__(self, gen, handles, enabled: bool):
        self.gen = gen
        self.stats = {'handles': 0, 'performs': 0}
        self._globals: dict = {}              # (effect, op index) -> global
        self.effects: set = set()             # effects using evidence
        self._handles: set = set()
        if enabled:
            self._plan(handles)

    # ---- planning ------------------------------------------------------------------------------------
    def _plan(self, handles) -> None:
        ok = {h for h in handles if self._qualifies(h)}
        by_effect: dict = {}
        for h in handles:
            for eff in h.handled:
                by_effect.setdefault(eff, []).append(h)
        effects = set(by_effect)
        while True:
            bad = {eff for eff in effects if any(h not in ok for h in by_effect[eff])}
            if not bad:
                break
            effects -= bad
            ok = {h for h in ok if all(eff in effects for eff in h.handled)}
        self.effects = effects
        self._handles = ok

    def _qualifies(self, h) -> bool:
        if h.escaping != frozenset() or h.clause_effects != frozenset() or self.gen.escapes.get(h):
            return False                      # (None: the checker did not say)
        return bool(h.clauses) and all(
            c.k.binding is not None and simple(c) and tail_resumptive(c, clause_fn(c.op).result) is not None
            for c in h.clauses)

    def uses(self, op_ref) -> bool:
        return op_ref.effect in self.effects

    def handles(self, e) -> bool:
        if e in self._handles:
            return True
        if any(eff in self.effects for eff in e.handled):     # planned from every handle: cannot happen
            raise AssertionError('a handle of an evidence effect was not planned')
        return False

    # ---- code ----------------------------------------------------------------------------------------
    def _global(self, op_ref):
        key = (op_ref.effect, op_ref.index)
        g = self._globals.get(key)
        if g is None:
            clo = self.gen.layout.clo(clause_fn(op_ref))
            name = f'evidence.{op_ref.effect.name}.{op_ref.effect.ops[op_ref.index].name}'
            g = self._globals[key] = self.gen.m.globals.add(ref_null(clo), [('ref.null', clo)], mutable=True,
                                                             name=name)
        return g

    def perform(self, g, op_ref, args) -> None:
        """`perform op(args)`: call the clause closure in op's global."""
        fn = clause_fn(op_ref)
        c = g.tmp(ref(g.L.clo(fn)), 'evidence')
        g.emit('global.get', self._global(op_ref))
        g.emit('ref.as_non_null')
        g.emit('local.set', c)

        def push_args():
            for a in args:
                g.expr(a)
        call_closure(g.f, g.L, fn, c, push_args)
        self.stats['performs'] += 1

    def handle(self, g, e, op_refs, t, h) -> None:
        """Stack: body closure fn() -> T, one tail clause closure fn(A..) -> R per op of `op_refs`, return
        closure fn(T) -> H; leaves the H value."""
        L, f = g.L, g.f
        body_fn, ret_fn = T.Fn((), t), T.Fn((t,), h)
        fns = [clause_fn(r) for r in op_refs]
        ret = g.tmp(ref(L.clo(ret_fn)), 'return')
        f.emit('local.set', ret)
        clauses = [g.tmp(ref(L.clo(fn)), 'clause') for fn in fns]
        for c in reversed(clauses):
            f.emit('local.set', c)
        body = g.tmp(ref(L.clo(body_fn)), 'body')
        f.emit('local.set', body)
        globals_ = [self._global(r) for r in op_refs]
        saved = [g.tmp(ref_null(L.clo(fn)), 'outer') for fn in fns]
        for gl, s, c in zip(globals_, saved, clauses):
            f.emit('global.get', gl); f.emit('local.set', s)
            f.emit('local.get', c); f.emit('global.set', gl)

        def restore():
            for gl, s in zip(globals_, saved):
                f.emit('local.get', s); f.emit('global.set', gl)

        vt = L.vt(t)
        with f.block(L.vt(h)) as done:        # (a unit T or H has no value: vt is None)
            with f.block('exnref') as caught:
                with f.try_table(vt, [('catch_all_ref', caught)]):
                    call_closure(f, L, body_fn, body)
                restore()
                if vt is None:
                    call_closure(f, L, ret_fn, ret)
                else:
                    value = g.tmp(vt, 'value')
                    f.emit('local.set', value)
                    call_closure(f, L, ret_fn, ret, lambda: f.emit('local.get', value))
                f.emit('br', done)
            restore()
            f.emit('throw_ref')
        self.stats['handles'] += 1


def clause_fn(op_ref) -> T.Fn:
    """fx type of an operation's tail-form clause, fn(A..) -> R (handlers.clause_type with tail)."""
    o = op_ref.effect.ops[op_ref.index]
    return T.Fn(tuple(o.params), o.result)


def call_closure(f, L, fn: T.Fn, clo: int, push_args=lambda: None) -> None:
    """Call the closure of type fn in local `clo`: its env, what push_args() leaves, its code."""
    f.emit('local.get', clo); f.emit('struct.get', L.clo(fn), CLO_ENV)
    push_args()
    f.emit('local.get', clo); f.emit('struct.get', L.clo(fn), CLO_CODE)
    f.emit('call_ref', L.code(fn))
