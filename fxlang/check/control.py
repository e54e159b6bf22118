"""Generators, exceptions and async in the checker: yield / for / try / throw / await / resume.

    ControlChecking    mixin of the checker: infer_Yield, infer_For, infer_Try, infer_Throw, infer_Await,
                       and the helpers they share with the rest of the checker

Jumps and cleanups: each body's frame keeps the stack of enclosing `try`s that have a `finally` and of
enclosing `for` loops (whose generator must be cancelled when the loop is left early).  `break`, `continue`
and `return` record the part of that stack they leave in `.leaves`, innermost first (see ast.py).
"""

from __future__ import annotations

from fxlang.check import types as T
from fxlang.check.generics import has_params
from fxlang.check.unify import ERROR
from fxlang.syntax import ast
from fxlang.syntax.ast import LOCAL, VariantRef

ASYNC_MODULE = "std.async"


class ControlChecking:
    # -----------------------------------------------------------------------------------------------------
    # generators

    def infer_Yield(self, e: ast.Yield, hint):
        frame = self.frames[-1]
        node = frame.node
        if isinstance(node, ast.GlobalLet) or (node is self.main_decl()):
            self.infer(e.value)
            where = "a global initialiser" if isinstance(node, ast.GlobalLet) else "'main'"
            return self.error(f"yield outside a generator: {where} cannot yield (only a fn returning Gen[T], "
                              "or a fn called from one, may yield)", e.span)
        if frame.gen_elem is not None:
            self.coerce(e.value, frame.gen_elem, f" (this generator yields {frame.gen_elem})")
            e.elem = frame.gen_elem
            # handled by the generator's own body scope, but visible to a `nosuspend` around it
            self.tracker.perform(T.YieldEffect(frame.gen_elem), e.span)
            return T.UNIT
        if frame.yield_ty is None:
            frame.yield_ty = T.TypeVar()
        t = self.infer(e.value, frame.yield_ty)
        self.expect(t, frame.yield_ty, e.value.span, " (every yield of a function yields the same type)")
        e.elem = frame.yield_ty
        self.note_gen_type(frame.yield_ty)
        self.tracker.perform(T.YieldEffect(frame.yield_ty), e.span)
        return T.UNIT

    def infer_For(self, e: ast.For, hint):
        if isinstance(e.iter, ast.Range):
            return self.for_as_loop(e, None)
        it = self.infer(e.iter)
        t = T.prune(it)
        if isinstance(t, T.Array):
            return self.for_as_loop(e, t)
        if isinstance(t, T.Gen):
            elem = t.elem
            self.tracker.perform_latent(t.effects, e.iter.span, "for over a generator")
        elif isinstance(t, T.TypeVar):
            elem = T.TypeVar()
            g = T.Gen(elem, self.new_effect_var())
            self.unify(t, g)
            self.tracker.perform_latent(g.effects, e.iter.span, "for over a generator")
        elif t is ERROR or t is T.NEVER:
            elem = ERROR
        else:
            elem = self.error(f"'for' iterates over a generator (Gen[T]), an array or a range a..b, not {t}", e.iter.span)
        e.elem = elem
        self.note_gen_type(elem)
        frame = self.frames[-1]
        self.blocks.append({})
        if e.name != "_":
            e.binding = self.declare_local(e.name, LOCAL, False, elem, e)
        frame.loops.append((e, None, len(frame.cleanups)))
        frame.cleanups.append(e)
        try:
            self.infer_block(e.body, None)
        finally:
            frame.cleanups.pop()
            frame.loops.pop()
            self.blocks.pop()
        return T.UNIT

    def for_as_loop(self, e: ast.For, array: T.Array | None):
        """`for x in lo..hi { body }` and `for x in xs { body }` (xs an array, already inferred) become, in place
        (the For node turns into this Block, so codegen only sees a loop):

            { let $end: int = hi; let mut $i: int = lo;            { let $xs = xs; let mut $i = 0;
              loop { if $i >= $end { break; }                        loop { if $i >= len($xs) { break; }
                     let x = $i; $i += 1; body } }                          let x = $xs[$i]; $i += 1; body } }

        The index moves on before the body, so `continue` needs nothing else; `x` is a new binding per
        iteration (closures capture each value).  An array's length is read at every step: elements pushed
        during the loop are visited too."""
        sp = e.span
        n = self.for_ids = getattr(self, "for_ids", 0) + 1
        i_name, src_name = f"$for{n}.i", f"$for{n}.src"

        def name(x):
            return ast.Name(x, sp)

        int_ty = ast.NamedType("int", sp)
        if array is None:
            rng = e.iter
            head = [ast.Let(src_name, False, int_ty, rng.hi, rng.hi.span),
                    ast.Let(i_name, True, int_ty, rng.lo, rng.lo.span)]
            end = name(src_name)
            item = name(i_name)
        else:
            self.pretyped[id(e.iter)] = array
            head = [ast.Let(src_name, False, None, e.iter, e.iter.span),
                    ast.Let(i_name, True, None, ast.IntLit(0, sp), sp)]
            length = name("len")
            length._forced = "builtin"      # the builtin, even where a program declares its own `len`
            end = ast.Call(length, [name(src_name)], sp)
            item = ast.Index(name(src_name), name(i_name), sp)
        stop = ast.If(ast.Binary(">=", name(i_name), end, sp),
                      ast.Block([ast.ExprStmt(ast.Break(None, sp), True, sp)], None, sp), None, sp)
        step = [ast.ExprStmt(stop, False, sp)]
        if e.name != "_":
            step.append(ast.Let(e.name, False, None, item, sp))
        step.append(ast.Assign(name(i_name), "+=", ast.IntLit(1, sp), sp))
        step.append(ast.ExprStmt(e.body, False, sp))
        loop = ast.Loop(ast.Block(step, None, sp), sp, from_for=True)
        block = ast.Block(head + [ast.ExprStmt(loop, False, sp)], None, sp)
        e.__class__ = ast.Block             # every reference to the For now sees the loop
        e.__dict__.clear()
        e.__dict__.update(block.__dict__)
        return self.infer_block(e, None)

    def infer_Range(self, e: ast.Range, hint):
        self.infer(e.lo)
        self.infer(e.hi)
        return self.error("a range 'a..b' is only allowed after 'for x in'", e.span)

    def note_gen_type(self, t) -> None:
        self.yield_types.append(t)

    def gen_types(self) -> list:
        out = []
        for t in self.yield_types:
            t = t.resolve()
            if not T.has_vars(t) and not has_params(t) and t not in out:
                out.append(t)
        return out

    def option_of(self, elem, span):
        """The prelude's Option[elem]."""
        template = self.prelude.types.get("Option", (None,))[0] if self.prelude is not None else None
        if not isinstance(template, T.Enum) or len(template.params) != 1:
            return self.error("'next' needs Option from the prelude (stdlib/prelude.fx is missing)", span)
        return self.instantiate(template, (elem,), span)

    # -----------------------------------------------------------------------------------------------------
    # exceptions

    def infer_Throw(self, e: ast.Throw, hint):
        exc = self.lookup_exception(e.name, e.span)
        if exc is None:
            for a in e.args:
                self.infer(a)
            return ERROR
        e.exception = exc
        if not self.coerce_args(e, exc.payload, f"exception '{exc.name}'"):
            return ERROR
        return T.NEVER

    def infer_Try(self, e: ast.Try, hint):
        frame = self.frames[-1]
        has_finally = e.finally_ is not None
        if has_finally:
            frame.cleanups.append(e)
        try:
            t = self.infer(e.body, hint)
            seen: dict = {}
            wildcard = None
            for c in e.catches:
                if wildcard is not None:
                    self.error("unreachable 'catch': the 'catch _' above it catches every exception", c.span)
                self.blocks.append({})
                try:
                    payload: tuple = ()
                    if c.name is None:
                        wildcard = c
                    else:
                        exc = self.lookup_exception(c.name, c.span)
                        if exc is not None:
                            c.exception = exc
                            payload = exc.payload
                            if id(exc) in seen:
                                self.error(f"exception '{exc.name}' is caught twice", c.span,
                                           [("first caught here", seen[id(exc)].span)])
                            seen[id(exc)] = c
                            if len(c.params) != len(payload):
                                n = len(payload)
                                self.error(f"exception '{exc.name}' carries {n} value{'' if n == 1 else 's'} but "
                                           f"the catch clause binds {len(c.params)}", c.span)
                    for i, prm in enumerate(c.params):
                        pt = payload[i] if i < len(payload) else ERROR
                        prm.binding = self.declare_local(prm.name, LOCAL, False, pt, prm)
                    ct = self.infer(c.body, hint)
                    where = c.body.tail.span if c.body.tail is not None else c.body.span
                    t = self.join(t, ct, where, " (the body of 'try' and its 'catch' clauses must have the same "
                                                "type)")
                finally:
                    self.blocks.pop()
        finally:
            if has_finally:
                frame.cleanups.pop()
        if has_finally:
            ft = self.infer(e.finally_)
            p = T.prune(ft)
            if p is not T.NEVER and p is not ERROR and not self.unify(T.UNIT, ft):
                where = e.finally_.tail.span if e.finally_.tail is not None else e.finally_.span
                self.error(f"type mismatch: expected unit, found {ft} (a 'finally' block has no value)", where)
        return t

    # -----------------------------------------------------------------------------------------------------
    # async

    def std_scope(self, name: str):
        for s in self.scopes.values():
            if s.module.name == name:
                return s
        return None

    def async_effect(self, d: ast.FnDecl) -> None:
        """An async fn performs Async (the effect std.async declares)."""
        s = self.std_scope(ASYNC_MODULE)
        eff = s.types.get("Async", (None,))[0] if s is not None else None
        if not isinstance(eff, T.Effect):
            self.error("an async fn needs the scheduler: add 'import std.async;'", d.name_span or d.span)
            return
        self.tracker.perform(eff, d.name_span or d.span, f"async fn {d.name}")

    def infer_Await(self, e: ast.Await, hint):
        frame = self.frames[-1]
        if not frame.may_await:
            self.infer(e.value)
            return self.error("'await' outside async: only an async fn (or a lambda inside one) may await", e.span)
        s = self.std_scope(ASYNC_MODULE)
        found = s.values.get("await_task") if s is not None else None
        if found is None:
            self.infer(e.value)
            return self.error("'await' needs the scheduler: add 'import std.async;' (its fn await_task)", e.span)
        callee = ast.Name("await_task", e.span)
        callee._forced = found[0]
        e.call = ast.Call(callee, [e.value], e.span)
        return self.infer(e.call, hint)

    def check_async_main(self) -> None:
        """An async main is started as std.async's run_main(main) (or run(main) where there is no run_main);
        it may be generic (then run[unit])."""
        m = self.main
        if m is None or not m.is_async:
            return
        s = self.std_scope(ASYNC_MODULE)
        if s is None:
            return          # already reported: an async fn needs the scheduler
        run = s.values.get("run_main") or s.values.get("run")
        decl = run[1] if run is not None and isinstance(run[1], ast.FnDecl) else None
        if decl is not None and decl.type_params:
            decl = self.fn_instance(decl, tuple(T.UNIT for _ in decl.type_params), m.span)
        ft = decl.fn_type if decl is not None else None
        ok = (isinstance(ft, T.Fn) and len(ft.params) == 1 and isinstance(T.prune(ft.params[0]), T.Fn)
              and not T.prune(ft.params[0]).params and T.prune(ft.params[0]).result == T.UNIT)
        if not ok:
            self.error("an async 'main' needs the scheduler's fn run(main: fn() -> unit / {Async}) in std.async",
                       m.name_span or m.span)
            return
        self.async_run = decl

    # -----------------------------------------------------------------------------------------------------
    # handlers: `resume`

    def resume_target(self, span):
        """The continuation that `resume` stands for: the innermost enclosing handler clause's `k`."""
        clauses = self.frames[-1].clauses if self.frames else []
        if not clauses or clauses[-1].k.binding is None:
            self.error("'resume' outside a handler: only the body of a handler clause can resume "
                       "(or call its continuation parameter, e.g. k(v))", span)
            return None
        return clauses[-1].k.binding

    def main_decl(self):
        m = self.program.main
        for d in m.items:
            if isinstance(d, ast.FnDecl) and d.name == "main":
                return d
        return None

    # -----------------------------------------------------------------------------------------------------
    # annotations that hold types besides `.ty`

    def resolve_annotations(self, n) -> None:
        v = getattr(n, "variant", None)
        if isinstance(v, VariantRef):
            enum = v.enum.resolve()
            if enum is not v.enum:
                n.variant = VariantRef(enum, v.index)
        for attr in ("struct", "elem", "body_ty"):
            t = getattr(n, attr, None)
            if isinstance(t, T.Type):
                setattr(n, attr, t.resolve())
        if isinstance(n, ast.Call) and n.type_args:
            n.type_args = tuple(a.resolve() for a in n.type_args)
