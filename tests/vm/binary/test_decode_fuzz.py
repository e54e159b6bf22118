"""Robustness: decode() of any bytes returns a Module or raises DecodeError with an offset inside the
input -- never another exception, never a hang. Random bytes, random section contents, and random
mutations (flips, insertions, deletions, truncations) of valid modules from the spec testsuite."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from vm.binary import decode
from vm.binary.leb128 import encode_u
from vm.errors import DecodeError
from vm.syntax import Module

HEADER = b'\x00asm\x01\x00\x00\x00'
FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def decodes_or_fails_cleanly(data: bytes) -> Module | None:
    try:
        return decode(data)
    except DecodeError as e:
        assert isinstance(e.msg, str) and e.msg
        assert e.offset is not None and 0 <= e.offset <= len(data), (e, len(data))
        assert str(e).startswith('decode error at offset 0x')
        return None


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes(data):
    decodes_or_fails_cleanly(data)


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_after_header(data):
    decodes_or_fails_cleanly(HEADER + data)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 13), st.binary(max_size=60)), max_size=4))
def test_random_section_contents(sections):
    data = HEADER + b''.join(bytes([sid]) + encode_u(len(p)) + p for sid, p in sections)
    decodes_or_fails_cleanly(data)


CORPUS_SCRIPTS = ['stack-switching/cont.wast', 'try_table.wast', 'gc/struct.wast', 'gc/br_on_cast.wast',
                  'elem.wast', 'data.wast', 'call_ref.wast', 'names.wast']


@pytest.fixture(scope='module')
def corpus(spec_scripts) -> list[bytes]:
    mods = []
    for rel in CORPUS_SCRIPTS:
        commands, out = spec_scripts(rel)
        mods += [(out / c['filename']).read_bytes() for c in commands
                 if c['type'] == 'module' and c.get('filename', '').endswith('.wasm')][:15]
    assert mods
    return mods


mutation = st.tuples(st.sampled_from(['flip', 'set', 'insert', 'delete', 'truncate']),
                     st.integers(0, 2**20), st.integers(0, 255))


def mutate(data: bytes, edits) -> bytes:
    b = bytearray(data)
    for kind, where, value in edits:
        if not b:
            break
        i = where % len(b)
        if kind == 'flip':
            b[i] ^= 1 << (value % 8)
        elif kind == 'set':
            b[i] = value
        elif kind == 'insert':
            b.insert(i, value)
        elif kind == 'delete':
            del b[i]
        else:
            del b[i:]
    return bytes(b)


@FUZZ
@given(data=st.data())
def test_mutated_spec_modules(corpus, data):
    original = data.draw(st.sampled_from(corpus))
    assert decodes_or_fails_cleanly(original) is not None
    edits = data.draw(st.lists(mutation, min_size=1, max_size=4))
    decodes_or_fails_cleanly(mutate(original, edits))


def test_every_truncation_of_a_module(corpus):
    # Cutting a valid module anywhere must give a clean error (or, at a section boundary, a module).
    original = max(corpus[:10], key=len)
    outcomes = [decodes_or_fails_cleanly(original[:n]) for n in range(len(original))]
    assert outcomes[0] is None and any(o is None for o in outcomes[9:])
