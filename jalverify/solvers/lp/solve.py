"""The LP driver: numeric solves on HiGHS and certified exact solves (HiGHS basis → exact certificate →
exact repair → exact simplex).  See :mod:`jalverify.solvers.lp` for the overview."""

from __future__ import annotations

import numpy as np

from jalverify.errors import InvalidNumber
from jalverify.numbers import EXACT, FLOAT, Field, field_named
from jalverify.solvers.lp.certificate import LPCertificate
from jalverify.solvers.lp.exact import basis_certificate
from jalverify.solvers.lp.numeric import HighsOutcome, highs_solve
from jalverify.solvers.lp.program import LinearProgram, LPResult, LPStatus
from jalverify.solvers.lp.simplex import simplex_solve, standard_basis_from, standard_form

__all__ = ["exact_simplex_solve", "lp_solve", "result_from_certificate"]


def result_from_certificate(cert: LPCertificate, method: str, basis: object = None, message: str = "") -> LPResult:
    """An exact :class:`LPResult` carrying ``cert``."""
    if cert.kind is LPStatus.OPTIMAL:
        return LPResult(LPStatus.OPTIMAL, EXACT, _objects(cert.x), cert.objective, _objects(cert.duals), basis, cert,
                        method, message)
    if cert.kind is LPStatus.UNBOUNDED:
        return LPResult(LPStatus.UNBOUNDED, EXACT, _objects(cert.x), None, None, basis, cert, method, message)
    return LPResult(cert.kind, EXACT, None, None, None, basis, cert, method, message)


def _objects(values: tuple) -> np.ndarray:
    """A 1-D object array holding ``values`` (no per-entry sequence probing, unlike ``np.array``)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def exact_simplex_solve(lp: LinearProgram) -> LPResult:
    """Solve an exact LP with the pure exact two-phase simplex (Bland's rule); the independent reference."""
    if not lp.field.exact:
        raise InvalidNumber("exact_simplex_solve(): the LP must be in the exact field")
    out = simplex_solve(lp)
    return result_from_certificate(out.certificate, "exact-simplex-bland", message=f"{out.pivots} pivots")


def _float_result(lp: LinearProgram, out: HighsOutcome, fld: Field) -> LPResult:
    basis = None
    if out.col_basic is not None:
        basis = (tuple(np.nonzero(out.col_basic)[0].tolist()), tuple(np.nonzero(out.row_tight)[0].tolist()))
    return LPResult(out.status, fld, out.x, out.objective, out.duals, basis, None, "highs", out.model_status)


def lp_solve(lp: LinearProgram, *, field: Field | str = FLOAT, time_limit: float | None = None,
             want_basis: bool = True) -> LPResult:
    """Solve ``lp`` numerically (``field=FLOAT``) or exactly with a certificate (``field=EXACT``).

    Parameters
    ----------
    lp : LinearProgram
    field : Field or name
        FLOAT: HiGHS's answer within its tolerances.  EXACT: needs an exact LP; the answer is certified.
    time_limit : float, optional
        Seconds for HiGHS (status TIME_LIMIT when hit; the exact simplex has no limit).
    want_basis : bool
        FLOAT only: read HiGHS's basis into ``result.basis`` (skip it in hot loops).

    Returns
    -------
    LPResult
        ``method`` says which route produced the answer: ``"highs"``, ``"highs+exact-basis"``,
        ``"highs-strict+exact-basis"`` (a second HiGHS run, primal simplex with tight tolerances and no
        presolve, whose basis was certified), ``"highs+exact-repair"`` (exact simplex pivots from HiGHS's
        basis), ``"exact-simplex-bland"``.
    """
    fld = field_named(field)
    if not fld.exact:
        return _float_result(lp, highs_solve(lp, time_limit=time_limit, want_basis=want_basis), fld)
    if not lp.field.exact:
        raise InvalidNumber("lp_solve(field=EXACT): the LP holds float data; build it in the exact field")
    out = highs_solve(lp, time_limit=time_limit)
    if out.status is LPStatus.TIME_LIMIT:
        return LPResult(LPStatus.TIME_LIMIT, EXACT, None, None, None, None, None, "highs", out.model_status)
    reason = f"HiGHS status {out.model_status}"
    if out.status is LPStatus.OPTIMAL and out.col_basic is not None:
        cert = basis_certificate(lp, out.col_basic, out.row_tight, out.col_at_upper, source="highs-basis")
        if isinstance(cert, LPCertificate):
            basis = (tuple(np.nonzero(out.col_basic)[0].tolist()), tuple(np.nonzero(out.row_tight)[0].tolist()))
            return result_from_certificate(cert, "highs+exact-basis", basis)
        reason = f"HiGHS basis not certified ({cert})"
        retry = highs_solve(lp, time_limit=time_limit, strict=True)
        if retry.status is LPStatus.OPTIMAL and retry.col_basic is not None:
            cert2 = basis_certificate(lp, retry.col_basic, retry.row_tight, retry.col_at_upper,
                                      source="highs-basis (strict retry)")
            if isinstance(cert2, LPCertificate):
                basis = (tuple(np.nonzero(retry.col_basic)[0].tolist()),
                         tuple(np.nonzero(retry.row_tight)[0].tolist()))
                return result_from_certificate(cert2, "highs-strict+exact-basis", basis, message=reason)
        sf = standard_form(lp)
        start = standard_basis_from(sf, lp, out.col_basic, out.row_tight, out.col_at_upper, out.x)
        if start is not None:
            res = simplex_solve(lp, start_basis=start, standard=sf)
            if res.warm_started:
                return result_from_certificate(res.certificate, "highs+exact-repair",
                                               message=f"{reason}; repaired with {res.pivots} exact pivots")
            return result_from_certificate(res.certificate, "exact-simplex-bland",
                                           message=f"{reason}; basis infeasible or singular, solved by exact simplex")
        res = simplex_solve(lp, standard=sf)
        return result_from_certificate(res.certificate, "exact-simplex-bland",
                                       message=f"{reason}; basis unusable, solved by exact simplex")
    res = simplex_solve(lp)
    return result_from_certificate(res.certificate, "exact-simplex-bland", message=f"{reason}; exact simplex")

