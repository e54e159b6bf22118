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

import re
from array import array

from ..errors import Trap
from ..syntax.types import FuncType
from . import numeric
from .templates import PURE, DIVS, LOADS, STORES, FAULT_MARK, _is_simple, _default_src
from .control import ControlOps, Ctl
from .instrs import DataOps
from .cont_ops import ContOps
from .gc_ops import GCOps


BIG_FRAME = 64               # functions with more params + locals than this are charged by size
STACK_LOCALS = 4_000_000     # the budget of such locals on the call stack (~32 MB of values)
STRUCTURED = ('block', 'loop', 'if', 'try_table', 'barrier')
SUSPENDING = ('suspend', 'switch', 'resume', 'resume_throw', 'resume_throw_ref')
INDIRECT = ('call_indirect', 'call_ref', 'return_call_indirect', 'return_call_ref')



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
        self.fault_lines = frozenset()     # set by translate_module (see fault_handler)
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


class FuncTranslator(ControlOps, DataOps, ContOps, GCOps):
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
        self.at = None                     # offset of the instruction being translated (backtraces)
        self.tagged = None                 # the offset the last emitted line was tagged with

    # --- emission helpers ---------------------------------------------------------------------
    def emit(self, line: str) -> None:
        at = self.at
        if at != self.tagged and at is not None:
            # the first line of each instruction carries its offset (a comment: see line_marks)
            self.tagged = at
            line = f'{line}@{at}' if line.endswith(FAULT_MARK) else f'{line}  #@{at}'
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
            self.at = ins.offset
            h = getattr(self, 'op_' + op.replace('.', '_'), None)
            if h is not None:
                h(ins)
            elif op in PURE:
                self.op_pure(op)
            elif op in DIVS:
                b = self.pop()
                a = self.pop()
                t = self.temp()
                self.emit(f'{t} = {DIVS[op].format(a[0], b[0])}{FAULT_MARK}')
                self.stack.append((t, None))
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

CHUNK_LINES = 20_000     # compile() holds the syntax tree of a whole source: compile in chunks


def translate_module(ctx: ModuleContext) -> list:
    """Python source defining F<i> (plain), G<i> (generator flavour, if the function may suspend) and
    _T<i> (tail-call entry) for every function defined in the module, as a list of chunks to compile
    one at a time under the file names `chunk_name(n)` (so compiling a module of many functions
    needs memory for one chunk's syntax tree, not the whole module's)."""
    chunks = []
    out = []
    nimp = ctx.nimp
    for k, func in enumerate(ctx.module.funcs):
        if len(out) > CHUNK_LINES:
            chunks.append(out)
            out = []
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
            # Python's recursion limit counts frames, not bytes: a function with a big frame also
            # charges its locals against a budget, so runaway recursion of such functions ends
            # (Exhaustion) long before it has allocated gigabytes of frames.
            size = len(ft.params) + len(func.locals)
            big = not gen and size > BIG_FRAME
            if big:
                out.append(f'    SD[0] += {size}')
                out.append(f'    if SD[0] > {STACK_LOCALS}:')
                out.append(f'        SD[0] -= {size}')
                out.append('        raise EXHAUSTED()')
            out.append('    try:')
            if ctx.stats:
                out.append('        OBS.depth += 1')
                out.append('        if OBS.depth > OBS.peak_depth: OBS.peak_depth = OBS.depth')
            out.extend(lines)
            out.append('        pass')
            out.append("    except (STRUCT_ERROR, IndexError, OverflowError, ZeroDivisionError) as e:")
            out.append(f'        raise FAULT(e, NM{i}) from None')
            out.append('    except TRAPCLS as e:')
            out.append('        if e.func_name is None: e.func_name = ' + f'NM{i}')
            out.append('        raise')
            if ctx.stats or big:
                out.append('    finally:')
                if ctx.stats:
                    out.append('        OBS.depth -= 1')
                if big:
                    out.append(f'        SD[0] -= {size}')
        if ctx.has_tail[i]:
            out.append(f'def F{i}({params}):')
            out.append(f'    r = _T{i}({params})')
            out.append('    while r.__class__ is TC:')
            out.append('        r = r.func.tplain(*r.args)')
            out.append('    return r')
    chunks.append(out)
    faults = set()
    ctx.line_offsets = {}
    for c, lines in enumerate(chunks):
        name = chunk_name(c)
        offsets = ctx.line_offsets[name] = array('q', bytes(8 * (len(lines) + 1)))
        at = -1
        for n, line in enumerate(lines, 1):
            if line.startswith('def '):
                at = -1
            fault, tag = line_marks(line)
            if fault:
                faults.add((name, n))
            if tag is not None:
                at = tag
            offsets[n] = at
    ctx.fault_lines = frozenset(faults)
    return ['\n'.join(lines) + '\n' for lines in chunks]


_MARKS = re.compile(r'  #(!?)(?:@(\d+))?$')


def line_marks(line: str) -> tuple[bool, int | None]:
    """The translator's end-of-line comment: FAULT_MARK (`  #!`: the line is a memory access or an
    unsigned division, see fault_handler) and `@offset` (the first line of the instruction at that byte
    offset of the module; lines without one belong to the instruction tagged last, which is how a trap's
    backtrace finds its instructions: vm.errors.Trap.frames)."""
    if '#' not in line:
        return False, None
    m = _MARKS.search(line)
    if m is None:
        return False, None
    return bool(m.group(1)), int(m.group(2)) if m.group(2) else None


def chunk_name(n: int) -> str:
    """The file name of translated chunk n (every name starts with `<wasm`)."""
    return f'<wasm {n}>'


def fault_handler(ns: dict, lines: frozenset):
    """FAULT(e, name) of translated code: the trap for a Python error raised by a memory access or an
    unsigned division itself, else `e` unchanged (a bug of the VM, which must not pass for a trap).

    Loads and stores run unchecked (`struct.unpack_from`, buffer indexing) and let CPython check the
    address: an out-of-bounds address raises struct.error/IndexError/OverflowError in C, so the
    innermost frame of the traceback is the translated function itself, at a line the translator
    marked as an access (FAULT_MARK). The same error from anywhere else (a runtime helper, a callee,
    an unmarked line) is not a trap."""
    def fault(e, name):
        tb = e.__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        frame = tb.tb_frame
        if frame.f_globals is ns and (frame.f_code.co_filename, tb.tb_lineno) in lines:
            msg = 'integer divide by zero' if isinstance(e, ZeroDivisionError) \
                else 'out of bounds memory access'
            trap = Trap(msg, name)
            trap.fault_line = (frame.f_code.co_filename, tb.tb_lineno)   # raised anew: keep the line
            return trap
        return e
    return fault
