"""Fibers: `fiber`, `switch_to` and `fiber_run` (docs/fibers.md; typed in fxlang/check/fibers.py).

    Fibers(program_gen)
      .builtin(g, e)         g: the codegen.expr.FnGen of the enclosing function, e: the ast.Call

Types (one rec group, since the continuation takes a continuation of its own type):

    $fiber.ft = (func (param (ref null $fiber.ct)))     what a fiber is resumed with: who switched to it
    $fiber.ct = (cont $fiber.ft)
    $fiber    = (struct (field $k (mut (ref null $fiber.ct))))     the fx value Fiber
    $fiber.sw = (tag)                                   the tag `switch` and `(on $fiber.sw switch)` name

(the types are declared by the layout, fxlang/codegen/layout.py `fiber_types`: a Fiber is a value like any other)

A Fiber holds its continuation in a mutable field that is taken out (nulled) when the fiber is switched to or
run, so a second use panics with one message on every engine instead of each engine's "continuation already
consumed".  `fiber(body)` is `cont.new` of the trampoline `$fiber.start (param (ref $clo) (ref null $fiber.ct))`
plus `cont.bind` of the body closure: nothing runs until the fiber is first resumed.

The instructions (the module of target fx; on target standard the pass lower-switch turns each `switch` into
`suspend` and the `resume` into a switch loop, fxlang/passes/lower_switch.py):
    switch_to(t)    take t's continuation; `switch $fiber.ct $fiber.sw`; the continuation that comes back (the
                    fiber that switched to us) is wrapped in a new $fiber
    fiber_run(f)    `resume $fiber.ct (on $fiber.sw switch)` of f's continuation with null
The run returns when the fiber running at that moment returns, and an exception thrown in a fiber
leaves fiber_run; a suspension of any other tag goes on to the handlers around fiber_run.
"""

from __future__ import annotations

from fxlang.check import types as T
from fxlang.codegen.layout import CLO_CODE, CLO_ENV, FIBER_K, resolve
from fxlang.wasm import ref, ref_null


SECOND_USE = 'fiber resumed twice: a Fiber can be switched to or run once (switch_to returns the fresh one)'


class Fibers:
    def __init__(self, gen):
        self.gen, self.m, self.L = gen, gen.m, gen.layout
        self._tag = self._take = self._run = None
        self._starts: dict = {}

    # ---- types -------------------------------------------------------------------------------
    @property
    def fiber(self) -> int:
        return self.L.fiber_types()[0]

    @property
    def ft(self) -> int:
        return self.L.fiber_types()[1]

    @property
    def ct(self) -> int:
        return self.L.fiber_types()[2]

    def tag(self):
        """$fiber.sw = (tag): what `switch` and `(on $fiber.sw switch)` name."""
        if self._tag is None:
            self._tag = self.m.tags.add(self.m.types.func([], []), name='fiber.sw')
        return self._tag

    # ---- the builtins ------------------------------------------------------------------------
    def builtin(self, g, e):
        name, arg = e.builtin, e.args[0]
        g.expr(arg)
        if resolve(arg.ty) is T.NEVER:
            return
        tr = self.gen.tracer
        if tr is not None and name != 'fiber':             # fxc build --trace (docs/fibers.md)
            tr.line(g.f, f'{name} at {tr.where(e.span)}')
        if name == 'fiber':
            body = resolve(arg.ty)
            start, start_ct = self._start(body)
            g.emit('ref.func', start)
            g.emit('cont.new', start_ct)
            g.emit('cont.bind', start_ct, self.ct)
            g.emit('struct.new', self.fiber)
        elif name == 'switch_to':
            g.emit('call', self.take())
            g.emit('switch', self.ct, self.tag())
            g.emit('struct.new', self.fiber)
        elif name == 'fiber_run':
            g.emit('call', self.run())
        else:
            raise ValueError(f'not a fiber builtin: {name}')

    # ---- helpers -----------------------------------------------------------------------------
    def take(self):
        """$fiber.take (param (ref $fiber)) (result (ref $fiber.ct)): the continuation, leaving null behind;
        panics when there is none (the fiber was already switched to or run)."""
        if self._take is None:
            f = self._take = self.m.funcs.add(self.m.types.func([ref(self.fiber)], [ref(self.ct)]),
                                              name='fiber.take')
            f.name_param(0, 'fiber')
            k = f.local(ref_null(self.ct), 'k')
            f.emit('local.get', 0); f.emit('struct.get', self.fiber, FIBER_K); f.emit('local.tee', k)
            f.emit('ref.is_null')
            with f.if_():
                self.gen.runtime.panic(f, SECOND_USE)
            f.emit('local.get', 0); f.emit('ref.null', self.ct); f.emit('struct.set', self.fiber, FIBER_K)
            f.emit('local.get', k); f.emit('ref.as_non_null')
        return self._take

    def _start(self, body: T.Fn):
        """$fiber.start: the trampoline a fiber begins in; turns who switched to it into an Option[Fiber] and
        calls the body closure with it."""
        opt = resolve(body.params[0])
        key = id(opt)
        got = self._starts.get(key)
        if got is not None:
            return got
        L, m = self.L, self.m
        clo, code = L.clo(body), L.code(body)
        sft = m.types.func([ref(clo), ref_null(self.ct)], [])
        f = m.funcs.add(sft, name='fiber.start')
        f.name_param(0, 'body'); f.name_param(1, 'from')
        some = opt.variant_index('Some')
        none = opt.variant_index('None')
        f.emit('local.get', 0); f.emit('struct.get', clo, CLO_ENV)
        f.emit('local.get', 1); f.emit('ref.is_null')
        with f.if_(ref(L.enum(opt))):
            f.emit('global.get', self.gen.nullary(_VariantRef(opt, none)))
            f.emit('else')
            f.emit('i32.const', some)
            f.emit('local.get', 1); f.emit('struct.new', self.fiber)
            f.emit('struct.new', L.variant(opt, some))
        f.emit('local.get', 0); f.emit('struct.get', clo, CLO_CODE)
        f.emit('call_ref', code)
        got = self._starts[key] = (f, m.types.cont(sft, name='fiber.start.ct'))
        return got

    def run(self):
        """$fiber.run (param (ref $fiber)): fiber_run."""
        if self._run is not None:
            return self._run
        m, ct = self.m, self.ct
        f = self._run = m.funcs.add(m.types.func([ref(self.fiber)], []), name='fiber.run')
        f.name_param(0, 'fiber')
        f.emit('ref.null', ct)
        f.emit('local.get', 0); f.emit('call', self.take())
        f.emit('resume', ct, [('switch', self.tag())])
        return f


class _VariantRef:
    """Enough of an ast.VariantRef for ProgramGen.nullary."""

    def __init__(self, enum, index):
        self.enum, self.index, self.name = enum, index, enum.variants[index].name
