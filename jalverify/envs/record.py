"""The record of what was played in an environment: every step's state and joint action, in order.

A learner's **empirical distribution** (seed note 001; Albrecht, Christianos & Schäfer 2024, §5.2: the frequencies of
the joint actions played in each state, uniform where a state was never visited) is a property of its play, not of
what it reports.  An environment made with ``record_play=True`` (:func:`jalverify.envs.parallel_env`,
:func:`jalverify.envs.aec_env`) keeps this record, so that the empirical distribution after any number of steps can
be read back exactly (integer counts) without trusting the learner.  Memory: two machine integers per step.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

import numpy as np

from jalverify.errors import InvalidOption

__all__ = ["PlayRecord"]


class PlayRecord:
    """Every step's state and joint action (as a flat index into the state's joint-action table), in order.

    Parameters
    ----------
    shapes : sequence of tuple of int
        ``shapes[s]`` is the number of actions of each player in state ``s`` (``game.n_actions(s)``).
    """

    __slots__ = ("_shapes", "_strides", "_states", "_joints", "_episode_starts")

    def __init__(self, shapes: Sequence[tuple[int, ...]]) -> None:
        self._shapes = [tuple(int(k) for k in shape) for shape in shapes]
        self._strides = []
        for shape in self._shapes:
            strides, step = [], 1
            for k in reversed(shape):
                strides.append(step)
                step *= k
            self._strides.append(tuple(reversed(strides)))
        self._states = array("q")
        self._joints = array("q")
        self._episode_starts = array("q")

    def start_episode(self) -> None:
        """Mark that an episode starts at the next step."""
        self._episode_starts.append(len(self._states))

    def add(self, state: int, joint: Sequence[int]) -> None:
        """Record that ``joint`` (one action index per player) was played in ``state``."""
        self._states.append(state)
        self._joints.append(sum(a * w for a, w in zip(joint, self._strides[state])))

    @property
    def steps(self) -> int:
        """Steps recorded so far (over every episode)."""
        return len(self._states)

    @property
    def episodes(self) -> int:
        """Episodes started so far."""
        return len(self._episode_starts)

    def counts(self, upto: int | None = None) -> list[np.ndarray]:
        """How often each joint action was played in each state during the first ``upto`` steps (all by default):
        ``counts[s]`` is an integer array of shape ``shapes[s]``.

        Raises
        ------
        InvalidOption
            ``upto`` is negative or more than the steps recorded.
        """
        n = self.steps if upto is None else upto
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 0 <= n <= self.steps:
            raise InvalidOption(f"PlayRecord.counts(): upto must be an integer from 0 to {self.steps}, got {upto!r}")
        states = np.frombuffer(self._states, dtype=np.int64, count=int(n)) if n else np.zeros(0, dtype=np.int64)
        joints = np.frombuffer(self._joints, dtype=np.int64, count=int(n)) if n else np.zeros(0, dtype=np.int64)
        out = []
        for s, shape in enumerate(self._shapes):
            size = int(np.prod(shape))
            played = joints[states == s]
            out.append(np.bincount(played, minlength=size).astype(np.int64).reshape(shape))
        return out
