"""The validation context C of the spec: what is in scope while checking a module.

[[Module]] --> Context (types, funcs, tables, mems, globals, tags, elems, datas, refs) with
lookups that fail in spec wording ("unknown type 3", "non-function type 0", ...).

The context grows while the module is validated (types one rec group at a time, globals one by
one), exactly as the spec's module rule builds C' and C.
"""

from __future__ import annotations

from vm.errors import ValidationError
from vm.syntax.types import (
    ABSTRACT_HEAP_TYPES, PACKED_TYPES, ArrayType, ContType, FuncType, RefType,
    StructType, SubType, V128, type_name,
)

from .subtyping import Matcher, TOP, KIND_TOP

NUMVEC_TYPES = frozenset(('i32', 'i64', 'f32', 'f64', V128))


def invalid(msg: str) -> ValidationError:
    return ValidationError(msg)


def fmt_types(ts) -> str:
    """A result type as the reference interpreter prints it: "[i32 (ref null 3)]"."""
    return '[' + ' '.join(fmt_type(t) for t in ts) + ']'


def fmt_type(t) -> str:
    """A value, storage or field type in text-format syntax ('anyref', '(ref 3)'); '_' is unknown."""
    if t is None:
        return '_'
    return type_name(t)


def unpacked(storage):
    return 'i32' if storage in PACKED_TYPES else storage


def defaultable(t) -> bool:
    return not isinstance(t, RefType) or t.nullable


class Context:
    def __init__(self, module):
        self.module = module
        self.match = Matcher()
        self.types: list = []        # SubType, as far as validated
        self.funcs: list = []        # type index of each function
        self.tables: list = []       # TableType
        self.mems: list = []         # MemoryType
        self.globals: list = []      # GlobalType
        self.tags: list = []         # type index of each tag
        self.elems: list = []        # RefType of each element segment
        self.ndatas = 0
        self.refs: frozenset = frozenset()

    # -- index spaces -----------------------------------------------------------------------------

    @staticmethod
    def _index(x, space, what):
        if type(x) is not int or not 0 <= x < len(space):
            raise invalid(f'unknown {what} {x}')
        return space[x]

    def type_(self, x) -> SubType:
        return self._index(x, self.types, 'type')

    def func(self, x) -> int:
        return self._index(x, self.funcs, 'function')

    def table(self, x):
        return self._index(x, self.tables, 'table')

    def memory(self, x):
        return self._index(x, self.mems, 'memory')

    def global_(self, x):
        return self._index(x, self.globals, 'global')

    def elem(self, x) -> RefType:
        return self._index(x, self.elems, 'elem segment')

    def data(self, x) -> None:
        if type(x) is not int or not 0 <= x < self.ndatas:
            raise invalid(f'unknown data segment {x}')

    def tag(self, x) -> FuncType:
        """The function type of tag x."""
        return self.func_type(self._index(x, self.tags, 'tag'))

    def local_check(self, x, n):
        if type(x) is not int or not 0 <= x < n:
            raise invalid(f'unknown local {x}')

    # -- defined types by kind ----------------------------------------------------------------------

    def func_type(self, x) -> FuncType:
        ct = self.type_(x).composite
        if not isinstance(ct, FuncType):
            raise invalid(f'non-function type {x}')
        return ct

    def func_type_of(self, funcidx) -> FuncType:
        return self.types[self.func(funcidx)].composite

    def cont_type(self, x) -> ContType:
        ct = self.type_(x).composite
        if not isinstance(ct, ContType):
            raise invalid(f'non-continuation type {x}')
        return ct

    def cont_func_type(self, x) -> FuncType:
        """The function type behind continuation type x (`cont $ft` -> $ft's type)."""
        return self.types[self.cont_type(x).type_index].composite

    def struct_type(self, x) -> StructType:
        ct = self.type_(x).composite
        if not isinstance(ct, StructType):
            raise invalid(f'non-structure type {x}')
        return ct

    def array_type(self, x) -> ArrayType:
        ct = self.type_(x).composite
        if not isinstance(ct, ArrayType):
            raise invalid(f'non-array type {x}')
        return ct

    # -- well-formedness of types -------------------------------------------------------------------

    def check_heap(self, ht) -> None:
        """Abstract heap types are fine; type indices must be defined (so far: while the type
        section is checked, `types` ends with the current rec group)."""
        if isinstance(ht, str) and ht in ABSTRACT_HEAP_TYPES:
            return
        if type(ht) is int:
            if 0 <= ht < len(self.types):
                return
            raise invalid(f'unknown type {ht}')
        raise invalid(f'malformed heap type {ht!r}')

    def check_val(self, t) -> None:
        if isinstance(t, RefType):
            if not isinstance(t.nullable, bool):
                raise invalid(f'malformed reference type {t!r}')
            self.check_heap(t.heap)
        elif not (isinstance(t, str) and t in NUMVEC_TYPES):
            raise invalid(f'malformed value type {t!r}')

    def check_ref(self, rt) -> None:
        if not isinstance(rt, RefType):
            raise invalid(f'malformed reference type {rt!r}')
        self.check_heap(rt.heap)

    def check_storage(self, st) -> None:
        if isinstance(st, str) and st in PACKED_TYPES:
            return
        self.check_val(st)

    def top_of(self, ht) -> str:
        """Top heap type of ht's hierarchy ('any', 'func', 'extern', 'exn', 'cont')."""
        if isinstance(ht, int):
            return KIND_TOP[self.match.kinds[ht]]
        return TOP.get(ht, ht)

    def block_type(self, bt):
        """(params, results) of a block type: None, a value type or a type index."""
        if bt is None:
            return (), ()
        if type(bt) is int:
            ft = self.func_type(bt)
            return ft.params, ft.results
        self.check_val(bt)
        return (), (bt,)


__all__ = ['Context', 'invalid', 'fmt_type', 'fmt_types', 'unpacked', 'defaultable']
