r"""Hypothesis strategies for two-player zero-sum stochastic games whose minimax Q* has a pure saddle point in
every state, built by construction (the games of Nash-Q's saddle-point condition; Hu & Wellman 2003, JMLR 4,
Assumption 3, condition B; theory.md §4).

Draw the shape first (states, actions per player per state), then per state a target value :math:`V^*(s)`
(small integer), a saddle joint action :math:`(i^*, j^*)` and the stage game :math:`Q^*(s)` around it:
:math:`Q^*(s)[i^*, j^*] = V^*(s)`, the rest of row :math:`i^*` at least :math:`V^*(s)` (the row player's
guarantee), the rest of column :math:`j^*` at most :math:`V^*(s)` (the column player's), other entries free.
So :math:`(i^*, j^*)` is a pure saddle point of :math:`Q^*(s)` and :math:`\mathrm{val}(Q^*(s)) = V^*(s)`.  Then
draw transitions (integer weights over their sum) and set the rewards

.. math::  R_0(s, a) = Q^*(s, a) − γ Σ_{s'} T(s' \mid s, a) V^*(s'), \qquad R_1 = −R_0,

so that :math:`Q^*(s,a) = R_0(s,a) + γ Σ_{s'} T(s'|s,a) \mathrm{val}(Q^*(s'))`: Shapley's equation holds and
:math:`Q^*` is the game's minimax Q* (unique, Shapley 1953).  The checks never trust this construction: they
compute and certify Q* themselves.  Shrinking: fewer states and actions, values and offsets toward 0, transitions
toward a point mass on the first state, γ toward 1/2.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st

from jalverify.games.stochastic import StochasticGame
from jalverify.strategies._common import draw_value, draw_weight_blocks, payoff_strategy
from jalverify.strategies.cases import register_case

__all__ = ["SADDLE_GAMMAS", "zero_sum_saddle_stochastic_games"]

_STATES = st.integers(1, 2)
_ACTIONS = st.integers(1, 2)

#: Discounts drawn by default (shrinks toward the first): small, so that sampled runs settle in a few visits.
SADDLE_GAMMAS = st.sampled_from([Fraction(1, 2), Fraction(1, 3)])


@st.composite
def zero_sum_saddle_stochastic_games(draw: Any, states: Any = _STATES, actions: Any = _ACTIONS,
                                     values: Any = (-3, 3), offsets: Any = (0, 3), others: Any = (-5, 5),
                                     gamma: Any = SADDLE_GAMMAS, max_transition_weight: int = 3) -> StochasticGame:
    """Two-player zero-sum stochastic games with a pure saddle point at every stage game of Q* (module
    docstring), exact.

    Parameters
    ----------
    states, actions : int or strategy
        Number of states; actions per player per state (drawn independently).
    values : (low, high) or strategy
        The state values :math:`V^*(s)`.
    offsets : (low, high) or strategy
        How much more (less) than :math:`V^*(s)` the saddle row (column) pays elsewhere; 0 allows ties.
    others : (low, high) or strategy
        The entries off the saddle row and column.
    gamma : value or strategy
        Discount (default 1/2 or 1/3).
    max_transition_weight : int
        Transition rows are integer weights in ``0..max_transition_weight`` (one raised by 1) over their sum.
    """
    S = int(draw_value(draw, states))
    g = Fraction(draw_value(draw, gamma))
    counts = [tuple(int(draw_value(draw, actions)) for _ in range(2)) for _ in range(S)]
    value_s, offset_s, other_s = payoff_strategy(values), payoff_strategy(offsets), payoff_strategy(others)
    V = [Fraction(draw(value_s)) for _ in range(S)]
    q_star = []
    for s, (m, k) in enumerate(counts):
        i_star, j_star = draw(st.integers(0, m - 1)), draw(st.integers(0, k - 1))
        Q = np.empty((m, k), dtype=object)
        for i in range(m):
            for j in range(k):
                if (i, j) == (i_star, j_star):
                    Q[i, j] = V[s]
                elif i == i_star:
                    Q[i, j] = V[s] + draw(offset_s)
                elif j == j_star:
                    Q[i, j] = V[s] - draw(offset_s)
                else:
                    Q[i, j] = Fraction(draw(other_s))
        q_star.append(Q)
    transitions = []
    rewards = []
    blocks = iter(draw_weight_blocks(draw, [S] * sum(m * k for m, k in counts), max_weight=max_transition_weight))
    for s, (m, k) in enumerate(counts):
        T = np.empty((m, k, S), dtype=object)
        R = np.empty((m, k), dtype=object)
        for joint in np.ndindex(m, k):
            w = next(blocks)
            total = sum(w)
            row = [Fraction(x, total) for x in w]
            T[joint] = row
            R[joint] = q_star[s][joint] - g * sum((p * v for p, v in zip(row, V)), Fraction(0))
        transitions.append(T)
        rewards.append(np.stack([R, -R]))
    actions_names = [[[f"a{x}" for x in range(c)] for c in counts[s]] for s in range(S)]
    return StochasticGame(["p0", "p1"], [f"s{s}" for s in range(S)], actions_names, transitions, rewards, g,
                          name="generated zero-sum game with pure saddle points at Q*")


register_case("zero_sum_saddle_stochastic_games")(lambda: st.tuples(zero_sum_saddle_stochastic_games()))
