r"""Exact certification of an LP basis in rational arithmetic (python-flint).

Given a basis of the bounded-variable LP (which variables are basic, which rows are tight, and at which bound
each nonbasic variable sits; e.g. the optimal basis reported by HiGHS), recompute in exact rationals

* the basic solution: with ``T`` the tight rows and ``B`` the basic columns (``|T| = |B|``), solve
  ``A[T, B] x_B = b_T - A[T, N] x_N``;
* the duals: ``A[T, B]ᵀ y_T = c'_B`` and ``y = 0`` on the other rows;

and check the KKT conditions listed in :mod:`jalverify.solvers.lp.certificate` exactly (Chvátal 1983, ch. 8:
the optimality test of the bounded-variable simplex method).  The linear solves use ``flint.fmpq_mat.solve``;
the checks are vectorised over the sparse triplets with numpy ``object`` arrays of ``fmpq``.  A basis that fails
any check yields no certificate (the caller repairs it or falls back to the exact simplex).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from jalverify.solvers.lp.certificate import LPCertificate, fractions
from jalverify.solvers.lp.exact_integer import integer_basis_certificate, integer_data
from jalverify.solvers.lp.program import LinearProgram, LPStatus

__all__ = [
    "FlintData",
    "basis_certificate",
    "flint_data",
    "kkt_certificate",
    "rational_basis_certificate",
    "to_fmpq",
]

OPTIMAL_CHECKS = (
    "primal feasibility (rows and bounds)",
    "dual sign on <= rows",
    "complementary slackness on rows",
    "dual feasibility and complementary slackness on bounds (reduced costs)",
    "objective = c·x",
)


def to_fmpq(v: Any) -> flint.fmpq:
    if isinstance(v, Fraction):
        return flint.fmpq(v.numerator, v.denominator)
    if isinstance(v, flint.fmpq):
        return v
    return flint.fmpq(int(v))


def _fmpq_array(values: Any) -> np.ndarray:
    """Object array of exact numbers usable with fmpq arithmetic: Fractions become fmpq, ints stay ints."""
    out = np.empty(len(values), dtype=object)
    for k, v in enumerate(values):
        out[k] = v if type(v) is int else to_fmpq(v)
    return out


@dataclass(frozen=True)
class FlintData:
    """The exact LP data as fmpq arrays, rows ``A_ub`` then ``A_eq``, costs in minimisation form."""

    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray  # object array of fmpq
    c: np.ndarray  # minimisation-form costs c' (fmpq)
    b: np.ndarray  # per row rhs (fmpq)
    lower: np.ndarray
    upper: np.ndarray
    sign: int  # -1 for a maximisation
    col_order: np.ndarray | None = None  # permutation sorting the triplets by column (for Aᵀy)


def flint_data(lp: LinearProgram) -> FlintData:
    """fmpq copies of an exact LP's data, cached on the LP object."""
    cached = lp.__dict__.get("_flint_data")
    if cached is not None:
        return cached
    sign = -1 if lp.maximize else 1
    rows = np.concatenate([lp.A_ub.rows, lp.A_eq.rows + lp.n_ub])
    cols = np.concatenate([lp.A_ub.cols, lp.A_eq.cols])
    vals = _fmpq_array(np.concatenate([lp.A_ub.values, lp.A_eq.values]).tolist())
    c = _fmpq_array([sign * v for v in lp.c.tolist()])
    b = _fmpq_array(lp.b_ub.tolist() + lp.b_eq.tolist())
    data = FlintData(rows, cols, vals, c, b, _fmpq_array(lp.lower.tolist()), _fmpq_array(lp.upper.tolist()), sign,
                     np.argsort(cols, kind="stable"))
    lp.__dict__["_flint_data"] = data
    return data


def _zeros(n: int) -> np.ndarray:
    out = np.empty(n, dtype=object)
    out.fill(flint.fmpq(0))
    return out


def _accumulate(index: np.ndarray, prod: np.ndarray, n: int) -> np.ndarray:
    out = _zeros(n)
    if prod.size:
        np.add.at(out, index, prod)
    return out


def _accumulate_sorted(index: np.ndarray, prod: np.ndarray, n: int) -> np.ndarray:
    """Like :func:`_accumulate` for a non-decreasing ``index`` (one ``reduceat``)."""
    out = _zeros(n)
    if prod.size:
        starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
        out[index[starts]] = np.add.reduceat(prod, starts)
    return out


def kkt_certificate(lp: LinearProgram, x: np.ndarray, y: np.ndarray, source: str) -> LPCertificate | str:
    """Check the KKT conditions exactly for ``x`` and minimisation-form row duals ``y`` (fmpq arrays).

    Returns the certificate, or a string naming the first failed condition.
    """
    fd = flint_data(lp)
    m, n = lp.n_rows, lp.n_variables
    m1 = lp.n_ub

    def first(mask: np.ndarray) -> int:
        hits = np.nonzero(mask)[0]
        return int(hits[0]) if hits.size else -1

    # primal feasibility (vectorised: numpy applies the exact fmpq/int comparisons element by element)
    lo = lp.has_lower
    up = lp.has_upper
    j = first(lo & np.asarray(x < fd.lower, dtype=bool))
    if j >= 0:
        return f"x[{j}] = {x[j]} below lower bound {fd.lower[j]}"
    j = first(up & np.asarray(x > fd.upper, dtype=bool))
    if j >= 0:
        return f"x[{j}] = {x[j]} above upper bound {fd.upper[j]}"
    act = _accumulate_sorted(fd.rows, fd.vals * x[fd.cols], m) if fd.vals.size else _zeros(m)
    slack = fd.b - act
    neg = np.asarray(slack < 0, dtype=bool)
    nonzero_slack = np.asarray(slack != 0, dtype=bool)
    i = first(neg[:m1])
    if i >= 0:
        return f"row {i} violated by {-slack[i]}"
    i = first(nonzero_slack[m1:])
    if i >= 0:
        return f"equality row {i} off by {slack[m1 + i]}"
    # dual sign and complementary slackness on rows
    i = first(np.asarray(y[:m1] > 0, dtype=bool))
    if i >= 0:
        return f"dual of row {i} has the wrong sign"
    i = first(np.asarray(y[:m1] != 0, dtype=bool) & nonzero_slack[:m1])
    if i >= 0:
        return f"complementary slackness fails at row {i}"
    # dual feasibility + complementary slackness on bounds
    if fd.vals.size:
        order = fd.col_order if fd.col_order is not None else np.argsort(fd.cols, kind="stable")
        y_nonzero = np.asarray(y != 0, dtype=bool)
        order = order[y_nonzero[fd.rows[order]]]  # only rows with a nonzero dual contribute
        aty = _accumulate_sorted(fd.cols[order], fd.vals[order] * y[fd.rows[order]], n)
    else:
        aty = _zeros(n)
    d = fd.c - aty
    at_lower = lo & np.asarray(x == fd.lower, dtype=bool)
    at_upper = up & np.asarray(x == fd.upper, dtype=bool)
    j = first(np.asarray(d > 0, dtype=bool) & ~at_lower)
    if j >= 0:
        return f"reduced cost of x[{j}] is {d[j]} > 0 but x[{j}] is not at its lower bound"
    j = first(np.asarray(d < 0, dtype=bool) & ~at_upper)
    if j >= 0:
        return f"reduced cost of x[{j}] is {d[j]} < 0 but x[{j}] is not at its upper bound"
    sign = fd.sign
    xs = fractions(x.tolist())
    obj_q = np.dot(fd.c, x) if n else flint.fmpq(0)  # minimisation-form c'·x, exact
    objective = sign * fractions([obj_q])[0]
    duals = fractions(y.tolist())
    reduced = fractions(d.tolist())
    if sign != 1:
        duals = tuple(-v for v in duals)
        reduced = tuple(-v for v in reduced)
    return LPCertificate(
        kind=LPStatus.OPTIMAL,
        x=xs,
        duals=duals,
        reduced_costs=reduced,
        row_slacks=fractions(slack.tolist()),
        objective=objective,
        checks=OPTIMAL_CHECKS,
        source=source,
        lp=lp,
    )


def basis_certificate(
    lp: LinearProgram,
    basic_columns: np.ndarray,
    tight_rows: np.ndarray,
    nonbasic_at_upper: np.ndarray,
    source: str = "basis",
) -> LPCertificate | str:
    """Recompute the basic solution and duals of a basis exactly and check optimality.

    When every datum of the LP is an integer the computation is fraction-free
    (:func:`jalverify.solvers.lp.exact_integer.integer_basis_certificate`); otherwise it runs on rationals
    (:func:`rational_basis_certificate`).  Both return the same certificate.

    Parameters
    ----------
    lp : LinearProgram (exact field)
    basic_columns : bool array (n,)
        Basic structural variables.
    tight_rows : bool array (m,)
        Rows whose slack is nonbasic (the row holds with equality).
    nonbasic_at_upper : bool array (n,)
        For nonbasic variables: at the upper bound (else at the lower bound, or at 0 when free).

    Returns
    -------
    LPCertificate, or a string saying why the basis is not a certified optimal basis.
    """
    data = integer_data(lp)
    if data is not None:
        return integer_basis_certificate(lp, data, basic_columns, tight_rows, nonbasic_at_upper, source)
    return rational_basis_certificate(lp, basic_columns, tight_rows, nonbasic_at_upper, source)


def rational_basis_certificate(
    lp: LinearProgram,
    basic_columns: np.ndarray,
    tight_rows: np.ndarray,
    nonbasic_at_upper: np.ndarray,
    source: str = "basis",
) -> LPCertificate | str:
    """:func:`basis_certificate` on rationals (``fmpq``), for any exact LP."""
    fd = flint_data(lp)
    m, n = lp.n_rows, lp.n_variables
    B = np.nonzero(basic_columns)[0]
    T = np.nonzero(tight_rows)[0]
    if len(B) != len(T):
        return f"basis has {len(B)} basic columns but {len(T)} tight rows"
    # nonbasic values
    x = _zeros(n)
    for j in np.nonzero(~basic_columns)[0].tolist():
        if nonbasic_at_upper[j]:
            if not lp.has_upper[j]:
                return f"nonbasic x[{j}] at a missing upper bound"
            x[j] = fd.upper[j]
        elif lp.has_lower[j]:
            x[j] = fd.lower[j]
        elif lp.has_upper[j]:
            x[j] = fd.upper[j]
    t = len(T)
    row_pos = np.full(m, -1, dtype=np.int64)
    row_pos[T] = np.arange(t)
    col_pos = np.full(n, -1, dtype=np.int64)
    col_pos[B] = np.arange(t)
    in_T = row_pos[fd.rows] >= 0
    in_B = col_pos[fd.cols] >= 0
    if t:
        # rhs_T = b_T - A[T, N] x_N
        sel = in_T & ~in_B
        rhs = fd.b[T].copy()
        if sel.any():
            rhs = rhs - _accumulate(row_pos[fd.rows[sel]], fd.vals[sel] * x[fd.cols[sel]], t)
        M = flint.fmpq_mat(t, t)
        sel = in_T & in_B
        for r, c, v in zip(row_pos[fd.rows[sel]].tolist(), col_pos[fd.cols[sel]].tolist(), fd.vals[sel].tolist()):
            M[r, c] = v
        try:
            xB = M.solve(flint.fmpq_mat(t, 1, rhs.tolist()))
            yT = M.transpose().solve(flint.fmpq_mat(t, 1, fd.c[B].tolist()))
        except ZeroDivisionError:
            return "basis matrix is singular"
        x[B] = np.array(xB.entries(), dtype=object)
        y = _zeros(m)
        y[T] = np.array(yT.entries(), dtype=object)
    else:
        y = _zeros(m)
    return kkt_certificate(lp, x, y, source)
