"""Hypothesis properties of the two-player Nash solvers on generated games, degenerate ones on purpose.

Soundness (exact regret 0), completeness cross-checks between two independent exact methods (pivoting vertex
enumeration vs. brute-force support/best-response enumeration), Lemke–Howson, pure and equal-support
enumeration ⊆ vertex enumeration, Nash subsets convex, float variants near the exact answers.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile, is_nash, max_regret
from jalverify.solvers.nash import (
    NashStatus,
    is_degenerate,
    lemke_howson_solve,
    pure_nash_solve,
    support_enumeration_solve,
    vertex_enumeration_solve,
)


def eq_set(result):
    return {tuple(tuple(d.tolist()) for d in e.distributions) for e in result.equilibria}


@st.composite
def bimatrix_games(draw, max_actions: int = 4):
    """Two-player games with shapes 1..max_actions and payoffs in -3..3; half of them made degenerate by
    construction (duplicate rows/columns, constant columns/rows of one player's payoffs, ties)."""
    m = draw(st.integers(1, max_actions))
    n = draw(st.integers(1, max_actions))
    entries = st.integers(-3, 3)
    A = np.array(draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=m, max_size=m)), dtype=object)
    B = np.array(draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=m, max_size=m)), dtype=object)
    kind = draw(st.sampled_from(["generic", "duplicate_row", "duplicate_column", "constant_column",
                                 "constant_row", "tie"]))
    if kind == "duplicate_row" and m > 1:
        r, s = draw(st.permutations(range(m)))[:2]
        A[s], B[s] = A[r].copy(), B[r].copy()
    elif kind == "duplicate_column" and n > 1:
        r, s = draw(st.permutations(range(n)))[:2]
        A[:, s], B[:, s] = A[:, r].copy(), B[:, r].copy()
    elif kind == "constant_column":
        j = draw(st.integers(0, n - 1))
        A[:, j] = draw(entries)  # the row player is indifferent against column j
    elif kind == "constant_row":
        i = draw(st.integers(0, m - 1))
        B[i, :] = draw(entries)  # the column player is indifferent against row i
    elif kind == "tie":
        i, j = draw(st.integers(0, m - 1)), draw(st.integers(0, n - 1))
        i2, j2 = draw(st.integers(0, m - 1)), draw(st.integers(0, n - 1))
        A[i, j] = A[i2, j]
        B[i, j] = B[i, j2]
    return NormalFormGame.bimatrix(A.tolist(), B.tolist())


@given(bimatrix_games())
def test_nash_soundness_vertex_enumeration(game):
    result = vertex_enumeration_solve(game)
    assert result.status is NashStatus.COMPLETE and result.complete
    assert len(result) >= 1  # Nash (1951): every finite game has an equilibrium
    for profile, certificate in zip(result.equilibria, result.certificates):
        assert certificate == 0 and max_regret(game, profile) == 0


@given(bimatrix_games())
def test_nash_completeness_vertex_vs_all_supports(game):
    # two independent exact methods must list the same extreme equilibria, degenerate games included
    assert eq_set(vertex_enumeration_solve(game)) == eq_set(support_enumeration_solve(game, supports="all"))


@given(bimatrix_games(max_actions=5))
def test_nash_vertex_enumeration_one_polytope_equals_both(game):
    # P-then-faces-of-Q (with exact degenerate-face enumeration) vs. pairing the vertices of P and Q
    one = vertex_enumeration_solve(game)
    both = vertex_enumeration_solve(game, polytopes="both")
    assert eq_set(one) == eq_set(both)

    def shape(result):
        return sorted((len(c.nash_subsets), len(c.equilibrium_indices)) for c in result.components)

    assert shape(one) == shape(both)


@given(bimatrix_games())
def test_nash_lemke_howson_subset_of_vertex_enumeration(game):
    lh = lemke_howson_solve(game)
    assert lh.complete is False and len(lh) >= 1
    assert eq_set(lh) <= eq_set(vertex_enumeration_solve(game))


@given(bimatrix_games())
def test_nash_pure_subset_of_vertex_enumeration(game):
    pure = pure_nash_solve(game)
    everything = eq_set(vertex_enumeration_solve(game))
    assert eq_set(pure) <= everything
    # and every pure extreme equilibrium is found by the pure method
    assert eq_set(pure) == {e for e in everything if all(max(d) == 1 for d in e)}


@given(bimatrix_games())
def test_nash_equal_supports_never_claims_completeness_wrongly(game):
    equal = support_enumeration_solve(game)
    everything = eq_set(vertex_enumeration_solve(game))
    assert eq_set(equal) <= everything
    assert equal.complete == (not is_degenerate(game))
    if equal.complete:
        assert eq_set(equal) == everything
        assert len(everything) % 2 == 1  # nondegenerate games have an odd number of equilibria (Shapley 1974)


@given(bimatrix_games(max_actions=3), st.fractions(0, 1))
def test_nash_subsets_are_convex_sets_of_equilibria(game, t):
    result = vertex_enumeration_solve(game)
    listed = set()
    for component in result.components:
        listed.update(component.equilibrium_indices)
        for subset in component.nash_subsets:
            xs, ys = subset.row_strategies, subset.column_strategies
            x = t * xs[0] + (1 - t) * xs[-1]
            y = (1 - t) * ys[0] + t * ys[-1]
            assert is_nash(game, MixedProfile(game, [x, y]))
    assert listed == set(range(len(result)))


@given(bimatrix_games())
def test_nash_float_variants_agree_with_exact(game):
    exact = vertex_enumeration_solve(game)
    float_game = game.to_field("float")
    for result in (support_enumeration_solve(float_game, supports="all"), lemke_howson_solve(float_game)):
        assert all(c <= result.tolerance for c in result.certificates)
        for profile in result.equilibria:
            # every float equilibrium is close to an exact extreme equilibrium
            dist = min(
                max(float(np.max(np.abs(np.asarray(d, dtype=float) - np.asarray(e, dtype=float))))
                    for d, e in zip(profile.distributions, ex.distributions))
                for ex in exact.equilibria
            )
            assert dist < 1e-6
    assert len(support_enumeration_solve(float_game, supports="all")) == len(exact)


def test_fractions_survive_scaling():
    # rational payoffs with different denominators per player
    game = NormalFormGame.bimatrix([["1/2", "1/3"], ["0", "5/7"]], [["2/9", "0"], ["1/5", "3"]])
    assert eq_set(vertex_enumeration_solve(game)) == eq_set(support_enumeration_solve(game, supports="all"))
    assert all(isinstance(p, Fraction) for e in vertex_enumeration_solve(game).equilibria for d in e.distributions
               for p in d)


@given(bimatrix_games(), st.data())
def test_nash_fast_bimatrix_regret_equals_profile_max_regret(game, data):
    from jalverify.solvers.nash.result import BimatrixRegret

    def dist(k):
        weights = data.draw(st.lists(st.integers(0, 5), min_size=k, max_size=k).filter(any))
        return [Fraction(w, sum(weights)) for w in weights]

    profile = MixedProfile(game, [dist(game.n_actions[0]), dist(game.n_actions[1])])
    assert BimatrixRegret.of_game(game).max_regret(profile) == max_regret(game, profile)
