"""Markdown and text tables of games (the ones counterexample reports and ``jalverify show`` print): every payoff,
reward and transition sits in the cell a reader looks in, as an exact fraction."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from jalverify.games.catalog import document
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.tables import (
    game_table_markdown,
    number_text,
    payoff_table_markdown,
    state_rows,
    stochastic_game_markdown,
    stochastic_game_text,
)
from jalverify.strategies.normal_form import normal_form_games


def _tables(markdown: str) -> list[list[list[str]]]:
    """The Markdown tables of ``markdown`` as lists of rows of cells (separator rows dropped)."""
    tables, current = [], None
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            if set(line.replace("|", "").strip()) <= {"-"}:
                continue
            if current is None:
                current = []
                tables.append(current)
            current.append(cells)
        else:
            current = None
    return tables


def test_prisoners_dilemma_markdown_is_the_bimatrix() -> None:
    game = document("prisoners_dilemma").game
    assert _tables(payoff_table_markdown(game)) == [[
        ["row \\ column", "cooperate", "defect"],
        ["cooperate", "3, 3", "0, 5"],
        ["defect", "5, 0", "1, 1"],
    ]]


@given(normal_form_games(players=st.integers(2, 3), actions=st.integers(1, 3)))
def test_every_payoff_is_in_its_markdown_cell(game: NormalFormGame) -> None:
    tables = _tables(payoff_table_markdown(game))
    slices = max(1, game.n_joint_actions // (game.n_actions[0] * game.n_actions[1]))
    assert len(tables) == slices
    for k, joint in enumerate(game.joint_actions()):
        rest = joint[2:]
        index = 0
        for j, a in enumerate(rest):  # slices run over players 3..n in row-major order
            index = index * game.n_actions[2 + j] + a
        cell = tables[index][1 + joint[0]][1 + joint[1]]
        assert cell == ", ".join(number_text(game.payoffs[(i,) + joint]) for i in range(game.n_players)), k


def test_three_player_markdown_names_each_slice() -> None:
    text = payoff_table_markdown(document("three_player_matching_pennies").game)
    assert "**player3 = heads**" in text and "**player3 = tails**" in text


def test_nosde_markdown_has_rewards_and_next_states_per_state() -> None:
    game = document("nosde").game
    text = stochastic_game_markdown(game)
    assert "γ = 3/4" in text and "**State s1**" in text and "**State s2**" in text
    assert _tables(text) == [
        [["joint action", "R_agent1", "R_agent2", "next state"], ["(keep, noop)", "1", "0", "s1 1"],
         ["(send, noop)", "0", "3", "s2 1"]],
        [["joint action", "R_agent1", "R_agent2", "next state"], ["(noop, keep)", "3", "1", "s2 1"],
         ["(noop, send)", "0", "0", "s1 1"]],
    ]
    assert game_table_markdown(game) == text


def test_soccer_rows_have_fractional_transitions_and_the_text_is_cut() -> None:
    game = document("soccer").game
    s = next(s for s in range(game.n_states) if not game.terminal[s])
    rows = state_rows(game, s)
    assert len(rows) == 25 and all(len(r) == 2 + game.n_players for r in rows)
    probabilities = [Fraction(part.split()[-1]) for r in rows for part in r[-1].split(", ")]
    assert Fraction(1, 2) in probabilities and all(0 < p <= 1 for p in probabilities)
    text = stochastic_game_text(game, max_states=2)
    assert text.count("state ") == 2 and f"... and {game.n_states - 2} more states" in text


def test_number_text_writes_fractions_and_short_floats() -> None:
    assert number_text(Fraction(-7, 2)) == "-7/2" and number_text(3) == "3"
    assert number_text(0.1 + 0.2) == "0.3" and number_text(0.0) == "0"
