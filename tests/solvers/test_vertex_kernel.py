"""The compiled vertex-enumeration kernel (``_vertex_kernel``) against independent exact paths.

Differential tests on generated games (random and degenerate): the compiled path of ``vertex_enumeration_solve``
against the pure Python search and against brute-force support enumeration (exact equilibrium sets, exact zero
certificates, same components); the kernel's vertex lists against the Python search; its exact-arithmetic
primitives (int64 quotients and signs of ``ab - cd``) against Python integers; the int64 overflow hand-over.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalverify.errors import InvalidGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.solvers.nash import _vertex_kernel as kernel
from jalverify.solvers.nash import support_enumeration_solve, vertex_enumeration_solve
from jalverify.solvers.nash.vertex_enumeration import polytope_vertices

INT64_MAX = 2 ** 63 - 1


def eq_list(result) -> list:
    return [tuple(tuple(d.tolist()) for d in e.distributions) for e in result.equilibria]


@st.composite
def games(draw, max_actions: int = 5):
    """Bimatrix games of shape up to ``max_actions``: payoffs in -10..10 (generic) or 0..2 / 0..1 (many ties:
    degenerate games), sometimes with a duplicated row or column."""
    m = draw(st.integers(1, max_actions))
    n = draw(st.integers(1, max_actions))
    low, high = draw(st.sampled_from([(-10, 10), (0, 2), (0, 1), (-3, 3)]))
    entries = st.integers(low, high)
    A = np.array(draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=m, max_size=m)), dtype=np.int64)
    B = np.array(draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=m, max_size=m)), dtype=np.int64)
    if m > 1 and draw(st.booleans()):
        A[1], B[1] = A[0].copy(), B[0].copy()
    return NormalFormGame.bimatrix(A, B)


@given(games())
def test_compiled_path_equals_python_path_and_support_enumeration(game):
    compiled = vertex_enumeration_solve(game, kernel="compiled")
    python = vertex_enumeration_solve(game, kernel="python")
    brute = support_enumeration_solve(game, supports="all")
    assert eq_list(compiled) == eq_list(python)  # same set, same order
    assert set(eq_list(compiled)) == set(eq_list(brute))
    assert compiled.complete and len(compiled.certificates) == len(compiled.equilibria)
    assert all(c == 0 and isinstance(c, Fraction) for c in compiled.certificates)
    assert [sorted(c.equilibrium_indices) for c in compiled.components] == \
        [sorted(c.equilibrium_indices) for c in python.components]
    assert [len(c.nash_subsets) for c in compiled.components] == [len(c.nash_subsets) for c in python.components]


@given(games(max_actions=7))
def test_compiled_path_equals_both_polytopes_python_path_on_larger_games(game):
    compiled = vertex_enumeration_solve(game, kernel="compiled", components=False)
    both = vertex_enumeration_solve(game, kernel="python", polytopes="both", components=False)
    assert set(eq_list(compiled)) == set(eq_list(both))


def _vertex_set(numerators, tight) -> set:
    out = set()
    for num, t in zip(numerators, tight):
        total = sum(int(v) for v in num)
        point = tuple(Fraction(int(v), total) for v in num) if total else None
        out.add((int(t), point))
    return out


@given(st.integers(1, 5), st.integers(1, 5), st.sampled_from([3, 21, 10 ** 6]), st.data())
def test_kernel_vertices_equal_the_python_search(rows, cols, high, data):
    C = data.draw(st.lists(st.lists(st.integers(1, high), min_size=cols, max_size=cols), min_size=rows,
                           max_size=rows))
    status, num, den, tight, n_bases = kernel.enumerate_vertices(np.array(C, dtype=np.int64))
    if high > 21 and status == kernel.OVERFLOW:
        return  # minors of up to 5x5 entries near 10^6 can leave int64: declared, never rounded (next test)
    assert status == kernel.OK  # minors of entries <= 21 stay far below 2^62
    python = polytope_vertices(C)
    assert len(num) == len(python) and n_bases >= len(num)
    assert _vertex_set(num, tight) == _vertex_set([v.numerators for v in python], [v.tight for v in python])
    # the denominators are exact: every vertex satisfies C z <= 1 with the listed tight rows exactly tight
    for z, d, t in zip(num.tolist(), den.tolist(), tight.tolist()):
        for r, row in enumerate(C):
            lhs = sum(c * v for c, v in zip(row, z))
            assert lhs <= d and (lhs == d) == bool(t >> (cols + r) & 1)


def test_kernel_reports_overflow_and_the_solver_hands_over_to_python_integers():
    C = np.array([[2 ** 60 + 7, 3, 2 ** 59 + 1], [5, 2 ** 60 + 3, 11], [2 ** 58 + 13, 17, 2 ** 60 + 1]],
                 dtype=np.int64)
    status, *_ = kernel.enumerate_vertices(C)
    assert status == kernel.OVERFLOW
    A = C.tolist()  # shifted to minimum 1 by the solver: still entries near 2^60
    B = [[C[(i + 1) % 3, (j + 2) % 3] + i for j in range(3)] for i in range(3)]
    game = NormalFormGame.bimatrix(A, B)
    compiled = vertex_enumeration_solve(game, kernel="compiled")
    assert "Python integers" in compiled.notes[0]
    assert eq_list(compiled) == eq_list(vertex_enumeration_solve(game, kernel="python"))
    assert all(c == 0 for c in compiled.certificates)


int64s = st.integers(-(2 ** 62), 2 ** 62)


@given(int64s, int64s, int64s, int64s)
def test_sign_of_ab_minus_cd_is_exact_or_declared_undecidable(a, b, c, d):
    s = kernel._sign_diff(a, b, c, d)
    exact = (a * b > c * d) - (a * b < c * d)
    assert s == exact or s == 2
    if max(abs(a), abs(b), abs(c), abs(d)) < 2 ** 31:
        assert s == exact and kernel._sign(a, b, c, d, True) == exact


@given(st.integers(-(2 ** 40), 2 ** 40), st.integers(1, 2 ** 40), st.integers(-(2 ** 40), 2 ** 40),
       st.integers(-(2 ** 40), 2 ** 40), st.integers(1, 2 ** 40))
def test_quotient_is_the_exact_integer_quotient_or_declared_overflow(v, p, f, w, k):
    num = v * p - f * w
    det = math.gcd(num, k) or k  # a divisor of num: the division is exact, as in integer pivoting
    q, status = kernel._quotient(v, p, f, w, det, 1.0 / det, False)
    if status == kernel.OK:
        assert q == num // det
    else:
        assert status == kernel.OVERFLOW and abs(num // det) > INT64_MAX // 4
    if max(abs(v), p, abs(f), abs(w), det) < 2 ** 31:
        q, status = kernel._quotient(v, p, f, w, det, 1.0 / det, True)
        assert (status == kernel.OK and q == num // det) or (status == kernel.OVERFLOW
                                                              and abs(num // det) > INT64_MAX // 4)


def test_a_quotient_beyond_int64_is_declared_on_the_small_path_too():
    big = 2 ** 31 - 1
    _, status = kernel._quotient(big, big, -big, big, 1, 1.0, True)  # (2^31 - 1)^2 * 2 > 2^62
    assert status == kernel.OVERFLOW


def test_an_inexact_division_is_reported_not_rounded():
    _, status = kernel._quotient(7, 1, 0, 0, 2, 0.5, True)
    assert status == kernel.INEXACT
    _, status = kernel._quotient(2 ** 40 + 1, 2 ** 20, 0, 0, 2 ** 20 + 1, 1.0 / (2 ** 20 + 1), False)
    assert status == kernel.INEXACT


@given(st.integers(1, 6), st.data())
def test_complementary_pairs_equal_the_brute_force_pairs(n_labels, data):
    masks = st.integers(0, 2 ** n_labels - 1)
    p = data.draw(st.lists(masks, min_size=1, max_size=70))
    q = data.draw(st.lists(masks, min_size=1, max_size=140))
    full = 2 ** n_labels - 1
    got = kernel.complementary_pairs(np.array(p, dtype=np.int64), np.array(q, dtype=np.int64), n_labels)
    expected = sorted((k, l) for k, a in enumerate(p) for l, b in enumerate(q) if a | b == full)
    assert sorted(map(tuple, got.tolist())) == expected


def test_kernel_option_is_checked():
    game = NormalFormGame.bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(InvalidGame, match="kernel must be"):
        vertex_enumeration_solve(game, kernel="fast")
    with pytest.raises(InvalidGame, match="no time_limit"):
        vertex_enumeration_solve(game, kernel="compiled", time_limit=5.0)
    # auto with a time limit takes the Python search (which can stop), with the same answer
    assert eq_list(vertex_enumeration_solve(game, time_limit=5.0)) == eq_list(vertex_enumeration_solve(game))
