"""Adapters for QuantEcon's game theory module (``quantecon.game_theory``; https://quantecon.org):
``support_enumeration``, ``vertex_enumeration``, ``lemke_howson`` and ``pure_nash_brute``.

Capabilities, from the QuantEcon docstrings (quantecon 0.7+, https://quanteconpy.readthedocs.io/en/latest/game_theory.html):

* ``support_enumeration``: "mixed-action Nash equilibria with **equal support size** for a 2-player normal form
  game ... For a non-degenerate game input, these are all the Nash equilibria": ``finds_all=True`` on
  nondegenerate games only (``degenerate_supported=False``).
* ``vertex_enumeration``: "... by enumeration and matching of vertices of the best response polytopes. For a
  non-degenerate game input, these are all the Nash equilibria" (scipy ConvexHull / qhull): same.
* ``lemke_howson``: "Find **one** mixed-action Nash equilibrium of a 2-player normal form game by the
  Lemke-Howson algorithm"; "implemented with floating point arithmetic and thus is subject to numerical
  instability": ``finds_all=False``; degenerate games are not promised.  We call it from every initial pivot
  ``0 .. m+n-1`` and keep the runs that report ``converged``.
* ``pure_nash_brute``: "Find all pure Nash equilibria of a normal form game by brute force", any number of
  players, best responses up to ``NormalFormGame.tol`` (default 1e-8).

Float64 throughout; QuantEcon's own tolerance is 1e-8 (``NormalFormGame.tol``); we declare 1e-7.
QuantEcon compiles its routines with numba on first use (about 25 s here): every adapter has a ``warm_up()``
that the validation runner calls once per worker, outside the per-call time limit.
"""

from __future__ import annotations

from typing import Any

from jalverify.adapters._common import as_lists, float_matrices, require
from jalverify.adapters.protocols import Capabilities, Concept, TargetKind

__all__ = ["SupportEnumeration", "VertexEnumeration", "LemkeHowson", "PureNashBrute"]

SOURCE = "https://quanteconpy.readthedocs.io/en/latest/game_theory.html"
TOLERANCE = 1e-7


def _game(game: Any, where: str) -> tuple[Any, Any]:
    gt = require("quantecon.game_theory", "quantecon", where)
    arrays = float_matrices(game)
    n = len(arrays)
    # QuantEcon's Player i holds payoffs indexed (own action, others' actions in order i+1, ..., i-1).
    import numpy as np

    players = [gt.Player(np.transpose(arrays[i], [(i + k) % n for k in range(n)])) for i in range(n)]
    return gt, gt.NormalFormGame(players)


class _WarmUp:
    def warm_up(self) -> None:
        """Compile (numba) on a 2×2 game, so compilation is not counted against the time limit."""
        from jalverify.games.normal_form import NormalFormGame

        self.solve(NormalFormGame.bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]]))  # type: ignore[attr-defined]


class SupportEnumeration(_WarmUp):
    """``quantecon.game_theory.support_enumeration(g)``."""

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=True, exact=False,
                                degenerate_supported=False, tolerance=TOLERANCE, source=SOURCE)

    def solve(self, game: Any) -> list[list[list[float]]]:
        gt, g = _game(game, "quantecon.support_enumeration")
        return [as_lists(eq) for eq in gt.support_enumeration(g)]


class VertexEnumeration(_WarmUp):
    """``quantecon.game_theory.vertex_enumeration(g)``."""

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=True, exact=False,
                                degenerate_supported=False, tolerance=TOLERANCE, source=SOURCE)

    def solve(self, game: Any) -> list[list[list[float]]]:
        gt, g = _game(game, "quantecon.vertex_enumeration")
        return [as_lists(eq) for eq in gt.vertex_enumeration(g)]


class LemkeHowson(_WarmUp):
    """``quantecon.game_theory.lemke_howson(g, init_pivot=k, full_output=True)`` for every ``k``; converged
    runs only, duplicates removed."""

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.NASH, players=2, finds_all=False, exact=False,
                                degenerate_supported=False, tolerance=TOLERANCE, source=SOURCE,
                                notes=("one equilibrium per initial pivot; runs that do not converge are dropped",))

    def solve(self, game: Any) -> list[list[list[float]]]:
        gt, g = _game(game, "quantecon.lemke_howson")
        m, n = g.nums_actions
        out: list[list[list[float]]] = []
        for pivot in range(m + n):
            eq, res = gt.lemke_howson(g, init_pivot=pivot, full_output=True)
            if not res.converged:
                continue
            candidate = as_lists(eq)
            if candidate not in out:
                out.append(candidate)
        return out


class PureNashBrute(_WarmUp):
    """``quantecon.game_theory.pure_nash_brute(g)``: every pure equilibrium, any number of players."""

    capabilities = Capabilities(kind=TargetKind.SOLVER, concept=Concept.PURE_NASH, players="n", finds_all=True,
                                exact=False, degenerate_supported=True, tolerance=TOLERANCE, source=SOURCE)

    def solve(self, game: Any) -> list[list[list[float]]]:
        gt, g = _game(game, "quantecon.pure_nash_brute")
        out = []
        for joint in gt.pure_nash_brute(g):
            out.append([[1.0 if a == int(joint[i]) else 0.0 for a in range(g.nums_actions[i])]
                        for i in range(g.N)])
        return out
