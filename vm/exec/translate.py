"""Translation of validated Wasm functions into Python source, once per instance.

[[validated Func]] --> [[Python `def` source]]; `translate_module` returns the source of every
defined function of a module (plain flavour, plus a generator flavour for functions that may
suspend) and fills the exec namespace with the objects the code refers to.

How code is laid out
  * Wasm locals are Python locals `l0, l1, ...`. The operand stack is resolved at translation time:
    a stack entry is a Python expression; pure, non-trapping expressions over locals and constants
    are folded into their consumer, everything else (loads, calls, trapping arithmetic) is evaluated
    into a temporary `tN` at its place in the instruction order. A `local.set x` first spills
    pending entries that read `x`; every structured instruction first spills the whole stack.
  * Structured control uses `while True:` loops, but only for constructs some branch targets (a
    pre-scan finds them); `break`/`continue` reach the innermost such loop, and a branch across
    several sets `_br` to the target's id and breaks; after each crossed loop a check continues the
    exit. Block results travel in variables `bK_J` (loop parameters in `pK_J`).
  * Nothing from the binary (names, strings) is written into the source: objects are bound in the
    namespace under generated identifiers (F3, G3, FO3, M0, GL2, TG1, K7, NM3...).
  * Generator flavour (inside continuations): `suspend` is a `yield`, calls to functions that may
    suspend are `yield from`, `resume` is `yield from resume_gen(...)`; `barrier` bodies switch back
    to the plain flavour.
"""

from __future__ import annotations

import math
import re

from ..syntax.types import FuncType, ContType, RefType
from . import numeric

MAX_BLOCKS = 16      # Python block statements per code object we allow (CPython's limit: 20)
MAX_INDENT = 40      # indentation levels before a construct moves out (CPython's limit: 100)
M32 = '0xFFFFFFFF'
M64 = '0xFFFFFFFFFFFFFFFF'

# Pure, non-trapping templates: text-format op -> expression template over operands {0}, {1}.
PURE = {
    'i32.add': f'(({{0}} + {{1}}) & {M32})', 'i32.sub': f'(({{0}} - {{1}}) & {M32})',
    'i32.mul': f'(({{0}} * {{1}}) & {M32})', 'i32.and': '({0} & {1})', 'i32.or': '({0} | {1})',
    'i32.xor': '({0} ^ {1})', 'i32.shl': f'(({{0}} << ({{1}} & 31)) & {M32})',
    'i32.shr_u': '({0} >> ({1} & 31))',
    'i32.shr_s': f'(((({{0}} ^ 0x80000000) - 0x80000000) >> ({{1}} & 31)) & {M32})',
    'i32.eq': '({0} == {1})', 'i32.ne': '({0} != {1})', 'i32.lt_u': '({0} < {1})',
    'i32.gt_u': '({0} > {1})', 'i32.le_u': '({0} <= {1})', 'i32.ge_u': '({0} >= {1})',
    'i32.lt_s': '(({0} ^ 0x80000000) < ({1} ^ 0x80000000))',
    'i32.gt_s': '(({0} ^ 0x80000000) > ({1} ^ 0x80000000))',
    'i32.le_s': '(({0} ^ 0x80000000) <= ({1} ^ 0x80000000))',
    'i32.ge_s': '(({0} ^ 0x80000000) >= ({1} ^ 0x80000000))',
    'i32.eqz': '({0} == 0)',
    'i32.extend8_s': f'(((({{0}} & 0xFF) ^ 0x80) - 0x80) & {M32})',
    'i32.extend16_s': f'(((({{0}} & 0xFFFF) ^ 0x8000) - 0x8000) & {M32})',
    'i32.wrap_i64': f'({{0}} & {M32})',
    'i64.add': f'(({{0}} + {{1}}) & {M64})', 'i64.sub': f'(({{0}} - {{1}}) & {M64})',
    'i64.mul': f'(({{0}} * {{1}}) & {M64})', 'i64.and': '({0} & {1})', 'i64.or': '({0} | {1})',
    'i64.xor': '({0} ^ {1})', 'i64.shl': f'(({{0}} << ({{1}} & 63)) & {M64})',
    'i64.shr_u': '({0} >> ({1} & 63))',
    'i64.shr_s': f'(((({{0}} ^ 0x8000000000000000) - 0x8000000000000000) >> ({{1}} & 63)) & {M64})',
    'i64.eq': '({0} == {1})', 'i64.ne': '({0} != {1})', 'i64.lt_u': '({0} < {1})',
    'i64.gt_u': '({0} > {1})', 'i64.le_u': '({0} <= {1})', 'i64.ge_u': '({0} >= {1})',
    'i64.lt_s': '(({0} ^ 0x8000000000000000) < ({1} ^ 0x8000000000000000))',
    'i64.gt_s': '(({0} ^ 0x8000000000000000) > ({1} ^ 0x8000000000000000))',
    'i64.le_s': '(({0} ^ 0x8000000000000000) <= ({1} ^ 0x8000000000000000))',
    'i64.ge_s': '(({0} ^ 0x8000000000000000) >= ({1} ^ 0x8000000000000000))',
    'i64.eqz': '({0} == 0)',
    'i64.extend8_s': f'(((({{0}} & 0xFF) ^ 0x80) - 0x80) & {M64})',
    'i64.extend16_s': f'(((({{0}} & 0xFFFF) ^ 0x8000) - 0x8000) & {M64})',
    'i64.extend32_s': f'(((({{0}} & {M32}) ^ 0x80000000) - 0x80000000) & {M64})',
    'i64.extend_i32_u': '{0}',
    'i64.extend_i32_s': f'((({{0}} ^ 0x80000000) - 0x80000000) & {M64})',
    'f64.add': '({0} + {1})', 'f64.sub': '({0} - {1})', 'f64.mul': '({0} * {1})',
    'f64.neg': '(-{0})', 'f32.neg': '(-{0})', 'f64.abs': 'abs({0})', 'f32.abs': 'abs({0})',
    'f64.convert_i32_u': 'float({0})', 'f64.convert_i64_u': 'float({0})',
    'f64.convert_i32_s': 'float(({0} ^ 0x80000000) - 0x80000000)',
    'f64.convert_i64_s': 'float(({0} ^ 0x8000000000000000) - 0x8000000000000000)',
    'ref.is_null': '({0} is None)',
}
for _t in ('f32', 'f64'):
    for _op, _py in (('eq', '=='), ('ne', '!='), ('lt', '<'), ('gt', '>'), ('le', '<='), ('ge', '>=')):
        PURE[f'{_t}.{_op}'] = f'({{0}} {_py} {{1}})'

# Integer division/remainder whose only trap is a zero divisor (ZeroDivisionError -> trap).
DIVS = {'i32.div_u': '({0} // {1})', 'i32.rem_u': '({0} % {1})',
        'i64.div_u': '({0} // {1})', 'i64.rem_u': '({0} % {1})'}

LOADS = {
    'i32.load': 'LD_I({m}, {a})[0]', 'i64.load': 'LD_Q({m}, {a})[0]',
    'f32.load': 'f32_from_bits(LD_I({m}, {a})[0])', 'f64.load': 'LD_D({m}, {a})[0]',
    'i32.load8_u': '{m}[{a}]', 'i32.load8_s': f'((({{m}}[{{a}}] ^ 0x80) - 0x80) & {M32})',
    'i32.load16_u': 'LD_H({m}, {a})[0]', 'i32.load16_s': f'(LD_h({{m}}, {{a}})[0] & {M32})',
    'i64.load8_u': '{m}[{a}]', 'i64.load8_s': f'((({{m}}[{{a}}] ^ 0x80) - 0x80) & {M64})',
    'i64.load16_u': 'LD_H({m}, {a})[0]', 'i64.load16_s': f'(LD_h({{m}}, {{a}})[0] & {M64})',
    'i64.load32_u': 'LD_I({m}, {a})[0]', 'i64.load32_s': f'(LD_i({{m}}, {{a}})[0] & {M64})',
}
STORES = {
    'i32.store': 'ST_I({m}, {a}, {v})', 'i64.store': 'ST_Q({m}, {a}, {v})',
    'f32.store': 'ST_I({m}, {a}, f32_to_bits({v}))', 'f64.store': 'ST_D({m}, {a}, {v})',
    'i32.store8': '{m}[{a}] = {v} & 0xFF', 'i64.store8': '{m}[{a}] = {v} & 0xFF',
    'i32.store16': 'ST_H({m}, {a}, {v} & 0xFFFF)', 'i64.store16': 'ST_H({m}, {a}, {v} & 0xFFFF)',
    'i64.store32': f'ST_I({{m}}, {{a}}, {{v}} & {M32})',
}

BRANCHING = ('br', 'br_if', 'br_table', 'br_on_null', 'br_on_non_null', 'br_on_cast', 'br_on_cast_fail')
STRUCTURED = ('block', 'loop', 'if', 'try_table', 'barrier')
SUSPENDING = ('suspend', 'switch', 'resume', 'resume_throw', 'resume_throw_ref')
INDIRECT = ('call_indirect', 'call_ref', 'return_call_indirect', 'return_call_ref')


_SIGN_FLIP = re.compile(r'\((\d+) \^ (0x80000000|0x8000000000000000)\)')


def _numeric_traps(op: str) -> bool:
    return op[0] == 'i' and ('.div' in op or '.rem' in op or ('.trunc_f' in op and 'sat' not in op))


def _is_simple(e: str) -> bool:
    return e.isidentifier() or e.replace('.', '', 1).isdigit() or e == 'None'


class Ctl:
    """One structured construct being translated."""

    __slots__ = ('kind', 'id', 'params', 'results', 'pyloop', 'vars', 'crossing', 'height',
                 'used', 'indent', 'else_entries', 'live_at_entry', 'arm_start', 'handlers',
                 'closure', 'body_start', 'saved_blocks', 'blocks')

    def __init__(self, kind, id_, params, results, pyloop, height, indent):
        self.kind = kind
        self.id = id_
        self.params = params
        self.results = results
        self.pyloop = pyloop
        self.height = height
        self.indent = indent
        self.crossing = set()
        self.used = False
        self.vars = []
        self.else_entries = None
        self.live_at_entry = True
        self.arm_start = 0
        self.handlers = None
        self.closure = False
        self.body_start = 0
        self.saved_blocks = 0
        self.blocks = 0

    def label_arity(self):
        return len(self.params) if self.kind == 'loop' else len(self.results)

    def label_vars(self):
        if self.kind == 'loop':
            return [f'p{self.id}_{j}' for j in range(len(self.params))]
        return [f'b{self.id}_{j}' for j in range(len(self.results))]


class ModuleContext:
    """What translation needs to know about the module and the instance it runs in."""

    def __init__(self, module, ns: dict, may_suspend: list, has_tail: list, fuel: bool,
                 observe: bool, n_imported_funcs: int, func_names: list, tags: list):
        self.module = module
        self.types = module.types
        self.func_types = module.func_types()
        self.ns = ns
        self.may_suspend = may_suspend
        self.has_tail = has_tail
        self.fuel = fuel
        self.observe = observe
        self.nimp = n_imported_funcs
        self.func_names = func_names
        self.tags = tags
        self.stats = False
        self._consts = {}

    def const(self, obj, prefix='K') -> str:
        key = (prefix, id(obj))
        name = self._consts.get(key)
        if name is None:
            name = f'{prefix}{len(self._consts)}'
            self._consts[key] = name
            self.ns[name] = obj
        return name

    def functype(self, x) -> FuncType:
        return self.types[x].composite

    def blocktype(self, bt):
        if bt is None:
            return (), ()
        if isinstance(bt, int):
            ft = self.types[bt].composite
            return tuple(ft.params), tuple(ft.results)
        return (), (bt,)

    def cont_functype(self, x) -> FuncType:
        ct = self.types[x].composite
        return self.types[ct.type_index].composite


def scan_targets(body) -> set:
    """Instruction indices of the structured instructions some branch targets."""
    targets = set()
    stack = [-1]
    for i, ins in enumerate(body):
        op = ins.op
        if op in STRUCTURED:
            if op == 'try_table':
                for c in ins.args[1]:
                    if c.label < len(stack):
                        targets.add(stack[-1 - c.label])
            stack.append(i)
        elif op == 'end':
            if len(stack) > 1:
                stack.pop()
        elif op in ('br', 'br_if', 'br_on_null', 'br_on_non_null', 'br_on_cast', 'br_on_cast_fail'):
            l = ins.args[0]
            if l < len(stack):
                targets.add(stack[-1 - l])
        elif op == 'br_table':
            for l in tuple(ins.args[0]) + (ins.args[1],):
                if l < len(stack):
                    targets.add(stack[-1 - l])
        elif op in ('resume', 'resume_throw', 'resume_throw_ref'):
            for h in ins.args[-1]:
                if h.label is not None and h.label < len(stack):
                    targets.add(stack[-1 - h.label])
    targets.discard(-1)
    return targets


def direct_suspends(body) -> tuple[bool, set]:
    """(may suspend by itself, direct callees) outside barrier bodies."""
    depth_barrier = 0
    stack = []
    susp = False
    callees = set()
    for ins in body:
        op = ins.op
        if op in STRUCTURED:
            stack.append(op == 'barrier')
            if op == 'barrier':
                depth_barrier += 1
        elif op == 'end':
            if stack and stack.pop():
                depth_barrier -= 1
        elif depth_barrier:
            continue
        elif op in SUSPENDING or op in INDIRECT:
            susp = True
        elif op in ('call', 'return_call'):
            callees.add(ins.args[0])
    return susp, callees


class FuncTranslator:
    def __init__(self, ctx: ModuleContext, fidx: int, gen: bool):
        self.ctx = ctx
        self.fidx = fidx
        self.gen = gen                     # generator flavour (current mode; barriers switch it off)
        self.func = ctx.module.funcs[fidx - ctx.nimp]
        self.ft = ctx.functype(self.func.type_index)
        self.lines = []
        self.ind = 2
        self.stack = []                    # entries: (expr, deps) deps None | frozenset of locals
        self.ctl = []
        self.ntemp = 0
        self.nid = 0
        self.live = True
        self.uses_br = False
        self.has_tail = ctx.has_tail[fidx]
        self.name = f'NM{fidx}'
        self.pyblocks = 1                  # Python block statements open in the current code object
        self.closure_depth = 0
        self.closure_names = set()
        self.hoisted = []                  # module-level functions for deeply nested constructs
        self.gen_function = gen

    # --- emission helpers ---------------------------------------------------------------------
    def emit(self, line: str) -> None:
        self.lines.append('    ' * self.ind + line)

    def temp(self) -> str:
        self.ntemp += 1
        return f't{self.ntemp}'

    def push(self, expr, deps=None):
        if deps is not None and len(expr) > 240:
            t = self.temp()
            self.emit(f'{t} = {expr}')
            expr, deps = t, None
        self.stack.append((expr, deps))

    def pop(self):
        return self.stack.pop()

    def popn(self, n):
        if n == 0:
            return []
        vals = self.stack[-n:]
        del self.stack[-n:]
        return vals

    def val(self, e) -> str:
        return e[0]

    def simple(self, e) -> str:
        if _is_simple(e[0]):
            return e[0]
        t = self.temp()
        self.emit(f'{t} = {e[0]}')
        return t

    def assign_temp(self, expr):
        t = self.temp()
        self.emit(f'{t} = {expr}')
        self.stack.append((t, None))

    def flush(self):
        """Spill every non-constant entry into temporaries (before any structured instruction)."""
        for i, (e, d) in enumerate(self.stack):
            if d is not None and d or (d is not None and not _is_simple(e)):
                t = self.temp()
                self.emit(f'{t} = {e}')
                self.stack[i] = (t, None)

    def spill_local(self, x):
        for i, (e, d) in enumerate(self.stack):
            if d and x in d:
                t = self.temp()
                self.emit(f'{t} = {e}')
                self.stack[i] = (t, None)

    def deps(self, *entries):
        out = frozenset()
        for e in entries:
            if e[1]:
                out |= e[1]
        return out

    def trap_expr(self, msg: str) -> str:
        return f'TRAP({msg!r}, {self.name})'

    def results_expr(self, vals) -> str:
        if not vals:
            return ''
        if len(vals) == 1:
            return vals[0]
        return '(' + ', '.join(vals) + ')'

    def tuple_expr(self, vals) -> str:
        if not vals:
            return '()'
        return '(' + ', '.join(vals) + ',)'

    def assign_results(self, n, expr):
        """Emit `t.. = expr` for a call returning n results (Python convention); push them."""
        if n == 0:
            self.emit(expr)
            return
        ts = [self.temp() for _ in range(n)]
        self.emit(f'{", ".join(ts)} = {expr}')
        for t in ts:
            self.stack.append((t, None))

    def unpack_tuple(self, n, expr):
        """Push n values from a tuple expression."""
        if n == 0:
            if expr != '_rv':
                self.emit(expr)
            return
        ts = [self.temp() for _ in range(n)]
        self.emit(f'{", ".join(ts)}, = {expr}' if n == 1 else f'{", ".join(ts)} = {expr}')
        for t in ts:
            self.stack.append((t, None))

    # --- branches -----------------------------------------------------------------------------
    def return_lines(self, expr: str) -> list:
        """Return `expr` (Python calling convention) from the Wasm function."""
        if self.closure_depth:
            self.innermost_closure().crossing.add(-1)
            return [f'_ret = {expr}', 'return -1, @S@']
        return [f'return {expr}'.rstrip()]

    def innermost_closure(self):
        for c in reversed(self.ctl):
            if c.closure:
                return c
        raise AssertionError('no closure open')

    def jump_lines(self, pos: int, reset: bool) -> list:
        """Transfer control to the label of self.ctl[pos] (label variables already assigned)."""
        target = self.ctl[pos]
        inner = self.ctl[pos + 1:]
        closures = [c for c in inner if c.closure]
        if closures:
            closures[-1].crossing.add(target.id)
            return [f'return {target.id}, @S@']
        loops = [c for c in inner if c.pyloop]
        if not loops:
            return (['_br = 0'] if reset else []) + ['continue' if target.kind == 'loop' else 'break']
        self.uses_br = True
        for c in loops:
            c.crossing.add(target.id)
        return [f'_br = {target.id}', 'break']

    def branch_lines(self, depth, vals, tuple_expr=None) -> list:
        """Lines performing a branch to label `depth` carrying `vals` (or a tuple expression)."""
        pos = len(self.ctl) - 1 - depth
        target = self.ctl[pos]
        out = []
        if target.kind == 'func':
            n = len(self.ft.results)
            if tuple_expr is not None:
                expr = ('' if n == 0 else f'{tuple_expr}[0]' if n == 1 else f'tuple({tuple_expr})')
            else:
                expr = self.results_expr(vals)
            return self.return_lines(expr if expr else 'None')
        target.used = True
        names = target.label_vars()
        if names:
            if tuple_expr is not None:
                out.append(f'{", ".join(names)}{"," if len(names) == 1 else ""} = {tuple_expr}')
            else:
                out.append(f'{", ".join(names)} = {", ".join(vals)}')
        return out + self.jump_lines(pos, reset=False)

    def emit_branch(self, depth, vals, tuple_expr=None):
        for line in self.branch_lines(depth, vals, tuple_expr):
            self.emit(line)

    def label_values(self, depth, keep: bool) -> list:
        """The values a branch to `depth` carries, from the stack top (materialised if kept)."""
        n = self.ctl[-1 - depth].label_arity() if self.ctl[-1 - depth].kind != 'func' \
            else len(self.ft.results)
        if n == 0:
            return []
        entries = self.stack[-n:]
        if keep:
            vals = []
            for i, e in enumerate(entries):
                s = self.simple(e)
                self.stack[len(self.stack) - n + i] = (s, e[1] if s == e[0] else None)
                vals.append(s)
            return vals
        del self.stack[-n:]
        return [e[0] for e in entries]

    # --- translation driver ---------------------------------------------------------------------
    def translate(self) -> list:
        ctx = self.ctx
        ft = self.ft
        nparams = len(ft.params)
        targets = scan_targets(self.func.body)
        self.targets = targets
        fctl = Ctl('func', 0, (), tuple(ft.results), False, 0, self.ind)
        self.ctl.append(fctl)
        if self.gen:
            self.emit('if 0: yield')
        if ctx.fuel:
            self.emit('FU[0] -= 1')
            self.emit(f'if FU[0] < 0: raise OOF({self.name})')
        header_at = len(self.lines)
        body = self.func.body
        i = 0
        n = len(body)
        skip = 0
        while i < n:
            ins = body[i]
            op = ins.op
            if not self.live:
                # dead code: skip to the end/else of the current construct
                if op in STRUCTURED:
                    skip += 1
                elif op == 'end':
                    if skip:
                        skip -= 1
                    else:
                        self.op_end(ins)
                elif op == 'else' and not skip:
                    self.op_else(ins)
                i += 1
                continue
            self.index = i
            h = getattr(self, 'op_' + op.replace('.', '_'), None)
            if h is not None:
                h(ins)
            elif op in PURE:
                self.op_pure(op)
            elif op in DIVS:
                b = self.pop()
                a = self.pop()
                self.assign_temp(DIVS[op].format(a[0], b[0]))
            elif op in LOADS:
                self.op_load(ins)
            elif op in STORES:
                self.op_store(ins)
            elif op in numeric.OPS:
                self.op_numeric(op)
            else:
                raise NotImplementedError(op)
            i += 1
        # function end handled by op_end on the final 'end'
        locals_ = self.func.locals
        pre = []
        for j, t in enumerate(locals_):
            pre.append(f'l{nparams + j} = {_default_src(t)}')
        if self.uses_br:
            pre.append('_br = 0')
        bound = {f'l{j}' for j in range(nparams + len(locals_))}
        for nm in sorted(self.closure_names - bound):
            pre.append(f'{nm} = None')
        self.lines[header_at:header_at] = ['        ' + p for p in pre]
        return self.lines

    # --- control ------------------------------------------------------------------------------
    def open(self, kind, ins):
        self.flush()
        params, results = self.ctx.blocktype(ins.args[0])
        pyloop = self.index in self.targets
        self.nid += 1
        c = Ctl(kind, self.nid, params, results, pyloop, len(self.stack) - len(params), self.ind)
        c.blocks = (1 if pyloop else 0) + (1 if kind in ('try_table', 'barrier') else 0)
        indents = pyloop or kind in ('if', 'try_table', 'barrier')
        if (c.blocks and self.pyblocks + c.blocks > MAX_BLOCKS) or (indents and self.ind > MAX_INDENT):
            # CPython allows 20 nested blocks per code object and 100 indentation levels per file:
            # the construct continues in a module-level function that gets and returns the state.
            c.closure = True
            c.body_start = len(self.lines)
            c.saved_blocks = self.pyblocks
            self.pyblocks = 0
            self.closure_depth += 1
            self.ind = 1
        self.pyblocks += c.blocks
        self.ctl.append(c)
        return c

    def op_block(self, ins):
        c = self.open('block', ins)
        if c.pyloop:
            self.emit('while True:')
            self.ind += 1

    def op_loop(self, ins):
        c = self.open('loop', ins)
        if c.pyloop:
            np_ = len(c.params)
            if np_:
                vals = self.popn(np_)
                names = c.label_vars()
                self.emit(f'{", ".join(names)} = {", ".join(v[0] for v in vals)}')
                for nm in names:
                    self.stack.append((nm, None))
            self.emit('while True:')
            self.ind += 1
            if self.ctx.fuel:
                self.emit('FU[0] -= 1')
                self.emit(f'if FU[0] < 0: raise OOF({self.name})')
        elif self.ctx.fuel:
            self.emit('FU[0] -= 1')
            self.emit(f'if FU[0] < 0: raise OOF({self.name})')

    def op_if(self, ins):
        cond = self.pop()
        c = self.open('if', ins)
        c.else_entries = list(self.stack[len(self.stack) - len(c.params):]) if c.params else []
        if c.pyloop:
            self.emit('while True:')
            self.ind += 1
        self.emit(f'if {cond[0]}:')
        self.ind += 1
        c.arm_start = len(self.lines)

    def op_barrier(self, ins):
        c = self.open('barrier', ins)
        if c.pyloop:
            self.emit('while True:')
            self.ind += 1
        self.emit('BAR[0] += 1')
        self.emit('try:')
        self.ind += 1
        c.arm_start = len(self.lines)
        c.handlers = self.gen
        self.gen = False

    def op_try_table(self, ins):
        c = self.open('try_table', ins)
        c.handlers = ins.args[1]
        if c.pyloop:
            self.emit('while True:')
            self.ind += 1
        self.emit('try:')
        self.ind += 1
        c.arm_start = len(self.lines)

    def fallthrough_assign(self, c):
        """At a live fall-through end of c: move its results into its result variables."""
        n = len(c.results)
        vals = self.popn(n)
        if n:
            self.emit(f'{", ".join(f"b{c.id}_{j}" for j in range(n))} = {", ".join(v[0] for v in vals)}')

    def op_else(self, ins):
        c = self.ctl[-1]
        if self.live:
            self.fallthrough_assign(c)
            c.used = True          # the end is reachable
        if len(self.lines) == c.arm_start:
            self.emit('pass')
        self.ind -= 1
        self.emit('else:')
        self.ind += 1
        c.arm_start = len(self.lines)
        del self.stack[c.height:]
        self.stack.extend(c.else_entries)
        self.live = c.live_at_entry
        c.kind = 'else'

    def op_end(self, ins):
        c = self.ctl[-1]
        if c.kind == 'func':
            if self.live:
                vals = self.popn(len(self.ft.results))
                if vals:
                    self.emit(f'return {self.results_expr([v[0] for v in vals])}')
            self.ctl.pop()
            return
        live_ft = self.live
        kind = c.kind
        if kind == 'if':
            # an if without else: the missing else arm passes the parameters through
            if live_ft:
                self.fallthrough_assign(c)
            if len(self.lines) == c.arm_start:
                self.emit('pass')
            self.ind -= 1
            if c.results:
                self.emit('else:')
                vals = [e[0] for e in c.else_entries]
                self.emit(f'    {", ".join(f"b{c.id}_{j}" for j in range(len(c.results)))} = {", ".join(vals)}')
            live_ft = True
            reach = True
        elif kind == 'else':
            if live_ft:
                self.fallthrough_assign(c)
            if len(self.lines) == c.arm_start:
                self.emit('pass')
            self.ind -= 1
            reach = live_ft or c.used
        elif kind == 'try_table':
            if live_ft:
                self.fallthrough_assign(c)
            if len(self.lines) == c.arm_start:
                self.emit('pass')
            self.ind -= 1
            self.emit(f'except EXN as e{c.id}:')
            self.ind += 1
            self.emit_catches(c)
            self.ind -= 1
            reach = live_ft or c.used
        elif kind == 'barrier':
            if live_ft:
                self.fallthrough_assign(c)
            if len(self.lines) == c.arm_start:
                self.emit('pass')
            self.ind -= 1
            self.emit('finally:')
            self.emit('    BAR[0] -= 1')
            self.gen = c.handlers
            reach = live_ft or c.used
        else:  # block, loop
            if c.pyloop and live_ft:
                if kind == 'loop':
                    n = len(c.results)
                    vals = self.popn(n)
                    if n:
                        self.emit(f'{", ".join(f"r{c.id}_{j}" for j in range(n))} = '
                                  f'{", ".join(v[0] for v in vals)}')
                else:
                    self.fallthrough_assign(c)
            reach = live_ft or (c.used and kind != 'loop')
        kept = []
        if not c.pyloop and kind in ('block', 'loop') and live_ft:
            n = len(c.results)
            kept = self.stack[len(self.stack) - n:] if n else []
        if c.pyloop:
            self.emit('break')
            self.ind -= 1
        self.ctl.pop()
        del self.stack[c.height:]
        if not c.pyloop and kind in ('block', 'loop'):
            self.stack.extend(kept)
            self.live = live_ft
        else:
            names = ([f'r{c.id}_{j}' for j in range(len(c.results))] if kind == 'loop'
                     else [f'b{c.id}_{j}' for j in range(len(c.results))])
            for nm in names:
                self.stack.append((nm, None))
            self.live = reach
        self.pyblocks -= c.blocks
        if c.closure:
            self.finish_closure(c)
        # continue multi-level exits through this loop / closure
        if (c.pyloop or c.closure) and c.crossing:
            self.emit_crossing(c)

    def finish_closure(self, c):
        self.emit('return 0, @S@')
        body = self.lines[c.body_start:]
        del self.lines[c.body_start:]
        text = '\n'.join(body)
        names = sorted(set(re.findall(r'\b[lbtpr]\d+(?:_\d+)?\b', text)) | {'_ret'})
        state = '(' + ', '.join(names) + ',)'
        fname = f'_h{self.fidx}{"g" if self.gen_function else "p"}{c.id}'
        self.hoisted.append(f'def {fname}({", ".join(names)}):')
        self.hoisted.append('    _br = 0')
        self.hoisted.extend(line.replace('@S@', state) for line in body)
        self.ind = c.indent
        self.pyblocks = c.saved_blocks
        self.closure_depth -= 1
        self.closure_names.update(names)
        self.uses_br = True
        call = f'{fname}({", ".join(names)})'
        if re.search(r'\byield\b', text):
            call = 'yield from ' + call
        self.emit(f'_br, {state} = {call}')

    def emit_crossing(self, c):
        """After construct c (a Python loop or closure) was left with _br set: continue the exit."""
        ids = {e.id: k for k, e in enumerate(self.ctl)}
        for tid in sorted(c.crossing):
            self.emit(f'if _br == {tid}:')
            self.ind += 1
            if tid == -1:
                for line in self.return_lines('_ret'):
                    self.emit(line)
            else:
                for line in self.jump_lines(ids[tid], reset=True):
                    self.emit(line)
            self.ind -= 1

    def emit_catches(self, c):
        ev = f'e{c.id}'
        catch_all = False
        for h in c.handlers:
            depth = h.label + 1     # catch labels are relative to the context outside the try_table
            if h.kind in ('catch', 'catch_ref'):
                tag = self.ctx.tags[h.tag]
                tn = self.ctx.const(tag, 'TG')
                nparams = len(tag.functype.params)
                vals = [f'{ev}.values[{j}]' for j in range(nparams)]
                if h.kind == 'catch_ref':
                    vals.append(ev)
                self.emit(f'if {ev}.tag is {tn}:')
                self.ind += 1
                if h.kind == 'catch_ref':
                    self.emit(f'{ev}.__traceback__ = None')
                self.emit_branch(depth, vals)
                self.ind -= 1
            else:
                vals = [ev] if h.kind == 'catch_all_ref' else []
                if h.kind == 'catch_all_ref':
                    self.emit(f'{ev}.__traceback__ = None')
                self.emit_branch(depth, vals)
                catch_all = True
                break
        if not catch_all:
            self.emit('raise')

    def op_br(self, ins):
        vals = self.label_values(ins.args[0], keep=False)
        self.emit_branch(ins.args[0], vals)
        self.live = False

    def op_br_if(self, ins):
        cond = self.pop()
        vals = self.label_values(ins.args[0], keep=True)
        self.emit(f'if {cond[0]}:')
        self.ind += 1
        self.emit_branch(ins.args[0], vals)
        self.ind -= 1

    def op_br_table(self, ins):
        labels, default = ins.args
        idx = self.simple(self.pop())
        depth0 = default
        vals = self.label_values(depth0, keep=True)
        del self.stack[len(self.stack) - len(vals):]
        groups = {}
        for k, l in enumerate(labels):
            if l != default:
                groups.setdefault(l, []).append(k)
        first = True
        for l, ks in groups.items():
            if len(ks) == 1:
                cond = f'{idx} == {ks[0]}'
            elif ks[-1] - ks[0] == len(ks) - 1:
                cond = f'{ks[0]} <= {idx} <= {ks[-1]}'
            else:
                cond = f'{idx} in {frozenset(ks)!r}'
            self.emit(f'{"if" if first else "elif"} {cond}:')
            first = False
            self.ind += 1
            self.emit_branch(l, vals)
            self.ind -= 1
        if not first:
            self.emit('else:')
            self.ind += 1
        self.emit_branch(default, vals)
        if not first:
            self.ind -= 1
        self.live = False

    def op_return(self, ins):
        vals = self.popn(len(self.ft.results))
        for line in self.return_lines(self.results_expr([v[0] for v in vals]) or 'None'):
            self.emit(line)
        self.live = False

    def op_unreachable(self, ins):
        self.emit(f'raise {self.trap_expr("unreachable")}')
        self.live = False

    def op_nop(self, ins):
        pass

    # --- stack, locals, globals -----------------------------------------------------------------
    def op_drop(self, ins):
        self.pop()

    def op_select(self, ins):
        c = self.pop()
        b = self.pop()
        a = self.pop()
        self.push(f'({a[0]} if {c[0]} else {b[0]})', self.deps(a, b, c))

    def op_local_get(self, ins):
        x = ins.args[0]
        self.stack.append((f'l{x}', frozenset((x,))))

    def op_local_set(self, ins):
        x = ins.args[0]
        v = self.pop()
        self.spill_local(x)
        self.emit(f'l{x} = {v[0]}')

    def op_local_tee(self, ins):
        x = ins.args[0]
        v = self.pop()
        self.spill_local(x)
        self.emit(f'l{x} = {v[0]}')
        self.stack.append((f'l{x}', frozenset((x,))))

    def op_global_get(self, ins):
        g = self.ctx.ns[f'GL{ins.args[0]}']
        if not g.mutable:
            v = g.value
            if type(v) is int:
                self.stack.append((repr(v), frozenset()))
                return
        self.assign_temp(f'GL{ins.args[0]}.value')

    def op_global_set(self, ins):
        v = self.pop()
        self.emit(f'GL{ins.args[0]}.value = {v[0]}')

    # --- constants and numerics ----------------------------------------------------------------
    def op_i32_const(self, ins):
        self.stack.append((str(ins.args[0] & 0xFFFFFFFF), frozenset()))

    def op_i64_const(self, ins):
        self.stack.append((str(ins.args[0] & 0xFFFFFFFFFFFFFFFF), frozenset()))

    def float_const(self, v):
        if math.isfinite(v):
            r = repr(v)
            self.stack.append((f'({r})' if r.startswith('-') else r, frozenset()))
        else:
            self.stack.append((self.ctx.const(v), None))

    def op_f32_const(self, ins):
        v = numeric.f32_from_bits(ins.args[0])
        if v != v:
            self.stack.append((self.ctx.const(v), None))
        else:
            self.float_const(v)

    def op_f64_const(self, ins):
        v = numeric.f64_from_bits(ins.args[0])
        if v != v:
            self.stack.append((self.ctx.const(v), None))
        else:
            self.float_const(v)

    def op_pure(self, op):
        tpl = PURE[op]
        n = 2 if '{1}' in tpl else 1
        args = self.popn(n)
        if op[0] == 'i' and all(a[0].isdigit() for a in args):
            # constant operands: fold with the exact numerics
            v = numeric.OPS[op][0](*(int(a[0]) for a in args))
            self.stack.append((str(int(v)), frozenset()))
            return
        expr = tpl.format(*(a[0] for a in args))
        if '^ 0x80' in expr:
            expr = _SIGN_FLIP.sub(lambda m: str(int(m.group(1)) ^ int(m.group(2), 16)), expr)
        self.push(expr, self.deps(*args))

    def op_numeric(self, op):
        fn, arity = numeric.OPS[op]
        args = self.popn(arity)
        name = 'N_' + op.replace('.', '_')
        self.ctx.ns[name] = fn
        expr = f'{name}({", ".join(a[0] for a in args)})'
        if _numeric_traps(op):
            self.assign_temp(expr)
        else:
            self.push(expr, self.deps(*args))

    # --- memory --------------------------------------------------------------------------------
    def addr(self, a, memarg):
        return f'{a[0]} + {memarg.offset}' if memarg.offset else a[0]

    def op_load(self, ins):
        m = ins.args[0]
        a = self.pop()
        self.assign_temp(LOADS[ins.op].format(m=f'M{m.memory}', a=self.addr(a, m)))

    def op_store(self, ins):
        m = ins.args[0]
        v = self.pop()
        a = self.pop()
        self.emit(STORES[ins.op].format(m=f'M{m.memory}', a=self.addr(a, m), v=v[0]))

    def op_memory_size(self, ins):
        self.assign_temp(f'(len(M{ins.args[0]}) >> 16)')

    def op_memory_grow(self, ins):
        d = self.pop()
        self.assign_temp(f'MO{ins.args[0]}.grow({d[0]})')

    def op_memory_fill(self, ins):
        n, v, d = self.pop(), self.pop(), self.pop()
        self.emit(f'MFILL(M{ins.args[0]}, {d[0]}, {v[0]}, {n[0]})')

    def op_memory_copy(self, ins):
        n, s, d = self.pop(), self.pop(), self.pop()
        self.emit(f'MCOPY(M{ins.args[0]}, {d[0]}, M{ins.args[1]}, {s[0]}, {n[0]})')

    def op_memory_init(self, ins):
        n, s, d = self.pop(), self.pop(), self.pop()
        self.emit(f'MINIT(M{ins.args[1]}, DATAS[{ins.args[0]}], {d[0]}, {s[0]}, {n[0]})')

    def op_data_drop(self, ins):
        self.emit(f'DATAS[{ins.args[0]}] = b""')

    # --- tables --------------------------------------------------------------------------------
    def op_table_get(self, ins):
        i = self.pop()
        self.assign_temp(f'TGET(T{ins.args[0]}, {i[0]})')

    def op_table_set(self, ins):
        v, i = self.pop(), self.pop()
        self.emit(f'TSET(T{ins.args[0]}, {i[0]}, {v[0]})')

    def op_table_size(self, ins):
        self.assign_temp(f'len(T{ins.args[0]})')

    def op_table_grow(self, ins):
        n, v = self.pop(), self.pop()
        self.assign_temp(f'TO{ins.args[0]}.grow({n[0]}, {v[0]})')

    def op_table_fill(self, ins):
        n, v, d = self.pop(), self.pop(), self.pop()
        self.emit(f'TFILL(T{ins.args[0]}, {d[0]}, {v[0]}, {n[0]})')

    def op_table_copy(self, ins):
        n, s, d = self.pop(), self.pop(), self.pop()
        self.emit(f'TCOPY(T{ins.args[0]}, {d[0]}, T{ins.args[1]}, {s[0]}, {n[0]})')

    def op_table_init(self, ins):
        n, s, d = self.pop(), self.pop(), self.pop()
        self.emit(f'TINIT(T{ins.args[1]}, ELEMS[{ins.args[0]}], {d[0]}, {s[0]}, {n[0]})')

    def op_elem_drop(self, ins):
        self.emit(f'ELEMS[{ins.args[0]}] = ()')

    # --- calls ---------------------------------------------------------------------------------
    def call_expr(self, x, args) -> str:
        a = ', '.join(v[0] for v in args)
        if self.gen and self.ctx.may_suspend[x]:
            return f'(yield from G{x}({a}))'
        return f'F{x}({a})'

    def op_call(self, ins):
        x = ins.args[0]
        ft = self.ctx.functype(self.ctx.func_types[x])
        args = self.popn(len(ft.params))
        self.assign_results(len(ft.results), self.call_expr(x, args))

    def dyn_call_expr(self, f, args) -> str:
        a = ', '.join(v[0] for v in args)
        if self.gen:
            return f'((yield from {f}.gen({a})) if {f}.may_suspend else {f}.plain({a}))'
        return f'{f}.plain({a})'

    def op_call_indirect(self, ins):
        x, t = ins.args
        ft = self.ctx.functype(x)
        i = self.pop()
        args = self.popn(len(ft.params))
        f = self.temp()
        self.emit(f'{f} = CI(T{t}, {i[0]}, DT{x})')
        self.assign_results(len(ft.results), self.dyn_call_expr(f, args))

    def op_call_ref(self, ins):
        ft = self.ctx.functype(ins.args[0])
        r = self.pop()
        args = self.popn(len(ft.params))
        f = self.temp()
        self.emit(f'{f} = CR({r[0]})')
        self.assign_results(len(ft.results), self.dyn_call_expr(f, args))

    def tail(self, fexpr, args, direct=None):
        a = self.tuple_expr([v[0] for v in args])
        if self.gen:
            expr = (self.call_expr(direct, args) if direct is not None
                    else self.dyn_call_expr(fexpr, args))
        else:
            expr = f'TC({fexpr}, {a})'
        for line in self.return_lines(expr):
            self.emit(line)
        self.live = False

    def op_return_call(self, ins):
        x = ins.args[0]
        ft = self.ctx.functype(self.ctx.func_types[x])
        args = self.popn(len(ft.params))
        self.tail(f'FO{x}', args, direct=x)

    def op_return_call_indirect(self, ins):
        x, t = ins.args
        ft = self.ctx.functype(x)
        i = self.pop()
        args = self.popn(len(ft.params))
        f = self.temp()
        self.emit(f'{f} = CI(T{t}, {i[0]}, DT{x})')
        self.tail(f, args)

    def op_return_call_ref(self, ins):
        ft = self.ctx.functype(ins.args[0])
        r = self.pop()
        args = self.popn(len(ft.params))
        f = self.temp()
        self.emit(f'{f} = CR({r[0]})')
        self.tail(f, args)

    # --- references ----------------------------------------------------------------------------
    def op_ref_null(self, ins):
        self.stack.append(('None', None))

    def op_ref_func(self, ins):
        self.stack.append((f'FO{ins.args[0]}', None))

    def op_ref_as_non_null(self, ins):
        v = self.pop()
        self.assign_temp(f'NN({v[0]})')

    def op_ref_eq(self, ins):
        b, a = self.pop(), self.pop()
        self.push(f'REFEQ({a[0]}, {b[0]})', self.deps(a, b))

    def op_br_on_null(self, ins):
        v = self.simple(self.pop())
        vals = self.label_values(ins.args[0], keep=True)
        self.emit(f'if {v} is None:')
        self.ind += 1
        self.emit_branch(ins.args[0], vals)
        self.ind -= 1
        self.stack.append((v, None))

    def op_br_on_non_null(self, ins):
        v = self.simple(self.pop())
        depth = ins.args[0]
        n = self.ctl[-1 - depth].label_arity() if self.ctl[-1 - depth].kind != 'func' \
            else len(self.ft.results)
        vals = []
        for k in range(n - 1):
            e = self.stack[len(self.stack) - (n - 1) + k]
            s = self.simple(e)
            self.stack[len(self.stack) - (n - 1) + k] = (s, None if s != e[0] else e[1])
            vals.append(s)
        self.emit(f'if {v} is not None:')
        self.ind += 1
        self.emit_branch(depth, vals + [v])
        self.ind -= 1

    # --- exceptions ----------------------------------------------------------------------------
    def op_throw(self, ins):
        tag = self.ctx.tags[ins.args[0]]
        tn = self.ctx.const(tag, 'TG')
        args = self.popn(len(tag.functype.params))
        self.emit(f'raise EXN({tn}, {self.tuple_expr([a[0] for a in args])})')
        self.live = False

    def op_throw_ref(self, ins):
        v = self.pop()
        self.emit(f'raise EXNREF({v[0]})')
        self.live = False

    # --- stack switching -----------------------------------------------------------------------
    def op_cont_new(self, ins):
        f = self.pop()
        self.assign_temp(f'CNEW({f[0]})')

    def op_cont_bind(self, ins):
        x1, x2 = ins.args
        n = len(self.ctx.cont_functype(x1).params) - len(self.ctx.cont_functype(x2).params)
        k = self.pop()
        args = self.popn(n)
        self.assign_temp(f'CBIND({k[0]}, {self.tuple_expr([a[0] for a in args])})')

    def op_suspend(self, ins):
        tag = self.ctx.tags[ins.args[0]]
        tn = self.ctx.const(tag, 'TG')
        ft = tag.functype
        args = self.popn(len(ft.params))
        payload = self.tuple_expr([a[0] for a in args])
        if not self.gen:
            self.emit(f'raise UNHANDLED({tn}, {payload})')
            self.live = False
            return
        if self.ctx.observe:
            self.emit(f'OBS.suspend({tn}, {self.name})')
        if args:
            rec = f'({tn}, None, {", ".join(a[0] for a in args)})'
        else:
            rec = self.ctx.const((tag, None), 'SR')   # no allocation per suspension
        self.unpack_tuple(len(ft.results), f'(yield {rec})')

    def op_switch(self, ins):
        x, t = ins.args
        tag = self.ctx.tags[t]
        tn = self.ctx.const(tag, 'TG')
        ft = self.ctx.cont_functype(x)
        k = self.simple(self.pop())
        args = self.popn(len(ft.params) - 1)
        payload = self.tuple_expr([a[0] for a in args])
        self.emit(f'if {k} is None: raise NULLCONT()')
        if not self.gen:
            self.emit(f'raise UNHANDLED({tn}, {payload})')
            self.live = False
            return
        last = ft.params[-1]
        ct2 = self.types_cont_params(last)
        if self.ctx.observe:
            self.emit(f'OBS.switch({tn}, {self.name})')
        items = ''.join(', ' + a[0] for a in args)
        self.unpack_tuple(ct2, f'(yield ({tn}, {k}{items}))')

    def types_cont_params(self, rt) -> int:
        ht = rt.heap
        ct = self.ctx.types[ht].composite
        return len(self.ctx.types[ct.type_index].composite.params)

    def resume_site(self, x, handlers) -> str:
        from ..runtime.cont import ResumeSite
        on = {}
        sw = set()
        labels = []
        for h in handlers:
            tag = self.ctx.tags[h.tag]
            if h.label is None:
                sw.add(tag)
            elif tag not in on:
                on[tag] = len(labels)
                labels.append(h.label)
        nres = len(self.ctx.cont_functype(x).results)
        site = ResumeSite(on, frozenset(sw), nres, self.ctx.func_names[self.fidx])
        return self.ctx.const(site, 'RS'), labels, nres

    def finish_resume(self, call, labels, nres):
        if call is not None:
            self.emit(f'_ri, _rv = {call}')
        if labels:
            self.emit('if _ri >= 0:')
            self.ind += 1
            for k, l in enumerate(labels):
                if len(labels) > 1:
                    self.emit(f'{"if" if k == 0 else "elif"} _ri == {k}:')
                    self.ind += 1
                self.emit_branch(l, None, tuple_expr='_rv')
                if len(labels) > 1:
                    self.ind -= 1
            self.ind -= 1
        self.unpack_tuple(nres, '_rv')

    def op_resume(self, ins):
        x, handlers = ins.args
        site, labels, nres = self.resume_site(x, handlers)
        k = self.pop()
        args = self.popn(len(self.ctx.cont_functype(x).params))
        a = self.tuple_expr([v[0] for v in args])
        if self.ctx.observe or k[0] == 'None':
            call = (f'(yield from RESUME_G({k[0]}, {a}, {site}))' if self.gen
                    else f'RESUME({k[0]}, {a}, {site})')
            self.finish_resume(call, labels, nres)
            return
        # The common case (a suspended continuation without bound arguments whose next suspension
        # one of our (on $t $l) clauses handles) runs inline, without a call and without building
        # the label's values as a tuple. Other records go to DISPATCH (plain flavour: handle or
        # trap) or DRIVE_G (generator flavour: handle or forward outward).
        kv = self.simple(k)
        self.emit(f'if {kv} is not None and {kv}[0] == 1:')
        self.ind += 1
        self.emit(f'{kv}[0] = 2')
        self.emit(f'_g = {kv}[1]')
        self.emit('try:')
        self.emit(f'    _rec = _g.send({a})')
        self.emit('except StopIteration as _e:')
        tup = '()' if nres == 0 else '(_e.value,)' if nres == 1 else 'tuple(_e.value)'
        self.emit(f'    _ri, _rv = -1, {tup}')
        self.emit('else:')
        self.ind += 1
        seen = set()
        for h in handlers:
            if h.label is None or h.tag in seen:
                continue
            seen.add(h.tag)
            tag = self.ctx.tags[h.tag]
            tn = self.ctx.const(tag, 'TG')
            npay = len(tag.functype.params)
            self.emit(f'if _rec[0] is {tn} and _rec[1] is None:')
            self.ind += 1
            vals = [f'_rec[{2 + j}]' for j in range(npay)] + ['[1, _g, ()]']
            self.emit_branch(h.label, vals)
            self.ind -= 1
        if self.gen:
            self.emit(f'_ri, _rv = yield from DRIVE_G(_g, _rec, {site})')
        else:
            self.emit(f'_ri, _rv = DISPATCH(_g, _rec, {site})')
        self.ind -= 2
        self.emit('else:')
        if self.gen:
            self.emit(f'    _ri, _rv = yield from RESUME_G({kv}, {a}, {site})')
        else:
            self.emit(f'    _ri, _rv = RESUME({kv}, {a}, {site})')
        self.finish_resume(None, labels, nres)

    def op_resume_throw(self, ins):
        x, t, handlers = ins.args
        site, labels, nres = self.resume_site(x, handlers)
        tag = self.ctx.tags[t]
        tn = self.ctx.const(tag, 'TG')
        k = self.pop()
        args = self.popn(len(tag.functype.params))
        exn = f'EXN({tn}, {self.tuple_expr([v[0] for v in args])})'
        call = (f'(yield from RESUME_THROW_G({k[0]}, {exn}, {site}))' if self.gen
                else f'RESUME_THROW({k[0]}, {exn}, {site})')
        self.finish_resume(call, labels, nres)

    def op_resume_throw_ref(self, ins):
        x, handlers = ins.args
        site, labels, nres = self.resume_site(x, handlers)
        k = self.pop()
        e = self.pop()
        exn = f'EXNREF({e[0]})'
        call = (f'(yield from RESUME_THROW_REF_G({k[0]}, {exn}, {site}))' if self.gen
                else f'RESUME_THROW_REF({k[0]}, {exn}, {site})')
        self.finish_resume(call, labels, nres)


def _default_src(t) -> str:
    if t in ('i32', 'i64'):
        return '0'
    if t in ('f32', 'f64'):
        return '0.0'
    return 'None'


def translate_module(ctx: ModuleContext) -> str:
    """Python source defining F<i> (plain), G<i> (generator flavour, if the function may suspend) and
    _T<i> (tail-call entry) for every function defined in the module."""
    out = []
    nimp = ctx.nimp
    for k, func in enumerate(ctx.module.funcs):
        i = nimp + k
        ft = ctx.functype(func.type_index)
        params = ', '.join(f'l{j}' for j in range(len(ft.params)))
        flavours = [False, True] if ctx.may_suspend[i] else [False]
        for gen in flavours:
            tr = FuncTranslator(ctx, i, gen)
            lines = tr.translate()
            out.extend(tr.hoisted)
            name = f'G{i}' if gen else (f'_T{i}' if ctx.has_tail[i] else f'F{i}')
            out.append(f'def {name}({params}):')
            out.append('    try:')
            if ctx.stats:
                out.append('        OBS.depth += 1')
                out.append('        if OBS.depth > OBS.peak_depth: OBS.peak_depth = OBS.depth')
            out.extend(lines)
            out.append('        pass')
            out.append("    except (STRUCT_ERROR, IndexError, OverflowError):")
            out.append(f'        raise TRAP("out of bounds memory access", NM{i}) from None')
            out.append('    except ZeroDivisionError:')
            out.append(f'        raise TRAP("integer divide by zero", NM{i}) from None')
            out.append('    except TRAPCLS as e:')
            out.append('        if e.func_name is None: e.func_name = ' + f'NM{i}')
            out.append('        raise')
            if ctx.stats:
                out.append('    finally:')
                out.append('        OBS.depth -= 1')
        if ctx.has_tail[i]:
            out.append(f'def F{i}({params}):')
            out.append(f'    r = _T{i}({params})')
            out.append('    while r.__class__ is TC:')
            out.append('        r = r.func.tplain(*r.args)')
            out.append('    return r')
    return '\n'.join(out) + '\n'


# --- GC instructions (struct, array, i31, casts) --------------------------------------------------

_ABSTRACT = {'func', 'extern', 'any', 'eq', 'i31', 'struct', 'array', 'exn', 'cont',
             'none', 'nofunc', 'noextern', 'noexn', 'nocont'}


def _store_mask(storage) -> str:
    return {'i8': ' & 0xFF', 'i16': ' & 0xFFFF'}.get(storage, '')


def _get_s(storage, expr) -> str:
    if storage == 'i8':
        return f'((({expr} ^ 0x80) - 0x80) & {M32})'
    if storage == 'i16':
        return f'((({expr} ^ 0x8000) - 0x8000) & {M32})'
    return expr


class GCOps:
    def heap_src(self, ht) -> str:
        if isinstance(ht, int):
            return f'DT{ht}'
        if ht not in _ABSTRACT:
            raise NotImplementedError(f'heap type {ht!r}')
        return repr(ht)

    def fields(self, x):
        return self.ctx.types[x].composite.fields

    def op_struct_new(self, ins):
        x = ins.args[0]
        fs = self.fields(x)
        vals = self.popn(len(fs))
        items = ', '.join(v[0] + _store_mask(f.storage) for v, f in zip(vals, fs))
        self.assign_temp(f'STRUCT(DT{x}, [{items}])')

    def op_struct_new_default(self, ins):
        x = ins.args[0]
        items = ', '.join(_default_src(f.storage if f.storage not in ('i8', 'i16') else 'i32')
                          for f in self.fields(x))
        self.assign_temp(f'STRUCT(DT{x}, [{items}])')

    def op_struct_get(self, ins):
        x, k = ins.args
        v = self.pop()
        self.assign_temp(f'SF({v[0]})[{k}]')

    op_struct_get_u = op_struct_get

    def op_struct_get_s(self, ins):
        x, k = ins.args
        v = self.pop()
        self.assign_temp(_get_s(self.fields(x)[k].storage, f'SF({v[0]})[{k}]'))

    def op_struct_set(self, ins):
        x, k = ins.args
        val = self.pop()
        v = self.pop()
        self.emit(f'SF({v[0]})[{k}] = {val[0]}{_store_mask(self.fields(x)[k].storage)}')

    def elem_storage(self, x):
        return self.ctx.types[x].composite.field.storage

    def op_array_new(self, ins):
        x = ins.args[0]
        n, v = self.pop(), self.pop()
        self.assign_temp(f'ANEW(DT{x}, {v[0]}{_store_mask(self.elem_storage(x))}, {n[0]})')

    def op_array_new_default(self, ins):
        x = ins.args[0]
        n = self.pop()
        st = self.elem_storage(x)
        self.assign_temp(f'ANEW(DT{x}, {_default_src(st if st not in ("i8", "i16") else "i32")}, {n[0]})')

    def op_array_new_fixed(self, ins):
        x, n = ins.args
        vals = self.popn(n)
        m = _store_mask(self.elem_storage(x))
        self.assign_temp(f'ARRAY(DT{x}, [{", ".join(v[0] + m for v in vals)}])')

    def op_array_new_data(self, ins):
        x, d = ins.args
        n, s = self.pop(), self.pop()
        self.assign_temp(f'ANEWD(DT{x}, DATAS[{d}], {s[0]}, {n[0]})')

    def op_array_new_elem(self, ins):
        x, e = ins.args
        n, s = self.pop(), self.pop()
        self.assign_temp(f'ANEWE(DT{x}, ELEMS[{e}], {s[0]}, {n[0]})')

    def op_array_get(self, ins):
        i, a = self.pop(), self.pop()
        self.assign_temp(f'AGET({a[0]}, {i[0]})')

    op_array_get_u = op_array_get

    def op_array_get_s(self, ins):
        i, a = self.pop(), self.pop()
        self.assign_temp(_get_s(self.elem_storage(ins.args[0]), f'AGET({a[0]}, {i[0]})'))

    def op_array_set(self, ins):
        v, i, a = self.pop(), self.pop(), self.pop()
        self.emit(f'ASET({a[0]}, {i[0]}, {v[0]}{_store_mask(self.elem_storage(ins.args[0]))})')

    def op_array_len(self, ins):
        a = self.pop()
        self.assign_temp(f'ALEN({a[0]})')

    def op_array_fill(self, ins):
        n, v, d, a = self.pop(), self.pop(), self.pop(), self.pop()
        self.emit(f'AFILL({a[0]}, {d[0]}, {v[0]}{_store_mask(self.elem_storage(ins.args[0]))}, {n[0]})')

    def op_array_copy(self, ins):
        n, s, b, d, a = self.pop(), self.pop(), self.pop(), self.pop(), self.pop()
        self.emit(f'ACOPY({a[0]}, {d[0]}, {b[0]}, {s[0]}, {n[0]})')

    def op_array_init_data(self, ins):
        x, dx = ins.args
        n, s, d, a = self.pop(), self.pop(), self.pop(), self.pop()
        self.emit(f'AINITD({a[0]}, DATAS[{dx}], {d[0]}, {s[0]}, {n[0]})')

    def op_array_init_elem(self, ins):
        x, ex = ins.args
        n, s, d, a = self.pop(), self.pop(), self.pop(), self.pop()
        self.emit(f'AINITE({a[0]}, ELEMS[{ex}], {d[0]}, {s[0]}, {n[0]})')

    def op_ref_i31(self, ins):
        v = self.pop()
        self.assign_temp(f'I31({v[0]})')

    def op_i31_get_u(self, ins):
        v = self.pop()
        self.assign_temp(f'I31GET({v[0]})')

    def op_i31_get_s(self, ins):
        v = self.pop()
        self.assign_temp(f'(((I31GET({v[0]}) ^ 0x40000000) - 0x40000000) & {M32})')

    def op_any_convert_extern(self, ins):
        v = self.pop()
        self.assign_temp(f'ANYCONV({v[0]})')

    def op_extern_convert_any(self, ins):
        v = self.pop()
        self.assign_temp(f'EXTCONV({v[0]})')

    def op_ref_test(self, ins):
        rt = ins.args[0]
        v = self.pop()
        self.assign_temp(f'REFTEST({v[0]}, {bool(rt.nullable)}, {self.heap_src(rt.heap)})')

    def op_ref_cast(self, ins):
        rt = ins.args[0]
        v = self.pop()
        self.assign_temp(f'REFCAST({v[0]}, {bool(rt.nullable)}, {self.heap_src(rt.heap)})')

    def br_on_cast(self, ins, on_success: bool):
        l, rt1, rt2 = ins.args
        v = self.simple(self.pop())
        depth = l
        n = self.ctl[-1 - depth].label_arity() if self.ctl[-1 - depth].kind != 'func' \
            else len(self.ft.results)
        vals = []
        for k in range(n - 1):
            pos = len(self.stack) - (n - 1) + k
            e = self.stack[pos]
            s = self.simple(e)
            self.stack[pos] = (s, None if s != e[0] else e[1])
            vals.append(s)
        test = f'REFTEST({v}, {bool(rt2.nullable)}, {self.heap_src(rt2.heap)})'
        self.emit(f'if {test}:' if on_success else f'if not {test}:')
        self.ind += 1
        self.emit_branch(depth, vals + [v])
        self.ind -= 1
        self.stack.append((v, None))

    def op_br_on_cast(self, ins):
        self.br_on_cast(ins, True)

    def op_br_on_cast_fail(self, ins):
        self.br_on_cast(ins, False)


for _name, _f in list(vars(GCOps).items()):
    if _name.startswith(('op_', 'heap_src', 'fields', 'elem_storage', 'br_on_cast')):
        setattr(FuncTranslator, _name, _f)
