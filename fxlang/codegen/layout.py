"""fx types -> Wasm value types and GC type definitions (docs/codegen.md, "Value representation").

    Layout(module, structs, enums)    declares every struct/enum (and the structural types their fields need)
                                      in one rec group up front, so recursive and mutually recursive
                                      declarations just work; other structural types are interned on demand.
                                      Types that never refer to a struct or enum ($gen, $gen.cont, $fiber and
                                      its continuation types) are declared before that group opens.

Value types: int i64, float f64, bool i32, unit/never no value (stored as i32 where a slot is needed),
str (ref $str), [T] (ref $vec<T>), struct/enum (ref $S)/(ref $E), fn(..) -> R (ref $clo<..>).
"""

from __future__ import annotations

from fxlang.check import types as T
from fxlang.wasm import ArrayType, ContType, Field, FuncType, RefType, StructType, ref

# field positions
VEC_LEN, VEC_DATA = 0, 1
CLO_CODE, CLO_ENV = 0, 1
FIBER_K = 0                     # $fiber's one field: the continuation, taken out (nulled) when used
ENUM_TAG = 0
VEC_FIELDS = {VEC_LEN: 'len', VEC_DATA: 'data'}
CLO_FIELDS = {CLO_CODE: 'code', CLO_ENV: 'env'}


def resolve(t):
    """The type with solved type variables substituted (the checker leaves none, but be safe).  A continuation
    `cont(R) -> H` is represented exactly like the closure `fn(R) -> H` (fxlang/codegen/control/handlers.py)."""
    if isinstance(t, T.TypeVar):
        t = t.resolve()
    if isinstance(t, T.Cont):
        return T.Fn((t.arg,), t.result)
    return t


def is_void(t) -> bool:
    """Types that have no Wasm value: unit and never."""
    t = resolve(t)
    return type(t) is T.Prim and (t.name == 'unit' or t.name == 'never')


# value types of the primitive types, by name (str is a reference: see Layout.heap)
_PRIM_VT = {'int': 'i64', 'float': 'f64', 'bool': 'i32', 'unit': None, 'never': None}


class Layout:
    def __init__(self, module, structs=(), enums=()):
        self.m = module
        self._defs: dict = {}          # key -> type index
        self._variants: dict = {}      # (enum, i) -> type index
        self.str = self.m.types.array(Field('i8', True), name='str')
        self._declare_nominal(list(structs), list(enums))

    # ---- value and storage types ------------------------------------------------------------
    def vt(self, t):
        """The Wasm value type of fx type `t`, or None for unit/never."""
        t = resolve(t)
        if type(t) is T.Prim and t.name in _PRIM_VT:
            return _PRIM_VT[t.name]
        return ref(self.heap(t))

    def st(self, t):
        """The storage type (array element, struct field, payload, env slot): unit is an i32 0."""
        v = self.vt(t)
        return 'i32' if v is None else v

    def results(self, t) -> list:
        v = self.vt(t)
        return [] if v is None else [v]

    def heap(self, t) -> int:
        """The type index behind a reference-represented fx type."""
        t = resolve(t)
        if t == T.STR:
            return self.str
        if isinstance(t, T.Array):
            return self.vec(t.elem)
        if isinstance(t, (T.Struct, T.Enum)):
            return self._defs[('nominal', t)]
        if isinstance(t, T.Fn):
            return self.clo(t)
        if isinstance(t, T.Gen):
            return self.gen()
        if t == T.FIBER:
            return self.fiber_types()[0]
        raise TypeError(f'no reference representation for {t!r}')

    def fiber_types(self) -> tuple:
        """($fiber, $fiber.ft, $fiber.ct), declared once: the fx value Fiber, a struct holding the continuation
        (fxlang/codegen/control/fibers.py), and the continuation's types, one rec group since a fiber is resumed with
        the continuation of the fiber that switched to it."""
        got = self._defs.get('fiber')
        if got is None:
            types = self.m.types
            with types.rec() as g:
                ft, ct = g.reserve(), g.reserve()
                g.define(ft, FuncType((RefType(ct, True),), ()), name='fiber.ft')
                g.define(ct, ContType(ft), name='fiber.ct')
            fiber = types.add(StructType((Field(RefType(ct, True), True),)), name='fiber')
            self.m.names.fields.setdefault(fiber, {FIBER_K: 'k'})
            got = self._defs['fiber'] = (fiber, ft, ct)
        return got

    # ---- structural types (interned) --------------------------------------------------------
    def arr(self, elem) -> int:
        """$arr<T> = (array (mut T))"""
        key = ('arr', _key(elem))
        if key not in self._defs:
            self._defs[key] = self.m.types.array(Field(self.st(elem), True), name=f'arr<{_show(elem)}>')
        return self._defs[key]

    def vec(self, elem) -> int:
        """$vec<T> = (struct (field $len (mut i32)) (field $data (mut (ref $arr<T>))))"""
        key = ('vec', _key(elem))
        if key not in self._defs:
            a = self.arr(elem)
            self._defs[key] = self._named_fields(self.m.types.add(
                StructType((Field('i32', True), Field(ref(a), True))), name=f'[{_show(elem)}]'), VEC_FIELDS)
        return self._defs[key]

    def code(self, fn: T.Fn) -> int:
        """$code<A->R> = (func (param structref A..) (result R)): a closure's code, env first."""
        key = ('code', _key(fn))
        if key not in self._defs:
            params = ['structref'] + [self.st(p) for p in fn.params if not is_void(p)]
            self._defs[key] = self.m.types.func(params, self.results(fn.result), name=f'code {_show(fn)}')
        return self._defs[key]

    def clo(self, fn: T.Fn) -> int:
        """$clo<A->R> = (struct (field $code (ref $code<A->R>)) (field $env structref))"""
        key = ('clo', _key(fn))
        if key not in self._defs:
            c = self.code(fn)
            self._defs[key] = self._named_fields(self.m.types.add(
                StructType((Field(ref(c)), Field('structref'))), name=_show(fn)), CLO_FIELDS)
        return self._defs[key]

    def cell(self, t) -> int:
        """$cell<T> = (struct (field (mut T))): a boxed mutable variable shared with closures."""
        key = ('cell', _key(t))
        if key not in self._defs:
            self._defs[key] = self._named_fields(
                self.m.types.add(StructType((Field(self.st(t), True),)), name=f'cell<{_show(t)}>'), {0: 'value'})
        return self._defs[key]

    def gen_cont(self) -> int:
        """$gen.cont = (cont (func)): a generator's suspended body (fxlang/codegen/control/generators.py)."""
        if 'gen.cont' not in self._defs:
            self._defs['gen.cont'] = self.m.types.cont(self.m.types.func([], []), name='gen.cont')
        return self._defs['gen.cont']

    def gen(self) -> int:
        """$gen = (struct (field $k (mut (ref null $gen.cont))) (field $running (mut i32))): every Gen[T]; `k` is
        null while the generator runs and once it has finished, `running` tells the two apart."""
        if 'gen' not in self._defs:
            self._defs['gen'] = self._named_fields(self.m.types.add(
                StructType((Field(RefType(self.gen_cont(), True), True), Field('i32', True))), name='gen'),
                {0: 'k', 1: 'running'})
        return self._defs['gen']

    def func_type(self, params, result) -> int:
        """The type of a directly called function: params without unit ones, result."""
        return self.m.types.func([self.st(p) for p in params if not is_void(p)], self.results(result))

    def _named_fields(self, idx, names) -> int:
        """Record field names of type `idx` for the name section."""
        self.m.names.fields.setdefault(idx, dict(names))
        return idx

    # ---- nominal types ----------------------------------------------------------------------
    def struct(self, s: T.Struct) -> int:
        return self._defs[('nominal', s)]

    def enum(self, e: T.Enum) -> int:
        return self._defs[('nominal', e)]

    def variant(self, e: T.Enum, i: int) -> int:
        return self._variants[(e, i)]

    def _declare_nominal(self, structs, enums):
        """One rec group for all structs and enums plus every structural type reachable from their fields.

        Reserving first and defining afterwards lets fields refer to any member, in any order."""
        if not structs and not enums:
            return
        members: list = []      # fx types (structural or nominal) whose definitions go in the group
        seen = set()

        def visit(t):
            t = resolve(t)
            k = _key(t)
            if k in seen or t in (T.INT, T.FLOAT, T.BOOL, T.UNIT, T.NEVER, T.STR):
                return
            if isinstance(t, T.Gen):    # $gen and $gen.cont, the same for every T: declared before the group
                self.gen()              # opens (a field's storage type refers to them; nothing else can)
                return
            if t == T.FIBER:            # its own rec group, declared before this one opens
                self.fiber_types()
                return
            seen.add(k)
            members.append(t)
            if isinstance(t, T.Array):
                visit(t.elem)
            elif isinstance(t, T.Fn):
                for p in t.params:
                    visit(p)
                visit(t.result)
            elif isinstance(t, T.Struct):
                for _, ft in t.fields:
                    visit(ft)
            elif isinstance(t, T.Enum):
                for v in t.variants:
                    for p in v.payload:
                        visit(p)

        for t in list(structs) + list(enums):
            visit(t)
        with self.m.types.rec() as g:
            # reserve: base before variants (a supertype must come first)
            for t in members:
                if isinstance(t, T.Array):
                    self._defs[('arr', _key(t.elem))] = g.reserve()
                    self._defs[('vec', _key(t.elem))] = g.reserve()
                elif isinstance(t, T.Fn):
                    self._defs[('code', _key(t))] = g.reserve()
                    self._defs[('clo', _key(t))] = g.reserve()
                elif isinstance(t, T.Struct):
                    self._defs[('nominal', t)] = g.reserve()
                else:
                    self._defs[('nominal', t)] = g.reserve()
                    for i in range(len(t.variants)):
                        self._variants[(t, i)] = g.reserve()
            for t in members:
                if isinstance(t, T.Array):
                    a, v = self._defs[('arr', _key(t.elem))], self._defs[('vec', _key(t.elem))]
                    g.define(a, ArrayType(Field(self.st(t.elem), True)), name=f'arr<{_show(t.elem)}>')
                    self._named_fields(g.define(v, StructType((Field('i32', True), Field(ref(a), True))),
                                                name=_show(t)), VEC_FIELDS)
                elif isinstance(t, T.Fn):
                    c, k = self._defs[('code', _key(t))], self._defs[('clo', _key(t))]
                    params = ['structref'] + [self.st(p) for p in t.params if not is_void(p)]
                    g.define(c, FuncType(tuple(params), tuple(self.results(t.result))), name=f'code {_show(t)}')
                    self._named_fields(g.define(k, StructType((Field(ref(c)), Field('structref'))), name=_show(t)),
                                       CLO_FIELDS)
                elif isinstance(t, T.Struct):
                    self._named_fields(g.define(self._defs[('nominal', t)],
                                                StructType(tuple(Field(self.st(ft), True) for _, ft in t.fields)),
                                                name=t.name), {i: n for i, (n, _) in enumerate(t.fields)})
                else:
                    base = self._defs[('nominal', t)]
                    self._named_fields(g.define(base, StructType((Field('i32'),)), final=False, name=t.name),
                                       {0: 'tag'})
                    for i, v in enumerate(t.variants):
                        fields = (Field('i32'),) + tuple(Field(self.st(p)) for p in v.payload)
                        names = {0: 'tag', **{j + 1: str(j) for j in range(len(v.payload))}}
                        self._named_fields(g.define(self._variants[(t, i)], StructType(fields), supers=(base,),
                                                    final=True, name=f'{t.name}.{v.name}'), names)


def _key(t):
    """A hashable identity for an fx type: structural for prims/arrays/fns, by identity for nominal types."""
    t = resolve(t)
    if isinstance(t, T.Array):
        return ('[]', _key(t.elem))
    if isinstance(t, T.Fn):
        return ('fn', tuple(_key(p) for p in t.params), _key(t.result))
    if isinstance(t, (T.Struct, T.Enum)):
        return ('nominal', id(t))
    return t


type_key = _key


def _show(t) -> str:
    t = resolve(t)
    if isinstance(t, T.Fn):
        return f"fn({','.join(_show(p) for p in t.params)})->{_show(t.result)}"
    if isinstance(t, T.Array):
        return f'[{_show(t.elem)}]'
    return str(t)
