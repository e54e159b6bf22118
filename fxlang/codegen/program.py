"""The whole program: declarations, globals, closures, exports (docs/codegen.md).

    ProgramGen(checked, trace=False).run() -> fxlang.wasm.Module      (not pruned: the pass `prune` does that)

All top-level functions get their Wasm function (and so their index) before any body is generated, which is
all that recursion and mutual recursion need.  Lambda bodies are generated from a work list after the
function that creates them, so nesting depth costs nothing.
"""

from __future__ import annotations

from fxlang.check import types as T
from fxlang.diagnostics import FxError
from fxlang.wasm import Module, StructType, ref, ref_null

from fxlang.codegen.control.captures import handle_nodes, handler_captures
from fxlang.codegen.control.effects import Effects
from fxlang.codegen.control.evidence import Evidence
from fxlang.codegen.control.generators import Generators
from fxlang.codegen.control.fibers import Fibers
from fxlang.codegen.control.jumps import Jumps, escaping_jumps, mark_activations

from .expr import FnGen, display_name, value_to_str
from .layout import Layout, is_void, resolve
from .runtime import Runtime
from .trace import Tracer


class ProgramGen:
    def __init__(self, checked, trace=False, evidence=False):
        self.checked = checked
        self.m = Module()
        self.layout = Layout(self.m, checked.structs, checked.enums)
        self.runtime = Runtime(self.m, self.layout)
        self.tracer = Tracer(self.runtime) if trace else None     # fxc build --trace (trace.py)
        self._funcs: dict = {}        # FN Binding -> wasm Function
        self._decls: dict = {}        # FN Binding -> FnDecl
        self._globals: dict = {}      # GLOBAL Binding -> global handle
        self._nullary: dict = {}      # (enum, index) -> global handle
        self._fn_values: dict = {}    # FN Binding -> global holding its closure
        self._lambdas: dict = {}      # Lambda -> (wasm Function, env)
        self._pending: list = []      # lambdas whose bodies are still to generate
        handles = handle_nodes(checked)
        self._boxed_extra = handler_captures(checked, handles)   # mutable variables used in handle code
        self.escapes = {h: escaping_jumps(h) for h in handles}     # jumps out of handle code, per handle
        mark_activations(self.escapes)                                # ... and the activation each belongs to
        self.jumps = Jumps(self.m, self.layout, needed=any(self.escapes.values()))
        self.evidence = Evidence(self, handles, evidence and not trace)
        self.effects = Effects(self)
        self.generators = Generators(self)
        self.fibers = Fibers(self)
        self._init = None

    def is_boxed(self, b) -> bool:
        """Whether `b` lives in a cell: mutable and captured by a lambda or by lowered handler code."""
        return b.boxed or b in self._boxed_extra

    def run(self) -> Module:
        for d in self.checked.functions:
            fn = resolve(d.fn_type)
            f = self.m.funcs.add(self.layout.func_type(fn.params, fn.result), name=display_name(d.qualname or d.name))
            self._funcs[d.binding] = f
            self._decls[d.binding] = d
        for g in self.checked.globals:
            self.global_of(g.binding)
        init = self._init = self._global_init() if self.checked.globals else None
        for d in self.checked.functions:
            f = self._funcs[d.binding]
            result = resolve(d.fn_type).result
            if d.gen_elem is not None:
                # a generator fn makes the generator; its body is a function of its own (generators.py)
                body = self.generators.body_of(d)
                n = sum(1 for p in resolve(d.fn_type).params if not is_void(p))
                for i, p in enumerate(q for q in d.params if not is_void(q.binding.ty)):
                    f.name_param(i, p.name)
                self.generators.make(f, body, n)
                f, result = body, T.UNIT
            gen = FnGen(self, f, [p.binding for p in d.params], owner=d)
            if d is self.checked.main and init is not None and self.checked.async_run is None:
                f.emit('call', init)
            gen.body(d.body, result)
            self._drain()
        self._export_main()
        return self.m

    # ---- entities asked for by function bodies -------------------------------------------------
    def display_name(self, d) -> str:
        return display_name(d.qualname or d.name)

    def func_of(self, b):
        return self._funcs[b]

    def decl_of(self, b):
        """The FnDecl of top-level function binding `b`, None for any other binding."""
        return self._decls.get(b)

    def global_of(self, b):
        h = self._globals.get(b)
        if h is None:
            vt = self.layout.vt(b.ty)
            if vt is None:      # a unit global has nothing to store; keep a placeholder
                vt = 'i32'
            if isinstance(vt, str):
                init = [(f'{vt}.const', 0)]
                h = self.m.globals.add(vt, init, mutable=True, name=b.name)
            else:
                h = self.m.globals.add(ref_null(vt.heap), [('ref.null', vt.heap)], mutable=True, name=b.name)
            self._globals[b] = h
        return h

    def nullary(self, v):
        key = (v.enum, v.index)
        h = self._nullary.get(key)
        if h is None:
            vt = self.layout.variant(v.enum, v.index)
            h = self._nullary[key] = self.m.globals.add(
                ref(vt), [('i32.const', v.index), ('struct.new', vt)], name=f'{v.enum.name}.{v.name}')
        return h

    def fn_value(self, b):
        """A top-level function as a closure value: an adapter taking (and ignoring) the env."""
        h = self._fn_values.get(b)
        if h is None:
            d = self._decls[b]
            fn = resolve(d.fn_type)
            L = self.layout
            adapter = self.m.funcs.add(L.code(fn), name=f'{display_name(d.qualname or d.name)}.closure')
            adapter.name_param(0, 'env')
            n = sum(1 for p in fn.params if not is_void(p))
            for i in range(n):
                adapter.emit('local.get', i + 1)
            adapter.emit('call', self._funcs[b])
            clo = L.clo(fn)
            h = self._fn_values[b] = self.m.globals.add(
                ref(clo), [('ref.func', adapter), ('ref.null', 'struct'), ('struct.new', clo)],
                name=f'{d.name}.closure')
        return h

    def lambda_of(self, lam):
        """The code function and environment layout of `lam` (its body is generated later)."""
        got = self._lambdas.get(lam)
        if got is None:
            L = self.layout
            fn = resolve(lam.fn_type)
            f = self.m.funcs.add(L.code(fn), name=lam.name or f'lambda{lam.id}')
            f.name_param(0, 'env')
            caps = [b for b in lam.captures if not is_void(b.ty)]
            env = None
            if caps:
                fields = [ref(L.cell(b.ty)) if self.is_boxed(b) else L.vt(b.ty) for b in caps]
                env_type = self.m.types.add(StructType(tuple(fields)), name=f'env {lam.name}')
                self.m.names.fields.setdefault(env_type, {i: b.name for i, b in enumerate(caps)})
                env = (env_type, {b: i for i, b in enumerate(caps)})
            got = self._lambdas[lam] = (f, env)
            self._pending.append(lam)
        return got

    def _drain(self):
        while self._pending:
            lam = self._pending.pop()
            f, env = self._lambdas[lam]
            gen = FnGen(self, f, [p.binding for p in lam.params], first_param=1, env=env, owner=lam)
            gen.body(lam.body, resolve(lam.fn_type).result)

    # ---- globals and the entry point -----------------------------------------------------------
    def _global_init(self):
        f = self.m.funcs.add(self.m.types.func([], []), name='globals.init')
        gen = FnGen(self, f, [])
        for g in self.checked.globals:
            gen.write(g.binding, lambda g=g: gen.expr(g.value))
        self._drain()
        return f

    def _export_main(self):
        main = self.checked.main
        fn = resolve(main.fn_type)
        f = self._funcs[main.binding]
        run = self.checked.async_run
        if run is not None:
            # an async main is started by the scheduler: run(main) (docs/effects.md, "async/await")
            entry = self.m.funcs.add(self.m.types.func([], []), name='main.entry')
            if self._init is not None:      # the scheduler may use globals before main runs
                entry.emit('call', self._init)
            entry.emit('global.get', self.fn_value(main.binding))
            entry.emit('call', self._funcs[run.binding])
            self._export_start(entry)
            return
        if fn.params or not is_void(fn.result):
            if fn.params:
                raise FxError('main must not take parameters', main.span)
            wrapper = self.m.funcs.add(self.m.types.func([], []), name='main.entry')
            wrapper.emit('call', f)
            wrapper.emit('drop')
            f = wrapper
        self._export_start(f)

    def _export_start(self, entry):
        """The WASI command's entry point `_start` (docs/host.md): runs `entry` under the stray-jumps guard and
        reports an exception nobody caught, by name, through a panic (standard error, exit status 1); a program
        declaring no exception has nothing to catch there."""
        entry = self._stray_jumps_guard(entry)
        excs = list(self.checked.exceptions)
        if not excs:                     # nothing the program throws can reach it
            self.m.exports.func('_start', entry)
            return
        start = self.m.funcs.add(self.m.types.func([], []), name='_start')
        with start.block() as other:
            blocks = []
            for exc in excs:
                params = [self.layout.st(p) for p in exc.payload if not is_void(p)]
                blocks.append(start.block(self.m.types.func([], params)))
            clauses = [('catch', self.generators.exn_tag(exc), lbl) for exc, lbl in zip(excs, blocks)]
            with start.try_table(None, clauses + [('catch_all', other)]):
                start.emit('call', entry)
            start.emit('return')
            for exc in reversed(excs):
                start.end()
                self._report_uncaught(start, exc)
        self.runtime.panic(start, 'uncaught exception')
        self.m.exports.func('_start', start)

    def _report_uncaught(self, f, exc):
        """With exc's payload on the stack: panic with `uncaught exception Bad("n too big", 5) at gen.fx:3:9
        (in fn check)`, the payload shown as fx values and the place of the `throw` (runtime.note_throw)."""
        rt, L = self.runtime, self.layout
        shown = [p for p in exc.payload if not is_void(p)]
        temps = [f.local(L.st(p)) for p in shown]
        for t in reversed(temps):
            f.emit('local.set', t)
        rt.literal(f, f'uncaught exception {exc.name}' + ('(' if shown else ''))
        for i, (p, t) in enumerate(zip(shown, temps)):
            if i:
                rt.literal(f, ', ')
                f.emit('call', rt.concat())
            f.emit('local.get', t)
            self._show(f, p)
            f.emit('call', rt.concat())
        if shown:
            rt.literal(f, ')')
            f.emit('call', rt.concat())
        rt.site_text(f)
        f.emit('call', rt.concat())
        f.emit('call', rt.panic_str())
        f.emit('unreachable')

    def _show(self, f, t):
        """The value of type `t` on the stack as a $str written as in fx source: numbers and booleans as
        `str` does, strings in double quotes, other values by their type (`<[int]>`)."""
        rt = self.runtime
        t = resolve(t)
        if value_to_str(rt, f, t):
            return
        if t == T.STR:
            tmp = f.local(ref(self.layout.str))
            f.emit('local.set', tmp)
            rt.literal(f, '"')
            f.emit('local.get', tmp)
            f.emit('call', rt.concat())
            rt.literal(f, '"')
            f.emit('call', rt.concat())
        else:
            f.emit('drop')
            rt.literal(f, f'<{t}>')

    def _stray_jumps_guard(self, entry):
        """A jump out of a handler whose `handle` already finished (its `k` was resumed later) has nowhere to
        go (fxlang/codegen/control/jumps.py): catch it around the whole program and panic with a message."""
        if self.jumps.tag is None:
            return entry
        guard = self.m.funcs.add(self.m.types.func([], []), name='main.guard')
        with guard.block('exnref'):
            with guard.try_table(None, [('catch_ref', self.jumps.tag, 0)]):
                guard.emit('call', entry)
            guard.emit('return')
        guard.emit('drop')
        self.runtime.panic(guard, 'break, continue or return out of a handler that has already finished')
        return guard

