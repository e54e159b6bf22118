"""Name resolution and type checking of a whole program.

    check(program: ast.Program) -> Checked     annotates the AST in place (see fxlang/syntax/ast.py);
                                               raises diagnostics.FxError / FxErrors
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Checked:
    """The result of checking: the annotated program and indexes of what codegen must emit.  Every field is
    always filled in by the checker (fxlang/check/checker.py, check_program)."""
    program: Any                    # ast.Program
    main: Any                       # ast.FnDecl
    functions: list                 # every top-level fn, modules in Program order (generic instances included)
    lambdas: list                   # every lambda, by id
    structs: list                   # types.Struct, generic instances included
    enums: list                     # types.Enum, likewise
    globals: list                   # ast.GlobalLet, in initialisation order
    effects: list                   # every types.Effect declared
    exceptions: list                # every types.Exception
    instances: list                 # instances of generic fns (also in functions)
    generic_fns: list               # generic templates (never compiled)
    gen_types: list                 # element types of generators / yields
    async_run: Any                  # std.async's run (ast.FnDecl) when main is async, else None
    handles: list                   # every `handle` that is compiled
    discontinues: bool              # some `discontinue` is compiled


def check(program) -> Checked:
    """Resolve names and infer/check types of `program`; return its Checked summary.

    Raises FxErrors gathering every problem found (FxError when there is exactly one)."""
    from fxlang.check.checker import check_program

    return check_program(program)


__all__ = ["check", "Checked"]
