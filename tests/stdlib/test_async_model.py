"""std.async against a Python model of its documented rules (tests/stdlib/async_model.py): random task
scripts of yields, sleeps, awaits, cancellations (of others, of themselves, of tasks not yet started or
already ended), sends and receives print a trace that must match the model exactly (deadlock messages
included), on our VM and on V8."""
from __future__ import annotations

import random

import pytest

from tests.stdlib import async_model
from tests.stdlib.conftest import run_program


def test_the_model_follows_the_documented_examples():
    # Two sleepers ask for tick 5 in the opposite order of their spawn order; main cancels task 2 at 1.
    out = async_model.scenario_output([[1, 2, 1, 3], [1, 5], [1, 9]], [1, 1, 3, 2])
    assert out == [
        "0 slept 1 @1",
        "3 cancelled @1",
        "0 cancelled 3 @1",
        "1 slept 2 @2",
        "1 slept 3 @5",
        "2 slept 5 @5",
        "main: task 1 = 105",
        "main: task 2 = 205",
        "main: task 3 = -1",
    ]


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_random_scripts_match_the_model(seed, tmp_path, engine):
    rng = random.Random(seed)
    scenarios = [async_model.random_scenario(rng) for _ in range(12)]
    src, expected = async_model.program(scenarios)
    r = run_program(src, tmp_path, engine)
    assert r.returncode == 0, r.stderr
    assert r.stdout == expected


@pytest.mark.parametrize("seed", [21, 22, 23, 24])
def test_random_scripts_with_a_channel_match_the_model(seed, tmp_path, engine):
    # sends and receives on one channel (unbounded, or of capacity 1 or 2) besides the other operations;
    # a scenario may end in a deadlock, whose message must be the model's too
    rng = random.Random(seed)
    scenarios = [async_model.random_scenario(rng, channels=True) for _ in range(16)]
    src, expected = async_model.program(scenarios)
    r = run_program(src, tmp_path, engine)
    assert r.returncode == 0, r.stderr
    assert r.stdout == expected
