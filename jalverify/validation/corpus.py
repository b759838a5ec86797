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

Each check filters the corpus by what the target declares (players, zero-sum only, action limits, square games)
and by the check's own domain (e.g. nondegenerate games); what remains is judged exactly like a generated game,
and a refutation found here is shrunk (actions removed, payoffs simplified) like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from jalverify.games.normal_form import NormalFormGame

__all__ = ["corpus_for", "normal_form_corpus"]

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
