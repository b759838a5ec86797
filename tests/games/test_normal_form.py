"""NormalFormGame: validation errors (message text), predicates, restriction, fields."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from jalverify.errors import InvalidGame, InvalidNumber, UnknownName
from jalverify.games import NormalFormGame
from jalverify.numbers import EXACT, FLOAT

PD_A = [[3, 0], [5, 1]]
PD_B = [[3, 5], [0, 1]]


def test_payoffs_are_exact_fractions_and_read_only():
    g = NormalFormGame.bimatrix(PD_A, [["1/2", "0.1"], [0, 1]])
    assert g.payoffs[1, 0, 1] == Fraction(1, 10) and isinstance(g.payoffs[0, 0, 0], Fraction)
    with pytest.raises(ValueError):
        g.payoffs[0, 0, 0] = 7


@pytest.mark.parametrize(
    ("payoffs", "kwargs", "message"),
    [
        ([1, 2], {}, r"payoffs must have shape \(n_players, \|A_0\|, ..., \|A_n-1\|\), got shape \(2,\)"),
        ([[[1, 2]], [[1, 2, 3]]], {}, r"per-player payoff arrays have different shapes \[\(1, 2\), \(1, 3\)\]"),
        ([[[1, 2], [3, 4]]], {}, r"1 players need payoff arrays with 1 action axes, got shape \(2, 2\)"),
        (np.zeros((2, 0, 2), dtype=int), {}, r"player 0 has no actions \(shape \(2, 0, 2\)\)"),
        ([PD_A, PD_B], {"players": ["me", "me"]}, r"duplicate player name 'me'"),
        ([PD_A, PD_B], {"players": ["me"]}, r"1 player names for 2 players: \['me'\]"),
        ([PD_A, PD_B], {"players": ["me", ""]}, r"player name #1 must be a non-empty string, got ''"),
        ([PD_A, PD_B], {"actions": [["C", "D"]]}, r"action names given for 1 players, the game has 2"),
        ([PD_A, PD_B], {"actions": [["C", "D"], ["C", "C"]]}, r"duplicate action name 'C'"),
        ([PD_A, PD_B], {"actions": [["C", "D"], ["C", "D", "E"]]},
         r"player 'p1' has 3 action names but the payoff array has 2 actions on axis 1"),
        ("abc", {}, r"payoffs must be an array or a list of per-player arrays, got str"),
    ],
)
def test_invalid_games_are_refused_with_a_message_naming_the_value(payoffs, kwargs, message):
    with pytest.raises(InvalidGame, match=message):
        NormalFormGame(payoffs, **kwargs)


def test_bad_numbers_name_the_index():
    with pytest.raises(InvalidNumber, match=r"payoffs\[1, 0, 1\]: float 0\.5 refused in the exact field"):
        NormalFormGame([PD_A, [[3, 0.5], [0, 1]]])
    with pytest.raises(InvalidNumber, match=r"payoffs\[0, 1, 1\]: cannot read 'x'"):
        NormalFormGame([[[3, 0], [5, "x"]], PD_B])
    with pytest.raises(InvalidNumber, match="float payoffs refused in the exact field"):
        NormalFormGame(np.ones((2, 2, 2)))
    with pytest.raises(InvalidNumber, match=r"nan is not a finite number"):
        NormalFormGame(np.array([[1.0, np.nan]]), field="float")


def test_floats_are_accepted_when_allowed_and_in_the_float_field():
    g = NormalFormGame(np.full((1, 2), 0.5), allow_float=True)
    assert g.payoffs[0, 1] == Fraction(1, 2)
    f = NormalFormGame(np.full((1, 2), 0.1), field="float")
    assert f.field == FLOAT and f.payoffs.dtype == np.float64


def test_constructors_check_shapes():
    with pytest.raises(InvalidGame, match=r"A must be a matrix, got shape \(3,\)"):
        NormalFormGame.zero_sum([1, 2, 3])
    with pytest.raises(InvalidGame, match=r"A and B must be matrices of one shape, got \(2, 2\) and \(2, 3\)"):
        NormalFormGame.bimatrix(PD_A, [[1, 2, 3], [4, 5, 6]])


def test_names_and_lookups():
    g = NormalFormGame.bimatrix(PD_A, PD_B, players=["row", "col"], actions=[["C", "D"], ["C", "D"]])
    assert g.payoff("row", ["D", "C"]) == 5 and g.payoff(1, [0, 1]) == 5
    with pytest.raises(UnknownName, match=r"unknown player 'x'; players are \['row', 'col'\]"):
        g.player_index("x")
    with pytest.raises(UnknownName, match=r"unknown action 'E' of player 'col'; actions are \['C', 'D'\]"):
        g.action_index("col", "E")
    with pytest.raises(UnknownName, match=r"action index 2 of player 'row' out of range 0..1"):
        g.action_index(0, 2)
    with pytest.raises(UnknownName, match=r"player index 5 out of range 0..1"):
        g.player_index(5)
    with pytest.raises(UnknownName, match=r"has 1 components, the game has 2 players"):
        g.joint_index(["C"])


def test_default_names():
    g = NormalFormGame([[[1, 2, 3]], [[0, 0, 0]]])
    assert g.players == ("p0", "p1") and g.actions == (("a0",), ("a0", "a1", "a2"))
    assert g.n_actions == (1, 3) and g.n_joint_actions == 3


def test_one_player_game():
    g = NormalFormGame([[4, 7]])
    assert g.n_players == 1 and g.n_actions == (2,) and g.is_symmetric()
    assert not g.is_constant_sum() and not g.is_zero_sum()
    assert NormalFormGame([[0, 0]]).is_zero_sum()


@pytest.mark.parametrize(
    ("A", "B", "zero", "constant", "common", "symmetric"),
    [
        ([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]], True, True, False, True),
        ([[2, 1], [0, 3]], [[0, 1], [2, -1]], False, True, False, False),
        ([[1, 0], [0, 1]], [[1, 0], [0, 1]], False, False, True, True),
        (PD_A, PD_B, False, False, False, True),
        ([[2, 0], [0, 1]], [[1, 0], [0, 2]], False, False, False, False),
    ],
)
def test_predicates(A, B, zero, constant, common, symmetric):
    g = NormalFormGame.bimatrix(A, B)
    assert (g.is_zero_sum(), g.is_constant_sum(), g.is_common_payoff(), g.is_symmetric()) == (
        zero, constant, common, symmetric)


def test_symmetric_requires_equal_action_counts():
    assert not NormalFormGame.bimatrix([[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]]).is_symmetric()


def test_three_player_symmetry_checks_every_transposition():
    # payoff = number of other players choosing the same action: symmetric
    P = np.zeros((3, 2, 2, 2), dtype=int)
    for a in np.ndindex(2, 2, 2):
        for i in range(3):
            P[(i,) + a] = sum(1 for j in range(3) if j != i and a[j] == a[i])
    assert NormalFormGame(P).is_symmetric()
    P[0, 1, 0, 0] += 1  # break it for player 0 only
    assert not NormalFormGame(P).is_symmetric()


def test_float_predicates_use_the_tolerance():
    g = NormalFormGame(np.array([[[1.0, 2.0]], [[-1.0, -2.0 + 1e-12]]]), field="float")
    assert g.is_zero_sum()
    assert not NormalFormGame(np.array([[[1.0, 2.0]], [[-1.0, -2.0 + 1e-6]]]), field="float").is_zero_sum()


def test_restrict_keeps_names_and_order():
    g = NormalFormGame.zero_sum([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], actions=[list("RPS")] * 2)
    sub = g.restrict([["S", "R"], ["P"]])
    assert sub.actions == (("S", "R"), ("P",))
    assert sub.payoffs[0].tolist() == [[1], [-1]]
    with pytest.raises(InvalidGame, match=r"empty support for player 'p0'"):
        g.restrict([[], ["P"]])
    with pytest.raises(InvalidGame, match=r"repeated action in support \['R', 'R'\] of player 'p0'"):
        g.restrict([["R", "R"], ["P"]])
    with pytest.raises(InvalidGame, match="1 supports for 2 players"):
        g.restrict([["R"]])


def test_field_conversion():
    g = NormalFormGame.bimatrix([["1/3", 0], [0, 1]], PD_B)
    f = g.to_field("float")
    assert f.payoffs[0, 0, 0] == pytest.approx(1 / 3) and f.field == FLOAT
    with pytest.raises(InvalidNumber, match="needs allow_float=True"):
        f.to_field("exact")
    back = f.to_field(EXACT, allow_float=True)
    assert back.payoffs[0, 0, 0] == Fraction(1 / 3)
    assert g.to_field("exact") is g


def test_equality_and_hash():
    a = NormalFormGame.bimatrix(PD_A, PD_B)
    b = NormalFormGame.bimatrix([["3", 0], [5, "1.0"]], PD_B)
    assert a == b and hash(a) == hash(b)
    assert a != NormalFormGame.bimatrix(PD_A, PD_A)
    assert a != a.with_names(players=["x", "y"])
    assert "2 players 2×2 exact" in repr(a)
