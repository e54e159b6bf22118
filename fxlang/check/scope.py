"""Module scopes and name lookup for the type checker (phases 1 and 2 of checking).

    ModuleScope     what one module declares, and the scopes of the modules it imports
    Declarations    mixin of the checker: declare items, resolve their types, look names up

Lookup order for a name: local scopes (innermost first), the module's own declarations, the declarations of
directly imported modules (ambiguous if two define it), the prelude (stdlib/prelude.fx, seen by every module),
then builtins.  Struct, enum, effect and exception names share one namespace; functions, globals, enum
variants and effect operations are looked up as values.  Inside a generic declaration its type parameters
come first for type names.
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass, field

from fxlang.check import types as T
from fxlang.check.fibers import SWITCH
from fxlang.check.unify import ERROR
from fxlang.diagnostics import Span
from fxlang.syntax import ast
from fxlang.syntax.ast import BUILTINS, FN, GLOBAL, Binding, OpRef, VariantRef


@dataclass
class ModuleScope:
    module: ast.Module
    types: dict = field(default_factory=dict)      # name -> (T.Struct | T.Enum | T.Effect, decl)
    values: dict = field(default_factory=dict)     # name -> (Binding, decl)   (fns and globals)
    variants: dict = field(default_factory=dict)   # name -> [VariantRef]
    ops: dict = field(default_factory=dict)        # operation name -> [OpRef]
    imports: list = field(default_factory=list)    # [ModuleScope]


class Declarations:
    # -----------------------------------------------------------------------------------------------------
    # declarations (phases 1 and 2)

    def declare(self, m: ast.Module) -> None:
        scope = ModuleScope(m)
        self.scopes[id(m)] = scope
        for d in m.items:
            if isinstance(d, (ast.StructDecl, ast.EnumDecl, ast.EffectDecl, ast.ExceptionDecl)):
                where = d.name_span or d.span
                if d.name in T.PRIMITIVES:
                    self.error(f"'{d.name}' is a built-in type and cannot be redefined", where)
                    continue
                if d.name in scope.types:
                    self.duplicate(d.name, where, scope.types[d.name][1])
                    continue
                if isinstance(d, ast.StructDecl):
                    d.struct = T.Struct(d.name, m.name)
                    scope.types[d.name] = (d.struct, d)
                    self.declare_params(d, d.struct, scope)
                    self.structs.append(d.struct)
                elif isinstance(d, ast.EffectDecl):
                    d.effect = T.Effect(d.name, m.name)
                    scope.types[d.name] = (d.effect, d)
                    self.declare_params(d, d.effect, scope)
                    self.effects.append(d.effect)
                elif isinstance(d, ast.ExceptionDecl):
                    d.exception = T.Exception(d.name, m.name)
                    scope.types[d.name] = (d.exception, d)
                    self.exceptions.append(d.exception)
                else:
                    d.enum = T.Enum(d.name, m.name)
                    scope.types[d.name] = (d.enum, d)
                    self.declare_params(d, d.enum, scope)
                    self.enums.append(d.enum)
            elif isinstance(d, (ast.FnDecl, ast.GlobalLet)):
                where = getattr(d, "name_span", None) or d.span
                if d.name in scope.values:
                    self.duplicate(d.name, where, scope.values[d.name][1])
                    continue
                if isinstance(d, ast.FnDecl):
                    d.binding = Binding(d.name, FN, False, None, d)
                    d.qualname = f"{m.name}.{d.name}"
                    if d.type_params:
                        self.pristine[id(d)] = copy.deepcopy(d)
                        self.decl_scopes[id(d)] = scope
                        self.check_param_names(d)
                        self.fn_params[id(d)] = tuple(T.Param(n, id(d)) for n in d.type_params)
                        self.templates_fn.append(d)
                    else:
                        self.functions.append(d)
                else:
                    d.binding = Binding(d.name, GLOBAL, d.mutable, None, d)
                    self.globals.append(d)
                scope.values[d.name] = (d.binding, d)

    def declare_params(self, d, t, scope) -> None:
        if d.type_params:
            self.check_param_names(d)
            t.params = tuple(T.Param(n, id(d)) for n in d.type_params)
            self.templates[id(t)] = (d, scope)

    def check_param_names(self, d) -> None:
        seen = set()
        for n in d.type_params:
            if n in seen:
                self.error(f"duplicate type parameter '{n}'", d.name_span or d.span)
            seen.add(n)

    def type_params_of(self, d) -> dict:
        t = d.struct if isinstance(d, ast.StructDecl) else d.enum if isinstance(d, ast.EnumDecl) else \
            d.effect if isinstance(d, ast.EffectDecl) else None
        if t is not None and t.params:
            return {p.name: p for p in t.params}
        if isinstance(d, ast.FnDecl) and id(d) in self.fn_params:
            return {p.name: p for p in self.fn_params[id(d)]}
        return {}

    def duplicate(self, name: str, span: Span, first) -> None:
        first_span = getattr(first, "name_span", None) or first.span
        self.error(f"duplicate definition of '{name}'", span, [("first defined here", first_span)])

    def resolve_declarations(self, m: ast.Module) -> None:
        self.mscope = scope = self.scopes[id(m)]
        for d in m.items:
            self.tparams = self.type_params_of(d)
            if isinstance(d, ast.ExceptionDecl) and d.exception is not None:
                d.exception.payload = tuple(self.resolve_type(t) for t in d.payload)
            elif isinstance(d, ast.StructDecl) and d.struct is not None:
                seen: dict[str, ast.FieldDecl] = {}
                for f in d.fields:
                    if f.name in seen:
                        self.error(f"duplicate field '{f.name}' in struct {d.name}", f.span,
                                   [("first defined here", seen[f.name].span)])
                        continue
                    seen[f.name] = f
                    d.struct.fields.append((f.name, self.resolve_type(f.ty)))
            elif isinstance(d, ast.EnumDecl) and d.enum is not None:
                seen_v: dict[str, ast.VariantDecl] = {}
                for v in d.variants:
                    if v.name in seen_v:
                        self.error(f"duplicate variant '{v.name}' in enum {d.name}", v.span,
                                   [("first defined here", seen_v[v.name].span)])
                        continue
                    seen_v[v.name] = v
                    d.enum.variants.append(T.Variant(v.name, tuple(self.resolve_type(t) for t in v.payload)))
                    ref = VariantRef(d.enum, len(d.enum.variants) - 1)
                    scope.variants.setdefault(v.name, []).append(ref)
            elif isinstance(d, ast.EffectDecl) and d.effect is not None:
                seen_o: dict[str, ast.OpDecl] = {}
                for o in d.ops:
                    if o.name in seen_o:
                        self.error(f"duplicate operation '{o.name}' in effect {d.name}", o.span,
                                   [("first defined here", seen_o[o.name].span)])
                        continue
                    seen_o[o.name] = o
                    result = self.resolve_type(o.result) if o.result is not None else T.UNIT
                    d.effect.ops.append(T.Op(o.name, tuple(self.resolve_type(t) for t in o.params), result))
                    scope.ops.setdefault(o.name, []).append(OpRef(d.effect, len(d.effect.ops) - 1))
            elif isinstance(d, ast.FnDecl) and d.binding is not None:
                seen_p: set[str] = set()
                for p in d.params:
                    if p.name in seen_p:
                        self.error(f"duplicate parameter '{p.name}'", p.span)
                    seen_p.add(p.name)
                self.fn_signature(d)
                d.binding.ty = d.fn_type
            elif isinstance(d, ast.GlobalLet) and d.binding is not None and d.ty is not None:
                d.binding.ty = self.resolve_type(d.ty)
        self.tparams = {}

    def fn_signature(self, d: ast.FnDecl) -> None:
        """Resolve `d`'s parameter and result types (and generator element type) into `d.fn_type`; the effect
        variables of its signature belong to `d` (they are generic for it, see effect_solver.py)."""
        saved, self.var_owner = self.var_owner, d
        try:
            params = [self.resolve_type(p.ty) for p in d.params]
            result = self.resolve_type(d.result) if d.result is not None else T.UNIT
        finally:
            self.var_owner = saved
        if isinstance(result, T.Gen):
            d.gen_elem = result.elem
        if d.declared_effects is not None:
            for r in d.declared_effects:
                if r.row:
                    self.error(f"an open effect row ('| {r.name}') belongs in a function type, not in a fn's "
                               "declared effects (leave the effects out to have them inferred)", r.span)
            self.declared[id(d)] = frozenset(self.resolve_effect(r) for r in d.declared_effects if not r.row)
        d.fn_type = T.Fn(tuple(params), result)

    def check_main(self) -> None:
        main_mod = self.program.main
        entry = self.scopes[id(main_mod)].values.get("main")
        if entry is None or not isinstance(entry[1], ast.FnDecl):
            self.error(f"no 'main' function in {main_mod.file}",
                       Span(main_mod.file, 1, 1, 1, 1))
            return
        fn = entry[1]
        self.main = fn
        where = fn.name_span or fn.span
        if fn.type_params:
            self.error("'main' cannot be generic", where)
        if fn.params:
            self.error("'main' must take no parameters", fn.params[0].span.to(fn.params[-1].span))
        if fn.fn_type is not None and T.prune(fn.fn_type.result) not in (T.UNIT, ERROR):
            self.error(f"'main' must return unit, not {fn.fn_type.result}", fn.result.span if fn.result else where)

    # -----------------------------------------------------------------------------------------------------
    # lookup

    def lookup_type(self, name: str, span: Span | None = None):
        scope = self.mscope
        if name in scope.types:
            return scope.types[name][0]
        found = [s for s in scope.imports if name in s.types]
        if found:
            if span is not None:
                self.check_ambiguous(name, found, span)
            return found[0].types[name][0]
        p = self.prelude
        if p is not None and name in p.types:
            return p.types[name][0]
        return None

    def check_ambiguous(self, name: str, scopes: list, span: Span) -> None:
        if len(scopes) > 1:
            mods = " and ".join(f"'{s.module.name}'" for s in scopes)
            self.error(f"ambiguous name '{name}': it is defined in modules {mods}", span)

    def resolve_type(self, t: ast.TypeExpr) -> T.Type:
        if isinstance(t, ast.NamedType):
            args = [self.resolve_type(a) for a in t.args]
            if t.name in self.tparams:
                if args:
                    return self.error(f"type parameter '{t.name}' takes no type arguments", t.span)
                return self.tparams[t.name]
            if t.name in T.PRIMITIVES:
                if args:
                    return self.error(f"type '{t.name}' takes no type arguments", t.span)
                return T.PRIMITIVES[t.name]
            found = self.lookup_type(t.name, t.span)
            if found is None and t.name == "Gen":     # built in, unless a program declares its own Gen
                if len(args) != 1:
                    return self.error(f"type 'Gen' takes 1 type argument but {len(args)} were given; write Gen[T]",
                                      t.span)
                return T.Gen(args[0], self.new_effect_var())
            if found is None:
                return self.error(f"unknown type '{t.name}'", t.span, self.hint(t.name, self.type_names()))
            if isinstance(found, T.Effect):
                return self.error(f"'{t.name}' is an effect, not a type", t.span)
            if isinstance(found, T.Exception):
                return self.error(f"'{t.name}' is an exception, not a type", t.span)
            n = len(found.params)
            if len(args) != n:
                if n == 0:
                    return self.error(f"type '{t.name}' takes no type arguments", t.span)
                s = "" if n == 1 else "s"
                ps = ", ".join(p.name for p in found.params)
                return self.error(f"type '{t.name}' takes {n} type argument{s} but {len(args)} were given; "
                                  f"write {t.name}[{ps}]", t.span)
            if n:
                return self.instantiate(found, tuple(args), t.span)
            return found
        if isinstance(t, ast.ArrayType):
            return T.Array(self.resolve_type(t.elem))
        if isinstance(t, ast.FnType):
            params = tuple(self.resolve_type(p) for p in t.params)
            result = self.resolve_type(t.result) if t.result is not None else T.UNIT
            if t.effects is None:           # no `/ {..}`: an effect variable (see effects.py)
                return T.Fn(params, result, self.new_effect_var())
            if t.effects and t.effects[-1].row:
                # an open row `{E.. | e}`: an effect variable like an unwritten set; the named effects are what
                # the value is expected to perform (they fix the type arguments of generic effects performed
                # in a lambda given this type)
                v = self.new_effect_var()
                v.hint = frozenset(x for x in (self.resolve_effect(r) for r in t.effects[:-1]) if x is not ERROR)
                return T.Fn(params, result, v)
            effects = frozenset(self.resolve_effect(r) for r in t.effects)
            return T.Fn(params, result, frozenset(e for e in effects if e is not ERROR))
        return self.error("invalid type", t.span)

    def new_effect_var(self) -> T.EffectVar:
        """A fresh effect variable owned by the top-level fn being checked (None outside one)."""
        return T.EffectVar(self.var_owner)

    def resolve_effect(self, r: ast.EffectRef):
        """An entry of an effect set: a types.Effect, a types.YieldEffect, or ERROR."""
        if r.name == "yield":
            return T.YieldEffect(self.resolve_type(r.args[0]))
        found = self.lookup_type(r.name, r.span)
        if isinstance(found, T.Effect):
            n = len(found.params)
            if len(r.args) != n:
                if n == 0:
                    return self.error(f"effect '{r.name}' takes no type arguments", r.span)
                s = "" if n == 1 else "s"
                ps = ", ".join(p.name for p in found.params)
                return self.error(f"effect '{r.name}' takes {n} type argument{s} but {len(r.args)} were given; "
                                  f"write {r.name}[{ps}]", r.span)
            if n:
                return self.instantiate_effect(found, tuple(self.resolve_type(a) for a in r.args))
            return found
        if found is None and r.name == SWITCH.name:     # the builtin effect of fibers (check/fibers.py)
            return SWITCH
        if found is None:
            names = [n for s in [self.mscope] + self.mscope.imports for n, v in s.types.items()
                     if isinstance(v[0], T.Effect)]
            return self.error(f"unknown effect '{r.name}'", r.span, self.hint(r.name, names))
        return self.error(f"'{r.name}' is not an effect", r.span)

    def lookup_exception(self, name: str, span: Span):
        found = self.lookup_type(name, span)
        if isinstance(found, T.Exception):
            return found
        if found is None:
            names = [n for s in [self.mscope] + self.mscope.imports for n, v in s.types.items()
                     if isinstance(v[0], T.Exception)]
            self.error(f"unknown exception '{name}'", span, self.hint(name, names))
        else:
            self.error(f"'{name}' is not an exception", span)
        return None

    def lookup_value(self, name: str, span: Span):
        """-> Binding, VariantRef list, "builtin", or None."""
        for scope in reversed(self.blocks):
            if name in scope:
                b = scope[name]
                self.note_use(b)
                return b
        ms = self.mscope
        if name in ms.values:
            return ms.values[name][0]
        if name in ms.variants:
            return ms.variants[name]
        found = [s for s in ms.imports if name in s.values]
        if found:
            self.check_ambiguous(name, found, span)
            return found[0].values[name][0]
        variants = [v for s in ms.imports for v in s.variants.get(name, [])]
        if variants:
            return variants
        p = self.prelude
        if p is not None:
            if name in p.values:
                return p.values[name][0]
            if name in p.variants:
                return p.variants[name]
        if name in BUILTINS:
            return "builtin"
        return None

    def lookup_enum(self, name: str, span: Span) -> T.Enum | None:
        t = self.lookup_type(name, span)
        if t is None:
            self.error(f"unknown enum '{name}'", span)
            return None
        if not isinstance(t, T.Enum):
            self.error(f"'{name}' is not an enum", span)
            return None
        return t

    def resolve_variant(self, enum_name: str | None, name: str, span: Span, hint: T.Type | None = None
                        ) -> VariantRef | None:
        if enum_name is not None:
            enum = self.lookup_enum(enum_name, span)
            if enum is None:
                return None
            i = enum.variant_index(name)
            if i < 0:
                self.error(f"enum {enum_name} has no variant '{name}'", span)
                return None
            return VariantRef(enum, i)
        hint = T.prune(hint) if hint is not None else None
        if isinstance(hint, T.Enum) and hint.variant_index(name) >= 0:
            return VariantRef(hint, hint.variant_index(name))
        found = self.lookup_value(name, span)
        if isinstance(found, list):
            if len(found) > 1:
                options = " or ".join(f"{v.enum.name}::{name}" for v in found)
                self.error(f"ambiguous variant '{name}': write {options}", span)
                return None
            return found[0]
        self.error(f"unknown variant '{name}'", span, self.hint(name, self.value_names()))
        return None

    def lookup_op(self, effect_name: str | None, name: str, span: Span) -> OpRef | None:
        if effect_name is not None:
            eff = self.lookup_type(effect_name, span)
            if not isinstance(eff, T.Effect):
                self.error(f"unknown effect '{effect_name}'" if eff is None else f"'{effect_name}' is not an effect",
                           span)
                return None
            i = eff.op_index(name)
            if i < 0:
                self.error(f"effect {effect_name} has no operation '{name}'", span)
                return None
            return OpRef(eff, i)
        ms = self.mscope
        found = list(ms.ops.get(name, []))
        if not found:
            found = [r for s in ms.imports for r in s.ops.get(name, [])]
        if not found:
            names = [n for s in [ms] + ms.imports for n in s.ops]
            self.error(f"unknown effect operation '{name}'", span, self.hint(name, names))
            return None
        if len(found) > 1:
            options = " or ".join(f"{r.effect.name}::{name}" for r in found)
            self.error(f"ambiguous operation '{name}': write {options}", span)
            return None
        return found[0]

    def visible_structs(self) -> list[T.Struct]:
        scopes = [self.mscope] + self.mscope.imports
        return [v[0] for s in scopes for v in s.types.values() if isinstance(v[0], T.Struct)]

    # -----------------------------------------------------------------------------------------------------
    # "did you mean"

    def hint(self, name: str, candidates) -> list:
        """A "did you mean" note when `name` looks like a misspelling of one of `candidates`."""
        close = difflib.get_close_matches(name, sorted(set(candidates) - {name}), n=1, cutoff=0.75)
        return [(f"did you mean '{close[0]}'?", None)] if close else []

    def visible_scopes(self) -> list:
        return [self.mscope] + self.mscope.imports + ([self.prelude] if self.prelude is not None else [])

    def value_names(self) -> list[str]:
        names = [n for scope in self.blocks for n in scope]
        for s in self.visible_scopes():
            names += list(s.values) + list(s.variants)
        return names + list(BUILTINS)

    def type_names(self) -> list[str]:
        return list(T.PRIMITIVES) + ["Gen"] + [n for s in self.visible_scopes() for n in s.types]
