"""Shapley value iteration (book Algorithm 6) and general-sum value iteration with pluggable stage solvers."""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalverify.errors import InvalidGame, SolverError, UnsupportedGame
from jalverify.games.stochastic import StochasticGame
from jalverify.numbers import FLOAT
from jalverify.solvers.general_sum_value_iteration import GeneralSumStatus, general_sum_value_iteration
from jalverify.solvers.stage import CorrelatedStageSolver, MinimaxStageSolver, StageSolution, StageSolver
from jalverify.solvers.value_iteration import ValueIterationStatus, shapley_value_iteration
from jalverify.solvers.zero_sum_policy_iteration import zero_sum_policy_iteration
from jalverify.strategies import turn_based_games, zero_sum_stochastic_games


def zero_sum_games(max_states=4, max_actions=3, turn_based=True):
    """The library's two-player zero-sum games (R_1 = -R_0 by construction; turn-based: one mover per state) with
    rewards in [-3, 3], transition weights up to 4 and γ ∈ {0, 1/2, 3/4, 9/10}."""
    shape = {"states": st.integers(1, max_states), "actions": st.integers(1, max_actions), "rewards": (-3, 3),
             "gamma": st.sampled_from([F(0), F(1, 2), F(3, 4), F(9, 10)]), "max_transition_weight": 4}
    return turn_based_games(zero_sum=True, **shape) if turn_based else zero_sum_stochastic_games(**shape)


def sup_norm(a, b):
    return max(abs(x - y) for x, y in zip(list(a), list(b)))


def matrix_game(A, gamma):
    k, l = len(A), len(A[0])
    acts = [[[f"r{i}" for i in range(k)], [f"c{j}" for j in range(l)]]]
    trans = [np.ones((k, l, 1), dtype=int).tolist()]
    return StochasticGame(["max", "min"], ["s"], acts, trans, [[A, [[-x for x in row] for row in A]]], gamma)


def test_one_state_matrix_game_value_and_exact_iterates():
    """Γ_s(V) = A + γV: V_k = val(A)(1 - γ^k)/(1 - γ) exactly; val([[3,-1],[-2,4]]) = 1."""
    gamma = F(1, 2)
    game = matrix_game([[3, -1], [-2, 4]], gamma)
    res = shapley_value_iteration(game, record_history=True, tol=0, max_iterations=12)
    assert res.status is ValueIterationStatus.ITERATION_LIMIT  # tol = 0 is never met by a geometric series
    for k, Vk in enumerate(res.history):
        assert Vk.tolist() == [(1 - gamma**k) / (1 - gamma)]
    assert res.policies.distributions[0][0].tolist() == [F(3, 5), F(2, 5)]
    done = shapley_value_iteration(game, tol=F(1, 1000))
    assert done.status is ValueIterationStatus.CONVERGED and done.error_bound <= F(1, 1000)
    assert abs(done.V[0, 0] - 2) <= done.error_bound


def test_irrational_value_is_approximated_within_the_bound(irrational_game):
    game = irrational_game
    res = shapley_value_iteration(game, field=FLOAT, tol=1e-10)
    assert res.status is ValueIterationStatus.CONVERGED
    assert abs(res.V[0, 0] - (2 - math.sqrt(2))) <= res.error_bound + 1e-12
    assert res.V[0, 1] == 0.0


@settings(max_examples=15)
@given(zero_sum_games(max_states=3, max_actions=2))
def test_contraction_bound_at_every_iteration_turn_based(game):
    exact = zero_sum_policy_iteration(game)
    assert exact.certified
    Vstar = exact.V[0].tolist()
    res = shapley_value_iteration(game, record_history=True, max_iterations=10, tol=0)
    base = sup_norm(res.history[0], Vstar)
    for k, Vk in enumerate(res.history):
        assert sup_norm(Vk, Vstar) <= game.gamma**k * base
    # the a-posteriori bound: ||V_{k+1} - V*|| <= γ/(1-γ) ||V_{k+1} - V_k||
    for k in range(1, len(res.history)):
        gap = sup_norm(res.history[k], res.history[k - 1])
        assert sup_norm(res.history[k], Vstar) <= game.gamma / (1 - game.gamma) * gap
    assert sup_norm(res.V[0], Vstar) <= res.error_bound


@settings(max_examples=10)
@given(zero_sum_games(max_states=3, max_actions=2, turn_based=False))
def test_exact_and_float_value_iteration_agree(game):
    exact = shapley_value_iteration(game, max_iterations=6, tol=0)
    flo = shapley_value_iteration(game, field=FLOAT, max_iterations=6, tol=0)
    assert flo.field == FLOAT and exact.iterations == flo.iterations  # γ = 0 stops after one backup
    assert np.allclose(exact.V.astype(float), flo.V, atol=1e-7)


def test_iteration_limit_is_reported(irrational_game):
    res = shapley_value_iteration(irrational_game, max_iterations=3)
    assert res.status is ValueIterationStatus.ITERATION_LIMIT and res.iterations == 3 and res.error_bound > 0


def test_non_zero_sum_and_bad_input_are_refused():
    game = StochasticGame(["a", "b"], ["s"], [[["x"], ["y"]]], [[[[1]]]], [[[[1]], [[1]]]], F(1, 2))
    with pytest.raises(UnsupportedGame, match="not zero-sum"):
        shapley_value_iteration(game)
    one = StochasticGame(["a"], ["s"], [[["x"]]], [[[1]]], [[[1]]], F(1, 2))
    with pytest.raises(UnsupportedGame, match="two-player"):
        shapley_value_iteration(one)
    with pytest.raises(InvalidGame, match="V0"):
        shapley_value_iteration(matrix_game([[1]], F(1, 2)), V0=[0, 0, 0])


# ---------------------------------------------------------------------------------------------------------
# general-sum value iteration
# ---------------------------------------------------------------------------------------------------------
@settings(max_examples=10)
@given(zero_sum_games(max_states=3, max_actions=2, turn_based=False))
def test_general_sum_iteration_with_minimax_equals_shapley(game):
    solver = MinimaxStageSolver()
    assert isinstance(solver, StageSolver)
    a = general_sum_value_iteration(game, solver, max_iterations=5, tol=0, record_history=True)
    b = shapley_value_iteration(game, max_iterations=5, tol=0, record_history=True)
    # (the stopping rules differ: Shapley's uses the contraction bound, so compare the common prefix)
    m = min(len(a.history), len(b.history))
    assert m >= 2
    assert [h[0].tolist() for h in a.history[:m]] == [h.tolist() for h in b.history[:m]]


def team_optimum(stage):
    """Stage solver for common-payoff games: the first joint action maximising the common payoff."""
    R = stage.payoffs[0]
    flat = R.reshape(-1).tolist()
    idx = np.unravel_index(flat.index(max(flat)), R.shape)
    joint = stage.field.zeros(R.shape)
    joint[idx] = stage.field.one
    return joint, [R[idx]] * stage.n_players


def test_team_game_reaches_exact_fixed_point():
    """Common payoffs, γ = 1/2, deterministic: stay in s earning 1 forever (value 2) vs move to t earning 3
    once then 0 forever: 3 > 2, so V(s) = 3; value iteration reaches the exact fixed point."""
    game = StochasticGame(["a", "b"], ["s", "t"], [[["stay", "go"], ["x"]], [["x"], ["x"]]],
                          [{("stay", "x"): {"s": 1}, ("go", "x"): {"t": 1}}, {("x", "x"): {"t": 1}}],
                          [[[[1], [3]], [[1], [3]]], [[[0]], [[0]]]], F(1, 2))
    res = general_sum_value_iteration(game, team_optimum)
    assert res.status is GeneralSumStatus.EXACT_FIXED_POINT
    assert res.V.tolist() == [[3, 0], [3, 0]]
    assert res.policy.joint_distribution(0).tolist() == [[0], [1]]


def test_cycling_is_reported_as_cycle():
    class Alternating:
        """A stage solver that alternates between two pure joint actions: the iterates are periodic."""

        def __init__(self):
            self.calls = 0

        def __call__(self, stage):
            self.calls += 1
            joint = stage.field.zeros(stage.n_actions)
            idx = (self.calls % 2, 0)
            joint[idx] = 1
            return StageSolution(joint, stage.payoffs[(slice(None),) + idx].copy(), "alternating")

    game = StochasticGame(["a", "b"], ["s"], [[["u", "d"], ["l"]]], [[[[1]], [[1]]]], [[[[1], [2]], [[0], [0]]]], F(0))
    res = general_sum_value_iteration(game, Alternating())
    assert res.status is GeneralSumStatus.CYCLE and res.cycle_length == 2


def test_lying_stage_solver_is_caught():
    def liar(stage):
        joint = stage.field.zeros(stage.n_actions)
        joint[(0,) * stage.n_players] = 1
        return joint, [100] * stage.n_players

    game = matrix_game([[1, 2], [3, 4]], F(1, 2))
    with pytest.raises(SolverError, match="claimed value 100"):
        general_sum_value_iteration(game, liar)

    def not_a_distribution(stage):
        return stage.field.zeros(stage.n_actions), [0, 0]

    with pytest.raises(SolverError, match="not a probability distribution"):
        general_sum_value_iteration(game, not_a_distribution)


def test_iteration_limit_for_general_sum():
    res = general_sum_value_iteration(matrix_game([[1, 0], [0, 1]], F(9, 10)), MinimaxStageSolver(), max_iterations=3)
    assert res.status is GeneralSumStatus.ITERATION_LIMIT and res.iterations == 3


def ce_stage_solver(stage):
    """Utilitarian correlated equilibrium of the stage game (exact, certified by jalverify.solvers.correlated)."""
    from jalverify.solvers.correlated import correlated_solve

    res = correlated_solve(stage, objective="utilitarian", field=stage.field)
    return res.distribution.distribution, list(res.payoffs)


@settings(max_examples=10)
@given(zero_sum_games(max_states=2, max_actions=2, turn_based=False))
def test_reported_values_describe_the_returned_policy(game):
    """Whatever the status, ||V - V^π|| <= γ/(1-γ) ||V_{k+1} - V_k|| for the returned policy π (CE stage solver,
    general-sum use of a zero-sum game's rewards plus an offset to break the zero-sum structure)."""
    from jalverify.solvers.evaluation import evaluate_policy

    shifted = game.with_rewards([R + np.array([1, 0], dtype=object).reshape((2,) + (1,) * (R.ndim - 1))
                                 for R in game.rewards])
    solver = ce_stage_solver if game.n_states == 1 else CorrelatedStageSolver("egalitarian")
    res = general_sum_value_iteration(shifted, solver, max_iterations=8, tol=0)
    assert res.status in (GeneralSumStatus.EXACT_FIXED_POINT, GeneralSumStatus.ITERATION_LIMIT,
                          GeneralSumStatus.CYCLE)
    Vpi = evaluate_policy(shifted, res.policy).V
    gap = max(abs(a - b) for a, b in zip(res.V.reshape(-1), Vpi.reshape(-1)))
    assert gap <= res.policy_error_bound
    if res.status is GeneralSumStatus.EXACT_FIXED_POINT:
        assert gap == 0


def test_correlated_stage_solver_refuses_libertarian():
    with pytest.raises(UnsupportedGame, match="libertarian"):
        CorrelatedStageSolver("libertarian")
