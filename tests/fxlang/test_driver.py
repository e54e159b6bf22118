"""fxlang.driver: the pipeline runs without the cyclic garbage collector and gives it back as it was."""

from __future__ import annotations

import gc

import pytest

from fxlang import driver
from fxlang.diagnostics import FxError, FxErrors


def test_collector_paused_restores_the_collector_also_after_an_error(tmp_path):
    bad = tmp_path / "bad.fx"
    bad.write_text("fn main() { let x: int = true; }\n")
    assert gc.isenabled()
    with pytest.raises((FxError, FxErrors)):
        driver.check_file(bad)
    assert gc.isenabled()
    with driver.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_paused_leaves_a_disabled_collector_disabled():
    gc.disable()
    try:
        with driver.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_compile_file_gives_a_binary_and_the_module(tmp_path):
    src = tmp_path / "ok.fx"
    src.write_text('fn main() { println("hi"); }\n')
    compiled = driver.compile_file(src, target="standard")
    assert compiled.wasm[:4] == b"\0asm"
    assert gc.isenabled()
