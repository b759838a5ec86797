from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalverify.errors import SolverError
from jalverify.learners import EpsilonGreedy, NashConcept, NashConditionAudit, RobbinsMonro, Simulator, nash_q
from jalverify.learners.examples import common_payoff_two_state, nosde_book_game
from jalverify.learners.nash_q_audit import summarise_nash_audit
from jalverify.numbers import EXACT, FLOAT
from jalverify.solvers.nash_q_conditions import classify_stage_game
from jalverify.strategies.normal_form import bimatrix_games


@given(bimatrix_games(actions=st.integers(1, 3), payoffs=(-2, 2)))
def test_global_optimum_fast_path_matches_classification(game):
    """NashConcept's direct global-optimum test agrees with classify_stage_game (differential)."""
    q = np.asarray(game.payoffs, dtype=object)
    cls = classify_stage_game(game)
    concept = NashConcept("first", require="global_optimum")
    sol = concept.solve(q, EXACT)
    assert sol.info["condition_met"] == (len(cls.global_optima) > 0)
    if cls.global_optima:
        tops = [max(game.payoffs[k].reshape(-1).tolist()) for k in range(2)]
        assert list(sol.values) == tops


def test_require_raise_and_select_on_a_game_without_global_optimum():
    chicken = np.array([[[0, 7], [2, 6]], [[0, 2], [7, 6]]], dtype=float)
    with pytest.raises(SolverError):
        NashConcept(require="global_optimum", on_violation="raise").solve(chicken, FLOAT)
    sol = NashConcept(require="global_optimum", on_violation="select").solve(chicken, FLOAT)
    assert sol.info["condition_met"] is False
    assert sorted(sol.values.tolist()) in ([2.0, 7.0], [14 / 3, 14 / 3])  # a Nash equilibrium's payoffs


def test_saddle_point_requirement_uses_the_classification():
    # zero-sum: every Nash equilibrium is a saddle point
    mp = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=object) * F(1)
    sol = NashConcept(require="saddle_point").solve(mp, EXACT)
    assert sol.info["condition_met"] and list(sol.values) == [0, 0]


def test_audit_common_payoff_condition_a_holds():
    g = common_payoff_two_state()
    audit = NashConditionAudit("global_optimum")
    learner = nash_q(g, require="global_optimum", exploration=EpsilonGreedy(1.0), schedule=RobbinsMonro(0.7),
                     audit=audit, seed=0)
    trace = learner.learn(150, Simulator(g, 1, start="uniform", episode_length=5))
    summary = audit.summary()
    assert summary["condition_A_holds"] and summary["assumption3_broken_at"] is None
    assert summary["records"] == summary["solves_observed"] > 0
    assert summarise_nash_audit(trace.audit)["condition_A_holds"]  # the trace carries the audit arrays


def test_audit_records_where_assumption_3_breaks_on_the_nosde_game():
    g = nosde_book_game()
    audit = NashConditionAudit(None, every=5)
    learner = nash_q(g, exploration=EpsilonGreedy(1.0), schedule=RobbinsMonro(0.7), audit=audit, seed=0)
    learner.learn(300, Simulator(g, 1, start="uniform", episode_length=10))
    s = audit.summary()
    assert not s["condition_A_holds"] and not s["condition_B_holds"]
    broken = s["assumption3_broken_at"]
    assert broken is not None and broken["state"] in (0, 1) and broken["step"] >= 0
    assert s["records"] == len(range(0, s["solves_observed"], 5))


def test_trace_episode_returns_are_discounted_sums():
    g = common_payoff_two_state()
    learner = nash_q(g, exploration=EpsilonGreedy(1.0), seed=3)
    tr = learner.learn(40, Simulator(g, 2, start="s0", episode_length=4))
    assert tr.episode_end_steps.tolist() == [4, 8, 12, 16, 20, 24, 28, 32, 36, 40]
    r = tr.step_rewards[:4, 0]
    assert tr.episode_returns[0, 0] == pytest.approx(sum(r[t] * 0.5 ** t for t in range(4)))
