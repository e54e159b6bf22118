"""Translation of the non-control instructions: stack, locals, globals, constants, numerics,
memory, tables, calls, references and exceptions. A mixin of FuncTranslator."""

from __future__ import annotations

import math
import re

from . import numeric
from .templates import PURE, _SIGN_FLIP, LOADS, STORES, _numeric_traps, FAULT_MARK


TAIL_FUEL = 5
_NARROW = re.compile(r'\{v\} & (0x[0-9A-Fa-f]+)')


class DataOps:
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
        self.forget(x)
        self.assign_local(x, v[0])

    def op_local_tee(self, ins):
        x = ins.args[0]
        v = self.pop()
        self.spill_local(x)
        self.forget(x)
        self.assign_local(x, v[0])
        self.stack.append((f'l{x}', frozenset((x,))))

    def assign_local(self, x, expr):
        """`lx = expr`; a wrapping add/sub is stored unmasked, then corrected by one comparison
        (cheaper in CPython than `& mask`, whose mask is not a one-digit int: ~7 ns a statement)."""
        w = self.wrapping.get(expr)
        if w is None:
            self.emit(f'l{x} = {expr}')
            return
        inner, op, mask = w
        self.emit(f'l{x} = {inner}')
        if op == 'add':      # the sum of two values below 2**n is below 2**(n+1)
            self.emit(f'if l{x} > {mask}: l{x} -= {mask + 1}')
        else:                # the difference is above -2**n
            self.emit(f'if l{x} < 0: l{x} += {mask + 1}')

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
        tpl = self.unwrapped(op, args) or tpl
        expr = tpl.format(*(a[0] for a in args))
        if '^ 0x80' in expr:
            expr = _SIGN_FLIP.sub(lambda m: str(int(m.group(1)) ^ int(m.group(2), 16)), expr)
        else:
            self.note_comparison(op, args, expr)
        if tpl is PURE[op] and op in ('i32.add', 'i32.sub', 'i64.add', 'i64.sub'):
            # `((a + b) & mask)`: remembered unmasked for assign_local
            mask = int(tpl[tpl.rindex('& ') + 2:-1], 16)
            self.wrapping[expr] = (expr[1:expr.rindex(' & ')], op[4:], mask)
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

    def buffer(self, k) -> str:
        """The name loads and stores use for memory k's buffer: in a plain function with a loop, a
        local `m<k>` bound at entry (the buffer's identity never changes; a local is read faster
        than a global), else the global `M<k>`."""
        if not self.local_buffers:
            return f'M{k}'
        self.buffers.add(k)
        return f'm{k}'

    def op_load(self, ins):
        m = ins.args[0]
        a = self.pop()
        t = self.temp()
        self.emit(f'{t} = {LOADS[ins.op].format(m=self.buffer(m.memory), a=self.addr(a, m))}{FAULT_MARK}')
        self.stack.append((t, None))
        self.accessed(self.addr(a, m))

    def op_store(self, ins):
        m = ins.args[0]
        v = self.pop()
        a = self.pop()
        tpl, val = STORES[ins.op], v[0]
        narrow = _NARROW.search(tpl)
        if narrow and val.isdigit():       # a constant stored narrow: mask it now
            tpl, val = tpl.replace(narrow.group(0), '{v}'), str(int(val) & int(narrow.group(1), 16))
        self.emit(tpl.format(m=self.buffer(m.memory), a=self.addr(a, m), v=val) + FAULT_MARK)
        self.accessed(self.addr(a, m))

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
        if self.ctx.fuel:
            # a tail call costs about six loop iterations (a marker object and the trampoline): it is
            # charged TAIL_FUEL more than the callee's entry, so a runaway `return_call` loop stops
            # about as soon as a runaway `loop`
            self.emit(f'FU[0] -= {TAIL_FUEL}')
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
