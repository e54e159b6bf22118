"""The pass layer's boundaries (docs/codegen.md, "Passes"): codegen builds the target-fx module and knows no
pass; passes know Wasm, not fx; the driver runs the target's pipeline; `fxc build --passes` prints it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from fxlang import driver, passes

ROOT = Path(__file__).resolve().parents[3]


def imported_modules(package: str) -> dict[str, set[str]]:
    """file -> the absolute names of the fxlang modules it imports (relative imports resolved)."""
    out = {}
    for path in (ROOT / package.replace(".", "/")).rglob("*.py"):
        mod = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        pkg = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = pkg.split(".")
                    base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
                names.add(base)
                names.update(f"{base}.{a.name}" for a in node.names)
        out[str(path.relative_to(ROOT))] = {n for n in names if n.startswith("fxlang")}
    return out


def test_codegen_imports_nothing_from_the_passes():
    for path, names in imported_modules("fxlang.codegen").items():
        assert not [n for n in names if n.startswith("fxlang.passes")], path


def test_passes_know_wasm_not_fx():
    for path, names in imported_modules("fxlang.passes").items():
        bad = [n for n in names if not n.startswith(("fxlang.wasm", "fxlang.passes"))]
        assert not bad, (path, bad)


def test_the_driver_runs_the_targets_pipeline(tmp_path):
    src = "fn main() { nosuspend { println(1) } }"
    steps = {}
    for target in passes.TARGETS:
        got = driver.compile_file(_write(tmp_path, src), target=target, sizes=True)
        steps[target] = [name for name, _ in got.passes]
        assert steps[target] == ["generate"] + passes.PIPELINES[target]
        ops = {i.op for f in got.module.funcs for i in f.body}
        assert ("barrier" in ops) == (target == "fx")


def test_fxc_build_passes_prints_the_pipeline_with_sizes(tmp_path):
    path = _write(tmp_path, "fn main() { println(2) }")
    r = subprocess.run([sys.executable, "-m", "fxlang.cli", "build", str(path), "--target", "standard",
                        "--passes", "-o", str(tmp_path / "p.wasm")], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    lines = [ln.split() for ln in r.stderr.splitlines()]
    assert [ln[0] for ln in lines] == ["generate"] + passes.PIPELINES["standard"]
    assert all(ln[2] == "bytes" and int(ln[1]) > 0 for ln in lines)
    assert int(lines[-1][1]) == (tmp_path / "p.wasm").stat().st_size      # the last size is the binary's


def _write(tmp_path, src):
    p = tmp_path / "prog.fx"
    p.write_text(src)
    return p
