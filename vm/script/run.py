"""Running one .wast script: `run_wast(path) -> Result`.

The script is turned into JSON commands plus module binaries by `wasm-tools json-from-wast` (the
real tool; there is no WAT parser here), then each command runs against the VM's public API
(`vm.decode`, `vm.validate`, `vm.instantiate`). Command kinds and their meaning follow the spec
testsuite README and the reference interpreter's script/run.ml: expected error messages are
compared by prefix, every instance runs under a fuel limit, and every exception — the VM's own or a
Python one from a VM bug — becomes a failure record; the run itself never crashes.

Every command but `register` counts as one check: a module that fails to load is a failure too.
Text-only modules that wasm-tools cannot encode (`assert_malformed (module quote ...)`) are skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .. import errors
from .spectest import spectest
from .values import Values, format_expected

DEFAULT_FUEL = 20_000_000   # return_call.wast makes 1M tail calls, 6 units of fuel each
DEFAULT_TIME_BUDGET = 300.0  # seconds per script; commands left when it runs out count as failed


@dataclass
class Failure:
    line: int
    command: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.command}: {self.message}"


@dataclass
class Result:
    path: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list = field(default_factory=list)   # [Failure]
    skips: list = field(default_factory=list)      # [(line, reason)]
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return self.passed + self.failed

    def failed_lines(self) -> list:
        return sorted({f.line for f in self.failures})

    def summary(self) -> str:
        s = f"{self.passed} passed, {self.failed} failed"
        return s + (f", {self.skipped} skipped" if self.skipped else "")


def wasm_tools_path() -> str:
    local = Path(sys.executable).with_name("wasm-tools")
    return str(local) if local.exists() else (shutil.which("wasm-tools") or "wasm-tools")


class _Expected(Exception):
    """A check did not hold; the message says what was expected and what happened."""


def _describe(e: BaseException) -> str:
    """An exception as one line; for a Python (non-VM) exception, where it was raised."""
    if isinstance(e, errors.VMError):
        return f"{type(e).__name__}: {e.msg}"
    tb = traceback.extract_tb(e.__traceback__)
    where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
    return f"Python {type(e).__name__}: {e}{where}"


def _short(x) -> str:
    s = repr(x)
    return s if len(s) <= 80 else s[:77] + "..."


class _Script:
    def __init__(self, path: Path, wasm_dir: Path, result: Result, fuel: int, out, adapter=None):
        self.adapter = adapter
        self.path = path
        self.dir = wasm_dir
        self.result = result
        self.fuel = fuel
        self.out = out
        import vm  # the package's public API, as any embedder uses it
        self.vm = vm
        self.values = Values()
        self.current = None           # the current instance (None: the last module failed)
        self.instances: dict = {}     # $name -> instance
        self.definitions: dict = {}   # $name -> validated module (module definition)
        self.registry: dict = {}      # import module name -> {field: entity} or an exports object
        self._spectest = None

    # --- bookkeeping ---------------------------------------------------------------------------

    def ok(self) -> None:
        self.result.passed += 1

    def fail(self, cmd: dict, message: str) -> None:
        self.result.failed += 1
        self.result.failures.append(Failure(cmd.get("line", 0), cmd["type"], message))

    def skip(self, cmd: dict, reason: str) -> None:
        self.result.skipped += 1
        self.result.skips.append((cmd.get("line", 0), reason))

    # --- modules -------------------------------------------------------------------------------

    def imports(self) -> dict:
        if "spectest" not in self.registry:
            self.registry["spectest"] = spectest(self.vm, wasm_tools_path(), fuel=self.fuel, out=self.out)
        return self.registry

    def binary(self, cmd: dict) -> bytes | None:
        """The module's bytes, or None for a text module wasm-tools could not encode."""
        name = cmd["filename"] if cmd.get("module_type", "binary") == "binary" else cmd.get("binary_filename")
        if name is None or not (self.dir / name).exists():
            return None
        return (self.dir / name).read_bytes()

    def load(self, cmd: dict):
        data = self.binary(cmd)
        if data is None:
            raise _Expected("text module that wasm-tools cannot encode")
        if self.adapter is not None:
            data = self.adapter.module(data)
        module = self.vm.decode(data)
        self.vm.validate(module)
        return module

    def instantiate(self, module):
        return self.vm.instantiate(module, self.imports(), fuel=self.fuel)

    def instance(self, name):
        if name is None:
            if self.current is None:
                raise _Expected("no module (the last module failed to load)")
            return self.current
        if name not in self.instances:
            raise _Expected(f"unknown module ${name}")
        return self.instances[name]

    # --- actions -------------------------------------------------------------------------------

    def action(self, act: dict, nresults: int | None = None) -> list:
        inst = self.instance(act.get("module"))
        tank = getattr(inst, "fuel", None)
        if tank is not None:  # fuel is per instance: every action gets the full amount again
            tank[0] = self.fuel
        try:
            entity = inst.exports[act["field"]]
        except (KeyError, AttributeError) as e:
            raise _Expected(f"unknown export {act['field']!r}") from e
        if act["type"] == "get":
            return [entity.get() if hasattr(entity, "get") else entity.value]
        args = [self.values.arg(a) for a in act.get("args", [])]
        r = entity(*args)
        if isinstance(r, (tuple, list)):
            return list(r)
        if r is None and nresults == 0:
            return []
        return [r]

    # --- commands ------------------------------------------------------------------------------

    def run(self, cmd: dict) -> None:
        kind = cmd["type"]
        handler = getattr(self, "cmd_" + kind, None)
        if handler is None:
            self.fail(cmd, f"unknown command kind {kind!r}")
            return
        try:
            handler(cmd)
        except _Expected as e:
            self.fail(cmd, str(e))
        except RecursionError as e:
            self.fail(cmd, _describe(e))
        except Exception as e:  # noqa: BLE001 - every error of the VM becomes a failure record
            self.fail(cmd, "unexpected " + _describe(e))

    def cmd_module(self, cmd: dict) -> None:
        self.current = None
        module = self.load(cmd)
        inst = self.instantiate(module)
        self.current = inst
        if cmd.get("name"):
            self.instances[cmd["name"]] = inst
        self.ok()

    def cmd_module_definition(self, cmd: dict) -> None:
        module = self.load(cmd)
        if cmd.get("name"):
            self.definitions[cmd["name"]] = module
        self.ok()

    def cmd_module_instance(self, cmd: dict) -> None:
        self.current = None
        module = self.definitions.get(cmd.get("module"))
        if module is None:
            raise _Expected(f"unknown module definition ${cmd.get('module')}")
        inst = self.instantiate(module)
        self.current = inst
        if cmd.get("instance"):
            self.instances[cmd["instance"]] = inst
        self.ok()

    def cmd_register(self, cmd: dict) -> None:
        inst = self.instance(cmd.get("name"))
        self.registry[cmd["as"]] = inst.exports

    def cmd_action(self, cmd: dict) -> None:
        self.action(cmd["action"])
        self.ok()

    def cmd_assert_return(self, cmd: dict) -> None:
        expected = cmd.get("expected", [])
        got = self.action(cmd["action"], len(expected))
        if len(got) != len(expected) or not all(self.values.matches(e, g) for e, g in zip(expected, got)):
            raise _Expected(f"expected {format_expected(expected)}, got ("
                            + ", ".join(self.values.show(g, e.get("type")) for g, e in zip(got, expected + [{}] * len(got)))
                            + ")")
        self.ok()

    def _expect_raise(self, cmd: dict, run, classes, what: str) -> None:
        """run() must raise one of `classes` with a message starting with cmd['text']."""
        want = cmd.get("text", "")
        try:
            got = run()
        except classes as e:
            msg = e.msg if isinstance(e, errors.VMError) else str(e)
            if self.adapter is not None and isinstance(e, errors.Trap):
                msg = self.adapter.trap_message(e) or msg
            if not msg.startswith(want):
                raise _Expected(f"wrong {what} message: expected {want!r}, got {msg!r}") from e
            self.ok()
            return
        except _Expected:
            raise
        except Exception as e:  # noqa: BLE001
            raise _Expected(f"expected {what} {want!r}, got {_describe(e)}") from e
        raise _Expected(f"expected {what} {want!r}, got a result {_short(got)}")

    def cmd_assert_trap(self, cmd: dict) -> None:
        if "action" in cmd:
            self._expect_raise(cmd, lambda: self.action(cmd["action"]), errors.Trap, "trap")
        else:
            self.cmd_assert_uninstantiable(cmd)

    def cmd_assert_exhaustion(self, cmd: dict) -> None:
        self._expect_raise(cmd, lambda: self.action(cmd["action"]), errors.Exhaustion, "exhaustion")

    def cmd_assert_exception(self, cmd: dict) -> None:
        try:
            got = self.action(cmd["action"])
        except errors.WasmException:
            self.ok()
            return
        except _Expected:
            raise
        except Exception as e:  # noqa: BLE001
            raise _Expected(f"expected an uncaught exception, got {_describe(e)}") from e
        raise _Expected(f"expected an uncaught exception, got a result {_short(got)}")

    def cmd_assert_suspension(self, cmd: dict) -> None:
        # a rewritten module (adapter) may report an unhandled suspension as a trap of the same words
        classes = errors.Trap if self.adapter is not None else errors.UnhandledSuspension
        self._expect_raise(cmd, lambda: self.action(cmd["action"]), classes, "suspension")

    def cmd_assert_malformed(self, cmd: dict) -> None:
        data = self.binary(cmd)
        if data is None:
            self.skip(cmd, "text module (module quote) that wasm-tools cannot encode")
            return
        self._expect_raise(cmd, lambda: self.vm.decode(data), errors.DecodeError, "decode error")

    def cmd_assert_invalid(self, cmd: dict) -> None:
        data = self.binary(cmd)
        if data is None:
            self.skip(cmd, "text module that wasm-tools cannot encode")
            return

        def run():
            module = self.vm.decode(data)
            return self.vm.validate(module)
        self._expect_raise(cmd, run, errors.ValidationError, "validation error")

    def cmd_assert_unlinkable(self, cmd: dict) -> None:
        module = self.load(cmd)
        self._expect_raise(cmd, lambda: self.instantiate(module), errors.LinkError, "link error")

    def cmd_assert_uninstantiable(self, cmd: dict) -> None:
        module = self.load(cmd)
        self._expect_raise(cmd, lambda: self.instantiate(module), errors.Trap, "trap")


def run_wast(path, *, fuel: int = DEFAULT_FUEL, time_budget: float = DEFAULT_TIME_BUDGET,
             out=None, adapter=None) -> Result:
    """Run the .wast script at `path` on the VM -> Result (counts and failure records).

    Never raises for anything inside the script: a wasm-tools error, a VM error or a VM crash are
    all failure records. `out` receives what spectest's print functions print (None: discard).
    `adapter` (optional) rewrites the modules the script instantiates before the VM sees them: an object with
    `module(bytes) -> bytes` and `trap_message(trap) -> str | None` (the message a trap stands for, when the
    rewrite encodes traps differently; None: the trap's own).  `fxc wast --lower` passes its lowering here.
    """
    path = Path(path)
    result = Result(str(path))
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="wast-") as tmp:
        tmpdir = Path(tmp)
        try:
            proc = subprocess.run([wasm_tools_path(), "json-from-wast", str(path), "-o", str(tmpdir / "script.json"),
                                   "--wasm-dir", str(tmpdir)], capture_output=True, text=True)
            problem = proc.stderr.strip() or "failed" if proc.returncode != 0 else None
        except OSError as e:
            problem = f"cannot run wasm-tools: {e}"
        if problem is not None:
            result.failed += 1
            result.failures.append(Failure(0, "json-from-wast", problem))
            result.seconds = time.monotonic() - start
            return result
        commands = json.loads((tmpdir / "script.json").read_text())["commands"]
        script = _Script(path, tmpdir, result, fuel, out, adapter)
        for i, cmd in enumerate(commands):
            if time.monotonic() - start > time_budget:
                for rest in commands[i:]:
                    if rest["type"] != "register":
                        script.fail(rest, f"not run: the script's time budget of {time_budget:g} s ran out")
                break
            script.run(cmd)
    result.seconds = time.monotonic() - start
    return result


def argparse_namespace(**kw):
    import argparse
    return argparse.Namespace(**kw)


def main(argv=None) -> int:
    """`python -m vm.script [-q] [-v] [--print] FILE.wast...`: run scripts, print per-file counts and a
    total."""
    import argparse
    ap = argparse.ArgumentParser(prog="python -m vm.script", description="Run .wast spec scripts on the VM.")
    ap.add_argument("files", nargs="+", metavar="FILE.wast")
    ap.add_argument("-q", "--quiet", action="store_true", help="only the per-file counts")
    ap.add_argument("-v", "--verbose", action="store_true", help="also show spectest prints and skips")
    ap.add_argument("--print", action="store_true", dest="prints",
                    help="show what the scripts print through spectest.print* (`6 : i32`)")
    ap.add_argument("--fuel", type=int, default=DEFAULT_FUEL)
    ap.add_argument("--time-budget", type=float, default=DEFAULT_TIME_BUDGET)
    args = ap.parse_args(argv)
    return run_files(args.files, quiet=args.quiet, verbose=args.verbose, prints=args.prints, fuel=args.fuel,
                     time_budget=args.time_budget)


def run_files(files, *, quiet=False, verbose=False, prints=False, fuel=DEFAULT_FUEL,
              time_budget=DEFAULT_TIME_BUDGET, adapter=None) -> int:
    """Run scripts, print per-file counts and failures and a total; 1 if anything failed."""
    args = argparse_namespace(files=files, quiet=quiet, verbose=verbose, prints=prints, fuel=fuel,
                              time_budget=time_budget)
    total = Result("total")
    for f in args.files:
        if not os.path.isfile(f):
            print(f"{f}: no such file")
            total.failed += 1
            continue
        r = run_wast(f, fuel=args.fuel, time_budget=args.time_budget,
                     out=sys.stdout if args.verbose or args.prints else None, adapter=adapter)
        print(f"{f}: {r.summary()} ({r.seconds:.1f} s)")
        if not args.quiet:
            for failure in r.failures:
                print(f"  {f}:{failure.line}: {failure.command}: {failure.message}")
        if args.verbose:
            for line, reason in r.skips:
                print(f"  {f}:{line}: skipped: {reason}")
        total.passed += r.passed
        total.failed += r.failed
        total.skipped += r.skipped
        sys.stdout.flush()
    print(total.summary())
    return 1 if total.failed else 0
