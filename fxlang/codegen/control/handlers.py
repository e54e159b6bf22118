"""Deep effect handlers on WasmFX continuations (the machinery `handle`/`perform` lower to, effects.py).

    Handlers(module, layout, panic=None, cancel_tag=None, trace=None)
                                                 panic(f, message): emit a trap with a message (Runtime.panic);
                                                 trace(f, text): emit a trace line (fxlang/codegen/trace.py)
      .op(name, params, result) -> Op            declare an effect operation: a tag (param A..) (result R)
      .perform(f, op)                            at the current point of f: args on the stack -> R (`suspend`)
      .handle(f, body_type, ops, result)         at the current point of f: consumes the body closure, one
                                                 clause closure per op and the return clause; leaves U

Representation (docs/codegen.md, "Effects"): everything is an ordinary fx closure, so effects.py lowers
`handle { body } with { op(x), k => h, return r => hr }` to three kinds of closures and nothing else:

    body        fn() -> T
    clause_i    fn(A_i.., fn(R_i) -> U) -> U        `k` is a closure too, so it is a first-class value
    return      fn(T) -> U

`cont.new` turns the body's typed code reference into a continuation and a *driver* resumes it with one
`(on $op_i $label_i)` clause per handled operation.  Operations the handler does not list propagate to outer
handlers by WasmFX itself.  The handler is deep: the `k` given to a clause is a closure whose code resumes the
captured continuation through the same driver, so the handler is reinstalled for the rest of the body.
`k` is one-shot: its environment carries a `used` flag, and a second call traps with "continuation of effect
<Name> resumed twice" through `panic` (docs/host.md).  Without `panic` (unit tests of this module alone) the
Wasm-level one-shot check is the only one: "continuation already consumed".

Discontinue (only when the program uses it: `Handlers(..., cancel_tag=...)`): every k environment is a
subtype of `$k.base`, whose one field is k's cancelling code; `discontinue(k)` reaches it from k's closure
environment.  That code marks the handler activation as discontinued and `resume_throw`s `$cancel` into the
continuation under the same clauses (`handle.cancel.<op>`), catching the `$cancel` that comes back out.  The
ordinary drivers catch a `$cancel` too, and end quietly when their activation was discontinued (its cleanup
suspended and was resumed later), else rethrow it.  Operation answers are then nullable, so that a
continuation can be given placeholders with `cont.bind` before `resume_throw` (V8 crashes, now and then, on
`resume_throw` into a continuation that takes values).

One function holds the `resume`: `handle.drive(cur, handlers)`, a loop over a continuation of the
body that takes no values (`$ctb`); entering the handler (`handle.start`) and resuming a `k`
(`handle.resume.<op>`) bind what the continuation takes (`cont.bind`) and call it.  They are generated once
per distinct (T, U, ops, tail-resumptive clauses) signature and reused by every site with it.

Tail-resumptive clauses (effects.py decides: a clause whose every way out is `k(v)`, and that uses `k` nowhere
else) run in constant stack: such a clause is compiled as `fn(A..) -> R` giving the `v`, no `k` is built, and
the driver binds `v` into the captured continuation and goes round its loop (`handle.tr.<op>`), instead of
the clause calling k, whose code would nest another driver inside the clause.  So `ask(), k => k(1)` under a
loop of 10^6 performs uses the same stack as one perform.
"""

from __future__ import annotations

from dataclasses import dataclass

from fxlang.check import types as T
from fxlang.codegen.layout import CLO_CODE, CLO_ENV, is_void, type_key
from fxlang.wasm import Field, StructType, ref, ref_null
from fxlang.wasm.types import RefType


@dataclass(frozen=True)
class Op:
    """One effect operation: `tag` has type (param A..) (result R) with unit parts left out."""
    name: str
    tag: object
    params: tuple
    result: object
    effect: str = ''           # the effect's name, for messages
    answer: tuple = ()         # the tag's result value types (what the continuation after it takes)


def keep_out_of_liftoff(f, code: int, ct: int) -> None:
    """A dead `cont.new` at the top of a function that calls a `resume` driver (docs/codegen.md, "Engine
    constraints"): V8's baseline compiler refuses functions with WasmFX instructions, so the optimizing
    compiler builds this one up front, without call feedback, and never inlines the driver into it — inlining
    `resume` next to `struct.get`/`struct.new`/`ref.as_non_null` aborts node 26 ("Check failed:
    !op.Effects().can_write()").  `code` is a function type, `ct` = (cont code).  Costs one untaken branch."""
    f.emit('i32.const', 0)
    with f.if_():
        f.emit('ref.null', code); f.emit('cont.new', ct); f.emit('drop')


class Handlers:
    def __init__(self, module, layout, panic=None, cancel_tag=None, trace=None):
        """cancel_tag: None, or a function giving the `$cancel` exception tag; then every `k` can also be
        discontinued (see `discontinue`), which costs each k environment a field and each operation a driver.
        trace: None, or trace(f, text) emitting a report of `text` (fxc build --trace); then each `handle`
        site gets drivers of its own, whose k code reports `resume`/`discontinue` with the site."""
        self.m, self.L, self.panic, self.cancel_tag = module, layout, panic, cancel_tag
        self.trace = trace
        self._drivers: dict = {}
        self._kbase = self._kcancel = self._discontinue = None

    def kbase(self):
        """$k.base = (sub (struct (field (ref $k.cancel)))), the supertype of every k environment, and
        $k.cancel = (func (param structref)): how `discontinue` reaches any k's cancelling code."""
        if self._kbase is None:
            self._kcancel = self.m.types.func(['structref'], [], name='k.cancel')
            self._kbase = self.m.types.add(StructType((Field(ref(self._kcancel)),)), final=False, name='k.base')
        return self._kbase, self._kcancel

    def discontinue(self, f) -> None:
        """At the current point of f: the environment (structref) of a closure `k` is on the stack; cancel its
        continuation (docs/language.md, "Cancelling a continuation")."""
        if self._discontinue is None:
            self._discontinue = self._gen_discontinue()
        f.emit('call', self._discontinue)

    def _gen_discontinue(self):
        kbase, kcancel = self.kbase()
        f = self.m.funcs.add(self.m.types.func(['structref'], []), name='discontinue')
        f.name_param(0, 'env')
        f.emit('local.get', 0); f.emit('ref.test', ref(kbase)); f.emit('i32.eqz')
        with f.if_():
            if self.panic is not None:
                self.panic(f, 'discontinue of a function that is not a continuation')
            else:
                f.emit('unreachable')
        f.emit('local.get', 0)
        f.emit('local.get', 0); f.emit('ref.cast', ref(kbase)); f.emit('struct.get', kbase, 0)
        f.emit('call_ref', kcancel)
        return f

    # ---- operations ------------------------------------------------------------------------------
    def op(self, name, params, result, effect=None) -> Op:
        answer = tuple(self.L.results(result))
        if self.cancel_tag is not None:
            # V8 (node 26) crashes, now and then, on `resume_throw` into a continuation that takes values, so
            # discontinue binds placeholders first (cont.bind) — null for a reference: answers are nullable
            answer = tuple(ref_null(t.heap) if isinstance(t, RefType) else t for t in answer)
        ft = self.m.types.func([self.L.st(p) for p in params if not is_void(p)], list(answer))
        effect = effect if effect is not None else name.rsplit('.', 1)[0]
        return Op(name, self.m.tags.add(ft, name=name), tuple(params), result, effect, answer)

    def perform(self, f, op: Op) -> None:
        """Suspend with the operation's arguments (already on the stack); the handler's answer is left."""
        f.emit('suspend', op.tag)
        if op.answer and isinstance(op.answer[0], RefType) and op.answer[0].nullable:
            f.emit('ref.as_non_null')

    # ---- handle ----------------------------------------------------------------------------------
    def clause_type(self, op: Op, result, tail: bool = False) -> T.Fn:
        """fx type of a clause closure: fn(A.., fn(R) -> U) -> U; a tail-resumptive one: fn(A..) -> R."""
        if tail:
            return T.Fn(tuple(op.params), op.result)
        return T.Fn(tuple(op.params) + (T.Fn((op.result,), result),), result)

    def handle(self, f, body_result, ops, result, site=None, tail=None) -> None:
        """Stack: body closure (fn() -> T), clause closures in `ops` order, return closure (fn(T) -> U) -> U.
        site: where the handle is (`file.fx:L:C`), for traces; tail: per op, whether its clause is
        tail-resumptive (compiled with clause_type(op, U, True))."""
        tail = tuple(bool(x) for x in tail) if tail is not None else (False,) * len(ops)
        d = self._driver_set(body_result, tuple(ops), result, site if self.trace is not None else None, tail)
        if self.cancel_tag is not None:
            f.emit('i32.const', 0)              # not discontinued
        f.emit('struct.new', d.hset)            # the clause closures, bundled
        f.emit('call', d.enter)

    # ---- drivers ---------------------------------------------------------------------------------
    def _driver_set(self, t, ops, u, site=None, tail=None):
        tail = tail if tail is not None else (False,) * len(ops)
        key = (type_key(t), tuple(o.tag for o in ops), type_key(u), site, tail)
        got = self._drivers.get(key)
        if got is None:
            got = self._drivers[key] = _DriverSet(self, t, ops, u, site, tail)
        return got


class _DriverSet:
    """The functions and types of one (T, ops, U) handler signature.

    V8 (node 26) aborts compiling a function that holds a `resume` with handler clauses together with an
    instruction that may trap (`struct.get`, `ref.as_non_null`, ...): "Check failed: !op.Effects().can_write()".
    So the drivers that `resume` only move locals, build the continuation and `call`; all field access lives in
    small helpers (`handle.enter`, `handle.return`, `handle.on.<op>`, `k.<op>`)."""

    def __init__(self, hs: Handlers, t, ops, u, site=None, tail=None):
        m, L = hs.m, hs.L
        self.m, self.L, self.t, self.ops, self.u, self.panic = m, L, t, ops, u, hs.panic
        self.trace, self.site = hs.trace, site
        self.cancel_tag = hs.cancel_tag
        self.tail = tail if tail is not None else (False,) * len(ops)
        body_fn = T.Fn((), t)
        self.body_clo = L.clo(body_fn)
        self.body_code = L.code(body_fn)
        self.ret_fn = T.Fn((t,), u)
        self.clause_fns = [hs.clause_type(o, u, tr) for o, tr in zip(ops, self.tail)]
        self.k_fns = [T.Fn((o.result,), u) for o in ops]
        # $hset = (struct (field $op_i (ref $clo))... (field $return (ref $clo))), in the order `handle`
        # finds the closures on the stack
        # and, when k may be discontinued, whether this activation's body was (see _gen_cancelled)
        fields = [Field(ref(L.clo(c))) for c in self.clause_fns] + [Field(ref(L.clo(self.ret_fn)))]
        names = {**{i: o.name for i, o in enumerate(ops)}, len(ops): 'return'}
        if self.cancel_tag is not None:
            fields.append(Field('i32', True))
            names[len(ops) + 1] = 'discontinued'
        self.hset = m.types.add(StructType(tuple(fields)), name=f'handlers {"/".join(o.name for o in ops)}')
        m.names.fields.setdefault(self.hset, names)
        # continuation types: the body's start, the rest of the body after op_i (takes R_i), and either with
        # what it takes bound (what handle.drive resumes)
        self.ct0 = m.types.cont(self.body_code)
        self.ck = [m.types.cont(m.types.func(list(o.answer), L.results(t))) for o in ops]
        self.ctb = m.types.cont(m.types.func([], L.results(t)))
        # k's environment: the raw continuation, the handler set and the `used` flag (one-shot check); when
        # k may be discontinued, first its cancelling code, as a subtype of $k.base
        head, supers = (), ()
        if self.cancel_tag is not None:
            kbase, kcancel = hs.kbase()
            head, supers = (Field(ref(kcancel)),), (kbase,)
        self.kf = len(head)                      # index of the continuation field
        self.kenv = [m.types.add(StructType(head + (Field(ref(ck)), Field(ref(self.hset)), Field('i32', True))),
                                 supers, name=f'k.env {o.name}') for o, ck in zip(ops, self.ck)]
        res = L.results(u)
        hs_t = ref(self.hset)
        self.enter = m.funcs.add(m.types.func([ref(self.body_clo), hs_t], res), name='handle.enter')
        self.start = m.funcs.add(m.types.func(['structref', ref(self.body_code), hs_t], res), name='handle.start')
        self.drive = m.funcs.add(m.types.func([ref_null(self.ctb), hs_t], res), name='handle.drive')
        # per op: k's code and how it resumes (ordinary clauses), or the tail-resumptive step (handle.tr)
        plain = [not tr for tr in self.tail]

        def per_op(make, want=plain):
            return [make(i, o) if w else None for (i, o), w in zip(enumerate(ops), want)]
        self.resume_fns = per_op(lambda i, o: m.funcs.add(m.types.func(list(o.answer) + [ref(self.ck[i]), hs_t], res),
                                                          name=f'handle.resume.{o.name}'))
        self.on_return = m.funcs.add(m.types.func(L.results(t) + [hs_t], res), name='handle.return')
        self.on_ops = per_op(lambda i, o: m.funcs.add(m.types.func(self._args(o) + [ref(self.ck[i]), hs_t], res),
                                                      name=f'handle.on.{o.name}'))
        self.tr_ops = per_op(lambda i, o: m.funcs.add(m.types.func(self._args(o) + [ref(self.ck[i]), hs_t],
                                                                   [ref(self.ctb)]), name=f'handle.tr.{o.name}'),
                             self.tail)
        self.k_codes = per_op(lambda i, o: m.funcs.add(L.code(self.k_fns[i]), name=f'k.{o.name}'))
        if self.cancel_tag is not None:
            self.cancel_fns = per_op(lambda i, o: m.funcs.add(m.types.func([ref(self.ck[i]), hs_t], []),
                                                              name=f'handle.cancel.{o.name}'))
            self.k_cancels = per_op(lambda i, o: m.funcs.add(kcancel, name=f'k.cancel.{o.name}'))
            self.on_cancel = m.funcs.add(m.types.func(['exnref', hs_t], res), name='handle.cancelled')
            self._gen_cancelled()
        self._gen_enter()
        self._gen_start()
        self._gen_drive()
        self._gen_on_return()
        for i in range(len(ops)):
            if self.tail[i]:
                self._gen_tr(i)
                continue
            self._gen_resume(i)
            self._gen_on_op(i)
            self._gen_k(i)
            if self.cancel_tag is not None:
                self._gen_cancel(i)
                self._gen_k_cancel(i)

    def _args(self, op):
        return [self.L.st(p) for p in op.params if not is_void(p)]

    def _gen_enter(self):
        f = self.enter
        f.name_param(0, 'body'); f.name_param(1, 'handlers')
        keep_out_of_liftoff(f, self.body_code, self.ct0)
        f.emit('local.get', 0); f.emit('struct.get', self.body_clo, CLO_ENV)
        f.emit('local.get', 0); f.emit('struct.get', self.body_clo, CLO_CODE)
        f.emit('local.get', 1)
        f.emit('call', self.start)

    def _gen_start(self):
        """The body's continuation, its environment bound, driven."""
        f = self.start
        f.name_param(0, 'env'); f.name_param(1, 'code'); f.name_param(2, 'handlers')
        f.emit('local.get', 0); f.emit('local.get', 1); f.emit('cont.new', self.ct0)
        f.emit('cont.bind', self.ct0, self.ctb)
        f.emit('local.get', 2); f.emit('call', self.drive)

    def _gen_resume(self, i):
        """k's continuation, the answer bound, driven (a new activation of the driver: k was called by a
        clause that waits for what the rest of the body gives)."""
        f = self.resume_fns[i]
        n = len(self.ops[i].answer)
        if n:
            f.name_param(0, 'answer')
        f.name_param(n, 'k'); f.name_param(n + 1, 'handlers')
        keep_out_of_liftoff(f, self.body_code, self.ct0)
        for j in range(n + 1):
            f.emit('local.get', j)
        f.emit('cont.bind', self.ck[i], self.ctb)
        f.emit('local.get', n + 1); f.emit('call', self.drive)

    def _gen_drive(self):
        """A loop: resume `cur` under every op's clause; on return run the return clause, on op_i run clause
        i: an ordinary one gives the handler's value; a tail-resumptive one gives the continuation to resume
        next (handle.tr), and the loop goes round.  When k may be discontinued, a `$cancel` coming out goes to
        handle.cancelled (outside the clauses' blocks, so a clause's own cancellation is not taken for the
        body's)."""
        f, m, ops = self.drive, self.m, self.ops
        f.name_param(0, 'cur'); f.name_param(1, 'handlers')
        keep_out_of_liftoff(f, self.body_code, self.ct0)
        cancellable = self.cancel_tag is not None
        if cancellable:
            caught = f.block('exnref')
        top = f.loop()
        labels = []
        # one block per op, innermost first: block_i yields (A_i.., ref ck_i)
        for i in reversed(range(len(ops))):
            bt = m.types.func([], self._args(ops[i]) + [ref(self.ck[i])])
            labels.insert(0, f.block(bt))
        if cancellable:
            f.try_table(None, [('catch_ref', self.cancel_tag(), caught)])
        f.emit('local.get', 0)
        f.emit('resume', self.ctb, [('on', o.tag, lbl) for o, lbl in zip(ops, labels)])
        f.emit('local.get', 1)
        f.emit('call', self.on_return)
        f.emit('return')
        if cancellable:
            f.end()
            f.emit('unreachable')
        for i in range(len(labels)):
            f.end()                              # leaves A_i.., k_i
            f.emit('local.get', 1)
            if self.tail[i]:
                f.emit('call', self.tr_ops[i])
                f.emit('local.set', 0)
                f.emit('br', top)
            else:
                f.emit('call', self.on_ops[i])
                f.emit('return')
        f.end()                                  # loop
        f.emit('unreachable')
        if cancellable:
            f.end()                              # caught: the exnref
            f.emit('local.get', 1)
            f.emit('call', self.on_cancel)

    def _gen_tr(self, i):
        """A tail-resumptive clause: its value is k's answer; bound into the continuation for the driver's
        next round (the trace reports it as k's resume)."""
        f = self.tr_ops[i]
        nargs = len(self._args(self.ops[i]))
        for j in range(nargs):
            f.name_param(j, f'x{j}')
        f.name_param(nargs, 'k.raw'); f.name_param(nargs + 1, 'handlers')
        self._call_clause(f, nargs + 1, i, self.clause_fns[i], list(range(nargs)))
        self._trace(f, 'resume', i)
        f.emit('local.get', nargs)
        f.emit('cont.bind', self.ck[i], self.ctb)

    def _gen_cancelled(self):
        """A `$cancel` came out of the body: the end of a discontinue whose cleanup suspended and was resumed
        later by an ordinary k (the handler's result is then unit; a valued handler panics, having no value
        to give).  Any other `$cancel` (a generator's cancellation unwinding through the body) goes on."""
        f = self.on_cancel
        f.name_param(0, 'exception'); f.name_param(1, 'handlers')
        f.emit('local.get', 1); f.emit('struct.get', self.hset, len(self.ops) + 1); f.emit('i32.eqz')
        with f.if_():
            f.emit('local.get', 0); f.emit('throw_ref')
        if self.L.results(self.u):
            if self.panic is not None:
                self.panic(f, f'a discontinued continuation of effect {self.ops[0].effect} ended its cleanup '
                              f'in a resume that wants a value')
            else:
                f.emit('unreachable')

    def _gen_on_return(self):
        f = self.on_return
        n = len(self.L.results(self.t))
        if n:
            f.name_param(0, 'result')
        f.name_param(n, 'handlers')
        self._call_clause(f, n, len(self.ops), self.ret_fn, list(range(n)))

    def _gen_on_op(self, i):
        """Clause i gets the op's arguments and `k`, a closure resuming the raw continuation."""
        f = self.on_ops[i]
        nargs = len(self._args(self.ops[i]))
        for j, p in enumerate(x for x in self.ops[i].params if not is_void(x)):
            f.name_param(j, f'x{j}')
        f.name_param(nargs, 'k.raw'); f.name_param(nargs + 1, 'handlers')
        k_clo = self.L.clo(self.k_fns[i])
        k = f.local(ref(k_clo), 'k')
        f.emit('ref.func', self.k_codes[i])
        if self.cancel_tag is not None:
            f.emit('ref.func', self.k_cancels[i])
        f.emit('local.get', nargs); f.emit('local.get', nargs + 1); f.emit('i32.const', 0)
        f.emit('struct.new', self.kenv[i])
        f.emit('struct.new', k_clo)
        f.emit('local.set', k)
        self._call_clause(f, nargs + 1, i, self.clause_fns[i], list(range(nargs)) + [k])

    def _gen_k(self, i):
        """The code of the `k` closure: resume the captured continuation through the same handlers."""
        f = self.k_codes[i]
        kenv, kf = self.kenv[i], self.kf
        has_arg = not is_void(self.ops[i].result)
        e = self._k_entry(f, i, 'resume', 'resumed twice')
        if has_arg:
            f.name_param(1, 'answer')
            f.emit('local.get', 1)
        f.emit('local.get', e); f.emit('struct.get', kenv, kf)
        f.emit('local.get', e); f.emit('struct.get', kenv, kf + 1)
        f.emit('call', self.resume_fns[i])

    def _k_entry(self, f, i, what, misuse):
        """The start of k's code ($k) and of its cancelling code ($k.cancel): cast the environment into a
        local (returned), the one-shot check (a second use panics: "continuation of effect E <misuse>"), the
        trace line."""
        kenv, kf = self.kenv[i], self.kf
        f.name_param(0, 'env')
        e = f.local(ref(kenv), 'kenv')
        keep_out_of_liftoff(f, self.body_code, self.ct0)
        f.emit('local.get', 0); f.emit('ref.cast', ref(kenv)); f.emit('local.set', e)
        if self.panic is not None:
            f.emit('local.get', e); f.emit('struct.get', kenv, kf + 2)
            with f.if_():
                self.panic(f, f'continuation of effect {self.ops[i].effect} {misuse}')
            f.emit('local.get', e); f.emit('i32.const', 1); f.emit('struct.set', kenv, kf + 2)
        self._trace(f, what, i)
        return e

    def _trace(self, f, what, i):
        if self.trace is not None:
            op = self.ops[i].name.replace('.', '::', 1)
            self.trace(f, f'{what} {op} (handler at {self.site or "?"})')

    # ---- discontinue ---------------------------------------------------------------------------------
    def _gen_k_cancel(self, i):
        """k's cancelling code ($k.cancel): the one-shot check, then the cancelling driver."""
        f = self.k_cancels[i]
        kenv, kf = self.kenv[i], self.kf
        e = self._k_entry(f, i, 'discontinue', 'discontinued after it was used')
        f.emit('local.get', e); f.emit('struct.get', kenv, kf + 1)
        f.emit('i32.const', 1); f.emit('struct.set', self.hset, len(self.ops) + 1)
        f.emit('local.get', e); f.emit('struct.get', kenv, kf)
        f.emit('local.get', e); f.emit('struct.get', kenv, kf + 1)
        f.emit('call', self.cancel_fns[i])

    def _gen_cancel(self, i):
        """`resume_throw $cancel` into continuation i under the same clauses.  The `$cancel` coming back out
        ends it; an operation performed during the cleanup runs its clause as usual, whose result (like
        that of the return clause, which cancelled code cannot reach) is dropped: discontinue gives unit.
        The clauses run outside the `try_table`, so a `$cancel` of their own is not taken for this one."""
        f, m, ops = self.cancel_fns[i], self.m, self.ops
        f.name_param(0, 'k'); f.name_param(1, 'handlers')
        tag = self.cancel_tag()
        drop_u = self.L.results(self.u)
        labels = []
        for j in reversed(range(len(ops))):
            bt = m.types.func([], self._args(ops[j]) + [ref(self.ck[j])])
            labels.insert(0, f.block(bt))
        cancelled = f.block()
        f.try_table(None, [('catch', tag, cancelled)])
        ct = self.ck[i]
        if ops[i].answer:                        # placeholders for the answer: see Handlers.op
            for t in ops[i].answer:
                if isinstance(t, RefType):
                    f.emit('ref.null', t.heap)
                else:
                    f.emit(f'{t}.const', 0)
            f.emit('local.get', 0)
            ct = m.types.cont(m.types.func([], self.L.results(self.t)))
            f.emit('cont.bind', self.ck[i], ct)
        else:
            f.emit('local.get', 0)
        f.emit('resume_throw', ct, tag, [('on', o.tag, lbl) for o, lbl in zip(ops, labels)])
        f.emit('local.get', 1); f.emit('call', self.on_return)
        for _ in drop_u:
            f.emit('drop')
        f.emit('return')
        f.end()                                  # try_table
        f.end()                                  # cancelled: the cancellation came back out
        f.emit('return')
        for j in range(len(labels)):
            f.end()                              # suspended again during cleanup: A_j.., k_j
            f.emit('local.get', 1)
            if self.tail[j]:                     # the clause resumes at once: drive the rest of the cleanup
                f.emit('call', self.tr_ops[j])
                f.emit('local.get', 1); f.emit('call', self.drive)
            else:
                f.emit('call', self.on_ops[j])
            for _ in drop_u:
                f.emit('drop')
            f.emit('return')

    def _call_clause(self, f, hparam, field, fn, arg_locals):
        """Call closure `field` of the handler set with the values of `arg_locals`."""
        clo = self.L.clo(fn)
        f.emit('local.get', hparam); f.emit('struct.get', self.hset, field); f.emit('struct.get', clo, CLO_ENV)
        for loc in arg_locals:
            f.emit('local.get', loc)
        f.emit('local.get', hparam); f.emit('struct.get', self.hset, field); f.emit('struct.get', clo, CLO_CODE)
        f.emit('call_ref', self.L.code(fn))
