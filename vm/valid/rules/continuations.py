"""Typing rules of stack switching: cont.new, cont.bind, suspend, resume*, switch.

From the stack-switching Explainer and the reference interpreter (valid/valid.ml); `barrier`
is in control.py (typed like block).
"""

from __future__ import annotations

from vm.syntax.types import FuncType, RefType

from ..context import invalid, fmt_types
from . import rule, EXNREF
from .control import exception_tag


# -- stack switching --

@rule('cont.new')
def _cont_new(v, args):
    x = args[0]
    ct = v.ctx.cont_type(x)
    v.pop(RefType(True, ct.type_index))
    v.vals.append(RefType(False, x))


@rule('cont.bind')
def _cont_bind(v, args):
    x, y = args
    ft1 = v.ctx.cont_func_type(x)
    ft2 = v.ctx.cont_func_type(y)
    n1, n2 = len(ft1.params), len(ft2.params)
    if n1 < n2:
        raise invalid(f'type mismatch in continuation arguments: type {x} takes {n1} arguments, '
                      f'type {y} takes {n2}')
    bound, rest = ft1.params[:n1 - n2], ft1.params[n1 - n2:]
    if not v.match.func(FuncType(rest, ft1.results), ft2):
        raise invalid(f'type mismatch in continuation types: {fmt_types(rest)} -> '
                      f'{fmt_types(ft1.results)} does not match {fmt_types(ft2.params)} -> '
                      f'{fmt_types(ft2.results)}')
    v.pop(RefType(True, x))
    v.pop_vals(bound)
    v.vals.append(RefType(False, y))


@rule('suspend')
def _suspend(v, args):
    ft = v.ctx.tag(args[0])
    v.pop_vals(ft.params)
    v.vals.extend(ft.results)


def _check_handlers(v, handlers, results):
    """Handler clauses of resume/resume_throw/resume_throw_ref; `results` are the resume's."""
    ctx = v.ctx
    for h in handlers:
        ft = ctx.tag(h.tag)
        if h.label is None:
            if ft.params:
                raise invalid(f'type mismatch in switch tag: tag {h.tag} has parameters '
                              f'{fmt_types(ft.params)}')
            # the tag's results are the resume's (wasm-tools and wasmtime demand both directions)
            if not v.match.results(ft.results, results) or not v.match.results(results, ft.results):
                raise invalid(f'type mismatch in switch tag: tag {h.tag} results {fmt_types(ft.results)}, '
                              f'continuation results {fmt_types(results)}')
            continue
        lts = v.label(h.label)
        last = lts[-1] if lts else None
        if not isinstance(last, RefType):
            raise invalid('type mismatch: instruction requires continuation reference type '
                          f'but label has {fmt_types(lts)}')
        if not isinstance(last.heap, int):
            raise invalid('type mismatch: instruction requires concrete continuation reference '
                          f'type but label has {fmt_types(lts)}')
        ft2 = ctx.cont_func_type(last.heap)
        if not v.match.func(FuncType(ft.results, results), ft2):
            raise invalid(f'type mismatch in continuation type: handler for tag {h.tag} needs '
                          f'{fmt_types(ft.results)} -> {fmt_types(results)}, label has '
                          f'{fmt_types(ft2.params)} -> {fmt_types(ft2.results)}')
        if not v.match.results(tuple(ft.params) + (last,), lts):
            raise invalid(f'type mismatch: label requires {fmt_types(lts)} but tag {h.tag} '
                          f'provides {fmt_types(tuple(ft.params) + (last,))}')


@rule('resume')
def _resume(v, args):
    x, handlers = args
    ft = v.ctx.cont_func_type(x)
    _check_handlers(v, handlers, ft.results)
    v.pop(RefType(True, x))
    v.pop_vals(ft.params)
    v.vals.extend(ft.results)


@rule('resume_throw')
def _resume_throw(v, args):
    x, tag, handlers = args
    ft = v.ctx.cont_func_type(x)
    exn = exception_tag(v, tag)
    _check_handlers(v, handlers, ft.results)
    v.pop(RefType(True, x))
    v.pop_vals(exn)
    v.vals.extend(ft.results)


@rule('resume_throw_ref')
def _resume_throw_ref(v, args):
    x, handlers = args
    ft = v.ctx.cont_func_type(x)
    _check_handlers(v, handlers, ft.results)
    v.pop(RefType(True, x))
    v.pop(EXNREF)
    v.vals.extend(ft.results)


@rule('switch')
def _switch(v, args):
    x, tag = args
    ctx = v.ctx
    ft1 = ctx.cont_func_type(x)
    last = ft1.params[-1] if ft1.params else None
    if not isinstance(last, RefType):
        raise invalid('type mismatch: instruction requires continuation reference type '
                      f'but the type annotation has {fmt_types(ft1.params)}')
    if not isinstance(last.heap, int):
        raise invalid('type mismatch: instruction requires concrete continuation reference type '
                      f'but the type annotation has {fmt_types(ft1.params)}')
    ft2 = ctx.cont_func_type(last.heap)
    et = ctx.tag(tag)
    if et.params:
        raise invalid(f'type mismatch in switch tag: tag {tag} has parameters {fmt_types(et.params)}')
    if not v.match.results(ft1.results, et.results) or not v.match.results(et.results, ft2.results):
        raise invalid(f'type mismatch in continuation types: switch tag {tag} results '
                      f'{fmt_types(et.results)}, continuation results {fmt_types(ft1.results)} '
                      f'and {fmt_types(ft2.results)}')
    v.pop(RefType(True, x))
    v.pop_vals(ft1.params[:-1])
    v.vals.extend(ft2.params)
