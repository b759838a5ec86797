r"""Claims about Bellman equations and Shapley value iteration (``bellman.*``).

* Policy evaluation (Albrecht, Christianos & Schäfer 2024, §2.5 and Eq. 6.9; theory.md §1): for a stationary
  joint policy π, :math:`Q^π_i(s,a) = Σ_{s'} T(s'|s,a)[R_i(s,a,s') + γ V^π_i(s')]` and
  :math:`V^π_i(s) = Σ_a π(a|s) Q^π_i(s,a)`.  Rational data give rational values; the checks recompute both
  sides from the game's arrays in exact arithmetic (independently of the solver's own residual).
* Shapley (1953) value iteration for two-player zero-sum stochastic games (book Algorithm 6):
  :math:`(\mathcal{T}V)(s) = \mathrm{val}[r(s,·) + γ Σ_{s'} T(s'|s,·) V(s')]` is a γ-contraction in the max-norm,
  so :math:`‖V_k − V^*‖ ≤ γ^k ‖V_0 − V^*‖` and :math:`‖V_{k+1} − V^*‖ ≤ \frac{γ}{1−γ} ‖V_{k+1} − V_k‖`
  (theory.md §2).  On turn-based games the value is rational (theory.md §9) and is found here exactly: value
  iteration until the greedy deterministic policy pair, evaluated exactly, is a fixed point of
  :math:`\mathcal{T}` (the fixed point is unique, so it is :math:`V^*`).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import BudgetExceeded
from jalverify.games.stochastic import StationaryPolicy, StochasticGame
from jalverify.solvers.evaluation import evaluate_policy
from jalverify.solvers.minimax import minimax_value
from jalverify.solvers.value_iteration import shapley_value_iteration
from jalverify.solvers.zero_sum_policy_iteration import zero_sum_policy_iteration
from jalverify.theorems._common import not_established, num, nums, proven, refuted, vector_text
from jalverify.theorems.registry import theorem
from jalverify.verdicts import Verdict

__all__ = [
    "check_q_equation",
    "check_shapley_contraction",
    "check_v_equation",
    "check_v_is_policy_average_of_q",
    "check_value_iteration_bounds",
    "check_value_iteration_matches_policy_iteration",
    "exact_turn_based_value",
    "shapley_operator",
]

_BOOK = "Albrecht, Christianos & Schäfer (2024), §2.5, Eq. 6.9; theory.md §1"
_SHAPLEY = "Shapley (1953), PNAS 39; Albrecht, Christianos & Schäfer (2024), Algorithm 6; theory.md §2"


def _evaluate(game: StochasticGame, policy: StationaryPolicy) -> Any:
    return evaluate_policy(game, policy, field="exact")


def _backup(game: StochasticGame, s: int, V: np.ndarray) -> np.ndarray:
    """:math:`Σ_{s'} T(s'|s,a)[R_i(s,a,s') + γ V_i(s')]`, shape ``(n, *k_s)`` (exact)."""
    T = game.transitions[s]
    R = game.rewards[s]
    out = []
    for i in range(game.n_players):
        target = R[i] + game.gamma * np.asarray(V[i], dtype=object)
        out.append((T * target).sum(axis=-1))
    return np.stack(out)


def _max_abs(values: Any) -> Fraction:
    flat = [abs(Fraction(v)) for v in np.asarray(values, dtype=object).reshape(-1)]
    return max(flat) if flat else Fraction(0)


@theorem("bellman.q_equation", strategy="stochastic_games_with_policies", citation=_BOOK,
         claim="Q^π_i(s,a) = Σ_s' T(s'|s,a)[R_i(s,a,s') + γ V^π_i(s')] exactly, for every player, state and joint action")
def check_q_equation(game: StochasticGame, policy: StationaryPolicy) -> Verdict:
    tid = "bellman.q_equation"
    values = _evaluate(game, policy)
    for s in range(game.n_states):
        rhs = _backup(game, s, values.V)
        diff = np.asarray(values.Q[s], dtype=object) - rhs
        worst = _max_abs(diff)
        if worst != 0:
            return refuted(tid, f"Q^π at state {game.states[s]!r} misses its Bellman equation by {worst}",
                           {"state": game.states[s], "Q": nums(np.asarray(values.Q[s]).reshape(-1)),
                            "backup": nums(rhs.reshape(-1)), "residual": num(worst)})
    return proven(tid, "Q^π satisfies its Bellman equation exactly in every state", {})


@theorem("bellman.v_equation", strategy="stochastic_games_with_policies", citation=_BOOK,
         claim="V^π_i(s) = Σ_a π(a|s) Σ_s' T(s'|s,a)[R_i(s,a,s') + γ V^π_i(s')] exactly")
def check_v_equation(game: StochasticGame, policy: StationaryPolicy) -> Verdict:
    tid = "bellman.v_equation"
    values = _evaluate(game, policy)
    for s in range(game.n_states):
        rhs = _backup(game, s, values.V)
        pi = policy.joint_distribution(s)
        for i in range(game.n_players):
            expected = (rhs[i] * pi).sum()
            if expected != values.V[i, s]:
                return refuted(tid, f"V^π_{i}({game.states[s]}) = {values.V[i, s]} but the Bellman right side is {expected}",
                               {"player": i, "state": game.states[s], "V": num(values.V[i, s]), "rhs": num(expected)})
    return proven(tid, "V^π satisfies its Bellman equation exactly", {})


@theorem("bellman.v_is_policy_average_of_q", strategy="stochastic_games_with_policies", citation=_BOOK,
         claim="V^π_i(s) = Σ_a π(a|s) Q^π_i(s,a) exactly")
def check_v_is_policy_average_of_q(game: StochasticGame, policy: StationaryPolicy) -> Verdict:
    tid = "bellman.v_is_policy_average_of_q"
    values = _evaluate(game, policy)
    for s in range(game.n_states):
        pi = policy.joint_distribution(s)
        for i in range(game.n_players):
            avg = (np.asarray(values.Q[s][i], dtype=object) * pi).sum()
            if avg != values.V[i, s]:
                return refuted(tid, f"V^π_{i}({game.states[s]}) = {values.V[i, s]} ≠ Σ π Q^π = {avg}",
                               {"player": i, "state": game.states[s], "V": num(values.V[i, s]), "policy_average": num(avg)})
    return proven(tid, "V^π = Σ_a π(a|s) Q^π(s,a) exactly", {})


def _stage_value(M: np.ndarray) -> Fraction:
    if M.shape[0] == 1:
        return min(M[0].tolist())
    if M.shape[1] == 1:
        return max(M[:, 0].tolist())
    return minimax_value(M)[0]


def shapley_operator(game: StochasticGame, V: Sequence[Any]) -> list[Fraction]:
    """Exact Shapley operator on player 0's values of a two-player zero-sum stochastic game."""
    Vf = [Fraction(v) for v in V]
    out = []
    for s in range(game.n_states):
        r = game.expected_rewards(s)[0]
        cont = (game.transitions[s] * np.asarray(Vf, dtype=object)).sum(axis=-1)
        M = np.asarray(r + game.gamma * cont, dtype=object)
        out.append(Fraction(_stage_value(M)))
    return out


def _greedy(game: StochasticGame, V: Sequence[Fraction]) -> list[list[int]]:
    """Greedy deterministic choices of a turn-based zero-sum game for the values ``V`` (player 0 maximises)."""
    choice = []
    for s in range(game.n_states):
        r = game.expected_rewards(s)[0]
        M = np.asarray(r + game.gamma * (game.transitions[s] * np.asarray(V, dtype=object)).sum(axis=-1), dtype=object)
        k0, k1 = M.shape
        if k0 > 1:
            col = M[:, 0].tolist()
            choice.append([col.index(max(col)), 0])
        elif k1 > 1:
            row = M[0].tolist()
            choice.append([0, row.index(min(row))])
        else:
            choice.append([0, 0])
    return choice


def exact_turn_based_value(game: StochasticGame, max_iterations: int = 200) -> tuple[list[Fraction], list[list[Fraction]]]:
    """``(V*, iterates)`` of a two-player zero-sum turn-based game.

    ``iterates`` are the value-iteration iterates ``V_0 = 0, V_1, ...`` computed on the way.  ``V*`` is certified:
    it is the exact value of a deterministic policy pair and an exact fixed point of the Shapley operator.

    Raises
    ------
    BudgetExceeded
        No greedy deterministic policy pair met within ``max_iterations`` iterations has a value that is a fixed
        point of the Shapley operator (callers report "not established").
    """
    V = [Fraction(0)] * game.n_states
    iterates = [V]
    seen: set[tuple[tuple[int, ...], ...]] = set()
    for _ in range(max_iterations):
        choice = _greedy(game, V)
        key = tuple(tuple(c) for c in choice)
        if key not in seen:
            seen.add(key)
            values = _evaluate(game, StationaryPolicy.deterministic(game, choice))
            candidate = [Fraction(v) for v in values.V[0]]
            if shapley_operator(game, candidate) == candidate:
                return candidate, iterates
        V = shapley_operator(game, V)
        iterates.append(V)
    raise BudgetExceeded(f"exact_turn_based_value(): game {game.name or '(unnamed)'!r}: no greedy deterministic "
                         f"policy pair met in max_iterations={max_iterations} value-iteration steps is a fixed point "
                         f"of the Shapley operator")


@theorem("bellman.shapley_contraction", strategy="zero_sum_stochastic_games_with_value_pairs",
         citation=_SHAPLEY,
         claim="the Shapley (minimax) operator is a γ-contraction: ‖TV − TW‖∞ ≤ γ‖V − W‖∞")
def check_shapley_contraction(game: StochasticGame, V: Sequence[Fraction], W: Sequence[Fraction]) -> Verdict:
    tid = "bellman.shapley_contraction"
    TV, TW = shapley_operator(game, V), shapley_operator(game, W)
    lhs = max(abs(a - b) for a, b in zip(TV, TW))
    rhs = game.gamma * max(abs(Fraction(a) - Fraction(b)) for a, b in zip(V, W))
    witness = {"V": nums(V), "W": nums(W), "TV": nums(TV), "TW": nums(TW), "gamma": num(game.gamma),
               "lhs": num(lhs), "rhs": num(rhs)}
    if lhs <= rhs:
        return proven(tid, f"‖TV − TW‖ = {lhs} ≤ γ‖V − W‖ = {rhs}", witness)
    return refuted(tid, f"‖TV − TW‖ = {lhs} > γ‖V − W‖ = {rhs}", witness)


def _library_iterates(game: StochasticGame, steps: int) -> list[list[Fraction]]:
    """Iterates ``V_0 = 0, V_1, ...`` of :func:`jalverify.solvers.value_iteration.shapley_value_iteration`."""
    result = shapley_value_iteration(game, field="exact", tol=0, max_iterations=steps, record_history=True)
    return [[Fraction(v) for v in np.asarray(h, dtype=object).reshape(-1)[: game.n_states]] for h in result.history]


@theorem("bellman.value_iteration_bounds", strategy="turn_based_games_with_steps",
         citation=_SHAPLEY + "; theory.md §9",
         claim="on a turn-based zero-sum game Shapley value iteration from 0 satisfies ‖V_k − V*‖ ≤ γ^k ‖V*‖ and "
               "‖V_{k+1} − V*‖ ≤ γ/(1−γ) ‖V_{k+1} − V_k‖, with V* the exact (rational) value")
def check_value_iteration_bounds(game: StochasticGame, steps: int) -> Verdict:
    tid = "bellman.value_iteration_bounds"
    try:
        V_star, _ = exact_turn_based_value(game)
    except BudgetExceeded as exc:
        return not_established(tid, f"the exact value was not found within the iteration budget: {exc}")
    g = Fraction(game.gamma)
    V = [Fraction(0)] * game.n_states
    library = _library_iterates(game, steps)
    start = max(abs(v) for v in V_star)
    for k in range(1, steps + 1):
        V_next = shapley_operator(game, V)
        if k < len(library) and library[k] != V_next:
            return refuted(tid, f"the library's value iteration iterate V_{k} = {vector_text(library[k], game.states)} differs from the "
                                f"exact Shapley backup {vector_text(V_next, game.states)}",
                           {"k": k, "library": nums(library[k]), "backup": nums(V_next)})
        err = max(abs(a - b) for a, b in zip(V_next, V_star))
        if err > g ** k * start:
            return refuted(tid, f"‖V_{k} − V*‖ = {err} > γ^{k}‖V_0 − V*‖ = {g ** k * start}",
                           {"k": k, "V_k": nums(V_next), "V_star": nums(V_star), "error": num(err)})
        if g < 1:
            bound = g / (1 - g) * max(abs(a - b) for a, b in zip(V_next, V))
            if err > bound:
                return refuted(tid, f"‖V_{k} − V*‖ = {err} > γ/(1−γ)‖V_{k} − V_{k-1}‖ = {bound}",
                               {"k": k, "V_k": nums(V_next), "V_star": nums(V_star), "error": num(err), "bound": num(bound)})
        V = V_next
    return proven(tid, f"both error bounds hold for {steps} iterations (V* = {vector_text(V_star, game.states)})", {"V_star": nums(V_star)})


@theorem("bellman.vi_matches_policy_iteration", strategy="turn_based_games",
         citation=_SHAPLEY + "; Hoffman & Karp (1966); theory.md §9",
         claim="on a turn-based zero-sum game the value found by value iteration (certified fixed point of the Shapley "
               "operator) equals the exact policy-iteration value")
def check_value_iteration_matches_policy_iteration(game: StochasticGame) -> Verdict:
    tid = "bellman.vi_matches_policy_iteration"
    try:
        V_star, _ = exact_turn_based_value(game)
    except BudgetExceeded as exc:
        return not_established(tid, f"value iteration did not reach the exact value within its budget: {exc}")
    result = zero_sum_policy_iteration(game, field="exact")
    if not result.certified:
        return not_established(tid, f"policy iteration ended with status {result.status.value} (not certified)")
    pi_values = [Fraction(v) for v in np.asarray(result.V, dtype=object)[0]]
    if pi_values == V_star:
        return proven(tid, f"both give V* = {vector_text(V_star, game.states)}", {"V_star": nums(V_star)})
    return refuted(tid, f"value iteration gives {vector_text(V_star, game.states)}, policy iteration {vector_text(pi_values, game.states)}",
                   {"value_iteration": nums(V_star), "policy_iteration": nums(pi_values)})
