r"""Claims about the Nash-Q conditions on stage games (``nash_q.*``).

Definitions (Hu & Wellman 2003, JMLR 4, Defs. 9–10; Albrecht, Christianos & Schäfer 2024, pp. 123–124;
theory.md §4), for a profile σ with expected payoffs :math:`U_k`:

* **global optimal point**: :math:`U_k(σ) ≥ U_k(σ')` for all σ' and all k.  Equivalently every joint action in
  the support of σ gives every player its largest payoff :math:`\max_a R_k(a)`.
* **saddle point**: σ is a Nash equilibrium and :math:`U_k(σ_k, σ'_{-k}) ≥ U_k(σ)` for all :math:`σ'_{-k}`.
  As :math:`U_k(σ_k, ·)` is multilinear in the others' strategies, the minimum over :math:`σ'_{-k}` is attained
  at a pure joint action of the others, so the test is finite and exact.

All checks are exact.  Saddle points are enumerated completely when the game is nondegenerate (its equilibria
are then the finitely many extreme equilibria from vertex enumeration), or through
:func:`jalverify.solvers.nash_q_conditions.classify_stage_game` when that reports a complete classification.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile, expected_payoffs, max_regret
from jalverify.solvers.nash_q_conditions import classify_stage_game
from jalverify.theorems._common import (
    exact_game,
    joint_text,
    matrix,
    not_established,
    num,
    nums,
    profile_text,
    proven,
    refuted,
    vector_text,
)
from jalverify.theorems.registry import REFUTED_AS_EXPECTED, theorem
from jalverify.verdicts import Verdict

__all__ = [
    "check_at_most_one_kind",
    "check_classification",
    "check_global_optima_equal_payoffs",
    "check_global_optimum_is_nash",
    "check_optimum_or_saddle_exists",
    "check_saddle_points_equal_payoffs",
    "is_global_optimum",
    "is_saddle_point",
    "pure_global_optima",
    "saddle_points",
]

_HW = "Hu & Wellman (2003), JMLR 4, Defs. 9–10 and Assumption 3; theory.md §4"


def _profile_witness(profile: MixedProfile) -> list[list[str]]:
    return [nums(d.tolist()) for d in profile.distributions]


def pure_global_optima(game: NormalFormGame) -> list[tuple[int, ...]]:
    """Joint actions at which every player gets its largest payoff."""
    tops = [max(game.payoffs[k].reshape(-1).tolist()) for k in range(game.n_players)]
    return [a for a in game.joint_actions() if all(game.payoffs[(k, *a)] == tops[k] for k in range(game.n_players))]


def is_global_optimum(game: NormalFormGame, profile: MixedProfile) -> bool:
    """Whether ``profile`` gives every player its largest payoff (exact)."""
    U = expected_payoffs(game, profile)
    return all(U[k] == max(game.payoffs[k].reshape(-1).tolist()) for k in range(game.n_players))


def _guarantee(game: NormalFormGame, profile: MixedProfile, k: int) -> Fraction:
    """``min over pure a_{-k}`` of ``U_k(σ_k, a_{-k})``."""
    contracted = np.tensordot(np.moveaxis(game.payoffs[k], k, -1), profile.distributions[k], axes=([-1], [0]))
    return min(np.asarray(contracted).reshape(-1).tolist())


def is_saddle_point(game: NormalFormGame, profile: MixedProfile) -> bool:
    """Whether ``profile`` is a Nash equilibrium at which no player loses when the others deviate (exact)."""
    if max_regret(game, profile) != 0:
        return False
    U = expected_payoffs(game, profile)
    return all(_guarantee(game, profile, k) >= U[k] for k in range(game.n_players))


def _nondegenerate(game: NormalFormGame) -> bool:
    from jalverify.solvers.nash.degeneracy import is_degenerate

    return game.n_players == 2 and not is_degenerate(game)


def _extreme_equilibria(game: NormalFormGame) -> list[MixedProfile]:
    from jalverify.solvers.nash.vertex_enumeration import vertex_enumeration_solve

    return list(vertex_enumeration_solve(game, field="exact", components=False).equilibria)


def saddle_points(game: NormalFormGame) -> tuple[list[MixedProfile], bool]:
    """Saddle points found and whether the list is complete (every saddle point's payoff vector is listed).

    Pure saddle points are always enumerated.  On a nondegenerate two-player game every equilibrium is an
    extreme equilibrium, so filtering vertex enumeration's list is complete.  Otherwise the Nash-Q classifier
    is asked (complete when it says so); each of its saddle points is re-checked here.
    """
    found = [MixedProfile.pure(game, a) for a in game.joint_actions() if is_saddle_point(game, MixedProfile.pure(game, a))]
    if game.n_players == 2 and _nondegenerate(game):
        mixed = [p for p in _extreme_equilibria(game) if not p.is_pure() and is_saddle_point(game, p)]
        return found + mixed, True
    result = classify_stage_game(game)
    extra = [p for p in result.saddle_points if not p.is_pure()]
    return found + extra, bool(result.complete)


@theorem("nash_q.global_optima_equal_payoffs", strategy="general_games", citation=_HW,
         claim="all global optimal points of a stage game give every player the same payoff")
def check_global_optima_equal_payoffs(game: NormalFormGame) -> Verdict:
    """Every global optimum is a mixture of the pure global optima, and each of those pays ``max R_k``."""
    tid = "nash_q.global_optima_equal_payoffs"
    g = exact_game(game)
    optima = pure_global_optima(g)
    if not optima:
        return proven(tid, "the game has no global optimal point (vacuous)", {})
    payoffs = {tuple(g.payoffs[(k, *a)] for k in range(g.n_players)) for a in optima}
    if len(payoffs) == 1:
        return proven(tid, f"{len(optima)} pure global optima, all paying {vector_text(next(iter(payoffs)), game.players)}",
                         {"global_optima": [list(a) for a in optima]})
    return refuted(tid, "global optima with different payoffs", {"payoffs": [nums(p) for p in payoffs]})


@theorem("nash_q.saddle_points_equal_payoffs", strategy="general_games", citation=_HW,
         requires=("jalverify.solvers.nash.vertex_enumeration",),
         claim="all saddle points of a stage game give every player the same payoff")
def check_saddle_points_equal_payoffs(game: NormalFormGame) -> Verdict:
    tid = "nash_q.saddle_points_equal_payoffs"
    g = exact_game(game)
    points, complete = saddle_points(g)
    first_payoffs = tuple(expected_payoffs(g, points[0]).tolist()) if points else ()
    for other in points[1:]:
        other_payoffs = tuple(expected_payoffs(g, other).tolist())
        if other_payoffs != first_payoffs:
            return refuted(tid, "two saddle points with different payoffs",
                           {"first": _profile_witness(points[0]), "first_payoffs": nums(first_payoffs),
                            "second": _profile_witness(other), "second_payoffs": nums(other_payoffs)})
    if not complete:
        return not_established(tid, f"{len(points)} saddle points found agree; the list may be incomplete (degenerate game)")
    return proven(tid, f"{len(points)} saddle points, all with equal payoffs", {"saddle_points": len(points)})


@theorem("nash_q.global_optimum_is_nash", strategy="general_games", citation=_HW,
         claim="every global optimal point is a Nash equilibrium")
def check_global_optimum_is_nash(game: NormalFormGame) -> Verdict:
    tid = "nash_q.global_optimum_is_nash"
    g = exact_game(game)
    optima = pure_global_optima(g)
    for a in optima:
        profile = MixedProfile.pure(g, a)
        regret = max_regret(g, profile)
        if regret != 0:
            return refuted(tid, f"global optimum {joint_text(game, a)} has regret {regret}", {"joint_action": list(a), "regret": num(regret)})
    # a mixed global optimum is supported on pure global optima; its regret is 0 for the same reason
    return proven(tid, f"{len(optima)} pure global optima, each with exact regret 0", {"global_optima": len(optima)})


@theorem("nash_q.classification", strategy="small_bimatrix_games", citation=_HW,
         requires=("jalverify.solvers.nash_q_conditions",),
         claim="the Nash-Q classification of a stage game is right: every reported global optimum and saddle point "
               "is one, the pure ones are all reported, and the kind matches the lists")
def check_classification(game: NormalFormGame) -> Verdict:
    from jalverify.solvers.nash_q_conditions import classify_stage_game

    tid = "nash_q.classification"
    g = exact_game(game)
    result = classify_stage_game(g)
    for p in result.global_optima:
        if not is_global_optimum(g, p):
            return refuted(tid, "a reported global optimum is not one", {"profile": _profile_witness(p)})
    for p in result.saddle_points:
        if not is_saddle_point(g, p):
            return refuted(tid, "a reported saddle point is not one", {"profile": _profile_witness(p)})
    pure_opt = set(pure_global_optima(g))
    pure_sad = {a for a in g.joint_actions() if is_saddle_point(g, MixedProfile.pure(g, a))}

    def pure_keys(points: Any) -> set[tuple[int, ...]]:
        return {tuple(s[0] for s in p.supports()) for p in points if p.is_pure()}

    if result.complete:
        if pure_opt - pure_keys(result.global_optima):
            return refuted(tid, "a pure global optimum is missing", {"missing": [list(a) for a in pure_opt - pure_keys(result.global_optima)]})
        if pure_sad - pure_keys(result.saddle_points):
            return refuted(tid, "a pure saddle point is missing", {"missing": [list(a) for a in pure_sad - pure_keys(result.saddle_points)]})
    kind = str(getattr(result.kind, "value", result.kind)).lower()
    has_opt, has_sad = bool(result.global_optima), bool(result.saddle_points)
    expected_kind = {(True, True): "both", (True, False): "global", (False, True): "saddle", (False, False): "neither"}[(has_opt, has_sad)]
    if expected_kind not in kind.replace("_", " "):
        return refuted(tid, f"kind {kind!r} does not match the lists (global optima: {has_opt}, saddle points: {has_sad})",
                       {"kind": kind, "global_optima": len(result.global_optima), "saddle_points": len(result.saddle_points)})
    if not result.complete:
        return not_established(tid, f"reported points verified; classification {kind!r} not claimed complete")
    return proven(tid, f"classification {kind!r} verified exactly", {"kind": kind})


def _chicken() -> tuple[Any, ...]:
    return (NormalFormGame.bimatrix([[6, 2], [7, 0]], [[6, 7], [2, 0]], actions=[["chicken", "dare"]] * 2,
                                    name="chicken"),)


def _stag_hunt() -> tuple[Any, ...]:
    return (NormalFormGame.bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]], actions=[["stag", "hare"]] * 2,
                                    name="stag hunt"),)


@theorem("nash_q.optimum_or_saddle_exists", strategy="small_bimatrix_games", citation=_HW + "; Bowling (2000)",
         expected=REFUTED_AS_EXPECTED, known_counterexample=_chicken,
         requires=("jalverify.solvers.nash.vertex_enumeration",),
         claim="every stage game has a global optimal point or a saddle point (Nash-Q's Assumption 3 on all games)")
def check_optimum_or_saddle_exists(game: NormalFormGame) -> Verdict:
    tid = "nash_q.optimum_or_saddle_exists"
    g = exact_game(game)
    optima = pure_global_optima(g)
    if optima:
        return proven(tid, f"global optimum at {joint_text(game, optima[0])}", {"global_optimum": list(optima[0])})
    points, complete = saddle_points(g)
    if points:
        return proven(tid, "a saddle point exists", {"saddle_point": _profile_witness(points[0])})
    if not complete:
        return not_established(tid, "no pure global optimum or saddle point; the degenerate game's mixed saddle points were not enumerated")
    equilibria = _extreme_equilibria(g)
    return refuted(tid, f"no global optimum, and none of the {len(equilibria)} Nash equilibria (all of them, the game "
                        "being nondegenerate) is a saddle point",
                   {"A": matrix(np.asarray(g.payoffs[0])), "B": matrix(np.asarray(g.payoffs[1])),
                    "maxima": nums(max(g.payoffs[k].reshape(-1).tolist()) for k in range(2)),
                    "equilibria": [_profile_witness(p) for p in equilibria],
                    "equilibrium_payoffs": [nums(expected_payoffs(g, p)) for p in equilibria]})


@theorem("nash_q.at_most_one_kind", strategy="small_bimatrix_games", citation=_HW + "; theory.md §4 (Stag Hunt)",
         expected=REFUTED_AS_EXPECTED, known_counterexample=_stag_hunt,
         requires=("jalverify.solvers.nash.vertex_enumeration",),
         claim="global optimal points and saddle points of one game give the same payoffs (so the type of "
               "equilibrium agents update with cannot matter)")
def check_at_most_one_kind(game: NormalFormGame) -> Verdict:
    tid = "nash_q.at_most_one_kind"
    g = exact_game(game)
    optima = pure_global_optima(g)
    if not optima:
        return proven(tid, "no global optimum (vacuous)", {})
    top = tuple(g.payoffs[(k, *optima[0])] for k in range(g.n_players))
    points, complete = saddle_points(g)
    for p in points:
        U = tuple(expected_payoffs(g, p).tolist())
        if U != top:
            return refuted(tid, f"global optimum {joint_text(game, optima[0])} pays {vector_text(top, game.players)} but saddle point "
                                f"{profile_text(game, p.distributions)} pays {vector_text(U, game.players)}",
                           {"A": matrix(np.asarray(g.payoffs[0])), "B": matrix(np.asarray(g.payoffs[1])),
                            "global_optimum": list(optima[0]), "global_optimum_payoffs": nums(top),
                            "saddle_point": _profile_witness(p), "saddle_point_payoffs": nums(U)})
    if not complete:
        return not_established(tid, "saddle points found agree with the global optimum; the list may be incomplete")
    return proven(tid, "every saddle point pays the global optimum's payoffs", {"payoffs": nums(top)})
