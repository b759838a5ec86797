r"""Claims about correlated equilibria and their selection (``correlated.*``).

Definitions: Aumann (1974); Albrecht, Christianos & Schäfer (2024), Eqs. 4.20–4.24; Greenwald & Hall (2003,
ICML) for the selection objectives uCE / eCE / rCE; theory.md §5.  Inclusions Nash ⊆ CE ⊆ CCE hold on every
game; CCE ⊆ CE fails, but only when some player has at least three actions: with two actions a player's single
CCE constraint for deviating to ``a''`` equals its CE constraint for the recommendation ``a' ≠ a''`` (the CCE gain
is the sum of the CE gains over recommendations and the term for ``a' = a''`` is 0).  All checks are exact.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import CorrelatedProfile, expected_payoffs, max_cce_gain, max_ce_gain
from jalverify.theorems._common import exact_game, matrix, num, nums, profile_text, proven, refuted
from jalverify.theorems.registry import REFUTED_AS_EXPECTED, theorem
from jalverify.verdicts import Verdict

__all__ = [
    "check_cce_is_ce",
    "check_cce_is_ce_with_two_actions",
    "check_ce_is_cce",
    "check_ce_nonempty",
    "check_nash_is_ce",
    "check_selection_deterministic",
    "check_selection_permutation_equivariant",
    "check_selection_protocol_order_independent",
    "check_selection_value_ordering",
    "check_utilitarian_dominates_nash",
]

_CE = ("jalverify.solvers.correlated",)
_NASH = ("jalverify.solvers.nash.vertex_enumeration",)
_BOOK = "Albrecht, Christianos & Schäfer (2024), Eqs. 4.20–4.24; Aumann (1974)"
_GH = "Greenwald & Hall (2003), ICML, §3 (uCE, eCE, rCE); theory.md §5"


def _dist(profile: CorrelatedProfile) -> list[Any]:
    return matrix(np.asarray(profile.distribution))


def _game_witness(game: NormalFormGame) -> dict[str, Any]:
    return {f"R{k}": matrix(np.asarray(game.payoffs[k])) for k in range(game.n_players)}


def _solve(game: NormalFormGame, **kwargs: Any) -> Any:
    from jalverify.solvers.correlated import correlated_solve

    return correlated_solve(game, **kwargs)


def _extreme_nash(game: NormalFormGame) -> list[Any]:
    from jalverify.solvers.nash.vertex_enumeration import vertex_enumeration_solve

    return list(vertex_enumeration_solve(game, field="exact", components=False).equilibria)


@theorem("correlated.nash_is_ce", strategy="general_games", requires=_NASH, citation=_BOOK,
         claim="every Nash equilibrium, as a product distribution over joint actions, is a correlated equilibrium")
def check_nash_is_ce(game: NormalFormGame) -> Verdict:
    """Checked on every extreme equilibrium (vertex enumeration, complete); the CE set is convex and every
    equilibrium of a bimatrix game lies in the convex hull of products of extreme ones within a Nash subset, but
    those products are the extreme equilibria themselves, so the extreme ones suffice as test points."""
    tid = "correlated.nash_is_ce"
    g = exact_game(game)
    equilibria = _extreme_nash(g)
    for p in equilibria:
        x = p.to_correlated()
        gain = max_ce_gain(g, x)
        if gain > 0:
            return refuted(tid, f"Nash equilibrium {profile_text(g, p.distributions)} has CE gain {gain} > 0",
                           {**_game_witness(g), "equilibrium": [nums(d) for d in p.distributions], "gain": num(gain)})
    return proven(tid, f"{len(equilibria)} extreme Nash equilibria, all CE exactly", {"equilibria": len(equilibria)})


@theorem("correlated.ce_is_cce", strategy="games_with_correlated_profiles", requires=_CE, citation=_BOOK,
         claim="every correlated equilibrium is a coarse correlated equilibrium")
def check_ce_is_cce(game: NormalFormGame, profile: CorrelatedProfile) -> Verdict:
    """Tested on the generated distribution (when it is a CE) and on the uCE and eCE the LP selects."""
    tid = "correlated.ce_is_cce"
    g = exact_game(game)
    candidates = [CorrelatedProfile(g, profile.distribution)]
    candidates += [_solve(g, objective=o).distribution for o in ("utilitarian", "egalitarian")]
    tested = 0
    for x in candidates:
        if max_ce_gain(g, x) > 0:
            continue
        tested += 1
        gain = max_cce_gain(g, x)
        if gain > 0:
            return refuted(tid, f"a CE has CCE gain {gain} > 0", {**_game_witness(g), "distribution": _dist(x),
                                                                  "cce_gain": num(gain)})
    return proven(tid, f"{tested} correlated equilibria, all coarse correlated equilibria", {"tested": tested})


def _cce_not_ce() -> tuple[Any, ...]:
    # Found and shrunk by this suite (3×2, payoffs in {0, 1}): the CCE putting 1/2 on (a0, b0) and 1/2 on (a1, b1)
    # is not a CE, since the row player told a1 gains 1/2 by playing a2 (see counterexamples/README.md).
    return (NormalFormGame.bimatrix([[1, 0], [0, 0], [0, 1]], [[0, 0], [0, 1], [0, 0]], name="CCE but not CE"),)


@theorem("correlated.cce_is_ce", slow=True, strategy="small_bimatrix_games", requires=_CE, expected=REFUTED_AS_EXPECTED,
         known_counterexample=_cce_not_ce,
         citation=_BOOK + "; Moulin & Vial (1978)",
         claim="every coarse correlated equilibrium is a correlated equilibrium (the converse of ce_is_cce)")
def check_cce_is_ce(game: NormalFormGame) -> Verdict:
    """Searches the CCE polytope's selected points (each player's best CCE and the welfare-maximising one) for
    one that violates a CE constraint; the witness gives the distribution, the player, the recommendation, the
    deviation and the exact gain."""
    tid = "correlated.cce_is_ce"
    g = exact_game(game)

    def selected() -> Iterator[CorrelatedProfile]:
        # solved one objective at a time, in this order: the first CCE that is not a CE ends the search
        for objective in ("utilitarian", "egalitarian", None, "libertarian"):
            r = _solve(g, coarse=True, objective=objective)
            yield from [r.distribution] if r.distribution is not None else list(r.agent_distributions)

    tested = 0
    for x in selected():
        tested += 1
        if max_ce_gain(g, x) > 0:
            from jalverify.games.profiles import ce_gains

            for i, G in enumerate(ce_gains(g, x)):
                idx = np.unravel_index(int(np.argmax(np.asarray([float(v) for v in G.reshape(-1)]))), G.shape)
                if G[idx] > 0:
                    return refuted(tid, f"a CCE is not a CE: player {i} told {g.actions[i][idx[0]]!r} gains "
                                        f"{G[idx]} by playing {g.actions[i][idx[1]]!r}",
                                   {**_game_witness(g), "distribution": _dist(x), "cce_gain": num(max_cce_gain(g, x)),
                                    "player": i, "recommendation": int(idx[0]), "deviation": int(idx[1]),
                                    "ce_gain": num(G[idx])})
    return proven(tid, "every selected CCE is also a CE on this game", {"tested": tested})


@theorem("correlated.cce_is_ce_with_two_actions", strategy="two_action_games", requires=_CE, citation=_BOOK,
         claim="when every player has at most two actions, every CCE is a CE (so a CCE-but-not-CE example needs a "
               "player with at least three actions)")
def check_cce_is_ce_with_two_actions(game: NormalFormGame) -> Verdict:
    """Exact proof on this game: every vertex of the CCE polytope is a CE (the CE set is convex)."""
    from jalverify.solvers.correlated import correlated_polytope_vertices

    tid = "correlated.cce_is_ce_with_two_actions"
    g = exact_game(game)
    vertices = correlated_polytope_vertices(g, coarse=True)
    for x in vertices:
        gain = max_ce_gain(g, x)
        if gain > 0:
            return refuted(tid, f"CCE vertex with CE gain {gain}", {**_game_witness(g), "distribution": _dist(x),
                                                                     "ce_gain": num(gain)})
    return proven(tid, f"all {len(vertices)} CCE vertices are CE", {"vertices": len(vertices)})


@theorem("correlated.ce_nonempty", strategy="normal_form_games", requires=_CE, citation=_BOOK + "; Hart & Schmeidler (1989)",
         claim="every finite game has a correlated equilibrium (the CE polytope is non-empty)")
def check_ce_nonempty(game: NormalFormGame) -> Verdict:
    tid = "correlated.ce_nonempty"
    g = exact_game(game)
    x = _solve(g, objective=None).distribution
    gain = max_ce_gain(g, x)
    if gain <= 0:
        return proven(tid, f"a CE exists (max CE gain {gain})", {"distribution": _dist(x)})
    return refuted(tid, f"the returned point has CE gain {gain} > 0", {**_game_witness(g), "distribution": _dist(x),
                                                                       "ce_gain": num(gain)})


@theorem("correlated.utilitarian_dominates_nash", strategy="general_games", requires=_CE + _NASH, citation=_GH,
         claim="the utilitarian CE welfare is at least the welfare of every Nash equilibrium")
def check_utilitarian_dominates_nash(game: NormalFormGame) -> Verdict:
    """Welfare is bilinear on each Nash subset of a bimatrix game, so its maximum over the equilibria is attained
    at an extreme equilibrium: comparing with the extreme equilibria is complete."""
    tid = "correlated.utilitarian_dominates_nash"
    g = exact_game(game)
    best = _solve(g, objective="utilitarian").objective_value
    for p in _extreme_nash(g):
        welfare = sum(expected_payoffs(g, p).tolist(), Fraction(0))
        if welfare > best:
            return refuted(tid, f"Nash equilibrium welfare {welfare} exceeds uCE welfare {best}",
                           {**_game_witness(g), "equilibrium": [nums(d) for d in p.distributions],
                            "nash_welfare": num(welfare), "uce_welfare": num(best)})
    return proven(tid, f"uCE welfare {best} ≥ every Nash welfare", {"uce_welfare": num(best)})


@theorem("correlated.selection_value_ordering", strategy="normal_form_games", requires=_CE, citation=_GH,
         claim="eCE value ≤ uCE welfare / n ≤ rCE value (max min ≤ max average ≤ max max), and each selected CE "
               "attains its objective value")
def check_selection_value_ordering(game: NormalFormGame) -> Verdict:
    tid = "correlated.selection_value_ordering"
    g = exact_game(game)
    n = g.n_players
    u = _solve(g, objective="utilitarian")
    e = _solve(g, objective="egalitarian")
    r = _solve(g, objective="republican")
    witness = {"eCE": num(e.objective_value), "uCE_over_n": num(Fraction(u.objective_value) / n),
               "rCE": num(r.objective_value)}
    if not (e.objective_value <= Fraction(u.objective_value) / n <= r.objective_value):
        return refuted(tid, "the ordering eCE ≤ uCE/n ≤ rCE fails", {**_game_witness(g), **witness})
    attained = {
        "uCE": (sum(expected_payoffs(g, u.distribution).tolist(), Fraction(0)), u.objective_value),
        "eCE": (min(expected_payoffs(g, e.distribution).tolist()), e.objective_value),
        "rCE": (max(expected_payoffs(g, r.distribution).tolist()), r.objective_value),
    }
    for name, (got, claimed) in attained.items():
        if got != claimed:
            return refuted(tid, f"the selected {name} attains {got}, not its optimal value {claimed}",
                           {**_game_witness(g), **witness, "selection": name, "attained": num(got)})
    return proven(tid, f"eCE {e.objective_value} ≤ uCE/n {Fraction(u.objective_value) / n} ≤ rCE {r.objective_value}",
                     witness)


def _permute(g: NormalFormGame, rows: tuple[int, ...], cols: tuple[int, ...]) -> NormalFormGame:
    P = np.asarray(g.payoffs)[np.ix_(range(2), list(rows), list(cols))]
    return NormalFormGame(P.copy())


@theorem("correlated.selection_deterministic", slow=True, strategy="bimatrix_games_with_permutations", requires=_CE, citation=_GH,
         claim="CE selection is deterministic: solving the same game twice selects the same distribution, and "
               "permuting the actions leaves every objective's optimal value unchanged")
def check_selection_deterministic(game: NormalFormGame, rows: tuple[int, ...], cols: tuple[int, ...]) -> Verdict:
    tid = "correlated.selection_deterministic"
    g = exact_game(game)
    h = _permute(g, rows, cols)
    for objective in ("utilitarian", "egalitarian", "republican"):
        first = _solve(g, objective=objective, tie_break="lexicographic")
        second = _solve(g, objective=objective, tie_break="lexicographic")
        if not bool(np.all(first.distribution.distribution == second.distribution.distribution)):
            return refuted(tid, f"{objective}: two solves of the same game select different distributions",
                           {**_game_witness(g), "first": _dist(first.distribution), "second": _dist(second.distribution)})
        # only the optimal value is compared, and it does not depend on the tie-break: the permuted game is
        # solved with the basic one (one certified LP instead of a lexicographic sequence), which also checks the
        # lexicographic path's value against an independent solve
        permuted = _solve(h, objective=objective, tie_break="basic")
        if permuted.objective_value != first.objective_value:
            return refuted(tid, f"{objective}: optimal value {first.objective_value} becomes "
                                f"{permuted.objective_value} after permuting actions",
                           {**_game_witness(g), "rows": list(rows), "columns": list(cols),
                            "value": num(first.objective_value), "permuted_value": num(permuted.objective_value)})
    return proven(tid, "selection repeatable and optimal values permutation-invariant", {})


def _coordination() -> tuple[Any, ...]:
    game = NormalFormGame.bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]], name="pure coordination")
    return (game, (1, 0), (1, 0))


@theorem("correlated.selection_permutation_equivariant", strategy="bimatrix_games_with_permutations", requires=_CE,
         expected=REFUTED_AS_EXPECTED, known_counterexample=_coordination,
         citation=_GH + "; theory.md §5 ('argmax ties are common: compare optimal values, not maximisers')",
         claim="the selected uCE (lexicographic tie-break) of a game with permuted actions is the permuted uCE of "
               "the original game")
def check_selection_permutation_equivariant(game: NormalFormGame, rows: tuple[int, ...],
                                            cols: tuple[int, ...]) -> Verdict:
    tid = "correlated.selection_permutation_equivariant"
    g = exact_game(game)
    h = _permute(g, rows, cols)
    x = np.asarray(_solve(g, objective="utilitarian", tie_break="lexicographic").distribution.distribution)
    y = np.asarray(_solve(h, objective="utilitarian", tie_break="lexicographic").distribution.distribution)
    expected = x[np.ix_(list(rows), list(cols))]
    if bool(np.all(expected == y)):
        return proven(tid, "the permuted game selects the permuted distribution", {})
    return refuted(tid, "with tied optima the selected uCE depends on the order of actions",
                   {**_game_witness(g), "rows": list(rows), "columns": list(cols), "selected": matrix(x),
                    "selected_after_permutation_mapped_back": matrix(_unpermute(y, rows, cols))})


def _unpermute(y: np.ndarray, rows: tuple[int, ...], cols: tuple[int, ...]) -> np.ndarray:
    out = np.empty_like(y)
    for a, r in enumerate(rows):
        for b, c in enumerate(cols):
            out[r, c] = y[a, b]
    return out


@theorem("correlated.selection_protocol_order_independent", strategy="general_games",
         requires=("jalverify.solvers.selection",) + _NASH,
         citation=_GH + "; seed note 000 ('a protocol to consistently select an equilibrium')",
         claim="the equilibrium-selection protocol (Pareto filter, welfare rule, lexicographic tie-break) picks the "
               "same equilibrium whatever order the candidates are listed in, for every rule")
def check_selection_protocol_order_independent(game: NormalFormGame) -> Verdict:
    """Candidates: the extreme Nash equilibria; orders tried: every rotation and the reversal of the list."""
    from jalverify.solvers.selection import RULES, select_equilibrium

    tid = "correlated.selection_protocol_order_independent"
    g = exact_game(game)
    candidates = _extreme_nash(g)
    orders = [candidates[k:] + candidates[:k] for k in range(len(candidates))] + [candidates[::-1]]
    for rule in RULES:
        chosen = {tuple(tuple(d.tolist()) for d in select_equilibrium(order, rule).candidate.profile.distributions)
                  for order in orders}
        if len(chosen) > 1:
            return refuted(tid, f"rule {rule!r} selects {len(chosen)} different equilibria depending on the order",
                           {**_game_witness(g), "rule": rule, "selected": [[nums(d) for d in c] for c in sorted(chosen)]})
    return proven(tid, f"{len(candidates)} candidates: every rule selects the same equilibrium in "
                          f"{len(orders)} orders", {"candidates": len(candidates)})
