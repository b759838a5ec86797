r"""Fraction-free (integer) simplex tableaux with the lexicographic ratio test.

Shared by :mod:`.vertex_enumeration` and :mod:`.lemke_howson`.  A tableau describes the polytope
:math:`\{z \ge 0 : C z \le \mathbf 1\}` for a matrix ``C`` with positive integer entries, written with slack
variables as :math:`C z + s = \mathbf 1`.  Variables are numbered ``0..nz-1`` (``z``) and ``nz..nz+rows-1``
(``s``).  The tableau is stored in dictionary form (only the columns of the ``nz`` nonbasic variables; a basic
variable's column is a unit vector): row ``r`` is ``det`` times the true row
``[value of the basic variable | coefficients of the nonbasic variables]``; pivoting keeps every entry an
integer by dividing exactly by the previous pivot element (integer pivoting, Edmonds 1967; von Stengel 2002,
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
    """An integer dictionary of ``C z + s = 1, z, s >= 0``.

    Attributes
    ----------
    rows : list of list of int
        ``rows[r] = det * [value of basis[r], coefficients of cobasis[0], cobasis[1], ...]``; immutable.
    basis : list of int
        ``basis[r]`` is the variable basic in row ``r``.
    cobasis : list of int
        ``cobasis[c]`` is the nonbasic variable of column ``c + 1``.
    det : int
        The positive common denominator.
    """

    __slots__ = ("rows", "basis", "cobasis", "det", "nz", "nrows")

    def __init__(self, rows: list[list[int]], basis: list[int], cobasis: list[int], det: int, nz: int) -> None:
        self.rows = rows
        self.basis = basis
        self.cobasis = cobasis
        self.det = det
        self.nz = nz
        self.nrows = len(rows)

    @classmethod
    def initial(cls, C: Sequence[Sequence[int]]) -> IntegerTableau:
        """The dictionary at the vertex ``z = 0`` (all slacks basic)."""
        nrows = len(C)
        nz = len(C[0])
        rows = [[1, *(int(v) for v in C[r])] for r in range(nrows)]
        return cls(rows, [nz + r for r in range(nrows)], list(range(nz)), 1, nz)

    def basis_mask(self) -> int:
        mask = 0
        for v in self.basis:
            mask |= 1 << v
        return mask

    def _slack_column(self, slack: int) -> list[int]:
        """``det * B^{-1}[:, slack]``: the tableau column of slack variable ``slack`` (a unit column times
        ``det`` when the slack is basic)."""
        var = self.nz + slack
        if var in self.cobasis:
            pos = 1 + self.cobasis.index(var)
            return [row[pos] for row in self.rows]
        column = [0] * self.nrows
        column[self.basis.index(var)] = self.det
        return column

    def lex_min_ratio_row(self, variable: int) -> int:
        """Row index chosen by the lexicographic minimum-ratio test for the entering nonbasic ``variable``.

        The ordinary minimum ratio ``rhs / a`` is found first (cross-multiplied integers); ties, which occur
        exactly at degenerate vertices, are broken by comparing the slack columns (``B^{-1}``) in order.

        Raises
        ------
        SolverError
            If no entry of the column is positive (an unbounded edge, impossible for a bounded polytope).
        """
        col = 1 + self.cobasis.index(variable)
        best = -1
        best_rhs = 0
        best_a = 0
        ties: list[int] | None = None
        for r, row in enumerate(self.rows):
            a = row[col]
            if a <= 0:
                continue
            if best < 0:
                best, best_rhs, best_a = r, row[0], a
                continue
            diff = row[0] * best_a - best_rhs * a
            if diff < 0:
                best, best_rhs, best_a = r, row[0], a
                ties = None
            elif diff == 0:
                if ties is None:
                    ties = [best]
                ties.append(r)
        if best < 0:
            raise SolverError(
                f"IntegerTableau.lex_min_ratio_row(): variable {variable} enters but no row bounds it; "
                "the polytope is unbounded (payoffs were not shifted positive?)"
            )
        if ties is None:
            return best
        rows = self.rows
        for k in range(self.nrows):
            column = self._slack_column(k)
            keep = [ties[0]]
            for r in ties[1:]:
                b = keep[0]
                diff = column[r] * rows[b][col] - column[b] * rows[r][col]
                if diff < 0:
                    keep = [r]
                elif diff == 0:
                    keep.append(r)
            ties = keep
            if len(ties) == 1:
                return ties[0]
        raise SolverError("IntegerTableau.lex_min_ratio_row(): rows not lexicographically distinct (singular basis)")

    def pivot(self, row: int, variable: int) -> IntegerTableau:
        """A new dictionary with nonbasic ``variable`` entering the basis in ``row`` (integer pivoting).

        With ``p`` the pivot entry: the pivot row keeps its entries except the pivot column, which becomes
        ``det``; the pivot column of other rows is negated; every other entry becomes
        ``(T_ij p - T_ic T_rj) / det`` (an exact division)."""
        c = self.cobasis.index(variable)
        col = c + 1
        rows = self.rows
        pivot_row = rows[row]
        p = pivot_row[col]
        det = self.det
        new_rows: list[list[int]] = []
        for i, current in enumerate(rows):
            if i == row:
                new = list(pivot_row)
                new[col] = det
            else:
                f = current[col]
                if f == 0:
                    new = current if p == det else [v * p // det for v in current]
                    if new is current:
                        new_rows.append(current)
                        continue
                else:
                    new = [(v * p - f * w) // det for v, w in zip(current, pivot_row)]
                new[col] = -f
            new_rows.append(new)
        basis = list(self.basis)
        cobasis = list(self.cobasis)
        cobasis[c] = basis[row]
        basis[row] = variable
        return IntegerTableau(new_rows, basis, cobasis, p, self.nz)

    def tight_variables_mask(self) -> int:
        """Bit mask of the variables equal to 0 at the (unperturbed) basic solution: all nonbasic ones and the
        basic ones whose value is 0 (degenerate)."""
        mask = 0
        for v in self.cobasis:
            mask |= 1 << v
        for r, v in enumerate(self.basis):
            if self.rows[r][0] == 0:
                mask |= 1 << v
        return mask

    def z_values(self) -> list[int]:
        """``det * z`` at the basic solution (integers)."""
        z = [0] * self.nz
        for r, v in enumerate(self.basis):
            if v < self.nz:
                z[v] = self.rows[r][0]
        return z
