"""Direct task-to-task transfer on our VM, in one run:  .venv/bin/python bench/switch_speed.py [--n N]

N transfers of control (default 1,000,000) between two parties, four ways, each on our VM:
(a) two raw fibers switching to each other (switch_to), target fx: one `switch` per transfer;
(b) the same program, target standard: `suspend` to fiber_run's resume loop, which resumes the other fiber;
(c) two std.threads threads calling yield_now, target fx: `switch` plus the scheduler's bookkeeping;
    (c') the same on target standard;
(d) two std.async tasks calling yield_now (handler based: the task suspends to its handler, which queues
    its k; the scheduler loop resumes the next one), target fx.
Prints seconds, transfers per second and the ratios against (a); asserts nothing (timings are not tests).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import vm  # noqa: E402
from fxlang import driver  # noqa: E402
from vm import wasi  # noqa: E402

FIBERS = """
struct Count { n: int }
fn main() {
    let c = Count { n: 0 };
    let b = fiber(|from| {
        let mut peer = match from { Some(f) => f, None => panic("no peer") };
        loop { c.n += 1; peer = switch_to(peer); }
    });
    let a = fiber(|from| {
        let mut peer = b;
        let mut i = 0;
        while i < HALF { c.n += 1; peer = switch_to(peer); i += 1; }
    });
    fiber_run(a);
    println(c.n);
}
"""

THREADS = """
import std.threads;
struct Count { n: int }
fn main() {
    let c = Count { n: 0 };
    run(|| {
        spawn(|| { let mut i = 0; while i < HALF { c.n += 1; yield_now(); i += 1; } });
        let mut i = 0;
        while i < HALF { c.n += 1; yield_now(); i += 1; }
    });
    println(c.n);
}
"""

ASYNC = """
import std.async;
struct Count { n: int }
async fn main() {
    let c = Count { n: 0 };
    let t = spawn(|| { let mut i = 0; while i < HALF { c.n += 1; yield_now(); i += 1; } });
    let mut i = 0;
    while i < HALF { c.n += 1; yield_now(); i += 1; }
    await_task(t);
    println(c.n);
}
"""


def build(src: str, half: int, target: str) -> bytes:
    src = src.replace("HALF", str(half))
    return driver.compile_source(src, f"<bench {target}>", target=target).wasm


def run(data: bytes) -> tuple[float, str]:
    module = vm.decode(data)
    vm.validate(module)
    out = io.BytesIO()
    host = wasi.Wasi(["bench.wasm"], stdout=out)
    inst = vm.instantiate(module, host.imports(module))
    t = time.perf_counter()
    host.run(inst)
    return time.perf_counter() - t, out.getvalue().decode().strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="transfers of control (default 1,000,000)")
    n = ap.parse_args().n
    half = n // 2
    cases = [
        ("(a) fibers, switch (target fx)", FIBERS, "fx"),
        ("(b) fibers, lowered (target standard)", FIBERS, "standard"),
        ("(c) std.threads yield_now (target fx)", THREADS, "fx"),
        ("(c') std.threads yield_now (target standard)", THREADS, "standard"),
        ("(d) std.async yield_now (handlers)", ASYNC, "fx"),
    ]
    print(f"{n:,} transfers of control between two parties, on our VM")
    base = None
    for name, src, target in cases:
        data = build(src, half, target)
        secs, out = run(data)
        counted = int(out)
        if base is None:
            base = secs
        print(f"{name:45} {secs:7.2f} s  {counted / secs / 1e6:6.3f} M/s  x{secs / base:5.2f} vs (a)"
              f"  [{counted:,} steps]")


if __name__ == "__main__":
    main()
