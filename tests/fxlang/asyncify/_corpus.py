"""The module corpus the asyncify analysis tests run over: every valid module of the spec suite that wasm-tools
turns into binaries (stack-switching/ included), every example compiled for targets fx and standard, the
fxlang.wasm sample modules (every opcode) and wasm-tools smith modules (GC, exceptions, tail calls, memory64).

The spec suite is looked up at $FX_TESTSUITE, else ../shared/testsuite from the repo root (a git worktree
elsewhere can point the variable at the shared copy); the tests that need it skip when it is absent.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from fxlang.wasm.read import read
from tests.fxlang.wasm._wasm_oracle import REPO, WASM_TOOLS, spec_binaries

TESTSUITE = Path(os.environ.get('FX_TESTSUITE') or REPO / '../shared/testsuite')
# commands whose module is valid (instantiation may fail, validation does not)
_VALID_COMMANDS = {'module', 'module_definition', 'assert_unlinkable', 'assert_uninstantiable'}


@lru_cache(maxsize=None)
def _spec() -> tuple[tuple, tuple]:
    """(valid, invalid): (script/file name, Module) for every binary module of the spec suite, converted once;
    invalid: the assert_invalid modules that fxlang.wasm.read can read."""
    valid, invalid = [], []
    work = Path(tempfile.mkdtemp(prefix='fxasyncify-spec-'))
    try:
        for wast in sorted(TESTSUITE.glob('**/*.wast')):
            rel = wast.relative_to(TESTSUITE).as_posix()
            try:
                binaries = spec_binaries(wast, work / rel.replace('/', '_'))
            except subprocess.CalledProcessError:
                continue            # a script wasm-tools itself cannot convert
            for typ, fn, data in binaries:
                if typ in _VALID_COMMANDS:
                    valid.append((f'{rel}/{fn}', read(data)))
                elif typ == 'assert_invalid':
                    try:
                        invalid.append((f'{rel}/{fn}', read(data)))
                    except ValueError:
                        pass        # not even readable: nothing to type
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return tuple(valid), tuple(invalid)


def spec_modules() -> tuple:
    """(script/file name, Module) for every valid binary module of the spec suite."""
    return _spec()[0]


def invalid_spec_modules() -> tuple:
    """(name, Module) for the assert_invalid modules of the spec suite that fxlang.wasm.read can read."""
    return _spec()[1]


@lru_cache(maxsize=None)
def example_modules() -> tuple:
    """(example/target, Module) for every examples/*.fx, both as generated and as read back from its binary."""
    from fxlang.driver import compile_file
    out = []
    for path in sorted((REPO / 'examples').glob('*.fx')):
        for target in ('fx', 'standard'):
            c = compile_file(path, target=target)
            out.append((f'{path.stem}/{target}', c.module))
            out.append((f'{path.stem}/{target}/read', read(c.wasm)))
    return tuple(out)


def sample_modules() -> list:
    from tests.fxlang.wasm import _wasm_samples as s
    mods = [(name, make()) for name, make in s.VALID.items()]
    mods.append(('barrier', s.barrier_module()))
    return mods


@lru_cache(maxsize=None)
def smith_modules(n: int = 30, seed: int = 20261206) -> tuple:
    from tests.fxlang.wasm.test_wasm_smith import _smith
    return tuple((f'smith{i}', read(data)) for i, data in enumerate(_smith(n, seed)))


def has_testsuite() -> bool:
    return TESTSUITE.is_dir() and WASM_TOOLS is not None
