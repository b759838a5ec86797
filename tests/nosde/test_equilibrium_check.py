"""Stationary equilibrium check (one-shot deviation principle): exact gains and witnesses."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from jalverify.errors import InvalidPolicy
from jalverify.games.stochastic import StationaryPolicy, StochasticGame
from jalverify.nosde import check_stationary_equilibrium, stationary_equilibrium_verdict
from jalverify.verdicts import Status


def book_equilibrium(game: StochasticGame) -> StationaryPolicy:
    return StationaryPolicy(game, [[[F(1, 3), F(2, 3)], [1]], [[1], [F(7, 12), F(5, 12)]]])


def test_book_equilibrium_confirmed_with_zero_gains(book_game):
    check = check_stationary_equilibrium(book_game, book_equilibrium(book_game))
    assert check.is_equilibrium and check.exact
    assert check.max_gain == 0
    # both movers are indifferent: every gain of a mover at its own state is exactly 0
    assert list(check.gains[0][0]) == [0, 0]
    assert list(check.gains[1][1]) == [0, 0]
    assert stationary_equilibrium_verdict(book_game, book_equilibrium(book_game)).status is Status.PROVEN
    with pytest.raises(InvalidPolicy, match="no profitable deviation"):
        check.witness


def test_witness_is_exact_keep_keep(book_game):
    """(keep, keep): V1(s1) = 1/(1-3/4) = 4, V1(s2) = 3/(1/4) = 12; sending from s1 gives 0 + 3/4·12 = 9,
    a gain of exactly 5 for agent 1 in s1.  Agent 2 keeps in s2: V2(s2) = 1/(1/4) = 4 vs 0 + 3/4·V2(s1) = 0."""
    policy = StationaryPolicy.deterministic(book_game, [[0, 0], [0, 0]])
    check = check_stationary_equilibrium(book_game, policy)
    w = check.witness
    assert (w.player, w.state, w.action, w.gain) == (0, 0, 1, F(5))
    assert (w.player_name, w.state_name, w.action_name) == ("agent 1", "s1", "send")
    assert len(check.deviations) == 1
    assert list(check.values.V[0]) == [4, 12]
    verdict = stationary_equilibrium_verdict(book_game, policy)
    assert verdict.status is Status.REFUTED
    assert verdict.witness["deviation"] == {"player": "agent 1", "state": "s1", "action": "send", "gain": "5"}


def test_witness_is_exact_send_keep(book_game):
    """(send, keep): V2(s2) = 4, V2(s1) = 3 + 3/4·4 = 6; agent 2 sending from s2 gives 0 + 3/4·6 = 9/2, gain 1/2."""
    check = check_stationary_equilibrium(book_game, StationaryPolicy.deterministic(book_game, [[1, 0], [0, 0]]))
    w = check.witness
    assert (w.player_name, w.state_name, w.action_name, w.gain) == ("agent 2", "s2", "send", F(1, 2))


def test_mixed_non_equilibrium_gain_matches_independent_computation(book_game):
    """A mixed policy off equilibrium: the gain equals max_a Q(s,a) - V(s) computed from the definitions."""
    policy = StationaryPolicy(book_game, [[[F(1, 2), F(1, 2)], [1]], [[1], [F(1, 2), F(1, 2)]]])
    check = check_stationary_equilibrium(book_game, policy)
    V, Q = check.values.V, check.values.Q
    expected = max(Q[0][0, a, 0] for a in range(2)) - V[0, 0]
    assert check.gains[0][0].max() == expected
    assert not check.is_equilibrium
    for d in check.deviations:
        assert d.gain > 0


def test_simultaneous_three_player_single_state():
    """One state, three players, matching-pennies-like: only uniform mixing for the first two is an equilibrium."""
    A = np.zeros((3, 2, 2, 1), dtype=object)
    for a in range(2):
        for b in range(2):
            A[0, a, b, 0] = 1 if a == b else -1
            A[1, a, b, 0] = -A[0, a, b, 0]
            A[2, a, b, 0] = 0
    game = StochasticGame(["p", "q", "r"], ["s"], [[("h", "t"), ("h", "t"), ("x",)]], [np.full((2, 2, 1, 1), F(1), dtype=object)],
                          [A], "1/2")
    eq = StationaryPolicy(game, [[[F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)], [1]]])
    assert check_stationary_equilibrium(game, eq).is_equilibrium
    off = StationaryPolicy(game, [[[F(1, 2), F(1, 2)], [F(3, 4), F(1, 4)], [1]]])
    check = check_stationary_equilibrium(game, off)
    # p against q=(3/4,1/4): h earns 1/2 per step, t earns -1/2; V_p = 0 per step; gain of h = (1/2)/(1 - 1/2)... one-shot:
    # Q̄_p(h) = 1/2 + 1/2·V_p, V_p = 0 -> gain 1/2
    w = check.witness
    assert (w.player_name, w.action_name, w.gain) == ("p", "h", F(1, 2))


def test_policy_of_another_game_refused(book_game, keep_send):
    other = keep_send(gamma="1/2")
    with pytest.raises(InvalidPolicy, match="check_stationary_equilibrium"):
        check_stationary_equilibrium(book_game, StationaryPolicy.deterministic(other, [[0, 0], [0, 0]]))


def test_float_field_holds_within_tolerance_never_proven(book_game):
    game = book_game.to_field("float")
    policy = StationaryPolicy(game, [[[1 / 3, 2 / 3], [1.0]], [[1.0], [7 / 12, 5 / 12]]], allow_float=True)
    check = check_stationary_equilibrium(game, policy)
    assert check.is_equilibrium and not check.exact
    verdict = stationary_equilibrium_verdict(game, policy)
    assert verdict.status is Status.WITHIN_TOLERANCE and verdict.tolerance == game.field.atol
    assert verdict.worst is not None and 0 <= verdict.worst <= game.field.atol
    off = StationaryPolicy.deterministic(game, [[0, 0], [0, 0]])
    assert stationary_equilibrium_verdict(game, off).status is Status.REFUTED


def test_correlated_policy_refused(book_game):
    from jalverify.games.stochastic import CorrelatedStationaryPolicy

    corr = CorrelatedStationaryPolicy.from_stationary(book_equilibrium(book_game))
    with pytest.raises(InvalidPolicy, match="expected a StationaryPolicy"):
        check_stationary_equilibrium(book_game, corr)


def test_catalog_nosde_is_the_book_game(book_game):
    """The catalog entry and the hand-built game agree (up to names): same transitions, rewards and γ."""
    from jalverify.games import catalog

    cat = catalog.load("nosde")
    assert cat.gamma == book_game.gamma == F(3, 4)
    assert cat.states == book_game.states
    for s in range(2):
        assert (cat.transitions[s] == book_game.transitions[s]).all()
        assert (cat.rewards[s] == book_game.rewards[s]).all()
        assert cat.actions[s][cat.movers(s)[0]] == book_game.actions[s][book_game.movers(s)[0]] == ("keep", "send")
