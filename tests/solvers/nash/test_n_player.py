"""Properties of the n-player solvers: pure equilibria, exact support enumeration, epsilon check."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jalverify.games.profiles import max_regret
from jalverify.solvers.nash import (
    NashStatus,
    epsilon_nash_check,
    is_degenerate,
    pure_nash_solve,
    support_enumeration_n_solve,
    vertex_enumeration_solve,
)
from jalverify.strategies import normal_form_games
from jalverify.verdicts import Status


def eq_set(result):
    return {tuple(tuple(d.tolist()) for d in e.distributions) for e in result.equilibria}


def small_games(players=(2, 3), max_actions=2):
    """The library's normal-form games with a player count from ``players``, 1..max_actions actions, payoffs in
    [-3, 3]."""
    return normal_form_games(players=st.sampled_from(players), actions=st.integers(1, max_actions), payoffs=(-3, 3))


@settings(max_examples=15)
@given(small_games())
def test_nash_n_support_enumeration_sound_and_contains_pure(game):
    result = support_enumeration_n_solve(game)
    assert all(max_regret(game, e) == 0 for e in result.equilibria)
    assert eq_set(pure_nash_solve(game)) <= eq_set(result)
    if result.status is NashStatus.PARTIAL:
        assert not result.complete and result.notes[1:]


@settings(max_examples=15)
@given(small_games(players=(2,), max_actions=3))
def test_nash_n_support_enumeration_matches_vertex_enumeration_when_complete(game):
    result = support_enumeration_n_solve(game)
    extreme = eq_set(vertex_enumeration_solve(game))
    assert eq_set(result) <= extreme
    if not is_degenerate(game):
        # nondegenerate bimatrix games: finitely many equilibria, all rational, all found
        assert result.status is NashStatus.COMPLETE and eq_set(result) == extreme


@given(small_games(players=(2, 3, 4)))
def test_nash_pure_is_exactly_the_zero_regret_pure_profiles(game):
    from jalverify.games.profiles import MixedProfile

    found = eq_set(pure_nash_solve(game))
    for joint in game.joint_actions():
        profile = MixedProfile.pure(game, joint)
        key = tuple(tuple(d.tolist()) for d in profile.distributions)
        assert (key in found) == (max_regret(game, profile) == 0)


@given(small_games(players=(2, 3)), st.fractions(0, 3))
def test_nash_epsilon_check_agrees_with_exact_regret(game, eps):
    from jalverify.games.profiles import MixedProfile

    profile = MixedProfile(game, [[1] + [0] * (k - 1) for k in game.n_actions])
    verdict = epsilon_nash_check(game, profile, eps)
    assert verdict.status is (Status.PROVEN if max_regret(game, profile) <= eps else Status.REFUTED)
