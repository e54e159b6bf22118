"""bench/seed: every benchmark builds in every variant available here, at the `tiny` size, and prints the same
line on every engine -- the line bench/seed/run.py computes for it in Python. No timing (timings are not tests).

Engines: our VM always; V8 when node 26 is found (FX_NODE or .tools/); the wasmtime CLI for the WAT variants
when it is installed. The `asyncify` variant counts when the compiler knows the target; until then run.py's
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
            out = seed.run_once(seed.command(variant, engine, binary.path), timeout=120).stdout.strip()
            if engine == "wasmtime" and variant == "wat":
                assert out == want.split()[-1]
            else:
                seen[(variant, engine)] = out
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


def test_a_wrong_line_is_an_error():
    bench = seed.BY_NAME["itersum"]
    with pytest.raises(seed.BenchError, match="expected 'itersum 4950'"):
        seed.check_output(bench, "tiny", "vm", "itersum 4951\n")
