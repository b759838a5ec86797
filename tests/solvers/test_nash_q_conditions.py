"""Nash-Q stage conditions (Hu & Wellman 2003): global optima and saddle points, decided exactly."""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, strategies as st

from jalverify.errors import InvalidGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile, expected_payoffs, is_nash
from jalverify.solvers.nash_q_conditions import (
    classify_stage_game,
    global_optima,
    is_global_optimum,
    is_saddle_point,
)
from jalverify.strategies import bimatrix_games as general_bimatrix_games, zero_sum_games

STAG = NormalFormGame.bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]])
CHICKEN = NormalFormGame.bimatrix([[0, 7], [2, 6]], [[0, 2], [7, 6]])
BOS = NormalFormGame.bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
PENNIES = NormalFormGame.zero_sum([[1, -1], [-1, 1]])
COMMON = NormalFormGame.bimatrix([[5, 1], [0, 2]], [[5, 1], [0, 2]])


def test_stag_hunt_has_both_with_different_payoffs():
    c = classify_stage_game(STAG)
    assert c.kind == "both" and c.complete and c.saddle_decided
    assert [p.distributions[0].tolist() for p in c.global_optima] == [[1, 0]]
    assert c.global_payoffs == (4, 4) and c.saddle_payoffs == (3, 3)
    assert len(c.saddle_points) == 1 and c.saddle_points[0].supports() == ((1,), (1,))


@pytest.mark.parametrize("game", [CHICKEN, BOS], ids=["chicken", "battle-of-the-sexes"])
def test_chicken_and_bos_have_neither(game):
    c = classify_stage_game(game)
    assert c.kind == "neither" and c.complete and c.saddle_decided
    assert c.global_optima == () and c.saddle_points == ()


def test_common_payoff_unique_maximum_is_global_optimum():
    c = classify_stage_game(COMMON)
    assert c.kind in ("global_optimum", "both")
    assert len(c.global_optima) == 1 and c.global_optima[0].supports() == ((0,), (0,))
    assert is_global_optimum(COMMON, c.global_optima[0])


def test_matching_pennies_saddle_point_is_the_equilibrium():
    c = classify_stage_game(PENNIES)
    assert c.kind == "saddle_point" and c.complete
    assert len(c.saddle_points) == 1
    assert [d.tolist() for d in c.saddle_points[0].distributions] == [[F(1, 2)] * 2, [F(1, 2)] * 2]


def test_one_player_game():
    game = NormalFormGame(np.array([[3, 1, 3]]))
    c = classify_stage_game(game)
    assert c.kind == "both" and len(c.global_optima) == 2 and c.complete


def test_three_player_pure_saddle_found():
    # every player gets 1 at (0,0,0), and deviations by others can only raise it: a pure saddle point
    P = np.zeros((3, 2, 2, 2), dtype=int)
    P[:, 0, 0, 0] = 1
    P[0, 0, :, :] += np.array([[0, 2], [2, 2]])
    P[1, :, 0, :] += np.array([[0, 2], [2, 2]])
    P[2, :, :, 0] += np.array([[0, 2], [2, 2]])
    game = NormalFormGame(P)
    c = classify_stage_game(game)
    assert any(s.supports() == ((0,), (0,), (0,)) for s in c.saddle_points)
    assert c.saddle_decided


def test_three_player_without_saddle_is_not_claimed_complete():
    game = NormalFormGame(np.arange(24).reshape(3, 2, 2, 2) % 5)
    c = classify_stage_game(game)
    if not c.saddle_decided:
        assert not c.saddle_points and not c.complete
    if not c.complete:
        assert "unique maximin" not in c.method


def test_float_game_refused():
    with pytest.raises(InvalidGame, match="exact"):
        classify_stage_game(NormalFormGame.bimatrix([[1.0]], [[1.0]], field="float"))


def bimatrix_games(max_side=3, low=-2, high=2):
    """The library's bimatrix games or zero-sum games (A, -A), 1..max_side actions each, entries in [low, high]."""
    shape = {"actions": st.integers(1, max_side), "payoffs": (low, high)}
    return st.one_of(zero_sum_games(**shape), general_bimatrix_games(**shape))


@given(bimatrix_games())
def test_reported_points_satisfy_the_definitions(game):
    c = classify_stage_game(game)
    for g in c.global_optima:
        assert is_global_optimum(game, g) and is_nash(game, g)
    for s in c.saddle_points:
        assert is_saddle_point(game, s)
        assert tuple(expected_payoffs(game, s).tolist()) == c.saddle_payoffs
    # all pure saddle points are listed (pure strategies are vertices of X and Y)
    listed = {s.supports() for s in c.saddle_points if s.is_pure()}
    for joint in game.joint_actions():
        if is_saddle_point(game, MixedProfile.pure(game, joint)):
            assert tuple((a,) for a in joint) in listed
    if game.is_zero_sum():
        assert c.saddle_points and c.kind in ("saddle_point", "both")


@given(bimatrix_games(max_side=2))
def test_saddle_existence_against_grid_search(game):
    c = classify_stage_game(game)
    grid = [F(i, 6) for i in range(7)]
    k, l = game.n_actions

    def dists(size):
        if size == 1:
            yield [F(1)]
        else:
            for p in grid:
                yield [p, 1 - p]

    found = any(is_saddle_point(game, MixedProfile(game, [np.array(x, dtype=object), np.array(y, dtype=object)]))
                for x in dists(k) for y in dists(l))
    if found:
        assert c.saddle_points
    # convex combinations of listed saddle points (X × Y is a product of polytopes) are saddle points
    if len(c.saddle_points) >= 2:
        a, b = c.saddle_points[0], c.saddle_points[-1]
        mid = MixedProfile(game, [(a.distributions[i] + b.distributions[i]) / 2 for i in range(2)])
        assert is_saddle_point(game, mid)


@given(st.integers(1, 3), st.integers(1, 3), st.data())
def test_global_optimum_iff_common_maximiser(k, l, data):
    A = np.array(data.draw(st.lists(st.integers(0, 2), min_size=k * l, max_size=k * l))).reshape(k, l)
    B = np.array(data.draw(st.lists(st.integers(0, 2), min_size=k * l, max_size=k * l))).reshape(k, l)
    game = NormalFormGame.bimatrix(A, B)
    expected = [(i, j) for i, j in itertools.product(range(k), range(l)) if A[i, j] == A.max() and B[i, j] == B.max()]
    assert list(global_optima(game)) == expected
    assert (classify_stage_game(game).global_payoffs is not None) == bool(expected)


def test_three_player_matching_pennies_complete_by_unique_maximin():
    # player i wins 1 if its coin matches the next player's, loses 1 otherwise: every maximin strategy against
    # the coalition of the others is uniform, so the single candidate decides the question.  All-equal coins
    # give everyone 1: a global optimum with payoffs (1,1,1) besides the saddle point with payoffs (0,0,0)
    P = np.zeros((3, 2, 2, 2), dtype=int)
    for a in itertools.product(range(2), repeat=3):
        for i in range(3):
            P[(i, *a)] = 1 if a[i] == a[(i + 1) % 3] else -1
    c = classify_stage_game(NormalFormGame(P))
    assert c.complete and c.saddle_decided
    assert c.kind == "both" and c.global_payoffs == (1, 1, 1) and c.saddle_payoffs == (0, 0, 0)
    assert [[d.tolist() for d in s.distributions] for s in c.saddle_points] == [[[F(1, 2)] * 2] * 3]
