"""Exactness of the n-player support enumeration (:mod:`jalverify.solvers.nash.support_enumeration_n`) and of
the exact sign decisions behind it (:mod:`jalverify.solvers.nash.algebraic`).

Regression: the solver used to pass exact solutions through ``sympy.nsimplify`` (a numeric guesser:
``nsimplify(123456789/987654321) == 1/8``) and decided signs of irrational numbers from a 60-digit evaluation.
"""

from __future__ import annotations

import inspect
import itertools
from fractions import Fraction as F

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import jalverify.solvers.nash.support_enumeration_n as sen
from jalverify.errors import BudgetExceeded, CertificateError, InvalidNumber
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import max_regret, regrets
from jalverify.solvers.nash import NashStatus, algebraic, nash_solve, pure_nash_solve, vertex_enumeration_solve
from jalverify.solvers.nash.algebraic import RealAlgebraic, as_poly, exact_sign, real_roots
from jalverify.solvers.nash.support_enumeration_n import support_enumeration_n_solve
from jalverify.strategies import nondegenerate_games, normal_form_games

X = algebraic.X


def eq_set(result):
    return {tuple(tuple(d.tolist()) for d in e.distributions) for e in result.equilibria}


def point(*dists):
    return tuple(tuple(F(p) for p in d) for d in dists)


def algebraic_regrets(game, distributions):
    """Every player's every pure deviation payoff minus her equilibrium payoff, as exact sympy expressions,
    computed here from the payoff tensor (independently of the solver)."""
    out = []
    n = game.n_players
    for i in range(n):
        deviation = []
        for a in range(game.n_actions[i]):
            total = sympy.Integer(0)
            for joint in game.joint_actions():
                if joint[i] != a:
                    continue
                weight = sympy.Integer(1)
                for j in range(n):
                    if j != i:
                        weight *= distributions[j][joint[j]]
                payoff = F(game.payoffs[i][joint])
                total += sympy.Rational(payoff.numerator, payoff.denominator) * weight
            deviation.append(total)
        value = sum((p * u for p, u in zip(distributions[i], deviation)), sympy.Integer(0))
        out.extend(sympy.expand(u - value) for u in deviation)
    return out


def assert_algebraic_equilibrium_certified(game, equilibrium):
    for dist in equilibrium.distributions:
        assert exact_sign(sympy.expand(sum(dist) - 1)) == 0
        assert all(exact_sign(p) >= 0 for p in dist)
    assert all(exact_sign(r) <= 0 for r in algebraic_regrets(game, equilibrium.distributions))


def stag_hunt(n):
    """n-player stag hunt: action 0 pays 2 if every other player plays 0 (else 0), action 1 pays 1.  The
    totally mixed equilibrium plays 0 with probability p, p^(n-1) = 1/2: irrational for n >= 3."""
    payoffs = np.zeros((n,) + (2,) * n, dtype=int)
    for joint in itertools.product(range(2), repeat=n):
        for i in range(n):
            others_hunt = all(joint[j] == 0 for j in range(n) if j != i)
            payoffs[(i, *joint)] = (2 if others_hunt else 0) if joint[i] == 0 else 1
    return NormalFormGame(payoffs)


# (a) the issue's game -----------------------------------------------------------------------------------------


def issue_game():
    A = [[96021948, 0], [0, 13717421]]
    payoffs = np.zeros((3, 2, 2, 1), dtype=np.int64)
    payoffs[0, :, :, 0] = A
    payoffs[1, :, :, 0] = A
    payoffs[2] = 5
    return NormalFormGame(payoffs)


def test_issue_game_with_a_one_action_third_player_has_the_exact_mixed_equilibrium():
    game = issue_game()
    result = support_enumeration_n_solve(game)
    p = F(13717421, 109739369)
    assert p != F(1, 8) and sympy.nsimplify(sympy.Rational(p.numerator, p.denominator)) == sympy.Rational(1, 8)
    assert result.status is NashStatus.COMPLETE and result.complete
    assert eq_set(result) == {point([1, 0], [1, 0], [1]), point([0, 1], [0, 1], [1]),
                              point([p, 1 - p], [p, 1 - p], [1])}
    assert result.certificates == (0, 0, 0)
    assert all(max_regret(game, e) == 0 for e in result.equilibria)
    assert result.notes[0].startswith("9 support profiles")
    # the dispatcher routes three players here too
    assert eq_set(nash_solve(game)) == eq_set(result)


# (b) properties with large payoffs ------------------------------------------------------------------------------

#: Primes just below 10^6, as coprime denominators.
PRIMES = [999983, 999979, 999961, 999959, 999953, 999931, 999917, 999907]


def check_exact_regrets(game, result):
    assert all(c == 0 for c in result.certificates)
    for e in result.equilibria:
        assert max_regret(game, e) == 0
        assert all(r <= 0 for player in regrets(game, e) for r in player.tolist())
    for e in result.algebraic_equilibria:
        assert_algebraic_equilibrium_certified(game, e)
    assert eq_set(pure_nash_solve(game)) <= eq_set(result)
    if not result.complete:
        assert result.status is NashStatus.PARTIAL and result.notes[1:]


@settings(max_examples=10)
@given(normal_form_games(players=st.sampled_from((2, 3)), actions=st.integers(1, 2),
                         payoffs=st.integers(-10 ** 8, 10 ** 8)))
def test_large_integer_payoffs_every_equilibrium_has_exact_regret_zero(game):
    check_exact_regrets(game, support_enumeration_n_solve(game))


@settings(max_examples=10)
@given(normal_form_games(players=st.sampled_from((2, 3)), actions=st.integers(1, 2),
                         payoffs=st.builds(F, st.integers(-10 ** 6, 10 ** 6), st.sampled_from(PRIMES))))
def test_prime_denominator_payoffs_every_equilibrium_has_exact_regret_zero(game):
    check_exact_regrets(game, support_enumeration_n_solve(game))


# (c) differential test against vertex enumeration ---------------------------------------------------------------


@st.composite
def padded_nondegenerate_games(draw, payoffs=(-1000, 1000)):
    """A nondegenerate bimatrix game with one or two one-action players inserted at drawn positions; returns
    ``(padded game, bimatrix game, positions of the two real players)``."""
    base = draw(nondegenerate_games(actions=st.integers(1, 3), payoffs=payoffs))
    pads = draw(st.integers(1, 2))
    order = ["A", "B"]
    for _ in range(pads):
        order.insert(draw(st.integers(0, len(order))), "pad")
    counts = tuple(base.n_actions[0] if r == "A" else base.n_actions[1] if r == "B" else 1 for r in order)
    axes = {"A": order.index("A"), "B": order.index("B")}
    tensor = np.empty((len(order), *counts), dtype=object)
    for i, role in enumerate(order):
        if role == "pad":
            tensor[i] = draw(st.integers(-9, 9))
            continue
        matrix = base.payoffs[0 if role == "A" else 1]
        for a, b in itertools.product(range(counts[axes["A"]]), range(counts[axes["B"]])):
            idx = [0] * len(order)
            idx[axes["A"]], idx[axes["B"]] = a, b
            tensor[(i, *idx)] = matrix[a, b]
    return NormalFormGame(tensor), base, (axes["A"], axes["B"])


@settings(max_examples=8)
@given(padded_nondegenerate_games())
def test_padded_nondegenerate_bimatrix_games_match_vertex_enumeration_exactly(case):
    padded, base, (ia, ib) = case
    expected = set()
    for x, y in eq_set(vertex_enumeration_solve(base)):
        dists = [(F(1),)] * padded.n_players
        dists[ia], dists[ib] = x, y
        expected.add(tuple(dists))
    result = support_enumeration_n_solve(padded)
    assert result.status is NashStatus.COMPLETE and result.complete
    assert eq_set(result) == expected


@settings(max_examples=4)
@given(padded_nondegenerate_games(payoffs=(-10 ** 8, 10 ** 8)))
def test_padded_games_with_large_payoffs_match_vertex_enumeration_exactly(case):
    padded, base, (ia, ib) = case
    found = {(e[ia], e[ib]) for e in eq_set(support_enumeration_n_solve(padded))}
    assert found == eq_set(vertex_enumeration_solve(base))


# (d) known irrational equilibria ----------------------------------------------------------------------------


def test_three_player_stag_hunt_has_the_exact_equilibrium_one_over_sqrt_two():
    game = stag_hunt(3)
    # by hand: against others hunting with probability p each, action 0 pays 2p^2 and action 1 pays 1
    p = sympy.sqrt(2) / 2
    assert sympy.expand(2 * p ** 2) == 1
    result = support_enumeration_n_solve(game)
    assert result.status is NashStatus.IRRATIONAL and result.complete
    assert eq_set(result) == {point([1, 0], [1, 0], [1, 0]), point([0, 1], [0, 1], [0, 1])}
    (equilibrium,) = result.algebraic_equilibria
    assert equilibrium.supports == ((0, 1), (0, 1), (0, 1))
    for dist in equilibrium.distributions:
        assert exact_sign(dist[0] - p) == 0 and exact_sign(dist[1] - (1 - p)) == 0
    assert_algebraic_equilibrium_certified(game, equilibrium)
    assert all(abs(d[0] - 0.7071067811865476) < 1e-15 for d in equilibrium.approximate)


def test_four_player_stag_hunt_has_a_crootof_equilibrium_two_to_the_minus_one_third():
    game = stag_hunt(4)
    result = support_enumeration_n_solve(game)
    assert result.status is NashStatus.IRRATIONAL and result.complete
    (equilibrium,) = result.algebraic_equilibria
    assert any(v.has(sympy.CRootOf) for d in equilibrium.distributions for v in d)
    for dist in equilibrium.distributions:
        assert exact_sign(dist[0] - 2 ** sympy.Rational(-1, 3)) == 0
    assert_algebraic_equilibrium_certified(game, equilibrium)


def test_irrational_equilibria_are_certified_and_reported_in_the_float_field_too():
    float_result = support_enumeration_n_solve(stag_hunt(3), field="float")
    assert len(float_result) == 3 and float_result.algebraic_equilibria == ()
    assert all(c <= float_result.tolerance for c in float_result.certificates)


# (e) exact signs where floating point is wrong ----------------------------------------------------------------


def test_exact_sign_decides_what_floats_get_wrong():
    sqrt = sympy.sqrt
    # the nearest double to sqrt(2) is 1.4142135623730951 > sqrt(2): float says 0, the truth is negative
    assert float(sqrt(2)) - 14142135623730951 / 10 ** 16 == 0
    assert exact_sign(sqrt(2) - sympy.Rational(14142135623730951, 10 ** 16)) == -1
    assert exact_sign(sqrt(2) - sympy.Rational(1414213562373095, 10 ** 15)) == 1
    # sqrt(N^2 + 1) - N - 1/(2N) + 1/(4N^3) = 1/(8N^3) + O(N^-5) > 0; doubles give -1/(2N)
    N = 10 ** 20
    tiny = sqrt(N ** 2 + 1) - N - sympy.Rational(1, 2 * N) + sympy.Rational(1, 4 * N ** 3)
    assert (1e40 + 1) ** 0.5 - 1e20 - 1 / (2e20) + 1 / (4e60) < 0
    assert exact_sign(tiny) == 1 and exact_sign(-tiny) == -1
    # exact zeros that sympy does not simplify away and doubles miss
    assert exact_sign(sqrt(8) - 2 * sqrt(2)) == 0
    denested = sqrt(2) + sqrt(3) - sqrt(5 + 2 * sqrt(6))
    assert denested != 0 and 2 ** 0.5 + 3 ** 0.5 - (5 + 2 * 6 ** 0.5) ** 0.5 != 0
    assert exact_sign(denested) == 0
    assert exact_sign(1 / (sqrt(2) - 1) - sqrt(2) - 1) == 0
    cubic = sympy.CRootOf(X ** 3 - 3 * X + 1, 1)  # 0.3472963553338606...
    assert exact_sign(cubic - sympy.Rational(3472963553338606, 10 ** 16)) == 1
    assert exact_sign(cubic ** 2 - 2 - sympy.CRootOf(X ** 3 - 3 * X + 1, 0)) == 0
    assert exact_sign(2 ** sympy.Rational(1, 3) * 2 ** sympy.Rational(2, 3) - 2) == 0
    assert exact_sign(F(-1, 3)) == -1 and exact_sign(0) == 0


def test_exact_sign_refuses_what_it_cannot_decide_exactly():
    for value in (sympy.I, sympy.pi, (-1) ** sympy.Rational(1, 3), 1.5, sympy.Float("0.5"), sympy.Symbol("s")):
        with pytest.raises(InvalidNumber):
            exact_sign(value)
    with pytest.raises(BudgetExceeded):
        exact_sign(sympy.sqrt(2) + sympy.sqrt(3) - sympy.sqrt(5 + 2 * sympy.sqrt(6)), time_limit=0)


def test_real_algebraic_numbers_have_rational_isolating_intervals():
    roots = real_roots(as_poly((X ** 2 - 2) * (X - F(1, 3)) * (X ** 3 - 3 * X + 1)))
    assert len(roots) == 6 and [r.is_rational for r in roots].count(True) == 1
    assert all(a.hi <= b.lo for a, b in itertools.pairwise(roots))
    (sqrt2,) = [r for r in roots if r.poly == as_poly(X ** 2 - 2) and r.sign() > 0]
    assert sqrt2.sign_of(as_poly(X ** 2 - 2)) == 0 and sqrt2.sign_of(as_poly(10 * X - 14)) == 1
    assert sqrt2.to_expr() == sympy.sqrt(2)
    with pytest.raises(CertificateError):
        RealAlgebraic(as_poly(X ** 2 - 2), F(0), F(1))  # no root in (0, 1)


# certificates, budgets and the exact solving paths ------------------------------------------------------------


def test_a_candidate_failing_its_certificate_raises_and_is_not_reported(monkeypatch):
    monkeypatch.setattr(sen, "_is_candidate", lambda *args: True)
    with pytest.raises(CertificateError, match="not reported"):
        support_enumeration_n_solve(issue_game())


def test_the_irrational_certificate_rejects_a_non_equilibrium():
    game = stag_hunt(3)
    (sqrt2,) = [r for r in real_roots(as_poly(X ** 2 - 2)) if r.sign() > 0]
    half = as_poly(sympy.Rational(1, 2))
    good = [[as_poly(X / 2), as_poly(1 - X / 2)] for _ in range(3)]
    sen._certify_algebraic(game.payoffs, good, sqrt2, ((0, 1),) * 3, None)
    with pytest.raises(CertificateError, match="deviation"):
        sen._certify_algebraic(game.payoffs, [good[0], [half, half], good[2]], sqrt2, ((0, 1),) * 3, None)
    with pytest.raises(CertificateError, match="sum exactly to 1"):
        sen._certify_algebraic(game.payoffs, [[as_poly(X / 2), half], *good[1:]], sqrt2, ((0, 1),) * 3, None)


def test_degree_budget_makes_the_run_partial_instead_of_certifying():
    result = support_enumeration_n_solve(stag_hunt(3), max_degree=1)
    assert result.status is NashStatus.PARTIAL and not result.complete
    assert result.algebraic_equilibria == () and len(result) == 2
    assert any("max_degree=1" in note for note in result.notes)


def test_solver_source_has_no_numeric_guessing():
    for module in (sen, algebraic):
        source = inspect.getsource(module)
        assert "nsimplify" not in source and "evalf" not in source and "sympy.N(" not in source


def test_systems_not_in_shape_position_use_a_separating_form():
    x, y = sympy.symbols("x y")
    system = sen._solve_system([x ** 2 - 2, y ** 2 - 3], [x, y], 32, None)
    assert len(system.points) == 4 and not system.unsolved and not system.continua
    for p in system.points:
        assert p.root.sign_of(p.coords[x] ** 2 - 2) == 0 and p.root.sign_of(p.coords[y] ** 2 - 3) == 0
    signs = {(p.root.sign_of(p.coords[x]), p.root.sign_of(p.coords[y])) for p in system.points}
    assert signs == {(1, 1), (1, -1), (-1, 1), (-1, -1)}


def test_non_radical_systems_are_made_radical_first(monkeypatch):
    calls = []
    original = sen._radical
    monkeypatch.setattr(sen, "_radical", lambda *args: calls.append(args) or original(*args))
    x, y = sympy.symbols("x y")
    system = sen._solve_system([x ** 2, y ** 2, x * y], [x, y], 32, None)
    assert calls and len(system.points) == 1
    (p,) = system.points
    assert p.root.sign_of(p.coords[x]) == 0 and p.root.sign_of(p.coords[y]) == 0


def test_isolated_irrational_solutions_next_to_a_continuum_are_recovered_exactly():
    x, y = sympy.symbols("x y")
    system = sen._solve_system([x * (x ** 2 - 2), x * (y - 1)], [x, y], 32, None)
    assert system.continua and not system.unsolved
    assert len(system.points) == 2
    for p in system.points:
        assert p.root.sign_of(p.coords[x] ** 2 - 2) == 0 and p.root.sign_of(p.coords[y] - 1) == 0
