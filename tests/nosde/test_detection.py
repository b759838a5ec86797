"""NoSDE detection: the book's game is NoSDE (certificate for every profile); one changed reward gives an SDE."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from jalverify.errors import GameTooLarge
from jalverify.games.stochastic import StochasticGame
from jalverify.nosde import (
    DEFAULT_MAX_PROFILES,
    SDEStatus,
    check_stationary_equilibrium,
    count_deterministic_profiles,
    find_stationary_deterministic_equilibrium,
)
from jalverify.verdicts import Status


def test_book_game_is_nosde_with_a_deviation_for_every_profile(book_game):
    """Hand computation (γ = 3/4): the best responses cycle
    (keep, keep) -agent 1 sends, gain 5-> (send, keep) -agent 2 sends, gain 1/2-> (send, send)
    -agent 1 keeps, gain 1-> (keep, send) -agent 2 keeps, gain 1-> (keep, keep)."""
    result = find_stationary_deterministic_equilibrium(book_game)
    assert result.status is SDEStatus.NOSDE and result.is_nosde
    assert result.verdict.status is Status.PROVEN
    assert result.n_profiles == 4 and result.complete_certificate
    assert result.equilibria == ()
    gains = {(d.choice[0][0], d.choice[1][1]): (d.deviation.player_name, d.deviation.action_name, d.deviation.gain)
             for d in result.deviations}
    assert gains == {
        (0, 0): ("agent 1", "send", F(5)),
        (1, 0): ("agent 2", "send", F(1, 2)),
        (1, 1): ("agent 1", "keep", F(1)),
        (0, 1): ("agent 2", "keep", F(1)),
    }


def test_one_changed_reward_gives_a_stationary_deterministic_equilibrium(keep_send):
    """R_1(s1, keep) = 3 instead of 1: keeping forever is worth 3/(1/4) = 12 to agent 1 against 0 + 3/4·12 = 9 for
    sending; agent 2 keeps in s2 (4 against 0).  So (keep, keep) is a stationary deterministic equilibrium."""
    game = keep_send({("s1", "keep"): (3, 0), ("s1", "send"): (0, 3), ("s2", "keep"): (3, 1), ("s2", "send"): (0, 0)})
    result = find_stationary_deterministic_equilibrium(game)
    assert result.status is SDEStatus.FOUND and not result.is_nosde
    assert result.verdict.status is Status.REFUTED
    assert result.verdict.witness["equilibrium"] == {"s1": ["keep", "none"], "s2": ["none", "keep"]}
    (eq,) = result.equilibria
    assert check_stationary_equilibrium(game, eq).is_equilibrium
    assert result.certificates[0].max_gain == 0


def test_game_too_large_message_gives_the_count(book_game):
    with pytest.raises(GameTooLarge, match=r"has 4 deterministic stationary joint policies .*max_profiles=3"):
        find_stationary_deterministic_equilibrium(book_game, max_profiles=3)


def test_default_limit_refuses_thirteen_binary_states():
    S = 13
    states = [f"s{k}" for k in range(S)]
    T = []
    for s in range(S):
        t = np.empty((2, S), dtype=object)
        t.fill(F(0))
        t[0, s] = F(1)
        t[1, (s + 1) % S] = F(1)
        T.append(t)
    game = StochasticGame(["solo"], states, [[("stay", "go")]] * S, T, [[[0, 1]]] * S, "1/2", name="ring")
    assert count_deterministic_profiles(game) == 2 ** 13 > DEFAULT_MAX_PROFILES
    with pytest.raises(GameTooLarge) as info:
        find_stationary_deterministic_equilibrium(game)
    assert str(info.value) == (
        "find_stationary_deterministic_equilibrium(): game 'ring' has 8192 deterministic stationary joint policies "
        "(product of the joint-action counts of its states: 2^13), above the limit max_profiles=4096; pass "
        "max_profiles=8192 to enumerate them anyway"
    )


def test_pruned_and_unpruned_searches_agree(book_game, keep_send):
    sde = keep_send({("s1", "keep"): (3, 0), ("s1", "send"): (0, 3), ("s2", "keep"): (3, 1), ("s2", "send"): (0, 0)})
    for game in (book_game, sde):
        a = find_stationary_deterministic_equilibrium(game, prune=True)
        b = find_stationary_deterministic_equilibrium(game, prune=False)
        assert a.status is b.status
        for e in a.equilibria + b.equilibria:
            assert check_stationary_equilibrium(game, e).is_equilibrium
    # without witnesses the pruned profiles are not evaluated: agent 1's best response leaves 2 of 4
    c = find_stationary_deterministic_equilibrium(book_game, witnesses=False)
    assert c.is_nosde and c.n_pruned == 2 and c.n_checked == 2 and not c.complete_certificate
    assert c.verdict.status is Status.PROVEN and "best-response pruning" in c.verdict.message


def _one_state(payoffs_0, payoffs_1, gamma="1/2") -> StochasticGame:
    R = np.empty((2, 2, 2), dtype=object)
    for a in range(2):
        for b in range(2):
            R[0, a, b], R[1, a, b] = F(payoffs_0[a][b]), F(payoffs_1[a][b])
    T = np.empty((2, 2, 1), dtype=object)
    T.fill(F(1))
    return StochasticGame(["row", "col"], ["s"], [[("a", "b"), ("a", "b")]], [T], [R], gamma)


def test_simultaneous_moves_matching_pennies_is_nosde_prisoners_dilemma_is_not():
    pennies = _one_state([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    result = find_stationary_deterministic_equilibrium(pennies)
    assert result.is_nosde and result.complete_certificate
    # against a pure opponent, the one-shot gain of switching is 2 (payoff -1 -> 1), discount-free at this step
    assert {d.deviation.gain for d in result.deviations} == {F(2)}
    dilemma = _one_state([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    found = find_stationary_deterministic_equilibrium(dilemma)
    assert not found.is_nosde
    assert found.verdict.witness["equilibrium"] == {"s": ["b", "b"]}
