"""Reading a game named the way every command names one: ``catalog:<name>``, a Gambit ``.nfg`` file, or a
``jalverify.game/1`` JSON file (any other extension).

The command line (``jalverify show``, ``solve``, ``learn`` ...) and experiment campaigns read games through
:func:`read_game`, so a campaign's ``games = [...]`` accepts exactly what the commands accept.
"""

from __future__ import annotations

from dataclasses import dataclass

from jalverify.games import catalog
from jalverify.games.formats.json_format import load_game_document
from jalverify.games.formats.nfg import load_nfg
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame

__all__ = ["LoadedGame", "read_game"]


@dataclass(frozen=True)
class LoadedGame:
    """A game with where it came from and its file metadata."""

    game: NormalFormGame | StochasticGame
    source: str
    citation: str | None = None
    notes: str | None = None


def read_game(spec: str) -> LoadedGame:
    """Read ``spec``: ``catalog:<name>``, a ``.nfg`` file, or a JSON game file (any other extension).

    Raises
    ------
    InvalidFile, UnknownName, OSError
    """
    if spec.startswith("catalog:"):
        doc = catalog.document(spec[len("catalog:"):])
        return LoadedGame(doc.game, spec, doc.citation, doc.notes)
    if spec.lower().endswith(".nfg"):
        return LoadedGame(load_nfg(spec), spec)
    doc = load_game_document(spec)
    return LoadedGame(doc.game, spec, doc.citation, doc.notes)
