r"""Shapley value iteration for two-player zero-sum stochastic games.

Shapley (1953, PNAS 39) / Albrecht, Christianos & Schäfer (2024, Algorithm 6, §6.2): starting from
:math:`V_0`, repeat

.. math::

    V_{k+1}(s) = \mathrm{val}\big(Γ_s(V_k)\big), \qquad
    Γ_s(V)(a) = Σ_{s'} T(s' \mid s, a)\,[R_0(s, a, s') + γ V(s')],

where val is the minimax value of the matrix game (stage LP, Eqs. 4.12–4.15).  The operator is a
γ-contraction in max-norm, so :math:`\|V_k - V^*\| \le γ^k \|V_0 - V^*\|` and

.. math:: \|V_{k+1} - V^*\|_\infty \le \frac{γ}{1-γ}\,\|V_{k+1} - V_k\|_\infty ,

the stopping rule used here (theory.md §2).  Values are player 0's; player 1's are their negatives.
Stage values come from :func:`jalverify.solvers.minimax.minimax_value` (exact and certified in the exact
field); a stage where one player has a single action is solved directly (max or min of a column / row).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.errors import InvalidGame, InvalidNumber, UnsupportedGame
from jalverify.games.normal_form import freeze
from jalverify.games.stochastic import StationaryPolicy, StochasticGame
from jalverify.numbers import Field, Number, field_named
from jalverify.solvers.budget import Budget, Clock, start_clock
from jalverify.solvers.display import (
    brief_number,
    game_label,
    json_number,
    number_text,
    one_line,
    result_html,
    state_policy_html,
    state_values_html,
    status_html,
)
from jalverify.solvers.evaluation import q_from_values
from jalverify.verdicts import Status

__all__ = [
    "ValueIterationResult",
    "ValueIterationStatus",
    "check_zero_sum",
    "iteration_field",
    "iteration_tolerance",
    "shapley_value_iteration",
    "stage_minimax",
    "stochastic_minimax_dict",
    "stochastic_minimax_html",
]


class ValueIterationStatus(Enum):
    """CONVERGED: the contraction bound is ≤ tol; ITERATION_LIMIT: it was not reached (no claim)."""

    CONVERGED = "converged"
    ITERATION_LIMIT = "iteration_limit"


@dataclass(frozen=True, eq=False)
class ValueIterationResult:
    r"""Result of :func:`shapley_value_iteration`.

    Attributes
    ----------
    V : ndarray, shape (2, n_states)
        The last iterate :math:`V_{k+1}` (row 0: player 0; row 1 its negative).
    Q : tuple of ndarray
        ``Q[s]`` of shape ``(2, *k_s)``: the stage games :math:`Γ_s(V_k)` of the last backup.
    policies : StationaryPolicy
        Minimax strategies of those stage games (maximin for player 0, minimax for player 1).
    iterations : int
        Number of backups performed.
    error_bound : number
        :math:`γ/(1-γ) \|V_{k+1} - V_k\|_∞`, a bound on :math:`\|V_{k+1} - V^*\|_∞`.
    status : ValueIterationStatus
    field : Field
    history : tuple of ndarray
        Player 0's iterates :math:`V_0, V_1, \dots` when ``record_history=True``, else empty.
    """

    V: np.ndarray
    Q: tuple[np.ndarray, ...]
    policies: StationaryPolicy
    iterations: int
    error_bound: Number
    status: ValueIterationStatus
    field: Field
    history: tuple[np.ndarray, ...] = ()

    # display (issue 13)
    @property
    def game(self) -> StochasticGame:
        """The game solved (the one the policies are over)."""
        return self.policies.game

    def _verdict(self) -> tuple[Status, str]:
        if self.status is ValueIterationStatus.CONVERGED:
            return Status.WITHIN_TOLERANCE, (f"Shapley value iteration converged: |V - V*| <= "
                                             f"{number_text(self.error_bound)} in every state (contraction bound)")
        return Status.NOT_ESTABLISHED, (f"the iteration limit was reached with error bound "
                                        f"{number_text(self.error_bound)}; no value is claimed")

    def __repr__(self) -> str:
        return one_line("ShapleyValueIteration", f"game={game_label(self.game)}", f"status={self.status.value}",
                        f"{self.iterations} iterations", f"error bound {brief_number(self.error_bound)}",
                        self.field.name)

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data, as ``jalverify solve --concept minimax --float --format json`` prints it
        for a stochastic game (``solve.schema.json``): values and policies by state, player and action name."""
        return stochastic_minimax_dict(self.game, V=self.V, distributions=self.policies.distributions,
                                       status=self.status.value, method="shapley_value_iteration",
                                       field=self.field.name, certified=False, error_bound=self.error_bound,
                                       iterations=self.iterations)

    def _repr_html_(self) -> str:
        """Values per state, the stage minimax policies per state and the status in verdict words."""
        return stochastic_minimax_html(self.game, "Shapley value iteration", self.V, self.policies.distributions,
                                       *self._verdict(), facts={"status": self.status.value,
                                                               "iterations": str(self.iterations),
                                                               "error bound": number_text(self.error_bound),
                                                               "field": self.field.name})


def stochastic_minimax_dict(game: StochasticGame, *, V: Any, distributions: Any, status: str, method: str,
                            field: str, certified: bool, error_bound: Any, iterations: int) -> dict[str, Any]:
    """The JSON document of a zero-sum stochastic game's minimax solution (``jalverify solve --concept minimax``
    on a stochastic game): values per state and player, stationary policies per state, player and action."""
    return {
        "game": game.name,
        "concept": "minimax",
        "kind": "stochastic",
        "field": field,
        "method": method,
        "status": status,
        "certified": certified,
        "iterations": iterations,
        "error_bound": json_number(error_bound),
        "values": {game.players[0]: {s: json_number(V[0][k]) for k, s in enumerate(game.states)},
                   game.players[1]: {s: json_number(V[1][k]) for k, s in enumerate(game.states)}},
        "policy": {
            s: {game.players[i]: {game.actions[k][i][a]: json_number(p) for a, p in enumerate(d)}
                for i, d in enumerate(distributions[k])}
            for k, s in enumerate(game.states)
        },
    }


def stochastic_minimax_html(game: StochasticGame, what: str, V: Any, distributions: Any, status: Status,
                            detail: str, *, facts: dict[str, str]) -> str:
    """A zero-sum stochastic game's (approximate) minimax solution in a notebook: values per state, the
    stationary policy per state, the verdict words and ``facts``."""
    parts = [state_values_html(game.states, game.players, V, caption="values per state"),
             state_policy_html(game, distributions, caption="stationary minimax policy"),
             status_html(status, detail)]
    title = game.name or "stochastic game"
    return result_html("stochastic-minimax", f"{what}: {title}", parts, facts=facts)


def check_zero_sum(game: StochasticGame, where: str) -> None:
    """Raise UnsupportedGame unless ``game`` is a two-player zero-sum stochastic game."""
    if game.n_players != 2:
        raise UnsupportedGame(f"{where}: needs a two-player game, got {game.n_players} players")
    if not game.is_zero_sum():
        for s in range(game.n_states):
            tot = game.rewards[s][0] + game.rewards[s][1]
            bad = [idx for idx in np.ndindex(*tot.shape) if not game.field.is_zero(tot[idx])]
            if bad:
                idx = bad[0]
                raise UnsupportedGame(
                    f"{where}: the game is not zero-sum: at state {game.states[s]!r}, joint action {idx[:-1]}, next "
                    f"state {game.states[idx[-1]]!r} the rewards sum to {tot[idx]}")


def iteration_field(game: StochasticGame, field: Field | str | None, max_iterations: int,
                    where: str) -> tuple[StochasticGame, Field]:
    """The field an iterative solver works in (the game's unless ``field`` is given), the game in that field, and
    the check ``max_iterations ≥ 1`` (InvalidNumber naming ``where`` otherwise)."""
    fld = game.field if field is None else field_named(field)
    if fld.exact != game.field.exact:
        game = game.to_field(fld, allow_float=True)
    if max_iterations < 1:
        raise InvalidNumber(f"{where}: max_iterations must be at least 1, got {max_iterations!r}")
    return game, fld


def iteration_tolerance(tol: Any, fld: Field, where: str) -> Number:
    """``tol`` in ``fld``; ``None`` means the default 1e-9 (exactly 1/10^9 in the exact field)."""
    if tol is None:
        tol = Fraction(1, 10**9) if fld.exact else 1e-9
    return fld.convert(tol, where=f"{where} tol", allow_float=True)


def stage_minimax(A: np.ndarray, fld: Field) -> tuple[Number, np.ndarray, np.ndarray]:
    """Value and optimal strategies ``(v, x, y)`` of the matrix game ``A`` (row player maximises).

    A matrix with one row or one column is solved directly (the mover picks its best action, the first on
    ties); anything else goes to :func:`jalverify.solvers.minimax.minimax_value`.
    """
    k, l = A.shape
    if k == 1 or l == 1:
        flat = A.reshape(-1).tolist()
        best = max(flat) if l == 1 else min(flat)
        j = flat.index(best)
        x, y = fld.zeros(k), fld.zeros(l)
        if l == 1:
            x[j], y[0] = fld.one, fld.one
        else:
            x[0], y[j] = fld.one, fld.one
        return best, x, y
    from jalverify.solvers.minimax import minimax_value

    return minimax_value(A, field=fld)


def _initial(game: StochasticGame, V0: Any, fld: Field, where: str) -> np.ndarray:
    S = game.n_states
    if V0 is None:
        return fld.zeros(S)
    arr = fld.array(V0, where=f"{where} V0", allow_float=not fld.exact)
    if arr.shape == (2, S):
        arr = arr[0]
    if arr.shape != (S,):
        raise InvalidGame(f"{where}: V0 has shape {arr.shape}, expected ({S},) (player 0's values) or (2, {S})")
    return arr


def shapley_value_iteration(game: StochasticGame, *, field: Field | str | None = None, tol: Any = None,
                            max_iterations: int = 1000, V0: Any = None, record_history: bool = False,
                            budget: Budget | Clock | None = None) -> ValueIterationResult:
    r"""Shapley (1953) value iteration with the contraction stopping rule (module docstring).

    Parameters
    ----------
    game : StochasticGame
        Two players, zero-sum.
    field : Field or str, optional
        Defaults to the game's field (a float game is converted exactly for ``"exact"`` and vice versa).
    tol : number, optional
        Stop when :math:`γ/(1-γ)\|V_{k+1} - V_k\|_∞ \le` tol.  Default ``1e-9`` (float) or ``1/10**9`` (exact).
        In the exact field ``tol = 0`` asks for an exact fixed point, which may never be reached.
    max_iterations : int
    V0 : array-like, optional
        Initial values of player 0 (shape ``(S,)`` or ``(2, S)``); zeros by default.
    record_history : bool
        Keep every iterate (for checking the contraction bound).
    budget : Budget or Clock, optional
        Wall-clock seconds (checked before every stage solve) and, in the exact field, ``max_bits`` for the
        numerators and denominators of the iterates (they grow at every backup).  Default: unlimited.  A running
        :class:`~jalverify.solvers.budget.Clock` (a caller's share of a larger budget) is used as it is.

    Raises
    ------
    BudgetExceeded
        A limit of ``budget`` was reached; the message names it.
    UnsupportedGame
        The game is not two-player zero-sum.
    """
    where = "shapley_value_iteration()"
    clock = start_clock(budget, f"{where} (Shapley value iteration)")
    check_zero_sum(game, where)
    game, fld = iteration_field(game, field, max_iterations, where)
    tol = iteration_tolerance(tol, fld, where)
    if tol < 0:
        raise InvalidNumber(f"{where}: tol must be ≥ 0, got {tol}")
    gamma = game.gamma
    factor = gamma / (1 - gamma)
    V = _initial(game, V0, fld, where)
    history = [freeze(V.copy())] if record_history else []
    status = ValueIterationStatus.ITERATION_LIMIT
    bound: Number = fld.zero
    S = game.n_states
    for it in range(1, max_iterations + 1):
        clock.check_iteration(it)
        Q = q_from_values(game, np.stack([V, -V]), field=fld)
        V_new = fld.zeros(S)
        strategies = []
        for s in range(S):
            clock.check(f"backup {it}, stage game at state {game.states[s]!r}")
            v, x, y = stage_minimax(np.asarray(Q[s][0]), fld)
            V_new[s] = v
            strategies.append((x, y))
        delta = max(abs(a - b) for a, b in zip(V_new.tolist(), V.tolist()))
        bound = factor * delta
        V = V_new
        if fld.exact:
            clock.check_bits(V.tolist(), f"V_{it}")
        if record_history:
            history.append(freeze(V.copy()))
        if bound <= tol:
            status = ValueIterationStatus.CONVERGED
            break
    policy = StationaryPolicy(game, [[x, y] for x, y in strategies], allow_float=not fld.exact)
    return ValueIterationResult(freeze(np.stack([V, -V])), Q, policy, it, bound, status, fld, tuple(history))
