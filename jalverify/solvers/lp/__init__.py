r"""Linear programming with certificates: a numeric path on HiGHS and a certified exact path.

``lp_solve(lp, field=FLOAT)`` solves with HiGHS (:mod:`.numeric`).  ``lp_solve(lp, field=EXACT)``:

1. solves numerically with HiGHS and takes its optimal basis;
2. recomputes the basic solution and the duals of that basis in exact rationals and checks primal
   feasibility, dual feasibility and complementary slackness exactly (:mod:`.exact`);
3. if that certificate fails, solves once more with HiGHS (primal simplex, tight tolerances, no presolve) and
   certifies that basis; failing that, repairs the basis by exact simplex pivots (Bland's rule) starting from
   it, and if the basis cannot be used at all (singular or infeasible in exact arithmetic), solves from
   scratch with the exact two-phase simplex (:mod:`.simplex`);
4. for infeasible or unbounded LPs the exact simplex produces a Farkas certificate or a ray.

An exact result is never returned without a certificate that was checked in rational arithmetic; it can be
re-checked independently with ``result.certificate.verify()``.

Modules: :mod:`.program` (the LP and result types), :mod:`.numeric` (HiGHS), :mod:`.exact` (basis certificates
with python-flint), :mod:`.exact_integer` (the same certificate, fraction-free, when every datum is an integer),
:mod:`.intmat` (exact integer matrix × big-integer vector products in int64 digits), :mod:`.certificate`
(certificates and their independent check), :mod:`.simplex` (exact simplex, Bland's rule), :mod:`.solve` (the
driver).  Cost: the exact tableau simplex is dense; it is meant for
small LPs and as the rarely used fallback (a few hundred rows and columns), not for large ones.
"""

from jalverify.solvers.lp.certificate import LPCertificate
from jalverify.solvers.lp.program import LinearProgram, LPResult, LPStatus, SparseRows
from jalverify.solvers.lp.solve import exact_simplex_solve, lp_solve, result_from_certificate

__all__ = [
    "LPCertificate",
    "LPResult",
    "LPStatus",
    "LinearProgram",
    "SparseRows",
    "exact_simplex_solve",
    "lp_solve",
    "result_from_certificate",
]
