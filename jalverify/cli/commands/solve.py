"""``jalverify solve FILE --concept CONCEPT``: solve a game for a solution concept.

``FILE`` is a ``jalverify.game/1`` JSON file, a Gambit ``.nfg`` file or ``catalog:<name>``.  Concepts for
normal-form games:

* ``minimax``: value and optimal strategies of a two-player zero-sum / constant-sum game, with the exact
  certificate (:func:`jalverify.solvers.minimax.minimax_solve`);
* ``ce`` / ``cce``: a (coarse) correlated equilibrium selected by ``--objective`` (utilitarian by default;
  egalitarian, republican, libertarian, or ``none`` for any CE) (:func:`jalverify.solvers.correlated.correlated_solve`);
* ``nash`` / ``pure-nash``: handlers in :mod:`jalverify.cli.commands.solve_nash`.

Dispatch: :data:`CONCEPTS` maps a concept to ``handler(args, game) -> exit code`` for normal-form games;
:data:`STOCHASTIC_CONCEPTS` does the same for stochastic games (add an entry there to support a concept on
stochastic games).  Exact numbers print as ``"p/q"`` strings in JSON.  Exit codes: 0 solved, 1 solver failure,
2 bad input.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from jalverify.errors import InvalidNumber, UnsupportedGame
from jalverify.numbers import format_number

__all__ = ["register", "run", "CONCEPTS", "STOCHASTIC_CONCEPTS", "minimax_document", "correlated_document"]

Handler = Callable[[argparse.Namespace, Any], int]

#: ``solve --concept nash --all`` refuses games with more support profiles than this unless ``--max-supports``.
DEFAULT_MAX_SUPPORTS = 1 << 20

#: Options that only apply to some concepts (the flag, the attribute, the concepts).
_CONCEPT_OPTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("--objective", "objective", ("ce", "cce")),
    ("--tie-break", "tie_break", ("ce", "cce")),
    ("--all", "all", ("nash",)),
    ("--max-supports", "max_supports", ("nash",)),
    ("--time-limit", "time_limit", ("nash", "minimax")),
)


def _num(x: Any) -> Any:
    return format_number(x)


def _strategy(game: Any, player: int, dist: Any) -> dict[str, Any]:
    return {game.actions[player][a]: _num(p) for a, p in enumerate(dist)}


def _print(args: argparse.Namespace, doc: dict[str, Any], text: Callable[[dict[str, Any]], str]) -> None:
    if getattr(args, "format", "text") == "json":
        print(json.dumps(doc, indent=2))
    else:
        print(text(doc))


# --------------------------------------------------------------------------------------------------------------
# minimax
# --------------------------------------------------------------------------------------------------------------
def minimax_document(game: Any, result: Any) -> dict[str, Any]:
    """JSON-ready document of a :class:`~jalverify.solvers.minimax.MinimaxResult`: its
    :meth:`~jalverify.solvers.minimax.MinimaxResult.to_dict` (one builder for the CLI and the API)."""
    return result.to_dict(game)


def _minimax_text(doc: dict[str, Any]) -> str:
    players = list(doc["values"])
    lines = [f"game: {doc['game'] or '(unnamed)'}   concept: minimax   field: {doc['field']}",
             f"method: {doc['method']}   status: {doc['status']}",
             "values: " + ", ".join(f"{p} {v}" for p, v in doc["values"].items())]
    for p in players:
        lines.append(f"  {p}: " + ", ".join(f"{a}: {q}" for a, q in doc["strategies"][p].items()))
    c = doc["certificate"]
    if c["exact"]:
        lines.append(f"certificate: {players[0]}'s strategy guarantees {c['row_guarantee']} against every pure reply; "
                     f"{players[1]}'s holds every pure row to {c['column_cap']} (checked exactly)")
    else:
        lines.append(f"float: guarantee {c['row_guarantee']}, cap {c['column_cap']} (within tolerance, not proven)")
    return "\n".join(lines)


def handle_minimax(args: argparse.Namespace, game: Any) -> int:
    from jalverify.solvers.minimax import minimax_solve

    result = minimax_solve(game, field=args.field)
    _print(args, minimax_document(game, result), _minimax_text)
    return 0


# --------------------------------------------------------------------------------------------------------------
# correlated equilibria
# --------------------------------------------------------------------------------------------------------------
def correlated_document(game: Any, result: Any) -> dict[str, Any]:
    """JSON-ready document of a :class:`~jalverify.solvers.correlated.CorrelatedResult`: its
    :meth:`~jalverify.solvers.correlated.CorrelatedResult.to_dict` (one builder for the CLI and the API)."""
    return result.to_dict(game)


def _correlated_text(doc: dict[str, Any]) -> str:
    lines = [f"game: {doc['game'] or '(unnamed)'}   concept: {doc['concept']}   objective: {doc['objective']}   "
             f"field: {doc['field']}",
             f"method: {doc['method']}   status: {doc['status']}",
             f"objective value: {doc['objective_value']}",
             "payoffs: " + ", ".join(f"{p} {v}" for p, v in doc["payoffs"].items())]
    if "selected_player" in doc:
        lines.append(f"selected player (republican tie-break: lowest index): {doc['selected_player']}")

    def dist_lines(items: list[dict[str, Any]], indent: str) -> list[str]:
        return [indent + "(" + ", ".join(f"{p}: {a}" for p, a in it["joint_action"].items()) + f"): {it['probability']}"
                for it in items]

    if "distribution" in doc:
        lines.append("distribution:")
        lines += dist_lines(doc["distribution"], "  ")
    for player, items in doc.get("agent_distributions", {}).items():
        lines.append(f"{player}'s distribution:")
        lines += dist_lines(items, "  ")
    kind = "CCE" if doc["concept"] == "cce" else "CE"
    proof = "checked exactly" if doc["field"] == "exact" else "within tolerance"
    lines.append(f"max {kind} gain: {', '.join(str(g) for g in doc['max_gains'])} ({proof}; "
                 f"{doc['lp_certificates']} exact LP certificate(s))")
    if "note" in doc:
        lines.append(f"note: {doc['note']}")
    return "\n".join(lines)


def _correlated(args: argparse.Namespace, game: Any, coarse: bool) -> int:
    from jalverify.solvers.correlated import correlated_solve

    chosen = args.objective or "utilitarian"
    objective = None if chosen == "none" else chosen
    result = correlated_solve(game, coarse=coarse, objective=objective, field=args.field,
                              tie_break=args.tie_break or "basic")
    _print(args, correlated_document(game, result), _correlated_text)
    return 0


def handle_ce(args: argparse.Namespace, game: Any) -> int:
    return _correlated(args, game, coarse=False)


def handle_cce(args: argparse.Namespace, game: Any) -> int:
    return _correlated(args, game, coarse=True)


def _nash(args: argparse.Namespace, game: Any) -> int:
    from jalverify.cli.commands.solve_nash import handle_nash

    return handle_nash(args, game)


def _pure_nash(args: argparse.Namespace, game: Any) -> int:
    from jalverify.cli.commands.solve_nash import handle_pure_nash

    return handle_pure_nash(args, game)


#: Handlers for normal-form games, by concept.
CONCEPTS: dict[str, Handler] = {
    "minimax": handle_minimax,
    "ce": handle_ce,
    "cce": handle_cce,
    "nash": _nash,
    "pure-nash": _pure_nash,
}

#: Handlers for stochastic games, by concept (empty entries mean "not supported for stochastic games").
def _stochastic_minimax(args: argparse.Namespace, game: Any) -> int:
    from jalverify.cli.commands.solve_stochastic import handle_stochastic_minimax

    return handle_stochastic_minimax(args, game)


STOCHASTIC_CONCEPTS: dict[str, Handler] = {"minimax": _stochastic_minimax}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "solve",
        help="solve a game: minimax, Nash, pure Nash, CE or CCE",
        description="Solve a game for a solution concept. Exact rationals by default, with certificates "
                    "(exact LP optimality, exact regrets/gains); --float uses HiGHS within tolerance.",
    )
    parser.add_argument("file", metavar="FILE", help="a jalverify.game/1 JSON file, a Gambit .nfg file, or catalog:<name>")
    parser.add_argument("--concept", required=True, choices=tuple(CONCEPTS), help="solution concept")
    parser.add_argument("--objective", default=None,
                        choices=("utilitarian", "egalitarian", "republican", "libertarian", "none"),
                        help="selection objective for ce/cce (default utilitarian)")
    parser.add_argument("--tie-break", dest="tie_break", default=None, choices=("basic", "lexicographic"),
                        help="which maximiser for ce/cce: the certified optimal basic solution (default) or the "
                             "lexicographically greatest optimal distribution")
    parser.add_argument("--all", action="store_true", help="nash: every extreme equilibrium")
    parser.add_argument("--max-supports", dest="max_supports", type=int, default=None, metavar="N",
                        help="nash --all: enumerate at most N support profiles (default "
                             f"{DEFAULT_MAX_SUPPORTS:,}); larger games are refused before starting")
    parser.add_argument("--time-limit", dest="time_limit", type=float, default=None, metavar="SECONDS",
                        help="nash --all on two-player games: stop after SECONDS and list the equilibria found so "
                             "far (each certified), marked incomplete; minimax on a stochastic game, exact route: "
                             "stop after SECONDS (default 120) with 'not established'")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--exact", dest="field", action="store_const", const="exact",
                       help="exact rational arithmetic with certificates (default)")
    group.add_argument("--float", dest="field", action="store_const", const="float", help="float64 (HiGHS)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    parser.set_defaults(func=run, field="exact")


def check_options(args: argparse.Namespace) -> None:
    """Refuse options that do not apply to the chosen concept (nothing is silently ignored)."""
    for flag, attr, concepts in _CONCEPT_OPTIONS:
        value = getattr(args, attr, None)
        if value not in (None, False) and args.concept not in concepts:
            raise UnsupportedGame(f"{flag} applies to --concept {' / '.join(concepts)}, not to "
                                  f"--concept {args.concept}")
    if args.max_supports is not None:
        if args.max_supports < 1:
            raise InvalidNumber(f"--max-supports must be an integer >= 1, got {args.max_supports}")
        if not args.all:
            raise UnsupportedGame("--max-supports bounds the enumeration of --all; give --all too")
    if args.time_limit is not None:
        if not args.time_limit > 0:
            raise InvalidNumber(f"--time-limit must be a positive number of seconds, got {args.time_limit}")
        if args.concept == "nash" and not args.all:
            raise UnsupportedGame("--time-limit bounds the enumeration of --all; give --all too")


def check_float_data(game: Any, flag: str = "--float") -> None:
    """With ``--float``: refuse, naming the JSON path and the value, data that float64 (or the float LP solver)
    cannot hold; the exact route (the default) solves them."""
    from jalverify.errors import InvalidNumber as _InvalidNumber
    from jalverify.games.normal_form import NormalFormGame
    from jalverify.numbers import FLOAT
    from jalverify.solvers.minimax import check_float_route

    if not game.field.exact:
        return
    if isinstance(game, NormalFormGame):
        arrays = [("$.payoffs", game.payoffs)]
    else:
        arrays = [(f"$.states[{s}] ({game.states[s]!r}) rewards", R) for s, R in enumerate(game.rewards)]
    for where, array in arrays:
        try:
            check_float_route(FLOAT.array(array, where=where), where)  # vectorised: distinct objects once
        except (_InvalidNumber, UnsupportedGame) as exc:
            text = str(exc).replace("; use the exact field", "").replace("; solve exactly instead", "")
            path, _, rest = text.partition(": ")
            path = path.replace(", ", "][")
            raise type(exc)(f"{flag}: {path}: {rest}; drop {flag} to compute exactly") from None


def run(args: argparse.Namespace) -> int:
    from jalverify.games.formats.reading import read_game
    from jalverify.games.normal_form import NormalFormGame

    check_options(args)
    game = read_game(args.file).game
    if args.field == "float":
        check_float_data(game)
    if args.concept == "minimax" and args.time_limit is not None and (
            isinstance(game, NormalFormGame) or args.field == "float"):
        raise UnsupportedGame("--time-limit with --concept minimax bounds the exact route on stochastic games; "
                              "this is " + ("a normal-form game (one exact LP)" if isinstance(game, NormalFormGame)
                                            else "--float (value iteration, bounded by its iteration cap)"))
    if isinstance(game, NormalFormGame):
        handler = CONCEPTS[args.concept]
    else:
        handler = STOCHASTIC_CONCEPTS.get(args.concept)
        if handler is None:
            supported = ", ".join(sorted(STOCHASTIC_CONCEPTS)) or "none yet"
            raise UnsupportedGame(f"solve --concept {args.concept}: not available for stochastic games "
                                  f"(supported: {supported})")
    return int(handler(args, game))
