"""Small helpers shared by the theorem modules: verdict constructors and witness formatting.

The text helpers for messages (:func:`vector_text`, :func:`profile_text`, ...) are those of
:mod:`jalverify.games.tables`, re-exported here for the theorem modules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.tables import joint_text, profile_text, state_joint_text, vector_text, vectors_text
from jalverify.numbers import EXACT
from jalverify.verdicts import Status, Verdict

__all__ = ["exact_game", "joint_text", "matrix", "not_established", "num", "nums", "profile_text", "proven", "refuted",
           "state_joint_text", "vector_text", "vectors_text", "within_tolerance"]


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


def proven(theorem: str, message: str, witness: Mapping[str, Any] | None = None) -> Verdict:
    """The claim holds on this case, shown exactly."""
    return Verdict(theorem, Status.PROVEN, message, dict(witness or {}))


def refuted(theorem: str, message: str, witness: Mapping[str, Any]) -> Verdict:
    return Verdict(theorem, Status.REFUTED, message, dict(witness))


def not_established(theorem: str, message: str, witness: Mapping[str, Any] | None = None,
                    tolerance: float | None = None) -> Verdict:
    """Neither shown nor refuted on this case; ``message`` says why."""
    return Verdict(theorem, Status.NOT_ESTABLISHED, message, dict(witness or {}), tolerance)


def within_tolerance(theorem: str, message: str, witness: Mapping[str, Any] | None, *, tolerance: float,
                     worst: float) -> Verdict:
    """Numerical evidence only: the claim holds up to ``tolerance``; ``worst`` is the measured worst case."""
    return Verdict(theorem, Status.WITHIN_TOLERANCE, message, dict(witness or {}), tolerance, worst)


def exact_game(game: NormalFormGame) -> NormalFormGame:
    """The game in the exact field (float payoffs are taken at their exact binary values)."""
    return game if game.field.exact else game.to_field(EXACT, allow_float=True)
