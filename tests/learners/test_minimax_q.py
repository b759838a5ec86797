from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from jalverify.games.stochastic import StochasticGame
from jalverify.learners import EpsilonGreedy, RobbinsMonro, Simulator, foe_q, load_trace, maximin, minimax_q
from jalverify.learners.examples import zero_sum_rational, zero_sum_rational_q_star, zero_sum_two_state
from jalverify.learners.minimax_q import MinimaxConcept, maximin_with_kernel
from jalverify.numbers import EXACT, FLOAT
from jalverify.solvers.minimax import minimax_value


@pytest.mark.parametrize("A", [
    [[2.0, 0.0], [-1.0, 3.0]],      # mixed 2x2, value 1
    [[1.0, 2.0], [0.0, 5.0]],       # pure saddle
    [[3.0, -1.0, 0.5]],             # one row
    [[3.0], [-1.0], [4.0]],         # one column
    [[0.0, 1.0, -1.0], [-1.0, 0.0, 1.0], [1.0, -1.0, 0.0]],  # RPS, HiGHS path
])
def test_maximin_shortcuts_agree_with_the_lp(A):
    A = np.array(A)
    v, x, y = maximin(A, FLOAT)
    v_lp, _, _ = minimax_value(A, field=FLOAT)
    assert v == pytest.approx(v_lp, abs=1e-9)
    assert (x @ A).min() >= v - 1e-9 and (A @ y).max() <= v + 1e-9
    assert x.sum() == pytest.approx(1.0) and y.sum() == pytest.approx(1.0)


def test_maximin_exact_shortcut_is_exact():
    A = np.array([[F(1), F(2)], [F(0), F(5)]], dtype=object)
    v, x, y = maximin(A, EXACT)
    assert v == F(1) and list(x) == [1, 0] and list(y) == [1, 0]


def test_minimax_q_reaches_q_star_within_tolerance():
    g = zero_sum_two_state()
    learner = minimax_q(g, exploration=EpsilonGreedy(1.0), schedule=RobbinsMonro(0.7), seed=3)
    q_star, _, change = learner.iterate_operator(200, tol=1e-13)
    assert change <= 1e-13
    trace = learner.learn(6000, Simulator(g, 4, start="uniform", episode_length=10), reference_q=q_star)
    assert trace.error[0] > 1.0
    assert trace.error[-1] < 0.1  # stated tolerance for this budget (seeded, reproducible)


def test_operator_fixed_point_is_exact_in_fractions():
    g = zero_sum_rational()
    learner = minimax_q(g)
    q_star = zero_sum_rational_q_star()
    out = learner.apply_operator(q_star, "exact")
    assert all(np.all(a == b) for a, b in zip(out, q_star))
    # and a perturbed Q is not a fixed point
    bad = [q.copy() for q in q_star]
    bad[1][0, 0, 0] += F(1, 1000)
    bad[1][1, 0, 0] -= F(1, 1000)
    out = learner.apply_operator(bad, "exact")
    assert not all(np.all(a == b) for a, b in zip(out, bad))


def test_target_matches_definition():
    g = zero_sum_two_state()
    learner = minimax_q(g)
    A = np.array([[2.0, 0.0], [-1.0, 3.0]])
    learner.set_q(1, np.stack([A, -A]))
    t = learner.target(0, (0, 1), np.array([-1.0, 1.0]), 1)
    assert t == pytest.approx([-1.0 + 0.5 * 1.0, 1.0 - 0.5 * 1.0])


def test_foe_q_equals_minimax_q_for_two_agents():
    g = zero_sum_two_state()
    a = minimax_q(g)
    b = foe_q(g)
    qa, _, _ = a.iterate_operator(100)
    qb, _, _ = b.iterate_operator(100)
    assert all(np.allclose(x, y, atol=1e-12) for x, y in zip(qa, qb))


def test_trace_round_trip(tmp_path):
    g = zero_sum_two_state()
    learner = minimax_q(g, seed=1)
    tr = learner.learn(300, record_every=50)
    path = tr.save(tmp_path / "run.npz")
    back = load_trace(path)
    assert back.header["algorithm"] == "minimax-q" and back.n_snapshots == tr.n_snapshots == 7
    assert np.array_equal(back.q[1], tr.q[1]) and np.array_equal(back.step_actions, tr.step_actions)
    assert back.visits[0][-1].sum() + back.visits[1][-1].sum() == 300
    assert np.allclose(back.empirical_distributions(0)[-1].sum(), 1.0)


def test_same_seed_same_trace():
    g = zero_sum_two_state()
    t1 = minimax_q(g, seed=5).learn(200)
    t2 = minimax_q(g, seed=5).learn(200)
    assert np.array_equal(t1.q[0], t2.q[0]) and np.array_equal(t1.step_states, t2.step_states)


def test_too_small_budget_is_not_a_refutation():
    """A finite run far too short to converge is reported as not established, never REFUTED: the
    exact part of the claim is minimax_q.backup_fixed_point."""
    from jalverify.theorems.learning import check_minimax_q_convergence
    from jalverify.verdicts import Status

    verdict = check_minimax_q_convergence(zero_sum_two_state(), steps_per_pair=2)
    assert verdict.status is Status.NOT_ESTABLISHED, verdict
    assert "not established" in verdict.message and verdict.witness["relative_error"] > 0.05
    assert verdict.witness["steps"] == 16


@given(st.tuples(st.integers(1, 5), st.integers(1, 5)).flatmap(
    lambda s: arrays(np.int64, s, elements=st.integers(-3, 3))))
def test_maximin_float_agrees_with_the_exact_value_up_to_5x5(A):
    """The float path (saddle, 2×2 closed form, Shapley–Snow kernels, HiGHS) against the certified exact LP."""
    v_exact, _, _ = minimax_value(A, field="exact")
    Af = A.astype(np.float64)
    v, x, y = maximin(Af, FLOAT)
    assert v == pytest.approx(float(v_exact), abs=1e-9)
    assert (x @ Af).min() >= float(v_exact) - 1e-9 and (Af @ y).max() <= float(v_exact) + 1e-9


def test_warm_started_stage_solutions_equal_cold_solves():
    """The learner hands each state's previous kernel to the concept; the values must not depend on it."""
    rng = np.random.default_rng(0)
    acts = [[["u", "m", "d"], ["l", "c", "r", "x"]]] * 2  # 3×4 stage games: the kernel path, not the 2×2 form
    T = [rng.dirichlet(np.ones(2), size=(3, 4)) for _ in range(2)]
    R = [np.stack([A, -A]) for A in (rng.normal(size=(3, 4)), rng.normal(size=(3, 4)))]
    g = StochasticGame(["a", "b"], ["s0", "s1"], acts, T, R, 0.8, field="float")
    learner = minimax_q(g, exploration=EpsilonGreedy(1.0), schedule=RobbinsMonro(0.7), seed=5)
    sim = Simulator(g, 6, start="uniform", episode_length=5)
    for k in range(300):
        if k % 50 == 0:  # random Q: mixed stage games, so kernels are found and handed back as hints
            for s in range(g.n_states):
                A = rng.normal(size=learner.q[s].shape[1:])
                learner.set_q(s, np.stack([A, -A]))
        learner.learn(1, sim, record_every=1)
        for s in range(g.n_states):
            warm = learner.stage_solution(s)
            cold = MinimaxConcept().solve(learner.q[s], FLOAT)
            assert warm.values == pytest.approx(cold.values, abs=1e-10)
    assert any(k is not None for s in range(2) for k in learner._stale[s].info["kernels"])  # hints were used


def test_kernel_of_a_mixed_stage_game_is_reported():
    A = np.array([[0.0, -1.0, 1.0], [1.0, 0.0, -1.0], [-1.0, 1.0, 0.0]])
    v, _, _, kernel = maximin_with_kernel(A, FLOAT)
    assert v == pytest.approx(0.0, abs=1e-12) and kernel == ((0, 1, 2), (0, 1, 2))
    v2, _, _, kernel2 = maximin_with_kernel(A, FLOAT, hint=kernel)
    assert v2 == v and kernel2 == kernel
    sol = MinimaxConcept().solve(np.stack([A, -A]), FLOAT)
    assert sol.info["kernels"] == (kernel, None)
