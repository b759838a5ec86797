r"""Minimax solutions of two-player zero-sum and constant-sum stage games, exact or float.

For the row player's payoff matrix ``A`` (``k × l``), the value and a maximin strategy solve the stage LP of
Littman (1994) / Albrecht, Christianos & Schäfer (2024, Eqs. 4.12–4.15):

.. math::

    \max_{x, v}\; v \quad\text{s.t.}\quad \sum_i x_i A_{ij} \ge v \;\; \forall j,\qquad x \ge 0,\;
    \sum_i x_i = 1,\; v \text{ free}.

The duals of the ``l`` column constraints are a minimax strategy ``y`` of the column player (von Neumann's
minimax theorem through LP duality, Dantzig 1951).  A constant-sum game (``R_0 + R_1 = c`` everywhere) is
solved as the zero-sum game with matrix ``R_0``; the column player's value is ``c - v``.

**Certificate** (exact field): strategies ``x``, ``y`` (non-negative, summing to 1) with

.. math:: \min_j (x^\top A)_j \;\ge\; v \;\ge\; \max_i (A y)_i ,

checked in rational arithmetic.  Since ``min_j (xᵀA)_j <= xᵀAy <= max_i (Ay)_i``, both inequalities are then
equalities, ``v`` is the value and ``x``, ``y`` are optimal (no other proof is needed).

Exact path: HiGHS solves the LP in floats; the basis (support ``I`` of ``x`` and tight columns ``J``) is re-solved
exactly over the integers (``Z = D·A`` with ``D`` the common denominator; one flint ``fmpz_mat``
``[Z_IJᵀ  -1; 1ᵀ 0]``, solved for ``x`` and, transposed, for ``y``), and the certificate is checked on the integer
numerators of ``x`` and ``y`` (:mod:`jalverify.solvers.lp.intmat`); if it fails, the LP goes through
:func:`jalverify.solvers.lp.lp_solve` (exact repair / exact simplex with Bland's rule).  An exact answer is never
returned uncertified.
"""

from __future__ import annotations

import itertools
import math
import operator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from jalverify.errors import CertificateError, GameTooLarge, InternalError, InvalidGame, SolverError, UnsupportedGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.numbers import EXACT, Field, Number, field_named, float64_misfit, short_number, to_float64
from jalverify.solvers.display import (
    MARK_COLOUR,
    brief_number,
    game_label,
    json_number,
    latex_number,
    number_text,
    one_line,
    profiles_table_html,
    profiles_table_latex,
    pure_joint,
    require_game,
    result_html,
    status_html,
    table_html,
)
from jalverify.solvers.lp import LinearProgram, LPResult, LPStatus, exact_simplex_solve, lp_solve
from jalverify.solvers.lp.certificate import normalized_fraction
from jalverify.solvers.lp.exact_integer import fits_float64, integer_data
from jalverify.solvers.lp.intmat import int64_matrix, int_matvec
from jalverify.solvers.lp.numeric import highs_solve_csc
from jalverify.verdicts import Status

__all__ = [
    "MAX_VERTEX_BASES",
    "MinimaxCertificate",
    "MinimaxResult",
    "constant_sum_matrix",
    "minimax_solve",
    "minimax_value",
    "optimal_strategy_set",
]

#: ``optimal_strategy_set`` refuses games whose basis enumeration exceeds this many candidate bases.
MAX_VERTEX_BASES = 200_000


@dataclass(frozen=True)
class MinimaxCertificate:
    """Guarantees of the two strategies: ``row_guarantee = min_j (xᵀA)_j`` and ``column_cap = max_i (Ay)_i``.

    In the exact field a valid certificate has ``row_guarantee == value == column_cap``; in the float field the
    gap ``column_cap - row_guarantee`` is the (non-negative, up to rounding) duality gap.
    """

    value: Number
    row_strategy: tuple[Number, ...]
    column_strategy: tuple[Number, ...]
    row_guarantee: Number
    column_cap: Number
    exact: bool

    @property
    def gap(self) -> Number:
        return self.column_cap - self.row_guarantee

    def verify(self, A: Any) -> bool:
        """Re-check against the row player's matrix ``A`` with plain Fraction arithmetic (exact certificates).

        Raises
        ------
        CertificateError
            If a strategy is not a distribution, or some pure reply beats the claimed value.
        """
        if not self.exact:
            raise CertificateError("MinimaxCertificate.verify(): a float certificate proves nothing; use field=EXACT")
        M = EXACT.array(A, where="MinimaxCertificate.verify() A")
        k, l = M.shape
        x, y = list(self.row_strategy), list(self.column_strategy)
        for name, s, size in (("row", x, k), ("column", y, l)):
            if len(s) != size or any(not isinstance(p, Fraction) or p < 0 for p in s) or sum(s) != 1:
                raise CertificateError(f"MinimaxCertificate.verify(): {name} strategy {s} is not a distribution "
                                       f"over {size} actions")
        for j in range(l):
            got = sum((x[i] * M[i, j] for i in range(k)), Fraction(0))
            if got < self.value:
                raise CertificateError(f"MinimaxCertificate.verify(): column {j} holds the row strategy to {got} "
                                       f"< value {self.value}")
        for i in range(k):
            got = sum((M[i, j] * y[j] for j in range(l)), Fraction(0))
            if got > self.value:
                raise CertificateError(f"MinimaxCertificate.verify(): row {i} earns {got} > value {self.value} "
                                       "against the column strategy")
        return True


@dataclass(frozen=True)
class MinimaxResult:
    """Result of :func:`minimax_solve`.

    Attributes
    ----------
    value : Number
        The row player's (player 0's) minimax value.
    values : tuple
        Both players' values (``(v, c - v)`` for a constant-sum game with constant ``c``).
    row_strategy, column_strategy : tuple
        Optimal (maximin / minimax) strategies.
    status : LPStatus
        OPTIMAL (a finite game always has a value), or FAILED / TIME_LIMIT from the float solver.
    field : Field
    certificate : MinimaxCertificate
    method : str
    """

    value: Number
    values: tuple[Number, Number]
    row_strategy: tuple[Number, ...]
    column_strategy: tuple[Number, ...]
    status: LPStatus
    field: Field
    certificate: MinimaxCertificate | None
    method: str
    game: NormalFormGame | None = field(default=None, compare=False, repr=False)

    # ---------------------------------------------------------------------------------------------------------
    # display (issue 13): repr, notebook HTML, JSON, LaTeX
    # ---------------------------------------------------------------------------------------------------------
    def _exact_certificate(self) -> bool:
        return self.certificate is not None and self.certificate.exact

    def __repr__(self) -> str:
        kind = "exact, certified" if self._exact_certificate() else f"{self.field.name}, within tolerance"
        return one_line("MinimaxValue", f"game={game_label(self.game)}", f"value={brief_number(self.value)}",
                        f"method={self.method}", kind)

    def to_dict(self, game: NormalFormGame | None = None) -> dict[str, Any]:
        """The result as JSON-ready data, as ``jalverify solve --concept minimax --format json`` prints it
        (``solve.schema.json``): values and optimal strategies by player and action name, exact numbers as
        ``"p/q"``, and the certificate's guarantee and cap.  ``game`` defaults to the game the solver recorded."""
        g = require_game(game, self.game, "MinimaxResult.to_dict()")
        cert = self.certificate
        if cert is None:
            raise InternalError("MinimaxResult.to_dict(): the result has no certificate; minimax_solve() always "
                                "gives one")

        def strategy(player: int, dist: Any) -> dict[str, Any]:
            return {g.actions[player][a]: json_number(p) for a, p in enumerate(dist)}

        return {
            "game": g.name,
            "concept": "minimax",
            "field": self.field.name,
            "method": self.method,
            "status": self.status.value,
            "values": {g.players[i]: json_number(v) for i, v in enumerate(self.values)},
            "strategies": {g.players[0]: strategy(0, self.row_strategy), g.players[1]: strategy(1, self.column_strategy)},
            "certificate": {"exact": cert.exact, "row_guarantee": json_number(cert.row_guarantee),
                            "column_cap": json_number(cert.column_cap)},
        }

    def _labels(self) -> tuple[list[str], list[list[str]]]:
        if self.game is not None:
            return list(self.game.players), [list(a) for a in self.game.actions]
        return (["row", "column"], [[f"row {i}" for i in range(len(self.row_strategy))],
                                    [f"column {j}" for j in range(len(self.column_strategy))]])

    def _repr_html_(self) -> str:
        """The result in a notebook: the payoff table (a pure saddle point's cell highlighted), both players'
        values, the optimal strategies as a labelled table of exact probabilities, and the certificate's verdict."""
        from jalverify.games.tables import CellMark, payoff_table_html

        players, actions = self._labels()
        parts = []
        if self.game is not None:
            joint = pure_joint((self.row_strategy, self.column_strategy))
            marks = {} if joint is None else {joint: CellMark(MARK_COLOUR, "pure saddle point")}
            parts.append(payoff_table_html(self.game, marks=marks))
        parts.append(table_html(["player", "value"], [[p, number_text(v)] for p, v in zip(players, self.values)]))
        parts.append(profiles_table_html(players, actions, [("optimal", (self.row_strategy, self.column_strategy))],
                                         caption="maximin / minimax strategies"))
        cert = self.certificate
        if cert is not None and cert.exact:
            parts.append(status_html(Status.PROVEN, f"{players[0]}'s strategy guarantees "
                                     f"{number_text(cert.row_guarantee)} against every pure reply and {players[1]}'s "
                                     f"holds every pure row to {number_text(cert.column_cap)} (exact arithmetic)"))
        elif cert is not None:
            parts.append(status_html(Status.WITHIN_TOLERANCE, f"guarantee {number_text(cert.row_guarantee)}, cap "
                                     f"{number_text(cert.column_cap)} (float arithmetic; gap {number_text(cert.gap)})"))
        else:
            parts.append(status_html(Status.NOT_ESTABLISHED, "no certificate"))
        title = self.game.name if self.game is not None and self.game.name else "a two-player constant-sum game"
        return result_html("minimax", f"Minimax value of {title}", parts,
                           facts={"method": self.method, "field": self.field.name, "status": self.status.value})

    def to_latex(self, game: NormalFormGame | None = None) -> str:
        """The optimal strategies as a booktabs table (exact probabilities as ``\\tfrac``) with the value."""
        g = require_game(game, self.game, "MinimaxResult.to_latex()")
        return profiles_table_latex(list(g.players), [list(a) for a in g.actions],
                                    [("optimal", (self.row_strategy, self.column_strategy))],
                                    extra_columns=["value"], extras=[[f"${latex_number(self.value)}$"]])


def constant_sum_matrix(game: NormalFormGame, where: str = "minimax_solve()") -> tuple[np.ndarray, Number]:
    """Return ``(R_0, c)`` for a two-player constant-sum game.

    Raises
    ------
    UnsupportedGame
        If the game does not have two players, or two joint actions have different payoff sums (the message
        names the first joint action whose sum differs from that of joint action ``(0, 0)``).
    """
    if game.n_players != 2:
        raise UnsupportedGame(f"{where}: minimax needs a two-player game, got {game.n_players} players")
    fld = game.field
    totals = game.payoffs[0] + game.payoffs[1]
    c = totals[0, 0]
    for joint in game.joint_actions():
        if not fld.eq(totals[joint], c):
            names = tuple(game.actions[i][a] for i, a in enumerate(joint))
            raise UnsupportedGame(
                f"{where}: the game is not constant-sum: payoffs at joint action {names} sum to "
                f"{short_number(totals[joint])}, but at {(game.actions[0][0], game.actions[1][0])} to {short_number(c)}")
    return game.payoffs[0], c


# --------------------------------------------------------------------------------------------------------------
# numeric core
# --------------------------------------------------------------------------------------------------------------
def _highs_stage_lp(Af: np.ndarray, want_basis: bool = True) -> Any:
    """HiGHS solve of the stage LP; columns x_0..x_{k-1}, v; rows: v - Σ_i x_i A_ij <= 0 (j < l), Σ x = 1.

    The constraint matrix goes to HiGHS in compressed-column form built directly from ``Af`` (column ``i < k``:
    ``-A[i, :]`` in rows ``0..l-1`` and 1 in row ``l``; column ``k``: 1 in rows ``0..l-1``)."""
    k, l = Af.shape
    value = np.empty(k * (l + 1) + l)
    columns = value[:k * (l + 1)].reshape(k, l + 1)  # a view: column i of the LP is row i here
    np.negative(Af, out=columns[:, :l])
    columns[:, l] = 1.0
    value[k * (l + 1):] = 1.0
    span = np.arange(l + 1, dtype=np.int32)
    index = np.concatenate([np.tile(span, k), span[:l]])
    start = np.arange(k + 2, dtype=np.int32) * (l + 1)
    start[k + 1] -= 1
    c = np.zeros(k + 1)
    c[k] = 1.0
    row_lower = np.full(l + 1, -np.inf)
    row_lower[l] = 1.0
    row_upper = np.zeros(l + 1)
    row_upper[l] = 1.0
    col_lower = np.zeros(k + 1)
    col_lower[k] = -np.inf
    col_upper = np.full(k + 1, np.inf)
    return highs_solve_csc(c, (l + 1, k + 1), start, index, value, row_lower, row_upper, col_lower, col_upper,
                           maximize=True, want_basis=want_basis)


def _integer_matrix(A: np.ndarray) -> tuple[list[int], int]:
    """Flattened integer numerators of ``D·A`` and the common denominator ``D`` (A exact: ints / Fractions)."""
    if A.dtype.kind in "iu":
        return [int(v) for v in A.reshape(-1).tolist()], 1
    flat = A.reshape(-1).tolist()
    dens = [v.denominator if isinstance(v, Fraction) else 1 for v in flat]
    D = math.lcm(*dens) if dens else 1
    if D == 1:
        return [int(v) for v in flat], 1
    return [int(v * D) for v in flat], D


_INT64_SAFE = 2 ** 62


def _integer_array(A: np.ndarray) -> tuple[np.ndarray, int]:
    """``(Z, D)`` with ``Z = D·A`` an integer matrix and ``D`` the least common denominator of ``A`` (exact).

    ``Z`` is ``int64`` when every entry has magnitude below ``2**62`` (integer numpy input is used as it is),
    else an ``object`` array of Python ints."""
    if A.dtype == np.int64:  # the common case: |entries| < 2**62 checked in one pass
        low, high = A.min(), A.max()
        if -_INT64_SAFE < low and high < _INT64_SAFE:
            return A, 1
    if A.dtype.kind in "iu":
        Z = int64_matrix(A)
        return (Z if Z is not None else A.astype(object)), 1
    ints, D = _integer_matrix(A)
    Zo = np.empty(len(ints), dtype=object)
    Zo[:] = ints
    Zo = Zo.reshape(A.shape)
    Z = int64_matrix(Zo)
    return (Z if Z is not None else Zo), D


def _bordered_matrix(block: np.ndarray | list[list[int]]) -> flint.fmpz_mat:
    """``[[block, -1], [1ᵀ, 0]]`` for a ``t × t`` integer block, as a flint integer matrix."""
    rows = block.tolist() if isinstance(block, np.ndarray) else block
    t = len(rows)
    entries: list[int] = []
    for row in rows:
        entries += row
        entries.append(-1)
    entries += [1] * t
    entries.append(0)
    return flint.fmpz_mat(t + 1, t + 1, entries)


def _fractions_over(numerators: list[int], q: int) -> list[Fraction]:
    """``[p / q for p in numerators]`` for ``q > 0``, each reduced by one gcd."""
    out = []
    for p in numerators:
        g = math.gcd(p, q)
        out.append(normalized_fraction(p // g, q // g) if p else _ZERO)
    return out


def _exact_from_basis(Z: np.ndarray, D: int, k: int, l: int, out: Any) -> tuple[Fraction, list, list] | None:
    """Re-solve the HiGHS basis exactly; return ``(value, x, y)`` if the certificate holds, else ``None``.

    ``Z = D·A`` is an integer matrix (``int64`` or an ``object`` array of Python ints).  With ``I`` the basic
    rows (support of ``x``) and ``J`` the tight columns (support of ``y``), ``t = |I| = |J|`` and
    ``M = [[Z_IJᵀ, -1], [1ᵀ, 0]]``:

    * row player: ``M [x_I; v] = [0; 1]`` (the tight columns hold ``x`` to ``v``);
    * column player: ``[[Z_IJ, -1], [1ᵀ, 0]] [y_J; u] = [0; 1]``; that matrix is ``S Mᵀ S`` with
      ``S = diag(1, …, 1, -1)``, so ``Mᵀ [y_J; -u] = [0; -1]`` (one integer matrix, two solves).

    Both solves are exact over the integers (flint ``fmpz_mat.solve``) and give ``x = p/q``, ``y = r/s`` with
    integer numerators and positive common denominators; the certificate ``x, y >= 0``, ``Σx = Σy = 1`` and
    ``min_j (xᵀZ)_j = max_i (Zy)_i`` is checked on those integers (:func:`~jalverify.solvers.lp.intmat.int_matvec`
    over all columns and rows), with no floats involved.
    """
    basic, tight = out.col_basic, out.row_tight
    if basic is None or not basic[k] or not tight[l]:
        return None
    I = basic[:k].nonzero()[0]
    J = tight[:l].nonzero()[0]
    t = len(I)
    if t != len(J) or t == 0:
        return None
    small = k * l <= _SMALL_GAME
    if small:  # small games: Python lists (cheaper than numpy's fancy indexing at this size)
        Zl = Z.tolist()
        Il, Jl = I.tolist(), J.tolist()
        ZIl = [Zl[i] for i in Il]
        M = _bordered_matrix([[row[j] for row in ZIl] for j in Jl])
    else:
        ZI = Z[I]
        M = _bordered_matrix(ZI[:, J].T)
    rhs = flint.fmpz_mat(t + 1, 1, [0] * t + [1])
    try:
        sol_x = M.solve(rhs)
        sol_y = M.transpose().solve(-rhs)
    except ZeroDivisionError:
        return None
    num_x, den_x = sol_x.numer_denom()
    num_y, den_y = sol_y.numer_denom()
    px = [int(v) for v in num_x.entries()[:t]]
    py = [int(v) for v in num_y.entries()[:t]]
    qx, qy = int(den_x), int(den_y)
    if qx <= 0 or qy <= 0 or min(px) < 0 or min(py) < 0 or sum(px) != qx or sum(py) != qy:
        return None
    # (xᵀZ)_j = g_j / qx over all columns j, (Zy)_i = h_i / qy over all rows i (exact integers); the
    # certificate min_j (xᵀZ)_j = max_i (Zy)_i, cross-multiplied by qx·qy > 0
    if small:
        low = min(sum(map(operator.mul, px, column)) for column in zip(*ZIl))
        high = max(sum(row[j] * w for j, w in zip(Jl, py)) for row in Zl)
    else:
        low = min(int_matvec(ZI.T, px))
        high = max(int_matvec(Z[:, J], py))
    if low * qy != high * qx:
        return None
    x = [_ZERO] * k
    y = [_ZERO] * l
    for i, v in zip(I.tolist(), _fractions_over(px, qx)):
        x[i] = v
    for j, v in zip(J.tolist(), _fractions_over(py, qy)):
        y[j] = v
    return Fraction(low, qx * D), x, y


_ZERO = Fraction(0)

#: Up to this many payoff entries the basis certificate works on Python lists instead of numpy arrays.
_SMALL_GAME = 256


def _certify(value: Fraction, x: list[Fraction], y: list[Fraction]) -> MinimaxCertificate:
    """Record the exact certificate; the caller has checked ``min_j (xᵀA)_j = value = max_i (Ay)_i`` exactly."""
    return MinimaxCertificate(value, tuple(x), tuple(y), value, value, True)


def _exact_via_lp(A: np.ndarray) -> tuple[Fraction, list[Fraction], list[Fraction], str]:
    """Generic certified LP route (repair / exact simplex) for bases the fast path could not certify."""
    k, l = A.shape
    ub = np.empty((l, k + 1), dtype=object)
    ub[:, :k] = -A.T
    ub[:, k] = Fraction(1)
    eq = np.empty((1, k + 1), dtype=object)
    eq[0, :k] = Fraction(1)
    eq[0, k] = Fraction(0)
    c = [Fraction(0)] * k + [Fraction(1)]
    lp = LinearProgram.build(c, ub, [0] * l, eq, [1], lower=[0] * k + [None], maximize=True, field=EXACT)
    res = exact_lp_solve(lp).require_optimal("minimax_solve()")
    x = [Fraction(v) for v in res.x[:k]]
    y = [Fraction(v) for v in res.duals[:l]]
    value = Fraction(res.objective)
    # independent game-level check
    low = min(sum((x[i] * A[i, j] for i in range(k)), Fraction(0)) for j in range(l))
    high = max(sum((A[i, j] * y[j] for j in range(l)), Fraction(0)) for i in range(k))
    if not (low == value == high and sum(x) == 1 and sum(y) == 1 and min(x) >= 0 and min(y) >= 0):
        raise CertificateError(f"minimax_solve(): certified LP optimum failed the game check: guarantee {low}, "
                               f"value {value}, cap {high}")
    return value, x, y, f"stage-lp[{res.method}]"


#: Largest payoff magnitude the float (HiGHS) route accepts: HiGHS treats matrix coefficients beyond 1e15 as
#: infinite (its ``large_matrix_value``), and float results of such data mean nothing at tolerance 1e-9.
FLOAT_ROUTE_MAX_MAGNITUDE = 1e15


def check_float_route(values: Any, where: str) -> None:
    """Refuse data the float route cannot solve: an entry beyond float64 or above :data:`FLOAT_ROUTE_MAX_MAGNITUDE`
    in magnitude (:class:`~jalverify.errors.UnsupportedGame`, or :class:`~jalverify.errors.InvalidNumber`, naming
    the value; the exact route, the default, solves such games)."""
    arr = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
    if arr.dtype.kind in "iuf":
        mags = np.abs(arr.astype(np.float64))
        if bool(np.all(mags <= FLOAT_ROUTE_MAX_MAGNITUDE)):  # NaN fails this test too
            return
        arr = arr.astype(object)
    for idx in np.ndindex(*arr.shape):
        v = arr[idx]
        if abs(to_float64(v, where=f"{where}[{', '.join(map(str, idx))}]")) > FLOAT_ROUTE_MAX_MAGNITUDE:
            raise UnsupportedGame(f"{where}[{', '.join(map(str, idx))}]: {short_number(v)} is beyond the float "
                                  f"route's range (magnitude <= {FLOAT_ROUTE_MAX_MAGNITUDE:.0e}, HiGHS's limit); "
                                  f"solve exactly instead")


def exact_lp_solve(lp: LinearProgram) -> LPResult:
    """:func:`~jalverify.solvers.lp.lp_solve` in the exact field, going straight to the exact simplex when the
    LP's data do not fit float64 (HiGHS, which only proposes a basis there, cannot read them)."""
    data = integer_data(lp)
    if data is not None:  # integers: one magnitude test per datum
        return lp_solve(lp, field=EXACT) if fits_float64(data) else exact_simplex_solve(lp)
    for values in (lp.c, lp.A_ub.values, lp.b_ub, lp.A_eq.values, lp.b_eq, lp.lower[lp.has_lower],
                   lp.upper[lp.has_upper]):
        if float64_misfit(values) is not None:
            return exact_simplex_solve(lp)
    return lp_solve(lp, field=EXACT)


def _float_hint(M: np.ndarray) -> np.ndarray:
    """Float copy of an exact matrix for HiGHS, which only proposes a basis that is then certified exactly:
    scaled by the largest magnitude when the entries do not fit float64 (optimal bases are scale-invariant)."""
    flat = M.reshape(-1).tolist()
    if float64_misfit(M) is None:
        return np.array([float(v) for v in flat], dtype=np.float64).reshape(M.shape)
    top = max(abs(Fraction(v)) for v in flat)
    return np.array([float(Fraction(v) / top) for v in flat], dtype=np.float64).reshape(M.shape)


def _as_matrix(A: Any, fld: Field, where: str) -> np.ndarray:
    if isinstance(A, np.ndarray) and A.ndim == 2 and (A.dtype.kind in "iu" or (A.dtype.kind == "f" and not fld.exact)):
        return A
    already = (isinstance(A, np.ndarray) and A.dtype == object and fld.exact
               and all(isinstance(v, Fraction) for v in A.flat))
    M = A if already else fld.array(A, where=where)
    if M.ndim != 2 or M.shape[0] < 1 or M.shape[1] < 1:
        raise InvalidGame(f"{where}: expected a non-empty payoff matrix, got shape {np.shape(M)}")
    return M


def minimax_value(A: Any, *, field: Field | str = EXACT) -> tuple[Number, np.ndarray, np.ndarray]:
    """Value and optimal strategies of the zero-sum matrix game with row payoffs ``A``: ``(v, x, y)``.

    The fast entry point for hot loops (e.g. Shapley value iteration).  In the exact field ``A`` holds ints,
    Fractions or ``"p/q"`` strings (an integer numpy array is fastest) and the answer is certified (see the
    module docstring); in the float field it is HiGHS's answer.

    Returns
    -------
    value : Fraction or float
    x : ndarray
        Row player's maximin strategy (object array of Fractions, or float64).
    y : ndarray
        Column player's minimax strategy.
    """
    res = _solve_matrix(A, field_named(field), "minimax_value()")
    return res[0], res[1], res[2]


def _pure_saddle(Z: np.ndarray) -> tuple[int, int] | None:
    """A pure saddle point ``(i, j)`` if ``max_i min_j Z = min_j max_i Z`` (then ``Z[i, j]`` is the value,
    row ``i`` guarantees it and column ``j`` holds every row to it); the lowest row and column indices attaining
    the maximin and the minimax are taken.  ``None`` otherwise.  Exact for integer (int64 or object) arrays."""
    if Z.dtype != object:
        row_min = Z.min(axis=1)
        col_max = Z.max(axis=0)
        if row_min.max() != col_max.min():
            return None
        return int(np.argmax(row_min)), int(np.argmin(col_max))
    rows = [min(r) for r in Z.tolist()]
    cols = [max(c) for c in Z.T.tolist()]
    lower = max(rows)
    upper = min(cols)
    if lower != upper:
        return None
    return rows.index(lower), cols.index(upper)


def _solve_matrix(A: Any, fld: Field, where: str) -> tuple[Number, np.ndarray, np.ndarray, MinimaxCertificate, str]:
    M = _as_matrix(A, fld, f"{where} A")
    k, l = M.shape
    if fld.exact:
        if M.dtype.kind == "f":
            raise InvalidGame(f"{where}: float matrix given for the exact field; pass ints, Fractions or strings")
        if M.dtype == np.int64 and -2 ** 53 < M.min() and M.max() < 2 ** 53:  # the common case: small ints
            Z, D, Af = M, 1, M.astype(np.float64)
        else:
            Z, D = _integer_array(M)
            if Z.dtype == np.int64 and D <= 2 ** 24 and int(np.abs(Z).max()) < 2 ** 53:  # |Z| < 2**62: exact
                Af = Z / D
            else:  # long denominators or huge entries: convert each entry itself
                Af = _float_hint(M)
    else:
        check_float_route(M, where)
        Af = np.asarray(M, dtype=np.float64) if M.dtype != object else np.array(
            [float(v) for v in M.reshape(-1)]).reshape(k, l)
    saddle = _pure_saddle(Z if fld.exact else Af)
    if saddle is not None:
        i, j = saddle
        if fld.exact:
            value = Fraction(int(Z[i, j]), D)
            x = np.array([Fraction(int(q == i)) for q in range(k)], dtype=object)
            y = np.array([Fraction(int(q == j)) for q in range(l)], dtype=object)
            return value, x, y, _certify(value, list(x), list(y)), "pure-saddle"
        value = float(Af[i, j])
        x = np.zeros(k)
        x[i] = 1.0
        y = np.zeros(l)
        y[j] = 1.0
        return value, x, y, MinimaxCertificate(value, tuple(x.tolist()), tuple(y.tolist()), value, value, False), \
            "pure-saddle"
    out = _highs_stage_lp(Af, want_basis=fld.exact)
    if not fld.exact:
        if out.status is not LPStatus.OPTIMAL:
            raise SolverError(f"{where}: HiGHS did not solve the stage LP: {out.model_status}")
        x = np.asarray(out.x[:k], dtype=np.float64)
        y = np.asarray(out.duals[:l], dtype=np.float64)
        value = float(out.objective)
        cert = MinimaxCertificate(value, tuple(x.tolist()), tuple(y.tolist()), float((x @ Af).min()),
                                  float((Af @ y).max()), False)
        return value, x, y, cert, "highs"
    found = None
    if out.status is LPStatus.OPTIMAL:
        found = _exact_from_basis(Z, D, k, l, out)
    if found is not None:
        value, x, y = found
        method = "highs+exact-basis"
    else:
        Mq = M if M.dtype == object else EXACT.array(M)
        value, x, y, method = _exact_via_lp(Mq)
    cert = _certify(value, x, y)
    return value, _object_array(x), _object_array(y), cert, method


def _object_array(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def minimax_solve(game_or_matrix: NormalFormGame | Any, *, field: Field | str = EXACT) -> MinimaxResult:
    """Solve a two-player zero-sum or constant-sum game (or a row-payoff matrix) by its stage LP.

    Parameters
    ----------
    game_or_matrix : NormalFormGame or 2-D array-like
        A game must have two players and a constant payoff sum; a matrix is the row player's payoffs of a
        zero-sum game.
    field : Field or name
        EXACT (default): value and strategies are exact rationals with a checked certificate.  FLOAT: HiGHS's
        answer; the certificate records the float guarantees (their gap is the numerical error).

    Returns
    -------
    MinimaxResult
        ``method``: ``"pure-saddle"`` (``max_i min_j A = min_j max_i A``: pure optimal strategies, no LP; the
        lowest row and column indices attaining it), ``"highs+exact-basis"`` (HiGHS's basis re-solved exactly),
        ``"stage-lp[...]"`` (the generic certified LP route: exact repair or exact simplex), or ``"highs"``
        (float).

    Raises
    ------
    UnsupportedGame
        Not two players, or not constant-sum (the message names the joint action and its sum).
    """
    fld = field_named(field)
    if isinstance(game_or_matrix, NormalFormGame):
        game = game_or_matrix
        if fld.exact and not game.field.exact:
            raise InvalidGame("minimax_solve(): the game has float payoffs; an exact solve needs an exact game "
                              "(game.to_field('exact', allow_float=True) converts binary floats exactly)")
        A, total = constant_sum_matrix(game)
        if not fld.exact and game.field.exact:
            check_float_route(A, "minimax_solve(): payoffs of the row player")
            A = np.array([float(v) for v in A.reshape(-1)]).reshape(A.shape)
            total = to_float64(total, where="minimax_solve(): the payoff sum")
    else:
        A, total = game_or_matrix, None
    value, x, y, cert, method = _solve_matrix(A, fld, "minimax_solve()")
    if total is None:
        total = fld.zero
    return MinimaxResult(value, (value, total - value), tuple(x.tolist()), tuple(y.tolist()), LPStatus.OPTIMAL,
                         fld, cert, method, game=game_or_matrix if isinstance(game_or_matrix, NormalFormGame) else None)


# --------------------------------------------------------------------------------------------------------------
# the set of optimal strategies
# --------------------------------------------------------------------------------------------------------------
def simplex_polytope_vertices(G: list[list[Any]], h: list[Any], k: int) -> set[tuple[Fraction, ...]]:
    """Exact vertices of ``{x ∈ Q^k : x >= 0, Σ x = 1, G x <= h}`` (``k >= 2``) by basis enumeration.

    Every choice of ``k - 1`` of the ``k + m`` inequalities (``x_i >= 0`` and the rows of ``G``) is made tight
    together with ``Σ x = 1``; a non-singular system whose solution is feasible is a vertex (Schrijver 1986, §8.5:
    vertices are the basic feasible solutions).  Entries of ``G`` and ``h`` are ints, Fractions or ``flint.fmpq``;
    the caller bounds the ``C(k + m, k - 1)`` candidate sets.
    """
    m = len(G)
    Gq = [[flint.fmpq(v) if isinstance(v, (int, flint.fmpq)) else flint.fmpq(v.numerator, v.denominator)
           for v in row] for row in G]
    hq = [flint.fmpq(v) if isinstance(v, (int, flint.fmpq)) else flint.fmpq(v.numerator, v.denominator) for v in h]
    Gm = flint.fmpq_mat(m, k, [v for row in Gq for v in row]) if m else None
    found: set[tuple[Fraction, ...]] = set()
    for subset in itertools.combinations(range(k + m), k - 1):
        M = flint.fmpq_mat(k, k)
        rhs = []
        for r, c in enumerate(subset):
            if c < k:
                M[r, c] = 1
                rhs.append(flint.fmpq(0))
            else:
                for q in range(k):
                    M[r, q] = Gq[c - k][q]
                rhs.append(hq[c - k])
        for q in range(k):
            M[k - 1, q] = 1
        rhs.append(flint.fmpq(1))
        try:
            sol = M.solve(flint.fmpq_mat(k, 1, rhs))
        except ZeroDivisionError:
            continue
        xs = sol.entries()
        if any(v < 0 for v in xs):
            continue
        if Gm is not None and any(a > b for a, b in zip((Gm * sol).entries(), hq)):
            continue
        found.add(tuple(Fraction(int(v.p), int(v.q)) for v in xs))
    return found


def optimal_strategy_set(game: NormalFormGame | Any, player: int | str = 0, *,
                         max_bases: int = MAX_VERTEX_BASES) -> tuple[tuple[Fraction, ...], ...]:
    """Exact vertices of the polytope of ``player``'s optimal (maximin) strategies.

    For the row player with matrix ``A`` and value ``v`` the polytope is
    ``P = {x : x >= 0, Σ x = 1, xᵀA >= v·1}`` (for the column player the same with ``-Aᵀ`` and ``-v``).
    Its vertices are the feasible points where ``k - 1`` linearly independent inequalities (among the
    ``k + l`` constraints ``x_i >= 0`` and ``(xᵀA)_j >= v``) hold with equality together with ``Σ x = 1``
    (Schrijver 1986, §8.5: vertices are the basic feasible solutions).  All ``C(k + l, k - 1)`` candidate sets
    are tried with exact solves; every optimal strategy is a convex combination of the vertices returned.

    Returns
    -------
    tuple of tuples of Fraction
        The distinct vertices, sorted lexicographically.

    Raises
    ------
    GameTooLarge
        When ``C(k + l, k - 1)`` exceeds ``max_bases`` (default :data:`MAX_VERTEX_BASES`; e.g. 10×10 needs
        C(20, 9) = 167960 candidate bases and is accepted, 11×11 is refused).  ``l`` counts distinct columns.
    """
    if isinstance(game, NormalFormGame):
        if not game.field.exact:
            raise InvalidGame("optimal_strategy_set(): needs an exact game")
        A, _ = constant_sum_matrix(game, "optimal_strategy_set()")
        p = game.player_index(player)
    else:
        A = EXACT.array(game, where="optimal_strategy_set() A")
        p = int(player)
        if p not in (0, 1):
            raise InvalidGame(f"optimal_strategy_set(): player must be 0 or 1, got {player!r}")
    value, _, _ = minimax_value(A, field=EXACT)
    if p == 1:
        A = -A.T
        value = -value
    k, l = A.shape
    # identical columns give identical constraints (xᵀA)_j >= v: keep one of each (same polytope)
    distinct = sorted({tuple(A[:, j].tolist()): j for j in range(l)}.values())
    if len(distinct) < l:
        A = A[:, distinct]
        l = len(distinct)
    n_sets = math.comb(k + l, k - 1)
    if n_sets > max_bases:
        raise GameTooLarge(f"optimal_strategy_set(): {k}×{l} strategy polytope has {n_sets} candidate bases, "
                           f"limit {max_bases}")
    ints, D = _integer_matrix(A)
    vD = value * D  # integer-scaled value (rational)
    vq = flint.fmpq(vD.numerator, vD.denominator)
    # constraint rows: 0..k-1: x_i >= 0 ; k..k+l-1: Σ_i x_i Z_ij >= vD with Z_ij = ints[i * l + j]
    if k == 1:
        return ((Fraction(1),),)
    # (xᵀZ)_j >= vD written as (-Zᵀ x)_j <= -vD
    G = [[-ints[i * l + j] for i in range(k)] for j in range(l)]
    vertices = simplex_polytope_vertices(G, [-vq] * l, k)
    if not vertices:  # pragma: no cover - the polytope is non-empty by the minimax theorem
        raise SolverError("optimal_strategy_set(): found no vertex of a non-empty polytope")
    return tuple(sorted(vertices))
