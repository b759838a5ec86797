"""The compiled Minimax-Q loop and stage solver against the Python loop, the numpy stage path and the exact LP.

The compiled loop draws the same random numbers as the Python loop (see :mod:`jalverify.learners._minimax_q_kernel`),
so for one seed the two runs must give the same step log, episode log and visit counts, and Q within float
round-off (pure saddle points and 2×2 closed forms are bit-identical; Shapley–Snow kernels are summed in
another order).  With every stage game handed to the numpy path (``_compiled_stage = False``) the runs must
agree bit for bit.
"""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from jalverify.games.stochastic import StochasticGame
from jalverify.learners import ConstantStep, EpsilonGreedy, RobbinsMonro, Simulator, minimax_q
from jalverify.learners.examples import zero_sum_two_state
from jalverify.learners.minimax_q import maximin_with_kernel
from jalverify.numbers import FLOAT
from jalverify.solvers._compiled_kernel_minimax import compiled_maximin
from jalverify.solvers.minimax import minimax_value

# --------------------------------------------------------------------------------------------------------------
# the compiled stage solver
# --------------------------------------------------------------------------------------------------------------
int_matrices = st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(
    lambda s: arrays(np.int64, s, elements=st.integers(-3, 3)))


@given(int_matrices)
def test_compiled_stage_solver_agrees_with_the_exact_minimax_value(A):
    v_exact, _, _ = minimax_value(A, field="exact")
    Af = A.astype(np.float64)
    sol = compiled_maximin(Af)
    assert sol.solved
    v = float(v_exact)
    assert sol.value == pytest.approx(v, abs=1e-9)
    assert sol.x.min() >= 0.0 and sol.y.min() >= 0.0
    assert sol.x.sum() == pytest.approx(1.0, abs=1e-12) and sol.y.sum() == pytest.approx(1.0, abs=1e-12)
    # the strategies guarantee the value: x earns at least v against every column, y concedes at most v
    assert (sol.x @ Af).min() >= v - 1e-9 and (Af @ sol.y).max() <= v + 1e-9


@given(st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(
    lambda s: arrays(np.float64, s, elements=st.floats(-10, 10, allow_nan=False, allow_infinity=False))))
def test_compiled_stage_solver_agrees_with_the_numpy_path(A):
    v, x, y, kernel = maximin_with_kernel(A, FLOAT)
    sol = compiled_maximin(A)
    assert sol.solved
    scale = max(1.0, float(np.abs(A).max()))
    assert sol.value == pytest.approx(v, abs=1e-10 * scale)
    gap = float((A @ sol.y).max() - (sol.x @ A).min())
    assert gap <= 1e-11 * scale  # the stated tolerance of the kernel path
    if kernel is None and sol.kernel is None:  # pure saddle point or 2×2 closed form on both paths: same bits
        assert sol.value == v and np.array_equal(sol.x, x) and np.array_equal(sol.y, y)
    if sol.kernel is not None:  # handing the accepted kernel back as a hint returns it at once
        again = compiled_maximin(A, hint=sol.kernel)
        assert again.kernel == sol.kernel and again.value == pytest.approx(sol.value, abs=1e-12 * scale)


def test_compiled_stage_solver_declines_what_it_cannot_decide():
    rps = np.array([[0.0, -1.0, 1.0], [1.0, 0.0, -1.0], [-1.0, 1.0, 0.0]])
    assert compiled_maximin(rps).solved and compiled_maximin(rps).kernel == ((0, 1, 2), (0, 1, 2))
    assert not compiled_maximin(rps, max_actions=2).solved  # too many actions: another solver must decide
    assert not compiled_maximin(rps, tol_factor=-1.0).solved  # no kernel within a negative gap
    bad = rps.copy()
    bad[0, 1] = np.inf
    assert not compiled_maximin(bad).solved


# --------------------------------------------------------------------------------------------------------------
# the compiled learning loop against the Python loop
# --------------------------------------------------------------------------------------------------------------
@st.composite
def small_stochastic_games(draw: Any, max_actions: int = 4) -> StochasticGame:
    """1–3 states, 1–``max_actions`` actions per player and state, integer rewards (zero-sum or not), sparse
    transitions, possibly a terminal state."""
    S = draw(st.integers(1, 3))
    zero_sum = draw(st.booleans())
    terminal = [False] * S
    if S > 1 and draw(st.booleans()):
        terminal[-1] = True  # absorbing, one action each, reward 0
    acts, T, R = [], [], []
    for s in range(S):
        k = (1, 1) if terminal[s] else (draw(st.integers(1, max_actions)), draw(st.integers(1, max_actions)))
        acts.append([[f"a{i}" for i in range(k[0])], [f"b{j}" for j in range(k[1])]])
        if terminal[s]:
            T.append(np.eye(S)[s].reshape(1, 1, S))
            R.append(np.zeros((2, 1, 1, S)))
            continue
        w = draw(arrays(np.int64, k + (S,), elements=st.integers(0, 2))).astype(np.float64)
        w[..., s] += (w.sum(axis=-1) == 0)  # every row needs some mass
        T.append(w / w.sum(axis=-1, keepdims=True))
        r0 = draw(arrays(np.int64, k + (S,), elements=st.integers(-3, 3))).astype(np.float64)
        r1 = -r0 if zero_sum else draw(arrays(np.int64, k + (S,), elements=st.integers(-3, 3))).astype(np.float64)
        R.append(np.stack([r0, r1]))
    gamma = draw(st.sampled_from([0.0, 0.5, 0.9]))
    return StochasticGame(["p0", "p1"], [f"s{s}" for s in range(S)], acts, T, R, gamma, terminal=terminal,
                          field="float", name="generated")


def _pair(game: StochasticGame, eps: float = 1.0, schedule: Any = None, **kw: Any) -> tuple[Any, Any]:
    make = dict(schedule=schedule if schedule is not None else RobbinsMonro(0.7), exploration=EpsilonGreedy(eps),
                seed=7, **kw)
    return minimax_q(game, compiled=False, **make), minimax_q(game, **make)


def _sims(game: StochasticGame, start: str = "uniform", episode_length: int | None = 6) -> tuple[Simulator, Simulator]:
    return (Simulator(game, 8, start=start, episode_length=episode_length),
            Simulator(game, 8, start=start, episode_length=episode_length))


def _assert_same_run(ta: Any, tb: Any, *, exact: bool) -> None:
    assert ta.header == tb.header
    assert np.array_equal(ta.snapshot_steps, tb.snapshot_steps)
    assert np.array_equal(ta.step_states, tb.step_states) and np.array_equal(ta.step_actions, tb.step_actions)
    assert np.array_equal(ta.step_rewards, tb.step_rewards)
    assert np.array_equal(ta.episode_end_steps, tb.episode_end_steps)
    assert np.allclose(ta.episode_returns, tb.episode_returns, rtol=0, atol=1e-12)
    assert all(np.array_equal(x, y) for x, y in zip(ta.visits, tb.visits))
    for qa, qb in zip(ta.q, tb.q):
        if exact:
            assert np.array_equal(qa, qb)
        else:
            assert np.allclose(qa, qb, rtol=0, atol=1e-9)


@given(small_stochastic_games())
def test_compiled_loop_reproduces_the_python_loop_with_uniform_exploration(game):
    a, b = _pair(game, 1.0)
    sa, sb = _sims(game)
    ta = a.learn(300, sa, record_every=37)
    tb = b.learn(300, sb, record_every=37)
    assert (a.engine, b.engine) == ("python", "compiled")
    _assert_same_run(ta, tb, exact=False)
    assert a.stage_solves == b.stage_solves
    assert (sa.state, sa.episode_step, sa.episodes) == (sb.state, sb.episode_step, sb.episodes)
    assert sa.rng.random() == sb.rng.random() and a.rng.random() == b.rng.random()  # same draws consumed


@given(small_stochastic_games(max_actions=7), st.sampled_from([0.0, 0.3, 1.0]))
def test_compiled_loop_with_every_stage_game_on_the_numpy_path_is_bit_identical(game, eps):
    """The loop's own mechanics (sampling, exploration, episodes, backups, logs) against the Python loop, with
    every stage game solved by the numpy/HiGHS path (up to 7 actions: beyond the kernel limit)."""
    a, b = _pair(game, eps, schedule=ConstantStep(0.3))
    b._compiled_stage = False
    sa, sb = _sims(game, start="initial", episode_length=None)
    ta = a.learn(200, sa, record_every=50)
    tb = b.learn(200, sb, record_every=50)
    assert b.engine == "compiled"
    _assert_same_run(ta, tb, exact=True)
    assert all(np.array_equal(x, y) for x, y in zip(ta.policies, tb.policies))
    assert a.stage_solves == b.stage_solves


def _kernel_game() -> StochasticGame:
    """Two states with 3×4 stage games and normal rewards: mixed stage games, solved by Shapley–Snow kernels."""
    rng = np.random.default_rng(0)
    acts = [[["u", "m", "d"], ["l", "c", "r", "x"]]] * 2
    T = [rng.dirichlet(np.ones(2), size=(3, 4)) for _ in range(2)]
    R = [np.stack([A, -A]) for A in (rng.normal(size=(3, 4, 2)), rng.normal(size=(3, 4, 2)))]
    return StochasticGame(["a", "b"], ["s0", "s1"], acts, T, R, 0.8, field="float")


@pytest.mark.parametrize(("exploration", "schedule"), [
    (EpsilonGreedy(0.0), RobbinsMonro(0.8)),
    (EpsilonGreedy(0.2), RobbinsMonro(0.6, scale=2.0, offset=3.0)),
    (EpsilonGreedy(0.9, decay=0.999, minimum=0.05), ConstantStep(0.2)),
])
def test_compiled_loop_reproduces_the_python_loop_when_playing_the_stage_solution(exploration, schedule):
    """ε < 1: the sampled actions depend on the mixed stage strategies (3×4 games: the kernel path)."""
    g = _kernel_game()
    a, b = _pair(g, schedule=schedule, initial_q=0.5)
    a.exploration = b.exploration = exploration
    sa, sb = _sims(g)
    ta = a.learn(2000, sa)
    tb = b.learn(2000, sb)
    _assert_same_run(ta, tb, exact=False)
    assert all(np.allclose(x, y, atol=1e-9) for x, y in zip(ta.policies, tb.policies))


def test_python_and_compiled_steps_can_be_mixed():
    """act/update from Python, set_q, learn() and advance() on one learner give the run of the Python loop
    (kernel hints handed between the two loops included)."""
    g = _kernel_game()
    a, b = _pair(g, 0.3, reward_scaling=True)
    sa, sb = _sims(g)
    A = np.random.default_rng(1).normal(size=(3, 4))
    for learner, sim in ((a, sa), (b, sb)):
        learner.learn(50, sim)
        for _ in range(30):
            tr = sim.step(learner.act(sim.state, learner.steps_done))
            learner.update(tr)
            learner.steps_done += 1
        learner.set_q(0, np.stack([A, -A]))
        learner.advance(100, sim)
        learner.learn(60, sim, record_every=7)
    assert b.engine == "compiled" and a.steps_done == b.steps_done == 240
    assert all(np.allclose(x, y, rtol=0, atol=1e-12) for x, y in zip(a.q, b.q))
    assert all(np.array_equal(x, y) for x, y in zip(a.counts, b.counts))
    for s in range(2):
        assert np.allclose(a.stage_solution(s).values, b.stage_solution(s).values, atol=1e-12)
        assert a.stage_solution(s).info["kernels"] == b.stage_solution(s).info["kernels"]
        assert a._stale[s].info["kernels"] == b._stale[s].info["kernels"]


def test_a_pickled_learner_continues_the_same_run():
    g = zero_sum_two_state()
    _, b = _pair(g, 0.2)
    sim = Simulator(g, 3, start="uniform", episode_length=5)
    b.learn(100, sim)
    c = pickle.loads(pickle.dumps(b))
    sim_c = pickle.loads(pickle.dumps(sim))
    b.advance(200, sim)
    c.advance(200, sim_c)
    assert c.engine == "compiled"
    assert all(np.array_equal(x, y) for x, y in zip(b.q, c.q)) and all(np.array_equal(x, y) for x, y in zip(b.counts, c.counts))


def test_progress_and_snapshots_at_the_python_loop_steps():
    g = zero_sum_two_state()
    a, b = _pair(g, 1.0)
    sa, sb = _sims(g)
    calls: tuple[list, list] = ([], [])
    ta = a.learn(250, sa, record_every=40, progress=lambda d, n: calls[0].append((d, n)))
    tb = b.learn(250, sb, record_every=40, progress=lambda d, n: calls[1].append((d, n)))
    assert calls[0] == calls[1] and len(calls[0]) == 125  # every 250 // 100 = 2 steps
    assert list(tb.snapshot_steps) == [0, 40, 80, 120, 160, 200, 240, 250]
    _assert_same_run(ta, tb, exact=False)


def test_the_python_loop_runs_when_the_conditions_do_not_hold():
    g = zero_sum_two_state()

    class Halving:
        robbins_monro = False

        def __call__(self, visits: int) -> float:
            return 0.5

        def describe(self) -> dict[str, object]:
            return {"kind": "halving"}

    learner = minimax_q(g, schedule=Halving(), seed=1)
    learner.learn(20)
    assert learner.engine == "python" and "schedule" in learner.engine_reason
    off = minimax_q(g, compiled=False)
    off.advance(5, Simulator(g, 1))
    assert off.engine == "python" and off.engine_reason == "compiled=False"
