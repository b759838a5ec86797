"""Property suite ``minimax.*``: the minimax theorem and its consequences, exactly (see jalverify.theorems.minimax)."""

from hypothesis import given

import jalverify.solvers.minimax  # noqa: F401,E402  (our own module: missing is an error, never a skip)

from jalverify.reports.suite_support import assert_proven, assert_counterexample  # noqa: E402
from jalverify.strategies import case_strategy  # noqa: E402
from jalverify.theorems import minimax as M  # noqa: E402


@given(case_strategy("zero_sum_games"))
def test_minimax_theorem(case):
    assert_proven(M.check_minimax_theorem(*case))


@given(case_strategy("zero_sum_games"))
def test_minimax_value_unique(case):
    assert_proven(M.check_value_unique(*case))


@given(case_strategy("zero_sum_games"))
def test_minimax_optimal_guarantees(case):
    assert_proven(M.check_optimal_guarantees(*case))


@given(case_strategy("zero_sum_games_with_affine_maps"))
def test_minimax_affine_invariance(case):
    assert_proven(M.check_affine_invariance(*case))


@given(case_strategy("zero_sum_games_with_permutations"))
def test_minimax_permutation_invariance(case):
    assert_proven(M.check_permutation_invariance(*case))


@given(case_strategy("zero_sum_game_pairs"))
def test_minimax_non_expansion(case):
    assert_proven(M.check_non_expansion(*case))


def test_minimax_exploits_weak_opponents(tmp_path):
    assert_counterexample("minimax.exploits_weak_opponents", tmp_path)
