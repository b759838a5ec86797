"""solve --concept nash --all states its size, shows progress and stops at --time-limit with an honest status."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

from jalverify.games.formats import load_game
from jalverify.games.profiles import MixedProfile, max_regret


def _jalverify() -> list[str]:
    found = shutil.which("jalverify")
    return [found] if found else [sys.executable, "-m", "jalverify"]


def _random_game(path: Path, n: int, seed: int) -> Path:
    rng = random.Random(seed)
    payoffs = [[[rng.randint(-99, 99) for _ in range(n)] for _ in range(n)] for _ in range(2)]
    path.write_text(json.dumps({"format": "jalverify.game/1", "kind": "normal_form", "players": ["r", "c"],
                                "actions": [[f"a{i}" for i in range(n)]] * 2, "payoffs": payoffs}))
    return path


def test_time_limit_stops_the_enumeration_and_says_the_list_is_incomplete(tmp_path: Path) -> None:
    game_file = _random_game(tmp_path / "g.json", 15, 2)
    run = subprocess.run([*_jalverify(), "solve", str(game_file), "--concept", "nash", "--all", "--time-limit", "1",
                          "--max-supports", str(2**31), "--format", "json"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["status"] == "time_limit" and doc["complete"] is False
    assert "enumerating up to 1,073,676,289 support profiles" in run.stderr
    _assert_certified(game_file, doc)


def test_a_generous_time_limit_lets_the_enumeration_finish(tmp_path: Path) -> None:
    game_file = _random_game(tmp_path / "g.json", 6, 1)
    run = subprocess.run([*_jalverify(), "solve", str(game_file), "--concept", "nash", "--all", "--time-limit", "60",
                          "--format", "json"], capture_output=True, text=True, timeout=120)
    doc = json.loads(run.stdout)
    assert run.returncode == 0 and doc["status"] == "complete" and doc["complete"] is True
    assert len(doc["equilibria"]) >= 1
    _assert_certified(game_file, doc)


def _assert_certified(game_file: Path, doc: dict) -> None:
    game = load_game(game_file)
    for eq in doc["equilibria"]:  # whatever is listed is an equilibrium, exactly
        strategies = [[Fraction(p) for p in eq["strategies"][player].values()] for player in ("r", "c")]
        assert max_regret(game, MixedProfile(game, strategies)) == 0


def test_the_enumeration_is_refused_above_its_bound_before_starting(tmp_path: Path) -> None:
    game_file = _random_game(tmp_path / "g.json", 15, 2)
    run = subprocess.run([*_jalverify(), "solve", str(game_file), "--concept", "nash", "--all"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and run.stdout == ""
    assert "1,073,676,289 support profiles, above the bound 1,048,576" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_time_limit_needs_all_and_a_positive_value(tmp_path: Path) -> None:
    for extra, message in ((["--time-limit", "1"], "--time-limit bounds the enumeration of --all"),
                           (["--all", "--time-limit", "0"], "--time-limit must be a positive number")):
        run = subprocess.run([*_jalverify(), "solve", "catalog:chicken", "--concept", "nash", *extra],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 2 and message in run.stderr and "Traceback" not in run.stderr


def test_exact_stochastic_minimax_stops_at_its_time_limit_with_not_established(tmp_path: Path) -> None:
    """A 3-state 2×2 zero-sum game (γ = 3/4) whose exact policy-iteration iterates double in size every step
    (found by Hypothesis; tests/validation/test_reference_q_star.py): the exact route cannot finish, so the
    answer after the time limit is 'not established', with the steps shown on stderr."""
    from jsonschema import Draft202012Validator

    from jalverify.games.formats import save_game
    from jalverify.schemas import schema

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "validation"))
    from test_reference_q_star import hanging_game

    game_file = tmp_path / "hanging.json"
    save_game(hanging_game(), game_file)
    run = subprocess.run([*_jalverify(), "solve", str(game_file), "--concept", "minimax", "--time-limit", "3",
                          "--format", "json"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    doc = json.loads(run.stdout)
    Draft202012Validator(schema("solve")).validate(doc)
    assert doc["status"] == "not_established" and "time budget of 3 s" in doc["message"]
    assert "Bellman residual" in run.stderr and "Traceback" not in run.stderr
