"""Best responses (policy iteration, Howard 1960), exploitability and NashConv of stationary profiles."""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalverify.errors import InvalidPolicy, UnknownName
from jalverify.games import catalog
from jalverify.games.stochastic import CorrelatedStationaryPolicy, StationaryPolicy, StochasticGame
from jalverify.numbers import FLOAT
from jalverify.solvers.best_response import BestResponseStatus, best_response, exploitability, nash_conv
from jalverify.solvers.evaluation import evaluate_policy
from jalverify.strategies import stationary_policies, stochastic_games


# ---------------------------------------------------------------------------------------------------------
# generated games: the library's stochastic games (1–4 states, 1–3 players, 1–3 actions, rational transition
# rows from weights up to 4, integer rewards in [-3, 3], γ ∈ {0, 1/2, 3/4, 9/10}) with a stationary policy
# ---------------------------------------------------------------------------------------------------------
def games_and_policies(players=None):
    games = stochastic_games(players=st.integers(1, 3) if players is None else players, states=st.integers(1, 4),
                             actions=st.integers(1, 3), rewards=(-3, 3),
                             gamma=st.sampled_from([F(0), F(1, 2), F(3, 4), F(9, 10)]), max_transition_weight=4)
    return games.flatmap(lambda game: stationary_policies(game).map(lambda policy: (game, policy)))


def nosde_game() -> StochasticGame:
    """The book's NoSDE game (theory.md §6; Zinkevich, Greenwald & Littman 2005), γ = 3/4, from the catalog."""
    return catalog.load("nosde")


def nosde_policy(game: StochasticGame, p_send: F, q_send: F) -> StationaryPolicy:
    return StationaryPolicy(game, [[[1 - p_send, p_send], [1]], [[1], [1 - q_send, q_send]]])


def brute_force_best_values(game, policy, player):
    """max over all deterministic stationary replies, state by state (independent check of policy iteration)."""
    best = None
    ranges = [range(game.n_actions(s)[player]) for s in range(game.n_states)]
    for choice in itertools.product(*ranges):
        dists = []
        for s, b in enumerate(choice):
            d = [F(0)] * game.n_actions(s)[player]
            d[b] = F(1)
            dists.append(d)
        V = evaluate_policy(game, policy.with_player(player, dists)).V[player].tolist()
        best = V if best is None else [max(x, y) for x, y in zip(best, V)]
    return best


def test_nosde_equilibrium_has_nash_conv_zero():
    game = nosde_game()
    eq = nosde_policy(game, F(2, 3), F(5, 12))
    ex = exploitability(game, eq)
    assert ex.nash_conv == 0 and ex.certified
    assert all(g == 0 for g in ex.gains.reshape(-1))
    assert nash_conv(game, eq) == 0


def test_nosde_best_response_by_hand():
    game = nosde_game()
    pol = nosde_policy(game, F(1, 2), F(2, 3))
    br = best_response(game, pol, "agent1")
    # against agent 2 sending w.p. 2/3, keeping forever in s1 gives 1/(1 - 3/4) = 4, better than sending
    assert br.choice == (0, 0) and br.values.tolist() == [4, 4]
    assert br.gains.tolist() == [F(4) - F(8, 3), F(4) - F(28, 9)]
    assert br.status is BestResponseStatus.OPTIMAL and br.certified
    assert all(x == 0 for x in br.optimality_residual)


def test_no_pure_stationary_equilibrium_in_nosde():
    game = nosde_game()
    for p, q in itertools.product([F(0), F(1)], repeat=2):
        assert nash_conv(game, nosde_policy(game, p, q)) > 0


@given(games_and_policies())
def test_best_response_is_optimal_and_never_worse(gp):
    game, pol = gp
    for i in range(game.n_players):
        br = best_response(game, pol, i)
        assert br.certified and br.status is BestResponseStatus.OPTIMAL
        assert all(g >= 0 for g in br.gains)
        assert all(x == 0 for x in br.optimality_residual)
        # V*(s) = max_b Q*(s, b) exactly, and the reply plays a maximiser
        for s, q in enumerate(br.q_values):
            assert br.values[s] == max(q) == q[br.choice[s]]
        if np.prod([game.n_actions(s)[i] for s in range(game.n_states)]) <= 27:
            assert br.values.tolist() == brute_force_best_values(game, pol, i)


@given(games_and_policies(players=2))
def test_exact_and_float_best_responses_agree(gp):
    game, pol = gp
    ex = exploitability(game, pol)
    fl = exploitability(game, pol, field=FLOAT)
    scale = 1 + max(abs(float(x)) for br in ex.best_responses for x in br.values)
    assert fl.field == FLOAT and not fl.certified
    assert abs(float(ex.nash_conv) - fl.nash_conv) <= 1e-8 * scale
    assert ex.nash_conv >= 0


@given(games_and_policies(players=2))
def test_correlated_coarse_deviation_of_a_product_policy_matches_stationary(gp):
    game, pol = gp
    a = exploitability(game, pol)
    b = exploitability(game, CorrelatedStationaryPolicy.from_stationary(pol))
    assert a.gains.tolist() == b.gains.tolist()


def test_correlated_policy_coarse_deviation():
    """1 state, γ = 0, correlated x = 1/2 (x,x) + 1/2 (y,y) in a coordination game: V = 3 for both;
    a coarse deviation to x faces the marginal 1/2–1/2 and earns 1/2·4 = 2 < 3, so the gain is 0."""
    game = StochasticGame(["a", "b"], ["s"], [[["x", "y"], ["x", "y"]]], [np.ones((2, 2, 1), dtype=int).tolist()],
                          [[[[4, 0], [0, 2]], [[2, 0], [0, 4]]]], 0)
    pol = CorrelatedStationaryPolicy(game, [[[F(1, 2), 0], [0, F(1, 2)]]])
    ex = exploitability(game, pol)
    assert ex.nash_conv == 0
    assert ex.best_responses[0].values.tolist() == [3]


def test_initial_distribution_nash_conv():
    game = nosde_game()
    g2 = StochasticGame(game.players, game.states, game.actions, list(game.transitions), list(game.rewards),
                        game.gamma, initial={"s1": 1})
    pol = nosde_policy(g2, F(1, 2), F(2, 3))
    ex = exploitability(g2, pol)
    assert ex.nash_conv_initial == ex.gains[0, 0] + ex.gains[1, 0]
    assert exploitability(game, nosde_policy(game, F(1, 2), F(2, 3))).nash_conv_initial is None


def test_errors():
    game = nosde_game()
    other = game.with_rewards([[[[9], [0]], [[0], [3]]], [[[3, 0]], [[1, 0]]]])
    with pytest.raises(InvalidPolicy, match="another game"):
        best_response(game, nosde_policy(other, F(1, 2), F(1, 2)), 0)
    with pytest.raises(UnknownName):
        best_response(game, nosde_policy(game, F(1, 2), F(1, 2)), "nobody")
    with pytest.raises(UnknownName):
        best_response(game, nosde_policy(game, F(1, 2), F(1, 2)), 2)
