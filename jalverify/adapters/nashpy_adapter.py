"""Adapters for nashpy (Knight & Campbell 2018, JOSS 3(30), 904): support enumeration, vertex enumeration,
Lemke–Howson from every initial label, and the zero-sum linear program.

Capabilities, as nashpy documents them (docs: "How to handle degenerate games",
https://nashpy.readthedocs.io/en/stable/how-to/handle-degenerate-games.html, and the docstrings of
``Game.support_enumeration``, ``Game.vertex_enumeration``, ``Game.lemke_howson_enumeration``,
``Game.linear_program`` in nashpy 0.0.4x):

* support and vertex enumeration return all equilibria of a **nondegenerate** game (Nisan et al. 2007,
  Algorithms 3.4 and 3.5); on degenerate games "unexpected results can occur" and both are shown missing
  equilibria, and support enumeration warns when it finds an even number.  So ``degenerate_supported=False``:
  nothing is checked on degenerate games (a missing equilibrium there is documented behaviour, not a bug).
* Lemke–Howson "is not guaranteed to find all equilibria" and fails on degenerate games (same page):
  ``finds_all=False, degenerate_supported=False``.
* the linear program is "defined only for zero sum games" and returns both players' optimal strategies.

Everything is float64 (numpy / scipy).  nashpy states no tolerance; we declare 1e-7 (relative to the largest
payoff), the default feasibility tolerance of scipy's HiGHS and far above the rounding of small linear solves.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from jalverify.adapters._common import as_lists, float_matrices, require
from jalverify.adapters.protocols import Capabilities, Concept, MinimaxAnswer, TargetKind

__all__ = ["SupportEnumeration", "VertexEnumeration", "LemkeHowsonAllLabels", "ZeroSumLinearProgram"]

SOURCE = "https://nashpy.readthedocs.io/en/stable/how-to/handle-degenerate-games.html"
TOLERANCE = 1e-7


def _game(game: Any, where: str) -> Any:
    nash = require("nashpy", "nashpy", where)
    A, B = float_matrices(game)
    return nash.Game(A, B)


class SupportEnumeration:
    """``nashpy.Game.support_enumeration()`` (all support pairs; default ``non_degenerate=False``)."""

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=True, exact=False,
                                degenerate_supported=False, tolerance=TOLERANCE, source=SOURCE,
                                notes=("degenerate games: documented to give unexpected results; not checked",))

    def solve(self, game: Any) -> list[list[list[float]]]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return [as_lists(eq) for eq in _game(game, "nashpy.support_enumeration").support_enumeration()]


class VertexEnumeration:
    """``nashpy.Game.vertex_enumeration()`` (best-response polytope vertices via scipy's HalfspaceIntersection)."""

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=True, exact=False,
                                degenerate_supported=False, tolerance=TOLERANCE, source=SOURCE,
                                notes=("degenerate games: documented to miss equilibria; not checked",))

    def solve(self, game: Any) -> list[list[list[float]]]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return [as_lists(eq) for eq in _game(game, "nashpy.vertex_enumeration").vertex_enumeration()]


class LemkeHowsonAllLabels:
    """``nashpy.Game.lemke_howson_enumeration()``: Lemke–Howson from each of the ``m + n`` initial labels;
    the distinct results are returned (one equilibrium per label at most)."""

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=False, exact=False,
                                degenerate_supported=False, tolerance=TOLERANCE, source=SOURCE,
                                notes=("not guaranteed to find all equilibria (docstring)",
                                       "degenerate games: documented to fail; not checked"))

    def solve(self, game: Any) -> list[list[list[float]]]:
        out: list[list[list[float]]] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            for eq in _game(game, "nashpy.lemke_howson").lemke_howson_enumeration():
                candidate = as_lists(eq)
                if candidate not in out:
                    out.append(candidate)
        return out


class ZeroSumLinearProgram:
    """``nashpy.Game.linear_program()`` on a zero-sum game: both optimal strategies; the value reported is the
    row player's expected payoff ``xᵀAy`` of the returned pair (nashpy returns no value)."""

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.MINIMAX, players=2, zero_sum_only=True,
                                exact=False, tolerance=TOLERANCE,
                                source="nashpy Game.linear_program docstring (minimax theorem LP)")

    def solve(self, game: Any) -> MinimaxAnswer:
        g = _game(game, "nashpy.linear_program")
        x, y = g.linear_program()
        A = float_matrices(game)[0]
        value = float(np.asarray(x) @ A @ np.asarray(y))
        return MinimaxAnswer(value, [float(v) for v in x], [float(v) for v in y])
