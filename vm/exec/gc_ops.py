"""Translation of the GC instructions (struct, array, i31, casts, extern/any conversions).
A mixin of FuncTranslator."""

from __future__ import annotations

from .templates import M32, _default_src


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
