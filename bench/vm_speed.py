"""VM speed and memory, in one run:  .venv/bin/python bench/vm_speed.py [--quick] [--full-pywasm]

(a) recursive fib(25), an i32 loop and a sieve on our VM vs pywasm 2.2.3 on the same binary
    (bench/vm_speed.wat; goal: >= 100x faster). pywasm needs seconds per call, so by default it runs
    each workload at a smaller size and the ratio is taken at that same size (both VMs, same n);
    --full-pywasm runs it at full size too (about half a minute).
(b) 1M suspend/resume round trips (bench/suspend_resume.wat, the shape of wasmfx/benchfx
    micro/suspend_resume) vs a bare CPython generator doing 1M yields (goal: <= 5x).
(c) memory per live suspended continuation, 100k of them held in a table, measured with
    tracemalloc (goal: <= 2 KB).
Prints every number and ratio; asserts nothing (timings are not tests).
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import vm  # noqa: E402


def wasm_tools() -> str:
    local = Path(sys.executable).with_name("wasm-tools")
    return str(local) if local.exists() else (shutil.which("wasm-tools") or "wasm-tools")


def compile_wat(name: str, out_dir: Path) -> Path:
    out = out_dir / (name + ".wasm")
    subprocess.run([wasm_tools(), "parse", str(HERE / (name + ".wat")), "-o", str(out)], check=True)
    return out


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def our_instance(path: Path):
    module = vm.decode(path.read_bytes())
    vm.validate(module)
    return vm.instantiate(module, {})


def pywasm_call(path: Path, name: str, n: int):
    try:
        import pywasm
    except ImportError:
        return None, None
    runtime = pywasm.core.Runtime()
    inst = runtime.instance_from_file(str(path))
    t = time.perf_counter()
    result = runtime.invocate(inst, name, [n])
    return time.perf_counter() - t, result[0]


def part_a(path: Path, quick: bool, full_pywasm: bool) -> None:
    print("(a) our VM vs pywasm 2.2.3 on bench/vm_speed.wat (goal >= 100x)")
    inst = our_instance(path)
    # name, full size, size pywasm runs at by default
    workloads = [("fib", 25, 18 if quick else 20), ("loop", 1_000_000, 20_000 if quick else 100_000),
                 ("sieve", 100_000, 10_000 if quick else 50_000)]
    for name, full, small in workloads:
        fn = inst.exports[name]
        t_full, r_full = best_of(lambda: fn(full), 1 if quick else 3)
        print(f"    {name}({full}): our VM {t_full * 1e3:9.2f} ms   -> {r_full}")
        n = full if full_pywasm else small
        t_ours, r_ours = (t_full, r_full) if n == full else best_of(lambda: fn(n), 3)
        t_py, r_py = pywasm_call(path, name, n)
        if t_py is None:
            print("      pywasm is not installed: no comparison")
            continue
        same = "same result" if r_py == r_ours else f"DIFFERENT RESULT: pywasm {r_py}, ours {r_ours}"
        print(f"    {name}({n}): our VM {t_ours * 1e3:9.2f} ms, pywasm {t_py * 1e3:9.1f} ms: "
              f"{t_py / t_ours:7.0f}x faster ({same})"
              + ("" if n == full else f"  [pywasm timed at n={n}, not {full}: too slow at full size]"))


def part_b(path: Path, quick: bool) -> None:
    n = 100_000 if quick else 1_000_000
    print(f"(b) {n:,} suspend/resume round trips vs a bare CPython generator (goal <= 5x)")
    inst = our_instance(path)
    t_vm, r = best_of(lambda: inst.exports.run(n), 1 if quick else 2)

    def generator():
        i = 0
        while True:
            yield i
            i += 1

    def python_loop():
        g = generator()
        total = 0
        for _ in range(n):
            total += next(g)
        return total & 0xFFFFFFFF

    t_py, r_py = best_of(python_loop, 3)
    r_vm = r & 0xFFFFFFFF
    check = "same sum" if r_vm == r_py else f"DIFFERENT SUM: {r_vm} vs {r_py}"
    print(f"    our VM {t_vm:.3f} s ({t_vm / n * 1e9:.0f} ns per round trip), CPython generator {t_py:.3f} s "
          f"({t_py / n * 1e9:.0f} ns): ratio {t_vm / t_py:.1f}x ({check})")


def part_c(path: Path, quick: bool) -> None:
    n = 10_000 if quick else 100_000
    print(f"(c) memory per live suspended continuation, {n:,} of them (goal <= 2 KB)")
    inst = our_instance(path)
    inst.exports.spawn(10)  # warm up: translation and caches are not per-continuation memory
    gc.collect()
    rss_before = rss_bytes()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    inst.exports.spawn(n)
    gc.collect()
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = rss_bytes()
    live = inst.exports.live()
    per = (after - before) / n
    print(f"    {live:,} continuations live in the table; {(after - before) / 2**20:.1f} MiB traced "
          f"(peak {peak / 2**20:.1f} MiB): {per:.0f} bytes per continuation (tracemalloc)")
    if rss_before is not None and rss_after is not None:
        print(f"    resident set grew by {(rss_after - rss_before) / 2**20:.1f} MiB: "
              f"{(rss_after - rss_before) / n:.0f} bytes per continuation (RSS delta, includes tracemalloc's own)")


def rss_bytes():
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes (a few seconds in all)")
    ap.add_argument("--full-pywasm", action="store_true", help="run pywasm at full size too (slow)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        speed = compile_wat("vm_speed", Path(tmp))
        fx = compile_wat("suspend_resume", Path(tmp))
        part_a(speed, args.quick, args.full_pywasm)
        part_b(fx, args.quick)
        part_c(fx, args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
