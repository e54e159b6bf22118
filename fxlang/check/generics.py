"""Generics, monomorphised: instances of generic structs, enums and functions.

    Generics     mixin of the checker: instantiate / subst / fresh_instance / fn_instance / record_generic_use

A generic declaration is a *template*.  Its type parameters are rigid `types.Param`s while the template itself
is checked (so a mistake in a generic body is reported once, whatever its instantiations).

* Types: `S[int]` is a concrete types.Struct/Enum made by substituting the arguments into the template's
  fields/variants; equal instantiations are one object (a cache keyed by template and arguments), so codegen
  sees ordinary nominal types.  While a body is being inferred an instance may still have unknown arguments
  (`Some(x)` before x's type is known): such a *provisional* instance unifies with any instance of the same
  template argument by argument, and resolves to the canonical instance when the body is done.
* Functions: every use of a generic fn from a concrete body records its fresh type variables; when the body is
  done they are solved and the use is bound to the instance for those arguments: a deep copy of the template's
  (unannotated) declaration checked with the parameters replaced by the arguments.  Instances are checked in
  a worklist until no new instance appears; type arguments that keep growing (polymorphic recursion) are
  reported rather than instantiated forever.
"""

from __future__ import annotations

import copy

from fxlang.check import types as T
from fxlang.check.effect_vars import components, link, refresh
from fxlang.check.unify import ERROR
from fxlang.syntax import ast
from fxlang.syntax.ast import FN, Binding, VariantRef

MAX_TYPE_DEPTH = 24


def type_depth(t: T.Type) -> int:
    t = T.prune(t)
    if isinstance(t, (T.Array, T.Gen)):
        return 1 + type_depth(t.elem)
    if isinstance(t, T.Fn):
        return 1 + max([type_depth(p) for p in t.params] + [type_depth(t.result)])
    if isinstance(t, (T.Struct, T.Enum)) and t.args:
        return 1 + max(type_depth(a) for a in t.args)
    return 0


def has_params(t: T.Type) -> bool:
    """Whether `t` mentions a type parameter or an error (then it is not a type codegen may see)."""
    t = T.prune(t)
    if isinstance(t, T.Param) or t is ERROR:
        return True
    if isinstance(t, (T.Array, T.Gen)):
        return has_params(t.elem)
    if isinstance(t, T.Fn):
        return any(has_params(p) for p in t.params) or has_params(t.result)
    if isinstance(t, (T.Struct, T.Enum)):
        return any(has_params(a) for a in t.args)
    return False


def type_args_text(args) -> str:
    return ", ".join(str(a) for a in args)


class Generics:
    # -----------------------------------------------------------------------------------------------------
    # nominal types

    def is_template(self, t) -> bool:
        return isinstance(t, (T.Struct, T.Enum)) and bool(t.params)

    def instantiate(self, template, args: tuple, span=None):
        """The instance `template[args]`; canonical when the arguments are known, else provisional."""
        args = tuple(a.resolve() for a in args)
        key = (id(template), args)
        if any(T.has_vars(a) for a in args):
            inst = self.provisional.get(key)
            if inst is not None:
                return inst
            if any(type_depth(a) > MAX_TYPE_DEPTH for a in args):
                return self.instantiate(template, tuple(ERROR for _ in args), span)
            inst = self._new_instance(template, args)
            inst.canon = lambda a, tm=template: self.instantiate(tm, a)
            self.provisional[key] = inst
            self._fill(inst)
            return inst
        inst = self.type_instances.get(key)
        if inst is not None:
            for a, b in zip(args, inst.args):   # one type: the same effect variables (they are declarations')
                link(a, b)
            return inst
        if any(type_depth(a) > MAX_TYPE_DEPTH for a in args):
            if not self.depth_reported:
                self.depth_reported = True
                self.error(f"type {template.name} is instantiated with ever larger type arguments "
                           "(a generic type that contains itself with bigger arguments cannot be monomorphised)",
                           span or self.templates[id(template)][0].span)
            return ERROR
        memo: dict = {}
        given, args = args, tuple(refresh(a, None, True, memo) for a in args)
        for a, b in zip(given, args):
            link(a, b)
        inst = self._new_instance(template, args)
        inst.name = f"{template.name}[{type_args_text(args)}]"
        self.type_instances[key] = inst
        if self.templates_ready:
            self._fill(inst)
        else:
            self.unfilled.append(inst)
        return inst

    def _new_instance(self, template, args):
        inst = (T.Struct if isinstance(template, T.Struct) else T.Enum)(template.name, template.module)
        inst.generic = template.name
        inst.args = args
        inst.template = template
        return inst

    def _fill(self, inst) -> None:
        template = inst.template
        mapping = dict(zip(template.params, inst.args))
        if isinstance(inst, T.Enum):
            inst.variants = [T.Variant(v.name, tuple(self.subst(p, mapping) for p in v.payload))
                             for v in template.variants]
        else:
            inst.fields = [(n, self.subst(t, mapping)) for n, t in template.fields]

    # -----------------------------------------------------------------------------------------------------
    # generic effects

    def instantiate_effect(self, template: T.Effect, args: tuple) -> T.Effect:
        """The instance `template[args]` of a generic effect: canonical (one object per argument tuple, so effect
        sets compare it by identity) when the arguments are known, else a provisional one that resolves to the
        canonical instance later (types.Effect.resolve)."""
        args = tuple(a.resolve() for a in args)
        provisional = any(T.has_vars(a) for a in args)
        key = (id(template), args)
        if not provisional:
            inst = self.effect_instances.get(key)
            if inst is not None:
                return inst
        inst = T.Effect(template.name, template.module)
        inst.generic, inst.args, inst.template = template.name, args, template
        mapping = dict(zip(template.params, args))
        inst.ops = [T.Op(o.name, tuple(self.subst(p, mapping) for p in o.params), self.subst(o.result, mapping))
                    for o in template.ops]
        if provisional:
            inst.canon = lambda a, tm=template: self.instantiate_effect(tm, a)
        else:
            self.effect_instances[key] = inst
        return inst

    def fresh_effect(self, template: T.Effect) -> T.Effect:
        """A provisional instance of a generic effect for a use whose arguments are inferred."""
        return self.instantiate_effect(template, tuple(T.TypeVar() for _ in template.params))

    def concrete_effects(self) -> list:
        """Every effect codegen compiles: the non-generic declarations and the instances with concrete
        arguments."""
        return [e for e in self.effects if not e.params] + [
            e for e in self.effect_instances.values() if not any(has_params(a) for a in e.args)]

    def fill_instances(self) -> None:
        """After every declaration is resolved: fill the instances made while resolving them."""
        self.templates_ready = True
        while self.unfilled:
            self._fill(self.unfilled.pop())

    def subst(self, t: T.Type, mapping: dict) -> T.Type:
        t = T.prune(t)
        if isinstance(t, T.Param):
            return mapping.get(t, t)
        if isinstance(t, T.Array):
            return T.Array(self.subst(t.elem, mapping))
        if isinstance(t, T.Gen):
            return T.Gen(self.subst(t.elem, mapping), t.effects)
        if isinstance(t, T.Fn):
            effs = t.effects
            if not isinstance(effs, T.EffectVar):
                effs = frozenset(self.subst_effect(e, mapping) for e in effs)
            return T.Fn(tuple(self.subst(p, mapping) for p in t.params), self.subst(t.result, mapping), effs)
        if isinstance(t, T.Cont):
            return T.Cont(self.subst(t.arg, mapping), self.subst(t.result, mapping))
        if isinstance(t, (T.Struct, T.Enum)) and t.template is not None:
            args = tuple(self.subst(a, mapping) for a in t.args)
            if all(x is y for x, y in zip(args, t.args)):
                return t
            return self.instantiate(t.template, args)
        return t

    def subst_effect(self, e, mapping: dict):
        if isinstance(e, T.YieldEffect):
            return T.YieldEffect(self.subst(e.elem, mapping))
        if isinstance(e, T.Effect) and e.template is not None:
            args = tuple(self.subst(a, mapping) for a in e.args)
            if all(x is y for x, y in zip(args, e.args)):
                return e
            return self.instantiate_effect(e.template, args)
        return e

    def fresh_instance(self, template, hint=None):
        """An instance of `template` for a use whose arguments are inferred (`hint` when it fits)."""
        h = T.prune(hint) if hint is not None else None
        if isinstance(h, (T.Struct, T.Enum)) and h.template is template:
            return h
        return self.instantiate(template, tuple(T.TypeVar() for _ in template.params))

    def instance_ref(self, ref: VariantRef | None, hint=None) -> VariantRef | None:
        """A variant of a generic enum template, made a variant of an instance."""
        if ref is None or not self.is_template(ref.enum):
            return ref
        inst = self.fresh_instance(ref.enum, hint)
        return VariantRef(inst, ref.index)

    # -----------------------------------------------------------------------------------------------------
    # functions

    def fresh_fn_type(self, decl: ast.FnDecl) -> tuple[T.Type, list]:
        """The type of one use of generic fn `decl`, with fresh type variables for its parameters."""
        params = self.fn_params[id(decl)]
        vs = [T.TypeVar() for _ in params]
        mapping = dict(zip(params, vs))
        ft = refresh(self.subst(decl.fn_type, mapping), self.var_owner)
        for a, b in components(decl.fn_type, ft):      # open rows name effects of the use's type arguments
            if isinstance(a, T.EffectVar) and isinstance(b, T.EffectVar) and a.hint:
                b.hint = frozenset(self.subst_effect(e, mapping) for e in a.hint)
        return ft, vs

    def record_generic_use(self, node, decl: ast.FnDecl, vs: list, ft=None, var=None) -> None:
        """`node` (a Call's callee Name, or a Name used as a value) uses generic `decl` at type variables
        `vs` with type `ft` (a value: with latent effect variable `var`); it is bound to an instance when the
        body is done (see bind_generic_uses)."""
        scope = self.tracker.stack[-1] if self.tracker.stack else None
        self.generic_uses.append((node, decl, vs, scope, ft, var))

    def bind_generic_uses(self, errors_before: int) -> None:
        uses, self.generic_uses = self.generic_uses, []
        if self.in_template():
            return
        for node, decl, vs, scope, ft, var in uses:
            args = tuple(v.resolve() for v in vs)
            if any(T.has_vars(a) for a in args):
                if len(self.errors) == errors_before:
                    bad = [p for p, a in zip(decl.type_params, args) if T.has_vars(a)]
                    self.error(f"cannot infer the type argument {bad[0]} of '{decl.name}'; add a type annotation",
                               node.span)
                continue
            if any(has_params(a) for a in args):
                continue
            inst = self.fn_instance(decl, args, node.span)
            if inst is None:
                continue
            node.binding = inst.binding
            call = self.generic_calls.get(id(node))
            if call is not None:
                call.type_args = args
            if scope is None or ft is None:
                continue
            if var is not None:
                self.tracker.use_value(inst, ft, var, node.span, self.tracker.body_of(scope))
            else:
                self.tracker.use_call(inst, ft, node.span, scope)

    def fn_instance(self, decl: ast.FnDecl, args: tuple, span=None) -> ast.FnDecl | None:
        key = (id(decl), args)
        inst = self.fn_instances.get(key)
        if inst is not None:
            return inst
        if any(type_depth(a) > MAX_TYPE_DEPTH for a in args):
            if not self.depth_reported:
                self.depth_reported = True
                self.error(f"generic function '{decl.name}' is instantiated with ever larger type arguments "
                           "(polymorphic recursion cannot be monomorphised)", span or decl.span)
            return None
        inst = copy.deepcopy(self.pristine[id(decl)])
        inst.type_params = []
        inst.instance_of = decl
        inst.type_args = args
        scope = self.decl_scopes[id(decl)]
        inst.qualname = f"{scope.module.name}.{decl.name}[{type_args_text(args)}]"
        # the instance's own effect variables where its type arguments have function types (shared by all uses
        # of the instance, each with its own effects: they are generic for it, see effect_solver.py)
        memo: dict = {}
        inst.effect_args = tuple(refresh(a, inst, False, memo) for a in args)
        saved = (self.mscope, self.tparams)
        self.mscope, self.tparams = scope, dict(zip(decl.type_params, inst.effect_args))
        try:
            self.fn_signature(inst)
        finally:
            self.mscope, self.tparams = saved
        inst.binding = Binding(decl.name, FN, False, inst.fn_type, inst)
        self.fn_instances[key] = inst
        self.instances.append(inst)
        self.pending_instances.append((inst, decl, args))
        return inst

    def check_instances(self) -> None:
        """Check the body of every instance, including those that instances need."""
        while self.pending_instances:
            inst, decl, args = self.pending_instances.pop(0)
            if id(decl) in self.bad_templates:
                continue
            saved = (self.mscope, self.tparams)
            self.mscope, self.tparams = self.decl_scopes[id(decl)], dict(zip(decl.type_params, inst.effect_args))
            try:
                self.check_fn(inst)
            finally:
                self.mscope, self.tparams = saved

    def in_template(self) -> bool:
        if not self.frames:
            return False
        node = self.frames[0].node
        return isinstance(node, ast.FnDecl) and bool(node.type_params)
