"""vm/errors.py: one base class, messages that read well in a CLI, room for extra fields.
(Kept beside the decoder tests: the errors module belongs to the same owner.)"""
from __future__ import annotations

import pytest

from vm.errors import (BarrierTrap, DecodeError, Exhaustion, LinkError, OutOfFuel, Trap, UnhandledSuspension,
                       ValidationError, VMError, WasmException)


def test_hierarchy():
    for cls in (DecodeError, ValidationError, LinkError, Trap, WasmException):
        assert issubclass(cls, VMError) and issubclass(cls, Exception)
    for cls in (Exhaustion, OutOfFuel, UnhandledSuspension, BarrierTrap):
        assert issubclass(cls, Trap)


@pytest.mark.parametrize('err, text', [
    (DecodeError('unexpected end', 0x1a), 'decode error at offset 0x1a: unexpected end'),
    (DecodeError('magic header not detected'), 'decode error: magic header not detected'),
    (ValidationError('type mismatch: expected i32, found f64', 3, 'fib', 0x4f),
     'validation error in function 3 ($fib) at offset 0x4f: type mismatch: expected i32, found f64'),
    (ValidationError('unknown global 7'), 'validation error: unknown global 7'),
    (LinkError('unknown import fx.write'), 'link error: unknown import fx.write'),
    (Trap('integer divide by zero', 'fib'), 'trap: integer divide by zero (in fib)'),
    (Trap('unreachable'), 'trap: unreachable'),
    (Exhaustion(func_name='f'), 'trap: call stack exhausted (in f)'),
    (OutOfFuel(), 'trap: out of fuel'),
    (UnhandledSuspension('unhandled tag $yield'), 'trap: unhandled tag $yield'),
    (BarrierTrap(func_name='g'), 'trap: suspension across barrier (in g)'),
])
def test_str(err, text):
    assert str(err) == text


def test_bare_message_and_extra_fields():
    e = LinkError('incompatible import type', module='fx', name='write')
    assert (e.msg, e.module, e.name) == ('incompatible import type', 'fx', 'write')
    s = UnhandledSuspension(tag='T', payload=(1, 2))
    assert (s.msg, s.tag, s.payload) == ('unhandled tag', 'T', (1, 2))


def test_wasm_exception():
    class Tag:
        name = 'oops'
    e = WasmException(Tag(), [1, 2.5])
    assert e.payload == (1, 2.5)
    assert str(e) == 'uncaught exception oops (1, 2.5)'
    assert str(WasmException()) == 'uncaught exception'
