"""Property suite for the learners (see jalverify.theorems.learning): Minimax-Q, Nash-Q, CE-Q, fictitious play,
difference rewards.  Learning runs are seeded; budgets and tolerances are stated in each theorem's claim."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalverify.convergence import ConvergenceStatus, check_empirical_distribution, check_policy
from jalverify.learners import EpsilonGreedy, RobbinsMonro, Simulator, ce_q, fictitious_play, minimax_q
from jalverify.learners.examples import zero_sum_rational, zero_sum_rational_q_star
from jalverify.reports.suite_support import assert_proven, assert_counterexample, assert_holds
from jalverify.strategies import case_strategy
from jalverify.strategies.hypothesis_profiles import PROFILES
from jalverify.strategies.normal_form import normal_form_games
from jalverify.strategies.stochastic import turn_based_games, zero_sum_stochastic_games
from jalverify.theorems import learning as L
from jalverify.verdicts import Status

SMALL_GAMMAS = st.sampled_from([Fraction(1, 2), Fraction(0), Fraction(1, 3)])


def learning_budget(quick: int, thorough: int) -> settings:
    """Examples for an expensive learning property, tied to the loaded Hypothesis profile
    (:data:`jalverify.strategies.hypothesis_profiles.PROFILES`): ``quick`` under the default ``quick`` profile
    (each example runs a learner or an exact solver for seconds), ``thorough`` under ``--hypothesis-profile
    thorough``.  Decorators are evaluated at import, after the root conftest and the Hypothesis plugin have
    loaded the profile."""
    return settings(max_examples=quick if settings.default.max_examples <= PROFILES["quick"] else thorough)


# --- minimax_q ---------------------------------------------------------------------------------------------
def test_minimax_q_backup_fixed_point_known_rational_game():
    game = zero_sum_rational()
    assert_proven(L.check_minimax_q_backup_fixed_point(game))
    q_star = L.exact_minimax_q_star(game)
    assert all(np.all(a == b) for a, b in zip(q_star, zero_sum_rational_q_star()))


@given(turn_based_games(states=st.integers(1, 3), actions=st.integers(1, 3)))
def test_minimax_q_backup_fixed_point(game):
    # turn-based zero-sum games have a rational Q*: the exact fixed-point check must confirm
    assert_proven(L.check_minimax_q_backup_fixed_point(game))


@learning_budget(4, 200)
@given(zero_sum_stochastic_games(states=st.integers(2, 3), actions=st.integers(2, 3)))
def test_minimax_q_backup_fixed_point_simultaneous(game):
    # simultaneous moves: Q* may be irrational (not established), but never refuted
    assert_holds(L.check_minimax_q_backup_fixed_point(game))


def test_minimax_q_convergence_known_game():
    from jalverify.learners.examples import zero_sum_two_state

    verdict = L.check_minimax_q_convergence(zero_sum_two_state(), steps_per_pair=1000)
    assert verdict.status is Status.WITHIN_TOLERANCE and verdict.witness["relative_error"] <= 0.05, verdict
    assert verdict.tolerance is not None and verdict.worst is not None and verdict.worst <= verdict.tolerance


@pytest.mark.slow
@learning_budget(2, 50)
@given(zero_sum_stochastic_games(states=st.integers(2, 3), actions=st.integers(2, 3), gamma=SMALL_GAMMAS))
def test_minimax_q_convergence(game):
    verdict = L.check_minimax_q_convergence(game)
    assert verdict.status is Status.WITHIN_TOLERANCE, f"{verdict}\n{dict(verdict.witness)}"
    assert verdict.witness["relative_error"] <= 0.05


def test_minimax_q_policy_settles(tmp_path):
    # Q → Q* = 0 while the greedy policy keeps switching (all strategies optimal)
    assert_counterexample("minimax_q.policy_settles", tmp_path, max_examples=2)


def test_minimax_q_policy_nonuniqueness_trace():
    game = L.degenerate_zero_sum_game()
    learner = minimax_q(game, schedule=RobbinsMonro(1.0), exploration=EpsilonGreedy(1.0), seed=4)
    q_star = [np.zeros((2, 2, 2)), np.zeros((2, 2, 2))]
    trace = learner.learn(6000, Simulator(game, 5, start="uniform", episode_length=10), reference_q=q_star,
                          record_every=30)
    assert trace.error[-1] < 0.1 < trace.error[1]  # Q approaches Q* = 0 ...
    report = check_policy(trace, None, epsilon=0.25, window=50, view="marginals")
    assert report.status is ConvergenceStatus.CONTRADICTED  # ... the policy does not settle


# --- nash_q ------------------------------------------------------------------------------------------------
@learning_budget(3, 100)
@given(case_strategy("stochastic_games"))
def test_nash_q_learning_converges_common_payoff(case):
    # the exact parts (certified team Q*, T(Q*) = Q* exactly) are what can refute; the learning run only feeds
    # the condition-A audit and a within-tolerance / not-established error report, so a shorter run keeps the assertion's meaning
    assert_holds(L.check_nash_q_common_payoff_convergence(*case, max_steps=8000))


def test_nash_q_learning_policy_settles(tmp_path):
    report = assert_counterexample("nash_q.learning_policy_settles", tmp_path, max_examples=1)
    assert report is not None


def test_nash_q_audit_on_nosde_counterexample():
    verdict = L.check_nash_q_policy_settles(L._nosde())
    assert verdict.status is Status.REFUTED
    assert verdict.message.startswith("numerical") and verdict.witness["numerical"] is True
    audit = verdict.witness["nash_audit"]
    assert not audit["condition_A_holds"] and not audit["condition_B_holds"]
    assert audit["assumption3_broken_at"] is not None


# --- ce_q --------------------------------------------------------------------------------------------------
@given(normal_form_games(players=st.integers(2, 3), actions=st.integers(1, 3)))
def test_ce_q_stage_solutions_are_ce(game):
    assert_proven(L.check_ce_q_stage_solutions_are_ce(game))


def test_ce_q_selection_irrelevant(tmp_path):
    assert_counterexample("ce_q.selection_irrelevant", tmp_path, max_examples=10)


def test_ce_q_selection_trace():
    """Equilibrium selection in a learning run: rCE-Q and eCE-Q learn different values on the same game and
    samples (no convergence guarantee singles out one answer)."""
    game = L.asymmetric_coordination_game()
    learned = {}
    for objective in ("republican", "egalitarian"):
        learner = ce_q(game, objective, schedule=RobbinsMonro(0.7), exploration=EpsilonGreedy(1.0), seed=0)
        learner.learn(400, Simulator(game, 1))
        learned[objective] = learner.value(0)
    r, e = learned["republican"], learned["egalitarian"]
    # exact limits: rCE value (4, 1)/(1 − γ) = (8, 2); eCE (11/5, 11/5)/(1 − γ) = (22/5, 22/5)
    assert abs(r[0] - 8) < 0.5 and abs(r[1] - 2) < 0.5
    assert abs(e[0] - 4.4) < 0.5 and abs(e[1] - 4.4) < 0.5


# --- fictitious play ----------------------------------------------------------------------------------------
def test_fictitious_play_policy_settles():
    # the literature example directly (a search would shrink through many 2-second FP runs)
    from jalverify.theorems.registry import THEOREMS

    case = THEOREMS["fictitious_play.policy_settles"].known_counterexample()
    verdict = L.check_fictitious_play_policy_settles(*case)
    assert verdict.status is Status.REFUTED, verdict
    assert verdict.message.startswith("numerical"), verdict
    assert verdict.witness["empirical_to_minimax_set"]["status"] == "established"
    assert verdict.witness["policy"]["status"] == "contradicted"


def test_fictitious_play_shapley_game_empirical_distribution_does_not_settle():
    """Shapley (1964): FP's empirical frequencies cycle in his 3×3 game, so even notion 3 fails."""
    from jalverify.games.normal_form import NormalFormGame

    A = [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
    B = [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
    shapley = NormalFormGame.bimatrix(A, B, name="Shapley's game")
    trace = fictitious_play(shapley, 6000, prior_counts=[[1, 0, 0], [0, 1, 0]], record_every=20)
    uniform = np.full((3, 3), 1 / 9)  # the unique Nash equilibrium, as a product
    rep = check_empirical_distribution(trace, uniform, epsilon=0.05, window=50, view="marginals")
    assert rep.status is ConvergenceStatus.CONTRADICTED, rep.evidence


# --- difference rewards ----------------------------------------------------------------------------------------
@given(normal_form_games(players=st.integers(1, 3), actions=st.integers(1, 3)))
def test_difference_rewards_alignment(game):
    assert_proven(L.check_difference_rewards_alignment(game))
