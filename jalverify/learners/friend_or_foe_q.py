r"""Friend-or-Foe Q-learning (Littman 2001, ICML; theory.md §5).

Each agent ``i`` labels every other agent a friend or a foe.  With ``F`` the set of ``i`` and its friends and
``E`` its foes, agent ``i``'s stage value is

.. math::  \mathrm{Value}_i(Γ_s) = \max_{π ∈ Δ(A_F)} \min_{a_E ∈ A_E} Σ_{a_F} π(a_F)\, Q_i(s, a_F, a_E)

(a maximin over the friends' *joint* actions against the foes' joint actions).  **Friend-Q** (every other agent
a friend) reduces to :math:`\max_a Q_i(s, a)`; **Foe-Q** (every other agent a foe) of two agents is Minimax-Q.
Both operators are non-expansions in max-norm, so the model-based operator is a γ-contraction.

Play: agent ``i`` plays its own marginal of its maximiser ``π`` (Friend-Q: its component of the first maximising
joint action in row-major order, a deterministic tie-break).  The agents randomise independently.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from jalverify.errors import InvalidGame
from jalverify.games.stochastic import StochasticGame
from jalverify.learners.jal_gt import JointActionLearner
from jalverify.learners.minimax_q import maximin
from jalverify.learners.stage import StageSolution, product_distribution
from jalverify.numbers import Field

__all__ = ["FriendOrFoeConcept", "foe_q", "friend_q"]


def _first_argmax(values: list[Any]) -> int:
    best = 0
    for k in range(1, len(values)):
        if values[k] > values[best]:
            best = k
    return best


class FriendOrFoeConcept:
    """Stage concept of Friend-or-Foe Q.

    Parameters
    ----------
    friends : sequence of sequences of int
        ``friends[i]`` lists agent ``i``'s friends (``i`` itself may be omitted); everyone else is a foe.
    """

    def __init__(self, friends: Sequence[Sequence[int]]) -> None:
        n = len(friends)
        groups = []
        for i, fr in enumerate(friends):
            bad = [j for j in fr if not (isinstance(j, int) and 0 <= j < n)]
            if bad:
                raise InvalidGame(f"FriendOrFoeConcept(): agent {i} has unknown friend {bad[0]!r} (agents 0..{n - 1})")
            groups.append(tuple(sorted(set(fr) | {i})))
        self.friends = tuple(groups)
        if all(len(g) == n for g in groups):
            self.name = "friend"
        elif all(len(g) == 1 for g in groups):
            self.name = "foe"
        else:
            self.name = "friend-or-foe"

    def _agent(self, i: int, qi: np.ndarray, field: Field) -> tuple[Any, np.ndarray]:
        n = qi.ndim
        F = self.friends[i]
        E = tuple(j for j in range(n) if j not in F)
        k = qi.shape
        if not E:
            flat = qi.reshape(-1)
            best = _first_argmax(flat.tolist())
            own = int(np.unravel_index(best, k)[i])
            d = field.zeros(k[i])
            d[own] = field.one
            return flat[best], d
        M = np.transpose(qi, F + E).reshape(int(np.prod([k[j] for j in F])), int(np.prod([k[j] for j in E])))
        value, x, _ = maximin(np.ascontiguousarray(M), field)
        xf = np.asarray(x).reshape(tuple(k[j] for j in F))
        pos = F.index(i)
        own = xf.sum(axis=tuple(a for a in range(len(F)) if a != pos)) if len(F) > 1 else xf
        return value, np.asarray(own, dtype=field.dtype)

    def solve(self, q: np.ndarray, field: Field) -> StageSolution:
        n = q.shape[0]
        if n != len(self.friends):
            raise InvalidGame(f"FriendOrFoeConcept.solve(): built for {len(self.friends)} agents, stage game has {n}")
        values, marginals = [], []
        for i in range(n):
            v, d = self._agent(i, q[i], field)
            values.append(v)
            marginals.append(d)
        joint = product_distribution(marginals)
        return StageSolution(joint, np.array(values, dtype=field.dtype), tuple(marginals), {"friends": self.friends})

    def describe(self) -> dict[str, Any]:
        return {"concept": self.name, "friends": [list(g) for g in self.friends]}


def friend_q(game: StochasticGame, **kwargs: Any) -> JointActionLearner:
    """Friend-Q: every agent treats every other agent as a friend."""
    n = game.n_players
    return JointActionLearner(game, FriendOrFoeConcept([list(range(n))] * n), algorithm="friend-q", **kwargs)


def foe_q(game: StochasticGame, **kwargs: Any) -> JointActionLearner:
    """Foe-Q: every agent treats every other agent as a foe."""
    n = game.n_players
    return JointActionLearner(game, FriendOrFoeConcept([[i] for i in range(n)]), algorithm="foe-q", **kwargs)
