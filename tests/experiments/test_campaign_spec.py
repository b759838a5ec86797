"""Campaign files (issue 12 §1): the shipped example reads; every bad value is one InvalidFile naming the key;
run keys are stable, distinct and independent of key order."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from jalverify.errors import InvalidFile
from jalverify.experiments import load_campaign, parse_campaign

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "campaigns" / "minimax_q_two_games.toml"
BASE = {"name": "c", "games": ["catalog:matching_pennies"], "algorithms": ["minimax-q", "iql"],
        "seeds": {"start": 3, "count": 2}, "steps": 100}


def test_the_shipped_example_reads_and_expands_to_its_grid():
    spec = load_campaign(EXAMPLE)
    assert spec.gamma == Fraction(9, 10) and spec.epsilon == Fraction(1, 20)
    assert len(spec.runs()) == len(spec.games) * len(spec.algorithms) * len(spec.seeds) == 24
    assert len({run.digest() for run in spec.runs()}) == 24


def test_defaults_and_run_keys():
    spec = parse_campaign(BASE)
    assert spec.seeds == (3, 4) and spec.checkpoints == 50 and spec.gamma is None
    runs = spec.runs()
    assert [(r.algorithm, r.seed) for r in runs] == [("minimax-q", 3), ("minimax-q", 4), ("iql", 3), ("iql", 4)]
    reordered = parse_campaign(dict(reversed(list(BASE.items()))))
    assert [r.digest() for r in reordered.runs()] == [r.digest() for r in runs]  # key order does not matter
    longer = parse_campaign(dict(BASE, steps=101))
    assert not {r.digest() for r in longer.runs()} & {r.digest() for r in runs}  # any parameter changes the key


@pytest.mark.parametrize("change, words", [
    ({"stepz": 1}, "unknown key 'stepz'"),
    ({"steps": 0}, "steps must be between 1"),
    ({"steps": "100"}, "steps must be an integer"),
    ({"steps": True}, "steps must be an integer"),
    ({"algorithms": ["minimax-q", "sarsa"]}, "unknown learner 'sarsa'"),
    ({"algorithms": ["iql", "iql"]}, "lists 'iql' twice"),
    ({"algorithms": []}, "non-empty list"),
    ({"games": ["catalog:nope"]}, "unknown catalog game 'catalog:nope'"),
    ({"games": ["missing.json"]}, "no such file 'missing.json'"),
    ({"seeds": {"start": 0}}, "seeds must be a table"),
    ({"seeds": {"start": -1, "count": 2}}, "seeds.start must be between 0"),
    ({"seeds": {"start": 0, "count": 10**9}}, "seeds.count must be between 1 and 100000"),
    ({"gamma": 0.9}, "gamma must be exact"),
    ({"gamma": "1"}, "gamma must be in [0, 1)"),
    ({"gamma": "x"}, "gamma"),
    ({"epsilon": "0"}, "epsilon must be positive"),
    ({"checkpoints": 101}, "checkpoints must be between 1 and 100"),
    ({"learner": {"schedul": "rm"}}, "unknown key learner.schedul"),
    ({"learner": {"schedule": 1}}, "learner.schedule must be a string"),
    ({"learner": {"reward_scaling": "yes"}}, "learner.reward_scaling must be true or false"),
])
def test_bad_values_are_one_error_naming_the_key(change, words, tmp_path):
    with pytest.raises(InvalidFile) as info:
        parse_campaign(dict(BASE, **change), where="camp.toml", base=tmp_path)
    message = str(info.value)
    assert words in message and message.startswith("camp.toml: ") and "\n" not in message


def test_missing_key_and_unreadable_files(tmp_path):
    with pytest.raises(InvalidFile, match="missing key 'steps'"):
        parse_campaign({k: v for k, v in BASE.items() if k != "steps"})
    bad_toml = tmp_path / "a.toml"
    bad_toml.write_text("name = \n", encoding="utf-8")
    with pytest.raises(InvalidFile, match="not a TOML file.*line 1"):
        load_campaign(bad_toml)
    latin = tmp_path / "b.toml"
    latin.write_bytes("name = \"caf\xe9\"\n".encode("latin-1"))
    with pytest.raises(InvalidFile, match="not UTF-8"):
        load_campaign(latin)
    with pytest.raises(InvalidFile, match="cannot read"):
        load_campaign(tmp_path / "none.toml")


def test_game_files_are_resolved_against_the_campaign_folder(tmp_path):
    game = tmp_path / "games" / "g.json"
    game.parent.mkdir()
    game.write_text((ROOT / "jalverify" / "games" / "catalog" / "data" / "matching_pennies.json").read_text(
        encoding="utf-8"), encoding="utf-8")
    campaign = tmp_path / "c.toml"
    campaign.write_text('name = "c"\ngames = ["games/g.json"]\nalgorithms = ["iql"]\n'
                        'seeds = { start = 0, count = 1 }\nsteps = 10\ncheckpoints = 2\n', encoding="utf-8")
    spec = load_campaign(campaign)
    assert spec.games == ("games/g.json",)
    assert spec.game_sources[0].location == str(game.resolve())
    key = spec.runs()[0]
    assert key.game == "games/g.json" and key.game_location == str(game.resolve())


def test_a_run_digest_depends_on_the_game_content_not_its_folder(tmp_path, monkeypatch):
    text = (ROOT / "jalverify" / "games" / "catalog" / "data" / "matching_pennies.json").read_text(encoding="utf-8")
    campaign = 'name = "c"\ngames = ["g.json"]\nalgorithms = ["iql"]\nseeds = { start = 0, count = 1 }\nsteps = 10\n'
    digests = []
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "g.json").write_text(text, encoding="utf-8")
        (tmp_path / folder / "c.toml").write_text(campaign, encoding="utf-8")
        digests.append(load_campaign(tmp_path / folder / "c.toml").runs()[0].digest())
    monkeypatch.chdir(tmp_path / "a")
    digests.append(load_campaign("c.toml").runs()[0].digest())  # a relative campaign path, another working folder
    assert len(set(digests)) == 1
    (tmp_path / "a" / "g.json").write_text(text.replace('"matching', '"changed matching'), encoding="utf-8")
    assert load_campaign(tmp_path / "a" / "c.toml").runs()[0].digest() != digests[0]
