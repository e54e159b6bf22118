"""Typing rules, one per instruction, registered by name; numeric instructions as a table.

    SIMPLE:   op -> (params, results) for instructions whose type is fixed ([t1*] -> [t2*]);
              the loop in code.py pops and pushes these inline.
    HANDLERS: op -> f(v, args) for everything else; `v` is the CodeValidator (code.py) whose
              push/pop/control-stack operations implement the spec appendix's algorithm.

The rules live in modules by instruction group: control, variables, memory (tables and
memories), references, aggregates (GC), continuations (stack switching).
"""

from __future__ import annotations

from vm.syntax.types import RefType

I32, I64, F32, F64 = 'i32', 'i64', 'f32', 'f64'
EXNREF_NN = RefType(False, 'exn')
EXNREF = RefType(True, 'exn')
FUNCREF = RefType(True, 'func')
EQREF = RefType(True, 'eq')
I31REF = RefType(True, 'i31')
I31REF_NN = RefType(False, 'i31')
ARRAYREF = RefType(True, 'array')

HANDLERS: dict = {}


def rule(*ops):
    """Register f(v, args) as the typing rule of the instructions `ops`."""
    def register(f):
        for op in ops:
            HANDLERS[op] = f
        return f
    return register


# -- Instructions with a fixed type [t1*] -> [t2*] ------------------------------------------------

def _numeric_signatures() -> dict:
    sig = {}
    for t in (I32, I64):
        sig[f'{t}.eqz'] = ((t,), (I32,))
        for op in ('eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'):
            sig[f'{t}.{op}'] = ((t, t), (I32,))
        for op in ('clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s'):
            sig[f'{t}.{op}'] = ((t,), (t,))
        for op in ('add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor',
                   'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'):
            sig[f'{t}.{op}'] = ((t, t), (t,))
    sig['i64.extend32_s'] = ((I64,), (I64,))
    for t in (F32, F64):
        for op in ('eq', 'ne', 'lt', 'gt', 'le', 'ge'):
            sig[f'{t}.{op}'] = ((t, t), (I32,))
        for op in ('abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt'):
            sig[f'{t}.{op}'] = ((t,), (t,))
        for op in ('add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'):
            sig[f'{t}.{op}'] = ((t, t), (t,))
    conversions = {
        'i32.wrap_i64': (I64, I32), 'i64.extend_i32_s': (I32, I64), 'i64.extend_i32_u': (I32, I64),
        'f32.demote_f64': (F64, F32), 'f64.promote_f32': (F32, F64),
        'i32.reinterpret_f32': (F32, I32), 'i64.reinterpret_f64': (F64, I64),
        'f32.reinterpret_i32': (I32, F32), 'f64.reinterpret_i64': (I64, F64),
    }
    for it in (I32, I64):
        for ft in (F32, F64):
            for s in ('s', 'u'):
                conversions[f'{it}.trunc_{ft}_{s}'] = (ft, it)
                conversions[f'{it}.trunc_sat_{ft}_{s}'] = (ft, it)
                conversions[f'{ft}.convert_{it}_{s}'] = (it, ft)
    for op, (a, b) in conversions.items():
        sig[op] = ((a,), (b,))
    for t in (I32, I64, F32, F64):
        sig[f'{t}.const'] = ((), (t,))
    sig['nop'] = ((), ())
    sig['ref.eq'] = ((EQREF, EQREF), (I32,))
    sig['ref.i31'] = ((I32,), (I31REF_NN,))
    sig['i31.get_s'] = ((I31REF,), (I32,))
    sig['i31.get_u'] = ((I31REF,), (I32,))
    sig['array.len'] = ((ARRAYREF,), (I32,))
    return sig


SIMPLE = _numeric_signatures()


from . import control, variables, memory, references, aggregates, continuations  # noqa: E402,F401  (registration)

__all__ = ['HANDLERS', 'SIMPLE', 'rule']
