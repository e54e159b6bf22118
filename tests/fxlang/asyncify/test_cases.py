"""Golden input/output tests of the lowering, one per construct (as Binaryen's lit tests): each
cases/NAME.wat is lowered and
  * the output must equal cases/NAME.lowered.wat (`wasm-tools print`; FX_BLESS=1 rewrites it),
  * it must pass `wasm-tools validate` with default features (no stack switching),
  * every export of the input and of the output must give the same result or trap message on our VM, and on
    V8 without --experimental-wasm-wasmfx where node 26 is installed.
wasm-tools does not know fxlang's `barrier`: a `block` typed with a type named `barrier...` becomes one."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import vm
from fxlang.asyncify import lower
from fxlang.asyncify.script import named_trap
from fxlang.wasm import Instr, encode
from fxlang.wasm.read import read
from tests.e2e.conftest import wasm_tools_path

CASES = sorted(p for p in Path(__file__).with_name("cases").glob("*.wat") if not p.name.endswith(".lowered.wat"))
BLESS = os.environ.get("FX_BLESS") == "1"
NODE_RUNNER = """
const { readFileSync } = require('node:fs');
WebAssembly.instantiate(readFileSync(process.argv[1])).then(({ instance }) => {
  const out = {};
  for (const name of JSON.parse(process.argv[2])) {
    try { out[name] = ['ok', instance.exports[name]()]; }
    catch (e) { const m = /at asyncify trap: (.*?) \\(wasm:/m.exec(e.stack || ''); out[name] = ['trap', m ? m[1] : e.message]; }
  }
  console.log(JSON.stringify(out));
});
"""


def source_module(path: Path, tmp_path: Path) -> bytes:
    binary = tmp_path / "input.wasm"
    r = subprocess.run([wasm_tools_path(), "parse", str(path), "-o", str(binary)], capture_output=True)
    assert r.returncode == 0, r.stderr.decode()
    m = read(binary.read_bytes())
    markers = {int(i) for i, n in m.names.types.items() if n.startswith("barrier")}
    for f in m.funcs:
        f.body = [Instr("barrier", ins.imms) if ins.op == "block" and ins.imms[0] in markers else ins
                  for ins in f.body]
    return encode(m)


def run_vm(data: bytes) -> dict:
    module = vm.decode(data)
    vm.validate(module)
    inst = vm.instantiate(module, {}, fuel=10**8)
    out = {}
    for name in export_names(data):
        try:
            out[name] = ["ok", inst.exports[name]()]
        except vm.Trap as e:
            out[name] = ["trap", named_trap(e.msg, e.func_name) or e.msg]
    return out


def export_names(data: bytes) -> list:
    return [e.name for e in read(data).exports if e.kind == "func"]


def printed(data: bytes) -> str:
    r = subprocess.run([wasm_tools_path(), "print", "-"], input=data, capture_output=True)
    assert r.returncode == 0, r.stderr.decode()
    return r.stdout.decode()


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case(case, tmp_path):
    original = source_module(case, tmp_path)
    lowered = encode(lower(read(original)))
    golden = case.with_suffix(".lowered.wat")
    text = printed(lowered)
    if BLESS:
        golden.write_text(text)
    assert text == golden.read_text(), f"{golden.name} differs (FX_BLESS=1 rewrites it)"
    out = tmp_path / "lowered.wasm"
    out.write_bytes(lowered)
    v = subprocess.run([wasm_tools_path(), "validate", str(out)], capture_output=True)
    assert v.returncode == 0, v.stderr.decode()
    assert run_vm(lowered) == run_vm(original)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case_on_v8_without_wasmfx(case, tmp_path, node):
    original = source_module(case, tmp_path)
    out = tmp_path / "lowered.wasm"
    out.write_bytes(encode(lower(read(original))))
    r = subprocess.run([node, "-e", NODE_RUNNER, str(out), json.dumps(export_names(original))],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == run_vm(original)
