"""The fx abstract syntax tree: what `syntax.parse` builds and `check.check` annotates.

Conventions (fixed; later changes are additive only)
----------------------------------------------------
* Every node is a dataclass with `span: Span` (fxlang.diagnostics) as its LAST field, so
  `IntLit(3, span)`; spans run from the node's first character to just past its last.
* Names are plain `str`; lists are Python lists; an absent optional part is `None`.
* Variable names in the code: `e` an Expr, `s` a Stmt, `t` a TypeExpr (syntax) or types.Type, `p` a Pattern,
  `b` a Binding, `d` an item (declaration).
* The parser fills only the syntactic fields.  Fields declared with `field(default=None, ...)` after `span`
  (they are keyword-only and not compared) are annotations that the checker fills in; they are listed below.

What `check.check` annotates
----------------------------
Every `Expr` (every node class below deriving from Expr) gets
    `.ty`        a fully resolved fxlang.check.types.Type (no type variables are left after checking;
                 an expression that never produces a value, such as `return`, `break` or a call to a function
                 returning it, has type `types.NEVER`).
`Name`
    `.binding`   the `Binding` the name refers to (kind LOCAL, PARAM, GLOBAL or FN), or None when the name is a
                 nullary enum constructor, in which case
    `.variant`   is a `VariantRef` (e.g. bare `None` or `Option::None` used as a value).
    The callee Name of a CALL_BUILTIN call has neither; its `.ty` is the function type of that use
    (`fn([int]) -> int` for `len(xs)`).  The callee of a CALL_VARIANT call has `.variant` and the type
    `fn(payload...) -> Enum`.
`Path` (`Enum::Variant` used as a value): `.variant` as for Name.
`Call`
    `.kind`      one of CALL_FN (callee is a Name bound to a top-level fn: call it directly; `.binding` of the
                 callee Name is that fn's Binding), CALL_CLOSURE (callee is any other value of function type:
                 call through its closure), CALL_BUILTIN (`.builtin` is the builtin's name, see BUILTINS),
                 CALL_VARIANT (an enum constructor with payload: `.variant` is the VariantRef; args are the
                 payload in order).
`Lambda`
    `.captures`  list of Bindings (locals/params of enclosing functions) the lambda body uses, including uses
                 inside lambdas nested in it, in order of first use; a lambda never captures GLOBAL or FN
                 bindings (they are reachable directly).
    `.params`    each Param gets `.binding`; `.locals` lists every Binding declared in the body (params first),
                 not counting those of nested lambdas; `.fn_type` is the lambda's types.Fn; `.id` is a small int
                 unique in the program; `.name` a readable unique name like "main$lambda1".
`FnDecl`
    `.binding` (kind FN), `.fn_type` (types.Fn), `.locals` as for Lambda, `.qualname` ("module.name",
    unique in the program).
`Param`, `Let`, `BindPat`: `.binding` (the Binding they declare).
`GlobalLet`: `.binding` (kind GLOBAL); `.locals` lists Bindings declared inside its initialiser (their
    `owner` is the GlobalLet).
`Assign`: its `target` is a Name (with `.binding`, always mutable), an Index or a Field expression.
`Field`: `.struct` (types.Struct of the target) and `.index` (field position in the struct declaration).
`StructLit`: `.struct` (types.Struct); each FieldInit gets `.index` (declared position).  Initialisers are
    evaluated in source order; codegen must place them by `.index`.
`VariantPat`: `.variant` (VariantRef).   `LitPat`: its literal gets `.ty` like any Expr.
`Match`: `.ty` as any Expr; arms are checked exhaustive (a wildcard/binding arm or every variant covered).
`While`/`Loop`: `.ty` (while: unit; loop: the type of its `break` values, or NEVER when it never breaks).
`Break`/`Continue`: `.loop` is the enclosing While/Loop node.
`Return`: `.fn` is the enclosing FnDecl or Lambda.

Bindings
--------
A `Binding` is one declared name: `id` (unique in the program), `name`, `kind` (PARAM / LOCAL / GLOBAL / FN),
`mutable`, `ty` (types.Type), `decl` (the declaring node), `owner` (the FnDecl or Lambda whose frame holds it;
None for GLOBAL and FN), and `captured` (True when some lambda other than its owner uses it, or a handled
block / handler clause that does not declare it: those run as closures too).  Codegen must
box a binding when `b.boxed` (mutable and captured) so the closure and its owner share one cell.

Effects (added after the first contract; additive)
--------------------------------------------------
`EffectDecl`: `.effect` (types.Effect: its `ops[i]` is operation i, the index codegen uses for its tag).
`Perform`: `.op` (OpRef: effect + operation index); `.ty` is the operation's result type.
`Handle`: `.ty` (the handler's result type H); `.handled` (list of types.Effect the handler handles: every
    operation of each); `.body_ty` (type of the handled block, = the return clause's parameter type).
    Each `HandlerClause` gets `.op` (OpRef), its params `.binding`s, and `.k` (a Param whose binding has
    type types.Fn((op result,), H) — see "Effect sets on function types" below; it was types.Cont before).  `ReturnClause.param.binding`.  These bindings belong to the enclosing
    function like any `let` (they are in its `.locals`; lambdas capture them as usual).  The handler is deep:
    the clause bodies run outside the handled computation; resuming `k` continues it under the same handler.
`Call` of a clause's `k` by name (or `resume(v)` inside the clause): `.kind` is CALL_RESUME (`k(v)`; `k()` when
    the operation returns unit); the callee Name's `.binding` is the k binding.
`NoSuspend`: `.ty` as its body.
`FnDecl.effects`, `Lambda.effects`: frozenset of types.Effect / types.YieldEffect the body may perform
    without handling them itself (inferred; concrete: what arrives through the fn's generic effect variables,
    i.e. from its callers' function values, is dropped — see docs/effects.md "Effect inference").  Creating a
    lambda or referencing a fn value counts nothing; calling it counts its effects.  For a generator fn: what
    its body performs (charged where the generator is stepped, not where it is created).  `main` must have
    none (an async main: only Async); neither may the body of a `nosuspend` block (a suspension there would
    cross the barrier).  Codegen does not depend on these sets.

Generics, generators, exceptions, async (issue 4; additive)
-----------------------------------------------------------
Generics are monomorphised by the checker: codegen never sees a type parameter.
* A generic `fn f[T](...)` (`FnDecl.type_params` non-empty) is a *template*: it is checked once with its
  parameters as rigid types (for error messages) and is NOT in `Checked.functions`.  Every instantiation a
  program needs is a separate, fully checked copy of the declaration: a FnDecl with `.instance_of` (the
  template), `.type_args` (tuple of concrete types.Type, in `type_params` order), its own `.binding` and a
  `.qualname` like "main.id[int]".  Instances are in `Checked.functions` (after the ordinary fns) and also
  listed in `Checked.instances`.  Instances of instances are included (the set is closed).
* A `Call` of a generic fn has `.kind` CALL_FN, `.type_args` (the concrete instantiation) and its callee Name's
  `.binding` is the *instance's* Binding.  A generic fn used as a value (`Name`) likewise binds the instance.
* A generic `struct S[T]`/`enum E[T]` declaration is a template (its `.struct`/`.enum` is a template type that
  codegen must ignore).  Each use `S[int]` is a concrete types.Struct / types.Enum with `.name` "S[int]",
  `.generic` (the template's name, "S") and `.args` (tuple of types); fields/variants are substituted.  Equal
  instantiations are the same object.  `Checked.structs` / `Checked.enums` list the concrete ones only
  (templates excluded, every instantiation included), so codegen treats them as ordinary nominal types.
* The prelude (stdlib/prelude.fx, auto-imported by every module, module name "std.prelude") declares
  `enum Option[T] { Some(T), None }`.

Generators
* `types.Gen(elem)` is the type `Gen[T]`.  A FnDecl whose declared result is `Gen[T]` is a generator fn:
  `.gen_elem` is T (None for other fns).  Its body is checked against unit (its value is dropped) and may
  `yield` T; calling it creates the generator without running it.  `return` in it ends the generator.
* `Yield`: `.ty` unit; `.elem` the element type T (one tag per element type).  Allowed in a generator fn's
  body and in any fn/lambda (a plain fn that yields gets the effect `types.YieldEffect(T)` in `.effects`;
  calling it is only allowed where that effect is handled: in a generator fn with the same T or a fn that
  itself has the effect).  A Yield inside a lambda belongs to the lambda (its `.effects`).
* `For` (`for x in g { }`): `.iter` has type Gen[T]; `.elem` is T; `.binding` is the loop variable (LOCAL,
  immutable, of the enclosing function frame; None for `_`); `.ty` unit.  `break`/`continue` inside target it.
* `Break.leaves`, `Continue.leaves`, `Return.leaves`: the list of nodes the jump exits that need cleanup,
  innermost first: every `Try` with a `finally` (run its finally block) and every `For` (cancel its
  generator) between the jump and its target.  A `break` out of a `For` lists that For itself last (the
  generator must be cancelled); `continue` does not list its own For.  `Return` lists everything up to the
  function boundary.  Empty list: plain jump.
* Builtins `next(g)` -> Option[T] (the concrete prelude instance is `Call.ty`), `cancel(g)` -> unit.
* `Checked.gen_types`: every element type used by a Gen type, a yield or a yield effect (one tag each).

Exceptions
* `ExceptionDecl`: `.exception` (types.Exception: `.payload` tuple of types).  `Checked.exceptions` lists all.
* `Throw`: `.exception`; `.ty` NEVER; args are the payload in order.
* `Try`: `.ty` the join of the body's and every catch body's type (a try with `finally` only has the body's
  type); `finally_` is unit.  `CatchClause.exception` is the types.Exception, or None for `catch _` (catches
  every fx exception, never the cancellation); its params get `.binding` (locals of the enclosing function).

async/await
* `FnDecl.is_async`: the fn has the effect Async (declared by stdlib/async.fx, which must be loaded).
* `Await`: `.call` is a checked `Call` of the std.async function `await_task(t: Task[T]) -> T` with the
  awaited expression as its argument; codegen compiles `.call` in place of the Await.  `.ty` as the call.
* When `main` is async, `Checked.async_run` is the FnDecl of std.async's `fn run(main: fn() -> unit / {Async})`
  and codegen must start the program as `run(main)` (main itself is then an ordinary fn value); else None.

Effect sets on function types
* `types.Fn.effects` (and `types.Gen.effects`) is the type's latent effects: a frozenset of types.Effect /
  types.YieldEffect when written (`fn(int) -> int / {State, yield int}`), else a types.EffectVar (checker
  state; codegen must ignore it).  It takes no part in type equality or hashing.  Calling a closure counts
  the callee type's latent effects at the call; stepping a generator counts its Gen's.
* A handler clause's `k` now has type `types.Fn((B,), H)` (`fn(B) -> H`; B the op result, H the handler's
  type; its latent effects: those of the whole handle expression): it can be stored and called later; a call of the clause's `k` name directly is still CALL_RESUME
  (`k()` allowed when B is unit), a call through any other value of its type is CALL_CLOSURE.
* `FnDecl.declared_effects`: the `/ {..}` annotation (list of EffectRef) or None; inferred effects must fit in it.

Strings (builtins)
* `byte(s, i)` -> int: the UTF-8 byte at index i (0..255), traps when out of range.
* `slice(s, start, end)` -> str: bytes start..end (end exclusive), traps unless 0 <= start <= end <= len(s).
* `chr(n)` -> str: the UTF-8 encoding of code point n (1 to 4 bytes); traps unless 0 <= n <= 0x10FFFF and n is
  not a surrogate (0xD800..0xDFFF).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from fxlang.diagnostics import Span

# ---------------------------------------------------------------------------------------------------------
# Bindings and resolved references (created by the checker)

PARAM, LOCAL, GLOBAL, FN = "param", "local", "global", "fn"

CALL_FN, CALL_CLOSURE, CALL_BUILTIN, CALL_VARIANT = "fn", "closure", "builtin", "variant"
CALL_RESUME = "resume"

# Builtin functions (not first-class values; they must be called):
#   print(x) / println(x)   x: int | float | bool | str; println() prints just a newline        -> unit
#   str(x)                  x: int | float | bool | str                                         -> str
#   len(x)                  x: [T] (element count) | str (UTF-8 byte count)                     -> int
#   push(xs, v)             xs: [T], v: T; appends in place                                     -> unit
#   pop(xs)                 xs: [T]; removes and returns the last element (traps when empty)    -> T
#   int(x)                  x: float (truncates toward zero, traps on nan/inf/overflow) | int     -> int
#   float(x)                x: int | float                                                      -> float
#   next(g)                 g: Gen[T]; resumes the generator                                    -> Option[T]
#   cancel(g)               g: Gen[T]; cancels it (its finally blocks run)                      -> unit
#   byte(s, i)              s: str, i: int; the UTF-8 byte at i (traps out of range)            -> int
#   slice(s, start, end)    s: str; bytes start..end, end exclusive (traps out of range)        -> str
#   chr(n)                  n: int; UTF-8 encoding of code point n (traps if invalid)           -> str
#   panic(msg)              msg: str; stops the program with the message (docs/host.md)         -> never
#   discontinue(k)          k: a handler clause's continuation fn(R) -> U; cancels it: its finally
#                           blocks run (docs/language.md, "Cancelling a continuation")          -> unit
BUILTINS = ("print", "println", "str", "len", "push", "pop", "int", "float", "next", "cancel", "byte", "slice",
            "chr", "panic", "discontinue", "fiber", "switch_to", "fiber_run")
# The low-level I/O builtins (WASI calls; docs/host.md), used by stdlib/io.fx, and exit(code)
IO_BUILTINS = ("sys_read", "sys_write", "sys_preopen", "sys_open_at", "sys_close", "sys_args", "sys_errno", "exit")
BUILTINS += IO_BUILTINS

# Builtins compiled by the control-feature layer (fxlang/codegen/control/effects.py) rather than the expression generator;
# they stay ordinary CALL_BUILTIN calls in the AST.
LOWERED_BUILTINS = ("panic", "discontinue")

_ids = itertools.count(1)


def fresh_id() -> int:
    return next(_ids)


@dataclass(eq=False)
class Binding:
    name: str
    kind: str
    mutable: bool
    ty: Any
    decl: Any
    owner: Any = None
    captured: bool = False
    id: int = field(default_factory=fresh_id)

    @property
    def boxed(self) -> bool:
        return self.mutable and self.captured

    def __repr__(self) -> str:
        return f"Binding({self.name}#{self.id} {self.kind}{' mut' if self.mutable else ''})"


@dataclass(eq=False)
class VariantRef:
    """Variant `index` of enum type `enum` (a types.Enum)."""

    enum: Any
    index: int

    @property
    def name(self) -> str:
        return self.enum.variants[self.index].name

    @property
    def payload(self) -> tuple:
        return self.enum.variants[self.index].payload


@dataclass(eq=False)
class OpRef:
    """Operation `index` of effect `effect` (a types.Effect)."""

    effect: Any
    index: int

    @property
    def name(self) -> str:
        return self.effect.ops[self.index].name

    @property
    def params(self) -> tuple:
        return self.effect.ops[self.index].params

    @property
    def result(self):
        return self.effect.ops[self.index].result


# ---------------------------------------------------------------------------------------------------------
# Base classes

@dataclass(eq=False)
class Node:
    pass


@dataclass(eq=False)
class Expr(Node):
    pass


@dataclass(eq=False)
class Stmt(Node):
    pass


@dataclass(eq=False)
class Pattern(Node):
    pass


@dataclass(eq=False)
class TypeExpr(Node):
    pass


# ---------------------------------------------------------------------------------------------------------
# Type syntax

@dataclass(eq=False)
class NamedType(TypeExpr):
    """`int`, `float`, `bool`, `str`, `unit`, a struct/enum name, or a generic one applied: `Option[int]`,
    `Gen[int]` (`args` the type arguments, empty when none)."""
    name: str
    span: Span
    args: list[TypeExpr] = field(default_factory=list, kw_only=True)


@dataclass(eq=False)
class ArrayType(TypeExpr):
    """`[T]`"""
    elem: TypeExpr
    span: Span


@dataclass(eq=False)
class FnType(TypeExpr):
    """`fn(T1, T2) -> R` or `fn(T) -> R / {E1, yield T}`; `result` None means unit; `effects` None when no
    effect set is written (then the type has no effects)."""
    params: list[TypeExpr]
    result: TypeExpr | None
    span: Span
    effects: list["EffectRef"] | None = field(default=None, kw_only=True)


@dataclass(eq=False)
class EffectRef(Node):
    """One entry of an effect set: an effect name (`State`, `Async`), an instance of a generic effect
    (`State[int]`: name "State", args [int]) or `yield T` (name "yield", args [T]); `row`: the tail `| e` of an
    open effect row `{State[T] | e}` (the last entry; `name` is the row variable's name)."""
    name: str
    args: list[TypeExpr]
    span: Span
    row: bool = field(default=False, kw_only=True)


# ---------------------------------------------------------------------------------------------------------
# Program structure

@dataclass(eq=False)
class Program:
    """What `modules.load_program` returns: every module, imports before importers, `main` last."""
    modules: list["Module"]
    main: "Module"


@dataclass(eq=False)
class Module:
    """One source file.  `name` is its dotted import name ("main" for the entry file, "std.gen", "util")."""
    name: str
    file: str
    imports: list["Import"]
    items: list[Node]
    span: Span


@dataclass(eq=False)
class Import:
    """`import std.gen;` -> path ["std", "gen"]."""
    path: list[str]
    span: Span
    module: Any = field(default=None, kw_only=True, compare=False)   # the loaded Module (set by modules.py)


@dataclass(eq=False)
class Param(Node):
    """A parameter; `ty` may be None only for lambda parameters (then inferred)."""
    name: str
    ty: TypeExpr | None
    span: Span
    binding: Binding | None = field(default=None, kw_only=True)


@dataclass(eq=False)
class FnDecl(Node):
    """`[async] fn name[T, U](params) -> result [/ {effects}] { body }`; `result` None means unit."""
    name: str
    params: list[Param]
    result: TypeExpr | None
    body: "Block"
    span: Span
    name_span: Span | None = field(default=None, kw_only=True)
    is_async: bool = field(default=False, kw_only=True)
    type_params: list[str] = field(default_factory=list, kw_only=True)
    declared_effects: list[EffectRef] | None = field(default=None, kw_only=True)
    # checker annotations (generics, generators)
    instance_of: Any = field(default=None, kw_only=True)       # the generic template FnDecl, for instances
    type_args: tuple = field(default=(), kw_only=True)          # concrete type arguments of an instance
    gen_elem: Any = field(default=None, kw_only=True)           # T for a generator fn (result Gen[T])
    binding: Binding | None = field(default=None, kw_only=True)
    fn_type: Any = field(default=None, kw_only=True)
    locals: list[Binding] = field(default_factory=list, kw_only=True)
    qualname: str = field(default="", kw_only=True)
    effects: frozenset = field(default=frozenset(), kw_only=True)


@dataclass(eq=False)
class FieldDecl(Node):
    name: str
    ty: TypeExpr
    span: Span


@dataclass(eq=False)
class StructDecl(Node):
    """`struct Name[T] { field: T, ... }`"""
    name: str
    fields: list[FieldDecl]
    span: Span
    name_span: Span | None = field(default=None, kw_only=True)
    type_params: list[str] = field(default_factory=list, kw_only=True)
    struct: Any = field(default=None, kw_only=True)           # the types.Struct (checker)


@dataclass(eq=False)
class VariantDecl(Node):
    """`Name` or `Name(T1, T2)` inside an enum."""
    name: str
    payload: list[TypeExpr]
    span: Span


@dataclass(eq=False)
class EnumDecl(Node):
    """`enum Name[T] { V1, V2(T), ... }`"""
    name: str
    variants: list[VariantDecl]
    span: Span
    name_span: Span | None = field(default=None, kw_only=True)
    type_params: list[str] = field(default_factory=list, kw_only=True)
    enum: Any = field(default=None, kw_only=True)             # the types.Enum (checker)


@dataclass(eq=False)
class GlobalLet(Node):
    """Top-level `let [mut] name[: T] = expr;`, initialised in module order before `main` runs."""
    name: str
    mutable: bool
    ty: TypeExpr | None
    value: Expr
    span: Span
    binding: Binding | None = field(default=None, kw_only=True)
    locals: list[Binding] = field(default_factory=list, kw_only=True)   # Bindings declared in `value`


@dataclass(eq=False)
class OpDecl(Node):
    """`name(T1, T2) -> R` inside an effect; `result` None means unit."""
    name: str
    params: list[TypeExpr]
    result: TypeExpr | None
    span: Span


@dataclass(eq=False)
class EffectDecl(Node):
    """`effect Name { op1(T) -> R, op2() }` or generic: `effect State[T] { get() -> T, put(T) }`"""
    name: str
    ops: list[OpDecl]
    span: Span
    name_span: Span | None = field(default=None, kw_only=True)
    type_params: list[str] = field(default_factory=list, kw_only=True)
    effect: Any = field(default=None, kw_only=True)           # the types.Effect (checker)


@dataclass(eq=False)
class ExceptionDecl(Node):
    """`exception Name(T1, T2)` or `exception Name`."""
    name: str
    payload: list[TypeExpr]
    span: Span
    name_span: Span | None = field(default=None, kw_only=True)
    exception: Any = field(default=None, kw_only=True)        # the types.Exception (checker)


# ---------------------------------------------------------------------------------------------------------
# Statements (only inside blocks)

@dataclass(eq=False)
class Let(Stmt):
    """`let [mut] name[: T] = value;`"""
    name: str
    mutable: bool
    ty: TypeExpr | None
    value: Expr
    span: Span
    binding: Binding | None = field(default=None, kw_only=True)


@dataclass(eq=False)
class Assign(Stmt):
    """`target op value;` with op one of "=", "+=", "-=", "*=", "/=", "%="; target a Name, Index or Field."""
    target: Expr
    op: str
    value: Expr
    span: Span


@dataclass(eq=False)
class ExprStmt(Stmt):
    """An expression used as a statement; `semi` tells whether a `;` followed it (its value is discarded)."""
    expr: Expr
    semi: bool
    span: Span


# ---------------------------------------------------------------------------------------------------------
# Expressions

def _ty():
    return field(default=None, kw_only=True)


@dataclass(eq=False)
class IntLit(Expr):
    value: int
    span: Span
    ty: Any = _ty()


@dataclass(eq=False)
class FloatLit(Expr):
    value: float
    span: Span
    ty: Any = _ty()


@dataclass(eq=False)
class BoolLit(Expr):
    value: bool
    span: Span
    ty: Any = _ty()


@dataclass(eq=False)
class StrLit(Expr):
    """A string literal; `value` has its escapes decoded."""
    value: str
    span: Span
    ty: Any = _ty()


@dataclass(eq=False)
class UnitLit(Expr):
    """`()`"""
    span: Span
    ty: Any = _ty()


@dataclass(eq=False)
class Name(Expr):
    name: str
    span: Span
    ty: Any = _ty()
    binding: Binding | None = field(default=None, kw_only=True)
    variant: VariantRef | None = field(default=None, kw_only=True)


@dataclass(eq=False)
class Path(Expr):
    """`Enum::Variant` (the callee of a constructor call, or a nullary constructor as a value)."""
    enum: str
    name: str
    span: Span
    ty: Any = _ty()
    variant: VariantRef | None = field(default=None, kw_only=True)


@dataclass(eq=False)
class ArrayLit(Expr):
    """`[e1, e2, ...]` (possibly empty)."""
    elems: list[Expr]
    span: Span
    ty: Any = _ty()


@dataclass(eq=False)
class Index(Expr):
    """`target[index]` (traps when out of bounds)."""
    target: Expr
    index: Expr
    span: Span
    ty: Any = _ty()


@dataclass(eq=False)
class Field(Expr):
    """`target.name`"""
    target: Expr
    name: str
    span: Span
    ty: Any = _ty()
    struct: Any = field(default=None, kw_only=True)
    index: int = field(default=-1, kw_only=True)


@dataclass(eq=False)
class FieldInit(Node):
    name: str
    value: Expr
    span: Span
    index: int = field(default=-1, kw_only=True)


@dataclass(eq=False)
class StructLit(Expr):
    """`Name { field: value, ... }`"""
    name: str
    fields: list[FieldInit]
    span: Span
    ty: Any = _ty()
    struct: Any = field(default=None, kw_only=True)


@dataclass(eq=False)
class Call(Expr):
    callee: Expr
    args: list[Expr]
    span: Span
    ty: Any = _ty()
    kind: str = field(default="", kw_only=True)
    builtin: str = field(default="", kw_only=True)
    variant: VariantRef | None = field(default=None, kw_only=True)
    type_args: tuple = field(default=(), kw_only=True)       # instantiation of a generic fn (CALL_FN)


@dataclass(eq=False)
class Unary(Expr):
    """op: "-" (int/float negation) or "!" (bool not)."""
    op: str
    operand: Expr
    span: Span
    ty: Any = _ty()


@dataclass(eq=False)
class Binary(Expr):
    """op: + - * / % (int, float; + also str concatenation), == != < <= > >= (int, float, str; == != also
    bool), && || (bool, short-circuit).  Integer / and % trap on division by zero; they truncate toward zero."""
    op: str
    left: Expr
    right: Expr
    span: Span
    ty: Any = _ty()


@dataclass(eq=False)
class Block(Expr):
    """`{ stmts; tail }` — the value is `tail` (None means unit)."""
    stmts: list[Stmt]
    tail: Expr | None
    span: Span
    ty: Any = _ty()


@dataclass(eq=False)
class If(Expr):
    """`if cond { } else { }`; `else_` is a Block, another If (else if), or None (then the type is unit)."""
    cond: Expr
    then: Block
    else_: Expr | None
    span: Span
    ty: Any = _ty()


@dataclass(eq=False)
class While(Expr):
    cond: Expr
    body: Block
    span: Span
    ty: Any = _ty()


@dataclass(eq=False)
class Loop(Expr):
    """`loop { }` — its value is the value of a `break v` inside.  `from_for`: the loop a `for` over an array or
    a range became (checker): unit, and `break` takes no value there."""
    body: Block
    span: Span
    ty: Any = _ty()
    from_for: bool = field(default=False, kw_only=True)


@dataclass(eq=False)
class Break(Expr):
    value: Expr | None
    span: Span
    ty: Any = _ty()
    loop: Any = field(default=None, kw_only=True)
    leaves: list = field(default_factory=list, kw_only=True)


@dataclass(eq=False)
class Continue(Expr):
    span: Span
    ty: Any = _ty()
    loop: Any = field(default=None, kw_only=True)
    leaves: list = field(default_factory=list, kw_only=True)


@dataclass(eq=False)
class Return(Expr):
    value: Expr | None
    span: Span
    ty: Any = _ty()
    fn: Any = field(default=None, kw_only=True)
    leaves: list = field(default_factory=list, kw_only=True)


@dataclass(eq=False)
class Lambda(Expr):
    """`|x, y: int| body` or `|x| -> T { body }`; `result` None means inferred."""
    params: list[Param]
    result: TypeExpr | None
    body: Expr
    span: Span
    ty: Any = _ty()
    captures: list[Binding] = field(default_factory=list, kw_only=True)
    locals: list[Binding] = field(default_factory=list, kw_only=True)
    fn_type: Any = field(default=None, kw_only=True)
    id: int = field(default=0, kw_only=True)
    name: str = field(default="", kw_only=True)
    effects: frozenset = field(default=frozenset(), kw_only=True)


@dataclass(eq=False)
class MatchArm(Node):
    """`pattern [if guard] => body`"""
    pattern: Pattern
    guard: Expr | None
    body: Expr
    span: Span


@dataclass(eq=False)
class Match(Expr):
    scrutinee: Expr
    arms: list[MatchArm]
    span: Span
    ty: Any = _ty()


@dataclass(eq=False)
class Perform(Expr):
    """`perform op(args)` or `perform Effect::op(args)`; `effect` is the qualifier or None."""
    effect: str | None
    name: str
    args: list[Expr]
    span: Span
    ty: Any = _ty()
    op: OpRef | None = field(default=None, kw_only=True)


@dataclass(eq=False)
class HandlerClause(Node):
    """`op(x, y), k => body` (or `Effect::op(...)`): handles one operation; `k` is the continuation."""
    effect: str | None
    name: str
    params: list[Param]
    k: Param
    body: Expr
    span: Span
    op: OpRef | None = field(default=None, kw_only=True)


@dataclass(eq=False)
class ReturnClause(Node):
    """`return r => body`: what the handler makes of the handled block's value (default: the value)."""
    param: Param
    body: Expr
    span: Span


@dataclass(eq=False)
class Handle(Expr):
    """`handle { body } with { clauses }` — a deep handler."""
    body: Block
    clauses: list[HandlerClause]
    ret: ReturnClause | None
    span: Span
    ty: Any = _ty()
    handled: list = field(default_factory=list, kw_only=True)
    body_ty: Any = field(default=None, kw_only=True)
    # set by the checker once effects are solved: what may leave the handled body (its effects minus the
    # handled ones; a latent component counts) and what the clauses perform (codegen/control/evidence.py)
    escaping: Any = field(default=None, kw_only=True)
    clause_effects: Any = field(default=None, kw_only=True)


@dataclass(eq=False)
class NoSuspend(Expr):
    """`nosuspend { body }`: no suspension may leave the block (compiles to `barrier`)."""
    body: Block
    span: Span
    ty: Any = _ty()


@dataclass(eq=False)
class Yield(Expr):
    """`yield value` (type unit)."""
    value: Expr
    span: Span
    ty: Any = _ty()
    elem: Any = field(default=None, kw_only=True)


@dataclass(eq=False)
class For(Expr):
    """`for name in iter { body }` over a generator (`name` may be "_")."""
    name: str
    iter: Expr
    body: Block
    span: Span
    ty: Any = _ty()
    binding: Binding | None = field(default=None, kw_only=True)
    elem: Any = field(default=None, kw_only=True)


@dataclass(eq=False)
class Range(Expr):
    """`lo..hi`, only as the iterable of a `for` (the ints lo, lo + 1, ..., hi - 1)."""
    lo: Expr
    hi: Expr
    span: Span
    ty: Any = _ty()


@dataclass(eq=False)
class Await(Expr):
    """`await value` inside an async fn."""
    value: Expr
    span: Span
    ty: Any = _ty()
    call: Any = field(default=None, kw_only=True)             # the checked Call of std.async's await_task


@dataclass(eq=False)
class Throw(Expr):
    """`throw Name(args)` or `throw Name` (type never)."""
    name: str
    args: list[Expr]
    span: Span
    ty: Any = _ty()
    exception: Any = field(default=None, kw_only=True)


@dataclass(eq=False)
class CatchClause(Node):
    """`catch Name(x, y) { body }`, `catch Name { body }` or `catch _ { body }` (`name` None)."""
    name: str | None
    params: list[Param]
    body: Block
    span: Span
    exception: Any = field(default=None, kw_only=True)


@dataclass(eq=False)
class Try(Expr):
    """`try { body } catch ... { } ... finally { }`: at least one catch or a finally."""
    body: Block
    catches: list[CatchClause]
    finally_: Block | None
    span: Span
    ty: Any = _ty()


# ---------------------------------------------------------------------------------------------------------
# Patterns

@dataclass(eq=False)
class WildcardPat(Pattern):
    """`_`"""
    span: Span


@dataclass(eq=False)
class BindPat(Pattern):
    """A lower-case name: matches anything and binds it (immutable).  A bare name that is a nullary variant
    of the scrutinee's enum (e.g. `None`) is a VariantPat instead; the parser makes a VariantPat for every
    capitalised bare name and the checker reports unknown ones."""
    name: str
    span: Span
    binding: Binding | None = field(default=None, kw_only=True)


@dataclass(eq=False)
class LitPat(Pattern):
    """An int, float, bool or string literal (a leading `-` allowed for numbers)."""
    value: Expr
    span: Span


@dataclass(eq=False)
class VariantPat(Pattern):
    """`Some(p1, p2)`, `Option::Some(p)`, `None`; `enum` is the qualifier or None."""
    enum: str | None
    name: str
    args: list[Pattern]
    span: Span
    variant: VariantRef | None = field(default=None, kw_only=True)


@dataclass(eq=False)
class StructPat(Pattern):
    """`Point { x: 0, y }` (`y` is short for `y: y`); `rest`: ends in `..` (the fields not named are not
    matched; without it every field must be named).  `struct` is the types.Struct (checker)."""
    name: str
    fields: list["FieldPat"]
    rest: bool
    span: Span
    struct: Any = field(default=None, kw_only=True)


@dataclass(eq=False)
class FieldPat(Node):
    """`name: pattern` inside a StructPat; `index` is the field's index in the struct (checker)."""
    name: str
    pattern: Pattern
    span: Span
    index: int = field(default=-1, kw_only=True)


# ---------------------------------------------------------------------------------------------------------
# Helpers for walking the tree (used by the checker, codegen and tests)

def children(node: Node) -> list:
    """The direct child nodes of `node`, in source order."""
    out = []
    for name in _child_fields(type(node)):
        v = getattr(node, name)
        if isinstance(v, Node):
            out.append(v)
        elif isinstance(v, list):
            out.extend(x for x in v if isinstance(x, Node))
    return out


_CHILD_FIELDS: dict = {}


def _child_fields(cls) -> tuple:
    """The fields of node class `cls` that may hold child nodes (computed once per class: the checker,
    codegen and lowering walk every tree several times)."""
    names = _CHILD_FIELDS.get(cls)
    if names is None:
        names = _CHILD_FIELDS[cls] = tuple(n for n in cls.__dataclass_fields__ if n not in _NOT_CHILDREN)
    return names


_NOT_CHILDREN = {"span", "ty", "binding", "variant", "struct", "loop", "fn", "captures", "locals",
                 "fn_type", "enum", "module", "name_span", "op", "effect", "effects", "handled", "body_ty",
                 "leaves", "call", "exception", "instance_of", "type_args", "gen_elem", "elem"}


def walk(node: Node):
    """`node` and all nodes below it, pre-order."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        kids = children(n)
        if kids:
            kids.reverse()
            stack.extend(kids)
