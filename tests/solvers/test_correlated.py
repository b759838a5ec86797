"""CE / CCE LPs: known optima (Chicken, Shapley's game), selection objectives, certificates, exact vs float."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, strategies as st

from jalverify.errors import CertificateError, GameTooLarge, InvalidGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import (
    CorrelatedProfile,
    MixedProfile,
    is_coarse_correlated_equilibrium,
    is_correlated_equilibrium,
)
from jalverify.solvers.correlated import (
    correlated_constraints,
    correlated_polytope_vertices,
    correlated_solve,
)
from jalverify.strategies import normal_form_games

# Chicken with actions (dare, chicken): crash 0/0, dare vs chicken 7/2, both chicken 6/6 (Aumann 1974)
CHICKEN = NormalFormGame.bimatrix([[0, 7], [2, 6]], [[0, 2], [7, 6]])
# Shapley's (1964) 3x3 game: unique Nash equilibrium uniform with payoffs 1/3 each
SHAPLEY = NormalFormGame.bimatrix([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[0, 1, 0], [0, 0, 1], [1, 0, 0]])
PD = NormalFormGame.bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])


def games(max_players: int = 3, max_actions: int = 3, low: int = -3, high: int = 3):
    """The library's normal-form games with 1..max_players players, 1..max_actions actions, payoffs in [low, high]."""
    return normal_form_games(players=st.integers(1, max_players), actions=st.integers(1, max_actions),
                             payoffs=(low, high))


def test_chicken_utilitarian_optimum():
    r = correlated_solve(CHICKEN, objective="utilitarian")
    assert r.objective_value == F(21, 2) and r.payoffs == (F(21, 4), F(21, 4))
    assert r.distribution.distribution.tolist() == [[0, F(1, 4)], [F(1, 4), F(1, 2)]]
    assert r.certificate.verify(CHICKEN, (r.distribution,))


def test_aumann_ce_of_chicken_is_a_ce_with_payoff_five():
    third = F(1, 3)
    x = CorrelatedProfile(CHICKEN, [[0, third], [third, third]])
    assert is_correlated_equilibrium(CHICKEN, x)
    # but it is not on the welfare frontier: the uCE gives 21/2 > 10
    assert correlated_solve(CHICKEN).objective_value > 10


def test_chicken_polytope_has_five_vertices():
    # Nau, Gomez Canovas & Hansen (2004): the CE polytope of Chicken has 5 vertices: 2 pure NE, the mixed NE,
    # and two more
    verts = correlated_polytope_vertices(CHICKEN)
    got = {tuple(v.distribution.reshape(-1).tolist()) for v in verts}
    assert got == {
        (0, 0, 1, 0), (0, 1, 0, 0), (F(1, 9), F(2, 9), F(2, 9), F(4, 9)),
        (0, F(1, 4), F(1, 4), F(1, 2)), (F(1, 5), F(2, 5), F(2, 5), 0),
    }
    for v in verts:
        assert is_correlated_equilibrium(CHICKEN, v)


def test_shapley_game():
    r = correlated_solve(SHAPLEY, objective="utilitarian")
    assert r.objective_value == 1
    e = correlated_solve(SHAPLEY, objective="egalitarian")
    assert e.objective_value == F(1, 2)
    sixth = F(1, 6)
    x = CorrelatedProfile(SHAPLEY, [[sixth, sixth, 0], [0, sixth, sixth], [sixth, 0, sixth]])
    assert is_correlated_equilibrium(SHAPLEY, x)
    # the Nash equilibrium payoff 1/3 is below the egalitarian CE payoff
    nash = MixedProfile(SHAPLEY, [[F(1, 3)] * 3, [F(1, 3)] * 3])
    assert is_correlated_equilibrium(SHAPLEY, nash.to_correlated())


def test_prisoners_dilemma_ce_is_defection():
    for coarse in (False, True):
        r = correlated_solve(PD, coarse=coarse)
        assert r.distribution.distribution.tolist() == [[0, 0], [0, 1]]


def test_republican_tie_break_lowest_player():
    r = correlated_solve(CHICKEN, objective="republican")
    assert r.objective_value == 7 and r.selected_player == 0 and r.payoffs[0] == 7


def test_libertarian_per_agent_and_not_a_ce_in_general():
    r = correlated_solve(CHICKEN, objective="libertarian")
    assert r.distribution is None and r.objective_value == (7, 7)
    assert "not a CE" in r.note
    d0, d1 = r.agent_distributions
    assert d0.distribution.tolist() == [[0, 1], [0, 0]]
    assert d1.distribution.tolist() == [[0, 0], [1, 0]]


@pytest.mark.parametrize("objective", ["utilitarian", "egalitarian", "republican", None])
def test_lexicographic_tie_break_is_lexmax_of_optimal_face(objective):
    r = correlated_solve(CHICKEN, objective=objective, tie_break="lexicographic")
    assert r.certificate.verify(CHICKEN, (r.distribution,))
    # lexicographic maximiser: among optimal vertices, the lexicographically greatest one (faces are hulls of
    # vertices, and the lex-max of a polytope is a vertex)
    verts = correlated_polytope_vertices(CHICKEN)
    P = CHICKEN.payoffs.reshape(2, -1)

    def score(x):
        u = [sum(p * q for p, q in zip(P[i], x)) for i in range(2)]
        return {"utilitarian": sum(u), "egalitarian": min(u), "republican": u[r.selected_player or 0],
                None: 0}[objective]

    flat = [tuple(v.distribution.reshape(-1).tolist()) for v in verts]
    best = max(score(x) for x in flat)
    assert tuple(r.distribution.distribution.reshape(-1).tolist()) == max(x for x in flat if score(x) == best)


def test_cce_contains_ce():
    verts = correlated_polytope_vertices(CHICKEN)
    for v in verts:
        assert is_coarse_correlated_equilibrium(CHICKEN, v)
    r = correlated_solve(CHICKEN, coarse=True)
    assert r.objective_value >= correlated_solve(CHICKEN).objective_value
    assert r.certificate.verify(CHICKEN, (r.distribution,))


def test_tampered_certificate_rejected():
    r = correlated_solve(CHICKEN)
    bad = CorrelatedProfile(CHICKEN, [[0, 0], [0, 1]])  # (chicken, chicken) is not a CE
    with pytest.raises(CertificateError, match="gain"):
        r.certificate.verify(CHICKEN, (bad,))
    from dataclasses import replace

    lp_cert = r.certificate.lp_certificates[0]
    tampered = replace(r.certificate, lp_certificates=(replace(lp_cert, objective=F(11)),))
    with pytest.raises(CertificateError):
        tampered.verify(CHICKEN, (r.distribution,))
    float_result = correlated_solve(CHICKEN, field="float")
    with pytest.raises(CertificateError):
        float_result.certificate.verify(CHICKEN, (float_result.distribution,))


def test_bad_arguments():
    with pytest.raises(InvalidGame, match="objective"):
        correlated_solve(CHICKEN, objective="welfare")
    with pytest.raises(InvalidGame, match="tie_break"):
        correlated_solve(CHICKEN, tie_break="random")
    with pytest.raises(GameTooLarge, match="limit"):
        correlated_polytope_vertices(NormalFormGame(np.zeros((2, 3, 3), dtype=int)))


def test_constraint_rows_match_gains():
    (m, N), rows, cols, vals = correlated_constraints(SHAPLEY)
    assert (m, N) == (12, 9)
    (m, N), *_ = correlated_constraints(SHAPLEY, coarse=True)
    assert (m, N) == (6, 9)


@given(games())
def test_exact_and_float_agree_and_certify(game):
    for objective in ("utilitarian", "egalitarian"):
        r = correlated_solve(game, objective=objective)
        assert r.certificate.verify(game, (r.distribution,))
        rf = correlated_solve(game, objective=objective, field="float")
        assert abs(float(r.objective_value) - rf.objective_value) <= 1e-6


@given(games(max_players=2, max_actions=2))
def test_optimum_is_attained_at_a_vertex(game):
    verts = correlated_polytope_vertices(game)
    P = game.payoffs.reshape(game.n_players, -1)
    best = max(sum(sum(p * q for p, q in zip(P[i], v.distribution.reshape(-1))) for i in range(game.n_players))
               for v in verts)
    assert correlated_solve(game).objective_value == best


@given(games(max_players=2, max_actions=3))
def test_cce_welfare_at_least_ce_welfare(game):
    assert correlated_solve(game, coarse=True).objective_value >= correlated_solve(game).objective_value


def test_rational_payoffs_scale_the_optimum():
    scaled = NormalFormGame(CHICKEN.payoffs * F(1, 3) + F(1, 7))
    for objective in ("utilitarian", "egalitarian", "republican"):
        a = correlated_solve(CHICKEN, objective=objective)
        b = correlated_solve(scaled, objective=objective)
        shift = F(2, 7) if objective == "utilitarian" else F(1, 7)
        assert b.objective_value == a.objective_value / 3 + shift
        assert b.certificate.verify(scaled, (b.distribution,))
    lib = correlated_solve(scaled, objective="libertarian")
    assert lib.objective_value == (F(7, 3) + F(1, 7),) * 2


def test_long_denominators_stay_exact():
    # Q-value-like payoffs with huge denominators: no integer scaling overflow, still certified
    big = F(1, 3 ** 60)
    game = NormalFormGame(CHICKEN.payoffs * big + F(1, 7 ** 40))
    r = correlated_solve(game)
    assert r.objective_value == F(21, 2) * big + 2 * F(1, 7 ** 40)
    assert r.certificate.verify(game, (r.distribution,))
