"""LP core: HiGHS path, exact basis certificates, Bland's exact simplex, Farkas and ray certificates."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, strategies as st

import jalverify.solvers.lp.solve as lpmod
from jalverify.errors import CertificateError, InvalidNumber, SolverError
from jalverify.solvers.lp import LinearProgram, LPStatus, exact_simplex_solve, lp_solve
from jalverify.solvers.lp.exact import basis_certificate
from jalverify.solvers.lp.numeric import HighsOutcome
from jalverify.solvers.lp.simplex import simplex_solve, standard_form


def small_lp():
    # max 3x + 2y  s.t. x + y <= 4, x + 3y <= 6, 0 <= x <= 3, y >= 0 ; optimum 11 at (3, 1)
    return LinearProgram.build([3, 2], [[1, 1], [1, 3]], [4, 6], upper=[3, None], maximize=True)


def beale():
    # Beale (1955): the textbook cycling example for the largest-coefficient rule; optimum -1/20
    return LinearProgram.build(
        [F(-3, 4), 150, F(-1, 50), 6],
        [[F(1, 4), -60, F(-1, 25), 9], [F(1, 2), -90, F(-1, 50), 3], [0, 0, 1, 0]],
        [0, 0, 1],
    )


def test_known_lp_float_and_exact():
    lp = small_lp()
    rf = lp_solve(lp, field="float")
    assert rf.status is LPStatus.OPTIMAL and abs(rf.objective - 11) < 1e-9 and rf.certificate is None
    re = lp_solve(lp, field="exact")
    assert re.status is LPStatus.OPTIMAL and re.objective == 11 and list(re.x) == [3, 1]
    assert re.method == "highs+exact-basis" and re.certificate.verify()
    rs = exact_simplex_solve(lp)
    assert rs.objective == 11 and rs.certificate.verify()


def test_beale_does_not_cycle():
    r = exact_simplex_solve(beale())
    assert r.status is LPStatus.OPTIMAL and r.objective == F(-1, 20)
    assert list(r.x) == [F(1, 25), 0, 1, 0]
    assert r.certificate.verify()
    assert lp_solve(beale(), field="exact").objective == F(-1, 20)


def test_free_variables_equalities_and_boxes():
    # min x - y  s.t. x + y = 2, -5 <= x <= 5, y free, y <= 10 via row
    lp = LinearProgram.build([1, -1], [[0, 1]], [10], [[1, 1]], [2], lower=[-5, None], upper=[5, None])
    for solve in (lambda p: lp_solve(p, field="exact"), exact_simplex_solve):
        r = solve(lp)
        assert r.objective == -12 and list(r.x) == [-5, 7] and r.certificate.verify()


def test_infeasible_has_farkas_certificate():
    lp = LinearProgram.build([1, 1], [[1, 1]], [-1])
    r = lp_solve(lp, field="exact")
    assert r.status is LPStatus.INFEASIBLE and r.certificate.farkas is not None
    assert r.certificate.verify()
    assert lp_solve(lp, field="float").status is LPStatus.INFEASIBLE
    # a Farkas vector for a different (feasible) LP is rejected
    feasible = LinearProgram.build([1, 1], [[1, 1]], [1])
    with pytest.raises(CertificateError):
        r.certificate.verify(feasible)


def test_infeasible_boxes():
    lp = LinearProgram.build([0, 0], None, None, [[1, 1]], [5], lower=[0, 0], upper=[2, 2])
    r = exact_simplex_solve(lp)
    assert r.status is LPStatus.INFEASIBLE and r.certificate.verify()


def test_unbounded_has_ray():
    lp = LinearProgram.build([-1, -1], [[1, -1]], [1])
    r = lp_solve(lp, field="exact")
    assert r.status is LPStatus.UNBOUNDED and r.certificate.verify()
    bad = replace(r.certificate, ray=(F(-1), F(0)))
    with pytest.raises(CertificateError):
        bad.verify()


def test_tampered_optimal_certificate_rejected():
    r = lp_solve(small_lp(), field="exact")
    cert = r.certificate
    with pytest.raises(CertificateError, match="objective"):
        replace(cert, objective=F(12)).verify()
    with pytest.raises(CertificateError):
        replace(cert, x=(F(3), F(2))).verify()  # infeasible point
    with pytest.raises(CertificateError):
        replace(cert, x=(F(2), F(1)), objective=F(8)).verify()  # feasible, not optimal: CS fails
    with pytest.raises(CertificateError):
        replace(cert, duals=(F(-1), F(0))).verify()


def test_wrong_basis_is_not_certified_and_repair_pivots():
    lp = small_lp()
    # basis {slack rows basic, x at lower}: feasible (origin) but not optimal
    msg = basis_certificate(lp, np.array([False, False]), np.array([False, False]), np.array([False, False]))
    assert isinstance(msg, str) and "reduced cost" in msg
    sf = standard_form(lp)
    start = [sf.slack_of_row[0], sf.slack_of_row[1], sf.slack_of_row[2]]
    out = simplex_solve(lp, start_basis=start, standard=sf)
    assert out.warm_started and out.status is LPStatus.OPTIMAL and out.certificate.objective == 11


def test_lp_solve_repairs_a_bad_highs_basis(monkeypatch):
    lp = small_lp()

    def fake_highs(lp_, time_limit=None, **options):
        return HighsOutcome(LPStatus.OPTIMAL, "Optimal", np.zeros(2), 0.0, np.zeros(2),
                            np.array([False, False]), np.array([False, False]), np.array([False, False]))

    monkeypatch.setattr(lpmod, "highs_solve", fake_highs)
    r = lp_solve(lp, field="exact")
    assert r.method == "highs+exact-repair" and r.objective == 11 and r.certificate.verify()


def test_lp_solve_ignores_a_wrong_highs_claim(monkeypatch):
    lp = LinearProgram.build([1, 1], [[1, 1]], [-1])

    def fake_highs(lp_, time_limit=None, **options):
        return HighsOutcome(LPStatus.OPTIMAL, "Optimal", np.zeros(2), 0.0, np.zeros(1),
                            np.array([False, False]), np.array([False]), np.array([False, False]))

    monkeypatch.setattr(lpmod, "highs_solve", fake_highs)
    r = lp_solve(lp, field="exact")
    assert r.status is LPStatus.INFEASIBLE and r.certificate.verify()


def test_float_lp_refused_in_exact_path():
    lp = LinearProgram.build([1.5, 1.0], [[1.0, 1.0]], [1.0], field="float")
    with pytest.raises(InvalidNumber):
        lp_solve(lp, field="exact")
    assert lp_solve(lp, field="float").status is LPStatus.OPTIMAL


def test_sparse_and_triplet_inputs_agree():
    import scipy.sparse as sp

    dense = [[1, 2, 0], [0, 1, 3]]
    a = LinearProgram.build([-1, -1, -1], dense, [4, 6])
    b = LinearProgram.build([-1, -1, -1], sp.csr_matrix(np.array(dense)), [4, 6])
    c = LinearProgram.build([-1, -1, -1], ((2, 3), [0, 0, 1, 1], [0, 1, 1, 2], [1, 2, 1, 3]), [4, 6])
    values = {lp_solve(p, field="exact").objective for p in (a, b, c)}
    assert values == {F(-6)}


def test_require_optimal_raises():
    r = lp_solve(LinearProgram.build([1, 1], [[1, 1]], [-1]), field="exact")
    with pytest.raises(SolverError, match="infeasible"):
        r.require_optimal("here")


@st.composite
def small_lps(draw):
    n = draw(st.integers(1, 4))
    m1 = draw(st.integers(0, 4))
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


@given(small_lps())
def test_exact_simplex_and_highs_certificate_agree(lp):
    reference = exact_simplex_solve(lp)
    assert reference.certificate.verify()
    certified = lp_solve(lp, field="exact")
    assert certified.status is reference.status
    assert certified.certificate.verify()
    if reference.status is LPStatus.OPTIMAL:
        assert certified.objective == reference.objective
        floating = lp_solve(lp, field="float")
        assert floating.status is LPStatus.OPTIMAL and abs(floating.objective - float(reference.objective)) < 1e-6


def test_crossed_bounds_and_empty_lps():
    lp = LinearProgram.build([1], None, None, lower=[2], upper=[1])
    r = lp_solve(lp, field="exact")
    assert r.status is LPStatus.INFEASIBLE and r.certificate.verify()
    assert exact_simplex_solve(lp).status is LPStatus.INFEASIBLE
    free = LinearProgram.build([1, 0], None, None, lower=[0, None])
    r = lp_solve(free, field="exact")
    assert r.status is LPStatus.OPTIMAL and r.objective == 0 and r.certificate.verify()
    assert exact_simplex_solve(free).objective == 0


@pytest.mark.parametrize("maximize", [True, False])
def test_dual_sign_convention_float_matches_exact(maximize):
    # non-degenerate optimum, so the duals are unique: d objective / d b in the LP's own sense
    c = [3, 2] if maximize else [-3, -2]
    lp = LinearProgram.build(c, [[1, 1], [1, 3]], [4, 6], maximize=maximize)
    exact = lp_solve(lp, field="exact")
    floating = lp_solve(lp, field="float")
    assert list(exact.duals) == ([3, 0] if maximize else [-3, 0])
    assert np.allclose(floating.duals, [float(v) for v in exact.duals])


def test_strict_retry_route(monkeypatch):
    lp = small_lp()
    real = lpmod.highs_solve
    calls = []

    def first_bad(lp_, time_limit=None, **options):
        calls.append(options)
        if not options.get("strict"):
            return HighsOutcome(LPStatus.OPTIMAL, "Optimal", np.zeros(2), 0.0, np.zeros(2),
                                np.array([False, False]), np.array([False, False]), np.array([False, False]))
        return real(lp_, time_limit=time_limit, **options)

    monkeypatch.setattr(lpmod, "highs_solve", first_bad)
    r = lp_solve(lp, field="exact")
    assert r.method == "highs-strict+exact-basis" and r.objective == 11 and r.certificate.verify()
    assert calls[-1].get("strict") is True


def test_fraction_conversion_from_fmpq_is_normalised():
    import flint

    from jalverify.solvers.lp.certificate import fractions

    out = fractions([flint.fmpq(-6, 4), flint.fmpq(0), 3, F(2, 3), np.int64(5)])
    assert out == (F(-3, 2), F(0), F(3), F(2, 3), F(5))
    assert hash(out[0]) == hash(F(-3, 2)) and out[0] + 1 == F(-1, 2)
