"""CLI: ``jalverify solve --concept minimax`` on two-player zero-sum stochastic games."""

from __future__ import annotations

import json
from pathlib import Path

from jalverify.cli import main

#: Turn-based zero-sum game, gamma 1/2 (tests/data/turn_based_zero_sum.json).  By hand: max plays l in a, min
#: plays d in b;  V(a) = 1 + V(b)/2, V(b) = -1 + V(b)/4 + V(a)/4  =>  V(a) = 2/5, V(b) = -6/5.
GAME = json.loads((Path(__file__).resolve().parents[1] / "data" / "turn_based_zero_sum.json").read_text(encoding="utf-8"))


def write_game(tmp_path):
    path = tmp_path / "tb.json"
    path.write_text(json.dumps(GAME))
    return str(path)


def test_exact_stochastic_minimax_values_and_policy(tmp_path, capsys):
    code = main(["solve", write_game(tmp_path), "--concept", "minimax", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert doc["status"] == "exact_fixed_point" and doc["certified"] is True and doc["error_bound"] == "0"
    assert doc["values"]["max"] == {"a": "2/5", "b": "-6/5"}
    assert doc["values"]["min"] == {"a": "-2/5", "b": "6/5"}
    assert doc["policy"]["a"]["max"] == {"l": "1", "r": "0"}
    assert doc["policy"]["b"]["min"] == {"u": "0", "d": "1"}


def test_float_stochastic_minimax_within_its_bound(tmp_path, capsys):
    code = main(["solve", write_game(tmp_path), "--concept", "minimax", "--float", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["status"] == "converged" and doc["certified"] is False
    assert abs(doc["values"]["max"]["a"] - 0.4) <= doc["error_bound"] + 1e-12
    assert abs(doc["values"]["max"]["b"] + 1.2) <= doc["error_bound"] + 1e-12


def test_general_sum_stochastic_game_is_refused(capsys):
    assert main(["solve", "catalog:nosde", "--concept", "minimax"]) == 2
    assert "not zero-sum" in capsys.readouterr().err


def test_unsupported_stochastic_concept_names_the_supported_ones(capsys):
    assert main(["solve", "catalog:nosde", "--concept", "ce"]) == 2
    err = capsys.readouterr().err
    assert "not available for stochastic games" in err and "minimax" in err


def test_evaluate_and_nosde_read_catalog_games(tmp_path, capsys):
    """Every game-reading command accepts ``catalog:<name>`` (one shared reader)."""
    policy = tmp_path / "policy.json"
    policy.write_text('{"s1": [["1/3", "2/3"], ["1"]], "s2": [["1"], ["7/12", "5/12"]]}')
    assert main(["evaluate", "catalog:nosde", "--policy", str(policy), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["certified"] is True
    assert main(["nosde", "catalog:nosde", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)


def test_cli_survives_a_closed_pipe(monkeypatch):
    """A reader that closes the pipe early (``| head``) ends the command quietly, not with a traceback."""
    import sys

    class ClosedPipe:
        def write(self, _text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self):
            return sys.__stdout__.fileno()

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    monkeypatch.setattr("os.dup2", lambda *_: None)
    assert main(["show", "catalog:matching_pennies"]) == 1
