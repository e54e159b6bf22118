"""Generator benchmark, in one run:  .venv/bin/python bench/gen_sum.py [--quick] [--with-next] [--n N]

A generator summing N = 1M yielded ints (--quick: 100k), compiled from fx (bench/gen_sum.fx) vs the same
program written by hand in WasmFX text (bench/gen_sum.wat), on V8 (node 26) and on our VM.
Goal: the fx version within 1.5x the time and 1.5x the size of the hand-written one.

  * fx:  `fxc build --target standard` for V8, the default target (fx) for our VM;  WAT: `wasm-tools parse`.
  * sizes: as built, and with every custom section (the name section too) removed (`wasm-tools strip --all`);
    plus code bytes per function, which separates the generator machinery from the printing both need.
  * V8: bench/gen_sum_node.mjs times `_start` inside JS with performance.now(), several calls, min taken.
    If V8 crashes on a binary with its default flags, that is reported and both binaries are timed again with
    --no-wasm-inlining so the ratio still compares like with like.
  * our VM: in-process through the public API (vm.decode / validate / instantiate, vm.wasi, exports _start),
    min of a few.
--with-next also compares bench/gen_sum_next.fx (the same loop written with next(g) -> Option[int]).
Both programs must print "sum = N(N-1)/2"; a wrong line stops the run. Prints a table and the ratios; asserts
nothing about timings (timings are not tests).
"""
from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import vm  # noqa: E402
from vm import wasi  # noqa: E402

GOAL = 1.5
NODE_FLAGS = ["--experimental-wasm-wasmfx", "--stack-size=8000"]


class BenchError(Exception):
    """A step of the benchmark failed (compiler, wasm-tools, wrong output); printed without a traceback."""


# ---------------------------------------------------------------------------------------------- tools

def tool(name: str) -> str:
    local = Path(sys.executable).with_name(name)
    return str(local) if local.exists() else (shutil.which(name) or name)


def node() -> str:
    """node 26 by the product's lookup (fxlang/hosts/node.py: FX_NODE, else .tools/; never PATH)."""
    from fxlang.hosts.node import NodeError, find_node
    try:
        return find_node()
    except NodeError as e:
        raise BenchError(str(e)) from None


def run(cmd: list[str], what: str) -> subprocess.CompletedProcess:
    r = subprocess.run(cmd, capture_output=True)
    if r.returncode != 0:
        raise BenchError(f"{what} failed (exit {r.returncode}):\n{r.stderr.decode(errors='replace')}")
    return r


# ---------------------------------------------------------------------------------------------- sources

def with_n(text: str, n: int, marker: str, pattern: str, repl: str) -> str:
    """Replace the number on the one line that carries `marker` (both sources mark their N that way)."""
    lines = text.splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if line.rstrip().endswith(marker)]
    if len(hits) != 1:
        raise BenchError(f"expected exactly one line ending in {marker!r}, found {len(hits)}")
    new, count = re.subn(pattern, repl.format(n=n), lines[hits[0]])
    if count != 1:
        raise BenchError(f"no number to replace on the line {lines[hits[0]].strip()!r}")
    lines[hits[0]] = new
    return "".join(lines)


def strip(path: Path, validate: bool) -> Path:
    stripped = path.with_name(path.stem + "-stripped.wasm")
    run([tool("wasm-tools"), "strip", "--all", str(path), "-o", str(stripped)], "wasm-tools strip")
    if validate:
        run([tool("wasm-tools"), "validate", "--features", "all", str(stripped)], "wasm-tools validate")
    return stripped


def build_fx(name: str, n: int, out: Path) -> dict[str, Path]:
    """bench/<name>.fx with N = n -> {'standard', 'fx'} (one binary per target) and '<target>-stripped'."""
    src = out / f"{name}.fx"
    src.write_text(with_n((HERE / f"{name}.fx").read_text(), n, "// N", r"\b[0-9][0-9_]*\b", "{n}"))
    built = {}
    for target in ("standard", "fx"):
        dst = out / f"{name}-{target}.wasm"
        run([sys.executable, "-m", "fxlang.cli", "build", "--target", target, str(src), "-o", str(dst)],
            f"fxc build --target {target} {name}.fx")
        built[target] = dst
        # the fx target may hold our barrier opcode, which wasm-tools rejects
        built[f"{target}-stripped"] = strip(dst, validate=target == "standard")
    return built


def build_wat(n: int, out: Path) -> dict[str, Path]:
    """bench/gen_sum.wat with N = n -> {'wat', 'wat-stripped'}."""
    src = out / "gen_sum.wat"
    src.write_text(with_n((HERE / "gen_sum.wat").read_text(), n, ";; N",
                          r"\(i64\.const [0-9]+\)", "(i64.const {n})"))
    dst = out / "gen_sum-wat.wasm"
    run([tool("wasm-tools"), "parse", str(src), "-o", str(dst)], "wasm-tools parse")
    return {"wat": dst, "wat-stripped": strip(dst, validate=True)}


# ---------------------------------------------------------------------------------------------- sizes

def _uleb(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, pos


SECTION_NAMES = {1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global", 7: "export",
                 8: "start", 9: "elem", 10: "code", 11: "data", 12: "datacount", 13: "tag"}


def sections_of(data: bytes) -> dict:
    """Section id (custom sections: their name) -> (start, end) of its contents; also '<id>:bytes' entries
    holding each section's full size, header included."""
    pos, sections = 8, {}
    while pos < len(data):
        sid = data[pos]
        size, start = _uleb(data, pos + 1)
        end = start + size
        if sid == 0:
            name_len, p = _uleb(data, start)
            key = bytes(data[p:p + name_len]).decode()
            sections.setdefault(key, (p + name_len, end))
        else:
            key = sid
            sections[sid] = (start, end)
        sections[f"{SECTION_NAMES.get(key, key)}:bytes"] = end - pos
        pos = end
    return sections


def bytes_by_section(data: bytes) -> dict[str, int]:
    return {k[:-6]: v for k, v in sections_of(data).items() if isinstance(k, str) and k.endswith(":bytes")}


def code_bytes_by_function(data: bytes) -> dict[str, int]:
    """Body size (with its size prefix) of every defined function, by its name-section name."""
    sections = sections_of(data)
    imported = 0
    if 2 in sections:
        p, _ = sections[2]
        count, p = _uleb(data, p)
        for _ in range(count):
            for _ in range(2):
                n, p = _uleb(data, p)
                p += n
            kind = data[p]
            p += 1
            if kind == 0:
                imported += 1
                _, p = _uleb(data, p)
            else:  # table/memory/global/tag imports: neither benchmark program has any
                raise BenchError("unexpected non-function import")
    names = {}
    if "name" in sections:
        p, end = sections["name"]
        while p < end:
            sub, p = data[p], p + 1
            size, p = _uleb(data, p)
            if sub == 1:
                q = p
                count, q = _uleb(data, q)
                for _ in range(count):
                    idx, q = _uleb(data, q)
                    n, q = _uleb(data, q)
                    names[idx] = bytes(data[q:q + n]).decode()
                    q += n
            p += size
    sizes = {}
    if 10 in sections:
        p, _ = sections[10]
        count, p = _uleb(data, p)
        for i in range(count):
            size, body = _uleb(data, p)
            idx = imported + i
            sizes[names.get(idx, f"func[{idx}]")] = body + size - p
            p = body + size
    return sizes


# ---------------------------------------------------------------------------------------------- timing

def time_node(path: Path, reps: int, extra: list[str]) -> dict:
    """{'ok': True, 'min': s, 'first': s, 'outputs': [...]} or {'ok': False, 'why': first line of the crash}."""
    r = subprocess.run([node(), *NODE_FLAGS, *extra, str(HERE / "gen_sum_node.mjs"), str(path), str(reps)],
                       capture_output=True, timeout=300)
    if r.returncode != 0:
        text = (r.stderr + r.stdout).decode(errors="replace")
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#" * 3)]
        why = next((ln.lstrip("# ") for ln in lines if "check failed" in ln.lower()),
                   next((ln.lstrip("# ") for ln in lines if "error" in ln.lower()),
                        lines[0] if lines else f"exit {r.returncode}"))
        return {"ok": False, "why": f"{why} (exit {r.returncode})"}
    res = json.loads(r.stdout.decode())
    return {"ok": True, "min": min(res["ms"]) / 1e3, "first": res["ms"][0] / 1e3, "outputs": res["outputs"]}


def time_vm(path: Path, reps: int) -> dict:
    """In-process on our VM through its public API (vm.wasi for fd_write): min over `reps` calls of
    `_start` on one instance."""
    data = path.read_bytes()
    t = time.perf_counter()
    module = vm.decode(data)
    vm.validate(module)
    out = io.BytesIO()
    host = wasi.Wasi([path.name], stdout=out)
    inst = vm.instantiate(module, host.imports(module))
    host.bind(inst.exports["memory"])
    setup = time.perf_counter() - t
    times, outputs = [], []
    for _ in range(reps):
        out.seek(0)
        out.truncate()
        t = time.perf_counter()
        inst.exports["_start"]()
        times.append(time.perf_counter() - t)
        outputs.append(out.getvalue().decode())
    return {"ok": True, "min": min(times), "first": times[0], "setup": setup, "outputs": outputs}


def check_outputs(result: dict, expected: str, what: str) -> None:
    if result["ok"] and any(o != expected for o in result["outputs"]):
        raise BenchError(f"{what} printed {result['outputs'][0]!r}, expected {expected!r}")


# ---------------------------------------------------------------------------------------------- report

def ratio_text(fx: float, hand: float) -> str:
    r = fx / hand
    return f"{r:5.2f}x  {'ok' if r <= GOAL else 'OVER goal'}"


def print_sizes(name: str, fx: dict[str, Path], hand: dict[str, Path]) -> None:
    print(f"sizes (bytes) of {name}.fx      fx     hand-written   ratio (goal <= 1.5x)")
    hand_raw, hand_s = hand["wat"].stat().st_size, hand["wat-stripped"].stat().st_size
    for target in ("standard", "fx"):
        raw, stripped = fx[target].stat().st_size, fx[f"{target}-stripped"].stat().st_size
        print(f"  --target {target:9} as built {raw:8} {hand_raw:12}     {ratio_text(raw, hand_raw)}")
        print(f"  --target {target:9} stripped {stripped:8} {hand_s:12}     {ratio_text(stripped, hand_s)}")
    fx_sec = bytes_by_section(fx["standard-stripped"].read_bytes())
    hand_sec = bytes_by_section(hand["wat-stripped"].read_bytes())
    print("  by section (stripped, header included; fx/hand): "
          + ", ".join(f"{k} {fx_sec.get(k, 0)}/{hand_sec.get(k, 0)}"
                      for k in dict.fromkeys([*fx_sec, *hand_sec])))
    print("  code bytes per function (as in the stripped binaries; names from the unstripped ones):")
    for label, path in (("fx --target standard", fx["standard"]), ("hand-written", hand["wat"])):
        sizes = code_bytes_by_function(path.read_bytes())
        parts = ", ".join(f"{fn} {size}" for fn, size in sizes.items())
        print(f"    {label:21} total {sum(sizes.values()):4}: {parts}")


def print_times(label: str, fx: dict, hand: dict, n: int) -> None:
    def cell(r: dict) -> str:
        return f"{r['min'] * 1e3:9.2f} ms ({r['min'] / n * 1e9:6.1f} ns/yield)" if r["ok"] else "   crashed"
    print(f"  {label:30} fx {cell(fx)}   hand {cell(hand)}   "
          + (ratio_text(fx["min"], hand["min"]) if fx["ok"] and hand["ok"] else "no ratio"))
    for what, r in (("fx", fx), ("hand", hand)):
        if not r["ok"]:
            print(f"      {what}: V8 aborted: {r['why']}")


def compare_times(name: str, fx: dict[str, Path], hand: dict[str, Path], n: int, expected: str, args) -> None:
    print(f"time of main of {name}.fx vs the hand-written one, "
          f"min of {args.reps_node} calls (V8) / {args.reps_vm} calls (our VM)")
    flags: list[str] = []
    while True:
        fx_t = time_node(fx["standard"], args.reps_node, flags)
        hand_t = time_node(hand["wat"], args.reps_node, flags)
        check_outputs(fx_t, expected, f"{name}.fx on V8")
        check_outputs(hand_t, expected, "gen_sum.wat on V8")
        print_times("V8 " + (" ".join(flags) or "(node 26, default flags)"), fx_t, hand_t, n)
        if (fx_t["ok"] and hand_t["ok"]) or flags:
            break
        # node 26 aborts ("Check failed: !op.Effects().can_write()") when TurboFan inlines a function holding
        # `resume` into a caller that Liftoff profiled; without inlining it compiles them separately.
        flags = ["--no-wasm-inlining"]
    fx_t = time_vm(fx["fx"], args.reps_vm)
    check_outputs(fx_t, expected, f"{name}.fx on our VM")
    hand_t = time_vm(hand["wat"], args.reps_vm)
    check_outputs(hand_t, expected, "gen_sum.wat on our VM")
    print_times("our VM (fx: default target)", fx_t, hand_t, n)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="N = 100k instead of 1M")
    ap.add_argument("--n", type=int, help="any other N")
    ap.add_argument("--with-next", action="store_true",
                    help="also bench/gen_sum_next.fx: the loop written with next(g) and Option[int]")
    ap.add_argument("--reps-node", type=int, default=7)
    ap.add_argument("--reps-vm", type=int, default=3)
    args = ap.parse_args(argv)
    n = args.n or (100_000 if args.quick else 1_000_000)
    expected = f"sum = {n * (n - 1) // 2}\n"
    print(f"gen_sum: a generator yielding 0..{n - 1}, summed; expected output {expected.strip()!r}")
    try:
        with tempfile.TemporaryDirectory(prefix="gen_sum_") as d:
            hand = build_wat(n, Path(d))
            for name in ["gen_sum"] + (["gen_sum_next"] if args.with_next else []):
                fx = build_fx(name, n, Path(d))
                print_sizes(name, fx, hand)
                compare_times(name, fx, hand, n, expected, args)
    except (BenchError, subprocess.TimeoutExpired, vm.VMError) as e:
        print(f"gen_sum: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
