"""The fx lexer (PLY): source text -> tokens with exact source positions.

`tokenize(source, filename)` returns the list of tokens the parser reads; lexical errors (a stray character,
an unterminated string or comment, a bad escape, an integer out of range) are gathered and raised together.

Each token's `lexpos` is its offset in the source and `endpos` the offset just past it, so the parser builds
spans by offset and `Lexer.span(start, end)` turns offsets into line/column.

One token is decided with lookahead: a name directly followed by `{` that opens a struct literal
(`Point { x: 1 }`, `Empty {}`) is lexed as STRUCTNAME, so `if ready { ... }` stays a condition and a block.
It is a struct literal when the brace is followed by `name :` or, for a capitalised name, by `}`.
"""

from __future__ import annotations

import bisect
import re

import ply.lex as lex

from fxlang.diagnostics import FxError, Span, raise_all

# Keywords of the language today.
KEYWORDS = {
    "fn", "let", "mut", "if", "else", "while", "loop", "break", "continue", "return", "match",
    "struct", "enum", "import", "true", "false",
    "effect", "perform", "handle", "with", "nosuspend",
    "yield", "for", "in", "async", "await", "try", "catch", "finally", "throw", "exception", "resume",
}
# Reserved for a future version: not usable as names (none at present; `spawn` is a function of std.async).
RESERVED: set[str] = set()

tokens = (
    [k.upper() for k in sorted(KEYWORDS | RESERVED)]
    + [
        "IDENT", "STRUCTNAME", "INT", "FLOAT", "STRING",
        "PLUS", "MINUS", "STAR", "SLASH", "PERCENT",
        "EQ", "NE", "LT", "LE", "GT", "GE", "ANDAND", "OROR", "NOT",
        "ASSIGN", "PLUSEQ", "MINUSEQ", "STAREQ", "SLASHEQ", "PERCENTEQ",
        "LPAREN", "RPAREN", "LBRACE", "RBRACE", "LBRACKET", "RBRACKET",
        "COMMA", "SEMI", "COLON", "COLONCOLON", "DOT", "DOTDOT", "ARROW", "FATARROW", "PIPE", "UNDERSCORE",
    ]
)

# How each token is named in messages ("expected '}' ..., found 'fn'").
DISPLAY = {
    "IDENT": "name", "STRUCTNAME": "name", "INT": "integer", "FLOAT": "float", "STRING": "string",
    "PLUS": "'+'", "MINUS": "'-'", "STAR": "'*'", "SLASH": "'/'", "PERCENT": "'%'",
    "EQ": "'=='", "NE": "'!='", "LT": "'<'", "LE": "'<='", "GT": "'>'", "GE": "'>='",
    "ANDAND": "'&&'", "OROR": "'||'", "NOT": "'!'",
    "ASSIGN": "'='", "PLUSEQ": "'+='", "MINUSEQ": "'-='", "STAREQ": "'*='", "SLASHEQ": "'/='",
    "PERCENTEQ": "'%='", "LPAREN": "'('", "RPAREN": "')'", "LBRACE": "'{'", "RBRACE": "'}'",
    "LBRACKET": "'['", "RBRACKET": "']'", "COMMA": "','", "SEMI": "';'", "COLON": "':'",
    "COLONCOLON": "'::'", "DOT": "'.'", "DOTDOT": "'..'", "ARROW": "'->'", "FATARROW": "'=>'", "PIPE": "'|'",
    "UNDERSCORE": "'_'",
}
for _k in KEYWORDS | RESERVED:
    DISPLAY[_k.upper()] = f"'{_k}'"

INT_MAX = 2**63 - 1

# ---------------------------------------------------------------------------------------------------------
# Token rules (PLY: longest literal first is handled by ordering the string rules by length)

t_ARROW = r"->"
t_FATARROW = r"=>"
t_COLONCOLON = r"::"
t_EQ = r"=="
t_NE = r"!="
t_LE = r"<="
t_GE = r">="
t_ANDAND = r"&&"
t_OROR = r"\|\|"
t_PLUSEQ = r"\+="
t_MINUSEQ = r"-="
t_STAREQ = r"\*="
t_SLASHEQ = r"/="
t_PERCENTEQ = r"%="
t_PLUS = r"\+"
t_MINUS = r"-"
t_STAR = r"\*"
t_SLASH = r"/"
t_PERCENT = r"%"
t_LT = r"<"
t_GT = r">"
t_NOT = r"!"
t_ASSIGN = r"="
t_LPAREN = r"\("
t_RPAREN = r"\)"
t_LBRACE = r"\{"
t_RBRACE = r"\}"
t_LBRACKET = r"\["
t_RBRACKET = r"\]"
t_COMMA = r","
t_SEMI = r";"
t_COLON = r":"
t_DOTDOT = r"\.\."
t_DOT = r"\."
t_PIPE = r"\|"

t_ignore = " \t\r"


def t_newline(t):
    r"\n[\n \t\r]*"
    # also swallows the next line's indentation: one match instead of PLY's loop over ignored characters
    t.lexer.lineno += t.value.count("\n")


def t_block_comment(t):
    r"/\*(.|\n)*?\*/"
    t.lexer.lineno += t.value.count("\n")


def t_unterminated_comment(t):
    r"/\*(.|\n)*"
    t.lexer.owner.error("unterminated block comment", t.lexpos, t.lexpos + 2)
    t.lexer.lineno += t.value.count("\n")


def t_line_comment(t):
    r"//[^\n]*"


def t_FLOAT(t):
    r"[0-9][0-9_]*\.[0-9][0-9_]*([eE][+-]?[0-9]+)?|[0-9][0-9_]*[eE][+-]?[0-9]+"
    value = float(t.value.replace("_", ""))
    if value == float("inf"):
        t.lexer.owner.error("float literal is out of range", t.lexpos, t.lexpos + len(t.value))
        value = 0.0
    t.value = value
    return t


def t_INT(t):
    r"0x[0-9a-fA-F_]+|[0-9][0-9_]*"
    text = t.value.replace("_", "")
    value = int(text, 16) if text.startswith("0x") else int(text)
    # 9223372036854775808 is allowed so that `-9223372036854775808` can be written; the checker rejects it
    # anywhere else.
    if value > INT_MAX + 1:
        t.lexer.owner.error("integer literal is too large for int", t.lexpos, t.lexpos + len(t.value))
        value = 0
    t.value = value
    return t


def t_STRING(t):
    r'"([^"\\\n]|\\.)*"'
    t.value = t.lexer.owner.unescape(t.value[1:-1], t.lexpos + 1)
    return t


def t_unterminated_string(t):
    r'"([^"\\\n]|\\.)*'
    t.lexer.owner.error("unterminated string literal", t.lexpos, t.lexpos + 1)


def t_IDENT(t):
    r"[A-Za-z_][A-Za-z0-9_]*"
    if t.value == "_":
        t.type = "UNDERSCORE"
    elif t.value in KEYWORDS or t.value in RESERVED:
        t.type = t.value.upper()
    return t


def t_error(t):
    ch = t.value[0]
    t.lexer.owner.error(f"unexpected character {ch!r}", t.lexpos, t.lexpos + 1)
    t.lexer.skip(1)


_NEWLINE = re.compile("\n")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}

_lexer_template = None


def _template():
    global _lexer_template
    if _lexer_template is None:
        import sys

        _lexer_template = lex.lex(module=sys.modules[__name__], optimize=False, errorlog=lex.NullLogger())
    return _lexer_template


class Lexer:
    """Tokenizes one file; collects lexical errors; maps offsets to spans."""

    def __init__(self, source: str, filename: str):
        self.source = source
        self.filename = filename
        self.errors: list[FxError] = []
        self.line_starts = [0]
        self.line_starts += [m.end() for m in _NEWLINE.finditer(source)]

    # positions ---------------------------------------------------------------------------------------
    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        line, col = self.position(start)
        end_line, end_col = self.position(max(end, start))
        return Span(self.filename, line, col, end_line, end_col)

    def error(self, message: str, start: int, end: int) -> None:
        self.errors.append(FxError(message, self.span(start, end)))

    def unescape(self, body: str, offset: int) -> str:
        out = []
        i = 0
        while i < len(body):
            ch = body[i]
            if ch != "\\":
                out.append(ch)
                i += 1
                continue
            nxt = body[i + 1] if i + 1 < len(body) else ""
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
            elif nxt == "u" and body[i + 2: i + 3] == "{":
                close = body.find("}", i + 3)
                digits = body[i + 3: close] if close != -1 else ""
                try:
                    if not digits or len(digits) > 6 or any(c not in "0123456789abcdefABCDEF" for c in digits):
                        raise ValueError
                    code = int(digits, 16)
                    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                        raise ValueError
                except ValueError:
                    end = close + 1 if close != -1 else len(body)
                    self.error("invalid unicode escape", offset + i, offset + end)
                    i = end
                    continue
                out.append(chr(code))
                i = close + 1
            else:
                self.error(f"unknown escape sequence '\\{nxt}'", offset + i, offset + i + 2)
                i += 2
        return "".join(out)

    # tokens ------------------------------------------------------------------------------------------
    def tokenize(self) -> list:
        """PLY's `Lexer.token` loop (ply/lex.py) inlined, with the rules PLY compiled from this module: on
        a big file the call per token, and a second pass for spans, were half of the lexing time.  Each token
        also gets `endpos` and its `span` (what `span(lexpos, endpos)` says), walking the lines once."""
        lx = _template().clone()
        lx.owner = self
        lx.lineno = 1
        lx.input(self.source)
        data, size = self.source, len(self.source)
        ignore, master, error_rule = lx.lexignore, lx.lexre, lx.lexerrorf
        starts, file = self.line_starts, self.filename
        last = len(starts) - 1
        li = 0
        toks = []
        pos = 0
        while pos < size:
            if data[pos] in ignore:
                pos += 1
                continue
            for regex, rules in master:
                m = regex.match(data, pos)
                if m:
                    break
            else:
                # no rule matches: t_error reports the character and skips it
                tok = lex.LexToken()
                tok.value, tok.lineno, tok.type, tok.lexer, tok.lexpos = data[pos:], lx.lineno, "error", lx, pos
                lx.lexpos = pos
                error_rule(tok)
                if lx.lexpos == pos:
                    raise lex.LexError(f"Scanning error. Illegal character {data[pos]!r}", data[pos:])
                pos = lx.lexpos
                continue
            rule, kind = rules[m.lastindex]
            end = m.end()
            if rule is None:
                if not kind:                 # an ignored pattern
                    pos = end
                    continue
                tok = lex.LexToken()
                tok.value, tok.lineno, tok.type, tok.lexpos = m.group(), lx.lineno, kind, pos
            else:
                tok = lex.LexToken()
                tok.value, tok.lineno, tok.type, tok.lexpos = m.group(), lx.lineno, kind, pos
                tok.lexer = lx
                lx.lexmatch = m
                lx.lexpos = end
                tok = rule(tok)
                end = lx.lexpos
                if not tok:                  # newlines, comments, errors
                    pos = end
                    continue
            tok.endpos = end
            while li < last and starts[li + 1] <= pos:
                li += 1
            lj = li
            while lj < last and starts[lj + 1] <= end:
                lj += 1
            tok.span = Span(file, li + 1, pos - starts[li] + 1, lj + 1, end - starts[lj] + 1)
            toks.append(tok)
            pos = end
        _mark_struct_literals(toks)
        return toks


def _mark_struct_literals(toks: list) -> None:
    for i, tok in enumerate(toks):
        if tok.type != "IDENT" or i + 2 >= len(toks) or toks[i + 1].type != "LBRACE":
            continue
        a = toks[i + 2]
        if a.type == "RBRACE" and tok.value[:1].isupper():
            tok.type = "STRUCTNAME"
        elif a.type == "IDENT" and i + 3 < len(toks) and toks[i + 3].type == "COLON":
            tok.type = "STRUCTNAME"


def tokenize(source: str, filename: str = "<input>") -> list:
    """The tokens of `source`; raises FxError/FxErrors for lexical errors."""
    lexer = Lexer(source, filename)
    toks = lexer.tokenize()
    raise_all(lexer.errors)
    return toks
