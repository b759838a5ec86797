"""A finding does not end the search; declared and user limits are honoured; budgets end in "not established";
the corpus and the game shrinker (issue 11 §1, §3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest

from jalverify.adapters.protocols import Capabilities, Concept, InvalidTarget, TargetKind
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import CorrelatedProfile, ce_gains
from jalverify.strategies.shrink import shrink_normal_form_game
from jalverify.validation import validate
from jalverify.validation.corpus import corpus_for, normal_form_corpus
from jalverify.verdicts import Status

HERE = os.path.dirname(os.path.abspath(__file__))


def ref(name: str) -> str:
    return f"{os.path.join(HERE, 'broken_solvers.py')}:{name}"


def _claims(result) -> set[str]:
    return {f.verdict.theorem for f in result.findings}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_crash_on_trivial_games_does_not_hide_the_real_violation(seed: int) -> None:
    result = validate(ref("SummedRowsCE"), seed=seed)
    assert _claims(result) == {"validate.target.raised", "validate.stage.equilibrium"}
    by_claim = {f.verdict.theorem: f for f in result.findings}
    raised = by_claim["validate.target.raised"].case[0]
    assert not np.asarray(raised.payoffs, dtype=object).any()  # the all-zero game, shrunk to 1×1
    assert raised.n_actions == (1, 1)
    # the CE violation is real: recheck the witness independently from the recorded distribution
    ce = by_claim["validate.stage.equilibrium"]
    game = ce.case[0]
    assert max(game.n_actions) <= 2
    assert Fraction(ce.verdict.witness["violation"]) > 0


def test_declared_limits_are_honoured_and_never_reported() -> None:
    result = validate(ref("SummedRowsCEDeclaringLimits"), seed=3)
    assert "validate.stage.equilibrium" in _claims(result)
    for finding in result.findings:
        shape = finding.case[0].n_actions
        assert min(shape) >= 2 and len(set(shape)) == 1, (finding.verdict.theorem, shape)
        assert "outside the documented domain" not in finding.verdict.message


def test_user_limits_narrow_the_declared_domain() -> None:
    result = validate(ref("SummedRowsCE"), seed=5, min_actions=2, square_only=True)
    assert result.capabilities.min_actions == 2 and result.capabilities.square_only
    assert "validate.stage.equilibrium" in _claims(result)
    assert all(min(f.case[0].n_actions) >= 2 for f in result.findings)


def test_contradictory_limits_are_bad_input() -> None:
    caps = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, max_actions=3)
    with pytest.raises(InvalidTarget, match="players 3"):
        caps.restricted(players=3)
    with pytest.raises(InvalidTarget, match="no game"):
        caps.restricted(min_actions=4)
    assert caps.restricted(max_actions=5).max_actions == 3  # a limit never widens the declaration
    assert caps.restricted(min_actions=2).accepts(2, (2, 2), False)
    assert not caps.restricted(min_actions=2).accepts(2, (1, 2), False)
    assert not caps.restricted(square_only=True).accepts(2, (2, 3), False)


def test_cli_limit_flags_reach_the_search_and_bad_values_exit_2(tmp_path) -> None:
    out = subprocess.run(["jalverify", "validate", ref("SummedRowsCE"), "--seed", "2", "--min-actions", "2",
                          "--reports-dir", "", "--format", "json"], capture_output=True, text=True, timeout=600)
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    assert data["capabilities"]["min_actions"] == 2 and data["seed"] == 2
    assert out.stderr.splitlines()[0].startswith(f"validate {ref('SummedRowsCE')}: seed 2")
    (check,) = data["checks"]
    assert {f["theorem"] for f in check["findings"]} >= {"validate.stage.equilibrium"}
    bad = subprocess.run(["jalverify", "validate", "jalverify.minimax", "--players", "3"], capture_output=True,
                         text=True, timeout=120, cwd=tmp_path)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "players 3" in bad.stderr
    assert list(tmp_path.iterdir()) == []
    bad = subprocess.run(["jalverify", "validate", "jalverify.minimax", "--min-actions", "0"], capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode == 2 and "--min-actions" in bad.stderr


def test_a_check_whose_budget_runs_out_is_not_established() -> None:
    result = validate(ref("SlowExactNash"), checks=["validate.nash.soundness.degenerate"], seed=0,
                      check_time_limit=1.5)
    (outcome,) = result.outcomes
    assert outcome.status is Status.NOT_ESTABLISHED
    assert "time budget" in outcome.message and "ran out after" in outcome.message


def test_correct_targets_still_pass_everything() -> None:
    result = validate("jalverify.stage_correlated", seed=1)
    assert not result.refuted and {o.status for o in result.outcomes} == {Status.PROVEN}


# --- corpus ------------------------------------------------------------------------------------------------
def test_corpus_games_are_exact_and_filtered_by_domain() -> None:
    games = normal_form_corpus()
    assert len(games) >= 12 and all(g.field.exact for g in games)
    assert {g.n_players for g in games} == {2, 3}
    zero_sum = corpus_for(lambda g: g.is_zero_sum(), players=2)
    assert zero_sum and all(case[0].is_zero_sum() for case in zero_sum)
    assert all(case[0].n_players == 3 for case in corpus_for(lambda g: True, players=3))
    # chicken is in the corpus because a CE lies outside the hull of its Nash equilibria: check Aumann's CE
    chicken = next(g for g in games if g.name == "chicken")
    third = Fraction(1, 3)
    x = np.array([[0, third], [third, third]], dtype=object)
    assert max(v for gains in ce_gains(chicken, CorrelatedProfile(chicken, x)) for v in gains.reshape(-1).tolist()) <= 0


# --- shrinker ----------------------------------------------------------------------------------------------
def test_shrinker_removes_actions_and_simplifies_payoffs() -> None:
    game = NormalFormGame.bimatrix([[7, -3, 2], [5, 9, -8], [4, 4, 4]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]])

    def fails(g: NormalFormGame) -> bool:  # "a negative payoff for the row player"
        return min(np.asarray(g.payoffs[0], dtype=object).reshape(-1).tolist()) < 0

    small, calls = shrink_normal_form_game(game, fails)
    assert small.n_actions == (1, 1) and small.payoffs[0].reshape(-1).tolist() == [-1]
    assert small.payoffs[1].reshape(-1).tolist() == [0] and calls <= 200


def test_shrinker_keeps_zero_sum_games_zero_sum_and_respects_the_domain() -> None:
    game = NormalFormGame.zero_sum([[1, -1, 5], [-1, 1, 6]])

    def fails(g: NormalFormGame) -> bool:  # a 2×2 sub-game of matching pennies stays mixed: "no pure saddle"
        A = [[Fraction(v) for v in row] for row in np.asarray(g.payoffs[0], dtype=object).tolist()]
        return max(min(row) for row in A) < min(max(col) for col in zip(*A))

    small, _ = shrink_normal_form_game(game, fails, admissible=lambda g: min(g.n_actions) >= 2)
    assert small.n_actions == (2, 2) and small.is_zero_sum()
    assert fails(small)


def test_shrinker_budget_is_honoured() -> None:
    game = NormalFormGame.bimatrix([[5, 5], [5, 5]], [[5, 5], [5, 5]])
    calls = []
    small, used = shrink_normal_form_game(game, lambda g: calls.append(1) is None, max_calls=3)
    assert used == 3 == len(calls)
