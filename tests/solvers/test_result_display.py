"""How solver results show to people (issue 13 §2–3): one-line ``repr``, notebook HTML, ``to_dict()`` and LaTeX.

``to_dict()`` must be the CLI's JSON for the same game: each case runs the installed ``jalverify`` console script
in a subprocess and compares its parsed stdout with the API result's ``to_dict()``.  The HTML is parsed with
:mod:`html.parser` and the probabilities are looked up in the cells labelled by player and action.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from jalverify.games import catalog
from jalverify.games.formats.json_format import save_game
from jalverify.games.formats.reading import read_game
from jalverify.games.stochastic import StationaryPolicy
from jalverify.solvers.best_response import exploitability
from jalverify.solvers.correlated import correlated_solve
from jalverify.solvers.evaluation import evaluate_policy
from jalverify.solvers.general_sum_value_iteration import general_sum_value_iteration
from jalverify.solvers.minimax import minimax_solve
from jalverify.solvers.nash import lemke_howson_solve, nash_solve, pure_nash_solve
from jalverify.solvers.nash_q_conditions import classify_stage_game
from jalverify.solvers.selection import select_equilibrium
from jalverify.solvers.stage import CorrelatedStageSolver
from jalverify.solvers.value_iteration import shapley_value_iteration
from jalverify.solvers.zero_sum_policy_iteration import zero_sum_policy_iteration
from jalverify.strategies.normal_form import games_of

JALVERIFY = str(Path(sys.executable).with_name("jalverify"))
TURN_BASED = Path(__file__).resolve().parents[1] / "data" / "turn_based_zero_sum.json"
NOSDE_POLICY = {"s1": [["1/3", "2/3"], ["1"]], "s2": [["1"], ["7/12", "5/12"]]}


def cli_json(*args: str) -> Any:
    """Run the installed console script with ``--format json`` and parse its stdout."""
    out = subprocess.run([JALVERIFY, *args, "--format", "json"], check=False, capture_output=True, text=True,
                         timeout=300, env=dict(os.environ, PYTHONHASHSEED="0"))
    assert out.stdout, f"jalverify {' '.join(args)} printed nothing; stderr: {out.stderr}"
    return json.loads(out.stdout)


class Page(HTMLParser):
    """Every element's tag, attributes and text (its own and its children's)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[dict[str, Any]] = []
        self._open: list[dict[str, Any]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()["tag"] == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element["text"] += data

    def cells(self, **attrs: str) -> list[dict[str, Any]]:
        return [e for e in self.elements if all(e["attrs"].get(k) == v for k, v in attrs.items())]

    def probability(self, row: str, player: str, action: str) -> str:
        found = self.cells(**{"data-row": row, "data-player": player, "data-action": action})
        assert len(found) == 1, (row, player, action, found)
        return found[0]["text"].strip()

    def marked(self) -> list[dict[str, Any]]:
        return [e for e in self.elements if e["attrs"].get("data-mark") == "1"]


def check_html(text: str) -> Page:
    assert "<script" not in text.lower()
    assert "http" not in text.lower()
    return Page(text)


def check_repr(result: Any) -> str:
    text = repr(result)
    assert "\n" not in text
    assert "Fraction(" not in text and "array(" not in text
    assert len(text) < 300, text
    return text


def check_latex(text: str, expect_fraction: bool) -> None:
    for rule in ("\\toprule", "\\midrule", "\\bottomrule"):
        assert rule in text
    assert ("\\tfrac{" in text) is expect_fraction
    assert "Fraction(" not in text


def payoff_cell(game: Any, joint: tuple[int, ...]) -> str:
    """The text of the payoff cell of ``joint`` (two-player games): the payoffs ``a, b`` as fractions."""
    return ", ".join(str(Fraction(game.payoffs[(i, *joint)])) for i in range(game.n_players))


# ----------------------------------------------------------------------------------------------------------------
# Nash
# ----------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["chicken", "matching_pennies", "degenerate_3x2", "battle_of_the_sexes"])
def test_nash_all_matches_cli_and_shows_every_equilibrium(name: str) -> None:
    game = catalog.load(name)
    result = nash_solve(game, method="vertex_enumeration", field="exact")
    assert result.to_dict() == cli_json("solve", f"catalog:{name}", "--concept", "nash", "--all")
    check_repr(result)
    assert f"{len(result.equilibria)} equilibri" in repr(result)
    page = check_html(result._repr_html_())
    for k, eq in enumerate(result.equilibria):
        for i, player in enumerate(game.players):
            for a, action in enumerate(game.actions[i]):
                assert page.probability(f"[{k}]", player, action) == str(eq.distributions[i][a])
    # the marked cells are exactly the pure equilibria's, and each shows that cell's payoffs
    pure = {tuple(int(d.tolist().index(1)) for d in eq.distributions) for eq in result.equilibria if eq.is_pure()}
    marked = page.marked()
    assert len(marked) == len(pure)
    assert sorted(m["text"] for m in marked) == sorted(payoff_cell(game, j) for j in pure)
    assert all("pure Nash equilibrium" in m["attrs"]["title"] for m in marked)
    assert "proven exactly" in page.elements[0]["text"]
    mixed = any(not eq.is_pure() for eq in result.equilibria)
    check_latex(result.to_latex(), expect_fraction=mixed)


def test_lemke_howson_and_pure_and_n_player_match_cli() -> None:
    chicken = catalog.load("chicken")
    assert lemke_howson_solve(chicken, labels=[0]).to_dict() == cli_json("solve", "catalog:chicken", "--concept",
                                                                          "nash")
    stag = catalog.load("stag_hunt")
    pure = pure_nash_solve(stag)
    assert pure.to_dict() == cli_json("solve", "catalog:stag_hunt", "--concept", "pure-nash")
    assert pure.to_dict()["concept"] == "pure-nash"
    three = catalog.load("three_player_matching_pennies")
    result = nash_solve(three, method="auto")
    assert result.to_dict() == cli_json("solve", "catalog:three_player_matching_pennies", "--concept", "nash", "--all")
    page = check_html(result._repr_html_())
    assert page.probability("[0]", three.players[2], three.actions[2][0]) == str(result.equilibria[0].distributions[2][0])
    check_repr(result)


def test_nash_float_says_within_tolerance() -> None:
    game = catalog.load("chicken")
    result = nash_solve(game, method="vertex_enumeration", field="float")
    assert result.to_dict() == cli_json("solve", "catalog:chicken", "--concept", "nash", "--all", "--float")
    page = check_html(result._repr_html_())
    text = page.elements[0]["text"]
    assert "holds within tolerance" in text and "proven exactly" not in text
    assert "float" in repr(result)


def test_to_dict_without_a_game_is_refused() -> None:
    import numpy as np

    from jalverify.errors import InvalidOption

    result = minimax_solve(np.array([[1, -1], [-1, 1]], dtype=object))
    with pytest.raises(InvalidOption, match="pass game="):
        result.to_dict()
    assert result.to_dict(catalog.load("matching_pennies"))["values"] == {"row": "0", "column": "0"}
    check_html(result._repr_html_())  # still shown, with index labels
    check_repr(result)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games_of((2, 3)))
def test_generated_games_nash_matches_cli(game: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "game.json"
        save_game(game, path)
        loaded = read_game(str(path)).game
        result = nash_solve(loaded, method="vertex_enumeration", field="exact")
        assert result.to_dict() == cli_json("solve", str(path), "--concept", "nash", "--all")
    page = check_html(result._repr_html_())
    for k, eq in enumerate(result.equilibria):
        assert page.probability(f"[{k}]", loaded.players[1], loaded.actions[1][2]) == str(eq.distributions[1][2])
    check_repr(result)
    check_latex(result.to_latex(), expect_fraction=any(
        Fraction(p).denominator != 1 for eq in result.equilibria for d in eq.distributions for p in d.tolist()))


# ----------------------------------------------------------------------------------------------------------------
# minimax, CE / CCE, classification
# ----------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["matching_pennies", "rock_paper_scissors"])
def test_minimax_matches_cli(name: str) -> None:
    game = catalog.load(name)
    exact = minimax_solve(game)
    assert exact.to_dict() == cli_json("solve", f"catalog:{name}", "--concept", "minimax")
    assert minimax_solve(game, field="float").to_dict() == cli_json("solve", f"catalog:{name}", "--concept", "minimax",
                                                                     "--float")
    page = check_html(exact._repr_html_())
    for i, strategy in enumerate((exact.row_strategy, exact.column_strategy)):
        for a, action in enumerate(game.actions[i]):
            assert page.probability("optimal", game.players[i], action) == str(strategy[a])
    assert "proven exactly" in page.elements[0]["text"]
    check_repr(exact)
    check_latex(exact.to_latex(), expect_fraction=any(Fraction(p).denominator != 1 for p in exact.row_strategy))


@pytest.mark.parametrize(("args", "kwargs"), [
    (("--concept", "ce"), {"coarse": False, "objective": "utilitarian"}),
    (("--concept", "cce", "--objective", "republican"), {"coarse": True, "objective": "republican"}),
    (("--concept", "ce", "--objective", "libertarian", "--float"),
     {"coarse": False, "objective": "libertarian", "field": "float"}),
    (("--concept", "ce", "--objective", "egalitarian"), {"coarse": False, "objective": "egalitarian"}),
])
def test_correlated_matches_cli_and_marks_the_support(args: tuple[str, ...], kwargs: dict[str, Any]) -> None:
    game = catalog.load("chicken")
    result = correlated_solve(game, **kwargs)
    assert result.to_dict() == cli_json("solve", "catalog:chicken", *args)
    page = check_html(result._repr_html_())
    check_repr(result)
    if result.distribution is not None:
        dist = result.distribution.distribution
        support = [j for j in game.joint_actions() if dist[j] != 0]
        marked = page.marked()
        assert sorted(m["text"] for m in marked) == sorted(payoff_cell(game, j) for j in support)
        assert sorted(m["attrs"]["title"] for m in marked) == sorted(f"probability {dist[j]}" for j in support)
        latex = result.to_latex()
        check_latex(latex, expect_fraction=any(Fraction(dist[j]).denominator != 1 for j in support))
    words = "proven exactly" if result.field.exact else "holds within tolerance"
    assert words in page.elements[0]["text"]


@pytest.mark.parametrize("name", ["stag_hunt", "matching_pennies", "prisoners_dilemma"])
def test_classification_matches_cli(name: str) -> None:
    game = catalog.load(name)
    result = classify_stage_game(game)
    assert result.to_dict() == cli_json("classify", f"catalog:{name}")
    page = check_html(result._repr_html_())
    pure = {tuple(int(d.tolist().index(1)) for d in p.distributions)
            for p in result.saddle_points + result.global_optima if p.is_pure()}
    assert len(page.marked()) == len(pure)
    check_repr(result)


# ----------------------------------------------------------------------------------------------------------------
# stochastic games
# ----------------------------------------------------------------------------------------------------------------
def test_stochastic_minimax_matches_cli() -> None:
    game = read_game(str(TURN_BASED)).game
    exact = zero_sum_policy_iteration(game, field="exact")
    assert exact.to_dict() == cli_json("solve", str(TURN_BASED), "--concept", "minimax")
    page = check_html(exact._repr_html_())
    assert "proven exactly" in page.elements[0]["text"]
    cells = [e["text"] for e in page.elements if e["tag"] == "td"]
    assert str(exact.V[0][0]) in cells
    check_repr(exact)
    approx = shapley_value_iteration(game, field="float")
    assert approx.to_dict() == cli_json("solve", str(TURN_BASED), "--concept", "minimax", "--float")
    text = check_html(approx._repr_html_()).elements[0]["text"]
    assert "holds within tolerance" in text or "not established" in text
    assert "proven exactly" not in text
    check_repr(approx)


def test_policy_values_match_cli(tmp_path: Path) -> None:
    game = catalog.load("nosde")
    (tmp_path / "policy.json").write_text(json.dumps(NOSDE_POLICY))
    policy = StationaryPolicy(game, NOSDE_POLICY)
    for field, extra in (("exact", ()), ("float", ("--float",))):
        values = evaluate_policy(game, policy, field=field)
        assert values.to_dict() == cli_json("evaluate", "catalog:nosde", "--policy", str(tmp_path / "policy.json"),
                                            *extra)
        page = check_html(values._repr_html_())
        check_repr(values)
    exact = evaluate_policy(game, policy)
    page = check_html(exact._repr_html_())
    cells = [e["text"] for e in page.elements if e["tag"] == "td"]
    assert str(exact.V[0, 0]) in cells and str(exact.V[1, 1]) in cells


def test_exploitability_best_response_and_general_sum_display() -> None:
    game = catalog.load("nosde")
    policy = StationaryPolicy(game, NOSDE_POLICY)
    ex = exploitability(game, policy)
    doc = ex.to_dict()
    assert doc["nash_conv"] == str(ex.nash_conv)
    assert json.loads(json.dumps(doc)) == doc
    page = check_html(ex._repr_html_())
    assert "proven exactly" in page.elements[0]["text"]
    check_repr(ex)
    for br in ex.best_responses:
        check_repr(br)
        assert br.to_dict()["max_gain"] == str(br.max_gain)
        check_html(br._repr_html_())
    gs = general_sum_value_iteration(game, CorrelatedStageSolver(), max_iterations=30)
    text = check_repr(gs)
    assert len(text) < 200
    d = gs.to_dict()
    assert json.loads(json.dumps(d)) == d and d["status"] == gs.status.value
    check_html(gs._repr_html_())


def test_selection_display() -> None:
    game = catalog.load("chicken")
    chosen = select_equilibrium(list(nash_solve(game).equilibria))
    doc = chosen.to_dict()
    profile = chosen.candidate.profile
    assert doc["strategies"]["row"] == {a: str(p) for a, p in zip(game.actions[0], profile.distributions[0].tolist())}
    page = check_html(chosen._repr_html_())
    assert page.probability(f"[{chosen.index}]", "row", "swerve") == str(profile.distributions[0][1])
    check_repr(chosen)
