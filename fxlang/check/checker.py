"""Name resolution and type checking: ast.Program -> Checked (the AST annotated in place).

    check_program(program) -> Checked        raises FxError / FxErrors

[[ast.Program]] --> [[Checked]].  The annotations are documented in fxlang/syntax/ast.py.

Phases, each over the whole program:
  1. declare   every module's structs, enums, effects, functions and globals (duplicates reported here);
  2. types     struct fields, enum payloads, effect operations and function signatures are resolved;
  3. bodies    global initialisers (in program order), then every function body;
  4. generics  the instances of generic functions that the bodies use are checked (a worklist);
  5. effects   effect inference is solved; unhandled effects in main, globals and nosuspend are reported.

The checker is one object whose methods live in a few modules by topic: scope.py (declarations and name
lookup), unify.py (unification), calls.py (calls and builtins), effects.py (perform/handle/nosuspend and
the effect reports; the inference is effect_solver.py's), generics.py (monomorphisation), control.py (generators, exceptions, await, and the
cleanups that jumps leave), exhaustive.py (match coverage) and this file (bodies, statements, expressions,
match).

Inference is local to one function: unannotated `let`s, empty array literals and lambda parameters get type
variables, solved by unification (Hindley-Milner without generalisation).  A lambda checked against a known
function type takes its parameter types from it.  Operator and builtin constraints that cannot be decided yet
(e.g. `x + y` with both unknown) are kept and checked when the function is done; a type still unknown then is
an error ("cannot infer ...").  Errors are gathered; after an error the expression's type is a wildcard
(`ERROR`) that unifies with anything, so one mistake gives one message.
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass, field

from fxlang.check import Checked, exhaustive
from fxlang.check import types as T
from fxlang.check.calls import CallChecking
from fxlang.check.control import ControlChecking
from fxlang.check.effect_solver import EffectTracker
from fxlang.check.effects import EffectChecking
from fxlang.check.generics import Generics, has_params
from fxlang.check.scope import Declarations, ModuleScope
from fxlang.check.unify import ERROR, Deferred, Unifier
from fxlang.diagnostics import FxError, Span, raise_all
from fxlang.syntax import ast
from fxlang.syntax.ast import BUILTINS, FN, GLOBAL, LOCAL, PARAM, Binding, OpRef, VariantRef


def check_program(program: ast.Program) -> Checked:
    c = _Checker(program)
    # The checker recurses once per nesting level; deep but legal programs get room, absurd ones an error.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20000))
    try:
        c.run()
    except RecursionError:
        m = program.main
        raise FxError("program is nested too deeply to check", Span(m.file, 1, 1, 1, 1)) from None
    finally:
        sys.setrecursionlimit(limit)
    raise_all(c.errors)
    structs = [t for t in c.structs if not t.params] + [
        t for t in c.type_instances.values() if isinstance(t, T.Struct) and not any(has_params(a) for a in t.args)]
    enums = [t for t in c.enums if not t.params] + [
        t for t in c.type_instances.values() if isinstance(t, T.Enum) and not any(has_params(a) for a in t.args)]
    return Checked(program, c.main, c.functions + c.instances, c.lambdas, structs, enums, c.globals,
                   c.concrete_effects(),
                   c.exceptions, c.instances, c.templates_fn, c.gen_types(), c.async_run, c.handles,
                   c.discontinues)


# ---------------------------------------------------------------------------------------------------------
# Per-body state

@dataclass
class _Frame:
    """One function being checked: a FnDecl, a Lambda, or a GlobalLet initialiser."""
    node: object
    result: T.Type
    locals: list
    loops: list = field(default_factory=list)     # (loop node, break state, len(cleanups) at the loop)
    cleanups: list = field(default_factory=list)  # enclosing Try-with-finally and For nodes, outermost first
    gen_elem: T.Type | None = None                # a generator fn: the element type its yields must have
    yield_ty: T.Type | None = None                # another body that yields: the element type (inferred)
    may_await: bool = False                       # an async fn, or a lambda given an Async function type
    clauses: list = field(default_factory=list)   # enclosing handler clauses (for `resume`)


class _Checker(Declarations, Unifier, CallChecking, EffectChecking, Generics, ControlChecking):
    def __init__(self, program: ast.Program):
        self.program = program
        self.errors: list[FxError] = []
        self.scopes: dict[int, ModuleScope] = {}
        self.functions: list[ast.FnDecl] = []
        self.lambdas: list[ast.Lambda] = []
        self.handles: list[ast.Handle] = []
        self.discontinues = False                 # a `discontinue` was checked (handlers then support it)
        self.structs: list[T.Struct] = []
        self.enums: list[T.Enum] = []
        self.globals: list[ast.GlobalLet] = []
        self.effects: list[T.Effect] = []
        self.exceptions: list = []
        # generics
        self.tparams: dict = {}                  # type parameter name -> type, in the declaration being checked
        self.templates: dict = {}                # id(template Struct/Enum/Effect) -> (decl, ModuleScope)
        self.effect_instances: dict = {}         # (id(generic effect), args) -> canonical instance
        self.pretyped: dict = {}                 # id(expr) -> its type, inferred before a rewrite moved it
        self.templates_fn: list[ast.FnDecl] = []
        self.fn_params: dict = {}                # id(generic FnDecl) -> tuple of types.Param
        self.pristine: dict = {}                 # id(generic FnDecl) -> unannotated copy
        self.decl_scopes: dict = {}              # id(generic FnDecl) -> ModuleScope
        self.type_instances: dict = {}           # (id(template), args) -> instance
        self.provisional: dict = {}              # the same for arguments not yet inferred
        self.fn_instances: dict = {}             # (id(generic FnDecl), args) -> instance FnDecl
        self.instances: list[ast.FnDecl] = []
        self.pending_instances: list = []
        self.unfilled: list = []
        self.templates_ready = False
        self.depth_reported = False
        self.bad_templates: set = set()
        self.generic_uses: list = []
        self.handle_parts: list = []             # the handled blocks / clauses being checked, outermost first
        self.generic_calls: dict = {}            # id(callee Name) -> Call, for generic calls
        self.prelude: ModuleScope | None = None
        self.async_run: ast.FnDecl | None = None
        self.yield_types: list = []
        self.k_bindings: set = set()             # ids of handler clauses' continuation bindings
        self.declared: dict = {}                 # id(FnDecl) -> its declared effect set (resolved)            # (FnDecl/Lambda, allowed effects, span): checked when solved
        self.tracker = EffectTracker()
        self.var_owner = None                    # the top-level fn whose effect variables are being made
        self.main: ast.FnDecl | None = None
        self.lambda_ids = itertools.count(1)
        # per-body state
        self.mscope: ModuleScope | None = None
        self.frames: list[_Frame] = []
        self.blocks: list[dict] = []             # local scopes: name -> Binding
        self.deferred: list[Deferred] = []
        self.global_ready: set[int] = set()      # ids of GLOBAL bindings whose initialiser was checked
        self.infinite = False                    # set by unify when the occurs check failed

    def error(self, message: str, span: Span | None, notes=None) -> T.Type:
        self.errors.append(FxError(message, span, notes))
        return ERROR

    # -----------------------------------------------------------------------------------------------------
    # the whole program

    def run(self) -> None:
        modules = self.program.modules
        for m in modules:
            self.declare(m)
            if m.name == PRELUDE:
                self.prelude = self.scopes[id(m)]
        for m in modules:
            scope = self.scopes[id(m)]
            scope.imports = [self.scopes[id(i.module)] for i in m.imports if i.module is not None
                             and id(i.module) in self.scopes]
        for m in modules:
            self.resolve_declarations(m)
        self.fill_instances()
        for m in modules:
            self.mscope = self.scopes[id(m)]
            for d in m.items:
                if isinstance(d, ast.GlobalLet):
                    self.check_global(d)
        for m in modules:
            self.mscope = self.scopes[id(m)]
            for d in m.items:
                if isinstance(d, ast.FnDecl):
                    self.tparams = self.type_params_of(d)
                    before = len(self.errors)
                    self.check_fn(d)
                    if len(self.errors) > before and d.type_params:
                        self.bad_templates.add(id(d))
                    self.tparams = {}
        self.check_main()
        self.check_async_main()
        self.check_instances()
        self.check_effects()

    # -----------------------------------------------------------------------------------------------------
    # bodies

    def begin_body(self, node, result: T.Type, locals_: list) -> None:
        self.frames = [_Frame(node, result, locals_)]
        self.blocks = [{}]
        self.deferred = []
        self.generic_uses = []
        self.handle_parts = []
        self.pending_performs = [[]]              # performs of generic effects (effects.infer_generic_performs)
        self.tracker.stack = []
        self.var_owner = self.tracker.owner = node if isinstance(node, ast.FnDecl) else None
        self.tracker.enter_body(node)

    def end_body(self, root: ast.Node, errors_before: int) -> None:
        """Check deferred constraints, then replace every type in `root` by its solution."""
        node = self.frames[0].node if self.frames else None
        self.infer_generic_performs(self.pending_performs.pop() if self.pending_performs else [],
                                    self.declared.get(id(node), ()))
        for d in self.deferred:
            t = T.prune(d.ty)
            if isinstance(t, T.TypeVar):
                if len(self.errors) == errors_before:
                    self.error(f"cannot infer the type of the operand of {d.what}; add a type annotation", d.span)
            elif t is not ERROR and t is not T.NEVER and not d.ok(t):
                self.error(f"{d.what} cannot be applied to {t}", d.span)
        self.bind_generic_uses(errors_before)
        clean = len(self.errors) == errors_before
        reported = not clean
        for n in _walk_all(root):
            types, annotated, has_binding = _plan(type(n))
            if annotated:
                self.resolve_annotations(n)
            for attr in types:
                t = getattr(n, attr)
                if type(t) is T.Prim:           # most types: nothing to resolve
                    continue
                if isinstance(t, T.Type):
                    t = t.resolve()
                    if not reported and T.has_vars(t):
                        reported = True
                        self.error(f"cannot infer the type of this {_describe_node(n)}; add a type annotation",
                                   n.span)
                    setattr(n, attr, t)
            if has_binding:
                b = n.binding
                if isinstance(b, Binding) and isinstance(b.ty, T.Type):
                    b.ty = b.ty.resolve()
            if isinstance(n, (ast.Perform, ast.HandlerClause, ast.Handle)):
                reported = self.resolve_effect_instances(n, reported)

    def resolve_effect_instances(self, n, reported: bool) -> bool:
        """The canonical instances of the generic effects `n` performs or handles (an error when a type
        argument is still unknown); whether an error has been reported in this body."""
        effs = n.handled if isinstance(n, ast.Handle) else [n.op.effect] if n.op is not None else []
        out = []
        for eff in effs:
            r = eff.resolve()
            if r.canon is not None and not reported:
                reported = True
                names = ", ".join(p.name for p in eff.template.params)
                self.error(f"cannot infer the type argument{'s' if len(eff.args) > 1 else ''} {names} of effect "
                           f"{eff.generic}; add a type annotation or handle it where the type is known", n.span)
            out.append(r)
        if isinstance(n, ast.Handle):
            n.handled = out
        elif out and out[0] is not n.op.effect:
            n.op = OpRef(out[0], n.op.index)
        return reported

    def check_global(self, d: ast.GlobalLet) -> None:
        if d.binding is None:
            return
        before = len(self.errors)
        self.begin_body(d, T.UNIT, d.locals)
        if d.binding.ty is not None:
            t = self.coerce(d.value, d.binding.ty)
        else:
            t = self.infer(d.value)
            if T.prune(t) is T.NEVER:
                t = self.error(f"the initialiser of global '{d.name}' never produces a value", d.value.span)
            d.binding.ty = t
        self.end_body(d.value, before)
        d.binding.ty = d.binding.ty.resolve()
        self.global_ready.add(d.binding.id)

    def check_fn(self, d: ast.FnDecl) -> None:
        if d.binding is None or d.fn_type is None:
            return
        before = len(self.errors)
        d.locals = []
        gen = d.gen_elem
        self.begin_body(d, T.UNIT if gen is not None else d.fn_type.result, d.locals)
        frame = self.frames[0]
        frame.gen_elem = gen
        if gen is not None:
            self.tracker.stack[0].handled = frozenset([T.YieldEffect(gen)])
            result = T.prune(d.fn_type.result)
            if isinstance(result, T.Gen):       # stepping the generator performs what its body does
                self.tracker.gens.append((d, result.effects))
            self.note_gen_type(gen)
        if d.is_async:
            frame.may_await = True
            self.async_effect(d)
        for p, t in zip(d.params, d.fn_type.params):
            p.binding = self.declare_local(p.name, PARAM, False, t, p)
        if gen is None or not self.delegate_generator(d.body, gen):
            self.coerce_block_result(d.body, frame.result)
        self.end_body(d, before)

    def delegate_generator(self, body: ast.Block, elem: T.Type) -> bool:
        """A generator fn whose body ends in an expression of type Gen[T] (`fn primes() -> Gen[int] {
        sieve(nat(2)) }`, also chosen by an `if` or a `match`: `if b { nat(0) } else { nat(10) }`) hands on that
        generator: the tail becomes `for x in tail { yield x; }`, so stepping, cancelling and effects go through
        it.  Loops and blocks keep the plain unit rule (so does an `if`/`match` of unit type).  Whether it
        applied."""
        tail = body.tail
        if tail is None or isinstance(tail, (ast.Block, ast.Loop, ast.While, ast.For)):
            return False
        diverges = self.block_stmts(body)
        try:
            t = self.infer(tail)
            if not isinstance(T.prune(t), T.Gen):
                t = self.expect(t, T.UNIT, tail.span)
                body.ty = T.NEVER if diverges and T.prune(t) is not ERROR else t
                return True
            sp = tail.span
            loop = ast.For("__delegated", tail, ast.Block(
                [ast.ExprStmt(ast.Yield(ast.Name("__delegated", sp), sp), True, sp)], None, sp), sp)
            self.pretyped[id(tail)] = t
            self.infer(loop)
            body.stmts.append(ast.ExprStmt(loop, False, sp))
            body.tail = None
            body.ty = T.UNIT
            return True
        finally:
            self.blocks.pop()

    def declare_local(self, name: str, kind: str, mutable: bool, ty: T.Type, decl) -> Binding:
        frame = self.frames[-1]
        b = Binding(name, kind, mutable, ty, decl, owner=frame.node)
        b.handle_path = tuple(map(id, self.handle_parts))
        frame.locals.append(b)
        self.blocks[-1][name] = b
        return b

    def note_use(self, b: Binding) -> None:
        """Record captures: every lambda between the use and the binding's owner captures it."""
        if b.kind not in (LOCAL, PARAM):
            return
        path = getattr(b, "handle_path", ())
        if len(self.handle_parts) > len(path):
            # used inside a handled block or clause (each runs as a closure) but declared outside it
            b.captured = True
        for frame in reversed(self.frames):
            if frame.node is b.owner:
                return
            b.captured = True
            if isinstance(frame.node, ast.Lambda) and b not in frame.node.captures:
                frame.node.captures.append(b)

    def global_binding_use(self, b: Binding, span: Span) -> T.Type:
        if b.kind == GLOBAL and b.id not in self.global_ready:
            frame = self.frames[0].node if self.frames else None
            if isinstance(frame, ast.GlobalLet):
                return self.error(f"global '{b.name}' is used before its initialiser has run", span)
        if b.ty is None:
            return ERROR
        return b.ty

    # -----------------------------------------------------------------------------------------------------
    # statements and blocks

    def coerce(self, e: ast.Expr, expected: T.Type, context: str = "") -> T.Type:
        """Check `e` where a value of type `expected` is needed; errors point at the innermost culprit."""
        if isinstance(e, ast.Block):
            return self.coerce_block_result(e, expected)
        if isinstance(e, ast.If) and e.else_ is not None:
            return self.check_if(e, expected)
        if isinstance(e, ast.Match):
            return self.check_match(e, expected)
        t = self.infer(e, expected)
        if isinstance(e, ast.If) and not context:
            context = " (an 'if' without 'else' has no value)"
        return self.expect(t, expected, e.span, context)

    def coerce_block_result(self, b: ast.Block, expected: T.Type) -> T.Type:
        diverges = self.block_stmts(b)
        try:
            if b.tail is not None:
                t = self.coerce(b.tail, expected)
                if diverges:
                    t = T.NEVER if T.prune(t) is not ERROR else t
            elif diverges:
                t = T.NEVER
            else:
                end = Span(b.span.file, b.span.end_line, max(b.span.end_col - 1, 1), b.span.end_line,
                           b.span.end_col)
                t = self.expect(T.UNIT, expected, end, " (the block has no value)")
        finally:
            self.blocks.pop()
        b.ty = t
        return t

    def infer_block(self, b: ast.Block, hint: T.Type | None) -> T.Type:
        diverges = self.block_stmts(b)
        try:
            if b.tail is not None:
                t = self.infer(b.tail, hint)
            else:
                t = T.NEVER if diverges else T.UNIT
        finally:
            self.blocks.pop()
        b.ty = t
        return t

    def block_stmts(self, b: ast.Block) -> bool:
        """Check the statements of `b` in a new scope (left open for the tail); whether one diverges."""
        self.blocks.append({})
        diverges = False
        for s in b.stmts:
            if isinstance(s, ast.Let):
                if s.ty is not None:
                    ty = self.resolve_type(s.ty)
                    vt = self.coerce(s.value, ty)
                else:
                    vt = self.infer(s.value)
                    ty = vt          # never when the value diverges: the code after it is unreachable
                if T.prune(vt) is T.NEVER:
                    diverges = True
                s.binding = self.declare_local(s.name, LOCAL, s.mutable, ty, s)
            elif isinstance(s, ast.Assign):
                self.check_assign(s)
            elif isinstance(s, ast.ExprStmt):
                t = self.infer(s.expr)
                if T.prune(t) is T.NEVER:
                    diverges = True
        return diverges

    def check_assign(self, s: ast.Assign) -> None:
        target = s.target
        if isinstance(target, ast.Name):
            found = self.lookup_value(target.name, target.span)
            if not isinstance(found, Binding):
                if found is None:
                    self.error(f"unknown variable '{target.name}'", target.span,
                               self.hint(target.name, self.value_names()))
                else:
                    self.error(f"cannot assign to '{target.name}'", target.span)
                self.infer(s.value)
                return
            target.binding = found
            if found.kind == FN:
                self.error(f"cannot assign to function '{target.name}'", target.span)
                self.infer(s.value)
                return
            if not found.mutable:
                what = "parameter" if found.kind == PARAM else "variable"
                self.error(f"cannot assign to immutable {what} '{target.name}'", target.span,
                           [("declare it with 'let mut' to allow assignment", found.decl.span)]
                           if found.kind in (LOCAL, GLOBAL) else None)
            tt = self.global_binding_use(found, target.span) if found.kind == GLOBAL else found.ty
            target.ty = tt
        else:
            tt = self.infer(target)
        if s.op == "=":
            self.coerce(s.value, tt)
        else:
            op = s.op[:-1]
            self.coerce(s.value, tt)
            allowed = (T.INT, T.FLOAT, T.STR) if op == "+" else (T.INT, T.FLOAT)
            self.require(tt, allowed, s.span, f"operator '{s.op}'")

    # -----------------------------------------------------------------------------------------------------
    # expressions

    def infer(self, e: ast.Expr, hint: T.Type | None = None) -> T.Type:
        t = self.pretyped.pop(id(e), None) if self.pretyped else None
        if t is None:                       # (a node the checker moved into code it made up, already inferred)
            t = getattr(self, "infer_" + type(e).__name__)(e, hint)
        e.ty = t
        return t

    def infer_IntLit(self, e, hint):
        if e.value > 2**63 - 1:
            return self.error("integer literal is too large for int", e.span)
        return T.INT

    def infer_FloatLit(self, e, hint):
        return T.FLOAT

    def infer_BoolLit(self, e, hint):
        return T.BOOL

    def infer_StrLit(self, e, hint):
        return T.STR

    def infer_UnitLit(self, e, hint):
        return T.UNIT

    def infer_Name(self, e: ast.Name, hint):
        if e.name == "resume":
            k = self.resume_target(e.span)
            if k is None:
                return ERROR
            e.binding = k
            self.note_use(k)
            return k.ty
        found = self.lookup_value(e.name, e.span)
        if isinstance(found, Binding):
            e.binding = found
            if found.kind == FN:
                return self.fn_value(e, found, hint)
            if found.kind == GLOBAL:
                return self.global_binding_use(found, e.span)
            return found.ty if found.ty is not None else ERROR
        if isinstance(found, list):
            ref = self.resolve_variant(None, e.name, e.span, hint)
            return self.variant_value(e, ref, hint)
        if found == "builtin":
            return self.error(f"builtin '{e.name}' can only be called", e.span)
        if e.name[:1].isupper():
            return self.error(f"unknown variant '{e.name}'", e.span, self.hint(e.name, self.value_names()))
        return self.error(f"unknown variable '{e.name}'", e.span, self.hint(e.name, self.value_names()))

    def infer_Path(self, e: ast.Path, hint):
        ref = self.resolve_variant(e.enum, e.name, e.span)
        return self.variant_value(e, ref, hint)

    def variant_value(self, e, ref: VariantRef | None, hint=None) -> T.Type:
        if ref is None:
            return ERROR
        ref = self.instance_ref(ref, hint)
        e.variant = ref
        n = len(ref.payload)
        if n:
            s = "" if n == 1 else "s"
            return self.error(f"variant '{ref.name}' takes {n} argument{s}; write {ref.name}(...)", e.span)
        return ref.enum

    def infer_ArrayLit(self, e: ast.ArrayLit, hint):
        h = T.prune(hint) if hint is not None else None
        elem = h.elem if isinstance(h, T.Array) else T.TypeVar()
        for x in e.elems:
            t = self.coerce(x, elem)
            if isinstance(T.prune(elem), T.TypeVar) and T.prune(t) is not T.NEVER:
                self.unify(elem, t)
        return T.Array(elem)

    def infer_Index(self, e: ast.Index, hint):
        tt = self.infer(e.target)
        self.coerce(e.index, T.INT)
        t = T.prune(tt)
        if t is ERROR:
            return ERROR
        if isinstance(t, T.Array):
            return t.elem
        if isinstance(t, T.TypeVar):
            elem = T.TypeVar()
            self.unify(t, T.Array(elem))
            return elem
        return self.error(f"cannot index a value of type {t}", e.target.span)

    def infer_Field(self, e: ast.Field, hint):
        tt = self.infer(e.target)
        t = T.prune(tt)
        if t is ERROR:
            return ERROR
        if isinstance(t, T.TypeVar):
            # Infer the struct from the field name when exactly one visible struct has it.
            candidates = [s for s in self.visible_structs() if s.field_index(e.name) >= 0]
            if len(candidates) != 1:
                return self.error(f"cannot infer the type of this value (to access field '{e.name}'); "
                                  "add a type annotation", e.target.span)
            st = candidates[0]
            if st.params:
                st = self.fresh_instance(st)
            self.unify(t, st)
            t = st
        if not isinstance(t, T.Struct):
            notes = []
            if e.name in BUILTINS:
                notes = [(f"builtins are called as functions: {e.name}(...)", None)]
            return self.error(f"type {t} has no field '{e.name}'", e.span, notes)
        i = t.field_index(e.name)
        if i < 0:
            return self.error(f"struct {t.name} has no field '{e.name}'", e.span,
                              self.hint(e.name, [n for n, _ in t.fields]))
        e.struct = t
        e.index = i
        return t.fields[i][1]

    def infer_StructLit(self, e: ast.StructLit, hint):
        st = self.lookup_type(e.name)
        if st is None or not isinstance(st, T.Struct):
            msg = f"unknown struct '{e.name}'" if st is None else f"'{e.name}' is not a struct"
            self.error(msg, Span(e.span.file, e.span.line, e.span.col, e.span.line, e.span.col + len(e.name)),
                       self.hint(e.name, self.type_names()) if st is None else None)
            for f in e.fields:
                self.infer(f.value)
            return ERROR
        if st.params:
            st = self.fresh_instance(st, hint)
        e.struct = st
        seen: set[str] = set()
        for f in e.fields:
            i = st.field_index(f.name)
            if i < 0:
                self.error(f"struct {st.name} has no field '{f.name}'", f.span,
                           self.hint(f.name, [n for n, _ in st.fields]))
                self.infer(f.value)
                continue
            if f.name in seen:
                self.error(f"field '{f.name}' is given twice", f.span)
            seen.add(f.name)
            f.index = i
            self.coerce(f.value, st.fields[i][1])
        missing = [n for n, _ in st.fields if n not in seen]
        if missing:
            names = ", ".join(f"'{n}'" for n in missing)
            s = "s" if len(missing) > 1 else ""
            self.error(f"missing field{s} {names} in {st.name} literal", e.span)
        return st

    def infer_Unary(self, e: ast.Unary, hint):
        t = self.infer(e.operand)
        if e.op == "!":
            return self.expect(t, T.BOOL, e.operand.span)
        self.require(t, (T.INT, T.FLOAT), e.span, "operator '-'")
        return t

    def infer_Binary(self, e: ast.Binary, hint):
        op = e.op
        if op in ("&&", "||"):
            self.coerce(e.left, T.BOOL)
            self.coerce(e.right, T.BOOL)
            return T.BOOL
        arith = op in ("+", "-", "*", "/", "%")
        if op in ("+",):
            allowed = (T.INT, T.FLOAT, T.STR)
        elif op in ("-", "*", "/", "%"):
            allowed = (T.INT, T.FLOAT)
        elif op in ("<", "<=", ">", ">="):
            allowed = (T.INT, T.FLOAT, T.STR)
        else:
            allowed = (T.INT, T.FLOAT, T.STR, T.BOOL)
        lt = self.infer(e.left)
        p = T.prune(lt)
        if p is not ERROR and p is not T.NEVER and not isinstance(p, T.TypeVar) and p not in allowed:
            self.error(f"operator '{op}' cannot be applied to {p}", e.span)
            self.infer(e.right)
            return ERROR if arith else T.BOOL
        rt = self.coerce(e.right, lt) if p is not T.NEVER else self.infer(e.right)
        t = lt if p is not T.NEVER else rt
        self.require(t, allowed, e.span, f"operator '{op}'")
        if arith:
            return t
        return T.BOOL

    def infer_Block(self, e: ast.Block, hint):
        return self.infer_block(e, hint)

    def infer_If(self, e: ast.If, hint):
        if e.else_ is None:
            self.coerce(e.cond, T.BOOL)
            self.coerce_block_if_unit(e.then)
            return T.UNIT
        return self.check_if(e, hint)

    def coerce_block_if_unit(self, b: ast.Block) -> None:
        t = self.infer_block(b, T.UNIT)
        p = T.prune(t)
        if p is not T.NEVER and p is not ERROR and not self.unify(T.UNIT, t):
            where = b.tail.span if b.tail is not None else b.span
            self.error(f"type mismatch: expected unit, found {t} (an 'if' without 'else' has no value)", where)

    def check_if(self, e: ast.If, expected: T.Type | None) -> T.Type:
        """An if with else; with `expected`, both branches are coerced to it."""
        self.coerce(e.cond, T.BOOL)
        if expected is not None:
            t1 = self.coerce(e.then, expected)
            t2 = self.coerce(e.else_, expected)
            t = T.NEVER if T.prune(t1) is T.NEVER and T.prune(t2) is T.NEVER else expected
        else:
            t1 = self.infer(e.then)
            t2 = self.infer(e.else_)
            where = e.else_.tail.span if isinstance(e.else_, ast.Block) and e.else_.tail else e.else_.span
            t = self.join(t1, t2, where, " (the branches of 'if' must have the same type)")
        e.ty = t
        return t

    def infer_While(self, e: ast.While, hint):
        self.coerce(e.cond, T.BOOL)
        frame = self.frames[-1]
        frame.loops.append((e, None, len(frame.cleanups)))
        try:
            self.infer_block(e.body, None)
        finally:
            frame.loops.pop()
        return T.UNIT

    def infer_Loop(self, e: ast.Loop, hint):
        frame = self.frames[-1]
        result = T.TypeVar()
        state = None if e.from_for else {"broke": False, "ty": result}
        frame.loops.append((e, state, len(frame.cleanups)))
        try:
            self.infer_block(e.body, None)
        finally:
            frame.loops.pop()
        if e.from_for:
            return T.UNIT
        return result if state["broke"] else T.NEVER

    def infer_Break(self, e: ast.Break, hint):
        frame = self.frames[-1]
        if not frame.loops:
            if e.value is not None:
                self.infer(e.value)
            return self.error("'break' outside of a loop", e.span)
        loop, state, depth = frame.loops[-1]
        e.loop = loop
        e.leaves = list(reversed(frame.cleanups[depth:]))
        if state is None:
            if e.value is not None:
                self.infer(e.value)
                return self.error("'break' with a value is only allowed inside 'loop'", e.value.span)
            return T.NEVER
        state["broke"] = True
        if e.value is not None:
            self.coerce(e.value, state["ty"])
        else:
            self.expect(T.UNIT, state["ty"], e.span)
        return T.NEVER

    def infer_Continue(self, e: ast.Continue, hint):
        frame = self.frames[-1]
        if not frame.loops:
            return self.error("'continue' outside of a loop", e.span)
        loop, _, depth = frame.loops[-1]
        e.loop = loop
        e.leaves = [n for n in reversed(frame.cleanups[depth:]) if n is not loop]
        return T.NEVER

    def infer_Return(self, e: ast.Return, hint):
        frame = self.frames[-1]
        if isinstance(frame.node, ast.GlobalLet):
            if e.value is not None:
                self.infer(e.value)
            return self.error("'return' outside of a function", e.span)
        e.fn = frame.node
        e.leaves = list(reversed(frame.cleanups))
        if frame.gen_elem is not None and e.value is not None:
            self.infer(e.value)
            return self.error("a generator ends with 'return' without a value", e.value.span)
        if e.value is not None:
            self.coerce(e.value, frame.result)
        else:
            self.expect(T.UNIT, frame.result, e.span, " ('return' without a value)")
        return T.NEVER

    def infer_Lambda(self, e: ast.Lambda, hint):
        h = T.prune(hint) if hint is not None else None
        expected = h if isinstance(h, T.Fn) and len(h.params) == len(e.params) else None
        params = []
        for i, p in enumerate(e.params):
            if p.ty is not None:
                t = self.resolve_type(p.ty)
                if expected is not None:
                    self.expect(t, expected.params[i], p.span)
            else:
                t = expected.params[i] if expected is not None else T.TypeVar()
            params.append(t)
        if e.result is not None:
            result = self.resolve_type(e.result)
        elif expected is not None and not isinstance(T.prune(expected.result), T.TypeVar):
            result = expected.result
        else:
            result = T.TypeVar()
        e.id = next(self.lambda_ids)
        outer = self.frames[0].node
        base = outer.qualname if isinstance(outer, ast.FnDecl) else f"{self.mscope.module.name}.{outer.name}"
        e.name = f"{base}$lambda{e.id}"
        if not self.in_template():          # a template is never compiled; its instances have their own lambdas
            self.lambdas.append(e)
        e.locals = []
        e.captures = []
        frame = _Frame(e, result, e.locals)
        # the lambda's effects are its type's latent effects: performed where it is called (effect_solver.py)
        var = self.new_effect_var()
        self.tracker.lambdas.append((e, var))
        allowed = T.closed_effects(expected.effects) if expected is not None else None
        if expected is not None and allowed is None and isinstance(expected.effects, T.EffectVar):
            allowed = expected.effects.hint or expected.effects.find().hint or None    # an open row's part
        if allowed:
            frame.may_await = any(getattr(x, "name", "") == "Async" for x in allowed)
            ys = [x.elem for x in allowed if isinstance(x, T.YieldEffect)]
            frame.yield_ty = ys[0] if len(ys) == 1 else None
        frame.clauses = list(self.frames[-1].clauses)
        frame.may_await = frame.may_await or self.frames[-1].may_await
        self.frames.append(frame)
        self.blocks.append({})
        self.tracker.enter_body(e)
        self.pending_performs.append([])
        try:
            seen: set[str] = set()
            for p, t in zip(e.params, params):
                if p.name in seen:
                    self.error(f"duplicate parameter '{p.name}'", p.span)
                seen.add(p.name)
                p.binding = self.declare_local(p.name, PARAM, False, t, p)
            bt = self.coerce(e.body, result)
            if isinstance(T.prune(result), T.TypeVar) and T.prune(bt) is not T.NEVER:
                self.unify(result, bt)
        finally:
            self.tracker.exit_body()
            self.blocks.pop()
            self.frames.pop()
            # a lambda given a closed effect set: open generic effects take their arguments from it
            self.infer_generic_performs(self.pending_performs.pop(), allowed or ())
        e.fn_type = T.Fn(tuple(params), result, var)
        return e.fn_type

    # -----------------------------------------------------------------------------------------------------
    # match

    def infer_Match(self, e: ast.Match, hint):
        return self.check_match(e, hint, coerce=False)

    def check_match(self, e: ast.Match, expected: T.Type | None, coerce: bool = True) -> T.Type:
        st = self.infer(e.scrutinee)
        result: T.Type | None = expected if coerce else None
        t_all = T.NEVER
        for arm in e.arms:
            self.blocks.append({})
            try:
                self.check_pattern(arm.pattern, st)
                if arm.guard is not None:
                    self.coerce(arm.guard, T.BOOL)
                if result is not None:
                    bt = self.coerce(arm.body, result)
                else:
                    bt = self.infer(arm.body, expected)
                    where = arm.body.tail.span if isinstance(arm.body, ast.Block) and arm.body.tail else arm.body.span
                    t_all = self.join(t_all, bt, where, " (the arms of 'match' must have the same type)")
                    continue
                if T.prune(bt) is not T.NEVER:
                    t_all = result
            finally:
                self.blocks.pop()
        scrut = T.prune(st)
        if not isinstance(scrut, T.TypeVar) and scrut is not ERROR and scrut is not T.NEVER:
            patterns = [a.pattern for a in e.arms if a.guard is None]
            if not self._patterns_ok(patterns):
                pass
            else:
                w = exhaustive.missing(patterns, scrut)
                if w is not None:
                    if w == "_":
                        self.error(f"non-exhaustive match: not all values of type {scrut} are covered; "
                                   "add a '_' arm", e.span.to(e.scrutinee.span))
                    else:
                        self.error(f"non-exhaustive match: pattern '{w}' is not covered", e.span.to(e.scrutinee.span))
        e.ty = t_all
        return t_all

    def _patterns_ok(self, patterns) -> bool:
        for p in patterns:
            for n in ast.walk(p):
                if isinstance(n, ast.VariantPat) and n.variant is None:
                    return False
                if isinstance(n, ast.StructPat) and n.struct is None:
                    return False
        return True

    def check_pattern(self, p: ast.Pattern, ty: T.Type) -> None:
        if isinstance(p, ast.WildcardPat):
            return
        if isinstance(p, ast.BindPat):
            p.binding = self.declare_local(p.name, LOCAL, False, ty, p)
            return
        if isinstance(p, ast.LitPat):
            lt = self.infer(p.value)
            self.expect(lt, ty, p.span, " (pattern type)")
            return
        if isinstance(p, ast.VariantPat):
            ref = self.instance_ref(self.resolve_variant(p.enum, p.name, p.span, ty), ty)
            if ref is None:
                for a in p.args:
                    self.check_pattern(a, ERROR)
                return
            if not self.unify(ty, ref.enum):
                self.error(f"type mismatch: expected {ty}, found {ref.enum} (pattern type)", p.span)
                for a in p.args:
                    self.check_pattern(a, ERROR)
                return
            p.variant = ref
            n = len(ref.payload)
            if len(p.args) != n:
                self.error(f"variant '{ref.name}' has {n} field{'' if n == 1 else 's'} but the pattern has "
                           f"{len(p.args)}", p.span)
                p.variant = None
                for a in p.args:
                    self.check_pattern(a, ERROR)
                return
            for a, pt in zip(p.args, ref.payload):
                self.check_pattern(a, pt)
            return
        if isinstance(p, ast.StructPat):
            self.check_struct_pattern(p, ty)

    def check_struct_pattern(self, p: ast.StructPat, ty: T.Type) -> None:
        """`S { f: pat, g, .. }`: every field named once; all of them unless the pattern ends in `..`."""
        found = self.lookup_type(p.name, p.span)
        st = None
        if isinstance(found, T.Struct):
            st = self.fresh_instance(found, ty) if found.params else found
            if not self.unify(ty, st):
                self.error(f"type mismatch: expected {ty}, found {st} (pattern type)", p.span)
                st = None
        elif found is None:
            self.error(f"unknown struct '{p.name}'", p.span, self.hint(p.name, self.type_names()))
        else:
            self.error(f"'{p.name}' is not a struct", p.span)
        seen: dict = {}
        for f in p.fields:
            ft = ERROR
            if st is not None:
                f.index = st.field_index(f.name)
                if f.index < 0:
                    self.error(f"struct {st} has no field '{f.name}'", f.span)
                elif f.name in seen:
                    self.error(f"field '{f.name}' is matched twice", f.span, [("first matched here", seen[f.name])])
                else:
                    ft = st.fields[f.index][1]
                seen.setdefault(f.name, f.span)
            self.check_pattern(f.pattern, ft)
        if st is not None and not p.rest:
            left = [n for n, _ in st.fields if n not in seen]
            if left:
                names = ", ".join(f"'{n}'" for n in left)
                self.error(f"pattern for struct {st} does not name field{'s' if len(left) > 1 else ''} {names}; "
                           "add '..' to ignore the others", p.span)
        p.struct = st


PRELUDE = "std.prelude"


_PLANS: dict = {}


def _plan(cls) -> tuple:
    """What end_body must resolve on nodes of class `cls`: its type fields (`ty`, `fn_type`), whether it has
    other type annotations (control.resolve_annotations) and a `binding`.  Once per class: end_body visits
    every node of every body."""
    plan = _PLANS.get(cls)
    if plan is None:
        fields = cls.__dataclass_fields__
        plan = _PLANS[cls] = (tuple(a for a in ("ty", "fn_type") if a in fields),
                              any(a in fields for a in ("variant", "struct", "elem", "body_ty", "type_args")),
                              "binding" in fields)
    return plan


def _walk_all(root):
    """ast.walk, also into the Call an Await stands for."""
    for n in ast.walk(root):
        yield n
        if isinstance(n, ast.Await) and n.call is not None:
            yield from _walk_all(n.call)


def _describe_node(n) -> str:
    if isinstance(n, ast.Lambda):
        return "lambda"
    if isinstance(n, ast.ArrayLit):
        return "array"
    if isinstance(n, ast.Name):
        return f"variable '{n.name}'"
    return "expression"
