r"""Fraction-free (integer) simplex tableaux with the lexicographic ratio test.

Shared by :mod:`.vertex_enumeration` and :mod:`.lemke_howson`.  A tableau describes the polytope
:math:`\{z \ge 0 : C z \le \mathbf 1\}` for a matrix ``C`` with positive integer entries, written with slack
variables as :math:`C z + s = \mathbf 1`.  Variables are numbered ``0..nz-1`` (``z``) and ``nz..nz+rows-1``
(``s``).  Row ``r`` of the stored integer tableau is ``det`` times the true tableau row
``[value of the basic variable | coefficients of all variables]``; pivoting keeps every entry an integer by
dividing exactly by the previous pivot element (integer pivoting, Edmonds 1967; von Stengel 2002,
"Computing equilibria for two-person games", Handbook of Game Theory vol. 3, ch. 45, §2.5; Avis 2000 for lrs).

The lexicographic ratio test compares rows by ``(rhs, slack columns) / pivot column entry``; the slack columns
hold ``det * B^{-1}``, so rows are lexicographically distinct and the test always has a unique winner.  This is
the symbolic perturbation :math:`C z + s = \mathbf 1 + (ε, ε^2, \dots)`, under which every lexicographically
feasible basis is non-degenerate (Dantzig, Orden & Wolfe 1955; von Stengel 2002, §2.6 "Degenerate games").
"""

from __future__ import annotations

from collections.abc import Sequence

from jalverify.errors import SolverError

__all__ = ["IntegerTableau"]


class IntegerTableau:
    """An integer tableau of ``C z + s = 1, z, s >= 0``.

    Parameters
    ----------
    C : sequence of sequences of int
        ``rows × nz`` matrix with positive entries (so the polytope is bounded).

    Attributes
    ----------
    rows : list of list of int
        ``rows[r] = det * [rhs, coefficients of variables 0..nz+rows-1]``; treated as immutable.
    basis : list of int
        ``basis[r]`` is the variable basic in row ``r``.
    det : int
        The positive common denominator.
    """

    __slots__ = ("rows", "basis", "det", "nz", "nrows")

    def __init__(self, rows: list[list[int]], basis: list[int], det: int, nz: int) -> None:
        self.rows = rows
        self.basis = basis
        self.det = det
        self.nz = nz
        self.nrows = len(rows)

    @classmethod
    def initial(cls, C: Sequence[Sequence[int]]) -> IntegerTableau:
        """The tableau at the vertex ``z = 0`` (all slacks basic)."""
        nrows = len(C)
        nz = len(C[0])
        rows = []
        for r in range(nrows):
            unit = [0] * nrows
            unit[r] = 1
            rows.append([1, *(int(v) for v in C[r]), *unit])
        return cls(rows, [nz + r for r in range(nrows)], 1, nz)

    def basis_mask(self) -> int:
        mask = 0
        for v in self.basis:
            mask |= 1 << v
        return mask

    def lex_min_ratio_row(self, column: int) -> int:
        """Row index chosen by the lexicographic minimum-ratio test for entering variable ``column``.

        Raises
        ------
        SolverError
            If no entry of the column is positive (an unbounded edge, impossible for a bounded polytope).
        """
        col = column + 1
        rows = self.rows
        best = -1
        best_row: list[int] = []
        best_a = 0
        for r, row in enumerate(rows):
            a = row[col]
            if a <= 0:
                continue
            if best < 0:
                best, best_row, best_a = r, row, a
                continue
            lhs = row[0] * best_a
            rhs = best_row[0] * a
            if lhs < rhs:
                best, best_row, best_a = r, row, a
            elif lhs == rhs:
                first_slack = 1 + self.nz
                for k in range(first_slack, first_slack + self.nrows):
                    lhs = row[k] * best_a
                    rhs = best_row[k] * a
                    if lhs != rhs:
                        if lhs < rhs:
                            best, best_row, best_a = r, row, a
                        break
        if best < 0:
            raise SolverError(
                f"IntegerTableau.lex_min_ratio_row(): variable {column} enters but no row bounds it; "
                "the polytope is unbounded (payoffs were not shifted positive?)"
            )
        return best

    def pivot(self, row: int, column: int) -> IntegerTableau:
        """A new tableau with ``column`` entering the basis in ``row`` (integer pivoting)."""
        col = column + 1
        rows = self.rows
        pivot_row = rows[row]
        p = pivot_row[col]
        det = self.det
        new_rows: list[list[int]] = []
        for i, current in enumerate(rows):
            if i == row:
                new_rows.append(pivot_row)
                continue
            f = current[col]
            if f == 0:
                if p == det:
                    new_rows.append(current)
                else:
                    new_rows.append([v * p // det for v in current])
            else:
                new_rows.append([(v * p - f * w) // det for v, w in zip(current, pivot_row)])
        basis = list(self.basis)
        basis[row] = column
        return IntegerTableau(new_rows, basis, p, self.nz)

    def tight_variables_mask(self) -> int:
        """Bit mask of the variables equal to 0 at the (unperturbed) basic solution: all nonbasic ones and the
        basic ones whose value is 0 (degenerate)."""
        nvars = self.nz + self.nrows
        mask = (1 << nvars) - 1
        for r, v in enumerate(self.basis):
            if self.rows[r][0] != 0:
                mask &= ~(1 << v)
        return mask

    def z_values(self) -> list[int]:
        """``det * z`` at the basic solution (integers)."""
        z = [0] * self.nz
        for r, v in enumerate(self.basis):
            if v < self.nz:
                z[v] = self.rows[r][0]
        return z
