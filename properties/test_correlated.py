"""Property suite ``correlated.*``: Nash ⊆ CE ⊆ CCE, non-emptiness, selection objectives."""

from hypothesis import given

import jalverify.solvers.correlated  # noqa: F401,E402  (our own module: missing is an error, never a skip)

from jalverify.reports.suite_support import assert_proven, assert_counterexample  # noqa: E402
from jalverify.strategies import case_strategy  # noqa: E402
from jalverify.theorems import correlated as C  # noqa: E402


@given(case_strategy("general_games"))
def test_correlated_nash_is_ce(case):
    assert_proven(C.check_nash_is_ce(*case))


@given(case_strategy("games_with_correlated_profiles"))
def test_correlated_ce_is_cce(case):
    assert_proven(C.check_ce_is_cce(*case))


def test_correlated_cce_is_ce(tmp_path):
    report = assert_counterexample("correlated.cce_is_ce", tmp_path)
    import json

    data = json.loads(report.path.read_text())
    # the minimal counterexample needs a player with at least three actions
    assert max(len(a) for a in data["game"]["actions"]) >= 3


@given(case_strategy("two_action_games"))
def test_correlated_cce_is_ce_with_two_actions(case):
    assert_proven(C.check_cce_is_ce_with_two_actions(*case))


@given(case_strategy("normal_form_games"))
def test_correlated_ce_nonempty(case):
    assert_proven(C.check_ce_nonempty(*case))


@given(case_strategy("general_games"))
def test_correlated_utilitarian_dominates_nash(case):
    assert_proven(C.check_utilitarian_dominates_nash(*case))


@given(case_strategy("normal_form_games"))
def test_correlated_selection_value_ordering(case):
    assert_proven(C.check_selection_value_ordering(*case))


@given(case_strategy("bimatrix_games_with_permutations"))
def test_correlated_selection_deterministic(case):
    assert_proven(C.check_selection_deterministic(*case))


def test_correlated_selection_permutation_equivariant(tmp_path):
    assert_counterexample("correlated.selection_permutation_equivariant", tmp_path)


@given(case_strategy("general_games"))
def test_correlated_selection_protocol_order_independent(case):
    assert_proven(C.check_selection_protocol_order_independent(*case))
