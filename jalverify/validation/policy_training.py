"""Train a policy learner on a PettingZoo environment of a game and read back its stationary policy.

:func:`train_and_read` runs inside the target's worker process (:class:`~jalverify.validation.runner.IsolatedTarget`):
it builds the environment of the game (:func:`jalverify.envs.parallel_env`, seeded, episodes truncated at
``horizon`` steps; rewards undiscounted, the discount is ``env.metadata["gamma"]``), calls the learner's
``train(env, steps, seed)``, and asks ``policy(agent, observation)`` in every non-terminal state.  The answers are
returned as the learner gave them (converted to plain lists); reading them exactly, and refusing malformed ones, is
the checker's work (:mod:`jalverify.validation.policy_learner_checks`).
"""

from __future__ import annotations

import time
from typing import Any, NamedTuple

__all__ = ["PolicyRun", "read_policy", "train_and_read"]


class PolicyRun(NamedTuple):
    """What :func:`train_and_read` collected.

    Attributes
    ----------
    policy : list
        Per state: ``None`` at a terminal state, else one answer of ``policy(agent, observation)`` per player
        (in the game's player order), as a list.
    snapshots : list
        ``[(steps_done, per-state answers as in policy), ...]`` from the learner's ``snapshots()``; empty when it
        has none.
    seconds : float
        Wall time of ``train``.
    """

    policy: list[Any]
    snapshots: list[tuple[int, list[Any]]]
    seconds: float


def _plain(answer: Any) -> Any:
    tolist = getattr(answer, "tolist", None)
    if callable(tolist):
        return tolist()
    if isinstance(answer, (list, tuple)):
        return [_plain(a) for a in answer]
    return answer


def read_policy(learner: Any, env: Any, game: Any) -> list[Any]:
    """``policy(agent, observation)`` of every player in every non-terminal state (``None`` at terminal states)."""
    out: list[Any] = []
    for s in range(game.n_states):
        if game.terminal[s]:
            out.append(None)
            continue
        out.append([_plain(learner.policy(agent, env.observation_for(agent, s))) for agent in game.players])
    return out


def _snapshot_layout(game: Any, table: Any) -> list[Any]:
    """``{agent: [distribution per state]}`` (the protocol's snapshot form) as the per-state layout of
    :attr:`PolicyRun.policy`."""
    return [None if game.terminal[s] else [_plain(table[agent][s]) for agent in game.players]
            for s in range(game.n_states)]


def train_and_read(learner: Any, game: Any, steps: int, seed: int, horizon: int) -> PolicyRun:
    """Train ``learner`` for ``steps`` environment steps on the environment of ``game`` and read its policy."""
    from jalverify.envs import parallel_env

    env = parallel_env(game, horizon=horizon, seed=seed)
    started = time.perf_counter()
    learner.train(env, steps, seed)
    seconds = time.perf_counter() - started
    policy = read_policy(learner, env, game)
    snapshots: list[tuple[int, list[Any]]] = []
    taker = getattr(learner, "snapshots", None)
    if callable(taker):
        snapshots = [(int(done), _snapshot_layout(game, table)) for done, table in taker()]
    return PolicyRun(policy, snapshots, seconds)
