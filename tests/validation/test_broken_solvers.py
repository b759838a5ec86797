"""Deliberately broken variants of our own solvers are each refuted with a minimal exact counterexample, and our
correct solvers pass every check (no false alarms)."""

from __future__ import annotations

import os
from fractions import Fraction

import pytest

from jalverify.validation import check_solver, validate
from jalverify.verdicts import Status

HERE = os.path.dirname(os.path.abspath(__file__))


def ref(name: str) -> str:
    return f"{os.path.join(HERE, 'broken_solvers.py')}:{name}"


def _small_exact_game(game: object, max_actions: int = 3, max_abs: int = 10) -> bool:
    if not hasattr(game, "payoffs"):  # a stochastic game
        return game.n_states <= 3 and game.field.exact  # type: ignore[attr-defined]
    payoffs = game.payoffs  # type: ignore[attr-defined]
    values = [Fraction(v) for v in payoffs.reshape(-1).tolist()]
    return max(payoffs.shape[1:]) <= max_actions and all(abs(v) <= max_abs and v.denominator == 1 for v in values)


SLOW = pytest.mark.slow  # worker restarts or long shrinks: several seconds each

MUTANTS = [
    # (mutant, check prefix, violated claims accepted)
    pytest.param("DropSupport", "validate.nash.completeness.degenerate",
                 {"validate.nash.completeness.degenerate", "validate.nash.at_least_one"}, marks=SLOW),
    ("FloatEquality", "validate.nash.soundness.degenerate", {"validate.nash.soundness.degenerate"}),
    ("NonEquilibrium", "validate.nash.soundness.degenerate", {"validate.nash.soundness.degenerate"}),
    pytest.param("Empty", "validate.nash.soundness.degenerate", {"validate.nash.at_least_one"}, marks=SLOW),
    pytest.param("Raises", "validate.nash.soundness.degenerate", {"validate.target.raised"}, marks=SLOW),
    pytest.param("Crashes", "validate.nash.soundness.degenerate", {"validate.target.crashed"}, marks=SLOW),
    ("Aborts", "validate.nash.soundness.degenerate", {"validate.target.crashed"}),
    ("MinimaxOffByOne", "validate.minimax", {"validate.minimax.value"}),
    ("MinimaxUniformRow", "validate.minimax", {"validate.minimax.row_strategy"}),
    ("StageWrongValues", "validate.stage", {"validate.stage.values", "validate.stage.equilibrium"}),
    ("EvaluatorWithoutDiscount", "validate.evaluator", {"validate.evaluator.values"}),
    ("FriendQClaimingMinimax", "validate.learner.backup_fixed_point", {"validate.learner.backup_fixed_point"}),
    ("PureMaximinQ", "validate.learner.backup_fixed_point", {"validate.learner.backup_fixed_point"}),
]


@pytest.mark.parametrize("mutant, check, claims", MUTANTS,
                         ids=[m.values[0] if hasattr(m, "values") else m[0] for m in MUTANTS])
def test_mutant_is_refuted_with_minimal_exact_counterexample(mutant: str, check: str, claims: set[str],
                                                             tmp_path: object) -> None:
    result = validate(ref(mutant), checks=[check], max_examples=25, seed=11, time_limit=5,
                      report_dir=str(tmp_path))
    assert result.refuted
    assert result.findings  # one per distinct violation: each is a claim the mutant breaks
    for finding in result.findings:
        assert finding.verdict.status is Status.REFUTED
        assert finding.verdict.theorem in claims, finding.verdict
        game = finding.case[0]
        assert _small_exact_game(game), game.payoffs
        assert finding.report is not None and os.path.exists(finding.report)
        assert "--replay" in finding.replay_command


def test_hang_is_refuted_as_timeout() -> None:
    result = validate(ref("Hangs"), checks=["validate.nash.soundness.degenerate"], max_examples=10, seed=1,
                      time_limit=1, first_call_time_limit=1)
    (finding,) = result.findings
    assert finding.verdict.theorem == "validate.target.timeout"
    assert finding.case[0].n_actions[0] >= 2


OWN = [pytest.param("jalverify.nash_vertex_enumeration", marks=SLOW),
       pytest.param("jalverify.nash_vertex_enumeration_float", marks=SLOW),
       "jalverify.minimax", "jalverify.stage_correlated", "jalverify.policy_evaluation"]


@pytest.mark.parametrize("target", OWN)
def test_our_correct_solvers_raise_no_false_alarm(target: str) -> None:
    result = check_solver(target, max_examples=20, seed=5)
    assert not result.refuted
    statuses = {o.status for o in result.outcomes}
    if "float" in target:
        assert statuses == {Status.WITHIN_TOLERANCE}  # float answers are never proven
        assert all(o.tolerance is not None and o.worst is not None and o.worst <= o.tolerance
                   for o in result.outcomes)
    else:
        assert statuses == {Status.PROVEN}


def test_check_solver_raises_one_grouped_assertion() -> None:
    with pytest.raises(AssertionError) as info:
        check_solver(ref("NonEquilibrium"), checks=["validate.nash.soundness.degenerate", "validate.nash.robustness"],
                     max_examples=15, seed=2)
    text = str(info.value)
    assert "2 distinct violations" in text
    assert "[validate.nash.soundness.degenerate]" in text and "[validate.nash.robustness]" in text
    assert "minimal game" in text and "replay: jalverify validate" in text


def test_our_minimax_q_passes_the_learner_checks() -> None:
    from jalverify.validation import check_learner

    result = check_learner("jalverify.minimax_q", max_examples=10, seed=4, learner_steps=1000)
    backup = [o for o in result.outcomes if o.check == "validate.learner.backup_fixed_point"][0]
    # proven where Q* is rational (certified); within tolerance where only a float Q* with a proven bound exists
    assert backup.status in (Status.PROVEN, Status.WITHIN_TOLERANCE), backup.message
    if backup.status is Status.WITHIN_TOLERANCE:
        assert backup.worst is not None and backup.worst <= backup.tolerance
    convergence = [o for o in result.outcomes if o.check == "validate.learner.convergence"][0]
    # a finite float run never proves convergence, and never refutes it either
    assert convergence.status in (Status.WITHIN_TOLERANCE, Status.NOT_ESTABLISHED), convergence.message
