"""Name resolution and type checking of a whole program.

    check(program: ast.Program) -> Checked     annotates the AST in place (see fxlang/syntax/ast.py);
                                               raises diagnostics.FxError / FxErrors
"""


def check(program):
    """Resolve names and infer/check types of `program`; return a `checker.Checked` summary.

    Raises FxErrors gathering every problem found (FxError when there is exactly one)."""
    from fxlang.check.checker import check_program

    return check_program(program)


__all__ = ["check"]
