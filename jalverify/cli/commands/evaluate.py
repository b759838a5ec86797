"""``jalverify evaluate FILE --policy POLICY.json``: exact V^π and Q^π of a stationary joint policy.

Solves the policy-evaluation system (book §2.5, Eq. 6.9) with :func:`jalverify.solvers.evaluation.evaluate_policy`
and prints every agent's state values and joint-action values: exact rationals (``p/q`` strings in JSON,
certified by an exact Bellman residual of 0) or floats with ``--float``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="evaluate a stationary policy of a stochastic game: V^π and Q^π per agent",
        description="Solve (I - γ M^π) V = r^π for every agent and print V^π(s) and Q^π(s, a). Exact by default "
                    "(rational solve certified by an exact Bellman residual of 0).",
    )
    parser.add_argument("file", metavar="FILE", help="stochastic game file (jalverify.game/1 JSON) or catalog:<name>")
    parser.add_argument("--policy", required=True, metavar="POLICY.json",
                        help="policy file (jalverify.policy/1, stationary or correlated)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--exact", dest="field", action="store_const", const="exact",
                       help="exact rational arithmetic (default)")
    group.add_argument("--float", dest="field", action="store_const", const="float", help="float64 arithmetic")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    parser.set_defaults(func=run, field="exact")


def evaluation_document(values: Any) -> dict[str, Any]:
    """JSON-ready document of a :class:`~jalverify.solvers.evaluation.PolicyValues`: its
    :meth:`~jalverify.solvers.evaluation.PolicyValues.to_dict` (one builder for the CLI and the API)."""
    return values.to_dict()


def _text(doc: dict[str, Any]) -> str:
    """The document as labelled, aligned text: V^π as one table (a row per state, a column per player), Q^π as one
    table per state (a row per joint action, a column per player); numbers as fractions."""
    from jalverify.games.tables import aligned_rows, number_text

    lines = [f"game: {doc['game'] or '(unnamed)'}   gamma = {number_text(doc['gamma'])}   field: {doc['field']}",
             f"method: {doc['method']}",
             ("certified: exact Bellman residual 0" if doc["certified"]
              else f"max residual: {number_text(doc.get('residual'))}"),
             "", "V^π(s):"]
    players = list(doc["values"])
    states = list(doc["q_values"])
    lines += aligned_rows([["state"] + players]
                          + [[s] + [number_text(doc["values"][p][s]) for p in players] for s in states], "  ")
    if "expected_return" in doc:
        lines.append("  from the initial distribution: "
                     + ", ".join(f"{p} {number_text(v)}" for p, v in doc["expected_return"].items()))
    lines += ["", "Q^π(s, a):"]
    for s in states:
        lines.append(f"  state {s}:")
        rows = [["(" + ", ".join(row["joint"]) + ")"] + [number_text(row["values"][p]) for p in players]
                for row in doc["q_values"][s]]
        lines += aligned_rows([["joint action"] + players] + rows, "    ")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from jalverify.errors import UnsupportedGame
    from jalverify.games.formats import load_policy
    from jalverify.games.formats.reading import read_game
    from jalverify.games.stochastic import StochasticGame
    from jalverify.solvers.evaluation import evaluate_policy

    game = read_game(args.file).game
    if not isinstance(game, StochasticGame):
        raise UnsupportedGame(f"evaluate: {args.file} holds a {type(game).__name__}; policy evaluation needs a "
                              "stochastic game")
    if args.field == "float":
        from jalverify.cli.commands.solve import check_float_data

        check_float_data(game)
    policy = load_policy(args.policy, game)
    values = evaluate_policy(game, policy, field=args.field)
    doc = evaluation_document(values)
    if args.format == "json":
        print(json.dumps(doc, indent=2))
    else:
        print(_text(doc))
    return 0
