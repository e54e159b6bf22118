"""Operand-stack typing of a function body: the full operand stack just before every instruction.

    type_function(module, func) -> FuncTyping

Used by the Asyncify-style lowering to know, at each call site, the types of the values under the call that
a frame must save when it unwinds.

Algorithm: one forward pass over the flat body (`func.body`, labels already relative depths), the spec's
validation algorithm (Appendix "Validation Algorithm") without its checks: a value stack of types, a control
stack of frames (the block-opening index, its params and results, `base` = the stack height under its params,
and whether the rest of its level is unreachable).  Every instruction pops and pushes the types the spec (and
the stack-switching proposal, and fxlang's `barrier`, typed like `block`) gives it; where a result type
depends on an operand (untyped `select`, `ref.as_non_null`, `br_on_null`, `any.convert_extern` /
`extern.convert_any` nullability) the operand's type is used, as the spec's typing does.  After an
instruction that does not fall through (unreachable, br, br_table, return, throw, throw_ref, rethrow,
return_call*) the rest of the level is stack-polymorphic: its instructions, and any block nested in it, get
`before[i] = None` up to and including the `end`/`else`/`catch` closing that level; after the closing `end`
the enclosing level continues with the block's results, as in validation.  Block results replace the level's
values at `end` (declared types, so subtypes produced inside are widened exactly as validation does).

The module is assumed valid; what the pass cannot make sense of (stack underflow, a bad index, an `end`
without a block, a level holding the wrong number or numeric types of values at its end) raises TypingError.
Cost: linear in the body (each instruction is typed once; `before[i]` copies the current stack).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

from fxlang.wasm.module import Function, Module
from fxlang.wasm.types import ArrayType, ContType, FuncType, RefType, StructType, WasmBuildError

__all__ = ['type_function', 'FuncTyping', 'Block', 'TypingError']


class TypingError(Exception):
    """The body is inconsistent with its module (it cannot be a valid function)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Block:
    """A block-opening instruction's shape.  For a block opened in unreachable code (all its `before` are None)
    `base` counts the enclosing level's polymorphic stack as empty."""
    params: tuple             # the block type's parameters
    results: tuple            # the block type's results
    end: int                  # index of its `end` (or of the legacy `delegate` closing a `try`)
    else_: int | None         # index of an `if`'s `else`
    catches: tuple            # indices of a legacy `try`'s catch / catch_all
    base: int                 # stack height under its params at entry (values of the enclosing levels)


@dataclass
class FuncTyping:
    before: list              # before[i]: the full stack (bottom first) before body[i]; None if unreachable
    end_stack: tuple | None   # the stack at the function's implicit final end; None if unreachable
    blocks: dict              # block-opening index -> Block
    parent: list              # innermost enclosing block-opening index (None: function level)


# ---- fixed signatures ------------------------------------------------------------------------------

def _fixed() -> dict[str, tuple[list, tuple]]:
    """op -> (operand types, result types) for every instruction whose typing needs no context."""
    sig: dict[str, tuple[list, tuple]] = {}
    for t in ('i32', 'i64', 'f32', 'f64'):
        sig[t + '.const'] = ([], (t,))
    for t in ('i32', 'i64'):
        sig[t + '.eqz'] = ([t], ('i32',))
        for op in ('clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s'):
            sig[f'{t}.{op}'] = ([t], (t,))
        for op in ('add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s',
                   'shr_u', 'rotl', 'rotr'):
            sig[f'{t}.{op}'] = ([t, t], (t,))
        for op in ('eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'):
            sig[f'{t}.{op}'] = ([t, t], ('i32',))
    sig['i64.extend32_s'] = (['i64'], ('i64',))
    for t in ('f32', 'f64'):
        for op in ('abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt'):
            sig[f'{t}.{op}'] = ([t], (t,))
        for op in ('add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'):
            sig[f'{t}.{op}'] = ([t, t], (t,))
        for op in ('eq', 'ne', 'lt', 'gt', 'le', 'ge'):
            sig[f'{t}.{op}'] = ([t, t], ('i32',))
    conversions = {
        'i32.wrap_i64': 'i64', 'i64.extend_i32_s': 'i32', 'i64.extend_i32_u': 'i32',
        'f32.demote_f64': 'f64', 'f64.promote_f32': 'f32',
        'i32.reinterpret_f32': 'f32', 'i64.reinterpret_f64': 'f64',
        'f32.reinterpret_i32': 'i32', 'f64.reinterpret_i64': 'i64',
    }
    for dst in ('i32', 'i64'):
        for src in ('f32', 'f64'):
            for sx in ('s', 'u'):
                conversions[f'{dst}.trunc_{src}_{sx}'] = src
                conversions[f'{dst}.trunc_sat_{src}_{sx}'] = src
    for dst in ('f32', 'f64'):
        for src in ('i32', 'i64'):
            for sx in ('s', 'u'):
                conversions[f'{dst}.convert_{src}_{sx}'] = src
    for op, src in conversions.items():
        sig[op] = ([src], (op.split('.')[0],))
    sig['nop'] = ([], ())
    sig['ref.is_null'] = ([None], ('i32',))          # None: any reference (not checked)
    sig['ref.eq'] = ([None, None], ('i32',))
    sig['ref.i31'] = (['i32'], (RefType('i31', False),))
    sig['i31.get_s'] = sig['i31.get_u'] = ([None], ('i32',))
    sig['array.len'] = ([None], ('i32',))
    sig['ref.test'] = sig['ref.test_null'] = ([None], ('i32',))
    sig['drop'] = ([None], ())
    sig['data.drop'] = sig['elem.drop'] = ([], ())
    return sig


FIXED = _fixed()

_LOADS = {
    'i32.load': 'i32', 'i64.load': 'i64', 'f32.load': 'f32', 'f64.load': 'f64',
    'i32.load8_s': 'i32', 'i32.load8_u': 'i32', 'i32.load16_s': 'i32', 'i32.load16_u': 'i32',
    'i64.load8_s': 'i64', 'i64.load8_u': 'i64', 'i64.load16_s': 'i64', 'i64.load16_u': 'i64',
    'i64.load32_s': 'i64', 'i64.load32_u': 'i64',
}
_STORES = {
    'i32.store': 'i32', 'i64.store': 'i64', 'f32.store': 'f32', 'f64.store': 'f64',
    'i32.store8': 'i32', 'i32.store16': 'i32', 'i64.store8': 'i64', 'i64.store16': 'i64', 'i64.store32': 'i64',
}
# instructions after which the rest of the level is unreachable
_NO_FALLTHROUGH = frozenset({'unreachable', 'br', 'br_table', 'return', 'throw', 'throw_ref', 'rethrow',
                             'return_call', 'return_call_indirect', 'return_call_ref'})
_OPENERS = frozenset({'block', 'loop', 'if', 'try', 'try_table', 'barrier'})


def unpacked(storage) -> str | RefType:
    """The value type a field of storage type `storage` reads as (packed i8/i16 read as i32)."""
    return 'i32' if storage in ('i8', 'i16') else storage


# ---- the pass ----------------------------------------------------------------------------------------

class _Frame:
    __slots__ = ('start', 'op', 'params', 'results', 'base', 'unreachable', 'dead', 'else_', 'catches')

    def __init__(self, start, op, params, results, base, dead):
        self.start, self.op, self.params, self.results, self.base = start, op, params, results, base
        self.unreachable = self.dead = dead       # dead: opened in unreachable code
        self.else_ = None
        self.catches: list[int] = []


class _Env:
    """Index-space lookups in one module (imported entities listed lazily, once per kind a body uses)."""

    def __init__(self, module: Module):
        self.m = module
        self._imported: dict[str, list] = {}

    def comp(self, idx):
        try:
            return self.m.types[idx].comp
        except (IndexError, TypeError, AttributeError):
            raise TypingError(f'unknown type {idx}') from None

    def func_type(self, idx) -> FuncType:
        comp = self.comp(idx)
        if not isinstance(comp, FuncType):
            raise TypingError(f'type {idx} is not a function type')
        return comp

    def cont_func(self, idx) -> FuncType:
        comp = self.comp(idx)
        if not isinstance(comp, ContType):
            raise TypingError(f'type {idx} is not a continuation type')
        return self.func_type(comp.func_type)

    def struct(self, idx) -> StructType:
        comp = self.comp(idx)
        if not isinstance(comp, StructType):
            raise TypingError(f'type {idx} is not a struct type')
        return comp

    def array(self, idx) -> ArrayType:
        comp = self.comp(idx)
        if not isinstance(comp, ArrayType):
            raise TypingError(f'type {idx} is not an array type')
        return comp

    def block_type(self, bt) -> tuple[tuple, tuple]:
        if bt is None:
            return (), ()
        if isinstance(bt, int):
            ft = self.func_type(bt)
            return ft.params, ft.results
        return (), (bt,)

    @staticmethod
    def _get(space, idx, what):
        try:
            i = operator.index(idx)
            if i < 0:
                raise IndexError
            return space[i]
        except (IndexError, TypeError):
            raise TypingError(f'unknown {what} {idx}') from None

    def _entity(self, kind: str, idx, defined: list, what: str):
        """The import descriptor or the defined entry at index `idx` of an index space, without building the
        whole space (a module may have thousands of functions and type_function runs once per function)."""
        try:
            i = operator.index(idx)
        except TypeError:
            raise TypingError(f'unknown {what} {idx!r}') from None
        n = self.m.imports.count(kind)
        if 0 <= i < n:
            imported = self._imported.get(kind)
            if imported is None:
                imported = self._imported[kind] = [imp.desc for imp in self.m.imports.of_kind(kind)]
            return True, imported[i]
        if 0 <= i - n < len(defined):
            return False, defined[i - n]
        raise TypingError(f'unknown {what} {idx}')

    def func_type_index(self, idx) -> int:
        imported, x = self._entity('func', idx, self.m.funcs.entries, 'function')
        return x if imported else x.type

    def global_type(self, idx):
        imported, x = self._entity('global', idx, self.m.globals.entries, 'global')
        return x.type if imported else x.type.type

    def table(self, idx):
        """(element type, address type) of a table."""
        imported, x = self._entity('table', idx, self.m.tables.entries, 'table')
        t = x if imported else x.type
        return t.elem, 'i64' if t.limits.is64 else 'i32'

    def mem_addr(self, idx) -> str:
        imported, lim = self._entity('memory', idx, self.m.memories.entries, 'memory')
        return 'i64' if lim.is64 else 'i32'

    def tag_type(self, idx) -> FuncType:
        imported, x = self._entity('tag', idx, self.m.tags.entries, 'tag')
        return self.func_type(x if imported else x.type)


def _same(expected, actual) -> bool:
    """Operand compatibility up to subtyping: numeric types exactly, any reference for a reference."""
    if expected is None:
        return True
    if isinstance(expected, RefType):
        return isinstance(actual, RefType)
    return expected == actual


def _show(t) -> str:
    if isinstance(t, RefType):
        return f'(ref {"null " if t.nullable else ""}{t.heap})'
    return 'anything' if t is None else str(t)


def _fmt(ts) -> str:
    return '[' + ' '.join(map(_show, ts)) + ']'


class _Typer:
    def __init__(self, module: Module, func: Function):
        self.env = _Env(module)
        self.func = func
        try:
            ft = self.env.func_type(func.type)
        except TypingError as e:
            raise TypingError(f'function {self._name()}: {e.message}') from None
        self.locals = tuple(ft.params) + tuple(func.locals)
        self.stack: list = []
        self.ctrls = [_Frame(None, 'func', (), tuple(ft.results), 0, False)]

    def _name(self) -> str:
        try:
            return str(operator.index(self.func))
        except Exception:
            return '?'

    # -- stack primitives
    def pop(self, expect: list) -> list:
        """Pop len(expect) operands (last one on top), checking numeric types; returns them."""
        n = len(expect)
        stack = self.stack
        if len(stack) - n < self.ctrls[-1].base:
            raise TypingError(f'stack underflow: needs {_fmt(expect)} but the level holds '
                              f'{_fmt(stack[self.ctrls[-1].base:])}')
        if n == 0:
            return []
        got = stack[-n:]
        if got != expect and not all(map(_same, expect, got)):
            raise TypingError(f'operands {_fmt(got)} do not match {_fmt(expect)}')
        del stack[-n:]
        return got

    def pop_n(self, n: int) -> list:
        return self.pop([None] * n)

    def pop_ref(self) -> RefType:
        (r,) = self.pop([None])
        if not isinstance(r, RefType):
            raise TypingError(f'expected a reference operand, found {r}')
        return r

    def set_unreachable(self):
        fr = self.ctrls[-1]
        del self.stack[fr.base:]
        fr.unreachable = True

    def end_level(self):
        """Check the closing level holds exactly the frame's results (when reachable)."""
        fr = self.ctrls[-1]
        if fr.unreachable:
            return
        level = self.stack[fr.base:]
        if len(level) != len(fr.results) or not all(map(_same, fr.results, level)):
            raise TypingError(f'the level holds {_fmt(level)} but the block yields {_fmt(fr.results)}')

    # -- the pass
    def run(self) -> FuncTyping:
        body = self.func.body
        n = len(body)
        before: list = [None] * n
        parent: list = [None] * n
        blocks: dict[int, Block] = {}
        ctrls, stack = self.ctrls, self.stack
        fixed, handlers = FIXED, _HANDLERS
        for i, ins in enumerate(body):
            op = ins.op
            fr = ctrls[-1]
            parent[i] = fr.start
            if not fr.unreachable:
                before[i] = tuple(stack)
            try:
                if op in _OPENERS:
                    self.open(i, op, ins.imms)
                elif op == 'end' or op == 'delegate':
                    if len(ctrls) == 1:
                        raise TypingError(f'{op} without an open block')
                    if op == 'delegate' and fr.op != 'try':
                        raise TypingError('delegate closes a block that is not a legacy try')
                    self.end_level()
                    ctrls.pop()
                    blocks[fr.start] = Block(fr.params, fr.results, i, fr.else_, tuple(fr.catches), fr.base)
                    if not fr.dead:
                        del stack[fr.base:]
                        stack.extend(fr.results)
                elif fr.unreachable:
                    if op == 'else' or op == 'catch' or op == 'catch_all':
                        self.middle(i, fr, op, ins.imms)
                    elif op not in handlers and op not in fixed and op not in _KNOWN_OTHER:
                        raise TypingError('unknown instruction')
                else:
                    sig = fixed.get(op)
                    if sig is not None:
                        if sig[0]:
                            self.pop(sig[0])
                        stack.extend(sig[1])
                    else:
                        h = handlers.get(op)
                        if h is None:
                            if op in _NO_FALLTHROUGH:
                                self.transfer(op, ins.imms)
                            elif op == 'else' or op == 'catch' or op == 'catch_all':
                                self.middle(i, fr, op, ins.imms)
                            else:
                                raise TypingError('unknown instruction')
                        else:
                            h(self, *ins.imms)
            except TypingError as e:
                raise TypingError(f'function {self._name()}, body[{i}] {op}: {e.message}') from None
            except (WasmBuildError, IndexError, KeyError, TypeError, AttributeError, ValueError) as e:
                raise TypingError(f'function {self._name()}, body[{i}] {op}: malformed instruction ({e})') from None
        if len(ctrls) != 1:
            raise TypingError(f'function {self._name()}: {len(ctrls) - 1} block(s) not closed by end')
        try:
            self.end_level()
        except TypingError as e:
            raise TypingError(f'function {self._name()}: at the function end, {e.message}') from None
        end_stack = None if ctrls[0].unreachable else tuple(stack)
        return FuncTyping(before, end_stack, blocks, parent)

    def open(self, i, op, imms):
        fr = self.ctrls[-1]
        params, results = self.env.block_type(imms[0])
        if fr.unreachable:
            self.ctrls.append(_Frame(i, op, params, results, len(self.stack), True))
            return
        if op == 'if':
            self.pop(['i32'])
        self.pop(list(params))
        base = len(self.stack)
        self.stack.extend(params)
        self.ctrls.append(_Frame(i, op, params, results, base, False))

    def middle(self, i, fr, op, imms):
        """else / catch / catch_all: close the current part of the block, open the next."""
        if op == 'else':
            if fr.op != 'if' or fr.else_ is not None:
                raise TypingError('else outside an if')
            fr.else_ = i
            inputs = fr.params
        else:
            if fr.op != 'try':
                raise TypingError(f'{op} outside a legacy try')
            fr.catches.append(i)
            inputs = self.env.tag_type(imms[0]).params if op == 'catch' else ()
        self.end_level()
        del self.stack[fr.base:]
        if fr.dead:
            return
        fr.unreachable = False
        self.stack.extend(inputs)

    def transfer(self, op, imms):
        """An instruction that does not fall through: pop what it takes, then the level is unreachable."""
        if op == 'br_table' or op == 'return_call_indirect':
            if op == 'br_table':
                self.pop(['i32'])
            else:
                self.pop([self.env.table(imms[1])[1]])
        elif op == 'throw_ref' or op == 'return_call_ref':
            self.pop_ref()
        elif op == 'throw':
            self.pop(list(self.env.tag_type(imms[0]).params))
        self.set_unreachable()


def _h(*names):
    def deco(fn):
        for name in names:
            _HANDLERS[name] = fn
        return fn
    return deco


_HANDLERS: dict = {}


# -- control

@_h('br_if')
def _br_if(t: _Typer, label):
    t.pop(['i32'])


@_h('call')
def _call(t: _Typer, f):
    ft = t.env.func_type(t.env.func_type_index(f))
    t.pop(list(ft.params))
    t.stack.extend(ft.results)


@_h('call_indirect')
def _call_indirect(t: _Typer, type_, table):
    ft = t.env.func_type(type_)
    t.pop([t.env.table(table)[1]])
    t.pop(list(ft.params))
    t.stack.extend(ft.results)


@_h('call_ref')
def _call_ref(t: _Typer, type_):
    ft = t.env.func_type(type_)
    t.pop_ref()
    t.pop(list(ft.params))
    t.stack.extend(ft.results)


@_h('select')
def _select(t: _Typer):
    t.pop(['i32'])
    a, b = t.pop_n(2)
    if a != b and not (isinstance(a, RefType) and isinstance(b, RefType)):
        raise TypingError(f'select of {a} and {b}')
    t.stack.append(a)


@_h('select_t')
def _select_t(t: _Typer, types):
    if len(types) != 1:
        raise TypingError('typed select needs exactly one type')
    t.pop(['i32'])
    t.pop([types[0], types[0]])
    t.stack.append(types[0])


# -- variables

@_h('local.get')
def _local_get(t: _Typer, x):
    t.stack.append(t.env._get(t.locals, x, 'local'))


@_h('local.set')
def _local_set(t: _Typer, x):
    t.pop([t.env._get(t.locals, x, 'local')])


@_h('local.tee')
def _local_tee(t: _Typer, x):
    lt = t.env._get(t.locals, x, 'local')
    t.pop([lt])
    t.stack.append(lt)


@_h('global.get')
def _global_get(t: _Typer, x):
    t.stack.append(t.env.global_type(x))


@_h('global.set')
def _global_set(t: _Typer, x):
    t.pop([t.env.global_type(x)])


# -- tables

@_h('table.get')
def _table_get(t: _Typer, x):
    elem, at = t.env.table(x)
    t.pop([at])
    t.stack.append(elem)


@_h('table.set')
def _table_set(t: _Typer, x):
    elem, at = t.env.table(x)
    t.pop([at, elem])


@_h('table.size')
def _table_size(t: _Typer, x):
    t.stack.append(t.env.table(x)[1])


@_h('table.grow')
def _table_grow(t: _Typer, x):
    elem, at = t.env.table(x)
    t.pop([elem, at])
    t.stack.append(at)


@_h('table.fill')
def _table_fill(t: _Typer, x):
    elem, at = t.env.table(x)
    t.pop([at, elem, at])


@_h('table.copy')
def _table_copy(t: _Typer, dst, src):
    a, b = t.env.table(dst)[1], t.env.table(src)[1]
    t.pop([a, b, 'i64' if a == b == 'i64' else 'i32'])


@_h('table.init')
def _table_init(t: _Typer, elem, x):
    t.pop([t.env.table(x)[1], 'i32', 'i32'])


# -- memory

def _load(t: _Typer, memarg, result):
    t.pop([t.env.mem_addr(memarg.mem)])
    t.stack.append(result)


def _store(t: _Typer, memarg, value):
    t.pop([t.env.mem_addr(memarg.mem), value])


for _name, _ty in _LOADS.items():
    _HANDLERS[_name] = (lambda ty: lambda t, memarg: _load(t, memarg, ty))(_ty)
for _name, _ty in _STORES.items():
    _HANDLERS[_name] = (lambda ty: lambda t, memarg: _store(t, memarg, ty))(_ty)


@_h('memory.size')
def _memory_size(t: _Typer, mem):
    t.stack.append(t.env.mem_addr(mem))


@_h('memory.grow')
def _memory_grow(t: _Typer, mem):
    at = t.env.mem_addr(mem)
    t.pop([at])
    t.stack.append(at)


@_h('memory.fill')
def _memory_fill(t: _Typer, mem):
    at = t.env.mem_addr(mem)
    t.pop([at, 'i32', at])


@_h('memory.copy')
def _memory_copy(t: _Typer, dst, src):
    a, b = t.env.mem_addr(dst), t.env.mem_addr(src)
    t.pop([a, b, 'i64' if a == b == 'i64' else 'i32'])


@_h('memory.init')
def _memory_init(t: _Typer, data, mem):
    t.pop([t.env.mem_addr(mem), 'i32', 'i32'])


# -- references

@_h('ref.null')
def _ref_null(t: _Typer, heap):
    t.stack.append(RefType(heap, True))


@_h('ref.func')
def _ref_func(t: _Typer, f):
    t.stack.append(RefType(t.env.func_type_index(f), False))


@_h('ref.as_non_null')
def _ref_as_non_null(t: _Typer):
    r = t.pop_ref()
    t.stack.append(RefType(r.heap, False))


@_h('br_on_null')
def _br_on_null(t: _Typer, label):
    r = t.pop_ref()
    t.stack.append(RefType(r.heap, False))


@_h('br_on_non_null')
def _br_on_non_null(t: _Typer, label):
    t.pop_ref()


@_h('any.convert_extern')
def _any_convert_extern(t: _Typer):
    t.stack.append(RefType('any', t.pop_ref().nullable))


@_h('extern.convert_any')
def _extern_convert_any(t: _Typer):
    t.stack.append(RefType('extern', t.pop_ref().nullable))


@_h('ref.cast')
def _ref_cast(t: _Typer, heap):
    t.pop_ref()
    t.stack.append(RefType(heap, False))


@_h('ref.cast_null')
def _ref_cast_null(t: _Typer, heap):
    t.pop_ref()
    t.stack.append(RefType(heap, True))


@_h('br_on_cast')
def _br_on_cast(t: _Typer, label, rt1, rt2):
    # [t* rt1] -> [t* (rt1 \ rt2)]: the fall-through value failed the cast to rt2
    t.pop_ref()
    t.stack.append(RefType(rt1.heap, rt1.nullable and not rt2.nullable))


@_h('br_on_cast_fail')
def _br_on_cast_fail(t: _Typer, label, rt1, rt2):
    t.pop_ref()
    t.stack.append(rt2)


# -- GC

@_h('struct.new')
def _struct_new(t: _Typer, x):
    t.pop([unpacked(f.storage) for f in t.env.struct(x).fields])
    t.stack.append(RefType(x, False))


@_h('struct.new_default')
def _struct_new_default(t: _Typer, x):
    t.env.struct(x)
    t.stack.append(RefType(x, False))


@_h('struct.get', 'struct.get_s', 'struct.get_u')
def _struct_get(t: _Typer, x, field):
    fields = t.env.struct(x).fields
    ty = unpacked(t.env._get(fields, field, 'field').storage)
    t.pop_ref()
    t.stack.append(ty)


@_h('struct.set')
def _struct_set(t: _Typer, x, field):
    fields = t.env.struct(x).fields
    t.pop([RefType(x), unpacked(t.env._get(fields, field, 'field').storage)])


@_h('array.new')
def _array_new(t: _Typer, x):
    t.pop([unpacked(t.env.array(x).field.storage), 'i32'])
    t.stack.append(RefType(x, False))


@_h('array.new_default')
def _array_new_default(t: _Typer, x):
    t.env.array(x)
    t.pop(['i32'])
    t.stack.append(RefType(x, False))


@_h('array.new_fixed')
def _array_new_fixed(t: _Typer, x, n):
    t.pop([unpacked(t.env.array(x).field.storage)] * n)
    t.stack.append(RefType(x, False))


@_h('array.new_data', 'array.new_elem')
def _array_new_segment(t: _Typer, x, seg):
    t.env.array(x)
    t.pop(['i32', 'i32'])
    t.stack.append(RefType(x, False))


@_h('array.get', 'array.get_s', 'array.get_u')
def _array_get(t: _Typer, x):
    ty = unpacked(t.env.array(x).field.storage)
    t.pop([RefType(x), 'i32'])
    t.stack.append(ty)


@_h('array.set')
def _array_set(t: _Typer, x):
    t.pop([RefType(x), 'i32', unpacked(t.env.array(x).field.storage)])


@_h('array.fill')
def _array_fill(t: _Typer, x):
    t.pop([RefType(x), 'i32', unpacked(t.env.array(x).field.storage), 'i32'])


@_h('array.copy')
def _array_copy(t: _Typer, dst, src):
    t.env.array(dst), t.env.array(src)
    t.pop([RefType(dst), 'i32', RefType(src), 'i32', 'i32'])


@_h('array.init_data', 'array.init_elem')
def _array_init(t: _Typer, x, seg):
    t.env.array(x)
    t.pop([RefType(x), 'i32', 'i32', 'i32'])


# -- stack switching

@_h('cont.new')
def _cont_new(t: _Typer, ct):
    t.env.cont_func(ct)
    t.pop_ref()
    t.stack.append(RefType(ct, False))


@_h('cont.bind')
def _cont_bind(t: _Typer, ct1, ct2):
    # [t1* (ref null ct1)] -> [(ref ct2)]  with ct1 = cont [t1* t3*] -> [t2*], ct2 = cont [t3*] -> [t2*]
    p1, p2 = t.env.cont_func(ct1).params, t.env.cont_func(ct2).params
    if len(p2) > len(p1):
        raise TypingError(f'cont.bind from {len(p1)} to {len(p2)} parameters')
    t.pop(list(p1[:len(p1) - len(p2)]) + [RefType(ct1)])
    t.stack.append(RefType(ct2, False))


@_h('suspend')
def _suspend(t: _Typer, tag):
    ft = t.env.tag_type(tag)
    t.pop(list(ft.params))
    t.stack.extend(ft.results)


@_h('resume')
def _resume(t: _Typer, ct, handlers):
    ft = t.env.cont_func(ct)
    t.pop(list(ft.params) + [RefType(ct)])
    t.stack.extend(ft.results)


@_h('resume_throw')
def _resume_throw(t: _Typer, ct, tag, handlers):
    ft = t.env.cont_func(ct)
    t.pop(list(t.env.tag_type(tag).params) + [RefType(ct)])
    t.stack.extend(ft.results)


@_h('resume_throw_ref')
def _resume_throw_ref(t: _Typer, ct, handlers):
    ft = t.env.cont_func(ct)
    t.pop([RefType('exn'), RefType(ct)])
    t.stack.extend(ft.results)


@_h('switch')
def _switch(t: _Typer, ct1, tag):
    # [t1* (ref null ct1)] -> [t2*]  with ct1 = cont [t1* (ref null? ct2)] -> [te*], ct2 = cont [t2*] -> [t*]
    p1 = t.env.cont_func(ct1).params
    if not p1 or not isinstance(p1[-1], RefType) or isinstance(p1[-1].heap, str):
        raise TypingError(f'switch: the last parameter of type {ct1} is not a continuation reference')
    t.pop(list(p1[:-1]) + [RefType(ct1)])
    t.stack.extend(t.env.cont_func(p1[-1].heap).params)


# instructions typed by `transfer`, `open`, `middle` or the end handling rather than by a table entry
_KNOWN_OTHER = _NO_FALLTHROUGH | _OPENERS | {'else', 'catch', 'catch_all', 'end', 'delegate'}


def type_function(module: Module, func: Function) -> FuncTyping:
    """The operand-stack typing of one defined function of `module` (see the module docstring)."""
    return _Typer(module, func).run()
