r"""Exact values of two-player zero-sum stochastic games by Hoffman–Karp policy iteration.

Hoffman & Karp (1966, *Management Science* 12(5), "On nonterminating stochastic games"); Filar & Vrieze
(1997, *Competitive Markov Decision Processes*, §3.3; discounted version, the "Hoffman–Karp algorithm"):

1. Start with a stationary strategy :math:`x^0` of the maximiser (player 0): its maximin strategies of the
   one-step stage games :math:`Γ_s(0)`.
2. **Evaluate** :math:`x^k`: with :math:`x^k` fixed the minimiser faces an MDP; its optimal reply (exact
   policy iteration, :func:`jalverify.solvers.best_response.best_response`) gives :math:`V^k`, the value
   :math:`x^k` guarantees.
3. **Improve**: solve every stage game :math:`Γ_s(V^k)` exactly (:func:`jalverify.solvers.minimax.minimax_solve`,
   certified); if :math:`\mathrm{val}(Γ_s(V^k)) = V^k(s)` for every ``s``, :math:`V^k` is the fixed point of
   Shapley's operator, i.e. the value :math:`V^*`; stop.  Otherwise :math:`x^{k+1}_s` is a maximin
   strategy of :math:`Γ_s(V^k)` (the current :math:`x^k_s` is kept where it is still optimal, so ties cannot
   make the iteration cycle).  The values :math:`V^k` increase monotonically to :math:`V^*`.

**Certificate** (exact field): the returned ``V`` satisfies :math:`V(s) = \mathrm{val}(Γ_s(V))` exactly for
every state, each stage value carrying its minimax certificate (a maximin and a minimax strategy holding the
value from both sides).  That is Shapley's equation, whose solution is unique, so ``V`` is the value.

**Limits** (theory.md §9): with rational data the value can be irrational when both players move in a state;
then no rational fixed point exists and the iteration does not terminate.  It stops at ``max_iterations``
with status ITERATION_LIMIT, the lower bound :math:`V^k` (guaranteed by :math:`x^k`) and the error bound
:math:`\|V^* - V^k\|_∞ \le \|L V^k - V^k\|_∞ / (1-γ)` (L is Shapley's γ-contraction); no exact claim is
made.  Denominators of the exact iterates roughly double at every step on such games, so each step costs
more than the last: an exact run should be given a :class:`~jalverify.solvers.budget.Budget` (seconds and
bits per exact number), whose exhaustion raises :class:`~jalverify.errors.BudgetExceeded`.  Turn-based and
single-controller games have rational values and strategies that are eventually
stationary optimal, so the iteration ends with an exact, certified answer (for turn-based games after at most
as many improvements as there are pure stationary strategies).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np

from jalverify.errors import CertificateError
from jalverify.games.normal_form import freeze
from jalverify.games.stochastic import StationaryPolicy, StochasticGame
from jalverify.numbers import Field, Number
from jalverify.solvers.best_response import best_response
from jalverify.solvers.budget import Budget, Clock, bit_size, start_clock
from jalverify.solvers.display import brief_number, game_label, number_text, one_line
from jalverify.solvers.evaluation import q_from_values
from jalverify.solvers.value_iteration import (
    check_zero_sum,
    iteration_field,
    stochastic_minimax_dict,
    stochastic_minimax_html,
)
from jalverify.verdicts import Status

__all__ = ["ZeroSumPolicyIterationResult", "ZeroSumPolicyIterationStatus", "zero_sum_policy_iteration"]


class ZeroSumPolicyIterationStatus(Enum):
    """EXACT_FIXED_POINT: V = val(Γ(V)) exactly (certified value).  CONVERGED: float field, residual ≤ tol
    (within tolerance, not proven).  ITERATION_LIMIT: no fixed point reached; only bounds are claimed."""

    EXACT_FIXED_POINT = "exact_fixed_point"
    CONVERGED = "converged"
    ITERATION_LIMIT = "iteration_limit"


@dataclass(frozen=True, eq=False)
class ZeroSumPolicyIterationResult:
    r"""Result of :func:`zero_sum_policy_iteration`.

    Attributes
    ----------
    V : ndarray, shape (2, n_states)
        Player 0's values (row 0) and their negatives.  With EXACT_FIXED_POINT: the value :math:`V^*`;
        otherwise the lower bound :math:`V^k` guaranteed by the last maximiser strategy.
    Q : tuple of ndarray
        Stage games :math:`Γ_s(V)`, shape ``(2, *k_s)`` per state.
    policy : StationaryPolicy
        Stage maximin / minimax strategies of :math:`Γ_s(V)` (optimal stationary strategies when the status is
        EXACT_FIXED_POINT).
    stage_values : ndarray, shape (n_states,)
        :math:`\mathrm{val}(Γ_s(V))`.
    bellman_residual : ndarray, shape (n_states,)
        ``stage_values - V[0]``: exactly 0 for a certified answer.
    stage_certificates : tuple
        The minimax certificate of every stage game (``MinimaxCertificate``).
    error_bound : number
        :math:`\|L V - V\|_∞ / (1-γ)`, a bound on :math:`\|V^* - V\|_∞` (0 at an exact fixed point).
    iterations : int
    status : ZeroSumPolicyIterationStatus
    field : Field
    certified : bool
    """

    V: np.ndarray
    Q: tuple[np.ndarray, ...]
    policy: StationaryPolicy
    stage_values: np.ndarray
    bellman_residual: np.ndarray
    stage_certificates: tuple[Any, ...]
    error_bound: Number
    iterations: int
    status: ZeroSumPolicyIterationStatus
    field: Field
    certified: bool

    # display (issue 13)
    @property
    def game(self) -> StochasticGame:
        """The game solved (the one the policy is over)."""
        return self.policy.game

    def _verdict(self) -> tuple[Status, str]:
        if self.status is ZeroSumPolicyIterationStatus.EXACT_FIXED_POINT and self.certified:
            return Status.PROVEN, "V = val(Γ(V)) exactly: the Bellman residual is exactly 0 in every state"
        if self.status is ZeroSumPolicyIterationStatus.CONVERGED:
            return Status.WITHIN_TOLERANCE, (f"float residual within tolerance; |V - V*| <= "
                                             f"{number_text(self.error_bound)}")
        return Status.NOT_ESTABLISHED, (f"no fixed point reached; V is a lower bound within "
                                        f"{number_text(self.error_bound)} of V*")

    def __repr__(self) -> str:
        kind = "certified" if self.certified else f"error bound {brief_number(self.error_bound)}"
        return one_line("PolicyIteration", f"game={game_label(self.game)}", f"status={self.status.value}",
                        f"{self.iterations} iterations", self.field.name, kind)

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data, as ``jalverify solve --concept minimax --format json`` prints it for a
        stochastic game (``solve.schema.json``): values and policies by state, player and action name."""
        return stochastic_minimax_dict(self.game, V=self.V, distributions=self.policy.distributions,
                                       status=self.status.value, method="hoffman_karp_policy_iteration",
                                       field=self.field.name, certified=self.certified,
                                       error_bound=self.error_bound, iterations=self.iterations)

    def _repr_html_(self) -> str:
        """Values per state, the optimal stationary policies per state and the certificate in verdict words."""
        return stochastic_minimax_html(self.game, "Hoffman–Karp policy iteration", self.V, self.policy.distributions,
                                       *self._verdict(), facts={"status": self.status.value,
                                                               "iterations": str(self.iterations),
                                                               "error bound": number_text(self.error_bound),
                                                               "field": self.field.name})


def _holds_value(A: np.ndarray, x: np.ndarray, v: Number, fld: Field) -> bool:
    """Does the row strategy ``x`` guarantee ``v`` in ``A`` (min over columns of xᵀA ≥ v)?"""
    guarantee = min((x @ A).tolist()) if fld.exact else float(np.min(np.asarray(x, dtype=float) @ np.asarray(A, dtype=float)))
    return not fld.lt(guarantee, v)


def zero_sum_policy_iteration(game: StochasticGame, *, field: Field | str | None = None, tol: Any = None,
                              max_iterations: int = 100, budget: Budget | Clock | None = None,
                              progress: Callable[[str], None] | None = None) -> ZeroSumPolicyIterationResult:
    """Hoffman–Karp policy iteration for the value of a two-player zero-sum stochastic game (module docstring).

    Parameters
    ----------
    game : StochasticGame
        Two players, zero-sum.
    field : Field or str, optional
        Defaults to the game's field.  The exact field gives certified answers.
    tol : number, optional
        Float field only: stop when the Bellman residual is ≤ tol (default ``1e-9``).
    max_iterations : int
        Maximum number of improvement steps (then status ITERATION_LIMIT, bounds only).
    budget : Budget or Clock, optional
        Wall-clock seconds (checked before every policy evaluation and every stage solve) and ``max_bits``, the
        largest numerator or denominator allowed in an exact iterate ``V^k`` (checked after every evaluation).
        Default: unlimited.  A running
        :class:`~jalverify.solvers.budget.Clock` (a caller's share of a larger budget) is used as it is.
        Its ``max_iterations``, if set, raises instead of returning ITERATION_LIMIT.
    progress : callable, optional
        Receives one line per improvement step (Bellman residual, size of the exact iterates) and, on large
        games, a line about every 5 s while the stage games are solved.

    Raises
    ------
    BudgetExceeded
        A limit of ``budget`` was reached; the message names it.
    UnsupportedGame
        Not two-player zero-sum.
    CertificateError
        A stage certificate failed to verify (no exact claim is made).
    """
    from jalverify.solvers.minimax import minimax_solve

    where = "zero_sum_policy_iteration()"
    clock = start_clock(budget, f"{where} (Hoffman–Karp policy iteration)")
    check_zero_sum(game, where)
    game, fld = iteration_field(game, field, max_iterations, where)
    tol = fld.zero if fld.exact else fld.convert(1e-9 if tol is None else tol, where=f"{where} tol")
    S = game.n_states
    dtype = object if fld.exact else np.float64

    next_report = [time.monotonic() + 5.0]

    def solve_stages(V: np.ndarray, it: int) -> tuple[tuple[np.ndarray, ...], list[Any]]:
        Q = q_from_values(game, np.stack([V, -V]), field=fld)
        out = []
        for s in range(S):
            clock.check(f"iteration {it}, stage game at state {game.states[s]!r}")
            out.append(minimax_solve(np.asarray(Q[s][0]), field=fld))
            if progress is not None and time.monotonic() >= next_report[0]:
                progress(f"iteration {it}: stage games solved {s + 1}/{S}")
                next_report[0] = time.monotonic() + 5.0
        return Q, out

    Q, stages = solve_stages(fld.zeros(S), 0)
    x = [np.asarray(r.row_strategy, dtype=dtype) for r in stages]
    status = ZeroSumPolicyIterationStatus.ITERATION_LIMIT
    for it in range(1, max_iterations + 1):
        clock.check_iteration(it)
        # evaluate x: the minimiser's exact best reply
        y0 = [[fld.one] + [fld.zero] * (game.n_actions(s)[1] - 1) for s in range(S)]
        profile = StationaryPolicy(game, [[x[s], y0[s]] for s in range(S)], allow_float=not fld.exact)
        br = best_response(game, profile, 1, field=fld)
        V = np.asarray(-np.asarray(br.values), dtype=dtype)
        if fld.exact:
            clock.check_bits(V.tolist(), f"V^{it}")
        Q, stages = solve_stages(V, it)
        values = np.array([r.value for r in stages], dtype=dtype)
        residual = values - V
        worst = max(abs(r) for r in residual.tolist())
        if progress is not None:
            size = f", largest exact number {bit_size(V.tolist())} bits" if fld.exact else ""
            progress(f"iteration {it}: Bellman residual {float(worst):.3g}{size}")
        if (fld.exact and worst == 0) or (not fld.exact and worst <= tol):
            status = ZeroSumPolicyIterationStatus.EXACT_FIXED_POINT if fld.exact else ZeroSumPolicyIterationStatus.CONVERGED
            break
        x = [x[s] if _holds_value(np.asarray(Q[s][0]), x[s], stages[s].value, fld)
             else np.asarray(stages[s].row_strategy, dtype=dtype) for s in range(S)]
    certs = tuple(r.certificate for r in stages)
    certified = False
    if status is ZeroSumPolicyIterationStatus.EXACT_FIXED_POINT:
        for s, (r, c) in enumerate(zip(stages, certs)):
            if c is None or not c.exact or c.verify(np.asarray(Q[s][0])) is not True or c.value != V[s]:
                raise CertificateError(f"{where}: the stage certificate at state {game.states[s]!r} does not verify")
        certified = True
    policy = StationaryPolicy(game, [[np.asarray(r.row_strategy, dtype=dtype), np.asarray(r.column_strategy, dtype=dtype)]
                                     for r in stages], allow_float=not fld.exact)
    bound = worst / (1 - game.gamma)
    return ZeroSumPolicyIterationResult(
        V=freeze(np.stack([V, -V])), Q=Q, policy=policy, stage_values=freeze(values), bellman_residual=freeze(residual),
        stage_certificates=certs, error_bound=bound, iterations=it, status=status, field=fld, certified=certified,
    )
