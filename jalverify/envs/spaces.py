"""Gymnasium spaces and observations shared by the parallel and the AEC environment of :mod:`jalverify.envs`.

An observation is PettingZoo Classic's action-masking dictionary (PettingZoo docs, *AEC API: Action Masking*;
the form PettingZoo's own ``parallel_api_test`` and ``api_test`` sample legal actions from):

* ``"observation"``: the state index, a ``numpy.int64`` in ``Discrete(n_states)``, or with ``one_hot=True`` a
  float32 one-hot vector in ``Box(0, 1, (n_states,))``;
* ``"action_mask"``: an int8 vector of the agent's action-space size, 1 for the actions the state offers the
  agent (the first ``k`` of its actions) and 0 for the rest.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium import spaces

from jalverify.envs.model import GameModel

__all__ = ["Encoder"]


class Encoder:
    """The spaces of every agent of a :class:`~jalverify.envs.model.GameModel` and its observations.

    Parameters
    ----------
    model : GameModel
    one_hot : bool
        Encode the state as a float32 one-hot vector instead of an index.
    """

    def __init__(self, model: GameModel, one_hot: bool) -> None:
        self.model = model
        self.one_hot = bool(one_hot)
        S = model.n_states
        self.state_space: spaces.Space[Any] = (
            spaces.Box(0.0, 1.0, shape=(S,), dtype=np.float32) if self.one_hot else spaces.Discrete(S)
        )
        self.observation_spaces: dict[str, spaces.Space[Any]] = {}
        self.action_spaces: dict[str, spaces.Discrete] = {}
        for i, agent in enumerate(model.players):
            size = model.max_actions[i]
            self.action_spaces[agent] = spaces.Discrete(size)
            self.observation_spaces[agent] = spaces.Dict({
                "observation": self.state_space,
                "action_mask": spaces.Box(0, 1, shape=(size,), dtype=np.int8),
            })

    def state(self, s: int) -> Any:
        """The encoding of state ``s``: ``numpy.int64(s)`` or a fresh float32 one-hot vector."""
        if not self.one_hot:
            return np.int64(s)
        vec = np.zeros(self.model.n_states, dtype=np.float32)
        vec[s] = 1.0
        return vec

    def observation(self, s: int, i: int) -> dict[str, Any]:
        """Player ``i``'s observation in state ``s`` (fresh arrays: a learner may keep or modify them)."""
        return {"observation": self.state(s), "action_mask": self.model.mask(s, i).copy()}
