"""float.format (fxlang/codegen/float_repr.py), the float formatting compiled into every program that
prints a float, equals Python's repr on: edge cases, uniformly random bit patterns, subnormals, powers of
ten and their neighbours, powers of two (the asymmetric rounding interval), and doubles read from decimal
strings lying exactly halfway between two doubles.

The helper runs here in a module of its own (it needs no GC or host), on wasmtime for bulk and on the VM
for a sample.  CI checks a derandomized subset; FX_FLOAT_EXAMPLES=N checks N doubles of each kind
(`FX_FLOAT_EXAMPLES=200000 pytest tests/fxlang/codegen/test_float_repr.py` is the >= 10^6 hunt)."""

from __future__ import annotations

import math
import os
import random
import struct
from fractions import Fraction

import pytest
import wasmtime

import vm
from fxlang import wasm
from fxlang.codegen.float_repr import MAX_TEXT, float_format

N = int(os.environ.get('FX_FLOAT_EXAMPLES', '1000'))
OUT = 100


def format_module() -> bytes:
    m = wasm.Module()
    mem = m.memories.add(1, name='memory')
    m.exports.memory('memory', mem)
    funcs = {}

    def helper(key, name, params, results, build, names=()):
        f = funcs.get(key)
        if f is None:
            f = funcs[key] = m.funcs.add(m.types.func(params, results), name=name)
            for i, nm in enumerate(names):
                f.name_param(i, nm)
            build(f)
        return f
    m.exports.func('format', float_format(helper, mem))
    return wasm.encode(m)


@pytest.fixture(scope='module')
def fmt():
    store = wasmtime.Store()
    inst = wasmtime.Instance(store, wasmtime.Module(store.engine, format_module()), [])
    call, mem = inst.exports(store)['format'], inst.exports(store)['memory']

    def run(x: float) -> str:
        n = call(store, x, OUT)
        assert 0 < n <= MAX_TEXT
        return bytes(mem.read(store, OUT, OUT + n)).decode()
    return run


def from_bits(b: int) -> float:
    return struct.unpack('<d', (b & (2**64 - 1)).to_bytes(8, 'little'))[0]


def to_bits(x: float) -> int:
    return int.from_bytes(struct.pack('<d', x), 'little')


EDGES = [0.0, -0.0, 1.0, -1.5, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 1e16, 1e15, 9999999999999998.0, 1e-4, 1e-5,
         0.00012345, 5e-324, -5e-324, 1e-323, 2.2250738585072014e-308, 2.225073858507201e-308,
         1.7976931348623157e308, 2.5, 100.0, 1e22, 1e23, 8.41e21, 5e-310, 9.5, 0.5, 123456789.125,
         1234567890123456.0, 12345678901234567.0, 4.35, 0.001, 1e-07, 1.5e300, 2.0**-1022, 2.0**1023,
         math.inf, -math.inf, math.nan, -math.nan]


def kinds(rng: random.Random, n: int) -> dict[str, list[float]]:
    uniform = [from_bits(rng.getrandbits(64)) for _ in range(n)]
    subnormal = [from_bits(rng.getrandbits(52) | (rng.getrandbits(1) << 63)) for _ in range(n)]
    pow10 = []
    for _ in range(n):
        x = float(f'1e{rng.randint(-323, 308)}')
        pow10 += [x, math.nextafter(x, 0), math.nextafter(x, math.inf)]
    pow2 = []
    for _ in range(n):
        x = math.ldexp(1.0, rng.randint(-1074, 1023))
        pow2 += [x, math.nextafter(x, 0), math.nextafter(x, math.inf)]
    halfway = []
    for _ in range(n):
        x = abs(from_bits(rng.getrandbits(63)))
        if math.isinf(x) or math.isnan(x):
            continue
        y = math.nextafter(x, math.inf)
        if math.isinf(y):
            continue
        mid = (Fraction(x) + Fraction(y)) / 2        # a decimal with at most 1075 digits, exactly
        halfway.append(float(_exact_decimal(mid)))   # rounds half to even: x or y
    short = [float(f'{rng.randint(1, 10**rng.randint(1, 17))}e{rng.randint(-330, 310)}') for _ in range(n)]
    return {'uniform': uniform, 'subnormal': subnormal, 'pow10': pow10, 'pow2': pow2,
            'halfway': halfway, 'short': short}


def _exact_decimal(q: Fraction) -> str:
    """The exact decimal expansion of a dyadic rational."""
    k = 0
    while q.denominator != 1:
        q *= 10
        k += 1
    return f'{q.numerator}e-{k}'


def test_edges(fmt):
    assert [fmt(x) for x in EDGES] == [repr(x) for x in EDGES]


@pytest.mark.parametrize('kind', ['uniform', 'subnormal', 'pow10', 'pow2', 'halfway', 'short'])
def test_matches_python_repr(fmt, kind):
    values = kinds(random.Random(f'{kind}-{N}'), N)[kind]
    bad = [(repr(x), fmt(x)) for x in values if fmt(x) != repr(x)]
    assert not bad[:10], f'{len(bad)} of {len(values)} differ'


def test_same_on_the_vm():
    m = vm.decode(format_module())
    inst = vm.instantiate(m, {})
    rng = random.Random(7)
    sample = EDGES + [v for vs in kinds(rng, 8).values() for v in vs]
    got = []
    for x in sample:
        n = inst.exports['format'](x, OUT)
        got.append(bytes(inst.exports.memory.data[OUT:OUT + n]).decode())
    assert got == [repr(x) for x in sample]
