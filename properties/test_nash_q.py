"""Property suite ``nash_q.*``: global optima and saddle points of stage games (Hu & Wellman 2003)."""

from hypothesis import given

from jalverify.reports.suite_support import assert_proven, assert_counterexample, assert_holds
from jalverify.strategies import case_strategy
from jalverify.theorems import nash_q as N


@given(case_strategy("general_games"))
def test_nash_q_global_optima_equal_payoffs(case):
    assert_proven(N.check_global_optima_equal_payoffs(*case))


@given(case_strategy("general_games"))
def test_nash_q_saddle_points_equal_payoffs(case):
    assert_holds(N.check_saddle_points_equal_payoffs(*case))


@given(case_strategy("general_games"))
def test_nash_q_global_optimum_is_nash(case):
    assert_proven(N.check_global_optimum_is_nash(*case))


@given(case_strategy("small_bimatrix_games"))
def test_nash_q_classification(case):
    assert_holds(N.check_classification(*case))


def test_nash_q_optimum_or_saddle_exists(tmp_path):
    assert_counterexample("nash_q.optimum_or_saddle_exists", tmp_path)


def test_nash_q_at_most_one_kind(tmp_path):
    assert_counterexample("nash_q.at_most_one_kind", tmp_path)


def test_chicken_has_neither_kind_and_stag_hunt_has_both():
    """The literature examples of theory.md §4, exactly."""
    from jalverify.theorems.registry import THEOREMS

    chicken = THEOREMS["nash_q.optimum_or_saddle_exists"].known_counterexample()
    assert N.check_optimum_or_saddle_exists(*chicken).refuted
    stag = THEOREMS["nash_q.at_most_one_kind"].known_counterexample()
    verdict = N.check_at_most_one_kind(*stag)
    assert verdict.refuted and verdict.witness["global_optimum_payoffs"] == ["4", "4"]
    assert verdict.witness["saddle_point_payoffs"] == ["3", "3"]
