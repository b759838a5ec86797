"""Nash-Q on common-payoff games (team Q-learning; Hu & Wellman 2003, theory.md §4): the exact team-optimal Q*,
the exact fixed point of the operator, the global-optimum fast path, and the honesty of the finite-run claim
(regressions for the spurious "REFUTED" of ``nash_q.learning_converges_common_payoff``)."""

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalverify.games.profiles import MixedProfile
from jalverify.games.stochastic import StochasticGame
from jalverify.learners import NashConcept, friend_q, nash_q, select_equilibrium
from jalverify.learners.stage import StageSolution
from jalverify.numbers import EXACT, FLOAT
from jalverify.strategies.normal_form import bimatrix_games
from jalverify.strategies.stochastic import stochastic_games
from jalverify.theorems.learning import (
    check_nash_q_common_payoff_convergence,
    common_payoff_version,
    exact_team_q_star,
    visits_for_initial_error,
)
from jalverify.verdicts import Status


def absorbing_penalty_game() -> StochasticGame:
    """The shrunk witness of the old spurious refutation (γ = 1/2): s0 is absorbing with reward −4; in s1 the
    second player chooses between reaching s0 for sure (a1) or with probability 2/3 (a0), both with reward 0.
    By hand: V*(s0) = −8, Q*(s1, a1) = −4, V*(s1) = Q*(s1, a0) = (1/2)(2/3·(−8) + 1/3·V*(s1)) = −16/5."""
    acts = [[["a0"], ["a0"]], [["a0"], ["a0", "a1"]]]
    T = [np.array([[[F(1), F(0)]]], dtype=object), np.array([[[F(2, 3), F(1, 3)], [F(1), F(0)]]], dtype=object)]
    R0 = [np.array([[-4]], dtype=object), np.array([[0, 0]], dtype=object)]
    return StochasticGame(["p0", "p1"], ["s0", "s1"], acts, T, [np.stack([r, r]) for r in R0], F(1, 2),
                          name="absorbing penalty")


def slow_discount_game() -> StochasticGame:
    """A shrunk γ = 9/10 game on which the old budget (100/(1−γ) steps per pair) left |Q − Q*| = 3.7 > 2.5."""
    acts = [[["a0"], ["a0", "a1"]]] * 3
    T = [[[[F(1, 4), 0, F(3, 4)], [F(1, 3), F(2, 3), 0]]],
         [[[F(1, 7), F(2, 7), F(4, 7)], [F(1, 4), F(1, 2), F(1, 4)]]],
         [[[F(1, 3), F(1, 3), F(1, 3)], [0, 1, 0]]]]
    R0 = [np.array([[-1, 5]]), np.array([[3, 1]]), np.array([[5, 2]])]
    return StochasticGame(["p0", "p1"], ["s0", "s1", "s2"], acts, T, [np.stack([r, r]) for r in R0], F(9, 10),
                          name="slow discount")


def test_exact_team_q_star_known_answer():
    q = exact_team_q_star(absorbing_penalty_game())
    assert q[0].tolist() == [[[F(-8)]], [[F(-8)]]]
    assert q[1].tolist() == [[[F(-16, 5), F(-4)]], [[F(-16, 5), F(-4)]]]


@settings(max_examples=10)
@given(stochastic_games(states=st.integers(1, 3), actions=st.integers(1, 2)))
def test_exact_team_q_star_is_the_operator_fixed_point_and_matches_value_iteration(game):
    cp = common_payoff_version(game)
    q = exact_team_q_star(cp)
    # the learner's exact operator (global-optimum Nash stage concept) has it as its exact fixed point
    out = nash_q(cp, require="global_optimum").apply_operator(q, "exact")
    assert all(np.all(np.asarray(a, dtype=object) == b) for a, b in zip(out, q))
    # differential: float value iteration with Friend-Q's max operator (a γ-contraction)
    qf, _, _ = friend_q(cp).iterate_operator(100000, tol=1e-12)
    assert max(float(np.max(np.abs(a - np.asarray(b, dtype=np.float64)))) for a, b in zip(qf, q)) < 1e-9


def test_exact_team_q_star_rejects_general_sum_games():
    from jalverify.errors import InvalidGame

    g = absorbing_penalty_game()
    general = g.with_rewards([np.stack([R[0], R[0] + 1]) for R in g.rewards])
    with pytest.raises(InvalidGame):
        exact_team_q_star(general)


@settings(max_examples=40)
@given(bimatrix_games(actions=st.integers(1, 3), payoffs=(-1, 1)), st.sampled_from(["first", "utilitarian",
                                                                                   "egalitarian"]))
def test_global_optimum_fast_path_equals_selection_among_pure_global_optima(game, rule):
    """The direct path picks exactly what select_equilibrium picks among the pure global optima (differential),
    in both fields; and it is not taken when there is no global optimum."""
    q = np.asarray(game.payoffs, dtype=object)
    tops = [max(q[k].reshape(-1).tolist()) for k in range(2)]
    optima = [a for a in game.joint_actions() if all(q[(k, *a)] == tops[k] for k in range(2))]
    concept = NashConcept(rule, require="global_optimum")
    for field, arr in ((EXACT, q), (FLOAT, q.astype(np.float64))):
        sol = concept.solve(arr, field)
        if not optima:
            assert sol.info["condition_met"] is False
            continue
        pool = [MixedProfile.pure(game, a) for a in optima]
        idx, values = select_equilibrium(game, pool, rule)
        assert sol.info["condition_met"] is True and sol.info["n_candidates"] == len(optima)
        assert [float(v) for v in sol.values] == [float(v) for v in values]
        expected = [np.asarray(d, dtype=np.float64).tolist() for d in pool[idx].distributions]
        assert [np.asarray(m, dtype=np.float64).tolist() for m in sol.marginals] == expected


def test_old_budget_is_not_a_refutation():
    """Regression: 100/(1−γ) steps per pair (600 steps) leave |Q − Q*| = 0.443 > 0.05·8 at the rarely visited
    state s1 (20 visits per joint action); the exact operator has Q* as its fixed point, so this is not
    established, never REFUTED."""
    v = check_nash_q_common_payoff_convergence(absorbing_penalty_game(), steps_per_pair=200)
    assert v.status is Status.NOT_ESTABLISHED, v
    assert "not established" in v.message and v.witness["error"] > 0.05 * v.witness["scale"]
    assert v.witness["steps"] == 600 and v.witness["min_visits_per_pair"] == 20


def test_default_budget_within_tolerance_on_the_small_game():
    v = check_nash_q_common_payoff_convergence(absorbing_penalty_game())
    assert v.status is Status.WITHIN_TOLERANCE, v
    assert v.witness["error"] <= 0.05 * v.witness["scale"] and v.worst == v.witness["error"]
    assert v.tolerance == 0.05 * v.witness["scale"]


@pytest.mark.slow
def test_default_budget_within_tolerance_at_gamma_nine_tenths():
    # the derived budget (≈ 3850 visits per pair for the initial error at γ = 9/10, capped at 40000 steps)
    v = check_nash_q_common_payoff_convergence(slow_discount_game())
    assert v.status is Status.WITHIN_TOLERANCE, v
    assert v.witness["error"] <= 0.05 * v.witness["scale"] and v.worst == v.witness["error"]
    assert v.tolerance == 0.05 * v.witness["scale"]


def test_visits_for_initial_error_grows_with_the_discount():
    # exp(−(1−γ) Σ_{n≤N} n^−0.7) ≤ 1/40: few visits at γ = 1/2, thousands at γ = 9/10
    n_half, n_nine = visits_for_initial_error(0.5, 0.7, 0.025), visits_for_initial_error(0.9, 0.7, 0.025)
    assert n_half < 100 and n_nine > 1000
    for gamma, n in ((0.5, n_half), (0.9, n_nine)):
        total = sum(k ** -0.7 for k in range(1, n + 1))
        assert (1 - gamma) * total >= np.log(40) > (1 - gamma) * (total - n ** -0.7)


class MeanValue:
    """Wrong: backs up the mean of Q over joint actions instead of the global optimum's value."""

    name = "mean"

    def solve(self, q, field):
        sol = NashConcept("first", require="global_optimum").solve(q, field)
        n = q.shape[0]
        flat = np.asarray(q).reshape(n, -1)
        values = np.array([sum(flat[j].tolist()) / flat.shape[1] for j in range(n)], dtype=field.dtype)
        return StageSolution(sol.joint, values, sol.marginals, sol.info)

    def describe(self):
        return {"concept": self.name}


class MinValue:
    """Wrong: backs up the worst joint action's value."""

    name = "min"

    def solve(self, q, field):
        sol = NashConcept("first", require="global_optimum").solve(q, field)
        n = q.shape[0]
        values = np.array([min(np.asarray(q[j]).reshape(-1).tolist()) for j in range(n)], dtype=field.dtype)
        return StageSolution(sol.joint, values, sol.marginals, sol.info)

    def describe(self):
        return {"concept": self.name}


@pytest.mark.parametrize("concept", [MeanValue(), MinValue()], ids=lambda c: c.name)
def test_wrong_backup_is_refuted_by_the_exact_fixed_point(concept):
    v = check_nash_q_common_payoff_convergence(absorbing_penalty_game(), concept=concept)
    assert v.status is Status.REFUTED, v
    assert v.witness["state"] == "s0" or v.witness["state"] == "s1"
    assert v.witness["q_star"] != v.witness["operator"]
    assert "steps" not in v.witness  # decided exactly, before any learning run


def test_exact_q_star_is_cached_per_game_object_and_returned_as_copies():
    from jalverify.theorems import learning

    g = absorbing_penalty_game()
    first = exact_team_q_star(g)
    first[1][0, 0, 0] = F(123)  # a caller's mutation must not reach the cache
    again = exact_team_q_star(g)
    assert again[1][0, 0, 0] == F(-16, 5)
    assert any(entry[0] is g for entry in learning._Q_STAR_CACHE.values())
    assert exact_team_q_star(absorbing_penalty_game())[1][0, 0, 0] == F(-16, 5)  # an equal game, computed afresh
