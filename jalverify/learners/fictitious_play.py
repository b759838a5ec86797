r"""Fictitious play on normal-form games (Brown 1951; Robinson 1951; book §6.3.1, and §5.2 on convergence).

At iteration ``t`` every agent ``i`` best-responds to the product of the other agents' **empirical** action
frequencies up to ``t − 1`` (before any play: to the uniform belief, or to given prior counts), with ties broken
towards the first best action:

.. math::  a^t_i ∈ \arg\max_{a_i} Σ_{a_{-i}} \prod_{j ≠ i} \hat σ^{t-1}_j(a_j)\, R_i(a_i, a_{-i}).

Robinson (1951): in two-player zero-sum games the empirical marginals converge to the set of minimax strategies
(the value converges).  The **policy** (the pure best response played at ``t``) does not converge whenever the
game has no pure equilibrium, e.g. matching pennies, so FP separates the convergence notions: empirical
distribution (marginals) yes, policy no.  Shapley (1964): in his 3×3 game the empirical frequencies cycle and do
not converge at all.

The run is returned as a single-state :class:`~jalverify.learners.traces.Trace`: ``policies`` are the played
pure profiles, ``q`` stores each agent's belief-expected payoff of its own actions (embedded in the joint shape,
constant along the other agents' axes), the step log the played joint actions and payoffs.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jalverify.errors import InvalidNumber
from jalverify.games.normal_form import NormalFormGame
from jalverify.learners.traces import Trace, TraceRecorder

__all__ = ["fictitious_play"]


def _belief_payoffs(R: np.ndarray, freqs: list[np.ndarray], i: int) -> np.ndarray:
    out = R[i]
    for j in reversed(range(len(freqs))):
        if j == i:
            continue
        out = np.tensordot(out, freqs[j], axes=([j], [0]))
    return out


def fictitious_play(game: NormalFormGame, iterations: int, *, record_every: int = 1,
                    prior_counts: list[Any] | None = None) -> Trace:
    """Run simultaneous fictitious play for ``iterations`` rounds and return the trace.

    Parameters
    ----------
    game : NormalFormGame
    iterations : int
    record_every : int
        Snapshot interval (rounds); a snapshot is also taken after the last round.
    prior_counts : list of array-like, optional
        Initial counts per agent (default: none, i.e. a uniform initial belief).
    """
    if iterations < 1 or record_every < 1:
        raise InvalidNumber(f"fictitious_play(): need iterations >= 1 and record_every >= 1, got {iterations!r}, {record_every!r}")
    R = np.asarray(game.payoffs, dtype=np.float64)
    n = game.n_players
    k = game.n_actions
    counts = [np.zeros(k[i]) if prior_counts is None else np.array(prior_counts[i], dtype=np.float64) for i in range(n)]
    header = {"algorithm": "fictitious-play", "game": game.name, "players": list(game.players), "states": ["stage"],
              "actions": [[list(a) for a in game.actions]], "gamma": 0.0, "n_states": 1, "steps": iterations,
              "record_every": record_every, "start": [1.0], "episode_length": 1}
    rec = TraceRecorder(header, (tuple(k),), n, iterations)
    visits = np.zeros(k, dtype=np.int64)
    for t in range(iterations):
        freqs = [c / c.sum() if c.sum() > 0 else np.full(c.size, 1.0 / c.size) for c in counts]
        values = [_belief_payoffs(R, freqs, i) for i in range(n)]
        joint = tuple(int(np.argmax(v)) for v in values)
        for i in range(n):
            counts[i][joint[i]] += 1
        visits[joint] += 1
        rec.log_step(0, int(np.ravel_multi_index(joint, k)), R[(slice(None),) + joint])
        rec.log_episode(t + 1, R[(slice(None),) + joint])
        if (t + 1) % record_every == 0 or t + 1 == iterations:
            pol = np.zeros(k)
            pol[joint] = 1.0
            q = np.empty((n,) + tuple(k))
            for i in range(n):
                shape = [1] * n
                shape[i] = k[i]
                q[i] = np.broadcast_to(values[i].reshape(shape), k)
            rec.snapshot(t + 1, [q], [pol], [visits])
    return rec.finish()
