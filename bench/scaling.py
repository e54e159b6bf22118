"""Costs the tests used to assert in seconds; the tests keep the behaviour, the numbers live here.

Each line is one measurement (best of --repeat runs) and its ratio against a named baseline measured in the same
run, so the ratio does not depend on how fast or busy the machine is:

  decode       a function body of ~1 MB vs one of ~100 KB of the same shape        linear: 10x
  validate     a body of 50,000 adds vs 5,000; 20,000 nested blocks vs 2,000       linear: 10x
  exhaustion   runaway recursion of a 1000-local function until vm.Exhaustion,
               vs the same recursion of a 1-local function                        goal: a small factor
  round robin  std.async, 1000 tasks yielding 10 times vs 100 tasks, on the VM     linear: 10x
               (program run only) and on node 26 (whole process, when node is found)

A ratio far above its linear value is a quadratic slip. Prints; asserts nothing.
usage: python bench/scaling.py [--repeat N] [--quick]
"""
from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import vm  # noqa: E402

# ---------------------------------------------------------------------------------------------- binaries


def uleb(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def vec(items: list[bytes]) -> bytes:
    return uleb(len(items)) + b"".join(items)


def section(sid: int, payload: bytes) -> bytes:
    return bytes([sid]) + uleb(len(payload)) + payload


def one_func(body: bytes, functype: bytes, locals_: bytes = b"\x00", export: bool = False) -> bytes:
    """A module of one function (exported as "f" when `export`); `body` includes the final end."""
    exports = [section(7, vec([uleb(1) + b"f" + b"\x00\x00"]))] if export else []
    code = locals_ + body
    return (b"\0asm\x01\0\0\0" + section(1, vec([functype])) + section(3, vec([b"\x00"])) + b"".join(exports)
            + section(10, vec([uleb(len(code)) + code])))


I32_TO_VOID = b"\x60\x01\x7f\x00"
I32_TO_I32 = b"\x60\x01\x7f\x01\x7f"
VOID = b"\x60\x00\x00"


def decode_body(scale: int) -> bytes:
    """The shape of tests/vm/binary/test_decode_module.py's megabyte: local arithmetic and loads."""
    return b"\x20\x00\x41\x05\x6a\x21\x00" * (150 * scale) + b"\x41\x00\x28\x02\x08\x1a" * scale + b"\x0b"


def flat_body(n: int) -> bytes:
    return b"\x20\x00" + b"\x20\x00\x6a" * n + b"\x0b"                  # local.get 0 (local.get 0 i32.add)*n


def deep_body(depth: int) -> bytes:
    return b"\x02\x40" * depth + b"\x0b" * depth + b"\x20\x00\x0b"       # block*depth end*depth local.get 0


def recursion(locals_count: int) -> bytes:
    return one_func(b"\x10\x00\x0b", VOID, locals_=vec([uleb(locals_count) + b"\x7e"]), export=True)


# ---------------------------------------------------------------------------------------------- measuring


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def report(name: str, measured: float, baseline_name: str, baseline: float, linear: str) -> None:
    print(f"{name:44} {measured:8.3f} s   vs {baseline_name:40} {baseline:8.3f} s   "
          f"ratio {measured / baseline:6.1f}x  ({linear})")


def bench_decode(repeat: int) -> None:
    big, small = one_func(decode_body(1000), I32_TO_VOID), one_func(decode_body(100), I32_TO_VOID)
    report(f"decode {len(big) / 1e6:.2f} MB body", best(lambda: vm.decode(big), repeat),
           f"decode {len(small) / 1e3:.0f} KB body", best(lambda: vm.decode(small), repeat), "linear: 10x")


def bench_validate(repeat: int) -> None:
    for what, make, n in (("adds", flat_body, 50_000), ("nested blocks", deep_body, 20_000)):
        big, small = vm.decode(one_func(make(n), I32_TO_I32)), vm.decode(one_func(make(n // 10), I32_TO_I32))
        report(f"validate {n:,} {what}", best(lambda: vm.validate(big), repeat),
               f"validate {n // 10:,} {what}", best(lambda: vm.validate(small), repeat), "linear: 10x")


def bench_exhaustion(repeat: int) -> None:
    def until_exhaustion(data: bytes):
        module = vm.decode(data)
        vm.validate(module)
        f = vm.instantiate(module, {}).exports.f

        def run():
            try:
                f()
            except vm.Exhaustion:
                return
            raise SystemExit("the runaway recursion did not end in vm.Exhaustion")
        return run
    report("recursion of a 1000-local function", best(until_exhaustion(recursion(1000)), repeat),
           "recursion of a 1-local function", best(until_exhaustion(recursion(1)), repeat), "goal: a small factor")


ROUND_ROBIN = """import std.async;
async fn worker(id: int, steps: int, log: [int]) -> int {
    let mut i = 0;
    while i < steps { push(log, id); yield_now(); i += 1; }
    id
}
async fn main() {
    let log: [int] = [];
    let tasks: [Task[int]] = [];
    let mut i = 0;
    while i < TASKS { let me = i; push(tasks, spawn(|| worker(me, 10, log))); i += 1; }
    let mut total = 0;
    i = 0;
    while i < TASKS { total += await tasks[i]; i += 1; }
    println(str(total) + " " + str(len(log)));
}
"""


def bench_round_robin(repeat: int, workdir: Path) -> None:
    from fxlang.driver import compile_file
    from fxlang.hosts.node import NodeError, find_node
    from vm import wasi

    def build(tasks: int, target: str) -> bytes:
        path = workdir / f"round_robin_{tasks}.fx"
        path.write_text(ROUND_ROBIN.replace("TASKS", str(tasks)))
        return compile_file(path, target=target).wasm

    def on_vm(data: bytes, tasks: int):
        def run():
            module = vm.decode(data)
            vm.validate(module)
            out = io.BytesIO()
            host = wasi.Wasi(["round_robin"], {}, stdout=out)
            assert host.run(vm.instantiate(module, host.imports(module))) == 0
            assert out.getvalue() == f"{sum(range(tasks))} {10 * tasks}\n".encode(), out.getvalue()
        return run

    big, small = build(1000, "fx"), build(100, "fx")
    report("VM: 1000 tasks x 10 yields", best(on_vm(big, 1000), repeat),
           "VM: 100 tasks x 10 yields", best(on_vm(small, 100), repeat), "linear: 10x")
    try:
        node = find_node()
    except NodeError as e:
        print(f"round robin on node 26: not measured ({e})")
        return
    from fxlang.cli import NODE_FLAGS
    shim = ROOT / "fxlang/hosts/wasi_run.mjs"
    setup = '{"args": ["round_robin"], "env": {}, "preopens": []}'

    def on_node(data: bytes, tasks: int):
        wasm = workdir / f"round_robin_{tasks}.wasm"
        wasm.write_bytes(data)

        def run():
            r = subprocess.run([node, *NODE_FLAGS, "--no-warnings", str(shim), str(wasm), setup],
                               capture_output=True, check=True)
            assert r.stdout == f"{sum(range(tasks))} {10 * tasks}\n".encode(), r.stdout
        return run
    report("node: 1000 tasks x 10 yields (process)", best(on_node(build(1000, "standard"), 1000), repeat),
           "node: 100 tasks x 10 yields (process)", best(on_node(build(100, "standard"), 100), repeat),
           "linear: 10x, less node's start-up")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs per measurement (default 3)")
    ap.add_argument("--quick", action="store_true", help="one run each")
    args = ap.parse_args()
    repeat = 1 if args.quick else args.repeat
    bench_decode(repeat)
    bench_validate(repeat)
    bench_exhaustion(repeat)
    with tempfile.TemporaryDirectory() as d:
        bench_round_robin(repeat, Path(d))


if __name__ == "__main__":
    main()
