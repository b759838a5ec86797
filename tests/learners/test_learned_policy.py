"""The learned policy made exact: rounding rules, exact V^π and exact NashConv (known answers)."""

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalverify.games.stochastic import StationaryPolicy
from jalverify.learners import EpsilonGreedy, RobbinsMonro, Simulator, minimax_q
from jalverify.learners.examples import as_single_state, matching_pennies, zero_sum_rational
from jalverify.learners.learned_policy import (
    evaluate_learned_policy,
    exact_policy,
    round_distribution,
    start_distribution,
)


def mp(gamma: str):
    return as_single_state(matching_pennies(), gamma)


def nash_conv(game, dists):
    pol = StationaryPolicy(game, dists)
    return evaluate_learned_policy(game, pol, start_distribution(game, "initial"))


@pytest.mark.parametrize(("gamma", "factor"), [("0", 1), ("1/2", 2), ("9/10", 10)])
def test_nash_conv_matching_pennies_known_answers(gamma, factor):
    g = mp(gamma)
    half = [F(1, 2), F(1, 2)]
    uniform = nash_conv(g, [[half, half]])
    assert uniform.nash_conv_start == 0 and uniform.nash_conv_max == 0 and uniform.certified
    assert uniform.V_start == (0, 0)
    # (heads, heads): row wins 1 per round and cannot gain; column loses 1 and gains 2 by switching to tails
    pure = nash_conv(g, [[[1, 0], [1, 0]]])
    assert pure.V_start == (F(factor), F(-factor))
    assert pure.nash_conv_start == 2 * factor and pure.nash_conv_max == 2 * factor
    assert pure.gains[0, 0] == 0 and pure.gains[1, 0] == 2 * factor


def test_nash_conv_of_a_mixed_non_equilibrium():
    # row plays (3/4, 1/4) against uniform: row's value stays 0 (column is uniform); column's best reply (tails)
    # earns 3/4 − 1/4 = 1/2, its current value is 0: NashConv = 1/2 (γ = 0)
    r = nash_conv(mp("0"), [[[F(3, 4), F(1, 4)], [F(1, 2), F(1, 2)]]])
    assert r.nash_conv_start == F(1, 2)


def test_round_distribution_rules():
    vals, rule = round_distribution([0.4999999999, 0.5000000001])
    assert vals == [F(1, 2), F(1, 2)] and rule == "small fractions"
    vals, rule = round_distribution([0.123456, 0.876544])
    assert sum(vals) == 1 and rule == "grid 1/10000" and all(v.denominator <= 10000 for v in vals)
    vals, _ = round_distribution([1 / 3, 1 / 3, 1 / 3])
    assert vals == [F(1, 3)] * 3


@given(st.lists(st.floats(0, 1), min_size=1, max_size=6).filter(lambda xs: sum(xs) > 1e-3))
def test_round_distribution_is_a_distribution_close_to_the_input(xs):
    p = np.array(xs) / sum(xs)
    vals, _ = round_distribution(p)
    assert sum(vals) == 1 and all(v >= 0 for v in vals)
    assert max(abs(float(v) - x) for v, x in zip(vals, p)) < 1e-4 + 1e-9


def test_round_distribution_rejects_junk():
    from jalverify.errors import InvalidNumber

    with pytest.raises(InvalidNumber):
        round_distribution([0.5, float("nan")])
    with pytest.raises(InvalidNumber):
        round_distribution([-0.5, 1.5])


def test_learned_minimax_policy_on_a_rational_game_is_exactly_evaluated():
    """After a long run the rounded greedy policy of Minimax-Q on zero_sum_rational is the exact equilibrium
    ((1/2, 1/2) in s0; (2/3, 1/3) and (1/2, 1/2) in s1), so its exact NashConv is 0 and V^π = V*."""
    game = zero_sum_rational()
    learner = minimax_q(game, schedule=RobbinsMonro(0.7), exploration=EpsilonGreedy(1.0), seed=0)
    learner.learn(20000, Simulator(game, 1, start="uniform", episode_length=10))
    rounded = exact_policy(game, learner.policy_parts())
    assert not rounded.correlated and rounded.max_change < 0.05
    res = evaluate_learned_policy(game, rounded.policy, start_distribution(game, "uniform"))
    if rounded.rules == ("small fractions",) and res.nash_conv_max == 0:
        assert list(res.V[0]) == [F(2, 5), F(6, 5)]
    assert res.certified and res.nash_conv_max >= 0 and float(res.nash_conv_max) < 0.2


def test_start_distribution():
    g = zero_sum_rational()
    assert start_distribution(g, "uniform") == [F(1, 2), F(1, 2)]
    assert start_distribution(g, "initial") == [F(1), F(0)]
    assert start_distribution(g, "s1") == [F(0), F(1)]
