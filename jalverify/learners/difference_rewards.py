r"""Difference rewards for multi-agent credit assignment (Wolpert & Tumer 2002; seed note 001; theory.md §8).

With a global (team) reward ``G(a)`` and a default action ``c_i`` for every agent, agent ``i``'s difference
reward is

.. math::  D_i(a) = G(a) − G(c_i, a_{-i}),

the part of ``G`` that agent ``i``'s action is responsible for.  **Alignment**: for any unilateral change of
agent ``i`` from ``a_i`` to ``a'_i``, :math:`D_i(a'_i, a_{-i}) − D_i(a) = G(a'_i, a_{-i}) − G(a)` exactly,
because the subtracted term does not depend on ``a_i``; so ``D_i`` and ``G`` always change in the same
direction (the "factoredness" of Wolpert & Tumer).  All functions here work in either field (exact Fractions
give an exact check).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from jalverify.errors import InvalidGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame

__all__ = ["alignment_violations", "difference_reward_game", "difference_rewards"]


def _check_defaults(shape: tuple[int, ...], defaults: Sequence[int], where: str) -> None:
    if len(defaults) != len(shape):
        raise InvalidGame(f"{where}: {len(defaults)} default actions for {len(shape)} agents")
    for i, (c, k) in enumerate(zip(defaults, shape)):
        if not (isinstance(c, (int, np.integer)) and 0 <= c < k):
            raise InvalidGame(f"{where}: default action {c!r} of agent {i} is not in 0..{k - 1}")


def difference_rewards(G: Any, defaults: Sequence[int]) -> np.ndarray:
    """``D[i][a] = G(a) − G(c_i, a_{-i})`` for a global reward array ``G`` of shape ``(k_0, ..., k_{n-1})``
    (any dtype; object arrays of Fractions stay exact).  Returns shape ``(n, *k)``."""
    G = np.asarray(G)
    _check_defaults(G.shape, defaults, "difference_rewards()")
    n = G.ndim
    out = np.empty((n,) + G.shape, dtype=G.dtype if G.dtype == object else np.result_type(G.dtype, np.float64))
    for i in range(n):
        counterfactual = np.take(G, [defaults[i]], axis=i)  # G(c_i, a_{-i}), broadcast along axis i
        out[i] = G - counterfactual
    return out


def difference_reward_game(game: NormalFormGame | StochasticGame, defaults: Sequence[Any], *,
                           global_player: int = 0) -> NormalFormGame | StochasticGame:
    """The same game with every agent rewarded by its difference reward of the global reward
    ``G = R_{global_player}`` (a common-payoff game is the usual case).

    For a stochastic game ``defaults[s]`` gives the default actions in state ``s`` and
    ``D_i(s, a, s') = G(s, a, s') − G(s, (c_i, a_{-i}), s')``.
    """
    if isinstance(game, NormalFormGame):
        D = difference_rewards(game.payoffs[global_player], defaults)
        return NormalFormGame(D, game.players, game.actions, field=game.field,
                              name=f"difference rewards of {game.name or 'game'}")
    rewards = []
    for s in range(game.n_states):
        R = game.rewards[s]  # (n, *k, S)
        G = np.moveaxis(R[global_player], -1, 0)  # (S', *k)
        per_next = [difference_rewards(G[t], defaults[s]) for t in range(game.n_states)]
        rewards.append(np.stack(per_next, axis=-1))  # (n, *k, S')
    return game.with_rewards(rewards, name=f"difference rewards of {game.name or 'game'}")


def alignment_violations(G: Any, D: Any) -> list[dict[str, Any]]:
    """Every unilateral change ``a → (a'_i, a_{-i})`` where ``D_i`` and ``G`` change by different amounts (an
    exact comparison for exact inputs).  Empty list: ``D`` is aligned with ``G``."""
    G = np.asarray(G)
    D = np.asarray(D)
    out = []
    n = G.ndim
    for a in np.ndindex(*G.shape):
        for i in range(n):
            for b in range(G.shape[i]):
                if b == a[i]:
                    continue
                a2 = a[:i] + (b,) + a[i + 1:]
                dG = G[a2] - G[a]
                dD = D[(i,) + a2] - D[(i,) + a]
                if dG != dD:
                    out.append({"agent": i, "from": a, "to": a2, "delta_G": dG, "delta_D": dD})
    return out
