"""The spec testsuite (../shared/testsuite from the repo root) on the VM: one test per .wast file.

tests/vm/spec_known_failures.json records, per file, the number of checks and the line numbers of
the checks that fail today. A file's test fails when it gets worse (a new failing line) AND when it
gets better without the list being updated, so the list is always exact. Rewrite it with

    FX_BLESS=1 .venv/bin/python -m pytest tests/vm/test_spec.py

test_overall_pass_rate then reads the (verified) list to report the pass rate over the whole suite
and checks the acceptance targets: 100% of the stack-switching, exception and tail-call files,
at least 97% overall.
"""
from __future__ import annotations

import fcntl
import json
import os
import tempfile
from pathlib import Path

import pytest

from vm.script import run_wast

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / ".." / "shared" / "testsuite"
KNOWN = Path(__file__).with_name("spec_known_failures.json")
BLESS = os.environ.get("FX_BLESS") == "1"

ACCEPTANCE = ["throw.wast", "throw_ref.wast", "try_table.wast", "tag.wast", "call_ref.wast",
              "return_call.wast", "return_call_indirect.wast", "return_call_ref.wast",
              "br_on_null.wast", "br_on_non_null.wast"]
TARGET_OVERALL = 97.0


def suite_files() -> list:
    if not SUITE.is_dir():
        return []
    return sorted(p.relative_to(SUITE).as_posix() for p in SUITE.rglob("*.wast"))


def acceptance_files(files) -> list:
    return ACCEPTANCE + [f for f in files if f.startswith("stack-switching/")]


def load_known() -> dict:
    if not KNOWN.exists():
        return {}
    return json.loads(KNOWN.read_text())["files"]


def bless(name: str, entry: dict) -> None:
    # pytest-xdist runs files in parallel workers: read-modify-write under an exclusive lock
    with open(Path(tempfile.gettempdir()) / "fxlang-spec-bless.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = json.loads(KNOWN.read_text()) if KNOWN.exists() else {}
        data["about"] = ("Spec testsuite checks that fail on the VM today, per .wast file: 'checks' counted, "
                         "'failed' = line numbers of the failing checks. Verified exactly by "
                         "tests/vm/test_spec.py; rewrite with FX_BLESS=1.")
        files = data.setdefault("files", {})
        files[name] = entry
        data["files"] = dict(sorted(files.items()))
        body = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in data["files"].items())
        tmp = KNOWN.with_suffix(".tmp")
        tmp.write_text(f'{{\n "about": {json.dumps(data["about"])},\n "files": {{\n{body}\n }}\n}}\n')
        tmp.replace(KNOWN)


def test_testsuite_is_there():
    assert SUITE.is_dir(), (f"spec testsuite not found at {SUITE.resolve()}: it must be at ../shared/testsuite "
                            f"relative to the repo root ({ROOT})")
    assert len(suite_files()) > 100


@pytest.mark.parametrize("name", suite_files())
def test_spec_file(name):
    result = run_wast(SUITE / name)
    failed = result.failed_lines()
    entry = {"checks": result.total, "skipped": result.skipped, "failed": failed}
    if BLESS:
        bless(name, entry)
        return
    known = load_known()
    assert name in known, f"{name} is not in {KNOWN.name}; run with FX_BLESS=1 to add it"
    want = known[name]
    detail = {f.line: f"{f.command}: {f.message}" for f in result.failures}
    worse = sorted(set(failed) - set(want["failed"]))
    better = sorted(set(want["failed"]) - set(failed))
    msgs = []
    if worse:
        msgs.append(f"{len(worse)} check(s) newly failing:\n" + "\n".join(
            f"  {name}:{line}: {detail[line]}" for line in worse[:50]))
    if better:
        msgs.append(f"{len(better)} check(s) now pass but are still listed as known failures (lines "
                    f"{better[:50]}): update the list with FX_BLESS=1")
    if result.total != want["checks"]:
        msgs.append(f"{result.total} checks counted, the list says {want['checks']}: re-bless with FX_BLESS=1")
    assert not msgs, f"{name}: {result.summary()}\n" + "\n".join(msgs)


def overall(known: dict, files: list):
    checks = sum(known[f]["checks"] for f in files if f in known)
    failed = sum(len(known[f]["failed"]) for f in files if f in known)
    return checks, failed


def test_overall_pass_rate():
    """Reads the list, which test_spec_file keeps exact, and reports the suite-wide numbers."""
    if BLESS:
        pytest.skip("blessing")
    files = suite_files()
    assert files, f"spec testsuite not found at {SUITE.resolve()} (../shared/testsuite from the repo root)"
    known = load_known()
    missing = [f for f in files if f not in known]
    assert not missing, f"not in {KNOWN.name}: {missing[:10]}; run with FX_BLESS=1"
    checks, failed = overall(known, files)
    rate = 100.0 * (checks - failed) / checks
    lines = [f"spec suite: {checks - failed}/{checks} checks pass ({rate:.2f}%), target >= {TARGET_OVERALL}%"]
    gaps = [(f, len(known[f]["failed"]), known[f]["checks"]) for f in acceptance_files(files)
            if known.get(f, {}).get("failed")]
    for f, n, c in gaps:
        lines.append(f"  acceptance file {f}: {n} of {c} checks fail")
    print("\n".join(lines))
    assert rate >= TARGET_OVERALL and not gaps, "\n".join(lines)
