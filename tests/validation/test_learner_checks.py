"""The learner checks (issue 11 §4): sampled backups judged with a stated confidence, convergence reported as the
measured gap and its trend (refuted only through the backup's fixed point), terminal states and per-state action
sets in the generated games, and a budget for every part.

Learners run in worker processes (``validate`` or :class:`IsolatedTarget`); the mutants are in
``broken_learners.py``.
"""

from __future__ import annotations

import math
import os
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from jalverify.adapters.protocols import Capabilities, Concept, TargetKind
from jalverify.games.stochastic import StochasticGame
from jalverify.solvers.budget import Budget
from jalverify.strategies import zero_sum_stochastic_games
from jalverify.validation import IsolatedTarget, validate
from jalverify.validation.learner_checks import LearnerBudgets, hoeffding_half_width, learner_checks, trend_words
from jalverify.validation.learning import checkpoint_steps, drive, drive_checkpoints
from jalverify.validation.reference import certify_zero_sum_values, zero_sum_q_star
from jalverify.verdicts import Status

HERE = os.path.dirname(os.path.abspath(__file__))
BACKUP = "validate.learner.backup_fixed_point"
CONVERGENCE = "validate.learner.convergence"


def ref(name: str, module: str = "broken_learners.py") -> str:
    return f"{os.path.join(HERE, module)}:{name}"


def judge(target: str, check_id: str, *case: object, budgets: LearnerBudgets | None = None, steps: int = 2000):
    """One check's verdict on one case, the target in a worker process."""
    with IsolatedTarget(target, time_limit=10) as isolated:
        checks = learner_checks(isolated, isolated.capabilities, learner_steps=steps, learner_epsilon=0.05,
                                budgets=budgets)
        (check,) = [c for c in checks if c.id == check_id]
        return check.run(*case)


def chain(p_stay: Fraction, reward: int, gamma: str) -> StochasticGame:
    """One live state (one action each, reward ``reward``) that stays with probability ``p_stay`` and otherwise
    ends in a terminal state."""
    T = np.array([[[p_stay, 1 - p_stay]]], dtype=object)
    R = np.array([[reward]], dtype=object)
    return StochasticGame(["p0", "p1"], ["s", "end"], [[["a"], ["b"]], None], [T, None], [np.stack([R, -R]), None],
                          gamma, terminal=[False, True])


def pennies_with_end(gamma: str = "1/2") -> StochasticGame:
    """Matching pennies that ends with probability 1/2 after every round (Q* mixed, and a terminal state)."""
    A = np.array([[1, -1], [-1, 1]], dtype=object)
    T = np.full((2, 2, 2), Fraction(1, 2), dtype=object)
    return StochasticGame(["p0", "p1"], ["s", "end"], [[["h", "t"], ["h", "t"]], None], [T, None],
                          [np.stack([A + 2, -(A + 2)]), None], gamma, terminal=[False, True])


def max_abs(Q) -> Fraction:
    return max(abs(Fraction(v)) for q in Q for v in np.asarray(q, dtype=object).reshape(-1).tolist())


# --- sampled backups -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("game", [chain(Fraction(9, 10), 1, "9/10"), pennies_with_end()], ids=["chain", "pennies"])
def test_a_correct_sampled_backup_holds_within_its_hoeffding_interval(game: StochasticGame) -> None:
    verdict = judge(ref("SampledMinimaxQ"), BACKUP, game)
    assert verdict.status is Status.WITHIN_TOLERANCE, verdict.message  # statistical: never proven
    assert "Hoeffding" in verdict.message and "1 − 1e-06" in verdict.message
    w = verdict.witness
    assert w["calls"] == 1000 and w["delta"] == 1e-6
    assert verdict.worst is not None and verdict.tolerance is not None and verdict.worst <= verdict.tolerance
    low, high = (Fraction(x) for x in w["interval"])
    assert low <= Fraction(w["reference"]) <= high


def test_a_correct_sampled_backup_raises_no_false_alarm_on_generated_games() -> None:
    result = validate(ref("SampledMinimaxQ"), checks=[BACKUP], max_examples=15, seed=3, time_limit=10)
    (outcome,) = result.outcomes
    assert outcome.status is Status.WITHIN_TOLERANCE, outcome.message
    assert outcome.worst is not None and outcome.worst <= outcome.tolerance


@pytest.mark.slow  # ~50 games of 1000 exact sampled backups each, while shrinking
def test_a_sampled_backup_with_the_wrong_discount_is_refuted_by_an_exact_sample() -> None:
    result = validate(ref("SampledWrongDiscount"), checks=[BACKUP], max_examples=25, seed=3, time_limit=10)
    (finding,) = result.findings
    verdict, game = finding.verdict, finding.case[0]
    assert verdict.status is Status.REFUTED and verdict.theorem == BACKUP
    assert game.n_states <= 2 and game.field.exact
    w = verdict.witness
    # the witness is exact: recompute the range of a correct sample of that entry from the game and Q*
    s, (i, *joint) = w["state"], w["index"]
    Q = zero_sum_q_star(game).Q
    gamma = Fraction(game.gamma)
    support = [t for t in range(game.n_states) if game.transitions[s][(*joint, t)] > 0]

    def bound(pick):
        return pick(Fraction(game.rewards[s][(i, *joint, t)])
                    + gamma * (0 if game.terminal[t] else pick(Fraction(v) for v in Q[t][i].reshape(-1).tolist()))
                    for t in support)

    assert (Fraction(w["low"]), Fraction(w["high"])) == (bound(min), bound(max))
    assert not bound(min) <= Fraction(w["sample"]) <= bound(max)
    assert f"call {w['call']}: state {s}" in verdict.message


def test_a_sampled_backup_that_ignores_probabilities_is_refuted_by_its_confidence_interval() -> None:
    game = chain(Fraction(9, 10), 1, "9/10")  # every sample is a possible TD target; only the mean is wrong
    verdict = judge(ref("SampledIgnoresProbabilities"), BACKUP, game)
    assert verdict.status is Status.REFUTED and verdict.theorem == BACKUP, verdict.message
    w = verdict.witness
    low, high = (Fraction(x) for x in w["interval"])
    q_star = Fraction(w["reference"])
    assert q_star == Fraction(100, 19) or q_star == -Fraction(100, 19)  # V = 1 / (1 − 81/100)
    assert not low <= q_star <= high
    # the uniform draw's mean: (1 + 9/10 · 100/19)/2 + 1/2 for player 0, within the stated half-width
    uniform = Fraction(1, 2) * (1 + Fraction(9, 10) * Fraction(100, 19)) + Fraction(1, 2)
    assert abs(abs(Fraction(w["mean"])) - uniform) <= Fraction(w["half_width"])
    assert "excludes Q*" in verdict.message and "1000 sampled calls" in verdict.message


# --- terminal states -----------------------------------------------------------------------------------------
def test_a_backup_that_bootstraps_from_terminal_states_is_refuted() -> None:
    result = validate(ref("TerminalBootstrap"), checks=[BACKUP], max_examples=25, seed=3, time_limit=10)
    (finding,) = result.findings
    verdict, game = finding.verdict, finding.case[0]
    # its own claim: Q* *is* a fixed point of this backup, so it is never reported as a fixed-point violation
    assert verdict.theorem == "validate.learner.terminal_states" and verdict.status is Status.REFUTED
    assert any(game.terminal) and game.gamma > 0
    assert "bootstraps from terminal states" in verdict.message
    # the plain Q* is a fixed point of this backup: only the marker in the terminal entries exposes it
    from jalverify.adapters.registry import load_target

    Q = zero_sum_q_star(game).Q
    plain = load_target(ref("TerminalBootstrap")).backup(game, list(Q))
    assert all(np.array_equal(np.asarray(a, dtype=object), np.asarray(b, dtype=object)) for a, b in zip(plain, Q))
    marker = Fraction(verdict.witness["terminal_marker"])
    assert marker > max_abs(Q)
    assert verdict.witness["terminal_states"] == [s for s in range(game.n_states) if game.terminal[s]]


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(zero_sum_stochastic_games(states=st.integers(1, 2), terminal_states=st.integers(1, 2),
                                 actions=st.integers(1, 2)))
def test_generated_terminal_states_follow_the_live_ones_and_q_star_is_zero_there(game: StochasticGame) -> None:
    live = [s for s in range(game.n_states) if not game.terminal[s]]
    assert live == list(range(len(live))) and 1 <= len(live) < game.n_states
    ref_q = zero_sum_q_star(game)
    for s in range(game.n_states):
        if game.terminal[s]:
            assert game.n_actions(s) == (1, 1)
            assert ref_q.Q[s].reshape(-1).tolist() == [0, 0]
    if ref_q.exact:  # the exact reference satisfies Shapley's equation with the terminal states in it
        assert certify_zero_sum_values(game, ref_q.V[0]) is not None


def test_learner_games_have_per_state_action_sets_unless_the_target_takes_one_action_list() -> None:
    caps = Capabilities(kind=TargetKind.LEARNER, concept=Concept.MINIMAX, players=2, zero_sum_only=True,
                        has_backup=True)

    def counts(game: StochasticGame) -> set[tuple[int, ...]]:
        return {tuple(game.n_actions(s)) for s in range(game.n_states) if not game.terminal[s]}

    for check in learner_checks(None, caps, learner_steps=10, learner_epsilon=0.05):  # type: ignore[arg-type]
        game = find(check.cases, lambda case: len(counts(case[0])) > 1 and any(case[0].terminal))
        assert len(counts(game[0])) > 1
    one_list = caps.with_(state_action_sets=False)
    for check in learner_checks(None, one_list, learner_steps=10, learner_epsilon=0.05):  # type: ignore[arg-type]

        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        @given(check.cases)
        def uniform(case: tuple) -> None:
            assert len({k for c in counts(case[0]) for k in c}) == 1  # same count, both players, every state

        uniform()


def test_openspiel_learners_declare_one_action_list() -> None:
    from jalverify.adapters.openspiel_adapter import QLearnerCoarseCorrelated, QLearnerCorrelated, QLearnerNash

    for cls in (QLearnerNash, QLearnerCorrelated, QLearnerCoarseCorrelated):
        assert cls.capabilities.state_action_sets is False


# --- convergence ---------------------------------------------------------------------------------------------
def test_a_learner_far_from_q_star_gets_the_gap_as_its_headline() -> None:
    game = pennies_with_end()
    verdict = judge(ref("NeverLearns"), CONVERGENCE, game, 5)
    assert verdict.status is Status.NOT_ESTABLISHED
    gaps = [Fraction(g) for g in verdict.witness["gaps"]]
    assert verdict.witness["steps"] == [400, 800, 1200, 1600, 2000] and len(set(gaps)) == 1
    final = gaps[-1]
    assert final == max_abs(zero_sum_q_star(game).Q)  # Q stays at its initial 0
    assert verdict.worst == float(final)
    assert verdict.message.startswith(f"Q is {float(final):.3g} from Q* after 2000 steps (ε = 0.05")
    assert "not shrinking: " + " → ".join([f"{float(final):.3g}"] * 5) in verdict.message
    assert "no violation" not in verdict.message
    assert "Q* is a fixed point of the learner's expected backup" in verdict.message


def test_the_convergence_summary_never_reads_no_violation() -> None:
    result = validate(ref("NeverLearns"), checks=[CONVERGENCE], max_examples=3, seed=3, time_limit=10)
    (outcome,) = result.outcomes
    assert outcome.status is Status.NOT_ESTABLISHED
    assert "from Q* after 2000 steps" in outcome.message and "no violation" not in outcome.message


def test_a_convergence_claim_whose_backup_does_not_fix_q_star_is_refuted() -> None:
    result = validate(ref("FriendQClaimingMinimax", "broken_solvers.py"), checks=[CONVERGENCE], max_examples=3,
                      seed=3, time_limit=10)
    (finding,) = result.findings
    verdict = finding.verdict
    assert verdict.theorem == CONVERGENCE and verdict.status is Status.REFUTED
    assert "Q* is not a fixed point of the learner's expected backup" in verdict.message
    # the backup's exact witness, and what the run measured beside it
    game = finding.case[0]
    s, idx = verdict.witness["state"], tuple(verdict.witness["index"])
    assert Fraction(verdict.witness["reference"]) == zero_sum_q_star(game).Q[s][idx]
    assert Fraction(verdict.witness["returned"]) != Fraction(verdict.witness["reference"])
    assert len(verdict.witness["convergence"]["gaps"]) == 5


def test_without_a_convergence_claim_the_run_is_reported_not_judged() -> None:
    verdict = judge(ref("MinimaxQWithoutClaim"), CONVERGENCE, chain(Fraction(1, 2), 1, "1/2"), 1)
    assert verdict.status is Status.NOT_ESTABLISHED
    assert "makes no convergence claim" in verdict.message and verdict.message.startswith("Q is ")
    assert verdict.worst == float(Fraction(verdict.witness["gaps"][-1]))


def test_minimax_q_reaches_q_star_within_tolerance_on_a_small_game() -> None:
    verdict = judge("jalverify.minimax_q", CONVERGENCE, chain(Fraction(1, 2), 1, "1/2"), 1)
    assert verdict.status is Status.WITHIN_TOLERANCE, verdict.message
    assert verdict.worst is not None and verdict.worst <= verdict.tolerance
    assert "not a proof of convergence" in verdict.message


# --- budgets -------------------------------------------------------------------------------------------------
def test_a_reference_out_of_budget_is_not_established() -> None:
    verdict = judge("jalverify.minimax_q", BACKUP, pennies_with_end("3/4"),
                    budgets=LearnerBudgets(reference=Budget(seconds=0)))
    assert verdict.status is Status.NOT_ESTABLISHED
    assert "no reference Q*" in verdict.message and "time budget of 0 s" in verdict.message


def test_a_learning_run_out_of_budget_reports_what_it_measured() -> None:
    verdict = judge("jalverify.minimax_q", CONVERGENCE, pennies_with_end(), 1,
                    budgets=LearnerBudgets(learning_seconds=0))
    assert verdict.status is Status.NOT_ESTABLISHED
    assert verdict.message.startswith("not established: only 0 of 2000 learning steps")
    assert verdict.witness["timed_out"] is True and verdict.witness["steps"] == [0]
    assert verdict.worst == float(Fraction(verdict.witness["gaps"][0]))


def test_sampled_backups_out_of_budget_are_not_established() -> None:
    verdict = judge(ref("SampledMinimaxQ"), BACKUP, pennies_with_end(), budgets=LearnerBudgets(sampling_seconds=0))
    assert verdict.status is Status.NOT_ESTABLISHED
    assert verdict.witness["calls"] == 1 and "only 1 sampled backups" in verdict.message


# --- pieces --------------------------------------------------------------------------------------------------
def test_checkpoint_snapshots_are_the_q_of_shorter_runs() -> None:
    from jalverify.adapters.own import MinimaxQLearner

    game = pennies_with_end()
    run = drive_checkpoints(MinimaxQLearner(), game, 300, seed=7, checkpoints=3)
    assert run.steps == checkpoint_steps(300, 3) == [100, 200, 300] and not run.stopped_early
    for steps, snapshot in zip(run.steps, run.snapshots):
        alone = drive(MinimaxQLearner(), game, steps, seed=7)
        assert all(np.array_equal(np.asarray(a), np.asarray(b)) for a, b in zip(snapshot, alone))


def test_hoeffding_half_width_is_an_upper_bound_of_the_formula() -> None:
    assert hoeffding_half_width(Fraction(0), 10, 3, 1e-6) == 0
    for width, n, m in [(Fraction(1), 1, 1), (Fraction(7, 2), 1000, 24), (Fraction(10), 30, 4)]:
        bound = hoeffding_half_width(width, n, m, 1e-6)
        formula = float(width) * math.sqrt(math.log(2 * m / 1e-6) / (2 * n))
        assert Fraction(formula) <= bound <= Fraction(formula) * (1 + Fraction(1, 10**9))
        # the confidence it states: 2m·exp(−2n t²/w²) ≤ δ at t = bound
        assert 2 * m * math.exp(-2 * n * float(bound) ** 2 / float(width) ** 2) <= 1e-6 * (1 + 1e-9)


def test_trend_words() -> None:
    F = Fraction
    assert trend_words([F(3), F(2), F(1)]) == "shrinking"
    assert trend_words([F(3), F(1), F(1), F(1), F(1)]) == "shrinking, then stalled"
    assert trend_words([F(3), F(3), F(3)]) == "not shrinking"
    assert trend_words([F(1), F(2), F(3)]) == "not shrinking"
    assert trend_words([F(1)]) == "one checkpoint"
