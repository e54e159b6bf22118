"""End-to-end helpers for the code generator: fx source -> parse -> check -> generate -> encode, then
`wasm-tools validate --features all` and a run on node 26 (V8's WasmFX) as a WASI command (node:wasi).

Fixtures:
    build(src, target="fx") -> bytes              compile and validate (fails the test when invalid)
    run(src) -> str                               build, run on node, return stdout (fails on a trap)
    run_trap(src) -> (stdout, stderr)             build, run on node, expect exit status 1
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fxlang import driver
from tests.conftest import require_node

ROOT = Path(__file__).resolve().parents[3]


def _wasm_tools() -> str:
    local = Path(sys.executable).with_name("wasm-tools")
    return str(local) if local.exists() else (shutil.which("wasm-tools") or "wasm-tools")


def _runner() -> str:
    return str(ROOT / "fxlang/hosts/wasi_run.mjs")      # the product's V8 runner of WASI commands

NO_SETUP = '{"args": ["prog.wasm"], "env": {}, "preopens": []}'


def node_command(node: str, wasm: Path, *flags: str) -> list[str]:
    """The command running `wasm` on node the way `fxc run --engine node` does (no arguments or dirs)."""
    return [node, "--experimental-wasm-wasmfx", *flags, "--no-warnings", _runner(), str(wasm), NO_SETUP]


def compile_source(src: str, path: Path, target: str = "fx") -> bytes:
    return driver.compile_source(src, path, target=target).wasm


def module_for(src: str, path: Path, target: str = "fx", trace: bool = False):
    """The module of `src` for `target` (after the target's passes, fxlang/passes), not encoded."""
    return driver.compile_source(src, path, target=target, trace=trace).module


def validate(data: bytes, path: Path) -> None:
    path.write_bytes(data)
    r = subprocess.run([_wasm_tools(), "validate", "--features", "all", str(path)], capture_output=True,
                       text=True)
    assert r.returncode == 0, f"wasm-tools rejected the module:\n{r.stderr}"


@pytest.fixture
def build(tmp_path):
    def build(src: str, target: str = "fx") -> bytes:
        data = compile_source(src, tmp_path / "prog.fx", target)
        validate(data, tmp_path / "prog.wasm")
        return data
    return build


def _run_node(path: Path):
    return subprocess.run(node_command(require_node(), path), capture_output=True, timeout=60)


@pytest.fixture
def run(build, tmp_path):
    def run(src: str) -> str:
        build(src)
        r = _run_node(tmp_path / "prog.wasm")
        assert r.returncode == 0, f"exit {r.returncode}: {r.stderr.decode()}"
        return r.stdout.decode()
    return run


@pytest.fixture
def run_trap(build, tmp_path):
    def run_trap(src: str):
        build(src)
        r = _run_node(tmp_path / "prog.wasm")
        assert r.returncode == 1, f"expected a trap, got exit {r.returncode}: {r.stdout.decode()}"
        return r.stdout.decode(), r.stderr.decode()
    return run_trap


def run_vm_wasi(data: bytes, *, fuel=None, stdin: bytes = b"", args=(), dirs=()) -> tuple[bytes, bytes, int]:
    """Run a compiled program (a WASI command) on our VM with vm.wasi: (stdout, stderr, exit status). A VM
    trap or an escaping Wasm exception is reported as `fxc run` does (fxlang.cli.vm_trap_report), status 1."""
    import vm
    from vm import wasi
    from fxlang.cli import vm_trap_report
    module = vm.decode(data)
    vm.validate(module)
    out, err = io.BytesIO(), io.BytesIO()
    host = wasi.Wasi(["prog.wasm", *args], stdin=io.BytesIO(stdin), stdout=out, stderr=err, preopens=dirs)
    try:
        status = host.run(vm.instantiate(module, host.imports(module), fuel=fuel))
    except (vm.Trap, vm.WasmException) as e:
        err.write(vm_trap_report(e, data).encode())
        status = 1
    finally:
        host.close()
    return out.getvalue(), err.getvalue(), status


def trap_message(stderr: bytes) -> str:
    """The message of the `fxc: trap: <message> at <place>` report a failed run ends with (a panic's or a
    trap's), without its place and callers (docs/host.md, "Traps")."""
    lines = stderr.decode(errors="replace").rstrip("\n").split("\n")
    while len(lines) > 1 and lines[-1].startswith("  "):          # `  called from ...`, `  ...`
        lines.pop()
    last = lines[-1] if lines else ""
    last = re.sub(r" at \S+:\d+:\d+( \(in [^)]*\))?$", "", last)
    return last[len("fxc: trap: "):] if last.startswith("fxc: trap: ") else last


def run_vm_with_message(data: bytes) -> tuple[str, int, str]:
    """Run a compiled program on our VM: (stdout, 0, ""), or (stdout so far, 1, message) after a trap, an
    uncaught exception or a panic."""
    out, err, status = run_vm_wasi(data)
    return out.decode(), status, trap_message(err) if status else ""


def run_vm(data: bytes) -> tuple[str, int]:
    """Run a compiled program on our VM: (stdout, 0), or (stdout so far, 1) after a trap, an uncaught
    exception or a panic."""
    out, status, _ = run_vm_with_message(data)
    return out, status


# ---- the shape V8 needs (docs/codegen.md, "Engine constraints") --------------------------------------
RESUMES = {"resume", "resume_throw"}
FIELD_OPS = {"struct.new", "struct.get", "struct.set", "ref.as_non_null", "br_on_null", "br_on_non_null",
             "array.get", "array.set", "array.new", "ref.cast"}
WASMFX = {"cont.new", "cont.bind", "suspend", "resume", "resume_throw"}


def assert_v8_rule(module) -> None:
    """A function holding resume/resume_throw does no field access or cast, and every function that calls
    one holds a WasmFX instruction itself (so V8 never inlines the resuming function into it)."""
    funcs = list(module.funcs)
    resuming = {f.__index__() for f in funcs if any(i.op in RESUMES for i in f.body)}
    assert resuming
    for f in funcs:
        ops = {i.op for i in f.body}
        if f.__index__() in resuming:
            assert not ops & FIELD_OPS, f"a function holding resume also does {ops & FIELD_OPS}"
        calls = {i.imms[0].__index__() for i in f.body if i.op in ("call", "return_call")}
        if calls & resuming:
            assert ops & WASMFX, "a caller of a resume helper holds no WasmFX instruction (V8 may inline)"


@pytest.fixture
def both(run, tmp_path):
    """Output on node (target fx) and on our VM; they must agree."""
    def both(src):
        out = run(src)
        assert run_vm(compile_source(src, tmp_path / "vm.fx")) == (out, 0)
        return out
    return both
