"""Greedy value iteration on the book's NoSDE game cycles (certified); with one reward changed it settles."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from jalverify.errors import UnsupportedGame
from jalverify.games.stochastic import StochasticGame
from jalverify.nosde.value_iteration_cycle import CycleStatus, value_iteration_cycle
from jalverify.solvers.evaluation import q_from_values
from jalverify.verdicts import Status

KEEP_KEEP, SEND_KEEP, SEND_SEND, KEEP_SEND = ((0, 0), (0, 0)), ((1, 0), (0, 0)), ((1, 0), (0, 1)), ((0, 0), (0, 1))


def test_book_game_greedy_policies_cycle_with_period_five(book_game):
    """From V = 0 the greedy movers follow the best-response cycle, staying one extra step at (keep, keep):
    (keep,keep) → (send,keep) → (send,send) → (keep,send) → (keep,keep) → (keep,keep) → (send,keep) → …"""
    result = value_iteration_cycle(book_game)
    assert result.status is CycleStatus.CERTIFIED
    assert result.period == 5
    assert result.verdict.status is Status.PROVEN
    assert result.policies[:10] == (KEEP_KEEP, SEND_KEEP, SEND_SEND, KEEP_SEND, KEEP_KEEP,
                                    KEEP_KEEP, SEND_KEEP, SEND_SEND, KEEP_SEND, KEEP_KEEP)
    assert sorted(set(result.cycle)) == sorted({KEEP_KEEP, SEND_KEEP, SEND_SEND, KEEP_SEND})
    # the certificate: the orbit is an exact periodic orbit and the last iterate is close enough
    assert result.distance < result.margin / (2 * F(3, 4))
    W = result.orbit
    for j in range(result.period):
        Q = q_from_values(book_game, W[j])
        nxt = np.empty((2, 2), dtype=object)
        for s, joint in enumerate(result.cycle[j]):
            for i in range(2):
                nxt[i, s] = Q[s][(i,) + joint]
        assert (nxt == W[(j + 1) % result.period]).all()
    # the greedy policies really are periodic from `entered` on, as far as they were computed
    for k in range(result.entered, result.iterations):
        assert result.policies[k] == result.cycle[(k - result.entered) % result.period]


def test_game_with_an_sde_settles(keep_send):
    game = keep_send({("s1", "keep"): (3, 0), ("s1", "send"): (0, 3), ("s2", "keep"): (3, 1), ("s2", "send"): (0, 0)})
    result = value_iteration_cycle(game)
    assert result.status is CycleStatus.CERTIFIED and result.period == 1
    assert result.cycle == (KEEP_KEEP,)
    assert result.verdict.status is Status.REFUTED


def test_budget_too_small_is_not_established(book_game):
    result = value_iteration_cycle(book_game, max_iterations=3)
    assert result.status is CycleStatus.NOT_ESTABLISHED and result.period == 0
    assert result.verdict.status is Status.NOT_ESTABLISHED and "within 3 iterations" in result.verdict.message


def test_simultaneous_moves_refused():
    T = np.empty((2, 2, 1), dtype=object)
    T.fill(F(1))
    game = StochasticGame(["a", "b"], ["s"], [[("x", "y"), ("x", "y")]], [T], [np.zeros((2, 2, 2), dtype=int)], "1/2")
    with pytest.raises(UnsupportedGame, match="not turn-based"):
        value_iteration_cycle(game)


def test_game_without_choices_settles_at_once():
    T = np.empty((1, 1, 1), dtype=object)
    T.fill(F(1))
    game = StochasticGame(["a", "b"], ["s"], [[("x",), ("y",)]], [T], [[[[1]], [[2]]]], "1/2")
    result = value_iteration_cycle(game)
    assert result.status is CycleStatus.CERTIFIED and result.period == 1
    assert result.verdict.status is Status.REFUTED
