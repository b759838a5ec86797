r"""Lemke–Howson from every starting label, with lexicographic pivoting (robust to degeneracy).

Algorithm (Lemke & Howson 1964; von Stengel 2002, "Computing equilibria for two-person games", Handbook of
Game Theory vol. 3, ch. 45, §2.3 and §2.5 complementary pivoting, §2.6 degenerate games).  With
``A' > 0``, ``B' > 0`` (shifted payoffs), consider the systems

.. math::
    A' y + r = \mathbf 1,\qquad B'^\top x + s = \mathbf 1,\qquad x, y, r, s \ge 0,

and the labels ``i`` (``x_i = 0`` or ``r_i = 0``) and ``m + j`` (``s_j = 0`` or ``y_j = 0``).  Starting at
the artificial equilibrium ``(0, 0)``, label ``k`` is dropped by letting its variable enter; each pivot
makes one variable leave, whose label is then duplicated, and its complement enters in the other system;
the path ends when the leaving variable has label ``k``: a completely labelled pair, i.e. a Nash
equilibrium ``(x / 1ᵀx, y / 1ᵀy)``.

The exact version uses integer pivoting and the lexicographic minimum-ratio test (the symbolic perturbation
``1 + (ε, ε², …)``), so the path is unique and terminates on every game, degenerate or not; the endpoint is
a pair of basic solutions, hence an extreme equilibrium.  The float version uses the same rules with a
tolerance; its output passes a float regret check whose tolerance is stated in the result.

Both pivot loops run compiled (numba, :mod:`._lemke_howson_kernel`, imported on the first call and cached on
disk).  The exact loop works on an int64 tableau with exact 128-bit products; when an entry would leave int64
the same path continues in Python integers (:class:`._integer_tableau.IntegerTableau`), so answers, pivot
counts and the label → equilibrium map are those of the pure integer path.  Every endpoint's regret is
checked before it is returned (exactly 0, or at most ``atol`` in the float field).

Lemke–Howson does **not** find all equilibria (von Stengel 2002, §2.3): the result has ``complete=False`` and
``status=PARTIAL``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import InvalidGame, SolverError
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile
from jalverify.numbers import Field, field_named
from jalverify.solvers.nash._bimatrix import require_two_players, target_game
from jalverify.solvers.nash._integer_tableau import IntegerTableau
from jalverify.solvers.nash.result import BimatrixRegret, NashResult, NashStatus, integer_rows

__all__ = ["MAX_PIVOTS", "lemke_howson_path", "lemke_howson_solve"]

METHOD = "lemke_howson"

#: Safety bound on the number of pivots of one path (paths can be exponentially long, Savani & von Stengel
#: 2006; exceeding the bound raises SolverError rather than looping).
MAX_PIVOTS = 1_000_000


def lemke_howson_path(A: list[list[int]], B: list[list[int]], label: int) -> tuple[list[Fraction], list[Fraction], int]:
    """Follow the exact Lemke–Howson path dropping ``label`` from the artificial equilibrium.

    The pivots run in the compiled int64 kernel (:func:`._lemke_howson_kernel.exact_path_int64`) as long as
    every product is certainly representable; at the first pivot that could overflow (or from the start, for
    payoffs beyond int64) the same path continues with Python integers (:func:`_exact_path_python`).  Both
    are exact integer pivoting with the exact lexicographic rule, so the path, the endpoint and the pivot
    count are the same whichever representation did which pivots.

    Parameters
    ----------
    A, B : list of list of int
        Positive integer payoff matrices (``m × n``).
    label : int
        ``0..m-1`` (a row) or ``m..m+n-1`` (a column).

    Returns
    -------
    (x, y, pivots)
        The equilibrium strategies as exact Fractions and the number of pivots.

    Raises
    ------
    SolverError
        More than :data:`MAX_PIVOTS` pivots, or a tableau inconsistency (a bug).
    """
    zx, zy, pivots = _exact_path_integers(A, B, label)
    x, y = _fractions(zx, zy, label)
    return x, y, pivots


def _exact_path_integers(A: list[list[int]], B: list[list[int]], label: int) -> tuple[list[int], list[int], int]:
    """The exact path's endpoint as ``(det_P * x, det_Q * y, pivots)`` (unnormalised integer vectors)."""
    m, n = len(A), len(A[0])
    if max(max(row) for row in A) >= _INT64_PAYOFF_LIMIT or max(max(row) for row in B) >= _INT64_PAYOFF_LIMIT:
        BT = [[B[i][j] for i in range(m)] for j in range(n)]
        return _exact_path_python(IntegerTableau.initial(BT), IntegerTableau.initial(A), label < m,
                                  label if label < m else label - m, label, 0, m)
    kernel = _kernel()
    status, TP, TQ, basis_p, basis_q, det_p, det_q, in_p, entering, pivots = kernel.exact_path_int64(
        np.array(A, dtype=np.int64), np.array(B, dtype=np.int64), label, MAX_PIVOTS)
    if status == kernel.OVERFLOW:
        p_tab = _dictionary(TP, basis_p, int(det_p), m)
        q_tab = _dictionary(TQ, basis_q, int(det_q), n)
        return _exact_path_python(p_tab, q_tab, bool(in_p), int(entering), label, int(pivots), m)
    _raise_for_status(status, kernel, label, int(entering), "lemke_howson_path()")
    return _basic_values(TP, basis_p, m), _basic_values(TQ, basis_q, n), int(pivots)


#: Payoffs from this size on skip the int64 kernel (its tableau could not even hold them).
_INT64_PAYOFF_LIMIT = 2**31


def _dictionary(T: np.ndarray, basis: np.ndarray, det: int, nz: int) -> IntegerTableau:
    """The :class:`IntegerTableau` (dictionary form, Python integers) of a full int64 tableau
    ``[rhs | z | slacks]`` with basic variables ``basis``."""
    rows = T.tolist()
    basic = [int(v) for v in basis.tolist()]
    in_basis = set(basic)
    cobasis = [v for v in range(nz + len(basic)) if v not in in_basis]
    columns = [0, *(1 + v for v in cobasis)]
    return IntegerTableau([[row[c] for c in columns] for row in rows], basic, cobasis, det, nz)


def _basic_values(T: np.ndarray, basis: np.ndarray, nz: int) -> list[int]:
    """``det * z`` at the basic solution of a full int64 tableau."""
    z = [0] * nz
    rhs = T[:, 0].tolist()
    for r, v in enumerate(basis.tolist()):
        if v < nz:
            z[v] = rhs[r]
    return z


def _fractions(x: list[int], y: list[int], label: int) -> tuple[list[Fraction], list[Fraction]]:
    sx, sy = sum(x), sum(y)
    if sx <= 0 or sy <= 0:
        raise SolverError(f"lemke_howson_path(): path from label {label} ended at a zero vector (x={x}, y={y})")
    return [Fraction(v, sx) for v in x], [Fraction(v, sy) for v in y]


def _raise_for_status(status: int, kernel: Any, label: int, entering: int, where: str) -> None:
    """Turn a kernel's failure status into the :class:`SolverError` the pure loop raised."""
    if status == kernel.DONE:
        return
    if status == kernel.TOO_MANY_PIVOTS:
        raise SolverError(f"{where}: more than {MAX_PIVOTS} pivots from label {label}")
    if status == kernel.NO_PIVOT_ROW:
        raise SolverError(
            f"{where}: variable {entering} enters but no row bounds it; the polytope is unbounded "
            "(payoffs were not shifted positive?)"
        )
    raise SolverError(f"{where}: rows not lexicographically distinct (singular basis) from label {label}")


def _exact_path_python(p_tab: IntegerTableau, q_tab: IntegerTableau, in_p: bool, entering: int, label: int,
                       pivots: int, m: int) -> tuple[list[int], list[int], int]:
    """The exact path in Python integers from a given state: ``entering`` (a variable of tableau P if
    ``in_p``, else of Q) enters next, ``pivots`` pivots were already done."""
    n = q_tab.nz

    def q_var(lab: int) -> int:
        return lab - m if lab >= m else n + lab

    def q_label(var: int) -> int:
        return m + var if var < n else var - n

    while True:
        pivots += 1
        if pivots > MAX_PIVOTS:
            raise SolverError(f"lemke_howson_path(): more than {MAX_PIVOTS} pivots from label {label}")
        tab = p_tab if in_p else q_tab
        row = tab.lex_min_ratio_row(entering)
        leaving = tab.basis[row]
        tab = tab.pivot(row, entering)
        if in_p:
            p_tab = tab
            left_label = leaving
        else:
            q_tab = tab
            left_label = q_label(leaving)
        if left_label == label:
            break
        in_p = not in_p
        entering = left_label if in_p else q_var(left_label)
    return p_tab.z_values(), q_tab.z_values(), pivots


def _float_path(payoffs: np.ndarray, label: int, atol: float) -> tuple[np.ndarray, np.ndarray]:
    """Float Lemke–Howson with a lexicographic tie-break (ties within ``atol``) on the payoffs shifted
    positive, compiled (:func:`._lemke_howson_kernel.float_path`); the caller checks the answer's regret."""
    kernel = _kernel()
    where = "lemke_howson_solve(field=float)"
    status, x, y, sx, sy, _, entering = kernel.float_path(payoffs, label, atol, MAX_PIVOTS)
    if status == kernel.NO_PIVOT_ROW:
        raise SolverError(f"{where}: no pivot row for entering variable {entering}")
    if status != kernel.DONE:
        raise SolverError(f"{where}: more than {MAX_PIVOTS} pivots from label {label}")
    if sx <= 0 or sy <= 0:
        raise SolverError(f"{where}: path from label {label} ended at a zero vector")
    return x, y


def _kernel() -> Any:
    """The compiled kernels (imported on first use, so that ``import jalverify`` does not import numba)."""
    from jalverify.solvers.nash import _lemke_howson_kernel

    return _lemke_howson_kernel


def _shifted_positive(matrix: list[list[int]]) -> list[list[int]]:
    """The matrix shifted so that its minimum entry is 1 (equilibria unchanged: a constant added to one
    player's payoffs leaves her best responses unchanged)."""
    shift = 1 - min(min(row) for row in matrix)
    return [[v + shift for v in row] for row in matrix]


def lemke_howson_solve(game: NormalFormGame, *, labels: Any = None, field: Field | str | None = None) -> NashResult:
    """Equilibria reached by Lemke–Howson from every starting label (or the given ones).

    Every endpoint's maximal regret is checked before it is returned: exactly 0 on the exact path, by the
    integer check :class:`.result.BimatrixRegret` that :func:`.result.certify_profiles` uses for the other
    bimatrix solvers (here on the path's unnormalised integer endpoint); ``<= atol`` on the float path, by
    the compiled :func:`._lemke_howson_kernel.float_max_regret`.

    Parameters
    ----------
    game : NormalFormGame
        Two players.
    labels : iterable of int, optional
        Starting labels ``0..m+n-1`` (rows, then columns); default all.
    field : Field or {"exact", "float"}, optional
        Default the game's field.  The exact path needs exact payoffs (float payoffs: convert explicitly).

    Returns
    -------
    NashResult
        Distinct equilibria in order of first discovery; ``status=PARTIAL``, ``complete=False``; notes give
        the label → equilibrium map.

    Raises
    ------
    SolverError
        A path exceeded :data:`MAX_PIVOTS`, or an endpoint failed its regret check (a bug; never returned).
    """
    where = "lemke_howson_solve()"
    require_two_players(game, where)
    fld = field_named(field) if field is not None else game.field
    out_game = target_game(game, fld, where)
    m, n = game.n_actions
    chosen = list(range(m + n)) if labels is None else [int(k) for k in labels]
    for k in chosen:
        if not 0 <= k < m + n:
            raise InvalidGame(f"{where}: starting label {k} out of range 0..{m + n - 1}")
    profiles: list[MixedProfile] = []
    certificates: list[Fraction | float] = []
    index: dict[tuple, int] = {}
    reached: list[str] = []
    if fld.exact:
        A_int, la = integer_rows(game.payoffs[0])
        B_int, lb = integer_rows(game.payoffs[1])
        A, B = _shifted_positive(A_int), _shifted_positive(B_int)
        check = BimatrixRegret(A_int, la, B_int, lb)
        for k in chosen:
            zx, zy, pivots = _exact_path_integers(A, B, k)
            x, y = _fractions(zx, zy, k)
            key = (0,) if len(chosen) == 1 else (tuple(x), tuple(y))
            if key not in index:
                regret = check.of_integers(zx, zy)
                _require_certified(regret == 0, regret, x, y, "exactly 0", where)
                index[key] = len(profiles)
                profiles.append(MixedProfile(out_game, [x, y]))
                certificates.append(regret)
            reached.append(f"label {k} -> equilibrium {index[key]} ({pivots} pivots)")
    else:
        pay = np.ascontiguousarray(out_game.payoffs, dtype=np.float64)
        for k in chosen:
            x, y = _float_path(pay, k, fld.atol)
            key = (0,) if len(chosen) == 1 else tuple(
                np.round(np.concatenate([x, y]) / max(fld.atol, 1e-15)).astype(np.int64).tolist())
            if key not in index:
                regret = float(_kernel().float_max_regret(pay, x, y))
                _require_certified(regret <= fld.atol, regret, x.tolist(), y.tolist(), f"<= {fld.atol:g}", where)
                index[key] = len(profiles)
                profiles.append(MixedProfile(out_game, [x, y], allow_float=True))
                certificates.append(regret)
            reached.append(f"label {k} -> equilibrium {index[key]}")
    return NashResult(
        equilibria=tuple(profiles),
        game=game,
        method=METHOD,
        field=fld,
        status=NashStatus.PARTIAL,
        complete=False,
        certificates=tuple(certificates),
        tolerance=0.0 if fld.exact else fld.atol,
        notes=("Lemke–Howson does not guarantee finding all equilibria", *reached),
    )


def _require_certified(ok: bool, regret: Any, x: list[Any], y: list[Any], bound: str, where: str) -> None:
    """Raise :class:`SolverError` for an endpoint that failed its regret check (a bug; never returned)."""
    if not ok:
        shown = " × ".join("(" + ", ".join(str(v) for v in d) + ")" for d in (x, y))
        raise SolverError(
            f"{where}: internal error, candidate {shown} has max regret {regret} (must be {bound}); "
            "it was not returned"
        )
