r"""Exact check that a stationary joint policy is a stationary equilibrium of a stochastic game.

With the other players' stationary policies :math:`π_{-i}` fixed, player ``i`` faces a discounted Markov
decision process.  By the one-shot deviation principle (Bellman optimality; Puterman 1994, *Markov Decision
Processes*, Thm. 6.2.6; Zinkevich, Greenwald & Littman 2005, NIPS 18, §2; Albrecht, Christianos & Schäfer
2024, p.126 and theory.md §6), :math:`π_i` is a best response iff for every state ``s``

.. math::  \max_{a_i ∈ A_i(s)} \bar Q^π_i(s, a_i) = V^π_i(s), \qquad
           \bar Q^π_i(s, a_i) = Σ_{a_{-i}} π_{-i}(a_{-i} \mid s)\, Q^π_i(s, a_i, a_{-i}).

Since :math:`V^π_i(s) = Σ_{a_i} π_i(a_i|s) \bar Q^π_i(s, a_i)`, the maximum is never below :math:`V^π_i(s)`,
and equality means every action played with positive probability is a maximiser.  The **gain** of the one-shot
deviation ``(i, s, a_i)`` is :math:`\bar Q^π_i(s, a_i) - V^π_i(s)`; π is a stationary equilibrium iff no gain is
positive, at every state (reachable or not).  In the exact field the gains are exact rationals, so the verdict
is a proof; in the float field it holds within the field's tolerance only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from jalverify.errors import InvalidPolicy
from jalverify.games.stochastic import StationaryPolicy, StochasticGame
from jalverify.numbers import Number, format_number
from jalverify.solvers.evaluation import PolicyValues, evaluate_policy
from jalverify.verdicts import Status, Verdict

__all__ = [
    "Deviation",
    "StationaryEquilibriumCheck",
    "check_stationary_equilibrium",
    "stationary_equilibrium_verdict",
    "marginal_action_values",
]

THEOREM_ID = "nosde.stationary_equilibrium"


@dataclass(frozen=True)
class Deviation:
    """A profitable one-shot deviation: ``player`` switches to ``action`` in ``state`` once, then follows π.

    Attributes
    ----------
    player, state, action : int
        Indices (player, state, the deviating player's action index in that state).
    gain : Number
        :math:`\\bar Q^π_i(s, a) - V^π_i(s) > 0`, exact in the exact field.
    player_name, state_name, action_name : str
    """

    player: int
    state: int
    action: int
    gain: Number
    player_name: str
    state_name: str
    action_name: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "player": self.player_name,
            "state": self.state_name,
            "action": self.action_name,
            "gain": format_number(self.gain),
        }

    def __str__(self) -> str:
        return (f"player {self.player_name!r} gains {self.gain} by playing {self.action_name!r} "
                f"once in state {self.state_name!r}")


@dataclass(frozen=True)
class StationaryEquilibriumCheck:
    """Result of :func:`check_stationary_equilibrium`.

    Attributes
    ----------
    policy : StationaryPolicy
    values : PolicyValues
        Exact :math:`V^π` and :math:`Q^π` (from :func:`jalverify.solvers.evaluation.evaluate_policy`).
    gains : tuple
        ``gains[i][s]``: array over player ``i``'s actions in ``s`` of :math:`\\bar Q^π_i(s,a) - V^π_i(s)`.
    deviations : tuple of Deviation
        Every profitable one-shot deviation, largest gain first (ties: player, state, action order).
    exact : bool
        Whether the computation was in the exact field (then the answer is proven).
    """

    policy: StationaryPolicy
    values: PolicyValues
    gains: tuple[tuple[np.ndarray, ...], ...]
    deviations: tuple[Deviation, ...]
    exact: bool

    @property
    def is_equilibrium(self) -> bool:
        """No profitable one-shot deviation (exactly, or within tolerance in the float field)."""
        return not self.deviations

    @property
    def witness(self) -> Deviation:
        """The largest profitable deviation; raises :class:`InvalidPolicy` if π is an equilibrium."""
        if not self.deviations:
            raise InvalidPolicy("StationaryEquilibriumCheck.witness: the policy is a stationary equilibrium; "
                                "there is no profitable deviation")
        return self.deviations[0]

    @property
    def max_gain(self) -> Number:
        """The largest one-shot gain over players, states and actions (≥ 0)."""
        return max(g for per in self.gains for arr in per for g in arr.reshape(-1).tolist())


def marginal_action_values(policy: StationaryPolicy, q_state: np.ndarray, player: int, state: int) -> np.ndarray:
    """:math:`\\bar Q_i(s, a_i)`: player ``i``'s joint-action values in ``state`` averaged over the others' policy.

    Parameters
    ----------
    policy : StationaryPolicy
    q_state : array of shape ``(n, *k_s)``
        :math:`Q_j(s, a)` for every player ``j`` (only row ``player`` is used).
    player, state : int
    """
    arr = q_state[player]
    game = policy.game
    n = game.n_players
    # contract the others' axes, highest first so the remaining axis indices stay valid
    for j in reversed(range(n)):
        if j == player:
            continue
        d = policy.distributions[state][j]
        arr = np.tensordot(arr, d, axes=([j], [0]))
    return np.asarray(arr)


def check_stationary_equilibrium(game: StochasticGame, policy: StationaryPolicy, *,
                                 values: PolicyValues | None = None) -> StationaryEquilibriumCheck:
    """Check exactly whether ``policy`` is a stationary equilibrium of ``game`` (one-shot deviation principle).

    Parameters
    ----------
    game : StochasticGame
        Any number of players, general-sum, simultaneous or turn-based moves.
    policy : StationaryPolicy
        A policy of ``game``.
    values : PolicyValues, optional
        Precomputed :math:`V^π, Q^π` (must come from ``evaluate_policy(game, policy)``).

    Returns
    -------
    StationaryEquilibriumCheck
        With every one-shot gain and every profitable deviation (exact in the exact field).

    Raises
    ------
    InvalidPolicy
        ``policy`` is not a :class:`StationaryPolicy` or belongs to a different game.
    """
    if not isinstance(policy, StationaryPolicy):
        raise InvalidPolicy("check_stationary_equilibrium(): expected a StationaryPolicy (one independent "
                            f"distribution per player and state), got {type(policy).__name__}")
    if policy.game is not game and policy.game != game:
        raise InvalidPolicy("check_stationary_equilibrium(): the policy was built for a different game "
                            f"({policy.game!r}), not {game!r}")
    fld = game.field
    pv = values if values is not None else evaluate_policy(game, policy)
    gains: list[tuple[np.ndarray, ...]] = []
    found: list[Deviation] = []
    for i in range(game.n_players):
        per_state = []
        for s in range(game.n_states):
            qbar = marginal_action_values(policy, np.asarray(pv.Q[s]), i, s)
            v = pv.V[i][s]
            g = np.empty(qbar.shape, dtype=fld.dtype)
            for a, q in enumerate(qbar.tolist()):
                g[a] = q - v
                if fld.lt(fld.zero, g[a]):
                    found.append(Deviation(i, s, a, g[a], game.players[i], game.states[s], game.actions[s][i][a]))
            per_state.append(g)
        gains.append(tuple(per_state))
    found.sort(key=lambda d: (-d.gain, d.player, d.state, d.action))
    return StationaryEquilibriumCheck(policy, pv, tuple(gains), tuple(found), fld.exact)


def stationary_equilibrium_verdict(game: StochasticGame, policy: StationaryPolicy) -> Verdict:
    """The claim "``policy`` is a stationary equilibrium of ``game``" as a :class:`~jalverify.verdicts.Verdict`.

    CONFIRMED (exact field, every one-shot gain ≤ 0), REFUTED with the exact largest deviation as witness, or
    WITHIN_TOLERANCE in the float field when no gain exceeds the tolerance.
    """
    check = check_stationary_equilibrium(game, policy)
    label = f"game {game.name!r}" if game.name else "the game"
    if check.deviations:
        w = check.witness
        return Verdict(THEOREM_ID, Status.REFUTED,
                       f"not a stationary equilibrium of {label}: {w} ({len(check.deviations)} profitable deviations)",
                       {"deviation": w.as_dict(), "n_deviations": len(check.deviations)},
                       None if check.exact else game.field.atol)
    if check.exact:
        return Verdict(THEOREM_ID, Status.PROVEN,
                       f"stationary equilibrium of {label}: every one-shot gain is exactly <= 0",
                       {"max_gain": format_number(check.max_gain)})
    return Verdict(THEOREM_ID, Status.WITHIN_TOLERANCE,
                   f"stationary equilibrium of {label} within tolerance {game.field.atol}: no one-shot gain exceeds it",
                   {"max_gain": format_number(check.max_gain)}, game.field.atol, float(check.max_gain))
