"""Known answers from the literature for the Nash solvers (exact field)."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from jalverify.errors import GameTooLarge, InvalidNumber, SolverError, UnknownName, UnsupportedGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile, is_nash
from jalverify.solvers.nash import (
    METHODS,
    NashStatus,
    degeneracy_witness,
    epsilon_nash_check,
    equilibrium_components,
    is_degenerate,
    lemke_howson_solve,
    nash_solve,
    pure_nash_solve,
    support_enumeration_n_solve,
    support_enumeration_solve,
    vertex_enumeration_solve,
)
from jalverify.solvers.nash.result import certify_profiles
from jalverify.verdicts import Status


def eq_set(result):
    return {tuple(tuple(d.tolist()) for d in e.distributions) for e in result.equilibria}


def point(*dists):
    return tuple(tuple(F(p) for p in d) for d in dists)


RPS = NormalFormGame.zero_sum([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], name="rock-paper-scissors")
BOS = NormalFormGame.bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]], name="battle of the sexes")
PENNIES = NormalFormGame.zero_sum([[1, -1], [-1, 1]], name="matching pennies")
PD = NormalFormGame.bimatrix([[-1, -5], [0, -3]], [[-1, 0], [-5, -3]], name="prisoner's dilemma")
# von Stengel (2002), Handbook of Game Theory vol. 3, ch. 45, §2: the 3×2 example game and its degenerate variant
VS = NormalFormGame.bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
VS_DEGENERATE = NormalFormGame.bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])

TWO_PLAYER_EXACT = ["vertex_enumeration", "support_enumeration", "support_enumeration_n"]


@pytest.mark.parametrize("method", TWO_PLAYER_EXACT)
def test_rock_paper_scissors_unique_uniform(method):
    result = nash_solve(RPS, method=method)
    third = F(1, 3)
    assert eq_set(result) == {point([third] * 3, [third] * 3)}
    assert result.certificates == (F(0),)
    assert result.complete and result.status is NashStatus.COMPLETE


@pytest.mark.parametrize("method", TWO_PLAYER_EXACT)
def test_battle_of_the_sexes_three_equilibria(method):
    result = nash_solve(BOS, method=method)
    assert eq_set(result) == {
        point([1, 0], [1, 0]),
        point([0, 1], [0, 1]),
        point([F(2, 3), F(1, 3)], [F(1, 3), F(2, 3)]),
    }
    assert all(c == 0 for c in result.certificates)


@pytest.mark.parametrize("method", TWO_PLAYER_EXACT + ["lemke_howson"])
def test_matching_pennies(method):
    assert eq_set(nash_solve(PENNIES, method=method)) == {point([F(1, 2)] * 2, [F(1, 2)] * 2)}


@pytest.mark.parametrize("method", METHODS)
def test_prisoners_dilemma_unique_defect(method):
    assert eq_set(nash_solve(PD, method=method)) == {point([0, 1], [0, 1])}


def test_von_stengel_3x2_three_equilibria():
    expected = {
        point([1, 0, 0], [1, 0]),
        point([F(4, 5), F(1, 5), 0], [F(2, 3), F(1, 3)]),
        point([0, F(1, 3), F(2, 3)], [F(1, 3), F(2, 3)]),
    }
    assert eq_set(vertex_enumeration_solve(VS)) == expected
    assert eq_set(support_enumeration_solve(VS)) == expected
    assert not is_degenerate(VS)
    lh = lemke_howson_solve(VS)
    assert eq_set(lh) <= expected and lh.complete is False and lh.status is NashStatus.PARTIAL


def test_von_stengel_degenerate_variant_has_a_segment():
    result = vertex_enumeration_solve(VS_DEGENERATE)
    assert eq_set(result) == {
        point([1, 0, 0], [1, 0]),
        point([1, 0, 0], [F(2, 3), F(1, 3)]),
        point([0, F(1, 3), F(2, 3)], [F(1, 3), F(2, 3)]),
    }
    assert is_degenerate(VS_DEGENERATE)
    witness = degeneracy_witness(VS_DEGENERATE)
    assert len(witness.best_responses) > len(witness.support)
    segments = [c for c in result.components if not c.is_isolated]
    assert len(result.components) == 2 and len(segments) == 1
    (subset,) = segments[0].nash_subsets
    assert [list(x) for x in subset.row_strategies] == [[1, 0, 0]]
    assert sorted(tuple(y) for y in subset.column_strategies) == [(F(2, 3), F(1, 3)), (F(1), F(0))]
    # every point of the segment is an equilibrium, exactly
    for t in (F(0), F(1, 7), F(1, 2), F(1)):
        y = t * subset.column_strategies[0] + (1 - t) * subset.column_strategies[1]
        assert is_nash(VS_DEGENERATE, MixedProfile(VS_DEGENERATE, [subset.row_strategies[0], y]))
    # a point just outside the segment is not
    assert not is_nash(VS_DEGENERATE, MixedProfile(VS_DEGENERATE, [[1, 0, 0], [F(2, 3) - F(1, 100), F(1, 3) + F(1, 100)]]))


def test_equal_size_supports_flag_degenerate_game_as_partial():
    result = support_enumeration_solve(VS_DEGENERATE)
    assert result.status is NashStatus.PARTIAL and not result.complete
    assert "degenerate" in result.notes[0]
    assert eq_set(result) <= eq_set(vertex_enumeration_solve(VS_DEGENERATE))
    full = support_enumeration_solve(VS_DEGENERATE, supports="all")
    assert full.complete and eq_set(full) == eq_set(vertex_enumeration_solve(VS_DEGENERATE))


def test_dominant_row_with_indifferent_column_is_one_continuum():
    game = NormalFormGame.bimatrix([[1, 1], [0, 0]], [[1, 1], [0, 0]])
    result = vertex_enumeration_solve(game)
    assert eq_set(result) == {point([1, 0], [1, 0]), point([1, 0], [0, 1])}
    (component,) = result.components
    (subset,) = component.nash_subsets
    assert len(subset.row_strategies) == 1 and len(subset.column_strategies) == 2
    assert not component.is_isolated
    assert equilibrium_components(result)[0].nash_subsets[0].column_indices == subset.column_indices


def test_zero_game_is_the_whole_square():
    game = NormalFormGame.bimatrix([[0, 0], [0, 0]], [[0, 0], [0, 0]])
    result = vertex_enumeration_solve(game)
    assert len(result) == 4
    (component,) = result.components
    (subset,) = component.nash_subsets
    assert len(subset.row_strategies) == 2 and len(subset.column_strategies) == 2


def test_two_nash_subsets_in_one_component():
    # rows tie against column 0; column 1 is dominated for the column player unless row 1 ...
    game = NormalFormGame.bimatrix([[1, 0], [1, 1]], [[1, 0], [1, 1]])
    result = vertex_enumeration_solve(game)
    # equilibria: row 1 with any y; any x with column 0
    assert eq_set(result) == {point([1, 0], [1, 0]), point([0, 1], [1, 0]), point([0, 1], [0, 1])}
    (component,) = result.components
    assert len(component.nash_subsets) == 2


def test_pure_nash_n_players_coordination():
    payoffs = np.zeros((3, 2, 2, 2), dtype=int)
    payoffs[:, 0, 0, 0] = 1
    payoffs[:, 1, 1, 1] = 1
    game = NormalFormGame(payoffs)
    result = pure_nash_solve(game)
    assert eq_set(result) == {point([1, 0], [1, 0], [1, 0]), point([0, 1], [0, 1], [0, 1])}
    assert result.complete is False and result.status is NashStatus.COMPLETE


def test_support_enumeration_n_three_player_coordination():
    payoffs = np.zeros((3, 2, 2, 2), dtype=int)
    payoffs[:, 0, 0, 0] = 1
    payoffs[:, 1, 1, 1] = 1
    game = NormalFormGame(payoffs)
    result = support_enumeration_n_solve(game)
    half = [F(1, 2), F(1, 2)]
    found = eq_set(result)
    assert point([1, 0], [1, 0], [1, 0]) in found and point([0, 1], [0, 1], [0, 1]) in found
    assert point(half, half, half) in found
    assert all(c == 0 for c in result.certificates)


def test_support_enumeration_n_jordan_cyclic_pennies_unique_uniform():
    # Jordan (1993): p0 matches p1, p1 matches p2, p2 mismatches p0; unique equilibrium, all uniform
    payoffs = np.zeros((3, 2, 2, 2), dtype=int)
    for a0 in range(2):
        for a1 in range(2):
            for a2 in range(2):
                payoffs[0, a0, a1, a2] = 1 if a0 == a1 else -1
                payoffs[1, a0, a1, a2] = 1 if a1 == a2 else -1
                payoffs[2, a0, a1, a2] = 1 if a2 != a0 else -1
    result = support_enumeration_n_solve(NormalFormGame(payoffs))
    half = [F(1, 2), F(1, 2)]
    assert eq_set(result) == {point(half, half, half)}
    assert result.status is NashStatus.COMPLETE and result.complete


def test_support_enumeration_n_irrational_equilibrium_is_reported_exactly():
    # a 2×2×2 game whose fully mixed equilibrium involves sqrt(814) (found by search, verified exactly below),
    # besides two rational equilibria
    import sympy

    payoffs = np.array([[[[2, -3], [-2, -2]], [[-2, 2], [3, 1]]],
                        [[[-3, -3], [-1, 0]], [[1, 0], [-2, -2]]],
                        [[[1, 2], [-3, -3]], [[0, -1], [3, 0]]]])
    result = support_enumeration_n_solve(NormalFormGame(payoffs))
    assert result.status is NashStatus.IRRATIONAL and result.complete
    assert eq_set(result) == {point([F(1, 2), F(1, 2)], [1, 0], [F(5, 9), F(4, 9)]),
                              point([F(3, 5), F(2, 5)], [F(5, 9), F(4, 9)], [1, 0])}
    (alg,) = result.algebraic_equilibria
    r = sympy.sqrt(814)
    assert sympy.simplify(alg.distributions[2][1] - (r - 15) / 31) == 0
    # exact indifference of every player between her two actions at the algebraic profile
    d = alg.distributions
    for i in range(3):
        gains = []
        for a in range(2):
            total = 0
            for b in range(2):
                for c in range(2):
                    joint = [None, None, None]
                    others = [j for j in range(3) if j != i]
                    joint[i], joint[others[0]], joint[others[1]] = a, b, c
                    total += int(payoffs[i][tuple(joint)]) * d[others[0]][b] * d[others[1]][c]
            gains.append(total)
        assert sympy.simplify(gains[0] - gains[1]) == 0
    for dist in alg.distributions:
        assert sympy.simplify(sum(dist) - 1) == 0
        assert all(sympy.N(p) >= 0 for p in dist)
    assert any(not p.is_Rational for dist in alg.distributions for p in dist)
    float_result = support_enumeration_n_solve(NormalFormGame(payoffs), field="float")
    assert len(float_result) == len(result) + 1 and float_result.tolerance > 0


def test_support_enumeration_n_refuses_large_games():
    game = NormalFormGame(np.zeros((3, 4, 4, 4), dtype=int))
    with pytest.raises(GameTooLarge, match="3375 support profiles"):
        support_enumeration_n_solve(game)


def test_epsilon_nash_check_exact_verdicts():
    profile = MixedProfile(BOS, [[F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)]])
    # row payoffs: action 0 -> 1, action 1 -> 1/2, mixed 3/4: regret 1/4; column likewise
    assert epsilon_nash_check(BOS, profile, "1/4").status is Status.PROVEN
    verdict = epsilon_nash_check(BOS, profile, "1/5")
    assert verdict.status is Status.REFUTED and verdict.witness["max_regret"] == "1/4"
    float_game = BOS.to_field("float")
    float_profile = MixedProfile(float_game, [[0.5, 0.5], [0.5, 0.5]])
    assert epsilon_nash_check(float_game, float_profile, 0.25).status is Status.WITHIN_TOLERANCE
    assert epsilon_nash_check(float_game, float_profile, 0.2).status is Status.REFUTED


def test_float_variants_state_their_tolerance():
    game = BOS.to_field("float")
    for method in ("vertex_enumeration", "support_enumeration", "lemke_howson", "pure"):
        result = nash_solve(game, method=method)
        assert result.tolerance == game.field.atol
        assert all(0 <= c <= result.tolerance for c in result.certificates)
    assert len(nash_solve(game, method="support_enumeration")) == 3


def test_errors_are_typed():
    with pytest.raises(UnknownName):
        nash_solve(BOS, method="simplex")
    with pytest.raises(UnsupportedGame):
        vertex_enumeration_solve(NormalFormGame(np.zeros((3, 2, 2, 2), dtype=int)))
    with pytest.raises(InvalidNumber):
        vertex_enumeration_solve(BOS.to_field("float"), field="exact")


def test_certify_profiles_refuses_a_non_equilibrium():
    bad = MixedProfile(BOS, [[1, 0], [0, 1]])
    with pytest.raises(SolverError, match="max regret 1"):
        certify_profiles(BOS, [bad], method="test", field=BOS.field)


def test_vertex_enumeration_time_limit_is_an_explicit_status():
    rng = np.random.default_rng(11)
    game = NormalFormGame.bimatrix(rng.integers(-9, 10, (9, 9)).tolist(), rng.integers(-9, 10, (9, 9)).tolist())
    stopped = vertex_enumeration_solve(game, time_limit=0)
    assert stopped.status is NashStatus.TIME_LIMIT and not stopped.complete and stopped.components is None
    assert all(c == 0 for c in stopped.certificates)
    assert eq_set(stopped) <= eq_set(vertex_enumeration_solve(game))
    assert vertex_enumeration_solve(game, time_limit=600).status is NashStatus.COMPLETE


def test_support_enumeration_n_time_limit():
    result = support_enumeration_n_solve(NormalFormGame(np.ones((3, 2, 2, 2), dtype=int)), time_limit=0)
    assert result.status is NashStatus.TIME_LIMIT and not result.complete and len(result) == 0
