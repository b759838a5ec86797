"""Property suite ``bellman.*``: exact Bellman equations, Shapley contraction and value-iteration bounds."""

from hypothesis import given

import jalverify.solvers.evaluation  # noqa: F401,E402  (our own module: missing is an error, never a skip)

from jalverify.reports.suite_support import assert_proven, assert_holds  # noqa: E402
from jalverify.strategies import case_strategy  # noqa: E402
from jalverify.theorems import bellman as B  # noqa: E402


@given(case_strategy("stochastic_games_with_policies"))
def test_bellman_q_equation(case):
    assert_proven(B.check_q_equation(*case))


@given(case_strategy("stochastic_games_with_policies"))
def test_bellman_v_equation(case):
    assert_proven(B.check_v_equation(*case))


@given(case_strategy("stochastic_games_with_policies"))
def test_bellman_v_is_policy_average_of_q(case):
    assert_proven(B.check_v_is_policy_average_of_q(*case))


@given(case_strategy("zero_sum_stochastic_games_with_value_pairs"))
def test_bellman_shapley_contraction(case):
    assert_proven(B.check_shapley_contraction(*case))


@given(case_strategy("turn_based_games_with_steps"))
def test_bellman_value_iteration_bounds(case):
    assert_holds(B.check_value_iteration_bounds(*case))


@given(case_strategy("turn_based_games"))
def test_bellman_vi_matches_policy_iteration(case):
    assert_holds(B.check_value_iteration_matches_policy_iteration(*case))
