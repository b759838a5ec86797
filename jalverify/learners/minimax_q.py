r"""Minimax-Q (Littman 1994, ICML; convergence Littman & Szepesvári 1996; book p.121, theory.md §3).

The JAL-GT stage concept for two-player zero-sum games: at state ``s`` agent 0 solves the stage LP
(book Eqs. 4.12–4.15)

.. math::  \max_{x ∈ Δ(A_0)} \min_{a_1} Σ_{a_0} x(a_0)\, Q_0(s, a_0, a_1),

and the backup uses :math:`\mathrm{Value}_0(Γ_s) = \mathrm{val}(Q_0(s))`, :math:`\mathrm{Value}_1 = −\mathrm{val}`.
If every state and joint action is tried infinitely often and the step sizes are Robbins–Monro per (s, joint a),
Q converges with probability 1 to the unique minimax :math:`Q^*` (Littman & Szepesvári 1996).  Only the values
are unique: the maximiser ``x`` need not be, and the policy read from Q need not converge.

When Q is not zero-sum (``Q_1 ≠ −Q_0``), each agent uses its own maximin value: agent 1 solves the LP on
``Q_1(s)ᵀ`` (Littman 1994 describes the algorithm per agent).  A state where one agent has a single action is
solved without an LP (the value is a max or a min, exactly), and so are stage games with a pure saddle point
and, in the float field, 2×2 games (closed form) and games with up to
:data:`~jalverify.solvers.kernel_enumeration.MAX_ACTIONS` actions per player (Shapley–Snow kernels, accepted
within a stated duality gap, :func:`~jalverify.solvers.kernel_enumeration.kernel_minimax_solve`; HiGHS when no
kernel passes); see :func:`maximin`.  In the learning loop the kernel accepted at a state is tried first the next
time that state is solved (its Q changed in one entry, so the kernel usually still holds).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jalverify.errors import UnsupportedGame
from jalverify.games.stochastic import StochasticGame
from jalverify.learners.jal_gt import JointActionLearner
from jalverify.learners.stage import StageSolution
from jalverify.numbers import Field
from jalverify.solvers.kernel_enumeration import MAX_ACTIONS, kernel_minimax_solve

__all__ = ["MinimaxConcept", "maximin", "maximin_with_kernel", "minimax_q"]


def _indicator(k: int, index: int, field: Field) -> np.ndarray:
    d = field.zeros(k)
    d[index] = field.one
    return d


def maximin(A: np.ndarray, field: Field) -> tuple[Any, np.ndarray, np.ndarray]:
    """``(value, x, y)`` of the matrix game ``A`` (row player maximises): ``x`` a maximin row strategy, ``y`` a
    minimax column strategy.

    Shortcuts, each exact in its field: one-row and one-column matrices (a min or a max; ties to the first
    index); a **pure saddle point** (``max_i min_j A = min_j max_i A``: the pure maximin row and minimax column
    are optimal, von Neumann); in the float field a 2×2 game without saddle point by the closed form
    ``v = (ad − bc)/(a + d − b − c)`` (both strategies fully mixed); in the float field, matrices with at most
    :data:`~jalverify.solvers.kernel_enumeration.MAX_ACTIONS` rows and columns by Shapley–Snow kernel
    enumeration (duality gap at most its default tolerance, ``1e-11 · max(1, max|A|)``).  Otherwise
    :func:`jalverify.solvers.minimax.minimax_value` (HiGHS in the float field, a certified exact LP in the exact
    field).
    """
    value, x, y, _ = maximin_with_kernel(A, field)
    return value, x, y


def maximin_with_kernel(A: np.ndarray, field: Field, hint: tuple[tuple[int, ...], tuple[int, ...]] | None = None
                        ) -> tuple[Any, np.ndarray, np.ndarray, tuple[tuple[int, ...], tuple[int, ...]] | None]:
    """:func:`maximin` that also returns the Shapley–Snow kernel it accepted (``None`` when the answer came from
    another path) and tries ``hint`` (a kernel of an earlier, nearby matrix) first."""
    m, k = A.shape
    if field.exact:
        rows = [min(A[r, c] for c in range(k)) for r in range(m)]
        cols = [max(A[r, c] for r in range(m)) for c in range(k)]
        i = max(range(m), key=lambda r: (rows[r], -r))
        j = min(range(k), key=lambda c: (cols[c], c))
        lower, upper = rows[i], cols[j]
    else:
        rmin = A.min(axis=1)
        cmax = A.max(axis=0)
        i = int(np.argmax(rmin))
        j = int(np.argmin(cmax))
        lower, upper = rmin[i], cmax[j]
    if m == 1 or k == 1 or lower == upper:
        return A[i, j], _indicator(m, i, field), _indicator(k, j, field), None
    if not field.exact and m == 2 and k == 2:
        a, b, c, d = float(A[0, 0]), float(A[0, 1]), float(A[1, 0]), float(A[1, 1])
        den = a + d - b - c
        if den != 0.0:
            p = (d - c) / den
            q = (d - b) / den
            if 0.0 < p < 1.0 and 0.0 < q < 1.0:
                return (a * d - b * c) / den, np.array([p, 1.0 - p]), np.array([q, 1.0 - q]), None
    if not field.exact and m <= MAX_ACTIONS and k <= MAX_ACTIONS:
        sol = kernel_minimax_solve(A, hint=hint)
        if sol.solved:
            return sol.value, sol.x, sol.y, (sol.rows, sol.cols)
        # no kernel passed the gap test: HiGHS below decides (another correct solver, not a guess)
    from jalverify.solvers.minimax import minimax_value

    value, x, y = minimax_value(A, field=field)
    return value, np.asarray(x, dtype=field.dtype), np.asarray(y, dtype=field.dtype), None


class MinimaxConcept:
    """Stage concept of Minimax-Q (two agents).

    ``solve(q, field, previous=...)`` accepts the earlier solution of the same state (``warm_start``): its
    kernels are tried first; the answer is checked the same way and does not depend on the hint beyond ties.
    """

    name = "minimax"
    warm_start = True

    def solve(self, q: np.ndarray, field: Field, previous: StageSolution | None = None) -> StageSolution:
        if q.shape[0] != 2:
            raise UnsupportedGame(f"MinimaxConcept.solve(): Minimax-Q needs 2 agents, the stage game has {q.shape[0]}")
        A, B = q[0], q[1]
        if field.exact:
            zero_sum = all(b == -a for a, b in zip(A.reshape(-1).tolist(), B.reshape(-1).tolist()))
        else:
            zero_sum = bool(np.array_equal(B, -A))
        hints = previous.info.get("kernels", (None, None)) if previous is not None and not field.exact else (None, None)
        v0, x, y, kernel0 = maximin_with_kernel(A, field, hints[0])
        kernel1 = None
        if zero_sum:
            v1 = -v0
        else:
            v1, y, _, kernel1 = maximin_with_kernel(np.ascontiguousarray(B.T), field, hints[1])
        joint = np.multiply.outer(x, y)
        values = np.array([v0, v1], dtype=field.dtype)
        return StageSolution(joint, values, (x, y), {"zero_sum": zero_sum, "kernels": (kernel0, kernel1)})

    def describe(self) -> dict[str, Any]:
        return {"concept": self.name}


def minimax_q(game: StochasticGame, **kwargs: Any) -> JointActionLearner:
    """A Minimax-Q learner on a two-player game (keyword arguments go to :class:`JointActionLearner`).

    Raises
    ------
    UnsupportedGame
        The game does not have two players.
    """
    if game.n_players != 2:
        raise UnsupportedGame(f"minimax_q(): Minimax-Q needs a two-player game, {game.name or 'the game'} has {game.n_players}")
    return JointActionLearner(game, MinimaxConcept(), algorithm="minimax-q", **kwargs)
