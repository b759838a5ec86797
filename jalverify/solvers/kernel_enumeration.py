r"""Float minimax solutions of small zero-sum matrix games by enumerating square kernels (Shapley & Snow 1950).

For the row player's payoff matrix ``A`` (``m × n``) Shapley & Snow (1950, "Basic solutions of discrete games",
Contributions to the Theory of Games I, Theorem 4) show that some pair of optimal strategies is **basic**: for a
square nonsingular submatrix ``M = A[I, J]`` (the *kernel*, ``|I| = |J| = r``) the strategies supported on
``I`` and ``J`` solve

.. math::  x_I^\top M = v\,\mathbf 1^\top,\quad \mathbf 1^\top x_I = 1, \qquad M y_J = v\,\mathbf 1,\quad
           \mathbf 1^\top y_J = 1 .

This module enumerates the kernels of sizes ``r = 1, 2, …, min(m, n)`` (a caller's hint first), solves each
batch of these linear systems with numpy, projects ``x`` and ``y`` onto the simplex (negative weights beyond
``tol`` reject the kernel) and accepts the first kernel of the smallest size whose **duality gap**

.. math::  \mathrm{gap} = \max_i (A y)_i - \min_j (x^\top A)_j

is at most ``tol`` (the smallest gap wins within a size, ties to the first kernel in lexicographic order).
Since :math:`\min_j (x^\top A)_j \le \mathrm{val}(A) \le \max_i (A y)_i` for *any* mixed strategies ``x``,
``y`` (von Neumann), an accepted answer brackets the value: the returned value is the midpoint, within
``gap / 2`` of the true value up to float rounding of those two products.  These are the optimality
conditions of the stage LP (Albrecht, Christianos & Schäfer 2024, Eqs. 4.12–4.15) checked within a stated
tolerance, so the result is *within tolerance*, never *proven*.

When no kernel passes (only possible through rounding on nearly singular kernels, or with a ``tol`` below the
attainable accuracy) the result has status :attr:`KernelStatus.NO_KERNEL_PASSED` and no strategies: the caller
must use another correct solver (e.g. :func:`jalverify.solvers.minimax.minimax_value`), never a guess.

The number of kernels is :math:`\sum_r \binom{m}{r}\binom{n}{r}` (251 for 5×5), so :data:`MAX_ACTIONS` bounds
both dimensions.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import Enum
from functools import cache

import numpy as np

from jalverify.errors import GameTooLarge, InvalidGame, InvalidNumber

__all__ = ["DEFAULT_TOLERANCE", "MAX_ACTIONS", "KernelSolution", "KernelStatus", "kernel_minimax_solve"]

MAX_ACTIONS = 6
"""Largest number of actions per player accepted by :func:`kernel_minimax_solve`."""

DEFAULT_TOLERANCE = 1e-11
"""Default accepted duality gap, relative to ``max(1, max|A|)``."""


class KernelStatus(Enum):
    """SOLVED: a kernel passed the gap test; NO_KERNEL_PASSED: none did (use another solver)."""

    SOLVED = "solved"
    NO_KERNEL_PASSED = "no_kernel_passed"


@dataclass(frozen=True, eq=False)
class KernelSolution:
    """Result of :func:`kernel_minimax_solve`.

    Attributes
    ----------
    status : KernelStatus
    value : float
        Midpoint of ``[min_j (xᵀA)_j, max_i (Ay)_i]`` (NaN when not solved).
    x, y : ndarray or None
        Row player's maximin and column player's minimax strategies (float64, on the simplex); ``None`` when not
        solved.
    rows, cols : tuple of int
        The accepted kernel ``I``, ``J`` (empty when not solved); pass them back as ``hint``.
    gap : float
        ``max_i (Ay)_i − min_j (xᵀA)_j`` of the accepted pair (``inf`` when not solved).
    tolerance : float
        The absolute gap that was accepted.
    """

    status: KernelStatus
    value: float
    x: np.ndarray | None
    y: np.ndarray | None
    rows: tuple[int, ...]
    cols: tuple[int, ...]
    gap: float
    tolerance: float

    @property
    def solved(self) -> bool:
        return self.status is KernelStatus.SOLVED


@cache
def _kernels(m: int, n: int, r: int) -> tuple[np.ndarray, np.ndarray]:
    """All pairs of ``r``-subsets of rows and columns, lexicographic: arrays of shape ``(B, r)``."""
    rows = list(itertools.combinations(range(m), r))
    cols = list(itertools.combinations(range(n), r))
    I = np.array([p for p in rows for _ in cols], dtype=np.intp).reshape(-1, r)
    J = np.array([q for _ in rows for q in cols], dtype=np.intp).reshape(-1, r)
    return I, J


def _try(A: np.ndarray, I: np.ndarray, J: np.ndarray, tol: float
         ) -> tuple[int, np.ndarray, np.ndarray, float, float, float] | None:
    """Solve the kernels ``(I[b], J[b])`` of one size; the best passing one as ``(b, x, y, lower, upper, gap)``."""
    B, r = I.shape
    m, n = A.shape
    AI = A[I]  # (B, r, n): the kernel's rows
    M = np.take_along_axis(AI, np.broadcast_to(J[:, None, :], (B, r, r)), axis=2)  # (B, r, r)
    K = np.zeros((2 * B, r + 1, r + 1))
    K[:B, :r, :r] = M  # M y = v 1, 1ᵀy = 1
    K[B:, :r, :r] = np.swapaxes(M, 1, 2)  # Mᵀ x = v 1, 1ᵀx = 1
    K[:, :r, r] = -1.0
    K[:, r, :r] = 1.0
    rhs = np.zeros((2 * B, r + 1, 1))
    rhs[:, r, 0] = 1.0
    try:
        sol = np.linalg.solve(K, rhs)[:, :r, 0]
        idx = np.arange(B)
    except np.linalg.LinAlgError:  # some kernel is singular: keep the clearly nonsingular ones
        scale = np.abs(M).max(axis=(1, 2)) + 1.0
        ok = np.abs(np.linalg.det(K[:B])) > 1e-12 * scale ** r
        if not ok.any():
            return None
        idx = np.flatnonzero(ok)
        sol = np.linalg.solve(np.concatenate([K[:B][ok], K[B:][ok]]),
                              rhs[: 2 * idx.size])[:, :r, 0]
    G = idx.size
    ysol, xsol = sol[:G], sol[G:]
    good = (xsol.min(axis=1) >= -tol) & (ysol.min(axis=1) >= -tol)
    if not good.any():
        return None
    idx = idx[good]
    xsol = np.clip(xsol[good], 0.0, None)
    ysol = np.clip(ysol[good], 0.0, None)
    xsol /= xsol.sum(axis=1, keepdims=True)
    ysol /= ysol.sum(axis=1, keepdims=True)
    lower = np.einsum("br,brn->bn", xsol, AI[idx]).min(axis=1)  # min_j (xᵀA)_j
    upper = np.einsum("mbr,br->bm", A[:, J[idx]], ysol).max(axis=1)  # max_i (Ay)_i
    gap = upper - lower
    best = int(np.argmin(gap))
    if not gap[best] <= tol:
        return None
    x = np.zeros(m)
    y = np.zeros(n)
    x[I[idx[best]]] = xsol[best]
    y[J[idx[best]]] = ysol[best]
    return int(idx[best]), x, y, float(lower[best]), float(upper[best]), float(gap[best])


def _try_one(A: np.ndarray, rows: tuple[int, ...], cols: tuple[int, ...], tol: float
             ) -> tuple[np.ndarray, np.ndarray, float, float, float] | None:
    """The same test as :func:`_try` for one kernel, with few numpy calls (the hint path of a learner)."""
    r = len(rows)
    K = np.zeros((2, r + 1, r + 1))
    M = A[np.ix_(rows, cols)]
    K[0, :r, :r] = M
    K[1, :r, :r] = M.T
    K[:, :r, r] = -1.0
    K[:, r, :r] = 1.0
    rhs = np.zeros((2, r + 1, 1))
    rhs[:, r, 0] = 1.0
    try:
        sol = np.linalg.solve(K, rhs)[:, :r, 0]
    except np.linalg.LinAlgError:  # singular kernel: this hint does not apply, enumerate
        return None
    if not np.all(np.isfinite(sol)) or sol.min() < -tol:
        return None
    sol = np.clip(sol, 0.0, None)
    sol /= sol.sum(axis=1, keepdims=True)
    x = np.zeros(A.shape[0])
    y = np.zeros(A.shape[1])
    x[list(rows)] = sol[1]
    y[list(cols)] = sol[0]
    lower = float((x @ A).min())
    upper = float((A @ y).max())
    gap = upper - lower
    if not gap <= tol:
        return None
    return x, y, lower, upper, gap


def kernel_minimax_solve(A: np.ndarray, *, tol: float | None = None,
                         hint: tuple[tuple[int, ...], tuple[int, ...]] | None = None) -> KernelSolution:
    """Value and optimal strategies of a small zero-sum matrix game, within a stated duality gap.

    Parameters
    ----------
    A : array-like of float, shape (m, n)
        Row player's payoffs (the row player maximises); ``m, n ≤`` :data:`MAX_ACTIONS`.
    tol : float, optional
        Accepted duality gap (absolute).  Default :data:`DEFAULT_TOLERANCE` ``· max(1, max|A|)``.
    hint : (rows, cols), optional
        A kernel to try first (e.g. the one accepted for a nearby matrix; a learner whose Q changed in one entry
        usually keeps its kernel).

    Returns
    -------
    KernelSolution
        Status SOLVED with ``value``, ``x``, ``y``, the kernel and its gap, or NO_KERNEL_PASSED.

    Raises
    ------
    InvalidGame
        ``A`` is not a finite 2-D float array with at least one row and column.
    GameTooLarge
        More than :data:`MAX_ACTIONS` rows or columns.
    """
    where = "kernel_minimax_solve()"
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] < 1 or A.shape[1] < 1:
        raise InvalidGame(f"{where}: A must be a non-empty matrix, got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise InvalidGame(f"{where}: A has a non-finite entry at {tuple(int(i) for i in np.argwhere(~np.isfinite(A))[0])}")
    m, n = A.shape
    if m > MAX_ACTIONS or n > MAX_ACTIONS:
        raise GameTooLarge(f"{where}: A is {m}×{n}; kernel enumeration takes at most {MAX_ACTIONS} actions per player")
    if tol is None:
        tol = DEFAULT_TOLERANCE * max(1.0, float(np.abs(A).max()))
    elif not (tol >= 0 and np.isfinite(tol)):
        raise InvalidNumber(f"{where}: tol must be a finite number >= 0, got {tol!r}")
    batches: list[tuple[np.ndarray, np.ndarray]] = []
    if hint is not None:
        rows, cols = tuple(int(i) for i in hint[0]), tuple(int(j) for j in hint[1])
        if (len(rows) != len(cols) or not rows or len(set(rows)) != len(rows) or len(set(cols)) != len(cols)
                or not all(0 <= i < m for i in rows) or not all(0 <= j < n for j in cols)):
            raise InvalidGame(f"{where}: hint {hint!r} is not a square kernel of a {m}×{n} matrix")
        one = _try_one(A, rows, cols, tol)
        if one is not None:
            x, y, lower, upper, gap = one
            return KernelSolution(KernelStatus.SOLVED, 0.5 * (lower + upper), x, y, rows, cols, gap, float(tol))
    # r = 1: the best pure pair is the maximin row against the minimax column (a pure saddle point when gap 0)
    row_min = A.min(axis=1)
    col_max = A.max(axis=0)
    i, j = int(np.argmax(row_min)), int(np.argmin(col_max))
    if col_max[j] - row_min[i] <= tol:
        x = np.zeros(m)
        y = np.zeros(n)
        x[i] = y[j] = 1.0
        return KernelSolution(KernelStatus.SOLVED, 0.5 * float(row_min[i] + col_max[j]), x, y, (i,), (j,),
                              float(col_max[j] - row_min[i]), float(tol))
    for r in range(2, min(m, n) + 1):
        batches.append(_kernels(m, n, r))
    for I, J in batches:
        found = _try(A, I, J, tol)
        if found is not None:
            b, x, y, lower, upper, gap = found
            return KernelSolution(KernelStatus.SOLVED, 0.5 * (lower + upper), x, y, tuple(int(i) for i in I[b]),
                                  tuple(int(j) for j in J[b]), gap, float(tol))
    return KernelSolution(KernelStatus.NO_KERNEL_PASSED, float("nan"), None, None, (), (), float("inf"), float(tol))
