r"""Convergence reports: three honest states instead of a boolean.

Every convergence notion of the book (§5.2, pp.92–94; theory.md §7) is a statement about a **limit**; a trace is
finite, so no check can prove or disprove one.  A check therefore judges a finite-horizon surrogate with an
explicit tolerance ε, an explicit window of ``W`` trace points (snapshots, or episodes for returns) and an
explicit distance ``d``, and reports one of:

* ``ESTABLISHED``: every one of the final ``W`` points has ``d < ε``.  This is evidence, not proof: it says
  the recorded run stayed within ε over the whole final window, nothing about later steps.
* ``CONTRADICTED``: the ε-bound is violated (``d ≥ ε`` somewhere) in each of the final ``repeats`` disjoint
  windows of ``W`` points.  Then the finite-horizon claim "``d < ε`` from some point ``z_0`` on", with
  ``z_0`` anywhere before the start of the last of those windows, is false on this run: the run shows
  persistent non-convergence at this ε.  It does not prove that no limit exists.
* ``NOT_ESTABLISHED``: neither; e.g. the final window has a violation that is not persistent, or the trace
  has fewer than ``W`` points.

The :class:`ConvergenceReport` carries the numbers behind the verdict (``evidence``): the largest and last
distance in the final window, how many points of it violate the bound, the first point from which the bound
held to the end (if any), and the per-window maxima.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from jalverify.errors import InvalidNumber

__all__ = ["ConvergenceReport", "ConvergenceStatus", "judge_series"]


class ConvergenceStatus(enum.Enum):
    """Outcome of a convergence check (see the module docstring for the exact meaning)."""

    ESTABLISHED = "established"
    NOT_ESTABLISHED = "not_established"
    CONTRADICTED = "contradicted"

    @property
    def words(self) -> str:
        """What a person reads: ESTABLISHED is numerical evidence over the final window only ("holds within
        tolerance" of the verdict vocabulary, :mod:`jalverify.verdicts`), CONTRADICTED a numerical finding about
        the finite run."""
        return {"established": "holds within tolerance (final window)", "not_established": "not established",
                "contradicted": "persistently violated (numerical)"}[self.value]


@dataclass(frozen=True)
class ConvergenceReport:
    """The result of one convergence check.

    Attributes
    ----------
    notion : str
        ``"policy"``, ``"expected_return"``, ``"empirical_distribution"``, ``"averaged_policy"``,
        ``"solution_set"`` or ``"average_return"``.
    status : ConvergenceStatus
    epsilon : float
    window : int
        Number of trace points in the judged window.
    evidence : dict
        Numbers behind the verdict (see :func:`judge_series`) plus notion-specific details (distance used,
        target description, ...).
    """

    notion: str
    status: ConvergenceStatus
    epsilon: float
    window: int
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def established(self) -> bool:
        return self.status is ConvergenceStatus.ESTABLISHED

    def to_json(self) -> dict[str, Any]:
        return {"notion": self.notion, "status": self.status.value, "epsilon": self.epsilon, "window": self.window,
                "evidence": self.evidence}

    def __str__(self) -> str:
        ev = self.evidence
        return (f"[{self.status.words}] {self.notion}: eps={self.epsilon:g}, window={self.window}, "
                f"final-window max d={ev.get('window_max', float('nan')):.3g}")


def judge_series(distances: Any, epsilon: float, window: int, *, repeats: int = 2,
                 points: Any = None) -> tuple[ConvergenceStatus, dict[str, Any]]:
    """Judge a series of distances ``d_0 … d_{T-1}`` (module docstring) and return the status and evidence.

    Parameters
    ----------
    distances : 1-d array-like
    epsilon : float
        ``> 0``.
    window : int
        ``W ≥ 1``.
    repeats : int
        Number of final disjoint windows that must all violate the bound for ``CONTRADICTED`` (``≥ 1``).
    points : 1-d array-like, optional
        Labels of the points (e.g. step numbers) for the evidence; default ``0..T-1``.
    """
    if not (epsilon > 0):
        raise InvalidNumber(f"judge_series(): epsilon must be > 0, got {epsilon!r}")
    if window < 1 or repeats < 1:
        raise InvalidNumber(f"judge_series(): need window >= 1 and repeats >= 1, got window={window!r}, repeats={repeats!r}")
    d = np.asarray(distances, dtype=np.float64).reshape(-1)
    T = d.size
    labels = np.arange(T) if points is None else np.asarray(points).reshape(-1)
    ev: dict[str, Any] = {"points": int(T), "repeats": int(repeats)}
    if T == 0:
        ev["reason"] = "empty series"
        return ConvergenceStatus.NOT_ESTABLISHED, ev
    bad = d >= epsilon
    # first point from which the bound holds to the end
    if not bad[-1]:
        last_bad = int(np.nonzero(bad)[0][-1]) if bad.any() else -1
        ev["within_from"] = int(labels[last_bad + 1])
    else:
        ev["within_from"] = None
    ev["last_distance"] = float(d[-1])
    if T < window:
        ev["reason"] = f"only {T} points, fewer than the window of {window}"
        ev["window_max"] = float(d.max())
        return ConvergenceStatus.NOT_ESTABLISHED, ev
    final = d[T - window:]
    ev["window_max"] = float(final.max())
    ev["window_mean"] = float(final.mean())
    ev["window_violations"] = int((final >= epsilon).sum())
    ev["window_start"] = int(labels[T - window])
    maxima = [float(d[max(0, T - (r + 1) * window):T - r * window].max()) for r in range(min(repeats, T // window))]
    ev["window_maxima"] = maxima[::-1]
    if not bad[T - window:].any():
        return ConvergenceStatus.ESTABLISHED, ev
    if T >= repeats * window and all(m >= epsilon for m in maxima[:repeats]) and len(maxima) >= repeats:
        ev["reason"] = f"the bound is violated in each of the last {repeats} windows"
        return ConvergenceStatus.CONTRADICTED, ev
    ev["reason"] = "violations in the final window, not in every one of the last windows"
    return ConvergenceStatus.NOT_ESTABLISHED, ev
