"""Translation of the stack-switching instructions (cont.new, cont.bind, suspend, switch, resume,
resume_throw, resume_throw_ref). A mixin of FuncTranslator; see vm/runtime/cont.py for the run time."""

from __future__ import annotations

from ..runtime.cont import FRESH, SUSPENDED, USED, ResumeSite


class ContOps:
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
        # the target is checked before a handler is looked for (a consumed one traps even where no
        # handler would be found, as in the reference interpreter and wasmtime)
        self.emit(f'if {k} is None or {k}[0] == {USED}: raise NULLCONT({k})')
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
        tup = '()' if nres == 0 else '(_e.value,)' if nres == 1 else 'tuple(_e.value)'
        self.emit(f'if {kv} is not None and {kv}[0] == {SUSPENDED}:')
        self.ind += 1
        self.emit(f'{kv}[0] = {USED}')
        self.emit(f'_g = {kv}[1]')
        self.inline_step(f'_g.send({a})', tup, handlers, site)
        self.ind -= 1
        # a fresh continuation of a function that may suspend, without bound arguments
        star = f'*{a}' if args else ''
        self.emit(f'elif {kv} is not None and {kv}[0] == {FRESH} and not {kv}[2] and {kv}[1].may_suspend:')
        self.ind += 1
        self.emit(f'{kv}[0] = {USED}')
        self.emit(f'_g = {kv}[1].gen({star})')
        self.inline_step('_g.send(None)', tup, handlers, site)
        self.ind -= 1
        self.emit('else:')
        if self.gen:
            self.emit(f'    _ri, _rv = yield from RESUME_G({kv}, {a}, {site})')
        else:
            self.emit(f'    _ri, _rv = RESUME({kv}, {a}, {site})')
        self.finish_resume(None, labels, nres)

    def inline_step(self, send, tup, handlers, site):
        """Run the generator _g to its next suspension and handle the record inline if we can."""
        self.emit('try:')
        self.emit(f'    _rec = {send}')
        self.emit('except StopIteration as _e:')
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
            vals = [f'_rec[{2 + j}]' for j in range(npay)] + [f'[{SUSPENDED}, _g, ()]']
            self.emit_branch(h.label, vals)
            self.ind -= 1
        if self.gen:
            self.emit(f'_ri, _rv = yield from DRIVE_G(_g, _rec, {site})')
        else:
            self.emit(f'_ri, _rv = DISPATCH(_g, _rec, {site})')
        self.ind -= 1

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
