"""``jalverify show FILE``: a readable summary of a game (players, actions, payoffs, states, predicates).

``FILE`` is a ``jalverify.game/1`` JSON file, a Gambit ``.nfg`` file, or ``catalog:<name>``.
``--format json`` prints a machine-readable summary instead (the game itself is included under ``"game"`` when
``--with-game`` is given).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import numpy as np

from jalverify.errors import InvalidFile
from jalverify.games.formats.json_format import dump_game
from jalverify.games.formats.reading import LoadedGame, read_game
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame
from jalverify.games.tables import aligned_rows, number_text, payoff_table_text, state_rows

__all__ = ["read_game", "register", "run", "summary"]

#: Largest number of joint actions whose payoffs are listed in the text summary of an n-player game.
MAX_LISTED_JOINT_ACTIONS = 64
#: Largest number of state-joint-action pairs of a stochastic game whose rewards and transitions are tabled per state.
MAX_TABLED_PAIRS = 64
#: Largest number of states listed one by one in the text summary of a stochastic game.
MAX_LISTED_STATES = 20


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "show",
        help="summarise a game file (.json, .nfg or catalog:<name>)",
        description="Print a readable summary of a game: players, actions, payoff tables of two-player games, "
        "per-state summaries of stochastic games, and predicates (zero-sum, symmetric, turn-based).",
    )
    parser.add_argument("file", metavar="FILE", help="a jalverify.game/1 JSON file, a Gambit .nfg file, or catalog:<name>")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--with-game", action="store_true", help="with --format json: include the full game document")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.with_game and args.format != "json":
        raise InvalidFile("show: --with-game applies to --format json (the text summary lists the game already)")
    loaded = read_game(args.file)
    info = summary(loaded)
    if args.format == "json":
        if args.with_game:
            info["game"] = dump_game(loaded.game, citation=loaded.citation, notes=loaded.notes)
        json.dump(info, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(loaded, info))
    return 0


def _num(x: Any) -> str:
    """A number for the JSON summary: exact numbers as fractions, floats in full (round-trip) precision."""
    return str(x) if not isinstance(x, float) else repr(x)


def summary(loaded: LoadedGame) -> dict[str, Any]:
    """A JSON-ready summary of the game (exact numbers as strings)."""
    game = loaded.game
    out: dict[str, Any] = {
        "source": loaded.source,
        "name": game.name,
        "citation": loaded.citation,
        "field": game.field.name,
        "players": list(game.players),
    }
    if isinstance(game, NormalFormGame):
        out["kind"] = "normal_form"
        out["actions"] = [list(a) for a in game.actions]
        out["n_joint_actions"] = game.n_joint_actions
        out["predicates"] = {
            "zero_sum": game.is_zero_sum(),
            "constant_sum": game.is_constant_sum(),
            "common_payoff": game.is_common_payoff(),
            "symmetric": game.is_symmetric(),
        }
        return out
    if not isinstance(game, StochasticGame):
        raise InvalidFile(f"show: {loaded.source}: not a game ({type(game).__name__})")
    out["kind"] = "stochastic"
    out["gamma"] = _num(game.gamma)
    out["n_states"] = game.n_states
    out["terminal_states"] = [s for s, t in zip(game.states, game.terminal) if t]
    out["initial"] = None if game.initial is None else {
        game.states[t]: _num(p) for t, p in enumerate(game.initial) if p != 0
    }
    out["n_state_joint_actions"] = sum(game.n_joint_actions(s) for s in range(game.n_states))
    out["predicates"] = {
        "zero_sum": game.is_zero_sum(),
        "turn_based": game.is_turn_based(),
        "deterministic": all(bool((np.count_nonzero(T, axis=-1) == 1).all()) for T in game.transitions),
    }
    return out


def _state_summary(game: StochasticGame, s: int) -> dict[str, Any]:
    movers = [game.players[i] for i in game.movers(s)]
    T = game.transitions[s]
    succ = np.flatnonzero(np.count_nonzero(T.reshape(-1, T.shape[-1]), axis=0)).tolist()
    return {
        "name": game.states[s],
        "terminal": game.terminal[s],
        "actions": [list(a) for a in game.actions[s]],
        "movers": movers,
        "successors": [game.states[t] for t in sorted(succ)],
    }


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def render_text(loaded: LoadedGame, info: dict[str, Any]) -> str:
    """The human-readable summary printed by ``jalverify show``."""
    game = loaded.game
    lines: list[str] = []
    title = game.name or loaded.source
    if isinstance(game, NormalFormGame):
        shape = "×".join(str(k) for k in game.n_actions)
        lines.append(f"{title}: normal-form game, {game.n_players} players, {shape} ({game.field.name} field)")
    else:
        lines.append(
            f"{title}: stochastic game, {game.n_players} players, {game.n_states} states, gamma = {number_text(game.gamma)} "
            f"({game.field.name} field)"
        )
    if loaded.citation:
        lines.append(f"source: {loaded.citation}")
    if loaded.notes:
        lines.append(f"notes: {loaded.notes}")
    if isinstance(game, NormalFormGame):
        lines.append("players and actions:")
        for p, acts in zip(game.players, game.actions):
            lines.append(f"  {p}: {', '.join(acts)}")
        if game.n_joint_actions <= MAX_LISTED_JOINT_ACTIONS:
            lines.extend(payoff_table_text(game).rstrip("\n").split("\n"))
        else:
            lines.append(f"payoffs: {game.n_joint_actions} joint actions (too many to list)")
        pred = info["predicates"]
        lines.append(
            f"zero-sum: {_yes(pred['zero_sum'])}; constant-sum: {_yes(pred['constant_sum'])}; "
            f"common payoff: {_yes(pred['common_payoff'])}; symmetric: {_yes(pred['symmetric'])}"
        )
        return "\n".join(lines) + "\n"
    if game.initial is not None:
        lines.append("initial: " + ", ".join(f"{k} {v}" for k, v in info["initial"].items()))
    lines.append(f"states ({game.n_states}; {info['n_state_joint_actions']} state-joint-action pairs):")
    small = info["n_state_joint_actions"] <= MAX_TABLED_PAIRS
    for s in range(min(game.n_states, MAX_LISTED_STATES)):
        st = _state_summary(game, s)
        if st["terminal"]:
            lines.append(f"  {st['name']}: terminal (absorbing, reward 0)")
            continue
        acts = " × ".join(f"{p} {{{', '.join(a)}}}" for p, a in zip(game.players, st["actions"]))
        movers = ", ".join(st["movers"]) or "nobody"
        lines.append(f"  {st['name']}: {acts}; moves: {movers}; next: {', '.join(st['successors'])}")
        if small:
            lines.extend(aligned_rows([["joint action"] + [f"R_{p}" for p in game.players] + ["next state"]]
                                      + state_rows(game, s), "      "))
    if game.n_states > MAX_LISTED_STATES:
        lines.append(f"  ... {game.n_states - MAX_LISTED_STATES} more states")
    pred = info["predicates"]
    lines.append(
        f"zero-sum: {_yes(pred['zero_sum'])}; turn-based: {_yes(pred['turn_based'])}; "
        f"deterministic transitions: {_yes(pred['deterministic'])}; terminal states: {len(info['terminal_states'])}"
    )
    return "\n".join(lines) + "\n"
