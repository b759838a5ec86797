"""A corpus of canonical games from the literature, tried first by every normal-form check on every seed.

Random search finds what it happens to draw: on 25 generated games a bug that shows only on games with a fully
mixed equilibrium, several equilibria, a correlated equilibrium outside the convex hull of the Nash equilibria, or
a degenerate best-response structure is found on some seeds and missed on others.  Fuzzers solve this with a
*seed corpus* (AFL, libFuzzer): inputs known to exercise the interesting paths are run before random generation.
Ours is the set of textbook games whose structure is the reason each solution concept is hard, so a validation
verdict does not depend on the seed for the bug classes those games expose:

==========================  ======  ===========================================================================
game                        shape   why it is in the corpus
==========================  ======  ===========================================================================
matching pennies            2×2     unique, fully mixed equilibrium; zero-sum (value 0)
rock-paper-scissors         3×3     unique uniform equilibrium of a 3×3 zero-sum game
prisoner's dilemma          2×2     strictly dominant strategies; the equilibrium is not the welfare optimum
battle of the sexes         2×2     two pure equilibria and one mixed: completeness
chicken (Aumann 1974)       2×2     a correlated equilibrium outside the convex hull of the Nash equilibria
stag hunt                   2×2     a payoff-dominant and a risk-dominant equilibrium
generic mixed 2×2           2×2     unique fully mixed equilibrium, no symmetry (A ≠ −B, A ≠ Bᵀ, B ≠ Bᵀ)
pure coordination           3×3     seven equilibria, ties everywhere
Shapley's game (1964)       3×3     unique mixed equilibrium; non-zero-sum cycling
degenerate 3×2              3×2     a continuum of equilibria (degenerate best responses)
von Stengel's 3×2 (2007)    3×2     nondegenerate with three equilibria, two mixed
a saddle-point game         2×3     zero-sum with a pure saddle point and a dominated column
a mixed zero-sum 2×3        2×3     zero-sum, value 0, optimal play mixes two columns; the third is dominated
a 1×1 and a 1×2 game        1×k     the smallest games a library must accept (or declare ``min_actions``)
Jordan's 3-player pennies   2×2×2   unique fully mixed equilibrium of a three-player game (Jordan 1993)
3-player coordination       2×2×2   common payoff: several pure equilibria, ties
==========================  ======  ===========================================================================

Learner checks get small zero-sum stochastic games built the same way (:func:`zero_sum_stochastic_corpus`):
matching pennies (raised by 1, so its value is not 0) and rock-paper-scissors played repeatedly (fully mixed stage equilibria, so a backup that uses a
sampled joint action instead of the expectation is wrong there), a two-state game that ends in a terminal state
(so bootstrapping from a terminal state, or from the next episode's first state, is wrong there), and a
two-state game whose stage games have a pure saddle point in one state and a mixed one in the other.

Each check filters the corpus by what the target declares (players, zero-sum only, action limits, square games)
and by the check's own domain (e.g. nondegenerate games); what remains is judged exactly like a generated game,
and a refutation found here is shrunk (actions removed, payoffs simplified) like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

from jalverify.games.normal_form import NormalFormGame

__all__ = ["corpus_for", "normal_form_corpus", "zero_sum_stochastic_corpus"]

_CATALOG_NAMES = ("matching_pennies", "rock_paper_scissors", "prisoners_dilemma", "battle_of_the_sexes", "chicken",
                  "stag_hunt", "coordination", "shapley_3x3", "degenerate_3x2", "three_player_matching_pennies")


@cache
def normal_form_corpus() -> tuple[NormalFormGame, ...]:
    """Every corpus game (exact payoffs), smallest first within the catalog order above."""
    from jalverify.games import catalog

    games: list[NormalFormGame] = [NormalFormGame([[[0]], [[0]]], name="1×1 all-zero game"),
                                   NormalFormGame([[[1, 0]], [[0, 1]]], name="1×2 game")]
    for name in _CATALOG_NAMES:
        game = catalog.load(name)
        if isinstance(game, NormalFormGame):
            games.append(game)
    games.append(NormalFormGame.bimatrix([[3, 0], [1, 2]], [[0, 2], [3, 1]],
                                         name="generic 2×2 game with a unique fully mixed equilibrium"))
    games.append(NormalFormGame.bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]],
                                         name="von Stengel's 3×2 game (AGT 2007, Fig. 3.3)"))
    games.append(NormalFormGame.zero_sum([[3, 1, 4], [2, 0, 5]], name="zero-sum 2×3 game with a saddle point"))
    games.append(NormalFormGame.zero_sum([[1, -1, 2], [-1, 1, 3]], name="zero-sum 2×3 game with a mixed value"))
    coordination3 = [[[[1, 0], [0, 0]], [[0, 0], [0, 1]]]] * 3
    games.append(NormalFormGame(coordination3, name="3-player coordination game"))
    return tuple(games)


def corpus_for(accepts: Callable[[NormalFormGame], bool], *, players: Any = 2) -> tuple[tuple[NormalFormGame], ...]:
    """The corpus games (as one-element cases) with the given number of players (an int, or ``"n"`` for all)
    that ``accepts`` (the target's declared domain and the check's own) admits."""
    out = []
    for game in normal_form_corpus():
        if players != "n" and game.n_players != players:
            continue
        if accepts(game):
            out.append((game,))
    return tuple(out)


@cache
def zero_sum_stochastic_corpus() -> tuple[Any, ...]:
    """Small two-player zero-sum stochastic games (exact), for the learner checks.

    * matching pennies with every payoff raised by 1, repeated, γ = 1/2 (one state; the stage equilibrium is
      uniform and the value 1 per round, so V* = 2 and Q* = payoffs + 1: a wrong discount shows on it);
    * rock-paper-scissors repeated, γ = 1/2 (one state, 3 actions);
    * "pennies then stop": in state ``play`` the row player wins 2 on (a0, a0), 1 on (a1, a1), loses 1 otherwise;
      every joint action ends the game (terminal state ``end``) with probability 1/2; γ = 3/4.  The value of
      ``play`` is 1/5 ÷ (1 − 3/8) = 8/25 > 0 (rational: the continuation adds a constant to every entry), so a
      backup that bootstraps from the terminal state's successor or from the next episode's start differs;
    * "saddle then pennies": state ``s0`` has a pure saddle point and moves to the matching-pennies state ``s1``
      with probability 1/2 from the saddle; ``s1`` returns to ``s0`` on a match; γ = 1/2.
    """
    from fractions import Fraction

    from jalverify.games.stochastic import StochasticGame

    half = Fraction(1, 2)

    def repeated(A: list[list[int]], name: str) -> StochasticGame:
        m, k = len(A), len(A[0])
        rewards = [[[[[A[i][j]] for j in range(k)] for i in range(m)], [[[-A[i][j]] for j in range(k)] for i in range(m)]]]
        transitions = [[[[1] for _ in range(k)] for _ in range(m)]]
        actions = [[[f"a{i}" for i in range(m)], [f"b{j}" for j in range(k)]]]
        return StochasticGame(["row", "column"], ["s"], actions, transitions, rewards, half, name=name)

    games: list[StochasticGame] = [repeated([[2, 0], [0, 2]], "matching pennies + 1 repeated (γ = 1/2)"),
                                   repeated([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], "rock-paper-scissors repeated (γ = 1/2)")]
    A = [[2, -1], [-1, 1]]
    stop = [[[half, half], [half, half]], [[half, half], [half, half]]]  # next state: (play, end)
    games.append(StochasticGame(
        ["row", "column"], ["play", "end"], [[["a0", "a1"], ["b0", "b1"]], None],
        [stop, None],
        [[[[[A[i][j]] * 2 for j in range(2)] for i in range(2)], [[[-A[i][j]] * 2 for j in range(2)] for i in range(2)]],
         None],
        Fraction(3, 4), terminal=[False, True], name="pennies then stop (terminal state, γ = 3/4)"))
    # reward arrays R[player][a][b][next state]
    S0 = [[3, 1], [4, 2]]  # a pure saddle point at (a1, b1): row minima 1, 2; column maxima 4, 2
    P = [[1, -1], [-1, 1]]
    t0 = [[[1, 0], [half, half]], [[1, 0], [half, half]]]  # from s0: column b1 moves to s1 with probability 1/2
    t1 = [[[1, 0], [0, 1]], [[0, 1], [1, 0]]]  # from s1: a match returns to s0
    R0 = np.array([[[[S0[i][j]] * 2 for j in range(2)] for i in range(2)]])
    R1 = np.array([[[[P[i][j]] * 2 for j in range(2)] for i in range(2)]])
    games.append(StochasticGame(
        ["row", "column"], ["s0", "s1"], [[["a0", "a1"], ["b0", "b1"]]] * 2, [t0, t1],
        [np.concatenate([R0, -R0]), np.concatenate([R1, -R1])], half, name="saddle then pennies (γ = 1/2)"))
    return tuple(games)
