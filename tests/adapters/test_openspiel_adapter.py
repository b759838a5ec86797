"""The OpenSpiel adapters return exactly what OpenSpiel's public entry points return (issue 10, §4): compared
with a direct call on the same payoffs; the CE finding is judged from those marginals and values alone."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from jalverify.adapters.protocols import MarginalStageAnswer, StageAnswer
from jalverify.adapters.registry import load_target
from jalverify.errors import SolverError
from jalverify.games.normal_form import NormalFormGame
from jalverify.validation.reference import marginal_concept_gap

pytestmark = pytest.mark.peers

#: The committed finding's game (counterexamples/third_party/openspiel.stage_ce): the row player's payoffs; the
#: column player is indifferent.
FINDING = NormalFormGame.bimatrix([[1, 0], [0, 0], [0, 1]], [[0, 0], [0, 0], [0, 0]])
GAMES = [FINDING, NormalFormGame.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]),
         NormalFormGame.bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])]


def _qlearner() -> object:
    pytest.importorskip("open_spiel")
    pytest.importorskip("ecos")
    from open_spiel.python.algorithms import tabular_multiagent_qlearner

    return tabular_multiagent_qlearner


@pytest.mark.parametrize("name, cce", [("openspiel.stage_ce", False), ("openspiel.stage_cce", True)])
@pytest.mark.parametrize("game", GAMES, ids=["finding", "prisoners", "battle"])
def test_correlated_stage_adapter_returns_exactly_what_the_public_solver_returns(name, cce, game):
    qlearner = _qlearner()
    payoffs = np.asarray(game.payoffs, dtype=float)
    mixtures, values = qlearner.CorrelatedEqSolver(is_cce=cce)(payoffs)
    answer = load_target(name).solve(payoffs)
    assert isinstance(answer, MarginalStageAnswer)
    assert answer.marginals == [[float(p) for p in m] for m in mixtures]
    assert answer.values == [float(v) for v in values]


@pytest.mark.parametrize("game", GAMES[1:], ids=["prisoners", "battle"])
def test_nash_stage_adapter_returns_the_product_of_the_public_solver_mixtures(game):
    qlearner = _qlearner()
    payoffs = np.asarray(game.payoffs, dtype=float)
    (x, y), values = qlearner.TwoPlayerNashSolver()(payoffs)
    answer = load_target("openspiel.stage_nash").solve(payoffs)
    assert isinstance(answer, StageAnswer)
    assert np.array_equal(answer.distribution, np.multiply.outer(np.asarray(x, float), np.asarray(y, float)))
    assert answer.values == [float(v) for v in values]


def test_the_ce_finding_follows_from_the_returned_marginals_alone():
    """No CE has row marginal 1/4 on the row player's action 0 here (recommended 0, she gains by deviating
    whatever the column player does), so OpenSpiel's CE answer is at exact LP distance ≈ 1/12 from every CE,
    while it is a CCE up to the float rounding of its output."""
    _qlearner()
    payoffs = np.asarray(FINDING.payoffs, dtype=float)
    answer = load_target("openspiel.stage_ce").solve(payoffs)
    ce_gap, _ = marginal_concept_gap(FINDING, answer.marginals, answer.values, "ce")
    cce_gap, _ = marginal_concept_gap(FINDING, answer.marginals, answer.values, "cce")
    assert abs(ce_gap - Fraction(1, 12)) < Fraction(1, 10**9)
    assert cce_gap < Fraction(1, 10**12)


def test_marginal_concept_gap_is_zero_for_an_exact_ce_and_positive_off_it():
    """Chicken's CE (1/3, 1/3, 1/3 off the crash) has marginals (2/3, 1/3) and value 5 (payoffs 6, 2 / 7, 0)."""
    chicken = NormalFormGame.bimatrix([[6, 2], [7, 0]], [[6, 7], [2, 0]])
    third = Fraction(1, 3)
    gap, D = marginal_concept_gap(chicken, [[2 * third, third], [2 * third, third]], [5, 5], "ce")
    assert gap == 0 and sum(D.reshape(-1).tolist()) == 1
    gap, _ = marginal_concept_gap(chicken, [[2 * third, third], [2 * third, third]], [6, 6], "ce")
    assert gap > 0


def test_learner_adapter_raises_when_an_agent_chooses_no_action():
    from jalverify.adapters.openspiel_adapter import QLearnerNash

    class Out:
        action = None

    with pytest.raises(SolverError, match="returned no action"):
        QLearnerNash()._actions([Out(), Out()], 0)


def test_learner_adapter_reports_the_tables_the_learner_keeps():
    """q_values() reads OpenSpiel's own tables (keyed by str(info_state) = "[[s], [s]]"): after learning on a
    repeated zero-sum game the reported Q is what the agents store, and it is not the all-zero initial table."""
    pytest.importorskip("open_spiel")
    from jalverify.adapters.openspiel_adapter import QLearnerNash
    from jalverify.validation.corpus import zero_sum_stochastic_corpus
    from jalverify.validation.learning import drive

    game = zero_sum_stochastic_corpus()[0]  # matching pennies repeated
    learner = QLearnerNash()
    Q = drive(learner, game, 300, seed=3)
    stored = learner._agents[0]._q_values
    (key,) = [k for k in stored[0] if stored[0][k]]
    assert key == str([[0], [0]])
    for player in range(2):
        for joint, value in stored[player][key].items():
            assert Q[0][(player, *joint)] == value
    assert np.abs(Q[0]).max() > 0
