"""Benchmark: learner steps per second, ours vs OpenSpiel's tabular multi-agent Q-learner, and scalability.

Run: ``/work/venv/bin/python bench/bench_learners.py [--quick]``

1. Same game, same algorithm family.  Rock-paper-scissors as a repeated matrix game (one state; OpenSpiel's
   ``matrix_rps`` ends every episode after one step, so its target is the reward; ours uses γ = 0, the same
   backup).  OpenSpiel runs one ``MultiagentQLearner`` per player (each solves the stage game when acting and
   when updating: Nash-Q by nashpy support enumeration with welfare selection, CE-Q by its ``_mgcce`` solver);
   ours runs one JAL-GT learner that holds every agent's Q and caches stage solutions per state.  One "step" is
   one joint action played and learned from, by all agents.
2. A small zero-sum stochastic game (two states) for our learners only.  Minimax-Q runs its compiled loop
   (:class:`~jalverify.learners.minimax_q.MinimaxQLearner`) and, for comparison, the Python loop.
3. Scalability: step cost of our learners against the number of players and actions (joint action space
   ∏|A_i|) on random single-state games.

Numbers are wall-clock on a shared machine: compare within one run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jalverify.games.stochastic import StochasticGame
from jalverify.learners import (
    EpsilonGreedy,
    RobbinsMonro,
    Simulator,
    ce_q,
    friend_q,
    independent_q,
    minimax_q,
    nash_q,
)
from jalverify.learners.examples import zero_sum_two_state


def single_state(payoffs: np.ndarray, gamma: str = "0", name: str = "matrix") -> StochasticGame:
    n = payoffs.shape[0]
    k = payoffs.shape[1:]
    T = np.ones(k + (1,), dtype=np.float64)
    acts = [[f"a{j}" for j in range(m)] for m in k]
    return StochasticGame([f"p{i}" for i in range(n)], ["s"], [acts], [T], [payoffs.astype(np.float64)],
                          float(gamma), field="float", name=name)


def time_ours(make, game: StochasticGame, steps: int) -> float:
    learner = make(game)
    sim = Simulator(game, 1)
    learner.learn(min(50, steps), sim, record_every=10 ** 9)  # warm-up (imports, first solves)
    t0 = time.perf_counter()
    learner.learn(steps, sim, record_every=10 ** 9)
    return steps / (time.perf_counter() - t0)


def time_openspiel(solver_name: str, steps: int) -> float | None:
    try:
        from open_spiel.python import rl_environment
        from open_spiel.python.algorithms import tabular_multiagent_qlearner as tmq
    except ImportError as exc:  # reported, not hidden
        print(f"  OpenSpiel not importable: {exc}")
        return None
    import warnings

    # nashpy warns on every degenerate stage game (RPS Q-tables are often degenerate); keep the table readable
    warnings.simplefilter("ignore", RuntimeWarning)
    env = rl_environment.Environment("matrix_rps")
    n_actions = [env.game.num_distinct_actions()] * 2

    def solver():
        return tmq.TwoPlayerNashSolver() if solver_name == "nash" else tmq.CorrelatedEqSolver(is_cce=False)

    agents = [tmq.MultiagentQLearner(p, 2, n_actions, solver(), step_size=0.1) for p in range(2)]

    def run(k: int) -> None:
        for _ in range(k):
            ts = env.reset()
            actions = [None, None]
            actions = [a.step(ts, actions).action for a in agents]
            ts = env.step(actions)
            for a in agents:
                a.step(ts, actions)

    run(min(20, steps))
    t0 = time.perf_counter()
    run(steps)
    return steps / (time.perf_counter() - t0)


RPS = np.array([[[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]]], dtype=np.float64)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller budgets")
    args = parser.parse_args()
    n_fast = 2000 if args.quick else 10000
    n_slow = 200 if args.quick else 1000
    common = {"schedule": RobbinsMonro(0.7), "exploration": EpsilonGreedy(0.2)}

    print("== 1. rock-paper-scissors, repeated (steps/second; higher is better)")
    rps = single_state(RPS, name="rps")
    rows = [
        ("ours  minimax-q (compiled loop)", time_ours(lambda g: minimax_q(g, **common), rps, n_fast)),
        ("ours  minimax-q (Python loop)", time_ours(lambda g: minimax_q(g, compiled=False, **common), rps, n_fast)),
        ("ours  nash-q (vertex enumeration, 'first')", time_ours(lambda g: nash_q(g, **common), rps, n_slow)),
        ("ours  ce-q-u (HiGHS LP)", time_ours(lambda g: ce_q(g, "utilitarian", **common), rps, n_slow)),
        ("ours  friend-q", time_ours(lambda g: friend_q(g, **common), rps, n_fast)),
        ("ours  iql", time_ours(lambda g: independent_q(g, **common), rps, n_fast)),
        ("OpenSpiel nash-q (TwoPlayerNashSolver, 2 learners)", time_openspiel("nash", n_slow)),
        ("OpenSpiel ce-q (CorrelatedEqSolver, 2 learners)", time_openspiel("ce", n_slow)),
    ]
    for name, rate in rows:
        print(f"  {name:52s} {'n/a' if rate is None else f'{rate:10.0f}'}")

    print("== 2. two-state zero-sum stochastic game (ours; steps/second)")
    zs = zero_sum_two_state().to_field("float")
    for name, make in [("minimax-q", lambda g: minimax_q(g, **common)),
                       ("minimax-q (Python loop)", lambda g: minimax_q(g, compiled=False, **common)), ("foe-q", None),
                       ("nash-q", lambda g: nash_q(g, **common)), ("iql", lambda g: independent_q(g, **common))]:
        if make is None:
            from jalverify.learners import foe_q

            make = lambda g: foe_q(g, **common)
        steps = n_fast if name in ("minimax-q", "minimax-q (Python loop)", "foe-q", "iql") else n_slow
        print(f"  {name:52s} {time_ours(make, zs, steps):10.0f}")

    print("== 3. scalability: microseconds per step vs players × actions (random single-state games)")
    rng = np.random.default_rng(0)
    print(f"  {'players':>7s} {'actions':>7s} {'|joint|':>8s} {'friend-q':>10s} {'ce-q-u':>10s} {'iql':>10s} {'minimax-q':>10s}")
    for n in (2, 3, 4):
        for k in (2, 3, 4, 6):
            J = k ** n
            if J > 1300:
                continue
            payoffs = rng.integers(-5, 6, size=(n,) + (k,) * n).astype(np.float64)
            g = single_state(payoffs)
            budget_fast = max(200, n_fast // max(1, J // 8))
            f = 1e6 / time_ours(lambda g: friend_q(g, **common), g, budget_fast)
            c = 1e6 / time_ours(lambda g: ce_q(g, "utilitarian", **common), g, max(20, n_slow // max(1, J // 8)))
            i = 1e6 / time_ours(lambda g: independent_q(g, **common), g, budget_fast)
            m = (f"{1e6 / time_ours(lambda g: minimax_q(g, **common), g, budget_fast):10.0f}" if n == 2 else f"{'-':>10s}")
            print(f"  {n:7d} {k:7d} {J:8d} {f:10.0f} {c:10.0f} {i:10.0f} {m}")


if __name__ == "__main__":
    main()
