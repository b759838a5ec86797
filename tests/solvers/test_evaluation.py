"""Policy evaluation V^π, Q^π (theory.md §1; book §2.5, Eq. 6.9): known answers, exact certificates,
exact-vs-float agreement on generated games, error cases."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalverify.errors import InvalidGame, InvalidPolicy
from jalverify.games.stochastic import CorrelatedStationaryPolicy, StationaryPolicy, StochasticGame
from jalverify.numbers import EXACT, FLOAT
from jalverify.solvers.evaluation import (
    evaluate_policy,
    policy_matrix,
    q_from_values,
    state_values_from_q,
)
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
    """The book's NoSDE game (theory.md §6; Zinkevich, Greenwald & Littman 2005), γ = 3/4."""
    return StochasticGame(
        ["agent1", "agent2"], ["s1", "s2"],
        [[["keep", "send"], ["none"]], [["none"], ["keep", "send"]]],
        [{("keep", "none"): {"s1": 1}, ("send", "none"): {"s2": 1}},
         {("none", "keep"): {"s2": 1}, ("none", "send"): {"s1": 1}}],
        [[[[1], [0]], [[0], [3]]], [[[3, 0]], [[1, 0]]]],
        F(3, 4),
    )


def nosde_policy(game: StochasticGame, p_send: F, q_send: F) -> StationaryPolicy:
    return StationaryPolicy(game, [[[1 - p_send, p_send], [1]], [[1], [1 - q_send, q_send]]])


# ---------------------------------------------------------------------------------------------------------
# known answers
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("gamma", [F(0), F(1, 2), F(9, 10), F(99, 100)])
def test_one_state_value_is_r_over_one_minus_gamma(gamma):
    game = StochasticGame(["a", "b"], ["s"], [[["x", "y"], ["z"]]], [[[[1]], [[1]]]], [[[[5], [F(-7, 3)]], [[2], [4]]]], gamma)
    pol = StationaryPolicy(game, [[[F(1, 4), F(3, 4)], [1]]])
    res = evaluate_policy(game, pol)
    r = [F(1, 4) * 5 + F(3, 4) * F(-7, 3), F(1, 4) * 2 + F(3, 4) * 4]
    assert res.V.tolist() == [[r[0] / (1 - gamma)], [r[1] / (1 - gamma)]]
    assert res.certified and res.field is EXACT and res.residual == 0
    assert all(isinstance(v, F) for v in res.V.reshape(-1))
    # Q(s, x) = 5 + γ V
    assert res.Q[0][0, 0, 0] == 5 + gamma * res.V[0, 0]


def test_nosde_values_by_hand():
    game = nosde_game()
    pol = nosde_policy(game, F(1, 2), F(2, 3))
    res = evaluate_policy(game, pol)
    # agent 1: V(s1) = 1/2 (1 + 3/4 V(s1)) + 1/2 (3/4 V(s2)), V(s2) = 1/3 (3 + 3/4 V(s2)) + 2/3 (3/4 V(s1))
    assert res.V[0].tolist() == [F(8, 3), F(28, 9)]
    # agent 2: V(s1) = 1/2 (3/4 V(s1)) + 1/2 (3 + 3/4 V(s2)), V(s2) = 1/3 (1 + 3/4 V(s2)) + 2/3 (3/4 V(s1))
    assert res.V[1].tolist() == [F(40, 9), F(92, 27)]
    assert res.Q[0][0].reshape(-1).tolist() == [1 + F(3, 4) * F(8, 3), F(3, 4) * F(28, 9)]
    assert res.Q[1][1].reshape(-1).tolist() == [1 + F(3, 4) * F(92, 27), F(3, 4) * F(40, 9)]


def test_nosde_equilibrium_values():
    """At the mixed equilibrium (send 2/3 in s1, send 5/12 in s2) both movers are indifferent."""
    game = nosde_game()
    res = evaluate_policy(game, nosde_policy(game, F(2, 3), F(5, 12)))
    assert res.V.tolist() == [[4, F(16, 3)], [F(16, 3), 4]]
    q1 = res.Q[0][0].reshape(-1).tolist()
    q2 = res.Q[1][1].reshape(-1).tolist()
    assert q1[0] == q1[1] and q2[0] == q2[1]


def test_terminal_state_has_value_zero():
    game = StochasticGame(["a"], ["s", "end"], [[["go", "stay"]], None],
                          [{("go",): {"end": 1}, ("stay",): {"s": 1}}, None], [[[10, 1]], None], F(1, 2),
                          terminal=[False, True])
    res = evaluate_policy(game, StationaryPolicy(game, [[[F(1, 2), F(1, 2)]], [[1]]]))
    # V = 1/2·10 + 1/2·(1 + 1/2 V)  →  V = 22/3
    assert res.V.tolist() == [[F(22, 3), 0]]


# ---------------------------------------------------------------------------------------------------------
# certificates and properties
# ---------------------------------------------------------------------------------------------------------
@given(games_and_policies())
def test_exact_bellman_equations_hold_exactly(gp):
    game, pol = gp
    res = evaluate_policy(game, pol)
    assert res.certified
    assert all(x == 0 for x in res.bellman_residual().reshape(-1))
    assert all(all(x == 0 for x in q.reshape(-1)) for q in res.q_residual())
    # V^π = Σ_a π(a|s) Q^π(s, a) exactly
    assert state_values_from_q(game, pol, res.Q).tolist() == res.V.tolist()
    # and directly against a dense exact linear solve (sympy-free: Fraction Gauss elimination)
    M, rp = policy_matrix(game, pol)
    for i in range(game.n_players):
        assert (np.array(res.V[i]) - game.gamma * M.dot(res.V[i]) == rp[i]).all()


@given(games_and_policies())
def test_exact_and_float_agree(gp):
    game, pol = gp
    exact = evaluate_policy(game, pol)
    flo = evaluate_policy(game, pol, field=FLOAT)
    assert flo.field == FLOAT and not flo.certified
    scale = 1 + max(abs(float(x)) for x in exact.V.reshape(-1))
    assert np.allclose(exact.V.astype(float), flo.V, atol=1e-9 * scale, rtol=0)
    for qe, qf in zip(exact.Q, flo.Q):
        assert np.allclose(qe.astype(float), qf, atol=1e-9 * scale, rtol=0)
    # the float game gives the same float answer
    flo2 = evaluate_policy(game.to_field("float"), StationaryPolicy(game.to_field("float"),
                                                                    [list(d) for d in pol.distributions], allow_float=True))
    assert np.allclose(flo2.V, flo.V, atol=1e-9 * scale, rtol=0)


@given(games_and_policies())
def test_correlated_form_of_a_stationary_policy_has_the_same_values(gp):
    game, pol = gp
    a = evaluate_policy(game, pol)
    b = evaluate_policy(game, CorrelatedStationaryPolicy.from_stationary(pol))
    assert a.V.tolist() == b.V.tolist()
    assert all(x.tolist() == y.tolist() for x, y in zip(a.Q, b.Q))


def test_correlated_policy_values():
    """A correlated policy that is not a product: in a 1-state game V = Σ x_a r(a) / (1 − γ)."""
    game = StochasticGame(["a", "b"], ["s"], [[["x", "y"], ["x", "y"]]], [np.ones((2, 2, 1), dtype=int).tolist()],
                          [[[[4, 0], [0, 2]], [[2, 0], [0, 4]]]], F(1, 2))
    pol = CorrelatedStationaryPolicy(game, [[[F(1, 2), 0], [0, F(1, 2)]]])
    res = evaluate_policy(game, pol)
    assert res.V.tolist() == [[6], [6]]


def test_q_from_values_matches_definition():
    game = nosde_game()
    V = [[F(1), F(2)], [F(3), F(-1)]]
    Q = q_from_values(game, V)
    g = F(3, 4)
    assert Q[0][0].reshape(-1).tolist() == [1 + g * 1, 0 + g * 2]
    assert Q[0][1].reshape(-1).tolist() == [0 + g * 3, 3 + g * (-1)]  # state s1, agent 2
    assert Q[1][0].reshape(-1).tolist() == [3 + g * 2, 0 + g * 1]  # state s2, agent 1
    Qf = q_from_values(game, V, field="float")
    assert Qf[0].dtype == np.float64 and np.allclose(Qf[0].astype(float), Q[0].astype(float))


def test_sparse_float_path_on_a_larger_chain():
    """A 2000-state cycle (float sparse LU path) against the closed form V(s) = r/(1−γ) for constant reward."""
    S = 2000
    states = [f"s{j}" for j in range(S)]
    game = StochasticGame(["a"], states, [[["go"]] for _ in range(S)],
                          [{("go",): {states[(j + 1) % S]: 1}} for j in range(S)], [[[3]] for _ in range(S)],
                          0.5, field="float")
    pol = StationaryPolicy(game, [[[1.0]] for _ in range(S)])
    res = evaluate_policy(game, pol)
    assert "sparse" in res.method
    assert np.allclose(res.V, 6.0, atol=1e-12)


# ---------------------------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------------------------
def test_policy_for_another_game_is_refused():
    game = nosde_game()
    other = game.with_rewards([[[[9], [0]], [[0], [3]]], [[[3, 0]], [[1, 0]]]])
    pol = nosde_policy(other, F(1, 2), F(1, 2))
    with pytest.raises(InvalidPolicy, match="another game"):
        evaluate_policy(game, pol)
    with pytest.raises(InvalidPolicy):
        evaluate_policy(game, "not a policy")
    with pytest.raises(InvalidPolicy, match="another game"):
        state_values_from_q(game, pol, evaluate_policy(other, pol).Q)


def test_shape_mismatches_are_refused():
    game = nosde_game()
    pol = nosde_policy(game, F(1, 2), F(1, 2))
    with pytest.raises(InvalidGame, match=r"shape \(2, 3\), expected \(2, 2\)"):
        q_from_values(game, [[0, 0, 0], [0, 0, 0]])
    Q = evaluate_policy(game, pol).Q
    with pytest.raises(InvalidGame, match="Q given for 1 states"):
        state_values_from_q(game, pol, Q[:1])
    with pytest.raises(InvalidGame, match="state 's1'"):
        state_values_from_q(game, pol, (Q[1], Q[0]))


# ---------------------------------------------------------------------------------------------------------
# CLI: jalverify evaluate
# ---------------------------------------------------------------------------------------------------------
def test_cli_evaluate_prints_exact_values(tmp_path, capsys):
    import json

    from jalverify.cli import main
    from jalverify.games.formats import save_game, save_policy

    game = nosde_game()
    save_game(game, tmp_path / "nosde.json")
    save_policy(nosde_policy(game, F(2, 3), F(5, 12)), tmp_path / "eq.json")
    assert main(["evaluate", str(tmp_path / "nosde.json"), "--policy", str(tmp_path / "eq.json"), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["certified"] is True and doc["field"] == "exact"
    assert doc["values"] == {"agent1": {"s1": "4", "s2": "16/3"}, "agent2": {"s1": "16/3", "s2": "4"}}
    assert doc["q_values"]["s1"][1] == {"joint": ["send", "none"], "values": {"agent1": "4", "agent2": "6"}}
    assert main(["evaluate", str(tmp_path / "nosde.json"), "--policy", str(tmp_path / "eq.json"), "--float"]) == 0
    assert "V^π(s)" in capsys.readouterr().out
    # a game file given as the policy: one-line error, exit 2
    assert main(["evaluate", str(tmp_path / "nosde.json"), "--policy", str(tmp_path / "nosde.json")]) == 2
    assert "error" in capsys.readouterr().err


def test_exact_evaluation_of_a_float_game_uses_binary_values():
    game = nosde_game()
    fgame = game.to_field("float")
    pol = StationaryPolicy(fgame, [[[0.5, 0.5], [1.0]], [[1.0], [0.25, 0.75]]], allow_float=True)
    exact = evaluate_policy(fgame, pol, field=EXACT)
    assert exact.certified and all(isinstance(v, F) for v in exact.V.reshape(-1))
    ref = evaluate_policy(game, nosde_policy(game, F(1, 2), F(3, 4)))
    assert exact.V.tolist() == ref.V.tolist()


def test_larger_exact_system_q_values_are_reduced_fractions():
    """40 states with long denominators: the batched reduction of Q^π gives canonical Fractions equal to the
    plain Fraction computation of Σ T [R + γ V]."""
    import math
    import random

    rng = random.Random(7)
    S = 40
    names = [f"s{j}" for j in range(S)]
    transitions, rewards = [], []
    for _ in range(S):
        rows = {}
        for a in np.ndindex(2, 2):
            nxt = rng.sample(range(S), 3)
            w = [rng.randint(1, 6) for _ in nxt]
            rows[a] = {names[t]: F(x, sum(w)) for t, x in zip(nxt, w)}
        transitions.append(rows)
        rewards.append([[[rng.randint(-5, 5) for _ in range(2)] for _ in range(2)] for _ in range(2)])
    game = StochasticGame(["p", "q"], names, [[["a", "b"], ["c", "d"]]] * S, transitions, rewards, F(9, 10))
    pol = StationaryPolicy(game, [[[F(1, 3), F(2, 3)], [F(3, 5), F(2, 5)]]] * S)
    res = evaluate_policy(game, pol)
    assert max(v.denominator for v in res.V.reshape(-1)) > 10**30
    for q in res.Q:
        for x in q.reshape(-1):
            assert isinstance(x, F) and x.denominator > 0 and math.gcd(x.numerator, x.denominator) == 1
    assert all(all(x == 0 for x in q.reshape(-1)) for q in res.q_residual())
    assert all(x == 0 for x in res.bellman_residual().reshape(-1))


def test_cli_evaluate_reports_the_expected_return_from_the_initial_distribution(tmp_path, capsys):
    import json

    from jalverify.cli import main
    from jalverify.games.formats import save_game, save_policy

    g = nosde_game()
    game = StochasticGame(g.players, g.states, g.actions, list(g.transitions), list(g.rewards), g.gamma,
                          initial={"s1": F(1, 2), "s2": F(1, 2)}, name="nosde with start")
    save_game(game, tmp_path / "g.json")
    save_policy(nosde_policy(game, F(2, 3), F(5, 12)), tmp_path / "p.json")
    assert main(["evaluate", str(tmp_path / "g.json"), "--policy", str(tmp_path / "p.json"), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["expected_return"] == {"agent1": "14/3", "agent2": "14/3"}


def test_block_solve_on_an_acyclic_chain():
    """A 300-state chain s0 → s1 → … → end (terminal) with a self-loop of 1/2 at every state: strongly connected
    blocks are single states, solved by exact back-substitution.  V(s_j) = Σ_{k≥j} (γ/2 / (1-γ/2))^{k-j} r/(1-γ/2)."""
    S = 300
    names = [f"s{j}" for j in range(S)] + ["end"]
    gamma = F(9, 10)
    trans = [{("go",): {names[j]: F(1, 2), names[j + 1]: F(1, 2)}} for j in range(S)] + [None]
    game = StochasticGame(["a"], names, [[["go"]] for _ in range(S)] + [None], trans, [[[1]] for _ in range(S)] + [None],
                          gamma, terminal=[False] * S + [True])
    pol = StationaryPolicy(game, [[[1]] for _ in range(S + 1)])
    res = evaluate_policy(game, pol)
    assert "blocks" in res.method and res.certified
    # V_j = (1 + γ/2 V_{j+1}) / (1 - γ/2), V_end = 0
    expected = [F(0)]
    for _ in range(S):
        expected.append((1 + gamma / 2 * expected[-1]) / (1 - gamma / 2))
    assert res.V[0].tolist() == expected[::-1]


@given(games_and_policies(players=2))
def test_block_and_monolithic_solves_agree(gp):
    """The component-wise solve equals one flint solve of the whole system."""
    from jalverify.solvers import evaluation as ev

    game, pol = gp
    res = evaluate_policy(game, pol)
    _, _, A, B = ev._assemble_exact(game, ev._model(game), ev._flat_policy_exact(game, pol))
    X = A.solve(B)
    assert [[F(int(X[s, i].p), int(X[s, i].q)) for s in range(game.n_states)] for i in range(2)] == res.V.tolist()
