"""Handlers of ``jalverify solve`` for stochastic games.

* ``--concept minimax`` (two-player zero-sum): with ``--exact`` (default), Hoffman–Karp policy iteration with
  exact stage LPs (:func:`jalverify.solvers.zero_sum_policy_iteration.zero_sum_policy_iteration`): the value
  :math:`V^*` and stationary minimax policies, certified by an exactly zero Bellman residual.  When no exact
  fixed point is reached (values of zero-sum stochastic games can be irrational; theory.md §9) the status says
  so, with the error bound, and the exit code is 1.  The exact route has a time budget (``--time-limit``,
  default :data:`DEFAULT_EXACT_SECONDS`) and prints each improvement step on stderr; when the budget runs out the
  answer is "not established" (exit 1).  With ``--float``, Shapley (1953) value iteration
  (:func:`jalverify.solvers.value_iteration.shapley_value_iteration`) with its contraction error bound.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from jalverify.errors import BudgetExceeded
from jalverify.solvers.budget import Budget

__all__ = ["handle_stochastic_minimax", "stochastic_minimax_document"]


def stochastic_minimax_document(game: Any, *, V: Any, policy: Any, status: str, method: str, field: str,
                                certified: bool, error_bound: Any, iterations: int) -> dict[str, Any]:
    """JSON-ready document: values per state, stationary policies per state and player, status and bound (the
    builder behind the results' ``to_dict()``,
    :func:`jalverify.solvers.value_iteration.stochastic_minimax_dict`)."""
    from jalverify.solvers.value_iteration import stochastic_minimax_dict

    return stochastic_minimax_dict(game, V=V, distributions=policy.distributions, status=status, method=method,
                                   field=field, certified=certified, error_bound=error_bound, iterations=iterations)


def _text(doc: dict[str, Any]) -> str:
    lines = [f"game: {doc['game'] or '(unnamed)'}   concept: minimax (stochastic)   field: {doc['field']}",
             f"method: {doc['method']}   status: {doc['status']}   certified: {doc['certified']}   "
             f"iterations: {doc['iterations']}   error bound: {doc['error_bound']}"]
    p0 = next(iter(doc["values"]))
    for s, v in doc["values"][p0].items():
        pol = "; ".join(f"{p}: " + ", ".join(f"{a} {q}" for a, q in dist.items())
                        for p, dist in doc["policy"][s].items())
        lines.append(f"  {s}: V({p0}) = {v}   {pol}")
    return "\n".join(lines)


#: Seconds the exact route may take unless --time-limit says otherwise (exact iterates can grow without end when
#: the value is irrational, theory.md §9).
DEFAULT_EXACT_SECONDS = 120.0


def _progress(line: str) -> None:
    import sys

    print(f"solve: {line}", file=sys.stderr, flush=True)


def _not_established(args: argparse.Namespace, game: Any, why: str) -> int:
    """The budget ran out: say so in words (and JSON), exit 1 as for any unsolved game."""
    doc = {"game": game.name, "concept": "minimax", "kind": "stochastic", "field": "exact",
           "method": "hoffman_karp_policy_iteration", "status": "not_established", "certified": False,
           "message": why}
    print(json.dumps(doc, indent=2) if args.format == "json" else f"not established: {why}")
    return 1


def handle_stochastic_minimax(args: argparse.Namespace, game: Any) -> int:
    """Solve a two-player zero-sum stochastic game; exit 0 when solved (exactly, or within the float bound)."""
    if args.field == "exact":
        from jalverify.solvers.zero_sum_policy_iteration import ZeroSumPolicyIterationStatus, zero_sum_policy_iteration

        limit = args.time_limit if args.time_limit is not None else DEFAULT_EXACT_SECONDS
        try:
            res = zero_sum_policy_iteration(game, field="exact", budget=Budget(seconds=limit), progress=_progress)
        except BudgetExceeded as exc:
            return _not_established(args, game, f"{exc}; raise --time-limit, or use --float for Shapley value "
                                                 "iteration with a proven error bound")
        solved = res.status is ZeroSumPolicyIterationStatus.EXACT_FIXED_POINT
        doc = res.to_dict()
    else:
        from jalverify.solvers.value_iteration import ValueIterationStatus, shapley_value_iteration

        res_vi = shapley_value_iteration(game, field="float")
        solved = res_vi.status is ValueIterationStatus.CONVERGED
        doc = res_vi.to_dict()
    if args.format == "json":
        print(json.dumps(doc, indent=2))
    else:
        print(_text(doc))
    return 0 if solved else 1
