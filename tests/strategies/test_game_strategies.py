"""The strategies generate valid objects of the requested kind, accept values or strategies, and shrink small."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame
from jalverify.strategies import (
    bimatrix_games,
    common_payoff_games,
    correlated_profiles,
    degenerate_games,
    is_nondegenerate_bimatrix,
    mixed_profiles,
    nondegenerate_games,
    normal_form_games,
    stationary_policies,
    stochastic_games,
    symmetric_games,
    turn_based_games,
    zero_sum_games,
    zero_sum_stochastic_games,
)


def _exact_entries(game: NormalFormGame) -> bool:
    return all(isinstance(v, Fraction) for v in game.payoffs.reshape(-1))


@given(zero_sum_games())
def test_zero_sum_games_are_zero_sum_and_exact(game):
    assert game.n_players == 2 and game.is_zero_sum() and _exact_entries(game)


@given(common_payoff_games(players=st.integers(1, 3)))
def test_common_payoff_games_are_common_payoff(game):
    assert game.is_common_payoff()


@given(symmetric_games(players=st.integers(2, 3), actions=st.integers(1, 3)))
def test_symmetric_games_are_symmetric(game):
    assert game.is_symmetric()


@given(bimatrix_games(actions=3))
def test_actions_accepts_a_value(game):
    assert game.n_actions == (3, 3)


@given(normal_form_games(players=st.just(3), actions=[1, 2, 3]))
def test_actions_accepts_a_sequence_and_players_a_strategy(game):
    assert game.n_actions == (1, 2, 3)


@given(normal_form_games(field="float"))
def test_float_field(game):
    assert game.field.name == "float" and game.payoffs.dtype == np.float64


@given(normal_form_games(payoffs=(-1, 1)))
def test_payoff_range(game):
    assert all(-1 <= v <= 1 for v in game.payoffs.reshape(-1))


def _pure_tie_witness(game: NormalFormGame) -> bool:
    """Some pure strategy of one player has at least two pure best responses of the other."""
    A, B = np.asarray(game.payoffs[0]), np.asarray(game.payoffs[1])
    for c in range(A.shape[1]):
        col = A[:, c].tolist()
        if col.count(max(col)) >= 2:
            return True
    for r in range(B.shape[0]):
        row = B[r].tolist()
        if row.count(max(row)) >= 2:
            return True
    return False


@given(degenerate_games())
def test_degenerate_games_are_degenerate(game):
    from jalverify.solvers.nash import is_degenerate

    assert _pure_tie_witness(game)
    assert is_degenerate(game)


@settings(suppress_health_check=list(HealthCheck))
@given(nondegenerate_games())
def test_nondegenerate_games_are_nondegenerate(game):
    from jalverify.solvers.nash import is_degenerate

    assert is_nondegenerate_bimatrix(game)
    assert not is_degenerate(game)


def test_nondegeneracy_test_rejects_ties():
    assert not is_nondegenerate_bimatrix(NormalFormGame.bimatrix([[1, 0], [1, 2]], [[0, 1], [1, 0]]))
    assert is_nondegenerate_bimatrix(NormalFormGame.bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]]))


@given(stochastic_games())
def test_stochastic_games_are_valid(game):
    assert isinstance(game, StochasticGame) and game.field.exact
    for s in range(game.n_states):
        assert all(sum(row) == 1 for row in np.asarray(game.transitions[s]).reshape(-1, game.n_states).tolist())


@given(zero_sum_stochastic_games())
def test_zero_sum_stochastic_games_are_zero_sum(game):
    assert game.is_zero_sum()


@given(turn_based_games())
def test_turn_based_games_are_turn_based_and_zero_sum(game):
    assert game.is_turn_based() and game.is_zero_sum()


@given(turn_based_games(players=3, zero_sum=False))
def test_general_turn_based_games(game):
    assert game.is_turn_based() and game.n_players == 3


@given(st.data())
def test_profiles_and_policies_belong_to_their_game(data):
    game = data.draw(bimatrix_games())
    profile = data.draw(mixed_profiles(game))
    assert profile.game is game and all(sum(d) == 1 for d in profile.distributions)
    joint = data.draw(correlated_profiles(game))
    assert joint.distribution.sum() == 1
    sgame = data.draw(stochastic_games())
    policy = data.draw(stationary_policies(sgame))
    assert policy.game is sgame
    det = data.draw(stationary_policies(sgame, deterministic=True))
    assert det.is_deterministic()


@given(mixed_profiles(zero_sum_games(field="float")))
def test_float_profiles(profile):
    assert profile.game.field.name == "float"


@given(st.from_type(NormalFormGame), st.from_type(StochasticGame))
def test_type_strategies_are_registered(game, sgame):
    assert isinstance(game, NormalFormGame) and isinstance(sgame, StochasticGame)


def test_failures_shrink_to_small_games():
    # "a game with some nonzero payoff and at least two rows" shrinks to a 2×1 game with a single entry ±1
    game = find(normal_form_games(), lambda g: g.n_actions[0] >= 2 and any(v != 0 for v in g.payoffs.reshape(-1)),
                settings=settings(database=None, max_examples=500))
    assert game.n_actions == (2, 1)
    assert sorted(abs(v) for v in game.payoffs.reshape(-1)) == [0, 0, 0, 1]


def test_profiles_shrink_toward_point_masses():
    game = NormalFormGame.zero_sum([[1, 2], [3, 4]])
    profile = find(mixed_profiles(game), lambda p: True, settings=settings(database=None))
    assert [d.tolist() for d in profile.distributions] == [[1, 0], [1, 0]]


@pytest.mark.parametrize("factory", [zero_sum_games, bimatrix_games, degenerate_games])
def test_exact_games_hold_fractions(factory):
    game = find(factory(), lambda g: True, settings=settings(database=None))
    assert _exact_entries(game)
