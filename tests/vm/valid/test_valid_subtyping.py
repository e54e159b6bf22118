"""vm.valid.subtyping: the abstract heap type lattice, iso-recursive canonicalization, declared subtyping."""
from __future__ import annotations

import itertools

import pytest
import wasmtime

from vm.binary.decode import decode
from vm.syntax.types import (
    ABSTRACT_HEAP_TYPES, ArrayType, ContType, FieldType, FuncType, RecGroup, RefType, StructType,
    SubType,
)
from vm.valid import canonical_ids, match_canonical
from vm.valid.subtyping import Matcher, canonicalize_group, kind_of


# Reflexive-transitive closure written out by hand from the spec's heap type hierarchy.
HIERARCHY = {
    'any': {'any'},
    'eq': {'eq', 'any'},
    'i31': {'i31', 'eq', 'any'},
    'struct': {'struct', 'eq', 'any'},
    'array': {'array', 'eq', 'any'},
    'none': {'none', 'i31', 'struct', 'array', 'eq', 'any'},
    'func': {'func'},
    'nofunc': {'nofunc', 'func'},
    'extern': {'extern'},
    'noextern': {'noextern', 'extern'},
    'exn': {'exn'},
    'noexn': {'noexn', 'exn'},
    'cont': {'cont'},
    'nocont': {'nocont', 'cont'},
}


@pytest.mark.parametrize('h1,h2', list(itertools.product(ABSTRACT_HEAP_TYPES, repeat=2)))
def test_abstract_heap_types(h1, h2):
    assert Matcher().heap(h1, h2) == (h2 in HIERARCHY[h1])


def test_nullability():
    m = Matcher()
    assert m.val(RefType(False, 'i31'), RefType(True, 'any'))
    assert not m.val(RefType(True, 'i31'), RefType(False, 'any'))
    assert m.val(None, 'i32') and m.val(None, RefType(False, 'func'))   # unknown operand
    assert not m.val('i32', 'i64') and not m.val('i32', RefType(True, 'any'))


def module_matcher(types, groups):
    m = Matcher()
    m.kinds = [kind_of(st.composite) for st in types]
    for g in groups:
        canonicalize_group(types, g.start, g.size, m.canon)
    return m


def test_concrete_types_under_abstract_ones():
    types = [SubType(True, (), StructType(())), SubType(True, (), ArrayType(FieldType('i8', True))),
             SubType(True, (), FuncType((), ())), SubType(True, (), ContType(2))]
    m = module_matcher(types, [RecGroup(i, 1) for i in range(4)])
    assert m.heap(0, 'struct') and m.heap(0, 'eq') and not m.heap(0, 'array')
    assert m.heap(1, 'array') and m.heap(1, 'any') and not m.heap(1, 'func')
    assert m.heap(2, 'func') and not m.heap(2, 'any')
    assert m.heap(3, 'cont') and not m.heap(3, 'func')
    assert m.heap('none', 0) and m.heap('none', 1) and not m.heap('none', 2)
    assert m.heap('nofunc', 2) and m.heap('nocont', 3) and not m.heap('nofunc', 3)
    assert not m.heap('struct', 0)


def test_equal_rec_groups_share_canonical_ids():
    # The same group written in two "modules" (different type indices) gets the same ids.
    a = [SubType(True, (), FuncType(('i32',), ())),
         SubType(False, (), StructType((FieldType(RefType(True, 1), True),))),
         SubType(True, (), FuncType((RefType(False, 1),), ()))]
    b = [SubType(True, (), FuncType((), ())),
         SubType(True, (), FuncType(('i32',), ())),
         SubType(False, (), StructType((FieldType(RefType(True, 2), True),))),
         SubType(True, (), FuncType((RefType(False, 2),), ()))]
    ca = canonical_ids(a, [RecGroup(0, 1), RecGroup(1, 1), RecGroup(2, 1)])
    cb = canonical_ids(b, [RecGroup(0, 1), RecGroup(1, 1), RecGroup(2, 1), RecGroup(3, 1)])
    assert ca == cb[1:]
    assert cb[0] != cb[1]


def test_iso_recursive_position_matters():
    # (rec (func) (struct)) and (rec (struct) (func)): the funcs are different types.
    f, s = SubType(True, (), FuncType((), ())), SubType(True, (), StructType(()))
    c1 = canonical_ids([f, s], [RecGroup(0, 2)])
    c2 = canonical_ids([s, f], [RecGroup(0, 2)])
    c3 = canonical_ids([f], [RecGroup(0, 1)])
    assert c1[0] != c2[1] and c1[0] != c3[0]
    assert canonical_ids([f, s], [RecGroup(0, 2)]) == c1


def test_declared_supertypes():
    base = SubType(False, (), StructType((FieldType('i32', False),)))
    sub = SubType(False, (0,), StructType((FieldType('i32', False), FieldType('i64', True))))
    same_shape = SubType(False, (), StructType((FieldType('i32', False), FieldType('i64', True))))
    types = [base, sub, same_shape]
    c = canonical_ids(types, [RecGroup(0, 1), RecGroup(1, 1), RecGroup(2, 1)])
    assert match_canonical(c[1], c[0]) and not match_canonical(c[0], c[1])
    # Structural similarity is not enough: subtyping is declared.
    assert not match_canonical(c[2], c[0])
    m = module_matcher(types, [RecGroup(0, 1), RecGroup(1, 1), RecGroup(2, 1)])
    assert m.val(RefType(False, 1), RefType(True, 0))
    assert not m.val(RefType(False, 2), RefType(True, 0))


def test_field_variance():
    m = Matcher()
    imm = lambda t: FieldType(t, False)
    mut = lambda t: FieldType(t, True)
    assert m.field(imm(RefType(False, 'i31')), imm(RefType(True, 'any')))
    assert not m.field(mut(RefType(False, 'i31')), mut(RefType(True, 'any')))  # mutable: invariant
    assert m.field(mut('i8'), mut('i8')) and not m.field(imm('i8'), imm('i32'))
    assert not m.field(imm('i32'), mut('i32'))


def test_function_variance():
    m = Matcher()
    eq, any_ = RefType(True, 'eq'), RefType(True, 'any')
    assert m.func(FuncType((any_,), (eq,)), FuncType((eq,), (any_,)))
    assert not m.func(FuncType((eq,), (eq,)), FuncType((any_,), (any_,)))


def test_canonical_ids_agree_with_decoded_modules():
    """Types of two separately decoded modules compare by canonical id (what linking needs)."""
    src = '(module (rec (type $a (func (param (ref $b)))) (type $b (sub (struct (field (ref null $a)))))) {})'
    m1 = decode(wasmtime.wat2wasm(src.format('')))
    m2 = decode(wasmtime.wat2wasm(src.format('(type $c (sub $b (struct (field (ref null $a) i32))))')))
    c1, c2 = canonical_ids(m1.types, m1.rec_groups), canonical_ids(m2.types, m2.rec_groups)
    assert c1 == c2[:2]
    assert match_canonical(c2[2], c1[1]) and not match_canonical(c1[1], c2[2])


def _chain(n: int, rec: bool) -> str:
    types = '(type $t0 (sub (struct)))' + ''.join(f' (type $t{i} (sub $t{i - 1} (struct)))'
                                                  for i in range(1, n))
    return f'(module (rec {types}))' if rec else f'(module {types})'


@pytest.mark.parametrize('rec', [False, True])
def test_subtype_depth_limit_is_63(rec):
    from vm.errors import ValidationError
    from vm.valid import validate
    validate(decode(wasmtime.wat2wasm(_chain(64, rec))))          # depth 63: the limit
    for n in (65, 3000):
        with pytest.raises(ValidationError) as e:
            validate(decode(wasmtime.wat2wasm(_chain(n, rec))))
        assert e.value.msg.startswith('sub type hierarchy too deep')
