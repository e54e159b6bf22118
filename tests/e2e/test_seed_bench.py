"""bench/seed: every benchmark builds in every variant available here, at the `tiny` size, and prints the same
line on every engine -- the line bench/seed/run.py computes for it in Python. No timing (timings are not tests).

Engines: our VM always; V8 when node 26 is found (FX_NODE or .tools/), the WasmFX variants also with the small
continuation stacks of run.py's `fx@16k`/`wat@16k` columns; the wasmtime CLI when it is installed. The `asyncify` variant counts when the compiler knows the target; until then run.py's
build reports it unavailable, which is checked too.
"""
from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.e2e.conftest import ROOT, node_path

_spec = importlib.util.spec_from_file_location("seed_run", ROOT / "bench" / "seed" / "run.py")
seed = importlib.util.module_from_spec(_spec)
sys.modules["seed_run"] = seed
_spec.loader.exec_module(seed)

TINY = [b.name for b in seed.BENCHES if seed.params(b, "tiny") is not None]


def _engines() -> list[str]:
    engines = ["vm"]
    if node_path() is not None:
        engines.append("v8")
    if seed.wasmtime() is not None:
        engines.append("wasmtime")
    return engines


def test_every_program_has_a_tiny_size_and_a_bespoke_twin():
    programs = {b.program for b in seed.BENCHES}
    assert set(TINY) >= programs - {"sieve"} and "sieve" in TINY
    for b in seed.BENCHES:
        assert seed.source_of(b, "fx") is not None
        assert seed.source_of(b, "bespoke") is not None, b.name
    assert [b.name for b in seed.BENCHES if b.wat] == ["coroutines", "c10m"]


@pytest.mark.parametrize("name", TINY)
def test_variants_and_engines_agree(name, tmp_path):
    bench = seed.BY_NAME[name]
    want = seed.expected_line(bench, "tiny")
    seen = {}
    for engine in _engines():
        for variant in seed.VARIANTS:
            if engine == "wasmtime" and variant == "fx":
                continue
            try:
                binary = seed.build(bench, variant, engine, "tiny", tmp_path)
            except seed.Unavailable as e:
                assert variant == "asyncify" and "asyncify" in str(e)
                continue
            if binary is None:
                assert variant == "wat" and (not bench.wat or engine == "vm")
                continue
            assert 0 < binary.stripped <= binary.size
            for column in seed.columns(engine):
                v, stack_kb = seed.split_column(column)
                if v != variant:
                    continue
                out = seed.run_once(seed.command(variant, engine, binary.path, stack_kb), timeout=120).stdout.strip()
                if engine == "wasmtime" and variant == "wat":
                    assert out == want.split()[-1]
                else:
                    seen[(column, engine)] = out
    assert seen and set(seen.values()) == {want}, seen
    assert ("fx", "vm") in seen and ("bespoke", "vm") in seen


def test_params_are_written_into_a_copy():
    src = "fn main() {\n    let n = 1_000; // PARAM n\n    println(n);\n}\n"
    assert "let n = 7; // PARAM n" in seed.instantiate(src, {"n": 7})
    with pytest.raises(seed.BenchError, match="no value for PARAM n"):
        seed.instantiate(src, {})
    with pytest.raises(seed.BenchError, match="no PARAM line for m"):
        seed.instantiate(src, {"n": 1, "m": 2})
    wat = "(global $total i64 (i64.const 10)) ;; PARAM total\n;; HOST-BEGIN\n(func $main)\n;; HOST-END\n"
    assert "(i64.const 99)) ;; PARAM total" in seed.instantiate(wat, {"total": 99}, wat=True)
    assert "$main" not in seed.without_host(wat)


def test_small_stack_columns_and_run_caps():
    assert seed.columns("v8", 16) == ["fx", "fx@16k", "asyncify", "bespoke", "wat", "wat@16k"]
    assert seed.columns("vm") == list(seed.VARIANTS)
    assert seed.split_column("wat@16k") == ("wat", 16) and seed.split_column("fx") == ("fx", None)
    assert "--wasm-stack-switching-stack-size=16" in seed.command("fx", "v8", ROOT / "x.wasm", 16)
    bench = seed.Bench("b", "b", {"full": {}}, lambda p: "", v8_runs={"fx": 1, "fx@": 2, "*": 3})
    assert [seed.runs_for(bench, c, "v8", 5) for c in seed.columns("v8", 16)] == [1, 2, 3, 3, 3, 3]
    assert seed.runs_for(bench, "fx", "vm", 5) == 5          # the caps apply to the V8 size set only


def test_a_timeout_is_reported_not_waited_for():
    with pytest.raises(seed.Timeout, match="timeout after 0.2 s"):
        seed.run_once([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.2)


def test_a_wrong_line_is_an_error():
    bench = seed.BY_NAME["itersum"]
    with pytest.raises(seed.BenchError, match="expected 'itersum 4950'"):
        seed.check_output(bench, "tiny", "vm", "itersum 4951\n")
