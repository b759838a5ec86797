"""Counterexample reports: exact codec round trip, atomic writes, dedupe, no overwrite, replay, CLI."""

import json
import os
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import CorrelatedProfile, MixedProfile
from jalverify.games.stochastic import StationaryPolicy
from jalverify.reports import (
    ReportConflict,
    build_report,
    decode_case,
    encode_case,
    load_report,
    replay_report,
    report_hash,
    write_report,
)
from jalverify.reports.runner import format_table, run_verify
from jalverify.theorems import THEOREMS, Theorem, load_all
from jalverify.verdicts import Status, Verdict


def _stag_hunt_report(tmp_path: Path):
    load_all()
    theorem = THEOREMS["nash_q.at_most_one_kind"]
    case = theorem.known_counterexample()
    verdict = theorem.check(*case)
    assert verdict.refuted
    return theorem, case, build_report(theorem=theorem, verdict=verdict, arguments=case,
                                       generation={"source": "known counterexample"}, reports_dir=tmp_path)


def test_codec_round_trip_is_exact():
    game = NormalFormGame.bimatrix([[1, "1/3"], [0, 2]], [[0, 1], [1, "-5/7"]])
    profile = MixedProfile(game, [[Fraction(1, 3), Fraction(2, 3)], [Fraction(1), Fraction(0)]])
    joint = CorrelatedProfile(game, [[Fraction(1, 2), 0], [0, Fraction(1, 2)]])
    array = np.array([Fraction(1, 3), Fraction(-2)], dtype=object)
    case = (game, profile, joint, array, Fraction(7, 9), 3, (1, 0), "text", None, [True, 2.5])
    back = decode_case(json.loads(json.dumps(encode_case(case))))
    assert back[0] == game
    assert [d.tolist() for d in back[1].distributions] == [d.tolist() for d in profile.distributions]
    assert back[2].distribution.tolist() == joint.distribution.tolist()
    assert back[3].tolist() == array.tolist() and back[4] == Fraction(7, 9) and back[5] == 3
    assert back[6] == (1, 0) and back[7] == "text" and back[8] is None and back[9] == [True, 2.5]


def test_codec_round_trip_of_a_stochastic_policy():
    from jalverify.strategies import stationary_policies, stochastic_games
    from hypothesis import find, settings

    policy = find(stationary_policies(stochastic_games(states=2)), lambda p: not p.is_deterministic(),
                  settings=settings(database=None))
    (back,) = decode_case(encode_case((policy,)))
    assert isinstance(back, StationaryPolicy) and back.game == policy.game and back == policy


def test_write_report_creates_json_markdown_and_nfg(tmp_path):
    theorem, case, report = _stag_hunt_report(tmp_path)
    stored = write_report(report, tmp_path)
    assert stored.status == "new" and stored.path == tmp_path / theorem.id / f"{report_hash(report)}.json"
    assert stored.path.with_suffix(".md").read_text().startswith("# Counterexample: `nash_q.at_most_one_kind`")
    nfg = stored.path.with_suffix(".nfg").read_text()
    assert nfg.startswith("NFG 1 R")
    data = load_report(stored.path)
    assert data["game"]["kind"] == "normal_form" and data["verdict"]["status"] == "refuted"
    assert data["replay"].startswith("jalverify replay ")
    assert not [p for p in stored.path.parent.iterdir() if p.name.startswith(".")]  # no temp files left


def test_identical_findings_are_deduplicated(tmp_path):
    _, _, report = _stag_hunt_report(tmp_path)
    first = write_report(report, tmp_path)
    stamp = first.path.stat().st_mtime_ns
    again = dict(report, generation={"source": "another run", "seed": 12345})  # provenance is not content
    second = write_report(again, tmp_path)
    assert second.status == "duplicate" and second.path == first.path
    assert first.path.stat().st_mtime_ns == stamp
    assert json.loads(first.path.read_text())["generation"] == {"source": "known counterexample"}


def test_a_different_report_is_never_overwritten(tmp_path):
    _, _, report = _stag_hunt_report(tmp_path)
    stored = write_report(report, tmp_path)
    tampered = json.loads(stored.path.read_text())
    tampered["verdict"]["witness"]["global_optimum_payoffs"] = ["5", "5"]
    stored.path.write_text(json.dumps(tampered))
    with pytest.raises(ReportConflict):
        write_report(report, tmp_path)
    assert json.loads(stored.path.read_text())["verdict"]["witness"]["global_optimum_payoffs"] == ["5", "5"]


def test_writes_are_atomic(tmp_path, monkeypatch):
    _, _, report = _stag_hunt_report(tmp_path)

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        write_report(report, tmp_path)
    folder = tmp_path / report["theorem"]
    assert not any(p.suffix == ".json" for p in folder.iterdir())
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_replay_reproduces_and_detects_a_stale_report(tmp_path):
    _, _, report = _stag_hunt_report(tmp_path)
    stored = write_report(report, tmp_path)
    result = replay_report(stored.path)
    assert result.reproduced and result.same_witness
    data = json.loads(stored.path.read_text())
    # make the stag hunt's hare payoff 4: the saddle point then pays the same as the global optimum
    game = data["case"][0]["game"]
    game["payoffs"] = [[[4, 0], [4, 4]], [[4, 4], [0, 4]]]
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps(data))
    assert not replay_report(stale).reproduced


def test_replay_command_exit_codes(tmp_path, capsys):
    from jalverify.cli import main

    _, _, report = _stag_hunt_report(tmp_path)
    stored = write_report(report, tmp_path)
    assert main(["replay", str(tmp_path)]) == 0
    assert "1/1 reports reproduce" in capsys.readouterr().out
    assert main(["replay", str(tmp_path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["reproduced"] == doc["total"] == 1 and doc["reports"][0]["verdict"] == "refuted"
    data = json.loads(stored.path.read_text())
    data["case"][0]["game"]["payoffs"] = [[[4, 0], [4, 4]], [[4, 4], [0, 4]]]
    (tmp_path / "stale.json").write_text(json.dumps(data))
    assert main(["replay", str(tmp_path / "stale.json")]) == 1
    assert "NOT REPRODUCED" in capsys.readouterr().out
    assert main(["replay", str(tmp_path / "no-such-dir")]) == 2


def _always_refuted(game):
    return Verdict("demo.false_claim", Status.REFUTED, "refuted on every game", {"size": str(game.n_joint_actions)})


def test_verify_fails_only_when_a_claim_that_should_hold_is_refuted(tmp_path):
    load_all()
    bad = Theorem("demo.false_claim", "every game is special", "holds", _always_refuted, "zero_sum_games", "none")
    expected_false = Theorem("demo.expected_false", "every game is special", "refuted-as-expected", _always_refuted,
                             "zero_sum_games", "none")
    good = THEOREMS["nash_q.global_optimum_is_nash"]
    run = run_verify(theorems=[good, expected_false], max_examples=5, seed=0, reports_dir=tmp_path, progress=None)
    assert run.ok and {r.outcome for r in run.rows} == {"proven exactly", "refuted (as expected)"}
    run = run_verify(theorems=[good, bad], max_examples=5, seed=0, reports_dir=tmp_path, progress=None)
    assert not run.ok
    row = run.rows[1]
    assert row.outcome == "REFUTED" and row.report is not None and row.report.path.exists()
    game = load_report(row.report.path)["game"]
    assert game["actions"] == [["a0"], ["a0"]]  # shrunk to the 1×1 game
    table = format_table(run)
    assert "demo.false_claim" in table and "FAILED" in table


def _refuted_with_its_size(game):
    return Verdict("demo.expected_false", Status.REFUTED, "refuted", {"payoff_sum": str(sum(game.payoffs.reshape(-1)))})


def test_expected_refutations_are_stored_once_per_theorem_but_unexpected_ones_always(tmp_path):
    """Re-running the main job with other seeds must not pile up reports of claims that are false by design;
    a refutation of a claim that should hold is stored every time it differs."""
    expected_false = Theorem("demo.expected_false", "every game is special", "refuted-as-expected",
                             _refuted_with_its_size, "zero_sum_games", "none")
    first = run_verify(theorems=[expected_false], max_examples=5, seed=0, reports_dir=tmp_path, progress=None)
    assert first.rows[0].outcome == "refuted (as expected)" and len(first.new_reports) == 1
    for seed in (1, 2, 3):
        again = run_verify(theorems=[expected_false], max_examples=5, seed=seed, reports_dir=tmp_path, progress=None)
        assert again.rows[0].outcome == "refuted (as expected)" and again.new_reports == ()
    assert len(list((tmp_path / "demo.expected_false").glob("*.json"))) == 1
    should_hold = Theorem("demo.false_claim", "every game is special", "holds",
                          lambda g: Verdict("demo.false_claim", Status.REFUTED, "refuted", {"n": str(g.n_joint_actions)}),
                          "zero_sum_games", "none")
    run = run_verify(theorems=[should_hold], max_examples=5, seed=0, reports_dir=tmp_path, progress=None)
    assert run.rows[0].outcome == "REFUTED" and len(run.new_reports) == 1


def test_verify_command_runs_a_selection(tmp_path, capsys):
    from jalverify.cli.commands import verify

    class Args:
        theorem = "minimax.theorem"
        profile = "quick"
        max_examples = 5
        seed = 0
        reports_dir = str(tmp_path)
        no_reports = False
        list = False
        time_limit = 0
        document = False
        format = "text"
        html = None

    assert verify.run(Args()) == 0
    out = capsys.readouterr()
    assert "minimax.theorem" in out.out and "proven exactly" in out.out
    assert "[1/1] minimax.theorem" in out.err
