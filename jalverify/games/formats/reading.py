"""Reading a game named the way every command names one: ``catalog:<name>``, a Gambit ``.nfg`` file, or a
``jalverify.game/1`` JSON file (any other extension), or ``<scheme>:<rest>`` for a registered scheme.

The command line (``jalverify show``, ``solve``, ``learn`` ...) and experiment campaigns read games through
:func:`read_game`, so a campaign's ``games = [...]`` accepts exactly what the commands accept.

Schemes other than ``catalog:`` are read by a registered reader (:func:`register_reader`), named by
``"module:function"`` and imported on first use, so this layer imports no layer above it: ``openspiel:<game
string>`` (``openspiel:matrix_rps``, ``openspiel:blotto(coins=4,fields=2)``) is read by
:func:`jalverify.adapters.openspiel_games.read_openspiel_spec`, which needs the ``openspiel`` extra.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from jalverify.games import catalog
from jalverify.games.formats.json_format import load_game_document
from jalverify.games.formats.nfg import load_nfg
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame

__all__ = ["LoadedGame", "read_game", "register_reader"]


@dataclass(frozen=True)
class LoadedGame:
    """A game with where it came from and its file metadata."""

    game: NormalFormGame | StochasticGame
    source: str
    citation: str | None = None
    notes: str | None = None


Reader = Callable[[str], LoadedGame]

#: ``scheme -> reader`` for specs ``<scheme>:<rest>``: a function of the whole spec, or its ``"module:function"``
#: (imported on first use).
_READERS: dict[str, Reader | str] = {"openspiel": "jalverify.adapters.openspiel_games:read_openspiel_spec"}


def register_reader(scheme: str, reader: Reader | str) -> None:
    """Read specs ``<scheme>:<rest>`` with ``reader`` (a function of the whole spec returning a
    :class:`LoadedGame`, or the ``"module:function"`` of one); a scheme registered before is replaced."""
    _READERS[scheme] = reader


def _reader(scheme: str) -> Reader:
    reader = _READERS[scheme]
    if isinstance(reader, str):
        module, _, function = reader.partition(":")
        reader = getattr(importlib.import_module(module), function)
        _READERS[scheme] = reader
    return reader


def read_game(spec: str) -> LoadedGame:
    """Read ``spec``: ``catalog:<name>``, ``<scheme>:<rest>`` for a registered scheme (``openspiel:matrix_rps``),
    a ``.nfg`` file, or a JSON game file (any other extension).

    Raises
    ------
    InvalidFile, UnknownName, OSError
    MissingExtra
        A scheme's reader needs an optional dependency (``openspiel:`` needs ``jalverify[openspiel]``).
    """
    scheme = spec.split(":", 1)[0] if ":" in spec else ""
    if scheme in _READERS:
        return _reader(scheme)(spec)
    if spec.startswith("catalog:"):
        doc = catalog.document(spec[len("catalog:"):])
        return LoadedGame(doc.game, spec, doc.citation, doc.notes)
    if spec.lower().endswith(".nfg"):
        return LoadedGame(load_nfg(spec), spec)
    doc = load_game_document(spec)
    return LoadedGame(doc.game, spec, doc.citation, doc.notes)
