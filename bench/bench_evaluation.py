"""Benchmark: policy evaluation V^π, Q^π (exact and float) against bare solves of the same linear system.

Workload: random two-player stochastic games with S states, 2×2 joint actions per state, each joint action
moving to 3 random next states with small-integer weights, integer rewards in [-5, 5], γ = 9/10, and a random
rational stationary policy.

* exact: ``evaluate_policy(game, policy)`` (assembly, flint solve, integer certificate, exact Q) vs. a bare
  python-flint ``fmpq_mat.solve`` of the same prebuilt system ``(I - γ M^π) V = r^π`` (both players' right-hand
  sides).  "cold" includes compiling the game's sparse structure (first call on a game object); "warm" reuses it.
* float: ``evaluate_policy(float game, float policy)`` vs. ``numpy.linalg.solve`` of the same prebuilt dense
  system.

Run: ``python bench/bench_evaluation.py [S ...]`` (default 10 100 1000).  Prints a table with ratios.
"""

from __future__ import annotations

import random
import sys
import time
from fractions import Fraction

import numpy as np

from jalverify.games.stochastic import StationaryPolicy, StochasticGame
from jalverify.solvers import evaluation as ev


def random_game(S: int, *, k: int = 2, successors: int = 3, seed: int = 0) -> StochasticGame:
    rng = random.Random(seed)
    states = [f"s{j}" for j in range(S)]
    actions = [[[f"a{x}" for x in range(k)] for _ in range(2)] for _ in range(S)]
    transitions, rewards = [], []
    for _ in range(S):
        rows = {}
        for a in np.ndindex(k, k):
            nxt = rng.sample(range(S), min(successors, S))
            w = [rng.randint(1, 5) for _ in nxt]
            rows[a] = {states[t]: Fraction(wi, sum(w)) for t, wi in zip(nxt, w)}
        transitions.append(rows)
        rewards.append([[[rng.randint(-5, 5) for _ in range(k)] for _ in range(k)] for _ in range(2)])
    return StochasticGame(["p0", "p1"], states, actions, transitions, rewards, Fraction(9, 10), name=f"random S={S}")


def random_policy(game: StochasticGame, seed: int = 1) -> StationaryPolicy:
    rng = random.Random(seed)
    dists = []
    for s in range(game.n_states):
        per = []
        for ki in game.n_actions(s):
            w = [rng.randint(1, 4) for _ in range(ki)]
            per.append([Fraction(x, sum(w)) for x in w])
        dists.append(per)
    return StationaryPolicy(game, dists)


def best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def bench(S: int) -> dict[str, float]:
    game = random_game(S)
    policy = random_policy(game)
    repeat = 3 if S <= 100 else 2
    out: dict[str, float] = {}
    # exact: cold (fresh game object => sparse structure compiled) and warm
    ev._MODEL_CACHE.clear()
    t = time.perf_counter()
    res = ev.evaluate_policy(game, policy)
    out["exact_cold"] = time.perf_counter() - t
    assert res.certified
    out["exact_warm"] = best_of(lambda: ev.evaluate_policy(game, policy), repeat)
    model = ev._model(game)
    _, _, A, B = ev._assemble_exact(game, model, ev._flat_policy_exact(game, policy))
    out["flint_solve"] = best_of(lambda: A.solve(B), repeat)
    out["flint_dixon"] = best_of(lambda: A.solve(B, algorithm="dixon"), repeat)
    # float
    fgame = game.to_field("float")
    fpolicy = StationaryPolicy(fgame, [[np.asarray(d, dtype=float) for d in per] for per in policy.distributions],
                               allow_float=True)
    ev._MODEL_CACHE.clear()
    t = time.perf_counter()
    fres = ev.evaluate_policy(fgame, fpolicy)
    out["float_cold"] = time.perf_counter() - t
    out["float_warm"] = best_of(lambda: ev.evaluate_policy(fgame, fpolicy), 5)
    M, rp = ev.policy_matrix(fgame, fpolicy)
    Ad = np.eye(S) - float(game.gamma) * M
    Bd = np.ascontiguousarray(rp.T)
    out["numpy_solve"] = best_of(lambda: np.linalg.solve(Ad, Bd), 5)
    err = float(np.max(np.abs(res.V.astype(float) - fres.V)))
    out["agreement"] = err
    out["digits"] = max(len(str(v.denominator)) for v in res.V.reshape(-1))
    return out


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [10, 100, 1000]
    print(f"{'S':>5} {'exact cold':>10} {'exact warm':>10} {'flint':>8} {'dixon':>8} {'ratio(c)':>8} {'ratio(w)':>8} "
          f"{'float':>8} {'numpy':>8} {'ratio':>6} {'digits':>6} {'|exact-float|':>13}")
    for S in sizes:
        r = bench(S)
        print(f"{S:>5} {r['exact_cold']:>10.4f} {r['exact_warm']:>10.4f} {r['flint_solve']:>8.4f} {r['flint_dixon']:>8.4f} "
              f"{r['exact_cold'] / r['flint_solve']:>8.2f} {r['exact_warm'] / r['flint_solve']:>8.2f} "
              f"{r['float_warm']:>8.5f} {r['numpy_solve']:>8.5f} {r['float_warm'] / r['numpy_solve']:>6.2f} "
              f"{int(r['digits']):>6} {r['agreement']:>13.2e}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
