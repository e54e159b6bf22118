"""Expression templates of the translator: how each simple Wasm instruction reads as Python."""

from __future__ import annotations

import re

M32 = '0xFFFFFFFF'
M64 = '0xFFFFFFFFFFFFFFFF'

# Pure, non-trapping templates: text-format op -> expression template over operands {0}, {1}.
PURE = {
    'i32.add': f'(({{0}} + {{1}}) & {M32})', 'i32.sub': f'(({{0}} - {{1}}) & {M32})',
    'i32.mul': f'(({{0}} * {{1}}) & {M32})', 'i32.and': '({0} & {1})', 'i32.or': '({0} | {1})',
    'i32.xor': '({0} ^ {1})', 'i32.shl': f'(({{0}} << ({{1}} & 31)) & {M32})',
    'i32.shr_u': '({0} >> ({1} & 31))',
    'i32.shr_s': f'(((({{0}} ^ 0x80000000) - 0x80000000) >> ({{1}} & 31)) & {M32})',
    'i32.eq': '({0} == {1})', 'i32.ne': '({0} != {1})', 'i32.lt_u': '({0} < {1})',
    'i32.gt_u': '({0} > {1})', 'i32.le_u': '({0} <= {1})', 'i32.ge_u': '({0} >= {1})',
    'i32.lt_s': '(({0} ^ 0x80000000) < ({1} ^ 0x80000000))',
    'i32.gt_s': '(({0} ^ 0x80000000) > ({1} ^ 0x80000000))',
    'i32.le_s': '(({0} ^ 0x80000000) <= ({1} ^ 0x80000000))',
    'i32.ge_s': '(({0} ^ 0x80000000) >= ({1} ^ 0x80000000))',
    'i32.eqz': '({0} == 0)',
    'i32.extend8_s': f'(((({{0}} & 0xFF) ^ 0x80) - 0x80) & {M32})',
    'i32.extend16_s': f'(((({{0}} & 0xFFFF) ^ 0x8000) - 0x8000) & {M32})',
    'i32.wrap_i64': f'({{0}} & {M32})',
    'i64.add': f'(({{0}} + {{1}}) & {M64})', 'i64.sub': f'(({{0}} - {{1}}) & {M64})',
    'i64.mul': f'(({{0}} * {{1}}) & {M64})', 'i64.and': '({0} & {1})', 'i64.or': '({0} | {1})',
    'i64.xor': '({0} ^ {1})', 'i64.shl': f'(({{0}} << ({{1}} & 63)) & {M64})',
    'i64.shr_u': '({0} >> ({1} & 63))',
    'i64.shr_s': f'(((({{0}} ^ 0x8000000000000000) - 0x8000000000000000) >> ({{1}} & 63)) & {M64})',
    'i64.eq': '({0} == {1})', 'i64.ne': '({0} != {1})', 'i64.lt_u': '({0} < {1})',
    'i64.gt_u': '({0} > {1})', 'i64.le_u': '({0} <= {1})', 'i64.ge_u': '({0} >= {1})',
    'i64.lt_s': '(({0} ^ 0x8000000000000000) < ({1} ^ 0x8000000000000000))',
    'i64.gt_s': '(({0} ^ 0x8000000000000000) > ({1} ^ 0x8000000000000000))',
    'i64.le_s': '(({0} ^ 0x8000000000000000) <= ({1} ^ 0x8000000000000000))',
    'i64.ge_s': '(({0} ^ 0x8000000000000000) >= ({1} ^ 0x8000000000000000))',
    'i64.eqz': '({0} == 0)',
    'i64.extend8_s': f'(((({{0}} & 0xFF) ^ 0x80) - 0x80) & {M64})',
    'i64.extend16_s': f'(((({{0}} & 0xFFFF) ^ 0x8000) - 0x8000) & {M64})',
    'i64.extend32_s': f'(((({{0}} & {M32}) ^ 0x80000000) - 0x80000000) & {M64})',
    'i64.extend_i32_u': '{0}',
    'i64.extend_i32_s': f'((({{0}} ^ 0x80000000) - 0x80000000) & {M64})',
    'f64.add': '({0} + {1})', 'f64.sub': '({0} - {1})', 'f64.mul': '({0} * {1})',
    'f64.neg': '(-{0})', 'f32.neg': '(-{0})', 'f64.abs': 'abs({0})', 'f32.abs': 'abs({0})',
    'f64.convert_i32_u': 'float({0})', 'f64.convert_i64_u': 'float({0})',
    'f64.convert_i32_s': 'float(({0} ^ 0x80000000) - 0x80000000)',
    'f64.convert_i64_s': 'float(({0} ^ 0x8000000000000000) - 0x8000000000000000)',
    'ref.is_null': '({0} is None)',
}
for _t in ('f32', 'f64'):
    for _op, _py in (('eq', '=='), ('ne', '!='), ('lt', '<'), ('gt', '>'), ('le', '<='), ('ge', '>=')):
        PURE[f'{_t}.{_op}'] = f'({{0}} {_py} {{1}})'

# Ends every emitted line whose Python errors are traps: memory accesses and unsigned divisions
# (see translate.fault_handler).
FAULT_MARK = '  #!'

# Integer division/remainder whose only trap is a zero divisor (ZeroDivisionError -> trap).
DIVS = {'i32.div_u': '({0} // {1})', 'i32.rem_u': '({0} % {1})',
        'i64.div_u': '({0} // {1})', 'i64.rem_u': '({0} % {1})'}

LOADS = {
    'i32.load': 'LD_I({m}, {a})[0]', 'i64.load': 'LD_Q({m}, {a})[0]',
    'f32.load': 'f32_from_bits(LD_I({m}, {a})[0])', 'f64.load': 'LD_D({m}, {a})[0]',
    'i32.load8_u': '{m}[{a}]', 'i32.load8_s': f'((({{m}}[{{a}}] ^ 0x80) - 0x80) & {M32})',
    'i32.load16_u': 'LD_H({m}, {a})[0]', 'i32.load16_s': f'(LD_h({{m}}, {{a}})[0] & {M32})',
    'i64.load8_u': '{m}[{a}]', 'i64.load8_s': f'((({{m}}[{{a}}] ^ 0x80) - 0x80) & {M64})',
    'i64.load16_u': 'LD_H({m}, {a})[0]', 'i64.load16_s': f'(LD_h({{m}}, {{a}})[0] & {M64})',
    'i64.load32_u': 'LD_I({m}, {a})[0]', 'i64.load32_s': f'(LD_i({{m}}, {{a}})[0] & {M64})',
}
STORES = {
    'i32.store': 'ST_I({m}, {a}, {v})', 'i64.store': 'ST_Q({m}, {a}, {v})',
    'f32.store': 'ST_I({m}, {a}, f32_to_bits({v}))', 'f64.store': 'ST_D({m}, {a}, {v})',
    'i32.store8': '{m}[{a}] = {v} & 0xFF', 'i64.store8': '{m}[{a}] = {v} & 0xFF',
    'i32.store16': 'ST_H({m}, {a}, {v} & 0xFFFF)', 'i64.store16': 'ST_H({m}, {a}, {v} & 0xFFFF)',
    'i64.store32': f'ST_I({{m}}, {{a}}, {{v}} & {M32})',
}


_SIGN_FLIP = re.compile(r'\((\d+) \^ (0x80000000|0x8000000000000000)\)')


def _numeric_traps(op: str) -> bool:
    return op[0] == 'i' and ('.div' in op or '.rem' in op or ('.trunc_f' in op and 'sat' not in op))


def _is_simple(e: str) -> bool:
    return e.isidentifier() or e.replace('.', '', 1).isdigit() or e == 'None'


def _default_src(t) -> str:
    if t in ('i32', 'i64'):
        return '0'
    if t in ('f32', 'f64'):
        return '0.0'
    return 'None'
