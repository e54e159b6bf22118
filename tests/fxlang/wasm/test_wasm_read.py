"""The reader: encode -> read -> encode is the identity, for our samples and the whole spec test suite, and
malformed binaries give ReadError with the byte offset, never a Python exception of another kind."""

import pytest

from ._wasm_oracle import TESTSUITE, spec_corpus
from ._wasm_samples import VALID, barrier_module
from fxlang.wasm import Handle, Module, encode
from fxlang.wasm.encode import instr
from fxlang.wasm.read import ReadError, read

# Scripts whose `(module binary ...)` modules spell things non-canonically on purpose (padded LEB128,
# split local declarations, empty or redundant sections); re-encoding them canonicalises.
NON_CANONICAL = {'binary.wast', 'binary-leb128.wast', 'float_literals.wast'}


@pytest.mark.parametrize('name', sorted(VALID) + ['barrier'])
def test_sample_round_trip(name):
    module = (VALID.get(name) or barrier_module)()
    data = encode(module)
    back = read(data)
    assert encode(back) == data
    # instruction by instruction (the builder's handles and unsigned constants read back as plain ints)
    assert [[instr(i) for i in f.body] for f in back.funcs] == [[instr(i) for i in f.body] for f in module.funcs]
    assert all(type(imm) is not Handle for f in back.funcs for i in f.body for imm in i.imms)
    assert back.names.funcs == {int(k): v for k, v in module.names.funcs.items()}


def test_testsuite_is_there():
    assert TESTSUITE.is_dir(), 'the spec test suite is expected at ../shared/testsuite'
    assert any(rel.startswith('stack-switching/') for rel, *_ in spec_corpus())


def test_spec_modules_round_trip():
    checked, canonicalised = 0, 0
    for rel, kind, fn, data in spec_corpus():
        if kind not in ('module', 'assert_invalid', 'assert_unlinkable', 'assert_uninstantiable', 'assert_trap',
                        'assert_exception', 'assert_suspension', 'register'):
            continue
        if kind == 'assert_invalid' and rel.endswith('ref_func.wast'):
            continue        # undeclared ref.func targets: the encoder declares them, by design
        if kind == 'assert_invalid' and rel.endswith('align.wast'):
            continue        # explicit memory index 0 in a memarg: re-encoded without the flag
        module = read(data)
        again = encode(module)
        if rel.split('/')[-1] in NON_CANONICAL and again != data:
            assert encode(read(again)) == again, f'{rel} {fn}: re-encoding is not stable'
            canonicalised += 1
        else:
            assert again == data, f'{rel} {fn}: round trip changed the binary'
        checked += 1
    assert checked > 3000 and canonicalised < 60


def test_spec_malformed_binaries_are_read_errors():
    rejected = 0
    for rel, kind, fn, data in spec_corpus():
        if kind != 'assert_malformed':
            continue
        with pytest.raises(ReadError) as e:
            read(data)
        assert 0 <= e.value.offset <= len(data), (rel, fn)
        rejected += 1
    assert rejected > 500


@pytest.mark.parametrize('data, message, offset', [
    (b'', 'magic header not detected', 0),
    (b'\0asx\1\0\0\0', 'magic header not detected', 0),
    (b'\0asm\2\0\0\0', 'unknown binary version', 4),
    (b'\0asm\1\0\0', 'unexpected end', 7),
    (b'\0asm\1\0\0\0\x0e\x00', 'malformed section id', 8),
    (b'\0asm\1\0\0\0\x01\x05\x01\x60\x00', 'length out of bounds', 8),
    (b'\0asm\1\0\0\0\x01\x05\x01\x60\x00\x00\x00', 'section size mismatch', 14),
    (b'\0asm\1\0\0\0\x01\x04\x01\x60\x00\x00\x00', 'unexpected end of section or function', 15),
    (b'\0asm\1\0\0\0\x01\x04\x01\x60\x00\x00\x01\x04\x01\x60\x00\x00', 'unexpected content after last section', 14),
    (b'\0asm\1\0\0\0\x01\x04\x01\x61\x00\x00', 'malformed composite type', 11),
    (b'\0asm\1\0\0\0\x01\x04\x01\x60\x01\x01', 'malformed value type', 13),
    # type [] -> [], one function whose body is the illegal opcode 0xff
    (b'\0asm\1\0\0\0\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x05\x01\x03\x00\xff\x0b',
     'illegal opcode', 23),
    (b'\0asm\1\0\0\0\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x04\x01\x02\x00\x02', 'unexpected end', 24),
    (b'\0asm\1\0\0\0\x03\x02\x01\x00', 'function and code section have inconsistent lengths', 12),
])
def test_malformed_with_offsets(data, message, offset):
    with pytest.raises(ReadError) as e:
        read(data)
    assert e.value.message == message
    assert e.value.offset == offset
    assert f'offset {offset}' in str(e.value)


def test_truncations_never_crash():
    """Every prefix of a rich module is either a complete module or a ReadError."""
    data = encode(VALID['stack_switching']())
    for n in range(len(data)):
        try:
            read(data[:n])
        except ReadError as e:
            assert 0 <= e.offset <= n


def test_read_error_is_a_value_error():
    """fxlang/cli.py reports ValueError from `fxc dis` as a user error."""
    with pytest.raises(ValueError):
        read(b'junk')


def test_instruction_counts():
    from fxlang.wasm.stats import instruction_counts
    data = encode(VALID['stack_switching']())
    counts = instruction_counts(data)
    assert counts['resume'] == 3 and counts['cont.new'] == 2 and counts['switch'] == 1
    assert counts['#functions'] == 4 and counts['#tags'] == 3 and counts['#bytes'] == len(data)


def test_malformed_name_section_is_kept_as_bytes():
    """Custom sections are not validated: a broken name section must not make a module unreadable."""
    plain = Module()
    plain.funcs.add(plain.types.func())
    good = encode(plain)
    junk = b'\x04name\x01\x05\xff'                    # function names subsection longer than the section
    data = good + b'\x00' + bytes([len(junk)]) + junk
    m = read(data)
    assert m.names.is_empty()
    assert [(c.name, c.data) for c in m.customs] == [('name', b'\x01\x05\xff')]
    assert encode(m) == data
