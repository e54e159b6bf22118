"""vm.script: the .wast spec-script runner behind `python -m vm.script` and `fxc wast`.

    result = run_wast(path)      # -> Result: passed / failed / skipped counts, failures [Failure(line, command, message)]

It never raises for a script's contents: wasm-tools errors, VM errors and VM crashes become failure records.
"""

from .run import DEFAULT_FUEL, Failure, Result, main, run_files, run_wast

__all__ = ["run_wast", "run_files", "Result", "Failure", "main", "DEFAULT_FUEL"]
