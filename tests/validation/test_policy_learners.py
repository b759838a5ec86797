"""Policy learners validated through the PettingZoo path (issue 14 §2-3): learners written against PettingZoo alone
(``pettingzoo_learners.py``) are trained on the environment of a game and judged by the exact quality of what they
learned.  The correct learners pass; the one with a planted wrong discount is refuted on a minimal game, and the
refutation's numbers are recomputed here independently (exact policy evaluation of its learned policy by linear
algebra over the rationals)."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from jalverify.adapters.protocols import Capabilities, Concept, InvalidTarget, TargetKind
from jalverify.validation import check_policy_learner, validate
from jalverify.validation.checks import MalformedAnswer
from jalverify.validation.policy_learner_checks import POLICY_ID, exact_learned_policy, waiting_game
from jalverify.verdicts import Status

HERE = Path(__file__).resolve().parent
LEARNERS = HERE / "pettingzoo_learners.py"


def ref(name: str) -> str:
    return f"{LEARNERS}:{name}"


def _values(game, policy_table, gamma: Fraction) -> list[Fraction]:
    """Player 0's exact value of a deterministic stationary policy, by solving (I − γP)V = r over the rationals
    (Gauss–Jordan on Fractions; independent of jalverify's evaluators)."""
    S = game.n_states
    P = [[Fraction(0)] * S for _ in range(S)]
    r = [Fraction(0)] * S
    for s in range(S):
        if game.terminal[s]:
            continue
        joint = tuple(int(np.argmax([float(p) for p in policy_table[game.states[s]][player]]))
                      for player in game.players)
        row = game.transitions[s][joint]
        for t in range(S):
            P[s][t] = Fraction(row[t])
            r[s] += Fraction(row[t]) * Fraction(game.rewards[s][(0, *joint, t)])
    A = [[(Fraction(1) if s == t else Fraction(0)) - gamma * P[s][t] for t in range(S)] + [r[s]] for s in range(S)]
    for col in range(S):
        pivot = next(k for k in range(col, S) if A[k][col] != 0)
        A[col], A[pivot] = A[pivot], A[col]
        A[col] = [x / A[col][col] for x in A[col]]
        for k in range(S):
            if k != col and A[k][col] != 0:
                A[k] = [a - A[k][col] * b for a, b in zip(A[k], A[col])]
    return [A[s][S] for s in range(S)]


def test_correct_independent_q_learner_passes() -> None:
    result = check_policy_learner(ref("IndependentQ"), max_examples=4, seed=3)
    (outcome,) = result.outcomes
    assert outcome.check == POLICY_ID
    assert outcome.status in (Status.PROVEN, Status.WITHIN_TOLERANCE)


def test_correct_fictitious_play_passes() -> None:
    result = check_policy_learner(ref("FictitiousPlay"), max_examples=4, seed=3)
    (outcome,) = result.outcomes
    assert outcome.status in (Status.PROVEN, Status.WITHIN_TOLERANCE)


def test_planted_wrong_discount_is_refuted_on_a_minimal_game(tmp_path: Path) -> None:
    result = validate(ref("IndependentQWrongDiscount"), max_examples=4, seed=3, report_dir=str(tmp_path))
    assert result.refuted
    (finding,) = [f for f in result.findings if f.verdict.theorem == POLICY_ID]
    game = finding.case[0]
    live = [s for s in range(game.n_states) if not game.terminal[s]]
    assert len(live) <= 2 and all(max(game.n_actions(s)) <= 2 for s in live)  # shrunk to a minimal game
    witness = finding.verdict.witness
    gamma = Fraction(witness["gamma"])
    # independently: the learned (deterministic) policy's value and the best deterministic policy's value
    learned = _values(game, witness["policy"], gamma)
    best = Fraction(-10**9)
    choices = [[(a, b) for a in range(game.n_actions(s)[0]) for b in range(game.n_actions(s)[1])] if s in live
               else [(0, 0)] for s in range(game.n_states)]
    for joint in itertools.product(*choices):
        table = {game.states[s]: {game.players[i]: [1 if a == joint[s][i] else 0 for a in range(game.n_actions(s)[i])]
                                  for i in range(2)} for s in live}
        values = _values(game, table, gamma)
        start = witness["start_distribution"]
        best = max(best, sum(Fraction(p) * v for p, v in zip(start, values)))
    learned_start = sum(Fraction(p) * v for p, v in zip(witness["start_distribution"], learned))
    assert Fraction(witness["gap"]) == best - learned_start > Fraction(witness["tolerance"])
    report = json.loads(next(tmp_path.rglob("*.json")).read_text(encoding="utf-8"))
    assert "--replay" in report["replay"]


def test_waiting_game_is_where_the_discount_decides() -> None:
    from jalverify.theorems.learning import exact_team_q_star

    q = exact_team_q_star(waiting_game())
    assert [Fraction(v) for v in np.asarray(q[0][0]).reshape(-1)] == [1, Fraction(9, 5)]  # waiting is optimal


def test_replay_of_the_refutation_through_the_console_script(tmp_path: Path) -> None:
    exe = [sys.executable, "-m", "jalverify"]
    done = subprocess.run(exe + ["validate", ref("IndependentQWrongDiscount"), "--max-examples", "1", "--seed", "3",
                                 "--reports-dir", str(tmp_path), "--format", "json"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr
    doc = json.loads(done.stdout)
    report = next(f["report"] for c in doc["checks"] for f in c.get("findings", [])
                  if f["theorem"] == POLICY_ID)
    replay = subprocess.run(exe + ["validate", ref("IndependentQWrongDiscount"), "--replay", report],
                            capture_output=True, text=True, timeout=600)
    assert replay.returncode == 1 and replay.stdout.startswith("still violated")


def test_learned_policy_is_read_exactly_and_malformed_answers_are_named() -> None:
    game = waiting_game()
    policy = exact_learned_policy(game, [[[0.25, 0.75], [1.0]], [[1.0], [1 / 3, 2 / 3]], None], "p")
    assert sum(policy.distributions[1][1]) == 1 and policy.distributions[0][0][0] == Fraction(1, 4)
    with pytest.raises(MalformedAnswer, match="masked"):
        exact_learned_policy(game, [[[0.5, 0.5], [0.5, 0.5]], [[1.0], [0.5, 0.5]], None], "p")
    with pytest.raises(MalformedAnswer, match="sum to"):
        exact_learned_policy(game, [[[0.5, 0.4], [1.0]], [[1.0], [0.5, 0.5]], None], "p")
    with pytest.raises(MalformedAnswer, match="negative"):
        exact_learned_policy(game, [[[1.5, -0.5], [1.0]], [[1.0], [0.5, 0.5]], None], "p")


def test_capabilities_of_policy_learners() -> None:
    team = Capabilities(kind=TargetKind.POLICY_LEARNER, concept=Concept.TEAM)
    assert team.common_payoff_only
    assert Capabilities(kind=TargetKind.POLICY_LEARNER, concept=Concept.MINIMAX).zero_sum_only
    with pytest.raises(InvalidTarget, match="no rewards"):
        Capabilities(kind=TargetKind.POLICY_LEARNER, concept=Concept.TEAM, zero_sum_only=True)
    with pytest.raises(InvalidTarget, match="nash, minimax or team"):
        Capabilities(kind=TargetKind.POLICY_LEARNER, concept=Concept.CORRELATED)
    with pytest.raises(InvalidTarget, match="max_states"):
        Capabilities(kind=TargetKind.POLICY_LEARNER, max_states=0)


def test_learner_steps_are_refused_for_a_solver() -> None:
    with pytest.raises(InvalidTarget, match="learner steps"):
        validate("jalverify.minimax", learner_steps=10, max_examples=1)
