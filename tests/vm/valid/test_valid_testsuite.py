"""vm.valid against the spec testsuite: every assert_invalid and every module that must validate.

Each .wast script under ../shared/testsuite is turned into JSON + binaries by wasm-tools; every
binary module is decoded with vm.decode and validated:
  - `assert_invalid` modules must raise ValidationError whose message starts with the expected text;
  - modules that must be valid (`module`, `module definition`, and the modules of
    `assert_unlinkable` / `assert_uninstantiable`, which fail only later) must validate.
`assert_malformed` modules are the decoder's business and are skipped here. Modules written as
text in the script are used through the binary wasm-tools also writes for them.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vm.binary.decode import decode
from vm.errors import ValidationError
from vm.valid import validate

ROOT = Path(__file__).resolve().parents[3]
SUITE = ROOT / '..' / 'shared' / 'testsuite'
_local = Path(sys.executable).with_name('wasm-tools')
WASM_TOOLS = str(_local) if _local.exists() else (shutil.which('wasm-tools') or 'wasm-tools')

FILES = sorted(str(p.relative_to(SUITE)) for p in SUITE.glob('**/*.wast')) if SUITE.exists() else []
MUST_VALIDATE = ('module', 'module_definition', 'assert_unlinkable', 'assert_uninstantiable')

pytestmark = pytest.mark.skipif(not FILES, reason='spec testsuite not found at ../shared/testsuite')


def load(rel: str, tmp: Path):
    """(command, module bytes) for every module command of one script that we validate."""
    out = tmp / rel.replace('/', '_').removesuffix('.wast')
    js = out / 'cmds.json'
    if not js.exists():
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run([WASM_TOOLS, 'json-from-wast', str(SUITE / rel), '-o', str(js), '--wasm-dir', str(out)],
                       check=True, capture_output=True)
    for cmd in json.loads(js.read_text())['commands']:
        if cmd['type'] not in MUST_VALIDATE + ('assert_invalid',):
            continue
        # Text modules (annotations, out-of-range limits) come with a binary_filename as well.
        name = cmd['filename'] if cmd.get('module_type') == 'binary' else cmd.get('binary_filename')
        if name and (out / name).exists():
            yield cmd, (out / name).read_bytes()


def check_file(rel: str, tmp: Path):
    """Return (passed, failures) for one script."""
    passed, failures = 0, []
    for cmd, data in load(rel, tmp):
        where = f"{rel}:{cmd['line']} {cmd['type']}"
        module = decode(data)
        try:
            validate(module)
            err = None
        except ValidationError as e:
            err = e
        if cmd['type'] == 'assert_invalid':
            if err is None:
                failures.append(f"{where}: accepted, expected {cmd['text']!r}")
            elif not err.msg.startswith(cmd['text']):
                failures.append(f"{where}: got {err.msg!r}, expected {cmd['text']!r}")
            else:
                passed += 1
        elif err is not None:
            failures.append(f'{where}: valid module rejected: {err}')
        else:
            passed += 1
    return passed, failures


@pytest.fixture(scope='session')
def scripts(tmp_path_factory):
    """A per-session directory where converted scripts are kept (converted once per worker)."""
    return tmp_path_factory.mktemp('wast')


@pytest.mark.parametrize('rel', FILES)
def test_script(rel, scripts):
    passed, failures = check_file(rel, scripts)
    assert not failures, '\n'.join(failures)


def test_whole_suite_tally(scripts):
    """Counts over the whole suite, so a silently skipped file shows up."""
    invalid = valid = 0
    for rel in FILES:
        for cmd, _ in load(rel, scripts):
            if cmd['type'] == 'assert_invalid':
                invalid += 1
            else:
                valid += 1
    assert invalid >= 1922 and valid >= 1778


def test_error_messages_name_the_place(scripts):
    """Errors inside code carry the function index and the instruction's byte offset."""
    seen = 0
    for cmd, data in load('stack-switching/cont.wast', scripts):
        if cmd['type'] != 'assert_invalid':
            continue
        with pytest.raises(ValidationError) as info:
            validate(decode(data))
        e = info.value
        if e.func_index is not None:
            seen += 1
            assert e.offset is not None and 0 < e.offset < len(data)
            assert f'in function {e.func_index}' in str(e)
            assert f'at offset {e.offset:#x}' in str(e)
    assert seen >= 10
