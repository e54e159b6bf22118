"""tests/conftest.py's skip accounting: every skip is counted, and one that tests/declared_skips.txt does not
declare fails the run — also under pytest-xdist, where the workers' reports reach the controller."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import DECLARED, is_declared, load_declared
from tests.e2e.conftest import ROOT

SESSION = '''
import pytest

def test_passes():
    pass

def test_optional_engine():
    pytest.skip("optional engine absent")

@pytest.mark.skipif(True, reason="not built yet")
def test_half_built():
    pass

@pytest.mark.xfail(reason="an expected failure is not a skip")
def test_expected_failure():
    assert False
'''
SKIPPED_MODULE = 'import pytest\npytest.skip("whole module optional", allow_module_level=True)\n'
DECLARED_HERE = ("*::test_optional_engine | optional engine * | the engine is optional\n"
                 "test_gone.py | whole module * | a collection skip counts too\n")


def pytest_session(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """A pytest run over SESSION with the suite's skip accounting loaded as a plugin."""
    (tmp_path / "test_session.py").write_text(SESSION)
    (tmp_path / "test_gone.py").write_text(SKIPPED_MODULE)
    (tmp_path / "declared.txt").write_text(DECLARED_HERE)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider",
                           "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path),
                           "--declared-skips", str(tmp_path / "declared.txt"), *args, str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


@pytest.mark.parametrize("workers", [[], ["-n", "2"]])
def test_an_undeclared_skip_fails_the_run_and_the_count_is_printed(tmp_path, workers):
    r = pytest_session(tmp_path, *workers)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "skips: 3 (declared: 2)" in r.stdout
    assert "test_session.py::test_half_built: not built yet" in r.stdout
    assert "test_optional_engine: " not in r.stdout.split("skips: 3", 1)[1]


@pytest.mark.parametrize("workers", [[], ["-n", "2"]])
def test_declared_skips_alone_leave_the_run_passing(tmp_path, workers):
    r = pytest_session(tmp_path, *workers, "-k", "not half_built")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "skips: 2 (declared: 2)" in r.stdout


def test_a_failure_stays_a_failure(tmp_path):
    (tmp_path / "test_more.py").write_text("def test_fails():\n    assert False\n")
    r = pytest_session(tmp_path, "-k", "not half_built")
    assert r.returncode == 1 and "skips: 2 (declared: 2)" in r.stdout


def test_declarations_match_test_id_and_message():
    declared = [("tests/e2e/*", "node 26 not installed*", "optional engine")]
    assert is_declared("tests/e2e/test_examples.py::test_example_on_v8[hello]", "node 26 not installed (...)",
                       declared)
    assert not is_declared("tests/e2e/test_examples.py::test_x", "spec testsuite not found", declared)
    assert not is_declared("tests/vm/test_spec.py::test_x", "node 26 not installed (...)", declared)


def test_the_checked_in_list_parses_and_gives_every_line_a_reason(tmp_path):
    assert all(reason for _, _, reason in load_declared(DECLARED))
    bad = tmp_path / "bad.txt"
    bad.write_text("tests/* | no reason given\n")
    with pytest.raises(pytest.UsageError, match="bad.txt:1: expected"):
        load_declared(bad)
