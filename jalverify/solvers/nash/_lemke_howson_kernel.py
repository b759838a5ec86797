r"""Compiled (numba) pivoting loops of :mod:`.lemke_howson`: one float path and one exact int64 path.

Only :mod:`.lemke_howson` imports this module, and only when a path is run, so ``import jalverify`` never
imports numba.  Both kernels follow the Lemke–Howson complementary pivoting rule (Lemke & Howson 1964;
von Stengel 2002, "Computing equilibria for two-person games", Handbook of Game Theory vol. 3, ch. 45,
§2.3–§2.6) on the two systems

.. math::
    B'^\top x + s = \mathbf 1 \quad (\text{tableau } P,\ n \text{ rows}),\qquad
    A' y + r = \mathbf 1 \quad (\text{tableau } Q,\ m \text{ rows}),

stored as tableaux ``[rhs | z variables | slack variables]`` (dictionaries on the float path).  Variables of ``P``: ``x_i`` (index ``i``,
label ``i``) and ``s_j`` (index ``m + j``, label ``m + j``); of ``Q``: ``y_j`` (index ``j``, label ``m + j``)
and ``r_i`` (index ``n + i``, label ``i``).

* :func:`float_path` repeats, operation for operation, the full-tableau numpy loop it replaced (same tie
  tolerance, same lexicographic order ``rhs, slack columns``, same row operations, so the same numbers and
  the same basis), but stores only the dictionary (the columns of the nonbasic variables; a basic
  variable's column is a unit vector), half the work per pivot; the caller checks the answer's regret.
* :func:`exact_path_int64` is integer (fraction-free) pivoting (Edmonds 1967; von Stengel 2002, §2.5) with
  the exact lexicographic minimum-ratio test (§2.6) on an int64 tableau.  Products whose float estimate is
  below ``2**61`` are formed in int64; larger ones in 128 bits (exact products, exact sign tests, exact
  division checked by multiplying back).  If a new entry does not fit int64, the kernel stops *before*
  changing the tableau and reports ``OVERFLOW`` with its state, which the caller continues with Python
  integers.  No int64 operation that could wrap is relied upon, so every decision and every entry is exact.
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
    "float_max_regret",
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
def _float_dictionary(C: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(D, basis, row_of, position)`` of ``C z + s = 1`` at ``z = 0``.

    ``D`` is the dictionary ``[rhs | columns of the nonbasic variables]``: the full tableau
    ``[rhs | z | s]`` without the unit columns of the basic variables.  ``basis[r]`` is the variable basic in
    row ``r``; ``row_of[v]`` its row (``-1`` if nonbasic); ``position[v]`` the dictionary column (minus 1) of
    a nonbasic variable (``-1`` if basic)."""
    rows, nz = C.shape
    D = np.empty((rows, 1 + nz))
    for r in range(rows):
        D[r, 0] = 1.0
        for c in range(nz):
            D[r, 1 + c] = C[r, c]
    basis = np.empty(rows, dtype=np.int64)
    row_of = np.full(nz + rows, -1, dtype=np.int64)
    position = np.full(nz + rows, -1, dtype=np.int64)
    for c in range(nz):
        position[c] = c
    for r in range(rows):
        basis[r] = nz + r
        row_of[nz + r] = r
    return D, basis, row_of, position


@numba.njit(cache=True)
def _float_pivot_row(D: np.ndarray, col: int, nz: int, row_of: np.ndarray, position: np.ndarray,
                     atol: float) -> int:
    """The row of the float lexicographic ratio test (``-1``: no entry of the column exceeds ``atol``).

    Candidates are the rows with a column entry above ``atol``; for the rhs and then each slack variable's
    column in order (a dictionary column, or the unit column of a basic slack), the rows whose ratio is
    within ``atol`` of the smallest stay; the first remaining row (lowest index) wins."""
    rows = D.shape[0]
    cand = np.empty(rows, dtype=np.int64)
    k = 0
    for r in range(rows):
        if D[r, col] > atol:
            cand[k] = r
            k += 1
    if k == 0:
        return -1
    ratios = np.empty(rows)
    for step in range(rows + 1):
        if k == 1:
            break
        c = 0
        unit_row = -1
        if step > 0:
            slack = nz + step - 1
            if position[slack] >= 0:
                c = 1 + position[slack]
            else:
                unit_row = row_of[slack]
        best = np.inf
        for t in range(k):
            r = cand[t]
            if step > 0 and c == 0:
                q = (1.0 if r == unit_row else 0.0) / D[r, col]
            else:
                q = D[r, c] / D[r, col]
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
def _float_pivot(D: np.ndarray, row: int, col: int, buffer: np.ndarray) -> None:
    """Pivot the dictionary on ``(row, col)``; column ``col`` then holds the leaving variable.

    The numbers are those of the full-tableau pivot (divide the pivot row by the pivot ``p``, subtract
    ``f = T[r, col]`` times it from every other row with ``f != 0``): the leaving variable's unit column
    becomes ``1/p`` in the pivot row and ``0 - f/p`` elsewhere, and the unit columns of the other basic
    variables, which the full tableau would leave unchanged, are not stored."""
    rows, width = D.shape
    p = D[row, col]
    for j in range(width):
        buffer[j] = D[row, j] / p
    buffer[col] = 1.0 / p
    for j in range(width):
        D[row, j] = buffer[j]
    for r in range(rows):
        if r == row:
            continue
        f = D[r, col]
        if f != 0.0:
            target = D[r]
            for j in range(width):
                target[j] -= f * buffer[j]
            target[col] = 0.0 - f * buffer[col]


@numba.njit(cache=True)
def _shifted(P: np.ndarray) -> np.ndarray:
    """``P - min(P) + 1`` (entries at least 1)."""
    return P - P.min() + 1.0


@numba.njit(cache=True)
def float_path(payoffs: np.ndarray, label: int, atol: float, max_pivots: int):
    """Float Lemke–Howson from ``label`` on the bimatrix game ``payoffs`` (shape ``(2, m, n)``, float64),
    shifted to ``A = P_0 - min P_0 + 1``, ``B = P_1 - min P_1 + 1``.

    Returns
    -------
    (status, x, y, sx, sy, pivots, entering)
        ``status`` is :data:`DONE`, :data:`NO_PIVOT_ROW` (``entering`` had no pivot row) or
        :data:`TOO_MANY_PIVOTS`; ``x``, ``y`` are the basic solutions' ``z`` parts with negative values
        clipped to 0, divided by their sums ``sx``, ``sy`` when these are positive (the caller refuses the
        answer otherwise).
    """
    A = _shifted(payoffs[0])
    B = _shifted(payoffs[1])
    m, n = A.shape
    DP, basis_p, row_p, pos_p = _float_dictionary(B.T.copy())
    DQ, basis_q, row_q, pos_q = _float_dictionary(A)
    buffer = np.empty(1 + max(m, n))
    in_p = label < m
    entering = _variable(label, m, n, in_p)
    status = TOO_MANY_PIVOTS
    pivots = 0
    while pivots < max_pivots:
        pivots += 1
        if in_p:
            D, basis, row_of, position, nz = DP, basis_p, row_p, pos_p, m
        else:
            D, basis, row_of, position, nz = DQ, basis_q, row_q, pos_q, n
        c = position[entering]
        row = _float_pivot_row(D, 1 + c, nz, row_of, position, atol)
        if row < 0:
            status = NO_PIVOT_ROW
            break
        leaving = basis[row]
        _float_pivot(D, row, 1 + c, buffer)
        basis[row] = entering
        row_of[entering] = row
        row_of[leaving] = -1
        position[leaving] = c
        position[entering] = -1
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
            x[v] = max(DP[r, 0], 0.0)
    y = np.zeros(n)
    for r in range(m):
        v = basis_q[r]
        if v < n:
            y[v] = max(DQ[r, 0], 0.0)
    sx = x.sum()
    sy = y.sum()
    if sx > 0.0 and sy > 0.0:
        x /= sx
        y /= sy
    return status, x, y, sx, sy, pivots, entering


@numba.njit(cache=True)
def float_max_regret(payoffs: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    """Maximal regret of ``(x, y)`` in the bimatrix game ``payoffs`` (shape ``(2, m, n)``): the largest of
    ``(P_0 y)_i - xᵀ P_0 y`` and ``(xᵀ P_1)_j - xᵀ P_1 y`` (the definition of
    :func:`jalverify.games.profiles.max_regret`)."""
    m, n = x.shape[0], y.shape[0]
    Ay = np.zeros(m)
    xB = np.zeros(n)
    for i in range(m):
        for j in range(n):
            Ay[i] += payoffs[0, i, j] * y[j]
            xB[j] += x[i] * payoffs[1, i, j]
    value_a = 0.0
    for i in range(m):
        value_a += x[i] * Ay[i]
    value_b = 0.0
    for j in range(n):
        value_b += xB[j] * y[j]
    return max((Ay - value_a).max(), (xB - value_b).max())


@numba.njit(cache=True)
def _fits(a: np.int64, b: np.int64) -> bool:
    """Whether ``a * b`` is certainly below ``2**61`` in magnitude (see :data:`_PRODUCT_LIMIT`)."""
    return abs(float(a) * float(b)) <= _PRODUCT_LIMIT


# 128-bit two's-complement integers as (hi, lo) pairs of uint64; uint64 arithmetic wraps modulo 2**64.

@numba.njit(cache=True)
def _umul128(a: np.uint64, b: np.uint64) -> tuple[np.uint64, np.uint64]:
    """The full 128-bit product of two unsigned 64-bit integers (schoolbook on 32-bit halves)."""
    mask = np.uint64(0xFFFFFFFF)
    w = np.uint64(32)
    a_lo = a & mask
    a_hi = a >> w
    b_lo = b & mask
    b_hi = b >> w
    ll = a_lo * b_lo
    lh = a_lo * b_hi
    hl = a_hi * b_lo
    hh = a_hi * b_hi
    mid = (ll >> w) + (lh & mask) + (hl & mask)
    lo = (ll & mask) | (mid << w)
    hi = hh + (lh >> w) + (hl >> w) + (mid >> w)
    return hi, lo


@numba.njit(cache=True)
def _mul128(a: np.int64, b: np.int64) -> tuple[np.uint64, np.uint64]:
    """The exact product of two int64 as a 128-bit two's-complement pair."""
    zero = np.uint64(0)
    ua = zero - np.uint64(a) if a < 0 else np.uint64(a)
    ub = zero - np.uint64(b) if b < 0 else np.uint64(b)
    hi, lo = _umul128(ua, ub)
    if (a < 0) != (b < 0):
        lo = zero - lo
        hi = ~hi + np.uint64(1) if lo == zero else ~hi
    return hi, lo


@numba.njit(cache=True)
def _sub128(h1: np.uint64, l1: np.uint64, h2: np.uint64, l2: np.uint64) -> tuple[np.uint64, np.uint64]:
    borrow = np.uint64(1) if l1 < l2 else np.uint64(0)
    return h1 - h2 - borrow, l1 - l2


@numba.njit(cache=True)
def _sign_of_difference(a: np.int64, b: np.int64, c: np.int64, d: np.int64) -> int:
    """The exact sign (-1, 0, 1) of ``a b - c d`` for int64 operands."""
    if _fits(a, b) and _fits(c, d):
        diff = a * b - c * d
        return -1 if diff < 0 else (1 if diff > 0 else 0)
    h1, l1 = _mul128(a, b)
    h2, l2 = _mul128(c, d)
    hi, lo = _sub128(h1, l1, h2, l2)
    if hi >> np.uint64(63):
        return -1
    if hi == np.uint64(0) and lo == np.uint64(0):
        return 0
    return 1


@numba.njit(cache=True)
def _odd_part_inverse(det: np.int64) -> tuple[np.uint64, np.uint64]:
    """``(s, inv)`` with ``det = 2**s d'``, ``d'`` odd, and ``inv = d'^{-1} mod 2**64`` (Newton's iteration
    ``x ← x (2 - d' x)`` doubles the correct low bits; ``d'`` itself is correct to 3 bits)."""
    d = np.uint64(det)
    s = np.uint64(0)
    while (d & np.uint64(1)) == np.uint64(0):
        d >>= np.uint64(1)
        s += np.uint64(1)
    x = d
    for _ in range(5):
        x = x * (np.uint64(2) - d * x)
    return s, x


@numba.njit(cache=True)
def _fraction_free(a: np.int64, p: np.int64, f: np.int64, b: np.int64, det: np.int64, s: np.uint64,
                   inv: np.uint64) -> tuple[bool, np.int64]:
    """``(ok, (a p - f b) / det)`` for an exact division; ``ok`` is False when the quotient is not an int64.

    Small products use int64 directly.  Otherwise the numerator is formed in 128 bits, the quotient's low
    64 bits are obtained by exact division modulo ``2**64`` (shift out ``2**s``, multiply by the inverse of
    the odd part: Jebelean 1993, "An algorithm for exact division"), and the quotient is accepted only if
    multiplying it back by ``det`` gives the numerator exactly."""
    if _fits(a, p) and _fits(f, b):
        return True, (a * p - f * b) // det
    h1, l1 = _mul128(a, p)
    h2, l2 = _mul128(f, b)
    hi, lo = _sub128(h1, l1, h2, l2)
    shifted = lo
    if s > np.uint64(0):
        shifted = (lo >> s) | (hi << (np.uint64(64) - s))
    q = np.int64(shifted * inv)
    hq, lq = _mul128(q, det)
    if hq != hi or lq != lo:
        return False, np.int64(0)
    return True, q


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
    order (the symbolic perturbation, von Stengel 2002 §2.6), every comparison exact (128-bit products);
    ``status`` is :data:`NO_PIVOT_ROW` if no entry is positive, :data:`NOT_DISTINCT` if the rows tie on every
    column."""
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
            diff = _sign_of_difference(T[r, c], T[best, col], T[best, c], T[r, col])
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
    row is kept.  Returns ``False`` (``out`` partly written, ``T`` intact) if an entry does not fit int64."""
    rows, width = T.shape
    p = T[row, col]
    s, inv = _odd_part_inverse(det)
    for r in range(rows):
        if r == row:
            for j in range(width):
                out[r, j] = T[r, j]
            continue
        f = T[r, col]
        for j in range(width):
            ok, value = _fraction_free(T[r, j], p, f, T[row, j], det, s, inv)
            if not ok:
                return False
            out[r, j] = value
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
