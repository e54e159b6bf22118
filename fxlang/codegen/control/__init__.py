"""Lowering of the control features (effects, generators, async, exceptions, nosuspend) to WasmFX.

    handlers.py   deep effect handlers: tags, `suspend`, `cont.new` + `resume` drivers, one-shot `k` closures
    barrier.py    `nosuspend`: fxlang's `barrier` block (target fx), a trapping handler (target standard)

The front end does not produce these constructs yet (next issue); the machinery is built and tested at the
Wasm level so that `handle`/`perform` (and generators/async lowered to them) only have to produce closures.
"""
