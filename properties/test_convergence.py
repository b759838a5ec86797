"""Property suite ``convergence.*``: policy convergence implies the other notions; the converses fail."""

from hypothesis import given

from jalverify.reports.suite_support import assert_proven, assert_counterexample
from jalverify.strategies import case_strategy
from jalverify.theorems import convergence_relations as R


@given(case_strategy("games_with_profile_pairs"))
def test_convergence_policy_implies_expected_return(case):
    assert_proven(R.check_policy_implies_expected_return(*case))


@given(case_strategy("games_with_profile_traces"))
def test_convergence_policy_implies_averaged_policy(case):
    assert_proven(R.check_policy_implies_averaged_policy(*case))


@given(case_strategy("games_with_profile_traces"))
def test_convergence_policy_implies_average_return(case):
    assert_proven(R.check_policy_implies_average_return(*case))


def test_convergence_expected_return_implies_policy(tmp_path):
    assert_counterexample("convergence.expected_return_implies_policy", tmp_path)


def test_convergence_averaged_policy_implies_policy(tmp_path):
    assert_counterexample("convergence.averaged_policy_implies_policy", tmp_path)


def test_convergence_average_return_implies_expected_return(tmp_path):
    assert_counterexample("convergence.average_return_implies_expected_return", tmp_path)


def test_convergence_set_convergence_implies_point(tmp_path):
    assert_counterexample("convergence.set_convergence_implies_point", tmp_path)
