r"""Compiled (numba) pivoting loops of :mod:`.lemke_howson`: one float path and one exact int64 path.

Only :mod:`.lemke_howson` imports this module, and only when a path is run, so ``import jalverify`` never
imports numba.  Both kernels follow the Lemke–Howson complementary pivoting rule (Lemke & Howson 1964;
von Stengel 2002, "Computing equilibria for two-person games", Handbook of Game Theory vol. 3, ch. 45,
§2.3–§2.6) on the two systems

.. math::
    B'^\top x + s = \mathbf 1 \quad (\text{tableau } P,\ n \text{ rows}),\qquad
    A' y + r = \mathbf 1 \quad (\text{tableau } Q,\ m \text{ rows}),

stored as full tableaux ``[rhs | z variables | slack variables]``.  Variables of ``P``: ``x_i`` (index ``i``,
label ``i``) and ``s_j`` (index ``m + j``, label ``m + j``); of ``Q``: ``y_j`` (index ``j``, label ``m + j``)
and ``r_i`` (index ``n + i``, label ``i``).

* :func:`float_path` repeats, operation for operation, the numpy loop it replaced (same tie tolerance, same
  lexicographic order ``rhs, slack columns``, same row operations), so it reaches the same basis; the caller
  checks the answer's regret.
* :func:`exact_path_int64` is integer (fraction-free) pivoting (Edmonds 1967; von Stengel 2002, §2.5) with
  the exact lexicographic minimum-ratio test (§2.6) in int64.  Before every product it bounds the product's
  magnitude in floating point; if one could exceed ``2**61`` the kernel stops *before* changing the tableau
  and reports ``OVERFLOW`` with its state, which the caller continues with Python integers.  No int64
  operation that could wrap is ever executed, so every decision and every entry is exact.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = [
    "DONE",
    "NOT_DISTINCT",
    "NO_PIVOT_ROW",
    "OVERFLOW",
    "TOO_MANY_PIVOTS",
    "exact_path_int64",
    "float_path",
]

#: Kernel status codes.
DONE = 0
NO_PIVOT_ROW = 1
TOO_MANY_PIVOTS = 2
OVERFLOW = 3
NOT_DISTINCT = 4

#: A product whose float estimate is at most this is exactly representable, and so is the difference of two
#: such products: the estimate's relative error is below 2**-51, so |a b| < 2**61 + 2**11 and
#: |a b - c d| < 2**62 + 2**12 < 2**63.
_PRODUCT_LIMIT = float(2**61)


@numba.njit(cache=True)
def _variable(label: int, m: int, n: int, in_p: bool) -> int:
    """The variable of ``label`` in tableau P (``in_p``) or Q."""
    if in_p:
        return label
    if label >= m:
        return label - m
    return n + label


@numba.njit(cache=True)
def _label(var: int, m: int, n: int, in_p: bool) -> int:
    """The label of variable ``var`` of tableau P (``in_p``) or Q."""
    if in_p:
        return var
    if var < n:
        return m + var
    return var - n


@numba.njit(cache=True)
def _float_tableau(C: np.ndarray) -> np.ndarray:
    rows, cols = C.shape
    T = np.zeros((rows, 1 + cols + rows))
    for r in range(rows):
        T[r, 0] = 1.0
        for c in range(cols):
            T[r, 1 + c] = C[r, c]
        T[r, 1 + cols + r] = 1.0
    return T


@numba.njit(cache=True)
def _float_pivot_row(T: np.ndarray, col: int, first_slack: int, atol: float) -> int:
    """The row of the float lexicographic ratio test (``-1``: no entry of the column exceeds ``atol``).

    Candidates are the rows with a column entry above ``atol``; for the rhs column and then each slack
    column in order, the rows whose ratio is within ``atol`` of the smallest stay; the first remaining row
    (lowest index) wins."""
    rows = T.shape[0]
    cand = np.empty(rows, dtype=np.int64)
    k = 0
    for r in range(rows):
        if T[r, col] > atol:
            cand[k] = r
            k += 1
    if k == 0:
        return -1
    ratios = np.empty(rows)
    for step in range(rows + 1):
        if k == 1:
            break
        c = 0 if step == 0 else first_slack + step - 1
        best = np.inf
        for t in range(k):
            r = cand[t]
            q = T[r, c] / T[r, col]
            ratios[t] = q
            best = min(best, q)
        kept = 0
        for t in range(k):
            if ratios[t] <= best + atol:
                cand[kept] = cand[t]
                kept += 1
        k = kept
    return cand[0]


@numba.njit(cache=True)
def _float_pivot(T: np.ndarray, row: int, col: int) -> None:
    rows, width = T.shape
    p = T[row, col]
    for j in range(width):
        T[row, j] /= p
    for r in range(rows):
        if r == row:
            continue
        f = T[r, col]
        if f != 0.0:
            for j in range(width):
                T[r, j] -= f * T[row, j]


@numba.njit(cache=True)
def float_path(A: np.ndarray, B: np.ndarray, label: int, atol: float, max_pivots: int):
    """Float Lemke–Howson from ``label`` on positive ``A``, ``B`` (``m × n`` float64).

    Returns
    -------
    (status, x, y, pivots)
        ``status`` is :data:`DONE`, :data:`NO_PIVOT_ROW` or :data:`TOO_MANY_PIVOTS`; ``x``, ``y`` are the
        basic solutions' ``z`` parts with negative values clipped to 0 (not normalised).
    """
    m, n = A.shape
    TP = _float_tableau(B.T.copy())
    TQ = _float_tableau(A)
    basis_p = np.empty(n, dtype=np.int64)
    for r in range(n):
        basis_p[r] = m + r
    basis_q = np.empty(m, dtype=np.int64)
    for r in range(m):
        basis_q[r] = n + r
    in_p = label < m
    entering = _variable(label, m, n, in_p)
    status = TOO_MANY_PIVOTS
    pivots = 0
    while pivots < max_pivots:
        pivots += 1
        if in_p:
            T = TP
            basis = basis_p
            nz = m
        else:
            T = TQ
            basis = basis_q
            nz = n
        col = 1 + entering
        row = _float_pivot_row(T, col, 1 + nz, atol)
        if row < 0:
            status = NO_PIVOT_ROW
            break
        leaving = basis[row]
        _float_pivot(T, row, col)
        basis[row] = entering
        left = _label(leaving, m, n, in_p)
        if left == label:
            status = DONE
            break
        in_p = not in_p
        entering = _variable(left, m, n, in_p)
    x = np.zeros(m)
    for r in range(n):
        v = basis_p[r]
        if v < m:
            x[v] = max(TP[r, 0], 0.0)
    y = np.zeros(n)
    for r in range(m):
        v = basis_q[r]
        if v < n:
            y[v] = max(TQ[r, 0], 0.0)
    return status, x, y, pivots, entering


@numba.njit(cache=True)
def _fits(a: np.int64, b: np.int64) -> bool:
    """Whether ``a * b`` is certainly below ``2**61`` in magnitude (see :data:`_PRODUCT_LIMIT`)."""
    return abs(float(a) * float(b)) <= _PRODUCT_LIMIT


@numba.njit(cache=True)
def _int_tableau(C: np.ndarray) -> np.ndarray:
    rows, cols = C.shape
    T = np.zeros((rows, 1 + cols + rows), dtype=np.int64)
    for r in range(rows):
        T[r, 0] = 1
        for c in range(cols):
            T[r, 1 + c] = C[r, c]
        T[r, 1 + cols + r] = 1
    return T


@numba.njit(cache=True)
def _int_pivot_row(T: np.ndarray, col: int, first_slack: int) -> tuple[int, int]:
    """``(status, row)`` of the exact lexicographic minimum-ratio test on an integer tableau.

    Smallest ``rhs / a`` over rows with ``a > 0`` (cross-multiplied), ties broken by the slack columns in
    order (the symbolic perturbation, von Stengel 2002 §2.6); ``status`` is :data:`OVERFLOW` if a product
    could leave int64, :data:`NO_PIVOT_ROW` if no entry is positive, :data:`NOT_DISTINCT` if the rows tie
    on every column."""
    rows = T.shape[0]
    cand = np.empty(rows, dtype=np.int64)
    k = 0
    for r in range(rows):
        if T[r, col] > 0:
            cand[k] = r
            k += 1
    if k == 0:
        return NO_PIVOT_ROW, -1
    for step in range(rows + 1):
        if k == 1:
            return DONE, cand[0]
        c = 0 if step == 0 else first_slack + step - 1
        best = cand[0]
        kept = 1
        for t in range(1, k):
            r = cand[t]
            if not (_fits(T[r, c], T[best, col]) and _fits(T[best, c], T[r, col])):
                return OVERFLOW, -1
            diff = T[r, c] * T[best, col] - T[best, c] * T[r, col]
            if diff < 0:
                best = r
                cand[0] = r
                kept = 1
            elif diff == 0:
                cand[kept] = r
                kept += 1
        k = kept
    if k == 1:
        return DONE, cand[0]
    return NOT_DISTINCT, -1


@numba.njit(cache=True)
def _int_pivot(T: np.ndarray, out: np.ndarray, row: int, col: int, det: np.int64) -> bool:
    """Integer pivot of ``T`` on ``(row, col)`` written into ``out`` (``T`` is left unchanged).

    Every entry off the pivot row becomes ``(T_ij p - T_ic T_rj) / det`` (an exact division); the pivot
    row is kept.  Returns ``False`` (``out`` partly written, ``T`` intact) if a product could overflow."""
    rows, width = T.shape
    p = T[row, col]
    for r in range(rows):
        if r == row:
            for j in range(width):
                out[r, j] = T[r, j]
            continue
        f = T[r, col]
        for j in range(width):
            a = T[r, j]
            b = T[row, j]
            if not (_fits(a, p) and _fits(f, b)):
                return False
            out[r, j] = (a * p - f * b) // det
    return True


@numba.njit(cache=True)
def exact_path_int64(A: np.ndarray, B: np.ndarray, label: int, max_pivots: int):
    """Exact Lemke–Howson from ``label`` on positive integer ``A``, ``B`` (``m × n`` int64) in int64.

    Returns
    -------
    (status, TP, TQ, basis_p, basis_q, det_p, det_q, in_p, entering, pivots)
        With ``status`` :data:`DONE` the path ended (the tableaux hold the endpoint); with :data:`OVERFLOW`
        the state is the one *before* the pivot that would have overflowed (``pivots`` counts the pivots
        done), to be continued with unbounded integers from tableau ``in_p`` and variable ``entering``.
    """
    m, n = A.shape
    TP = _int_tableau(B.T.copy())
    TQ = _int_tableau(A)
    scratch_p = np.empty_like(TP)
    scratch_q = np.empty_like(TQ)
    basis_p = np.empty(n, dtype=np.int64)
    for r in range(n):
        basis_p[r] = m + r
    basis_q = np.empty(m, dtype=np.int64)
    for r in range(m):
        basis_q[r] = n + r
    det_p = np.int64(1)
    det_q = np.int64(1)
    in_p = label < m
    entering = _variable(label, m, n, in_p)
    pivots = 0
    status = TOO_MANY_PIVOTS
    while pivots < max_pivots:
        if in_p:
            T = TP
            out = scratch_p
            basis = basis_p
            det = det_p
            nz = m
        else:
            T = TQ
            out = scratch_q
            basis = basis_q
            det = det_q
            nz = n
        col = 1 + entering
        found, row = _int_pivot_row(T, col, 1 + nz)
        if found != DONE:
            status = found
            break
        if not _int_pivot(T, out, row, col, det):
            status = OVERFLOW
            break
        new_det = T[row, col]
        if in_p:
            TP, scratch_p = out, TP
            det_p = new_det
        else:
            TQ, scratch_q = out, TQ
            det_q = new_det
        pivots += 1
        leaving = basis[row]
        basis[row] = entering
        left = _label(leaving, m, n, in_p)
        if left == label:
            status = DONE
            break
        in_p = not in_p
        entering = _variable(left, m, n, in_p)
    return status, TP, TQ, basis_p, basis_q, det_p, det_q, in_p, entering, pivots
