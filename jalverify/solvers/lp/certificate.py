r"""Exact LP certificates and their independent re-check.

An exact LP answer is reported only with a certificate that has been checked in rational arithmetic:

* **optimal** — a primal point ``x`` and row duals ``y`` satisfying the KKT conditions of the bounded-variable
  LP (Chvátal 1983, ch. 5 and 8; Dantzig 1963, §8.3).  Written for the minimisation ``min c'·x`` with
  ``c' = c`` (or ``c' = -c`` for a maximisation, duals negated accordingly) and reduced costs
  ``d' = c' - A_ubᵀ y'_ub - A_eqᵀ y'_eq``:

  1. primal feasibility: ``A_ub x <= b_ub``, ``A_eq x = b_eq``, ``l <= x <= u``;
  2. dual sign: ``y'_ub <= 0``;
  3. complementary slackness on rows: ``y'_i != 0`` only where row ``i`` is tight;
  4. dual feasibility with complementary slackness on bounds: ``d'_j > 0`` only if ``x_j = l_j`` (a finite
     lower bound), ``d'_j < 0`` only if ``x_j = u_j``.

  These imply weak duality with equality, ``c'·x = b_ubᵀy'_ub + b_eqᵀy'_eq + Σ_j d'_j x_j``, hence optimality.

* **infeasible** — a variable with crossed bounds ``l_j > u_j``, or Farkas multipliers ``λ`` per row with ``λ_ub >= 0`` such that ``r = Aᵀλ`` satisfies
  ``min_{l<=x<=u} r·x > λ·b`` (finite minimum); every feasible ``x`` would satisfy ``r·x <= λ·b``
  (Farkas' lemma, Schrijver 1986, §7.3).

* **unbounded** — a feasible point ``x`` and a ray ``d`` with ``A_ub d <= 0``, ``A_eq d = 0``, ``d_j >= 0`` where
  ``x_j`` has a lower bound, ``d_j <= 0`` where it has an upper bound, and ``c'·d < 0``.

:meth:`LPCertificate.verify` re-checks a certificate from the LP data alone with plain
:class:`fractions.Fraction` loops; it shares no code with the flint-based checks that built the certificate.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import CertificateError
from jalverify.solvers.lp.program import LinearProgram, LPStatus

__all__ = ["LPCertificate"]


def _activity(lp: LinearProgram, x: list[Fraction]) -> list[Fraction]:
    out = [Fraction(0)] * lp.n_rows
    for s, offset in ((lp.A_ub, 0), (lp.A_eq, lp.n_ub)):
        for r, c, v in zip(s.rows.tolist(), s.cols.tolist(), s.values.tolist()):
            out[offset + r] += v * x[c]
    return out


def _transpose_times(lp: LinearProgram, y: list[Fraction]) -> list[Fraction]:
    out = [Fraction(0)] * lp.n_variables
    for s, offset in ((lp.A_ub, 0), (lp.A_eq, lp.n_ub)):
        for r, c, v in zip(s.rows.tolist(), s.cols.tolist(), s.values.tolist()):
            if y[offset + r]:
                out[c] += v * y[offset + r]
    return out


@dataclass(frozen=True)
class LPCertificate:
    """A checked exact certificate for an LP outcome.

    Attributes
    ----------
    kind : LPStatus
        OPTIMAL, INFEASIBLE or UNBOUNDED.
    x : tuple of Fraction or None
        Optimal point (OPTIMAL) or feasible point (UNBOUNDED).
    duals : tuple of Fraction or None
        Row duals ``∂ objective / ∂ b`` in the LP's own sense (OPTIMAL).
    reduced_costs : tuple of Fraction or None
        ``c - Aᵀ duals`` (OPTIMAL).
    row_slacks : tuple of Fraction or None
        ``b - A x`` per row (OPTIMAL), e.g. the negated CE gains of a CE LP.
    objective : Fraction or None
    farkas : tuple of Fraction or None
        Row multipliers ``λ`` (INFEASIBLE).
    ray : tuple of Fraction or None
        Improving direction (UNBOUNDED).
    checks : tuple of str
        The conditions that were verified exactly when the certificate was built.
    source : str
        Which exact computation produced it (``"highs-basis"``, ``"simplex-bland"``, ...).
    """

    kind: LPStatus
    x: tuple[Fraction, ...] | None = None
    duals: tuple[Fraction, ...] | None = None
    reduced_costs: tuple[Fraction, ...] | None = None
    row_slacks: tuple[Fraction, ...] | None = None
    objective: Fraction | None = None
    farkas: tuple[Fraction, ...] | None = None
    ray: tuple[Fraction, ...] | None = None
    checks: tuple[str, ...] = ()
    source: str = ""
    lp: LinearProgram | None = dc_field(default=None, repr=False, compare=False)

    def verify(self, lp: LinearProgram | None = None) -> bool:
        """Re-check the certificate against ``lp`` (default: the LP it was built for) in exact arithmetic.

        Returns
        -------
        True

        Raises
        ------
        CertificateError
            Naming the first condition that fails and the offending index and values.
        """
        lp = lp if lp is not None else self.lp
        if lp is None:
            raise CertificateError("LPCertificate.verify(): no LP given and none recorded")
        if not lp.field.exact:
            raise CertificateError("LPCertificate.verify(): the LP is in the float field; certificates are exact")
        if self.kind is LPStatus.OPTIMAL:
            self._verify_optimal(lp)
        elif self.kind is LPStatus.INFEASIBLE:
            self._verify_infeasible(lp)
        elif self.kind is LPStatus.UNBOUNDED:
            self._verify_unbounded(lp)
        else:
            raise CertificateError(f"LPCertificate.verify(): no certificate exists for status {self.kind.value}")
        return True

    # --- the three kinds ----------------------------------------------------------------------------
    @staticmethod
    def _check_primal(lp: LinearProgram, x: list[Fraction], what: str) -> list[Fraction]:
        where = f"LPCertificate.verify() {what}"
        if len(x) != lp.n_variables:
            raise CertificateError(f"{where}: {len(x)} values for {lp.n_variables} variables")
        for j, xj in enumerate(x):
            if not isinstance(xj, Fraction):
                raise CertificateError(f"{where}: x[{j}] = {xj!r} is not a Fraction")
            if lp.has_lower[j] and xj < lp.lower[j]:
                raise CertificateError(f"{where}: x[{j}] = {xj} below its lower bound {lp.lower[j]}")
            if lp.has_upper[j] and xj > lp.upper[j]:
                raise CertificateError(f"{where}: x[{j}] = {xj} above its upper bound {lp.upper[j]}")
        act = _activity(lp, x)
        for i in range(lp.n_ub):
            if act[i] > lp.b_ub[i]:
                raise CertificateError(f"{where}: row {i} (A_ub) has activity {act[i]} > b_ub = {lp.b_ub[i]}")
        for k in range(lp.n_eq):
            if act[lp.n_ub + k] != lp.b_eq[k]:
                raise CertificateError(f"{where}: equality row {k} has activity {act[lp.n_ub + k]} != b_eq = {lp.b_eq[k]}")
        return act

    def _verify_optimal(self, lp: LinearProgram) -> None:
        where = "LPCertificate.verify() optimal"
        if self.x is None or self.duals is None or self.objective is None:
            raise CertificateError(f"{where}: x, duals and objective are required")
        x = list(self.x)
        act = self._check_primal(lp, x, "optimal")
        sign = -1 if lp.maximize else 1
        y = [sign * Fraction(v) for v in self.duals]  # minimisation-form duals y'
        if len(y) != lp.n_rows:
            raise CertificateError(f"{where}: {len(y)} duals for {lp.n_rows} rows")
        objective = sum((ci * xi for ci, xi in zip(lp.c.tolist(), x)), Fraction(0))
        if objective != self.objective:
            raise CertificateError(f"{where}: recorded objective {self.objective} != c·x = {objective}")
        for i in range(lp.n_ub):
            if y[i] > 0:
                raise CertificateError(f"{where}: dual of <= row {i} has the wrong sign ({sign * y[i]})")
            if y[i] != 0 and act[i] != lp.b_ub[i]:
                raise CertificateError(
                    f"{where}: complementary slackness fails at row {i}: dual {sign * y[i]} but slack "
                    f"{lp.b_ub[i] - act[i]}")
        aty = _transpose_times(lp, y)
        d = [sign * ci - ai for ci, ai in zip(lp.c.tolist(), aty)]
        for j, dj in enumerate(d):
            if dj > 0 and not (lp.has_lower[j] and x[j] == lp.lower[j]):
                raise CertificateError(
                    f"{where}: variable {j} has reduced cost {sign * dj} but is not at its lower bound (x = {x[j]})")
            if dj < 0 and not (lp.has_upper[j] and x[j] == lp.upper[j]):
                raise CertificateError(
                    f"{where}: variable {j} has reduced cost {sign * dj} but is not at its upper bound (x = {x[j]})")
        if self.reduced_costs is not None and [sign * v for v in self.reduced_costs] != d:
            raise CertificateError(f"{where}: recorded reduced costs differ from c - Aᵀy")
        if self.row_slacks is not None:
            b = lp.b_ub.tolist() + lp.b_eq.tolist()
            if list(self.row_slacks) != [bi - ai for bi, ai in zip(b, act)]:
                raise CertificateError(f"{where}: recorded row slacks differ from b - A x")
        dual_objective = (sum((bi * yi for bi, yi in zip(lp.b_ub.tolist() + lp.b_eq.tolist(), y)), Fraction(0))
                          + sum((dj * xj for dj, xj in zip(d, x)), Fraction(0)))
        if dual_objective != sign * objective:
            raise CertificateError(f"{where}: dual objective {sign * dual_objective} != primal objective {objective}")

    def _verify_infeasible(self, lp: LinearProgram) -> None:
        where = "LPCertificate.verify() infeasible"
        if self.farkas is None:
            raise CertificateError(f"{where}: Farkas multipliers are required")
        for j in range(lp.n_variables):  # an empty box is infeasible by itself
            if lp.has_lower[j] and lp.has_upper[j] and lp.lower[j] > lp.upper[j]:
                return
        lam = [Fraction(v) for v in self.farkas]
        if len(lam) != lp.n_rows:
            raise CertificateError(f"{where}: {len(lam)} multipliers for {lp.n_rows} rows")
        for i in range(lp.n_ub):
            if lam[i] < 0:
                raise CertificateError(f"{where}: multiplier of <= row {i} is negative ({lam[i]})")
        r = _transpose_times(lp, lam)
        lowest = Fraction(0)
        for j, rj in enumerate(r):
            if rj > 0:
                if not lp.has_lower[j]:
                    raise CertificateError(f"{where}: (Aᵀλ)[{j}] = {rj} > 0 on a variable without lower bound")
                lowest += rj * lp.lower[j]
            elif rj < 0:
                if not lp.has_upper[j]:
                    raise CertificateError(f"{where}: (Aᵀλ)[{j}] = {rj} < 0 on a variable without upper bound")
                lowest += rj * lp.upper[j]
        rhs = sum((bi * li for bi, li in zip(lp.b_ub.tolist() + lp.b_eq.tolist(), lam)), Fraction(0))
        if not lowest > rhs:
            raise CertificateError(f"{where}: min over the bounds of (Aᵀλ)·x = {lowest} is not > λ·b = {rhs}")

    def _verify_unbounded(self, lp: LinearProgram) -> None:
        where = "LPCertificate.verify() unbounded"
        if self.x is None or self.ray is None:
            raise CertificateError(f"{where}: a feasible point and a ray are required")
        self._check_primal(lp, list(self.x), "unbounded (feasible point)")
        d = [Fraction(v) for v in self.ray]
        if len(d) != lp.n_variables:
            raise CertificateError(f"{where}: ray has {len(d)} entries for {lp.n_variables} variables")
        for j, dj in enumerate(d):
            if lp.has_lower[j] and dj < 0:
                raise CertificateError(f"{where}: ray[{j}] = {dj} < 0 leaves the lower bound")
            if lp.has_upper[j] and dj > 0:
                raise CertificateError(f"{where}: ray[{j}] = {dj} > 0 leaves the upper bound")
        act = _activity(lp, d)
        for i in range(lp.n_ub):
            if act[i] > 0:
                raise CertificateError(f"{where}: ray increases row {i} (A_ub d = {act[i]} > 0)")
        for k in range(lp.n_eq):
            if act[lp.n_ub + k] != 0:
                raise CertificateError(f"{where}: ray moves equality row {k} (A_eq d = {act[lp.n_ub + k]})")
        slope = sum((ci * di for ci, di in zip(lp.c.tolist(), d)), Fraction(0))
        improving = slope > 0 if lp.maximize else slope < 0
        if not improving:
            raise CertificateError(f"{where}: c·d = {slope} does not improve the objective")


def normalized_fraction(p: int, q: int) -> Fraction:
    """A Fraction from an already normalised pair (``gcd(p, q) = 1``, ``q > 0``, e.g. an fmpq's), skipping
    Fraction's gcd normalisation.  Uses Fraction's documented-in-source slots ``_numerator``/``_denominator``."""
    f = object.__new__(Fraction)
    f._numerator = p
    f._denominator = q
    return f


_ZERO = Fraction(0)


def fractions(values: Any) -> tuple[Fraction, ...]:
    """Tuple of Fractions from fmpq/int/Fraction values (fmpq values are normalised, so no gcd is needed)."""
    out = []
    for v in values:
        t = type(v)
        if t is int:
            out.append(Fraction(v) if v else _ZERO)
        elif t is Fraction:
            out.append(v)
        elif isinstance(v, (int, np.integer)):
            out.append(Fraction(int(v)))
        else:
            out.append(normalized_fraction(int(v.p), int(v.q)))
    return tuple(out)
