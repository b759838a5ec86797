"""Handlers of ``jalverify solve FILE --concept nash|pure-nash`` (wired into the ``solve`` command).

* ``--concept nash``: one equilibrium by default (exact Lemke–Howson from label 0 for two players; n-player
  support enumeration otherwise); with ``--all``, every extreme equilibrium (exact vertex enumeration for two
  players, with the connected components and maximal Nash subsets, so a continuum shows as a continuum;
  n-player support enumeration otherwise).
* ``--concept pure-nash``: all pure equilibria, any number of players.

Each handler takes the parsed arguments (``args.all``, ``args.field`` = ``"exact"``/``"float"``,
``args.format`` = ``"text"``/``"json"``) and a loaded :class:`~jalverify.games.normal_form.NormalFormGame`,
prints the answer and returns the exit code (0; 1 when the solver's status is FAILED).  Exact numbers print
as ``p/q`` strings.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

__all__ = ["handle_nash", "handle_pure_nash", "nash_document"]


def nash_document(game: Any, result: Any) -> dict[str, Any]:
    """JSON-ready document of a :class:`~jalverify.solvers.nash.NashResult`: its
    :meth:`~jalverify.solvers.nash.NashResult.to_dict` (one builder for the CLI and the API)."""
    return result.to_dict(game)


def _fmt_strategy(dist: dict[str, Any]) -> str:
    return "(" + ", ".join(f"{a}: {p}" for a, p in dist.items()) + ")"


def _text(doc: dict[str, Any]) -> str:
    head = f"game: {doc['game'] or '(unnamed)'}   concept: {doc['concept']}   field: {doc['field']}"
    if doc["concept"] == "pure-nash":
        claim = "all pure equilibria listed; mixed ones not searched"
    elif doc["complete"]:
        claim = "all extreme equilibria listed"
    elif doc["status"] == "time_limit":
        claim = "stopped by --time-limit: the equilibria found so far are listed, the full list is not established"
    else:
        claim = "not guaranteed to list all equilibria"
    lines = [head, f"method: {doc['method']}   status: {doc['status']} ({claim})"]
    cert = "exact max regret 0" if doc["field"] == "exact" else f"max regret <= {doc['tolerance']}"
    lines.append(f"{len(doc['equilibria'])} equilibri{'um' if len(doc['equilibria']) == 1 else 'a'} ({cert}):")
    for k, eq in enumerate(doc["equilibria"]):
        parts = "  ".join(f"{p} {_fmt_strategy(d)}" for p, d in eq["strategies"].items())
        lines.append(f"  [{k}] {parts}   max regret {eq['max_regret']}")
    for alg in doc.get("irrational_equilibria", []):
        parts = "  ".join(f"{p} {_fmt_strategy(d)}" for p, d in alg["strategies"].items())
        lines.append(f"  [irrational] {parts}")
    if "components" in doc:
        lines.append(f"{len(doc['components'])} connected component(s) of the equilibrium set:")
        for c, comp in enumerate(doc["components"]):
            kind = "isolated equilibrium" if comp["isolated"] else f"continuum, {len(comp['nash_subsets'])} maximal Nash subset(s)"
            lines.append(f"  component {c}: {kind}; extreme equilibria {comp['equilibria']}")
            if not comp["isolated"]:
                for subset in comp["nash_subsets"]:
                    for player, points in subset.items():
                        hull = ", ".join(_fmt_strategy(p) for p in points)
                        lines.append(f"    {player}: conv{{{hull}}}")
    for note in doc["notes"]:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def _check_game(game: Any, concept: str) -> None:
    from jalverify.errors import UnsupportedGame
    from jalverify.games.normal_form import NormalFormGame

    if not isinstance(game, NormalFormGame):
        raise UnsupportedGame(f"solve --concept {concept}: needs a normal-form game, got a {type(game).__name__}")


def _emit(args: argparse.Namespace, game: Any, result: Any) -> int:
    from jalverify.solvers.nash import NashStatus

    doc = nash_document(game, result)
    if getattr(args, "format", "text") == "json":
        print(json.dumps(doc, indent=2))
    else:
        print(_text(doc))
    return 1 if result.status is NashStatus.FAILED else 0


def support_profiles(game: Any) -> int:
    """Number of support profiles :math:`\\prod_i (2^{|A_i|} - 1)`: the size of the enumeration behind ``--all``
    (vertex enumeration visits at most this many label sets; support enumeration tries each)."""
    total = 1
    for k in game.n_actions:
        total *= (1 << k) - 1
    return total


def _check_enumeration_size(game: Any, max_supports: int | None) -> None:
    """State the size of the exponential enumeration on stderr before starting; refuse it above the bound."""
    import sys

    from jalverify.cli.commands.solve import DEFAULT_MAX_SUPPORTS
    from jalverify.errors import GameTooLarge

    bound = DEFAULT_MAX_SUPPORTS if max_supports is None else max_supports
    size = support_profiles(game)
    shape = "×".join(str(k) for k in game.n_actions)
    if size > bound:
        raise GameTooLarge(f"solve --all: the {shape} game has {size:,} support profiles, above the bound "
                           f"{bound:,}; raise it with --max-supports N (the enumeration is exponential)")
    print(f"solve --all: enumerating up to {size:,} support profiles of the {shape} game (bound {bound:,})",
          file=sys.stderr, flush=True)


def _progress(line: str) -> None:
    import sys

    print(f"solve --all: {line}", file=sys.stderr, flush=True)


def handle_nash(args: argparse.Namespace, game: Any) -> int:
    """``--concept nash``: one equilibrium, or with ``--all`` all extreme equilibria and components."""
    from dataclasses import replace

    from jalverify.errors import UnsupportedGame
    from jalverify.solvers.nash import lemke_howson_solve, nash_solve

    _check_game(game, "nash")
    field = getattr(args, "field", None) or "exact"
    if getattr(args, "all", False):
        _check_enumeration_size(game, getattr(args, "max_supports", None))
        time_limit = getattr(args, "time_limit", None)
        if game.n_players == 2:
            result = nash_solve(game, method="vertex_enumeration", field=field, time_limit=time_limit,
                                progress=_progress)
        elif time_limit is not None:
            raise UnsupportedGame("solve --time-limit: the n-player enumeration is bounded by --max-supports; "
                                  "--time-limit applies to two-player games")
        else:
            result = nash_solve(game, method="auto", field=field)
    elif game.n_players == 2:
        result = lemke_howson_solve(game, labels=[0], field=field)
    else:
        result = nash_solve(game, method="support_enumeration_n", field=field)
        if result.equilibria:
            result = replace(result, equilibria=result.equilibria[:1], certificates=result.certificates[:1],
                             notes=("one equilibrium shown; use --all for every one", *result.notes))
    return _emit(args, game, result)


def handle_pure_nash(args: argparse.Namespace, game: Any) -> int:
    """``--concept pure-nash``: all pure Nash equilibria (any number of players)."""
    from jalverify.solvers.nash import pure_nash_solve

    _check_game(game, "pure-nash")
    field = getattr(args, "field", None) or "exact"
    return _emit(args, game, pure_nash_solve(game, field=field))
