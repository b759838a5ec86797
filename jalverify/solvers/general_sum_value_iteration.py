r"""Value iteration for general-sum stochastic games with a pluggable stage solver (JAL-GT with a model).

Albrecht, Christianos & Schäfer (2024, Algorithm 7 with a known model; theory.md §2): with values
:math:`V_k` (one row per agent), build every stage game :math:`Γ_s(V_k)` with payoffs
:math:`Q_j(s, a) = Σ_{s'} T(s' \mid s, a)[R_j(s, a, s') + γ V_{k,j}(s')]`, solve it with a solution concept
(Nash, correlated equilibrium, minimax, …) to a joint distribution :math:`π^*_s`, and back up
:math:`V_{k+1,j}(s) = Σ_a π^*_s(a) Q_j(s, a)`.

No contraction holds for Nash or CE values (theory.md §2), so nothing guarantees convergence: the iteration
may cycle or wander, and equilibrium selection by the stage solver matters.  The result therefore carries an
explicit status:

* ``EXACT_FIXED_POINT`` (exact field): :math:`V_{k+1} = V_k` exactly, so ``V`` is the value of the returned
  stationary policy and every stage distribution is a solution of its stage game :math:`Γ_s(V)`;
* ``CONVERGED``: :math:`\|V_{k+1} - V_k\|_∞ \le` tol (a stopping criterion, **not** a proof of being near a
  fixed point: without a contraction there is no error bound);
* ``CYCLE``: an earlier iterate recurred exactly; the iteration is periodic and will never converge;
* ``ITERATION_LIMIT``: none of the above within ``max_iterations``.

Whatever the status, the returned ``V`` is close to the value of the returned policy π (the last stage
solutions): :math:`V_{k+1} = r^π + γ M^π V_k` and :math:`V^π = r^π + γ M^π V^π` give
:math:`\|V_{k+1} - V^π\|_∞ \le γ/(1-γ)\,\|V_{k+1} - V_k\|_∞` (``policy_error_bound``).  This bounds how
well ``V`` describes π, not whether π is an equilibrium of the stochastic game.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np

from jalverify.errors import InvalidGame
from jalverify.games.normal_form import freeze
from jalverify.games.stochastic import CorrelatedStationaryPolicy, StochasticGame, stage_game
from jalverify.games.tables import MAX_HTML_STATES
from jalverify.numbers import Field, Number
from jalverify.solvers.display import (
    brief_number,
    game_label,
    json_number,
    number_text,
    one_line,
    result_html,
    state_values_html,
    status_html,
    table_html,
)
from jalverify.solvers.evaluation import q_from_values
from jalverify.solvers.stage import StageSolution, StageSolver, as_stage_solution
from jalverify.solvers.value_iteration import iteration_field, iteration_tolerance
from jalverify.verdicts import Status

__all__ = ["GeneralSumStatus", "GeneralSumValueIterationResult", "general_sum_value_iteration"]


class GeneralSumStatus(Enum):
    """Outcome of :func:`general_sum_value_iteration` (module docstring)."""

    EXACT_FIXED_POINT = "exact_fixed_point"
    CONVERGED = "converged"
    CYCLE = "cycle"
    ITERATION_LIMIT = "iteration_limit"


@dataclass(frozen=True, eq=False)
class GeneralSumValueIterationResult:
    """Result of :func:`general_sum_value_iteration`.

    Attributes
    ----------
    V : ndarray, shape (n_players, n_states)
        The last iterate :math:`V_{k+1}`.
    Q : tuple of ndarray
        Stage games :math:`Γ_s(V_k)` of the last backup, shape ``(n, *k_s)`` per state.
    policy : CorrelatedStationaryPolicy
        The stage solutions of the last backup (joint distributions).
    stage_solutions : tuple of StageSolution
    iterations : int
    delta : number
        :math:`\\|V_{k+1} - V_k\\|_∞` of the last backup.
    policy_error_bound : number
        :math:`γ/(1-γ)` ``delta``: a bound on :math:`\\|V - V^π\\|_∞` for the returned policy π.
    status : GeneralSumStatus
    cycle_length : int
        Period of the detected cycle (0 unless status is CYCLE).
    field : Field
    history : tuple of ndarray
        Iterates :math:`V_0, V_1, …` when ``record_history=True``.
    """

    V: np.ndarray
    Q: tuple[np.ndarray, ...]
    policy: CorrelatedStationaryPolicy
    stage_solutions: tuple[StageSolution, ...]
    iterations: int
    delta: Number
    policy_error_bound: Number
    status: GeneralSumStatus
    cycle_length: int
    field: Field
    history: tuple[np.ndarray, ...] = ()

    # display (issue 13)
    @property
    def game(self) -> StochasticGame:
        """The game (the one the policy is over)."""
        return self.policy.game

    def _verdict(self) -> tuple[Status, str]:
        if self.status is GeneralSumStatus.EXACT_FIXED_POINT:
            return Status.PROVEN, ("V is exactly a fixed point: every stage distribution solves its stage game "
                                   "Γ_s(V) (exact arithmetic)")
        if self.status is GeneralSumStatus.CONVERGED:
            return Status.WITHIN_TOLERANCE, (f"last change {number_text(self.delta)}; |V − V^π| <= "
                                             f"{number_text(self.policy_error_bound)}")
        if self.status is GeneralSumStatus.CYCLE:
            return Status.NOT_ESTABLISHED, f"the iterates cycle with period {self.cycle_length}; no fixed point"
        return Status.NOT_ESTABLISHED, f"the iteration limit was reached (last change {number_text(self.delta)})"

    def __repr__(self) -> str:
        return one_line("GeneralSumValueIteration", f"game={game_label(self.game)}", f"status={self.status.value}",
                        f"{self.iterations} iterations", f"last change {brief_number(self.delta)}", self.field.name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: status, values by player and state, the stage distributions by state (non-zero joint
        actions by name), the last change and the policy's error bound (exact ``"p/q"``)."""
        g = self.game
        policy = {}
        for k, s in enumerate(g.states):
            dist = self.policy.distributions[k]
            policy[s] = [{"joint_action": {g.players[i]: g.actions[k][i][a] for i, a in enumerate(joint)},
                          "probability": json_number(dist[joint])}
                         for joint in np.ndindex(*dist.shape) if dist[joint] != 0]
        return {"game": g.name, "method": "general_sum_value_iteration", "field": self.field.name,
                "status": self.status.value, "iterations": self.iterations, "delta": json_number(self.delta),
                "policy_error_bound": json_number(self.policy_error_bound), "cycle_length": self.cycle_length,
                "values": {p: {s: json_number(self.V[i][k]) for k, s in enumerate(g.states)}
                           for i, p in enumerate(g.players)},
                "policy": policy}

    def _repr_html_(self) -> str:
        """Values per state, each state's joint distribution over joint actions, and the status in verdict words."""
        g = self.game
        parts = [state_values_html(g.states, g.players, self.V, caption="values per state")]
        for k, s in enumerate(g.states[:MAX_HTML_STATES]):
            dist = self.policy.distributions[k]
            rows = [[g.actions[k][i][a] for i, a in enumerate(joint)] + [number_text(dist[joint])]
                    for joint in np.ndindex(*dist.shape) if dist[joint] != 0]
            parts.append(table_html(list(g.players) + ["probability"], rows, caption=f"stage distribution at {s}",
                                    row_headers=False))
        parts.append(status_html(*self._verdict()))
        return result_html("general-sum-value-iteration", f"General-sum value iteration: {g.name or 'stochastic game'}",
                           parts, facts={"status": self.status.value, "iterations": str(self.iterations),
                                         "field": self.field.name})


def general_sum_value_iteration(game: StochasticGame, stage_solver: StageSolver, *, field: Field | str | None = None,
                                tol: Any = None, max_iterations: int = 1000, V0: Any = None,
                                record_history: bool = False) -> GeneralSumValueIterationResult:
    """Value iteration :math:`V_{k+1}(s) = \\mathrm{Value}(Γ_s(V_k))` with ``stage_solver`` (module docstring).

    Parameters
    ----------
    game : StochasticGame
    stage_solver : StageSolver
        ``stage_solver(stage game) -> StageSolution`` or ``(joint, values)``; its output is validated (a
        distribution whose expected payoffs equal the claimed values), see
        :func:`jalverify.solvers.stage.as_stage_solution`.
    field : Field or str, optional
        Defaults to the game's field.
    tol : number, optional
        CONVERGED when :math:`\\|V_{k+1} - V_k\\|_∞ \\le` tol; default ``1e-9`` (float) / ``1/10**9`` (exact).
    max_iterations : int
    V0 : array-like, optional
        Initial values, shape ``(n_players, n_states)``; zeros by default.
    record_history : bool

    Raises
    ------
    SolverError
        The stage solver returned something that is not a solution of the stage game it was given.
    """
    where = "general_sum_value_iteration()"
    game, fld = iteration_field(game, field, max_iterations, where)
    tol = iteration_tolerance(tol, fld, where)
    n, S = game.n_players, game.n_states
    if V0 is None:
        V = fld.zeros((n, S))
    else:
        V = fld.array(V0, where=f"{where} V0", allow_float=not fld.exact)
        if V.shape != (n, S):
            raise InvalidGame(f"{where}: V0 has shape {V.shape}, expected {(n, S)} (players × states)")
    seen: dict[tuple[Any, ...], int] = {tuple(V.reshape(-1).tolist()): 0}
    history = [freeze(V.copy())] if record_history else []
    status = GeneralSumStatus.ITERATION_LIMIT
    cycle = 0
    delta: Number = fld.zero
    for it in range(1, max_iterations + 1):
        Q = q_from_values(game, V, field=fld)
        sols = []
        V_new = fld.zeros((n, S))
        for s in range(S):
            G = stage_game(game, s, Q)
            sol = as_stage_solution(stage_solver(G), G, where=f"{where} stage solver at state {game.states[s]!r}")
            sols.append(sol)
            V_new[:, s] = sol.values
        diffs = (V_new - V).reshape(-1).tolist()
        delta = max(abs(d) for d in diffs) if diffs else fld.zero
        V = V_new
        if record_history:
            history.append(freeze(V.copy()))
        if fld.exact and delta == 0:
            status = GeneralSumStatus.EXACT_FIXED_POINT
            break
        if delta <= tol:
            status = GeneralSumStatus.CONVERGED
            break
        key = tuple(V.reshape(-1).tolist())
        if key in seen:
            status = GeneralSumStatus.CYCLE
            cycle = it - seen[key]
            break
        seen[key] = it
    policy = CorrelatedStationaryPolicy(game, [sol.joint for sol in sols], allow_float=not fld.exact)
    bound = game.gamma / (1 - game.gamma) * delta
    return GeneralSumValueIterationResult(freeze(V), Q, policy, tuple(sols), it, delta, bound, status, cycle, fld,
                                          tuple(history))
