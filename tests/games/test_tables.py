"""Payoff tables (text, HTML, LaTeX): the cells hold the game's payoffs where a reader looks for them."""

from __future__ import annotations

import re
from fractions import Fraction
from html.parser import HTMLParser

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from jalverify.games.catalog import document
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.tables import payoff_slices, payoff_table_html, payoff_table_latex, payoff_table_text
from jalverify.strategies.normal_form import normal_form_games


def test_chicken_text_table_is_the_bimatrix_of_aumann() -> None:
    game = document("chicken").game
    assert payoff_table_text(game) == (
        "payoffs (row, column); rows: row, columns: column:\n"
        "            straight  swerve\n"
        "  straight  0, 0      7, 2\n"
        "  swerve    2, 7      6, 6\n")


@given(normal_form_games(players=st.integers(1, 3), actions=st.integers(1, 3)))
def test_every_joint_action_is_in_exactly_one_cell(game: NormalFormGame) -> None:
    slices = payoff_slices(game)
    rest_shape = game.n_actions[2:]
    assert len(slices) == int(np.prod(rest_shape)) if rest_shape else len(slices) == 1
    seen = 0
    for z, piece in enumerate(slices):
        rest = np.unravel_index(z, rest_shape) if rest_shape else ()
        assert piece.row_labels == list(game.actions[0])
        for r, row in enumerate(piece.cells):
            for c, cell in enumerate(row):
                joint = (r,) if game.n_players == 1 else (r, c) + tuple(int(i) for i in rest)
                assert cell == tuple(game.payoffs[(i,) + joint] for i in range(game.n_players))
                seen += 1
    assert seen == game.n_joint_actions


def _game(payoffs: list[list[list[object]]], name: str, actions: list[list[str]]) -> NormalFormGame:
    return NormalFormGame(np.array(payoffs, dtype=object), ["row & co", "col_1"], actions, name=name)


TRICKY = _game([[[Fraction(1, 2), Fraction(-7, 3)], [0, 1]], [[Fraction(-1, 2), Fraction(7, 3)], [0, -1]]],
               "<script>alert(1)</script> 50% $x_1$", [["up_{1}", "down#"], ["<b>", "~^\\"]])


def test_latex_uses_booktabs_fractions_and_escapes_labels() -> None:
    latex = TRICKY.to_latex()
    assert latex == payoff_table_latex(TRICKY)
    for rule in ("\\toprule", "\\midrule", "\\bottomrule", "\\begin{tabular}{lcc}", "\\end{tabular}"):
        assert latex.count(rule) == 1, rule
    assert "$\\tfrac{1}{2}, -\\tfrac{1}{2}$" in latex and "$-\\tfrac{7}{3}, \\tfrac{7}{3}$" in latex
    assert "row \\& co $\\backslash$ col\\_1" in latex
    assert "up\\_\\{1\\}" in latex and "down\\#" in latex and "\\textasciitilde{}\\textasciicircum{}\\textbackslash{}" in latex
    text_only = re.sub(r"\\[a-zA-Z]+|\\[&_#{}$%]", "", latex)
    assert text_only.count("{") == text_only.count("}")  # every group closed
    assert latex.count("\\\\") == 1 + 2  # header and two rows


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.cells: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_cell = tag == "td"
        if tag == "td":
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.cells[-1] += data


def test_html_escapes_names_and_holds_one_table_per_slice() -> None:
    page = TRICKY._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;" in page
    assert "http" not in page and "<img" not in page  # nothing fetched when opened
    parser = _Cells()
    parser.feed(page)
    assert parser.tags.count("table") == 1 and "script" not in parser.tags
    assert parser.cells == ["1/2, -1/2", "-7/3, 7/3", "0, 0", "1, -1"]
    three = document("three_player_matching_pennies").game
    parser = _Cells()
    parser.feed(payoff_table_html(three))
    assert parser.tags.count("table") == 2 and parser.tags.count("caption") == 2
    assert len(parser.cells) == three.n_joint_actions


def test_three_player_text_has_one_titled_table_per_slice() -> None:
    three = document("three_player_matching_pennies").game
    text = payoff_table_text(three)
    titles = [line.strip() for line in text.splitlines() if line.strip().endswith(":") and "=" in line]
    assert titles == [f"{three.players[2]} = {a}:" for a in three.actions[2]]
    assert "{" not in text and "array(" not in text


def test_stochastic_game_html_lists_rewards_and_next_states_per_state() -> None:
    from jalverify.games.tables import MAX_HTML_STATES

    game = document("nosde").game
    parser = _Cells()
    parser.feed(game._repr_html_())
    live = [s for s in range(game.n_states) if not game.terminal[s]]
    assert parser.tags.count("table") == len(live)
    expected: list[str] = []
    for s in live:
        rewards = game.expected_rewards(s)
        for joint in game.joint_actions(s):
            expected += [str(Fraction(rewards[(i,) + joint])) for i in range(game.n_players)]
            expected.append(", ".join(f"{game.states[t]} {Fraction(p)}"
                                      for t, p in enumerate(game.transitions[s][joint]) if p != 0))
    assert parser.cells == expected
    soccer = document("soccer").game
    page = soccer._repr_html_()
    assert page.count("<table") == MAX_HTML_STATES - sum(soccer.terminal[:MAX_HTML_STATES])
    assert f"… and {soccer.n_states - MAX_HTML_STATES} more states" in page
