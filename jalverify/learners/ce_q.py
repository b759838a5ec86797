r"""Correlated-Q (CE-Q; Greenwald & Hall 2003, ICML; book Eqs. 4.20–4.24, p.74; theory.md §5).

The JAL-GT stage concept "a correlated equilibrium of :math:`Γ_s` selected by a welfare objective", computed by
:func:`jalverify.solvers.correlated.correlated_solve`:

* ``"utilitarian"`` (uCE-Q): maximise :math:`Σ_i U_i(x)`;
* ``"egalitarian"`` (eCE-Q): maximise :math:`\min_i U_i(x)`;
* ``"republican"`` (rCE-Q): maximise :math:`\max_i U_i(x)` (ties between agents: lowest index);
* ``"libertarian"`` (lCE-Q): agent ``i`` uses its own maximiser :math:`x^i` of :math:`U_i`.

For u/e/r the agents share one distribution ``x``: one joint action is sampled and each agent plays its
component; the backup uses :math:`\mathrm{Value}_j = Σ_a x(a) Q_j(s, a)`.  For lCE-Q agent ``i`` backs up
:math:`U_i(x^i)` and plays its own marginal of :math:`x^i`; the agents then randomise independently and the
joint play is generally **not** a correlated equilibrium.  Greenwald & Hall scale rewards by ``(1 − γ)`` in
their update: pass ``reward_scaling=True`` to the learner.  No convergence guarantee is known for CE-Q, and
optimal CE are rarely unique (the maximiser follows the solver's documented ``tie_break``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jalverify.errors import InvalidNumber
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame
from jalverify.learners.jal_gt import JointActionLearner
from jalverify.learners.stage import StageSolution, expected_values, product_distribution
from jalverify.numbers import Field

__all__ = ["CE_OBJECTIVES", "CorrelatedConcept", "ce_q"]

CE_OBJECTIVES = ("utilitarian", "egalitarian", "republican", "libertarian")


class CorrelatedConcept:
    """Stage concept of CE-Q.

    Parameters
    ----------
    objective : {"utilitarian", "egalitarian", "republican", "libertarian"}
    coarse : bool
        Coarse correlated equilibria instead (a variant; not in Greenwald & Hall).
    tie_break : {"basic", "lexicographic"}
        Passed to :func:`~jalverify.solvers.correlated.correlated_solve`.
    """

    name = "correlated"

    def __init__(self, objective: str = "utilitarian", *, coarse: bool = False, tie_break: str = "basic") -> None:
        if objective not in CE_OBJECTIVES:
            raise InvalidNumber(f"CorrelatedConcept(): unknown objective {objective!r}; objectives are {CE_OBJECTIVES}")
        self.objective = objective
        self.coarse = coarse
        self.tie_break = tie_break

    def solve(self, q: np.ndarray, field: Field) -> StageSolution:
        from jalverify.solvers.correlated import correlated_solve

        game = NormalFormGame(q if field.exact else np.asarray(q, dtype=np.float64), field=field, name="stage game")
        res = correlated_solve(game, coarse=self.coarse, objective=self.objective, field=field,
                               tie_break=self.tie_break)
        info: dict[str, Any] = {"objective": self.objective, "result": res}
        if self.objective == "libertarian":
            dists = [np.asarray(p.distribution, dtype=field.dtype) for p in res.agent_distributions]
            n = q.shape[0]
            marginals = []
            for i, x in enumerate(dists):
                m = x.sum(axis=tuple(j for j in range(n) if j != i)) if n > 1 else x
                marginals.append(np.asarray(m, dtype=field.dtype))
            values = np.array([expected_values(q[i:i + 1], dists[i])[0] for i in range(n)], dtype=field.dtype)
            return StageSolution(product_distribution(marginals), values, tuple(marginals), info)
        x = np.asarray(res.distribution.distribution, dtype=field.dtype)
        return StageSolution(x, np.asarray(expected_values(q, x), dtype=field.dtype), None, info)

    def describe(self) -> dict[str, Any]:
        return {"concept": self.name, "objective": self.objective, "coarse": self.coarse, "tie_break": self.tie_break}


def ce_q(game: StochasticGame, objective: str = "utilitarian", *, coarse: bool = False, tie_break: str = "basic",
         **kwargs: Any) -> JointActionLearner:
    """A CE-Q learner (keyword arguments go to :class:`JointActionLearner`, e.g. ``reward_scaling=True``)."""
    concept = CorrelatedConcept(objective, coarse=coarse, tie_break=tie_break)
    short = {"utilitarian": "u", "egalitarian": "e", "republican": "r", "libertarian": "l"}[objective]
    return JointActionLearner(game, concept, algorithm=f"ce-q-{short}", **kwargs)
