r"""Distances between joint policies, and from a policy to a set of solutions.

A policy of a ``|S|``-state game is represented as one vector per **block** (a block is the joint distribution at
one state, or one agent's marginal at one state); the distance between two policies is the **maximum over
blocks** of a distance between distributions:

* total variation :math:`\mathrm{TV}(p, q) = \tfrac12 Σ_a |p(a) − q(a)|`;
* :math:`L_∞(p, q) = \max_a |p(a) − q(a)|`.

Distance to a **finite set** of solutions is the minimum over its members.  Distance to a **polytope** given by
its vertices :math:`v_1 … v_m` (the convex hull) is the small LP

.. math::  \min_{λ ≥ 0,\ Σλ = 1,\ t} t \quad\text{s.t.}\quad d_b\big(p_b, Σ_j λ_j v_{j,b}\big) ≤ t \ \text{for every block } b,

with :math:`d_b` linearised by epigraph variables (``u ≥ ±(p − Vλ)``), solved with HiGHS (scipy).  A float
result: "within the solver's tolerance" (HiGHS default feasibility 1e-7).  When the hull is a product of
per-block hulls (e.g. the Nash set of a zero-sum matrix game is X* × Y*), pass ``per_block=True`` to take a
separate hull in every block, which is then exact for that product set.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jalverify.errors import InvalidNumber, SolverError

__all__ = ["METRICS", "block_distance", "distance_to_hull", "distance_to_members"]

METRICS = ("tv", "linf")


def _check_metric(metric: str) -> None:
    if metric not in METRICS:
        raise InvalidNumber(f"unknown distance {metric!r}; distances are {METRICS}")


def block_distance(p: Sequence[np.ndarray], q: Sequence[np.ndarray], metric: str = "tv") -> float:
    """Max over blocks of TV or L∞ between ``p[b]`` and ``q[b]``."""
    _check_metric(metric)
    if len(p) != len(q):
        raise InvalidNumber(f"block_distance(): {len(p)} blocks against {len(q)}")
    out = 0.0
    for a, b in zip(p, q):
        diff = np.abs(np.asarray(a, dtype=np.float64).reshape(-1) - np.asarray(b, dtype=np.float64).reshape(-1))
        out = max(out, float(0.5 * diff.sum()) if metric == "tv" else float(diff.max(initial=0.0)))
    return out


def distance_to_members(p: Sequence[np.ndarray], members: Sequence[Sequence[np.ndarray]], metric: str = "tv") -> tuple[float, int]:
    """``(min_j block_distance(p, members[j]), argmin j)``."""
    if not members:
        raise InvalidNumber("distance_to_members(): the set of solutions is empty")
    ds = [block_distance(p, m, metric) for m in members]
    j = int(np.argmin(ds))
    return ds[j], j


def distance_to_hull(p: Sequence[np.ndarray], vertices: Sequence[Sequence[np.ndarray]], metric: str = "tv",
                     *, per_block: bool = False) -> float:
    """Distance (max over blocks) from ``p`` to the convex hull of ``vertices`` (module docstring)."""
    _check_metric(metric)
    if not vertices:
        raise InvalidNumber("distance_to_hull(): no vertices given")
    if per_block:
        return max(_hull_lp([p[b]], [[v[b]] for v in vertices], metric) for b in range(len(p)))
    return _hull_lp(p, vertices, metric)


def _hull_lp(p: Sequence[np.ndarray], vertices: Sequence[Sequence[np.ndarray]], metric: str) -> float:
    from scipy.optimize import linprog

    pv = np.concatenate([np.asarray(b, dtype=np.float64).reshape(-1) for b in p])
    V = np.stack([np.concatenate([np.asarray(b, dtype=np.float64).reshape(-1) for b in v]) for v in vertices], axis=1)
    if V.shape[0] != pv.size:
        raise InvalidNumber(f"distance_to_hull(): point has {pv.size} coordinates, vertices have {V.shape[0]}")
    sizes = [np.asarray(b).size for b in p]
    m, k = V.shape
    nb = len(sizes)
    # variables: λ (k), u (m), t (1)
    nvar = k + m + 1
    c = np.zeros(nvar)
    c[-1] = 1.0
    A_ub = []
    b_ub = []
    # u ≥ p − Vλ  →  −Vλ − u ≤ −p ;  u ≥ Vλ − p  →  Vλ − u ≤ p
    top = np.hstack([-V, -np.eye(m), np.zeros((m, 1))])
    bot = np.hstack([V, -np.eye(m), np.zeros((m, 1))])
    A_ub.extend([top, bot])
    b_ub.extend([-pv, pv])
    start = 0
    for b in range(nb):
        sl = slice(start, start + sizes[b])
        if metric == "tv":
            row = np.zeros(nvar)
            row[k + sl.start:k + sl.stop] = 0.5
            row[-1] = -1.0
            A_ub.append(row[None, :])
            b_ub.append(np.zeros(1))
        else:
            rows = np.zeros((sizes[b], nvar))
            rows[np.arange(sizes[b]), k + np.arange(sl.start, sl.stop)] = 1.0
            rows[:, -1] = -1.0
            A_ub.append(rows)
            b_ub.append(np.zeros(sizes[b]))
        start += sizes[b]
    A_eq = np.zeros((1, nvar))
    A_eq[0, :k] = 1.0
    res = linprog(c, A_ub=np.vstack(A_ub), b_ub=np.concatenate(b_ub), A_eq=A_eq, b_eq=[1.0],
                  bounds=[(0, None)] * (k + m) + [(0, None)], method="highs")
    if res.status != 0:
        raise SolverError(f"distance_to_hull(): HiGHS status {res.status}: {res.message}")
    return max(0.0, float(res.fun))
