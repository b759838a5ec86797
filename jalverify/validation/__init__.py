"""Validation of third-party solvers, evaluators and learners against exact ground truth.

Three ways in: :func:`check_solver` / :func:`check_learner` / :func:`check_policy_learner` from a test, the pytest
plugin (``pytest --jalverify-target=pkg.mod:obj``) and ``jalverify validate TARGET``.
"""

from __future__ import annotations

from typing import Any

from jalverify.validation.findings import CheckOutcome, Finding, ValidationResult
from jalverify.validation.runner import CallOutcome, CallResult, IsolatedTarget
from jalverify.validation.suite import PROFILE_EXAMPLES, checks_for, validate

__all__ = [
    "validate",
    "check_solver",
    "check_learner",
    "check_policy_learner",
    "checks_for",
    "PROFILE_EXAMPLES",
    "ValidationResult",
    "CheckOutcome",
    "Finding",
    "IsolatedTarget",
    "CallOutcome",
    "CallResult",
]


def check_solver(target: Any, **options: Any) -> ValidationResult:
    """Validate a solver (Nash, minimax, stage solver or policy evaluator) and raise one grouped
    :class:`AssertionError` listing every distinct violation, each with its minimal game and a replay command.

    ``options`` are those of :func:`validate` (``profile``, ``max_examples``, ``seed``, ``time_limit``,
    ``isolate``, ``report_dir``, ``checks``).  Returns the result when nothing was refuted.
    """
    from jalverify.adapters.protocols import InvalidTarget, TargetKind

    result = validate(target, **options)
    if result.capabilities.kind is TargetKind.LEARNER:
        raise InvalidTarget(f"check_solver(): {result.target!r} is a learner; use check_learner()")
    if result.capabilities.kind is TargetKind.POLICY_LEARNER:
        raise InvalidTarget(f"check_solver(): {result.target!r} is a policy learner; use check_policy_learner()")
    result.raise_for_violations()
    return result


def check_learner(target: Any, **options: Any) -> ValidationResult:
    """Validate a joint-action learner (backup fixed point, convergence to the exact Q*); raise one grouped
    :class:`AssertionError` on violations.  ``options`` as for :func:`validate` (plus ``learner_steps``)."""
    options.setdefault("kind", "learner")
    result = validate(target, **options)
    result.raise_for_violations()
    return result


def check_policy_learner(target: Any, **options: Any) -> ValidationResult:
    """Validate a policy learner written against PettingZoo (``train(env, steps, seed)``, ``policy(agent,
    observation)``): the exact NashConv, or gap to the team optimum, of the policy it learns on generated and corpus
    games (:mod:`jalverify.validation.policy_learner_checks`); raise one grouped :class:`AssertionError` listing every
    violation with its minimal game.  ``options`` as for :func:`validate` (``learner_steps``: training steps)."""
    options.setdefault("kind", "policy-learner")
    result = validate(target, **options)
    result.raise_for_violations()
    return result
