"""Helpers shared by the two-player solvers: read a bimatrix game as positive integer matrices."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from jalverify.errors import InvalidNumber, UnsupportedGame
from jalverify.games.normal_form import NormalFormGame
from jalverify.numbers import Field

__all__ = ["require_two_players", "exact_payoffs", "positive_integer_matrices", "target_game"]


def require_two_players(game: NormalFormGame, where: str) -> None:
    if not isinstance(game, NormalFormGame):
        raise UnsupportedGame(f"{where}: expected a NormalFormGame, got {type(game).__name__}")
    if game.n_players != 2:
        raise UnsupportedGame(
            f"{where}: this method needs a two-player (bimatrix) game, got {game.n_players} players; "
            "use method='support_enumeration_n' or 'pure' for n players"
        )


def exact_payoffs(game: NormalFormGame) -> np.ndarray:
    """The payoff array as Fractions (float games are converted exactly, binary value by binary value)."""
    if game.field.exact:
        return game.payoffs
    return np.vectorize(lambda v: Fraction(float(v)), otypes=[object])(game.payoffs)


def _positive_integer(matrix: np.ndarray) -> list[list[int]]:
    """Scale by the lcm of denominators and shift so that the minimum entry is 1.  Equilibria are unchanged
    (a positive affine map of one player's payoffs preserves her best responses)."""
    values = [Fraction(v) for v in matrix.reshape(-1).tolist()]
    lcm = 1
    for v in values:
        lcm = lcm * v.denominator // math.gcd(lcm, v.denominator)
    ints = [int(v * lcm) for v in values]
    low = min(ints)
    shifted = [v - low + 1 for v in ints]
    rows, cols = matrix.shape
    return [shifted[r * cols:(r + 1) * cols] for r in range(rows)]


def positive_integer_matrices(game: NormalFormGame) -> tuple[list[list[int]], list[list[int]]]:
    """``(A', B')``: each player's payoff matrix (rows = player 0's actions) as positive integers."""
    payoffs = exact_payoffs(game)
    return _positive_integer(payoffs[0]), _positive_integer(payoffs[1])


def target_game(game: NormalFormGame, field: Field, where: str) -> NormalFormGame:
    """The game in the field the answer is requested in.

    An exact answer on a float game is refused (the caller should convert explicitly, e.g.
    ``game.to_field("exact", allow_float=True)``), so that no exact claim is made about rounded data.
    """
    if field.exact and not game.field.exact:
        raise InvalidNumber(
            f"{where}: an exact answer was requested for a game with float payoffs; convert it first with "
            "game.to_field('exact', allow_float=True) (exact binary values) or ask for field='float'"
        )
    if field == game.field:
        return game
    return game.to_field(field)
