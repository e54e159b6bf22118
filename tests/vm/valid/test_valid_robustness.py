"""vm.validate on bad input: only ValidationError, agreement with wasmtime, linear cost.

- Byte-level mutants of spec-suite modules that still decode are validated by us and by
  wasmtime's validator (configured for GC, exceptions, tail calls and stack switching); the
  verdicts must agree and we must raise nothing but ValidationError.
- Hand-built Modules with malformed fields (what a buggy producer could hand us) give
  ValidationError, not a Python traceback.
- Big and deeply nested bodies validate without recursion (their linear cost: bench/scaling.py).
"""
from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import wasmtime

from vm.binary.decode import decode
from vm.errors import DecodeError, ValidationError
from vm.syntax.module import Catch, Elem, Export, Func, Global, Handler, Instr, MemArg, Module
from vm.syntax.types import FuncType, GlobalType, RecGroup, RefType, SubType
from vm.valid import validate

SUITE = Path(__file__).resolve().parents[3] / '..' / 'shared' / 'testsuite'
_local = Path(sys.executable).with_name('wasm-tools')
WASM_TOOLS = str(_local) if _local.exists() else (shutil.which('wasm-tools') or 'wasm-tools')


def _engine():
    cfg = wasmtime.Config()
    for feature in ('wasm_gc', 'wasm_function_references', 'wasm_exceptions', 'wasm_tail_call',
                    'wasm_stack_switching', 'wasm_reference_types', 'wasm_multi_value',
                    'wasm_multi_memory', 'wasm_bulk_memory'):
        setattr(cfg, feature, True)
    return wasmtime.Engine(cfg)


MUTATED = ['stack-switching/cont.wast', 'stack-switching/validation.wast', 'gc/struct.wast',
           'gc/array.wast', 'gc/br_on_cast.wast', 'try_table.wast', 'call_ref.wast', 'local_init.wast']


@pytest.mark.skipif(not SUITE.exists(), reason='spec testsuite not found')
@pytest.mark.parametrize('rel', MUTATED)
def test_mutants_agree_with_wasmtime(rel, tmp_path):
    subprocess.run([WASM_TOOLS, 'json-from-wast', str(SUITE / rel), '-o', str(tmp_path / 'c.json'),
                    '--wasm-dir', str(tmp_path)], check=True, capture_output=True)
    cmds = json.loads((tmp_path / 'c.json').read_text())['commands']
    originals = [(tmp_path / c['filename']).read_bytes() for c in cmds
                 if c['type'] == 'module' and c.get('module_type') == 'binary']
    engine = _engine()
    rnd = random.Random(rel)
    checked = disagreements = 0
    report = []
    for orig in originals:
        if len(orig) <= 9:
            continue
        for _ in range(12):
            b = bytearray(orig)
            i = rnd.randrange(8, len(b))
            b[i] = rnd.choice([rnd.randrange(256), b[i] ^ 1, (b[i] + 1) & 255, (b[i] - 1) & 255])
            data = bytes(b)
            try:
                module = decode(data)
            except DecodeError:
                continue
            try:
                validate(module)
                ours = None
            except ValidationError as e:
                ours = e.msg
            try:
                wasmtime.Module.validate(engine, data)
                theirs = None
            except Exception as e:   # wasmtime.WasmtimeError
                theirs = str(e).splitlines()[0]
            checked += 1
            if (ours is None) != (theirs is None):
                disagreements += 1
                report.append(f'byte {i}: ours {ours!r}, wasmtime {theirs!r}')
    assert checked >= 10
    assert not disagreements, '\n'.join(report[:10])


# -- hand-built malformed modules -------------------------------------------------------------------

FT = SubType(True, (), FuncType((), ()))


def module(body, **kw):
    return Module(types=kw.pop('types', [FT]), rec_groups=kw.pop('rec_groups', [RecGroup(0, 1)]),
                  funcs=[Func(0, (), body + [Instr('end', (), 99)])], **kw)


BAD = {
    'unknown op': module([Instr('i32.frobnicate', (), 1)]),
    'missing immediate': module([Instr('local.get', (), 1)]),
    'immediate of wrong type': module([Instr('br', ('0',), 1)]),
    'bad block type': module([Instr('block', ('i33',), 1), Instr('end', (), 2)]),
    'bad heap type': module([Instr('ref.null', ('anyfunc',), 1), Instr('drop', (), 2)]),
    'heap type out of range': module([Instr('ref.null', (7,), 1), Instr('drop', (), 2)]),
    'missing end': Module(types=[FT], rec_groups=[RecGroup(0, 1)], funcs=[Func(0, (), [])]),
    'code after end': module([Instr('end', (), 1), Instr('nop', (), 2)]),
    'else without if': module([Instr('block', (None,), 1), Instr('else', (), 2), Instr('end', (), 3)]),
    'bad memarg': module([Instr('i32.const', (0,), 1), Instr('i32.load', (None,), 2), Instr('drop', (), 3)]),
    'bad catch': module([Instr('try_table', (None, (Catch('catch_some', None, 0),)), 1), Instr('end', (), 2)]),
    'bad handler': module([Instr('resume', (0, (Handler(5, 0),)), 1)]),
    'rec groups do not cover types': Module(types=[FT, FT], rec_groups=[RecGroup(0, 1)]),
    'overlapping rec groups': Module(types=[FT, FT], rec_groups=[RecGroup(0, 2), RecGroup(1, 1)]),
    'type is not a SubType': Module(types=[FuncType((), ())], rec_groups=[RecGroup(0, 1)]),
    'forward supertype': Module(types=[SubType(False, (1,), FuncType((), ())), SubType(False, (), FuncType((), ()))],
                                rec_groups=[RecGroup(0, 2)]),
    'self supertype': Module(types=[SubType(False, (0,), FuncType((), ()))], rec_groups=[RecGroup(0, 1)]),
    'bad global type': Module(globals=[Global(GlobalType('i128', False), [Instr('end', (), 0)])]),
    'global init not a list': Module(globals=[Global(GlobalType('i32', False), None)]),
    'bad export kind': Module(exports=[Export('x', 'module', 0)]),
    'bad elem mode': Module(elems=[Elem('sideways', RefType(True, 'func'), [])]),
    'function type index out of range': Module(types=[FT], rec_groups=[RecGroup(0, 1)],
                                                funcs=[Func(3, (), [Instr('end', (), 0)])]),
    'local of bad type': Module(types=[FT], rec_groups=[RecGroup(0, 1)],
                                funcs=[Func(0, ('x',), [Instr('end', (), 0)])]),
}


@pytest.mark.parametrize('name', sorted(BAD))
def test_malformed_modules_raise_validation_error(name):
    with pytest.raises(ValidationError):
        validate(BAD[name])


def test_unknown_memory_names_the_instruction():
    m = module([Instr('i32.const', (0,), 5), Instr('i32.load', (MemArg(2, 0, 0),), 7), Instr('drop', (), 9)])
    with pytest.raises(ValidationError) as info:
        validate(m)
    assert info.value.msg.startswith('unknown memory 0')
    assert info.value.offset == 7 and info.value.func_index == 0


# -- big bodies (their cost: bench/scaling.py) ------------------------------------------------------

def test_long_and_deep_bodies_validate():
    ft = SubType(True, (), FuncType(('i32',), ('i32',)))
    n = 50_000
    flat = [Instr('local.get', (0,), 0)]
    for _ in range(n):
        flat += [Instr('local.get', (0,), 1), Instr('i32.add', (), 2)]
    depth = 20_000      # far beyond Python's recursion limit
    deep = ([Instr('block', (None,), 0)] * depth + [Instr('end', (), 0)] * depth
            + [Instr('local.get', (0,), 0)])
    for body in (flat, deep):
        m = Module(types=[ft], rec_groups=[RecGroup(0, 1)], funcs=[Func(0, (), body + [Instr('end', (), 3)])])
        validate(m)
