"""What the Asyncify-style lowering costs, in one run:  .venv/bin/python bench/asyncify_cost.py [--quick]

Baseline: the same fx program with stack switching — target fx on our VM, target standard (WasmFX) on V8 with
--experimental-wasm-wasmfx.  Lowered: target asyncify (fx, then `fxc lower`), on our VM and on V8 *without*
the WasmFX flag.  Prints ratios lowered/unlowered:

  * code size per example (as built, and with custom sections stripped: `wasm-tools strip --all`);
  * run time of gen_sum (a generator of N ints), round_robin and threads_ring (examples/), and a compute-only
    program (bench/compute.fx, which never suspends: the analysis must leave it alone) — the time of the WASI
    command's `_start`, min over a few runs (in-process VM through its public API and vm.wasi, one instance
    per run; bench/asyncify_node.mjs on V8, one process per run, timed inside JS);
  * what the lowering instrumented (`fxc lower --stats`).
Every run's output must equal the baseline's; a mismatch stops the benchmark.  Asserts nothing about timings.
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
from fxlang import driver  # noqa: E402
from fxlang.asyncify import lower  # noqa: E402
from fxlang.wasm import encode  # noqa: E402
from fxlang.wasm.read import read  # noqa: E402

PLAIN = ["--stack-size=8000", "--no-wasm-inlining"]     # the flags fxc run gives node, both sides alike
WASMFX = ["--experimental-wasm-wasmfx", *PLAIN]


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


def build(path: Path, target: str) -> bytes:
    return driver.compile_file(path, target=target).wasm


def stripped(data: bytes) -> int:
    with tempfile.TemporaryDirectory() as d:
        src, dst = Path(d) / "a.wasm", Path(d) / "b.wasm"
        src.write_bytes(data)
        subprocess.run([tool("wasm-tools"), "strip", "--all", str(src), "-o", str(dst)], check=True)
        return dst.stat().st_size


def time_vm(data: bytes, reps: int) -> tuple[float, str]:
    from vm import wasi
    module = vm.decode(data)
    vm.validate(module)
    best, text = float("inf"), ""
    for _ in range(reps):
        out = io.BytesIO()
        host = wasi.Wasi(["program"], {}, stdout=out)
        inst = vm.instantiate(module, host.imports(module), fuel=10**12)
        t = time.perf_counter()
        status = host.run(inst)
        best = min(best, time.perf_counter() - t)
        if status != 0:
            raise SystemExit(f"the program exited {status} on the VM")
        text = out.getvalue().decode()
    return best, text


def time_v8(data: bytes, flags: list, reps: int) -> tuple[float, str]:
    best, text = float("inf"), ""
    with tempfile.TemporaryDirectory() as d:
        wasm = Path(d) / "p.wasm"
        wasm.write_bytes(data)
        for _ in range(reps):
            r = subprocess.run([node(), *flags, "--no-warnings", str(HERE / "asyncify_node.mjs"), str(wasm)],
                               capture_output=True, text=True, timeout=600)
            res = json.loads(r.stderr.strip().splitlines()[-1]) if r.returncode == 0 else None
            if res is None or res["status"] != 0:
                raise SystemExit(f"V8 failed: {r.stderr.strip()[-400:]}")
            best, text = min(best, res["ms"] / 1000), r.stdout
    return best, text


def sized_source(path: Path, n: int | None, tmp: Path) -> Path:
    if n is None:
        return path
    text = re.sub(r"\d[\d_]*(;? // N)", lambda m: str(n) + m.group(1), path.read_text())
    out = tmp / path.name
    out.write_text(text)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes, fewer repetitions")
    args = ap.parse_args()
    reps = 2 if args.quick else 3
    print("== code size, lowered (asyncify) / unlowered (fx)")
    print(f"{'example':24} {'fx bytes':>9} {'asyncify':>9} {'ratio':>6} {'stripped ratio':>15} {'instrumented':>13}")
    ratios = []
    for ex in sorted((ROOT / "examples").glob("*.fx")):
        fx = driver.compile_file(ex, target="fx")
        report: dict = {}
        low = encode(lower(read(fx.wasm), report))
        r, rs = len(low) / len(fx.wasm), stripped(low) / stripped(fx.wasm)
        ratios.append(r)
        print(f"{ex.stem:24} {len(fx.wasm):9} {len(low):9} {r:6.2f} {rs:15.2f} {report.get('functions instrumented', ''):>13}")
    print(f"{'geometric mean':24} {'':9} {'':9} {_gmean(ratios):6.2f}")

    programs = [("gen_sum", HERE / "gen_sum.fx", 100_000 if args.quick else 1_000_000, 20_000),
                ("round_robin", ROOT / "examples/round_robin.fx", None, None),
                ("threads_ring", ROOT / "examples/threads_ring.fx", None, None),
                ("compute", HERE / "compute.fx", 200_000 if args.quick else 2_000_000, 50_000)]
    print("\n== run time of `_start`, lowered / unlowered (min of %d runs)" % reps)
    print(f"{'program':14} {'VM fx s':>9} {'VM async s':>11} {'VM ratio':>9} {'V8 fx ms':>9} {'V8 async ms':>12} {'V8 ratio':>9}")
    with tempfile.TemporaryDirectory() as d:
        for name, path, n_v8, n_vm in programs:
            (Path(d) / "vm").mkdir(exist_ok=True)
            (Path(d) / "v8").mkdir(exist_ok=True)
            src_v8 = sized_source(path, n_v8, Path(d) / "v8")
            src_vm = sized_source(path, n_vm, Path(d) / "vm")
            t_fx, o_fx = time_vm(build(src_vm, "fx"), reps)
            t_as, o_as = time_vm(build(src_vm, "asyncify"), reps)
            if o_fx != o_as:
                raise SystemExit(f"{name}: lowered output differs on the VM: {o_as!r} vs {o_fx!r}")
            row = f"{name:14} {t_fx:9.3f} {t_as:11.3f} {t_as / t_fx:9.2f}"
            if node():
                v_fx, p_fx = time_v8(build(src_v8, "standard"), WASMFX, reps)
                v_as, p_as = time_v8(build(src_v8, "asyncify"), PLAIN, reps)
                if p_fx != p_as:
                    raise SystemExit(f"{name}: lowered output differs on V8: {p_as!r} vs {p_fx!r}")
                row += f" {v_fx * 1000:9.1f} {v_as * 1000:12.1f} {v_as / v_fx:9.2f}"
            else:
                row += "   (node 26 not installed: no V8 column)"
            print(row)
    print("\nSizes: gen_sum and compute run N on V8 and a smaller N on the VM (their lines marked // N).")
    return 0


def _gmean(xs) -> float:
    p = 1.0
    for x in xs:
        p *= x
    return p ** (1 / len(xs)) if xs else float("nan")


if __name__ == "__main__":
    sys.exit(main())
