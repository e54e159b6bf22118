"""Module validation: the spec's module typing rule.

[[Module]] --> None; raises ValidationError (spec wording, with function index/name and byte
offset when the error is inside code).

The order follows the reference interpreter's check_module: types (one rec group at a time,
iso-recursive canonicalization and declared subtyping, see subtyping.py), imports, function and
tag declarations, tables (their initializers see only imported globals), memories, globals (each
initializer sees the globals before it), element and data segments, function bodies (code.py,
the spec appendix's algorithm), start function, exports.
"""

from __future__ import annotations

from vm.errors import ValidationError
from vm.syntax.types import (
    ArrayType, ContType, FuncType, GlobalType, MemoryType, StructType, SubType, TableType,
    TagType,
)

from .code import CodeValidator
from .context import Context, invalid, fmt_type
from .subtyping import canonicalize_group, kind_of, REGISTRY

MAX_SUBTYPE_DEPTH = 63        # the spec's limit on the length of a supertype chain
MAX_PAGES = {'i32': 1 << 16, 'i64': 1 << 48}
MAX_TABLE = {'i32': (1 << 32) - 1, 'i64': (1 << 64) - 1}


def validate(module) -> None:
    """Check that a decoded Module is valid; raise ValidationError at the first violation."""
    try:
        _validate(module)
    except ValidationError:
        raise
    except RecursionError:
        raise ValidationError('module too deeply nested to validate') from None


def _at(err: ValidationError, offset) -> ValidationError:
    if err.offset is None:
        err.offset = offset
    return err


def _validate(m) -> None:
    c = Context(m)
    _check_types(c, m)
    for im in m.imports:
        try:
            _check_import(c, im)
        except ValidationError as e:
            raise _at(e, im.offset)
    for f in m.funcs:
        try:
            c.func_type(f.type_index)
        except ValidationError as e:
            raise _at(e, f.offset)
        c.funcs.append(f.type_index)
    for tag in m.tags:
        try:
            _check_tag_type(c, tag.type)
        except ValidationError as e:
            raise _at(e, tag.offset)
        c.tags.append(tag.type.type_index)
    c.refs = _declared_refs(m)
    nglobals_imported = len(c.globals)
    imported_globals = list(c.globals)
    for t in m.tables:
        try:
            _check_table_type(c, t.type)
            saved, c.globals = c.globals, imported_globals
            try:
                if t.init is not None:
                    _check_const(c, t.init, t.type.elem)
                elif not t.type.elem.nullable:
                    raise invalid(f'type mismatch: table of non-nullable type '
                                  f'{fmt_type(t.type.elem)} needs an initializer')
            finally:
                c.globals = saved
        except ValidationError as e:
            raise _at(e, t.offset)
        c.tables.append(t.type)
    for mem in m.memories:
        try:
            _check_memory_type(c, mem.type)
        except ValidationError as e:
            raise _at(e, mem.offset)
        c.mems.append(mem.type)
    assert len(c.globals) == nglobals_imported
    for g in m.globals:
        try:
            _check_global_type(c, g.type)
            _check_const(c, g.init, g.type.type)
        except ValidationError as e:
            raise _at(e, g.offset)
        c.globals.append(g.type)
    for seg in m.elems:
        try:
            _check_elem(c, seg)
        except ValidationError as e:
            raise _at(e, seg.offset)
        c.elems.append(seg.type)
    for seg in m.datas:
        try:
            _check_data(c, seg)
        except ValidationError as e:
            raise _at(e, seg.offset)
    c.ndatas = len(m.datas)
    nimported = len(c.funcs) - len(m.funcs)
    for i, f in enumerate(m.funcs):
        _check_func(c, m, nimported + i, f)
    if m.start is not None:
        ft = c.func_type_of(m.start)
        if ft.params or ft.results:
            raise invalid('start function must not have parameters or results')
    names = set()
    for ex in m.exports:
        try:
            _check_export(c, ex)
            if ex.name in names:
                raise invalid(f'duplicate export name {ex.name!r}')
        except ValidationError as e:
            raise _at(e, ex.offset)
        names.add(ex.name)


# -- types -----------------------------------------------------------------------------------------

def _check_types(c: Context, m) -> None:
    types = m.types
    expected = 0
    for g in m.rec_groups:
        start, size = g.start, g.size
        if start != expected or size < 0 or start + size > len(types):
            raise invalid(f'malformed rec group ({start}, {size})')
        expected = start + size
        group = types[start:start + size]
        for st in group:
            if not isinstance(st, SubType):
                raise invalid(f'malformed type {st!r}')
        c.types.extend(group)
        c.match.kinds.extend(kind_of(st.composite) for st in group)
        for i, st in enumerate(group):
            x = start + i
            _check_composite(c, st.composite)
            if len(st.supertypes) > 1:
                raise invalid(f'sub type {x} has too many supertypes')
            for y in st.supertypes:
                if type(y) is not int or not 0 <= y < len(c.types):
                    raise invalid(f'unknown type {y}')
                if y >= x:
                    raise invalid(f'sub type {x}: forward use of type {y} in sub type definition')
        canonicalize_group(types, start, size, c.match.canon)
        for i, st in enumerate(group):
            x = start + i
            for y in st.supertypes:
                sup = c.types[y]
                if sup.final:
                    raise invalid(f'sub type {x} has final super type {y}')
                if not c.match.composite(st.composite, sup.composite):
                    raise invalid(f'sub type {x} does not match super type {y}')
            if REGISTRY.depth[c.match.canon[x]] > MAX_SUBTYPE_DEPTH:
                raise invalid(f'sub type hierarchy too deep: type {x} has more than '
                              f'{MAX_SUBTYPE_DEPTH} supertypes above it')
    if expected != len(types):
        raise invalid('malformed rec groups: types not covered')


def _check_composite(c: Context, ct) -> None:
    if isinstance(ct, FuncType):
        for t in ct.params:
            c.check_val(t)
        for t in ct.results:
            c.check_val(t)
    elif isinstance(ct, StructType):
        for f in ct.fields:
            c.check_storage(f.storage)
    elif isinstance(ct, ArrayType):
        c.check_storage(ct.field.storage)
    elif isinstance(ct, ContType):
        c.func_type(ct.type_index)
    else:
        raise invalid(f'malformed composite type {ct!r}')


def _check_limits(lim, bound, what) -> None:
    if lim.index not in MAX_PAGES:
        raise invalid(f'malformed address type {lim.index!r}')
    if not 0 <= lim.min <= bound:
        raise invalid(f'{what}')
    if lim.max is not None:
        if not 0 <= lim.max <= bound:
            raise invalid(f'{what}')
        if lim.min > lim.max:
            raise invalid(f'size minimum must not be greater than maximum ({lim.min} > {lim.max})')


def _check_table_type(c: Context, tt) -> None:
    if not isinstance(tt, TableType):
        raise invalid(f'malformed table type {tt!r}')
    c.check_ref(tt.elem)
    idx = tt.limits.index
    bound = MAX_TABLE.get(idx, 0)
    _check_limits(tt.limits, bound, f'table size must be at most {"2^32-1" if idx == "i32" else "2^64-1"} '
                                    f'for {idx}')


def _check_memory_type(c: Context, mt) -> None:
    if not isinstance(mt, MemoryType):
        raise invalid(f'malformed memory type {mt!r}')
    idx = mt.limits.index
    what = ('memory size must be at most 65536 pages (4GiB)' if idx == 'i32'
            else 'memory size must be at most 2^48 pages (256 TiB) for i64')
    _check_limits(mt.limits, MAX_PAGES.get(idx, 0), what)
    if mt.limits.shared and mt.limits.max is None:
        raise invalid('shared memory must have maximum')


def _check_global_type(c: Context, gt) -> None:
    if not isinstance(gt, GlobalType):
        raise invalid(f'malformed global type {gt!r}')
    c.check_val(gt.type)


def _check_tag_type(c: Context, tt) -> None:
    if not isinstance(tt, TagType):
        raise invalid(f'malformed tag type {tt!r}')
    c.func_type(tt.type_index)


def _check_import(c: Context, im) -> None:
    kind, desc = im.kind, im.desc
    if kind == 'func':
        c.func_type(desc)
        c.funcs.append(desc)
    elif kind == 'table':
        _check_table_type(c, desc)
        c.tables.append(desc)
    elif kind == 'memory':
        _check_memory_type(c, desc)
        c.mems.append(desc)
    elif kind == 'global':
        _check_global_type(c, desc)
        c.globals.append(desc)
    elif kind == 'tag':
        _check_tag_type(c, desc)
        c.tags.append(desc.type_index)
    else:
        raise invalid(f'malformed import kind {kind!r}')


def _check_export(c: Context, ex) -> None:
    lookup = {'func': c.func, 'table': c.table, 'memory': c.memory, 'global': c.global_,
              'tag': c.tag}.get(ex.kind)
    if lookup is None:
        raise invalid(f'malformed export kind {ex.kind!r}')
    lookup(ex.index)


# -- constant expressions and segments ------------------------------------------------------------

def _declared_refs(m) -> frozenset:
    """C.refs: functions referenced outside function bodies (by ref.func or an export)."""
    refs = set()

    def scan(expr):
        if expr:
            for ins in expr:
                if ins.op == 'ref.func' and ins.args:
                    refs.add(ins.args[0])

    for g in m.globals:
        scan(g.init)
    for t in m.tables:
        scan(t.init)
    for seg in m.elems:
        for e in seg.init:
            scan(e)
        scan(seg.offset_expr)
    for seg in m.datas:
        scan(seg.offset_expr)
    for ex in m.exports:
        if ex.kind == 'func':
            refs.add(ex.index)
    return frozenset(refs)


def _check_const(c: Context, expr, t) -> None:
    if not isinstance(expr, list) or not expr:
        raise invalid('malformed constant expression')
    CodeValidator(c, (), (t,)).run(expr, const=True)


def _check_elem(c: Context, seg) -> None:
    c.check_ref(seg.type)
    for e in seg.init:
        _check_const(c, e, seg.type)
    if seg.mode == 'active':
        tt = c.table(seg.table)
        if not c.match.ref(seg.type, tt.elem):
            raise invalid(f"type mismatch: element segment's type {fmt_type(seg.type)} "
                          f"does not match table's element type {fmt_type(tt.elem)}")
        _check_const(c, seg.offset_expr, tt.limits.index)
    elif seg.mode not in ('passive', 'declarative'):
        raise invalid(f'malformed element segment mode {seg.mode!r}')


def _check_data(c: Context, seg) -> None:
    if seg.mode == 'active':
        mt = c.memory(seg.memory)
        _check_const(c, seg.offset_expr, mt.limits.index)
    elif seg.mode != 'passive':
        raise invalid(f'malformed data segment mode {seg.mode!r}')


# -- functions ---------------------------------------------------------------------------------------

def _check_func(c: Context, m, funcidx: int, f) -> None:
    name = None
    try:
        name = m.func_name(funcidx)
        ft = c.func_type(f.type_index)
        for t in f.locals:
            c.check_val(t)
        locals_ = tuple(ft.params) + tuple(f.locals)
        CodeValidator(c, locals_, ft.results, nparams=len(ft.params)).run(f.body)
    except ValidationError as e:
        e.func_index = funcidx
        e.func_name = name
        raise _at(e, f.offset)


__all__ = ['validate']
