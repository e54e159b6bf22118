"""Lexer: token kinds, values, positions, struct-literal lookahead and lexical errors."""

import pytest

from fxlang.diagnostics import FxError, FxErrors
from fxlang.syntax.lexer import Lexer, tokenize


def kinds(src):
    return [t.type for t in tokenize(src)]


def test_operators_longest_match():
    assert kinds("-> => :: == != <= >= && || += -= *= /= %= - = < > ! | :") == [
        "ARROW", "FATARROW", "COLONCOLON", "EQ", "NE", "LE", "GE", "ANDAND", "OROR", "PLUSEQ", "MINUSEQ",
        "STAREQ", "SLASHEQ", "PERCENTEQ", "MINUS", "ASSIGN", "LT", "GT", "NOT", "PIPE", "COLON"]


def test_keywords_reserved_and_names():
    toks = tokenize("fn let mut yield nosuspend handle _ _x x1 Foo")
    assert [t.type for t in toks] == ["FN", "LET", "MUT", "YIELD", "NOSUSPEND", "HANDLE", "UNDERSCORE",
                                      "IDENT", "IDENT", "IDENT"]
    assert [t.value for t in toks[-3:]] == ["_x", "x1", "Foo"]


def test_numbers():
    toks = tokenize("0 42 1_000 0xff 3.25 1e3 2.5e-2 9223372036854775807")
    assert [(t.type, t.value) for t in toks] == [
        ("INT", 0), ("INT", 42), ("INT", 1000), ("INT", 255), ("FLOAT", 3.25), ("FLOAT", 1000.0),
        ("FLOAT", 0.025), ("INT", 2**63 - 1)]


def test_string_escapes():
    (tok,) = tokenize(r'"a\n\t\\\"\u{1F600}\0"')
    assert tok.type == "STRING"
    assert tok.value == 'a\n\t\\"\U0001F600\0'


def test_comments_are_skipped_and_lines_counted():
    src = "// line\n/* block\n comment */ x"
    (tok,) = tokenize(src)
    lexer = Lexer(src, "f.fx")
    assert lexer.position(tok.lexpos) == (3, 13)


def test_positions_and_end():
    lexer = Lexer("let  abc = 1;\n  xy", "f.fx")
    toks = lexer.tokenize()
    abc = toks[1]
    span = lexer.span(abc.lexpos, abc.endpos)
    assert (span.line, span.col, span.end_line, span.end_col) == (1, 6, 1, 9)
    xy = toks[-1]
    assert lexer.position(xy.lexpos) == (2, 3)


def test_struct_literal_lookahead():
    assert kinds("Point { x: 1 }")[0] == "STRUCTNAME"
    assert kinds("Empty {}")[0] == "STRUCTNAME"
    assert kinds("if ready { x }")[1] == "IDENT"
    assert kinds("if ready {}")[1] == "IDENT"          # lower-case name before an empty block
    assert kinds("match v { Some(x) => 1 }")[1] == "IDENT"


@pytest.mark.parametrize("src, message, col", [
    ('"abc', "unterminated string literal", 1),
    ('x = "a\\q"', "unknown escape sequence '\\q'", 7),
    ('"\\u{110000}"', "invalid unicode escape", 2),
    ("a # b", "unexpected character '#'", 3),
    ("/* open", "unterminated block comment", 1),
    ("99999999999999999999", "integer literal is too large for int", 1),
    ("x = 1e999", "float literal is out of range", 5),
])
def test_lexical_errors(src, message, col):
    with pytest.raises(FxError) as info:
        tokenize(src, "f.fx")
    e = info.value
    assert e.message == message
    assert (e.span.file, e.span.line, e.span.col) == ("f.fx", 1, col)


def test_several_lexical_errors_are_gathered():
    with pytest.raises(FxErrors) as info:
        tokenize("a $ b\nc ` d", "f.fx")
    assert [(e.span.line, e.span.col) for e in info.value.errors] == [(1, 3), (2, 3)]


def test_crlf_line_endings():
    from fxlang.syntax import parse

    with pytest.raises(FxError) as info:
        parse("fn main() {\r\n    let x = ;\r\n}\r\n", "w.fx")
    e = info.value
    assert (e.span.line, e.span.col) == (2, 13)
    assert e.render().splitlines()[1] == "        let x = ;"
