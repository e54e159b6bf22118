"""`perform`, `handle` and `nosuspend` in function bodies, on top of handlers.py.

    Effects(program_gen)
      .perform(g, e)       g: the codegen.expr.FnGen of the enclosing function, e: ast.Perform
      .handle(g, e)        e: ast.Handle
      .nosuspend(g, e)     e: ast.NoSuspend

`handle { body } with { op(x), k => h, return r => hr }` becomes three kinds of closures (handlers.py): the
body `fn() -> T`, one clause `fn(A.., cont) -> H` per operation and the return clause `fn(T) -> H` (the
identity when absent).  They are *thunks*: lambda-like pieces of the enclosing function compiled to functions
of their own, capturing what they use (captures.py), so `k` — a `types.Cont(R, H)`, represented like a closure
`fn(R) -> H` — can be called, stored and passed like any function value.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field

from fxlang.check import types as T
from fxlang.codegen.layout import CLO_ENV, resolve
from fxlang.diagnostics import FxError
from fxlang.syntax import ast as A

from .captures import free_variables
from .handlers import Handlers

_ids = itertools.count(1)


@dataclass(eq=False)
class Thunk:
    """Code of the enclosing function lowered to a closure; quacks like an ast.Lambda for the back end."""
    params: list                 # objects with `.binding`
    body: object                 # an Expr
    fn_type: T.Fn
    captures: list
    name: str
    span: object = None
    id: int = field(default_factory=lambda: next(_ids))
    source: object = None        # the FnDecl / Lambda whose code this is (for --trace: source names only)


def source_of(owner):
    """The source-level function (FnDecl or Lambda) whose code `owner` (a FnGen's owner) is."""
    return owner.source if isinstance(owner, Thunk) else owner


@dataclass(eq=False)
class _Param:
    binding: A.Binding


class Effects:
    def __init__(self, gen):
        self.gen = gen
        cancel_tag = (lambda: gen.generators.cancel_tag()) if gen.checked.discontinues else None
        trace = gen.tracer.line if gen.tracer is not None else None
        self.handlers = Handlers(gen.m, gen.layout, gen.runtime.panic, cancel_tag, trace)
        self._ops: dict = {}
        # tail-resumptive clauses in constant stack (handlers.py); FX_TAIL_RESUME=0 turns it off, for
        # bench/handler_speed.py's before/after
        self.tail_resume = os.environ.get('FX_TAIL_RESUME', '1') != '0'

    def op(self, ref):
        key = (ref.effect, ref.index)
        op = self._ops.get(key)
        if op is None:
            o = ref.effect.ops[ref.index]
            op = self._ops[key] = self.handlers.op(f'{ref.effect.name}.{o.name}', tuple(o.params), o.result,
                                                   effect=ref.effect.name)
        return op

    # ---- perform -------------------------------------------------------------------------------
    def perform(self, g, e):
        if self.gen.evidence.uses(e.op):            # the clause is called right here (evidence.py)
            self.gen.evidence.perform(g, e.op, e.args)
            return
        for a in e.args:
            g.expr(a)
        tr = self.gen.tracer
        if tr is not None:
            tr.line(g.f, f'perform {_op_name(e.op)} at {tr.where(e.span)}')
        self.handlers.perform(g.f, self.op(e.op))

    def builtin(self, g, e):
        """The calls panic(msg) and discontinue(k) (ast.LOWERED_BUILTINS)."""
        if e.builtin == 'panic':
            g.expr(e.args[0])
            g.emit('call', self.gen.runtime.panic_str())
            g.emit('unreachable')
            return
        a = e.args[0]
        t = resolve(a.ty)
        if isinstance(t, T.Cont):
            t = T.Fn((t.arg,), t.result)
        g.expr(a)
        if resolve(a.ty) is T.NEVER:
            return
        g.emit('struct.get', g.L.clo(t), CLO_ENV)
        self.handlers.discontinue(g.f)

    # ---- handle --------------------------------------------------------------------------------
    def handle(self, g, e):
        jumps = self.gen.escapes.get(e, ())
        if jumps:
            self.gen.jumps.site(g, e, jumps, lambda: self._handle(g, e))
        else:
            self._handle(g, e)

    def _handle(self, g, e):
        h, t = e.ty, e.body_ty
        where = f'{e.span.line}:{e.span.col}' if e.span else str(next(_ids))
        ops, clauses = [], {}
        for c in e.clauses:
            op = self.op(c.op)
            if op in clauses:
                raise FxError(f"operation '{c.op.name}' is handled twice", c.span)
            ops.append(op)
            clauses[op] = c
        for eff in e.handled:           # every operation of a handled effect is handled here
            for i in range(len(eff.ops)):
                op = self.op(A.OpRef(eff, i))
                if op not in clauses:
                    raise FxError(f"this handler has no clause for operation '{eff.name}::{eff.ops[i].name}'",
                                  e.span)
        evidence = self.gen.evidence.handles(e)     # no continuation at all (evidence.py)
        body = Thunk([], e.body, T.Fn((), t), free_variables([e.body]), f'handle@{where}.body', e.span)
        self.closure(g, body)
        tails = []
        for op in ops:
            c = clauses[op]
            params = [p if p.binding is not None else _Param(_dummy(pt)) for p, pt in zip(c.params, op.params)]
            tail_body = tail_resumptive(c, op.result) if self.tail_resume or evidence else None
            tails.append(tail_body is not None)
            if tail_body is not None:       # fn(A..) -> R: its value is k's answer (handlers.py, handle.tr)
                fn = self.handlers.clause_type(op, h, True)
                self.closure(g, Thunk(params, tail_body, fn, free_variables([c]),
                                      f'handle@{where}.{op.name}', c.span))
                continue
            k = c.k if c.k.binding is not None else _Param(_dummy(T.Fn((op.result,), h)))
            fn = self.handlers.clause_type(op, h)
            self.closure(g, Thunk(params + [k], c.body, fn, free_variables([c]),
                                  f'handle@{where}.{op.name}', c.span))
        if e.ret is not None:
            p = e.ret.param if e.ret.param.binding is not None else _Param(_dummy(t))
            ret = Thunk([p], e.ret.body, T.Fn((t,), h), free_variables([e.ret]), f'handle@{where}.return',
                        e.ret.span)
        else:
            b = _dummy(t, 'r')
            ret = Thunk([_Param(b)], A.Name('r', e.span, ty=t, binding=b), T.Fn((t,), h), [],
                        f'handle@{where}.return', e.span)
        self.closure(g, ret)
        if evidence:
            self.gen.evidence.handle(g, e, [clauses[op].op for op in ops], t, h)
            return
        site = self.gen.tracer.where(e.span) if self.gen.tracer is not None else None
        self.handlers.handle(g.f, t, ops, h, site, tails)

    def closure(self, g, thunk):
        thunk.source = source_of(g.owner)
        g.make_closure(thunk)

    # ---- nosuspend -----------------------------------------------------------------------------
    def nosuspend(self, g, e):
        """fxlang's `barrier` block: a suspension crossing it traps (on target standard the pass
        lower-barrier turns it into a trapping handler, fxlang/passes/lower_barrier.py)."""
        with g.f.barrier(g.L.vt(e.ty)):
            g.expr(e.body)
            g.coerce(e.body.ty, e.ty)


def tail_resumptive(c, answer):
    """The body of clause `c` with each `k(v)` in tail position replaced by `v`, when every way out of the body
    is such a call of its own `k` (or `resume(v)`) and `k` is used nowhere else; else None.  Tail positions: the
    body, a block's last expression, both branches of an `if`, every arm of a `match`.  The new nodes have type
    `answer` (the operation's result); the statements, conditions and patterns are the clause's own."""
    kb = c.k.binding
    if kb is None:
        return None
    uses = sum(1 for n in A.walk(c.body) if isinstance(n, A.Name) and n.binding is kb)
    found = [0]

    def tail(e):
        if isinstance(e, A.Call) and isinstance(e.callee, A.Name) and e.callee.binding is kb and len(e.args) <= 1:
            found[0] += 1
            return e.args[0] if e.args else A.UnitLit(e.span, ty=T.UNIT)
        if isinstance(e, A.Block) and e.tail is not None:
            t = tail(e.tail)
            return None if t is None else A.Block(e.stmts, t, e.span, ty=answer)
        if isinstance(e, A.If) and e.else_ is not None:
            a, b = tail(e.then), tail(e.else_)
            return None if a is None or b is None else A.If(e.cond, a, b, e.span, ty=answer)
        if isinstance(e, A.Match) and e.arms:
            arms = [tail(a.body) for a in e.arms]
            if any(x is None for x in arms):
                return None
            return A.Match(e.scrutinee, [A.MatchArm(a.pattern, a.guard, x, a.span) for a, x in zip(e.arms, arms)],
                           e.span, ty=answer)
        return None

    out = tail(c.body)
    return out if out is not None and found[0] == uses else None


def _op_name(ref) -> str:
    return f'{ref.effect.name}::{ref.effect.ops[ref.index].name}'


def _dummy(ty, name='_'):
    return A.Binding(name, A.PARAM, False, ty, None)
