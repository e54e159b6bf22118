"""fxlang's own `barrier` (0xe7 blocktype instr* end): standard tools reject it, our reader and printer do not."""

from ._wasm_oracle import parse_wat, strip_custom, validate
from ._wasm_samples import barrier_module
from fxlang.wasm import Module, encode
from fxlang.wasm.read import read
from fxlang.wasm.wat import disassemble


def _block_twin() -> Module:
    """The barrier sample with `block` in place of `barrier`."""
    m = barrier_module()
    [f] = m.funcs
    f.body = [i._replace(op='block') if i.op == 'barrier' else i for i in f.body]
    return m


def test_wasm_tools_rejects_barrier():
    ok, err = validate(encode(barrier_module()))
    assert not ok
    assert 'e7' in err.lower() or 'opcode' in err.lower() or 'illegal' in err.lower(), err


def test_barrier_is_typed_like_block():
    """Only the opcode byte differs from the block version, which wasm-tools accepts."""
    with_barrier, with_block = encode(barrier_module()), encode(_block_twin())
    assert len(with_barrier) == len(with_block)
    diff = [(a, b) for a, b in zip(with_barrier, with_block) if a != b]
    assert diff == [(0xe7, 0x02)]
    assert validate(with_block)[0]


def test_reader_reads_barrier_back():
    data = encode(barrier_module())
    m = read(data)
    body = m.funcs.entries[0].body
    assert body[0].op == 'barrier' and body[0].imms == ('i32',)
    assert [i.op for i in body].count('end') == 1
    assert encode(m) == data


def test_printer_prints_barrier_as_a_block():
    text = disassemble(encode(barrier_module()))
    lines = [l.strip() for l in text.splitlines()]
    start = lines.index('barrier (result i32)  ;; label = @1')
    assert lines[start + 1:start + 6] == ['suspend $t', 'i32.const 1', 'i32.const 1', 'br_if 0 (;@1;)', 'end']
    # the same text with `block` is the block twin, as wasm-tools reads it
    as_block = text.replace('barrier (result i32)', 'block (result i32)')
    assert strip_custom(parse_wat(as_block)) == strip_custom(encode(_block_twin()))
