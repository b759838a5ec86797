r"""Exact two-phase primal simplex with Bland's anti-cycling rule, in rational arithmetic.

The LP is first rewritten in standard form ``min c_s·z  s.t.  A_s z = b_s,  z >= 0``: a variable with a lower
bound becomes ``x = l + z``, one with only an upper bound ``x = u - z``, a free one ``x = p - q``; a variable with
both bounds gets a row ``z + w = u - l``; ``<=`` rows get a slack; rows with a negative right-hand side are
negated.  Phase 1 minimises the sum of artificial variables, phase 2 the objective (Dantzig 1963, ch. 5;
Chvátal 1983, ch. 3).  **Bland's rule** (Bland 1977, "New finite pivoting rules for the simplex method", Math.
Oper. Res. 2): the entering column is the lowest-indexed one with negative reduced cost, and among the rows
tied in the ratio test the one whose basic variable has the lowest index leaves.  With this rule the simplex
method never cycles, so it terminates on degenerate LPs (e.g. Beale's 1955 cycling example).

Outcomes come with exact certificates (:mod:`jalverify.solvers.lp.certificate`): the duals of the final basis
(``B_sᵀ y = c_B``, solved with flint) for optimality, the phase-1 duals as Farkas multipliers for infeasibility,
and the unbounded column as a ray.  The method can also start from a given basis (the "repair" of a basis that
failed its certificate), provided the basis is nonsingular and primal feasible in exact arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import flint
import numpy as np

from jalverify.errors import CertificateError
from jalverify.solvers.lp.certificate import LPCertificate, fractions
from jalverify.solvers.lp.exact import flint_data, kkt_certificate
from jalverify.solvers.lp.program import LinearProgram, LPStatus

__all__ = ["SimplexOutcome", "StandardForm", "simplex_solve", "standard_basis_from", "standard_form"]

ZERO = flint.fmpq(0)


@dataclass
class StandardForm:
    """``min c·z s.t. A z = b, z >= 0`` built from a :class:`LinearProgram`, with the maps back."""

    A: list[list[flint.fmpq]]  # dense rows
    b: list[flint.fmpq]
    c: list[flint.fmpq]
    flip: list[int]  # +1 / -1 per row
    var_of: list[int]  # original variable of each column (-1 for slacks)
    sign_of: list[int]  # x_j += sign * z for the column
    shift: list[flint.fmpq]  # x_j = shift_j + Σ sign z
    slack_of_row: dict[int, int]  # row -> its slack column (ub rows and box rows)
    n_orig_rows: int
    columns_of_var: list[list[int]]
    box_row_of_var: dict[int, int]


def _q(v: object) -> flint.fmpq:
    return v if isinstance(v, flint.fmpq) else flint.fmpq(v)


def standard_form(lp: LinearProgram) -> StandardForm:
    fd0 = flint_data(lp)
    fd = type(fd0)(fd0.rows, fd0.cols, np.array([_q(v) for v in fd0.vals.tolist()] or [], dtype=object),
                   np.array([_q(v) for v in fd0.c.tolist()] or [], dtype=object),
                   np.array([_q(v) for v in fd0.b.tolist()] or [], dtype=object),
                   np.array([_q(v) for v in fd0.lower.tolist()] or [], dtype=object),
                   np.array([_q(v) for v in fd0.upper.tolist()] or [], dtype=object), fd0.sign, fd0.col_order)
    n, m = lp.n_variables, lp.n_rows
    var_of: list[int] = []
    sign_of: list[int] = []
    cost: list[flint.fmpq] = []
    shift: list[flint.fmpq] = []
    columns_of_var: list[list[int]] = []
    boxed: list[int] = []
    for j in range(n):
        cols = []
        if lp.has_lower[j]:
            shift.append(fd.lower[j])
            cols.append((j, 1))
            if lp.has_upper[j]:
                boxed.append(j)
        elif lp.has_upper[j]:
            shift.append(fd.upper[j])
            cols.append((j, -1))
        else:
            shift.append(ZERO)
            cols.extend([(j, 1), (j, -1)])
        idx = []
        for var, s in cols:
            idx.append(len(var_of))
            var_of.append(var)
            sign_of.append(s)
            cost.append(fd.c[var] * s)
        columns_of_var.append(idx)
    n_struct = len(var_of)
    rows_total = m + len(boxed)
    slack_of_row: dict[int, int] = {}
    for i in list(range(lp.n_ub)) + list(range(m, rows_total)):
        slack_of_row[i] = len(var_of)
        var_of.append(-1)
        sign_of.append(0)
        cost.append(ZERO)
    N = len(var_of)
    A = [[ZERO] * N for _ in range(rows_total)]
    b = [fd.b[i] for i in range(m)] + [ZERO] * len(boxed)
    for r, c, v in zip(fd.rows.tolist(), fd.cols.tolist(), fd.vals.tolist()):
        for k in columns_of_var[c]:
            A[r][k] = v * sign_of[k]
        b[r] = b[r] - v * shift[c]
    box_row_of_var = {}
    for t, j in enumerate(boxed):
        r = m + t
        box_row_of_var[j] = r
        A[r][columns_of_var[j][0]] = flint.fmpq(1)
        b[r] = fd.upper[j] - fd.lower[j]
    for i, k in slack_of_row.items():
        A[i][k] = flint.fmpq(1)
    flip = [1] * rows_total
    for i in range(rows_total):
        if b[i] < ZERO:
            flip[i] = -1
            b[i] = -b[i]
            A[i] = [-v for v in A[i]]
    del n_struct
    return StandardForm(A, b, cost, flip, var_of, sign_of, shift, slack_of_row, m, columns_of_var, box_row_of_var)


@dataclass(frozen=True)
class SimplexOutcome:
    status: LPStatus
    certificate: LPCertificate | None
    pivots: int
    warm_started: bool = False
    message: str = ""


class _Tableau:
    def __init__(self, rows: list[list[flint.fmpq]], basis: list[int]) -> None:
        self.T = rows  # each row: coefficients then rhs
        self.basis = basis
        self.pivots = 0

    def pivot(self, r: int, j: int, cost_rows: list[list[flint.fmpq]]) -> None:
        T = self.T
        pr = T[r]
        piv = pr[j]
        inv = flint.fmpq(1) / piv
        pr = [v * inv for v in pr]
        T[r] = pr
        nz = [k for k, v in enumerate(pr) if v != ZERO]
        for k in range(len(T)):
            if k != r:
                row = T[k]
                f = row[j]
                if f != ZERO:
                    for q in nz:
                        row[q] -= f * pr[q]
        for row in cost_rows:
            f = row[j]
            if f != ZERO:
                for q in nz:
                    row[q] -= f * pr[q]
        self.basis[r] = j
        self.pivots += 1

    def reduced_costs(self, c: list[flint.fmpq]) -> list[flint.fmpq]:
        width = len(self.T[0]) if self.T else len(c) + 1
        row = list(c) + [ZERO] * (width - len(c))
        for r, j in enumerate(self.basis):
            cb = c[j] if j < len(c) else ZERO
            if cb != ZERO:
                tr = self.T[r]
                for q in range(width):
                    if tr[q] != ZERO:
                        row[q] -= cb * tr[q]
        return row

    def bland(self, cost: list[flint.fmpq], allowed: int) -> tuple[str, int]:
        """Pivot with Bland's rule until optimal ('optimal', -1) or unbounded ('unbounded', column)."""
        T = self.T
        while True:
            j = next((q for q in range(allowed) if cost[q] < ZERO), -1)
            if j < 0:
                return "optimal", -1
            best_r, best_ratio = -1, None
            for r, row in enumerate(T):
                a = row[j]
                if a > ZERO:
                    ratio = row[-1] / a
                    if best_ratio is None or ratio < best_ratio or (ratio == best_ratio and self.basis[r] < self.basis[best_r]):
                        best_r, best_ratio = r, ratio
            if best_r < 0:
                return "unbounded", j
            self.pivot(best_r, j, [cost])


def _solve_duals(A_cols: list[list[flint.fmpq]], basis: list[int], c: list[flint.fmpq]) -> list[flint.fmpq]:
    """y with B^T y = c_B, where column j of the basis is A_cols[j]."""
    m = len(basis)
    if m == 0:
        return []
    Bt = flint.fmpq_mat(m, m)
    for r, j in enumerate(basis):
        col = A_cols[j]
        for i in range(m):
            if col[i] != ZERO:
                Bt[r, i] = col[i]
    y = Bt.solve(flint.fmpq_mat(m, 1, [c[j] for j in basis]))
    return list(y.entries())


def _columns(A: list[list[flint.fmpq]], n_rows: int, n_cols: int) -> list[list[flint.fmpq]]:
    return [[A[i][j] for i in range(n_rows)] for j in range(n_cols)]


def _x_from_z(sf: StandardForm, z: list[flint.fmpq], n: int) -> np.ndarray:
    x = np.empty(n, dtype=object)
    for j in range(n):
        v = sf.shift[j]
        for k in sf.columns_of_var[j]:
            v = v + sf.sign_of[k] * z[k]
        x[j] = v
    return x


def _basic_z(tab: _Tableau, N: int) -> list[flint.fmpq]:
    z = [ZERO] * N
    for r, j in enumerate(tab.basis):
        if j < N:
            z[j] = tab.T[r][-1]
    return z


def standard_basis_from(sf: StandardForm, lp: LinearProgram, col_basic: np.ndarray, row_tight: np.ndarray,
                        col_at_upper: np.ndarray, x_hint: np.ndarray | None) -> list[int] | None:
    """Map a bounded-variable basis (e.g. HiGHS's) to a standard-form basis, one column per row; None if it does
    not map to the right number of columns."""
    cols: list[int] = []
    for j in range(lp.n_variables):
        idx = sf.columns_of_var[j]
        if j in sf.box_row_of_var:
            w = sf.slack_of_row[sf.box_row_of_var[j]]
            if col_basic[j]:
                cols.extend([idx[0], w])
            elif col_at_upper[j]:
                cols.append(idx[0])
            else:
                cols.append(w)
        elif col_basic[j]:
            if len(idx) == 2:
                cols.append(idx[0] if x_hint is None or x_hint[j] >= 0 else idx[1])
            else:
                cols.append(idx[0])
    for i in range(lp.n_ub):
        if not row_tight[i]:
            cols.append(sf.slack_of_row[i])
    if any(not row_tight[i] for i in range(lp.n_ub, lp.n_rows)):
        return None
    if len(cols) != len(sf.A) or len(set(cols)) != len(cols):
        return None
    return cols


def _warm_tableau(sf: StandardForm, basis: list[int]) -> _Tableau | None:
    m, N = len(sf.A), len(sf.c)
    if m == 0:
        return None
    B = flint.fmpq_mat(m, m)
    for i in range(m):
        row = sf.A[i]
        for r, j in enumerate(basis):
            if row[j] != ZERO:
                B[i, r] = row[j]
    full = flint.fmpq_mat(m, N + 1, [v for i in range(m) for v in sf.A[i] + [sf.b[i]]])
    try:
        T = B.solve(full)
    except ZeroDivisionError:
        return None
    rows = [[T[i, q] for q in range(N + 1)] for i in range(m)]
    if any(row[-1] < ZERO for row in rows):
        return None
    return _Tableau(rows, list(basis))


def simplex_solve(lp: LinearProgram, *, start_basis: list[int] | None = None,
                  standard: StandardForm | None = None) -> SimplexOutcome:
    """Solve an exact LP by the two-phase simplex method with Bland's rule and return a checked certificate.

    Parameters
    ----------
    lp : LinearProgram in the exact field
    start_basis : list of standard-form column indices, optional
        Start phase 2 from this basis if it is nonsingular and primal feasible (otherwise phase 1 runs).
    """
    for j in range(lp.n_variables):
        if lp.has_lower[j] and lp.has_upper[j] and lp.lower[j] > lp.upper[j]:
            cert = LPCertificate(kind=LPStatus.INFEASIBLE, farkas=tuple(fractions([0] * lp.n_rows)),
                                 checks=(f"variable {j} has lower bound {lp.lower[j]} > upper bound {lp.upper[j]}",),
                                 source="bounds", lp=lp)
            cert.verify()
            return SimplexOutcome(LPStatus.INFEASIBLE, cert, 0)
    sf = standard if standard is not None else standard_form(lp)
    m, N = len(sf.A), len(sf.c)
    n = lp.n_variables
    tab = _warm_tableau(sf, start_basis) if start_basis is not None else None
    extra: list[int] = []
    warm = tab is not None
    if tab is None:
        # phase 1: slacks (unflipped) as initial basis where possible, artificials elsewhere
        basis = []
        for i in range(m):
            k = sf.slack_of_row.get(i)
            if k is not None and sf.flip[i] == 1:
                basis.append(k)
            else:
                basis.append(N + len(extra))
                extra.append(i)
        rows = []
        for i in range(m):
            art = [ZERO] * len(extra)
            if i in extra:
                art[extra.index(i)] = flint.fmpq(1)
            rows.append(list(sf.A[i]) + art + [sf.b[i]])
        tab = _Tableau(rows, basis)
        c1 = [ZERO] * N + [flint.fmpq(1)] * len(extra)
        if extra:
            cost1 = tab.reduced_costs(c1)
            tab.bland(cost1, N + len(extra))
            if -cost1[-1] > ZERO:
                all_cols = _columns([r[:-1] for r in _phase1_matrix(sf, extra)], m, N + len(extra))
                y = _solve_duals(all_cols, tab.basis, c1)
                lam = [-(sf.flip[i] * y[i]) for i in range(lp.n_rows)]
                cert = LPCertificate(kind=LPStatus.INFEASIBLE, farkas=fractions(lam),
                                     checks=("Farkas: multipliers of <= rows >= 0",
                                             "min over bounds of (Aᵀλ)·x > λ·b"),
                                     source="simplex-bland phase 1", lp=lp)
                cert.verify()
                return SimplexOutcome(LPStatus.INFEASIBLE, cert, tab.pivots)
            # drive artificials at level zero out of the basis where possible
            for r in range(m):
                if tab.basis[r] >= N:
                    q = next((q for q in range(N) if tab.T[r][q] != ZERO), -1)
                    if q >= 0:
                        tab.pivot(r, q, [])
    cost = tab.reduced_costs(sf.c)
    outcome, entering = tab.bland(cost, N)
    pivots = tab.pivots
    z = _basic_z(tab, N)
    x = _x_from_z(sf, z, n)
    if outcome == "unbounded":
        dz = [ZERO] * N
        dz[entering] = flint.fmpq(1)
        for r, j in enumerate(tab.basis):
            if j < N:
                dz[j] = -tab.T[r][entering]
        ray = np.empty(n, dtype=object)
        for j in range(n):
            ray[j] = sum((sf.sign_of[k] * dz[k] for k in sf.columns_of_var[j]), ZERO)
        cert = LPCertificate(kind=LPStatus.UNBOUNDED, x=fractions(x.tolist()), ray=fractions(ray.tolist()),
                             checks=("feasible point", "ray keeps feasibility", "ray improves the objective"),
                             source="simplex-bland", lp=lp)
        cert.verify()
        return SimplexOutcome(LPStatus.UNBOUNDED, cert, pivots, warm)
    cols = _columns([r[:-1] for r in _phase1_matrix(sf, extra)], m, N + len(extra))
    c_full = list(sf.c) + [ZERO] * len(extra)
    y = _solve_duals(cols, tab.basis, c_full)
    y_orig = np.empty(lp.n_rows, dtype=object)
    for i in range(lp.n_rows):
        y_orig[i] = sf.flip[i] * y[i]
    cert = kkt_certificate(lp, x, y_orig, "simplex-bland")
    if isinstance(cert, str):  # pragma: no cover - a bug, not a property of the LP
        raise CertificateError(f"simplex_solve(): final basis failed its own certificate: {cert}")
    return SimplexOutcome(LPStatus.OPTIMAL, cert, pivots, warm)


def _phase1_matrix(sf: StandardForm, extra: list[int]) -> list[list[flint.fmpq]]:
    rows = []
    for i in range(len(sf.A)):
        art = [ZERO] * len(extra)
        if i in extra:
            art[extra.index(i)] = flint.fmpq(1)
        rows.append(list(sf.A[i]) + art + [sf.b[i]])
    return rows

