"""``jalverify verify``: the quick profile's 100 examples per theorem, worker processes chosen without flags for
large runs, the slow theorems started first on workers, and the table by id whatever the run order (issue 15)."""

from __future__ import annotations

import json

import pytest

from jalverify.cli import main
from jalverify.cli.commands.verify import AUTO_WORKERS_FROM, AUTO_WORKERS_MAX, auto_workers, run_order
from jalverify.strategies.hypothesis_profiles import PROFILES, VERIFY_EXAMPLES
from jalverify.theorems.registry import select


def test_the_quick_profile_checks_100_examples_per_theorem_and_pytest_keeps_its_own_budget():
    assert VERIFY_EXAMPLES == {"quick": 100, "thorough": 1000}
    assert PROFILES["quick"] == 25  # the property suites under pytest are not the main job


@pytest.mark.parametrize(("theorems", "cpus", "expected"), [
    (AUTO_WORKERS_FROM - 1, 2, None),  # a handful of theorems stays in this process
    (59, 1, None),                     # one CPU: worker processes would only add their start-up
    (AUTO_WORKERS_FROM, 2, 2),
    (59, 2, 2),
    (59, 64, AUTO_WORKERS_MAX),
    (AUTO_WORKERS_FROM, 64, min(AUTO_WORKERS_MAX, AUTO_WORKERS_FROM)),
])
def test_auto_workers(theorems, cpus, expected):
    assert auto_workers(theorems, cpus) == expected


def test_run_order_starts_the_slow_theorems_first_and_loses_none():
    chosen = select(None)
    order = run_order(chosen)
    assert sorted(t.id for t in order) == sorted(t.id for t in chosen)
    slow = [t.slow for t in order]
    assert any(slow) and not all(slow)
    assert slow == sorted(slow, reverse=True)  # every slow theorem before every other one
    first = [t.id for t in order if t.slow]
    assert first == sorted(first)
    assert {"nash_q.learning_converges_common_payoff", "minimax_q.convergence", "iql.converges"} <= set(first)


def test_verify_uses_the_profile_budget_unless_max_examples_is_given(capsys):
    assert main(["verify", "--theorem", "minimax.theorem", "--no-reports", "--seed", "1", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["profile"] == "quick" and doc["max_examples"] == 100
    assert [row["examples"] for row in doc["theorems"]] == [100]
    assert main(["verify", "--theorem", "minimax.theorem", "--no-reports", "--seed", "1", "--format", "json",
                 "--max-examples", "7"]) == 0
    assert json.loads(capsys.readouterr().out)["max_examples"] == 7


def test_a_small_selection_runs_in_this_process(capfd):
    # capfd: the executor reports starting workers on the process's stderr
    assert main(["verify", "--theorem", "minimax.*", "--max-examples", "2", "--no-reports", "--seed", "1"]) == 0
    assert "worker" not in capfd.readouterr().err


def test_rows_are_listed_by_id_when_workers_take_the_slow_theorems_first(capsys, monkeypatch):
    from jalverify.reports import runner

    pattern = "correlated.*"  # holds correlated.cce_is_ce and correlated.selection_deterministic (slow)
    chosen = select(pattern)
    assert [t.id for t in run_order(chosen)] != [t.id for t in chosen]
    passed = []
    real = runner.run_verify

    def spy(**kwargs):
        passed.append([t.id for t in kwargs["theorems"]])
        return real(**kwargs)

    monkeypatch.setattr(runner, "run_verify", spy)
    assert main(["verify", "--theorem", pattern, "--max-examples", "2", "--no-reports", "--seed", "1",
                 "--format", "json", "--workers", "2"]) == 0
    assert passed == [[t.id for t in run_order(chosen)]]
    assert [row["id"] for row in json.loads(capsys.readouterr().out)["theorems"]] == [t.id for t in chosen]


def test_serial_with_an_executor_flag_is_bad_input(capsys):
    assert main(["verify", "--serial", "--workers", "2", "--theorem", "minimax.theorem", "--no-reports"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--serial" in err[0] and "--workers" in err[0]
