"""Campaign runs: deterministic, measured against the exact reference, the same numbers as ``jalverify learn``,
aggregated with correct bands, written as they arrive and resumed without recomputation."""

from __future__ import annotations

import io
import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from jalverify.errors import InvalidFile
from jalverify.experiments.aggregate import steps_to_epsilon, summarise_group
from jalverify.experiments.campaign import check_campaign_runs, run_campaign
from jalverify.experiments.runner import execute_run
from jalverify.experiments.spec import parse_campaign

SMALL = {"name": "small", "games": ["catalog:matching_pennies"], "algorithms": ["minimax-q", "iql"],
         "seeds": {"start": 0, "count": 2}, "steps": 1200, "checkpoints": 6, "gamma": "1/2"}


def _spec(**changes: Any) -> Any:
    return parse_campaign({**SMALL, **changes})


def _without_times(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("seconds", "learning_seconds")}


def test_a_run_is_deterministic_given_its_key() -> None:
    key = _spec().runs()[0]
    first, second = execute_run(key), execute_run(key)
    assert _without_times(first.record) == _without_times(second.record)
    a, b = np.load(io.BytesIO(first.trace_npz)), np.load(io.BytesIO(second.trace_npz))
    assert sorted(a.files) == sorted(b.files)
    for name in a.files:
        if name != "header":
            assert np.array_equal(a[name], b[name]), name


def test_a_run_is_measured_against_the_exact_reference() -> None:
    # matching pennies repeated with γ = 1/2: the minimax value is 0 everywhere, so Q*(s, a) is the stage payoff
    # itself (Shapley's equation: Q*(a) = R(a) + γ·V*(s) = R(a)); the recorded error is max |Q − R| per snapshot
    key = _spec().runs()[0]
    result = execute_run(key)
    trace = np.load(io.BytesIO(result.trace_npz))
    payoff_row = np.array([[1.0, -1.0], [-1.0, 1.0]])
    q = trace["q_0"]  # (T, n, 2, 2)
    independent = np.max(np.abs(q - np.stack([payoff_row, -payoff_row])[None]), axis=(1, 2, 3))
    assert result.record["checkpoints"]["q_error"] == pytest.approx(independent.tolist(), abs=1e-12)
    assert result.record["reference"]["exact"] is True
    assert result.record["reference"]["v_star_at_start"] == ["0", "0"]
    assert result.record["checkpoints"]["steps"] == [0, 200, 400, 600, 800, 1000, 1200]
    assert set(result.record["checkpoints"]["evaluation"]) == {"exact"}


def test_checkpoint_nash_conv_is_the_exact_exploitability_of_the_rounded_policy() -> None:
    # computed independently from the recorded final policy: in a repeated one-state game each agent's best
    # unilateral gain per stage is scaled by 1/(1 − γ)
    key = [k for k in _spec().runs() if k.algorithm == "iql"][0]
    result = execute_run(key)
    record, trace = result.record, np.load(io.BytesIO(result.trace_npz))
    final = trace["policy_0"][-1]  # joint distribution (2, 2)
    row, col = final.sum(axis=1), final.sum(axis=0)
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    value = float(row @ A @ col)
    gain_row = float(np.max(A @ col)) - value
    gain_col = float(np.max(-(row @ A))) + value
    independent = (gain_row + gain_col) / (1 - 0.5)  # one state, repeated: gains scale by 1/(1 − γ)
    assert Fraction(record["checkpoints"]["nash_conv_exact"][-1]) == Fraction(independent).limit_denominator(1000)
    assert record["checkpoints"]["nash_conv"][-1] == pytest.approx(independent)


def test_a_run_gives_the_numbers_of_jalverify_learn(tmp_path: Path) -> None:
    import subprocess
    import sys

    key = _spec().runs()[0]
    record = execute_run(key).record
    every = key.steps // key.checkpoints
    out = subprocess.run([sys.executable, "-m", "jalverify", "learn", "catalog:matching_pennies", "--algorithm",
                          "minimax-q", "--gamma", "1/2", "--steps", str(key.steps), "--seed", str(key.seed),
                          "--record-every", str(every), "--window", str(key.window), "--format", "json"],
                         capture_output=True, text=True, check=True, timeout=300, cwd=tmp_path)
    learned = json.loads(out.stdout)
    assert learned["error_trace"]["max_abs_q_minus_q_star"] == record["checkpoints"]["q_error"]
    assert learned["nash_conv"]["at_start"] == record["checkpoints"]["nash_conv_exact"][-1]
    assert [(c["notion"], c["status"]) for c in learned["convergence"]] == \
        [(c["notion"], c["status"]) for c in record["convergence"]]


def test_steps_to_epsilon_needs_the_measure_to_stay_below() -> None:
    steps = [0, 10, 20, 30, 40]
    assert steps_to_epsilon([1, 0.01, 0.5, 0.02, 0.01], steps, 0.05) == 30
    assert steps_to_epsilon([1, 0.01, 0.01, 0.01, 0.01], steps, 0.05) == 10
    assert steps_to_epsilon([1, 0.01, 0.01, 0.01, 0.5], steps, 0.05) is None


def _record(seed: int, values: list[float]) -> dict[str, Any]:
    return {"status": "ok", "key": {"seed": seed}, "reference": {"kind": None, "reason": "x"},
            "checkpoints": {"steps": list(range(len(values))), "q_error": None, "nash_conv": values,
                            "nash_conv_exact": [str(Fraction(values[-1]).limit_denominator())]},
            "convergence": [{"notion": "q", "status": "not_established"}]}


def test_the_band_is_the_student_t_interval_of_the_mean() -> None:
    group = summarise_group("g", "a", [_record(0, [1.0, 1.0]), _record(1, [2.0, 2.0]), _record(2, [3.0, 6.0])],
                            epsilon=0.5)
    m = group.measures["nash_conv"]
    assert m is not None and group.measures["q_error"] is None
    # last checkpoint: 1, 2, 6 -> mean 3, sample sd √7, t_{0.975, 2} = 4.302652729911275 (tables of Student's t)
    half = 4.302652729911275 * math.sqrt(7) / math.sqrt(3)
    assert m.mean[-1] == pytest.approx(3.0)
    assert m.median[-1] == pytest.approx(2.0)
    assert m.high[-1] == pytest.approx(3.0 + half)
    assert m.low[-1] == 0.0  # clipped: a NashConv is never negative
    assert m.reached == 0 and group.notions == {"q": {"not_established": 3}}


def test_a_failed_run_is_listed_not_averaged() -> None:
    failed = {"status": "error", "key": {"seed": 5}, "error": "SolverError: boom"}
    group = summarise_group("g", "a", [_record(0, [1.0, 0.0]), failed], epsilon=0.5)
    assert group.seeds == [0] and group.failed == [{"seed": 5, "error": "SolverError: boom"}]
    assert group.measures["nash_conv"] is not None and group.measures["nash_conv"].reached == 1


def test_resume_skips_finished_runs_and_fresh_recomputes(tmp_path: Path) -> None:
    spec = _spec(steps=300, checkpoints=3)
    first = run_campaign(spec, tmp_path, plots=False)
    assert (first.total, first.computed, first.reused, first.failed) == (4, 4, 0, 0)
    files = sorted((tmp_path / "runs").glob("*.json"))
    stamps = {p: p.stat().st_mtime_ns for p in files}
    wider = _spec(steps=300, checkpoints=3, seeds={"start": 0, "count": 3})
    second = run_campaign(wider, tmp_path, plots=False)
    assert (second.total, second.computed, second.reused) == (6, 2, 4)
    assert all(p.stat().st_mtime_ns == t for p, t in stamps.items())  # finished runs untouched
    assert second.summary["groups"][0]["seeds"] == [0, 1, 2]
    # the two seeds of the first campaign give the same numbers in the wider one
    assert first.summary["groups"][0]["measures"]["q_error"]["final"] == \
        second.summary["groups"][0]["measures"]["q_error"]["final"][:2]
    third = run_campaign(wider, tmp_path, plots=False, fresh=True)
    assert (third.computed, third.reused) == (6, 0)


class _InterruptAfter:
    """A serial executor interrupted (Ctrl-C) after ``n`` runs."""

    description = "serial, interrupted"
    in_process = True

    def __init__(self, n: int) -> None:
        self.n = n

    def map_unordered(self, fn: Any, items: Any) -> Any:
        from jalverify.executors import TaskOutcome

        for index, item in enumerate(items):
            if index == self.n:
                raise KeyboardInterrupt
            yield TaskOutcome(index, fn(item), None, 1)

    def close(self) -> None:
        pass


def test_an_interrupted_campaign_keeps_finished_runs_and_continues(tmp_path: Path) -> None:
    spec = _spec(steps=300, checkpoints=3)
    with pytest.raises(KeyboardInterrupt):
        run_campaign(spec, tmp_path, executor=_InterruptAfter(3), plots=False)
    assert len(list((tmp_path / "runs").glob("*.json"))) == 3
    assert not list((tmp_path / "runs").glob(".*.tmp"))  # no partial file
    resumed = run_campaign(spec, tmp_path, plots=False)
    assert (resumed.computed, resumed.reused, resumed.failed) == (1, 3, 0)


def test_a_failing_run_is_recorded_with_its_error_and_the_campaign_goes_on(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import jalverify.experiments.campaign as campaign

    def flaky(key: Any) -> Any:
        if key.seed == 1 and key.algorithm == "iql":
            raise ArithmeticError("planted failure")
        return execute_run(key)

    monkeypatch.setattr(campaign, "execute_run", flaky)
    result = run_campaign(_spec(steps=300, checkpoints=3), tmp_path, plots=False)
    assert result.failed == 1 and result.computed == 4
    iql = next(g for g in result.groups if g.algorithm == "iql")
    assert iql.seeds == [0] and iql.failed == [{"seed": 1, "error": "ArithmeticError: planted failure"}]
    records = [json.loads(p.read_text()) for p in (tmp_path / "runs").glob("*.json")]
    assert sorted(r["status"] for r in records) == ["error", "ok", "ok", "ok"]
    monkeypatch.undo()
    again = run_campaign(_spec(steps=300, checkpoints=3), tmp_path, plots=False)
    assert (again.computed, again.reused, again.failed) == (1, 3, 0)  # a failed run is run again on resume


@pytest.mark.parametrize(("changes", "message"), [
    ({"games": ["catalog:nosde"]}, r"catalog:nosde is a stochastic game with its own discount"),
    ({"gamma": None}, r"catalog:matching_pennies is a normal-form game; the campaign needs gamma"),
    ({"learner": {"start": "nowhere"}}, r"learner.start 'nowhere' is not a state of catalog:matching_pennies"),
])
def test_runs_that_cannot_start_are_refused_before_anything_runs(changes: dict[str, Any], message: str) -> None:
    doc = {**SMALL, **changes}
    doc = {k: v for k, v in doc.items() if v is not None}
    with pytest.raises(InvalidFile, match=message):
        check_campaign_runs(parse_campaign(doc))


def test_a_learner_that_refuses_a_game_is_named() -> None:
    doc = {**SMALL, "games": ["catalog:three_player_matching_pennies"], "algorithms": ["minimax-q"]}
    with pytest.raises(InvalidFile, match=r"algorithms: minimax-q cannot learn catalog:three_player_matching_pennies"):
        check_campaign_runs(parse_campaign(doc))
