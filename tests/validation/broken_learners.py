"""Joint-action learners for the learner checks (loaded by ``validate`` in worker processes): one correct sampled
backup, and deliberately broken ones (a sampled backup with the wrong discount, a backup that bootstraps from
terminal states, a learner that claims convergence and never learns).

All learn with jalverify's Minimax-Q (:class:`jalverify.adapters.own.MinimaxQLearner`); only the backup or the
learning differs.  Not collected by pytest (no ``test_`` prefix).
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.adapters.own import MinimaxQLearner
from jalverify.adapters.protocols import Capabilities, Concept, TargetKind
from jalverify.numbers import EXACT

_SAMPLED = Capabilities(kind=TargetKind.LEARNER, concept=Concept.MINIMAX, players=2, zero_sum_only=True, exact=True,
                        tolerance=0.0, has_backup=True, backup_sampled=True, converges=True)


def _stage_value(table: Any) -> Fraction:
    """Player 0's exact minimax value of a stage table (shape ``(2, k0, k1)``)."""
    from jalverify.solvers.value_iteration import stage_minimax

    value, _, _ = stage_minimax(np.asarray(table, dtype=object)[0], EXACT)
    return Fraction(value)


class SampledMinimaxQ(MinimaxQLearner):
    """Minimax-Q whose ``backup`` is one sampled TD target per entry, as a model-free update computes it:
    ``R(s,a,s') + γ·val(Q(s'))`` for one ``s' ~ T(·|s,a)`` drawn from its own random stream, 0 at terminal
    states.  Correct: its expectation is Shapley's operator, so Q* is its fixed point."""

    capabilities = _SAMPLED
    discount_power = 1  # γ^power in the TD target; 1 is right
    weighted = True  # next states drawn with the transition probabilities (False: uniformly over the support)

    def __init__(self) -> None:
        self._rng = random.Random(20240611)
        self._table: Any = None  # the Q whose stage values are cached (repeated calls pass the same object)
        self._values: dict[int, Fraction] = {}

    def _value(self, game: Any, Q: Any, t: int) -> Fraction:
        if game.terminal[t]:
            return Fraction(0)
        if Q is not self._table:
            self._table, self._values = Q, {}
        if t not in self._values:
            self._values[t] = _stage_value(Q[t])
        return self._values[t]

    def backup(self, game: Any, Q: Any) -> list[Any]:
        gamma = Fraction(game.gamma) ** self.discount_power
        out = []
        for s in range(game.n_states):
            k = tuple(game.n_actions(s))
            q = np.empty((2,) + k, dtype=object)
            for joint in np.ndindex(*k):
                if game.terminal[s]:
                    q[(0,) + joint] = q[(1,) + joint] = Fraction(0)
                    continue
                weights = [float(p) for p in np.asarray(game.transitions[s][joint], dtype=object).tolist()]
                if not self.weighted:
                    weights = [1.0 if p > 0 else 0.0 for p in weights]
                t = self._rng.choices(range(game.n_states), weights=weights)[0]
                v = self._value(game, Q, t)
                for i, sign in ((0, 1), (1, -1)):
                    q[(i,) + joint] = Fraction(game.rewards[s][(i,) + joint + (t,)]) + gamma * sign * v
            out.append(q)
        return out


class SampledWrongDiscount(SampledMinimaxQ):
    """The sampled backup with γ² in place of γ (a discount applied twice): Q* is not its fixed point."""

    discount_power = 2


class SampledIgnoresProbabilities(SampledMinimaxQ):
    """The sampled backup drawing the next state uniformly among the reachable ones, ignoring ``T(s'|s,a)``:
    every sample is a possible TD target (inside the range of correct samples), only the mean is wrong."""

    weighted = False


class TerminalBootstrap(MinimaxQLearner):
    """Minimax-Q whose expected backup treats a terminal state like any other: it bootstraps from the stage value
    of the table it is given there (the classic missing ``(1 - done)`` factor).  Harmless while that table is 0,
    wrong as soon as it is not (e.g. an optimistic initial value)."""

    def backup(self, game: Any, Q: Any) -> list[Any]:
        gamma = Fraction(game.gamma)
        values = [_stage_value(Q[t]) for t in range(game.n_states)]
        out = []
        for s in range(game.n_states):
            k = tuple(game.n_actions(s))
            q = np.empty((2,) + k, dtype=object)
            for joint in np.ndindex(*k):
                for i, sign in ((0, 1), (1, -1)):
                    q[(i,) + joint] = sum((Fraction(game.transitions[s][joint + (t,)])
                                           * (Fraction(game.rewards[s][(i,) + joint + (t,)]) + gamma * sign * values[t])
                                           for t in range(game.n_states)), Fraction(0))
            out.append(q)
        return out


class NeverLearns(MinimaxQLearner):
    """Claims convergence to Q* (and its expected backup is right) but ignores every transition: Q stays at its
    initial value, so the gap to Q* never shrinks."""

    def observe(self, state: int, joint_action: Any, rewards: Any, next_state: int) -> None:
        return None


class MinimaxQWithoutClaim(MinimaxQLearner):
    """Minimax-Q (correct) declared without a convergence claim: the run is reported, never judged."""

    capabilities = MinimaxQLearner.capabilities.with_(converges=False)
