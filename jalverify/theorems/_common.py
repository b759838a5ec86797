"""Small helpers shared by the theorem modules: verdict constructors and witness formatting."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.tables import number_text
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


def _item_text(x: Any) -> str:
    if isinstance(x, (Fraction, int, float, np.integer, np.floating)) and not isinstance(x, bool):
        return number_text(x.item() if isinstance(x, (np.integer, np.floating)) else x)
    return str(x)


def vector_text(values: Iterable[Any], labels: Iterable[str] | None = None) -> str:
    """A vector for a verdict message: ``(rock 1, paper 0, scissors 0)`` with labels, ``(1/2, 1/2)`` without;
    numbers as fractions (never a list repr)."""
    items = [_item_text(x) for x in (values.tolist() if isinstance(values, np.ndarray) else values)]
    if labels is not None:
        items = [f"{label} {x}" for label, x in zip(labels, items)]
    return "(" + ", ".join(items) + ")"


def vectors_text(rows: Iterable[Iterable[Any]]) -> str:
    """Several vectors (a matrix, per-player payoffs, ...) for a message: ``(1, 0); (0, 1)``."""
    return "; ".join(vector_text(r) for r in rows)


def profile_text(game: NormalFormGame, distributions: Iterable[Iterable[Any]]) -> str:
    """A mixed profile for a message: ``row (heads 1/2, tails 1/2), column (heads 1, tails 0)``; a profile whose
    shape does not fit the game (a broken solver answer) is written without labels."""
    dists = [list(d.tolist() if isinstance(d, np.ndarray) else d) for d in distributions]
    if len(dists) != game.n_players or any(len(d) != k for d, k in zip(dists, game.n_actions)):
        return vectors_text(dists)
    return ", ".join(f"{p} {vector_text(d, game.actions[i])}" for i, (p, d) in enumerate(zip(game.players, dists)))


def joint_text(game: NormalFormGame, joint: Iterable[Any]) -> str:
    """A joint action for a message, by action names: ``(heads, tails)`` (indices or names accepted)."""
    names = [game.actions[i][a] if isinstance(a, (int, np.integer)) else str(a) for i, a in enumerate(joint)]
    return "(" + ", ".join(names) + ")"


def state_joint_text(game: Any, s: int, joint: Iterable[int]) -> str:
    """A joint action of state ``s`` of a stochastic game for a message, by action names: ``(keep, noop)``."""
    return "(" + ", ".join(game.actions[s][i][int(a)] for i, a in enumerate(joint)) + ")"


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
