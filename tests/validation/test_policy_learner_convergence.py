"""The convergence notions of seed note 001 judged on a policy learner's trace (issue 14 §2): the notions are told
apart on a learner whose policy cycles while its averages converge, the empirical distribution is read from what the
environment recorded, and a learner that takes more steps than it was given is refused.

Every expected value is recomputed here by hand: matching pennies with γ = 1/2 has the unique minimax pair
(½, ½) × (½, ½) and value 0; a pure profile has NashConv 2/(1 − γ) = 4 (each player gains 1 per step by switching)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from jalverify.games import catalog
from jalverify.games.stochastic import StationaryPolicy, repeated_game
from jalverify.learners.learned_policy import evaluate_learned_policy
from jalverify.validation.policy_learner_checks import (
    POLICY_ID,
    SNAPSHOT_WINDOW,
    _prefix_averages,
    empirical_policy,
    policy_learner_checks,
)
from jalverify.validation.runner import IsolatedTarget
from jalverify.verdicts import Status

LEARNERS = Path(__file__).resolve().parent / "pettingzoo_learners.py"
HALF = Fraction(1, 2)


def _pennies():
    return repeated_game(catalog.load("matching_pennies"), HALF)


def _verdict(name: str, game, steps: int, seed: int = 0):
    with IsolatedTarget(f"{LEARNERS}:{name}", time_limit=120) as target:
        (check,) = policy_learner_checks(target, target.capabilities, learner_steps=steps)
        return check.run(game, seed)


def test_cycling_policy_is_not_convergent_but_its_averages_are() -> None:
    game = _pennies()
    steps = 400  # 4 steps learning the payoffs, then whole 4-cycles of best responses
    verdict = _verdict("BestResponseCycler", game, steps)
    assert verdict.theorem == POLICY_ID and verdict.status is Status.NOT_ESTABLISHED  # it claims nothing
    notions = verdict.witness["convergence_notions"]
    assert verdict.witness["steps_played"] == steps
    status = {name: n["status"] for name, n in notions.items()}
    assert status == {
        "policy → equilibrium set": Status.NOT_ESTABLISHED.value,
        "averaged policy → equilibrium set": Status.WITHIN_TOLERANCE.value,
        "expected return → V*": Status.NOT_ESTABLISHED.value,
        "average return → V*": Status.WITHIN_TOLERANCE.value,
        "empirical distribution → equilibrium set": Status.WITHIN_TOLERANCE.value,
    }
    # a pure profile of matching pennies: NashConv 2/(1 − γ) = 4 at every window point
    assert [Fraction(w["value"]) for w in notions["policy → equilibrium set"]["window"]] == [4] * SNAPSHOT_WINDOW
    # the environment's counts at 240, 320 and 400 steps are whole cycles: exactly the minimax strategies
    empirical = notions["empirical distribution → equilibrium set"]["window"]
    assert [w["steps"] for w in empirical] == [240, 320, 400]
    assert [Fraction(w["value"]) for w in empirical] == [0, 0, 0]
    # the averaged policy over all 400 snapshots is (½, ½) for both: NashConv exactly 0 at the last point
    assert Fraction(notions["averaged policy → equilibrium set"]["window"][-1]["value"]) == 0
    assert "Convergence on the last 3 points" in verdict.message and "averaged policy" in verdict.message


def test_fictitious_play_empirical_distribution_is_judged_from_the_environment() -> None:
    game = _pennies()
    verdict = _verdict("FictitiousPlay", game, 3000)  # within 0.1 from about 1800 steps on
    assert verdict.status in (Status.PROVEN, Status.WITHIN_TOLERANCE)
    notions = verdict.witness["convergence_notions"]
    assert set(notions) == {"empirical distribution → equilibrium set"}  # no snapshots: only the play record
    assert notions["empirical distribution → equilibrium set"]["status"] == Status.WITHIN_TOLERANCE.value


def test_a_learner_taking_more_steps_than_given_is_refused() -> None:
    verdict = _verdict("OverBudget", _pennies(), 50)
    assert verdict.status is Status.REFUTED
    assert "took 51 environment steps, more than the 50" in verdict.message


def test_empirical_policy_is_the_exact_marginal_frequency() -> None:
    game = _pennies()
    policy = empirical_policy(game, [[[3, 1], [0, 2]]])
    assert list(policy.distributions[0][0]) == [Fraction(4, 6), Fraction(2, 6)]  # row sums 4, 2 of 6
    assert list(policy.distributions[0][1]) == [Fraction(3, 6), Fraction(3, 6)]  # column sums 3, 3
    unseen = empirical_policy(game, [[[0, 0], [0, 0]]])
    assert list(unseen.distributions[0][0]) == [HALF, HALF]  # a state never visited counts as uniform


def test_prefix_averages_are_exact_means() -> None:
    game = _pennies()
    pure = [StationaryPolicy(game, [[[1, 0], [0, 1]]]), StationaryPolicy(game, [[[0, 1], [0, 1]]]),
            StationaryPolicy(game, [[[0, 1], [1, 0]]])]
    first_two, all_three = _prefix_averages(game, pure, [1, 2])
    assert list(first_two.distributions[0][0]) == [HALF, HALF] and list(first_two.distributions[0][1]) == [0, 1]
    assert list(all_three.distributions[0][0]) == [Fraction(1, 3), Fraction(2, 3)]
    mu = [Fraction(1)]
    assert evaluate_learned_policy(game, StationaryPolicy(game, [[[HALF, HALF], [HALF, HALF]]]),
                                   mu).nash_conv_start == 0


def test_play_record_counts_what_was_played() -> None:
    from jalverify.envs import parallel_env
    from jalverify.errors import InvalidOption

    env = parallel_env(catalog.load("matching_pennies"), horizon=2, seed=1, record_play=True)
    for episode in ([(0, 0), (1, 0)], [(1, 1)]):
        env.reset()
        for joint in episode:
            env.step(dict(zip(env.possible_agents, joint)))
    record = env.play_record
    assert (record.steps, record.episodes) == (3, 2)
    assert np.array_equal(record.counts()[0], [[1, 0], [1, 1]])
    assert np.array_equal(record.counts(1)[0], [[1, 0], [0, 0]])
    with pytest.raises(InvalidOption, match="upto"):
        record.counts(4)
    with pytest.raises(InvalidOption, match="record_play=True"):
        _ = parallel_env(catalog.load("matching_pennies")).play_record
    with pytest.raises(InvalidOption, match="record_play"):
        parallel_env(catalog.load("matching_pennies"), record_play="yes")
