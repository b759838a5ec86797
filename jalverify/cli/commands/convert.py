"""``jalverify convert IN OUT``: convert a game between the JSON format and Gambit's ``.nfg`` (by extension).

``IN`` may also be ``catalog:<name>``.  ``.nfg`` output holds normal-form games only; ``--nfg-version payoff``
writes Gambit's payoff version (strategy labels are lost), the default outcome version keeps them.
``--format json`` prints a machine-readable report of what was written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from jalverify.errors import InvalidFile, UnsupportedGame
from jalverify.games.formats.json_format import save_game
from jalverify.games.formats.nfg import save_nfg
from jalverify.games.formats.reading import read_game
from jalverify.games.normal_form import NormalFormGame

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "convert",
        help="convert a game between JSON (.json) and Gambit (.nfg), by file extension",
        description="Convert a game file. The output format follows OUT's extension: .nfg for Gambit's strategic "
        "format (normal-form games only), anything else for the jalverify.game/1 JSON format. Numbers stay exact.",
    )
    parser.add_argument("input", metavar="IN", help="a .json or .nfg game file, or catalog:<name>")
    parser.add_argument("output", metavar="OUT", help="the file to write (.nfg or .json)")
    parser.add_argument("--nfg-version", choices=("outcome", "payoff"), default=None,
                        help="which .nfg variant to write (default: outcome, which keeps strategy labels)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if args.nfg_version is not None and out.suffix.lower() != ".nfg":
        raise UnsupportedGame(f"convert: --nfg-version applies to .nfg output, not to {args.output}")
    if out.is_dir():
        raise InvalidFile(f"convert: OUT {args.output} is a directory; give a file name (.json or .nfg)")
    args.nfg_version = args.nfg_version or "outcome"
    loaded = read_game(args.input)
    game = loaded.game
    if out.suffix.lower() == ".nfg":
        if not isinstance(game, NormalFormGame):
            raise UnsupportedGame(
                f"convert: {args.input} is a stochastic game; the .nfg format holds normal-form games only"
            )
        save_nfg(game, out, version=args.nfg_version)
        target = f"nfg ({args.nfg_version} version)"
    else:
        save_game(game, out, citation=loaded.citation, notes=loaded.notes)
        target = "json (jalverify.game/1)"
    if args.format == "json":
        json.dump({"input": args.input, "output": str(out), "format": target.split(" ")[0],
                   "kind": "normal_form" if isinstance(game, NormalFormGame) else "stochastic"}, sys.stdout)
        sys.stdout.write("\n")
    else:
        print(f"wrote {out} ({target}) from {args.input}")
    return 0
