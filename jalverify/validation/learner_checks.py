"""The checks of a joint-action learner: Q* is a fixed point of its backup, and Q approaches Q* when learning.

The reference ``Q*`` is the exact minimax ``Q*`` of a two-player zero-sum stochastic game
(:func:`jalverify.validation.reference.zero_sum_q_star`: exact and certified, or float value iteration with a
proven error bound; Shapley 1953, Littman 1994).  The backup check calls the target's ``backup(game, Q*)`` and
compares it exactly with ``Q*`` (book Algorithm 7: ``Q*`` is the fixed point of the JAL-GT backup).  The
convergence check feeds the learner transitions (:func:`jalverify.validation.learning.drive`) and measures
``max |Q − Q*|``; a finite run never refutes an asymptotic claim.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.adapters.protocols import Capabilities
from jalverify.errors import BudgetExceeded, GameTooLarge, UnsupportedGame
from jalverify.validation.check_spec import Check
from jalverify.validation.checks import judge_call, judge_q_table
from jalverify.validation.reference import QStarReference
from jalverify.validation.runner import CallOutcome, IsolatedTarget
from jalverify.verdicts import Status, Verdict

__all__ = ["learner_checks"]


def _q_star(game: Any) -> QStarReference | Verdict:
    """The reference Q* (exact and certified, or float with a proven error bound), or a "not established"
    verdict when its budget ran out or the game has none."""
    from jalverify.validation.reference import zero_sum_q_star

    try:
        return zero_sum_q_star(game)
    except (BudgetExceeded, GameTooLarge, UnsupportedGame) as exc:
        return Verdict("validate.learner", Status.NOT_ESTABLISHED, f"no reference Q* for this game ({exc})")


def _as_target_numbers(Q: Sequence[np.ndarray], exact: bool) -> list[np.ndarray]:
    if exact:
        return [np.array(q, dtype=object) for q in Q]
    return [np.vectorize(float, otypes=[np.float64])(np.asarray(q, dtype=object)) for q in Q]


def _backup_run(target: IsolatedTarget, caps: Capabilities) -> Callable[..., Verdict]:
    def run(game: Any) -> Verdict:
        reference = _q_star(game)
        if isinstance(reference, Verdict):
            return reference
        result = target.call("backup", game, _as_target_numbers(reference.Q, caps.exact))
        failure = judge_call(result, "backup(game, Q*)")
        if failure is not None:
            return failure
        # a right backup of Q within e of Q* lands within γe of T(Q*) = Q*, so within (1 + γ)e of Q
        slack = (1 + Fraction(game.gamma)) * reference.error_bound
        return judge_q_table("validate.learner.backup_fixed_point", game, result.value, reference.Q, caps,
                             "backup(game, Q*)", reference_error=slack)

    return run


def _convergence_run(target: IsolatedTarget, caps: Capabilities, steps: int, epsilon: float) -> Callable[..., Verdict]:
    def run(game: Any, seed: int) -> Verdict:
        reference = _q_star(game)
        if isinstance(reference, Verdict):
            return reference
        result = target.call_function("jalverify.validation.learning:drive", game, steps, seed,
                                      time_limit=max(target.time_limit, 60.0))
        if result.outcome is CallOutcome.TIMEOUT:
            # our budget, not the target's promise: a slow learner is not a wrong one
            return Verdict("validate.learner.convergence", Status.NOT_ESTABLISHED,
                           f"not established: {steps} learning steps took longer than {result.seconds:.0f} s",
                           {"timed_out": True})
        failure = judge_call(result, f"learning for {steps} steps")
        if failure is not None:
            return failure
        loose = caps.with_(exact=False, tolerance=epsilon)
        verdict = judge_q_table("validate.learner.convergence", game, result.value, reference.Q, loose,
                                f"Q after {steps} steps", reference_error=reference.error_bound)
        if verdict.status is Status.REFUTED and verdict.theorem == "validate.learner.convergence":
            # A finite budget cannot refute an asymptotic claim: report "not established", never a violation.
            return Verdict(verdict.theorem, Status.NOT_ESTABLISHED, "not established: " + verdict.message,
                           verdict.witness, epsilon)
        return verdict

    return run


def learner_checks(target: IsolatedTarget, caps: Capabilities, *, learner_steps: int,
                   learner_epsilon: float) -> list[Check]:
    """The checks that apply to a learner target, given its declared capabilities."""
    from hypothesis import strategies as st

    from jalverify.strategies import zero_sum_stochastic_games

    # The same action count in every state and for both players (tabular learners such as OpenSpiel's take
    # one action list); shrinks toward 1 action, 1 state.
    games = st.integers(1, 2).flatmap(lambda k: zero_sum_stochastic_games(actions=k))
    checks: list[Check] = []
    if caps.has_backup:
        checks.append(Check("validate.learner.backup_fixed_point", "Q* is a fixed point of the backup",
                            games.map(lambda g: (g,)), _backup_run(target, caps)))
    checks.append(Check("validate.learner.convergence", f"|Q - Q*| <= {learner_epsilon} after {learner_steps} steps",
                        st.tuples(st.integers(1, 2).flatmap(
                            lambda k: zero_sum_stochastic_games(states=st.integers(1, 2), actions=k)),
                            st.integers(0, 2**16)),
                        _convergence_run(target, caps, learner_steps, learner_epsilon), max_examples=3,
                        timeout_budget=1))
    return checks
