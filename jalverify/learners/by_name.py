"""The tabular learners by name, as the command line and experiment campaigns call them.

One table of names (``minimax-q``, ``nash-q``, ``ce-q-u`` / ``-e`` / ``-r`` / ``-l``, ``friend-q``, ``foe-q``,
``iql``) and one constructor, so ``jalverify learn`` and a campaign of runs build exactly the same learner from the
same options.  The algorithms and their sources are documented in their own modules: Minimax-Q (Littman 1994),
Nash-Q (Hu & Wellman 2003), CE-Q with the four selection functions (Greenwald & Hall 2003), Friend-or-Foe-Q
(Littman 2001), independent Q-learning (Tan 1993).
"""

from __future__ import annotations

from typing import Any

from jalverify.errors import UnknownName

__all__ = ["ALGORITHMS", "CE_SELECTIONS", "make_learner"]

#: Every learner name the command line and campaigns accept.
ALGORITHMS = ("minimax-q", "nash-q", "ce-q-u", "ce-q-e", "ce-q-r", "ce-q-l", "friend-q", "foe-q", "iql")

#: CE-Q's names and the equilibrium-selection objective each stands for (Greenwald & Hall 2003).
CE_SELECTIONS = {"ce-q-u": "utilitarian", "ce-q-e": "egalitarian", "ce-q-r": "republican", "ce-q-l": "libertarian"}


def make_learner(game: Any, algorithm: str, *, schedule: Any, exploration: Any, seed: int, steps: int,
                 selection: str = "first", require: str | None = None, reward_scaling: bool = False) -> Any:
    """The learner named ``algorithm`` on ``game``.

    Parameters
    ----------
    game : StochasticGame
    algorithm : str
        One of :data:`ALGORITHMS`.
    schedule, exploration
        The step-size schedule and exploration policy (:mod:`jalverify.learners.schedules`).
    seed : int
    steps : int
        The run's length (Nash-Q audits its equilibrium conditions about 1000 times over it).
    selection : str
        Nash-Q's equilibrium selection rule (default ``"first"``, as ``jalverify learn``).
    require : str, optional
        The kind of equilibrium Nash-Q's updates must use (audited).
    reward_scaling : bool
        CE-Q: scale rewards by ``1 − γ``.

    Raises
    ------
    UnknownName
        ``algorithm`` is not one of :data:`ALGORITHMS`.
    """
    from jalverify import learners as L

    common = {"schedule": schedule, "exploration": exploration, "seed": seed}
    if algorithm == "minimax-q":
        return L.minimax_q(game, **common)
    if algorithm == "nash-q":
        audit = L.NashConditionAudit(require, every=max(1, steps // 1000))
        return L.nash_q(game, selection=selection, require=require, audit=audit, **common)
    if algorithm in CE_SELECTIONS:
        return L.ce_q(game, CE_SELECTIONS[algorithm], reward_scaling=reward_scaling, **common)
    if algorithm == "friend-q":
        return L.friend_q(game, **common)
    if algorithm == "foe-q":
        return L.foe_q(game, **common)
    if algorithm == "iql":
        return L.independent_q(game, **common)
    raise UnknownName(f"unknown learner {algorithm!r}; learners are {', '.join(ALGORITHMS)}")
