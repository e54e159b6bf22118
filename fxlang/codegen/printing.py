"""`print(x)` / `println(x)` written in parts straight into `memory` (docs/codegen.md, "Strings and output").

    print_call(g, args, newline)       g: the codegen.expr.FnGen of the function, args: the call's arguments

The argument, a `+` chain of strings, is split into its parts: literals, `str(n)` of ints (and bare ints), and
any other string.  Nothing is concatenated and no `$str` is made for literals or ints: a literal is copied
from the passive `literals` segment into the scratch area (`memory.init`) and written; an int is formatted
backwards into the scratch area by `print.int`, which can append the newline; only the other strings go
through `$print`.  So `println("sum = " + str(n))` needs neither `str.concat` nor `int.to_str`.
All parts are evaluated (left to right) before the first byte is written, as with the concatenation: a part
that traps or prints leaves the line unwritten.  Parts that are plain variables are read at their write.
"""

from __future__ import annotations

from fxlang.check import types as T
from fxlang.syntax import ast as A

from .layout import resolve
from .runtime import SCRATCH

INT_FIELD = 24        # print.int writes its digits backwards to end here (20 digits and a sign fit)


def print_call(g, args, newline: bool) -> None:
    parts = _parts(args[0]) if args else []
    if newline:
        if parts and parts[-1][0] == 'lit':
            parts[-1] = ('lit', parts[-1][1] + b'\n')
        elif parts and parts[-1][0] == 'int':
            parts[-1] = ('int', parts[-1][1], True)
        else:
            parts.append(('lit', b'\n'))
    # evaluate first unless every part is free of effects (literals and variables)
    pure = all(p[0] == 'lit' or isinstance(p[1], A.Name) for p in parts)
    loaded = []
    for p in parts:
        if p[0] == 'lit' or pure:
            loaded.append(None)
            continue
        _push(g, p)
        tmp = g.tmp('i64' if p[0] == 'int' else g.L.vt(T.STR), 'part')
        g.emit('local.set', tmp)
        loaded.append(tmp)
    rt = g.rt
    for p, tmp in zip(parts, loaded):
        if p[0] == 'lit':
            data = p[1]
            if not data:
                continue
            if len(data) <= SCRATCH:
                g.emit('i32.const', rt._literal_offset(data))
                g.emit('i32.const', len(data))
                g.emit('call', _print_lit(rt))
            else:
                rt.literal(g.f, data.decode('utf-8'))
                g.emit('call', rt.print())
            continue
        if tmp is None:
            _push(g, p)
        else:
            g.emit('local.get', tmp)
        if p[0] == 'int':
            g.emit('i32.const', 1 if len(p) > 2 else 0)
            g.emit('call', _print_int(rt))
        else:
            g.emit('call', rt.print())


def _parts(e) -> list:
    """('lit', bytes) | ('int', int expr) | ('str', expr of any type str() accepts), adjacent literals merged."""
    out: list = []

    def walk(e):
        t = resolve(e.ty)
        if isinstance(e, A.Binary) and e.op == '+' and t == T.STR:
            walk(e.left)
            walk(e.right)
        elif isinstance(e, A.StrLit):
            data = e.value.encode('utf-8')
            if out and out[-1][0] == 'lit':
                out[-1] = ('lit', out[-1][1] + data)
            else:
                out.append(('lit', data))
        elif t == T.INT:
            out.append(('int', e))
        elif isinstance(e, A.Call) and e.kind == A.CALL_BUILTIN and e.builtin == 'str' and len(e.args) == 1 \
                and resolve(e.args[0].ty) == T.INT:
            out.append(('int', e.args[0]))
        else:
            out.append(('str', e))
    walk(e)
    return out


def _push(g, p) -> None:
    if p[0] == 'int':
        g.expr(p[1])
    else:
        g.to_str(p[1])


def _print_lit(rt):
    """print.lit(offset, len): copy bytes of the literals segment into the scratch area and write them."""
    def build(f):
        write = rt._import('write', ['i32', 'i32'], [])
        f.emit('i32.const', 0); f.emit('local.get', 0); f.emit('local.get', 1)
        f.emit('memory.init', rt._seg, rt.memory)
        f.emit('i32.const', 0); f.emit('local.get', 1); f.emit('call', write)
    return rt._helper('print.lit', 'print.lit', ['i32', 'i32'], [], build, ('offset', 'len'))


def _print_int(rt):
    """print.int(n, newline): the decimal digits of n (magnitude taken unsigned, so i64.min works), then
    "\\n" when newline is 1, in one write."""
    def build(f):
        write = rt._import('write', ['i32', 'i32'], [])
        pos, mag = f.local('i32', 'pos'), f.local('i64', 'mag')
        f.emit('i32.const', INT_FIELD); f.emit('i32.const', 10); f.emit('i32.store8')
        f.emit('i32.const', INT_FIELD); f.emit('local.set', pos)
        f.emit('i64.const', 0); f.emit('local.get', 0); f.emit('i64.sub')
        f.emit('local.get', 0)
        f.emit('local.get', 0); f.emit('i64.const', 0); f.emit('i64.lt_s'); f.emit('select')
        f.emit('local.set', mag)
        with f.loop() as digit:
            f.emit('local.get', pos); f.emit('i32.const', 1); f.emit('i32.sub'); f.emit('local.tee', pos)
            f.emit('local.get', mag); f.emit('i64.const', 10); f.emit('i64.rem_u'); f.emit('i32.wrap_i64')
            f.emit('i32.const', 48); f.emit('i32.add'); f.emit('i32.store8')
            f.emit('local.get', mag); f.emit('i64.const', 10); f.emit('i64.div_u'); f.emit('local.tee', mag)
            f.emit('i64.const', 0); f.emit('i64.ne'); f.emit('br_if', digit)
        f.emit('local.get', 0); f.emit('i64.const', 0); f.emit('i64.lt_s')
        with f.if_():
            f.emit('local.get', pos); f.emit('i32.const', 1); f.emit('i32.sub'); f.emit('local.tee', pos)
            f.emit('i32.const', 45); f.emit('i32.store8')
        f.emit('local.get', pos)
        f.emit('i32.const', INT_FIELD); f.emit('local.get', 1); f.emit('i32.add'); f.emit('local.get', pos)
        f.emit('i32.sub')
        f.emit('call', write)
    return rt._helper('print.int', 'print.int', ['i64', 'i32'], [], build, ('n', 'newline'))
