import numpy as np
import pytest

from jalverify.convergence import (
    ConvergenceStatus,
    block_distance,
    check_average_return,
    check_averaged_policy,
    check_empirical_distribution,
    check_expected_return,
    check_policy,
    check_solution_set,
    distance_to_hull,
    judge_series,
)
from jalverify.errors import InvalidNumber
from jalverify.games.normal_form import NormalFormGame
from jalverify.learners import fictitious_play
from jalverify.learners.examples import matching_pennies
from jalverify.learners.traces import TraceRecorder

E, N, C = ConvergenceStatus.ESTABLISHED, ConvergenceStatus.NOT_ESTABLISHED, ConvergenceStatus.CONTRADICTED


def test_judge_series_three_states():
    d = np.r_[np.linspace(1, 0.2, 20), np.full(10, 0.01)]
    assert judge_series(d, 0.05, 10)[0] is E
    # window of 11 reaches into the decreasing part, and the window before it violates everywhere: on this run
    # "within eps from some point before the last window on" is false
    status, ev = judge_series(d, 0.05, 11)
    assert status is C and ev["window_violations"] == 1
    spike = np.full(30, 0.01)
    spike[25] = 0.2  # one violation in the final window only: not persistent
    status, ev = judge_series(spike, 0.05, 10)
    assert status is N and ev["window_violations"] == 1 and ev["within_from"] == 26
    osc = np.tile([0.0, 0.5], 20)
    status, ev = judge_series(osc, 0.1, 10)
    assert status is C and ev["window_maxima"] == [0.5, 0.5]
    assert judge_series(np.zeros(3), 0.1, 10)[0] is N  # too short for the window


def test_judge_series_is_strict_and_reports_within_from():
    d = np.array([0.3, 0.2, 0.1, 0.05, 0.05])
    status, ev = judge_series(d, 0.1, 2)
    assert status is E and ev["within_from"] == 3
    assert judge_series(np.full(5, 0.1), 0.1, 2)[0] is C  # d < eps is strict


def test_judge_series_rejects_bad_parameters():
    with pytest.raises(InvalidNumber):
        judge_series([0.0], 0.0, 1)
    with pytest.raises(InvalidNumber):
        judge_series([0.0], 0.1, 0)


def test_block_distances():
    p = [np.array([0.5, 0.5]), np.array([1.0, 0.0, 0.0])]
    q = [np.array([1.0, 0.0]), np.array([0.0, 0.5, 0.5])]
    assert block_distance(p, q, "tv") == 1.0
    assert block_distance(p, q, "linf") == 1.0
    assert block_distance(p[:1], q[:1], "tv") == 0.5


def test_distance_to_hull_known_answers():
    v1 = [np.array([1.0, 0.0])]
    v2 = [np.array([0.0, 1.0])]
    assert distance_to_hull([np.array([0.3, 0.7])], [v1, v2], "tv") == pytest.approx(0.0, abs=1e-9)
    v3 = [np.array([0.5, 0.5, 0.0])]
    v4 = [np.array([0.0, 0.5, 0.5])]
    # point (1, 0, 0): nearest hull point (1/2, 1/2, 0): TV 1/2, L∞ 1/2
    assert distance_to_hull([np.array([1.0, 0.0, 0.0])], [v3, v4], "tv") == pytest.approx(0.5, abs=1e-8)
    # L∞: the hull point (t/2+..): best is (1/2, 1/2, 0) too, distance 1/2
    assert distance_to_hull([np.array([1.0, 0.0, 0.0])], [v3, v4], "linf") == pytest.approx(0.5, abs=1e-8)


def _synthetic_trace(policies, n_agents=2):
    k = policies[0].shape
    rec = TraceRecorder({"algorithm": "synthetic", "start": [1.0]}, (k,), n_agents, len(policies))
    for z, p in enumerate(policies):
        flat = int(np.argmax(p.reshape(-1)))
        rec.log_step(0, flat, np.zeros(n_agents))
        rec.log_episode(z + 1, np.array([float(z % 2), 0.0]))
        rec.snapshot(z + 1, [np.zeros((n_agents,) + k)], [p], [np.zeros(k, dtype=np.int64)])
    return rec.finish()


def test_policy_vs_averaged_policy_on_alternating_pure_policies():
    a = np.array([[1.0, 0.0], [0.0, 0.0]])
    b = np.array([[0.0, 0.0], [0.0, 1.0]])
    tr = _synthetic_trace([a, b] * 100)
    mid = (a + b) / 2
    assert check_policy(tr, mid, epsilon=0.1, window=20).status is C
    assert check_averaged_policy(tr, mid, epsilon=0.1, window=20).status is E
    assert check_empirical_distribution(tr, mid, epsilon=0.1, window=20).status is E
    rep = check_solution_set(tr, [a, b], epsilon=0.1, window=20, of="averaged")
    assert rep.status is C  # the average sits between the members, far from each
    rep = check_solution_set(tr, [a, b], epsilon=0.1, window=20, of="averaged", hull=True)
    assert rep.status is E and rep.evidence["window_max"] < 0.1
    rep = check_average_return(tr, None, [0.5, 0.0], epsilon=0.05, window=20, source="sampled")
    assert rep.status is E
    assert rep.to_json()["status"] == "established"


def test_fictitious_play_separates_policy_from_empirical_distribution():
    tr = fictitious_play(matching_pennies(), 3000, record_every=10)
    nash = np.full((2, 2), 0.25)
    assert check_policy(tr, nash, epsilon=0.05, window=50, view="marginals").status is C
    assert check_empirical_distribution(tr, nash, epsilon=0.05, window=50, view="marginals").status is E


def test_expected_return_of_stochastic_trace():
    from jalverify.learners import EpsilonGreedy, RobbinsMonro, Simulator, minimax_q
    from jalverify.learners.examples import zero_sum_rational

    g = zero_sum_rational()
    learner = minimax_q(g, exploration=EpsilonGreedy(1.0), schedule=RobbinsMonro(0.7), seed=0)
    tr = learner.learn(4000, Simulator(g, 1, start="s0", episode_length=20), record_every=100)
    # U_0(π*) from s0 is V*(s0) = 2/5; the learned minimax policies are near-optimal, so U_0 → 2/5
    rep = check_expected_return(tr, g, [0.4, -0.4], epsilon=0.1, window=5)
    assert rep.status is E, rep.evidence


def test_regret_matching_reaches_cce_set_not_the_nash_point():
    """Shapley's game: the empirical joint distribution of regret matching approaches the exact CCE polytope
    (distance to its convex hull by LP) while it stays far from the unique Nash equilibrium (uniform product)."""
    from jalverify.convergence import correlated_set
    from jalverify.learners import regret_matching

    g = NormalFormGame.bimatrix([[0, 1, 0], [0, 0, 1], [1, 0, 0]], [[0, 0, 1], [1, 0, 0], [0, 1, 0]], name="Shapley")
    tr = regret_matching(g, 8000, seed=0, record_every=100)
    vertices = correlated_set(g, coarse=True)
    rep = check_solution_set(tr, vertices, epsilon=0.03, window=10, of="empirical", hull=True)
    assert rep.status is E, rep.evidence
    far = check_empirical_distribution(tr, np.full((3, 3), 1 / 9), epsilon=0.03, window=10)
    assert far.status is C


def test_minimax_and_nash_sets_for_matching_pennies():
    from jalverify.convergence import minimax_set, nash_set

    mp = matching_pennies()
    assert len(minimax_set(mp)) == 1 and np.allclose(minimax_set(mp)[0], 0.25)
    assert len(nash_set(mp)) == 1 and np.allclose(nash_set(mp)[0], 0.25)


from hypothesis import given, settings
from hypothesis import strategies as st


@settings(max_examples=30)
@given(st.integers(2, 5), st.integers(1, 4), st.integers(0, 10 ** 6))
def test_hull_distance_properties(size, members, seed):
    rng = np.random.default_rng(seed)
    V = [[rng.dirichlet(np.ones(size))] for _ in range(members)]
    lam = rng.dirichlet(np.ones(members))
    inside = [sum(l * v[0] for l, v in zip(lam, V))]
    point = [rng.dirichlet(np.ones(size))]
    for metric in ("tv", "linf"):
        assert distance_to_hull(inside, V, metric) <= 1e-7  # a convex combination is in the hull
        d_hull = distance_to_hull(point, V, metric)
        d_members = min(block_distance(point, v, metric) for v in V)
        assert d_hull <= d_members + 1e-7  # the hull contains every member
        assert d_hull >= 0.0


def test_load_trace_rejects_other_files(tmp_path):
    from jalverify.errors import InvalidFile
    from jalverify.learners import load_trace

    bad = tmp_path / "x.npz"
    np.savez(bad, a=np.zeros(2))
    with pytest.raises(InvalidFile):
        load_trace(bad)
    text = tmp_path / "y.npz"
    text.write_text("not a zip")
    with pytest.raises(InvalidFile):
        load_trace(text)


def test_conditional_regret_matching_reaches_the_ce_set():
    """Hart & Mas-Colell's procedure: the empirical joint distribution approaches the exact CE polytope."""
    from jalverify.convergence import correlated_set
    from jalverify.learners import regret_matching

    g = NormalFormGame.bimatrix([[1, 0], [0, 0], [0, 1]], [[0, 0], [0, 1], [0, 0]], name="CCE but not CE")
    tr = regret_matching(g, 6000, seed=1, record_every=100, conditional=True)
    assert tr.header["algorithm"] == "conditional-regret-matching"
    rep = check_solution_set(tr, correlated_set(g), epsilon=0.03, window=10, of="empirical", hull=True)
    assert rep.status is E, rep.evidence
