"""The shrinker of stochastic-game cases: fewer players, states and actions, simpler rewards, valid games."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jalverify.games.stochastic import StationaryPolicy
from jalverify.solvers.evaluation import evaluate_policy
from jalverify.strategies import stationary_policies, stochastic_games
from jalverify.strategies.shrink_stochastic import shrink_stochastic_case


def _rewards_of(game, player):
    return [Fraction(v) for s in range(game.n_states) if not game.terminal[s]
            for v in np.asarray(game.rewards[s][player], dtype=object).reshape(-1).tolist()]


@settings(max_examples=15, deadline=None, database=None)
@given(stochastic_games(players=st.integers(2, 3), states=st.integers(2, 3), actions=st.just(2))
       .flatmap(lambda g: st.tuples(st.just(g), stationary_policies(g))))
def test_shrinks_to_one_player_one_state_one_action_when_that_still_fails(case):
    def fails(c):
        return any(r != 0 for r in _rewards_of(c[0], 0))

    if not fails(case):
        return
    (game, policy), calls = shrink_stochastic_case(case, fails)
    assert fails((game, policy)) and calls <= 150
    assert game.n_players == 1 and game.n_states == 1 and game.n_actions(0) == (1,)
    assert _rewards_of(game, 0) in ([Fraction(1)], [Fraction(-1)])
    assert isinstance(policy, StationaryPolicy) and policy.game is game
    evaluate_policy(game, policy, field="exact")  # a valid game and policy: exact evaluation runs


@settings(max_examples=10, deadline=None, database=None)
@given(stochastic_games(players=st.just(2), states=st.integers(2, 3), actions=st.just(2)))
def test_the_domain_is_respected_and_extra_arguments_are_kept(game):
    def fails(c):
        return c[1] == 7  # always true: shrink as far as the domain allows

    (small, seed), _ = shrink_stochastic_case((game, 7), fails, admissible=lambda c: c[0].n_players == 2)
    assert seed == 7 and small.n_players == 2
    live = [s for s in range(small.n_states) if not small.terminal[s]]
    assert len(live) == 1 and small.n_actions(live[0]) == (1, 1)
