"""The fx parser (PLY, LALR(1)): tokens -> ast.Module.

`parse_module(source, filename, module_name)` is the one entry point.  The grammar is in the `p_<rule>`
docstrings below; one precedence table settles operators and the few places where an expression may go on
(`return -1`, `|x| x + 1`, a statement without `;` followed by `-x`): the longer reading always wins.

Statements: a block is a sequence of items, each `let ...;`, `target op= value;`, `expr;` or a bare `expr`.
A bare expression is allowed only as the last item (it becomes the block's value, `Block.tail`) or when it is
block-like (`if`, `while`, `loop`, `match`, `{}`), as in Rust; this is checked when the block is reduced.

Parse tables are built at first use and cached in fxlang/syntax/__pycache__ (git-ignored, see _get_parser);
nothing is printed.
"""

from __future__ import annotations

import ply.yacc as yacc

from fxlang.diagnostics import FxError, Span, raise_all, register_source
from fxlang.syntax import ast
from fxlang.syntax.lexer import DISPLAY, KEYWORDS, RESERVED, Lexer, tokens  # noqa: F401  (PLY reads `tokens`)

precedence = (
    ("nonassoc", "LOWEST"),
    # Tokens that can start an expression: above LOWEST so that `return x`, `break x`, a lambda body or a
    # statement without `;` goes on rather than stopping before them.
    ("nonassoc", "INT", "FLOAT", "STRING", "TRUE", "FALSE", "IDENT", "STRUCTNAME", "LBRACE", "IF", "WHILE",
     "LOOP", "MATCH", "RETURN", "BREAK", "CONTINUE", "PIPE", "SEMI", "PERFORM", "HANDLE", "NOSUSPEND",
     "YIELD", "AWAIT", "THROW", "FOR", "TRY", "RESUME"),
    ("left", "OROR"),
    ("left", "ANDAND"),
    ("nonassoc", "EQ", "NE", "LT", "LE", "GT", "GE"),
    ("left", "PLUS", "MINUS"),
    ("left", "STAR", "SLASH", "PERCENT"),
    ("right", "UMINUS", "NOT"),
    ("left", "LPAREN", "LBRACKET", "DOT"),
)

BLOCK_LIKE = (ast.Block, ast.If, ast.While, ast.Loop, ast.Match, ast.Handle, ast.NoSuspend, ast.For, ast.Try)


# ---------------------------------------------------------------------------------------------------------
# Spans

def _sym_span(p, i) -> Span | None:
    return _slice_span(p, p.slice[i])


def _slice_span(p, sym) -> Span | None:
    span = getattr(sym, "span", None)          # a token (the lexer gave each one its span)
    if span is not None:
        return span
    if hasattr(sym, "endpos"):
        return p.parser.fx_lexer.span(sym.lexpos, sym.endpos)
    return getattr(sym.value, "span", None)


def _span(p, a: int = 1, b: int | None = None) -> Span:
    """Span from the start of symbol `a` to the end of symbol `b` (default: the last symbol); empty
    optional parts (None) and lists at the end are skipped back over."""
    symbols = p.slice
    if b is None:
        b = len(symbols) - 1
    end = None
    while end is None and b >= a:
        end = _slice_span(p, symbols[b])
        b -= 1
    start = _slice_span(p, symbols[a])
    return Span(start.file, start.line, start.col, end.end_line, end.end_col)


def _fail(p, message: str, span: Span):
    raise FxError(message, span)


# ---------------------------------------------------------------------------------------------------------
# Module and items

def p_module(p):
    """module : items"""
    p[0] = p[1]


def p_items(p):
    """items : items item
             | empty"""
    p[0] = p[1] + [p[2]] if len(p) == 3 else []


def p_item(p):
    """item : import
            | fn_decl
            | struct_decl
            | enum_decl
            | effect_decl
            | exception_decl
            | global_let"""
    p[0] = p[1]


def p_import(p):
    """import : IMPORT dotted SEMI"""
    p[0] = ast.Import(p[2], _span(p))


def p_dotted(p):
    """dotted : IDENT
              | dotted DOT IDENT
              | dotted DOT ASYNC"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[3]]


def p_fn_decl(p):
    """fn_decl : FN IDENT tparams_opt LPAREN params RPAREN ret_opt effs_opt block
               | ASYNC FN IDENT tparams_opt LPAREN params RPAREN ret_opt effs_opt block"""
    is_async = p.slice[1].type == "ASYNC"
    a = 2 if is_async else 1
    p[0] = ast.FnDecl(p[a + 1], p[a + 4], p[a + 6], p[a + 8], _span(p), name_span=_sym_span(p, a + 1),
                      is_async=is_async, type_params=p[a + 2], declared_effects=p[a + 7])


def p_tparams_opt(p):
    """tparams_opt : LBRACKET tparam_list RBRACKET
                   | LBRACKET tparam_list COMMA RBRACKET
                   | empty"""
    p[0] = p[2] if len(p) > 2 else []


def p_tparam_list(p):
    """tparam_list : IDENT
                   | tparam_list COMMA IDENT"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[3]]


def p_effs_opt(p):
    """effs_opt : SLASH effect_set
                | empty"""
    p[0] = p[2] if len(p) == 3 else None


def p_effect_set(p):
    """effect_set : effect_ref
                  | LBRACE effect_refs RBRACE
                  | LBRACE effect_refs PIPE IDENT RBRACE"""
    if len(p) == 2:
        p[0] = [p[1]]
    elif len(p) == 4:
        p[0] = p[2]
    else:       # an open row: `{State[T] | e}` (the tail is an EffectRef marked `row`)
        p[0] = p[2] + [ast.EffectRef(p[4], [], _sym_span(p, 4), row=True)]


def p_effect_refs(p):
    """effect_refs : effect_ref_list
                   | effect_ref_list COMMA
                   | empty"""
    p[0] = p[1] or []


def p_effect_ref_list(p):
    """effect_ref_list : effect_ref
                       | effect_ref_list COMMA effect_ref"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[3]]


def p_effect_ref(p):
    """effect_ref : IDENT
                  | STRUCTNAME
                  | IDENT LBRACKET types RBRACKET
                  | YIELD type"""
    if len(p) == 2:
        p[0] = ast.EffectRef(p[1], [], _span(p))
    elif len(p) == 5:
        p[0] = ast.EffectRef(p[1], p[3], _span(p))
    else:
        p[0] = ast.EffectRef("yield", [p[2]], _span(p))


def p_exception_decl(p):
    """exception_decl : EXCEPTION IDENT
                      | EXCEPTION IDENT LPAREN types RPAREN"""
    p[0] = ast.ExceptionDecl(p[2], p[4] if len(p) == 6 else [], _span(p), name_span=_sym_span(p, 2))


def p_params(p):
    """params : param_list
              | param_list COMMA
              | empty"""
    p[0] = p[1] or []


def p_param_list(p):
    """param_list : param
                  | param_list COMMA param"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[3]]


def p_param(p):
    """param : IDENT COLON type"""
    p[0] = ast.Param(p[1], p[3], _span(p))


def p_ret_opt(p):
    """ret_opt : ARROW type
               | empty"""
    p[0] = p[2] if len(p) == 3 else None


def p_sname(p):
    """sname : IDENT
             | STRUCTNAME"""
    p[0] = p[1]


def p_struct_decl(p):
    """struct_decl : STRUCT sname LBRACE field_decls RBRACE
                   | STRUCT IDENT LBRACKET tparam_list RBRACKET LBRACE field_decls RBRACE"""
    if len(p) == 6:
        p[0] = ast.StructDecl(p[2], p[4], _span(p), name_span=_name_span(p, 2))
    else:
        p[0] = ast.StructDecl(p[2], p[7], _span(p), name_span=_sym_span(p, 2), type_params=p[4])


def _name_span(p, i):
    # `sname` is a nonterminal over one token; recover that token's span from its neighbours.
    start = p.slice[i - 1].endpos
    lexer = p.parser.fx_lexer
    text = lexer.source
    while start < len(text) and text[start] in " \t\r\n":
        start += 1
    return lexer.span(start, start + len(p[i]))


def p_field_decls(p):
    """field_decls : field_decl_list
                   | field_decl_list COMMA
                   | empty"""
    p[0] = p[1] or []


def p_field_decl_list(p):
    """field_decl_list : field_decl
                       | field_decl_list COMMA field_decl"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[3]]


def p_field_decl(p):
    """field_decl : IDENT COLON type"""
    p[0] = ast.FieldDecl(p[1], p[3], _span(p))


def p_enum_decl(p):
    """enum_decl : ENUM sname LBRACE variants RBRACE
                 | ENUM IDENT LBRACKET tparam_list RBRACKET LBRACE variants RBRACE"""
    if len(p) == 6:
        p[0] = ast.EnumDecl(p[2], p[4], _span(p), name_span=_name_span(p, 2))
    else:
        p[0] = ast.EnumDecl(p[2], p[7], _span(p), name_span=_sym_span(p, 2), type_params=p[4])


def p_variants(p):
    """variants : variant_list
                | variant_list COMMA
                | empty"""
    p[0] = p[1] or []


def p_variant_list(p):
    """variant_list : variant
                    | variant_list COMMA variant"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[3]]


def p_variant(p):
    """variant : IDENT
               | IDENT LPAREN types RPAREN"""
    p[0] = ast.VariantDecl(p[1], p[3] if len(p) == 5 else [], _span(p))


def p_effect_decl(p):
    """effect_decl : EFFECT sname LBRACE op_decls RBRACE
                   | EFFECT IDENT LBRACKET tparam_list RBRACKET LBRACE op_decls RBRACE"""
    if len(p) == 6:
        p[0] = ast.EffectDecl(p[2], p[4], _span(p), name_span=_name_span(p, 2))
    else:
        p[0] = ast.EffectDecl(p[2], p[7], _span(p), name_span=_sym_span(p, 2), type_params=p[4])


def p_op_decls(p):
    """op_decls : op_decl_list
                | op_decl_list COMMA
                | empty"""
    p[0] = p[1] or []


def p_op_decl_list(p):
    """op_decl_list : op_decl
                    | op_decl_list COMMA op_decl"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[3]]


def p_op_decl(p):
    """op_decl : IDENT LPAREN types RPAREN ret_opt"""
    p[0] = ast.OpDecl(p[1], p[3], p[5], _span(p))


def p_global_let(p):
    """global_let : LET mut_opt IDENT ty_opt ASSIGN expr SEMI"""
    p[0] = ast.GlobalLet(p[3], p[2], p[4], p[6], _span(p))


def p_mut_opt(p):
    """mut_opt : MUT
               | empty"""
    p[0] = p[1] is not None


def p_ty_opt(p):
    """ty_opt : COLON type
              | empty"""
    p[0] = p[2] if len(p) == 3 else None


# ---------------------------------------------------------------------------------------------------------
# Types

def p_type_named(p):
    """type : IDENT
            | STRUCTNAME"""
    p[0] = ast.NamedType(p[1], _span(p))


def p_type_generic(p):
    """type : IDENT LBRACKET type_list RBRACKET
            | IDENT LBRACKET type_list COMMA RBRACKET"""
    p[0] = ast.NamedType(p[1], _span(p), args=p[3])


def p_type_unit(p):
    """type : LPAREN RPAREN"""
    p[0] = ast.NamedType("unit", _span(p))


def p_type_array(p):
    """type : LBRACKET type RBRACKET"""
    p[0] = ast.ArrayType(p[2], _span(p))


def p_type_fn(p):
    """type : FN LPAREN types RPAREN ret_opt
            | FN LPAREN types RPAREN ret_opt SLASH effect_set"""
    p[0] = ast.FnType(p[3], p[5], _span(p), effects=p[7] if len(p) == 8 else None)


def p_types(p):
    """types : type_list
             | type_list COMMA
             | empty"""
    p[0] = p[1] or []


def p_type_list(p):
    """type_list : type
                 | type_list COMMA type"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[3]]


# ---------------------------------------------------------------------------------------------------------
# Blocks and statements

def p_block(p):
    """block : LBRACE stmts RBRACE"""
    items = p[2]
    stmts = []
    tail = None
    for i, s in enumerate(items):
        if isinstance(s, ast.ExprStmt) and not s.semi:
            if i == len(items) - 1:
                tail = s.expr
                break
            if not isinstance(s.expr, BLOCK_LIKE):
                end = s.expr.span
                nxt = items[i + 1].span
                if end.end_line < nxt.line:     # at the end of the expression's line, where the `;` is missing
                    _fail(p, f"expected ';' after this expression, found {_describe_at(p, nxt)} on the next line",
                          Span(end.file, end.end_line, end.end_col, end.end_line, end.end_col + 1))
                _fail(p, f"expected ';' after expression, found {_describe_at(p, nxt)}",
                      Span(end.file, nxt.line, nxt.col, nxt.line, nxt.col + 1))
        stmts.append(s)
    p[0] = ast.Block(stmts, tail, _span(p))


def _describe_at(p, span: Span) -> str:
    lexer = p.parser.fx_lexer
    offset = lexer.line_starts[span.line - 1] + span.col - 1
    for tok in p.parser.fx_tokens:
        if tok.lexpos == offset:
            return _describe(tok)
    return "expression"


def p_stmts(p):
    """stmts : stmts stmt
             | stmts SEMI
             | empty"""
    if len(p) == 2:
        p[0] = []
    elif isinstance(p[2], ast.Stmt):
        p[0] = p[1] + [p[2]]
    else:
        p[0] = p[1]
        last = p[0][-1] if p[0] else None
        if isinstance(last, ast.ExprStmt) and not last.semi:
            # `if c { } ;` — the `;` makes the block-like expression a statement, not the block's value
            p[0][-1] = ast.ExprStmt(last.expr, True, last.span.to(_sym_span(p, 2)))


def p_stmt_let(p):
    """stmt : LET mut_opt IDENT ty_opt ASSIGN expr SEMI"""
    p[0] = ast.Let(p[3], p[2], p[4], p[6], _span(p))


def p_stmt_expr_semi(p):
    """stmt : sexpr SEMI"""
    p[0] = ast.ExprStmt(p[1], True, _span(p))


def p_stmt_expr(p):
    """stmt : sexpr %prec LOWEST
            | block_like"""
    p[0] = ast.ExprStmt(p[1], False, _span(p))


def p_stmt_assign(p):
    """stmt : sexpr assign_op expr SEMI"""
    target = p[1]
    if not isinstance(target, (ast.Name, ast.Index, ast.Field)):
        _fail(p, "invalid assignment target", target.span)
    p[0] = ast.Assign(target, p[2], p[3], _span(p))


def p_assign_op(p):
    """assign_op : ASSIGN
                 | PLUSEQ
                 | MINUSEQ
                 | STAREQ
                 | SLASHEQ
                 | PERCENTEQ"""
    p[0] = p[1]


# ---------------------------------------------------------------------------------------------------------
# Expressions

def p_expr_binary(p):
    """expr : expr OROR expr
            | expr ANDAND expr
            | expr EQ expr
            | expr NE expr
            | expr LT expr
            | expr LE expr
            | expr GT expr
            | expr GE expr
            | expr PLUS expr
            | expr MINUS expr
            | expr STAR expr
            | expr SLASH expr
            | expr PERCENT expr
    sexpr : sexpr OROR expr
             | sexpr ANDAND expr
             | sexpr EQ expr
             | sexpr NE expr
             | sexpr LT expr
             | sexpr LE expr
             | sexpr GT expr
             | sexpr GE expr
             | sexpr PLUS expr
             | sexpr MINUS expr
             | sexpr STAR expr
             | sexpr SLASH expr
             | sexpr PERCENT expr"""
    p[0] = ast.Binary(p[2], p[1], p[3], _span(p))


def p_expr_unary(p):
    """expr : MINUS expr %prec UMINUS
            | NOT expr
    sexpr : MINUS expr %prec UMINUS
          | NOT expr"""
    if p[1] == "-" and isinstance(p[2], ast.IntLit) and p[2].value == 2**63:
        p[0] = ast.IntLit(-(2**63), _span(p))     # the one literal that needs its sign to fit in int
    else:
        p[0] = ast.Unary(p[1], p[2], _span(p))


def p_expr_call(p):
    """expr : expr LPAREN args RPAREN
    sexpr : sexpr LPAREN args RPAREN"""
    p[0] = ast.Call(p[1], p[3], _span(p))


def p_expr_index(p):
    """expr : expr LBRACKET expr RBRACKET
    sexpr : sexpr LBRACKET expr RBRACKET"""
    p[0] = ast.Index(p[1], p[3], _span(p))


def p_expr_field(p):
    """expr : expr DOT IDENT
    sexpr : sexpr DOT IDENT"""
    p[0] = ast.Field(p[1], p[3], _span(p))


def p_args(p):
    """args : arg_list
            | arg_list COMMA
            | empty"""
    p[0] = p[1] or []


def p_arg_list(p):
    """arg_list : expr
                | arg_list COMMA expr"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[3]]


def p_expr_int(p):
    """atom : INT"""
    p[0] = ast.IntLit(p[1], _span(p))


def p_expr_float(p):
    """atom : FLOAT"""
    p[0] = ast.FloatLit(p[1], _span(p))


def p_expr_string(p):
    """atom : STRING"""
    p[0] = ast.StrLit(p[1], _span(p))


def p_expr_bool(p):
    """atom : TRUE
            | FALSE"""
    p[0] = ast.BoolLit(p[1] == "true", _span(p))


def p_expr_unit(p):
    """atom : LPAREN RPAREN"""
    p[0] = ast.UnitLit(_span(p))


def p_expr_paren(p):
    """atom : LPAREN expr RPAREN"""
    p[0] = p[2]


def p_expr_name(p):
    """atom : IDENT"""
    p[0] = ast.Name(p[1], _span(p))


def p_expr_resume(p):
    """atom : RESUME"""
    p[0] = ast.Name("resume", _span(p))     # inside a handler clause: its continuation (checker)


def p_expr_path(p):
    """atom : IDENT COLONCOLON IDENT"""
    p[0] = ast.Path(p[1], p[3], _span(p))


def p_expr_array(p):
    """atom : LBRACKET args RBRACKET"""
    p[0] = ast.ArrayLit(p[2], _span(p))


def p_expr_struct(p):
    """atom : STRUCTNAME LBRACE field_inits RBRACE"""
    p[0] = ast.StructLit(p[1], p[3], _span(p))


def p_field_inits(p):
    """field_inits : field_init_list
                   | field_init_list COMMA
                   | empty"""
    p[0] = p[1] or []


def p_field_init_list(p):
    """field_init_list : field_init
                       | field_init_list COMMA field_init"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[3]]


def p_field_init(p):
    """field_init : IDENT COLON expr"""
    p[0] = ast.FieldInit(p[1], p[3], _span(p))


def p_expr_atom(p):
    """expr : atom
            | block_like
    sexpr : atom"""
    p[0] = p[1]


def p_block_like(p):
    """block_like : block
                  | if_expr
                  | while_expr
                  | loop_expr
                  | match_expr
                  | handle_expr
                  | nosuspend_expr
                  | for_expr
                  | try_expr"""
    p[0] = p[1]


def p_perform(p):
    """atom : PERFORM IDENT LPAREN args RPAREN
            | PERFORM IDENT COLONCOLON IDENT LPAREN args RPAREN"""
    if len(p) == 6:
        p[0] = ast.Perform(None, p[2], p[4], _span(p))
    else:
        p[0] = ast.Perform(p[2], p[4], p[6], _span(p))


def p_expr_yield(p):
    """atom : YIELD expr %prec LOWEST"""
    p[0] = ast.Yield(p[2], _span(p))


def p_expr_await(p):
    """expr : AWAIT expr %prec UMINUS
    sexpr : AWAIT expr %prec UMINUS"""
    p[0] = ast.Await(p[2], _span(p))


def p_expr_throw(p):
    """atom : THROW IDENT %prec LOWEST
            | THROW IDENT LPAREN args RPAREN"""
    p[0] = ast.Throw(p[2], p[4] if len(p) == 6 else [], _span(p))


def p_for_expr(p):
    """for_expr : FOR IDENT IN expr block
                | FOR UNDERSCORE IN expr block
                | FOR IDENT IN expr DOTDOT expr block
                | FOR UNDERSCORE IN expr DOTDOT expr block"""
    if len(p) == 6:
        p[0] = ast.For(p[2], p[4], p[5], _span(p))
    else:
        p[0] = ast.For(p[2], ast.Range(p[4], p[6], p[4].span.to(p[6].span)), p[7], _span(p))


def p_try_expr(p):
    """try_expr : TRY block catches
                | TRY block catches FINALLY block
                | TRY block FINALLY block"""
    if len(p) == 4:
        p[0] = ast.Try(p[2], p[3], None, _span(p))
    elif len(p) == 6:
        p[0] = ast.Try(p[2], p[3], p[5], _span(p))
    else:
        p[0] = ast.Try(p[2], [], p[4], _span(p))


def p_catches(p):
    """catches : catch
               | catches catch"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[2]]


def p_catch(p):
    """catch : CATCH sname block
             | CATCH UNDERSCORE block
             | CATCH IDENT LPAREN clause_params RPAREN block"""
    if len(p) == 4:
        name = None if p.slice[2].type == "UNDERSCORE" else p[2]
        p[0] = ast.CatchClause(name, [], p[3], _span(p))
    else:
        p[0] = ast.CatchClause(p[2], p[4], p[6], _span(p))


def p_nosuspend_expr(p):
    """nosuspend_expr : NOSUSPEND block"""
    p[0] = ast.NoSuspend(p[2], _span(p))


def p_handle_expr(p):
    """handle_expr : HANDLE block WITH LBRACE handler_clauses RBRACE"""
    clauses, rets = [], []
    for c in p[5]:
        (rets if isinstance(c, ast.ReturnClause) else clauses).append(c)
    if len(rets) > 1:
        _fail(p, "a handler has at most one 'return' clause", rets[1].span)
    p[0] = ast.Handle(p[2], clauses, rets[0] if rets else None, _span(p))


def p_handler_clauses(p):
    """handler_clauses : handler_clause_list
                       | handler_clause_list COMMA
                       | empty"""
    p[0] = p[1] or []


def p_handler_clause_list(p):
    """handler_clause_list : handler_clause
                           | handler_clause_list COMMA handler_clause
                           | handler_clause_list handler_clause"""
    if len(p) == 2:
        p[0] = [p[1]]
    elif len(p) == 4:
        p[0] = p[1] + [p[3]]
    else:
        if not isinstance(p[1][-1].body, BLOCK_LIKE):
            nxt = p[2].span
            _fail(p, "expected ',' after handler clause", Span(nxt.file, nxt.line, nxt.col, nxt.line, nxt.col + 1))
        p[0] = p[1] + [p[2]]


def p_handler_clause_op(p):
    """handler_clause : IDENT LPAREN clause_params RPAREN COMMA clause_param FATARROW expr %prec LOWEST
                      | IDENT COLONCOLON IDENT LPAREN clause_params RPAREN COMMA clause_param FATARROW expr %prec LOWEST"""
    if len(p) == 9:
        p[0] = ast.HandlerClause(None, p[1], p[3], p[6], p[8], _span(p))
    else:
        p[0] = ast.HandlerClause(p[1], p[3], p[5], p[8], p[10], _span(p))


def p_handler_clause_return(p):
    """handler_clause : RETURN clause_param FATARROW expr %prec LOWEST"""
    p[0] = ast.ReturnClause(p[2], p[4], _span(p))


def p_clause_params(p):
    """clause_params : clause_param_list
                     | clause_param_list COMMA
                     | empty"""
    p[0] = p[1] or []


def p_clause_param_list(p):
    """clause_param_list : clause_param
                         | clause_param_list COMMA clause_param"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[3]]


def p_clause_param(p):
    """clause_param : IDENT
                    | UNDERSCORE"""
    p[0] = ast.Param(p[1], None, _span(p))


def p_if_expr(p):
    """if_expr : IF expr block
               | IF expr block ELSE block
               | IF expr block ELSE if_expr"""
    p[0] = ast.If(p[2], p[3], p[5] if len(p) == 6 else None, _span(p))


def p_expr_while(p):
    """while_expr : WHILE expr block"""
    p[0] = ast.While(p[2], p[3], _span(p))


def p_expr_loop(p):
    """loop_expr : LOOP block"""
    p[0] = ast.Loop(p[2], _span(p))


def p_expr_break(p):
    """atom : BREAK %prec LOWEST
            | BREAK expr %prec LOWEST"""
    p[0] = ast.Break(p[2] if len(p) == 3 else None, _span(p))


def p_expr_continue(p):
    """atom : CONTINUE"""
    p[0] = ast.Continue(_span(p))


def p_expr_return(p):
    """atom : RETURN %prec LOWEST
            | RETURN expr %prec LOWEST"""
    p[0] = ast.Return(p[2] if len(p) == 3 else None, _span(p))


def p_expr_lambda(p):
    """atom : PIPE lparams PIPE expr %prec LOWEST
            | OROR expr %prec LOWEST
            | PIPE lparams PIPE ARROW type block
            | OROR ARROW type block"""
    if p.slice[1].type == "OROR":
        params, rest = [], p[2:]
    else:
        params, rest = p[2], p[4:]
    if len(rest) == 1:
        p[0] = ast.Lambda(params, None, rest[0], _span(p))
    else:
        p[0] = ast.Lambda(params, rest[1], rest[2], _span(p))


def p_lparams(p):
    """lparams : lparam_list
               | lparam_list COMMA
               | empty"""
    p[0] = p[1] or []


def p_lparam_list(p):
    """lparam_list : lparam
                   | lparam_list COMMA lparam"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[3]]


def p_lparam(p):
    """lparam : IDENT
              | IDENT COLON type"""
    p[0] = ast.Param(p[1], p[3] if len(p) == 4 else None, _span(p))


# ---------------------------------------------------------------------------------------------------------
# match

def p_expr_match(p):
    """match_expr : MATCH expr LBRACE arms RBRACE"""
    p[0] = ast.Match(p[2], p[4], _span(p))


def p_arms(p):
    """arms : arm_list
            | arm_list COMMA
            | empty"""
    p[0] = p[1] or []


def p_arm_list(p):
    """arm_list : arm
                | arm_list COMMA arm
                | arm_list arm"""
    if len(p) == 2:
        p[0] = [p[1]]
    elif len(p) == 4:
        p[0] = p[1] + [p[3]]
    else:
        prev = p[1][-1]
        if not isinstance(prev.body, BLOCK_LIKE):
            nxt = p[2].span
            _fail(p, "expected ',' after match arm", Span(nxt.file, nxt.line, nxt.col, nxt.line, nxt.col + 1))
        p[0] = p[1] + [p[2]]


def p_arm(p):
    """arm : pattern FATARROW expr %prec LOWEST
           | pattern IF expr FATARROW expr %prec LOWEST"""
    if len(p) == 4:
        p[0] = ast.MatchArm(p[1], None, p[3], _span(p))
    else:
        p[0] = ast.MatchArm(p[1], p[3], p[5], _span(p))


def p_arm_assign(p):
    """arm : pattern FATARROW expr assign_op expr %prec LOWEST
           | pattern IF expr FATARROW expr assign_op expr %prec LOWEST"""
    # an assignment as the arm's body (`Some(x) => cur = x,`): a block holding that one statement
    n = len(p)
    target, op, value = p[n - 3], p[n - 2], p[n - 1]
    if not isinstance(target, (ast.Name, ast.Index, ast.Field)):
        _fail(p, "invalid assignment target", target.span)
    span = target.span.to(value.span)
    body = ast.Block([ast.Assign(target, op, value, span)], None, span)
    p[0] = ast.MatchArm(p[1], p[3] if n == 8 else None, body, _span(p))


def p_pattern_wild(p):
    """pattern : UNDERSCORE"""
    p[0] = ast.WildcardPat(_span(p))


def p_pattern_name(p):
    """pattern : IDENT"""
    if p[1][:1].isupper():
        p[0] = ast.VariantPat(None, p[1], [], _span(p))
    else:
        p[0] = ast.BindPat(p[1], _span(p))


def p_pattern_path(p):
    """pattern : IDENT COLONCOLON IDENT"""
    p[0] = ast.VariantPat(p[1], p[3], [], _span(p))


def p_pattern_variant(p):
    """pattern : IDENT LPAREN patterns RPAREN
               | IDENT COLONCOLON IDENT LPAREN patterns RPAREN"""
    if len(p) == 5:
        p[0] = ast.VariantPat(None, p[1], p[3], _span(p))
    else:
        p[0] = ast.VariantPat(p[1], p[3], p[5], _span(p))


def p_pattern_struct(p):
    """pattern : IDENT LBRACE field_pats RBRACE
               | STRUCTNAME LBRACE field_pats RBRACE"""
    fields, rest = p[3]
    p[0] = ast.StructPat(p[1], fields, rest, _span(p))


def p_field_pats(p):
    """field_pats : field_pat_list
                  | field_pat_list COMMA
                  | field_pat_list COMMA DOTDOT
                  | DOTDOT
                  | empty"""
    if p[1] is None:
        p[0] = ([], False)
    elif p[1] == "..":
        p[0] = ([], True)
    else:
        p[0] = (p[1], len(p) == 4)


def p_field_pat_list(p):
    """field_pat_list : field_pat
                      | field_pat_list COMMA field_pat"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[3]]


def p_field_pat(p):
    """field_pat : IDENT COLON pattern
                 | IDENT"""
    if len(p) == 4:
        p[0] = ast.FieldPat(p[1], p[3], _span(p))
    else:       # `x` is short for `x: x`
        p[0] = ast.FieldPat(p[1], ast.BindPat(p[1], _span(p)), _span(p))


def p_patterns(p):
    """patterns : pattern_list
                | pattern_list COMMA
                | empty"""
    p[0] = p[1] or []


def p_pattern_list(p):
    """pattern_list : pattern
                    | pattern_list COMMA pattern"""
    p[0] = [p[1]] if len(p) == 2 else p[1] + [p[3]]


def p_pattern_lit(p):
    """pattern : INT
               | FLOAT
               | STRING
               | TRUE
               | FALSE"""
    tok = p.slice[1]
    span = _span(p)
    if tok.type == "INT":
        lit = ast.IntLit(p[1], span)
    elif tok.type == "FLOAT":
        lit = ast.FloatLit(p[1], span)
    elif tok.type == "STRING":
        lit = ast.StrLit(p[1], span)
    else:
        lit = ast.BoolLit(p[1] == "true", span)
    p[0] = ast.LitPat(lit, span)


def p_pattern_neg(p):
    """pattern : MINUS INT
               | MINUS FLOAT"""
    span = _span(p)
    lit = ast.IntLit(-p[2], span) if p.slice[2].type == "INT" else ast.FloatLit(-p[2], span)
    p[0] = ast.LitPat(lit, span)


def p_empty(p):
    """empty :"""
    p[0] = None


# ---------------------------------------------------------------------------------------------------------
# Syntax errors

_EXPR_START = {
    "INT", "FLOAT", "STRING", "TRUE", "FALSE", "IDENT", "STRUCTNAME", "LPAREN", "LBRACKET", "LBRACE", "IF",
    "WHILE", "LOOP", "MATCH", "RETURN", "BREAK", "CONTINUE", "PIPE", "OROR", "MINUS", "NOT", "PERFORM",
    "HANDLE", "NOSUSPEND", "YIELD", "AWAIT", "THROW", "FOR", "TRY", "RESUME",
}
_CONTINUATION = {
    "PLUS", "MINUS", "STAR", "SLASH", "PERCENT", "EQ", "NE", "LT", "LE", "GT", "GE", "ANDAND", "OROR",
    "LPAREN", "LBRACKET", "DOT", "ASSIGN", "PLUSEQ", "MINUSEQ", "STAREQ", "SLASHEQ", "PERCENTEQ",
}
_TYPE_START = {"IDENT", "STRUCTNAME", "LBRACKET", "FN", "LPAREN"}
_ITEM_START = {"FN", "STRUCT", "ENUM", "IMPORT", "LET", "EFFECT", "EXCEPTION", "ASYNC"}


def _describe(tok) -> str:
    if tok is None:
        return "end of file"
    if tok.type in ("IDENT", "STRUCTNAME"):
        return f"'{tok.value}'"
    if tok.type == "INT" or tok.type == "FLOAT":
        return f"number {tok.value!r}"
    if tok.type == "STRING":
        return "string literal"
    return DISPLAY.get(tok.type, tok.type)


def _accepts(parser, tok_type: str) -> bool:
    """Whether the parser, in its current configuration, would shift `tok_type` (after any reductions).
    LALR merges lookaheads of similar states, so the action table alone over-reports what may follow."""
    stack = list(parser.statestack)
    for _ in range(10000):
        a = parser.action[stack[-1]].get(tok_type)
        if a is None:
            return False
        if a >= 0:
            return True
        prod = parser.productions[-a]
        if prod.len:
            del stack[-prod.len:]
        g = parser.goto[stack[-1]].get(prod.name)
        if g is None:
            return False
        stack.append(g)
    return False


def _expected(parser) -> str:
    exp = {t for t in parser.action[parser.state] if t not in ("$end", "error") and _accepts(parser, t)}
    if "$end" in parser.action[parser.state] and _ITEM_START <= exp:
        return "item (fn, struct, enum, effect, exception, import or let)"
    words = []
    if len(_EXPR_START & exp) >= 10:
        exp -= _EXPR_START
        if "LET" in exp:
            exp.discard("LET")
            exp.discard("SEMI")
            words.append("statement")
        else:
            words.append("expression")
    elif len(_TYPE_START & exp) >= 4:
        exp -= _TYPE_START
        words.append("type")
    rest = exp - _CONTINUATION if (exp - _CONTINUATION) else exp
    if len(rest) > 5:
        rest = set(sorted(rest)[:5])
    words.extend(DISPLAY.get(t, t) for t in sorted(rest, key=lambda t: DISPLAY.get(t, t)))
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def p_error(tok):
    parser = _parser
    lexer = parser.fx_lexer
    if tok is None:
        end = len(lexer.source)
        span = lexer.span(end, end)
    else:
        span = lexer.span(tok.lexpos, tok.endpos)
    if tok is not None and tok.type.lower() in RESERVED:
        raise FxError(f"'{tok.value}' is reserved for a future version of fx and cannot be used here", span)
    if (tok is not None and tok.value in KEYWORDS and tok.type not in ("TRUE", "FALSE")
            and _accepts(parser, "IDENT") and not _accepts(parser, "INT")):
        raise FxError(f"'{tok.value}' is a keyword and cannot be used as a name", span)
    cmp = ("EQ", "NE", "LT", "LE", "GT", "GE")
    syms = parser.symstack
    if tok is not None and tok.type in cmp and len(syms) >= 3 and getattr(syms[-2], "type", "") in cmp:
        raise FxError("comparison operators cannot be chained; use parentheses", span)
    expected = _expected(parser)
    found = _describe(tok)
    if expected.startswith("';'") or ", ';'" in expected or "or ';'" in expected:
        # a missing `;` belongs to the end of the line before, not to the next statement's first token
        prev = _previous_token(parser, tok)
        if prev is not None and (tok is None or lexer.position(prev.lexpos)[0] < lexer.position(tok.lexpos)[0]):
            span = lexer.span(prev.endpos, prev.endpos)
            raise FxError(f"expected {expected} after this, found {found}"
                          + (" on the next line" if tok is not None else ""), span)
    if expected:
        raise FxError(f"expected {expected}, found {found}", span)
    raise FxError(f"unexpected {found}", span)


def _previous_token(parser, tok):
    """The token before `tok` (the last one when `tok` is None, at the end of the file)."""
    toks = getattr(parser, "fx_tokens", None) or []
    if tok is None:
        return toks[-1] if toks else None
    lo, hi = 0, len(toks)
    while lo < hi:                      # tokens are in source order: the last one starting before `tok`
        mid = (lo + hi) // 2
        if toks[mid].lexpos < tok.lexpos:
            lo = mid + 1
        else:
            hi = mid
    return toks[lo - 1] if lo > 0 else None


# ---------------------------------------------------------------------------------------------------------
# Entry point

_parser = None


def _get_parser():
    """The LALR parser.  Building its tables takes a noticeable part of a second, so they are cached in this
    package's (git-ignored) __pycache__ folder; PLY checks the cached tables' grammar signature and rebuilds
    them when the grammar changed.  Any problem with the cache (read-only install, a half-written file from a
    concurrent process) falls back to building in memory."""
    global _parser
    if _parser is None:
        import os
        import sys

        module = sys.modules[__name__]
        cache = os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__", "fx_parsetab.pickle")
        try:
            os.makedirs(os.path.dirname(cache), exist_ok=True)
            _parser = yacc.yacc(module=module, start="module", debug=False, picklefile=cache,
                                errorlog=yacc.NullLogger())
        except Exception:
            try:
                os.remove(cache)        # unreadable: let the next run write it afresh
            except OSError:
                pass
            _parser = yacc.yacc(module=module, start="module", write_tables=False, debug=False,
                                errorlog=yacc.NullLogger())
    return _parser


class _TokenStream:
    def __init__(self, toks):
        self._it = iter(toks)

    def token(self):
        return next(self._it, None)


_SYNC = {"FN", "STRUCT", "ENUM", "EFFECT", "IMPORT", "LET", "EXCEPTION", "ASYNC"}
MAX_SYNTAX_ERRORS = 20


def parse_module(source: str, filename: str = "<input>", module_name: str = "main") -> ast.Module:
    """Parse one file.  Raises FxError, or FxErrors for several lexical or syntax errors.

    After a syntax error the parser resumes at the next item keyword (`fn`, `struct`, `enum`, `effect`,
    `import`, `let`) that starts a line in column 1, so one run reports the first error of each broken item
    rather than a cascade."""
    register_source(filename, source)
    lexer = Lexer(source, filename)
    toks = lexer.tokenize()
    raise_all(lexer.errors)
    parser = _get_parser()
    parser.fx_lexer = lexer
    parser.fx_tokens = toks
    items: list = []
    errors: list[FxError] = []
    start = 0
    try:
        while True:
            try:
                items += parser.parse(lexer=_TokenStream(toks[start:]))
                break
            except FxError as e:
                errors.append(e)
                start = _resync(toks, lexer, e, start)
                if start is None or len(errors) >= MAX_SYNTAX_ERRORS:
                    break
    except RecursionError:
        raise FxError("program is nested too deeply", lexer.span(0, 0)) from None
    finally:
        parser.fx_lexer = None
        parser.fx_tokens = None
    raise_all(errors)
    imports = [i for i in items if isinstance(i, ast.Import)]
    decls = [i for i in items if not isinstance(i, ast.Import)]
    end = len(source)
    return ast.Module(module_name, filename, imports, decls, lexer.span(0, end))


def _resync(toks: list, lexer: Lexer, error: FxError, start: int) -> int | None:
    """Index of the token to resume parsing at after `error`, or None to stop."""
    s = error.span
    if s is None:
        return None
    offset = lexer.line_starts[s.line - 1] + s.col - 1
    for i in range(start + 1, len(toks)):
        t = toks[i]
        if t.lexpos >= offset and t.type in _SYNC and lexer.position(t.lexpos)[1] == 1:
            return i
    return None
