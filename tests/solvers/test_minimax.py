"""Minimax solver: known values, certificates, exact vs float agreement, the optimal-strategy polytope."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, strategies as st

from jalverify.errors import CertificateError, GameTooLarge, UnsupportedGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.solvers.lp import LPStatus
from jalverify.solvers.minimax import (
    MinimaxCertificate,
    minimax_solve,
    minimax_value,
    optimal_strategy_set,
)

RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
PENNIES = [[1, -1], [-1, 1]]


@st.composite
def matrices(draw, max_side: int = 4, low: int = -5, high: int = 5):
    k = draw(st.integers(1, max_side))
    l = draw(st.integers(1, max_side))
    return [[draw(st.integers(low, high)) for _ in range(l)] for _ in range(k)]


def test_rock_paper_scissors_value_zero_uniform():
    r = minimax_solve(NormalFormGame.zero_sum(RPS))
    assert r.value == 0 and r.status is LPStatus.OPTIMAL
    assert r.row_strategy == (F(1, 3),) * 3 and r.column_strategy == (F(1, 3),) * 3
    assert r.certificate.verify(RPS)


def test_matching_pennies():
    v, x, y = minimax_value(PENNIES)
    assert v == 0 and list(x) == [F(1, 2)] * 2 and list(y) == [F(1, 2)] * 2


def test_known_rational_value():
    # Morra-like 2x2: [[3,-1],[-2,1]] has value 1/7 with x = (3/7, 4/7), y = (2/7, 5/7)
    v, x, y = minimax_value([[3, -1], [-2, 1]])
    assert v == F(1, 7)
    assert list(x) == [F(3, 7), F(4, 7)] and list(y) == [F(2, 7), F(5, 7)]


def test_saddle_point_pure():
    v, x, y = minimax_value([[4, 2, 3], [1, 0, 5]])
    assert v == 2 and list(x) == [1, 0] and list(y) == [0, 1, 0]


def test_constant_sum_shift():
    A = np.array([[3, 1], [0, 2]])
    game = NormalFormGame.bimatrix(A, 5 - A)
    r = minimax_solve(game)
    assert r.value == F(3, 2) and r.values == (F(3, 2), F(7, 2))


def test_non_constant_sum_rejected_with_joint_action():
    game = NormalFormGame.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    with pytest.raises(UnsupportedGame, match=r"joint action \('a0', 'a1'\) sum to 5"):
        minimax_solve(game)


def test_three_players_rejected():
    game = NormalFormGame(np.zeros((3, 2, 2, 2), dtype=int))
    with pytest.raises(UnsupportedGame, match="two-player"):
        minimax_solve(game)


def test_tampered_certificate_rejected():
    r = minimax_solve(RPS)
    bad = MinimaxCertificate(F(1, 10), r.row_strategy, r.column_strategy, F(1, 10), F(1, 10), True)
    with pytest.raises(CertificateError):
        bad.verify(RPS)
    skewed = MinimaxCertificate(F(0), (F(1, 2), F(1, 2), F(0)), r.column_strategy, F(0), F(0), True)
    with pytest.raises(CertificateError):
        skewed.verify(RPS)


def test_float_certificate_refuses_verify():
    r = minimax_solve(RPS, field="float")
    assert abs(r.value) < 1e-9
    with pytest.raises(CertificateError):
        r.certificate.verify(RPS)


@given(matrices())
def test_exact_certificate_and_float_agree(A):
    r = minimax_solve(A)
    assert r.certificate.verify(A)
    rf = minimax_solve(A, field="float")
    assert abs(float(r.value) - rf.value) <= 1e-7


@given(matrices(max_side=3))
def test_value_matches_pure_bounds(A):
    v, _, _ = minimax_value(A)
    maximin = max(min(row) for row in A)
    minimax = min(max(A[i][j] for i in range(len(A))) for j in range(len(A[0])))
    assert maximin <= v <= minimax


def test_optimal_strategy_set_known():
    assert optimal_strategy_set(RPS) == ((F(1, 3), F(1, 3), F(1, 3)),)
    # a constant game: every strategy is optimal -> vertices are the pure strategies
    assert optimal_strategy_set([[1, 1], [1, 1]]) == ((F(0), F(1)), (F(1), F(0)))
    # column player of [[1,1],[0,0]]: indifferent between columns
    assert optimal_strategy_set([[1, 1], [0, 0]], 1) == ((F(0), F(1)), (F(1), F(0)))
    # row player of [[1,1],[0,0]]: only the top row
    assert optimal_strategy_set([[1, 1], [0, 0]], 0) == ((F(1), F(0)),)


@given(matrices(max_side=3, low=-2, high=2))
def test_optimal_strategy_set_vertices_are_optimal(A):
    v, x, _ = minimax_value(A)
    vertices = optimal_strategy_set(A, 0)
    k, l = len(A), len(A[0])
    for vert in vertices:
        assert sum(vert) == 1 and min(vert) >= 0
        assert min(sum(vert[i] * A[i][j] for i in range(k)) for j in range(l)) == v
    # the solver's own strategy lies in the hull; at least it is optimal, and a vertex exists
    assert vertices
    # every pure optimal strategy must be listed as a vertex
    for i in range(k):
        if min(A[i]) == v:
            assert tuple(F(int(q == i)) for q in range(k)) in vertices


def test_optimal_strategy_set_too_large():
    with pytest.raises(GameTooLarge, match="limit"):
        optimal_strategy_set(np.random.default_rng(0).integers(-50, 50, size=(12, 12)))


def test_fallback_route_when_basis_not_certified(monkeypatch):
    import jalverify.solvers.minimax as mm

    monkeypatch.setattr(mm, "_exact_from_basis", lambda *a, **k: None)
    r = minimax_solve([[3, -1], [-2, 1]])
    assert r.value == F(1, 7) and r.method != "highs+exact-basis"
    assert r.certificate.verify([[3, -1], [-2, 1]])


def test_rational_and_string_entries():
    v, x, y = minimax_value([["1/2", 0], [0, "1/3"]])
    assert v == F(1, 5) and list(x) == [F(2, 5), F(3, 5)]


@given(matrices(max_side=3))
def test_value_agrees_with_exact_simplex_reference(A):
    from jalverify.solvers.lp import LinearProgram, exact_simplex_solve

    k, l = len(A), len(A[0])
    ub = [[-A[i][j] for i in range(k)] + [1] for j in range(l)]
    lp = LinearProgram.build([0] * k + [1], ub, [0] * l, [[1] * k + [0]], [1], lower=[0] * k + [None],
                             maximize=True)
    assert exact_simplex_solve(lp).objective == minimax_value(A)[0]


def test_long_denominators():
    big = F(1, 3 ** 60)
    A = np.array([[3 * big, -big], [-2 * big, big + F(1, 7 ** 40)]], dtype=object)
    v, x, y = minimax_value(A)
    assert MinimaxCertificate(v, tuple(x), tuple(y), v, v, True).verify(A)


def test_pure_saddle_shortcut_is_certified():
    A = [[4, 2, 3], [1, 0, 5], [3, 2, 2]]
    for field in ("exact", "float"):
        r = minimax_solve(A, field=field)
        assert r.method == "pure-saddle" and r.value == 2
    r = minimax_solve(A)
    assert r.row_strategy == (1, 0, 0) and r.column_strategy == (0, 1, 0) and r.certificate.verify(A)
