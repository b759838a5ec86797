r"""Stage-game solvers as a pluggable interface for value iteration (JAL-GT with a model, theory.md §2).

At a state ``s`` of a stochastic game the current values define the stage game :math:`Γ_s` with payoffs
:math:`R_j(a) = Q_j(s, a)` (Albrecht, Christianos & Schäfer 2024, Eq. 6.10, Algorithm 7).  A *stage solver*
maps that normal-form game to a solution: a distribution over joint actions :math:`π^*_s` (a product of mixed
strategies for Nash or minimax, any joint distribution for CE / CCE) and every agent's value
:math:`\mathrm{Value}_j(Γ_s) = Σ_a π^*_s(a) Q_j(s, a)`.

A stage solver is any callable ``solver(game) -> StageSolution`` (or ``-> (joint, values)``, normalised by
:func:`as_stage_solution`).  This module provides adapters for minimax (Minimax-Q, theory.md §3) and
(coarse) correlated equilibria with a selection objective (CE-Q, theory.md §5); a Nash adapter needs an
equilibrium-selection rule and is added next to the Nash solvers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from jalverify.errors import SolverError, UnsupportedGame
from jalverify.games.normal_form import NormalFormGame, freeze
from jalverify.numbers import Field

__all__ = ["StageSolution", "StageSolver", "as_stage_solution", "MinimaxStageSolver", "CorrelatedStageSolver"]


@dataclass(frozen=True, eq=False)
class StageSolution:
    """A solution of one stage game.

    Attributes
    ----------
    joint : ndarray, shape ``game.n_actions``
        Distribution over joint actions.
    values : ndarray, shape (n_players,)
        Each agent's expected payoff under ``joint`` (checked by :func:`as_stage_solution`).
    method : str
        Which solver produced it.
    """

    joint: np.ndarray
    values: np.ndarray
    method: str = ""


@runtime_checkable
class StageSolver(Protocol):
    """A callable turning a stage game into a :class:`StageSolution` (or a ``(joint, values)`` pair)."""

    def __call__(self, game: NormalFormGame) -> StageSolution | tuple[Any, Any]: ...


def as_stage_solution(result: Any, game: NormalFormGame, *, where: str = "stage solver") -> StageSolution:
    """Validate a stage solver's output against ``game``.

    The joint distribution must have the game's shape, be non-negative and sum to 1 (exactly, or within the
    field's tolerance), and the claimed values must equal the expected payoffs under it (exactly / within
    tolerance).  The returned solution holds the values recomputed from the distribution.

    Raises
    ------
    SolverError
        Any violation; the message names the solver's output and the game.
    """
    fld: Field = game.field
    if isinstance(result, StageSolution):
        joint, values, method = result.joint, result.values, result.method
    elif isinstance(result, tuple) and len(result) == 2:
        joint, values = result
        method = ""
    else:
        raise SolverError(f"{where}: expected a StageSolution or a (joint, values) pair, got {type(result).__name__}")
    try:
        J = fld.array(joint, where=f"{where} joint distribution", allow_float=not fld.exact)
        vals = fld.array(values, where=f"{where} values", allow_float=not fld.exact)
    except (ValueError, TypeError) as exc:
        raise SolverError(f"{where}: unreadable output for {game.name or 'stage game'}: {exc}") from exc
    if J.shape != game.n_actions:
        raise SolverError(f"{where}: joint distribution has shape {J.shape}, the stage game has {game.n_actions}")
    if vals.shape != (game.n_players,):
        raise SolverError(f"{where}: values have shape {vals.shape}, expected ({game.n_players},)")
    flat = J.reshape(-1).tolist()
    if any(fld.lt(p, fld.zero) for p in flat) or not fld.eq(fld.total(flat), fld.one):
        raise SolverError(f"{where}: the joint distribution is not a probability distribution "
                          f"(sum {fld.total(flat)}, min {min(flat)}) for {game.name or 'stage game'}")
    expected = [fld.total((J * game.payoffs[i]).reshape(-1).tolist()) for i in range(game.n_players)]
    for i, (claimed, exp) in enumerate(zip(vals.tolist(), expected)):
        if not fld.eq(claimed, exp):
            raise SolverError(f"{where}: claimed value {claimed} of player {game.players[i]!r} differs from the "
                              f"expected payoff {exp} under the returned distribution ({game.name or 'stage game'})")
    out = fld.zeros(game.n_players)
    for i, e in enumerate(expected):
        out[i] = e
    return StageSolution(freeze(J), freeze(out), method)


class MinimaxStageSolver:
    """Minimax stage solutions of two-player zero-sum (or constant-sum) stage games.

    Uses :func:`jalverify.solvers.minimax.minimax_solve` in the stage game's field (exact answers certified);
    the joint distribution is the product of the two optimal strategies (Shapley 1953; Littman 1994).
    """

    name = "minimax"

    def __call__(self, game: NormalFormGame) -> StageSolution:
        from jalverify.solvers.minimax import minimax_solve

        res = minimax_solve(game, field=game.field)
        x = np.asarray(res.row_strategy, dtype=object if game.field.exact else np.float64)
        y = np.asarray(res.column_strategy, dtype=object if game.field.exact else np.float64)
        values = np.asarray(res.values, dtype=object if game.field.exact else np.float64)
        return StageSolution(np.multiply.outer(x, y), values, f"minimax ({res.method})")


class CorrelatedStageSolver:
    """(Coarse) correlated-equilibrium stage solutions selected by an objective (Greenwald & Hall 2003, CE-Q).

    Uses :func:`jalverify.solvers.correlated.correlated_solve` in the stage game's field (exact answers
    certified).  The libertarian objective gives one distribution per agent, not a joint solution, so it is
    refused here.

    Parameters
    ----------
    objective : {"utilitarian", "egalitarian", "republican"}
    coarse : bool
        CCE instead of CE.
    tie_break : str
        Passed to ``correlated_solve`` (which maximiser among optimal ones).
    """

    def __init__(self, objective: str = "utilitarian", *, coarse: bool = False, tie_break: str = "basic") -> None:
        if objective not in ("utilitarian", "egalitarian", "republican"):
            raise UnsupportedGame(f"CorrelatedStageSolver(): objective {objective!r} does not give one joint "
                                  "distribution; use 'utilitarian', 'egalitarian' or 'republican'")
        self.objective = objective
        self.coarse = coarse
        self.tie_break = tie_break
        self.name = f"{'cce' if coarse else 'ce'}-{objective}"

    def __call__(self, game: NormalFormGame) -> StageSolution:
        from jalverify.solvers.correlated import correlated_solve

        res = correlated_solve(game, coarse=self.coarse, objective=self.objective, field=game.field,
                               tie_break=self.tie_break)
        if res.distribution is None:
            raise SolverError(f"CorrelatedStageSolver(): correlated_solve returned no distribution ({res.status})")
        values = np.asarray(res.payoffs, dtype=object if game.field.exact else np.float64)
        return StageSolution(np.asarray(res.distribution.distribution), values, f"{self.name} ({res.method})")
