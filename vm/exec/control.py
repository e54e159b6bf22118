"""Structured control of the translator: blocks, loops, if, try_table, barrier, branches, return.

A mixin of FuncTranslator (vm/exec/translate.py), which holds the state it uses."""

from __future__ import annotations

import re


MAX_BLOCKS = 16      # Python block statements per code object we allow (CPython's limit: 20)
MAX_INDENT = 40      # indentation levels before a construct moves out (CPython's limit: 100)


class Ctl:
    """One structured construct being translated."""

    __slots__ = ('kind', 'id', 'params', 'results', 'pyloop', 'crossing', 'height',
                 'used', 'indent', 'else_entries', 'live_at_entry', 'arm_start', 'handlers',
                 'closure', 'body_start', 'saved_blocks', 'blocks', 'facts', 'cond', 'start')

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
        self.else_entries = None
        self.live_at_entry = True
        self.arm_start = 0
        self.handlers = None
        self.closure = False
        self.body_start = 0
        self.saved_blocks = 0
        self.blocks = 0
        self.facts = None           # the range facts at its start (vm/exec/ranges.py)
        self.cond = None            # an if: its condition
        self.start = None           # its instruction index

    def label_arity(self):
        return len(self.params) if self.kind == 'loop' else len(self.results)

    def label_vars(self):
        if self.kind == 'loop':
            return [f'p{self.id}_{j}' for j in range(len(self.params))]
        return [f'b{self.id}_{j}' for j in range(len(self.results))]


class ControlOps:
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
        c.start = self.index
        if kind == 'loop':          # the back edges come from code not translated yet
            self.facts = self.kept_facts(self.facts, c.start)
        c.facts = dict(self.facts)
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
        c.cond = cond[0]
        self.assume(cond[0], True)

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
        self.facts = dict(c.facts)
        self.assume(c.cond, False)

    def op_end(self, ins):
        c = self.ctl[-1]
        # a join with the branches to this end: what held at the start about locals never assigned;
        # after an if without else whose arm never reaches its end, what the missing arm knows
        if c.kind == 'func':
            self.facts = {}
        elif c.kind == 'if' and not self.live and not c.used:
            self.facts = dict(c.facts)
            self.assume(c.cond, False)
        else:
            self.facts = self.kept_facts(c.facts, c.start)
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
        names = sorted(set(re.findall(r'\b[lbtprm]\d+(?:_\d+)?\b', text)) | {'_ret'})
        state = '(' + ', '.join(names) + ',)'
        fname = f'_h{self.fidx}{"g" if self.gen_function else "p"}{c.id}'
        # The state goes back on every exit: returned normally, and attached to an exception that leaves the
        # function (a Wasm exception caught by a try_table of the caller must see the locals as they were
        # when it was thrown, not as they were when the construct began).  One more Python block on each
        # side stays within CPython's limit (MAX_BLOCKS leaves room for it).
        self.hoisted.append(f'def {fname}({", ".join(names)}):')
        self.hoisted.append('    _br = 0')
        self.hoisted.append('    try:')
        self.hoisted.extend('    ' + line.replace('@S@', state) for line in body)
        self.hoisted.append('    except BaseException as _x:')
        self.hoisted.append(f'        _x.fx_state = {state}')
        self.hoisted.append('        raise')
        self.ind = c.indent
        self.pyblocks = c.saved_blocks
        self.closure_depth -= 1
        self.closure_names.update(names)
        self.uses_br = True
        call = f'{fname}({", ".join(names)})'
        if re.search(r'\byield\b', text):
            call = 'yield from ' + call
        self.emit('try:')
        self.emit(f'    _br, {state} = {call}')
        self.emit('except BaseException as _x:')
        # (a GeneratorExit closing this generator is a new exception after the helper closed: no state)
        self.emit(f'    {state} = getattr(_x, "fx_state", None) or {state}')
        self.emit('    raise')

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
        self.assume(cond[0], False)

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
