"""``jalverify convert IN OUT``: convert a game between the JSON format, Gambit's ``.nfg`` and OpenSpiel (by
extension and scheme).

``IN`` may also be ``catalog:<name>`` or ``openspiel:<game string>`` (``openspiel:matrix_rps``,
``openspiel:blotto(coins=4,fields=2)``: any OpenSpiel game that ends after one simultaneous move), read through
:mod:`jalverify.adapters.openspiel_games`: OpenSpiel's doubles become their exact binary values, or with
``--openspiel-payoffs short-decimal`` the short decimals they round from (refused when one is not short).
``.nfg`` output holds normal-form games only; ``--nfg-version payoff`` writes Gambit's payoff version (strategy
labels are lost), the default outcome version keeps them.  ``.py`` output is a Python file that rebuilds a
normal-form game in OpenSpiel (``game = pyspiel.create_matrix_game(...)`` or ``create_tensor_game``; OpenSpiel
has no file format for them); a payoff that is not exactly a double is refused unless ``--allow-rounding``, and the
largest rounding error is printed.  ``--format json`` prints a machine-readable report of what was written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from jalverify.errors import InvalidFile, InvalidOption, UnsupportedGame
from jalverify.files import write_text_atomically
from jalverify.games.formats.json_format import save_game
from jalverify.games.formats.nfg import save_nfg
from jalverify.games.formats.reading import LoadedGame, read_game
from jalverify.games.normal_form import NormalFormGame

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "convert",
        help="convert a game between JSON (.json), Gambit (.nfg) and OpenSpiel (openspiel:NAME in, .py out)",
        description="Convert a game file. The output format follows OUT's extension: .nfg for Gambit's strategic "
        "format (normal-form games only), .py for a Python file that builds the game in OpenSpiel (normal-form "
        "games only), anything else for the jalverify.game/1 JSON format. Numbers stay exact where the formats "
        "allow: OpenSpiel stores doubles.",
    )
    parser.add_argument("input", metavar="IN",
                        help="a .json or .nfg game file, catalog:<name>, or openspiel:<game string> (e.g. "
                             "openspiel:matrix_rps)")
    parser.add_argument("output", metavar="OUT", help="the file to write (.nfg, .py or .json)")
    parser.add_argument("--nfg-version", choices=("outcome", "payoff"), default=None,
                        help="which .nfg variant to write (default: outcome, which keeps strategy labels)")
    parser.add_argument("--openspiel-payoffs", choices=("exact-binary", "short-decimal"), default=None,
                        help="how to read an openspiel: game's doubles: their exact binary values (default), or the "
                             "decimals of at most 15 significant digits they round from (refused if one is not)")
    parser.add_argument("--allow-rounding", action="store_true",
                        help=".py output: round payoffs that are not doubles to the nearest double (the largest "
                             "rounding error is printed); without it such a game is refused")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    parser.set_defaults(func=run)


def _read(args: argparse.Namespace) -> tuple[LoadedGame, Any]:
    """The input game and, for an ``openspiel:`` input, how its doubles were read (a ``PayoffReading``)."""
    if not args.input.startswith("openspiel:"):
        if args.openspiel_payoffs is not None:
            raise InvalidOption(f"convert: --openspiel-payoffs applies to openspiel: input, not to {args.input}")
        return read_game(args.input), None
    from jalverify.adapters.openspiel_games import CITATION, from_openspiel

    read = from_openspiel(args.input[len("openspiel:"):].strip(), reading=args.openspiel_payoffs or "exact-binary")
    return LoadedGame(read.game, args.input, f"{CITATION}; game {read.source}", read.notes), read.reading


def _write_openspiel_python(args: argparse.Namespace, loaded: LoadedGame, out: Path) -> tuple[str, dict[str, Any]]:
    """Write the ``.py`` file; return the sentence and the JSON facts about rounding."""
    from jalverify.adapters.openspiel_games import openspiel_python_source

    if not isinstance(loaded.game, NormalFormGame):
        raise UnsupportedGame(f"convert: {args.input} is a stochastic game; .py output holds normal-form games only "
                              "(export stochastic games with jalverify.adapters.openspiel_games.export_stochastic_game)")
    source = openspiel_python_source(loaded.game, allow_rounding=args.allow_rounding, source=args.input,
                                     file_name=out.name)
    write_text_atomically(out, source.text)
    return source.rounding_note, {"rounded": source.rounded, "max_rounding_error": str(source.max_rounding_error)}


def run(args: argparse.Namespace) -> int:
    out = Path(args.output)
    suffix = out.suffix.lower()
    if args.nfg_version is not None and suffix != ".nfg":
        raise UnsupportedGame(f"convert: --nfg-version applies to .nfg output, not to {args.output}")
    if args.allow_rounding and suffix != ".py":
        raise InvalidOption(f"convert: --allow-rounding applies to .py (OpenSpiel) output, not to {args.output}")
    if out.is_dir():
        raise InvalidFile(f"convert: OUT {args.output} is a directory; give a file name (.json, .nfg or .py)")
    args.nfg_version = args.nfg_version or "outcome"
    loaded, reading = _read(args)
    game = loaded.game
    notes: list[str] = [] if reading is None else [reading.description]
    rounding: dict[str, Any] = {}
    if suffix == ".nfg":
        if not isinstance(game, NormalFormGame):
            raise UnsupportedGame(
                f"convert: {args.input} is a stochastic game; the .nfg format holds normal-form games only"
            )
        save_nfg(game, out, version=args.nfg_version)
        target = f"nfg ({args.nfg_version} version)"
    elif suffix == ".py":
        note, rounding = _write_openspiel_python(args, loaded, out)
        notes.append(note)
        target = "openspiel_python (pyspiel.create_matrix_game)" if game.n_players == 2 else \
            "openspiel_python (pyspiel.create_tensor_game)"
    else:
        save_game(game, out, citation=loaded.citation, notes=loaded.notes)
        target = "json (jalverify.game/1)"
    if args.format == "json":
        report: dict[str, Any] = {"input": args.input, "output": str(out), "format": target.split(" ")[0],
                                  "kind": "normal_form" if isinstance(game, NormalFormGame) else "stochastic"}
        if reading is not None:
            report["payoff_reading"] = reading.value
        report.update(rounding)
        json.dump(report, sys.stdout)
        sys.stdout.write("\n")
    else:
        print(f"wrote {out} ({target}) from {args.input}" + "".join(f"; {n}" for n in notes))
    return 0
