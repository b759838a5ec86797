"""CLI: ``jalverify solve --concept minimax|ce|cce`` and ``jalverify classify``."""

from __future__ import annotations

import json

import pytest

from jalverify.cli import main
from jalverify.cli.commands.solve import CONCEPTS


def run_json(capsys, *argv):
    code = main([*argv, "--format", "json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_concept_dispatch_table():
    assert set(CONCEPTS) >= {"minimax", "ce", "cce", "nash", "pure-nash"}


def test_minimax_rps_json(capsys):
    code, doc = run_json(capsys, "solve", "catalog:rock_paper_scissors", "--concept", "minimax")
    assert code == 0 and doc["field"] == "exact" and doc["certificate"]["exact"]
    assert set(doc["values"].values()) == {"0"}
    for strategy in doc["strategies"].values():
        assert set(strategy.values()) == {"1/3"}


def test_minimax_float(capsys):
    code, doc = run_json(capsys, "solve", "catalog:matching_pennies", "--concept", "minimax", "--float")
    assert code == 0 and doc["field"] == "float" and abs(list(doc["values"].values())[0]) < 1e-9


def test_minimax_rejects_general_sum(capsys):
    assert main(["solve", "catalog:chicken", "--concept", "minimax"]) == 2
    assert "not constant-sum" in capsys.readouterr().err


def test_ce_chicken_utilitarian(capsys):
    code, doc = run_json(capsys, "solve", "catalog:chicken", "--concept", "ce")
    assert code == 0 and doc["objective_value"] == "21/2" and doc["max_gains"] == ["0"]
    assert sorted(item["probability"] for item in doc["distribution"]) == ["1/2", "1/4", "1/4"]


@pytest.mark.parametrize("objective", ["egalitarian", "republican", "libertarian", "none"])
def test_ce_objectives_run(capsys, objective):
    code, doc = run_json(capsys, "solve", "catalog:chicken", "--concept", "cce", "--objective", objective)
    assert code == 0 and doc["concept"] == "cce"


def test_ce_text_output(capsys):
    assert main(["solve", "catalog:shapley_3x3", "--concept", "ce", "--tie-break", "lexicographic"]) == 0
    out = capsys.readouterr().out
    assert "objective value: 1" in out and "checked exactly" in out


def test_classify_stag_hunt(capsys):
    code, doc = run_json(capsys, "classify", "catalog:stag_hunt")
    assert code == 0 and doc["kind"] == "both" and doc["complete"]
    assert set(doc["global_payoffs"].values()) == {"4"} and set(doc["saddle_payoffs"].values()) == {"3"}


def test_classify_text(capsys):
    assert main(["classify", "catalog:battle_of_the_sexes"]) == 0
    assert "neither" in capsys.readouterr().out
