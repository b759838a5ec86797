"""Mutants of Minimax-Q with a wrong backup must be refuted by the exact fixed-point check
(``minimax_q.backup_fixed_point``) on a small game whose Q* is rational but fully mixed."""

import numpy as np
import pytest

from jalverify.learners.examples import zero_sum_rational
from jalverify.learners.jal_gt import JointActionLearner
from jalverify.learners.minimax_q import MinimaxConcept
from jalverify.learners.stage import StageSolution
from jalverify.theorems.learning import check_minimax_q_backup_fixed_point
from jalverify.verdicts import Status

#: One game object for the whole module: its exact Q* is computed once (cached per game object).
GAME = zero_sum_rational()


class SampledStageValue:
    """Wrong: backs up Q(s', a) at one joint action drawn from the minimax solution (a *sampled* stage value)
    instead of the expected value Σ_a π*(a) Q(s', a)."""

    name = "sampled-minimax"

    def __init__(self, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)
        self.inner = MinimaxConcept()

    def solve(self, q, field):
        sol = self.inner.solve(q, field)
        p = np.asarray(sol.joint, dtype=np.float64).reshape(-1)
        a = np.unravel_index(int(self.rng.choice(p.size, p=p / p.sum())), sol.joint.shape)
        return StageSolution(sol.joint, np.array([q[(0,) + a], q[(1,) + a]], dtype=field.dtype), sol.marginals)

    def describe(self):
        return {"concept": self.name}


class MaxInsteadOfMinimax:
    """Wrong: each agent backs up max_a Q_j(s', a) (Friend-Q's value) in a zero-sum game."""

    name = "max"

    def solve(self, q, field):
        sol = MinimaxConcept().solve(q, field)
        values = np.array([max(q[j].reshape(-1).tolist()) for j in range(q.shape[0])], dtype=field.dtype)
        return StageSolution(sol.joint, values, sol.marginals)

    def describe(self):
        return {"concept": self.name}


class PureMaximin:
    """Wrong: the pure-strategy maximin max_i min_j Q(i, j) instead of the mixed value."""

    name = "pure-maximin"

    def solve(self, q, field):
        sol = MinimaxConcept().solve(q, field)
        v = max(min(row) for row in q[0].tolist())
        return StageSolution(sol.joint, np.array([v, -v], dtype=field.dtype), sol.marginals)

    def describe(self):
        return {"concept": self.name}


@pytest.mark.parametrize("concept", [SampledStageValue(0), SampledStageValue(1), MaxInsteadOfMinimax(), PureMaximin()],
                         ids=lambda c: c.name)
def test_wrong_backup_is_refuted_by_exact_fixed_point_check(concept):
    game = GAME
    broken = JointActionLearner(game, concept)
    verdict = check_minimax_q_backup_fixed_point(game, broken)
    assert verdict.status is Status.REFUTED, verdict
    assert verdict.witness["q_star"] != verdict.witness["operator"]


def test_correct_backup_is_confirmed_on_the_same_game():
    game = GAME
    verdict = check_minimax_q_backup_fixed_point(game)
    assert verdict.status is Status.PROVEN, verdict
