"""Every module binary of the spec testsuite through vm.binary.decode.

wasm-tools turns each script into JSON commands plus one binary per module. Modules that the script
does not declare malformed (`module`, `assert_invalid`, `assert_unlinkable`, ...) must decode; each
binary `assert_malformed` must raise DecodeError whose message starts with the script's text (the
comparison the reference interpreter's script runner makes).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from vm.binary import decode
from vm.errors import DecodeError

SUITE = Path(__file__).resolve().parents[3] / '..' / 'shared' / 'testsuite'
SPEC_FILES = sorted(str(p.relative_to(SUITE)) for p in SUITE.glob('**/*.wast')) if SUITE.exists() else []


def binaries(spec_scripts, rel):
    commands, out = spec_scripts(rel)
    for c in commands:
        if c.get('filename', '').endswith('.wasm'):
            yield c, (out / c['filename']).read_bytes()


@pytest.mark.parametrize('rel', SPEC_FILES)
def test_script_binaries(spec_scripts, rel):
    decoded = malformed = 0
    failures = []
    for c, data in binaries(spec_scripts, rel):
        where = f"{rel}:{c['line']} {c['type']}"
        try:
            m = decode(data)
        except DecodeError as e:
            if c['type'] != 'assert_malformed':
                failures.append(f'{where}: {e}')
            elif not e.msg.startswith(c['text']):
                failures.append(f"{where}: expected {c['text']!r}, got {e.msg!r}")
            else:
                assert e.offset is not None and 0 <= e.offset <= len(data), where
                malformed += 1
            continue
        if c['type'] == 'assert_malformed':
            failures.append(f"{where}: decoded, expected {c['text']!r}")
        else:
            assert all(f.body and f.body[-1].op == 'end' for f in m.funcs), where
            decoded += 1
    assert not failures, '\n'.join(failures)


# Totals over scripts that are about the binary format, so a change that silently skips their
# commands (e.g. a different wasm-tools JSON layout) fails here.
EXPECTED_MALFORMED = {
    'binary.wast': 106, 'binary-leb128.wast': 59, 'custom.wast': 8, 'global.wast': 4,
    'utf8-custom-section-id.wast': 176, 'utf8-import-field.wast': 176, 'utf8-import-module.wast': 176,
    'gc/binary-gc.wast': 1,
}


@pytest.mark.parametrize('rel', sorted(EXPECTED_MALFORMED))
def test_malformed_counts(spec_scripts, rel):
    n = 0
    for c, data in binaries(spec_scripts, rel):
        if c['type'] == 'assert_malformed':
            with pytest.raises(DecodeError):
                decode(data)
            n += 1
    assert n == EXPECTED_MALFORMED[rel]
