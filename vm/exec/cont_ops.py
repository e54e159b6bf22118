"""Translation of the stack-switching instructions (cont.new, cont.bind, suspend, switch, resume,
resume_throw, resume_throw_ref). A mixin of FuncTranslator; see vm/runtime/cont.py for the run time."""

from __future__ import annotations

from ..runtime.cont import ResumeSite
from ..syntax.types import RefType
from .control import MAX_BLOCKS


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
        # the payload goes into the tag's slot and the tag is yielded: no record is allocated
        if len(args) == 1:
            self.emit(f'{tn}.p = {args[0][0]}')
        elif args:
            self.emit(f'{tn}.p = ({", ".join(a[0] for a in args)})')
        self.unpack_tuple(len(ft.results), f'(yield {tn})')

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
        self.emit(f'if {k} is None or {k}[0] is None: raise NULLCONT({k})')
        if not self.gen:
            self.emit(f'raise UNHANDLED({tn}, {payload})')
            self.live = False
            return
        last = ft.params[-1]
        ct2 = self.types_cont_params(last)
        if self.ctx.observe:
            self.emit(f'OBS.switch({tn}, {self.name})')
        items = ''.join(', ' + a[0] for a in args)
        self.unpack_tuple(ct2, f'(yield (SW, {tn}, {k}{items}))')

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
        # the reference [obj] holds a generator: suspended, no bound arguments (vm/runtime/cont.py)
        self.emit(f'_g = {kv} and {kv}[0]')
        self.emit('if type(_g) is GEN:')
        self.ind += 1
        self.emit(f'{kv}[0] = None')
        self.inline_step(f'_g.send({a})', tup, handlers, site)
        self.ind -= 1
        # a fresh continuation of a function that may suspend, without bound arguments
        star = f'*{a}' if args else ''
        self.emit('elif type(_g) is FUNC and _g.may_suspend:')
        self.ind += 1
        self.emit(f'{kv}[0] = None')
        self.emit(f'_g = _g.gen({star})')
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
        tags = []
        for h in handlers:
            if h.label is not None and h.tag not in [t for t, _ in tags]:
                tags.append((h.tag, h.label))
        names = [self.ctx.const(self.ctx.tags[t], 'TG') for t, _ in tags]
        # generator flavour: a suspension no clause of ours handles is forwarded outward right here
        # (one yield out, one send in), not through DRIVE_G: a handler that forwards one tag and
        # handles another costs one generator frame, as `yield from` does. (Needs a loop and two
        # try statements: only where CPython's limit of nested blocks leaves room.)
        forward = self.gen and self.pyblocks + 5 <= MAX_BLOCKS
        if forward:
            if len(names) <= 3:
                stop = ' and '.join([f'_rec is not {n}' for n in names] + ['type(_rec) is not tuple'])
            else:
                hs = self.ctx.const(frozenset(self.ctx.tags[t] for t, _ in tags), 'HS')
                stop = f'type(_rec) is not tuple and _rec not in {hs}'
            self.emit(f'while {stop}:')
            self.emit('    try:')
            self.emit('        _v = yield _rec')
            self.emit('    except EXN as _x:')
            self.emit('        try:')
            self.emit('            _rec = _g.throw(_x)')
            self.emit('        except StopIteration as _e:')
            self.emit(f'            _rec, _rv = None, {tup}')
            self.emit('            break')
            self.emit('        continue')
            self.emit('    try:')
            self.emit('        _rec = _g.send(_v)')
            self.emit('    except StopIteration as _e:')
            self.emit(f'        _rec, _rv = None, {tup}')
            self.emit('        break')
            self.emit('if _rec is None:')
            self.emit('    _ri = -1')
            self.emit('else:')
            self.ind += 1
        for (t, label), tn in zip(tags, names):
            params = self.ctx.tags[t].functype.params
            self.emit(f'if _rec is {tn}:')
            self.ind += 1
            pay = f'{tn}.p'
            if any(isinstance(p, RefType) for p in params):
                # a reference in the payload must not stay alive in the tag's slot
                self.emit(f'_pl = {pay}')
                self.emit(f'{tn}.p = None')
                pay = '_pl'
            vals = ([pay] if len(params) == 1 else [f'{pay}[{j}]' for j in range(len(params))]) + ['[_g]']
            self.emit_branch(label, vals)
            self.ind -= 1
        if self.gen:
            self.emit(f'_ri, _rv = yield from DRIVE_G(_g, _rec, {site})')
        else:
            self.emit(f'_ri, _rv = DISPATCH(_g, _rec, {site})')
        if forward:
            self.ind -= 1
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
