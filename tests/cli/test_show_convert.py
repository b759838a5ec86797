"""CLI: ``jalverify show`` and ``jalverify convert`` (text and JSON output, exit code 2 on bad input)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from jalverify.cli import main
from jalverify.games import catalog
from jalverify.games.formats import load_game, load_nfg


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_show_a_two_player_catalog_game(capsys):
    code, out, err = run(capsys, "show", "catalog:prisoners_dilemma")
    assert code == 0 and err == ""
    assert "prisoners_dilemma: normal-form game, 2 players, 2×2 (exact field)" in out
    assert "source: Prisoner's dilemma" in out
    assert "cooperate  3, 3       0, 5" in out
    assert "zero-sum: no; constant-sum: no; common payoff: no; symmetric: yes" in out


def test_show_a_three_player_game_has_one_table_per_slice(capsys):
    code, out, _ = run(capsys, "show", "catalog:three_player_matching_pennies")
    assert code == 0 and "  player3 = heads:\n" in out and "  player3 = tails:\n" in out
    assert "    heads  1, 1, -1  -1, -1, -1" in out  # (heads, heads, heads) and (heads, tails, heads)


def test_show_a_stochastic_game(capsys):
    code, out, _ = run(capsys, "show", "catalog:nosde")
    assert code == 0
    assert "nosde: stochastic game, 2 players, 2 states, gamma = 3/4 (exact field)" in out
    assert "s1: agent1 {keep, send} × agent2 {noop}; moves: agent1; next: s1, s2" in out
    assert "      joint action  R_agent1  R_agent2  next state\n      (keep, noop)  1         0         s1 1\n" in out
    assert "      (send, noop)  0         3         s2 1\n" in out
    assert "zero-sum: no; turn-based: yes; deterministic transitions: yes; terminal states: 0" in out


def test_show_truncates_long_state_lists(capsys):
    code, out, _ = run(capsys, "show", "catalog:grid_game_1")
    assert code == 0 and "... 38 more states" in out and "terminal states: 1" in out


def test_show_json(capsys):
    code, out, _ = run(capsys, "show", "catalog:chicken", "--format", "json")
    info = json.loads(out)
    assert code == 0 and info["kind"] == "normal_form" and info["players"] == ["row", "column"]
    assert info["predicates"] == {"zero_sum": False, "constant_sum": False, "common_payoff": False, "symmetric": True}
    code, out, _ = run(capsys, "show", "catalog:grid_game_2", "--format", "json", "--with-game")
    info = json.loads(out)
    assert info["gamma"] == "99/100" and info["terminal_states"] == ["end"] and info["initial"] == {"A00_B02": "1"}
    assert info["predicates"]["deterministic"] is False
    assert info["game"]["format"] == "jalverify.game/1"


def test_show_files(tmp_path, capsys):
    path = tmp_path / "g.json"
    path.write_text(json.dumps({"format": "jalverify.game/1", "kind": "normal_form", "players": ["a"],
                                "actions": [["x", "y"]], "payoffs": [["1/2", 3]]}))
    code, out, _ = run(capsys, "show", str(path))
    assert code == 0 and "g.json: normal-form game, 1 players, 2" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "missing.json"], "jalverify show: error: No such file or directory: missing.json"),
        (["show", "catalog:nope"], "jalverify show: error: catalog: unknown game 'nope'"),
        (["convert", "catalog:nosde", "OUT.nfg"], "jalverify convert: error: convert: catalog:nosde is a stochastic game"),
    ],
)
def test_bad_input_exits_with_code_2_and_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1


def test_bad_file_contents_exit_2(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "jalverify.game/1", "kind": "normal_form", "players": ["a"], "actions": [["x"]], "payoffs": [[0.5]]}')
    code, _, err = run(capsys, "show", str(path))
    assert code == 2 and f"{path}: $.payoffs[0][0]: JSON float 0.5 refused" in err and err.count("\n") == 1
    nfg = tmp_path / "bad.nfg"
    nfg.write_text("NFG 1 R \"\" { \"p\" } { 2 } 1")
    code, _, err = run(capsys, "show", str(nfg))
    assert code == 2 and "end of file" in err


def test_convert_json_to_nfg_and_back(tmp_path, capsys):
    nfg = tmp_path / "rps.nfg"
    code, out, _ = run(capsys, "convert", "catalog:rock_paper_scissors", str(nfg))
    assert code == 0 and out.startswith(f"wrote {nfg} (nfg (outcome version))")
    assert load_nfg(nfg) == catalog.load("rock_paper_scissors")
    back = tmp_path / "rps.json"
    code, out, _ = run(capsys, "convert", str(nfg), str(back), "--format", "json")
    assert code == 0 and json.loads(out) == {"input": str(nfg), "output": str(back), "format": "json", "kind": "normal_form"}
    assert load_game(back) == catalog.load("rock_paper_scissors")


def test_convert_payoff_version(tmp_path, capsys):
    nfg = tmp_path / "pd.nfg"
    code, _, _ = run(capsys, "convert", "catalog:prisoners_dilemma", str(nfg), "--nfg-version", "payoff")
    assert code == 0 and "{ 2 2 }" in nfg.read_text()


def test_convert_stochastic_json_keeps_metadata(tmp_path, capsys):
    out = tmp_path / "nosde.json"
    code, _, _ = run(capsys, "convert", "catalog:nosde", str(out))
    assert code == 0 and out.read_text() == open(catalog.path("nosde"), encoding="utf-8").read()


def test_console_entry_point_runs_as_a_module():
    proc = subprocess.run([sys.executable, "-m", "jalverify", "show", "catalog:nope"], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.startswith("jalverify show: error: catalog: unknown game 'nope'")
