"""The one exact bimatrix regret check, :class:`jalverify.solvers.nash.result.BimatrixRegret`, against the
definition (:func:`jalverify.games.profiles.max_regret` in Fractions) on generated games and profiles: small
payoffs and vectors (int64 products), payoffs or vectors beyond int64 (Python-integer products), an all-zero
matrix with huge vectors, and rational payoffs; and Lemke–Howson and :func:`certify_profiles` through it."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalverify.errors import SolverError
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile, max_regret
from jalverify.solvers.nash.lemke_howson import lemke_howson_solve
from jalverify.solvers.nash.result import BimatrixRegret, certify_profiles

SMALL = settings(max_examples=80, deadline=None)

MAGNITUDES = st.sampled_from([3, 2**10, 2**20, 2**31, 2**40, 2**62, 2**63, 2**70])


@st.composite
def games_and_vectors(draw):
    m, n = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    big = draw(MAGNITUDES)
    entries = st.one_of(st.integers(-3, 3), st.sampled_from([big, -big, big - 1]), st.integers(-big, big))
    if draw(st.booleans()):
        A = [[0] * n for _ in range(m)]  # all zero: the bound must still keep huge vectors out of int64
    else:
        A = draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=m, max_size=m))
    B = draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=m, max_size=m))
    la, lb = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    vbig = draw(MAGNITUDES)
    parts = st.one_of(st.integers(0, 3), st.just(vbig), st.integers(0, vbig))
    X = draw(st.lists(parts, min_size=m, max_size=m).filter(any))
    Y = draw(st.lists(parts, min_size=n, max_size=n).filter(any))
    return A, la, B, lb, X, Y


@SMALL
@given(games_and_vectors())
def test_integer_regret_equals_the_definition(case):
    A, la, B, lb, X, Y = case
    game = NormalFormGame.bimatrix([[Fraction(v, la) for v in row] for row in A],
                                   [[Fraction(v, lb) for v in row] for row in B])
    profile = MixedProfile(game, [[Fraction(v, sum(X)) for v in X], [Fraction(v, sum(Y)) for v in Y]])
    expected = max_regret(game, profile)
    check = BimatrixRegret(A, la, B, lb)
    assert check.of_integers(X, Y) == expected
    assert check.max_regret(profile) == expected
    assert BimatrixRegret.of_game(game).max_regret(profile) == expected
    # the same vectors scaled: the same profile, so the same regret (possibly on the other representation)
    assert check.of_integers([v * 2**40 for v in X], [v * 3 for v in Y]) == expected


@pytest.mark.parametrize("amax, vector", [
    (0, 2**70),           # zero payoffs, vectors beyond int64
    (2**40, 2**11),       # products about 2**52, in int64
    (2**62, 1),           # max|A| times the sum of Y is 2**64: beyond int64 although every factor fits
    (2**61, 1),           # 2**63: one beyond the largest int64
    (2**61 - 1, 1),       # just below it
    (2**60, 2**60),       # vectors near the int64 bound
    (2**63, 1),           # a payoff beyond int64
])
def test_integer_regret_at_the_int64_bound(amax, vector):
    A = [[amax, -amax, 1], [0, amax - 1, -3], [amax, amax, amax]]  # the last row's product reaches the bound
    B = [[-amax, 2, amax], [5, 0, -amax], [1, 1, amax]]
    X, Y = [vector, vector + 1, 1], [vector, 1, vector - 1 if vector > 1 else 2]
    game = NormalFormGame.bimatrix(A, B)
    profile = MixedProfile(game, [[Fraction(v, sum(X)) for v in X], [Fraction(v, sum(Y)) for v in Y]])
    assert BimatrixRegret(A, 1, B, 1).of_integers(X, Y) == max_regret(game, profile)


@SMALL
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**32), st.data())
def test_lemke_howson_and_certify_profiles_agree(m, n, seed, data):
    rng = np.random.default_rng(seed)
    game = NormalFormGame.bimatrix(rng.integers(-5, 6, (m, n)).tolist(), rng.integers(-5, 6, (m, n)).tolist())
    result = lemke_howson_solve(game)
    profiles, certificates = certify_profiles(game, result.equilibria, method="test", field=game.field)
    assert certificates == result.certificates == (0,) * len(result.equilibria)
    assert all(max_regret(game, p) == 0 for p in profiles)
    # a profile that is not an equilibrium is refused with its regret
    x = data.draw(st.lists(st.integers(0, 3), min_size=m, max_size=m).filter(any))
    y = data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n).filter(any))
    profile = MixedProfile(game, [[Fraction(v, sum(x)) for v in x], [Fraction(v, sum(y)) for v in y]])
    regret = max_regret(game, profile)
    if regret != 0:
        with pytest.raises(SolverError, match=f"has max regret {regret} "):
            certify_profiles(game, [profile], method="test", field=game.field)
