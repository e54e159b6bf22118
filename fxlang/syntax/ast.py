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
None for GLOBAL and FN), and `captured` (True when some lambda other than its owner uses it).  Codegen must
box a binding when `b.boxed` (mutable and captured) so the closure and its owner share one cell.

Effects (added after the first contract; additive)
--------------------------------------------------
`EffectDecl`: `.effect` (types.Effect: its `ops[i]` is operation i, the index codegen uses for its tag).
`Perform`: `.op` (OpRef: effect + operation index); `.ty` is the operation's result type.
`Handle`: `.ty` (the handler's result type H); `.handled` (list of types.Effect the handler handles: every
    operation of each); `.body_ty` (type of the handled block, = the return clause's parameter type).
    Each `HandlerClause` gets `.op` (OpRef), its params `.binding`s, and `.k` (a Param whose binding has
    type types.Cont(op result, H)).  `ReturnClause.param.binding`.  These bindings belong to the enclosing
    function like any `let` (they are in its `.locals`; lambdas capture them as usual).  The handler is deep:
    the clause bodies run outside the handled computation; resuming `k` continues it under the same handler.
`Call` of a value of type types.Cont: `.kind` is CALL_RESUME (`k(v)`; `k()` when the operation returns unit).
`NoSuspend`: `.ty` as its body.
`FnDecl.effects`, `Lambda.effects`: frozenset of types.Effect the function may perform without handling
    them itself (inferred; calling or creating a lambda or function value counts its effects where it is
    created/referenced, a deliberate over-approximation).  `main` must have none; neither may the body of a
    `nosuspend` block (a suspension there would cross the barrier).

Reserved for the next issue (not parsed yet): `Yield`, `For`, `Await`, `Spawn`, `Try`, `Throw`.
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
BUILTINS = ("print", "println", "str", "len", "push", "pop", "int", "float")

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
    """`int`, `float`, `bool`, `str`, `unit`, or a struct/enum name."""
    name: str
    span: Span


@dataclass(eq=False)
class ArrayType(TypeExpr):
    """`[T]`"""
    elem: TypeExpr
    span: Span


@dataclass(eq=False)
class FnType(TypeExpr):
    """`fn(T1, T2) -> R`; `result` None means unit."""
    params: list[TypeExpr]
    result: TypeExpr | None
    span: Span


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
    """`fn name(params) -> result { body }`; `result` None means unit.  `is_async` is reserved."""
    name: str
    params: list[Param]
    result: TypeExpr | None
    body: "Block"
    span: Span
    name_span: Span | None = field(default=None, kw_only=True)
    is_async: bool = field(default=False, kw_only=True)
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
    """`struct Name { field: T, ... }`"""
    name: str
    fields: list[FieldDecl]
    span: Span
    name_span: Span | None = field(default=None, kw_only=True)
    struct: Any = field(default=None, kw_only=True)           # the types.Struct (checker)


@dataclass(eq=False)
class VariantDecl(Node):
    """`Name` or `Name(T1, T2)` inside an enum."""
    name: str
    payload: list[TypeExpr]
    span: Span


@dataclass(eq=False)
class EnumDecl(Node):
    """`enum Name { V1, V2(T), ... }`"""
    name: str
    variants: list[VariantDecl]
    span: Span
    name_span: Span | None = field(default=None, kw_only=True)
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
    """`effect Name { op1(T) -> R, op2() }`"""
    name: str
    ops: list[OpDecl]
    span: Span
    name_span: Span | None = field(default=None, kw_only=True)
    effect: Any = field(default=None, kw_only=True)           # the types.Effect (checker)


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
    """`loop { }` — its value is the value of a `break v` inside."""
    body: Block
    span: Span
    ty: Any = _ty()


@dataclass(eq=False)
class Break(Expr):
    value: Expr | None
    span: Span
    ty: Any = _ty()
    loop: Any = field(default=None, kw_only=True)


@dataclass(eq=False)
class Continue(Expr):
    span: Span
    ty: Any = _ty()
    loop: Any = field(default=None, kw_only=True)


@dataclass(eq=False)
class Return(Expr):
    value: Expr | None
    span: Span
    ty: Any = _ty()
    fn: Any = field(default=None, kw_only=True)


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


@dataclass(eq=False)
class NoSuspend(Expr):
    """`nosuspend { body }`: no suspension may leave the block (compiles to `barrier`)."""
    body: Block
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


# ---------------------------------------------------------------------------------------------------------
# Helpers for walking the tree (used by the checker, codegen and tests)

def children(node: Node):
    """The direct child nodes of `node`, in source order."""
    for name in node.__dataclass_fields__:
        if name in _NOT_CHILDREN:
            continue
        v = getattr(node, name)
        if isinstance(v, Node):
            yield v
        elif isinstance(v, list):
            for x in v:
                if isinstance(x, Node):
                    yield x


_NOT_CHILDREN = {"span", "ty", "binding", "variant", "struct", "loop", "fn", "captures", "locals",
                 "fn_type", "enum", "module", "name_span", "op", "effect", "effects", "handled", "body_ty"}


def walk(node: Node):
    """`node` and all nodes below it, pre-order."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(list(children(n))))
