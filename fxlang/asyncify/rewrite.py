"""The rewrite of one function body: points get unwind and rewind code, stack-switching instructions become
calls into the runtime (runtime.py) over the objects of layout.py.

Unwinding.  After a point (a call that may unwind, a resume a suspension may pass through, a suspend, a
switch) the code checks `$state`: if UNWIND, the function drops the call's dummy results, pushes its frame
(`struct.new $F_f` of the point's number and the locals live after it) on the chain in `$frames`, and
returns dummy results.  User `try_table`s never see any of this: unwinding is ordinary returns.

Operand stacks.  A frame can only save locals, so nothing of the *level* that holds a point or a construct
containing one may lie under it: those values (known from stack_types) are spilled to fresh locals before
and reloaded after ("flattening at points only").  The values of enclosing levels are handled the same way
by the construct rule, so a point's saved state is exactly locals.

Rewinding.  Points are numbered in body order, so the points of any construct form a range.  The prologue of
an instrumented function, if `$state` is REWIND, pops its frame, restores the locals and sets `$rp` to the
point.  Each instruction sequence that contains points starts with a dispatch: if `$rp` is set, drop the
sequence's params and branch forward to just before the child that contains `$rp`, carrying dummy inputs for
it — the child's own dispatch goes on from there (an `if` gets the condition that selects the right arm).
Forward branches need blocks: the sequence's prefix up to each such child is wrapped in a block whose
results are the child's inputs.  Arriving at the point itself, `$rp` is cleared and the call is made again
with dummy arguments (a `call_ref`/`call_indirect`'s callee is saved in the frame); the callee rewinds the
same way, down to the suspension, which switches back to NORMAL and returns the resume values (or throws).
In normal mode the cost is one `local.get $rp; if` per sequence holding points (per iteration in a loop) and
one `global.get $state; if` after each point.
"""

from __future__ import annotations

import operator

from fxlang.wasm import Instr, RefType, ref, ref_null

from . import tree
from .analysis import Analysis
from .layout import STRUCT, Layout, LowerError, nullable
from .liveness import live_after
from .runtime import REWIND, UNWIND, Runtime
from .stack_types import FuncTyping
from .tree import FUNCTION, Construct, Emitter, Leaf

SAVE = 'asyncify.save'          # a marker replaced by the frame save once the frame's fields are known
RESTORE = 'asyncify.restore'

SITE_OPS = frozenset({'cont.new', 'cont.bind', 'suspend', 'switch', 'resume', 'resume_throw', 'resume_throw_ref'})
CALL_POINTS = frozenset({'call', 'call_ref', 'call_indirect'})
TAIL = {'return_call': 'call', 'return_call_ref': 'call_ref', 'return_call_indirect': 'call_indirect'}


def needs_rewrite(body: list) -> bool:
    return any(i.op in SITE_OPS or i.op == 'barrier' for i in body)


class FunctionRewrite:
    def __init__(self, m, layout: Layout, runtime: Runtime, analysis: Analysis, func, funcidx: int,
                 typing: FuncTyping, name: str):
        self.m, self.L, self.rt, self.an = m, layout, runtime, analysis
        self.f, self.fidx, self.t, self.name = func, funcidx, typing, name
        self.nparams = len(func.params)
        self.instrumented = analysis.instrumented(funcidx)
        self.nodes = tree.parse(func.body)
        self.points: dict[int, int] = {}          # body index -> point number (1-based, body order)
        self.ranges: dict[Construct, tuple] = {}  # construct -> (first, last) point number inside
        self.then_ranges: dict[Construct, tuple] = {}
        if self.instrumented:
            self._number(self.nodes, in_barrier=False)
        self.live = live_after(m, func) if self.points else None
        self.nonnull: set[int] = set()
        if self.instrumented:
            for k, v in enumerate(func.locals):
                if isinstance(v, RefType) and not v.nullable:
                    func.locals[k] = nullable(v)
                    self.nonnull.add(self.nparams + k)
        self.E = Emitter()
        self.spilled: list[list] = []             # spill locals of the enclosing targets
        self.saved: dict[int, list] = {}          # point -> locals to save (beyond the live originals)
        self.callee: dict[int, int] = {}          # point -> local holding its callee / table index
        self.barriers: list = []                  # (position in open_labels, depth local)
        self.rp = self.fr = self.hd = None

    # -- numbering -----------------------------------------------------------------------------------

    def _is_point(self, n: Leaf) -> bool:
        ins = n.instr
        op = TAIL.get(ins.op, ins.op)
        if op in CALL_POINTS or op in ('suspend', 'switch', 'resume', 'resume_throw', 'resume_throw_ref'):
            return bool(self.an.escaping(Instr(ins.op, ins.imms)))
        return False

    def _number(self, nodes, in_barrier: bool) -> None:
        for n in nodes:
            if self.t.before[n.index] is None:
                continue
            if isinstance(n, Leaf):
                if not in_barrier and self._is_point(n):
                    self.points[n.index] = len(self.points) + 1
                continue
            first = len(self.points) + 1
            inner = in_barrier or n.op == 'barrier'
            self._number(n.body, inner)
            if n.op == 'if':
                self.then_ranges[n] = (first, len(self.points))
            if n.else_body is not None:
                self._number(n.else_body, inner)
            for _, _, h in n.handlers:
                before = len(self.points)
                self._number(h, inner)
                if len(self.points) != before:
                    raise LowerError(f'function {self.name}: a suspension may pass through a legacy `catch` '
                                     f'handler (unsupported: use try_table)')
            if len(self.points) >= first:
                self.ranges[n] = (first, len(self.points))

    def _is_target(self, n) -> bool:
        return (n.index in self.points) if isinstance(n, Leaf) else (n in self.ranges)

    # -- helpers ----------------------------------------------------------------------------------------

    def bt(self, params, results):
        params, results = tuple(params), tuple(results)
        if not params and not results:
            return None
        if not params and len(results) == 1:
            return results[0]
        return self.L.func_type(params, results)

    def local(self, t, name=None) -> int:
        return self.f.local(nullable(t), name)

    def emit_all(self, instrs) -> None:
        for ins in instrs:
            self.E.out.append(ins)

    def dummies(self, types) -> None:
        for t in types:
            self.emit_all(self.L.dummy(t))

    def get(self, idx: int, t) -> None:
        """Read a local holding a value of type t (non-null types were stored nullable)."""
        self.E.emit('local.get', idx)
        if isinstance(t, RefType) and not t.nullable:
            self.E.emit('ref.as_non_null')

    def block_types(self, n: Construct):
        b = self.t.blocks[n.index]
        return b.params, b.results

    def label_types(self, target):
        if target is FUNCTION:
            return tuple(self.f.results)
        params, results = self.block_types(target)
        return params if target.op == 'loop' else results

    def after(self, n) -> tuple:
        """The full stack just after node n."""
        i = (n.end if isinstance(n, Construct) else n.index) + 1
        if i < len(self.t.before):
            s = self.t.before[i]
            if s is not None:
                return s
        if i >= len(self.t.before) and self.t.end_stack is not None:
            return self.t.end_stack
        raise LowerError(f'function {self.name}: cannot type the code after instruction {i - 1}')

    def inputs(self, n) -> tuple:
        """The types a target consumes from its level (a construct's params and an if's condition)."""
        stack = self.t.before[n.index]
        if isinstance(n, Construct):
            params, _ = self.block_types(n)
            k = len(params) + (1 if n.op == 'if' else 0)
        else:
            k = self._operand_count(n.instr)
        return tuple(stack[len(stack) - k:]) if k else ()

    def _operand_count(self, ins: Instr) -> int:
        op = TAIL.get(ins.op, ins.op)
        types = self.m.types
        if op == 'call':
            return len(self.m.func_type_of(ins.imms[0]).params)
        if op == 'call_ref':
            return len(types.func_type(ins.imms[0]).params) + 1
        if op == 'call_indirect':
            return len(types.func_type(ins.imms[0]).params) + 1
        if op == 'suspend':
            return len(types.func_type(self.m_tag_type(ins.imms[0])).params)
        if op == 'switch':
            return len(self.L.cont_func(ins.imms[0]).params)
        if op == 'resume':
            return len(self.L.cont_func(ins.imms[0]).params) + 1
        if op == 'resume_throw':
            return len(types.func_type(self.m_tag_type(ins.imms[1])).params) + 1
        if op == 'resume_throw_ref':
            return 2
        raise LowerError(f'not a point: {op}')

    def m_tag_type(self, tag) -> int:
        t = operator.index(tag)
        imported = self.m.imports.of_kind('tag')
        if t < len(imported):
            return imported[t].desc
        return self.m.tags.entries[t - len(imported)].type

    # -- the function -----------------------------------------------------------------------------------

    def run(self) -> list:
        E = self.E
        if self.points:
            self.rp = self.f.local('i32', 'asyncify.rp')
            self.fr = None
            E.emit('global.get', self.L.state)
            E.emit('i32.const', REWIND)
            E.emit('i32.eq')
            E.block('if', None)
            E.out.append(Instr(RESTORE, ()))
            E.close()
        self.seq(self.nodes, (), 0)
        out = E.out
        if self.points:
            out = self._fill_frames(out)
        names = self.m.names.labels
        names.pop(self.f, None)
        return out

    def _fill_frames(self, out: list) -> list:
        fields: list[int] = []
        seen: set[int] = set()
        per_point: dict[int, list] = {}
        locs = list(self.f.params) + list(self.f.locals)
        for idx, p in self.points.items():
            live = set(self.live[idx]) | set(self.saved.get(p, ()))
            live.discard(self.rp)
            per_point[p] = live
            for l in sorted(live):
                if l not in seen:
                    seen.add(l)
                    fields.append(l)
        ftype = self.L.frame_type([locs[l] for l in fields])
        self.m.names.types.setdefault(ftype, f'asyncify.frame.{self.name}')
        fr = self.f.local(ref_null(ftype), 'asyncify.frame')
        params = list(self.f.params)
        result = []
        for ins in out:
            if ins.op == SAVE:
                p = ins.imms[0]
                live = per_point[p]
                result.append(Instr('global.get', (self.L.frames,)))
                result.append(Instr('i32.const', (p,)))
                for l in fields:
                    # a non-null parameter is restored with ref.as_non_null: give it its (valid) value even
                    # where it is dead, rather than a null
                    if l in live or (l < len(params) and isinstance(params[l], RefType) and not params[l].nullable):
                        result.append(Instr('local.get', (l,)))
                    else:
                        result.extend(self.L.dummy(nullable(locs[l])))
                result.append(Instr('struct.new', (ftype,)))
                result.append(Instr('global.set', (self.L.frames,)))
            elif ins.op == RESTORE:
                result += [Instr('global.get', (self.L.frames,)), Instr('ref.cast', (ftype,)),
                           Instr('local.tee', (fr,)), Instr('struct.get', (ftype, 0)),
                           Instr('global.set', (self.L.frames,))]
                for k, l in enumerate(fields):
                    result += [Instr('local.get', (fr,)), Instr('struct.get', (ftype, 2 + k))]
                    if l < len(params) and isinstance(params[l], RefType) and not params[l].nullable:
                        result.append(Instr('ref.as_non_null', ()))
                    result.append(Instr('local.set', (l,)))
                result += [Instr('local.get', (fr,)), Instr('struct.get', (ftype, 1)),
                           Instr('local.set', (self.rp,))]
            else:
                result.append(ins)
        return result

    # -- sequences ------------------------------------------------------------------------------------------

    def seq(self, nodes: list, params: tuple, base: int) -> None:
        E = self.E
        items = [n for n in nodes if self.t.before[n.index] is not None]
        targets = [n for n in items if self._is_target(n)] if self.points else []
        if not targets:
            for n in items:
                self.node(n, base)
            return
        labels = {}
        for n in reversed(targets):
            labels[n] = E.block('block', self.bt(params, self.inputs(n)))
            if self._indirect(n):            # its callee is saved in the frame: the dispatch reads it
                self.callee[self.points[n.index]] = self.local(self.inputs(n)[-1], 'asyncify.callee')
        self.dispatch(params, targets, labels)
        for n in items:
            if n in labels:
                if n.instr.loc is not None:
                    E.loc = n.instr.loc       # spills, the point and reloads come from n's source place
                spills = self.spill(n, base)
                E.close()
                self.spilled.append(spills)
                if isinstance(n, Construct):
                    self.construct(n)
                else:
                    self.point(n)
                self.spilled.pop()
                self.reload(n, base, spills)
            else:
                self.node(n, base)

    def dispatch(self, params, targets, labels) -> None:
        E = self.E
        E.emit('local.get', self.rp)
        E.block('if', self.bt(params, params))
        for _ in params:
            E.emit('drop')
        for k, n in enumerate(targets):
            last = k == len(targets) - 1
            if not last:
                hi = self.points[n.index] if isinstance(n, Leaf) else self.ranges[n][1]
                E.emit('local.get', self.rp)
                E.emit('i32.const', hi)
                E.emit('i32.le_u')
                E.block('if', None)
            self.rewind_inputs(n)
            E.emit('br', E.depth(labels[n]))
            if not last:
                E.close()
        E.close()

    def rewind_inputs(self, n) -> None:
        """Dummy inputs for the target n while rewinding (and what selects the way into it)."""
        E = self.E
        inputs = self.inputs(n)
        if isinstance(n, Construct):
            if n.op == 'if':
                self.dummies(inputs[:-1])
                first, last = self.then_ranges.get(n, (1, 0))
                if last >= first:
                    E.emit('local.get', self.rp)
                    E.emit('i32.const', last)
                    E.emit('i32.le_u')
                else:
                    E.emit('i32.const', 0)
            else:
                self.dummies(inputs)
            return
        E.emit('i32.const', 0)
        E.emit('local.set', self.rp)
        p = self.points[n.index]
        if p in self.callee:
            self.dummies(inputs[:-1])
            self.get(self.callee[p], inputs[-1])
        else:
            self.dummies(inputs)

    def spill(self, n, base: int) -> list:
        """Spill the level's values under target n (and an indirect call's callee) to locals."""
        E = self.E
        stack = self.t.before[n.index]
        level = stack[base:]
        inputs = self.inputs(n)
        under = level[:len(level) - len(inputs)]
        indirect = self._indirect(n)
        if not under and not indirect:
            return []
        temps = [self.local(t) for t in inputs]
        if indirect:
            temps[-1] = self.callee[self.points[n.index]]
        spills = [(self.local(t, 'asyncify.spill'), t) for t in under]
        for l in reversed(temps):
            E.emit('local.set', l)
        for l, _ in reversed(spills):
            E.emit('local.set', l)
        for l, t in zip(temps, inputs):
            self.get(l, t)
        return spills

    @staticmethod
    def _indirect(n) -> bool:
        return isinstance(n, Leaf) and TAIL.get(n.instr.op, n.instr.op) in ('call_ref', 'call_indirect')

    def reload(self, n, base: int, spills: list) -> None:
        if not spills:
            return
        E = self.E
        after = self.after(n)
        results = after[base + len(spills):]
        temps = [self.local(t) for t in results]
        for l in reversed(temps):
            E.emit('local.set', l)
        for l, t in spills:
            self.get(l, t)
        for l, t in zip(temps, results):
            self.get(l, t)

    # -- nodes ------------------------------------------------------------------------------------------------

    def node(self, n, base: int) -> None:
        if n.instr.loc is not None:
            self.E.loc = n.instr.loc          # the code made for `n` comes from n's source place
        if isinstance(n, Construct):
            self.construct(n)
        else:
            self.leaf(n)

    def construct(self, n: Construct) -> None:
        E = self.E
        b = self.t.blocks[n.index]
        if n.op == 'barrier':
            self.barrier(n)
            return
        E.open(n.instr, n)
        self.seq(n.body, b.params, b.base)
        if n.else_body is not None:
            E.middle('else')
            self.seq(n.else_body, b.params, b.base)
        for ins, _, h in n.handlers:
            E.out.append(ins)
            self.seq(h, (), b.base)                    # legacy catch bodies hold no points (see _number)
        E.close(n.closing if n.closing is not None and n.closing.op == 'delegate' else None)

    def leaf(self, n: Leaf) -> None:
        E = self.E
        ins = n.instr
        op = ins.op
        if op in SITE_OPS:
            getattr(self, 'site_' + op.replace('.', '_'))(n, point=False)
            return
        if op in ('local.get', 'local.tee') and ins.imms[0] in self.nonnull:
            E.instr(ins)
            E.emit('ref.as_non_null')
            return
        if self.barriers:
            self.barrier_exit(ins)
            return
        E.instr(ins)

    # -- points --------------------------------------------------------------------------------------------

    def point(self, n: Leaf) -> None:
        ins = n.instr
        op = TAIL.get(ins.op, ins.op)
        if op in SITE_OPS:
            getattr(self, 'site_' + op.replace('.', '_'))(n, point=True)
            return
        self.E.instr(Instr(op, ins.imms, ins.loc))
        results = self.m.func_type_of(ins.imms[0]).results if op == 'call' \
            else self.m.types.func_type(ins.imms[0]).results
        self.unwind_check(results, self.points[n.index])
        if ins.op in TAIL:
            self.E.emit('return')

    def note_saved(self, p: int) -> None:
        extra = [l for spills in self.spilled for l, _ in spills]
        if p in self.callee:
            extra.append(self.callee[p])
        self.saved[p] = extra

    def unwind_check(self, results, p: int) -> None:
        """After a point: if unwinding, save the frame and return."""
        E = self.E
        self.note_saved(p)
        E.emit('global.get', self.L.state)
        E.block('if', self.bt(results, results))
        for _ in results:
            E.emit('drop')
        self.save_and_return(p)
        E.close()

    def save_and_return(self, p: int) -> None:
        E = self.E
        if p not in self.saved:
            self.note_saved(p)
        E.out.append(Instr(SAVE, (p,)))
        self.dummies(self.f.results)
        E.emit('return')

    # -- stack switching --------------------------------------------------------------------------------------

    def site_cont_new(self, n: Leaf, point: bool) -> None:
        E, L = self.E, self.L
        c = operator.index(n.instr.imms[0])
        fn = self.local(ref_null(L.conts[c]))
        E.emit('local.tee', fn)
        E.emit('ref.is_null')
        E.block('if', None)
        E.emit('call', self.rt.trap('null function reference'))
        E.close()
        E.emit('i32.const', 0)
        E.emit('ref.func', self.rt.enter_new(c))
        E.emit('local.get', fn)
        E.emit('ref.as_non_null')
        E.emit('struct.new', L.new_type(c))

    def site_cont_bind(self, n: Leaf, point: bool) -> None:
        E, L = self.E, self.L
        c1, c2 = (operator.index(x) for x in n.instr.imms)
        ft1, ft2 = L.cont_func(c1), L.cont_func(c2)
        bound = ft1.params[:len(ft1.params) - len(ft2.params)]
        k = self.local(ref_null(c1))
        temps = [self.local(t) for t in bound]
        E.emit('local.set', k)
        for l in reversed(temps):
            E.emit('local.set', l)
        self.rt.check_and_consume(self.E, k, c1)
        E.emit('i32.const', 0)
        E.emit('ref.func', self.rt.enter_bind(c1, c2))
        E.emit('local.get', k)
        E.emit('ref.as_non_null')
        for l, t in zip(temps, bound):
            self.get(l, t)
        E.emit('struct.new', L.bind_type(c1, c2))

    def _find_or_trap(self, code: int, tag) -> None:
        """depth of the handler for `code` into $target, or trap (nothing is unwound yet)."""
        E, L = self.E, self.L
        d = self.local('i32')
        E.emit('i32.const', code)
        E.emit('call', self.rt.find)
        E.emit('local.tee', d)
        E.emit('i32.const', 0)
        E.emit('i32.lt_s')
        E.block('if', None)
        E.emit('local.get', d)
        E.emit('i32.const', -1)
        E.emit('i32.eq')
        E.block('if', None)
        E.emit('call', self.rt.trap('unhandled tag' + self._tag_suffix(tag)))
        E.close()
        E.emit('call', self.rt.trap('suspension across barrier'))
        E.close()
        E.emit('local.get', d)
        E.emit('global.set', L.target)
        E.emit('i32.const', code)
        E.emit('global.set', L.code)
        E.emit('i32.const', UNWIND)
        E.emit('global.set', L.state)

    def _tag_suffix(self, tag) -> str:
        name = self.m.names.tags.get(operator.index(tag))
        if name is None:
            for h, nm in self.m.names.tags.items():
                if operator.index(h) == operator.index(tag):
                    name = nm
        return f' ${name}' if name else ''

    def _arrive(self, results) -> None:
        """The suspension reached while rewinding: back to normal; throw a pending exception or return the
        resume values."""
        E, L = self.E, self.L
        E.emit('i32.const', 0)
        E.emit('global.set', L.state)
        E.emit('global.get', L.exn)
        E.emit('ref.is_null')
        E.emit('i32.eqz')
        E.block('if', None)
        E.emit('global.get', L.exn)
        E.emit('ref.null', 'exn')
        E.emit('global.set', L.exn)
        E.emit('throw_ref')
        E.close()
        for g, t in zip(L.slots(results), results):
            E.emit('global.get', g)
            if isinstance(t, RefType) and not t.nullable:
                E.emit('ref.as_non_null')

    def site_suspend(self, n: Leaf, point: bool) -> None:
        E, L = self.E, self.L
        tag = n.instr.imms[0]
        ft = self.m.types.func_type(self.m_tag_type(tag))
        code = self.an.code(n.instr)
        if point:
            E.emit('global.get', L.state)
            E.emit('i32.const', REWIND)
            E.emit('i32.eq')
            E.block('if', self.bt(ft.params, ft.results))
            for _ in ft.params:
                E.emit('drop')
            self._arrive(ft.results)
            E.middle('else')
        for g in reversed(L.slots(ft.params)):
            E.emit('global.set', g)
        self._find_or_trap(code, tag)
        if point:
            self.save_and_return(self.points[n.index])
            E.close()
        else:
            E.emit('unreachable')

    def site_switch(self, n: Leaf, point: bool) -> None:
        E, L, rt = self.E, self.L, self.rt
        c1 = operator.index(n.instr.imms[0])
        tag = n.instr.imms[1]
        ft1 = L.cont_func(c1)
        c2 = ft1.params[-1].heap
        ft2 = L.cont_func(c2)
        code = self.an.code(n.instr)
        ins = self.inputs(n) if self.t.before[n.index] is not None else ()
        if point:
            E.emit('global.get', L.state)
            E.emit('i32.const', REWIND)
            E.emit('i32.eq')
            E.block('if', self.bt(ins, ft2.params))
            for _ in ins:
                E.emit('drop')
            self._arrive(ft2.params)
            E.middle('else')
        tt = rt.thunk_type(c1)
        target = self.local(ref_null(c1))
        args = [self.local(t) for t in ft1.params[:-1]]
        E.emit('local.set', target)
        for l in reversed(args):
            E.emit('local.set', l)
        E.emit('ref.func', rt.apply(c1))
        E.emit('local.get', target)
        for l in args:
            E.emit('local.get', l)
        E.emit('struct.new', tt)
        E.emit('global.set', L.thunk)
        self._find_or_trap(code, tag)
        if point:
            self.save_and_return(self.points[n.index])
            E.close()
        else:
            E.emit('unreachable')

    def site_resume(self, n: Leaf, point: bool) -> None:
        self._resume(n, point)

    def site_resume_throw(self, n: Leaf, point: bool) -> None:
        self._resume(n, point)

    def site_resume_throw_ref(self, n: Leaf, point: bool) -> None:
        self._resume(n, point)

    def _resume(self, n: Leaf, point: bool) -> None:
        E, L, rt = self.E, self.L, self.rt
        ins = n.instr
        op = ins.op
        c = operator.index(ins.imms[0])
        clauses = ins.imms[-1]
        ft = L.cont_func(c)
        R = ft.results
        site = rt.new_site(self.an.handled(Instr(op, ins.imms)))
        if self.hd is None:
            self.hd = self.f.local('i32', 'asyncify.hd')
        hd = self.hd
        first = self.local('i32')
        k = self.local(ref_null(c))
        if op == 'resume':
            operand_types = ft.params
        elif op == 'resume_throw':
            operand_types = self.m.types.func_type(self.m_tag_type(ins.imms[1])).params
        else:
            operand_types = (RefType('exn', True),)
        temps = [self.local(t) for t in operand_types]
        E.emit('local.set', k)
        for l in reversed(temps):
            E.emit('local.set', l)
        E.emit('i32.const', 1)
        E.emit('local.set', first)
        done = E.block('block', self.bt((), R))
        exn = E.block('block', RefType('exn', True))
        again = E.block('loop', None)
        E.open(Instr('try_table', (self.bt((), R), (('catch_all_ref', exn),))), object())
        # -- entering
        E.emit('global.get', L.hsp)
        E.emit('local.set', hd)
        E.emit('i32.const', site)
        E.emit('call', rt.push)
        E.emit('local.get', first)
        E.block('if', self.bt((), R))
        if point:
            E.emit('global.get', L.state)
            E.emit('i32.const', REWIND)
            E.emit('i32.eq')
            E.block('if', self.bt((), R))
            bf = self.local(ref_null(L.bottom_type(R)))
            self.rt.pop_bottom(self.E, bf, R)          # the Emitter takes emit() as a Function does
            E.middle('else')
        self.rt.check_and_consume(self.E, k, c)
        if op == 'resume':
            for l, t in zip(temps, operand_types):
                self.get(l, t)
        else:
            if op == 'resume_throw':
                blk = E.block('block', RefType('exn', True))
                E.open(Instr('try_table', (None, (('catch_all_ref', blk),))), object())
                for l, t in zip(temps, operand_types):
                    self.get(l, t)
                E.emit('throw', ins.imms[1])
                E.close()
                E.emit('unreachable')
                E.close()
            else:
                E.emit('local.get', temps[0])
            E.emit('global.set', L.exn)
            self.dummies(ft.params)
        E.emit('local.get', k)
        E.emit('ref.as_non_null')
        E.emit('local.get', k)
        E.emit('struct.get', c, 1)
        E.emit('ref.cast', ref(L.enter_type(c)))
        E.emit('call_ref', L.enter_type(c))
        if point:
            E.close()
        # -- a switch handled here: the target is entered with the switcher's continuation
        E.middle('else')
        has_switch = any(cl[0] == 'switch' for cl in clauses)
        if has_switch:
            E.emit('global.get', L.frames)
            E.emit('ref.null', L.frame)
            E.emit('global.set', L.frames)
            E.emit('global.get', L.thunk)
            E.emit('ref.as_non_null')
            E.emit('global.get', L.thunk)
            E.emit('ref.cast', ref(L.switch_base(R)))
            E.emit('struct.get', L.switch_base(R), 0)
            E.emit('call_ref', L.apply_type(R))
        else:
            E.emit('unreachable')
        E.close()
        E.close()                                       # try_table
        # -- after: finished, or unwinding
        E.emit('global.get', L.state)
        E.block('if', self.bt(R, R))
        for _ in R:
            E.emit('drop')
        E.emit('global.get', L.target)
        E.emit('local.get', hd)
        E.emit('i32.eq')
        E.block('if', None)
        E.emit('local.get', hd)
        E.emit('global.set', L.hsp)
        E.emit('i32.const', 0)
        E.emit('global.set', L.state)
        for cl in clauses:
            tag = cl[1]
            code = operator.index(tag) + (self.an.ntags if cl[0] == 'switch' else 0)
            E.emit('global.get', L.code)
            E.emit('i32.const', code)
            E.emit('i32.eq')
            E.block('if', None)
            if cl[0] == 'switch':
                E.emit('i32.const', 0)
                E.emit('local.set', first)
                E.emit('br', E.depth(again))
            else:
                self._deliver(cl)
            E.close()
        E.emit('unreachable')
        E.close()
        if point:
            E.emit('local.get', hd)
            E.emit('global.set', L.hsp)
            self.note_saved(self.points[n.index])
            self.save_and_return(self.points[n.index])
        else:
            E.emit('unreachable')
        E.close()
        E.emit('local.get', hd)
        E.emit('global.set', L.hsp)
        E.emit('br', E.depth(done))
        E.close()                                       # loop
        E.emit('unreachable')
        E.close()                                       # exn
        E.emit('local.get', hd)
        E.emit('global.set', L.hsp)
        E.emit('throw_ref')
        E.close()                                       # done

    def _deliver(self, clause) -> None:
        """A suspension handled by (on $t $l): payload and the captured continuation, then branch to $l."""
        E, L = self.E, self.L
        tag, target = clause[1], clause[2]
        if self.barriers and self._crosses(target):
            raise LowerError(f'function {self.name}: a resume handler inside a barrier branches out of it '
                             f'(unsupported)')
        tp = self.m.types.func_type(self.m_tag_type(tag)).params
        for g, t in zip(L.slots(tp), tp):
            E.emit('global.get', g)
            if isinstance(t, RefType) and not t.nullable:
                E.emit('ref.as_non_null')
        lt = self.label_types(target)
        c2 = lt[-1].heap
        E.emit('i32.const', 0)
        E.emit('ref.func', self.rt.enter_cap(c2))
        E.emit('global.get', L.frames)
        E.emit('struct.new', L.cap_type(c2))
        E.emit('ref.null', L.frame)
        E.emit('global.set', L.frames)
        E.emit('br', E.depth(target))

    # -- barrier ------------------------------------------------------------------------------------------------

    def barrier(self, n: Construct) -> None:
        E, L = self.E, self.L
        params, results = self.block_types(n)
        b = self.t.blocks[n.index]
        bd = self.f.local('i32', 'asyncify.barrier')
        E.emit('global.get', L.hsp)
        E.emit('local.set', bd)
        E.emit('i32.const', 0)
        E.emit('call', self.rt.push)
        E.block('block', self.bt(params, results), label=n)
        self.barriers.append((len(E.open_labels) - 1, bd))
        exn = E.block('block', self.bt(params, (RefType('exn', True),)))
        E.open(Instr('try_table', (self.bt(params, results), (('catch_all_ref', exn),))), object())
        self.seq(n.body, b.params, b.base)
        E.close()
        self.barriers.pop()
        E.emit('local.get', bd)
        E.emit('global.set', L.hsp)
        E.emit('br', E.depth(n))
        E.close()
        E.emit('local.get', bd)
        E.emit('global.set', L.hsp)
        E.emit('throw_ref')
        E.close()

    def _crosses(self, target):
        """The outermost barrier a branch to `target` leaves (its depth local), or None."""
        pos = -1 if target is FUNCTION else next(i for i, l in enumerate(self.E.open_labels) if l is target)
        for bpos, bd in self.barriers:
            if pos <= bpos:
                return bd
        return None

    def barrier_exit(self, ins: Instr) -> None:
        """An instruction inside a barrier body: a branch out of the barrier first restores the handler stack."""
        E, L = self.E, self.L
        op = ins.op
        if op in ('return', 'return_call', 'return_call_ref', 'return_call_indirect'):
            bd = self.barriers[0][1]
            E.emit('local.get', bd)
            E.emit('global.set', L.hsp)
            E.instr(ins)
            return
        if op in ('br', 'br_if'):
            bd = self._crosses(ins.imms[0])
            if bd is None:
                E.instr(ins)
                return
            if op == 'br':
                E.emit('local.get', bd)
                E.emit('global.set', L.hsp)
                E.instr(ins)
                return
            lt = self.label_types(ins.imms[0])
            E.block('if', self.bt(lt, lt))
            E.emit('local.get', bd)
            E.emit('global.set', L.hsp)
            E.instr(Instr('br', ins.imms))
            E.close()
            return
        labels = []
        if op == 'br_table':
            labels = list(ins.imms[0]) + [ins.imms[1]]
        elif op in ('br_on_null', 'br_on_non_null', 'br_on_cast', 'br_on_cast_fail'):
            labels = [ins.imms[0]]
        if any(self._crosses(t) is not None for t in labels):
            raise LowerError(f'function {self.name}: {op} branches out of a barrier (unsupported)')
        E.instr(ins)
