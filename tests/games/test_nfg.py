"""Gambit .nfg files: the documented examples, errors with line/column, exact round trips."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalverify.errors import InvalidFile
from jalverify.games import NormalFormGame, catalog
from jalverify.games.formats import dump_nfg, load_nfg, parse_nfg, save_nfg
from jalverify.games.formats.nfg import gambit_order

# The example game of Gambit's format documentation (Selten 1975, Figure 2, normal form): 3 x 2.
SELTEN_PAYOFF = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"
{ "Player 1" "Player 2" } { 3 2 }

1 1 0 2 0 2 1 1 0 3 2 0
"""

SELTEN_OUTCOME = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" }

{
{ "1" "2" "3" }
{ "1" "2" }
}
""

{
{ "" 1, 1 }
{ "" 0, 2 }
{ "" 0, 2 }
{ "" 1, 1 }
{ "" 0, 3 }
{ "" 2, 0 }
}
1 2 3 4 5 6
"""


def test_gambit_order_varies_the_first_player_fastest():
    assert list(gambit_order((3, 2))) == [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1)]
    assert list(gambit_order((2, 1, 2)))[:3] == [(0, 0, 0), (1, 0, 0), (0, 0, 1)]


def test_the_documented_example_reads_the_same_in_both_versions():
    a = parse_nfg(SELTEN_PAYOFF)
    b = parse_nfg(SELTEN_OUTCOME)
    assert a == b
    assert a.name == "Selten (IJGT, 75), Figure 2, normal form"
    assert a.players == ("Player 1", "Player 2") and a.actions == (("1", "2", "3"), ("1", "2"))
    # contingency (1,1) -> (1,1); (2,1) -> (0,2); (3,1) -> (0,2); (1,2) -> (1,1); (2,2) -> (0,3); (3,2) -> (2,0)
    assert a.payoffs[0].tolist() == [[1, 1], [0, 0], [0, 2]]
    assert a.payoffs[1].tolist() == [[1, 1], [2, 3], [2, 0]]


def test_rationals_decimals_commas_escapes_and_null_outcomes():
    text = r'''NFG 1 R "say \"hi\"" { "A" "" }
{ { "x" "" } { "u" } }
"a comment"
{ { "first" 1/2, .80 } { "second" -3 1e2 } }
2 0
'''
    g = parse_nfg(text)
    assert g.name == 'say "hi"' and g.players == ("A", "Player 2") and g.actions == (("x", "2"), ("u",))
    assert g.payoffs[:, 0, 0].tolist() == [-3, 100]
    assert g.payoffs[:, 1, 0].tolist() == [0, 0]  # outcome 0 is the null outcome
    assert parse_nfg('NFG 1 R "" { "p" } { 2 } 1/3 0.25').payoffs[0].tolist() == [Fraction(1, 3), Fraction(1, 4)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('EFG 2 R "" { "p" } { 1 } 0', r"expected 'NFG', got 'EFG'"),
        ('NFG 2 R "" { "p" } { 1 } 0', r"expected version '1', got '2'"),
        ('NFG 1 X "" { "p" } { 1 } 0', r"expected 'R' \(or the obsolete 'D'\), got 'X'"),
        ('NFG 1 R "" { "p" } { 2 } 1', r"unexpected end of file, expected the payoff of player 'p' at contingency \(2,\)"),
        ('NFG 1 R "" { "p" } { 2 } 1 2 3', r"unexpected text after the last payoff: '3'"),
        ('NFG 1 R "" { "p" } { 0 } ', r"expected the number of strategies of player 'p' \(an integer >= 1\), got '0'"),
        ('NFG 1 R "" { "p" } { 1 } abc', r"expected the payoff of player 'p' at contingency \(1,\), got 'abc'"),
        ('NFG 1 R "" { "p" } { 1 } nan', r"expected the payoff of player 'p' at contingency \(1,\), got 'nan'"),
        ('NFG 1 R "" { "p" "p" } { 1 1 } 0 0', r"duplicate player label 'p'"),
        ('NFG 1 R "" { "p" } { { "a" "a" } } { { "" 1 } } 1 1', r"duplicate strategy label 'a'"),
        ('NFG 1 R "" { "p" } { { "a" } } { { "" 1 } } 2', r"outcome index 2 out of range 0..1"),
        ('NFG 1 R "" { "p" } { { "a" } } { { "" 1 2 } } 1', r"expected '}' closing outcome 1 \(exactly 1 payoffs\), got '2'"),
        ('NFG 1 R "" { "p" } { { } } { } ', r"player 'p' has no strategies"),
        ('NFG 1 R "unterminated { "p" }', r"unterminated string"),
        ('NFG 1 R "" { } { } ', r"a game needs at least one player"),
    ],
)
def test_errors_give_line_and_column(text, message):
    # positions are checked exactly in test_error_positions
    with pytest.raises(InvalidFile, match=r"^game\.nfg: (line \d+, column \d+|end of file): " + message):
        parse_nfg(text, source="game.nfg")


def test_error_positions():
    with pytest.raises(InvalidFile, match=r"^g: line 1, column 30: unexpected text after the last payoff: '3'$"):
        parse_nfg('NFG 1 R "" { "p" } { 2 } 1 2 3', source="g")
    with pytest.raises(InvalidFile, match=r"^g: line 2, column 3: expected version '1', got '2'$"):
        parse_nfg('NFG\n  2 R "" { "p" } { 1 } 0', source="g")
    with pytest.raises(InvalidFile, match=r"^g: line 1, column 27: unterminated string$"):
        parse_nfg('NFG 1 R "unterminated { "p" }', source="g")
    with pytest.raises(InvalidFile, match=r"^g: end of file: unexpected end of file"):
        parse_nfg('NFG 1 R "" { "p" } { 2 } 1', source="g")


def test_files(tmp_path):
    g = catalog.load("three_player_matching_pennies")
    path = tmp_path / "jordan.nfg"
    save_nfg(g, path)
    back = load_nfg(path)
    assert back == g and back.name == g.name
    (tmp_path / "bad.nfg").write_text("NFG 1 R")
    with pytest.raises(InvalidFile, match=rf"{tmp_path / 'bad.nfg'}: end of file"):
        load_nfg(tmp_path / "bad.nfg")


def test_payoff_version_loses_only_strategy_labels():
    g = catalog.load("prisoners_dilemma")
    back = parse_nfg(dump_nfg(g, version="payoff"))
    assert back == g.with_names(actions=[["1", "2"], ["1", "2"]])
    with pytest.raises(InvalidFile, match="version must be 'outcome' or 'payoff'"):
        dump_nfg(g, version="table")


def test_float_games_write_shortest_decimals():
    g = NormalFormGame(np.array([[0.1, 2.0]]), field="float")
    text = dump_nfg(g)
    assert "0.1" in text
    assert parse_nfg(text, field="float") == g
    assert parse_nfg(text).payoffs[0, 0] == Fraction(1, 10)


@pytest.mark.parametrize("name", [n for n in catalog.names() if n not in ("nosde", "soccer", "grid_game_1", "grid_game_2")])
def test_every_normal_form_catalog_game_converts_to_nfg_and_back_unchanged(name):
    g = catalog.load(name)
    for version in ("outcome", "payoff"):
        back = parse_nfg(dump_nfg(g, version=version))
        expected = g if version == "outcome" else g.with_names(actions=[[str(k + 1) for k in range(len(a))] for a in g.actions])
        assert back == expected and back.name == g.name


labels = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=5)


@st.composite
def games(draw):
    n = draw(st.integers(1, 3))
    counts = tuple(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    size = n * int(np.prod(counts))
    values = draw(st.lists(st.fractions(min_value=-50, max_value=50, max_denominator=20), min_size=size, max_size=size))
    players = draw(st.lists(labels, min_size=n, max_size=n, unique=True))
    actions = [draw(st.lists(labels, min_size=k, max_size=k, unique=True)) for k in counts]
    name = draw(st.one_of(st.none(), labels))
    return NormalFormGame(np.array(values, dtype=object).reshape((n,) + counts), players, actions, name=name)


@given(games())
def test_nfg_round_trip_is_exact(game):
    text = dump_nfg(game)
    back = parse_nfg(text)
    assert back == game and back.name == game.name
    assert dump_nfg(back) == text


@pytest.mark.peers
def test_pygambit_reads_our_files_with_the_same_payoffs(tmp_path):
    gbt = pytest.importorskip("pygambit")
    g = catalog.load("degenerate_3x2")
    path = tmp_path / "g.nfg"
    save_nfg(g, path)
    read = getattr(gbt, "read_nfg", None) or gbt.Game.read_game
    theirs = read(str(path))
    assert [len(p.strategies) for p in theirs.players] == list(g.n_actions)
    for joint in np.ndindex(*g.n_actions):
        outcome = theirs[joint]
        for i, player in enumerate(theirs.players):
            assert Fraction(str(outcome[player])) == g.payoffs[(i,) + joint]
