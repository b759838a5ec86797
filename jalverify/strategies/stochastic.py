"""Hypothesis strategies for stochastic (Markov) games.

Shape first: the number of states, then per state the action counts, then transition **weights** (small
non-negative integers, at least one positive by construction, divided by their sum) and small integer rewards
:math:`R_i(s, a)`, and a discount from a short list of simple rationals.  Zero-sum and turn-based games are built
by construction (the second player's rewards are the negation; one mover per state), never by filtering.

Terminal states (``terminal_states``, e.g. ``st.integers(0, 1)``): that many terminal states (absorbing, one
action per player, reward 0 afterwards; :class:`~jalverify.games.StochasticGame`) follow the live states, so code
that must not bootstrap at the end of an episode meets one; transitions into them are drawn like any other.
The live states are drawn as without them.

Shrinking: fewer states, fewer actions, fewer terminal states, transitions toward a point mass on the first state,
rewards toward 0, discount toward 1/2.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from jalverify.errors import BadInput, UnsupportedGame
from jalverify.games.stochastic import StochasticGame
from jalverify.numbers import EXACT, field_named
from jalverify.strategies._common import draw_integer_array, draw_value, draw_weight_blocks, payoff_strategy

__all__ = ["DEFAULT_GAMMAS", "stochastic_games", "turn_based_games", "zero_sum_stochastic_games"]

#: Discount factors drawn by default (shrinks toward the first).
DEFAULT_GAMMAS: SearchStrategy[Fraction] = st.sampled_from(
    [Fraction(1, 2), Fraction(0), Fraction(3, 4), Fraction(9, 10), Fraction(1, 3)]
)
DEFAULT_REWARDS: SearchStrategy[int] = payoff_strategy((-5, 5))
_ONE_TO_THREE: SearchStrategy[int] = st.integers(1, 3)
_ONE_TO_TWO: SearchStrategy[int] = st.integers(1, 2)


def _with_terminals(draw: Any, S: int, terminal_states: Any) -> tuple[int, list[bool]]:
    """The total number of states and which are terminal: ``terminal_states`` (an int or a strategy of ints,
    drawn) terminal states follow the ``S`` live ones."""
    extra = int(draw_value(draw, terminal_states))
    if extra < 0:
        raise BadInput(f"terminal_states must be >= 0, got {extra}")
    return S + extra, [False] * S + [True] * extra


def _build(draw: Any, n: int, S: int, counts: list[tuple[int, ...]], rewards_per_state: list[np.ndarray | None],
           gamma: Any, field: Any, name: str, max_transition_weight: int,
           terminal: list[bool] | None = None) -> StochasticGame:
    fld = field_named(field)
    term = [False] * S if terminal is None else terminal
    players = [f"p{i}" for i in range(n)]
    states = [f"s{s}" for s in range(S)]
    actions: list[Any] = [None if term[s] else [[f"a{j}" for j in range(k)] for k in counts[s]] for s in range(S)]
    transitions: list[Any] = []
    live = [s for s in range(S) if not term[s]]
    blocks = iter(draw_weight_blocks(draw, [S] * sum(int(np.prod(counts[s])) for s in live),
                                     max_weight=max_transition_weight))
    for s in range(S):
        if term[s]:
            transitions.append(None)
            continue
        rows = np.empty(counts[s] + (S,), dtype=object)
        for joint in np.ndindex(*counts[s]):
            w = next(blocks)
            total = sum(w)
            for t in range(S):
                rows[joint + (t,)] = Fraction(w[t], total) if fld.exact else w[t] / total
        transitions.append(rows)
    if fld.exact:
        rewards = [R for R in rewards_per_state]
        g = gamma
    else:
        rewards = [None if R is None else np.asarray(R, dtype=np.float64) for R in rewards_per_state]
        g = float(gamma)
    return StochasticGame(players, states, actions, transitions, rewards, g, field=fld, name=name,
                          allow_float=not fld.exact, terminal=term if any(term) else None)


@st.composite
def stochastic_games(draw: Any, players: Any = 2, states: Any = _ONE_TO_THREE, actions: Any = _ONE_TO_TWO,
                     rewards: Any = DEFAULT_REWARDS, gamma: Any = DEFAULT_GAMMAS, field: Any = EXACT,
                     max_transition_weight: int = 3, terminal_states: Any = 0) -> StochasticGame:
    """General-sum stochastic games with rewards :math:`R_i(s, a)` and random transitions.

    Parameters
    ----------
    players : int or strategy
        Number of players (default 2).
    states : int or strategy
        Number of states (default 1–3).
    actions : int or strategy
        Actions per player per state, drawn independently (default 1–2).
    rewards : strategy or (low, high)
        Reward entries (default integers in [-5, 5]).
    gamma : value or strategy
        Discount in [0, 1) (default one of 1/2, 0, 3/4, 9/10, 1/3).
    field : "exact", "float", Field, or strategy
    max_transition_weight : int
        Each transition row is integer weights in ``0..max_transition_weight`` (one of them raised by 1, so at
        least one is positive) divided by their sum (default 3).
    terminal_states : int or strategy of int
        Terminal states (absorbing, reward 0 from there on, one action per player) added after the ``states``
        live ones; default 0 (and no extra draws).
    """
    n = int(draw_value(draw, players))
    S, term = _with_terminals(draw, int(draw_value(draw, states)), terminal_states)
    g = draw_value(draw, gamma)
    fld = draw_value(draw, field)
    counts = [(1,) * n if term[s] else tuple(int(draw_value(draw, actions)) for _ in range(n)) for s in range(S)]
    rew: list[np.ndarray | None] = [None if term[s] else draw_integer_array(draw, payoff_strategy(rewards),
                                                                           (n, *counts[s])) for s in range(S)]
    return _build(draw, n, S, counts, rew, g, fld, "generated stochastic game", max_transition_weight, term)


@st.composite
def zero_sum_stochastic_games(draw: Any, states: Any = _ONE_TO_THREE, actions: Any = _ONE_TO_TWO,
                              rewards: Any = DEFAULT_REWARDS, gamma: Any = DEFAULT_GAMMAS,
                              field: Any = EXACT, max_transition_weight: int = 3, terminal_states: Any = 0,
                              same_actions: Any = False) -> StochasticGame:
    """Two-player zero-sum stochastic games: only player 0's rewards are drawn, player 1 gets the negation.

    Parameters as in :func:`stochastic_games`, and:

    same_actions : bool or strategy of bool
        Draw one action count (from ``actions``) for the whole game, used by both players in every non-terminal
        state (tabular code that takes one action list); default false: each player's count is drawn per state
        (per-state action sets).  A strategy (e.g. ``st.booleans()``) mixes both kinds of game.
    """
    S, term = _with_terminals(draw, int(draw_value(draw, states)), terminal_states)
    g = draw_value(draw, gamma)
    fld = draw_value(draw, field)
    if bool(draw_value(draw, same_actions)):
        k = int(draw_value(draw, actions))
        counts = [(1, 1) if term[s] else (k, k) for s in range(S)]
    else:
        counts = [(1, 1) if term[s] else tuple(int(draw_value(draw, actions)) for _ in range(2)) for s in range(S)]
    rew: list[np.ndarray | None] = []
    for s in range(S):
        if term[s]:
            rew.append(None)
            continue
        R = draw_integer_array(draw, payoff_strategy(rewards), counts[s])
        rew.append(np.stack([R, -R]))
    return _build(draw, 2, S, counts, rew, g, fld, "generated zero-sum stochastic game", max_transition_weight,
                  term)


@st.composite
def turn_based_games(draw: Any, players: Any = 2, states: Any = _ONE_TO_THREE, actions: Any = _ONE_TO_THREE,
                     rewards: Any = DEFAULT_REWARDS, gamma: Any = DEFAULT_GAMMAS, zero_sum: Any = True,
                     field: Any = EXACT, max_transition_weight: int = 3) -> StochasticGame:
    """Turn-based stochastic games: in every state one drawn player (the mover) has the drawn number of actions
    and every other player has a single action.  With ``zero_sum=True`` (default; two players only) player 1's
    rewards are the negation of player 0's, so the game has a rational value (theory.md §9).  Other parameters as
    in :func:`stochastic_games`.

    Shrinking: fewer states, mover toward player 0, fewer actions, rewards toward 0.
    """
    n = int(draw_value(draw, players))
    zs = bool(draw_value(draw, zero_sum))
    if zs and n != 2:
        raise UnsupportedGame(f"turn_based_games(): zero_sum=True needs players=2, got players={n}")
    S = int(draw_value(draw, states))
    g = draw_value(draw, gamma)
    fld = draw_value(draw, field)
    counts = []
    for _ in range(S):
        mover = draw(st.integers(0, n - 1))
        k = int(draw_value(draw, actions))
        counts.append(tuple(k if i == mover else 1 for i in range(n)))
    rew = []
    for s in range(S):
        if zs:
            R = draw_integer_array(draw, payoff_strategy(rewards), counts[s])
            rew.append(np.stack([R, -R]))
        else:
            rew.append(draw_integer_array(draw, payoff_strategy(rewards), (n, *counts[s])))
    return _build(draw, n, S, counts, rew, g, fld, "generated turn-based game", max_transition_weight)
