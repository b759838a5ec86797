"""Known equilibrium sets of the catalog games (the notes of each catalog entry state them)."""

from __future__ import annotations

from fractions import Fraction as F
from itertools import combinations

import pytest

from jalverify.games import catalog
from jalverify.games.profiles import MixedProfile, is_nash
from jalverify.solvers.nash import NashStatus, nash_solve, support_enumeration_n_solve


def eq_set(result):
    return {tuple(tuple(d.tolist()) for d in e.distributions) for e in result.equilibria}


def point(*dists):
    return tuple(tuple(F(p) for p in d) for d in dists)


def test_shapley_3x3_unique_uniform():
    third = [F(1, 3)] * 3
    assert eq_set(nash_solve(catalog.load("shapley_3x3"))) == {point(third, third)}


def test_three_player_matching_pennies_unique_uniform():
    half = [F(1, 2)] * 2
    result = support_enumeration_n_solve(catalog.load("three_player_matching_pennies"))
    assert result.status is NashStatus.COMPLETE and eq_set(result) == {point(half, half, half)}


def test_chicken_two_pure_and_one_mixed():
    game = catalog.load("chicken")
    straight = game.actions[0].index("straight")
    mixed = [F(2, 3), F(2, 3)]
    mixed[straight] = F(1, 3)
    found = eq_set(nash_solve(game))
    assert len(found) == 3 and point(mixed, mixed) in found


def test_stag_hunt():
    game = catalog.load("stag_hunt")
    assert eq_set(nash_solve(game)) == {point([1, 0], [1, 0]), point([0, 1], [0, 1]),
                                        point([F(3, 4), F(1, 4)], [F(3, 4), F(1, 4)])}


def test_coordination_3x3_has_seven_equilibria():
    expected = set()
    for size in (1, 2, 3):
        for support in combinations(range(3), size):
            d = [F(1, size) if a in support else F(0) for a in range(3)]
            expected.add(point(d, d))
    assert eq_set(nash_solve(catalog.load("coordination"))) == expected


@pytest.mark.parametrize("field", ["exact", "float"])
def test_degenerate_3x2_continuum(field):
    game = catalog.load("degenerate_3x2").to_field(field)
    result = nash_solve(game, field=field)
    segments = [c for c in result.components if not c.is_isolated]
    assert len(segments) == 1
    (subset,) = segments[0].nash_subsets
    left = game.actions[1].index("left")
    qs = sorted(float(y[left]) for y in subset.column_strategies)
    assert qs == pytest.approx([2 / 3, 1.0])
    if field == "exact":
        top = MixedProfile(game, [[1, 0, 0], [F(5, 6), F(1, 6)]])
        assert is_nash(game, top)
