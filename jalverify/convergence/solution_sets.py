r"""Exact solution sets from the solvers, in the form the "convergence to a set" check takes (book §5.2).

* :func:`nash_set` — the extreme Nash equilibria (exact vertex enumeration for two players): a finite list of
  profiles, or, with ``hull=True`` semantics, the vertices of the Nash components' hulls;
* :func:`minimax_set` — for a two-player zero-sum game the Nash set is the product X* × Y* of the players'
  optimal-strategy polytopes (:func:`jalverify.solvers.minimax.optimal_strategy_set`): use with
  ``hull=True, per_block=True, view="marginals"``;
* :func:`correlated_set` — the vertices of the CE (or CCE) polytope
  (:func:`jalverify.solvers.correlated.correlated_polytope_vertices`): use with ``hull=True, view="joint"``.

Every function returns float joint distributions (numpy arrays of shape ``k``) computed from exact vertices.
"""

from __future__ import annotations

import numpy as np

from jalverify.games.normal_form import NormalFormGame
from jalverify.numbers import EXACT

__all__ = ["correlated_set", "minimax_set", "nash_set"]


def _exact(game: NormalFormGame) -> NormalFormGame:
    return game if game.field.exact else game.to_field(EXACT, allow_float=True)


def nash_set(game: NormalFormGame) -> list[np.ndarray]:
    """Joint distributions of the (extreme) Nash equilibria from :func:`jalverify.solvers.nash.nash_solve`."""
    from jalverify.solvers.nash import nash_solve

    res = nash_solve(_exact(game))
    return [np.asarray(p.joint_distribution(), dtype=np.float64) for p in res.equilibria]


def minimax_set(game: NormalFormGame) -> list[np.ndarray]:
    """Products of the extreme optimal strategies of both players (vertices of X* × Y*)."""
    from jalverify.solvers.minimax import optimal_strategy_set

    g = _exact(game)
    X = [np.array([float(p) for p in v]) for v in optimal_strategy_set(g, 0)]
    Y = [np.array([float(p) for p in v]) for v in optimal_strategy_set(g, 1)]
    return [np.multiply.outer(x, y) for x in X for y in Y]


def correlated_set(game: NormalFormGame, *, coarse: bool = False) -> list[np.ndarray]:
    """Vertices of the CE (``coarse=False``) or CCE polytope, as float joint distributions."""
    from jalverify.solvers.correlated import correlated_polytope_vertices

    return [np.asarray(v.distribution, dtype=np.float64) for v in correlated_polytope_vertices(_exact(game), coarse=coarse)]
