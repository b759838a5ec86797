r"""Stage solutions: what a JAL-GT learner computes from the stage game :math:`Γ_s(Q)` at one state.

JAL-GT (Albrecht, Christianos & Schäfer 2024, Algorithm 7, p.120) solves at each state ``s`` the normal-form
stage game with payoffs :math:`R_j(a) = Q_j(s, a)` using a solution concept, obtains a joint policy
:math:`π^*_s`, plays from it and backs up :math:`\mathrm{Value}_j(Γ_s) = Σ_a π^*_s(a) Q_j(s, a)` (or, for Friend-
and Foe-Q and libertarian CE-Q, the agent's own value of the concept).

A :class:`StageConcept` maps the array ``q`` of shape ``(n, *k_s)`` in a field to a :class:`StageSolution`.  Every
concept has a float path (used in the learning loop) and an exact path (Fractions end to end, used to check the
backup operator's fixed point exactly).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

from jalverify.numbers import Field

__all__ = ["StageConcept", "StageSolution", "expected_values", "product_distribution"]


@dataclass(frozen=True)
class StageSolution:
    """The solution of one stage game.

    Attributes
    ----------
    joint : ndarray
        Distribution over joint actions, shape ``k_s``, of the play this solution prescribes (for independent
        randomisation it is the product of ``marginals``).
    values : ndarray
        ``Value_j(Γ_s)`` for every agent ``j``, shape ``(n,)``: what the backup uses.
    marginals : tuple of ndarray or None
        Per-agent action distributions when the agents randomise independently; ``None`` for a correlated
        solution (one joint action is sampled and each agent plays its component).
    info : dict
        Concept-specific detail (e.g. which equilibrium was selected and why).
    """

    joint: np.ndarray
    values: np.ndarray
    marginals: tuple[np.ndarray, ...] | None
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def correlated(self) -> bool:
        return self.marginals is None


@runtime_checkable
class StageConcept(Protocol):
    """A solution concept for stage games: ``solve(q, field)`` with ``q`` of shape ``(n, *k_s)``."""

    name: str

    def solve(self, q: np.ndarray, field: Field) -> StageSolution: ...

    def describe(self) -> dict[str, Any]: ...


def product_distribution(marginals: tuple[np.ndarray, ...] | list[np.ndarray]) -> np.ndarray:
    """Outer product of per-agent distributions, shape ``(k_0, ..., k_{n-1})``."""
    out = np.asarray(marginals[0])
    for d in marginals[1:]:
        out = np.multiply.outer(out, np.asarray(d))
    return out


def expected_values(q: np.ndarray, joint: np.ndarray) -> np.ndarray:
    """``Σ_a joint(a) q_j(a)`` for every agent ``j`` (works in both fields)."""
    n = q.shape[0]
    flat_q = q.reshape(n, -1)
    flat_x = joint.reshape(-1)
    if q.dtype == object or joint.dtype == object:
        return np.array([sum((flat_q[j, a] * flat_x[a] for a in range(flat_x.size)), flat_q.flat[0] * 0)
                         for j in range(n)], dtype=object)
    return flat_q @ flat_x
