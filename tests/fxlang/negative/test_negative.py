"""Negative programs: each tests/fxlang/negative/*.fx must fail to compile with exactly the diagnostics
written inline beside the offending line (mypy style):

    let x: int = "a"; // E:18: type mismatch: expected int, found str     (column given)
    frob(3); // E: unknown function 'frob'                                  (any column)
    // E@3:13: unterminated string literal                                  (explicit line:col)

`{file}` and `{dir}` in a message stand for the program's path and folder.  Every expected diagnostic must be
reported and nothing else; each rendered diagnostic must show file:line:col, the source line and a caret under
the reported column.
"""

from __future__ import annotations

import os
import re

import pytest

from fxlang.check import check
from fxlang.diagnostics import FxError, FxErrors
from fxlang.modules import load_program

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = sorted(f for f in os.listdir(HERE) if f.endswith(".fx"))

_EXPECT = re.compile(r"//\s*E(?:@(\d+)(?::(\d+))?)?(?::(\d+))?:\s*(.*?)\s*$")


def expectations(path: str) -> list[tuple[int, int | None, str]]:
    out = []
    with open(path, encoding="utf-8") as f:
        for lineno, text in enumerate(f, 1):
            m = _EXPECT.search(text)
            if not m:
                continue
            at_line, at_col, col, message = m.groups()
            line = int(at_line) if at_line else lineno
            column = int(at_col) if at_col else (int(col) if col else None)
            message = message.replace("{file}", path).replace("{dir}", os.path.dirname(path))
            out.append((line, column, message))
    return out


def diagnostics(path: str) -> list[FxError]:
    try:
        check(load_program(path))
    except FxErrors as e:
        return e.errors
    except FxError as e:
        return [e]
    return []


def test_there_are_enough_negative_programs():
    assert len(PROGRAMS) >= 40


@pytest.mark.parametrize("name", PROGRAMS)
def test_negative_program(name):
    path = os.path.join(HERE, name)
    expected = expectations(path)
    assert expected, f"{name} has no '// E:' expectation"
    errors = diagnostics(path)
    assert errors, f"{name} compiled without errors"
    got = [(e.span.line if e.span else None, e.span.col if e.span else None, e.message) for e in errors]
    unmatched = list(got)
    for line, col, message in expected:
        match = next((g for g in unmatched if g[0] == line and g[2] == message and (col is None or g[1] == col)),
                     None)
        assert match is not None, f"{name}: expected {line}:{col}: {message!r}, got {got}"
        unmatched.remove(match)
    assert not unmatched, f"{name}: unexpected diagnostics {unmatched}"

    for e in errors:
        rendered = e.render().splitlines()
        head = f"{e.span.file}:{e.span.line}:{e.span.col}: error: {e.message}"
        assert rendered[0] == head
        with open(path, encoding="utf-8") as f:
            source_line = f.read().split("\n")[e.span.line - 1]
        assert rendered[1] == "    " + source_line
        caret = rendered[2]
        assert caret.strip().startswith("^")
        assert caret.index("^") == 4 + e.span.col - 1
