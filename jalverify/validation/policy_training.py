"""Train a policy learner on a PettingZoo environment of a game and read back its stationary policy.

:func:`train_and_read` runs inside the target's worker process (:class:`~jalverify.validation.runner.IsolatedTarget`):
it builds the environment of the game (:func:`jalverify.envs.parallel_env`, seeded, episodes truncated at
``horizon`` steps; rewards undiscounted, the discount is ``env.metadata["gamma"]``; recording what is played),
calls the learner's ``train(env, steps, seed)``, and asks ``policy(agent, observation)`` in every non-terminal
state.  The environment's record of play gives the joint-action counts per state at evenly spaced points of the
training (the learner's empirical distribution, read from its play, not from its reports).  The answers are
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
    steps_played : int
        Environment steps the learner took.
    play_counts : list
        ``[(steps_done, counts), ...]`` at evenly spaced points of the play (the last one all of it), ``counts[s]``
        the nested list of how often each joint action was played in state ``s`` during the first ``steps_done``
        steps (:meth:`jalverify.envs.record.PlayRecord.counts`).
    """

    policy: list[Any]
    snapshots: list[tuple[int, list[Any]]]
    seconds: float
    steps_played: int
    play_counts: list[tuple[int, list[Any]]]


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


def train_and_read(learner: Any, game: Any, steps: int, seed: int, horizon: int, checkpoints: int = 5) -> PolicyRun:
    """Train ``learner`` for ``steps`` environment steps on the environment of ``game``, read its policy and the
    joint-action counts of its play at ``checkpoints`` evenly spaced points."""
    from jalverify.envs import parallel_env

    env = parallel_env(game, horizon=horizon, seed=seed, record_play=True)
    started = time.perf_counter()
    learner.train(env, steps, seed)
    seconds = time.perf_counter() - started
    policy = read_policy(learner, env, game)
    snapshots: list[tuple[int, list[Any]]] = []
    taker = getattr(learner, "snapshots", None)
    if callable(taker):
        snapshots = [(int(done), _snapshot_layout(game, table)) for done, table in taker()]
    record = env.play_record
    points = sorted({round(k * record.steps / checkpoints) for k in range(1, checkpoints + 1)} - {0})
    play_counts = [(done, [c.tolist() for c in record.counts(done)]) for done in points]
    return PolicyRun(policy, snapshots, seconds, record.steps, play_counts)
