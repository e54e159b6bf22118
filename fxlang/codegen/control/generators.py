"""Generators (`Gen[T]`, `yield`, `for`, `next`, `cancel`) and exceptions (`throw`, `try/catch/finally`) on
WasmFX (docs/effects.md, "Generators", "Exceptions", "Cancellation").

Generators
* A generator is `$gen = (struct (field $k (mut (ref null $ck))))` with `$ck = (cont (func))`: its suspended
  body; null once it finished or was cancelled.  One representation for every element type.
* A generator fn `f(a..) -> Gen[T]` compiles to its body `$f.body (param a..)` and `$f`, which makes the
  generator without running it: `cont.new` of the body, `cont.bind` of the arguments, `struct.new $gen`.
* `yield v` is `suspend $yield<T>` with `(tag $yield<T> (param T))` — one tag per element type, so plain
  functions that yield (stackful generators) and nesting just work.
* `step<T>(k) -> (T?, k?)` `resume`s a continuation once under `(on $yield<T> $l)`; `advance<T>(g) -> (i32 got,
  T?)` takes the continuation out of `g` (null while it runs), steps it and puts the rest back.  `next(g)`
  wraps the result in `Option[T]` (a `match next(g)` uses the pair directly); `for` loops on it.
* A generator nobody else can reach — `for x in f(a..)`, or `let g = f(a..)` used only by next/for/cancel in
  its function — never becomes a `$gen`: its continuation lives in a local and `step` is called directly.
* `cancel(g)` is `resume_throw $cancel` into the suspended body (`cancel_k<T>`): its `finally` blocks run,
  the `$cancel` exception comes back out and is caught there.  `break`/`return` out of a `for` cancel its
  generator, and so does any exception leaving the loop (`_guard`: catch_all_ref, cancel, throw_ref).
* V8 (node 26) aborts when a `resume` ends up in one function with GC field operations, also by inlining:
  `step`/`cancel_k` only move locals, and every function calling them holds a WasmFX instruction (`mark`),
  so V8 never profiles and inlines those calls (docs/codegen.md, "Engine constraints").

Exceptions
* `exception E(A..)` is `(tag $E (param A..))`; `throw E(x)` is `throw $E`.
* `try { b } catch E(x) { h } catch _ { h2 } finally { f }`: a `try_table` with one `catch` per clause; `catch _`
  is `catch_all`, preceded by a `catch_ref $cancel` that rethrows (cancellation is not an fx exception), and
  likewise for `$escape` (a break/continue/return leaving a handler, fxlang/codegen/control/jumps.py).
  `finally` wraps it all in a `try_table (catch_all_ref)` that runs `f` and `throw_ref`s, and `f` also runs on
  normal exit and before every `return`/`break`/`continue` that leaves the `try` (`leaves` in the AST).
"""

from __future__ import annotations

from fxlang.check import types as T
from fxlang.codegen.layout import is_void, resolve, type_key
from fxlang.wasm import ref, ref_null
from fxlang.syntax import ast as A
from .effects import source_of
from .handlers import keep_out_of_liftoff


class Generators:
    def __init__(self, gen):
        self.gen = gen
        self.m, self.L = gen.m, gen.layout
        self._tags: dict = {}
        self._advance: dict = {}
        self._step: dict = {}
        self._cancel_k: dict = {}
        self._bodies: dict = {}
        self._local_sets: dict = {}
        self._cancel: dict = {}
        self._exn_tags: dict = {}
        self._cancel_tag = None
        self._let_decls: dict = {}      # Binding of `let g = f(..)` -> f's FnDecl (names in traces)
        self._unguarded: set = set()     # next(g) calls on local generators with no try/for around them
        # per function being generated (keys start with its FnGen):
        self._for_loops: dict = {}       # (g, For) -> ('named' | 'k' | 'gen', local): its continuation/generator
        self._gen_locals: dict = {}      # (g, Binding) -> local holding a named generator's continuation
        self._landings: dict = {}        # (g, Try, jump) -> the label of the jump's landing pad after the Try
        self._jump_values: dict = {}     # (g, jump) -> the local holding its value while it runs cleanups

    # ---- types ----------------------------------------------------------------------------------
    @property
    def ck(self):
        return self.L.gen_cont()

    @property
    def struct(self):
        return self.L.gen()

    def _stn(self, elem):
        """Storage of a maybe-absent element: numeric as is, references nullable."""
        st = self.L.st(elem)
        return st if isinstance(st, str) else ref_null(st.heap)

    def _default(self, f, elem):
        st = self._stn(elem)
        if isinstance(st, str):
            f.emit(f'{st}.const', 0)
        else:
            f.emit('ref.null', st.heap)

    def tag(self, elem):
        key = type_key(elem)
        if key not in self._tags:
            self._tags[key] = self.m.tags.add(self.m.types.func([self.L.st(elem)], []), name=f'yield {elem}')
        return self._tags[key]

    # ---- generator functions ---------------------------------------------------------------------
    def body_of(self, decl):
        """`$f.body (param a..)`: the code of generator fn `decl` (made on first use, by `$f` or a `for`)."""
        body = self._bodies.get(decl)
        if body is None:
            fn = resolve(decl.fn_type)
            name = self.gen.display_name(decl) + '.body'
            body = self._bodies[decl] = self.m.funcs.add(self.L.func_type(fn.params, T.UNIT), name=name)
        return body

    def make(self, wrapper, body_fn, n_params):
        """Body of `$f`: the generator over a not yet started `$f.body` applied to the arguments."""
        for i in range(n_params):
            wrapper.emit('local.get', i)
        self.start(wrapper, body_fn, n_params)
        wrapper.emit('i32.const', 0)            # not running
        wrapper.emit('struct.new', self.struct)

    def start(self, f, body_fn, n_params):
        """The arguments on the stack -> the not yet started continuation of body_fn applied to them."""
        if n_params:
            ct = self.m.types.cont(body_fn.type)
            f.emit('ref.func', body_fn)
            f.emit('cont.new', ct)
            f.emit('cont.bind', ct, self.ck)
        else:
            f.emit('ref.func', body_fn)
            f.emit('cont.new', self.ck)

    def yield_(self, g, e):
        g.expr(e.value)
        g.to_storage(e.elem)
        tr = self.gen.tracer
        if tr is not None:
            owner = source_of(g.owner)
            name = 'lambda' if isinstance(owner, A.Lambda) else getattr(owner, 'name', None) or 'generator'
            tr.line(g.f, f'yield in {name} at {tr.where(e.span)}')
        g.emit('suspend', self.tag(e.elem))

    # ---- tracing (fxlang/codegen/trace.py) -------------------------------------------------------------
    def _label(self, g, it) -> str:
        """The generator fn behind generator expression `it` when it is known here, else its variable name."""
        decl = self._fresh(it)
        if decl is None and isinstance(it, A.Name):
            self._local_set(g)
            decl = self._let_decls.get(it.binding)
            if decl is None:
                return it.name
        return decl.name if decl is not None else 'generator'

    def _trace_next(self, g, it, span):
        tr = self.gen.tracer
        if tr is not None:
            tr.line(g.f, f'next {self._label(g, it)} at {tr.where(span)}')

    # ---- advancing -------------------------------------------------------------------------------
    # V8 rule (docs/codegen.md, "Engine constraints"): the function holding `resume`/`resume_throw` (`step`,
    # `cancel_k`) touches only locals and constants, and every function that calls one of them holds a WasmFX
    # instruction of its own (`mark`), so Liftoff never compiles it, TurboFan never profiles its calls, and
    # never inlines the resume next to the GC operations of the caller.
    def mark(self, f):
        """keep_out_of_liftoff with the generator's types: a WasmFX instruction that never runs.  Emit it on a
        path that runs rarely (once per loop, on the way out of a finished generator)."""
        keep_out_of_liftoff(f, self.m.types.func([], []), self.ck)

    def step(self, elem):
        """step<T>(k: ref null $gen.cont) -> (T?, ref null $gen.cont): resume k once; the value it yielded and
        its rest, or (default, null) when it finished.  Only locals: it is what V8 must never inline."""
        key = type_key(elem)
        if key in self._step:
            return self._step[key]
        m = self.m
        step = m.funcs.add(m.types.func([ref_null(self.ck)], [self._stn(elem), ref_null(self.ck)]),
                           name=f'gen.step<{elem}>')
        step.name_param(0, 'k')
        with step.block(m.types.func([], [self.L.st(elem), ref(self.ck)])) as yielded:
            step.emit('local.get', 0)
            step.emit('resume', self.ck, [('on', self.tag(elem), yielded)])
            self._default(step, elem)
            step.emit('ref.null', self.ck)
            step.emit('return')
        self._step[key] = step
        return step

    def advance(self, elem):
        """advance<T>(g: ref $gen) -> (i32 got, T?): step the continuation held in g and put the rest back.
        While it runs, g holds no continuation and is marked `running`: a `next(g)` from inside g panics
        ("generator already running"); after g finished or threw, next says None (an exception coming out
        clears the mark on its way)."""
        key = type_key(elem)
        if key in self._advance:
            return self._advance[key]
        m, stn = self.m, self._stn(elem)
        step = self.step(elem)
        adv = m.funcs.add(m.types.func([ref(self.struct)], ['i32', stn]), name=f'gen.advance<{elem}>')
        adv.name_param(0, 'g')
        k, v = adv.local(ref_null(self.ck), 'k'), adv.local(stn, 'value')
        with adv.block() as finished:
            adv.emit('local.get', 0); adv.emit('struct.get', self.struct, 0); adv.emit('local.tee', k)
            adv.emit('ref.is_null')
            with adv.if_():
                adv.emit('local.get', 0); adv.emit('struct.get', self.struct, 1)
                with adv.if_():
                    self.gen.runtime.panic(adv, 'generator already running (next of a generator from inside it)')
                adv.emit('br', finished)
            adv.emit('local.get', 0); adv.emit('ref.null', self.ck); adv.emit('struct.set', self.struct, 0)
            adv.emit('local.get', 0); adv.emit('i32.const', 1); adv.emit('struct.set', self.struct, 1)
            with adv.block('exnref') as threw:
                adv.try_table(m.types.func([], [stn, ref_null(self.ck)]), [('catch_all_ref', threw)])
                adv.emit('local.get', k); adv.emit('call', step)
                adv.end()
                adv.emit('local.set', k); adv.emit('local.set', v)
                adv.emit('local.get', 0); adv.emit('i32.const', 0); adv.emit('struct.set', self.struct, 1)
                adv.emit('local.get', k); adv.emit('ref.is_null'); adv.emit('br_if', finished)
                adv.emit('local.get', 0); adv.emit('local.get', k); adv.emit('struct.set', self.struct, 0)
                adv.emit('i32.const', 1); adv.emit('local.get', v)
                adv.emit('return')
            adv.emit('local.get', 0); adv.emit('i32.const', 0); adv.emit('struct.set', self.struct, 1)
            adv.emit('throw_ref')
        self.mark(adv)
        adv.emit('i32.const', 0); self._default(adv, elem)
        self._advance[key] = adv
        return adv

    def next(self, g, e):
        """next(g) -> Option[T] (the concrete prelude instance is the call's type)."""
        elem = self._elem(e.args[0].ty)
        opt = e.ty
        some, none = opt.variant_index('Some'), opt.variant_index('None')
        v = g.tmp(self._stn(elem), 'next')
        self._trace_next(g, e.args[0], e.span)
        k = self._local_of(g, e.args[0])
        if k is not None:
            self._next_local(g, e, elem, k, v)
            self._got(g, k)
        else:
            g.expr(e.args[0])
            g.emit('call', self.advance(elem))
            g.emit('local.set', v)
        g.emit('if', g.L.vt(opt))
        g.emit('i32.const', some)
        if not is_void(elem):
            g.emit('local.get', v)
            if not isinstance(self.L.st(elem), str):
                g.emit('ref.as_non_null')
        else:
            g.emit('i32.const', 0)
        g.emit('struct.new', self.L.variant(opt, some))
        g.emit('else')
        g.emit('global.get', self.gen.nullary(A.VariantRef(opt, none)))
        g.emit('end')

    def match_next(self, g, e) -> bool:
        """`match next(g) { arms }` straight on advance's (got, value) pair: no `Some(v)` built, no tag read,
        no cast.  Arms: `Some(p)`, `None`, `_` (with guards); anything else (a name for the whole option)
        goes the general way — False, nothing emitted."""
        sc = e.scrutinee
        if not (isinstance(sc, A.Call) and sc.kind == A.CALL_BUILTIN and sc.builtin == 'next'):
            return False
        elem = self._elem(sc.args[0].ty)
        opt = resolve(sc.ty)
        some = opt.variant_index('Some')
        if is_void(elem) or not all(isinstance(a.pattern, A.WildcardPat) or
                                    (isinstance(a.pattern, A.VariantPat) and a.pattern.variant is not None)
                                    for a in e.arms):
            return False
        stn, st = self._stn(elem), self.L.st(elem)
        v = g.tmp(stn, 'next')
        self._trace_next(g, sc.args[0], sc.span)
        k = self._local_of(g, sc.args[0])
        if k is not None:
            self._next_local(g, sc, elem, k, v)
            if any(a.guard is not None for a in e.arms):      # a guard may step g again: keep `got`
                got = g.tmp('i32', 'got')
                self._got(g, k)
                g.emit('local.set', got)
            else:
                got = None                                      # k itself says it: null once finished
        else:
            got = g.tmp('i32', 'got')
            g.expr(sc.args[0])
            g.emit('call', self.advance(elem))
            g.emit('local.set', v)
            g.emit('local.set', got)
        with g.f.block(g.L.vt(e.ty)) as done:
            for n, arm in enumerate(e.arms):
                last = n == len(e.arms) - 1 and arm.guard is None
                with g.f.block() as nxt:
                    p = arm.pattern
                    if isinstance(p, A.VariantPat):
                        is_some = p.variant.index == some
                        if not last:
                            if got is None:
                                g.emit('local.get', k)
                                g.emit('ref.is_null')
                                if not is_some:
                                    g.emit('i32.eqz')
                            else:
                                g.emit('local.get', got)
                                if is_some:
                                    g.emit('i32.eqz')
                            g.emit('br_if', nxt)
                        sub = p.args[0] if is_some and p.args else None
                        if isinstance(sub, A.BindPat) and sub.binding is not None and isinstance(st, str) \
                                and not self.gen.is_boxed(sub.binding):
                            g.locals[sub.binding] = v           # a number: bound to the value's own local
                        elif sub is not None and not isinstance(sub, A.WildcardPat):
                            loc = v
                            if not isinstance(st, str):       # the pattern wants the non-null reference
                                loc = g.tmp(st, 'some')
                                g.emit('local.get', v); g.emit('ref.as_non_null'); g.emit('local.set', loc)
                            g.pattern(p.args[0], loc, elem, nxt, check=not last)
                    if arm.guard is not None:
                        g.expr(arm.guard)
                        g.emit('i32.eqz')
                        g.emit('br_if', nxt)
                    g.expr(arm.body)
                    g.coerce(arm.body.ty, e.ty)
                    g.emit('br', done)
            g.emit('unreachable')
        return True

    # ---- named generators kept in a local -------------------------------------------------------------
    # `let g = f(a..);` (f a generator fn) whose every use in this function is `next(g)`, `cancel(g)` or
    # `for x in g` — never a value passed on, stored or captured (no lambda, handle or nosuspend around a
    # use, which would run in another Wasm function) — needs no `$gen`: its continuation lives in a local,
    # nulled while it runs (so after g threw, `next(g)` says None, like `advance`) and once finished.
    _CLOSURES = (A.Lambda, A.Handle, A.NoSuspend)

    def _local_set(self, g):
        owner = g.owner
        if owner in self._local_sets:
            return self._local_sets[owner]
        found: set = set()
        body = getattr(owner, 'body', None) if isinstance(owner, (A.FnDecl, A.Lambda)) else None
        if isinstance(body, A.Node):
            lets, bad = {}, set()

            def walk(n, parent, hidden, guarded):
                if isinstance(n, A.Let) and not hidden and not n.mutable and n.binding is not None \
                        and self._fresh(n.value) is not None:
                    lets[n.binding] = n
                if isinstance(n, A.Let) and not n.mutable and n.binding is not None:
                    decl = self._fresh(n.value)
                    if decl is not None:
                        self._let_decls[n.binding] = decl
                if isinstance(n, A.Name) and n.binding is not None:
                    ok = not hidden and (
                        (isinstance(parent, A.Call) and parent.kind == A.CALL_BUILTIN and
                         parent.builtin in ('next', 'cancel') and parent.args and parent.args[0] is n) or
                        (isinstance(parent, A.For) and parent.iter is n))
                    if not ok:
                        bad.add(n.binding)
                    elif not guarded and isinstance(parent, A.Call) and parent.builtin == 'next':
                        self._unguarded.add(parent)
                inner = hidden or isinstance(n, self._CLOSURES)
                for c in A.children(n):
                    walk(c, n, inner, guarded or isinstance(n, (A.Try, A.For)))
            walk(body, None, False, False)
            found = {b for b in lets if b not in bad and not self.gen.is_boxed(b)}
        self._local_sets[owner] = found
        return found

    def let_(self, g, s) -> bool:
        """`let g = f(a..);` of a named generator kept in a local (True), else False and nothing emitted."""
        if s.binding not in self._local_set(g):
            return False
        k = g.tmp(ref_null(self.ck), s.name)
        for a in s.value.args:
            g.expr(a)
        self.start(g.f, self.body_of(self._fresh(s.value)), sum(1 for a in s.value.args if not is_void(a.ty)))
        g.emit('local.set', k)
        self._gen_locals[(g, s.binding)] = k
        return True

    def _local_of(self, g, e):
        """The local holding the continuation of the named generator `e` refers to, or None."""
        if isinstance(e, A.Name) and e.binding is not None:
            return self._gen_locals.get((g, e.binding))
        return None

    def _next_local(self, g, call, elem, k, v):
        """next on a generator kept in local k: v set (when there is one), k updated — null once g
        finished, so `k != null` afterwards is `got` (_got).  While the body runs k is null, so a
        generator that threw stays finished; that matters only when something in this function can catch
        the exception (a try, or a for loop's cancelling guard) and reach g again: without one, k dies with
        the frame and is not nulled."""
        with g.f.block() as out:
            g.emit('local.get', k); g.emit('ref.is_null'); g.emit('br_if', out)
            g.emit('local.get', k)
            if call not in self._unguarded:
                g.emit('ref.null', self.ck); g.emit('local.set', k)
            g.emit('call', self.step(elem))
            g.emit('local.set', k)
            g.emit('local.set', v)

    def _got(self, g, k):
        """After _next_local: push 1 when it produced a value."""
        g.emit('local.get', k); g.emit('ref.is_null'); g.emit('i32.eqz')

    # ---- for ------------------------------------------------------------------------------------------
    # `for x in f(a..)` with f a generator fn: the generator is the loop's own (no one else can name it), so
    # the loop takes its continuation out once and steps it from a local: per element one call of `step`
    # and no field access.  Any other generator expression may be shared (next(g) in the body, an outer
    # loop over the same g): the loop goes through `advance`, which keeps g's field up to date.
    def _fresh(self, it):
        """The generator fn declaration `it` calls, when `it` is a direct call of one; else None."""
        if not isinstance(it, A.Call) or it.kind != A.CALL_FN:
            return None
        decl = self.gen.decl_of(getattr(it.callee, 'binding', None))
        return decl if decl is not None and decl.gen_elem is not None else None

    def for_(self, g, e):
        elem = e.elem
        b = e.binding
        if b is not None and isinstance(self.L.st(elem), str) and not is_void(elem) and not self.gen.is_boxed(b):
            v = g.tmp(self._stn(elem), b.name)      # a number: the loop variable is the item's own local
            direct = True
        else:
            v = g.tmp(self._stn(elem), 'item')
            direct = False
        decl = self._fresh(e.iter)
        named = self._local_of(g, e.iter)
        if named is not None:
            self._for_loops[(g, e)] = ('named', named)
        elif decl is not None:
            # `$f`'s work done here (no $gen made): the cont.new also keeps Liftoff off this function
            k = g.tmp(ref_null(self.ck), 'k')
            for a in e.iter.args:
                g.expr(a)
            self.start(g.f, self.body_of(decl), sum(1 for a in e.iter.args if not is_void(a.ty)))
            g.emit('local.set', k)
            self._for_loops[(g, e)] = ('k', k)
        else:
            gl = g.tmp(ref(self.struct), 'generator')
            g.expr(e.iter)
            g.emit('local.set', gl)
            self._for_loops[(g, e)] = ('gen', gl)
        if _may_throw(g, e):
            self._guard(g, e, lambda: self._loop(g, e, elem, v, direct))
        else:       # nothing in the body can throw: no exception to cancel the generator for
            self._loop(g, e, elem, v, direct, guarded=False)

    def _guard(self, g, e, emit):
        """Around `emit()` (the code of `for` loop `e`): an exception leaving the loop — an fx exception,
        `$cancel`, or an `$escape` jump out of a handler (jumps.py) — cancels the loop's generator (its
        `finally` blocks run, innermost first) and goes on.  Cancelling is idempotent: the generator's
        continuation is taken out of its local/field before every step and every cancel, so a generator that
        threw, finished or was already cancelled by a `break` is not cancelled again."""
        exn = g.tmp('exnref', 'exception')
        with g.f.block() as done:
            with g.f.block('exnref') as caught:
                with g.f.try_table(None, [('catch_all_ref', caught)]):
                    emit()
                g.emit('br', done)
            g.emit('local.set', exn)
            self.cancel_loop(g, e)
            g.emit('local.get', exn)
            g.emit('throw_ref')

    def _loop(self, g, e, elem, v, direct, guarded=True):
        how, loc = self._for_loops[(g, e)]
        with g.f.block() as brk:
            with g.f.loop() as cont:
                g.loops[e] = (brk, cont)
                self._trace_next(g, e.iter, e.span)
                if how == 'named':      # may be finished already; nulled while it runs
                    g.emit('local.get', loc); g.emit('ref.is_null'); g.emit('br_if', brk)
                    g.emit('local.get', loc); g.emit('ref.null', self.ck); g.emit('local.set', loc)
                elif how == 'k':        # nulled while it runs: if it throws, the loop's guard has nothing to cancel
                    g.emit('local.get', loc)
                    if guarded:
                        g.emit('ref.null', self.ck); g.emit('local.set', loc)
                else:
                    g.emit('local.get', loc)
                if how != 'gen':
                    g.emit('call', self.step(elem))
                    g.emit('local.tee', loc)
                    g.emit('ref.is_null')
                    g.emit('br_if', brk)
                    g.emit('local.set', v)
                else:
                    g.emit('call', self.advance(elem))
                    g.emit('local.set', v)
                    g.emit('i32.eqz')
                    g.emit('br_if', brk)
                if direct:
                    g.locals[e.binding] = v
                elif e.binding is not None:
                    def value():
                        if not is_void(elem):
                            g.emit('local.get', v)
                            if not isinstance(self.L.st(elem), str):
                                g.emit('ref.as_non_null')
                    g.declare(e.binding, value)
                g.expr(e.body)
                if g.L.vt(e.body.ty) is not None:
                    g.emit('drop')
                g.emit('br', cont)

    def cancel_loop(self, g, e):
        """Cancel the generator of `for` loop `e` (a jump leaves it)."""
        how, loc = self._for_loops[(g, e)]
        tr = self.gen.tracer
        if tr is not None:          # reported only when there is something to cancel
            def is_null():
                g.emit('local.get', loc)
                if how == 'gen':
                    g.emit('struct.get', self.struct, 0)
                g.emit('ref.is_null')
            tr.guarded(g.f, is_null, f'cancel {self._label(g, e.iter)} at {tr.where(e.span)}')
        g.emit('local.get', loc)
        if how != 'gen':        # cancelled at most once (a break's cancel that throws meets the loop's guard)
            g.emit('ref.null', self.ck); g.emit('local.set', loc)
        g.emit('call', self.cancel_fn(e.elem) if how == 'gen' else self.cancel_k(e.elem))

    # ---- cancellation ----------------------------------------------------------------------------
    def cancel_tag(self):
        if self._cancel_tag is None:
            self._cancel_tag = self.m.tags.add(self.m.types.func([], []), name='cancel')
        return self._cancel_tag

    def cancel_k(self, elem):
        """cancel_k<T>(k: ref null $gen.cont): resume_throw $cancel into k (nothing when null); its finally
        blocks run.  Only locals, like `step`."""
        key = type_key(elem)
        if key in self._cancel_k:
            return self._cancel_k[key]
        m = self.m
        tag, cancel = self.tag(elem), self.cancel_tag()
        step = m.funcs.add(m.types.func([ref_null(self.ck)], []), name=f'gen.cancel_k<{elem}>')
        step.name_param(0, 'k')
        step.emit('local.get', 0); step.emit('ref.is_null')
        with step.if_():
            step.emit('return')
        with step.block() as caught:
            with step.block(m.types.func([], [self.L.st(elem), ref(self.ck)])) as yielded:
                with step.try_table(None, [('catch', cancel, caught)]):
                    step.emit('local.get', 0)
                    step.emit('resume_throw', self.ck, cancel, [('on', tag, yielded)])
                step.emit('return')
            step.emit('drop'); step.emit('drop')     # it yielded while unwinding: abandon it
        self._cancel_k[key] = step
        return step

    def cancel_fn(self, elem):
        """cancel<T>(g): take the continuation out of g (null: finished or cancelled) and cancel_k it."""
        key = type_key(elem)
        if key in self._cancel:
            return self._cancel[key]
        m = self.m
        step = self.cancel_k(elem)
        c = m.funcs.add(m.types.func([ref(self.struct)], []), name=f'gen.cancel<{elem}>')
        c.name_param(0, 'g')
        k = c.local(ref_null(self.ck), 'k')
        c.emit('local.get', 0); c.emit('struct.get', self.struct, 0); c.emit('local.tee', k)
        c.emit('ref.is_null')
        with c.if_():
            self.mark(c)
            c.emit('return')
        c.emit('local.get', 0); c.emit('ref.null', self.ck); c.emit('struct.set', self.struct, 0)
        c.emit('local.get', k); c.emit('call', step)
        self._cancel[key] = c
        return c

    def cancel(self, g, e):
        elem = self._elem(e.args[0].ty)
        tr = self.gen.tracer
        if tr is not None:
            tr.line(g.f, f'cancel {self._label(g, e.args[0])} at {tr.where(e.span)}')
        k = self._local_of(g, e.args[0])
        if k is not None:
            g.emit('local.get', k); g.emit('ref.null', self.ck); g.emit('local.set', k)
            g.emit('call', self.cancel_k(elem))
            return
        g.expr(e.args[0])
        g.emit('call', self.cancel_fn(elem))

    def _elem(self, t):
        t = t.resolve() if hasattr(t, 'resolve') else t
        return t.elem

    # ---- exceptions ------------------------------------------------------------------------------
    def exn_tag(self, exc):
        if exc not in self._exn_tags:
            params = [self.L.st(p) for p in exc.payload if not is_void(p)]
            self._exn_tags[exc] = self.m.tags.add(self.m.types.func(params, []), name=exc.name)
        return self._exn_tags[exc]

    def throw(self, g, e):
        for a in e.args:
            g.expr(a)
        g.rt.note_throw(g.f)                  # for the report of an uncaught exception (program.py)
        g.emit('throw', self.exn_tag(e.exception))

    def try_(self, g, e):
        bt = g.L.vt(e.ty)
        if e.finally_ is None:
            self._try_catch(g, e, bt)
            return
        exn = g.tmp('exnref', 'exception')
        # A jump (break / continue / return) leaving the body or a catch lands on a pad of its own after the
        # try_table, runs the finally there and goes on: run inside, an exception of the finally or of a later
        # cleanup would be caught by this very try_table and run the finally again.
        jumps = [j for j in _jumps_leaving(e) if g.is_local_jump(j)]   # the others leave as $escape
        with g.f.block(bt) as out:
            pads = [g.f.block() for _ in jumps]
            for j, pad in zip(jumps, pads):
                self._landings[(g, e, j)] = pad
            with g.f.block('exnref') as fin:
                with g.f.try_table(bt, [('catch_all_ref', fin)]):
                    if e.catches:
                        self._try_catch(g, e, bt)
                    else:
                        g.expr(e.body)
                        g.coerce(e.body.ty, e.ty)
                self.run_finally(g, e)
                g.emit('br', out)
            g.emit('local.set', exn)
            self.run_finally(g, e)
            g.emit('local.get', exn)
            g.emit('throw_ref')
            for j in reversed(jumps):
                g.f.end()
                del self._landings[(g, e, j)]
                self.run_finally(g, e)
                rest = list(j.leaves)
                g.go_on(j, rest[rest.index(e) + 1:], (g, j) in self._jump_values)

    # ---- cleanups on the way out (FnGen.go_on) ---------------------------------------------------------
    def cleanup(self, g, e, leaves) -> bool:
        """Jump `e` runs the cleanups of what it leaves, innermost first: cancel the generator of a For (its
        guard tolerates a second cancel), and for a Try with `finally` branch to the jump's landing pad after
        the Try's body (`try_`), which runs the finally *outside* the Try's handler and goes on with the
        rest.  True when the jump went to a pad (the code here is done)."""
        for n in leaves or ():
            if isinstance(n, A.For):
                self.cancel_loop(g, n)
            elif getattr(n, 'finally_', None) is not None:
                pad = self._landings.get((g, n, e))
                if pad is not None:
                    g.emit('br', pad)
                    return True
                self.run_finally(g, n)
        return False

    def jump_value(self, g, e, vt):
        """The local of g that holds jump e's value (of Wasm type vt) while it runs cleanups (one per jump:
        pads share it)."""
        key = (g, e)
        if key not in self._jump_values:
            self._jump_values[key] = g.tmp(vt, 'jump')
        return self._jump_values[key]

    def run_finally(self, g, e):
        g.expr(e.finally_)
        if g.L.vt(e.finally_.ty) is not None:
            g.emit('drop')

    def _try_catch(self, g, e, bt):
        m = self.m
        catches = list(e.catches)
        wild = [c for c in catches if c.exception is None]
        typed = [c for c in catches if c.exception is not None]
        with g.f.block(bt) as done:
            labels = {}
            opened = []
            if wild:
                opened.append(('any', g.f.block()))
                opened.append(('rethrow', g.f.block('exnref')))
            for c in reversed(typed):
                payload = [self.L.st(p) for p in c.exception.payload if not is_void(p)]
                opened.append((c, g.f.block(m.types.func([], payload)) if payload else g.f.block()))
            for key, lbl in opened:
                labels[key] = lbl
            clauses = [('catch', self.exn_tag(c.exception), labels[c]) for c in typed]
            if wild:
                clauses.append(('catch_ref', self.cancel_tag(), labels['rethrow']))
                if self.gen.jumps.tag is not None:       # a jump out of a handler passes too (jumps.py)
                    clauses.append(('catch_ref', self.gen.jumps.tag, labels['rethrow']))
                clauses.append(('catch_all', labels['any']))
            with g.f.try_table(bt, clauses):
                g.expr(e.body)
                g.coerce(e.body.ty, e.ty)
            g.emit('br', done)
            # handlers, innermost block first
            for key, lbl in reversed(opened):
                g.f.end()
                if key == 'rethrow':
                    g.emit('throw_ref')
                    continue
                if key == 'any':
                    c = wild[0]
                else:
                    c = key
                    params = [p for p, t in zip(c.params, c.exception.payload) if not is_void(t)]
                    temps = []
                    for p, t in zip(c.params, c.exception.payload):
                        if is_void(t):
                            continue
                        temps.append((p, g.tmp(self.L.st(t), 'payload')))
                    for p, tmp in reversed(temps):
                        g.emit('local.set', tmp)
                    for p, tmp in temps:
                        if p.binding is not None:
                            g.declare(p.binding, lambda tmp=tmp: g.emit('local.get', tmp))
                    del params
                g.expr(c.body)
                g.coerce(c.body.ty, e.ty)
                g.emit('br', done)
            g.emit('unreachable')


# Builtins that neither throw nor suspend (their failures are traps, which no `catch` sees).
_QUIET_BUILTINS = frozenset({'print', 'println', 'str', 'len', 'push', 'pop', 'int', 'float', 'byte', 'slice',
                             'chr'})
_QUIET_NODES = (A.IntLit, A.FloatLit, A.BoolLit, A.StrLit, A.UnitLit, A.Name, A.Path, A.ArrayLit, A.Index,
                A.Field, A.FieldInit, A.StructLit, A.Unary, A.Binary, A.Block, A.If, A.While, A.Loop, A.Let,
                A.Assign, A.ExprStmt, A.Match, A.MatchArm, A.Pattern, A.TypeExpr)


def _may_throw(g, loop) -> bool:
    """Whether running the body of `for` loop `loop` (in FnGen g) might raise a Wasm exception: an fx exception,
    `$cancel` (at a perform, yield or call that may suspend) or an `$escape` jump.  Conservative: anything
    but plain data, arithmetic, control flow inside the function, the quiet builtins, constructors and
    lambdas (not run here) counts as throwing."""
    inside = {loop}
    stack = [loop.body]
    while stack:
        n = stack.pop()
        if isinstance(n, A.Lambda):
            continue
        if isinstance(n, (A.While, A.Loop, A.For)):
            inside.add(n)
        if isinstance(n, A.Call):
            if not (n.kind == A.CALL_VARIANT or (n.kind == A.CALL_BUILTIN and n.builtin in _QUIET_BUILTINS)):
                return True
        elif isinstance(n, (A.Break, A.Continue)):
            if n.loop not in inside and n.loop not in g.loops:
                return True
        elif isinstance(n, A.Return):
            if not g.is_local_jump(n):
                return True
        elif not isinstance(n, _QUIET_NODES):
            return True
        stack.extend(A.children(n))
    return False


def _jumps_leaving(t) -> list:
    """The break / continue / return in Try `t`'s body and catch clauses (lambdas excluded: they are other
    functions; a `handle` body's included: such a jump is made at the handle, here) that leave `t`."""
    found, stack = [], [t.body, *t.catches]
    while stack:
        n = stack.pop()
        if isinstance(n, A.Lambda):
            continue
        if isinstance(n, (A.Break, A.Continue, A.Return)) and t in (getattr(n, 'leaves', None) or ()):
            found.append(n)
        stack.extend(A.children(n))
    return found
