"""Ground truth for validation, from jalverify's own exact solvers (imported lazily).

* all extreme Nash equilibria of a bimatrix game: exact vertex enumeration (Avis, Rosenberg, Savani & von
  Stengel 2010; :mod:`jalverify.solvers.nash`), complete on degenerate games too;
* the minimax value of a zero-sum game: the certified exact LP of :mod:`jalverify.solvers.minimax`;
* ``V^π`` and ``Q^π``: exact policy evaluation (:mod:`jalverify.solvers.evaluation`, book Eq. 6.9);
* ``Q*`` of a zero-sum stochastic game: Hoffman–Karp policy iteration, certified exactly where the value is
  rational (:mod:`jalverify.solvers.zero_sum_policy_iteration`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import SolverError
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile
from jalverify.numbers import EXACT

__all__ = ["all_extreme_equilibria", "minimax_value_of", "exact_policy_values", "exact_zero_sum_q"]


def all_extreme_equilibria(game: NormalFormGame) -> list[MixedProfile]:
    """Every extreme Nash equilibrium of a two-player game, exactly (certified: exact regret 0 each).

    Raises
    ------
    SolverError
        The reference method did not claim completeness.
    """
    try:
        from jalverify.solvers.nash import nash_solve
    except ImportError:  # the dispatcher may not exist yet; the algorithm module does
        from jalverify.solvers.nash.vertex_enumeration import vertex_enumeration_solve

        result = vertex_enumeration_solve(game, field=EXACT, components=False)
    else:
        result = nash_solve(game, method="vertex_enumeration", field=EXACT)
    if not result.complete:
        raise SolverError(f"all_extreme_equilibria(): reference enumeration is not complete ({result.status})")
    return list(result.equilibria)


def minimax_value_of(game: NormalFormGame) -> Fraction:
    """The exact minimax value (for the row player) of a two-player zero-sum game."""
    from jalverify.solvers.minimax import minimax_solve

    result = minimax_solve(game, field=EXACT)
    return Fraction(result.value)


def exact_policy_values(game: Any, policy: Any) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Exact ``(V, Q)`` of a stationary policy (certified by a zero Bellman residual)."""
    from jalverify.solvers.evaluation import evaluate_policy

    values = evaluate_policy(game, policy, field=EXACT)
    if not values.certified:
        raise SolverError("exact_policy_values(): the exact evaluation was not certified")
    return values.V, tuple(values.Q)


def exact_zero_sum_q(game: Any, max_iterations: int = 30) -> tuple[np.ndarray, ...]:
    """Exact ``Q*`` of a two-player zero-sum stochastic game (``Q*[s]`` of shape ``(2, *k_s)``), by
    Hoffman–Karp policy iteration with its certificate (``V = val(Γ(V))`` exactly;
    :mod:`jalverify.solvers.zero_sum_policy_iteration`).

    Raises
    ------
    SolverError
        No certified exact answer within ``max_iterations`` (e.g. an irrational value, theory.md §9).
    """
    from jalverify.solvers.zero_sum_policy_iteration import ZeroSumPolicyIterationStatus, zero_sum_policy_iteration

    result = zero_sum_policy_iteration(game, field=EXACT, max_iterations=max_iterations)
    if result.status is not ZeroSumPolicyIterationStatus.EXACT_FIXED_POINT or not result.certified:
        raise SolverError(f"exact_zero_sum_q(): no certified exact Q* ({result.status.value}; the value may be "
                          "irrational)")
    return tuple(np.asarray(q, dtype=object) for q in result.Q)
