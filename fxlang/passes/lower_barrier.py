"""lower-barrier: fxlang's `barrier` block (0xe7, a catch-all handler trapping on any suspension; only our VM
has it) -> standard WasmFX: the block's code runs as a continuation under a handler that traps on every tag.

Algorithm.  The tags to trap on are those of the module's `suspend` instructions (run after lower-switch, so
a fiber's switch counts): WasmFX has no catch-all handler, which is exactly what `barrier` adds, and a
suspension can only use a tag some `suspend` names.  For each `barrier bt <code> end`, innermost first:

* When no tag is ever suspended on, or <code> leaves the block other than by its end (a branch to an outer
  label, `return`, a tail call, `delegate`), it becomes `block bt <code> end`: nothing can suspend, or the
  code cannot become a function of its own (fxlang's `nosuspend` bodies that return or break out of it run
  inline like this on standard WasmFX, as they always have; docs/effects.md).
* Otherwise <code> is outlined into `nosuspend.body`: its parameters are the block's parameters and the
  locals <code> shares with the rest of the function (those read there, and those written there that have a
  default value), its results the block's results and the shared locals <code> writes; locals used only
  inside move into it.  `nosuspend.run` (same type) does `cont.new` of it and `resume`s it with one
  `(on $t $trap_t)` clause per tag; each clause drops what it receives and stops with "suspension across
  nosuspend" as a panic does (standard error through WASI fd_write, then proc_exit(1): docs/host.md), the
  two imported when missing (`unreachable` when the module has no memory 0 to put the message in).  The barrier becomes `local.get` of the shared
  locals, `call $nosuspend.run`, `local.set` of the written ones.  Like every function that calls a resume
  driver, the function gets a dead `cont.new` at its top (docs/codegen.md, "Engine constraints"); the driver
  itself holds only locals, blocks, branches, `resume` and the trap's call.
"""

from __future__ import annotations

import operator

from fxlang.passes import register
from fxlang.passes.resumes import keep_out_of_liftoff, tag_type
from fxlang.wasm import Instr, Module, RefType, ref
from fxlang.wasm.body import MemArg
from fxlang.wasm.module import Handle, Import
from fxlang.wasm import opcodes

MESSAGE = 'suspension across nosuspend'
_LOCAL_OPS = ('local.get', 'local.set', 'local.tee')
_LEAVES = ('return', 'return_call', 'return_call_indirect', 'return_call_ref', 'delegate')
_LABEL_KINDS = {name: tuple(k for k in op.kinds if k != 'castflags') for name, op in opcodes.OPS.items()}


@register('lower-barrier')
def lower_barrier(m: Module) -> Module:
    """`barrier` -> a continuation under a trapping handler.  Input: a valid module (fxlang's `barrier`
    allowed).  Output: the same module, changed in place, valid standard WasmFX with the same behaviour
    (a suspension across a former barrier traps "suspension across nosuspend"), holding no `barrier`;
    unchanged when it had none."""
    if not any(ins.op == 'barrier' for f in m.funcs for ins in f.body):
        return m
    tags = []
    for f in m.funcs:
        for ins in f.body:
            if ins.op == 'suspend' and operator.index(ins.imms[0]) not in tags:
                tags.append(operator.index(ins.imms[0]))
    lw = _Lowering(m, tags)
    i = 0
    while i < len(m.funcs.entries):            # outlined bodies are lowered too (nested barriers)
        f = m.funcs.entries[i]
        if any(ins.op == 'barrier' for ins in f.body):
            lw.function(f)
        i += 1
    return m


class _Lowering:
    def __init__(self, m, tags):
        self.m = m
        self.tags = [_handle(m, 'tag', t) for t in tags]
        self._panic = None
        self._kept_out: set = set()

    def function(self, f) -> None:
        while True:
            at = _innermost_barrier(f.body)
            if at is None:
                return
            start, end = at
            code = f.body[start + 1:end]
            bt = f.body[start].imms[0]
            if not self.tags or _leaves(code):
                f.body[start] = Instr('block', (bt,))
                continue
            f.body[start:end + 1] = self._outline(f, bt, code, start, end)
            if f not in self._kept_out:
                self._kept_out.add(f)
                f.body[0:0] = keep_out_of_liftoff(self.m)

    # ---- outlining ---------------------------------------------------------------------------------
    def _outline(self, f, bt, code, start, end) -> list:
        m = self.m
        params, results = _block_type(m, bt)
        nparams = len(f.params)
        all_types = list(f.params) + list(f.locals)
        inside_reads, inside_writes = set(), set()
        for ins in code:
            if ins.op == 'local.get':
                inside_reads.add(ins.imms[0])
            elif ins.op in ('local.set', 'local.tee'):
                inside_writes.add(ins.imms[0])
        used = inside_reads | inside_writes
        outside = {ins.imms[0] for k, ins in enumerate(f.body) if ins.op in _LOCAL_OPS and not start <= k <= end}
        shared = sorted(x for x in used if x < nparams or x in outside)
        private = sorted(x for x in used if x not in shared)
        passed = [x for x in shared if x in inside_reads or (x in inside_writes and _defaultable(all_types[x]))]
        outs = [x for x in passed if x in inside_writes]
        # the body: params = block params + shared locals in; results = block results + written locals
        body_t = m.types.func(list(params) + [all_types[x] for x in passed],
                              list(results) + [all_types[x] for x in outs])
        g = m.funcs.add(body_t, name='nosuspend.body')
        remap = {x: len(params) + k for k, x in enumerate(passed)}
        for x in private + [x for x in shared if x not in remap]:
            remap[x] = g.local(all_types[x])
        gb = [Instr('local.get', (k,)) for k in range(len(params))]
        gb.append(Instr('block', (bt,)))
        gb += [Instr(ins.op, (remap[ins.imms[0]],)) if ins.op in _LOCAL_OPS else ins for ins in code]
        gb.append(Instr('end', ()))
        gb += [Instr('local.get', (remap[x],)) for x in outs]
        g.body = gb
        run = self._runner(g, body_t)
        out = [Instr('local.get', (x,)) for x in passed]
        out.append(Instr('call', (run,)))
        out += [Instr('local.set', (x,)) for x in reversed(outs)]
        return out

    def _runner(self, g, body_t):
        """nosuspend.run: resume `g` as a continuation, trapping on every tag."""
        m = self.m
        ft = m.types.func_type(body_t)
        ct = m.types.cont(body_t)
        run = m.funcs.add(body_t, name='nosuspend.run')
        n = len(ft.params)
        b = []
        b.append(Instr('block', (None,)))                                     # $suspended
        labels = []
        for t in reversed(self.tags):                                         # the last tag's block outermost
            tft = tag_type(m, t)
            k = m.types.cont(m.types.func(list(tft.results), list(ft.results)))
            labels.append((t, list(tft.params) + [ref(k)]))
            b.append(Instr('block', (m.types.func([], list(tft.params) + [ref(k)]),)))
        labels.reverse()                                                      # innermost (first tag) first
        b += [Instr('local.get', (k,)) for k in range(n)]
        b += [Instr('ref.func', (g,)), Instr('cont.new', (ct,))]
        b.append(Instr('resume', (ct, tuple(('on', t, d) for d, (t, _) in enumerate(labels)))))
        b.append(Instr('return', ()))
        for d, (t, received) in enumerate(labels):
            b.append(Instr('end', ()))
            b += [Instr('drop', ()) for _ in received]
            b.append(Instr('br', (len(labels) - d - 1,)))                     # $suspended
        b.append(Instr('end', ()))
        b += self._trap()
        run.body = b
        return run

    def _trap(self) -> list:
        """Stop with MESSAGE as every fxlang panic does (docs/host.md, "Panics"): a call of `nosuspend.panic`,
        which writes "fxc: trap: MESSAGE" to standard error (WASI fd_write) and exits with status 1
        (proc_exit) — a call next to `resume` is fine for V8, a memory access is not."""
        m = self.m
        if len(m.memories) + m.imports.count('memory') == 0:
            return [Instr('unreachable', ())]
        if self._panic is None:
            wasi = 'wasi_snapshot_preview1'
            fd_write = _import_func(m, wasi, 'fd_write', m.types.func(['i32'] * 4, ['i32']))
            proc_exit = _import_func(m, wasi, 'proc_exit', m.types.func(['i32'], []))
            data = f'fxc: trap: {MESSAGE}\n'.encode()
            seg = m.datas.passive(data, name='nosuspend.message')
            m.data_count = True
            f = self._panic = m.funcs.add(m.types.func([], []), name='nosuspend.panic')
            f.body = [Instr('i32.const', (16,)), Instr('i32.const', (0,)), Instr('i32.const', (len(data),)),
                      Instr('memory.init', (seg, 0)),
                      Instr('i32.const', (0,)), Instr('i32.const', (16,)), Instr('i32.store', (MemArg(2),)),
                      Instr('i32.const', (0,)), Instr('i32.const', (len(data),)), Instr('i32.store', (MemArg(2, 4),)),
                      Instr('i32.const', (2,)), Instr('i32.const', (0,)), Instr('i32.const', (1,)),
                      Instr('i32.const', (8,)), Instr('call', (fd_write,)), Instr('drop', ()),
                      Instr('i32.const', (1,)), Instr('call', (proc_exit,)),
                      Instr('unreachable', ())]
        return [Instr('call', (self._panic,)), Instr('unreachable', ())]


def _innermost_barrier(body):
    """(index of a `barrier` holding no other barrier, index of its `end`), or None."""
    stack = []
    for i, ins in enumerate(body):
        if ins.op in opcodes.BLOCK_OPS:
            stack.append((ins.op, i, False))
        elif ins.op in opcodes.END_OPS:
            op, at, nested = stack.pop()
            if op == 'barrier' and not nested:
                return at, i
            if op == 'barrier' or nested:
                if stack:
                    stack[-1] = (stack[-1][0], stack[-1][1], True)
    return None


def _leaves(code) -> bool:
    """Whether `code` (a block's contents) transfers control out of the block other than by its end."""
    depth = 0
    for ins in code:
        op = ins.op
        if op in _LEAVES:
            return True
        for kind, imm in zip(_LABEL_KINDS[op], ins.imms):
            if kind == 'label' and imm > depth:
                return True
            if kind == 'labels' and any(x > depth for x in imm):
                return True
            if kind in ('catches', 'handlers'):
                if any(isinstance(c[-1], int) and c[0] not in ('switch',) and c[-1] > depth for c in imm):
                    return True
        if op in opcodes.BLOCK_OPS:
            depth += 1
        elif op in opcodes.END_OPS:
            depth -= 1
    return False


def _block_type(m, bt):
    if bt is None:
        return (), ()
    if isinstance(bt, int):
        ft = m.types.func_type(bt)
        return ft.params, ft.results
    return (), (bt,)


def _defaultable(t) -> bool:
    return not isinstance(t, RefType) or t.nullable


def _handle(m, kind, idx):
    """A handle for index `idx` of `kind` (one that keeps pointing at the same entity when imports are added)."""
    if type(idx) is not int:
        return idx
    n = m.imports.count(kind)
    return Handle(m, kind, idx, True) if idx < n else Handle(m, kind, idx - n, False)


def _import_func(m, module, field, type_idx):
    """The function imported as module.field (of type `type_idx`), imported when missing.  Adding an import
    shifts every defined function's index, so plain int references (a module read from a binary) are turned
    into handles first."""
    n = 0
    for imp in m.imports:
        if imp.kind == 'func':
            if (imp.module, imp.field) == (module, field):
                return Handle(m, 'func', n, True)
            n += 1
    _func_handles(m)
    return m.imports.add(Import(module, field, 'func', operator.index(type_idx)), name=f'{module}.{field}')


def _func_handles(m) -> None:
    def h(x):
        return _handle(m, 'func', x) if type(x) is int else x

    def code(instrs):
        if not instrs:
            return instrs
        out = []
        for ins in instrs:
            kinds = _LABEL_KINDS[ins.op]
            if 'func' in kinds:
                ins = Instr(ins.op, tuple(h(v) if k == 'func' else v for k, v in zip(kinds, ins.imms)))
            out.append(ins)
        return out
    for f in m.funcs:
        f.body = code(f.body)
    for gl in m.globals:
        gl.init = code(gl.init)
    for t in m.tables:
        t.init = code(t.init)
    for e in m.elements:
        if e.funcs is not None:
            e.funcs = [h(x) for x in e.funcs]
        if e.exprs is not None:
            e.exprs = [code(x) for x in e.exprs]
    for e in m.exports:
        if e.kind == 'func':
            e.index = h(e.index)
    if m.start is not None:
        m.start = h(m.start)
    names = m.names
    for attr in ('funcs', 'locals', 'labels'):
        d = getattr(names, attr)
        setattr(names, attr, {h(k): v for k, v in d.items()})
