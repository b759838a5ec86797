"""Equilibrium selection rules: welfare, egalitarian, Pareto filter, lexicographic tie-break; determinism."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import given, strategies as st

from jalverify.errors import InvalidProfile
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import CorrelatedProfile, MixedProfile
from jalverify.numbers import FLOAT
from jalverify.solvers.selection import (
    Candidate,
    candidates_from,
    egalitarian_welfare,
    lexicographic_first,
    pareto_dominates,
    pareto_filter,
    select_equilibrium,
    utilitarian_welfare,
)

# Battle of the Sexes: pure NE (0,0) -> (3,2), (1,1) -> (2,3); mixed NE with payoffs (6/5, 6/5)
BOS = NormalFormGame.bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
BOS_NE = [
    MixedProfile.pure(BOS, (0, 0)),
    MixedProfile.pure(BOS, (1, 1)),
    MixedProfile(BOS, [[F(3, 5), F(2, 5)], [F(2, 5), F(3, 5)]]),
]
# Stag Hunt: (stag, stag) -> (4,4), (hare, hare) -> (3,3)
STAG = NormalFormGame.bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]])


def test_welfare_functions():
    assert utilitarian_welfare((F(1, 2), 3)) == F(7, 2)
    assert egalitarian_welfare((F(1, 2), 3)) == F(1, 2)
    assert pareto_dominates((2, 3), (2, 2)) and not pareto_dominates((2, 2), (2, 2))
    assert not pareto_dominates((3, 1), (1, 3))


def test_battle_of_sexes_ties_broken_lexicographically():
    cands = candidates_from(BOS_NE)
    assert cands[2].payoffs == (F(6, 5), F(6, 5))
    assert [c.profile for c in pareto_filter(cands)] == BOS_NE[:2]
    for rule in ("utilitarian", "egalitarian", "pareto"):
        s = select_equilibrium(BOS_NE, rule)
        assert s.index == 0 and s.ties == 2
    # same answer whatever the order of the candidates: the rule depends on the set only
    assert select_equilibrium(BOS_NE[::-1], "utilitarian").candidate.profile == BOS_NE[0]


def test_stag_hunt_payoff_dominant_selected():
    ne = [MixedProfile.pure(STAG, (1, 1)), MixedProfile.pure(STAG, (0, 0)),
          MixedProfile(STAG, [[F(3, 4), F(1, 4)], [F(3, 4), F(1, 4)]])]
    assert select_equilibrium(ne, "utilitarian").index == 1
    assert select_equilibrium(ne, "egalitarian").index == 1


def test_egalitarian_differs_from_utilitarian():
    cands = [Candidate(None, (10, 0)), Candidate(None, (4, 4))]
    assert select_equilibrium(cands, "utilitarian").index == 0
    assert select_equilibrium(cands, "egalitarian").index == 1


def test_correlated_profiles_and_pure_wins_ties():
    game = NormalFormGame.bimatrix([[1, 1], [1, 1]], [[1, 1], [1, 1]])
    a = CorrelatedProfile(game, [[F(1, 2), 0], [0, F(1, 2)]])
    b = CorrelatedProfile(game, [[1, 0], [0, 0]])
    assert lexicographic_first(candidates_from([a, b])).profile is b


def test_float_tolerance_in_ties():
    game = NormalFormGame.bimatrix([[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]], field=FLOAT)
    a = MixedProfile.pure(game, (1, 1))
    b = MixedProfile.pure(game, (0, 0))
    cands = [Candidate(a, (1.0, 1.0)), Candidate(b, (1.0 - 1e-12, 1.0))]
    assert select_equilibrium(cands, "utilitarian", field=FLOAT).index == 1


def test_errors():
    with pytest.raises(InvalidProfile, match="no candidates"):
        select_equilibrium([])
    with pytest.raises(InvalidProfile, match="unknown rule"):
        select_equilibrium(BOS_NE, "nash")


payoff_vectors = st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), min_size=1, max_size=6)


@given(payoff_vectors, st.randoms(use_true_random=False))
def test_selection_is_permutation_invariant_in_value(vectors, rnd):
    cands = [Candidate(None, v) for v in vectors]
    shuffled = list(cands)
    rnd.shuffle(shuffled)
    for rule in ("utilitarian", "egalitarian"):
        a = select_equilibrium(cands, rule).candidate.payoffs
        b = select_equilibrium(shuffled, rule).candidate.payoffs
        score = utilitarian_welfare if rule == "utilitarian" else egalitarian_welfare
        assert score(a) == score(b) == max(score(v) for v in vectors)


@given(payoff_vectors)
def test_pareto_front_is_undominated_and_nonempty(vectors):
    cands = [Candidate(None, v) for v in vectors]
    front = pareto_filter(cands)
    assert front
    for c in front:
        assert not any(pareto_dominates(d.payoffs, c.payoffs) for d in cands)
    for c in cands:
        if c not in front:
            assert any(pareto_dominates(d.payoffs, c.payoffs) for d in front)
