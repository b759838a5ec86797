"""All stationary equilibria of small turn-based games, exactly, and uniqueness."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from jalverify.errors import GameTooLarge, UnsupportedGame
from jalverify.games.stochastic import StationaryPolicy
from jalverify.nosde import count_support_profiles, turn_based_stationary_equilibria
from jalverify.verdicts import Status


def test_book_game_unique_equilibrium_exact(book_game):
    r"""Hand computation, γ = 3/4, p = π_1(send | s1), q = π_2(send | s2).

    Agent 1 mixes in s1, so it is indifferent: V1(s1) = 1 + γ V1(s1) = γ V1(s2), hence V1(s1) = 1/(1-γ) = 4 and
    V1(s2) = 4/γ = 16/3.  In s2 agent 1 gets (1-q)(3 + γ V1(s2)) + q γ V1(s1) = 7(1-q) + 3q = 7 - 4q = 16/3, so
    q = 5/12.  Agent 2 mixes in s2: V2(s2) = 1 + γ V2(s2) = γ V2(s1), so V2(s2) = 4 and V2(s1) = 16/3; in s1
    agent 2 gets (1-p) γ V2(s1) + p (3 + γ V2(s2)) = 4(1-p) + 6p = 4 + 2p = 16/3, so p = 2/3.
    No pure-at-one-state case works (the other mover would then have to be indifferent, which fails by the
    deviation gains 5, 1/2, 1, 1 of the four deterministic profiles), so the equilibrium is unique.
    """
    result = turn_based_stationary_equilibria(book_game)
    assert result.complete and result.unique
    assert result.uniqueness.status is Status.PROVEN
    assert result.n_support_profiles == count_support_profiles(book_game) == 9
    (eq,) = result.equilibria
    assert list(eq.distributions[0][0]) == [F(1, 3), F(2, 3)]
    assert list(eq.distributions[1][1]) == [F(7, 12), F(5, 12)]
    (check,) = result.checks
    assert check.max_gain == 0
    assert [list(row) for row in check.values.V] == [[4, F(16, 3)], [F(16, 3), 4]]


def test_changed_reward_game_has_the_pure_equilibrium(keep_send):
    game = keep_send({("s1", "keep"): (3, 0), ("s1", "send"): (0, 3), ("s2", "keep"): (3, 1), ("s2", "send"): (0, 0)})
    result = turn_based_stationary_equilibria(game)
    assert result.complete
    keep_keep = StationaryPolicy.deterministic(game, [[0, 0], [0, 0]])
    assert any(e == keep_keep for e in result.equilibria)
    for check in result.checks:
        assert check.is_equilibrium


def test_zero_rewards_every_policy_is_an_equilibrium(keep_send):
    """All rewards 0: every stationary policy is an equilibrium.  The four deterministic ones are found exactly (so
    uniqueness is refuted with exact witnesses) and the mixed support profiles are continua (open cases)."""
    zero = {(s, a): (0, 0) for s in ("s1", "s2") for a in ("keep", "send")}
    result = turn_based_stationary_equilibria(keep_send(zero))
    assert result.uniqueness.status is Status.REFUTED
    assert len(result.equilibria) == 4 and all(e.is_deterministic() for e in result.equilibria)
    assert not result.complete
    assert {c.kind for c in result.open_cases} == {"continuum"}
    assert len(result.open_cases) == 5  # the 9 - 4 support profiles with a mixing state


def test_limits_and_unsupported(book_game):
    with pytest.raises(GameTooLarge, match="has 9 support profiles"):
        turn_based_stationary_equilibria(book_game, max_support_profiles=8)
    with pytest.raises(UnsupportedGame, match="exact"):
        turn_based_stationary_equilibria(book_game.to_field("float"))


def test_irrational_equilibrium_is_reported_as_open_case_not_dropped():
    """Three players in a cycle s0 → s1 → s2 → s0 (player i moves in s_i: ``stay`` or ``pass`` to the next state),
    γ = 1/2.  The fully mixed support solves to x = (37 - √994)/25, (124 - √994)/141, (47 - √994)/27 (all in
    (0, 1)): an irrational stationary equilibrium, which the rational check cannot certify, so it is reported as
    an open case; uniqueness is still refuted exactly by the two rational equilibria found."""
    import numpy as np

    from jalverify.games.stochastic import StochasticGame

    table = [1, 1, -2, 1, 1, -1, 2, -2, -2, 1, -3, 0, -3, -3, 1, 0, 1, 3]  # [6 s + 3 action + player]
    actions, transitions, rewards = [], [], []
    for s in range(3):
        acts = [("none",)] * 3
        acts[s] = ("stay", "pass")
        actions.append(acts)
        transitions.append({tuple("stay" if i == s else "none" for i in range(3)): {f"s{s}": 1},
                            tuple("pass" if i == s else "none" for i in range(3)): {f"s{(s + 1) % 3}": 1}})
        shape = [1, 1, 1]
        shape[s] = 2
        R = np.empty((3, *shape), dtype=object)
        for j in range(2):
            idx = [0, 0, 0]
            idx[s] = j
            for i in range(3):
                R[(i, *idx)] = F(table[6 * s + 3 * j + i])
        rewards.append(R)
    game = StochasticGame(["p0", "p1", "p2"], ["s0", "s1", "s2"], actions, transitions, rewards, "1/2")
    result = turn_based_stationary_equilibria(game)
    assert not result.complete
    (case,) = result.open_cases
    assert case.kind == "irrational" and case.supports == ((0, 1), (0, 1), (0, 1))
    assert "37/25 - sqrt(994)/25" in case.detail
    assert result.uniqueness.status is Status.REFUTED and len(result.equilibria) == 2
    assert all(c.max_gain == 0 for c in result.checks)
