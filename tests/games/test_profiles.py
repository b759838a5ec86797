"""Profiles: validation, known answers from the literature, and exact-vs-float agreement on generated games."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalverify.errors import InvalidProfile
from jalverify.games import (
    CorrelatedProfile,
    MixedProfile,
    catalog,
    cce_gains,
    ce_gains,
    deviation_payoffs,
    expected_payoffs,
    is_coarse_correlated_equilibrium,
    is_correlated_equilibrium,
    is_nash,
    max_cce_gain,
    max_ce_gain,
    max_regret,
    regrets,
)
from jalverify.strategies import correlated_profiles, mixed_profiles, normal_form_games

F = Fraction
THIRD = F(1, 3)


# --- known answers ------------------------------------------------------------------------------------------------
def test_rps_uniform_profile_has_max_regret_exactly_zero():
    g = catalog.load("rock_paper_scissors")
    sigma = MixedProfile(g, [[THIRD] * 3, [THIRD] * 3])
    assert max_regret(g, sigma) == 0 and isinstance(max_regret(g, sigma), Fraction)
    assert is_nash(g, sigma)
    assert expected_payoffs(g, sigma).tolist() == [0, 0]


def test_rps_pure_rock_has_regret_one_against_rock():
    g = catalog.load("rock_paper_scissors")
    sigma = MixedProfile.pure(g, ["rock", "rock"])
    assert [r.tolist() for r in regrets(g, sigma)] == [[0, 1, -1], [0, 1, -1]]
    assert max_regret(g, sigma) == 1 and not is_nash(g, sigma)


def test_prisoners_dilemma_cooperation_has_regret_exactly_two():
    g = catalog.load("prisoners_dilemma")
    cc = MixedProfile.pure(g, ["cooperate", "cooperate"])
    assert max_regret(g, cc) == 2
    assert regrets(g, cc)[0].tolist() == [0, 2]
    dd = MixedProfile.pure(g, ["defect", "defect"])
    assert max_regret(g, dd) == 0 and expected_payoffs(g, dd).tolist() == [1, 1]


def test_battle_of_the_sexes_mixed_equilibrium():
    g = catalog.load("battle_of_the_sexes")
    sigma = MixedProfile(g, [[F(2, 3), THIRD], [THIRD, F(2, 3)]])
    assert max_regret(g, sigma) == 0
    assert expected_payoffs(g, sigma).tolist() == [F(2, 3), F(2, 3)]


def test_chicken_correlated_equilibrium_pays_five_and_is_not_nash():
    g = catalog.load("chicken")
    x = CorrelatedProfile(g, [[0, THIRD], [THIRD, THIRD]])
    assert expected_payoffs(g, x).tolist() == [5, 5]
    assert max_ce_gain(g, x) == 0 and is_correlated_equilibrium(g, x)
    assert [m.tolist() for m in x.marginals()] == [[THIRD, F(2, 3)], [THIRD, F(2, 3)]]
    # the product of its marginals is the mixed Nash equilibrium of chicken
    assert max_regret(g, MixedProfile(g, x.marginals())) == 0
    # CE gains: recommendation 'swerve' -> deviation 'straight' gains 1/3 * (0 - 2) + 1/3 * (7 - 6) = -1/3
    assert ce_gains(g, x)[0][1, 0] == F(-1, 3)


def test_cce_is_weaker_than_ce():
    # a CCE that is not a CE: rock-paper-scissors with mass 1/3 on each tie
    g = catalog.load("rock_paper_scissors")
    x = CorrelatedProfile(g, np.diag([THIRD] * 3).astype(object))
    assert max_cce_gain(g, x) == 0 and is_coarse_correlated_equilibrium(g, x)
    assert max_ce_gain(g, x) == THIRD and not is_correlated_equilibrium(g, x)


def test_shapley_and_jordan_games_have_uniform_equilibria():
    g = catalog.load("shapley_3x3")
    assert max_regret(g, MixedProfile(g, [[THIRD] * 3] * 2)) == 0
    j = catalog.load("three_player_matching_pennies")
    half = [F(1, 2)] * 2
    assert max_regret(j, MixedProfile(j, [half] * 3)) == 0
    assert max_regret(j, MixedProfile.pure(j, [0, 0, 0])) > 0


@pytest.mark.parametrize("q", [F(2, 3), F(3, 4), F(9, 10), F(1)])
def test_degenerate_game_has_a_continuum_of_equilibria(q):
    g = catalog.load("degenerate_3x2")
    assert max_regret(g, MixedProfile(g, [[1, 0, 0], [q, 1 - q]])) == 0


def test_degenerate_continuum_ends_at_two_thirds():
    g = catalog.load("degenerate_3x2")
    assert max_regret(g, MixedProfile(g, [[1, 0, 0], [F(13, 20), F(7, 20)]])) == F(1, 20)


def test_coordination_equilibria_on_common_supports():
    g = catalog.load("coordination")
    for support in ([0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]):
        d = [F(1, len(support)) if a in support else 0 for a in range(3)]
        assert max_regret(g, MixedProfile(g, [d, d])) == 0


def test_stag_hunt_equilibria():
    g = catalog.load("stag_hunt")
    assert max_regret(g, MixedProfile.pure(g, ["stag", "stag"])) == 0
    assert max_regret(g, MixedProfile.pure(g, ["hare", "hare"])) == 0
    assert max_regret(g, MixedProfile.pure(g, ["stag", "hare"])) == 3


def test_deviation_payoffs():
    g = catalog.load("prisoners_dilemma")
    sigma = MixedProfile(g, [[F(1, 2), F(1, 2)], [F(1, 4), F(3, 4)]])
    assert deviation_payoffs(g, sigma, "row").tolist() == [F(3, 4), F(2)]
    assert deviation_payoffs(g, sigma, 1).tolist() == [F(3, 2), F(3)]


# --- validation -----------------------------------------------------------------------------------------------------
def test_profile_validation_messages():
    g = catalog.load("prisoners_dilemma")
    with pytest.raises(InvalidProfile, match=r"MixedProfile\(\): 1 distributions for 2 players"):
        MixedProfile(g, [[1, 0]])
    with pytest.raises(InvalidProfile, match=r"MixedProfile\(\) player 'column': probabilities sum to 4/5, expected 1"):
        MixedProfile(g, [[1, 0], ["1/2", "3/10"]])
    with pytest.raises(InvalidProfile, match=r"MixedProfile\(\) player 'row': probability at 0 is negative: -1"):
        MixedProfile(g, [[-1, 2], [1, 0]])
    with pytest.raises(InvalidProfile, match=r"MixedProfile\(\) player 'row': expected 2 probabilities, got shape \(3,\)"):
        MixedProfile(g, [[1, 0, 0], [1, 0]])
    with pytest.raises(InvalidProfile, match=r"CorrelatedProfile\(\): expected \(2, 2\) probabilities, got shape \(4,\)"):
        CorrelatedProfile(g, [F(1, 4)] * 4)
    with pytest.raises(InvalidProfile, match=r"CorrelatedProfile\(\): probabilities sum to 3/4, expected 1"):
        CorrelatedProfile(g, [[F(1, 4)] * 2, [F(1, 4), 0]])
    with pytest.raises(InvalidProfile, match=r"CorrelatedProfile\(\): probability at \(1, 0\) is negative: -1/4"):
        CorrelatedProfile(g, [[F(1, 2), F(1, 2)], [F(-1, 4), F(1, 4)]])


def test_profiles_of_another_game_are_refused():
    g = catalog.load("prisoners_dilemma")
    h = catalog.load("stag_hunt")
    with pytest.raises(InvalidProfile, match="the profile belongs to a different game"):
        max_regret(h, MixedProfile.pure(g, [0, 0]))


def test_float_profiles_need_the_float_field():
    g = catalog.load("matching_pennies")
    with pytest.raises(Exception, match=r"float 0\.5 refused"):
        MixedProfile(g, [[0.5, 0.5], [1, 0]])
    gf = g.to_field("float")
    assert max_regret(gf, MixedProfile(gf, [[0.5, 0.5], [0.5, 0.5]])) == pytest.approx(0.0, abs=1e-12)


# --- exact vs float on generated games ---------------------------------------------------------------------------
@st.composite
def games_with_profiles(draw):
    """Small n-player games (the library's: 1–3 players, 1–3 actions, integer payoffs in [-5, 5]) with a mixed
    and a correlated profile (exact, from weights up to 4)."""
    game = draw(normal_form_games(players=st.integers(1, 3), payoffs=(-5, 5)))
    return game, draw(mixed_profiles(game)), draw(correlated_profiles(game))


def _as_float(game, profile):
    gf = game.to_field("float")
    if isinstance(profile, MixedProfile):
        return gf, MixedProfile(gf, [d.astype(np.float64) for d in profile.distributions])
    return gf, CorrelatedProfile(gf, profile.distribution.astype(np.float64))


@given(games_with_profiles())
def test_exact_results_are_fractions_and_float_agrees_within_tolerance(case):
    game, mixed, correlated = case
    gf, mf = _as_float(game, mixed)
    _, cf = _as_float(game, correlated)
    exact = expected_payoffs(game, mixed)
    assert all(isinstance(v, Fraction) for v in exact.tolist())
    assert np.allclose(expected_payoffs(gf, mf).astype(float), [float(v) for v in exact], atol=1e-9)
    for re, rf in zip(regrets(game, mixed), regrets(gf, mf)):
        assert all(isinstance(v, Fraction) for v in re.tolist())
        assert np.allclose(rf, [float(v) for v in re], atol=1e-9)
    assert abs(float(max_regret(game, mixed)) - max_regret(gf, mf)) <= 1e-9
    for ge, gfl in zip(ce_gains(game, correlated), ce_gains(gf, cf)):
        assert all(isinstance(v, Fraction) for v in ge.reshape(-1).tolist())
        assert np.allclose(gfl, ge.astype(float), atol=1e-9)
    for ge, gfl in zip(cce_gains(game, correlated), cce_gains(gf, cf)):
        assert np.allclose(gfl, ge.astype(float), atol=1e-9)
    assert abs(float(max_ce_gain(game, correlated)) - max_ce_gain(gf, cf)) <= 1e-9


@given(games_with_profiles())
def test_regret_identities(case):
    """Σ_a σ_i(a) regret_i(a) = 0 exactly, max_regret >= 0, and CCE gains are column sums of CE gains."""
    game, mixed, correlated = case
    for i, r in enumerate(regrets(game, mixed)):
        assert sum(p * x for p, x in zip(mixed.distributions[i].tolist(), r.tolist())) == 0
    assert max_regret(game, mixed) >= 0
    for ce, cce in zip(ce_gains(game, correlated), cce_gains(game, correlated)):
        assert cce.tolist() == ce.sum(axis=0).tolist()
        assert all(ce[k, k] == 0 for k in range(ce.shape[0]))
    # a mixed profile's CE gains, computed on its product distribution, are >= its regrets' positive part
    # only in aggregate: the CCE gain of deviation a equals the regret of a (both are U_i(a, σ_-i) - U_i(σ))
    product = mixed.to_correlated()
    for r, cce in zip(regrets(game, mixed), cce_gains(game, product)):
        assert r.tolist() == cce.tolist()
