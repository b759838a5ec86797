"""Deliberately broken Nash solvers are caught by the theorem suites and shrunk to small games.

Two classic bugs: a support enumeration that drops the largest support size (an off-by-one in the loop), and a
float support enumeration that tests best responses with ``==`` and returns float probabilities.  The suites
must refute them with a game of at most 3×3 with small integer payoffs.
"""

import itertools
from fractions import Fraction
from functools import partial

import numpy as np

from jalverify.strategies import case_strategy, search_refutation

import jalverify.solvers.nash  # noqa: F401,E402  (our own module: missing is an error, never a skip)

from jalverify.theorems.solvers import check_nash_completeness, check_nash_soundness  # noqa: E402


def _solve_exact(M: list[list[Fraction]], b: list[Fraction]) -> list[Fraction] | None:
    """Gauss–Jordan elimination in Fractions; None when singular."""
    n = len(M)
    rows = [list(r) + [v] for r, v in zip(M, b)]
    for c in range(n):
        p = next((r for r in range(c, n) if rows[r][c] != 0), None)
        if p is None:
            return None
        rows[c], rows[p] = rows[p], rows[c]
        for r in range(n):
            if r != c and rows[r][c] != 0:
                f = rows[r][c] / rows[c][c]
                rows[r] = [a - f * q for a, q in zip(rows[r], rows[c])]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def _indifference(P, own, other):
    """Mix over ``other`` making every action in ``own`` pay the same against it (P indexed [own, other])."""
    k = len(own)
    M = [[Fraction(P[i][j]) for j in other] + [Fraction(-1)] for i in own] + [[Fraction(1)] * k + [Fraction(0)]]
    return _solve_exact(M, [Fraction(0)] * k + [Fraction(1)])


def support_enumeration_dropping_largest_support(game):
    """BROKEN: ``range(1, min(m, n))`` should be ``range(1, min(m, n) + 1)``: full-size supports are never tried."""
    A = [[Fraction(v) for v in row] for row in np.asarray(game.payoffs[0]).tolist()]
    B = [[Fraction(v) for v in row] for row in np.asarray(game.payoffs[1]).tolist()]
    m, n = game.n_actions
    found = []
    for k in range(1, min(m, n)):  # the bug
        for I in itertools.combinations(range(m), k):
            for J in itertools.combinations(range(n), k):
                ys = _indifference(A, I, J)
                xs = _indifference([list(col) for col in zip(*B)], J, I)
                if ys is None or xs is None or min(ys[:k]) <= 0 or min(xs[:k]) <= 0:
                    continue
                x = [Fraction(0)] * m
                y = [Fraction(0)] * n
                for i, p in zip(I, xs[:k]):
                    x[i] = p
                for j, p in zip(J, ys[:k]):
                    y[j] = p
                row_pay = [sum(A[i][j] * y[j] for j in range(n)) for i in range(m)]
                col_pay = [sum(x[i] * B[i][j] for i in range(m)) for j in range(n)]
                if max(row_pay) == row_pay[I[0]] and max(col_pay) == col_pay[J[0]]:
                    found.append([x, y])
    return found


def float_support_enumeration_with_float_equality(game):
    """BROKEN: float arithmetic, best responses tested with ``==``, float probabilities returned as exact."""
    A = np.asarray(game.payoffs[0], dtype=float)
    B = np.asarray(game.payoffs[1], dtype=float)
    m, n = game.n_actions
    found = []
    for k in range(1, min(m, n) + 1):
        for I in itertools.combinations(range(m), k):
            for J in itertools.combinations(range(n), k):
                try:
                    My = np.vstack([np.hstack([A[np.ix_(I, J)], -np.ones((k, 1))]), np.hstack([np.ones(k), [0.0]])])
                    Mx = np.vstack([np.hstack([B[np.ix_(I, J)].T, -np.ones((k, 1))]), np.hstack([np.ones(k), [0.0]])])
                    rhs = np.hstack([np.zeros(k), [1.0]])
                    ys, xs = np.linalg.solve(My, rhs)[:k], np.linalg.solve(Mx, rhs)[:k]
                except np.linalg.LinAlgError:
                    continue
                if ys.min() <= 0 or xs.min() <= 0:
                    continue
                x = np.zeros(m)
                y = np.zeros(n)
                x[list(I)] = xs
                y[list(J)] = ys
                row_pay, col_pay = A @ y, x @ B
                if row_pay[I[0]] == row_pay.max() and col_pay[J[0]] == col_pay.max():  # float ==
                    found.append([x.tolist(), y.tolist()])
    return found


def _small(game, bound):
    return max(game.n_actions) <= 3 and all(abs(v) <= bound for v in game.payoffs.reshape(-1))


def test_dropped_support_is_caught_and_shrunk():
    check = partial(check_nash_completeness, solver=support_enumeration_dropping_largest_support)
    out = search_refutation(check, case_strategy("nondegenerate_games"), max_examples=300, seed=0)
    assert out.error is None and out.refutation is not None, out
    (game,) = out.arguments
    assert game.n_actions == (1, 1) or max(game.n_actions) <= 3
    assert _small(game, 10), game.payoffs
    assert out.refutation.witness["missing"]


def test_float_equality_is_caught_and_shrunk():
    check = partial(check_nash_soundness, solver=float_support_enumeration_with_float_equality)
    out = search_refutation(check, case_strategy("general_games"), max_examples=500, seed=0)
    assert out.error is None and out.refutation is not None, out
    (game,) = out.arguments
    assert _small(game, 9), game.payoffs
    assert "regret" in out.refutation.witness or "sums" in out.refutation.witness


def test_the_correct_solvers_pass_the_same_checks():
    out = search_refutation(check_nash_soundness, case_strategy("general_games"), max_examples=20, seed=0)
    assert out.refutation is None and out.error is None
    out = search_refutation(check_nash_completeness, case_strategy("nondegenerate_games"), max_examples=20, seed=0)
    assert out.refutation is None and out.error is None
