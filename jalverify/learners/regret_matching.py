r"""Regret matching on normal-form games (Hart & Mas-Colell 2000, Econometrica 68; book §5.2 and §6.4).

**Conditional** (``conditional=True``, Hart & Mas-Colell's procedure, §2): agent ``i`` keeps, for every pair of
its actions ``(j, k)``, :math:`D^t_i(j, k) = \tfrac1t Σ_{τ ≤ t: a^τ_i = j} [u_i(k, a^τ_{-i}) − u_i(a^τ)]`; having
played ``j`` last, it switches to ``k ≠ j`` with probability :math:`\max(D^t_i(j,k), 0)/μ` and repeats ``j``
otherwise, with :math:`μ = 2 (|A_i| − 1) \max|u_i| + 1` (large enough for a distribution).  The empirical joint
distribution converges almost surely to the set of correlated equilibria.

**Unconditional** (default):

Each agent ``i`` keeps its cumulative unconditional regret for every action ``b``,
:math:`R^t_i(b) = Σ_{τ ≤ t} [u_i(b, a^τ_{-i}) − u_i(a^τ)]`, and at ``t + 1`` plays
:math:`σ^{t+1}_i(b) ∝ \max(R^t_i(b), 0)` (uniformly when no regret is positive), sampling its action with a
seeded generator.  The **empirical joint distribution** of play converges almost surely to the set of *coarse*
correlated equilibria (Hart & Mas-Colell 2000; the conditional variant reaches the CE set) — a convergence to a
*set*, the distribution may keep moving inside it.  The trace is a single-state
:class:`~jalverify.learners.traces.Trace` with the current mixed profile (as a product joint distribution) as
the policy.
"""

from __future__ import annotations

import numpy as np

from jalverify.errors import InvalidNumber
from jalverify.games.normal_form import NormalFormGame
from jalverify.learners.stage import product_distribution
from jalverify.learners.traces import Trace, TraceRecorder

__all__ = ["regret_matching"]


def regret_matching(game: NormalFormGame, iterations: int, *, seed: int = 0, record_every: int = 1,
                    conditional: bool = False) -> Trace:
    """Run regret matching for ``iterations`` rounds (module docstring); the first round is uniform."""
    if iterations < 1 or record_every < 1:
        raise InvalidNumber(f"regret_matching(): need iterations >= 1 and record_every >= 1, got {iterations!r}, {record_every!r}")
    R = np.asarray(game.payoffs, dtype=np.float64)
    n = game.n_players
    k = tuple(game.n_actions)
    rng = np.random.default_rng(seed)
    regrets = [np.zeros(k[i]) for i in range(n)]
    pair_regrets = [np.zeros((k[i], k[i])) for i in range(n)]
    mu = [2.0 * (k[i] - 1) * float(np.max(np.abs(R[i]))) + 1.0 for i in range(n)]
    last: tuple[int, ...] | None = None
    header = {"algorithm": "conditional-regret-matching" if conditional else "regret-matching", "game": game.name, "players": list(game.players), "states": ["stage"],
              "actions": [[list(a) for a in game.actions]], "gamma": 0.0, "n_states": 1, "steps": iterations,
              "record_every": record_every, "start": [1.0], "episode_length": 1, "seed": seed}
    rec = TraceRecorder(header, (k,), n, iterations)
    visits = np.zeros(k, dtype=np.int64)
    for t in range(iterations):
        dists = []
        for i in range(n):
            if conditional and last is not None:
                j = last[i]
                d = np.maximum(pair_regrets[i][j] / t, 0.0) / mu[i]
                d[j] = 0.0
                d[j] = 1.0 - d.sum()
                dists.append(d)
                continue
            if conditional:
                dists.append(np.full(k[i], 1.0 / k[i]))
                continue
            pos = np.maximum(regrets[i], 0.0)
            total = pos.sum()
            dists.append(pos / total if total > 0 else np.full(k[i], 1.0 / k[i]))
        joint = tuple(int(min(np.searchsorted(np.cumsum(d), rng.random(), side="right"), k[i] - 1))
                      for i, d in enumerate(dists))
        payoff = R[(slice(None),) + joint]
        for i in range(n):
            idx = list(joint)
            idx[i] = slice(None)
            gain = R[(i,) + tuple(idx)] - payoff[i]
            regrets[i] += gain
            pair_regrets[i][joint[i]] += gain
        last = joint
        visits[joint] += 1
        rec.log_step(0, int(np.ravel_multi_index(joint, k)), payoff)
        rec.log_episode(t + 1, payoff)
        if (t + 1) % record_every == 0 or t + 1 == iterations:
            q = np.zeros((n,) + k)
            rec.snapshot(t + 1, [q], [product_distribution(dists)], [visits])
    return rec.finish()
