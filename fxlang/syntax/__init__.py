"""The fx syntax: lexer (PLY), parser (PLY, LALR) and the AST they build.

    parse(source, filename) -> ast.Module      raises diagnostics.FxError / FxErrors on a lexical or syntax error
"""

from fxlang.syntax import ast


def parse(source: str, filename: str = "<input>", module_name: str = "main") -> "ast.Module":
    """Parse the text of one .fx file into an `ast.Module` named `module_name`.

    Raises FxError (or FxErrors for several lexical errors) with the location of the first problem."""
    from fxlang.syntax.parser import parse_module

    return parse_module(source, filename, module_name)


__all__ = ["parse", "ast"]
