r"""Independent Q-learning (IQL), the baseline without joint actions (book §5.3.1; Tan 1993).

Each agent ``i`` learns :math:`Q_i(s, a_i)` over its **own** actions only, treating the others as part of the
environment:

.. math::  Q_i(s,a_i) \leftarrow Q_i(s,a_i) + α_n(s,a_i)\,[\,r_i + γ \max_{b} Q_i(s', b) − Q_i(s,a_i)\,],

with step sizes counted per visit of ``(s, a_i)`` and ε-greedy play (greedy ties broken towards the first
action).  No convergence guarantee holds: the environment each agent sees is non-stationary.

For the common interface, :meth:`IndependentQLearner.q_tables` embeds ``Q_i(s, a_i)`` in the joint shape
``(n, *k_s)`` (constant along the other agents' axes), and :meth:`IndependentQLearner.apply_operator` is the
expected backup *against the other agents' current greedy policies*.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jalverify.errors import InvalidGame, UnsupportedGame
from jalverify.games.stochastic import StochasticGame
from jalverify.learners.base import TabularLearner
from jalverify.learners.schedules import EpsilonGreedy, StepSchedule
from jalverify.learners.simulator import Transition
from jalverify.learners.stage import product_distribution
from jalverify.numbers import field_named

__all__ = ["IndependentQLearner", "independent_q"]


class IndependentQLearner(TabularLearner):
    """Independent Q-learners, one per agent (see module docstring)."""

    algorithm = "iql"

    def __init__(self, game: StochasticGame, *, schedule: StepSchedule | None = None,
                 exploration: EpsilonGreedy | None = None, initial_q: float = 0.0, seed: int = 0) -> None:
        super().__init__(game, schedule=schedule, exploration=exploration, seed=seed)
        self.initial_q = float(initial_q)
        self.own_q: list[list[np.ndarray]] = [
            [np.zeros(k[i]) if self.arrays.terminal[s] else np.full(k[i], self.initial_q) for i in range(self.n_agents)]
            for s, k in enumerate(self.shapes)
        ]
        self.own_counts = [[np.zeros(k[i], dtype=np.int64) for i in range(self.n_agents)] for k in self.shapes]

    def greedy(self, state: int) -> tuple[int, ...]:
        return tuple(int(np.argmax(self.own_q[state][i])) for i in range(self.n_agents))

    def act(self, state: int, step: int) -> tuple[int, ...]:
        joint = list(self.greedy(state))
        explore = self.exploration.explore_mask(self.rng, self.n_agents, step)
        k = self.shapes[state]
        for i in range(self.n_agents):
            if explore[i]:
                joint[i] = int(self.rng.integers(k[i]))
        return tuple(joint)

    def target(self, state: int, joint_action: tuple[int, ...], rewards: np.ndarray, next_state: int) -> np.ndarray:
        """``r_i + γ max_b Q_i(s', b)`` per agent (0 continuation at terminal states)."""
        if self.arrays.terminal[next_state]:
            return np.asarray(rewards, dtype=np.float64).copy()
        cont = np.array([float(np.max(self.own_q[next_state][i])) for i in range(self.n_agents)])
        return np.asarray(rewards, dtype=np.float64) + self.gamma * cont

    def update(self, transition: Transition) -> None:
        s, a = transition.state, transition.joint_action
        tgt = self.target(s, a, transition.rewards, transition.next_state)
        self.counts[s][a] += 1
        for i in range(self.n_agents):
            c = self.own_counts[s][i]
            c[a[i]] += 1
            alpha = self.schedule(int(c[a[i]]))
            qi = self.own_q[s][i]
            qi[a[i]] += alpha * (tgt[i] - qi[a[i]])

    def q_tables(self) -> list[np.ndarray]:
        out = []
        for s, k in enumerate(self.shapes):
            arr = np.empty((self.n_agents,) + k)
            for i in range(self.n_agents):
                shape = [1] * len(k)
                shape[i] = k[i]
                arr[i] = np.broadcast_to(self.own_q[s][i].reshape(shape), k)
            out.append(arr)
        return out

    def policies(self) -> list[np.ndarray]:
        return [product_distribution(list(parts)) for parts in self.policy_parts()]

    def policy_parts(self) -> list[Any]:
        out: list[Any] = []
        for s, k in enumerate(self.shapes):
            g = self.greedy(s)
            dists = []
            for i in range(self.n_agents):
                d = np.zeros(k[i])
                d[g[i]] = 1.0
                dists.append(d)
            out.append(tuple(dists))
        return out

    def apply_operator(self, Q: list[np.ndarray], field: Any = "float") -> list[np.ndarray]:
        """Expected IQL backup in the joint embedding: for agent ``i``,
        ``Σ_{a_{-i}} π_{-i}(a_{-i}|s) Σ_{s'} T(s'|s,a)[R_i + γ max_b Q_i(s', b)]`` with ``π_{-i}`` the others'
        current greedy policies (float only)."""
        if field_named(field).exact:
            raise UnsupportedGame("IndependentQLearner.apply_operator(): only the float field is supported "
                                  "(the greedy policies it depends on are float argmaxes)")
        ar = self.arrays
        pol = self.policies()
        V = np.array([[0.0 if ar.terminal[s] else float(np.max(Q[s][i])) for s in range(ar.n_states)]
                      for i in range(self.n_agents)])
        out = []
        for s, k in enumerate(self.shapes):
            full = (ar.rewards[s] + self.gamma * V.reshape((self.n_agents,) + (1,) * len(k) + (-1,))) * ar.transitions[s][None]
            full = full.sum(axis=-1)  # (n, *k)
            arr = np.empty((self.n_agents,) + k)
            joint = pol[s]
            for i in range(self.n_agents):
                # weight by the others' greedy policy, keep own axis
                others = joint.sum(axis=i, keepdims=True)
                own = (full[i] * others).sum(axis=tuple(j for j in range(len(k)) if j != i), keepdims=True)
                arr[i] = np.broadcast_to(own, k)
            out.append(np.zeros_like(arr) if ar.terminal[s] else arr)
        return out

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "initial_q": self.initial_q}


def independent_q(game: StochasticGame, **kwargs: Any) -> IndependentQLearner:
    """Independent Q-learners for every agent of ``game``."""
    if game.n_players < 1:
        raise InvalidGame("independent_q(): the game has no players")
    return IndependentQLearner(game, **kwargs)
