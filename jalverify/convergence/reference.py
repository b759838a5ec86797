r"""Convergence judged against the truth: the exact reference of a game and verdicts of a run against it.

Where a game has a known limit for the learners the theory is about, every convergence notion (book §5.2,
pp.92–94; theory.md §7) is judged against that limit, never against the run's own last snapshot:

* **two-player zero-sum** games: the minimax :math:`Q^*` (Minimax-Q, Foe-Q; Littman 1994, Littman & Szepesvári
  1996; theory.md §3), the values :math:`V^*(s) = \mathrm{val}(Q^*_0(s))`, and the set of stationary
  equilibria :math:`Π^* = \prod_s X^*(s) × Y^*(s)`, the products of the optimal-strategy polytopes of the stage
  games of :math:`Q^*` (Shapley 1953);
* **common-payoff** games: the team-optimal :math:`Q^*` (Friend-Q, Nash-Q with global optima; Hu & Wellman
  2003, theory.md §4), :math:`V^*(s) = \max_a Q^*(s, a)`, and the team-optimal policies: distributions supported
  on :math:`\arg\max_a Q^*(s, a)` at every state.

:func:`jalverify.theorems.learning.game_reference` computes the reference exactly when it can (small games: certified exact :math:`Q^*`,
exact vertex sets), otherwise in floats with a stated error bound and *without* an equilibrium set (the set of a
float :math:`Q^*` is not the set of the game).  :func:`judge_final_window` turns a series of distances to the
reference into a :class:`~jalverify.verdicts.Verdict`: ``WITHIN_TOLERANCE`` (tolerance and measured worst case)
when every point of the final window is within the tolerance, else ``NOT_ESTABLISHED`` with the reason.  A
finite float run never proves a limit and never refutes one, so no other verdict is produced.

"The trace stopped moving" is a different statement: :func:`stationarity` reports it under its own name
("stationary: the last W snapshots move < δ") and it is never a convergence verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.convergence.distances import distance_to_hull
from jalverify.errors import InvalidNumber
from jalverify.verdicts import Status, Verdict

__all__ = [
    "NO_REFERENCE",
    "GameReference",
    "judge_final_window",
    "no_reference_verdict",
    "set_distance",
    "stationarity",
]

#: Message of every convergence notion on a game without a reference.
NO_REFERENCE = "no exact reference for this game"


@dataclass(frozen=True)
class GameReference:
    """The known limit of a game (module docstring).

    Attributes
    ----------
    kind : str
        ``"minimax"`` or ``"team"``.
    description : str
    exact : bool
        Q* and V* are exact Fractions (certified); else floats within ``error_bound``.
    error_bound : float
        Bound on ``max |Q*_float − Q*|`` (0.0 when exact).
    q_star : list of ndarray
        Float Q* per state, ``(n, *k_s)``.
    q_star_exact : list of ndarray or None
        Exact Q* (object arrays of Fractions) when ``exact``.
    v_star : ndarray
        ``(n, S)``: Fractions when exact, floats otherwise.
    sets : list or None
        Per state the equilibrium set: ``("product", X_vertices, Y_vertices)`` (zero-sum),
        ``("support", mask)`` (team), ``None`` at terminal states; the whole list is None without an exact Q*.
    """

    kind: str
    description: str
    exact: bool
    error_bound: float
    q_star: list[np.ndarray]
    q_star_exact: list[np.ndarray] | None
    v_star: np.ndarray
    sets: list[Any] | None = field(default=None)

    def v_start(self, mu: Sequence[Any]) -> list[Any]:
        """:math:`Σ_s μ(s) V^*_i(s)` per agent (exact when the reference and μ are)."""
        n, S = self.v_star.shape
        if self.exact:
            return [sum((Fraction(mu[s]) * self.v_star[i, s] for s in range(S)), Fraction(0)) for i in range(n)]
        return [float(sum(float(mu[s]) * float(self.v_star[i, s]) for s in range(S))) for i in range(n)]


def set_distance(reference: GameReference, joints: Sequence[np.ndarray]) -> float:
    """Max over non-terminal states of the total-variation distance from the joint distribution ``joints[s]``
    to the reference's equilibrium set (zero-sum: max over the two agents' marginals of the distance to their
    optimal-strategy polytope; team: the probability outside the team-optimal joint actions)."""
    if reference.sets is None:
        raise InvalidNumber("set_distance(): the reference has no exact equilibrium set")
    out = 0.0
    for s, st in enumerate(reference.sets):
        if st is None:
            continue
        p = np.asarray(joints[s], dtype=np.float64)
        if st[0] == "support":
            out = max(out, float(p[~st[1]].sum()))
            continue
        _, X, Y = st
        for marg, verts in ((p.sum(axis=1), X), (p.sum(axis=0), Y)):
            if len(verts) == 1:
                d = 0.5 * float(np.abs(marg - verts[0]).sum())
            else:
                d = distance_to_hull([marg], [[v] for v in verts], "tv")
            out = max(out, d)
    return out


def no_reference_verdict(notion: str, why: str) -> Verdict:
    return Verdict(notion, Status.NOT_ESTABLISHED, f"not established: {why}")


def judge_final_window(notion: str, distances: Sequence[float], steps: Sequence[int], tolerance: float, window: int,
                       what: str, *, reference_error: float = 0.0) -> Verdict:
    """Verdict on ``distances`` (one per snapshot in the final window, labelled by ``steps``) against
    ``tolerance``; ``reference_error`` (a bound on the reference's own float error) is added to the measured
    worst case.  ``WITHIN_TOLERANCE`` iff the window is full and worst + reference_error < tolerance."""
    if not (tolerance > 0) or not np.isfinite(tolerance):
        raise InvalidNumber(f"judge_final_window(): tolerance must be a finite number > 0, got {tolerance!r}")
    d = np.asarray(distances, dtype=np.float64).reshape(-1)
    witness: dict[str, Any] = {"window": int(window), "points": int(d.size),
                               "steps": [int(x) for x in steps], "distances": d.tolist(),
                               "reference_error": reference_error}
    if d.size == 0:
        return Verdict(notion, Status.NOT_ESTABLISHED, "not established: no snapshots", witness)
    worst = float(d.max()) + reference_error
    if d.size < window:
        return Verdict(notion, Status.NOT_ESTABLISHED,
                       f"not established: only {d.size} snapshots, fewer than the window of {window}", witness,
                       tolerance, worst)
    if worst < tolerance:
        return Verdict(notion, Status.WITHIN_TOLERANCE,
                       f"{what} < {tolerance:g} at each of the last {window} snapshots (steps {int(steps[0])}–"
                       f"{int(steps[-1])}); worst {worst:.3g}", witness, tolerance, worst)
    return Verdict(notion, Status.NOT_ESTABLISHED,
                   f"not established within the budget: {what} reaches {worst:.3g} ≥ {tolerance:g} in the last "
                   f"{window} snapshots (final {float(d[-1]) + reference_error:.3g})", witness, tolerance, worst)


def stationarity(series: Sequence[np.ndarray], window: int, delta: float) -> dict[str, Any]:
    """"Stationary: the last ``window`` snapshots move < ``delta``" (max-norm distance of each of them to the
    last snapshot) — a statement about the trace, not about convergence."""
    arrs = [np.asarray(x, dtype=np.float64) for x in series]
    last = arrs[-1]
    tail = arrs[-window:]
    move = max((float(np.max(np.abs(a - last))) if a.size else 0.0) for a in tail)
    return {"statement": f"stationary (last {len(tail)} snapshots move < {delta:g})", "stationary":
            bool(len(tail) >= window and move < delta), "max_move": move, "delta": float(delta),
            "window": int(window)}


def float_policy_values(arrays: Any, joints: Sequence[np.ndarray]) -> np.ndarray:
    r"""Float :math:`V^π_i(s)`, shape ``(n, S)``, of the joint policy ``joints[s]`` (distributions over joint
    actions) from a game's float arrays (:func:`jalverify.learners.simulator.game_arrays`): one dense solve of
    :math:`(I − γ M^π) V = r^π` (Eq. 6.9).  Used to judge the return notions of a float trace; never exact."""
    S, n = arrays.n_states, arrays.n_players
    M = np.zeros((S, S))
    r = np.zeros((n, S))
    for s in range(S):
        if arrays.terminal[s]:
            continue
        p = np.asarray(joints[s], dtype=np.float64).reshape(-1)
        T = arrays.transitions[s].reshape(-1, S)
        M[s] = p @ T
        r[:, s] = arrays.expected_rewards[s].reshape(n, -1) @ p
    A = np.eye(S) - arrays.gamma * M
    return np.linalg.solve(A, r.T).T
