"""Exact judgement of answers: three states, exact witnesses, tolerance handling, malformed answers."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from jalverify.adapters.protocols import Capabilities, Concept, TargetKind
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile
from jalverify.validation.checks import (
    judge_minimax_answer,
    judge_nash_answer,
    judge_nash_profile,
    judge_stage_answer,
)
from jalverify.verdicts import Status

EXACT_CAPS = Capabilities(exact=True, tolerance=0.0, finds_all=True)
FLOAT_CAPS = Capabilities(exact=False, tolerance=1e-9, finds_all=True)
PENNIES = NormalFormGame.zero_sum([[1, -1], [-1, 1]])
# von Stengel (2002), Handbook of Game Theory vol. 3, ch. 45, the 3x2 example: three equilibria
STENGEL = NormalFormGame.bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
STENGEL_EQUILIBRIA = [
    [[1, 0, 0], [1, 0]],
    [[Fraction(4, 5), Fraction(1, 5), 0], [Fraction(2, 3), Fraction(1, 3)]],
    [[0, Fraction(1, 3), Fraction(2, 3)], [Fraction(1, 3), Fraction(2, 3)]],
]


def test_exact_equilibrium_from_exact_target_is_confirmed() -> None:
    verdict, _ = judge_nash_profile(PENNIES, [[Fraction(1, 2)] * 2] * 2, EXACT_CAPS, "t")
    assert verdict.status is Status.PROVEN


def test_float_target_is_never_proven() -> None:
    verdict, _ = judge_nash_profile(PENNIES, [[0.5, 0.5], [0.5, 0.5]], FLOAT_CAPS, "t")
    assert verdict.status is Status.WITHIN_TOLERANCE
    assert verdict.tolerance == 1e-9 and verdict.worst == 0.0


def test_float_rounding_within_tolerance_is_within_tolerance_not_refuted() -> None:
    x = [1 / 3, 1 / 3, 1 / 3]
    game = NormalFormGame.zero_sum([[0, 1, -1], [-1, 0, 1], [1, -1, 0]])
    verdict, _ = judge_nash_profile(game, [x, x], FLOAT_CAPS, "t")
    assert verdict.status is Status.WITHIN_TOLERANCE
    assert 0 < verdict.worst <= verdict.tolerance  # 1/3 is not a binary fraction: the regret is tiny, not 0


def test_violation_is_refuted_with_exact_witness() -> None:
    verdict, _ = judge_nash_profile(PENNIES, [[1.0, 0.0], [1.0, 0.0]], FLOAT_CAPS, "t")
    assert verdict.status is Status.REFUTED
    assert verdict.witness["player"] == 1
    assert verdict.witness["deviation"] == 1
    assert verdict.witness["gain"] == "2"


def test_exact_target_is_refuted_by_any_positive_regret() -> None:
    eps = Fraction(1, 10**12)
    verdict, _ = judge_nash_profile(PENNIES, [[Fraction(1, 2) + eps, Fraction(1, 2) - eps], [Fraction(1, 2)] * 2],
                                    EXACT_CAPS, "t")
    assert verdict.status is Status.REFUTED  # the column player gains 2·10⁻¹² exactly
    assert Fraction(verdict.witness["gain"]) == 2 * eps


def test_not_a_distribution_is_refuted() -> None:
    verdict, _ = judge_nash_profile(PENNIES, [[0.5, 0.6], [0.5, 0.5]], FLOAT_CAPS, "t")
    assert verdict.status is Status.REFUTED and "not a probability distribution" in verdict.message


def test_malformed_answer_is_a_finding() -> None:
    verdicts = judge_nash_answer(PENNIES, [[[0.5, 0.5]]], FLOAT_CAPS, soundness_id="t")
    assert verdicts[0].theorem == "validate.answer.malformed"
    assert verdicts[0].status is Status.REFUTED
    verdicts = judge_nash_answer(PENNIES, [[["x", 0.5], [0.5, 0.5]]], FLOAT_CAPS, soundness_id="t")
    assert verdicts[0].theorem == "validate.answer.malformed"


def test_empty_answer_refutes_at_least_one() -> None:
    verdicts = judge_nash_answer(PENNIES, [], FLOAT_CAPS, soundness_id="t")
    assert [v.theorem for v in verdicts if v.refuted] == ["validate.nash.at_least_one"]


def test_completeness_on_known_game() -> None:
    reference = [MixedProfile(STENGEL, eq) for eq in STENGEL_EQUILIBRIA]
    full = judge_nash_answer(STENGEL, STENGEL_EQUILIBRIA, EXACT_CAPS, soundness_id="s", reference=reference,
                             completeness_id="c")
    assert all(v.status is Status.PROVEN for v in full)
    partial = judge_nash_answer(STENGEL, STENGEL_EQUILIBRIA[:1], EXACT_CAPS, soundness_id="s", reference=reference,
                                completeness_id="c")
    missing = [v for v in partial if v.theorem == "c"][0]
    assert missing.status is Status.REFUTED
    assert len(missing.witness["missing"]) == 2
    floats = [[[float(p) for p in d] for d in eq] for eq in STENGEL_EQUILIBRIA]
    approx = judge_nash_answer(STENGEL, floats, FLOAT_CAPS, soundness_id="s", reference=reference, completeness_id="c")
    assert not any(v.refuted for v in approx)
    assert [v for v in approx if v.theorem == "c"][0].status is Status.WITHIN_TOLERANCE


def test_minimax_judgement() -> None:
    caps = Capabilities(concept=Concept.MINIMAX, zero_sum_only=True, exact=True, tolerance=0.0)
    good = judge_minimax_answer(PENNIES, (0, [Fraction(1, 2)] * 2, [Fraction(1, 2)] * 2), caps, Fraction(0))
    assert all(v.status is Status.PROVEN for v in good)
    bad = judge_minimax_answer(PENNIES, (0, [1, 0], [Fraction(1, 2)] * 2), caps, Fraction(0))
    row = [v for v in bad if v.theorem == "validate.minimax.row_strategy"][0]
    assert row.status is Status.REFUTED and row.witness["payoff"] == "-1"


def test_stage_judgement_ce_and_values() -> None:
    caps = Capabilities(kind=TargetKind.STAGE_SOLVER, concept=Concept.CORRELATED, players="n", exact=True,
                        tolerance=0.0)
    chicken = NormalFormGame.bimatrix([[6, 2], [7, 0]], [[6, 7], [2, 0]])
    third = Fraction(1, 3)
    x = np.array([[third, third], [third, 0]], dtype=object)
    ok = judge_stage_answer(chicken, (x, [5, 5]), caps)
    assert all(v.status is Status.PROVEN for v in ok)
    wrong_values = judge_stage_answer(chicken, (x, [6, 6]), caps)
    assert any(v.theorem == "validate.stage.values" and v.refuted for v in wrong_values)
    not_ce = np.array([[1, 0], [0, 0]], dtype=object)
    bad = judge_stage_answer(chicken, (not_ce, [6, 6]), caps)
    assert any(v.theorem == "validate.stage.equilibrium" and v.refuted for v in bad)
