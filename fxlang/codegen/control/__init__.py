"""The control features, lowered to WasmFX while function bodies are generated: codegen's plug-in for them
(docs/codegen.md, docs/effects.md).  The expression generator (codegen/expr.py) hands each control construct
to one of these objects, which ProgramGen creates:

    effects.py      `perform`, `handle`, `nosuspend` (fxlang's `barrier`), panic/discontinue builtins
    handlers.py     deep effect handlers: tags, `suspend`, `cont.new` + `resume` drivers, one-shot `k` closures
    captures.py     free variables of the code moved into closures (handle bodies and clauses)
    jumps.py        break/continue/return leaving a handle body or clause (`$escape`)
    generators.py   generators, `for`, `next`, `cancel`; exceptions, try/catch/finally
    fibers.py       `fiber`, `switch_to`, `fiber_run` (`switch`)

They emit the module of target fx; the other targets are passes over it (fxlang/passes).
"""
