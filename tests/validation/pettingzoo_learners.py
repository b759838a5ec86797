"""Policy learners written against PettingZoo's parallel API alone, as a user would write them (issue 14 §3): the
stand-ins for user code that ``jalverify validate`` checks through the environment path.  Loaded by ``validate`` in
worker processes; not collected by pytest (no ``test_`` prefix).  Only the ``capabilities`` declaration uses
jalverify; the learning code sees nothing but the environment (``reset``, ``step``, ``agents``, ``action_space``,
``observation_space``, ``metadata["gamma"]``, and the action masks the environment gives).

* :class:`IndependentQ`: independent tabular Q-learning (Watkins & Dayan 1992), ε decaying to 0.05, step size 0.1,
  greedy policy; claims the team optimum on turn-based common-payoff games, where the team's problem is one Markov
  decision process and each state has one mover.  Correct.
* :class:`IndependentQWrongDiscount`: the same with a planted bug: it bootstraps with γ/2 instead of γ (a wrong
  discount), so it learns the optimal policy of another problem.
* :class:`FictitiousPlay`: fictitious play (Brown 1951) with payoffs learned from the rewards it sees, on repeated
  two-player zero-sum games (one state); its policy is each player's empirical frequency, which converges to the
  minimax strategies (Robinson 1951).  Correct.
* :class:`BestResponseCycler`: simultaneous best responses to the opponent's last action (Cournot adjustment), with
  a snapshot of its pure policy at every step.  On matching pennies its play cycles through the four joint actions:
  the policy never converges while the averaged policy, the empirical distribution and the average return do.  It
  claims nothing.
* :class:`OverBudget`: fictitious play that takes one environment step more than it is given.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.adapters.protocols import Capabilities, Concept, TargetKind

_TEAM = Capabilities(kind=TargetKind.POLICY_LEARNER, concept=Concept.TEAM, players=2, common_payoff_only=True,
                     turn_based_only=True, converges=True, tolerance=0.01,
                     source="Watkins & Dayan (1992): Q-learning finds the optimal policy of a finite MDP")


def _state(observation: Any) -> int:
    if isinstance(observation, dict):
        observation = observation["observation"]
    array = np.asarray(observation)
    return int(array) if array.ndim == 0 else int(np.argmax(array))


def _mask(observation: Any, info: Any, n: int) -> np.ndarray:
    if isinstance(observation, dict) and "action_mask" in observation:
        return np.asarray(observation["action_mask"], dtype=bool)
    if isinstance(info, dict) and "action_mask" in info:
        return np.asarray(info["action_mask"], dtype=bool)
    return np.ones(n, dtype=bool)


def _state_count(space: Any) -> int:
    """States of a Discrete observation (or of its one-hot Box), inside PettingZoo's {observation, action_mask}."""
    if hasattr(space, "spaces") and "observation" in space.spaces:
        space = space.spaces["observation"]
    return int(space.n) if hasattr(space, "n") else int(space.shape[0])


def _repeated_start(env: Any, seed: int) -> tuple[Any, list[str], list[int], list[np.ndarray], list[tuple[int, int]]]:
    """Reset a repeated two-player game's environment: the generator, the agents, their action-space sizes, their
    legal actions and every legal joint action (to learn each payoff once)."""
    rng = np.random.default_rng(seed)
    agents = list(env.possible_agents)
    sizes = [env.action_space(a).n for a in agents]
    observations, infos = env.reset(seed=int(rng.integers(2**31)))
    actions_of = [np.flatnonzero(_mask(observations[a], infos.get(a), sizes[i])) for i, a in enumerate(agents)]
    return rng, agents, sizes, actions_of, [(x, y) for x in actions_of[0] for y in actions_of[1]]


class IndependentQ:
    """Independent Q-learners, one table per agent over its own actions (module docstring)."""

    capabilities = _TEAM
    discount_factor = 1.0  # the planted bug multiplies γ by this
    alpha = 0.1

    def train(self, env: Any, steps: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        gamma = float(Fraction(str(env.metadata["gamma"]))) * self.discount_factor
        agents = list(env.possible_agents)
        sizes = {a: env.action_space(a).n for a in agents}
        n_states = {a: _state_count(env.observation_space(a)) for a in agents}
        self.q = {a: np.zeros((n_states[a], sizes[a])) for a in agents}
        self.legal = {a: {} for a in agents}
        observations, infos = env.reset(seed=int(rng.integers(2**31)))
        for t in range(steps):
            epsilon = max(0.05, 1.0 - t / (0.7 * steps))
            actions = {}
            for a in env.agents:
                s = _state(observations[a])
                mask = _mask(observations[a], infos.get(a), sizes[a])
                self.legal[a][s] = mask
                legal = np.flatnonzero(mask)
                if rng.random() < epsilon:
                    actions[a] = int(rng.choice(legal))
                else:
                    actions[a] = int(legal[np.argmax(self.q[a][s, legal])])
            next_observations, rewards, terminations, truncations, next_infos = env.step(actions)
            for a, action in actions.items():
                s = _state(observations[a])
                target = float(rewards[a])
                if not terminations[a]:
                    s2 = _state(next_observations[a])
                    mask2 = _mask(next_observations[a], next_infos.get(a), sizes[a])
                    target += gamma * float(np.max(self.q[a][s2, np.flatnonzero(mask2)]))
                self.q[a][s, action] += self.alpha * (target - self.q[a][s, action])
            if not env.agents or all(terminations[a] or truncations[a] for a in actions):
                observations, infos = env.reset(seed=int(rng.integers(2**31)))
            else:
                observations, infos = next_observations, next_infos

    def policy(self, agent: str, observation: Any) -> list[float]:
        s = _state(observation)
        n = self.q[agent].shape[1]
        mask = _mask(observation, None, n) if isinstance(observation, dict) else self.legal[agent].get(s)
        if mask is None:
            raise RuntimeError(f"state {s} was never visited by {agent}: no policy learned there")
        legal = np.flatnonzero(mask)
        out = [0.0] * n
        out[int(legal[np.argmax(self.q[agent][s, legal])])] = 1.0
        return out


class IndependentQWrongDiscount(IndependentQ):
    """:class:`IndependentQ` with the planted bug: bootstraps with γ/2."""

    discount_factor = 0.5


class FictitiousPlay:
    """Fictitious play with learned payoffs on repeated two-player zero-sum games (module docstring)."""

    capabilities = Capabilities(kind=TargetKind.POLICY_LEARNER, concept=Concept.MINIMAX, players=2,
                                zero_sum_only=True, max_states=1, converges=True, tolerance=0.05,
                                source="Robinson (1951): fictitious play converges in two-player zero-sum games")

    def train(self, env: Any, steps: int, seed: int) -> None:
        rng, agents, sizes, actions_of, joint_list = _repeated_start(env, seed)
        self.agents = agents
        payoff = np.zeros((sizes[0], sizes[1]))  # player 0's reward (zero-sum)
        seen = np.zeros((sizes[0], sizes[1]), dtype=bool)
        self.counts = [np.zeros(k) for k in sizes]
        for t in range(steps):
            if t < len(joint_list):  # learn every payoff once (rewards are deterministic in a normal-form game)
                x, y = joint_list[t]
            else:
                played = [c / max(c.sum(), 1.0) for c in self.counts]
                x = int(actions_of[0][np.argmax((payoff @ played[1])[actions_of[0]])])
                y = int(actions_of[1][np.argmin((played[0] @ payoff)[actions_of[1]])])
                self.counts[0][x] += 1
                self.counts[1][y] += 1
            observations, rewards, terminations, truncations, infos = env.step({agents[0]: x, agents[1]: y})
            payoff[x, y] = float(rewards[agents[0]])
            seen[x, y] = True
            if not env.agents or any(terminations.values()) or any(truncations.values()):
                observations, infos = env.reset(seed=int(rng.integers(2**31)))
        if not seen[np.ix_(actions_of[0], actions_of[1])].all():
            raise RuntimeError("fictitious play needs at least as many steps as joint actions")

    def policy(self, agent: str, observation: Any) -> list[float]:
        counts = self.counts[self.agents.index(agent)]
        total = counts.sum()
        if total == 0:
            raise RuntimeError("no fictitious-play steps were taken")
        return (counts / total).tolist()


class BestResponseCycler:
    """Best response to the opponent's last action, payoffs learned first (module docstring)."""

    capabilities = Capabilities(kind=TargetKind.POLICY_LEARNER, concept=Concept.MINIMAX, players=2,
                                zero_sum_only=True, max_states=1, converges=False, tolerance=0.05,
                                source="Cournot best-response dynamics: no convergence claim (they can cycle)")

    def train(self, env: Any, steps: int, seed: int) -> None:
        rng, agents, sizes, actions_of, joint_list = _repeated_start(env, seed)
        self.agents = agents
        payoff = np.zeros((sizes[0], sizes[1]))
        self.trace: list[tuple[int, dict[str, list[list[float]]]]] = []
        x, y = joint_list[0]
        for t in range(steps):
            if t < len(joint_list):
                x, y = joint_list[t]
            else:
                x, y = (int(actions_of[0][np.argmax(payoff[actions_of[0], y])]),
                        int(actions_of[1][np.argmin(payoff[x, actions_of[1]])]))
            observations, rewards, terminations, truncations, infos = env.step({agents[0]: x, agents[1]: y})
            payoff[x, y] = float(rewards[agents[0]])
            self.current = (x, y)
            self.trace.append((t + 1, {agents[i]: [self._pure(sizes[i], a)] for i, a in enumerate((x, y))}))
            if not env.agents or any(terminations.values()) or any(truncations.values()):
                observations, infos = env.reset(seed=int(rng.integers(2**31)))

    @staticmethod
    def _pure(n: int, action: int) -> list[float]:
        out = [0.0] * n
        out[action] = 1.0
        return out

    def policy(self, agent: str, observation: Any) -> list[float]:
        i = self.agents.index(agent)
        return self._pure(len(self.trace[-1][1][agent][0]), self.current[i])

    def snapshots(self) -> list[tuple[int, dict[str, list[list[float]]]]]:
        return self.trace


class OverBudget(FictitiousPlay):
    """:class:`FictitiousPlay` that takes one environment step more than ``steps``."""

    def train(self, env: Any, steps: int, seed: int) -> None:
        super().train(env, steps + 1, seed)
