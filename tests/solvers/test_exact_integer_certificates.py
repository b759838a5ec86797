"""The fraction-free certificate routes (issue 15) against independent exact methods, and tampered answers.

* ``int_matvec`` (int64 digit products) against plain Python integer sums;
* the integer basis certificate of ``lp.exact_integer`` against the rational (fmpq) one on the same bases, and
  both against the exact simplex;
* ``minimax_value``'s fraction-free basis certificate against the exact simplex on the stage LP, on arbitrary
  (also wrong) bases, and with entries beyond int64;
* ``correlated_solve`` (exact) against the exact simplex on the same LP and against the games layer's own gains.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import jalverify.solvers.minimax as mm
from jalverify.errors import CertificateError
from jalverify.games.profiles import CorrelatedProfile, max_ce_gain
from jalverify.solvers import correlated as ce
from jalverify.solvers.lp import LinearProgram, LPStatus, exact_simplex_solve, lp_solve
from jalverify.solvers.lp.exact import rational_basis_certificate
from jalverify.solvers.lp.exact_integer import integer_basis_certificate, integer_data
from jalverify.solvers.lp.intmat import int_matvec
from jalverify.solvers.lp.numeric import HighsOutcome, highs_solve
from jalverify.strategies import normal_form_games

MAGNITUDES = st.sampled_from([1, 3, 100, 2 ** 20, 2 ** 40, 2 ** 61, 2 ** 70])


@st.composite
def big_vectors(draw, length: int):
    bits = draw(st.sampled_from([1, 8, 31, 33, 64, 200, 700]))
    return [draw(st.integers(-(2 ** bits), 2 ** bits)) for _ in range(length)]


@st.composite
def integer_products(draw):
    r = draw(st.integers(0, 30))
    c = draw(st.integers(0, 30))
    top = draw(MAGNITUDES)
    Z = [[draw(st.integers(-top, top)) for _ in range(c)] for _ in range(r)]
    return Z, draw(big_vectors(c))


@given(integer_products())
def test_int_matvec_matches_python_integers(case):
    Z, p = case
    r, c = len(Z), len(p)
    expected = [sum(Z[i][j] * p[j] for j in range(c)) for i in range(r)]
    obj = np.empty((r, c), dtype=object)
    for i in range(r):
        obj[i, :] = Z[i]
    assert int_matvec(obj, p) == expected
    if all(abs(v) < 2 ** 62 for row in Z for v in row):
        assert int_matvec(np.array(Z, dtype=np.int64).reshape(r, c), p) == expected


def test_int_matvec_digit_path_on_a_large_product():
    rng = np.random.default_rng(3)
    Z = rng.integers(-100, 101, size=(60, 40))
    p = [int(v) * 10 ** 200 + 7 for v in rng.integers(-(10 ** 9), 10 ** 9, size=40)]
    assert int_matvec(Z, p) == [sum(int(Z[i, j]) * p[j] for j in range(40)) for i in range(60)]


@st.composite
def integer_lps(draw):
    n = draw(st.integers(1, 5))
    m1 = draw(st.integers(0, 5))
    m2 = draw(st.integers(0, 2))
    ints = st.integers(-3, 3)
    c = [draw(ints) for _ in range(n)]
    A_ub = [[draw(ints) for _ in range(n)] for _ in range(m1)]
    b_ub = [draw(st.integers(-2, 6)) for _ in range(m1)]
    A_eq = [[draw(ints) for _ in range(n)] for _ in range(m2)]
    b_eq = [draw(st.integers(-2, 4)) for _ in range(m2)]
    kinds = [draw(st.sampled_from(["nonneg", "free", "box", "upper"])) for _ in range(n)]
    lower = [None if k in ("free", "upper") else (0 if k == "nonneg" else draw(st.integers(-2, 0))) for k in kinds]
    upper = [draw(st.integers(0, 3)) if k in ("box", "upper") else None for k in kinds]
    return LinearProgram.build(c, A_ub if m1 else None, b_ub if m1 else None, A_eq if m2 else None,
                               b_eq if m2 else None, lower=lower, upper=upper, maximize=draw(st.booleans()))


def _same_certificate(a, b) -> bool:
    return (a.x, a.duals, a.reduced_costs, a.row_slacks, a.objective) == (
        b.x, b.duals, b.reduced_costs, b.row_slacks, b.objective)


@given(integer_lps(), st.data())
def test_integer_and_rational_basis_certificates_agree(lp, data):
    idata = integer_data(lp)
    assert idata is not None
    n, m = lp.n_variables, lp.n_rows
    out = highs_solve(lp)
    bases = []
    if out.status is LPStatus.OPTIMAL and out.col_basic is not None:
        bases.append((out.col_basic, out.row_tight, out.col_at_upper))
    # arbitrary bases too (mostly wrong ones): both routes must accept or refuse them alike
    basic = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    tight = np.zeros(m, dtype=bool)
    k = int(basic.sum())
    if k <= m:
        tight[data.draw(st.permutations(range(m)))[:k]] = True
    at_upper = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool) & lp.has_upper
    bases.append((basic, tight, at_upper))
    for b, t, u in bases:
        fast = integer_basis_certificate(lp, idata, b, t, u, "test")
        slow = rational_basis_certificate(lp, b, t, u, "test")
        assert isinstance(fast, str) == isinstance(slow, str), (fast, slow)
        if not isinstance(fast, str):
            assert _same_certificate(fast, slow)
            assert fast.verify()


@given(integer_lps())
def test_certified_lp_optimum_matches_exact_simplex_and_rejects_tampering(lp):
    reference = exact_simplex_solve(lp)
    got = lp_solve(lp, field="exact")
    assert got.status is reference.status and got.certificate.verify()
    assume(got.status is LPStatus.OPTIMAL)
    assert got.objective == reference.objective
    cert = got.certificate
    with pytest.raises(CertificateError):
        replace(cert, objective=cert.objective + 1).verify()
    with pytest.raises(CertificateError):
        replace(cert, reduced_costs=tuple(v + 1 for v in cert.reduced_costs)).verify()
    if cert.row_slacks:
        with pytest.raises(CertificateError):
            replace(cert, row_slacks=tuple(v + 1 for v in cert.row_slacks)).verify()


def _independent_value_check(A: list[list[int]], v: F, x, y) -> bool:
    k, l = len(A), len(A[0])
    if sum(x) != 1 or sum(y) != 1 or min(x) < 0 or min(y) < 0:
        return False
    low = min(sum(x[i] * A[i][j] for i in range(k)) for j in range(l))
    high = max(sum(A[i][j] * y[j] for j in range(l)) for i in range(k))
    return low == v == high


def _stage_lp_value(A: list[list[int]]) -> F:
    k, l = len(A), len(A[0])
    ub = [[-A[i][j] for i in range(k)] + [1] for j in range(l)]
    lp = LinearProgram.build([0] * k + [1], ub, [0] * l, [[1] * k + [0]], [1], lower=[0] * k + [None], maximize=True)
    return exact_simplex_solve(lp).objective


@st.composite
def payoff_matrices(draw, max_side: int = 7):
    k = draw(st.integers(1, max_side))
    l = draw(st.integers(1, max_side))
    scale = draw(st.sampled_from([1, 1, 2 ** 64]))  # 2**64: beyond int64, the object-integer route
    return [[draw(st.integers(-9, 9)) * scale for _ in range(l)] for _ in range(k)]


def _array(A: list[list[int]]) -> np.ndarray:
    big = any(abs(v) >= 2 ** 62 for row in A for v in row)
    return np.array(A, dtype=object if big else np.int64)


@given(payoff_matrices())
def test_minimax_value_matches_exact_simplex_and_rejects_tampering(A):
    v, x, y = mm.minimax_value(_array(A))
    assert v == _stage_lp_value(A)
    assert _independent_value_check(A, v, list(x), list(y))
    cert = mm.MinimaxCertificate(v, tuple(x), tuple(y), v, v, True)
    assert cert.verify(A)
    with pytest.raises(CertificateError):
        replace(cert, value=v + F(1, 7)).verify(A)
    with pytest.raises(CertificateError):
        replace(cert, value=v - F(1, 7)).verify(A)
    k = len(A)
    for i in range(k):  # a pure row strategy that guarantees less than the value must be refused
        pure = tuple(F(int(q == i)) for q in range(k))
        if min(A[i]) < v:
            with pytest.raises(CertificateError):
                replace(cert, row_strategy=pure).verify(A)


@given(payoff_matrices(max_side=5), st.data())
def test_minimax_basis_certificate_never_accepts_a_wrong_basis(A, data):
    Z = _array(A)
    k, l = Z.shape
    t = data.draw(st.integers(1, min(k, l)))
    rows = data.draw(st.permutations(range(k)))[:t]
    cols = data.draw(st.permutations(range(l)))[:t]
    basic = np.zeros(k + 1, dtype=bool)
    basic[rows] = True
    basic[k] = True
    tight = np.zeros(l + 1, dtype=bool)
    tight[cols] = True
    tight[l] = True
    out = HighsOutcome(LPStatus.OPTIMAL, "Optimal", None, None, None, basic, tight, np.zeros(k + 1, dtype=bool))
    found = mm._exact_from_basis(Z, 1, k, l, out)
    if found is not None:  # a basis the certificate accepts is an optimal one
        value, x, y = found
        assert value == _stage_lp_value(A) and _independent_value_check(A, value, x, y)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("scale", [1, 2 ** 64])
def test_minimax_value_on_larger_games_is_proved_by_its_strategies(seed, scale):
    """Games above the small-list size (numpy and int64-digit route; 2**64: Python-integer route)."""
    rng = np.random.default_rng(seed)
    k, l = 17 + seed, 19
    base = rng.integers(-30, 31, size=(k, l))
    A = [[int(v) * scale for v in row] for row in base]
    v, x, y = mm.minimax_value(_array(A))
    assert _independent_value_check(A, v, list(x), list(y))  # a complete proof of the value on its own
    assert abs(float(v / scale) - mm.minimax_value(base.astype(float), field="float")[0]) <= 1e-6


def ce_games(max_players: int = 3, max_actions: int = 3):
    return normal_form_games(players=st.integers(2, max_players), actions=st.integers(1, max_actions),
                             payoffs=(-4, 4))


@given(ce_games(), st.sampled_from(["utilitarian", "egalitarian", None]))
def test_exact_ce_matches_exact_simplex_and_game_gains(game, objective):
    res = ce.correlated_solve(game, objective=objective)
    assert res.certificate.verify(game, (res.distribution,))
    assert max_ce_gain(game, res.distribution) <= 0  # the games layer's own gains, independent of the LP
    for lp_cert in res.certificate.lp_certificates:
        lp = lp_cert.lp
        assert exact_simplex_solve(lp).objective == lp_cert.objective
    with pytest.raises(CertificateError):
        c0 = res.certificate.lp_certificates[0]
        replace(c0, objective=c0.objective + 1).verify()


@given(ce_games(max_players=2, max_actions=3))
def test_fast_profile_matches_the_validating_constructor(game):
    res = ce.correlated_solve(game)
    flat = res.distribution.distribution.reshape(-1)
    fast = ce._profile(game, flat, game.field)
    slow = CorrelatedProfile(game, flat.reshape(game.n_actions))
    assert fast.game is slow.game and fast.distribution.tolist() == slow.distribution.tolist()
    assert not fast.distribution.flags.writeable
    bad = flat.copy()
    bad[0] = bad[0] + 1
    with pytest.raises(CertificateError):
        ce._profile(game, bad, game.field)


def test_rational_lp_data_take_the_rational_route():
    lp = LinearProgram.build([F(3, 2), 1], [[F(1, 3), 1], [1, F(2, 5)]], [4, F(9, 2)], maximize=True)
    assert integer_data(lp) is None
    res = lp_solve(lp, field="exact")
    assert res.method == "highs+exact-basis" and res.certificate.verify()
    assert res.objective == exact_simplex_solve(lp).objective
