"""Fixtures shared by the stochastic-game solver tests."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from jalverify.games.stochastic import StochasticGame


@pytest.fixture
def irrational_game() -> StochasticGame:
    """One non-terminal state whose value v solves v = val([[γv, 1], [1, 0]]) = 1/(2 - γv):
    v = (1 - sqrt(1 - γ))/γ, irrational for γ = 1/2 (v = 2 - sqrt 2)."""
    acts = [[["u", "d"], ["l", "r"]], None]
    trans = [{("u", "l"): {"s": 1}, ("u", "r"): {"end": 1}, ("d", "l"): {"end": 1}, ("d", "r"): {"end": 1}}, None]
    r0 = [[0, 1], [1, 0]]
    rew = [[r0, [[-x for x in row] for row in r0]], None]
    return StochasticGame(["max", "min"], ["s", "end"], acts, trans, rew, F(1, 2), terminal=[False, True])
