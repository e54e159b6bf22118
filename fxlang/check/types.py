"""fx types, as the checker computes them and codegen reads them.

    INT  FLOAT  BOOL  STR  UNIT  NEVER     singletons (NEVER: the type of `return`, `break`, ...; it fits anywhere)
    Array(elem)                            `[T]`, a growable array of T (reference semantics)
    Struct(name, fields)                   nominal; `fields` is a list of (name, Type) in declaration order
    Enum(name, variants)                   nominal; `variants` is a list of Variant(name, payload types)
    Fn(params, result, effects)            `fn(T...) -> R / {E...}`; `effects` (the latent effects: what a call
                                           through such a value may perform) is either a closed frozenset of
                                           Effect/YieldEffect (written `/ {..}`) or an EffectVar (every function
                                           type written without `/ {..}` and every one the checker invents)
    Gen(elem, effects)                     `Gen[T]`, a generator of T; `effects` (an EffectVar, or a frozenset) is
                                           what stepping it (next / for / cancel) may perform besides its yields
    Cont(arg, result)                      (legacy) a one-shot continuation; the checker now types a handler's
                                           `k` as Fn((arg,), result)
    TypeVar                                checker-internal unification variable; never left in a checked tree
    Param(name)                            a type parameter inside a generic template; never reaches codegen

Effect(name, ops) is not a value type: an effect declaration, `ops[i]` an Op(name, params, result).
YieldEffect(elem) is the effect `yield T` (structural).  A generic effect's instances are Effects too
(`generic`, `args`; see Effect).  Exception(name, payload) is an exception declaration.
Struct and Enum (both Nominal) instances of a generic declaration have `generic` (the declaration's name) and `args`.

The effect component of Fn and Gen takes no part in equality or hashing (`fn(int) -> int` is one type for
codegen and for generic instances, whatever its effects); it is printed only when it is a closed, non-empty
set (a variable prints nothing).  EffectVar is a union-find node: `find()` is its representative, which may be
bound to a closed set (`closed`); `owner` is the top-level FnDecl whose signature or body made it (None for a
variable of a declaration: a struct field, a global, an effect operation, a generic type instance).

Struct and Enum compare by identity (two declarations are two types even with equal fields) and may be
recursive (`enum List { Cons(int, List), Nil }`), so their fields are filled after creation.  All other types
compare structurally.  `str(t)` spells the type as in source ("[int]", "fn(int) -> str").
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field


class Type:
    """Base of all types."""

    def resolve(self) -> "Type":
        """This type with solved type variables substituted (shallow for nominal types)."""
        return self


@dataclass(frozen=True)
class Prim(Type):
    name: str

    def __str__(self) -> str:
        return self.name


INT = Prim("int")
FLOAT = Prim("float")
BOOL = Prim("bool")
STR = Prim("str")
UNIT = Prim("unit")
NEVER = Prim("never")
FIBER = Prim("Fiber")       # a suspended thread of control; its builtins are typed in check/fibers.py

PRIMITIVES = {"int": INT, "float": FLOAT, "bool": BOOL, "str": STR, "unit": UNIT, "Fiber": FIBER}


@dataclass(frozen=True)
class Array(Type):
    elem: Type

    def resolve(self) -> Type:
        return Array(self.elem.resolve())

    def __str__(self) -> str:
        return f"[{self.elem}]"


_effect_var_ids = itertools.count(1)


class EffectVar:
    """An effect variable (union-find).  Checker-internal; see the module docstring."""

    __slots__ = ("parent", "closed", "owner", "id", "hint")

    def __init__(self, owner=None):
        self.parent: EffectVar | None = None
        self.closed: frozenset | None = None   # on a representative: bound to this closed set
        self.owner = owner
        self.hint: frozenset = frozenset()     # the named part of an open row `{State[int] | e}` (this object's)
        self.id = next(_effect_var_ids)

    def find(self) -> "EffectVar":
        r = self
        while r.parent is not None:
            r = r.parent
        while self.parent is not None and self.parent is not r:   # path compression
            self.parent, self = r, self.parent
        return r

    def __repr__(self) -> str:
        r = self.find()
        return f"?e{r.id}" if r.closed is None else "{" + effect_names(r.closed) + "}"


def closed_effects(component) -> frozenset | None:
    """The closed set an effect component stands for (yield types resolved), or None for an open variable."""
    if isinstance(component, EffectVar):
        component = component.find().closed
        if component is None:
            return None
    return frozenset(resolve_effect(e) for e in component)


def resolve_effect(e):
    """An entry of an effect set with solved type variables substituted (`yield T`, a generic effect's
    provisional instance)."""
    return e.resolve() if isinstance(e, (YieldEffect, Effect)) else e


def _resolve_component(c):
    if isinstance(c, EffectVar):
        return c
    return frozenset(resolve_effect(e) for e in c)


@dataclass(frozen=True)
class Fn(Type):
    params: tuple[Type, ...]
    result: Type
    effects: object = field(default=frozenset(), compare=False)   # frozenset (closed) or EffectVar

    def resolve(self) -> Type:
        return Fn(tuple(p.resolve() for p in self.params), self.result.resolve(), _resolve_component(self.effects))

    def __str__(self) -> str:
        ps = ", ".join(str(p) for p in self.params)
        effs = closed_effects(self.effects)
        if effs:
            return f"fn({ps}) -> {self.result} / {{{effect_names(effs)}}}"
        return f"fn({ps}) -> {self.result}"


@dataclass(frozen=True)
class Gen(Type):
    elem: Type
    effects: object = field(default=frozenset(), compare=False)   # what stepping it performs (besides yield)

    def resolve(self) -> Type:
        return Gen(self.elem.resolve(), _resolve_component(self.effects))

    def __str__(self) -> str:
        return f"Gen[{self.elem}]"


@dataclass(frozen=True)
class Param(Type):
    """A type parameter of a generic template (rigid: equal only to itself)."""
    name: str
    owner: int = 0          # id of the declaring template, so `T` of two templates differ

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class YieldEffect:
    """The effect `yield T`."""
    elem: Type

    @property
    def name(self) -> str:
        return f"yield {self.elem}"

    def resolve(self) -> "YieldEffect":
        return YieldEffect(self.elem.resolve())

    def __str__(self) -> str:
        return self.name


def effect_names(effects) -> str:
    return ", ".join(sorted(str(e.name) for e in effects))


class Exception_:
    """An exception declaration: `payload` the types it carries."""

    def __init__(self, name: str, module: str = "", payload: tuple = ()):
        self.name = name
        self.module = module
        self.payload: tuple = tuple(payload)

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"Exception({self.name})"


Exception = Exception_  # noqa: A001  (the public name; types.Exception)


class Nominal(Type):
    """A declared type (Struct or Enum), maybe an instance of a generic one; `module` is the dotted name of
    the declaring module."""

    def __init__(self, name: str, module: str = ""):
        self.name = name
        self.module = module
        self.generic: str | None = None     # for an instance of a generic declaration: the template's name
        self.args: tuple = ()               # ... and its type arguments
        self.params: tuple = ()             # for a generic template: its type parameters (Param)
        self.template = None                # checker-internal: the template of an instance
        self.canon = None                   # checker-internal: args -> canonical instance (provisional ones)

    def resolve(self) -> Type:
        return _canonical(self)

    def __str__(self) -> str:
        return _nominal_name(self)


class Struct(Nominal):
    """A struct type."""

    def __init__(self, name: str, module: str = "", fields: list[tuple[str, Type]] | None = None):
        super().__init__(name, module)
        self.fields: list[tuple[str, Type]] = list(fields or [])

    def field_index(self, name: str) -> int:
        for i, (n, _) in enumerate(self.fields):
            if n == name:
                return i
        return -1

    def __repr__(self) -> str:
        return f"Struct({self})"


@dataclass(frozen=True)
class Variant:
    name: str
    payload: tuple[Type, ...]


class Enum(Nominal):
    """An enum type; `variants[i]` is variant index i (the index codegen uses as the tag)."""

    def __init__(self, name: str, module: str = "", variants: list[Variant] | None = None):
        super().__init__(name, module)
        self.variants: list[Variant] = list(variants or [])

    def variant_index(self, name: str) -> int:
        for i, v in enumerate(self.variants):
            if v.name == name:
                return i
        return -1

    def __repr__(self) -> str:
        return f"Enum({self})"


def _nominal_name(t) -> str:
    if t.generic is not None and t.canon is not None:
        return f"{t.generic}[{', '.join(str(a) for a in t.args)}]"
    return t.name


def _canonical(t):
    """A provisional generic instance (type arguments not yet known) resolves to the one canonical instance
    once its arguments are solved."""
    if t.canon is None:
        return t
    args = tuple(a.resolve() for a in t.args)
    if any(has_vars(a) for a in args):
        return t
    return t.canon(args)


@dataclass(frozen=True)
class Cont(Type):
    arg: Type
    result: Type

    def resolve(self) -> Type:
        return Cont(self.arg.resolve(), self.result.resolve())

    def __str__(self) -> str:
        return f"cont({self.arg}) -> {self.result}"


@dataclass(frozen=True)
class Op:
    name: str
    params: tuple[Type, ...]
    result: Type


class Effect:
    """An effect declaration; nominal; `ops[i]` is operation i.

    A generic effect (`effect State[T] { get() -> T, put(T) }`) is a template (`params`); each use is an
    instance with `generic` (the template's name), `args` and `template`, its ops substituted, named
    "State[int]".  Equal instantiations are the same object, so effect sets compare them by identity.  While
    checking, an instance whose arguments are not known yet is provisional (`canon` set): `resolve()` gives the
    canonical instance once they are solved.  Codegen only sees canonical instances of concrete arguments."""

    def __init__(self, name: str, module: str = "", ops: list[Op] | None = None):
        self._name = name
        self.module = module
        self.ops: list[Op] = list(ops or [])
        self.params: tuple = ()             # a generic template: its type parameters (Param)
        self.generic: str | None = None     # an instance: the template's name ...
        self.args: tuple = ()               # ... and its type arguments
        self.template = None
        self.canon = None                   # checker-internal: args -> canonical instance (provisional ones)

    @property
    def name(self) -> str:
        if self.generic is not None:
            return f"{self.generic}[{', '.join(str(a) for a in self.args)}]"
        return self._name

    @name.setter
    def name(self, v: str) -> None:
        self._name = v

    def resolve(self) -> "Effect":
        if self.canon is None:
            return self
        args = tuple(a.resolve() for a in self.args)
        if any(has_vars(a) for a in args):
            return self
        return self.canon(args)

    def op_index(self, name: str) -> int:
        for i, op in enumerate(self.ops):
            if op.name == name:
                return i
        return -1

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"Effect({self.name})"


_var_ids = itertools.count(1)


@dataclass(eq=False)
class TypeVar(Type):
    """A unification variable; `ref` is the type it was solved to, if any.  Checker-internal."""

    ref: Type | None = None
    id: int = field(default_factory=lambda: next(_var_ids))

    def resolve(self) -> Type:
        if self.ref is None:
            return self
        return self.ref.resolve()

    def __str__(self) -> str:
        t = self.resolve()
        return "_" if isinstance(t, TypeVar) else str(t)

    def __repr__(self) -> str:
        return f"?{self.id}" if self.ref is None else repr(self.resolve())


def prune(t: Type) -> Type:
    """Follow solved variables at the top of `t` only."""
    while isinstance(t, TypeVar) and t.ref is not None:
        t = t.ref
    return t


def has_vars(t: Type) -> bool:
    """Whether `t` still contains an unsolved type variable."""
    t = prune(t)
    if type(t) is Prim:
        return False
    if isinstance(t, TypeVar):
        return True
    if isinstance(t, Array):
        return has_vars(t.elem)
    if isinstance(t, Fn):
        return any(has_vars(p) for p in t.params) or has_vars(t.result) or any(
            has_vars(e.elem) for e in (closed_effects(t.effects) or ()) if isinstance(e, YieldEffect))
    if isinstance(t, Gen):
        return has_vars(t.elem)
    if isinstance(t, (Struct, Enum)):
        return any(has_vars(a) for a in t.args)
    if isinstance(t, Cont):
        return has_vars(t.arg) or has_vars(t.result)
    return False


def is_numeric(t: Type) -> bool:
    return t in (INT, FLOAT)
