"""Differential tests of the compiled Lemke–Howson paths against the pure / independent computations.

* exact: the int64 kernel (with its 128-bit products and its hand-over to Python integers on overflow)
  against the pure Python integer path from the start — same endpoint, same pivot count — and the answer's
  regret recomputed by :func:`jalverify.games.profiles.max_regret`;
* the 128-bit helpers against Python integers;
* float: the compiled path against a plain numpy loop with the same rules, and the compiled regret check
  against :func:`max_regret`;
* the integer regret certificate against :func:`max_regret` on arbitrary (non-equilibrium) profiles.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalverify.errors import SolverError
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile, max_regret
from jalverify.solvers.nash import _lemke_howson_kernel as kernel
from jalverify.solvers.nash import lemke_howson as lh
from jalverify.solvers.nash._integer_tableau import IntegerTableau
from jalverify.solvers.nash.result import BimatrixRegret, integer_rows

SMALL = settings(max_examples=60, deadline=None)
INT64 = (-(2**63), 2**63 - 1)


@st.composite
def integer_games(draw, max_actions: int = 5, low: int = -3, high: int = 3):
    """Payoff matrices (lists of int, ``m × n``); a third made degenerate (duplicate rows or columns, ties)."""
    m = draw(st.integers(1, max_actions))
    n = draw(st.integers(1, max_actions))
    entries = st.integers(low, high)
    A = draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=m, max_size=m))
    B = draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=m, max_size=m))
    kind = draw(st.sampled_from(["generic", "duplicate_row", "duplicate_column", "tie"]))
    if kind == "duplicate_row" and m > 1:
        A[1], B[1] = list(A[0]), list(B[0])
    elif kind == "duplicate_column" and n > 1:
        for row_a, row_b in zip(A, B):
            row_a[1], row_b[1] = row_a[0], row_b[0]
    elif kind == "tie":
        for row in A:
            row[0] = A[0][0]
    return A, B


def positive(matrix):
    low = min(min(row) for row in matrix)
    return [[v - low + 1 for v in row] for row in matrix]


def pure_path(A, B, label):
    """The exact path in Python integers only, from the artificial equilibrium."""
    m, n = len(A), len(A[0])
    BT = [[B[i][j] for i in range(m)] for j in range(n)]
    return lh._exact_path_python(IntegerTableau.initial(BT), IntegerTableau.initial(A), label < m,
                                 label if label < m else label - m, label, 0, m)


@SMALL
@given(integer_games(), st.data())
def test_exact_compiled_path_equals_pure_path(game, data):
    A, B = positive(game[0]), positive(game[1])
    m, n = len(A), len(A[0])
    for label in range(m + n):
        assert lh._exact_path_integers(A, B, label) == pure_path(A, B, label)
    label = data.draw(st.integers(0, m + n - 1))
    x, y, _ = lh.lemke_howson_path(A, B, label)
    g = NormalFormGame.bimatrix(A, B)
    assert max_regret(g, MixedProfile(g, [x, y])) == 0


@SMALL
@given(integer_games(max_actions=4), st.integers(28, 40))
def test_exact_path_hands_over_to_python_integers(game, bits):
    """Payoffs scaled by ``2**bits`` (plus a small perturbation) overflow int64 within a few pivots; the
    continuation in Python integers must give exactly the pure path."""
    scale = 2**bits
    A = [[v * scale + 1 for v in row] for row in positive(game[0])]
    B = [[v * scale + 3 for v in row] for row in positive(game[1])]
    m, n = len(A), len(A[0])
    for label in range(m + n):
        assert lh._exact_path_integers(A, B, label) == pure_path(A, B, label)


def test_overflow_is_reported_not_wrapped():
    """A game whose second pivot's entries exceed int64: the kernel stops with OVERFLOW, and the path
    continued in Python integers is still exact."""
    big = 2**40
    A = [[big, 1], [1, big + 7]]
    B = [[1, big + 5], [big - 3, 1]]
    status, *_, pivots = kernel.exact_path_int64(np.array(A, dtype=np.int64), np.array(B, dtype=np.int64), 0,
                                                 lh.MAX_PIVOTS)
    assert status == kernel.OVERFLOW and pivots < 4
    assert lh._exact_path_integers(A, B, 0) == pure_path(A, B, 0)
    huge = [[2**70, 1], [1, 2**70]]  # beyond int64 from the start: Python integers throughout
    assert lh._exact_path_integers(huge, huge, 1) == pure_path(huge, huge, 1)


@settings(max_examples=300, deadline=None)
@given(st.integers(*INT64), st.integers(*INT64), st.integers(*INT64), st.integers(*INT64))
def test_128_bit_products_and_signs(a, b, c, d):
    hi, lo = kernel._mul128(np.int64(a), np.int64(b))
    value = (int(hi) << 64) | int(lo)
    assert (value - (1 << 128) if value >> 127 else value) == a * b
    diff = a * b - c * d
    assert kernel._sign_of_difference(np.int64(a), np.int64(b), np.int64(c), np.int64(d)) == (diff > 0) - (diff < 0)
    assert kernel._sign_of_difference(np.int64(a), np.int64(b), np.int64(b), np.int64(a)) == 0


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 2**62), st.integers(*INT64), st.integers(*INT64), st.integers(-(2**62), 2**62),
       st.integers(-8, 8))
def test_fraction_free_division(det, quotient, f, a, k):
    """``(a p - f b) / det`` with the numerator made a multiple of ``det``: exact quotient when it is an
    int64, refused otherwise."""
    b = det * k
    p = det
    if not (INT64[0] <= b <= INT64[1]):
        return
    # choose a so that a * det - f * b = quotient * det, i.e. a = quotient + f * k
    a = quotient + f * k
    if not (INT64[0] <= a <= INT64[1]):
        return
    s, inv = kernel._odd_part_inverse(np.int64(det))
    ok, value = kernel._fraction_free(np.int64(a), np.int64(p), np.int64(f), np.int64(b), np.int64(det),
                                      np.uint64(s), np.uint64(inv))
    assert ok and int(value) == quotient
    ok, _ = kernel._fraction_free(np.int64(2**62), np.int64(2**62), np.int64(0), np.int64(0), np.int64(3),
                                  *map(np.uint64, kernel._odd_part_inverse(np.int64(3))))
    assert not ok


def numpy_float_path(A, B, label, atol):
    """The plain numpy loop the compiled float path replaced (same tie rules, same row operations)."""
    m, n = A.shape
    tabs = {}
    for side, C in ((True, B.T), (False, A)):
        rows, cols = C.shape
        tabs[side] = (np.hstack([np.ones((rows, 1)), C, np.eye(rows)]), [cols + r for r in range(rows)])
    nz = {True: m, False: n}
    in_p = label < m
    entering = label if in_p else (label - m if label >= m else n + label)
    for _ in range(10_000):
        T, basis = tabs[in_p]
        column = T[:, 1 + entering]
        candidates = [r for r in range(T.shape[0]) if column[r] > atol]
        first = 1 + nz[in_p]
        for c in [0, *range(first, first + T.shape[0])]:
            ratios = np.array([T[r, c] / column[r] for r in candidates])
            candidates = [r for r, q in zip(candidates, ratios) if q <= ratios.min() + atol]
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
        left = leaving if in_p else (m + leaving if leaving < n else leaving - n)
        if left == label:
            break
        in_p = not in_p
        entering = left if in_p else (left - m if left >= m else n + left)
    out = []
    for side, k in ((True, m), (False, n)):
        T, basis = tabs[side]
        z = np.zeros(k)
        for r, v in enumerate(basis):
            if v < k:
                z[v] = max(T[r, 0], 0.0)
        out.append(z / z.sum())
    return out


@SMALL
@given(integer_games(max_actions=6, low=-10, high=10))
def test_float_compiled_path_equals_numpy_loop(game):
    pay = np.array([game[0], game[1]], dtype=np.float64)
    A = pay[0] - pay[0].min() + 1.0
    B = pay[1] - pay[1].min() + 1.0
    m, n = A.shape
    g = NormalFormGame.bimatrix(game[0], game[1]).to_field("float")
    for label in range(m + n):
        x, y = lh._float_path(pay, label, 1e-9)
        rx, ry = numpy_float_path(A, B, label, 1e-9)
        np.testing.assert_allclose(x, rx, rtol=0, atol=1e-12)
        np.testing.assert_allclose(y, ry, rtol=0, atol=1e-12)
        regret = kernel.float_max_regret(pay, x, y)
        assert abs(regret - max_regret(g, MixedProfile(g, [x, y], allow_float=True))) <= 1e-12
        assert regret <= 1e-9


@SMALL
@given(integer_games(max_actions=6, low=-10, high=10))
def test_float_solve_matches_exact_on_its_label(game):
    """On every game the float answer from label 0 is within 1e-9 of the exact one (same lexicographic
    rule); both are certified."""
    exact = NormalFormGame.bimatrix(game[0], game[1])
    result = lh.lemke_howson_solve(exact, labels=[0])
    floated = lh.lemke_howson_solve(exact.to_field("float"), labels=[0])
    assert result.certificates == (0,) and max_regret(exact, result.equilibria[0]) == 0
    assert floated.certificates[0] <= 1e-9
    for d_exact, d_float in zip(result.equilibria[0].distributions, floated.equilibria[0].distributions):
        np.testing.assert_allclose(np.array(d_exact, dtype=float), d_float, rtol=0, atol=1e-9)


@SMALL
@given(integer_games(max_actions=5, low=-4, high=4), st.data(), st.integers(1, 6), st.integers(1, 6))
def test_integer_certificate_equals_max_regret(game, data, da, db):
    """The integer regret check equals :func:`max_regret` on arbitrary profiles and rational payoffs."""
    m, n = len(game[0]), len(game[0][0])
    A = [[Fraction(v, da) for v in row] for row in game[0]]
    B = [[Fraction(v, db) for v in row] for row in game[1]]
    g = NormalFormGame.bimatrix(A, B)
    zx = data.draw(st.lists(st.integers(0, 5), min_size=m, max_size=m).filter(any))
    zy = data.draw(st.lists(st.integers(0, 5), min_size=n, max_size=n).filter(any))
    A_int, la = integer_rows(g.payoffs[0])
    B_int, lb = integer_rows(g.payoffs[1])
    profile = MixedProfile(g, [[Fraction(v, sum(zx)) for v in zx], [Fraction(v, sum(zy)) for v in zy]])
    assert BimatrixRegret(A_int, la, B_int, lb).of_integers(zx, zy) == max_regret(g, profile)


def test_too_many_pivots_is_an_error(monkeypatch):
    A = [[3, 1, 2], [1, 3, 2], [2, 2, 3]]
    B = [[1, 3, 2], [3, 1, 2], [2, 2, 1]]
    monkeypatch.setattr(lh, "MAX_PIVOTS", 1)
    with pytest.raises(SolverError, match="more than 1 pivots"):
        lh._exact_path_integers(A, B, 0)
    with pytest.raises(SolverError, match="more than 1 pivots"):
        lh._float_path(np.array([A, B], dtype=np.float64), 0, 1e-9)


def test_an_endpoint_failing_its_regret_check_is_never_returned(monkeypatch):
    """The regret checks are real: a wrong endpoint (here, the pure profile (0, 1) of a game whose
    equilibrium is mixed) raises instead of being returned, in both fields."""
    game = NormalFormGame.bimatrix([[3, 1], [1, 8]], [[-4, 6], [3, -9]])
    monkeypatch.setattr(lh, "_exact_path_integers", lambda A, B, label: ([1, 0], [0, 1], 1))
    with pytest.raises(SolverError, match="internal error.*max regret"):
        lh.lemke_howson_solve(game, labels=[0])
    monkeypatch.setattr(lh, "_float_path", lambda pay, label, atol: (np.array([1.0, 0.0]), np.array([0.0, 1.0])))
    with pytest.raises(SolverError, match="internal error.*max regret"):
        lh.lemke_howson_solve(game.to_field("float"), labels=[0])
