"""The functions the lowered module gets besides its own: the handler stack, traps, continuation methods.

    push(site)            a resume (site >= 1) or barrier (site 0) enters the handler stack
    find(code) -> depth   the innermost entry handling a suspension code; -1: none (unhandled, or the search
                          reached the entry of a call from the host), -2: a barrier is in the way.  It only
                          reads the stack: a failing suspension traps before anything is unwound.
    host entries          an exported function that may suspend is wrapped: it pushes a boundary entry, so
                          a suspension never looks past the host (engines trap there too), and entries left
                          behind by a trap in an earlier call are never consulted again
    handles(site, code)   a br_table over the sites, written once all sites are known (`finish`)
    trap functions        `unreachable` in a function named after the trap ("asyncify trap: ..."), so an
                          engine's trap report names it; a lowered module needs no host import to trap
    enter_new_c / run_ft / rewind_ft / enter_bind_c1_c2 / enter_cap_c / apply_c
                          the continuation methods described in layout.py and docs/asyncify.md
"""

from __future__ import annotations

from fxlang.wasm import Field, Instr, RefType, ref, ref_null

from .layout import STRUCT, Layout, nullable

UNWIND, REWIND = 1, 2
TRAP_PREFIX = 'asyncify trap: '


class Runtime:
    def __init__(self, layout: Layout):
        self.l = layout
        self.m = layout.m
        self._fns: dict = {}
        # site id -> codes it handles; 0 is a barrier, 1 the boundary of a call from the host
        self.sites: list[frozenset] = [frozenset(), frozenset()]
        self.push = self._push()
        self.handles = self.m.funcs.add(self.l.func_type(('i32', 'i32'), ('i32',)), name='asyncify.handles')
        self.find = self._find()

    def new_site(self, codes: frozenset) -> int:
        self.sites.append(codes)
        return len(self.sites) - 1

    # -- traps ------------------------------------------------------------------------------------------

    def trap(self, message: str):
        key = ('trap', message)
        if key not in self._fns:
            f = self.m.funcs.add(self.l.func_type((), ()), name=TRAP_PREFIX + message)
            f.emit('unreachable')
            self._fns[key] = f
        return self._fns[key]

    # -- the handler stack ----------------------------------------------------------------------------

    def _push(self):
        L = self.l
        f = self.m.funcs.add(L.func_type(('i32',), ()), name='asyncify.push')
        grown = f.local(ref_null(L.hs_array), 'grown')
        f.emit('global.get', L.hsp)
        f.emit('global.get', L.hs)
        f.emit('array.len')
        f.emit('i32.eq')
        with f.if_():
            f.emit('global.get', L.hsp)
            f.emit('i32.const', 2)
            f.emit('i32.mul')
            f.emit('i32.const', 16)
            f.emit('i32.add')
            f.emit('array.new_default', L.hs_array)
            f.emit('local.tee', grown)
            f.emit('i32.const', 0)
            f.emit('global.get', L.hs)
            f.emit('i32.const', 0)
            f.emit('global.get', L.hsp)
            f.emit('array.copy', L.hs_array, L.hs_array)
            f.emit('local.get', grown)
            f.emit('ref.as_non_null')
            f.emit('global.set', L.hs)
        f.emit('global.get', L.hs)
        f.emit('global.get', L.hsp)
        f.emit('local.get', 0)
        f.emit('array.set', L.hs_array)
        f.emit('global.get', L.hsp)
        f.emit('i32.const', 1)
        f.emit('i32.add')
        f.emit('global.set', L.hsp)
        return f

    def _find(self):
        L = self.l
        f = self.m.funcs.add(L.func_type(('i32',), ('i32',)), name='asyncify.find')
        d = f.local('i32', 'depth')
        s = f.local('i32', 'site')
        f.emit('global.get', L.hsp)
        f.emit('local.set', d)
        with f.loop() as again:
            f.emit('local.get', d)
            f.emit('i32.eqz')
            with f.if_():
                f.emit('i32.const', -1)
                f.emit('return')
            f.emit('local.get', d)
            f.emit('i32.const', 1)
            f.emit('i32.sub')
            f.emit('local.set', d)
            f.emit('global.get', L.hs)
            f.emit('local.get', d)
            f.emit('array.get', L.hs_array)
            f.emit('local.tee', s)
            f.emit('i32.const', 1)
            f.emit('i32.le_u')
            with f.if_():                        # 0: barrier -> -2; 1: host boundary -> -1
                f.emit('local.get', s)
                f.emit('i32.const', 2)
                f.emit('i32.sub')
                f.emit('return')
            f.emit('local.get', s)
            f.emit('local.get', 0)
            f.emit('call', self.handles)
            with f.if_():
                f.emit('local.get', d)
                f.emit('return')
            f.emit('br', again)
        f.emit('unreachable')
        return f

    def finish(self) -> None:
        """Write `handles` now that every site is known."""
        f = self.handles
        n = len(self.sites)
        labels = []
        for _ in range(n):
            labels.append(f.block())
        default = f.block()
        f.emit('local.get', 0)
        f.emit('br_table', [labels[i] for i in range(n)], default)
        f.end()                                  # default: not a site
        f.emit('i32.const', 0)
        f.emit('return')
        for site in reversed(range(n)):
            f.end()
            for code in sorted(self.sites[site]):
                f.emit('local.get', 1)
                f.emit('i32.const', code)
                f.emit('i32.eq')
                with f.if_():
                    f.emit('i32.const', 1)
                    f.emit('return')
            f.emit('i32.const', 0)
            f.emit('return')

    def wrap_exports(self, instrumented) -> None:
        """Exported functions that may suspend run behind a host-boundary entry (see the module docstring)."""
        import operator
        L = self.l
        wrapped: dict[int, object] = {}
        for e in self.m.exports.entries:
            if e.kind != 'func' or not instrumented(operator.index(e.index)):
                continue
            idx = operator.index(e.index)
            if idx not in wrapped:
                ft = self.m.func_type_of(idx)
                f = self.m.funcs.add(L.func_type(ft.params, ft.results), name=f'asyncify.host_entry.{e.name}')
                saved = f.local('i32', 'saved')
                f.emit('global.get', L.hsp)
                f.emit('local.set', saved)
                f.emit('i32.const', 1)
                f.emit('call', self.push)
                with f.block(RefType('exn', True)) as exn:
                    with f.try_table(self.l.func_type((), ft.results), [('catch_all_ref', exn)]):
                        for i in range(len(ft.params)):
                            f.emit('local.get', i)
                        f.emit('call', idx)
                    f.emit('local.get', saved)
                    f.emit('global.set', L.hsp)
                    f.emit('return')
                f.emit('local.get', saved)
                f.emit('global.set', L.hsp)
                f.emit('throw_ref')
                wrapped[idx] = f
            e.index = wrapped[idx]

    # -- continuation methods ------------------------------------------------------------------------------

    def _fn(self, key, type_idx, name, build):
        if key not in self._fns:
            f = self.m.funcs.add(type_idx, name=name)
            self._fns[key] = f
            build(f)
        return self._fns[key]

    def enter_new(self, c: int):
        L = self.l
        ft = L.cont_func(c)

        def build(f):
            n = len(ft.params)
            self._throw_pending(f)
            for i in range(n):
                f.emit('local.get', i)
            f.emit('local.get', n)
            f.emit('ref.cast', ref(L.new_type(c)))
            f.emit('struct.get', L.new_type(c), 2)
            f.emit('call', self.run(L.conts[c]))
        return self._fn(('enter_new', c), L.enter_type(c), f'asyncify.enter_new.{c}', build)

    def _throw_pending(self, f) -> None:
        """resume_throw into a continuation that never ran: the exception surfaces at its start."""
        L = self.l
        f.emit('global.get', L.exn)
        f.emit('ref.is_null')
        f.emit('i32.eqz')
        with f.if_():
            f.emit('global.get', L.exn)
            f.emit('ref.null', 'exn')
            f.emit('global.set', L.exn)
            f.emit('throw_ref')

    def run(self, ft_idx: int):
        """run_ft(params, fn): call fn; if it unwinds, its continuation's bottom frame goes on the chain."""
        L = self.l
        ft = self.m.types.func_type(ft_idx)

        def build(f):
            n = len(ft.params)
            for i in range(n + 1):
                f.emit('local.get', i)
            f.emit('call_ref', ft_idx)
            f.emit('global.get', L.state)
            with f.if_(self.l.func_type(ft.results, ft.results)):
                f.emit('global.get', L.frames)
                f.emit('ref.func', self.rewind(ft_idx))
                f.emit('local.get', n)
                f.emit('struct.new', L.bottom_type(ft.results))
                f.emit('global.set', L.frames)
        return self._fn(('run', ft_idx), L.func_type(ft.params + (ref(ft_idx),), ft.results),
                        f'asyncify.run.{ft_idx}', build)

    def rewind(self, ft_idx: int):
        L = self.l
        ft = self.m.types.func_type(ft_idx)
        key = ('rewind', ft_idx)
        if key in self._fns:
            return self._fns[key]
        f = self.m.funcs.add(L.rewind_type(ft.results), name=f'asyncify.rewind.{ft_idx}')
        self._fns[key] = f
        for p in ft.params:
            for ins in L.dummy(p):
                f.emit(ins.op, *ins.imms)
        f.emit('local.get', 0)
        f.emit('ref.cast', ref(L.bottom_type(ft.results)))
        f.emit('struct.get', L.bottom_type(ft.results), 2)
        f.emit('ref.cast', ref(ft_idx))
        f.emit('call', self.run(ft_idx))
        return f

    def enter_bind(self, c1: int, c2: int):
        L = self.l
        ft2 = L.cont_func(c2)
        bt = L.bind_type(c1, c2)

        def build(f):
            n2 = len(ft2.params)
            b = f.local(ref(bt), 'b')
            f.emit('local.get', n2)
            f.emit('ref.cast', ref(bt))
            f.emit('local.set', b)
            nbound = len(self.m.types[bt].comp.fields) - 3
            for k in range(nbound):
                f.emit('local.get', b)
                f.emit('struct.get', bt, 3 + k)
            for i in range(n2):
                f.emit('local.get', i)
            f.emit('local.get', b)
            f.emit('struct.get', bt, 2)
            f.emit('local.get', b)
            f.emit('struct.get', bt, 2)
            f.emit('ref.cast', ref(c1))
            f.emit('struct.get', c1, 1)
            f.emit('ref.cast', ref(L.enter_type(c1)))
            f.emit('call_ref', L.enter_type(c1))
        return self._fn(('enter_bind', c1, c2), L.enter_type(c2), f'asyncify.enter_bind.{c1}.{c2}', build)

    def enter_cap(self, c: int):
        """Resume a captured continuation: its arguments go to the slots its suspension reads, then rewind."""
        L = self.l
        ft = L.cont_func(c)

        def build(f):
            n = len(ft.params)
            bf = f.local(ref_null(L.bottom_type(ft.results)), 'bottom')
            for i, g in enumerate(L.slots(ft.params)):
                f.emit('local.get', i)
                f.emit('global.set', g)
            f.emit('i32.const', REWIND)
            f.emit('global.set', L.state)
            f.emit('local.get', n)
            f.emit('ref.cast', ref(L.cap_type(c)))
            f.emit('struct.get', L.cap_type(c), 2)
            f.emit('global.set', L.frames)
            self.pop_bottom(f, bf, ft.results)
        return self._fn(('enter_cap', c), L.enter_type(c), f'asyncify.enter_cap.{c}', build)

    def pop_bottom(self, f, bf: int, results) -> None:
        """Take the continuation's bottom frame off the chain and re-enter its function (emits into f: a
        Function, or rewrite's Emitter at a resume site reached while rewinding)."""
        L = self.l
        bt = L.bottom_type(results)
        f.emit('global.get', L.frames)
        f.emit('ref.cast', ref(bt))
        f.emit('local.tee', bf)
        f.emit('struct.get', bt, 0)
        f.emit('global.set', L.frames)
        f.emit('local.get', bf)
        f.emit('ref.as_non_null')
        f.emit('local.get', bf)
        f.emit('struct.get', bt, 1)
        f.emit('call_ref', L.rewind_type(results))

    def thunk_type(self, c1: int) -> int:
        """A pending `switch $c1`: apply, target, then the switch's other arguments."""
        L = self.l
        ft1 = L.cont_func(c1)
        base = L.switch_base(ft1.results)
        return L.sub_struct(('thunk', c1), base, (Field(ref_null(c1)),)
                            + tuple(Field(nullable(v)) for v in ft1.params[:-1]))

    def apply(self, c1: int):
        """apply_c1(frames, thunk): the switcher's frames become a continuation; the target is entered."""
        L = self.l
        ft1 = L.cont_func(c1)
        last = ft1.params[-1]
        c2 = last.heap
        tt = self.thunk_type(c1)

        def build(f):
            t = f.local(ref_null(tt), 't')
            o = f.local(ref_null(c1), 'o')
            f.emit('local.get', 1)
            f.emit('ref.cast', ref(tt))
            f.emit('local.tee', t)
            f.emit('struct.get', tt, 1)
            f.emit('local.set', o)
            self.check_and_consume(f, o, c1)
            for k, p in enumerate(ft1.params[:-1]):
                f.emit('local.get', t)
                f.emit('struct.get', tt, 2 + k)
                if isinstance(p, RefType) and not p.nullable:
                    f.emit('ref.as_non_null')
            f.emit('i32.const', 0)
            f.emit('ref.func', self.enter_cap(c2))
            f.emit('local.get', 0)
            f.emit('struct.new', L.cap_type(c2))
            f.emit('local.get', o)
            f.emit('ref.as_non_null')
            f.emit('local.get', o)
            f.emit('struct.get', c1, 1)
            f.emit('ref.cast', ref(L.enter_type(c1)))
            f.emit('call_ref', L.enter_type(c1))
        return self._fn(('apply', c1), L.apply_type(ft1.results), f'asyncify.apply.{c1}', build)

    def check_and_consume(self, f, k: int, c: int) -> None:
        """Trap on a null or used continuation in local k, then mark it used.  Emits through `f.emit` only
        (a Function, or rewrite's Emitter: the ifs hold no branch, so no label needs tracking)."""
        f.emit('local.get', k)
        f.emit('ref.is_null')
        f.emit('if', None)
        f.emit('call', self.trap('null continuation reference'))
        f.emit('end')
        f.emit('local.get', k)
        f.emit('struct.get', c, 0)
        f.emit('if', None)
        f.emit('call', self.trap('continuation already consumed'))
        f.emit('end')
        f.emit('local.get', k)
        f.emit('i32.const', 1)
        f.emit('struct.set', c, 0)


__all__ = ['Runtime', 'UNWIND', 'REWIND', 'TRAP_PREFIX', 'STRUCT', 'Instr']
