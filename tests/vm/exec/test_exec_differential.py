"""Differential testing against wasmtime: random valid modules from `wasm-tools smith` (no GC, no
exceptions, no stack switching: the PyPI wasmtime cannot run those) are executed by both engines;
every export with numeric parameters and results must give the same value or both must trap."""

import random
import struct
import subprocess
import sys
from pathlib import Path

import pytest
import wasmtime

import vm

SMITH = str(Path(sys.executable).with_name('wasm-tools'))
FLAGS = ['--export-everything', 'true', '--max-imports', '0', '--simd-enabled', 'false',
         '--threads-enabled', 'false', '--gc-enabled', 'false', '--exceptions-enabled', 'false',
         '--tail-call-enabled', 'true', '--min-funcs', '1', '--wide-arithmetic-enabled', 'false',
         '--custom-page-sizes-enabled', 'false', '--custom-descriptors-enabled', 'false',
         '--shared-everything-threads-enabled', 'false', '--relaxed-simd-enabled', 'false']
NUM = ('i32', 'i64', 'f32', 'f64')


def smith(seed: int, tmp_path) -> bytes | None:
    rnd = random.Random(seed)
    data = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(200, 3000)))
    out = tmp_path / f'{seed}.wasm'
    p = subprocess.run([SMITH, 'smith', *FLAGS, '-o', str(out)], input=data, capture_output=True)
    return out.read_bytes() if p.returncode == 0 else None


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (a != a and b != b) or struct.pack('<d', a) == struct.pack('<d', b)
    return a == b


@pytest.mark.parametrize('seed', range(40))
def test_same_results_as_wasmtime(seed, tmp_path):
    data = smith(seed, tmp_path)
    if data is None:
        pytest.skip('smith produced no module')
    module = vm.decode(data)
    vm.validate(module)
    cfg = wasmtime.Config()
    cfg.consume_fuel = True
    cfg.wasm_tail_call = True
    engine = wasmtime.Engine(cfg)
    store = wasmtime.Store(engine)
    store.set_fuel(2_000_000)
    wmod = wasmtime.Module(engine, data)
    try:
        winst = wasmtime.Instance(store, wmod, [])
    except wasmtime.Trap:
        with pytest.raises(vm.Trap):
            vm.instantiate(module, fuel=200_000)
        return
    inst = vm.instantiate(module, fuel=200_000)
    rnd = random.Random(seed)
    for ex in wmod.exports:
        ft = ex.type
        if not isinstance(ft, wasmtime.FuncType):
            continue
        if any(str(t) not in NUM for t in list(ft.params) + list(ft.results)):
            continue
        args = [rnd.choice([0, 1, -1, 7, 2**31 - 1]) if str(t) in ('i32', 'i64')
                else rnd.choice([0.0, 1.5, -2.0]) for t in ft.params]
        try:
            want, wtrap = winst.exports(store)[ex.name](store, *args), None
        except wasmtime.Trap as e:
            want, wtrap = None, str(e)
        if wtrap and ('fuel' in wtrap or 'stack' in wtrap):
            continue
        try:
            got, trap = inst.exports[ex.name](*args), None
        except (vm.OutOfFuel, vm.Exhaustion):
            continue
        except vm.Trap as e:
            got, trap = None, e.msg
        assert (wtrap is None) == (trap is None), (ex.name, args, wtrap, trap)
        if wtrap is None:
            want = list(want) if isinstance(want, (list, tuple)) else ([] if want is None else [want])
            got = list(got) if isinstance(got, tuple) else ([] if got is None else [got])
            assert len(want) == len(got) and all(map(same, want, got)), (ex.name, args, want, got)
