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
from jalverify.solvers.nash._bimatrix import positive_integer_matrices, require_two_players, target_game
from jalverify.solvers.nash._integer_tableau import IntegerTableau
from jalverify.solvers.nash.result import NashResult, NashStatus, certify_profiles, profile_key

__all__ = ["lemke_howson_path", "lemke_howson_solve", "MAX_PIVOTS"]

METHOD = "lemke_howson"

#: Safety bound on the number of pivots of one path (paths can be exponentially long, Savani & von Stengel
#: 2006; exceeding the bound raises SolverError rather than looping).
MAX_PIVOTS = 1_000_000


def lemke_howson_path(A: list[list[int]], B: list[list[int]], label: int) -> tuple[list[Fraction], list[Fraction], int]:
    """Follow the exact Lemke–Howson path dropping ``label`` from the artificial equilibrium.

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
    """
    m, n = len(A), len(A[0])
    BT = [[B[i][j] for i in range(m)] for j in range(n)]
    p_tab = IntegerTableau.initial(BT)   # variables x_i (label i), s_j (index m + j, label m + j)
    q_tab = IntegerTableau.initial(A)    # variables y_j (index j, label m + j), r_i (index n + i, label i)

    def p_var(lab: int) -> int:
        return lab

    def q_var(lab: int) -> int:
        return lab - m if lab >= m else n + lab

    def q_label(var: int) -> int:
        return m + var if var < n else var - n

    in_p = label < m
    entering = p_var(label) if in_p else q_var(label)
    pivots = 0
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
        entering = p_var(left_label) if in_p else q_var(left_label)
    x = p_tab.z_values()
    y = q_tab.z_values()
    sx, sy = sum(x), sum(y)
    if sx <= 0 or sy <= 0:
        raise SolverError(f"lemke_howson_path(): path from label {label} ended at a zero vector (x={x}, y={y})")
    return [Fraction(v, sx) for v in x], [Fraction(v, sy) for v in y], pivots


def _float_path(A: np.ndarray, B: np.ndarray, label: int, atol: float) -> tuple[np.ndarray, np.ndarray]:
    """Float Lemke–Howson with a lexicographic tie-break (ties within ``atol``)."""
    m, n = A.shape

    def tableau(C: np.ndarray) -> tuple[np.ndarray, list[int]]:
        rows, cols = C.shape
        T = np.hstack([np.ones((rows, 1)), C, np.eye(rows)])
        return T, [cols + r for r in range(rows)]

    tabs = {True: tableau(B.T), False: tableau(A)}
    nz = {True: m, False: n}

    def var(in_p: bool, lab: int) -> int:
        if in_p:
            return lab
        return lab - m if lab >= m else n + lab

    def lab_of(in_p: bool, v: int) -> int:
        if in_p:
            return v
        return m + v if v < n else v - n

    in_p = label < m
    entering = var(in_p, label)
    for _ in range(MAX_PIVOTS):
        T, basis = tabs[in_p]
        column = T[:, 1 + entering]
        candidates = [r for r in range(T.shape[0]) if column[r] > atol]
        if not candidates:
            raise SolverError(f"lemke_howson_solve(field=float): no pivot row for entering variable {entering}")
        first_slack = 1 + nz[in_p]
        lex_cols = [0, *range(first_slack, first_slack + T.shape[0])]
        for c in lex_cols:
            ratios = np.array([T[r, c] / column[r] for r in candidates])
            best = ratios.min()
            candidates = [r for r, q in zip(candidates, ratios) if q <= best + atol]
            if len(candidates) == 1:
                break
        row = candidates[0]
        leaving = basis[row]
        T = T.copy()
        T[row] /= T[row, 1 + entering]
        for r in range(T.shape[0]):
            if r != row and T[r, 1 + entering] != 0:
                T[r] -= T[r, 1 + entering] * T[row]
        basis = list(basis)
        basis[row] = entering
        tabs[in_p] = (T, basis)
        left = lab_of(in_p, leaving)
        if left == label:
            break
        in_p = not in_p
        entering = var(in_p, left)
    else:
        raise SolverError(f"lemke_howson_solve(field=float): more than {MAX_PIVOTS} pivots from label {label}")
    out = []
    for side, k in ((True, m), (False, n)):
        T, basis = tabs[side]
        z = np.zeros(k)
        for r, v in enumerate(basis):
            if v < k:
                z[v] = max(T[r, 0], 0.0)
        if z.sum() <= 0:
            raise SolverError(f"lemke_howson_solve(field=float): path from label {label} ended at a zero vector")
        out.append(z / z.sum())
    return out[0], out[1]


def lemke_howson_solve(game: NormalFormGame, *, labels: Any = None, field: Field | str | None = None) -> NashResult:
    """Equilibria reached by Lemke–Howson from every starting label (or the given ones).

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
    index: dict[tuple, int] = {}
    reached: list[str] = []
    if fld.exact:
        A, B = positive_integer_matrices(game)
        for k in chosen:
            x, y, pivots = lemke_howson_path(A, B, k)
            profile = MixedProfile(out_game, [x, y])
            key = profile_key(profile)
            if key not in index:
                index[key] = len(profiles)
                profiles.append(profile)
            reached.append(f"label {k} -> equilibrium {index[key]} ({pivots} pivots)")
    else:
        pay = out_game.payoffs.astype(np.float64)
        A = pay[0] - pay[0].min() + 1.0
        B = pay[1] - pay[1].min() + 1.0
        for k in chosen:
            x, y = _float_path(A, B, k, fld.atol)
            profile = MixedProfile(out_game, [x, y], allow_float=True)
            key = tuple(np.round(np.concatenate([x, y]) / max(fld.atol, 1e-15)).astype(np.int64).tolist())
            if key not in index:
                index[key] = len(profiles)
                profiles.append(profile)
            reached.append(f"label {k} -> equilibrium {index[key]}")
    equilibria, certificates = certify_profiles(out_game, profiles, method=where.rstrip("()"), field=fld)
    return NashResult(
        equilibria=equilibria,
        game=game,
        method=METHOD,
        field=fld,
        status=NashStatus.PARTIAL,
        complete=False,
        certificates=certificates,
        tolerance=0.0 if fld.exact else fld.atol,
        notes=("Lemke–Howson does not guarantee finding all equilibria", *reached),
    )
