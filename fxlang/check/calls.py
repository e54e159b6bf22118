"""Calls: direct, generic, through closures, builtins, enum constructors and continuation resumes.

    CallChecking    mixin of the checker: infer_Call, fn_value and what they need

A call through a function value performs its type's latent effects (a closed set, `fn() -> int / {State}`, or
an effect variable: effect_solver.py); a direct call of a fn uses a fresh copy of its signature (its effect variables
instantiated) and counts that fn's inferred effects; a generic fn's call is bound to its instance when the
body is done (generics.py).
"""

from __future__ import annotations

from fxlang.check import fibers, types as T
from fxlang.check.effect_vars import refresh
from fxlang.check.unify import ERROR, Deferred, has_length
from fxlang.syntax import ast
from fxlang.syntax.ast import FN, GLOBAL, VariantRef

PRINTABLE = (T.INT, T.FLOAT, T.BOOL, T.STR)


class CallChecking:
    def infer_Call(self, e: ast.Call, hint):
        callee = e.callee
        if isinstance(callee, ast.Name) and callee.name == "resume":
            kt = self.infer(callee)
            if callee.binding is None:
                for a in e.args:
                    self.infer(a)
                return ERROR
            return self.check_resume(e, T.prune(kt))
        if isinstance(callee, ast.Name):
            found = getattr(callee, "_forced", None) or self.lookup_value(callee.name, callee.span)
            if found == "builtin":
                e.kind = ast.CALL_BUILTIN
                e.builtin = callee.name
                result = self.check_builtin(e)
                # The callee gets the function type of this particular use, e.g. fn([int]) -> int for len.
                callee.ty = T.Fn(tuple(a.ty if a.ty is not None else ERROR for a in e.args), result)
                return result
            if isinstance(found, list) or (found is None and callee.name[:1].isupper()):
                ref = self.resolve_variant(None, callee.name, callee.span, hint)
                return self.check_variant_call(e, ref, hint)
            if found is None:
                for a in e.args:
                    self.infer(a)
                callee.ty = ERROR
                return self.error(f"unknown function '{callee.name}'", callee.span,
                                  self.hint(callee.name, self.value_names()))
            callee.binding = found
            e.kind = ast.CALL_FN if found.kind == FN else ast.CALL_CLOSURE
            if id(found) in self.k_bindings:
                callee.ty = found.ty
                return self.check_resume(e, T.prune(found.ty))
            if found.kind == FN:
                if found.decl.type_params:
                    ft, vs = self.fresh_fn_type(found.decl)
                    self.record_generic_use(callee, found.decl, vs, ft)
                    self.generic_calls[id(callee)] = e
                    callee.ty = ft
                    return self.check_args(e, ft, f"'{callee.name}'")
                if isinstance(found.decl.fn_type, T.Fn):
                    # this use's copy of the signature: its effect variables are instantiated (effect_solver.py)
                    ft = refresh(found.decl.fn_type, self.var_owner)
                    self.tracker.use_call(found.decl, ft, callee.span)
                    callee.ty = ft
                    return self.check_args(e, ft, f"'{callee.name}'")
            ft = self.global_binding_use(found, callee.span) if found.kind == GLOBAL else found.ty
            callee.ty = ft if ft is not None else ERROR
            return self.check_args(e, callee.ty, f"'{callee.name}'")
        if isinstance(callee, ast.Path):
            ref = self.resolve_variant(callee.enum, callee.name, callee.span)
            return self.check_variant_call(e, ref, hint)
        e.kind = ast.CALL_CLOSURE
        ft = self.infer(callee)
        return self.check_args(e, ft, "this function")

    def check_args(self, e: ast.Call, ft: T.Type, what: str) -> T.Type:
        t = T.prune(ft)
        if t is ERROR:
            for a in e.args:
                self.infer(a)
            return ERROR
        if isinstance(t, T.Cont):
            return self.check_resume(e, t)
        if isinstance(t, T.TypeVar):
            fn = T.Fn(tuple(T.TypeVar() for _ in e.args), T.TypeVar(), self.new_effect_var())
            self.unify(t, fn)
            t = fn
        if not isinstance(t, T.Fn):
            for a in e.args:
                self.infer(a)
            return self.error(f"cannot call a value of type {t}", e.callee.span)
        if not e.args and len(t.params) == 1 and T.prune(t.params[0]) is T.UNIT:
            # `f()` for a fn(unit) -> R (such as a stored continuation of a unit operation): unit has no value
            if e.kind == ast.CALL_CLOSURE:
                self.tracker.perform_latent(t.effects, e.span, "call through a function value")
            return t.result
        if not self.coerce_args(e, t.params, what):
            return ERROR
        if e.kind == ast.CALL_CLOSURE:
            self.tracker.perform_latent(t.effects, e.span, "call through a function value")
        return t.result

    def coerce_args(self, e, params, what: str) -> bool:
        """The arguments of a call-like node (call, variant, perform, throw) against `params`: each one
        coerced, or, on an arity mismatch, each one inferred and one error "<what> takes N arguments but M were
        given" reported (then False)."""
        if len(params) != len(e.args):
            for a in e.args:
                self.infer(a)
            n = len(params)
            self.error(f"{what} takes {n} argument{'' if n == 1 else 's'} but {len(e.args)} "
                       f"{'was' if len(e.args) == 1 else 'were'} given", e.span)
            return False
        for a, pt in zip(e.args, params):
            self.coerce(a, pt)
        return True

    def fn_value(self, e: ast.Name, b, hint) -> T.Type:
        """A top-level fn used as a value (not called)."""
        decl = b.decl
        var = self.new_effect_var()     # the value's latent effects: what calling decl performs (effect_solver.py)
        if decl.type_params:
            ft, vs = self.fresh_fn_type(decl)
            self.record_generic_use(e, decl, vs, ft, var)
            return T.Fn(ft.params, ft.result, var)
        if not isinstance(decl.fn_type, T.Fn):
            return ERROR
        ft = refresh(decl.fn_type, self.var_owner)
        self.tracker.use_value(decl, ft, var, e.span)
        return T.Fn(ft.params, ft.result, var)

    def check_variant_call(self, e: ast.Call, ref: VariantRef | None, hint=None) -> T.Type:
        ref = self.instance_ref(ref, hint)
        e.callee.ty = ERROR if ref is None else T.Fn(tuple(ref.payload), ref.enum)
        if ref is None:
            for a in e.args:
                self.infer(a)
            return ERROR
        e.kind = ast.CALL_VARIANT
        e.variant = ref
        e.callee.variant = ref
        if not self.coerce_args(e, ref.payload, f"variant '{ref.name}'"):
            return ERROR
        return ref.enum

    def check_builtin(self, e: ast.Call) -> T.Type:
        name, args = e.builtin, e.args

        def arity(*ns):
            if len(args) not in ns:
                for a in args:
                    self.infer(a)
                want = " or ".join(str(n) for n in ns)
                plural = "" if ns == (1,) else "s"
                self.error(f"'{name}' takes {want} argument{plural} but {len(args)} "
                           f"{'was' if len(args) == 1 else 'were'} given", e.span)
                return False
            return True

        if name in ("print", "println"):
            if not arity(*((0, 1) if name == "println" else (1,))):
                return T.UNIT
            if args:
                self.require(self.infer(args[0]), PRINTABLE, args[0].span, f"'{name}'")
            return T.UNIT
        if name == "str":
            if arity(1):
                self.require(self.infer(args[0]), PRINTABLE, args[0].span, "'str'")
            return T.STR
        if name == "len":
            if arity(1):
                t = T.prune(self.infer(args[0]))
                if isinstance(t, T.TypeVar):     # a string or an array: decided when the function is done
                    self.deferred.append(Deferred(t, has_length, args[0].span, "'len'"))
                elif t is not ERROR and t is not T.NEVER and not has_length(t):
                    self.error(f"'len' cannot be applied to {t}", args[0].span)
            return T.INT
        if name == "push":
            if not arity(2):
                return T.UNIT
            elem = T.TypeVar()
            at = self.infer(args[0], T.Array(elem))
            if not self.unify(at, T.Array(elem)):
                self.error(f"'push' cannot be applied to {at}", args[0].span)
                self.infer(args[1])
            else:
                self.coerce(args[1], elem)
            return T.UNIT
        if name == "pop":
            if not arity(1):
                return ERROR
            elem = T.TypeVar()
            at = self.infer(args[0], T.Array(elem))
            if not self.unify(at, T.Array(elem)):
                return self.error(f"'pop' cannot be applied to {at}", args[0].span)
            return elem
        if name in ("int", "float"):
            if arity(1):
                self.require(self.infer(args[0]), (T.INT, T.FLOAT), args[0].span, f"'{name}'")
            return T.INT if name == "int" else T.FLOAT
        if name in ("next", "cancel"):
            if not arity(1):
                return ERROR if name == "next" else T.UNIT
            elem = T.TypeVar()
            want = T.Gen(elem, self.new_effect_var())
            gt = self.infer(args[0], want)
            if T.prune(gt) is not T.NEVER and not self.unify(gt, want):
                self.error(f"'{name}' cannot be applied to {gt} (it takes a generator, Gen[T])", args[0].span)
                return ERROR if name == "next" else T.UNIT
            # stepping (or cancelling: its finally blocks run) performs what the generator's body does
            self.tracker.perform_latent(want.effects, e.span, f"{name} of a generator")
            self.note_gen_type(elem)
            return self.option_of(elem, e.span) if name == "next" else T.UNIT
        if name in ("byte", "slice", "chr"):
            want = {"byte": (T.STR, T.INT), "slice": (T.STR, T.INT, T.INT), "chr": (T.INT,)}[name]
            if arity(len(want)):
                for a, t in zip(args, want):
                    self.coerce(a, t)
            return T.INT if name == "byte" else T.STR
        if name == "panic":
            if arity(1):
                self.coerce(args[0], T.STR)
            return T.NEVER
        if name in ast.IO_BUILTINS:
            params, result = io_signature(name)
            if arity(len(params)):
                for a, t in zip(args, params):
                    self.coerce(a, t)
            return result
        if name in fibers.BUILTINS:
            return fibers.check_builtin(self, e)
        if name == "discontinue":
            if arity(1):
                self.check_discontinue(args[0])
            return T.UNIT
        return self.error(f"unknown builtin '{name}'", e.span)

    def check_discontinue(self, a: ast.Expr) -> None:
        """discontinue(k): k is a continuation fn(R) -> U (a clause's `k`, or one stored as a function value;
        whether it really is a continuation is checked when it runs).  Like calling it, through a function
        value it performs the effects its type carries, and so does a clause's own `k` (its latent effects)."""
        self.discontinues = True
        t = T.prune(self.infer(a))
        if t is ERROR or t is T.NEVER or isinstance(t, T.Cont):
            return
        if isinstance(t, T.TypeVar):
            fn = T.Fn((T.TypeVar(),), T.TypeVar(), self.new_effect_var())
            self.unify(t, fn)
            self.tracker.perform_latent(fn.effects, a.span, "discontinue through a function value")
            return
        if not isinstance(t, T.Fn) or len(t.params) != 1:
            self.error(f"'discontinue' cannot be applied to {t} (it takes a handler's continuation k)", a.span)
            return
        direct = isinstance(a, ast.Name) and a.binding is not None and id(a.binding) in self.k_bindings
        # the handled computation runs again (its finally blocks, under the same handler): k's latent effects
        self.tracker.perform_latent(t.effects, a.span, "discontinue" if direct else
                                    "discontinue through a function value")

    def check_resume(self, e: ast.Call, t) -> T.Type:
        """A call of a handler clause's continuation `k` (types.Fn((B,), H); types.Cont for old trees)."""
        e.kind = ast.CALL_RESUME
        if t is ERROR:
            for a in e.args:
                self.infer(a)
            return ERROR
        if isinstance(t, T.Fn):
            # resuming re-enters the handled computation under its handler: k's latent effects (exactly what
            # the handle contributes where it is, unless k was captured by a lambda called elsewhere)
            self.tracker.perform_latent(t.effects, e.span, "resume")
            t = T.Cont(t.params[0], t.result)
        if not e.args and T.prune(t.arg) is T.UNIT:
            return t.result
        if len(e.args) != 1:
            for a in e.args:
                self.infer(a)
            return self.error(f"resuming a continuation takes 1 argument but {len(e.args)} were given", e.span)
        self.coerce(e.args[0], t.arg)
        return t.result


def io_signature(name: str):
    """(parameter types, result type) of an I/O builtin (ast.IO_BUILTINS; docs/language.md, "Input and output")."""
    return {
        "sys_read": ((T.INT, T.INT), T.STR),            # (fd, max bytes) -> bytes read, "" at the end or on error
        "sys_write": ((T.INT, T.STR), T.INT),           # (fd, bytes) -> WASI errno
        "sys_preopen": ((T.INT,), T.STR),               # fd -> its preopened directory's name, "" if none
        "sys_open_at": ((T.INT, T.STR, T.INT), T.INT),  # (dir fd, path, mode 0 read 1 write 2 append) -> fd or -errno
        "sys_close": ((T.INT,), T.INT),                 # fd -> WASI errno
        "sys_args": ((), T.Array(T.STR)),               # the program's arguments, argv[0] first
        "sys_errno": ((), T.INT),                       # the errno of the last sys_read / sys_preopen
        "exit": ((T.INT,), T.NEVER),                    # proc_exit(code)
    }[name]
