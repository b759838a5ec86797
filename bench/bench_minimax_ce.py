"""Benchmark: zero-sum values and correlated-equilibrium LPs, exact (certified) and float, against plain solvers.

Workloads (issue 3 §5):

* zero-sum value of random k×k integer games: ``minimax_value(A)`` exact with certificate vs a bare HiGHS
  solve of the same stage LP (``highspy``, model passed as compressed-column arrays, no basis read) and scipy's
  ``linprog`` (HiGHS too); target (issue 15): exact within 1.5× of bare HiGHS at every size;
* utilitarian CE of random 2-player k×k games and 3-player k×k×k games: ours float (HiGHS directly) vs the same
  LP through cvxpy's default solver (target: ours at least 2× faster), and ours exact vs ours float (target,
  issue 15: exact within 1.5× at every size).

Every answer is cross-checked (exact value vs floats within 1e-6).  Plain script, not a test:

    python bench/bench_minimax_ce.py [--reps 3] [--minimax-sizes 10 50 100 200 500] [--ce-sizes 5 10 20 40]
                                     [--ce3-sizes 3 4 5 6 8] [--no-cvxpy]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jalverify.games.normal_form import NormalFormGame
from jalverify.solvers.correlated import correlated_constraints, correlated_solve
from jalverify.solvers.minimax import _highs_stage_lp, minimax_value


def timed(fn: Callable[[], Any], reps: int) -> tuple[float, Any]:
    """Minimum CPU time (``time.process_time``) over ``reps`` runs: robust on a shared, loaded machine."""
    times, out = [], None
    for _ in range(reps):
        t = time.process_time()
        out = fn()
        times.append(time.process_time() - t)
    return min(times), out


def scipy_value(A: np.ndarray) -> float:
    from scipy.optimize import linprog

    k, l = A.shape
    c = np.zeros(k + 1)
    c[k] = -1.0
    A_ub = np.hstack([-A.T, np.ones((l, 1))])
    A_eq = np.hstack([np.ones((1, k)), np.zeros((1, 1))])
    bounds = [(0, None)] * k + [(None, None)]
    res = linprog(c, A_ub=A_ub, b_ub=np.zeros(l), A_eq=A_eq, b_eq=[1.0], bounds=bounds, method="highs")
    return -res.fun


def bench_minimax(sizes: list[int], reps: int, rng: np.random.Generator) -> None:
    print("zero-sum value, random k×k integer games in -100..100 (min CPU seconds)")
    print(f"{'k':>5} {'bare HiGHS':>11} {'scipy':>9} {'ours float':>11} {'ours exact':>11} {'exact/bare':>11}")
    for k in sizes:
        A = rng.integers(-100, 101, size=(k, k))
        Af = A.astype(float)
        t_bare, out = timed(lambda Af=Af: _highs_stage_lp(Af, want_basis=False), reps)
        t_scipy, v_scipy = timed(lambda Af=Af: scipy_value(Af), reps)
        t_float, (v_float, _, _) = timed(lambda Af=Af: minimax_value(Af, field="float"), reps)
        t_exact, (v_exact, _, _) = timed(lambda A=A: minimax_value(A), reps)
        assert abs(float(v_exact) - out.objective) < 1e-6 and abs(float(v_exact) - v_scipy) < 1e-6
        assert abs(float(v_exact) - v_float) < 1e-6
        print(f"{k:>5} {t_bare:>11.4f} {t_scipy:>9.4f} {t_float:>11.4f} {t_exact:>11.4f} {t_exact / t_bare:>11.2f}")


def cvxpy_ce(game: NormalFormGame) -> float:
    import cvxpy as cp

    (m, N), rows, cols, vals = correlated_constraints(game, field="float")
    import scipy.sparse as sp

    G = sp.csr_matrix((vals, (rows, cols)), shape=(m, N))
    welfare = np.asarray(game.payoffs, dtype=float).reshape(game.n_players, -1).sum(axis=0)
    x = cp.Variable(N, nonneg=True)
    problem = cp.Problem(cp.Maximize(welfare @ x), [G @ x <= 0, cp.sum(x) == 1])
    problem.solve()
    return float(problem.value)


def bench_ce(shapes: list[tuple[int, ...]], reps: int, rng: np.random.Generator, use_cvxpy: bool) -> None:
    print("utilitarian CE, random integer games in -10..10 (min CPU seconds)")
    print(f"{'shape':>10} {'cvxpy':>9} {'ours float':>11} {'ours exact':>11} {'cvxpy/float':>12} {'exact/float':>12}")
    for shape in shapes:
        P = rng.integers(-10, 11, size=(len(shape), *shape))
        exact_game = NormalFormGame(P)
        float_game = NormalFormGame(P.astype(float), field="float")
        t_float, rf = timed(lambda g=float_game: correlated_solve(g, field="float"), reps)
        t_exact, re = timed(lambda g=exact_game: correlated_solve(g), reps)
        assert abs(float(re.objective_value) - rf.objective_value) < 1e-6
        if use_cvxpy:
            t_cvx, v_cvx = timed(lambda g=float_game: cvxpy_ce(g), max(1, reps // 2))
            assert abs(v_cvx - rf.objective_value) < 1e-4 * max(1.0, abs(v_cvx))
            cvx_cols = f"{t_cvx:>9.4f}", f"{t_cvx / t_float:>12.1f}"
        else:
            cvx_cols = f"{'-':>9}", f"{'-':>12}"
        label = "×".join(str(k) for k in shape)
        print(f"{label:>10} {cvx_cols[0]} {t_float:>11.4f} {t_exact:>11.4f} {cvx_cols[1]} {t_exact / t_float:>12.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--minimax-sizes", type=int, nargs="*", default=[10, 50, 100, 200, 500])
    parser.add_argument("--ce-sizes", type=int, nargs="*", default=[5, 10, 20, 40])
    parser.add_argument("--ce3-sizes", type=int, nargs="*", default=[3, 4, 5, 6, 8])
    parser.add_argument("--no-cvxpy", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    bench_minimax(args.minimax_sizes, args.reps, rng)
    print()
    shapes = [(k, k) for k in args.ce_sizes] + [(k, k, k) for k in args.ce3_sizes]
    bench_ce(shapes, args.reps, rng, not args.no_cvxpy)


if __name__ == "__main__":
    main()
