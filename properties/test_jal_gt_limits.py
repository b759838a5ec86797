"""Property suite for the learning claims of the seed notes that are about limits (issue 12 §4): CE-Q need not
converge (``ce_q.backup_converges``), Nash-Q under the saddle-point condition
(``nash_q.learning_converges_saddle``), independent Q-learners need not converge (``iql.converges``).  The
certificates are re-checked independently in ``tests/theorems/``; here each claim meets generated cases."""

from hypothesis import given, settings

from jalverify.reports.suite_support import assert_holds
from jalverify.strategies import case_strategy
from jalverify.theorems import ce_q_cycles as C
from jalverify.theorems import independent_q as I
from jalverify.theorems import nash_q_saddle as N
from jalverify.theorems.registry import THEOREMS, load_all
from jalverify.verdicts import Status


@settings(max_examples=3)
@given(case_strategy("nosde_games"))
def test_ce_q_backup_converges(case):
    # refuted as expected on every keep/send NoSDE game: the exact backup cycles (certified)
    verdict = C.check_ce_q_backup_converges(*case)
    assert verdict.status is Status.REFUTED, verdict
    assert verdict.witness["period"] >= 2


@settings(max_examples=3)
@given(case_strategy("zero_sum_saddle_stochastic_games"))
def test_nash_q_learning_converges_saddle(case):
    assert_holds(N.check_nash_q_saddle_convergence(*case, max_steps=600))


def test_iql_converges():
    load_all()
    (game,) = THEOREMS[I.IQL_CONVERGES_ID].known_counterexample()
    verdict = I.check_iql_converges(game, steps=2000)
    assert verdict.status is Status.REFUTED and verdict.witness["min_nash_conv"] == "2", verdict
