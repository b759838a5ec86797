"""Hoffman–Karp policy iteration for exact zero-sum values, certified by V = val(Γ(V)) exactly."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalverify.errors import UnsupportedGame
from jalverify.games.stochastic import StationaryPolicy, StochasticGame
from jalverify.numbers import FLOAT
from jalverify.solvers.best_response import best_response, nash_conv
from jalverify.solvers.value_iteration import shapley_value_iteration
from jalverify.solvers.zero_sum_policy_iteration import ZeroSumPolicyIterationStatus, zero_sum_policy_iteration
from jalverify.strategies import turn_based_games, zero_sum_stochastic_games


def zero_sum_games(max_states=4, max_actions=3, turn_based=True):
    """The library's two-player zero-sum games (R_1 = -R_0 by construction; turn-based: one mover per state) with
    rewards in [-3, 3], transition weights up to 4 and γ ∈ {0, 1/2, 3/4, 9/10}."""
    shape = {"states": st.integers(1, max_states), "actions": st.integers(1, max_actions), "rewards": (-3, 3),
             "gamma": st.sampled_from([F(0), F(1, 2), F(3, 4), F(9, 10)]), "max_transition_weight": 4}
    return turn_based_games(zero_sum=True, **shape) if turn_based else zero_sum_stochastic_games(**shape)


def sup_norm(a, b):
    return max(abs(x - y) for x, y in zip(list(a), list(b)))


def brute_force_value(game):
    """max over the maximiser's pure stationary strategies of the minimiser's best reply, per state."""
    best = None
    for choice in itertools.product(*[range(game.n_actions(s)[0]) for s in range(game.n_states)]):
        dists = []
        for s, b in enumerate(choice):
            x = [F(0)] * game.n_actions(s)[0]
            x[b] = F(1)
            y = [F(1)] + [F(0)] * (game.n_actions(s)[1] - 1)
            dists.append([x, y])
        V = [-v for v in best_response(game, StationaryPolicy(game, dists), 1).values]
        best = V if best is None else [max(a, b) for a, b in zip(best, V)]
    return best


def test_turn_based_known_answer():
    """s1 (max): a → s1 with reward 1, b → s2; s2 (min): c → s2 with reward 3 (to max) or d → s1.
    With γ = 3/4, max keeps a forever: V(s1) = 4; min sends back: V(s2) = 3/4·4 = 3."""
    game = StochasticGame(["max", "min"], ["s1", "s2"], [[["a", "b"], ["none"]], [["none"], ["c", "d"]]],
                          [{("a", "none"): {"s1": 1}, ("b", "none"): {"s2": 1}},
                           {("none", "c"): {"s2": 1}, ("none", "d"): {"s1": 1}}],
                          [[[[1], [0]], [[-1], [0]]], [[[3, 0]], [[-3, 0]]]], F(3, 4))
    res = zero_sum_policy_iteration(game)
    assert res.status is ZeroSumPolicyIterationStatus.EXACT_FIXED_POINT and res.certified
    assert res.V[0].tolist() == [4, 3]
    assert res.policy.distributions[0][0].tolist() == [1, 0] and res.policy.distributions[1][1].tolist() == [0, 1]


def test_matrix_game_value():
    game = StochasticGame(["max", "min"], ["s"], [[["u", "d"], ["l", "r"]]], [np.ones((2, 2, 1), dtype=int).tolist()],
                          [[[[3, -1], [-2, 4]], [[-3, 1], [2, -4]]]], F(1, 2))
    res = zero_sum_policy_iteration(game)
    assert res.certified and res.V[0].tolist() == [2]  # val = 1, 1/(1 - 1/2) = 2


@settings(max_examples=20)
@given(zero_sum_games())
def test_turn_based_values_are_exact_and_certified(game):
    res = zero_sum_policy_iteration(game)
    assert res.status is ZeroSumPolicyIterationStatus.EXACT_FIXED_POINT and res.certified
    assert all(r == 0 for r in res.bellman_residual) and res.error_bound == 0
    assert res.stage_values.tolist() == res.V[0].tolist()
    for s, c in enumerate(res.stage_certificates):
        assert c.exact and c.verify(np.asarray(res.Q[s][0])) and c.value == res.V[0, s]
    assert all(isinstance(v, F) for v in res.V.reshape(-1))
    if np.prod([game.n_actions(s)[0] for s in range(game.n_states)]) <= 27:
        assert res.V[0].tolist() == brute_force_value(game)
    # the optimal stationary pair is an equilibrium: NashConv exactly 0
    assert nash_conv(game, res.policy) == 0


@settings(max_examples=10)
@given(zero_sum_games(max_states=3, max_actions=2, turn_based=False))
def test_simultaneous_games_never_claim_without_certificate(game):
    res = zero_sum_policy_iteration(game, max_iterations=6)
    if res.status is ZeroSumPolicyIterationStatus.EXACT_FIXED_POINT:
        assert res.certified and all(r == 0 for r in res.bellman_residual)
        assert nash_conv(game, res.policy) == 0
    else:
        assert not res.certified and res.error_bound > 0
    vi = shapley_value_iteration(game, field=FLOAT, tol=1e-10)
    assert np.allclose(vi.V[0], res.V[0].astype(float), atol=float(res.error_bound) + 1e-8)


@settings(max_examples=10)
@given(zero_sum_games(max_states=3))
def test_exact_and_float_agree(game):
    exact = zero_sum_policy_iteration(game)
    flo = zero_sum_policy_iteration(game, field=FLOAT)
    assert flo.status is ZeroSumPolicyIterationStatus.CONVERGED and not flo.certified
    assert np.allclose(exact.V.astype(float), flo.V, atol=1e-7)


def test_irrational_value_is_not_claimed(irrational_game):
    game = irrational_game
    res = zero_sum_policy_iteration(game, max_iterations=5)
    assert res.status is ZeroSumPolicyIterationStatus.ITERATION_LIMIT and not res.certified
    v = 2 - math.sqrt(2)
    assert res.V[0, 0] <= F(v) + F(1, 10**12)  # a lower bound (guaranteed by the maximiser's strategy)
    assert abs(float(res.V[0, 0]) - v) <= float(res.error_bound) + 1e-12
    assert res.bellman_residual[0] != 0


def test_non_zero_sum_refused():
    game = StochasticGame(["a", "b"], ["s"], [[["x"], ["y"]]], [[[[1]]]], [[[[1]], [[1]]]], F(1, 2))
    with pytest.raises(UnsupportedGame):
        zero_sum_policy_iteration(game)
