"""Differential fuzzing against wasmtime (the PyPI library, which runs everything but continuations).

`wasm-tools smith` turns seeded random bytes into modules using core Wasm, GC, exceptions, tail
calls, reference types, multi-memory and memory64 (`--ensure-termination`: loops and calls count a
fuel global down and end in `unreachable`; not for the invalid ones, which are not run). For each module both engines must agree on:
  * validation: the verdict, also for modules with invalid functions (`--allow-invalid-funcs`);
  * instantiation: both trap or neither (start functions, segments);
  * every exported function, called in order with fixed arguments: results (numbers exactly, NaNs
    as NaNs; references by null-ness), or the kind of trap (wasmtime's TrapCode vs our message);
  * afterwards, the exported memories (bytes), globals (values) and tables (sizes).
A module stops being compared at the first resource exhaustion on either side (fuel, stack,
allocation limits): the engines may legitimately differ there. NaN results are canonicalized by
smith (`--canonicalize-nans`): Wasm leaves the sign and payload of an arithmetic NaN
nondeterministic (hunting found `f64.sqrt` of a negative number giving 0xFFF8... on wasmtime, the x86
default NaN, and 0x7FF8... here — both allowed).

The seed set is fixed, so CI sees the same modules every run (`SEEDS` modules, under a minute);
`FX_FUZZ_MODULES=N` runs N modules to hunt for more (seeds from FX_FUZZ_START, default 0). A
disagreement found this way becomes a minimized WAT test next to the feature it concerns.
"""

from __future__ import annotations

import math
import os
import random
import struct
import subprocess
import sys
from pathlib import Path

import pytest
import wasmtime

import vm

SMITH = str(Path(sys.executable).with_name('wasm-tools'))
OFF = ('simd', 'relaxed-simd', 'threads', 'shared-everything-threads', 'wide-arithmetic',
       'custom-page-sizes', 'custom-descriptors')
ON = ('gc', 'exceptions', 'tail-call', 'reference-types', 'multi-value', 'bulk-memory',
      'saturating-float-to-int', 'sign-extension-ops', 'extended-const', 'memory64')
FLAGS = (['--export-everything', 'true', '--max-imports', '0', '--min-funcs', '1',
          '--ensure-termination', '--canonicalize-nans', 'true',
          '--max-memory32-bytes', str(4 << 20), '--max-memory64-bytes', str(4 << 20)]
         + [a for f in OFF for a in (f'--{f}-enabled', 'false')]
         + [a for f in ON for a in (f'--{f}-enabled', 'true')])
SEEDS = 60
N = int(os.environ.get('FX_FUZZ_MODULES', SEEDS))
START = int(os.environ.get('FX_FUZZ_START', 0))
OUR_FUEL = 3_000_000           # function entries + loop iterations
WT_FUEL = 30_000_000           # wasmtime's fuel counts instructions
MEMORY_LIMIT = 256 << 20       # each engine's limit (a generated module can allocate without end)

# wasmtime's trap codes and our trap messages, as one vocabulary of trap kinds
WT_KIND = {
    'MEMORY_OUT_OF_BOUNDS': 'memory', 'TABLE_OUT_OF_BOUNDS': 'table', 'INDIRECT_CALL_TO_NULL': 'null',
    'NULL_REFERENCE': 'null', 'BAD_SIGNATURE': 'signature', 'INTEGER_OVERFLOW': 'overflow',
    'INTEGER_DIVISION_BY_ZERO': 'div0', 'BAD_CONVERSION_TO_INTEGER': 'conversion',
    'UNREACHABLE': 'unreachable', 'ARRAY_OUT_OF_BOUNDS': 'array', 'CAST_FAILURE': 'cast',
    'STACK_OVERFLOW': 'resource', 'OUT_OF_FUEL': 'resource', 'ALLOCATION_TOO_LARGE': 'resource',
}
OUR_KIND = (
    ('out of bounds memory access', 'memory'), ('out of bounds table access', 'table'),
    ('undefined element', 'table'), ('uninitialized element', 'null'), ('null ', 'null'),
    ('indirect call type mismatch', 'signature'), ('integer overflow', 'overflow'),
    ('integer divide by zero', 'div0'), ('invalid conversion to integer', 'conversion'),
    ('unreachable', 'unreachable'), ('out of bounds array access', 'array'), ('cast failure', 'cast'),
    ('out of memory', 'resource'), ('out of fuel', 'resource'), ('call stack exhausted', 'resource'),
)


class Unsupported(Exception):
    """The oracle cannot express this value (e.g. the PyPI wasmtime returning a GC reference)."""


def smith(seed: int, tmp_path, invalid: bool = False) -> bytes | None:
    rnd = random.Random(seed * 2 + invalid)
    data = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(200, 4000)))
    out = tmp_path / f'{seed}.wasm'
    flags = ([f for f in FLAGS if f != '--ensure-termination'] + ['--allow-invalid-funcs', 'true']
             if invalid else FLAGS)      # (smith cannot bound the run time of invalid code)
    p = subprocess.run([SMITH, 'smith', *flags, '-o', str(out)], input=data, capture_output=True)
    return out.read_bytes() if p.returncode == 0 else None


def wt_engine() -> wasmtime.Engine:
    cfg = wasmtime.Config()
    for f in ('wasm_gc', 'wasm_function_references', 'wasm_exceptions', 'wasm_tail_call',
              'wasm_reference_types', 'wasm_multi_value', 'wasm_bulk_memory', 'wasm_multi_memory',
              'wasm_memory64'):
        setattr(cfg, f, True)
    cfg.wasm_simd = False
    cfg.wasm_relaxed_simd = False
    cfg.wasm_threads = False
    cfg.consume_fuel = True
    return wasmtime.Engine(cfg)


ENGINE = wt_engine()


def our_verdict(data: bytes):
    try:
        m = vm.decode(data)
        vm.validate(m)
    except (vm.DecodeError, vm.ValidationError) as e:
        return None, e
    return m, None


def wt_kind(e: wasmtime.Trap) -> str:
    code = e.trap_code
    if code is not None:
        return WT_KIND.get(code.name, code.name)
    if 'thrown Wasm exception' in str(e):
        return 'exception'
    return f'other: {str(e)[-80:]}'


def our_kind(e: vm.VMError) -> str:
    if isinstance(e, vm.WasmException):
        return 'exception'
    for prefix, kind in OUR_KIND:
        if e.msg.startswith(prefix):
            return kind
    return f'other: {e.msg}'


def norm(v):
    """A comparable form of one API value: numbers exactly (NaN as 'nan'), references by null-ness."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return 'nan' if math.isnan(v) else struct.pack('<d', v)
    return 'ref'


def norm_results(r) -> list:
    if r is None:
        return []
    if isinstance(r, (list, tuple)):
        return [norm(v) for v in r]
    return [norm(r)]


def wt_call(f, store, args):
    try:
        return 'ok', norm_results(f(store, *args))
    except wasmtime.Trap as e:
        return 'trap', wt_kind(e)
    except wasmtime.WasmtimeError as e:
        if 'valkind' in str(e) or 'convert' in str(e).lower():
            return 'unsupported', None          # ran, but its result is a value the library lacks
        if 'out of memory' in str(e):
            return 'trap', 'resource'           # (the library reports its GC heap limit this way)
        raise


def our_call(f, args):
    try:
        return 'ok', norm_results(f(*args))
    except (vm.Trap, vm.WasmException) as e:
        return 'trap', our_kind(e)


def arguments(params, rnd):
    """Fixed arguments from our decoded types (the library aborts rendering some GC types)."""
    out = []
    for t in params:
        if t in ('i32', 'i64'):
            out.append(rnd.choice([0, 1, -1, 7, 65536, 2**31 - 1]))
        elif t in ('f32', 'f64'):
            out.append(rnd.choice([0.0, 1.5, -2.0, 1e10]))
        elif t.nullable and t.heap in ('func', 'extern'):
            out.append(None)
        else:
            return None          # other references: the library cannot pass them
    return out


def compare_module(data: bytes) -> tuple[bool, list]:
    """Run one valid module on both engines; (fully compared, disagreements)."""
    module, _ = our_verdict(data)
    store = wasmtime.Store(ENGINE)
    store.set_fuel(WT_FUEL)
    store.set_limits(memory_size=MEMORY_LIMIT, table_elements=1 << 20)
    wmod = wasmtime.Module(ENGINE, data)
    bad = []
    try:
        winst, wtrap = wasmtime.Instance(store, wmod, []), None
    except wasmtime.Trap as e:
        winst, wtrap = None, wt_kind(e)
    except wasmtime.WasmtimeError as e:
        if 'out of memory' in str(e):
            return False, bad
        if 'thrown Wasm exception' not in str(e):
            raise
        winst, wtrap = None, 'exception'     # (the library reports it as an error here)
    try:
        inst, trap = vm.instantiate(module, fuel=OUR_FUEL, memory_limit=MEMORY_LIMIT), None
    except (vm.Trap, vm.WasmException) as e:
        inst, trap = None, our_kind(e)
    if 'resource' in (wtrap, trap):
        return False, bad
    if (wtrap is None) != (trap is None) or wtrap != trap:
        return True, [f'instantiation: wasmtime {wtrap}, ours {trap}']
    if winst is None:
        return True, bad
    rnd = random.Random(len(data))
    wexports = winst.exports(store)
    for ex in module.exports:
        if ex.kind != 'func':
            continue
        args = arguments(module.func_type(ex.index).params, rnd)
        if args is None:
            continue
        want = wt_call(wexports[ex.name], store, args)
        got = our_call(inst.exports[ex.name], args)
        if 'resource' in (want[1], got[1]):
            return False, bad
        if want[0] == 'unsupported':
            if got[0] != 'ok':
                bad.append(f'{ex.name}{tuple(args)}: wasmtime returned, ours {got}')
            continue
        if want != got:
            bad.append(f'{ex.name}{tuple(args)}: wasmtime {want}, ours {got}')
    for ex in module.exports:
        w, o = wexports[ex.name], inst.exports[ex.name]
        if isinstance(w, wasmtime.Memory):
            if w.size(store) != o.size() or bytes(w.read(store, 0, w.data_len(store))) != bytes(o.data):
                bad.append(f'memory {ex.name} differs')
        elif isinstance(w, wasmtime.Global):
            try:
                wv = w.value(store)
            except wasmtime.WasmtimeError:
                continue
            if isinstance(wv, wasmtime.Val):
                continue        # a reference the library wraps without telling null from non-null
            wv = norm(wv)
            if wv != norm(o.get()):
                bad.append(f'global {ex.name}: wasmtime {wv}, ours {norm(o.get())}')
        elif isinstance(w, wasmtime.Table):
            if w.size(store) != o.size():
                bad.append(f'table {ex.name}: size {w.size(store)} vs {o.size()}')
    return True, bad


@pytest.mark.parametrize('seed', range(START, START + N))
def test_same_behaviour_as_wasmtime(seed, tmp_path):
    data = smith(seed, tmp_path)
    assert data is not None, 'wasm-tools smith failed'
    module, err = our_verdict(data)
    assert err is None, f'we reject a module wasm-tools made valid: {err}'
    wasmtime.Module.validate(ENGINE, data)
    _, bad = compare_module(data)
    assert not bad, '\n'.join(bad)


@pytest.mark.parametrize('seed', range(START, START + N))
def test_same_validation_verdict_as_wasmtime(seed, tmp_path):
    data = smith(seed, tmp_path, invalid=True)
    assert data is not None, 'wasm-tools smith failed'
    _, ours = our_verdict(data)
    try:
        wasmtime.Module.validate(ENGINE, data)
        theirs = None
    except wasmtime.WasmtimeError as e:
        theirs = e
    assert (ours is None) == (theirs is None), f'ours: {ours}; wasmtime: {theirs}'
