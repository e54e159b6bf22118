"""Asyncify-style lowering of WasmFX to standard Wasm (docs/asyncify.md).

    lower(module) -> module     raises LowerError (a module it cannot translate: names the function, the reason)

[[wasm.Module with stack switching]] --> [[wasm.Module without it]]: no `cont` types and none of cont.new,
cont.bind, suspend, resume, resume_throw, resume_throw_ref, switch, barrier; Wasm GC + exceptions only.
Parts, each its own module:

    analysis.py     which functions may suspend and where (the call-graph fixpoint)
    stack_types.py  the operand stack before every instruction (what a frame must save)
    liveness.py     the locals live after every instruction (which of them a frame must save)
    layout.py       continuation objects, frame types, value slots, dummy values
    runtime.py      generated helpers: handler stack, traps, continuation methods
    tree.py         bodies as trees with label targets, and the emitter that turns them back into depths
    rewrite.py      one function body: unwind/rewind code at points, stack-switching instructions lowered

It depends on fxlang.wasm only (not on the fx front end), so it lowers any module `fxlang.wasm.read` reads.
"""

from __future__ import annotations

from fxlang.wasm import Module

from .layout import LowerError

__all__ = ['lower', 'LowerError']


def lower(module: Module, report: dict | None = None) -> Module:
    """Rewrite `module` in place into standard Wasm (GC + exceptions) and return it.  `report`, if given,
    receives counts for `fxc lower --stats` (functions instrumented / total, frame types, resume sites)."""
    from .analysis import Analysis
    from .layout import Layout, retype_abstract
    from .rewrite import FunctionRewrite, needs_rewrite
    from .runtime import Runtime
    from .stack_types import TypingError, type_function

    from fxlang.wasm import ContType
    if not any(isinstance(t.comp, ContType) for t in module.types.defs) and \
            not any(needs_rewrite(f.body) for f in module.funcs.entries):
        if report is not None:
            report['functions instrumented'] = f'0 / {len(module.funcs.entries)}'
        return module                     # no stack switching: nothing to lower
    analysis = Analysis(module)
    nimports = module.imports.count('func')
    names = {int(k): v for k, v in module.names.funcs.items()}
    plans = []
    for i, f in enumerate(module.funcs.entries):
        fidx = nimports + i
        if analysis.instrumented(fidx) or needs_rewrite(f.body):
            name = names.get(fidx, f'function {fidx}')
            try:
                plans.append((f, fidx, type_function(module, f), name))
            except TypingError as e:
                raise LowerError(f'function {name}: {e.message}') from None
    layout = Layout(module)
    runtime = Runtime(layout)
    rewrites = []
    for f, fidx, typing, name in plans:
        r = FunctionRewrite(module, layout, runtime, analysis, f, fidx, typing, name)
        f.body = r.run()
        rewrites.append(r)
    runtime.wrap_exports(analysis.instrumented)
    runtime.finish()
    if report is not None:
        total = len(analysis.tags)
        instrumented = sum(1 for f in analysis.tags if analysis.instrumented(f))
        report['functions instrumented'] = f'{instrumented} / {total}'
        report['frame types'] = sum(1 for r in rewrites if r.points)
        report['suspension points'] = sum(len(r.points) for r in rewrites)
        report['resume sites'] = len(runtime.sites) - 1
    _exception_tags(module)
    retype_abstract(module)
    return module


def _exception_tags(module: Module) -> None:
    """Standard Wasm only has exception tags, whose types have no results: a tag used by `suspend` keeps its
    identity and parameters but loses its results (the resume values now travel through the value slots)."""
    for tag in module.tags.entries:
        ft = module.types.func_type(tag.type)
        if ft.results:
            tag.type = module.types.func(ft.params, ())
    for imp in module.imports.entries:
        if imp.kind == 'tag':
            ft = module.types.func_type(imp.desc)
            if ft.results:
                imp.desc = module.types.func(ft.params, ())
