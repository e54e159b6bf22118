"""Compile speed: a generated fx program of about 10,000 lines, through the whole pipeline.

Goal (compiler issue): <= 2 s for 10k lines. Prints each phase's time and the total; asserts nothing.
usage: python bench/compile_speed.py [LINES]
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generate(lines: int) -> str:
    """Many small, varied functions: structs, enums, closures, loops, matches and strings."""
    out = ["struct P { a: int, b: float, s: str }", "enum E { A(int), B(str, int), C }", ""]
    i = 0
    while len(out) < lines - 10:
        out += [
            f"fn f{i}(x: int, p: P) -> int {{",
            f"    let mut acc = x + {i};",
            "    let mut k = 0;",
            "    while k < 3 { acc = acc * 2 + k; k += 1; }",
            f"    let e = if acc % 2 == 0 {{ E::A(acc) }} else {{ E::B(p.s + \"{i}\", acc) }};",
            "    let g = |y: int| y + acc;",
            "    let r = match e {",
            "        E::A(n) => n + g(1),",
            "        E::B(s, n) => n + len(s),",
            "        E::C => 0,",
            "    };",
            f"    if r > 100 {{ r - {i % 7} }} else {{ f{i - 1}(r, p) }}" if i > 0 else "    r",
            "}",
            "",
        ]
        i += 1
    out += ["fn main() {", '    let p = P { a: 1, b: 2.5, s: "x" };',
            f"    println(str(f{i - 1}(1, p)));", "}"]
    return "\n".join(out) + "\n"


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    from fxlang import passes
    from fxlang.check import check
    from fxlang.codegen import generate as codegen
    from fxlang.modules import load_program
    from fxlang.wasm import encode

    src = generate(lines)
    from fxlang.driver import collector_paused

    with tempfile.TemporaryDirectory() as d, collector_paused():   # as fxlang.driver.compile_file runs
        path = Path(d) / "big.fx"
        path.write_text(src)
        t0 = time.perf_counter()
        program = load_program(path)
        t1 = time.perf_counter()
        checked = check(program)
        t2 = time.perf_counter()
        module = codegen(checked)
        t3 = time.perf_counter()
        module = passes.run(module, passes.PIPELINES["fx"])
        t3p = time.perf_counter()
        data = encode(module)
        t4 = time.perf_counter()
    n = src.count("\n")
    print(f"program: {n} lines, {len(src)} bytes -> {len(data)} bytes of Wasm")
    print(f"parse    {t1 - t0:7.3f} s")
    print(f"check    {t2 - t1:7.3f} s")
    print(f"codegen  {t3 - t2:7.3f} s")
    print(f"passes   {t3p - t3:7.3f} s   (target fx: {', '.join(passes.PIPELINES['fx'])})")
    print(f"encode   {t4 - t3p:7.3f} s   (with the source map)")
    total = t4 - t0
    print(f"total    {total:7.3f} s   ({n / total:,.0f} lines/s; goal <= 2 s for 10k lines: "
          f"{'met' if total <= 2.0 * n / 10_000 else 'NOT met'})")


if __name__ == "__main__":
    main()
