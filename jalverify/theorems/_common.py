"""Small helpers shared by the theorem modules: verdict constructors and witness formatting."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.games.normal_form import NormalFormGame
from jalverify.numbers import EXACT
from jalverify.verdicts import Status, Verdict

__all__ = ["confirmed", "refuted", "unknown", "num", "nums", "exact_game", "matrix"]


def num(x: Any) -> Any:
    """A field element for a witness: ``"p/q"`` for exact numbers, the float otherwise."""
    if isinstance(x, (Fraction, int)) and not isinstance(x, bool):
        return str(Fraction(x))
    if isinstance(x, (float, np.floating)):
        return float(x)
    return str(x)


def nums(values: Iterable[Any]) -> list[Any]:
    return [num(v) for v in values]


def matrix(A: np.ndarray) -> list[Any]:
    """Nested lists of formatted numbers."""
    if A.ndim == 1:
        return nums(A.tolist())
    return [matrix(row) for row in A]


def confirmed(theorem: str, message: str, witness: Mapping[str, Any] | None = None) -> Verdict:
    return Verdict(theorem, Status.CONFIRMED, message, dict(witness or {}))


def refuted(theorem: str, message: str, witness: Mapping[str, Any]) -> Verdict:
    return Verdict(theorem, Status.REFUTED, message, dict(witness))


def unknown(theorem: str, message: str, witness: Mapping[str, Any] | None = None,
            tolerance: float | None = None) -> Verdict:
    return Verdict(theorem, Status.UNKNOWN, message, dict(witness or {}), tolerance)


def exact_game(game: NormalFormGame) -> NormalFormGame:
    """The game in the exact field (float payoffs are taken at their exact binary values)."""
    return game if game.field.exact else game.to_field(EXACT, allow_float=True)
