r"""Exact degeneracy test for bimatrix games.

A bimatrix game is *nondegenerate* if no mixed strategy with support of size ``k`` has more than ``k`` pure
best responses (von Stengel 2002, Handbook of Game Theory vol. 3, ch. 45, §2.6).  Equivalently, no
point of the best-response polytope ``P`` has more than ``m`` labels and no point of ``Q`` more than ``n``
(ibid., §2.4–2.6): a point of ``P`` other than 0 with support size ``k`` and ``t`` tight columns has
``m - k + t`` labels and its tight columns are best responses to it.  If some point has too many labels, the
face of its tight constraints has a vertex with at least as many, so it suffices to inspect the vertices,
which :mod:`.vertex_enumeration` lists exactly.  The test is therefore exact for every game size the vertex
enumeration handles.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from jalverify.games.normal_form import NormalFormGame
from jalverify.solvers.nash._bimatrix import require_two_players
from jalverify.solvers.nash.vertex_enumeration import best_response_polytope_vertices

__all__ = ["DegeneracyWitness", "degeneracy_witness", "is_degenerate"]


@dataclass(frozen=True)
class DegeneracyWitness:
    """A mixed strategy with more pure best responses than its support size.

    Attributes
    ----------
    player : int
        The player whose strategy it is (0 = rows).
    strategy : tuple of Fraction
    support : tuple of int
    best_responses : tuple of int
        The opponent's pure best responses to ``strategy`` (more than ``len(support)``).
    """

    player: int
    strategy: tuple[Fraction, ...]
    support: tuple[int, ...]
    best_responses: tuple[int, ...]


def degeneracy_witness(game: NormalFormGame) -> DegeneracyWitness | None:
    """A witness of degeneracy, or ``None`` when the game is nondegenerate (exact)."""
    require_two_players(game, "degeneracy_witness()")
    m, n = game.n_actions
    p_vertices, q_vertices, p_labels, q_labels = best_response_polytope_vertices(game)
    for vertex, labels in zip(p_vertices, p_labels):
        if not vertex.is_origin and bin(labels).count("1") > m:
            x = vertex.normalised()
            return DegeneracyWitness(
                player=0,
                strategy=tuple(x),
                support=tuple(i for i in range(m) if x[i] != 0),
                best_responses=tuple(j for j in range(n) if labels >> (m + j) & 1),
            )
    for vertex, labels in zip(q_vertices, q_labels):
        if not vertex.is_origin and bin(labels).count("1") > n:
            y = vertex.normalised()
            return DegeneracyWitness(
                player=1,
                strategy=tuple(y),
                support=tuple(j for j in range(n) if y[j] != 0),
                best_responses=tuple(i for i in range(m) if labels >> i & 1),
            )
    return None


def is_degenerate(game: NormalFormGame) -> bool:
    """Whether the two-player game is degenerate (exact)."""
    return degeneracy_witness(game) is not None
