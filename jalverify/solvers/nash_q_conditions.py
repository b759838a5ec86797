r"""Nash-Q stage conditions: global optimal points and saddle points of n-player stage games, decided exactly.

Definitions (Hu & Wellman 2003, "Nash Q-learning for general-sum stochastic games", JMLR 4, Defs. 10–11;
Albrecht, Christianos & Schäfer 2024, pp. 123–124; theory.md §4).  For a mixed profile σ with expected payoffs
:math:`U_k`:

* **global optimal point**: :math:`U_k(σ) >= U_k(σ')` for every profile σ' and every player k;
* **saddle point**: σ is a Nash equilibrium and :math:`U_k(σ_k, σ'_{-k}) >= U_k(σ)` for all σ'_{-k}, all k.

**Global optima (any n, always decided).**  Let :math:`M_k = \max_a R_k(a)` and
:math:`S = \{a : R_k(a) = M_k \text{ for all } k\}`.  *Claim:* σ is a global optimum iff the product of its
supports lies in S; hence one exists iff S is non-empty, and then every pure ``a ∈ S`` is one.
*Proof.* :math:`\max_{σ'} U_k(σ') = M_k` because :math:`U_k(σ') = Σ_a σ'(a) R_k(a)` is an average of values
``<= M_k`` and a pure profile attains it.  So σ is a global optimum iff :math:`U_k(σ) = M_k` for all k.  An
average of numbers ``<= M_k`` equals ``M_k`` iff every number with positive weight equals ``M_k``; the joint
distribution of σ has support :math:`\prod_i supp(σ_i)`; so the condition is that every joint action in that
product lies in S.  ∎  ``global_optima`` lists every pure global optimum (all of S); the mixed ones are exactly
the profiles whose support product lies in S; all give the payoffs :math:`(M_k)_k`.

**Saddle points.**  :math:`U_k(σ_k, ·)` is multilinear in the others' strategies, so its minimum over
σ'_{-k} is attained at a pure :math:`a_{-k}`; the saddle condition for k is
:math:`\min_{a_{-k}} U_k(σ_k, a_{-k}) >= U_k(σ)`.  Let :math:`v_k` be k's maximin value against the coalition
of the others (the value of the zero-sum game with k's payoff matrix ``R_k`` as ``|A_k| × |A_{-k}|``).  Then
:math:`U_k(σ) <= \min_{a_{-k}} U_k(σ_k, a_{-k}) <= v_k` and, by Nash and the minimax theorem,
:math:`U_k(σ) >= \max_{a_k} U_k(a_k, σ_{-k}) >= v_k`.  *So σ is a saddle point iff for every k:*
(i) σ_k is a maximin strategy of k (:math:`\min_{a_{-k}} U_k(σ_k, a_{-k}) >= v_k`), and (ii) the others hold k
to :math:`v_k` (:math:`\max_{a_k} U_k(a_k, σ_{-k}) <= v_k`); then :math:`U_k(σ) = v_k`.

* **Two players (complete, any size).**  (i) and (ii) are linear in one player's strategy each, so the set of
  saddle points is the product ``X × Y`` of two polytopes
  ``X = {x ∈ Δ : xᵀR_0 >= v_0·1, xᵀR_1 <= v_1·1}`` and ``Y = {y ∈ Δ : R_1 y >= v_1·1, R_0 y <= v_0·1}``.
  Existence is decided by exact LP feasibility; when the vertex enumeration is within
  :data:`MAX_VERTEX_BASES` candidate bases per polytope, ``saddle_points`` lists every pair of vertices (every
  saddle point is a convex combination ``(Σ λ_p x_p, Σ μ_q y_q)`` of them) and ``complete`` is True.
  For a zero-sum game ``X`` and ``Y`` are the sets of optimal strategies, so every Nash equilibrium is a saddle
  point.
* **n >= 3 players (pure complete, mixed partial).**  Every pure profile is checked exactly.  Condition (ii)
  is multilinear in the others' strategies, so the mixed saddle points need not form a polytope; the search
  additionally checks every product of vertices of the maximin polytopes (i) (when small), and a saddle point
  found is exact and verified.  When every player's maximin strategy is unique (each polytope (i) is a single
  point), the only candidate has been checked and the answer is complete.  Otherwise, if none is found,
  ``saddle_decided`` is False: the absence of mixed saddle points is *not* claimed, and ``complete`` is False.
* **One player**: saddle points and global optima coincide (the maximisers); complete.

All checks are exact in rational arithmetic; an exact game is required.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import GameTooLarge, InvalidGame, SolverError
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile, expected_payoffs, max_regret
from jalverify.numbers import EXACT
from jalverify.solvers.display import (
    MARK_COLOUR,
    game_label,
    json_number,
    number_text,
    one_line,
    plural,
    profiles_table_html,
    pure_joint,
    require_game,
    result_html,
    status_html,
)
from jalverify.solvers.lp import LinearProgram, LPStatus
from jalverify.solvers.minimax import exact_lp_solve, minimax_value, optimal_strategy_set, simplex_polytope_vertices
from jalverify.verdicts import Status

__all__ = [
    "KINDS",
    "MAX_VERTEX_BASES",
    "MAX_SADDLE_PAIRS",
    "StageClassification",
    "classify_stage_game",
    "global_optima",
    "is_global_optimum",
    "is_saddle_point",
]

KINDS = ("global_optimum", "saddle_point", "both", "neither")

#: Vertex enumeration of a saddle polytope is skipped above this many candidate bases, C(k + m, k - 1).
MAX_VERTEX_BASES = 100_000
#: At most this many (vertex of X, vertex of Y) pairs are listed; more makes the listing incomplete.
MAX_SADDLE_PAIRS = 10_000
#: How many reported two-player saddle points are re-checked from the definition (all are certified by
#: exact polytope membership).
RECHECKED = 4
#: n >= 3: products of maximin-polytope vertices are tried only up to this many.
MAX_PRODUCT_CANDIDATES = 20_000


@dataclass(frozen=True)
class StageClassification:
    """Result of :func:`classify_stage_game`.

    Attributes
    ----------
    global_optima : tuple of MixedProfile
        Every pure global optimal point (mixed ones: profiles whose support product lies in this set).
    global_payoffs : tuple or None
        The common payoff vector of all global optima.
    saddle_points : tuple of MixedProfile
        Saddle points found, each verified exactly.  Two players with ``complete``: all vertex pairs of the
        saddle set ``X × Y``.
    saddle_payoffs : tuple or None
        The common payoff vector of all saddle points, ``(v_k)_k``.
    kind : {"global_optimum", "saddle_point", "both", "neither"}
    complete : bool
        Whether the listings are complete in the sense above (every global optimum and every saddle point is
        generated by what is listed).
    saddle_decided : bool
        Whether the existence or absence of a saddle point is proven.  When False (n >= 3, none found), ``kind``
        reports what was found, not a proof of absence.
    method : str
    """

    global_optima: tuple[MixedProfile, ...]
    global_payoffs: tuple[Fraction, ...] | None
    saddle_points: tuple[MixedProfile, ...]
    saddle_payoffs: tuple[Fraction, ...] | None
    kind: str
    complete: bool
    saddle_decided: bool
    method: str
    game: NormalFormGame | None = field(default=None, compare=False, repr=False)

    # ---------------------------------------------------------------------------------------------------------
    # display (issue 13)
    # ---------------------------------------------------------------------------------------------------------
    def __repr__(self) -> str:
        return one_line("StageClassification", f"game={game_label(self.game)}", f"kind={self.kind}",
                        plural(len(self.global_optima), "global optimum", "global optima"),
                        plural(len(self.saddle_points), "saddle point"),
                        "complete" if self.complete else "listing not proven complete")

    def to_dict(self, game: NormalFormGame | None = None) -> dict[str, Any]:
        """The classification as JSON-ready data, as ``jalverify classify --format json`` prints it for a
        normal-form game (``classify.schema.json``): profiles by player and action name, exact ``"p/q"``."""
        g = require_game(game, self.game, "StageClassification.to_dict()")

        def profile(p: MixedProfile) -> dict[str, Any]:
            return {g.players[i]: {g.actions[i][a]: json_number(q) for a, q in enumerate(d)}
                    for i, d in enumerate(p.distributions)}

        def payoffs(vec: Any) -> Any:
            return None if vec is None else {g.players[i]: json_number(v) for i, v in enumerate(vec)}

        return {
            "kind": self.kind,
            "complete": self.complete,
            "saddle_decided": self.saddle_decided,
            "method": self.method,
            "global_optima": [profile(p) for p in self.global_optima],
            "global_payoffs": payoffs(self.global_payoffs),
            "saddle_points": [profile(p) for p in self.saddle_points],
            "saddle_payoffs": payoffs(self.saddle_payoffs),
        }

    def _repr_html_(self) -> str:
        """The payoff table with the pure global optima and saddle points highlighted, both listings as labelled
        tables of exact probabilities, and whether the absence of saddle points is proven."""
        from jalverify.games.tables import CellMark, payoff_table_html

        g = self.game
        parts = []
        if g is not None:
            marks = {}
            for kind, points in (("saddle point", self.saddle_points), ("global optimum", self.global_optima)):
                for p in points:
                    joint = pure_joint(p.distributions)
                    if joint is not None:
                        note = marks[joint].note + " and " + kind if joint in marks else kind
                        marks[joint] = CellMark(MARK_COLOUR, note)
            parts.append(payoff_table_html(g, marks=marks))
        for title, points, pay in (("global optima", self.global_optima, self.global_payoffs),
                                   ("saddle points", self.saddle_points, self.saddle_payoffs)):
            if not points:
                parts.append(f"<div>no {title}</div>")
                continue
            pg = points[0].game
            caption = f"{title} (payoffs {', '.join(number_text(v) for v in pay or ())})"
            parts.append(profiles_table_html(list(pg.players), [list(a) for a in pg.actions],
                                             [(f"[{k}]", p.distributions) for k, p in enumerate(points)],
                                             caption=caption))
        if self.saddle_decided:
            parts.append(status_html(Status.PROVEN, "the existence or absence of a saddle point is decided exactly; "
                                     "every point listed was checked in exact arithmetic"))
        else:
            parts.append(status_html(Status.NOT_ESTABLISHED, "no saddle point was found, but its absence is not "
                                     "proven (n >= 3 players)"))
        title = g.name if g is not None and g.name else "stage game"
        return result_html("classification", f"Nash-Q stage conditions of {title}: {self.kind}", parts, facts={
            "method": self.method, "listing": "complete" if self.complete else "not proven complete"})


# --------------------------------------------------------------------------------------------------------------
# exact checks
# --------------------------------------------------------------------------------------------------------------
def _require_exact(game: NormalFormGame, where: str) -> None:
    if not game.field.exact:
        raise InvalidGame(f"{where}: needs an exact game (the conditions are decided exactly)")


def global_optima(game: NormalFormGame) -> tuple[tuple[int, ...], ...]:
    """All joint actions at which every player gets its maximal payoff ``max_a R_k(a)`` (C order)."""
    P = game.payoffs
    n = game.n_players
    mask = np.ones(game.n_actions, dtype=bool)
    for k in range(n):
        top = max(P[k].reshape(-1).tolist())
        mask &= np.asarray(P[k] == top, dtype=bool)
    return tuple(tuple(int(i) for i in idx) for idx in np.argwhere(mask))


def is_global_optimum(game: NormalFormGame, profile: MixedProfile) -> bool:
    """Exact test: ``U_k(σ) = max_a R_k(a)`` for every player k."""
    _require_exact(game, "is_global_optimum()")
    U = expected_payoffs(game, profile)
    return all(U[k] == max(game.payoffs[k].reshape(-1).tolist()) for k in range(game.n_players))


def _guarantee(game: NormalFormGame, profile: MixedProfile, k: int) -> Fraction:
    """``min_{a_{-k}} U_k(σ_k, a_{-k})``: contract R_k with σ_k along axis k, minimise over the rest."""
    t = np.tensordot(game.payoffs[k], profile.distributions[k], axes=([k], [0]))
    return min(np.asarray(t).reshape(-1).tolist())


def is_saddle_point(game: NormalFormGame, profile: MixedProfile) -> bool:
    """Exact test of Hu & Wellman's saddle point: Nash, and ``min_{a_{-k}} U_k(σ_k, a_{-k}) >= U_k(σ)`` for all k."""
    _require_exact(game, "is_saddle_point()")
    if max_regret(game, profile) > 0:
        return False
    U = expected_payoffs(game, profile)
    return all(_guarantee(game, profile, k) >= U[k] for k in range(game.n_players))


# --------------------------------------------------------------------------------------------------------------
# polytopes {x in simplex : G x <= h}
# --------------------------------------------------------------------------------------------------------------
def _simplex_polytope_vertices(G: list[list[Fraction]], h: list[Fraction], k: int,
                               max_bases: int) -> tuple[tuple[Fraction, ...], ...] | None:
    """Vertices of ``{x >= 0, Σx = 1, G x <= h}`` (exact basis enumeration), or None if over ``max_bases``."""
    # drop duplicate constraints and all-zero rows with h >= 0 (they define no facet): same polytope
    seen: set[tuple[Fraction, ...]] = set()
    rows: list[tuple[list[Fraction], Fraction]] = []
    for g, hv in zip(G, h):
        key = (*g, hv)
        if key in seen or (all(v == 0 for v in g) and hv >= 0):
            continue
        seen.add(key)
        rows.append((list(g), hv))
    G = [r[0] for r in rows]
    h = [r[1] for r in rows]
    m = len(G)
    if k == 1:
        ok = all(G[r][0] <= h[r] for r in range(m))
        return ((Fraction(1),),) if ok else ()
    if math.comb(k + m, k - 1) > max_bases:
        return None
    return tuple(sorted(simplex_polytope_vertices(G, h, k)))


def _simplex_polytope_point(G: list[list[Fraction]], h: list[Fraction], k: int) -> tuple[Fraction, ...] | None:
    """One point of ``{x >= 0, Σx = 1, G x <= h}`` by an exact (certified) feasibility LP, or None if empty."""
    lp = LinearProgram.build([0] * k, G if G else None, h if G else None, [[1] * k], [1], field=EXACT)
    res = exact_lp_solve(lp)
    if res.status is LPStatus.INFEASIBLE:
        return None
    res.require_optimal("classify_stage_game()")
    return tuple(Fraction(v) for v in res.x)


# --------------------------------------------------------------------------------------------------------------
# classification
# --------------------------------------------------------------------------------------------------------------
def _kind(has_global: bool, has_saddle: bool) -> str:
    if has_global and has_saddle:
        return "both"
    if has_global:
        return "global_optimum"
    if has_saddle:
        return "saddle_point"
    return "neither"


def _two_player_saddles(game: NormalFormGame) -> tuple[tuple[MixedProfile, ...], bool, bool, str]:
    R0 = game.payoffs[0]
    R1 = game.payoffs[1]
    k, l = R0.shape
    v0, _, _ = minimax_value(R0, field=EXACT)
    v1, _, _ = minimax_value(R1.T, field=EXACT)
    # X: x^T R0 >= v0 (as -R0^T x <= -v0), x^T R1 <= v1
    GX = [[-R0[i, j] for i in range(k)] for j in range(l)] + [[R1[i, j] for i in range(k)] for j in range(l)]
    hX = [-v0] * l + [v1] * l
    # Y: R1 y >= v1 (as -R1 y <= -v1), R0 y <= v0
    GY = [[-R1[i, j] for j in range(l)] for i in range(k)] + [[R0[i, j] for j in range(l)] for i in range(k)]
    hY = [-v1] * k + [v0] * k
    VX = _simplex_polytope_vertices(GX, hX, k, MAX_VERTEX_BASES)
    VY = _simplex_polytope_vertices(GY, hY, l, MAX_VERTEX_BASES)
    complete = VX is not None and VY is not None
    if VX is None:
        px = _simplex_polytope_point(GX, hX, k)
        VX = (px,) if px is not None else ()
    if VY is None:
        py = _simplex_polytope_point(GY, hY, l)
        VY = (py,) if py is not None else ()
    if not VX or not VY:
        return (), True, True, "exact LP values + polytope vertex enumeration" if complete else "exact LP feasibility"
    pairs = list(itertools.product(VX, VY))
    if len(pairs) > MAX_SADDLE_PAIRS:
        pairs = pairs[:MAX_SADDLE_PAIRS]
        complete = False
    profiles = tuple(MixedProfile(game, [np.array(x, dtype=object), np.array(y, dtype=object)]) for x, y in pairs)
    method = "exact LP values + polytope vertex enumeration" if complete else "exact LP feasibility (partial listing)"
    return profiles, complete, True, method


def _n_player_saddles(game: NormalFormGame) -> tuple[tuple[MixedProfile, ...], bool, bool, str]:
    n = game.n_players
    found: dict[Any, MixedProfile] = {}
    for joint in game.joint_actions():
        prof = MixedProfile.pure(game, joint)
        if is_saddle_point(game, prof):
            found[joint] = prof
    # products of vertices of the maximin polytopes (condition (i)); condition (ii) checked exactly
    vertex_sets = []
    for k in range(n):
        Rk = np.moveaxis(game.payoffs[k], k, 0).reshape(game.n_actions[k], -1)
        try:
            vertex_sets.append(optimal_strategy_set(Rk, 0))
        except GameTooLarge:
            vertex_sets = None
            break
    tried_products = False
    if vertex_sets is not None and math.prod(len(v) for v in vertex_sets) <= MAX_PRODUCT_CANDIDATES:
        tried_products = True
        for combo in itertools.product(*vertex_sets):
            prof = MixedProfile(game, [np.array(x, dtype=object) for x in combo])
            if is_saddle_point(game, prof):
                found[combo] = prof
    method = "pure enumeration" + (" + products of maximin-polytope vertices" if tried_products else "")
    if vertex_sets is not None and all(len(v) == 1 for v in vertex_sets):
        # every player's maximin strategy is unique, so condition (i) leaves a single candidate profile, and it
        # has been checked: the answer is complete
        return tuple(found.values()), True, True, method + " (unique maximin strategies: complete)"
    decided = bool(found)
    return tuple(found.values()), False, decided, method


def classify_stage_game(game: NormalFormGame) -> StageClassification:
    """Decide exactly whether ``game`` has a global optimal point and/or a saddle point (module docstring).

    Parameters
    ----------
    game : NormalFormGame
        Exact field, any number of players.

    Returns
    -------
    StageClassification
    """
    _require_exact(game, "classify_stage_game()")
    n = game.n_players
    pure_global = global_optima(game)
    g_profiles = tuple(MixedProfile.pure(game, a) for a in pure_global)
    g_payoffs = tuple(max(game.payoffs[k].reshape(-1).tolist()) for k in range(n)) if pure_global else None
    if n == 1:
        saddles, complete, decided, method = g_profiles, True, True, "one player: saddle points are the maximisers"
    elif n == 2:
        saddles, complete, decided, method = _two_player_saddles(game)
    else:
        saddles, complete, decided, method = _n_player_saddles(game)
    # Two-player points are certified by exact membership in X × Y (checked during the enumeration, and
    # equivalent to the definition by the theorem above); the first RECHECKED are also re-checked from the
    # definition, n-player points always are (that is how they were found).
    for s in saddles[:RECHECKED]:
        if not is_saddle_point(game, s):  # pragma: no cover - would be a bug
            raise SolverError(f"classify_stage_game(): {s} failed the exact saddle-point check")
    s_payoffs = tuple(expected_payoffs(game, saddles[0]).tolist()) if saddles else None
    return StageClassification(
        global_optima=g_profiles,
        global_payoffs=g_payoffs,
        saddle_points=saddles,
        saddle_payoffs=s_payoffs,
        kind=_kind(bool(pure_global), bool(saddles)),
        complete=complete,
        saddle_decided=decided,
        method=method,
        game=game,
    )
