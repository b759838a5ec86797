"""What one validation check is: an id, the cases Hypothesis draws, and how one case is judged.

Shared by the suites (:mod:`jalverify.validation.suite` for solvers, stage solvers and evaluators,
:mod:`jalverify.validation.learner_checks` for learners) and the runner of checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jalverify.adapters.protocols import Capabilities
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
    #: For cases whose first element is a stochastic game: the games this check may send (the shrinker of
    #: stochastic cases stays inside it); ``None``: such cases are not shrunk beyond what Hypothesis does.
    stochastic_domain: Callable[[Any], bool] | None = None
    #: Cases tried before random generation on every seed (:mod:`jalverify.validation.corpus`).
    corpus: tuple[tuple[Any, ...], ...] = ()


def stochastic_domain(caps: Capabilities) -> Callable[[Any], bool]:
    """The stochastic games a target accepts: its players, zero-sum only, action limits in every live state, and
    one action count everywhere unless it declares per-state action sets."""

    def accepts(game: Any) -> bool:
        live = [s for s in range(game.n_states) if not game.terminal[s]]
        shapes = {tuple(game.n_actions(s)) for s in live}
        if not live or (not caps.state_action_sets and len(shapes) > 1):
            return False
        zero_sum = game.n_players == 2 and game.is_zero_sum()
        return all(caps.accepts(game.n_players, shape, zero_sum) for shape in shapes)

    return accepts
