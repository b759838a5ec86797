"""Drive a joint-action learner with transitions sampled from a tabular stochastic game.

:func:`drive` runs inside the target's worker process (one call instead of a pipe round trip per step).  The
learner chooses joint actions itself (its own exploration); the next state is sampled from the exact
transition kernel ``T(· | s, a)`` and the rewards are ``R_i(s, a, s')`` (book §3.3).  A terminal state ends the
episode; episodes restart from the initial distribution, or a uniformly drawn state, and with probability
``restart`` per step the state is redrawn uniformly so that every state keeps being visited.

:func:`drive_checkpoints` is the same loop with snapshots of ``Q`` at evenly spaced steps and a wall-clock budget
(the check then reports what was measured before it ran out); :func:`sample_backups` calls a learner's sampled
``backup(game, Q)`` repeatedly, also in the worker, so that the check can estimate its expectation.
"""

from __future__ import annotations

import copy
import random
import time
from typing import Any, NamedTuple

import numpy as np

from jalverify.errors import BadInput

__all__ = ["BackupSamples", "LearningRun", "checkpoint_steps", "drive", "drive_checkpoints", "sample_backups"]


class LearningRun(NamedTuple):
    """What :func:`drive_checkpoints` measured: ``Q`` after ``steps[k]`` transitions is ``snapshots[k]``."""

    steps: list[int]
    snapshots: list[list[Any]]
    steps_done: int
    steps_asked: int
    seconds: float
    #: the wall-clock budget ran out before ``steps_asked`` transitions
    stopped_early: bool


class BackupSamples(NamedTuple):
    """What :func:`sample_backups` collected: one answer of ``backup(game, Q)`` per call."""

    samples: list[list[Any]]
    calls_asked: int
    seconds: float
    #: the wall-clock budget ran out before ``calls_asked`` calls
    stopped_early: bool


def _sample(rng: random.Random, probabilities: list[float]) -> int:
    u = rng.random()
    acc = 0.0
    for k, p in enumerate(probabilities):
        acc += p
        if u < acc:
            return k
    return max(range(len(probabilities)), key=lambda k: probabilities[k])


def checkpoint_steps(steps: int, checkpoints: int) -> list[int]:
    """``checkpoints`` evenly spaced step counts ending at ``steps`` (``round(k·steps/checkpoints)``, k = 1..),
    without repeats: ``checkpoint_steps(2000, 5) == [400, 800, 1200, 1600, 2000]``."""
    if checkpoints < 1:
        raise BadInput(f"checkpoint_steps(): checkpoints must be >= 1, got {checkpoints}")
    return sorted({round(k * steps / checkpoints) for k in range(1, checkpoints + 1)})


def _snapshot(learner: Any) -> list[Any]:
    # a deep copy, as returned (the check reads its shape): a learner may hand out its live tables, which the
    # next steps would change
    return copy.deepcopy(list(learner.q_values()))


def drive(learner: Any, game: Any, steps: int, seed: int, restart: float = 0.05) -> list[Any]:
    """Reset ``learner`` on ``game`` and feed it ``steps`` transitions; return ``learner.q_values()``.

    Rewards are passed as floats unless the learner declares ``capabilities.exact`` (then Fractions).
    """
    return [np.asarray(q) for q in drive_checkpoints(learner, game, steps, seed, checkpoints=1,
                                                     restart=restart).snapshots[-1]]


def drive_checkpoints(learner: Any, game: Any, steps: int, seed: int, checkpoints: int = 5,
                      seconds: float | None = None, restart: float = 0.05) -> LearningRun:
    """:func:`drive` with a copy of ``learner.q_values()`` after each of :func:`checkpoint_steps` (the last is
    ``steps``), stopping early once ``seconds`` of wall-clock time are spent: then the last snapshot is ``Q``
    after the steps done so far (``stopped_early``).  The transitions are those of :func:`drive` with the same
    seed (snapshots only read ``Q``)."""
    started = time.perf_counter()
    deadline = None if seconds is None else started + float(seconds)
    marks = set(checkpoint_steps(steps, checkpoints)) if steps > 0 else {0}
    taken: list[int] = []
    snapshots: list[list[Any]] = []
    rng = random.Random(seed)
    exact = bool(getattr(getattr(learner, "capabilities", None), "exact", False))
    learner.reset(game, seed)
    live = [s for s in range(game.n_states) if not game.terminal[s]] or [0]
    initial = game.initial

    def start() -> int:
        if initial is not None:
            return _sample(rng, [float(p) for p in np.asarray(initial, dtype=object).tolist()])
        return rng.choice(live)

    state = start()
    if marks == {0}:
        taken.append(0)
        snapshots.append(_snapshot(learner))
    done = 0
    stopped = False
    for step in range(1, steps + 1):
        if deadline is not None and time.perf_counter() >= deadline:
            stopped = True
            break
        if game.terminal[state] or rng.random() < restart:
            state = rng.choice(live) if rng.random() < 0.5 or initial is None else start()
        joint = tuple(int(a) for a in learner.act(state))
        row = game.transitions[state][joint]
        next_state = _sample(rng, [float(p) for p in row.tolist()])
        rewards = [game.rewards[state][(i, *joint, next_state)] for i in range(game.n_players)]
        if not exact:
            rewards = [float(r) for r in rewards]
        learner.observe(state, joint, rewards, next_state)
        state = next_state
        done = step
        if step in marks:
            taken.append(step)
            snapshots.append(_snapshot(learner))
    if stopped and (not taken or taken[-1] != done):
        taken.append(done)
        snapshots.append(_snapshot(learner))
    return LearningRun(taken, snapshots, done, steps, time.perf_counter() - started, stopped)


def sample_backups(learner: Any, game: Any, Q: Any, calls: int, seconds: float | None = None) -> BackupSamples:
    """Call ``learner.backup(game, Q)`` up to ``calls`` times (fewer once ``seconds`` are spent; at least once)
    and return every answer, copied.  Runs in the target's worker: one pipe round trip for all the calls."""
    started = time.perf_counter()
    deadline = None if seconds is None else started + float(seconds)
    samples: list[list[Any]] = []
    stopped = False
    for _ in range(calls):
        if samples and deadline is not None and time.perf_counter() >= deadline:
            stopped = True
            break
        samples.append(copy.deepcopy(list(learner.backup(game, Q))))
    return BackupSamples(samples, calls, time.perf_counter() - started, stopped)
