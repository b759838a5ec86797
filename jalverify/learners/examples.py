"""Small example games (exact data) used by the learner tests, the learning theorems and the benchmarks.

Each is tiny on purpose: a property shown on it can be replayed in milliseconds.
"""

from fractions import Fraction as F

import numpy as np

from jalverify.games import catalog
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame

ACTS = [[["x", "y"], ["x", "y"]]] * 2


def zero_sum_two_state(gamma: str = "1/2") -> StochasticGame:
    """Two states, 2×2 actions; state s1's stage game has no pure saddle point under Q*."""
    T = [[[[1, 0], [0, 1]], [[0, 1], [1, 0]]], [[[F(1, 2), F(1, 2)], [0, 1]], [[1, 0], [F(1, 2), F(1, 2)]]]]
    A = [np.array([[1, -1], [-1, 1]]), np.array([[2, 0], [-1, 3]])]
    return StochasticGame(["a", "b"], ["s0", "s1"], ACTS, T, [np.stack([a, -a]) for a in A], gamma, name="zs2")


def common_payoff_two_state(gamma: str = "1/2") -> StochasticGame:
    T = [[[[1, 0], [0, 1]], [[0, 1], [1, 0]]], [[[0, 1], [1, 0]], [[1, 0], [0, 1]]]]
    G = [np.array([[1, 0], [0, 2]]), np.array([[0, 1], [3, 0]])]
    return StochasticGame(["a", "b"], ["s0", "s1"], ACTS, T, [np.stack([g, g]) for g in G], gamma, name="cp2")


def matching_pennies() -> NormalFormGame:
    return NormalFormGame.zero_sum([[1, -1], [-1, 1]], name="matching pennies")


def as_single_state(game: NormalFormGame, gamma: str = "0") -> StochasticGame:
    """A normal-form game as a one-state stochastic game (repeated play)."""
    k = game.n_actions
    T = np.ones(k + (1,), dtype=object)
    return StochasticGame(list(game.players), ["s"], [game.actions], [T], [game.payoffs], gamma, name=game.name)


def zero_sum_rational(gamma: str = "1/2") -> StochasticGame:
    """Two states whose transitions do not depend on the actions (s0 → s0 or s1 with 1/2 each; s1 → s0), so the
    minimax Q* is rational although both stage games are fully mixed.  With γ = 1/2:
    V*(s0) = 2/5, V*(s1) = 6/5, Q*(s0) = R(s0) + 2/5, Q*(s1) = R(s1) + 1/5, with R(s0) matching pennies (value 0)
    and R(s1) = [[2, 0], [-1, 3]] (value 1, strategies (2/3, 1/3) and (1/2, 1/2))."""
    h = F(1, 2)
    T = [[[[h, h], [h, h]], [[h, h], [h, h]]], [[[1, 0], [1, 0]], [[1, 0], [1, 0]]]]
    A = [np.array([[1, -1], [-1, 1]]), np.array([[2, 0], [-1, 3]])]
    return StochasticGame(["a", "b"], ["s0", "s1"], ACTS, T, [np.stack([a, -a]) for a in A], gamma, name="zs-rational")


def zero_sum_rational_q_star() -> list[np.ndarray]:
    """The exact Q* of :func:`zero_sum_rational` with γ = 1/2 (derived by hand in its docstring)."""
    A = [np.array([[1, -1], [-1, 1]]), np.array([[2, 0], [-1, 3]])]
    out = []
    for a, shift in zip(A, (F(2, 5), F(1, 5))):
        q = np.array([[F(int(v)) + shift for v in row] for row in a], dtype=object)
        out.append(np.stack([q, -q]))
    return out


def nosde_book_game() -> StochasticGame:
    """The NoSDE game of Albrecht, Christianos & Schäfer (2024), p.126, Fig. 6.3 (Zinkevich, Greenwald & Littman
    2005); theory.md §6: agent 0 moves in s1, agent 1 in s2, actions keep/send, deterministic transitions,
    γ = 3/4.  It has no stationary deterministic equilibrium.  The catalog's game ``nosde``, named "NoSDE (book)"."""
    game = catalog.load("nosde")
    return game.with_rewards(list(game.rewards), name="NoSDE (book)")
