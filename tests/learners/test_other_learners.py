from fractions import Fraction as F

import numpy as np
import pytest

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import CorrelatedProfile, MixedProfile, ce_gains
from jalverify.learners import (
    CorrelatedConcept,
    EpsilonGreedy,
    NashConcept,
    RobbinsMonro,
    Simulator,
    alignment_violations,
    ce_q,
    difference_reward_game,
    difference_rewards,
    fictitious_play,
    friend_q,
    independent_q,
    nash_q,
    select_equilibrium,
)
from jalverify.learners.examples import common_payoff_two_state, matching_pennies
from jalverify.numbers import EXACT, FLOAT


def test_friend_q_value_is_max_over_joint_actions():
    g = common_payoff_two_state()
    learner = friend_q(g)
    q = np.array([[[1.0, 4.0], [4.0, 2.0]], [[0.0, 1.0], [3.0, 0.0]]])
    sol = learner.concept.solve(q, FLOAT)
    assert list(sol.values) == [4.0, 3.0]
    # agent 0's first argmax (row-major) is (0, 1): it plays 0; agent 1's is (1, 0): it plays 0
    assert list(sol.marginals[0]) == [1.0, 0.0] and list(sol.marginals[1]) == [1.0, 0.0]


def test_nash_q_converges_on_common_payoff_game():
    g = common_payoff_two_state()
    q_star, _, _ = friend_q(g).iterate_operator(200, tol=1e-14)
    learner = nash_q(g, selection="utilitarian", exploration=EpsilonGreedy(1.0), schedule=RobbinsMonro(0.7), seed=2)
    trace = learner.learn(1500, Simulator(g, 1, start="uniform", episode_length=10), reference_q=q_star)
    assert trace.error[-1] < 0.05


def test_selection_is_independent_of_listing_order():
    bos = NormalFormGame.bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    eqs = [MixedProfile(bos, [[1, 0], [1, 0]]), MixedProfile(bos, [[0, 1], [0, 1]]),
           MixedProfile(bos, [[F(3, 5), F(2, 5)], [F(2, 5), F(3, 5)]])]
    for rule in ("first", "utilitarian", "egalitarian"):
        i, _ = select_equilibrium(bos, eqs, rule)
        j, _ = select_equilibrium(bos, eqs[::-1], rule)
        assert eqs[i] == eqs[::-1][j]
    i, u = select_equilibrium(bos, eqs, "first")
    assert i == 0 and list(u) == [3, 2]
    i, u = select_equilibrium(bos, eqs, "egalitarian")
    assert sorted(u.tolist()) == [2, 3]


def test_nash_concept_exact_values_are_equilibrium_payoffs():
    q = np.array([[[F(3), F(0)], [F(0), F(2)]], [[F(2), F(0)], [F(0), F(3)]]], dtype=object)
    sol = NashConcept("first").solve(q, EXACT)
    game = NormalFormGame(q)
    prof = MixedProfile(game, list(sol.marginals))
    assert max(max(r.tolist()) for r in __import__("jalverify").games.regrets(game, prof)) == 0
    assert list(sol.values) == [3, 2]


@pytest.mark.parametrize("objective", ["utilitarian", "egalitarian", "republican", "libertarian"])
def test_ce_q_stage_solutions_satisfy_ce_constraints_exactly(objective):
    chicken = NormalFormGame.bimatrix([[0, 7], [2, 6]], [[0, 2], [7, 6]])
    sol = CorrelatedConcept(objective).solve(np.asarray(chicken.payoffs), EXACT)
    res = sol.info["result"]
    dists = [p.distribution for p in res.agent_distributions] if objective == "libertarian" else [sol.joint]
    for x in dists:
        gains = ce_gains(chicken, CorrelatedProfile(chicken, x))
        assert all(v <= 0 for g in gains for v in g.reshape(-1).tolist())
    if objective == "utilitarian":
        # the welfare-maximising CE of this Chicken puts 1/4, 1/4, 1/2 on (D,C), (C,D), (C,C): 21/4 each
        assert list(sol.values) == [F(21, 4), F(21, 4)]


def test_ce_q_reward_scaling_operator():
    g = common_payoff_two_state()
    plain = ce_q(g, "utilitarian")
    scaled = ce_q(g, "utilitarian", reward_scaling=True)
    zero = [np.zeros((2, 2, 2), dtype=object) + F(0) for _ in range(2)]
    a = plain.apply_operator(zero, "exact")
    b = scaled.apply_operator(zero, "exact")
    assert all(np.all(x * F(1, 2) == y) for x, y in zip(a, b))  # (1 - γ) = 1/2


def test_independent_q_learns_and_embeds_in_joint_shape():
    g = common_payoff_two_state()
    learner = independent_q(g, exploration=EpsilonGreedy(0.3), seed=1)
    trace = learner.learn(500)
    q = learner.q_tables()[0]
    assert q.shape == (2, 2, 2)
    assert np.all(q[0, :, 0] == q[0, :, 1]) and np.all(q[1, 0, :] == q[1, 1, :])
    assert trace.visits[0][-1].sum() + trace.visits[1][-1].sum() == 500


def test_fictitious_play_matching_pennies_marginals_converge_policy_does_not():
    tr = fictitious_play(matching_pennies(), 4000, record_every=10)
    emp = tr.empirical_distributions(0)[-1]
    assert np.allclose(emp.sum(axis=1), 0.5, atol=0.02) and np.allclose(emp.sum(axis=0), 0.5, atol=0.02)
    last = tr.policies[0][-50:]
    assert len({tuple(p.reshape(-1)) for p in last}) > 1  # still switching between pure profiles


def test_difference_rewards_alignment_exact():
    G = np.array([[[F(1), F(5)], [F(2), F(-3)]], [[F(0), F(7, 2)], [F(4), F(1)]]], dtype=object)
    D = difference_rewards(G, [0, 1, 0])
    assert alignment_violations(G, D) == []
    assert D[1][0, 1, 0] == G[0, 1, 0] - G[0, 1, 0] == 0  # own default action: D_i = 0
    wrong = D.copy()
    wrong[2] = G - G.mean()  # not a difference reward (depends on a_2 differently)
    wrong[2][0, 0, 0] += 1
    assert alignment_violations(G, wrong)


def test_difference_reward_game_stochastic():
    g = common_payoff_two_state()
    d = difference_reward_game(g, [[0, 0], [1, 1]])
    G = np.moveaxis(g.rewards[0][0], -1, 0)
    for t in range(2):
        assert alignment_violations(G[t], np.moveaxis(d.rewards[0], -1, 0)[t]) == []


def test_independent_q_operator_is_float_only_and_matches_definition():
    from jalverify.errors import UnsupportedGame

    g = common_payoff_two_state()
    learner = independent_q(g)
    Q = [np.zeros((2, 2, 2)), np.zeros((2, 2, 2))]
    with pytest.raises(UnsupportedGame):
        learner.apply_operator(Q, "exact")
    out = learner.apply_operator(Q, "float")
    # greedy policies are action 0 for both; with Q = 0 the backup is the expected reward against the other's
    # action 0: agent 0 at s0 gets R(a0, 0) = [1, 0]
    assert out[0][0, :, 0].tolist() == [1.0, 0.0] and out[0][0, :, 1].tolist() == [1.0, 0.0]


def test_correlated_play_samples_one_joint_action():
    """uCE of Chicken puts 1/4, 1/4, 1/2 on (D,C), (C,D), (C,C) and nothing on (D,D): agents play components of
    one sampled joint action, so (D,D) never occurs (independent sampling of the marginals would give it 1/16)."""
    from jalverify.games.normal_form import NormalFormGame
    from jalverify.learners.examples import as_single_state

    chicken = NormalFormGame.bimatrix([[0, 7], [2, 6]], [[0, 2], [7, 6]])
    learner = ce_q(as_single_state(chicken), "utilitarian", exploration=EpsilonGreedy(0.0), seed=0)
    learner.set_q(0, np.asarray(chicken.payoffs, dtype=float))  # the stage game is built from Q
    counts = np.zeros((2, 2))
    for t in range(4000):
        counts[learner.act(0, t)] += 1
    freq = counts / counts.sum()
    assert counts[0, 0] == 0
    assert np.allclose(freq, [[0, 0.25], [0.25, 0.5]], atol=0.03)


def test_friend_or_foe_three_agents_matches_direct_maximin():
    """Agent 0 with friend 1 against foe 2: value = maximin of Q_0 as a (a_0, a_1) × a_2 matrix."""
    from jalverify.learners import FriendOrFoeConcept
    from jalverify.solvers.minimax import minimax_value

    rng = np.random.default_rng(1)
    q = rng.integers(-4, 5, size=(3, 2, 2, 2)).astype(float)
    concept = FriendOrFoeConcept([[1], [0], []])
    sol = concept.solve(q, FLOAT)
    v0, _, _ = minimax_value(q[0].reshape(4, 2), field=FLOAT)
    v2, _, _ = minimax_value(np.transpose(q[2], (2, 0, 1)).reshape(2, 4), field=FLOAT)
    assert sol.values[0] == pytest.approx(v0, abs=1e-9) and sol.values[2] == pytest.approx(v2, abs=1e-9)
    assert concept.name == "friend-or-foe"
    assert sol.joint.shape == (2, 2, 2) and sol.joint.sum() == pytest.approx(1.0)
