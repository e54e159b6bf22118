"""Golden input/output tests of the passes (like Binaryen's lit tests): tests/fxlang/passes/NAME/CASE.wat is the
input of the pass NAME, CASE.expected.wat beside it the module the pass returns, as fxlang's printer writes it
(FX_BLESS=1 rewrites the expected files).  Each output must also

* validate with `wasm-tools validate --features all` (when it holds no fxlang `barrier`, which wasm-tools does
  not know; our VM validates every output), and
* behave like its input on the VM when the module exports `main` or `_start` (same output, same failure or not).

wasm-tools does not know fxlang's `barrier` either, so an input spells it `nop barrier`: the harness parses
that as `nop block` and turns every `nop` + `block` pair back into `barrier` (inputs use no other `nop`)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from fxlang import passes
from fxlang.wasm import Instr, encode
from fxlang.wasm.read import read
from fxlang.wasm.wat import print_module
from tests.fxlang.codegen.conftest import run_vm_with_message
from tests.fxlang.wasm._wasm_oracle import parse_wat, validate

HERE = Path(__file__).parent
BLESS = os.environ.get("FX_BLESS") == "1"
CASES = sorted(p for p in HERE.glob("*/*.wat") if not p.name.endswith(".expected.wat"))


def load(path: Path):
    """The input module of a case, with its `barrier`s."""
    text = re.sub(r"\bnop\s+barrier\b", "nop block", path.read_text())
    m = read(parse_wat(text))
    for f in m.funcs:
        body = []
        for ins in f.body:
            if ins.op == "block" and body and body[-1].op == "nop":
                body[-1] = Instr("barrier", ins.imms)
            else:
                body.append(ins)
        f.body = body
    return m


def behaviour(data: bytes):
    """(stdout, exit status) on the VM. A compiled program is a WASI command (`_start`); the hand-written
    inputs here export `main` and print through a plain `fx.write(ptr, len)`, given by this harness, with
    WASI beside it for what a pass adds (lower-barrier's panic writes with fd_write and exits)."""
    import io
    import vm
    from vm import wasi
    module = vm.decode(data)
    if any(ex.name == "_start" for ex in module.exports):
        out, status, _ = run_vm_with_message(data)
        return out, status
    vm.validate(module)
    out = io.BytesIO()
    host = wasi.Wasi(["case.wasm"], stdout=out, stderr=io.BytesIO())
    imports = host.imports(module)
    imports["fx"] = {"write": lambda ptr, n: out.write(host.memory.read(ptr & 0xFFFFFFFF, n & 0xFFFFFFFF)),
                     "f64_to_str": lambda x, ptr: 0}          # imported by a case, never called
    try:
        inst = vm.instantiate(module, imports)
        host.bind(inst.exports["memory"])
        inst.exports["main"]()
        status = 0
    except wasi.ProcExit as e:
        status = e.code
    except (vm.Trap, vm.WasmException):
        status = 1
    finally:
        host.close()
    return out.getvalue().decode(), status


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_pass_output(case: Path):
    name = case.parent.name
    assert name in passes.PASSES, f"{case.parent} names no pass"
    before = encode(load(case))
    out = passes.run(load(case), [name])
    text = print_module(out)
    expected = case.with_name(case.stem + ".expected.wat")
    if BLESS:
        expected.write_text(text)
    assert expected.exists(), f"{expected.name} missing: run with FX_BLESS=1"
    assert text == expected.read_text(), f"{case.name}: output differs from {expected.name} (FX_BLESS=1)"
    data = encode(out)
    if not any(i.op == "barrier" for f in out.funcs for i in f.body):
        ok, err = validate(data)
        assert ok, err
    if any(e.name == "main" for e in out.exports):
        assert behaviour(data) == behaviour(before)


def test_every_pass_has_golden_cases():
    assert {p.parent.name for p in CASES} >= set(passes.PASSES)


def test_pipelines_name_registered_passes():
    for target, names in passes.PIPELINES.items():
        assert names and all(n in passes.PASSES for n in names), target
    assert passes.TARGETS == tuple(passes.PIPELINES)


def test_every_pass_documents_itself():
    import sys
    for p in passes.PASSES.values():
        assert p.run.__doc__ and "Input" in p.run.__doc__ and "Output" in p.run.__doc__, p.name
        assert sys.modules[p.run.__module__].__doc__.strip(), p.name      # the algorithm comment


def test_run_rejects_an_unknown_pass():
    from fxlang.wasm import Module
    with pytest.raises(ValueError, match="unknown pass 'nope'"):
        passes.run(Module(), ["nope"])
