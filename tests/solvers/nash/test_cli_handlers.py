"""The ``solve --concept nash|pure-nash`` handlers print certified answers and components."""

from __future__ import annotations

import argparse
import json

import numpy as np

from jalverify.cli.commands.solve_nash import handle_nash, handle_pure_nash
from jalverify.games.normal_form import NormalFormGame

DEGENERATE = NormalFormGame.bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]], name="vs-degenerate")


def run(handler, game, capsys, **kwargs):
    args = argparse.Namespace(**{"all": False, "field": "exact", "format": "json", **kwargs})
    code = handler(args, game)
    return code, json.loads(capsys.readouterr().out)


def test_nash_all_shows_the_continuum(capsys):
    code, doc = run(handle_nash, DEGENERATE, capsys, all=True)
    assert code == 0 and doc["complete"] and doc["status"] == "complete"
    assert len(doc["equilibria"]) == 3 and all(e["max_regret"] == "0" for e in doc["equilibria"])
    continua = [c for c in doc["components"] if not c["isolated"]]
    assert len(continua) == 1
    assert continua[0]["nash_subsets"][0]["p1"] == [{"a0": "2/3", "a1": "1/3"}, {"a0": "1", "a1": "0"}]


def test_nash_default_is_one_equilibrium(capsys):
    code, doc = run(handle_nash, DEGENERATE, capsys)
    assert code == 0 and len(doc["equilibria"]) == 1 and doc["complete"] is False


def test_nash_n_players_and_text_output(capsys):
    payoffs = np.zeros((3, 2, 2, 2), dtype=int)
    payoffs[:, 0, 0, 0] = 1
    payoffs[:, 1, 1, 1] = 1
    game = NormalFormGame(payoffs)
    code, doc = run(handle_nash, game, capsys)
    assert code == 0 and len(doc["equilibria"]) == 1
    assert handle_nash(argparse.Namespace(all=True, field="exact", format="text"), game) == 0
    assert "equilibria" in capsys.readouterr().out


def test_pure_nash(capsys):
    code, doc = run(handle_pure_nash, DEGENERATE, capsys)
    assert code == 0 and doc["concept"] == "pure-nash"
    assert [e["strategies"]["p0"] for e in doc["equilibria"]] == [{"a0": "1", "a1": "0", "a2": "0"}]
