"""Function bodies: expressions, statements and patterns -> Wasm instructions.

    FnGen(program_gen, wasm_function, params, env=None).body(expr, result_type)

Stack discipline: `expr(e)` leaves exactly the Wasm value of `e.ty` on the stack (nothing for unit); an
expression of type never is followed by `unreachable` so whatever the context expects validates.
Evaluation order is left to right everywhere (operands, arguments, struct fields in source order).
"""

from __future__ import annotations

from fxlang.check import types as T
from fxlang.diagnostics import FxError
from fxlang.syntax import ast as A
from fxlang.wasm import ref

from .control.effects import source_of
from .printing import print_call
from .layout import CLO_CODE, CLO_ENV, ENUM_TAG, VEC_DATA, VEC_LEN, is_void, resolve

INT_OPS = {'+': 'i64.add', '-': 'i64.sub', '*': 'i64.mul', '/': 'i64.div_s', '%': 'i64.rem_s',
           '==': 'i64.eq', '!=': 'i64.ne', '<': 'i64.lt_s', '<=': 'i64.le_s', '>': 'i64.gt_s', '>=': 'i64.ge_s'}
FLOAT_OPS = {'+': 'f64.add', '-': 'f64.sub', '*': 'f64.mul', '/': 'f64.div',
             '==': 'f64.eq', '!=': 'f64.ne', '<': 'f64.lt', '<=': 'f64.le', '>': 'f64.gt', '>=': 'f64.ge'}
BOOL_OPS = {'==': 'i32.eq', '!=': 'i32.ne'}
CMP_AGAINST_ZERO = {'<': 'i32.lt_s', '<=': 'i32.le_s', '>': 'i32.gt_s', '>=': 'i32.ge_s'}


def value_to_str(rt, f, t) -> bool:
    """`str` of the value of type `t` on the stack (bool, int, float, unit), leaving a $str; whether `t` is one
    of those (a str needs nothing; other types have no `str`)."""
    if t == T.BOOL:
        f.emit('if', ref(rt.layout.str))
        rt.literal(f, 'true')
        f.emit('else')
        rt.literal(f, 'false')
        f.emit('end')
    elif t == T.INT:
        f.emit('call', rt.int_to_str())
    elif t == T.FLOAT:
        f.emit('call', rt.float_to_str())
    elif t == T.UNIT:
        rt.literal(f, '()')
    else:
        return False
    return True


def fx_name(owner) -> str:
    """How traps name the code of `owner` (docs/host.md, "Traps and the source map"): `fn mean`,
    `lambda in fn main`."""
    if owner is None:
        return 'global initializers'
    owner = source_of(owner)                 # a Thunk: code of a fn lowered to a closure
    if owner is None:
        return 'handler'
    if isinstance(owner, A.Lambda):
        base = (owner.name or '').split('$lambda')[0]
        return f'lambda in fn {display_name(base)}' if base else 'lambda'
    name = getattr(owner, 'qualname', None) or getattr(owner, 'name', None)
    return f'fn {display_name(name)}' if name else 'fn'


def display_name(qualname: str) -> str:
    """Names in traps and disassembly: functions of the entry module by their plain name."""
    return qualname[len('main.'):] if qualname.startswith('main.') else qualname


def unsupported(what: str, node) -> FxError:
    return FxError(f'{what} is not supported by the code generator yet', getattr(node, 'span', None))


_METHOD: dict = {}                   # node class -> name of its FnGen method
_JUMPS = (A.Return, A.Break, A.Continue, A.Throw)    # type never, and already leave: no `unreachable` after


class FnGen:
    """Generates the body of one Wasm function (a top-level fn, a lambda, or the global initialiser).

    The control lowerings (control/) emit through it and keep their own state: `f` (the wasm Function and its
    block helpers), `L` (layout), `owner`, `emit`, `tmp`, `expr`, `coerce`, `to_storage`, `read`, `declare`,
    `pattern`, `make_closure`, `is_local_jump`, `jump`/`jump_type`/`go_on`, and the scopes `locals` (Binding ->
    local) and `loops` (loop -> labels)."""

    def __init__(self, gen, f, params, first_param=0, env=None, owner=None):
        self.g, self.f = gen, f
        self.owner = owner            # the FnDecl / Lambda / lowered Thunk whose body this is
        self.L, self.rt = gen.layout, gen.runtime
        self.locals: dict = {}        # Binding -> local index (holding the cell when the binding is boxed)
        self.loops: dict = {}         # While/Loop/For node -> (break label, continue label)
        self.env = env                # (env type, {Binding: field}) for a lambda with captures
        self.env_local = None
        f.fx_name = fx_name(owner)
        idx = first_param
        for b in params:
            if is_void(b.ty):
                continue
            f.name_param(idx, b.name)
            if gen.is_boxed(b):
                cell = self.L.cell(b.ty)
                loc = f.local(ref(cell), b.name)
                f.emit('local.get', idx); f.emit('struct.new', cell); f.emit('local.set', loc)
                self.locals[b] = loc
            else:
                self.locals[b] = idx
            idx += 1
        if env is not None:
            env_type, _ = env
            self.env_local = f.local(ref(env_type), 'env')
            f.emit('local.get', 0); f.emit('ref.cast', ref(env_type)); f.emit('local.set', self.env_local)

    def emit(self, op, *imms):
        self.f.emit(op, *imms)

    def tmp(self, t, name='tmp'):
        return self.f.local(t, name)

    # ---- entry -------------------------------------------------------------------------------
    def body(self, e, result):
        self.expr(e)
        self.coerce(e.ty, result)

    def coerce(self, have, want):
        """Drop a value the context does not want (a valued expression where unit is expected)."""
        if self.L.vt(have) is not None and self.L.vt(want) is None:
            self.emit('drop')

    def to_storage(self, t):
        if is_void(t):
            self.emit('i32.const', 0)

    def from_storage(self, t):
        if is_void(t):
            self.emit('drop')

    # ---- expressions -------------------------------------------------------------------------
    def expr(self, e):
        cls = type(e)
        name = _METHOD.get(cls)
        if name is None:
            name = _METHOD[cls] = 'x_' + cls.__name__
        method = getattr(self, name, None)
        if method is None:
            raise unsupported(_describe(e), e)
        f = self.f
        outer, f.loc = f.loc, e.span          # the source map: instructions of `e` come from its span
        method(e)
        t = resolve(e.ty)
        if type(t) is T.Prim and t.name == 'never' and cls not in _JUMPS:
            self.emit('unreachable')
        f.loc = outer

    def x_IntLit(self, e):
        self.emit('i64.const', e.value)

    def x_FloatLit(self, e):
        self.emit('f64.const', float(e.value))

    def x_BoolLit(self, e):
        self.emit('i32.const', 1 if e.value else 0)

    def x_StrLit(self, e):
        self.rt.literal(self.f, e.value)

    def x_UnitLit(self, e):
        pass

    def x_Name(self, e):
        if e.binding is None:
            self.variant_value(e.variant, e)
        else:
            self.read(e.binding, e)

    def x_Path(self, e):
        self.variant_value(e.variant, e)

    def variant_value(self, v, node):
        if v is None:
            raise unsupported('this name', node)
        if v.payload:
            raise unsupported(f'constructor {v.name} used as a function value', node)
        self.emit('global.get', self.g.nullary(v))

    # ---- variables ---------------------------------------------------------------------------
    def read(self, b, node=None):
        if is_void(b.ty):
            return
        if b.kind == A.FN:
            self.emit('global.get', self.g.fn_value(b))
            return
        if b.kind == A.GLOBAL:
            self.emit('global.get', self.g.global_of(b))
            if not isinstance(self.L.vt(b.ty), str):
                self.emit('ref.as_non_null')
            return
        self.slot(b)
        if self.g.is_boxed(b):
            self.emit('struct.get', self.L.cell(b.ty), 0)

    def slot(self, b):
        """Push where `b` lives: its value, or its cell when boxed."""
        if b in self.locals:
            self.emit('local.get', self.locals[b])
        elif self.env is not None and b in self.env[1]:
            self.emit('local.get', self.env_local)
            self.emit('struct.get', self.env[0], self.env[1][b])
        else:
            raise FxError(f'internal: variable {b.name} is not in scope for code generation',
                          getattr(b.decl, 'span', None))

    def write(self, b, value):
        """Assign to `b` the value pushed by `value()`."""
        if is_void(b.ty):
            value()
            return
        if b.kind == A.GLOBAL:
            value()
            self.emit('global.set', self.g.global_of(b))
        elif self.g.is_boxed(b):
            self.slot(b)
            value()
            self.emit('struct.set', self.L.cell(b.ty), 0)
        else:
            value()
            self.emit('local.set', self.locals[b])

    def declare(self, b, value):
        """A new binding initialised by `value()` (a fresh cell per execution when boxed)."""
        if is_void(b.ty):
            value()
            return
        vt = self.L.vt(b.ty)
        if self.g.is_boxed(b):
            cell = self.L.cell(b.ty)
            loc = self.locals[b] = self.f.local(ref(cell), b.name)
            value()
            self.emit('struct.new', cell)
        else:
            loc = self.locals[b] = self.f.local(vt, b.name)
            value()
        self.emit('local.set', loc)

    # ---- blocks and statements ---------------------------------------------------------------
    def x_Block(self, e):
        for s in e.stmts:
            self.stmt(s)
        if e.tail is not None:
            self.expr(e.tail)
            self.coerce(e.tail.ty, e.ty)

    def stmt(self, s):
        f = self.f
        outer, f.loc = f.loc, s.span
        self._stmt(s)
        f.loc = outer

    def _stmt(self, s):
        if isinstance(s, A.Let):
            if not self.g.generators.let_(self, s):     # a generator kept in a local (generators.py)
                self.declare(s.binding, lambda: self.expr(s.value))
        elif isinstance(s, A.Assign):
            self.assign(s)
        elif isinstance(s, A.ExprStmt):
            self.expr(s.expr)
            if self.L.vt(s.expr.ty) is not None:
                self.emit('drop')
        else:
            raise unsupported(_describe(s), s)

    def assign(self, s):
        t, op = s.target, s.op
        binop = None if op == '=' else op[:-1]
        if isinstance(t, A.Name):
            b = t.binding

            def value():
                if binop is None:
                    self.expr(s.value)
                else:
                    self.read(b, t)
                    self.expr(s.value)
                    self.arith(binop, t.ty, s)
            self.write(b, value)
        elif isinstance(t, A.Field):
            st = self.L.struct(t.struct)
            self.expr(t.target)
            if binop is None:
                self.expr(s.value)
            else:
                obj = self.tmp(ref(st), 'obj')
                self.emit('local.tee', obj)
                self.emit('local.get', obj); self.emit('struct.get', st, t.index)
                self.expr(s.value)
                self.arith(binop, t.ty, s)
            self.to_storage(t.ty)
            self.emit('struct.set', st, t.index)
        elif isinstance(t, A.Index):
            # the right-hand side may push to the same array and so replace its data array: fetch
            # `data` (and check the index against `len`) only after evaluating it
            arr = self.L.arr(t.ty)
            v, i = self.element_operands(t)
            val = self.tmp(self.L.st(t.ty), 'value')
            if binop is None:
                self.expr(s.value)
            else:
                self.element_address(t.ty, v, i)
                self.emit('array.get', arr)
                self.from_storage(t.ty)
                self.expr(s.value)
                self.arith(binop, t.ty, s)
            self.to_storage(t.ty)
            self.emit('local.set', val)
            self.element_address(t.ty, v, i)
            self.emit('local.get', val)
            self.emit('array.set', arr)
        else:
            raise unsupported('assignment to this target', t)

    # ---- operators ---------------------------------------------------------------------------
    def x_Unary(self, e):
        t = resolve(e.operand.ty)
        if e.op == '!':
            self.expr(e.operand)
            self.emit('i32.eqz')
        elif e.op == '-' and t == T.INT:
            self.emit('i64.const', 0)
            self.expr(e.operand)
            self.emit('i64.sub')
        elif e.op == '-' and t == T.FLOAT:
            self.expr(e.operand)
            self.emit('f64.neg')
        else:
            raise unsupported(f'unary {e.op} on {t}', e)

    def x_Binary(self, e):
        op = e.op
        if op in ('&&', '||'):
            self.expr(e.left)
            self.emit('if', 'i32')
            if op == '&&':
                self.expr(e.right)
                self.emit('else'); self.emit('i32.const', 0)
            else:
                self.emit('i32.const', 1)
                self.emit('else'); self.expr(e.right)
            self.emit('end')
            return
        t = resolve(e.left.ty)
        if t == T.NEVER:
            t = resolve(e.right.ty)
        self.expr(e.left)
        self.expr(e.right)
        self.arith(op, t, e)

    def arith(self, op, t, node):
        """Apply binary `op` to two values of fx type `t` on the stack."""
        t = resolve(t)
        if t == T.INT and op in INT_OPS:
            self.emit(INT_OPS[op])
        elif t == T.FLOAT and op == '%':
            self.emit('call', self.rt.float_rem())
        elif t == T.FLOAT and op in FLOAT_OPS:
            self.emit(FLOAT_OPS[op])
        elif t == T.BOOL and op in BOOL_OPS:
            self.emit(BOOL_OPS[op])
        elif t == T.STR and op == '+':
            self.emit('call', self.rt.concat())
        elif t == T.STR and op in ('==', '!='):
            self.emit('call', self.rt.str_eq())
            if op == '!=':
                self.emit('i32.eqz')
        elif t == T.STR and op in CMP_AGAINST_ZERO:
            self.emit('call', self.rt.str_cmp())
            self.emit('i32.const', 0)
            self.emit(CMP_AGAINST_ZERO[op])
        else:
            raise unsupported(f'operator {op} on {t}', node)

    # ---- control flow ------------------------------------------------------------------------
    def x_If(self, e):
        want = e.ty
        self.expr(e.cond)
        self.emit('if', self.L.vt(want))
        self.expr(e.then)
        self.coerce(e.then.ty, want)
        if e.else_ is not None:
            self.emit('else')
            self.expr(e.else_)
            self.coerce(e.else_.ty, want)
        self.emit('end')

    def x_While(self, e):
        with self.f.block() as brk:
            with self.f.loop() as cont:
                self.loops[e] = (brk, cont)
                self.expr(e.cond)
                self.emit('i32.eqz')
                self.emit('br_if', brk)
                self.expr(e.body)
                if self.L.vt(e.body.ty) is not None:
                    self.emit('drop')
                self.emit('br', cont)

    def x_Loop(self, e):
        with self.f.block(self.L.vt(e.ty)) as brk:
            with self.f.loop() as cont:
                self.loops[e] = (brk, cont)
                self.expr(e.body)
                if self.L.vt(e.body.ty) is not None:
                    self.emit('drop')
                self.emit('br', cont)
            if self.L.vt(e.ty) is not None:
                self.emit('unreachable')

    # ---- jumps: break, continue, return ------------------------------------------------------
    # A jump whose target is in another Wasm function (it leaves a `handle` body or clause, which are
    # closures) becomes an `$escape` exception caught at the handle (fxlang/codegen/control/jumps.py).
    def is_local_jump(self, e) -> bool:
        if isinstance(e, A.Return):
            return self.owner is None or e.fn is self.owner
        return e.loop in self.loops

    def jump_want(self, e):
        """The fx type the jump's value must have (unit when it has none)."""
        if isinstance(e, A.Break):
            return e.loop.ty if e.value is not None else T.UNIT
        if isinstance(e, A.Continue) or getattr(e.fn, 'gen_elem', None) is not None:
            return T.UNIT                # `return` ends a generator; its body function has no result
        fn_type = getattr(e.fn, 'fn_type', None)
        return resolve(fn_type).result if fn_type is not None else T.UNIT

    def jump_type(self, e):
        """The Wasm type of the value the jump carries, None for none."""
        if getattr(e, 'value', None) is None:
            return None
        return self.L.vt(self.jump_want(e))

    def jump(self, e, leaves, load=None):
        """Make jump `e` from here, leaving `leaves`; `load()` pushes its value (of type jump_type(e))."""
        vt = self.jump_type(e)
        if vt is not None:
            load()
            if leaves:
                self.emit('local.set', self.g.generators.jump_value(self, e, vt))
        self.go_on(e, leaves, vt is not None and bool(leaves))

    def go_on(self, e, leaves, stored: bool):
        """Jump `e`, its value (if any) on the stack or, when `stored`, in jump_value(e): clean up `leaves`
        and branch (also how a landing pad continues the jump).  The cleanups (a `for` loop's generator, a
        `finally`) are the generator and exception lowering's (generators.py, `cleanup`)."""
        if self.g.generators.cleanup(self, e, leaves):
            return
        if stored:
            self.emit('local.get', self.g.generators.jump_value(self, e, None))
        if isinstance(e, A.Return):
            self.emit('return')
        else:
            brk, cont = self.loops[e.loop]
            self.emit('br', brk if isinstance(e, A.Break) else cont)

    def _jump_expr(self, e):
        value = getattr(e, 'value', None)
        want = self.jump_want(e)

        def load():
            self.expr(value)
            self.coerce(value.ty, want)
        if value is not None and self.jump_type(e) is None:
            load()                       # a unit value: evaluated for its effects only
            value = None
        if self.is_local_jump(e):
            self.jump(e, getattr(e, 'leaves', None), load)
        else:
            self.g.jumps.throw(self, e, self.jump_type(e), load)

    def x_Break(self, e):
        self._jump_expr(e)

    def x_Continue(self, e):
        self._jump_expr(e)

    def x_Return(self, e):
        self._jump_expr(e)

    # ---- generators and exceptions (fxlang/codegen/control/generators.py) ------------------------------
    def x_Yield(self, e):
        self.g.generators.yield_(self, e)

    def x_For(self, e):
        self.g.generators.for_(self, e)

    def x_Throw(self, e):
        self.g.generators.throw(self, e)

    def x_Try(self, e):
        self.g.generators.try_(self, e)

    def x_Await(self, e):
        self.expr(e.call)
        self.coerce(e.call.ty, e.ty)

    # ---- records, enums, arrays --------------------------------------------------------------
    def x_StructLit(self, e):
        st = self.L.struct(e.struct)
        ftypes = [ft for _, ft in e.struct.fields]
        inits = sorted(e.fields, key=lambda fi: fi.index)
        if [fi.index for fi in e.fields] == [fi.index for fi in inits]:
            for fi in e.fields:
                self.expr(fi.value)
                self.to_storage(ftypes[fi.index])
        else:   # evaluate in source order, place by declared position
            temps = {}
            for fi in e.fields:
                self.expr(fi.value)
                self.to_storage(ftypes[fi.index])
                temps[fi.index] = self.tmp(self.L.st(ftypes[fi.index]), fi.name)
                self.emit('local.set', temps[fi.index])
            for fi in inits:
                self.emit('local.get', temps[fi.index])
        self.emit('struct.new', st)

    def x_Field(self, e):
        st = self.L.struct(e.struct)
        self.expr(e.target)
        self.emit('struct.get', st, e.index)
        self.from_storage(e.ty)

    def x_ArrayLit(self, e):
        elem = resolve(e.ty).elem
        self.emit('i32.const', len(e.elems))
        for x in e.elems:
            self.expr(x)
            self.to_storage(elem)
        self.emit('array.new_fixed', self.L.arr(elem), len(e.elems))
        self.emit('struct.new', self.L.vec(elem))

    def element_operands(self, e):
        """Evaluate `target` then `index` of an Index node into fresh locals (vec, i64 index)."""
        vec = self.L.vec(e.ty)
        v, i = self.tmp(ref(vec), 'xs'), self.tmp('i64', 'i')
        self.expr(e.target)
        self.emit('local.set', v)
        self.expr(e.index)
        self.emit('local.set', i)
        return v, i

    def element_address(self, elem, v, i):
        """Push the data array and i32 index for element `i` of vec `v`; an index outside 0..len becomes
        -1 so the access itself traps with Wasm's "out of bounds array access" (the spare capacity past
        `len` is never exposed)."""
        vec = self.L.vec(elem)
        self.emit('local.get', v)
        self.emit('struct.get', vec, VEC_DATA)
        self.emit('local.get', i)
        self.emit('i32.wrap_i64')
        self.emit('i32.const', -1)
        self.emit('local.get', i)
        self.emit('local.get', v); self.emit('struct.get', vec, VEC_LEN); self.emit('i64.extend_i32_u')
        self.emit('i64.lt_u')
        self.emit('select')

    def x_Index(self, e):
        v, i = self.element_operands(e)
        self.element_address(e.ty, v, i)
        self.emit('array.get', self.L.arr(e.ty))
        self.from_storage(e.ty)

    # ---- calls -------------------------------------------------------------------------------
    def x_Call(self, e):
        kind = e.kind
        if kind == A.CALL_FN:
            for a in e.args:
                self.expr(a)
            self.emit('call', self.g.func_of(e.callee.binding))
        elif kind in (A.CALL_CLOSURE, A.CALL_RESUME):
            # a continuation `k` is a closure too (fxlang/codegen/control/handlers.py)
            fn = resolve(e.callee.ty)
            clo = self.L.clo(fn)
            c = self.tmp(ref(clo), 'callee')
            self.expr(e.callee)
            self.emit('local.tee', c)
            self.emit('struct.get', clo, CLO_ENV)
            for a in e.args:
                self.expr(a)
            self.emit('local.get', c)
            self.emit('struct.get', clo, CLO_CODE)
            self.emit('call_ref', self.L.code(fn))
        elif kind == A.CALL_VARIANT:
            v = e.variant
            self.emit('i32.const', v.index)
            for a, pt in zip(e.args, v.payload):
                self.expr(a)
                self.to_storage(pt)
            self.emit('struct.new', self.L.variant(v.enum, v.index))
        elif kind == A.CALL_BUILTIN:
            self.builtin(e)
        else:
            raise unsupported('this call', e)

    def builtin(self, e):
        name, args = e.builtin, e.args
        if name in A.LOWERED_BUILTINS:
            self.g.effects.builtin(self, e)                 # panic, discontinue (fxlang/codegen/control/effects.py)
        elif name in ('print', 'println'):
            print_call(self, args, name == 'println')       # in parts, no concatenation (printing.py)
        elif name == 'str':
            self.to_str(args[0])
        elif name == 'len':
            t = resolve(args[0].ty)
            self.expr(args[0])
            if t == T.STR:
                self.emit('array.len')
            else:
                self.emit('struct.get', self.L.vec(t.elem), VEC_LEN)
            self.emit('i64.extend_i32_u')
        elif name == 'push':
            elem = resolve(args[0].ty).elem
            self.expr(args[0])
            self.expr(args[1])
            self.to_storage(elem)
            self.emit('call', self.rt.push(elem))
        elif name == 'pop':
            elem = resolve(args[0].ty).elem
            self.expr(args[0])
            self.emit('call', self.rt.pop(elem))
            self.from_storage(elem)
        elif name == 'int':
            self.expr(args[0])
            if resolve(args[0].ty) == T.FLOAT:
                self.emit('i64.trunc_f64_s')
        elif name == 'float':
            self.expr(args[0])
            if resolve(args[0].ty) == T.INT:
                self.emit('f64.convert_i64_s')
        elif name in ('byte', 'slice', 'chr'):
            for a in args:
                self.expr(a)
            self.emit('call', {'byte': self.rt.str_byte, 'slice': self.rt.str_slice, 'chr': self.rt.chr}[name]())
        elif name in A.IO_BUILTINS:
            for a in args:
                self.expr(a)
            self.emit('call', self.rt.io_builtin(name))     # fxlang/codegen/io_builtins.py
            if name == 'exit':
                self.emit('unreachable')
        elif name == 'next':
            self.g.generators.next(self, e)
        elif name == 'cancel':
            self.g.generators.cancel(self, e)
        elif name in ('fiber', 'switch_to', 'fiber_run'):
            self.g.fibers.builtin(self, e)                  # fxlang/codegen/control/fibers.py
        else:
            raise unsupported(f'builtin {name}', e)

    def to_str(self, a):
        t = resolve(a.ty)
        self.expr(a)
        if not value_to_str(self.rt, self.f, t) and t != T.STR and t != T.NEVER:
            raise unsupported(f'converting {t} to str', a)

    # ---- closures ----------------------------------------------------------------------------
    def x_Lambda(self, e):
        self.make_closure(e)

    def make_closure(self, lam):
        """Push the closure of a lambda (or of a lowered Thunk): its code and an env of its captures."""
        fn = resolve(lam.fn_type)
        clo = self.L.clo(fn)
        code_f, env = self.g.lambda_of(lam)
        self.emit('ref.func', code_f)
        if env is None:
            self.emit('ref.null', 'struct')
        else:
            env_type, fields = env
            for b in sorted(fields, key=fields.get):
                self.slot(b)
            self.emit('struct.new', env_type)
        self.emit('struct.new', clo)

    # ---- effects (fxlang/codegen/control/effects.py) ---------------------------------------------------
    def x_Perform(self, e):
        self.g.effects.perform(self, e)

    def x_Handle(self, e):
        self.g.effects.handle(self, e)

    def x_NoSuspend(self, e):
        self.g.effects.nosuspend(self, e)

    # ---- match -------------------------------------------------------------------------------
    def x_Match(self, e):
        if self.g.generators.match_next(self, e):     # `match next(g)` needs no Option (generators.py)
            return
        st = resolve(e.scrutinee.ty)
        vt = self.L.vt(st)
        scrut = self._immutable_local(e.scrutinee)
        if scrut is None:
            self.expr(e.scrutinee)
            if vt is not None:
                scrut = self.tmp(vt, 'scrutinee')
                self.emit('local.set', scrut)
        tag = None
        if isinstance(st, T.Enum) and len(st.variants) > 1 and \
                sum(isinstance(a.pattern, A.VariantPat) for a in e.arms) > 1:
            tag = self.tmp('i32', 'tag')
            self.emit('local.get', scrut); self.emit('struct.get', self.L.enum(st), ENUM_TAG)
            self.emit('local.set', tag)
        with self.f.block(self.L.vt(e.ty)) as done:
            for n, arm in enumerate(e.arms):
                # the checker proved the arms exhaustive (guarded arms not counting), so a value that
                # reaches an unguarded last arm matches it: only its bindings are left to make
                last = n == len(e.arms) - 1 and arm.guard is None
                with self.f.block() as nxt:
                    self.pattern(arm.pattern, scrut, st, nxt, check=not last, tag=tag)
                    if arm.guard is not None:
                        self.expr(arm.guard)
                        self.emit('i32.eqz')
                        self.emit('br_if', nxt)
                    self.expr(arm.body)
                    self.coerce(arm.body.ty, e.ty)
                    self.emit('br', done)
            self.emit('unreachable')

    def _immutable_local(self, e):
        """The local holding `e` when it is a plain immutable variable of this frame (no copy needed)."""
        if isinstance(e, A.Name) and e.binding is not None and not e.binding.mutable \
                and not self.g.is_boxed(e.binding) and e.binding in self.locals:
            return self.locals[e.binding]
        return None

    def pattern(self, p, loc, t, fail, check=True, tag=None):
        """Match the value in local `loc` (of fx type `t`) against `p`, binding names; branch to `fail`
        when it does not match (no tests at all when `check` is false).  `tag` is a local already holding
        the enum tag of `loc`."""
        if isinstance(p, A.WildcardPat):
            return
        if isinstance(p, A.BindPat):
            if p.binding is not None:
                def value():
                    if loc is not None:
                        self.emit('local.get', loc)
                self.declare(p.binding, value)
            return
        if isinstance(p, A.LitPat):
            if check:
                self.emit('local.get', loc)
                self.expr(p.value)
                self.arith('==', t, p)
                self.emit('i32.eqz')
                self.emit('br_if', fail)
            return
        if isinstance(p, A.VariantPat):
            v = p.variant
            enum = self.L.enum(v.enum)
            if check and len(v.enum.variants) > 1:
                if tag is not None:
                    self.emit('local.get', tag)
                else:
                    self.emit('local.get', loc)
                    self.emit('struct.get', enum, ENUM_TAG)
                self.emit('i32.const', v.index)
                self.emit('i32.ne')
                self.emit('br_if', fail)
            sub_pats = [(i, sp, pt) for i, (sp, pt) in enumerate(zip(p.args, v.payload))
                        if not isinstance(sp, A.WildcardPat)]
            if not sub_pats:
                return
            vtype = self.L.variant(v.enum, v.index)
            cast = self.tmp(ref(vtype), v.name)
            self.emit('local.get', loc)
            self.emit('ref.cast', ref(vtype))
            self.emit('local.set', cast)
            for i, sp, pt in sub_pats:
                def load(i=i):
                    self.emit('local.get', cast)
                    self.emit('struct.get', vtype, i + 1)
                if is_void(pt):
                    self.pattern(sp, None, pt, fail, check)
                elif isinstance(sp, A.BindPat) and sp.binding is not None:
                    self.declare(sp.binding, load)      # straight into the variable
                else:
                    fl = self.tmp(self.L.vt(pt), 'field')
                    load()
                    self.emit('local.set', fl)
                    self.pattern(sp, fl, pt, fail, check)
            return
        if isinstance(p, A.StructPat):      # one constructor: match the named fields, read like `s.f`
            st = self.L.struct(p.struct)
            for f in p.fields:
                if isinstance(f.pattern, A.WildcardPat):
                    continue
                ft = resolve(p.struct).fields[f.index][1]

                def load(i=f.index, ft=ft):
                    self.emit('local.get', loc)
                    self.emit('struct.get', st, i)
                    self.from_storage(ft)
                if isinstance(f.pattern, A.BindPat):
                    if f.pattern.binding is not None:
                        self.declare(f.pattern.binding, load)
                    continue
                fl = self.tmp(self.L.vt(ft), 'field')
                load()
                self.emit('local.set', fl)
                self.pattern(f.pattern, fl, ft, fail, check)
            return
        raise unsupported(_describe(p), p)


def _describe(node) -> str:
    name = type(node).__name__
    return {'Perform': 'perform', 'Handle': 'handle', 'Yield': 'yield', 'For': 'for', 'Await': 'await',
            'Spawn': 'spawn', 'Try': 'try', 'Throw': 'throw', 'NoSuspend': 'nosuspend'}.get(name, name)
