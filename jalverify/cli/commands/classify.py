"""``jalverify classify FILE``: Nash-Q stage conditions (Hu & Wellman 2003; theory.md §4).

Decides exactly whether a normal-form game has a global optimal point and/or a saddle point and lists them
(:func:`jalverify.solvers.nash_q_conditions.classify_stage_game`).  For a stochastic game every state's
expected-reward game is classified; note that Nash-Q's conditions concern the games built from the *current
Q estimates*, which the reward games only start.  Exit code 0; 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

__all__ = ["classification_document", "register", "run"]

#: Text output lists at most this many points per category (JSON lists all).
MAX_LISTED = 8


def classification_document(game: Any, c: Any) -> dict[str, Any]:
    """JSON-ready document of a :class:`~jalverify.solvers.nash_q_conditions.StageClassification`: its
    :meth:`~jalverify.solvers.nash_q_conditions.StageClassification.to_dict` (one builder for the CLI and the
    API)."""
    return c.to_dict(game)


def _labelled(values: dict[str, Any]) -> str:
    """``{"row": "1", "column": "0"}`` as ``row 1, column 0``."""
    return ", ".join(f"{name} {value}" for name, value in values.items())


def _text(label: str, doc: dict[str, Any]) -> str:
    from jalverify.games.tables import vector_text

    lines = [(f"{label}: {doc['kind']}   (method: {doc['method']}; "
              f"{'complete listing' if doc['complete'] else 'listing not proven complete'}"
              f"{'' if doc['saddle_decided'] else '; absence of mixed saddle points NOT proven'})")]
    for key, pay, title in (("global_optima", "global_payoffs", "global optima"),
                            ("saddle_points", "saddle_payoffs", "saddle points")):
        items = doc[key]
        if items:
            lines.append(f"  {title} ({len(items)}; payoffs {_labelled(doc[pay])}):")
            lines += ["    " + ", ".join(f"{player} {vector_text(d.values(), d.keys())}" for player, d in p.items())
                      for p in items[:MAX_LISTED]]
            if len(items) > MAX_LISTED:
                lines.append(f"    ... and {len(items) - MAX_LISTED} more (--format json lists all)")
    return "\n".join(lines)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "classify",
        help="Nash-Q stage conditions: global optimal points and saddle points, decided exactly",
        description="Decide exactly whether a stage game has a global optimal point and/or a saddle point "
                    "(Hu & Wellman 2003). For a stochastic game, each state's expected-reward game.",
    )
    parser.add_argument("file", metavar="FILE", help="a jalverify.game/1 JSON file, a Gambit .nfg file, or catalog:<name>")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from jalverify.games.formats.reading import read_game
    from jalverify.games.normal_form import NormalFormGame
    from jalverify.solvers.nash_q_conditions import classify_stage_game

    game = read_game(args.file).game
    if isinstance(game, NormalFormGame):
        stages = [(game.name or args.file, game)]
    else:
        stages = [(f"state {s}", NormalFormGame(game.expected_rewards(j), game.players, game.actions[j],
                                                 field=game.field))
                  for j, s in enumerate(game.states)]
    docs = {label: classification_document(g, classify_stage_game(g)) for label, g in stages}
    if args.format == "json":
        out: Any = next(iter(docs.values())) if isinstance(game, NormalFormGame) else {"states": docs}
        print(json.dumps(out, indent=2))
    else:
        print("\n".join(_text(label, doc) for label, doc in docs.items()))
    return 0
