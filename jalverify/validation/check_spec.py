"""What one validation check is: an id, the cases Hypothesis draws, and how one case is judged.

Shared by the suites (:mod:`jalverify.validation.suite` for solvers, stage solvers and evaluators,
:mod:`jalverify.validation.learner_checks` for learners) and the runner of checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jalverify.verdicts import Verdict

__all__ = ["TIMEOUT_BUDGET", "Check"]

#: After this many time-outs (each costs the full time limit) in one check, no new game is sent.
TIMEOUT_BUDGET = 3


@dataclass(frozen=True)
class Check:
    """One check: an id, the cases Hypothesis draws (tuples), and how to judge the target on one case."""

    id: str
    description: str
    cases: Any  # SearchStrategy[tuple]
    run: Callable[..., Verdict]
    max_examples: int | None = None  # a cap for expensive checks (e.g. a whole learning run per example)
    timeout_budget: int = TIMEOUT_BUDGET  # time-outs after which no new case is sent
    #: The games this check may send (the target's declared domain and the check's own, e.g. nondegenerate):
    #: the corpus and the game shrinker stay inside it.  ``None``: the cases are not single normal-form games.
    domain: Callable[[Any], bool] | None = None
    #: Cases tried before random generation on every seed (:mod:`jalverify.validation.corpus`).
    corpus: tuple[tuple[Any, ...], ...] = ()


