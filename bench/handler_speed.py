"""Operations per second of a state handler: nested resumes, tail-resumptive clauses, evidence; one run:
    .venv/bin/python bench/handler_speed.py [--rounds-vm R] [--rounds-v8 R] [--reps N]

The program runs ROUNDS handlers of `State { get, put }`, each over a loop of 500 `put(get() + 1)` (1,001
operations per handler: few enough that the nested form fits the call stack).  Both clauses end in `k(..)`,
so they are tail-resumptive.  Three builds of it:
  * "nested": FX_TAIL_RESUME=0, where each resumption nests a driver inside the clause (as all did once);
  * "tail": the default build, whose driver loops (handle.drive/handle.tr, fxlang/codegen/control/handlers.py);
  * "evidence": `--evidence` (fxlang/codegen/control/evidence.py): no continuation at all, each perform calls
    its clause through a global.
Measured on our VM (target fx, in process through vm.wasi, min of --reps runs of `_start`, a fresh instance
each) and on V8 (node 26, target standard; `_start` timed inside JS: bench/asyncify_node.mjs, one process per
rep).  Then one handler over a loop of 10^6 `ask()` operations, which the nested build cannot run (it exhausts
the call stack).  Prints operations per second and the ratios tail/nested and evidence/tail; asserts nothing
(timings are not tests).
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
from fxlang.hosts.node import find_node  # noqa: E402

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


BUILDS = ("nested", "tail", "evidence")


def build(src: str, target: str, kind: str) -> bytes:
    old = os.environ.get("FX_TAIL_RESUME")
    os.environ["FX_TAIL_RESUME"] = "0" if kind == "nested" else "1"
    try:
        return driver.compile_source(src, "<bench>", target=target, evidence=kind == "evidence").wasm
    finally:
        if old is None:
            del os.environ["FX_TAIL_RESUME"]
        else:
            os.environ["FX_TAIL_RESUME"] = old


def time_vm(data: bytes, reps: int) -> tuple[float | None, str]:
    from vm import wasi
    module = vm.decode(data)
    vm.validate(module)
    best, text = None, ""
    for _ in range(reps):
        out = io.BytesIO()
        host = wasi.Wasi(["program"], {}, stdout=out, stderr=io.BytesIO())
        inst = vm.instantiate(module, host.imports(module), fuel=10**12)
        t = time.perf_counter()
        try:
            status = host.run(inst)
        except vm.Trap as e:             # the nested build on the deep loop: report instead of a time
            return None, e.msg
        dt = time.perf_counter() - t
        if status != 0:
            return None, f"exit {status}"
        best, text = dt if best is None else min(best, dt), out.getvalue().decode().strip()
    return best, text


def time_v8(data: bytes, reps: int) -> tuple[float | None, str]:
    best, text = None, ""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "prog.wasm"
        path.write_bytes(data)
        for _ in range(reps):
            r = subprocess.run([find_node(), "--experimental-wasm-wasmfx", "--no-warnings",
                                str(HERE / "asyncify_node.mjs"), str(path)], capture_output=True, text=True,
                               timeout=600)
            lines = r.stderr.strip().splitlines()
            try:
                res = json.loads(lines[-1])
            except (IndexError, ValueError):
                return None, next((ln for ln in lines if "trap" in ln or "rror" in ln), "failed")
            if res.get("status") != 0:
                return None, "exit " + str(res.get("status"))
            best = res["ms"] / 1e3 if best is None else min(best, res["ms"] / 1e3)
            text = r.stdout.strip()
    return best, text


def line(label: str, ops: int, results: dict) -> None:
    def cell(x):
        secs, out = x
        return f"{ops / secs / 1e6:7.3f} M ops/s" if secs is not None else f"{'fails: ' + out[:28]:>15}"

    def ratio(a, b):
        return f"x{results[a][0] / results[b][0]:.2f}" if results[a][0] and results[b][0] else "-"
    cells = "   ".join(f"{k} {cell(results[k])}" for k in BUILDS)
    print(f"{label:34} {cells}   tail/nested {ratio('nested', 'tail')}   evidence/tail {ratio('tail', 'evidence')}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds-vm", type=int, default=100)
    ap.add_argument("--rounds-v8", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    print("state handler, get/put loop (1,001 operations per handler); ops per second (higher is better)")
    for engine, rounds, target, timer in (("our VM (target fx)", a.rounds_vm, "fx", time_vm),
                                          ("V8 (node 26, target standard)", a.rounds_v8, "standard", time_v8)):
        src = STATE.replace("ROUNDS", str(rounds))
        results = {k: timer(build(src, target, k), a.reps) for k in BUILDS}
        for secs, out in results.values():
            if secs is not None and out != str(rounds * 500):
                print(f"  unexpected output {out!r}")
        line(f"{engine}, {rounds * OPS_PER_ROUND:,} ops", rounds * OPS_PER_ROUND, results)
    print("one handler, 10^6 operations (ask, k => k(1))")
    for engine, target, timer in (("our VM (target fx)", "fx", time_vm),
                                  ("V8 (node 26, target standard)", "standard", time_v8)):
        results = {k: timer(build(DEEP, target, k), 1) for k in BUILDS}
        line(engine, 1_000_001, results)


if __name__ == "__main__":
    main()
