r"""Claims about minimax solutions of two-player zero-sum games (``minimax.*``).

Sources: von Neumann (1928) minimax theorem; LP form in Albrecht, Christianos & Schäfer (2024), Eqs. 4.12–4.15;
Littman (1994) Minimax-Q and the non-expansion of the minimax operator (Littman & Szepesvári 1996, §3); theory.md
§3.  Every check is exact: strategies and values are Fractions and each claim is decided by comparisons of
rationals, e.g. the minimax theorem on a game is *proved* by exhibiting ``x``, ``y`` with
``min_j (xᵀA)_j = max_i (Ay)_i`` (weak duality gives the other inequality).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.games.normal_form import NormalFormGame
from jalverify.theorems._common import exact_game, matrix, num, nums, proven, refuted, vector_text
from jalverify.theorems.registry import REFUTED_AS_EXPECTED, theorem
from jalverify.verdicts import Verdict

__all__ = [
    "check_affine_invariance",
    "check_minimax_exploits",
    "check_minimax_theorem",
    "check_non_expansion",
    "check_optimal_guarantees",
    "check_permutation_invariance",
    "check_value_unique",
]

_REQ = ("jalverify.solvers.minimax",)
_BOOK = "Albrecht, Christianos & Schäfer (2024), Eqs. 4.12–4.15; von Neumann (1928)"


def _matrix(game: NormalFormGame) -> np.ndarray:
    g = exact_game(game)
    return np.asarray(g.payoffs[0])


def _value(A: np.ndarray) -> tuple[Fraction, np.ndarray, np.ndarray]:
    from jalverify.solvers.minimax import minimax_value

    return minimax_value(A)


def _row_guarantee(A: np.ndarray, x: Any) -> Fraction:
    return min(sum((x[i] * A[i, j] for i in range(A.shape[0])), Fraction(0)) for j in range(A.shape[1]))


def _column_cap(A: np.ndarray, y: Any) -> Fraction:
    return max(sum((A[i, j] * y[j] for j in range(A.shape[1])), Fraction(0)) for i in range(A.shape[0]))


@theorem("minimax.theorem", strategy="zero_sum_games", requires=_REQ, citation=_BOOK,
         claim="max_x min_y xᵀAy = min_y max_x xᵀAy on every two-player zero-sum game (exactly)")
def check_minimax_theorem(game: NormalFormGame) -> Verdict:
    """Prove max-min = min-max on ``game`` with exact optimal strategies ``x``, ``y``:
    ``min_j (xᵀA)_j`` is a lower bound of max-min and ``max_i (Ay)_i`` an upper bound of min-max; weak duality
    gives max-min ≤ min-max, so equal bounds prove the theorem on this game."""
    tid = "minimax.theorem"
    A = _matrix(game)
    v, x, y = _value(A)
    low, high = _row_guarantee(A, x), _column_cap(A, y)
    witness = {"A": matrix(A), "x": nums(x), "y": nums(y), "maxmin_lower_bound": num(low),
               "minmax_upper_bound": num(high), "value": num(v)}
    if low == high == v:
        return proven(tid, f"max-min = min-max = {v}, certified by x and y", witness)
    return refuted(tid, f"certificate gap: min_j (xᵀA)_j = {low}, max_i (Ay)_i = {high}, claimed value {v}", witness)


@theorem("minimax.value_unique", strategy="zero_sum_games", requires=_REQ, citation=_BOOK + "; theory.md §3",
         claim="every optimal strategy of either player (every vertex of the optimal-strategy polytopes) yields the "
               "same value, and every pair of optimal strategies pays exactly the value")
def check_value_unique(game: NormalFormGame) -> Verdict:
    from jalverify.solvers.minimax import optimal_strategy_set

    tid = "minimax.value_unique"
    g = exact_game(game)
    A = np.asarray(g.payoffs[0])
    v, _, _ = _value(A)
    rows = optimal_strategy_set(g, 0)
    cols = optimal_strategy_set(g, 1)
    for x in rows:
        guarantee = _row_guarantee(A, x)
        if guarantee != v:
            return refuted(tid, f"optimal row strategy {vector_text(x, g.actions[0])} guarantees {guarantee} ≠ value {v}",
                           {"A": matrix(A), "x": nums(x), "guarantee": num(guarantee), "value": num(v)})
    for y in cols:
        cap = _column_cap(A, y)
        if cap != v:
            return refuted(tid, f"optimal column strategy {vector_text(y, g.actions[1])} caps the row player at {cap} ≠ value {v}",
                           {"A": matrix(A), "y": nums(y), "cap": num(cap), "value": num(v)})
    for x in rows:
        for y in cols:
            pay = sum((x[i] * A[i, j] * y[j] for i in range(A.shape[0]) for j in range(A.shape[1])), Fraction(0))
            if pay != v:
                return refuted(tid, f"optimal pair pays {pay} ≠ value {v}",
                               {"A": matrix(A), "x": nums(x), "y": nums(y), "payoff": num(pay), "value": num(v)})
    return proven(tid, f"{len(rows)} row and {len(cols)} column optimal vertices all give value {v}",
                     {"value": num(v), "row_vertices": len(rows), "column_vertices": len(cols)})


@theorem("minimax.optimal_guarantees", strategy="zero_sum_games", requires=_REQ, citation=_BOOK + "; theory.md §3",
         claim="every optimal strategy guarantees the value against every pure reply of the opponent")
def check_optimal_guarantees(game: NormalFormGame) -> Verdict:
    from jalverify.solvers.minimax import optimal_strategy_set

    tid = "minimax.optimal_guarantees"
    g = exact_game(game)
    A = np.asarray(g.payoffs[0])
    v, _, _ = _value(A)
    k, l = A.shape
    for x in optimal_strategy_set(g, 0):
        for j in range(l):
            pay = sum((x[i] * A[i, j] for i in range(k)), Fraction(0))
            if pay < v:
                return refuted(tid, f"optimal row strategy {vector_text(x, g.actions[0])} gets {pay} < value {v} against column {g.actions[1][j]}",
                               {"A": matrix(A), "x": nums(x), "reply": j, "payoff": num(pay), "value": num(v)})
    for y in optimal_strategy_set(g, 1):
        for i in range(k):
            pay = sum((A[i, j] * y[j] for j in range(l)), Fraction(0))
            if pay > v:
                return refuted(tid, f"optimal column strategy {vector_text(y, g.actions[1])} concedes {pay} > value {v} to row {g.actions[0][i]}",
                               {"A": matrix(A), "y": nums(y), "reply": i, "payoff": num(pay), "value": num(v)})
    return proven(tid, f"all optimal vertices guarantee the value {v} against every pure reply", {"value": num(v)})


@theorem("minimax.affine_invariance", strategy="zero_sum_games_with_affine_maps", requires=_REQ, citation=_BOOK,
         claim="val(c·A + d) = c·val(A) + d for every c > 0 and every d")
def check_affine_invariance(game: NormalFormGame, scale: Fraction, shift: Fraction) -> Verdict:
    tid = "minimax.affine_invariance"
    A = _matrix(game)
    B = A * scale + shift
    v, _, _ = _value(A)
    w, _, _ = _value(B)
    witness = {"A": matrix(A), "scale": num(scale), "shift": num(shift), "val_A": num(v), "val_B": num(w)}
    if w == scale * v + shift:
        return proven(tid, f"val({scale}·A + {shift}) = {w} = {scale}·{v} + {shift}", witness)
    return refuted(tid, f"val({scale}·A + {shift}) = {w} but {scale}·{v} + {shift} = {scale * v + shift}", witness)


@theorem("minimax.permutation_invariance", strategy="zero_sum_games_with_permutations", requires=_REQ,
         citation=_BOOK, claim="permuting the rows and columns of A does not change its value")
def check_permutation_invariance(game: NormalFormGame, rows: tuple[int, ...], columns: tuple[int, ...]) -> Verdict:
    tid = "minimax.permutation_invariance"
    A = _matrix(game)
    P = A[np.ix_(list(rows), list(columns))]
    v, _, _ = _value(A)
    w, _, _ = _value(P)
    witness = {"A": matrix(A), "rows": list(rows), "columns": list(columns), "val_A": num(v), "val_permuted": num(w)}
    if v == w:
        return proven(tid, f"value {v} unchanged by the permutation", witness)
    return refuted(tid, f"value {v} becomes {w} after permuting", witness)


@theorem("minimax.non_expansion", strategy="zero_sum_game_pairs", requires=_REQ,
         citation="Littman & Szepesvári (1996), §3; theory.md §3",
         claim="|val(A) − val(B)| ≤ max_ij |A_ij − B_ij| for matrices of one shape")
def check_non_expansion(first: NormalFormGame, second: NormalFormGame) -> Verdict:
    tid = "minimax.non_expansion"
    A, B = _matrix(first), _matrix(second)
    v, _, _ = _value(A)
    w, _, _ = _value(B)
    dist = max(abs(a - b) for a, b in zip(A.reshape(-1), B.reshape(-1)))
    witness = {"A": matrix(A), "B": matrix(B), "val_A": num(v), "val_B": num(w), "max_abs_difference": num(dist)}
    if abs(v - w) <= dist:
        return proven(tid, f"|{v} − {w}| = {abs(v - w)} ≤ {dist}", witness)
    return refuted(tid, f"|{v} − {w}| = {abs(v - w)} > max|A − B| = {dist}", witness)


def _rps_against_rock() -> tuple[Any, ...]:
    A = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    return (NormalFormGame.zero_sum(A, actions=[["rock", "paper", "scissors"]] * 2, name="rock-paper-scissors"),
            np.array([Fraction(1), Fraction(0), Fraction(0)], dtype=object))


@theorem("minimax.exploits_weak_opponents", strategy="zero_sum_games_with_opponents", requires=_REQ,
         expected=REFUTED_AS_EXPECTED, known_counterexample=_rps_against_rock,
         citation="Littman (1994), §6; seed note 000 ('minimax policies do not necessarily exploit weaknesses')",
         claim="the minimax strategy earns as much as a best response against every opponent strategy")
def check_minimax_exploits(game: NormalFormGame, opponent: Any) -> Verdict:
    """Refuted (as expected) when the solver's minimax strategy earns strictly less against ``opponent`` than a
    best response does; the witness gives both payoffs and the best reply."""
    from jalverify.solvers.minimax import minimax_solve

    tid = "minimax.exploits_weak_opponents"
    g = exact_game(game)
    A = np.asarray(g.payoffs[0])
    y = [Fraction(p) for p in opponent]
    x = minimax_solve(g).row_strategy
    k, l = A.shape
    replies = [sum((A[i, j] * y[j] for j in range(l)), Fraction(0)) for i in range(k)]
    earned = sum((x[i] * replies[i] for i in range(k)), Fraction(0))
    best = max(replies)
    witness = {"A": matrix(A), "opponent": nums(y), "minimax_strategy": nums(x), "minimax_payoff": num(earned),
               "best_response": replies.index(best), "best_response_payoff": num(best), "gap": num(best - earned)}
    if earned == best:
        return proven(tid, f"the minimax strategy is a best response here (earns {earned})", witness)
    return refuted(tid, f"the minimax strategy earns {earned} < {best} of best response "
                        f"{g.actions[0][replies.index(best)]} against opponent {vector_text(y, g.actions[1])}", witness)
