r"""Numeric LP solves on HiGHS through ``highspy`` (Huangfu & Hall 2018, "Parallelizing the dual revised simplex
method", Math. Prog. Comp. 10).

The constraint matrix is passed to HiGHS directly in compressed-column form (no modelling layer).  The result
keeps HiGHS's basis so the exact path (:mod:`jalverify.solvers.lp.exact`) can re-solve it in rationals.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np

from jalverify.solvers.lp.program import LinearProgram, LPStatus

__all__ = ["HighsOutcome", "highs_solve", "highs_solve_arrays", "highs_solve_csc"]

_STATUS = {
    highspy.HighsModelStatus.kOptimal: LPStatus.OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: LPStatus.INFEASIBLE,
    highspy.HighsModelStatus.kUnbounded: LPStatus.UNBOUNDED,
    highspy.HighsModelStatus.kTimeLimit: LPStatus.TIME_LIMIT,
    highspy.HighsModelStatus.kModelEmpty: LPStatus.OPTIMAL,
}


@dataclass(frozen=True)
class HighsOutcome:
    """Raw outcome of a HiGHS solve.

    ``col_basic``/``row_tight``/``col_at_upper`` describe the final basis (when HiGHS has a valid one):
    basic columns, rows whose slack is nonbasic, nonbasic columns sitting at their upper bound.
    ``duals`` are ``∂ objective / ∂ b`` per row in the LP's own sense.
    """

    status: LPStatus
    model_status: str
    x: np.ndarray | None
    objective: float | None
    duals: np.ndarray | None
    col_basic: np.ndarray | None
    row_tight: np.ndarray | None
    col_at_upper: np.ndarray | None


_BASIC = int(highspy.HighsBasisStatus.kBasic)
_UPPER = int(highspy.HighsBasisStatus.kUpper)

_BANNER_SILENCED = False


def _quiet_highs() -> highspy.Highs:
    """A ``Highs`` object that has printed nothing.

    highspy 1.16 prints a two-line banner ("Running HiGHS ... Copyright ...") on file descriptor 1 when the first
    ``Highs()`` of a process is constructed, before ``output_flag`` can be set; that would corrupt the JSON a
    caller prints on stdout.  The first construction therefore runs with descriptor 1 pointed at ``/dev/null``
    (the banner carries no information about a solve); later ones print nothing and are made directly.
    """
    global _BANNER_SILENCED
    if _BANNER_SILENCED:
        highs = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _BANNER_SILENCED = True
    highs.setOptionValue("output_flag", False)
    return highs


def highs_solve_arrays(c: np.ndarray, shape: tuple[int, int], rows: np.ndarray, cols: np.ndarray, vals: np.ndarray,
                       row_lower: np.ndarray, row_upper: np.ndarray, col_lower: np.ndarray, col_upper: np.ndarray,
                       *, maximize: bool, time_limit: float | None = None,
                       presolve: bool = True, want_basis: bool = True, strict: bool = False) -> HighsOutcome:
    """Solve ``min/max c·x s.t. row_lower <= A x <= row_upper, col_lower <= x <= col_upper`` with HiGHS.

    ``A`` is given as coordinate triplets (any order).  Infinite bounds are ``±np.inf``.
    """
    n = int(shape[1])
    order = np.lexsort((rows, cols))
    start = np.searchsorted(cols[order], np.arange(n + 1))
    return highs_solve_csc(c, shape, start, rows[order], np.asarray(vals, dtype=np.float64)[order], row_lower,
                           row_upper, col_lower, col_upper, maximize=maximize, time_limit=time_limit,
                           presolve=presolve, want_basis=want_basis, strict=strict)


def highs_solve_csc(c: np.ndarray, shape: tuple[int, int], start: np.ndarray, index: np.ndarray, value: np.ndarray,
                    row_lower: np.ndarray, row_upper: np.ndarray, col_lower: np.ndarray, col_upper: np.ndarray,
                    *, maximize: bool, time_limit: float | None = None,
                    presolve: bool = True, want_basis: bool = True, strict: bool = False) -> HighsOutcome:
    """:func:`highs_solve_arrays` with ``A`` already in compressed-column form: column ``j`` holds the entries
    ``value[start[j]:start[j + 1]]`` in rows ``index[start[j]:start[j + 1]]`` (``start`` has ``n + 1`` entries).
    The arrays are handed to HiGHS as they are (one ``passModel`` call, no per-row calls)."""
    m, n = int(shape[0]), int(shape[1])
    h = _quiet_highs()
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    if not presolve:
        h.setOptionValue("presolve", "off")
    if strict:  # second attempt for the exact path: primal simplex, tight tolerances, no presolve
        h.setOptionValue("presolve", "off")
        h.setOptionValue("simplex_strategy", 4)
        h.setOptionValue("primal_feasibility_tolerance", 1e-10)
        h.setOptionValue("dual_feasibility_tolerance", 1e-10)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = m
    lp.col_cost_ = np.asarray(c, dtype=np.float64)
    lp.col_lower_ = np.asarray(col_lower, dtype=np.float64)
    lp.col_upper_ = np.asarray(col_upper, dtype=np.float64)
    lp.row_lower_ = np.asarray(row_lower, dtype=np.float64)
    lp.row_upper_ = np.asarray(row_upper, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = m
    lp.a_matrix_.start_ = np.asarray(start, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(value, dtype=np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    h.passModel(lp)
    h.run()
    model_status = h.getModelStatus()
    status = _STATUS.get(model_status, LPStatus.FAILED)
    if model_status == highspy.HighsModelStatus.kUnboundedOrInfeasible:
        status = LPStatus.FAILED
    name = h.modelStatusToString(model_status)
    if status is not LPStatus.OPTIMAL:
        return HighsOutcome(status, name, None, None, None, None, None, None)
    sol = h.getSolution()
    x = np.asarray(sol.col_value, dtype=np.float64)
    duals = np.asarray(sol.row_dual, dtype=np.float64)
    objective = float(h.getObjectiveValue())
    col_basic = row_tight = col_at_upper = None
    basis = h.getBasis() if want_basis else None
    if basis is not None and basis.valid:
        cs = np.fromiter(map(int, basis.col_status), dtype=np.int64, count=n)
        rs = np.fromiter(map(int, basis.row_status), dtype=np.int64, count=m)
        col_basic = cs == _BASIC
        col_at_upper = cs == _UPPER
        row_tight = rs != _BASIC
    return HighsOutcome(status, name, x, objective, duals, col_basic, row_tight, col_at_upper)


def highs_solve(lp: LinearProgram, *, time_limit: float | None = None, want_basis: bool = True,
                strict: bool = False) -> HighsOutcome:
    """Solve a :class:`LinearProgram` with HiGHS (its float data)."""
    d = lp.float_data
    return highs_solve_arrays(d["c"], tuple(d["shape"]), d["rows"], d["cols"], d["vals"], d["row_lower"],
                              d["row_upper"], d["col_lower"], d["col_upper"], maximize=lp.maximize,
                              time_limit=time_limit, want_basis=want_basis, strict=strict)
