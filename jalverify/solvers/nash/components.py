r"""Maximal Nash subsets and connected components of the equilibrium set of a bimatrix game.

Let ``E`` be the extreme equilibria, each a pair ``(x, y)`` of vertices of the best-response polytopes.
Consider the bipartite graph whose nodes are the distinct extreme strategies ``x`` and ``y`` and whose
edges are the pairs in ``E``.  A *maximal Nash subset* is :math:`\mathrm{conv}(X) \times \mathrm{conv}(Y)`
for a maximal biclique ``(X, Y)`` of this graph: every point of it is an equilibrium, because the
equilibrium condition ``supp(x) ⊆ BR(y)``, ``supp(y) ⊆ BR(x)`` is preserved under convex combinations inside
a biclique (Millham 1974; Winkels 1979; Avis, Rosenberg, Savani & von Stengel 2010, §2, Prop. 1).  The set of
all Nash equilibria is the union of the maximal Nash subsets, and its connected components are the unions of
the maximal Nash subsets in one connected component of the graph (Jansen 1981; Avis et al. 2010, §2).

Maximal bicliques are found as the closed sets of the Galois connection ``X ↦ N(X)``: the column sets
``N(X) = ∩_{x∈X} N(x)`` are closed under intersection, so they are generated from the neighbourhoods of
single row strategies by pairwise intersection (Avis et al. 2010 use a clique enumeration; this closure
enumeration gives the same bicliques and is fast when components are small).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jalverify.errors import UnsupportedGame
from jalverify.games.profiles import MixedProfile
from jalverify.solvers.nash.result import EquilibriumComponent, NashResult, NashSubset, profile_key

__all__ = ["maximal_bicliques", "components_from_pairs", "equilibrium_components"]


def maximal_bicliques(adjacency: dict[int, frozenset[int]]) -> list[tuple[frozenset[int], frozenset[int]]]:
    """All maximal bicliques ``(X, Y)`` (both non-empty) of a bipartite graph given as ``x -> N(x)``."""
    closed: set[frozenset[int]] = set()
    frontier = [nbrs for nbrs in {frozenset(v) for v in adjacency.values()} if nbrs]
    closed.update(frontier)
    while frontier:
        new: list[frozenset[int]] = []
        for ys in frontier:
            for nbrs in adjacency.values():
                inter = ys & nbrs
                if inter and inter not in closed:
                    closed.add(inter)
                    new.append(inter)
        frontier = new
    out = []
    for ys in closed:
        xs = frozenset(x for x, nbrs in adjacency.items() if ys <= nbrs)
        out.append((xs, ys))
    out.sort(key=lambda xy: (sorted(xy[0]), sorted(xy[1])))
    return out


def components_from_pairs(equilibria: Sequence[MixedProfile],
                          index_pairs: Sequence[tuple[int, int]]) -> tuple[EquilibriumComponent, ...]:
    """Components and maximal Nash subsets from extreme equilibria and their (row vertex, column vertex) ids.

    Parameters
    ----------
    equilibria : sequence of MixedProfile
        The extreme equilibria.
    index_pairs : sequence of (int, int)
        ``index_pairs[k]`` identifies the row and column strategies of ``equilibria[k]``: equal ids mean equal
        strategies.
    """
    rows: dict[int, int] = {}
    cols: dict[int, int] = {}
    for a, b in index_pairs:
        rows.setdefault(a, len(rows))
        cols.setdefault(b, len(cols))
    row_strategy: dict[int, np.ndarray] = {}
    col_strategy: dict[int, np.ndarray] = {}
    pair_index: dict[tuple[int, int], int] = {}
    adjacency: dict[int, set[int]] = {}
    for k, (a, b) in enumerate(index_pairs):
        x, y = rows[a], cols[b]
        row_strategy[x] = equilibria[k].distributions[0]
        col_strategy[y] = equilibria[k].distributions[1]
        pair_index[(x, y)] = k
        adjacency.setdefault(x, set()).add(y)
    # connected components by union-find over row nodes (x) and column nodes (~y)
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(u: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(u, u)
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for x, ys in adjacency.items():
        for y in ys:
            ru, rv = find(("x", x)), find(("y", y))
            if ru != rv:
                parent[ru] = rv
    groups: dict[tuple[str, int], list[int]] = {}
    for x in adjacency:
        groups.setdefault(find(("x", x)), []).append(x)
    components = []
    for xs in sorted(groups.values(), key=min):
        sub_adj = {x: frozenset(adjacency[x]) for x in xs}
        subsets = []
        for bx, by in maximal_bicliques(sub_adj):
            sx, sy = sorted(bx), sorted(by)
            subsets.append(NashSubset(
                row_strategies=tuple(row_strategy[x] for x in sx),
                column_strategies=tuple(col_strategy[y] for y in sy),
                row_indices=tuple(sx),
                column_indices=tuple(sy),
            ))
        eq_idx = sorted(pair_index[(x, y)] for x in xs for y in adjacency[x])
        components.append(EquilibriumComponent(nash_subsets=tuple(subsets), equilibrium_indices=tuple(eq_idx)))
    return tuple(components)


def equilibrium_components(result: NashResult) -> tuple[EquilibriumComponent, ...]:
    """Components of the equilibrium set from a complete two-player result (e.g. support enumeration with
    ``supports="all"``); strategies are identified by their exact probabilities.

    Raises
    ------
    UnsupportedGame
        The result is not a complete enumeration of a two-player game (components would be wrong).
    """
    if not result.complete:
        raise UnsupportedGame(
            f"equilibrium_components(): method {result.method!r} did not enumerate all extreme equilibria "
            "(complete=False); components computed from it could be wrong"
        )
    if result.equilibria and result.equilibria[0].game.n_players != 2:
        raise UnsupportedGame("equilibrium_components(): components are defined here for two-player games only")
    row_ids: dict[tuple, int] = {}
    col_ids: dict[tuple, int] = {}
    pairs = []
    for eq in result.equilibria:
        kx, ky = profile_key(eq)
        pairs.append((row_ids.setdefault(kx, len(row_ids)), col_ids.setdefault(ky, len(col_ids))))
    return components_from_pairs(result.equilibria, pairs)
