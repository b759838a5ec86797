"""Ground truth for validation, from jalverify's own exact solvers (imported lazily).

* all extreme Nash equilibria of a bimatrix game: exact vertex enumeration (Avis, Rosenberg, Savani & von
  Stengel 2010; :mod:`jalverify.solvers.nash`), complete on degenerate games too;
* the minimax value of a zero-sum game: the certified exact LP of :mod:`jalverify.solvers.minimax`;
* ``V^π`` and ``Q^π``: exact policy evaluation (:mod:`jalverify.solvers.evaluation`, book Eq. 6.9);
* ``Q*`` of a zero-sum stochastic game: :mod:`jalverify.solvers.value_iteration` (exact where rational).
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


def exact_zero_sum_q(game: Any) -> tuple[np.ndarray, ...]:
    """Exact ``Q*`` of a two-player zero-sum stochastic game (``Q*[s]`` of shape ``(2, *k_s)``).

    Raises
    ------
    SolverError
        No certified exact answer (e.g. an irrational value).
    """
    from jalverify.solvers import value_iteration as vi

    for name in ("zero_sum_solve", "shapley_solve", "solve_zero_sum", "zero_sum_values"):
        fn = getattr(vi, name, None)
        if fn is not None:
            break
    else:
        raise SolverError("exact_zero_sum_q(): jalverify.solvers.value_iteration has no exact zero-sum solver")
    result = fn(game, field=EXACT)
    Q = getattr(result, "Q", None)
    if Q is None:
        raise SolverError(f"exact_zero_sum_q(): {name}() returned no Q")
    if getattr(result, "certified", True) is False:
        raise SolverError(f"exact_zero_sum_q(): {name}() did not certify an exact Q*")
    return tuple(np.asarray(q, dtype=object) for q in Q)
