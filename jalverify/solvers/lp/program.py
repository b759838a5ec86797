r"""Linear programs in one explicit form, and the result types of the LP solvers.

Form (Dantzig 1963, ch. 8 "bounded variables"; Chvátal 1983, ch. 8):

.. math::

    \text{minimise (or maximise)}\; c^\top x \quad \text{s.t.}\quad
    A_{ub}\, x \le b_{ub},\quad A_{eq}\, x = b_{eq},\quad l_j \le x_j \le u_j,

where a bound may be absent (``None`` or ``±inf`` on input): ``l_j = -∞`` and/or ``u_j = +∞``; a variable with
neither bound is free.  The constraint matrices are stored sparse, as coordinate triplets; rows of ``A_ub``
come first, then rows of ``A_eq`` ("the rows" below are numbered that way).

The data live in one :class:`~jalverify.numbers.Field`: in the exact field every coefficient is an exact
rational, a :class:`fractions.Fraction` or a Python ``int`` (integer numpy input is kept as ints, for speed), and
an exact solve is possible; in the float field a ``float``.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from dataclasses import field as dc_field
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np

from jalverify.errors import InvalidNumber, SolverError
from jalverify.numbers import EXACT, Field, Number, field_named

__all__ = ["LPResult", "LPStatus", "LinearProgram", "SparseRows"]


class LPStatus(enum.Enum):
    """Outcome of an LP solve."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    FAILED = "failed"
    TIME_LIMIT = "time_limit"


def _is_infinite_marker(value: Any) -> bool:
    return value is None or (isinstance(value, (float, np.floating)) and math.isinf(float(value)))


@dataclass(frozen=True)
class SparseRows:
    """A sparse matrix as coordinate triplets, sorted by (row, column), no explicit zeros, no duplicates.

    ``values`` is an ``object`` array of Fractions or Python ints (exact) or a ``float64`` array.
    ``int64_values`` optionally holds the same exact values as an ``int64`` array (kept when an exact matrix
    was built from integer numpy data; the solvers use it for fast conversions).
    """

    shape: tuple[int, int]
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    int64_values: np.ndarray | None = dc_field(default=None, compare=False, repr=False)

    @property
    def nnz(self) -> int:
        return int(self.rows.size)

    def to_dense(self, field: Field) -> np.ndarray:
        out = field.zeros(self.shape)
        if self.nnz:
            out[self.rows, self.cols] = self.values
        return out


def _sparse_from(data: Any, n_cols: int | None, fld: Field, where: str) -> SparseRows:
    """Read a dense array-like, a scipy sparse matrix, or ``(shape, rows, cols, values)`` triplets."""
    if data is None:
        if n_cols is None:
            raise InvalidNumber(f"{where}: cannot infer the number of variables")
        return SparseRows((0, n_cols), np.zeros(0, np.int64), np.zeros(0, np.int64),
                          np.zeros(0, dtype=fld.dtype))
    if isinstance(data, SparseRows):
        shape, r, c, v = data.shape, data.rows, data.cols, data.values
    elif hasattr(data, "tocoo") and hasattr(data, "nnz"):  # scipy.sparse
        coo = data.tocoo()
        shape = tuple(int(s) for s in coo.shape)
        r, c, v = np.asarray(coo.row, np.int64), np.asarray(coo.col, np.int64), np.asarray(coo.data)
    elif isinstance(data, tuple) and len(data) == 4 and isinstance(data[0], tuple):
        shape = tuple(int(s) for s in data[0])
        r, c = np.asarray(data[1], np.int64), np.asarray(data[2], np.int64)
        v = np.asarray(data[3])
        if fld.exact and v.dtype == np.int64:
            return _sparse_int64(shape, r, c, v, n_cols, where)
        if fld.exact:
            v = np.asarray(data[3], dtype=object)
    else:
        dense = np.asarray(data, dtype=object) if not isinstance(data, np.ndarray) else data
        if dense.ndim == 1 and dense.size == 0:
            dense = dense.reshape(0, n_cols or 0)
        if dense.ndim != 2:
            raise InvalidNumber(f"{where}: expected a matrix, got shape {dense.shape}")
        shape = dense.shape
        arr = _field_values(dense, fld, where)
        nz = np.nonzero(arr != 0) if arr.size else (np.zeros(0, np.int64), np.zeros(0, np.int64))
        r, c = np.asarray(nz[0], np.int64), np.asarray(nz[1], np.int64)
        v = arr[r, c] if arr.size else np.zeros(0, dtype=fld.dtype)
        return SparseRows((int(shape[0]), int(shape[1])), r, c, np.asarray(v, dtype=fld.dtype))
    if n_cols is not None and shape[1] != n_cols:
        raise InvalidNumber(f"{where}: matrix has {shape[1]} columns, the LP has {n_cols} variables")
    vals = _field_values(np.asarray(v, dtype=object) if fld.exact and np.asarray(v).dtype.kind == "f" else v,
                         fld, where)
    keep = vals != 0
    r, c, vals = r[keep], c[keep], vals[keep]
    if r.size and (r.min() < 0 or r.max() >= shape[0] or c.min() < 0 or c.max() >= shape[1]):
        raise InvalidNumber(f"{where}: triplet index out of range for shape {shape}")
    order = np.lexsort((c, r))
    r, c, vals = r[order], c[order], vals[order]
    if r.size > 1:
        dup = (r[1:] == r[:-1]) & (c[1:] == c[:-1])
        if dup.any():
            k = int(np.argmax(dup))
            raise InvalidNumber(f"{where}: duplicate entry at ({int(r[k])}, {int(c[k])})")
    return SparseRows((int(shape[0]), int(shape[1])), r, c, np.asarray(vals, dtype=fld.dtype))


def _check_triplets(shape: tuple[int, ...], r: np.ndarray, c: np.ndarray, n_cols: int | None,
                    where: str) -> np.ndarray:
    """Validate triplet indices; return the (row, column) sort order (duplicates refused)."""
    if n_cols is not None and shape[1] != n_cols:
        raise InvalidNumber(f"{where}: matrix has {shape[1]} columns, the LP has {n_cols} variables")
    if r.size and (r.min() < 0 or r.max() >= shape[0] or c.min() < 0 or c.max() >= shape[1]):
        raise InvalidNumber(f"{where}: triplet index out of range for shape {shape}")
    order = np.lexsort((c, r))
    if r.size > 1:
        rs, cs = r[order], c[order]
        dup = (rs[1:] == rs[:-1]) & (cs[1:] == cs[:-1])
        if dup.any():
            k = int(np.argmax(dup))
            raise InvalidNumber(f"{where}: duplicate entry at ({int(rs[k])}, {int(cs[k])})")
    return order


def _sparse_int64(shape: tuple[int, ...], r: np.ndarray, c: np.ndarray, v: np.ndarray, n_cols: int | None,
                  where: str) -> SparseRows:
    """Exact triplets from int64 values: filtered and sorted as integers, stored as Python ints (and int64)."""
    keep = v != 0
    r, c, v = r[keep], c[keep], v[keep]
    order = _check_triplets(shape, r, c, n_cols, where)
    r, c, v = r[order], c[order], v[order]
    return SparseRows((int(shape[0]), int(shape[1])), r, c, v.astype(object), v)


def _field_values(values: Any, fld: Field, where: str) -> np.ndarray:
    """Values in the field; in the exact field an integer numpy array becomes Python ints (exact, and much
    faster than Fractions for the flint and Fraction arithmetic downstream)."""
    if fld.exact and isinstance(values, np.ndarray):
        if values.dtype.kind in "iu":
            return values.astype(object)
        if values.dtype == object and all(type(v) is int or type(v) is Fraction for v in values.flat):
            return values
    return fld.array(values, where=where)


def _exact_passthrough(values: Any) -> np.ndarray | None:
    """An object array of the given ints/Fractions when every entry already is one (no re-parsing)."""
    if isinstance(values, np.ndarray):
        if values.dtype.kind in "iu":
            return values.reshape(-1).astype(object)
        if values.dtype != object:
            return None
        flat = values.reshape(-1)
    elif isinstance(values, (list, tuple)):
        flat = values
    else:
        return None
    if all(type(v) is int or type(v) is Fraction for v in flat):
        out = np.empty(len(flat), dtype=object)
        out[:] = list(flat)
        return out
    return None


def _vector(values: Any, length: int, fld: Field, where: str) -> np.ndarray:
    if fld.exact:
        fast = _exact_passthrough(values)
        if fast is not None:
            if fast.shape != (length,):
                raise InvalidNumber(f"{where}: expected {length} entries, got {fast.shape[0]}")
            return fast
    if isinstance(values, np.ndarray) and values.dtype.kind in "iuf" and not fld.exact:
        arr = fld.array(values.reshape(-1), where=where)
        if arr.shape != (length,):
            raise InvalidNumber(f"{where}: expected {length} entries, got {arr.shape[0]}")
        return arr
    arr = fld.array(np.asarray(values, dtype=object).reshape(-1) if not isinstance(values, np.ndarray)
                    else values.reshape(-1), where=where)
    if arr.shape != (length,):
        raise InvalidNumber(f"{where}: expected {length} entries, got {arr.shape[0]}")
    return arr


def _bounds(values: Any, length: int, default: Any, fld: Field, where: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (values, present-mask); ``None`` / ``±inf`` mean "no bound"."""
    if not fld.exact and (values is None or (np.isscalar(values) and not isinstance(values, str))):
        v = default if values is None else values
        if _is_infinite_marker(v):
            return np.zeros(length), np.zeros(length, dtype=bool)
        return np.full(length, fld.convert(v, where=where), dtype=np.float64), np.ones(length, dtype=bool)
    if fld.exact and (values is None or type(values) is int or type(values) is Fraction):
        v = default if values is None else values
        if v is None:  # no bound: placeholder 0 (an int, cheap to compare and convert)
            return np.zeros(length, dtype=object), np.zeros(length, dtype=bool)
        if type(v) is int or type(v) is Fraction:
            return np.full(length, v, dtype=object), np.ones(length, dtype=bool)
    if values is None or np.isscalar(values):
        raw = [default if values is None else values] * length
    else:
        raw = list(np.asarray(values, dtype=object).reshape(-1))
    if len(raw) != length:
        raise InvalidNumber(f"{where}: expected {length} bounds, got {len(raw)}")
    if not fld.exact and all(v is None or type(v) in (int, float) for v in raw):
        arr = np.array([np.inf if v is None else v for v in raw], dtype=np.float64)
        if np.isnan(arr).any():
            raise InvalidNumber(f"{where}: NaN bound at index {int(np.argmax(np.isnan(arr)))}")
        present = ~np.isinf(arr)
        return np.where(present, arr, 0.0), present
    present = np.array([not _is_infinite_marker(v) for v in raw], dtype=bool)
    out = np.zeros(length, dtype=object) if fld.exact else fld.zeros(length)  # exact placeholders: int 0
    for j, v in enumerate(raw):
        if present[j]:
            out[j] = v if fld.exact and (type(v) is int or type(v) is Fraction) else fld.convert(v, where=f"{where}[{j}]")
    return out, present


@dataclass(frozen=True, eq=False)
class LinearProgram:
    """An LP ``min/max c·x  s.t.  A_ub x <= b_ub,  A_eq x = b_eq,  lower <= x <= upper``.

    Build it with :meth:`LinearProgram.build`, which reads dense arrays, scipy sparse matrices or
    ``((m, n), rows, cols, values)`` triplets into the requested field and validates shapes.

    Attributes
    ----------
    c : ndarray, shape (n,)
    A_ub, A_eq : SparseRows
    b_ub, b_eq : ndarray
    lower, upper : ndarray
        Bound values (entries where the bound is absent are 0 and must be ignored).
    has_lower, has_upper : ndarray of bool
    maximize : bool
    field : Field
    """

    c: np.ndarray
    A_ub: SparseRows
    b_ub: np.ndarray
    A_eq: SparseRows
    b_eq: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    has_lower: np.ndarray
    has_upper: np.ndarray
    maximize: bool = False
    field: Field = dc_field(default=EXACT)

    @classmethod
    def build(
        cls,
        c: Any,
        A_ub: Any = None,
        b_ub: Any = None,
        A_eq: Any = None,
        b_eq: Any = None,
        *,
        lower: Any = 0,
        upper: Any = None,
        maximize: bool = False,
        field: Field | str = EXACT,
    ) -> LinearProgram:
        """Validate and store an LP.

        Parameters
        ----------
        c : array-like, shape (n,)
        A_ub, A_eq : dense array-like, scipy sparse, ``SparseRows`` or ``((m, n), rows, cols, values)``; optional
        b_ub, b_eq : array-like
        lower, upper : scalar or array-like, ``None``/``±inf`` for "no bound"; default ``x >= 0``
        maximize : bool
        field : Field or name; the exact field needs exact data (ints, Fractions, ``"p/q"`` strings)
        """
        fld = field_named(field)
        cvec = _vector(c, len(c), fld, "LinearProgram() c")
        n = cvec.shape[0]
        aub = _sparse_from(A_ub, n, fld, "LinearProgram() A_ub")
        aeq = _sparse_from(A_eq, n, fld, "LinearProgram() A_eq")
        bub = _vector([] if b_ub is None else b_ub, aub.shape[0], fld, "LinearProgram() b_ub")
        beq = _vector([] if b_eq is None else b_eq, aeq.shape[0], fld, "LinearProgram() b_eq")
        lo, has_lo = _bounds(lower, n, 0, fld, "LinearProgram() lower")
        up, has_up = _bounds(upper, n, None, fld, "LinearProgram() upper")
        # crossed bounds (lower > upper) are kept: such an LP is infeasible, which the solvers report as a status
        return cls(cvec, aub, bub, aeq, beq, lo, up, has_lo, has_up, bool(maximize), fld)

    # --- sizes ------------------------------------------------------------------------------------
    @property
    def n_variables(self) -> int:
        return int(self.c.shape[0])

    @property
    def n_ub(self) -> int:
        return int(self.A_ub.shape[0])

    @property
    def n_eq(self) -> int:
        return int(self.A_eq.shape[0])

    @property
    def n_rows(self) -> int:
        return self.n_ub + self.n_eq

    def to_field(self, field: Field | str) -> LinearProgram:
        """The same LP in another field (float → exact is refused: the float data are not exact)."""
        fld = field_named(field)
        if fld == self.field:
            return self
        if fld.exact:
            raise InvalidNumber("LinearProgram.to_field(): a float LP cannot be made exact; build it from exact data")

        def conv(a: np.ndarray) -> np.ndarray:
            return np.asarray(a, dtype=np.float64)

        def conv_sparse(s: SparseRows) -> SparseRows:
            return SparseRows(s.shape, s.rows, s.cols, conv(s.values if s.int64_values is None else s.int64_values))

        return LinearProgram(conv(self.c), conv_sparse(self.A_ub), conv(self.b_ub), conv_sparse(self.A_eq),
                             conv(self.b_eq), conv(self.lower), conv(self.upper), self.has_lower, self.has_upper,
                             self.maximize, fld)

    # --- cached views used by the solvers ------------------------------------------------------------
    @cached_property
    def float_data(self) -> dict[str, np.ndarray]:
        """Float copies of the data in HiGHS's row-bounds form (rows: ``A_ub`` then ``A_eq``)."""
        m1, m2, n = self.n_ub, self.n_eq, self.n_variables

        def conv(a: np.ndarray) -> np.ndarray:
            return np.asarray(a, dtype=np.float64)

        def matrix_values(s: SparseRows) -> np.ndarray:
            return conv(s.values if s.int64_values is None else s.int64_values)

        rows = np.concatenate([self.A_ub.rows, self.A_eq.rows + m1])
        cols = np.concatenate([self.A_ub.cols, self.A_eq.cols])
        vals = np.concatenate([matrix_values(self.A_ub), matrix_values(self.A_eq)])
        b_eq = conv(self.b_eq)
        row_lower = np.concatenate([np.full(m1, -np.inf), b_eq])
        row_upper = np.concatenate([conv(self.b_ub), b_eq])
        col_lower = np.where(self.has_lower, conv(self.lower), -np.inf)
        col_upper = np.where(self.has_upper, conv(self.upper), np.inf)
        return {
            "c": conv(self.c), "rows": rows, "cols": cols, "vals": vals,
            "row_lower": row_lower, "row_upper": row_upper, "col_lower": col_lower, "col_upper": col_upper,
            "shape": np.array([m1 + m2, n]),
        }

    def row_activity(self, x: Any) -> np.ndarray:
        """``A x`` for all rows (``A_ub`` rows then ``A_eq`` rows), in the LP's field, by plain sparse sums."""
        out = self.field.zeros(self.n_rows)
        m1 = self.n_ub
        for s, offset in ((self.A_ub, 0), (self.A_eq, m1)):
            for r, c, v in zip(s.rows.tolist(), s.cols.tolist(), s.values.tolist()):
                out[offset + r] += v * x[c]
        return out

    def objective_of(self, x: Any) -> Number:
        """``c · x`` in the LP's field."""
        return sum((ci * xi for ci, xi in zip(self.c.tolist(), list(x)) if ci != 0), self.field.zero)

    def __repr__(self) -> str:
        sense = "max" if self.maximize else "min"
        return (f"<LinearProgram {sense} {self.n_variables} variables, {self.n_ub} <= rows, {self.n_eq} = rows, "
                f"{self.A_ub.nnz + self.A_eq.nnz} nonzeros, {self.field.name}>")


@dataclass(frozen=True)
class LPResult:
    """Result of :func:`~jalverify.solvers.lp.lp_solve`.

    Attributes
    ----------
    status : LPStatus
    field : Field
        EXACT results are certified (``certificate`` is not ``None`` and has been verified); FLOAT results hold
        within the solver's tolerances only.
    x : ndarray or None
        A primal solution (for OPTIMAL; for UNBOUNDED the feasible point of the certificate, if any).
    objective : Number or None
        ``c · x`` at the optimum.
    duals : ndarray or None
        One dual value per row (``A_ub`` rows then ``A_eq`` rows), the sensitivity ``∂ objective / ∂ b`` in the
        LP's own sense: for a minimisation ``<=`` rows have duals ``<= 0``, for a maximisation ``>= 0``.
    basis : tuple or None
        ``(basic columns, tight rows)`` of the optimal basis (exact path), or HiGHS's status names (float path).
    certificate : LPCertificate or None
    method : str
        How the answer was obtained, e.g. ``"highs"``, ``"highs+exact-basis"``, ``"highs+exact-repair"``,
        ``"exact-simplex-bland"``.
    message : str
    """

    status: LPStatus
    field: Field
    x: np.ndarray | None
    objective: Number | None
    duals: np.ndarray | None
    basis: Any
    certificate: Any
    method: str
    message: str = ""

    @property
    def optimal(self) -> bool:
        return self.status is LPStatus.OPTIMAL

    def require_optimal(self, where: str) -> LPResult:
        """Return self if OPTIMAL, else raise :class:`SolverError` naming ``where`` and the status."""
        if self.status is not LPStatus.OPTIMAL:
            raise SolverError(f"{where}: LP not solved to optimality: status {self.status.value} ({self.method}; "
                              f"{self.message})")
        return self

