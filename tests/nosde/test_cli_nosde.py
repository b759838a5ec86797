"""``jalverify nosde``: analysis (text, JSON), the --pair construction, the stored report, and errors."""

from __future__ import annotations

import json

from fractions import Fraction as F

from jalverify.cli import main
from jalverify.games.formats import dump_policy, load_game, save_game
from jalverify.games.stochastic import StationaryPolicy


def test_analysis_json_of_the_book_game(capsys):
    assert main(["nosde", "catalog:nosde", "--format", "json", "--cycle"]) == 0
    doc = json.loads(capsys.readouterr().out)
    sde = doc["stationary_deterministic_equilibrium"]
    assert sde["nosde"] is True and sde["n_profiles"] == 4 and len(sde["deviations"]) == 4
    eq = doc["stationary_equilibria"]
    assert eq["unique"] is True and eq["complete"] is True
    (only,) = eq["equilibria"]
    assert only["policy"]["s1"]["agent1"] == {"keep": "1/3", "send": "2/3"}
    assert only["policy"]["s2"]["agent2"] == {"keep": "7/12", "send": "5/12"}
    assert only["V"] == {"agent1": {"s1": "4", "s2": "16/3"}, "agent2": {"s1": "16/3", "s2": "4"}}
    assert doc["value_iteration"]["period"] == 5


def test_analysis_text_of_a_game_with_an_sde(tmp_path, capsys, keep_send):
    game = keep_send({("s1", "keep"): (3, 0), ("s1", "send"): (0, 3), ("s2", "keep"): (3, 1), ("s2", "send"): (0, 0)})
    path = tmp_path / "sde.json"
    save_game(game, path)
    assert main(["nosde", str(path)]) == 0
    out = capsys.readouterr().out
    assert "stationary deterministic equilibrium: {'s1': ['keep', 'none'], 's2': ['none', 'keep']}" in out


def test_pair_writes_prime_and_report(tmp_path, capsys):
    out_path, report_dir = tmp_path / "prime.json", tmp_path / "nosde"
    assert main(["nosde", "catalog:nosde", "--pair", "--seed", "0", "--out", str(out_path),
                 "--reports-dir", str(report_dir)]) == 0
    text = capsys.readouterr().out
    assert "[proven exactly] nosde.q_insufficient.q_equal" in text and "differs" in text
    prime = load_game(out_path)
    assert prime.name == "nosde'"
    report = json.loads((report_dir / "nosde_pair.json").read_text())
    assert report["format"] == "jalverify.counterexample/1"
    assert report["theorem"] == "nosde.q_determines_policy" and report["verdict"]["status"] == "refuted"
    assert report["pair"]["proven"] is True
    assert "| s1 | agent2 | 16/3 | 5 | **no** |" in (report_dir / "nosde_pair.md").read_text()
    from jalverify.reports.replay import replay_report

    assert replay_report(report_dir / "nosde_pair.json").reproduced


def test_pair_with_target_file(tmp_path, capsys):
    from jalverify.games import catalog

    game = catalog.load("nosde")
    target = StationaryPolicy(game, [[[F(1, 4), F(3, 4)], [1]], [[1], [F(1, 2), F(1, 2)]]])
    pol = tmp_path / "target.json"
    pol.write_text(json.dumps(dump_policy(target)))
    assert main(["nosde", "catalog:nosde", "--pair", "--target", str(pol), "--out", str(tmp_path / "p.json"),
                 "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["proven"] is True
    assert doc["target"]["policy"]["s1"][0] == ["1/4", "3/4"]


def test_deterministic_target_exits_1(tmp_path, capsys):
    from jalverify.games import catalog

    game = catalog.load("nosde")
    pol = tmp_path / "target.json"
    pol.write_text(json.dumps(dump_policy(StationaryPolicy.deterministic(game, [[0, 0], [0, 0]]))))
    assert main(["nosde", "catalog:nosde", "--pair", "--target", str(pol), "--out", str(tmp_path / "p.json")]) == 1
    assert "[refuted] nosde.q_insufficient.prime_nosde" in capsys.readouterr().out


def test_errors_exit_2(tmp_path, capsys):
    assert main(["nosde", "catalog:nosde", "--pair"]) == 2
    assert "--pair needs --out" in capsys.readouterr().err
    assert main(["nosde", "catalog:matching_pennies"]) == 2
    assert "expected a stochastic game" in capsys.readouterr().err
    assert main(["nosde", "catalog:soccer"]) == 2
    assert "out of reach" in capsys.readouterr().err


def test_simultaneous_move_game_analysis(tmp_path, capsys):
    import numpy as np

    from jalverify.games.stochastic import StochasticGame

    R = np.empty((2, 2, 2), dtype=object)
    for a in range(2):
        for b in range(2):
            R[0, a, b] = F(1 if a == b else -1)
            R[1, a, b] = -R[0, a, b]
    T = np.empty((2, 2, 1), dtype=object)
    T.fill(F(1))
    path = tmp_path / "pennies.json"
    save_game(StochasticGame(["row", "col"], ["s"], [[("h", "t"), ("h", "t")]], [T], [R], "1/2", name="pennies"), path)
    assert main(["nosde", str(path), "--cycle"]) == 0
    out = capsys.readouterr().out
    assert "none (NoSDE)" in out
    assert "stationary equilibria: not computed (the game is not turn-based" in out
    assert "greedy value iteration: not run" in out
