"""``jalverify nosde FILE``: NoSDE analysis of a stochastic game, and the Γ, Γ' construction.

* ``jalverify nosde FILE [--format json] [--cycle]``: does the game have a stationary deterministic equilibrium
  (and which), otherwise every deterministic profile's profitable deviation; all stationary equilibria of a
  turn-based game and whether the equilibrium is unique; with ``--cycle`` the certified cycle of greedy value
  iteration.  Exit 0 (the answer is a report, not a claim).
* ``jalverify nosde FILE --pair [--target POLICY.json | --seed S] --out PRIME.json [--reports-dir DIR]``: build Γ'
  (Zinkevich, Greenwald & Littman 2005; Albrecht et al. 2024, p.126), write it, print the Q and V comparison and
  every claim's verdict; ``--reports-dir DIR`` also stores the counterexample report (JSON + Markdown).  Exit 0 when
  every claim is proven exactly, 1 otherwise.

``FILE`` is a ``jalverify.game/1`` JSON file or ``catalog:<name>`` (e.g. ``catalog:nosde``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["analysis_document", "register", "run", "write_pair_report"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "nosde",
        help="NoSDE analysis (stationary deterministic equilibria, all stationary equilibria) and the Γ' construction",
        description="Decide exactly whether a stochastic game has a stationary deterministic equilibrium, list its "
                    "stationary equilibria (turn-based games), or build the reward-only variant Γ' with equal Q "
                    "and different V (--pair).",
    )
    parser.add_argument("file", metavar="FILE", help="stochastic game file (jalverify.game/1 JSON) or catalog:<name>")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    parser.add_argument("--max-profiles", type=int, default=None, metavar="N",
                        help="limit on deterministic stationary joint policies to enumerate (default 4096)")
    parser.add_argument("--max-support-profiles", type=int, default=None, metavar="N",
                        help="limit on support profiles for the stationary equilibria (default 1024)")
    parser.add_argument("--cycle", action="store_true",
                        help="also run greedy value iteration and certify its cycle of policies (turn-based games)")
    parser.add_argument("--pair", action="store_true", help="build Γ' (needs a NoSDE game with a unique equilibrium)")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--target", metavar="POLICY.json", help="the target policy π' (jalverify.policy/1)")
    target.add_argument("--seed", type=int, default=None, help="with --pair: seed for drawing π' on π's supports "
                                                              "(default 0)")
    parser.add_argument("--out", metavar="PRIME.json", help="where to write Γ' (required with --pair)")
    parser.add_argument("--reports-dir", dest="report", metavar="DIR",
                        help="with --pair: store the counterexample report (JSON + Markdown) under DIR")
    parser.add_argument("--report", dest="report_old", metavar="DIR", help=argparse.SUPPRESS)
    from jalverify.cli.html_option import add_html_argument

    add_html_argument(parser)
    parser.set_defaults(func=run)


def _load(spec: str) -> Any:
    from jalverify.errors import InvalidFile
    from jalverify.games.formats.reading import read_game
    from jalverify.games.stochastic import StochasticGame

    game = read_game(spec).game
    if not isinstance(game, StochasticGame):
        raise InvalidFile(f"nosde: {spec}: expected a stochastic game, got a {type(game).__name__}")
    return game


def analysis_document(game: Any, *, max_profiles: int | None = None, max_support_profiles: int | None = None,
                      cycle: bool = False) -> dict[str, Any]:
    """NoSDE detection, stationary equilibria (turn-based games) and optionally the value-iteration cycle."""
    from jalverify.nosde import (
        find_stationary_deterministic_equilibrium,
        turn_based_stationary_equilibria,
        value_iteration_cycle,
    )
    from jalverify.nosde.report import cycle_document, detection_document, equilibria_document
    from jalverify.numbers import format_number

    detection = find_stationary_deterministic_equilibrium(
        game, **({} if max_profiles is None else {"max_profiles": max_profiles}))
    doc: dict[str, Any] = {"game": game.name, "players": list(game.players), "states": list(game.states),
                           "gamma": format_number(game.gamma), "turn_based": game.is_turn_based(),
                           "stationary_deterministic_equilibrium": detection_document(detection)}
    if game.is_turn_based():
        kw = {} if max_support_profiles is None else {"max_support_profiles": max_support_profiles}
        doc["stationary_equilibria"] = equilibria_document(turn_based_stationary_equilibria(game, **kw))
    else:
        doc["stationary_equilibria"] = {"computed": False,
                                        "reason": "the game is not turn-based; support enumeration here needs one "
                                                  "mover per state"}
    if cycle:
        if game.is_turn_based() and game.gamma != 0:
            doc["value_iteration"] = cycle_document(value_iteration_cycle(game))
        else:
            doc["value_iteration"] = {"computed": False, "reason": "needs a turn-based game with gamma > 0"}
    return doc


def _print_analysis(doc: dict[str, Any]) -> None:
    sde = doc["stationary_deterministic_equilibrium"]
    print(f"game {doc['game']}: {len(doc['players'])} players, {len(doc['states'])} states, gamma {doc['gamma']}"
          f"{', turn-based' if doc['turn_based'] else ''}")
    if sde["nosde"]:
        print(f"stationary deterministic equilibrium: none (NoSDE); each of the {sde['n_profiles']} deterministic "
              f"profiles has a profitable one-shot deviation:")
        for d in sde["deviations"]:
            prof = "; ".join(f"{s}: {', '.join(a)}" for s, a in d["profile"].items())
            print(f"  [{prof}]  {d['player']} gains {d['gain']} by playing {d['action']} once in {d['state']}")
    else:
        print(f"stationary deterministic equilibrium: {sde['verdict']['witness']['equilibrium']}")
    eq = doc["stationary_equilibria"]
    if eq.get("computed") is False:
        print(f"stationary equilibria: not computed ({eq['reason']})")
    else:
        status = eq["uniqueness"]["status"]
        tag = {"proven": "unique (proven exactly)", "refuted": "not unique", "not_established": "uniqueness not established"}[status]
        print(f"stationary equilibria ({'complete' if eq['complete'] else 'incomplete'} enumeration of "
              f"{eq['n_support_profiles']} support profiles): {len(eq['equilibria'])} found, {tag}")
        for k, e in enumerate(eq["equilibria"], 1):
            pol = "; ".join(f"{s}: " + " | ".join(f"{p} " + ", ".join(f"{a} {x}" for a, x in d.items())
                                                 for p, d in per.items() if len(d) > 1)
                            for s, per in e["policy"].items())
            vals = "; ".join(f"{p} (" + ", ".join(f"{s} {v}" for s, v in row.items()) + ")" for p, row in e["V"].items())
            print(f"  #{k}: {pol}")
            print(f"      V: {vals}")
        for c in eq["open_cases"]:
            print(f"  open case ({c['kind']}) for supports {c['supports']}: {c['detail']}")
    if "value_iteration" in doc:
        vi = doc["value_iteration"]
        if vi.get("computed") is False:
            print(f"greedy value iteration: not run ({vi['reason']})")
        else:
            print(f"greedy value iteration: {vi['verdict']['message']}")


def write_pair_report(pair: Any, directory: str | Path, stem: str) -> tuple[Path, Path]:
    """Store the counterexample report of a verified pair: ``<stem>.json`` (``jalverify.counterexample/1`` of
    ``nosde.q_determines_policy`` on Γ, replayable with ``jalverify replay``, plus the full pair data) and
    ``<stem>.md`` (Γ and Γ' side by side)."""
    from jalverify.files import write_text_atomically

    (json_path, json_text), (md_path, md_text) = pair_report_files(pair, directory, stem)
    write_text_atomically(json_path, json_text, make_parents=True)
    write_text_atomically(md_path, md_text, make_parents=True)
    return json_path, md_path


def pair_report_files(pair: Any, directory: str | Path, stem: str) -> tuple[tuple[Path, str], tuple[Path, str]]:
    """The paths and texts of the report that :func:`write_pair_report` stores, computed without writing."""
    from jalverify.nosde.report import pair_document, pair_markdown
    from jalverify.reports.store import build_report
    from jalverify.theorems.nosde import check_q_determines_policy
    from jalverify.theorems.registry import THEOREMS, load_all

    load_all()
    theorem = THEOREMS["nosde.q_determines_policy"]
    verdict = check_q_determines_policy(pair.game)
    folder = Path(directory)
    report = build_report(theorem=theorem, verdict=verdict, arguments=(pair.game,),
                          generation={"source": "jalverify nosde --pair", "target": "seed 0 (the check's own Γ')"},
                          reports_dir=folder.parent if folder.name == "nosde" else folder)
    report["replay"] = f"jalverify replay {(folder / (stem + '.json')).as_posix()}"
    report["pair"] = pair_document(pair)
    json_path, md_path = folder / f"{stem}.json", folder / f"{stem}.md"
    return ((json_path, json.dumps(report, indent=1, ensure_ascii=False) + "\n"),
            (md_path, pair_markdown(pair, replay=report["replay"])))


def _print_pair(pair: Any) -> None:
    from jalverify.nosde.report import policy_text, q_rows, v_rows

    print(f"Γ  = {pair.game.name}: unique stationary equilibrium π  = {policy_text(pair.policy)}")
    print(f"Γ' = {pair.prime.name}: target π' = {policy_text(pair.target)}")
    print("Q (must be equal) and rewards:")
    print(f"  {'state':6} {'action':8} {'player':10} {'R':>8} {'R`':>8} {'Q^{π,Γ}':>10} {'Q^{π`,Γ`}':>10}")
    for r in q_rows(pair):
        print(f"  {r['state']:6} {r['action']:8} {r['player']:10} {r['reward_gamma']:>8} {r['reward_prime']:>8} "
              f"{r['q_gamma']:>10} {r['q_prime']:>10}")
    print("V (must differ somewhere):")
    for r in v_rows(pair):
        mark = "" if r["v_gamma"] == r["v_prime"] else "   differs"
        print(f"  {r['state']:6} {r['player']:10} {r['v_gamma']:>10} {r['v_prime']:>10}{mark}")
    print("claims:")
    for v in pair.verdicts:
        print(f"  {v}")


def _check_options(args: argparse.Namespace) -> None:
    """Refuse values out of range and options that do not apply (nothing is silently ignored)."""
    from jalverify.errors import InvalidNumber, UnsupportedGame

    if args.report_old is not None:
        print("jalverify nosde: --report is now spelled --reports-dir (as in verify and validate); using it",
              file=sys.stderr)
        args.report = args.report_old
    for flag, attr in (("--max-profiles", "max_profiles"), ("--max-support-profiles", "max_support_profiles")):
        value = getattr(args, attr)
        if value is not None and value < 1:
            raise InvalidNumber(f"{flag} must be an integer >= 1, got {value}")
    if args.pair:
        for flag, attr in (("--cycle", "cycle"), ("--max-profiles", "max_profiles"),
                           ("--max-support-profiles", "max_support_profiles")):
            if getattr(args, attr) not in (None, False):
                raise UnsupportedGame(f"{flag} applies to the NoSDE analysis, not to --pair")
        if not args.out:
            raise UnsupportedGame("--pair needs --out PRIME.json (where to write Γ')")
        if Path(args.out).is_dir():
            raise UnsupportedGame(f"--out {args.out} is a directory; give a file name for Γ'")
    else:
        for flag, attr in (("--out", "out"), ("--reports-dir", "report"), ("--target", "target"), ("--seed", "seed")):
            if getattr(args, attr) is not None:
                raise UnsupportedGame(f"{flag} applies to --pair (the Γ' construction); give --pair or drop {flag}")


def run(args: argparse.Namespace) -> int:
    from jalverify.cli.html_option import check_html_argument, write_html_report
    from jalverify.errors import UnsupportedGame
    from jalverify.files import write_text_atomically
    from jalverify.games.formats import dump_game, dumps_json, load_policy
    from jalverify.nosde import build_reward_pair
    from jalverify.nosde.report import pair_document

    _check_options(args)
    check_html_argument(args)
    game = _load(args.file)
    if not args.pair:
        if args.max_support_profiles is not None and not game.is_turn_based():
            raise UnsupportedGame(f"--max-support-profiles applies to turn-based games; {args.file} is not "
                                  "turn-based (its stationary equilibria are not enumerated)")
        doc = analysis_document(game, max_profiles=args.max_profiles, max_support_profiles=args.max_support_profiles,
                                cycle=args.cycle)
        write_html_report(args, "nosde", [("nosde", json.loads(dumps_json(doc)), "")],
                          title=f"jalverify nosde: {game.name or args.file}")
        if args.format == "json":
            print(dumps_json(doc), end="")
        else:
            _print_analysis(doc)
        return 0
    target = load_policy(args.target, game) if args.target else None
    pair = build_reward_pair(game, target, seed=0 if args.seed is None else args.seed)
    # everything is computed before anything is written: a failure leaves no file behind
    prime_text = dumps_json(dump_game(
        pair.prime, citation="Γ' of the NoSDE construction (Zinkevich, Greenwald & Littman 2005)",
        notes=f"Rewards R'_i(s,a) = Q_i(s,a) - γ Σ T V'_i with Q from {game.name!r}; same transitions."))
    files: list[tuple[Path, str]] = []
    if args.report:
        stem = (game.name or "game").replace("'", "_prime") + "_pair"
        files = list(pair_report_files(pair, args.report, stem))
    pair_doc = pair_document(pair)
    pair_doc["out"] = str(args.out)
    output = dumps_json(pair_doc) if args.format == "json" else None
    write_text_atomically(args.out, prime_text)
    for path, text in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(path, text)
    write_html_report(args, "nosde", [("nosde_pair", json.loads(dumps_json(pair_doc)), "")],
                      title=f"jalverify nosde --pair: {game.name or args.file}")
    if output is not None:
        print(output, end="")
    else:
        _print_pair(pair)
        print(f"wrote Γ' to {args.out}")
        if files:
            print(f"wrote report {files[0][0]} and {files[1][0]}")
    return 0 if pair.proven else 1
