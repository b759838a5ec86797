"""Drive a joint-action learner with transitions sampled from a tabular stochastic game.

:func:`drive` runs inside the target's worker process (one call instead of a pipe round trip per step).  The
learner chooses joint actions itself (its own exploration); the next state is sampled from the exact
transition kernel ``T(· | s, a)`` and the rewards are ``R_i(s, a, s')`` (book §3.3).  A terminal state ends the
episode; episodes restart from the initial distribution, or a uniformly drawn state, and with probability
``restart`` per step the state is redrawn uniformly so that every state keeps being visited.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np

__all__ = ["drive"]


def _sample(rng: random.Random, probabilities: list[float]) -> int:
    u = rng.random()
    acc = 0.0
    for k, p in enumerate(probabilities):
        acc += p
        if u < acc:
            return k
    return max(range(len(probabilities)), key=lambda k: probabilities[k])


def drive(learner: Any, game: Any, steps: int, seed: int, restart: float = 0.05) -> list[Any]:
    """Reset ``learner`` on ``game`` and feed it ``steps`` transitions; return ``learner.q_values()``.

    Rewards are passed as floats unless the learner declares ``capabilities.exact`` (then Fractions).
    """
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
    for _ in range(steps):
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
    return [np.asarray(q) for q in learner.q_values()]
