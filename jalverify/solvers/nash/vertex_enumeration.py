r"""All extreme Nash equilibria of a bimatrix game by exact vertex enumeration, correct on degenerate games.

Algorithm (von Stengel 2002, "Computing equilibria for two-person games", Handbook of Game Theory vol. 3,
ch. 45, §2.4 and §2.7; Avis, Rosenberg, Savani & von Stengel 2010, Economic Theory 42, §3 for lrsnash).
Shift the payoffs so that ``A' > 0`` and ``B' > 0`` (this does not change best responses) and form the
best-response polytopes

.. math::
    P = \{x \in \mathbb R^m : x \ge 0,\ B'^\top x \le \mathbf 1\},\qquad
    Q = \{y \in \mathbb R^n : A' y \le \mathbf 1,\ y \ge 0\}.

A point of ``P`` has label ``i`` if ``x_i = 0`` and label ``m + j`` if ``(B'^\top x)_j = 1``; a point of ``Q``
has label ``i`` if ``(A'y)_i = 1`` and label ``m + j`` if ``y_j = 0``.  A pair ``(x, y) ≠ (0, 0)`` is
completely labelled iff ``(x / 1^\top x, y / 1^\top y)`` is a Nash equilibrium; the *extreme* equilibria are
the completely labelled pairs of vertices, and every equilibrium is a convex combination inside a maximal
Nash subset of them (Avis et al. 2010, §2).  In a degenerate game a vertex lies on more than ``m`` (resp.
``n``) facets; that is harmless here because

1. vertices are enumerated as *points*: a depth-first search over the lexicographically feasible bases of
   ``P`` and ``Q`` (the bases of the symbolically perturbed, simple polytopes
   :math:`B'^\top x \le \mathbf 1 + (ε, ε^2, …)`, whose graph is connected and every vertex of the
   unperturbed polytope is the limit of one of theirs), with exact integer pivoting; each vertex is
   identified by its full label set (all tight constraints, degenerate ones included);
2. every vertex of ``P`` is paired with every vertex of ``Q`` whose label sets together cover all
   ``m + n`` labels (one vectorised bit-mask test), so no equilibrium pair is lost to a choice of basis.

Every returned profile is certified by an exact regret computation (regret exactly 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile
from jalverify.numbers import Field, field_named
from jalverify.solvers.nash._bimatrix import positive_integer_matrices, require_two_players, target_game
from jalverify.solvers.nash._integer_tableau import IntegerTableau
from jalverify.solvers.nash.result import NashResult, NashStatus, certify_profiles

__all__ = [
    "PolytopeVertex",
    "polytope_vertices",
    "best_response_polytope_vertices",
    "completely_labelled_pairs",
    "vertex_enumeration_solve",
]

METHOD = "vertex_enumeration"


@dataclass(frozen=True)
class PolytopeVertex:
    """A vertex of ``{z >= 0 : C z <= 1}``.

    Attributes
    ----------
    numerators : tuple of int
        ``z = numerators / denominator``.
    denominator : int
    tight : int
        Bit mask of the tight constraints: bit ``k < nz`` for ``z_k = 0``, bit ``nz + r`` for row ``r`` of
        ``C z <= 1`` holding with equality.
    """

    numerators: tuple[int, ...]
    denominator: int
    tight: int

    @property
    def is_origin(self) -> bool:
        return not any(self.numerators)

    def normalised(self) -> list[Fraction]:
        """``z / sum(z)`` as exact Fractions (a mixed strategy); not defined at the origin."""
        total = sum(self.numerators)
        return [Fraction(v, total) for v in self.numerators]


def polytope_vertices(C: list[list[int]]) -> list[PolytopeVertex]:
    """All vertices of ``{z >= 0 : C z <= 1}`` for a positive integer matrix ``C``, each once.

    Depth-first search over lexicographically feasible bases from the origin; every basis has exactly ``nz``
    neighbours (one per entering nonbasic variable, the leaving one fixed by the lexicographic ratio test).
    """
    start = IntegerTableau.initial(C)
    nvars = start.nz + start.nrows
    seen_bases = {start.basis_mask()}
    stack = [start]
    vertices: dict[int, PolytopeVertex] = {}
    while stack:
        tab = stack.pop()
        tight = tab.tight_variables_mask()
        if tight not in vertices:
            vertices[tight] = PolytopeVertex(tuple(tab.z_values()), tab.det, tight)
        bmask = tab.basis_mask()
        for entering in range(nvars):
            if bmask >> entering & 1:
                continue
            row = tab.lex_min_ratio_row(entering)
            leaving = tab.basis[row]
            neighbour = bmask ^ (1 << leaving) ^ (1 << entering)
            if neighbour in seen_bases:
                continue
            seen_bases.add(neighbour)
            stack.append(tab.pivot(row, entering))
    return list(vertices.values())


def best_response_polytope_vertices(game: NormalFormGame) -> tuple[list[PolytopeVertex], list[PolytopeVertex],
                                                                    list[int], list[int]]:
    """Vertices of ``P`` and ``Q`` with their label masks (labels ``0..m-1`` rows, ``m..m+n-1`` columns).

    Returns
    -------
    (P_vertices, Q_vertices, P_labels, Q_labels)
    """
    require_two_players(game, "best_response_polytope_vertices()")
    A, B = positive_integer_matrices(game)
    m, n = len(A), len(A[0])
    BT = [[B[i][j] for i in range(m)] for j in range(n)]
    p_vertices = polytope_vertices(BT)  # variables x_0..x_{m-1}, slacks of columns: labels coincide with indices
    q_vertices = polytope_vertices(A)   # variables y_0..y_{n-1}, slacks of rows 0..m-1
    p_labels = [v.tight for v in p_vertices]
    low_n = (1 << n) - 1
    # Q: bit j (< n) is y_j = 0 -> label m + j; bit n + i is row i tight -> label i
    q_labels = [((v.tight & low_n) << m) | (v.tight >> n) for v in q_vertices]
    return p_vertices, q_vertices, p_labels, q_labels


def completely_labelled_pairs(p_labels: list[int], q_labels: list[int], n_labels: int) -> list[tuple[int, int]]:
    """Index pairs ``(k, l)`` with ``p_labels[k] | q_labels[l]`` covering all ``n_labels`` labels."""
    full = (1 << n_labels) - 1
    if not p_labels or not q_labels:
        return []
    if n_labels <= 62:
        px = np.fromiter(p_labels, dtype=np.int64, count=len(p_labels))
        qy = np.fromiter(q_labels, dtype=np.int64, count=len(q_labels))
        # a column vertex must carry every label the row vertex lacks: (~px & full) & ~qy == 0
        need = ~px & full
        out: list[tuple[int, int]] = []
        block = max(1, 1_000_000 // len(q_labels))  # bounded memory
        not_qy = ~qy
        for start in range(0, len(p_labels), block):
            hits = np.argwhere((need[start:start + block, None] & not_qy[None, :]) == 0)
            out.extend((int(a) + start, int(b)) for a, b in hits)
        return out
    return [(k, l) for k, a in enumerate(p_labels) for l, b in enumerate(q_labels) if a | b == full]


def vertex_enumeration_solve(game: NormalFormGame, *, field: Field | str | None = None,
                             components: bool = True) -> NashResult:
    """All extreme Nash equilibria of a two-player game, exactly, degenerate games included.

    Parameters
    ----------
    game : NormalFormGame
        Two players.  Exact payoffs, or float payoffs (then computed on their exact binary values).
    field : Field or {"exact", "float"}, optional
        Field of the returned profiles; default the game's field.  Float output is checked with the float
        field's tolerance.
    components : bool
        Also compute the maximal Nash subsets and connected components (:mod:`.components`).

    Returns
    -------
    NashResult
        ``status=COMPLETE``, ``complete=True``; ``certificates`` are exact zeros in the exact field.

    Raises
    ------
    UnsupportedGame
        Not a two-player game.
    InvalidNumber
        An exact answer asked for a float game.
    SolverError
        A candidate failed the exact regret check (a bug; never returned silently).
    """
    require_two_players(game, "vertex_enumeration_solve()")
    fld = field_named(field) if field is not None else game.field
    out_game = target_game(game, fld, "vertex_enumeration_solve()")
    m, n = game.n_actions
    p_vertices, q_vertices, p_labels, q_labels = best_response_polytope_vertices(game)
    p_keep = [k for k, v in enumerate(p_vertices) if not v.is_origin]
    q_keep = [k for k, v in enumerate(q_vertices) if not v.is_origin]
    pairs = completely_labelled_pairs([p_labels[k] for k in p_keep], [q_labels[k] for k in q_keep], m + n)
    pairs.sort()
    x_cache: dict[int, list] = {}
    y_cache: dict[int, list] = {}
    profiles = []
    index_pairs = []
    for a, b in pairs:
        ka, kb = p_keep[a], q_keep[b]
        if ka not in x_cache:
            x_cache[ka] = _in_field(p_vertices[ka].normalised(), fld)
        if kb not in y_cache:
            y_cache[kb] = _in_field(q_vertices[kb].normalised(), fld)
        profiles.append(MixedProfile(out_game, [x_cache[ka], y_cache[kb]]))
        index_pairs.append((ka, kb))
    equilibria, certificates = certify_profiles(out_game, profiles, method="vertex_enumeration_solve", field=fld)
    comps = None
    if components:
        from jalverify.solvers.nash.components import components_from_pairs

        comps = components_from_pairs(equilibria, index_pairs)
    return NashResult(
        equilibria=equilibria,
        method=METHOD,
        field=fld,
        status=NashStatus.COMPLETE,
        complete=True,
        certificates=certificates,
        tolerance=0.0 if fld.exact else fld.atol,
        components=comps,
        notes=(f"{len(p_vertices)} vertices of P and {len(q_vertices)} of Q enumerated exactly",),
    )


def _in_field(values: list[Fraction], fld: Field) -> list:
    if fld.exact:
        return values
    return [float(v) for v in values]


