"""Solvers: LPs with certificates, minimax, Nash, correlated equilibria, policy evaluation, values.

The public solve functions and their result types, re-exported from the modules that define them:

| task | function | result | module |
|---|---|---|---|
| Nash equilibria, by method name | `nash_solve` | `NashResult` | `solvers.nash` |
| all extreme Nash equilibria of a bimatrix game, exact (degenerate games and components included) | `vertex_enumeration_solve` | `NashResult` | `solvers.nash.vertex_enumeration` |
| Nash equilibria by support enumeration (two players) | `support_enumeration_solve` | `NashResult` | `solvers.nash.support_enumeration` |
| all Nash equilibria of a small n-player game (exact, algebraic when irrational) | `support_enumeration_n_solve` | `NashResult` | `solvers.nash.support_enumeration_n` |
| one equilibrium per label by Lemke–Howson, exact or float (`field="float"`) | `lemke_howson_solve` | `NashResult` | `solvers.nash.lemke_howson` |
| pure Nash equilibria | `pure_nash_solve` | `NashResult` | `solvers.nash.pure` |
| is a profile an ε-Nash equilibrium? | `epsilon_nash_check` | `Verdict` | `solvers.nash.epsilon` |
| is a bimatrix game degenerate? | `is_degenerate` | `bool` | `solvers.nash.degeneracy` |
| minimax value and optimal strategies of a zero-sum game, certified | `minimax_solve` | `MinimaxResult` | `solvers.minimax` |
| minimax value of a matrix | `minimax_value` | `(value, x, y)` | `solvers.minimax` |
| every optimal strategy of a zero-sum game (the polytope's vertices) | `optimal_strategy_set` | vertices | `solvers.minimax` |
| a correlated or coarse correlated equilibrium selected by an objective | `correlated_solve` | `CorrelatedResult` | `solvers.correlated` |
| vertices of the CE / CCE polytope | `correlated_polytope_vertices` | vertices | `solvers.correlated` |
| Shapley value iteration on a zero-sum stochastic game | `shapley_value_iteration` | `ValueIterationResult` | `solvers.value_iteration` |
| exact value of a zero-sum stochastic game (Hoffman–Karp) | `zero_sum_policy_iteration`† | `ZeroSumPolicyIterationResult` | `solvers.zero_sum_policy_iteration` |
| value iteration with a pluggable stage solver (JAL-GT with a model) | `general_sum_value_iteration`† | `GeneralSumValueIterationResult` | `solvers.general_sum_value_iteration` |
| V^π and Q^π of a stationary policy, exact and certified | `evaluate_policy` | `PolicyValues` | `solvers.evaluation` |
| a best response to a stationary policy | `best_response`† | `BestResponse` | `solvers.best_response` |
| exploitability and NashConv of a stationary policy | `exploitability`, `nash_conv` | `Exploitability`, number | `solvers.best_response` |
| pick one equilibrium by a deterministic rule | `select_equilibrium` | `Selection` | `solvers.selection` |
| Nash-Q stage conditions: global optimum, saddle point | `classify_stage_game` | `StageClassification` | `solvers.nash_q_conditions` |
| a linear program, exact with a certificate or float (HiGHS) | `lp_solve` | `LPResult` | `solvers.lp` |

† These three functions carry the name of the module that defines them, so they are *not* re-exported here
(a function in their place would shadow the module: ``import jalverify.solvers.best_response`` would no longer
give the module).  Import them from their modules, e.g.
``from jalverify.solvers.best_response import best_response``.  Everything else in the table is importable from
``jalverify.solvers``.

The names are loaded on first use (PEP 562), so ``import jalverify.solvers`` stays cheap: sympy, HiGHS and
python-flint are imported only by the solver that needs them.

>>> from jalverify.games import catalog
>>> from jalverify.solvers import nash_solve
>>> len(nash_solve(catalog.load("battle_of_the_sexes")).equilibria)
3
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jalverify.solvers.best_response import BestResponse, Exploitability, exploitability, nash_conv
    from jalverify.solvers.correlated import CorrelatedResult, correlated_polytope_vertices, correlated_solve
    from jalverify.solvers.evaluation import PolicyValues, evaluate_policy
    from jalverify.solvers.general_sum_value_iteration import GeneralSumValueIterationResult
    from jalverify.solvers.lp import LPResult, lp_solve
    from jalverify.solvers.minimax import MinimaxResult, minimax_solve, minimax_value, optimal_strategy_set
    from jalverify.solvers.nash import nash_solve
    from jalverify.solvers.nash.degeneracy import is_degenerate
    from jalverify.solvers.nash.epsilon import epsilon_nash_check
    from jalverify.solvers.nash.lemke_howson import lemke_howson_solve
    from jalverify.solvers.nash.pure import pure_nash_solve
    from jalverify.solvers.nash.result import NashResult, NashStatus
    from jalverify.solvers.nash.support_enumeration import support_enumeration_solve
    from jalverify.solvers.nash.support_enumeration_n import support_enumeration_n_solve
    from jalverify.solvers.nash.vertex_enumeration import vertex_enumeration_solve
    from jalverify.solvers.nash_q_conditions import StageClassification, classify_stage_game
    from jalverify.solvers.selection import Selection, select_equilibrium
    from jalverify.solvers.value_iteration import ValueIterationResult, shapley_value_iteration
    from jalverify.solvers.zero_sum_policy_iteration import ZeroSumPolicyIterationResult

#: Where each public name is defined (the module imported when the name is first used).
_SOURCES: dict[str, str] = {
    "nash_solve": "jalverify.solvers.nash",
    "vertex_enumeration_solve": "jalverify.solvers.nash.vertex_enumeration",
    "support_enumeration_solve": "jalverify.solvers.nash.support_enumeration",
    "support_enumeration_n_solve": "jalverify.solvers.nash.support_enumeration_n",
    "lemke_howson_solve": "jalverify.solvers.nash.lemke_howson",
    "pure_nash_solve": "jalverify.solvers.nash.pure",
    "epsilon_nash_check": "jalverify.solvers.nash.epsilon",
    "is_degenerate": "jalverify.solvers.nash.degeneracy",
    "NashResult": "jalverify.solvers.nash.result",
    "NashStatus": "jalverify.solvers.nash.result",
    "minimax_solve": "jalverify.solvers.minimax",
    "minimax_value": "jalverify.solvers.minimax",
    "optimal_strategy_set": "jalverify.solvers.minimax",
    "MinimaxResult": "jalverify.solvers.minimax",
    "correlated_solve": "jalverify.solvers.correlated",
    "correlated_polytope_vertices": "jalverify.solvers.correlated",
    "CorrelatedResult": "jalverify.solvers.correlated",
    "shapley_value_iteration": "jalverify.solvers.value_iteration",
    "ValueIterationResult": "jalverify.solvers.value_iteration",
    "ZeroSumPolicyIterationResult": "jalverify.solvers.zero_sum_policy_iteration",
    "GeneralSumValueIterationResult": "jalverify.solvers.general_sum_value_iteration",
    "evaluate_policy": "jalverify.solvers.evaluation",
    "PolicyValues": "jalverify.solvers.evaluation",
    "exploitability": "jalverify.solvers.best_response",
    "nash_conv": "jalverify.solvers.best_response",
    "BestResponse": "jalverify.solvers.best_response",
    "Exploitability": "jalverify.solvers.best_response",
    "select_equilibrium": "jalverify.solvers.selection",
    "Selection": "jalverify.solvers.selection",
    "classify_stage_game": "jalverify.solvers.nash_q_conditions",
    "StageClassification": "jalverify.solvers.nash_q_conditions",
    "lp_solve": "jalverify.solvers.lp",
    "LPResult": "jalverify.solvers.lp",
}

__all__ = [
    "BestResponse",
    "CorrelatedResult",
    "Exploitability",
    "GeneralSumValueIterationResult",
    "LPResult",
    "MinimaxResult",
    "NashResult",
    "NashStatus",
    "PolicyValues",
    "Selection",
    "StageClassification",
    "ValueIterationResult",
    "ZeroSumPolicyIterationResult",
    "classify_stage_game",
    "correlated_polytope_vertices",
    "correlated_solve",
    "epsilon_nash_check",
    "evaluate_policy",
    "exploitability",
    "is_degenerate",
    "lemke_howson_solve",
    "lp_solve",
    "minimax_solve",
    "minimax_value",
    "nash_conv",
    "nash_solve",
    "optimal_strategy_set",
    "pure_nash_solve",
    "select_equilibrium",
    "shapley_value_iteration",
    "support_enumeration_n_solve",
    "support_enumeration_solve",
    "vertex_enumeration_solve",
]


def __getattr__(name: str) -> Any:
    """Import the defining module of a public name on first use (PEP 562) and keep the name here."""
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module 'jalverify.solvers' has no attribute {name!r}")
    value = getattr(import_module(source), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
