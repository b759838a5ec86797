r"""Exact certification of an LP basis when every datum is an integer, in integer arithmetic only.

The same certificate as :func:`jalverify.solvers.lp.exact.basis_certificate` (recompute the basic solution and
the duals of a basis, then check the KKT conditions of :mod:`jalverify.solvers.lp.certificate`; Chvátal 1983,
ch. 8), computed fraction-free: with ``T`` the tight rows and ``B`` the basic columns,

* ``A[T, B] x_B = b_T - A[T, N] x_N`` and ``A[T, B]ᵀ y_T = c'_B`` are solved over the integers
  (``flint.fmpz_mat.solve``), giving ``x = P / q`` and ``y = Y / s`` with integer numerators and positive
  common denominators ``q``, ``s``;
* every KKT condition is then a sign or equality test on integers, scaled by ``q > 0`` or ``s > 0``:
  slacks ``q b - A P``, reduced costs ``s c' - Aᵀ Y``, bounds ``P_j`` against ``q l_j`` and ``q u_j``.

Products with the sparse matrix only touch the columns where ``P`` is non-zero and the rows where ``Y`` is
non-zero (for an optimal basis of a CE or zero-sum LP, a small part of the matrix).  The answer is the same
:class:`~jalverify.solvers.lp.certificate.LPCertificate` with Fractions, re-checkable by its independent
``verify()``.  LPs with a non-integer datum go through the rational (``fmpq``) route of
:mod:`jalverify.solvers.lp.exact`.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np

from jalverify.solvers.lp.certificate import LPCertificate, normalized_fraction
from jalverify.solvers.lp.program import LinearProgram, LPStatus

__all__ = ["IntegerData", "fits_float64", "integer_basis_certificate", "integer_data"]

OPTIMAL_CHECKS = (
    "primal feasibility (rows and bounds)",
    "dual sign on <= rows",
    "complementary slackness on rows",
    "dual feasibility and complementary slackness on bounds (reduced costs)",
    "objective = c·x",
)

_ZERO = Fraction(0)


@dataclass(frozen=True)
class IntegerData:
    """An all-integer LP's data, rows ``A_ub`` then ``A_eq`` (sorted by row), costs in minimisation form.

    Vectors are ``object`` arrays of Python ints (exact at any size); ``vals`` is ``int64`` when every
    coefficient is below ``2**62`` in magnitude, else ``object``.
    """

    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    c: np.ndarray
    b: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    sign: int


def _int_objects(values: np.ndarray) -> np.ndarray | None:
    """``values`` as an object array of Python ints (Fractions with denominator 1 become ints), or ``None`` if
    some entry is not an integer."""
    if values.dtype.kind in "iu":
        return values.astype(object)
    if values.dtype != object:
        return None
    flat = values.tolist()
    kinds = set(map(type, flat))
    if kinds <= {int}:
        return values
    if not kinds <= {int, Fraction} or any(type(v) is Fraction and v.denominator != 1 for v in flat):
        return None
    out = np.empty(len(flat), dtype=object)
    out[:] = [int(v) for v in flat]
    return out


def fits_float64(data: IntegerData) -> bool:
    """Whether every datum converts to a finite float64 (HiGHS reads the float copy): ``|v| < 2**1023``."""
    limit = 1 << 1023
    for arr in (data.vals, data.c, data.b, data.lower, data.upper):
        if arr.dtype != np.int64 and arr.size:
            values = arr.tolist()
            if max(values) >= limit or min(values) <= -limit:
                return False
    return True


def _int64_values(lp: LinearProgram) -> np.ndarray | None:
    """The constraint coefficients (``A_ub`` then ``A_eq``) as int64 when every one is an integer below
    ``2**62`` in magnitude, as an object array of ints when they are integers but larger, else ``None``."""
    if lp.A_ub.int64_values is not None and lp.A_eq.int64_values is not None:
        vals = np.concatenate([lp.A_ub.int64_values, lp.A_eq.int64_values])
        if not vals.size or (int(vals.min()) > -(1 << 62) and int(vals.max()) < 1 << 62):
            return vals
    v_ub, v_eq = _int_objects(lp.A_ub.values), _int_objects(lp.A_eq.values)
    if v_ub is None or v_eq is None:
        return None
    flat = v_ub.tolist() + v_eq.tolist()
    if flat and max(max(flat), -min(flat)) >= 1 << 62:
        return np.asarray(flat, dtype=object)  # too large for int64 products: Python ints
    return np.array(flat, dtype=np.int64)


def integer_data(lp: LinearProgram) -> IntegerData | None:
    """The LP's data as integers (cached on the LP), or ``None`` when some datum is not an integer."""
    cached = lp.__dict__.get("_integer_data", False)
    if cached is not False:
        return cached
    data = None
    if lp.field.exact:
        parts = [_int_objects(np.asarray(v)) for v in (lp.c, lp.b_ub, lp.b_eq, lp.lower, lp.upper)]
        vals = _int64_values(lp) if all(p is not None for p in parts) else None
        if vals is not None:
            c, b_ub, b_eq, lower, upper = parts
            cols = np.concatenate([lp.A_ub.cols, lp.A_eq.cols]).astype(np.int64)
            data = IntegerData(
                rows=np.concatenate([lp.A_ub.rows, lp.A_eq.rows + lp.n_ub]).astype(np.int64),
                cols=cols,
                vals=vals,
                c=-c if lp.maximize else c,
                b=np.concatenate([b_ub, b_eq]),
                lower=lower,
                upper=upper,
                sign=-1 if lp.maximize else 1,
            )
    lp.__dict__["_integer_data"] = data
    return data


def _zeros(n: int) -> np.ndarray:
    out = np.empty(n, dtype=object)
    out.fill(0)
    return out


def _sum_by(index: np.ndarray, prod: np.ndarray, n: int) -> np.ndarray:
    """``out[i] = Σ prod[k] over index[k] = i`` for a non-decreasing ``index`` (object ints)."""
    out = _zeros(n)
    if prod.size:
        first = np.empty(prod.size, dtype=bool)
        first[0] = True
        np.not_equal(index[1:], index[:-1], out=first[1:])
        starts = first.nonzero()[0]
        out[index[starts]] = np.add.reduceat(prod, starts)
    return out


def _ratios(numerators: list[int], den: int) -> tuple[Fraction, ...]:
    """``numerators / den`` (``den > 0``) as Fractions, one gcd each."""
    out = []
    for p in numerators:
        if p:
            g = math.gcd(p, den)
            out.append(normalized_fraction(p // g, den // g))
        else:
            out.append(_ZERO)
    return tuple(out)


def _first(mask: np.ndarray) -> int:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else -1


def integer_basis_certificate(lp: LinearProgram, data: IntegerData, basic_columns: np.ndarray,
                              tight_rows: np.ndarray, nonbasic_at_upper: np.ndarray,
                              source: str) -> LPCertificate | str:
    """:func:`jalverify.solvers.lp.exact.basis_certificate` for an all-integer LP (see the module docstring).

    Returns the certificate, or a string naming the first failed condition.
    """
    m, n = lp.n_rows, lp.n_variables
    basic = np.asarray(basic_columns, dtype=bool)
    at_upper = np.asarray(nonbasic_at_upper, dtype=bool)
    B = np.flatnonzero(basic)
    T = np.flatnonzero(tight_rows)
    t = len(B)
    if t != len(T):
        return f"basis has {t} basic columns but {len(T)} tight rows"
    has_lo, has_up = lp.has_lower, lp.has_upper
    nonbasic = ~basic
    j = _first(nonbasic & at_upper & ~has_up)
    if j >= 0:
        return f"nonbasic x[{j}] at a missing upper bound"
    # nonbasic values: the upper bound if flagged (or if it is the only bound), else the lower bound, else 0
    x_nb = _zeros(n)
    use_up = nonbasic & has_up & (at_upper | ~has_lo)
    use_lo = nonbasic & has_lo & ~use_up
    x_nb[use_up] = data.upper[use_up]
    x_nb[use_lo] = data.lower[use_lo]
    rows, cols, vals = data.rows, data.cols, data.vals
    if t:
        row_pos = np.full(m, -1, dtype=np.int64)
        row_pos[T] = np.arange(t)
        col_pos = np.full(n, -1, dtype=np.int64)
        col_pos[B] = np.arange(t)
        in_T = row_pos[rows] >= 0
        in_B = col_pos[cols] >= 0
        rhs = data.b[T].copy()
        sel = in_T & ~in_B
        if sel.any():
            nz = x_nb != 0
            sel &= nz[cols]
            if sel.any():
                rhs = rhs - _sum_by(row_pos[rows[sel]], vals[sel].astype(object) * x_nb[cols[sel]], t)
        sel = in_T & in_B
        dense = np.zeros((t, t), dtype=vals.dtype)
        dense[row_pos[rows[sel]], col_pos[cols[sel]]] = vals[sel]
        M = flint.fmpz_mat(t, t, dense.reshape(-1).tolist())
        try:
            sol_x = M.solve(flint.fmpz_mat(t, 1, rhs.tolist()))
            sol_y = M.transpose().solve(flint.fmpz_mat(t, 1, data.c[B].tolist()))
        except ZeroDivisionError:
            return "basis matrix is singular"
        num_x, den_x = sol_x.numer_denom()
        num_y, den_y = sol_y.numer_denom()
        q, s = int(den_x), int(den_y)
        P = x_nb * q if q != 1 else x_nb
        P[B] = [int(v) for v in num_x.entries()]
        Y = _zeros(m)
        Y[T] = [int(v) for v in num_y.entries()]
    else:
        q = s = 1
        P = x_nb
        Y = _zeros(m)
    if q <= 0 or s <= 0:  # pragma: no cover - flint's denominators are positive
        return "non-positive common denominator"
    return _check(lp, data, P, q, Y, s, source)


def _check(lp: LinearProgram, data: IntegerData, P: np.ndarray, q: int, Y: np.ndarray, s: int,
           source: str) -> LPCertificate | str:
    """The KKT conditions for ``x = P/q`` and minimisation-form duals ``y = Y/s``, on integers.

    The sparse products use numpy (restricted to the support of ``P`` and of ``Y``); the per-entry sign tests
    run over Python lists of ints."""
    m, n, m1 = lp.n_rows, lp.n_variables, lp.n_ub
    Pl = P.tolist()
    has_lo, has_up = lp.has_lower.tolist(), lp.has_upper.tolist()
    lower, upper = data.lower.tolist(), data.upper.tolist()
    for j in range(n):
        if has_lo[j] and Pl[j] < lower[j] * q:
            return f"x[{j}] = {Fraction(Pl[j], q)} below lower bound {lower[j]}"
        if has_up[j] and Pl[j] > upper[j] * q:
            return f"x[{j}] = {Fraction(Pl[j], q)} above upper bound {upper[j]}"
    rows, cols, vals = data.rows, data.cols, data.vals
    p_nonzero = np.array([v != 0 for v in Pl], dtype=bool)
    sel = p_nonzero[cols]  # only the columns where x is non-zero contribute to A x
    act = _sum_by(rows[sel], vals[sel].astype(object) * P[cols[sel]], m).tolist()  # rows are sorted
    slack = [bi * q - ai for bi, ai in zip(data.b.tolist(), act)]  # q·(b - A x)
    for i in range(m1):
        if slack[i] < 0:
            return f"row {i} violated by {Fraction(-slack[i], q)}"
    for i in range(m1, m):
        if slack[i]:
            return f"equality row {i - m1} off by {Fraction(slack[i], q)}"
    Yl = Y.tolist()
    for i in range(m1):
        if Yl[i] > 0:
            return f"dual of row {i} has the wrong sign"
        if Yl[i] and slack[i]:
            return f"complementary slackness fails at row {i}"
    y_nonzero = np.array([v != 0 for v in Yl], dtype=bool)
    picked = np.flatnonzero(y_nonzero[rows])  # only rows with a non-zero dual contribute
    order = picked[np.argsort(cols[picked], kind="stable")]
    aty = _sum_by(cols[order], vals[order].astype(object) * Y[rows[order]], n).tolist()
    red = [ci * s - ai for ci, ai in zip(data.c.tolist(), aty)]  # s·(c' - Aᵀy)
    for j in range(n):
        d = red[j]
        if d > 0 and not (has_lo[j] and Pl[j] == lower[j] * q):
            return f"reduced cost of x[{j}] is {Fraction(d, s)} > 0 but x[{j}] is not at its lower bound"
        if d < 0 and not (has_up[j] and Pl[j] == upper[j] * q):
            return f"reduced cost of x[{j}] is {Fraction(d, s)} < 0 but x[{j}] is not at its upper bound"
    sign = data.sign
    objective = Fraction(sign * sum(map(operator.mul, data.c.tolist(), Pl)), q)
    if sign != 1:  # duals and reduced costs in the LP's own sense
        Yl = [-v for v in Yl]
        red = [-v for v in red]
    return LPCertificate(
        kind=LPStatus.OPTIMAL,
        x=_ratios(Pl, q),
        duals=_ratios(Yl, s),
        reduced_costs=_ratios(red, s),
        row_slacks=_ratios(slack, q),
        objective=objective,
        checks=OPTIMAL_CHECKS,
        source=source,
        lp=lp,
    )
