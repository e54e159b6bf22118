import pytest
import wasmtime

import vm


def load_wat(wat, imports=None, **kw):
    """WAT text -> validated module -> instance (wasmtime only converts the text)."""
    m = vm.decode(wasmtime.wat2wasm(wat))
    vm.validate(m)
    return vm.instantiate(m, imports, **kw)


@pytest.fixture
def load():
    return load_wat
