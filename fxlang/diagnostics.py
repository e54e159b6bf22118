"""Source locations and the compiler's one error type.

Every phase of the front end reports problems as `FxError(message, span)`; a phase that can gather several
problems raises them together as `FxErrors`.  `render()` gives what a person sees:

    examples/bad.fx:3:13: error: type mismatch: expected int, found str
        let x: int = "hello";
                     ^~~~~~~

Messages are plain and lower-case; they name what was expected and what was found.  This module imports
nothing from the rest of fxlang.
"""

from __future__ import annotations

from typing import NamedTuple

# Source text of every file the front end has read, by file name, so a diagnostic can quote its line
# without the caller having to carry the text around.  `syntax.parse` registers each file it reads.
_SOURCES: dict[str, str] = {}


def register_source(filename: str, text: str) -> None:
    """Remember `text` as the contents of `filename` for rendering diagnostics."""
    _SOURCES[filename] = text


def source_line(filename: str, line: int) -> str | None:
    """Line `line` (1-based) of `filename`, without its newline, or None if unknown."""
    text = _SOURCES.get(filename)
    if text is None:
        try:
            with open(filename, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            return None
        _SOURCES[filename] = text
    lines = text.split("\n")
    if 1 <= line <= len(lines):
        return lines[line - 1].rstrip("\r")
    return None


class Span(NamedTuple):
    """A region of a source file: 1-based line and column of its first character, and the line and column
    just past its last character (so a one-character token at 3:5 has end 3:6).  Immutable; a named tuple
    because the lexer makes one per token (a frozen dataclass was three times slower to build)."""

    file: str
    line: int
    col: int
    end_line: int
    end_col: int

    def to(self, other: "Span") -> "Span":
        """The span from the start of `self` to the end of `other`."""
        return Span(self.file, self.line, self.col, other.end_line, other.end_col)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class FxError(Exception):
    """A problem in a source program, at `span` (None only when no location exists, e.g. a missing file)."""

    def __init__(self, message: str, span: Span | None = None, notes: list[tuple[str, Span | None]] | None = None):
        super().__init__(message)
        self.message = message
        self.span = span
        self.notes = list(notes or [])

    def __str__(self) -> str:
        return f"{self.span}: error: {self.message}" if self.span else f"error: {self.message}"

    def render(self) -> str:
        """`file:line:col: error: message`, then the source line and a caret under the span."""
        out = [str(self)]
        if self.span is not None:
            out.extend(_quote(self.span))
        for note, span in self.notes:
            out.append(f"{span}: note: {note}" if span else f"note: {note}")
            if span is not None:
                out.extend(_quote(span))
        return "\n".join(out)


class FxErrors(FxError):
    """Several problems found in one run, in source order."""

    def __init__(self, errors: list[FxError]):
        errors = sorted(errors, key=_order)
        super().__init__(errors[0].message if errors else "no errors", errors[0].span if errors else None)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)

    def render(self) -> str:
        return "\n".join(e.render() for e in self.errors)


def _order(e: FxError):
    s = e.span
    return (s.file, s.line, s.col) if s else ("", 0, 0)


def raise_all(errors: list[FxError]) -> None:
    """Raise nothing for no errors, the error itself for one, `FxErrors` for several."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise FxErrors(errors)


def _quote(span: Span) -> list[str]:
    text = source_line(span.file, span.line)
    if text is None:
        return []
    # Tabs are kept in the gutter line so the caret lines up under them in a terminal.
    prefix = "".join(c if c == "\t" else " " for c in text[: max(span.col - 1, 0)])
    if span.end_line == span.line:
        width = max(span.end_col - span.col, 1)
    else:
        width = max(len(text) - span.col + 1, 1)
    return ["    " + text, "    " + prefix + "^" + "~" * (width - 1)]
