import numpy as np
import pytest

from jalverify.errors import InvalidNumber
from jalverify.learners import ConstantStep, EpsilonGreedy, RobbinsMonro, Simulator, step_schedule_named
from jalverify.learners.examples import zero_sum_two_state


def test_robbins_monro_exponent_range_enforced():
    for bad in (0.5, 0.3, 1.01):
        with pytest.raises(InvalidNumber):
            RobbinsMonro(omega=bad)
    s = RobbinsMonro(omega=0.8)
    assert s.robbins_monro and s(1) == 1.0 and s(32) == pytest.approx(32 ** -0.8, rel=1e-12)


def test_robbins_monro_first_step_at_most_one():
    with pytest.raises(InvalidNumber):
        RobbinsMonro(omega=1.0, scale=3.0)
    assert RobbinsMonro(omega=1.0, scale=3.0, offset=2.0)(1) == pytest.approx(1.0)


def test_constant_step_is_not_robbins_monro():
    c = ConstantStep(0.2)
    assert not c.robbins_monro and c(1) == c(10 ** 6) == 0.2


def test_schedule_names():
    assert step_schedule_named("rm:0.7") == RobbinsMonro(0.7)
    assert step_schedule_named("const:0.05") == ConstantStep(0.05)
    with pytest.raises(InvalidNumber):
        step_schedule_named("adam")


def test_epsilon_greedy_extremes_and_decay():
    rng = np.random.default_rng(0)
    assert EpsilonGreedy(1.0).explore_mask(rng, 3, 0).all()
    assert not EpsilonGreedy(0.0).explore_mask(rng, 3, 0).any()
    e = EpsilonGreedy(0.5, decay=0.5, minimum=0.1)
    assert e.at(0) == 0.5 and e.at(1) == 0.25 and e.at(10) == 0.1


def test_simulator_is_reproducible_and_samples_transition_frequencies():
    g = zero_sum_two_state()
    a = Simulator(g, 7, start="s1")
    b = Simulator(g, 7, start="s1")
    outs_a = [a.step((0, 0)).next_state for _ in range(200)]
    outs_b = [b.step((0, 0)).next_state for _ in range(200)]
    assert outs_a == outs_b
    sim = Simulator(g, 3, start="s1", episode_length=1)
    nxt = [sim.step((0, 0)).next_state for _ in range(4000)]
    # T(. | s1, (x, x)) = (1/2, 1/2): tolerance ~ 5 standard deviations
    assert abs(np.mean(nxt) - 0.5) < 5 * 0.5 / np.sqrt(4000)


def test_simulator_rewards_and_episode_restarts():
    g = zero_sum_two_state()
    sim = Simulator(g, 0, start="s0", episode_length=3)
    tr = sim.step((0, 1))
    assert tr.state == 0 and tr.next_state == 1 and list(tr.rewards) == [-1.0, 1.0]
    sim.step((0, 0))
    last = sim.step((0, 0))
    assert last.episode_end and sim.state == 0 and sim.episode_step == 0
