"""``jalverify learn`` as the user runs it: the installed console script in a subprocess, JSON parsed."""

import json
import os
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from jalverify.games.formats import save_game
from jalverify.learners import load_trace
from jalverify.learners.examples import zero_sum_rational

JALVERIFY = shutil.which("jalverify") or str(Path(sys.executable).with_name("jalverify"))


def learn(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    return subprocess.run([JALVERIFY, "learn", *args], capture_output=True, text=True, timeout=600, cwd=cwd, env=env,
                          check=False)


def learn_json(*args: str) -> dict:
    res = learn(*args, "--format", "json")
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)  # stdout carries only the result


def by_notion(out: dict) -> dict:
    return {c["notion"]: c for c in out["convergence"]}


def test_matching_pennies_repeated_game_json(tmp_path):
    trace_path, plot_path = tmp_path / "run.npz", tmp_path / "err.png"
    out = learn_json("catalog:matching_pennies", "--algorithm", "minimax-q", "--steps", "3000", "--gamma", "1/2",
                     "--seed", "1", "--trace", str(trace_path), "--plot", str(plot_path))
    assert out["parameters"]["gamma"] == "1/2" and out["parameters"]["steps"] == 3000
    ref = out["reference"]
    assert ref["kind"] == "minimax" and ref["exact"] is True
    assert ref["q_star"]["stage"][0] == ["1", "-1", "-1", "1"]  # V* = 0, so Q* = R exactly
    assert out["joint_actions"]["stage"][0] == "(heads, heads)"
    assert 0 < out["error"] < 0.05
    conv = by_notion(out)
    q = conv["q"]
    assert q["status"] == "within_tolerance" and q["tolerance"] == 0.05 and q["worst"] < 0.05
    assert {c["status"] for c in out["convergence"]} <= {"within_tolerance", "not_established"}
    # the learned policy is the unique equilibrium (1/2, 1/2) after rounding: exact NashConv 0
    assert out["learned_policy"]["states"]["stage"] == {"row": {"heads": "1/2", "tails": "1/2"},
                                                        "column": {"heads": "1/2", "tails": "1/2"}}
    assert out["nash_conv"]["at_start"] == "0" and out["nash_conv"]["certified"] is True
    assert out["values"]["V_pi_at_start"] == {"row": "0", "column": "0"}
    assert "not a convergence verdict" in out["trace_stationarity"]["note"]
    assert load_trace(trace_path).n_steps == 3000
    assert plot_path.stat().st_size > 1000


def test_small_zero_sum_stochastic_game_reaches_exact_q_star(tmp_path):
    game_file = tmp_path / "zs.json"
    save_game(zero_sum_rational(), game_file)
    out = learn_json(str(game_file), "--algorithm", "minimax-q", "--steps", "20000", "--seed", "0")
    assert out["reference"]["exact"] is True
    assert out["reference"]["v_star"]["a"] == {"s0": "2/5", "s1": "6/5"}  # derived by hand (examples.py)
    q = by_notion(out)["q"]
    assert q["status"] == "within_tolerance" and q["worst"] < 0.05, q
    # exact values of the learned (rounded) policy; an equilibrium would give V = V*
    gain = Fraction(out["nash_conv"]["at_start"])
    assert gain >= 0 and float(gain) < 0.1


def test_text_output_labels_and_progress():
    res = learn("catalog:matching_pennies", "--algorithm", "minimax-q", "--steps", "500", "--gamma", "9/10")
    assert res.returncode == 0, res.stderr
    text = res.stdout
    for needle in ("reference: minimax Q*", "(heads, tails)", "Q*_row", "exact NashConv", "holds within tolerance"
                   if "holds within tolerance" in text else "not established", "stationary (last 10 snapshots"):
        assert needle in text, needle
    assert "learn: 500/500 steps (100%)" in res.stderr and "ETA" in res.stderr
    assert "learn:" not in text and "HiGHS" not in text


def test_general_sum_game_has_no_reference():
    out = learn_json("catalog:chicken", "--algorithm", "iql", "--steps", "300", "--gamma", "1/2")
    assert out["reference"]["kind"] is None and out["error"] is None
    assert all(c["status"] == "not_established" and "no exact reference for this game" in c["message"]
               for c in out["convergence"])
    assert Fraction(out["nash_conv"]["at_start"]) >= 0  # the learned pure policy is still evaluated exactly


@pytest.mark.slow
def test_soccer_2000_steps_is_not_called_converged():
    out = learn_json("catalog:soccer", "--algorithm", "minimax-q", "--steps", "2000")
    assert out["error"] == 1.0  # Q is still 0 almost everywhere, |Q*| reaches 1
    conv = by_notion(out)
    assert conv["q"]["status"] == "not_established" and conv["q"]["worst"] >= 1.0
    assert all(c["status"] != "within_tolerance" for c in out["convergence"]), out["convergence"]


@pytest.mark.parametrize(("args", "needle"), [
    (["--steps", "0"], "--steps must be an integer >= 1, got '0'"),
    (["--steps", "ten"], "--steps must be an integer >= 1, got 'ten'"),
    (["--seed", "-1"], "--seed must be an integer >= 0, got '-1'"),
    (["--explore", "1.5"], "--explore must be a finite number >= 0 and <= 1, got '1.5'"),
    (["--explore", "nan"], "--explore must be a finite number"),
    (["--schedule", "adam"], "--schedule 'adam': unknown schedule"),
    (["--schedule", "rm:0.3"], "--schedule 'rm:0.3': omega must be in (1/2, 1]"),
    (["--epsilon", "0"], "--epsilon must be a finite number > 0"),
    (["--window", "0"], "--window must be an integer >= 1"),
    (["--episode-length", "0"], "--episode-length must be an integer >= 1"),
    (["--record-every", "0"], "--record-every must be an integer >= 1"),
    (["--record-every", "999999"], "--record-every must be at most --steps"),
    (["--format", "yaml"], "--format must be one of text, json; got 'yaml'"),
    (["--selection", "first"], "--selection 'first' applies to --algorithm nash-q only"),
    (["--reward-scaling"], "--reward-scaling applies to the CE-Q algorithms only"),
    (["--gamma", "1"], "--gamma must be a number in [0, 1), got '1'"),
    (["--start", "nowhere"], "--start must be uniform, initial or a state of the game, got 'nowhere'"),
    (["--plot", "out.txt"], "--plot must name a .png, .svg, .pdf file, got 'out.txt'"),
])
def test_flag_validation(args, needle, tmp_path):
    base = ["catalog:matching_pennies", "--algorithm", "minimax-q", "--steps", "100"]
    if "--gamma" not in args:
        base += ["--gamma", "1/2"]
    res = learn(*base, *args, "--trace", str(tmp_path / "t.npz"))
    assert res.returncode == 2, (res.stdout, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], res.stderr
    assert res.stdout == "" and not (tmp_path / "t.npz").exists()


def test_gamma_required_for_normal_form_and_refused_for_stochastic():
    res = learn("catalog:matching_pennies", "--algorithm", "minimax-q")
    assert res.returncode == 2 and "--gamma is required for a normal-form game" in res.stderr
    res = learn("catalog:nosde", "--algorithm", "nash-q", "--gamma", "1/2")
    assert res.returncode == 2 and "--gamma '1/2'" in res.stderr and "3/4" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1



def test_algorithm_required_and_named():
    res = learn("catalog:matching_pennies", "--gamma", "0")
    assert res.returncode == 2 and "--algorithm is required" in res.stderr
    res = learn("catalog:matching_pennies", "--gamma", "0", "--algorithm", "sarsa")
    assert res.returncode == 2 and "--algorithm must be one of" in res.stderr and "'sarsa'" in res.stderr
