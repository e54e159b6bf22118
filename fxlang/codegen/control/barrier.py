"""`nosuspend { body }`: no suspension may cross it.

    Barriers(module, layout, panic=None)    panic(f, message): a trap with a message (Runtime.panic)
      .inline(f, bt)                    target "fx": fxlang's own `barrier bt ... end` block (0xe7), a Label
      .guard(f, body_result, tags)      target "standard": the body closure (fn() -> T) is on the stack; run it
                                        as a continuation whose handler traps on each of `tags` -> T

The standard lowering needs every tag a suspension of the program may use (effect operations, yields, the
fibers' switch): WasmFX has no catch-all handler, which is exactly what `barrier` adds ("a catch-all handler
that handles any control tag by invoking a trap").  A tag outside `tags` would still propagate outwards.
"""

from __future__ import annotations

from fxlang.check import types as T
from fxlang.codegen.layout import CLO_CODE, CLO_ENV, type_key
from fxlang.codegen.control.handlers import keep_out_of_liftoff
from fxlang.wasm import ref


class Barriers:
    def __init__(self, module, layout, panic=None):
        self.m, self.L, self.panic = module, layout, panic
        self._guards: dict = {}

    def inline(self, f, bt=None):
        """Open a `barrier` block (use as `with barriers.inline(f, bt): ...`)."""
        return f.barrier(bt)

    def guard(self, f, body_result, tags) -> None:
        key = (type_key(body_result), tuple(int(t) for t in tags))
        g = self._guards.get(key)
        if g is None:
            g = self._guards[key] = self._make_guard(body_result, tags)
        f.emit('call', g)

    def _make_guard(self, t, ops):
        m, L = self.m, self.L
        body_fn = T.Fn((), t)
        clo, code = L.clo(body_fn), L.code(body_fn)
        ct = m.types.cont(code)
        res = L.results(t)
        # the resuming function holds nothing that may trap besides the trap itself (see handlers.py on V8)
        run = m.funcs.add(m.types.func(['structref', ref(code)], res), name='nosuspend.run')
        run.name_param(0, 'env'); run.name_param(1, 'code')
        with run.block() as suspended:
            labels = []
            for op in ops:
                # each op's handler block receives its arguments and continuation; drop them and trap
                labels.append(run.block(m.types.func([], self._clause_results(op, t))))
            run.emit('local.get', 0); run.emit('local.get', 1); run.emit('cont.new', ct)
            run.emit('resume', ct, [('on', o, lbl) for o, lbl in zip(ops, labels)])
            run.emit('return')
            for op in reversed(ops):
                run.end()
                for _ in self._clause_results(op, t):
                    run.emit('drop')
                run.emit('br', suspended)
        # suspension across barrier: V8 forbids anything that may trap next to a `resume` with handlers
        # (handlers.py), but a call is fine, and the panic helper keeps its memory access to itself
        if self.panic is not None:
            self.panic(run, 'suspension across nosuspend')
        else:
            run.emit('unreachable')
        enter = m.funcs.add(m.types.func([ref(clo)], res), name='nosuspend')
        enter.name_param(0, 'body')
        keep_out_of_liftoff(enter, code, ct)
        enter.emit('local.get', 0); enter.emit('struct.get', clo, CLO_ENV)
        enter.emit('local.get', 0); enter.emit('struct.get', clo, CLO_CODE)
        enter.emit('call', run)
        return enter

    def _clause_results(self, tag, t):
        """What a handler clause for `tag` receives: the tag's parameters and the continuation."""
        m, L = self.m, self.L
        ft = m.types[m.tags.entries[tag.pos].type].comp
        ck = m.types.cont(m.types.func(list(ft.results), L.results(t)))
        return list(ft.params) + [ref(ck)]
