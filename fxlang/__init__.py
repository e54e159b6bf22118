"""fxlang: compiler for the fx language (effects, generators, async/await) to WasmFX.

Pipeline (fxlang/driver.py): syntax.parse -> check.check -> codegen.generate -> wasm.encode.
Nothing here imports the VM; only fxlang/cli.py calls it through `vm`'s public API.
"""
