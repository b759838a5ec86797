"""Property suite ``solvers.*``: soundness, completeness on nondegenerate games, exact vs float agreement."""

from hypothesis import given

import jalverify.solvers.nash  # noqa: F401,E402  (our own module: missing is an error, never a skip)

from jalverify.reports.suite_support import assert_proven, assert_holds  # noqa: E402
from jalverify.strategies import case_strategy  # noqa: E402
from jalverify.theorems import solvers as S  # noqa: E402
from jalverify.verdicts import Status  # noqa: E402


@given(case_strategy("general_games"))
def test_solvers_nash_soundness(case):
    assert_proven(S.check_nash_soundness(*case))


@given(case_strategy("nondegenerate_games"))
def test_solvers_nash_completeness(case):
    assert_proven(S.check_nash_completeness(*case))


@given(case_strategy("bimatrix_games"))
def test_solvers_exact_float_agreement(case):
    verdict = S.check_exact_float_agreement(*case)
    assert_holds(verdict)
    assert verdict.status is Status.WITHIN_TOLERANCE  # a float comparison never proves anything
    assert verdict.worst is not None and verdict.worst <= verdict.tolerance
