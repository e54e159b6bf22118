"""barrier's own tests (tests/vm/test_barrier.py), every module lowered first: the same results, and the same
traps — a lowered module traps in a function named after the trap, which this adapter turns back into the
VM's exception class (BarrierTrap for "suspension across barrier") so the original assertions apply as is."""
from __future__ import annotations

import inspect
import subprocess
import tempfile

import pytest

import tests.vm.test_barrier as original
import vm
from fxlang.asyncify import lower
from fxlang.asyncify.script import named_trap
from fxlang.wasm import encode
from fxlang.wasm.read import read
from tests.e2e.conftest import wasm_tools_path

TESTS = [f for name, f in inspect.getmembers(original, inspect.isfunction) if name.startswith("test_")]
_plain_instantiate = original.instantiate


class _Exports:
    def __init__(self, exports):
        self._exports = exports

    def __getattr__(self, name):
        fn = getattr(self._exports, name)

        def call(*args):
            try:
                return fn(*args)
            except vm.Trap as e:
                message = named_trap(e.msg, e.func_name)
                if message == "suspension across barrier":
                    raise vm.BarrierTrap() from e
                if message is not None:
                    raise vm.Trap(message, e.func_name) from e
                raise
        return call


class _Instance:
    def __init__(self, inst):
        self.exports = _Exports(inst.exports)


def lowered_instantiate(data, **kw):
    lowered = encode(lower(read(data)))
    with tempfile.NamedTemporaryFile(suffix=".wasm") as f:
        f.write(lowered)
        f.flush()
        r = subprocess.run([wasm_tools_path(), "validate", f.name], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr            # standard Wasm: wasm-tools' default features
    return _Instance(_plain_instantiate(lowered, **kw))


@pytest.mark.parametrize("test", TESTS, ids=[t.__name__ for t in TESTS])
def test_lowered(test, monkeypatch):
    monkeypatch.setattr(original, "instantiate", lowered_instantiate)
    test()
