r"""Compiled (numba) float minimax of small matrix games: the float path of
:func:`jalverify.learners.minimax_q.maximin_with_kernel` in one compiled function.

Only the Minimax-Q learning loop (:mod:`jalverify.learners._minimax_q_kernel`) and tests import this module, so
``import jalverify`` never imports numba.  For the row player's payoff matrix ``A`` (``m × n``, row player
maximises) :func:`maximin_small` tries, in the order and with the tie rules of the numpy path:

1. **one row, one column or a pure saddle point** (``max_i min_j A = min_j max_i A`` compared exactly; von
   Neumann): the pure maximin row and minimax column (first index on ties), value ``A[i, j]``;
2. **2×2 closed form** ``v = (ad − bc)/(a + d − b − c)`` when both strategies are fully mixed;
3. **Shapley–Snow kernels** (Shapley & Snow 1950, Theorem 4; the algorithm of
   :mod:`jalverify.solvers.kernel_enumeration`): the caller's hint kernel first, then the best pure pair
   within the tolerance, then every square kernel of size ``r = 2, …, min(m, n)`` in lexicographic order (rows
   outer, columns inner).  Each kernel's two linear systems ``Mᵀx = v1, 1ᵀx = 1`` and ``My = v1, 1ᵀy = 1`` are
   solved by Gaussian elimination with partial pivoting; a kernel with an exactly zero pivot or a non-finite
   solution is skipped, weights below ``−tol`` reject it, the rest are clipped at 0 and normalised.  Within
   a size the kernel with the smallest **duality gap** ``max_i (Ay)_i − min_j (xᵀA)_j`` wins (ties to the
   first); it is accepted only when the gap is at most ``tol = tol_factor · max(1, max|A|)`` — the same stated
   tolerance as :data:`jalverify.solvers.kernel_enumeration.DEFAULT_TOLERANCE` — and the value is the
   midpoint of the bracket ``[min_j (xᵀA)_j, max_i (Ay)_i]`` (von Neumann: any ``x``, ``y`` bracket
   ``val(A)``).

When none of these applies — a non-finite entry, more than ``max_actions`` actions for a player, or no
kernel within the tolerance — the result is **declined** (status 0) and the caller must use another correct
solver (the learner hands the state to the numpy path, which ends with HiGHS), never a guess.

The numpy path and this one run the same tests; the kernel systems and the gap products are summed in a
different order, so the values agree within float round-off (a few ulps of ``max|A|``), not bit for bit.
Cases 1 and 2 are bit-identical.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

__all__ = ["CompiledMaximin", "compiled_maximin", "maximin_small"]

_MAX_KERNEL = 8  # scratch size of the compiled solver: max_actions must not exceed it


@numba.njit(cache=True)
def _lu_solve(K: np.ndarray, size: int, z: np.ndarray) -> bool:  # pragma: no cover - compiled
    """Solve ``K[:size, :size] w = z[:size]`` in place (Gaussian elimination, partial pivoting); ``False`` on an
    exactly zero pivot."""
    for c in range(size):
        p = c
        best = abs(K[c, c])
        for i in range(c + 1, size):
            v = abs(K[i, c])
            if v > best:
                best = v
                p = i
        if best == 0.0:
            return False
        if p != c:
            for j in range(size):
                t = K[c, j]
                K[c, j] = K[p, j]
                K[p, j] = t
            t = z[c]
            z[c] = z[p]
            z[p] = t
        piv = K[c, c]
        for i in range(c + 1, size):
            f = K[i, c] / piv
            if f != 0.0:
                for j in range(c + 1, size):
                    K[i, j] -= f * K[c, j]
                z[i] -= f * z[c]
    for i in range(size - 1, -1, -1):
        acc = z[i]
        for j in range(i + 1, size):
            acc -= K[i, j] * z[j]
        z[i] = acc / K[i, i]
    return True


@numba.njit(cache=True)
def _kernel_side(A: np.ndarray, rows: np.ndarray, cols: np.ndarray, r: int, transposed: bool, tol: float,
                 K: np.ndarray, z: np.ndarray, out: np.ndarray, length: int) -> float:  # pragma: no cover
    """One side of the kernel's equalities: with ``M = A[rows[:r], cols[:r]]``, solve ``M w = v 1, 1ᵀ w = 1`` (the
    column player's weights) or, ``transposed``, ``Mᵀ w = v 1, 1ᵀ w = 1`` (the row player's), write the weights
    (clipped at 0 within ``tol``) into ``out[:length]`` at the kernel's indices and return their sum; ``-1.0`` when
    the system is singular or a weight is below ``-tol`` or not finite (the kernel is rejected)."""
    size = r + 1
    for i in range(r):
        for j in range(r):
            K[i, j] = A[rows[j], cols[i]] if transposed else A[rows[i], cols[j]]
        K[i, r] = -1.0
        z[i] = 0.0
    for j in range(r):
        K[r, j] = 1.0
    K[r, r] = 0.0
    z[r] = 1.0
    if not _lu_solve(K, size, z):
        return -1.0
    for k in range(length):
        out[k] = 0.0
    total = 0.0
    for k in range(r):
        w = z[k]
        if not np.isfinite(w) or w < -tol:
            return -1.0
        w = max(w, 0.0)
        out[rows[k] if transposed else cols[k]] = w
        total += w
    return total


@numba.njit(cache=True)
def _kernel_test(A: np.ndarray, m: int, n: int, rows: np.ndarray, cols: np.ndarray, r: int, tol: float,
                 K: np.ndarray, z: np.ndarray, x: np.ndarray,
                 y: np.ndarray) -> tuple[float, float, float]:  # pragma: no cover - compiled
    """Strategies of the kernel ``(rows[:r], cols[:r])`` into ``x``, ``y``; returns ``(gap, lower, upper)`` with
    ``gap = inf`` when the kernel is rejected."""
    inf = np.inf
    ysum = _kernel_side(A, rows, cols, r, False, tol, K, z, y, n)  # M y = v 1, 1ᵀ y = 1
    if ysum < 0.0:
        return inf, inf, inf
    xsum = _kernel_side(A, rows, cols, r, True, tol, K, z, x, m)  # Mᵀ x = v 1, 1ᵀ x = 1
    if xsum < 0.0:
        return inf, inf, inf
    if not (xsum > 0.0 and ysum > 0.0):
        return inf, inf, inf
    for i in range(r):
        x[rows[i]] /= xsum
    for j in range(r):
        y[cols[j]] /= ysum
    lower = inf
    for j in range(n):
        acc = 0.0
        for i in range(r):
            acc += x[rows[i]] * A[rows[i], j]
        lower = min(lower, acc)
    upper = -inf
    for i in range(m):
        acc = 0.0
        for j in range(r):
            acc += A[i, cols[j]] * y[cols[j]]
        upper = max(upper, acc)
    gap = upper - lower
    if not np.isfinite(gap):
        return inf, inf, inf
    return gap, lower, upper


@numba.njit(cache=True)
def _next_combination(c: np.ndarray, r: int, total: int) -> bool:  # pragma: no cover - compiled
    """Advance ``c[:r]`` to the next ``r``-subset of ``range(total)`` in lexicographic order."""
    i = r - 1
    while i >= 0 and c[i] == total - r + i:
        i -= 1
    if i < 0:
        return False
    c[i] += 1
    for j in range(i + 1, r):
        c[j] = c[j - 1] + 1
    return True


@numba.njit(cache=True)
def maximin_small(A: np.ndarray, m: int, n: int, hint_r: int, hint_rows: np.ndarray, hint_cols: np.ndarray,
                  tol_factor: float, max_actions: int, x: np.ndarray, y: np.ndarray, k_rows: np.ndarray,
                  k_cols: np.ndarray) -> tuple[int, float, int]:  # pragma: no cover - compiled
    """Minimax of ``A[:m, :n]`` (see the module docstring).

    Returns ``(status, value, r)``: status 1 (solved; ``x[:m]``, ``y[:n]`` hold the maximin row and minimax
    column strategies, and when ``r > 0`` the accepted kernel is ``k_rows[:r]``, ``k_cols[:r]``; ``r = 0``
    means a pure saddle point or the 2×2 closed form) or 0 (declined: use another solver).  ``hint_r = 0``
    means no hint.
    """
    for i in range(m):
        for j in range(n):
            if not np.isfinite(A[i, j]):
                return 0, np.nan, 0
    # 1. one row, one column, pure saddle point (exact comparison)
    bi = 0
    lower = np.inf
    for i in range(m):
        rmin = A[i, 0]
        for j in range(1, n):
            rmin = min(rmin, A[i, j])
        if i == 0 or rmin > lower:
            lower = rmin
            bi = i
    bj = 0
    upper = -np.inf
    for j in range(n):
        cmax = A[0, j]
        for i in range(1, m):
            cmax = max(cmax, A[i, j])
        if j == 0 or cmax < upper:
            upper = cmax
            bj = j
    if m == 1 or n == 1 or lower == upper:
        for i in range(m):
            x[i] = 0.0
        for j in range(n):
            y[j] = 0.0
        x[bi] = 1.0
        y[bj] = 1.0
        return 1, A[bi, bj], 0
    # 2. 2×2 closed form
    if m == 2 and n == 2:
        a, b, c, d = A[0, 0], A[0, 1], A[1, 0], A[1, 1]
        den = a + d - b - c
        if den != 0.0:
            p = (d - c) / den
            q = (d - b) / den
            if 0.0 < p < 1.0 and 0.0 < q < 1.0:
                x[0] = p
                x[1] = 1.0 - p
                y[0] = q
                y[1] = 1.0 - q
                return 1, (a * d - b * c) / den, 0
    if m > max_actions or n > max_actions or max_actions > _MAX_KERNEL:
        return 0, np.nan, 0
    # 3. Shapley–Snow kernels
    amax = 0.0
    for i in range(m):
        for j in range(n):
            amax = max(amax, abs(A[i, j]))
    tol = tol_factor * max(1.0, amax)
    K = np.empty((_MAX_KERNEL + 1, _MAX_KERNEL + 1))
    z = np.empty(_MAX_KERNEL + 1)
    cx = np.empty(m)
    cy = np.empty(n)
    if hint_r > min(m, n):
        return 0, np.nan, 0
    for t in range(hint_r):
        if not (0 <= hint_rows[t] < m and 0 <= hint_cols[t] < n):
            return 0, np.nan, 0
    if hint_r > 0:
        gap, lo, up = _kernel_test(A, m, n, hint_rows, hint_cols, hint_r, tol, K, z, cx, cy)
        if gap <= tol:
            for i in range(m):
                x[i] = cx[i]
            for j in range(n):
                y[j] = cy[j]
            for t in range(hint_r):
                k_rows[t] = hint_rows[t]
                k_cols[t] = hint_cols[t]
            return 1, 0.5 * (lo + up), hint_r
    # r = 1 within the tolerance: the maximin row against the minimax column
    if upper - lower <= tol:
        for i in range(m):
            x[i] = 0.0
        for j in range(n):
            y[j] = 0.0
        x[bi] = 1.0
        y[bj] = 1.0
        k_rows[0] = bi
        k_cols[0] = bj
        return 1, 0.5 * (lower + upper), 1
    rows = np.empty(_MAX_KERNEL, dtype=np.int64)
    cols = np.empty(_MAX_KERNEL, dtype=np.int64)
    for r in range(2, min(m, n) + 1):
        best = np.inf
        best_lo = 0.0
        best_up = 0.0
        for t in range(r):
            rows[t] = t
        more_rows = True
        while more_rows:
            for t in range(r):
                cols[t] = t
            more_cols = True
            while more_cols:
                gap, lo, up = _kernel_test(A, m, n, rows, cols, r, tol, K, z, cx, cy)
                if gap < best:
                    best = gap
                    best_lo = lo
                    best_up = up
                    for i in range(m):
                        x[i] = cx[i]
                    for j in range(n):
                        y[j] = cy[j]
                    for t in range(r):
                        k_rows[t] = rows[t]
                        k_cols[t] = cols[t]
                more_cols = _next_combination(cols, r, n)
            more_rows = _next_combination(rows, r, m)
        if best <= tol:
            return 1, 0.5 * (best_lo + best_up), r
    return 0, np.nan, 0


@dataclass(frozen=True, eq=False)
class CompiledMaximin:
    """Result of :func:`compiled_maximin`.

    Attributes
    ----------
    solved : bool
        ``False``: the compiled solver declined (see the module docstring); no value or strategies.
    value : float
    x, y : ndarray or None
        Maximin row and minimax column strategies.
    kernel : (rows, cols) or None
        The accepted Shapley–Snow kernel (``None`` for a pure saddle point, the 2×2 closed form, or when
        declined).
    """

    solved: bool
    value: float
    x: np.ndarray | None
    y: np.ndarray | None
    kernel: tuple[tuple[int, ...], tuple[int, ...]] | None


def compiled_maximin(A: np.ndarray, *, hint: tuple[tuple[int, ...], tuple[int, ...]] | None = None,
                     tol_factor: float | None = None, max_actions: int | None = None) -> CompiledMaximin:
    """Call :func:`maximin_small` on a float matrix (for tests and one-off use; the learner calls the compiled
    function directly).

    Parameters
    ----------
    A : array-like of float, shape (m, n)
    hint : (rows, cols), optional
        A kernel to try first.
    tol_factor, max_actions : optional
        Default :data:`~jalverify.solvers.kernel_enumeration.DEFAULT_TOLERANCE` and
        :data:`~jalverify.solvers.kernel_enumeration.MAX_ACTIONS`.
    """
    from jalverify.errors import InvalidGame
    from jalverify.solvers.kernel_enumeration import DEFAULT_TOLERANCE, MAX_ACTIONS

    A = np.ascontiguousarray(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] < 1 or A.shape[1] < 1:
        raise InvalidGame(f"compiled_maximin(): A must be a non-empty matrix, got shape {A.shape}")
    m, n = A.shape
    hr = np.zeros(_MAX_KERNEL, dtype=np.int64)
    hc = np.zeros(_MAX_KERNEL, dtype=np.int64)
    r = 0
    if hint is not None:
        r = len(hint[0])
        if r != len(hint[1]) or r < 1 or r > min(m, n, _MAX_KERNEL):
            raise InvalidGame(f"compiled_maximin(): hint {hint!r} is not a square kernel of a {m}×{n} matrix")
        hr[:r] = hint[0]
        hc[:r] = hint[1]
    x = np.zeros(m)
    y = np.zeros(n)
    kr = np.zeros(_MAX_KERNEL, dtype=np.int64)
    kc = np.zeros(_MAX_KERNEL, dtype=np.int64)
    status, value, k = maximin_small(A, m, n, r, hr, hc, DEFAULT_TOLERANCE if tol_factor is None else float(tol_factor),
                                     MAX_ACTIONS if max_actions is None else int(max_actions), x, y, kr, kc)
    if status == 0:
        return CompiledMaximin(False, float("nan"), None, None, None)
    kernel = (tuple(int(i) for i in kr[:k]), tuple(int(j) for j in kc[:k])) if k > 0 else None
    return CompiledMaximin(True, float(value), x, y, kernel)
