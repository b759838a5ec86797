"""One command for every benchmark of issues 3 §5, 4 and 5: our solvers and the peers on the same games.

    python bench/run_all.py [--quick] [--only NAME ...] [--out bench/results/latest.json] [--seed 2026]

Workloads (``--only`` takes these names):

* ``nash_all``   all extreme Nash equilibria of random k×k integer bimatrix games (payoffs -10..10) and of
  degenerate ones (payoffs 0..2): ours exact vertex enumeration vs pygambit ``enummixed_solve(rational=True)``,
  ``lrsnash`` (lrslib, subprocess), nashpy ``vertex_enumeration`` and QuantEcon ``vertex_enumeration`` (floats).
  Check: equilibrium counts per method; exact sets compared exactly ("never missed an equilibrium that either
  finds"); float answers must each match one of ours within 1e-6.
* ``nash_one``   one equilibrium (Lemke–Howson from label 0), k = 10…100: ours exact and float vs pygambit
  ``lcp_solve(stop_after=1)`` exact and float, nashpy and QuantEcon ``lemke_howson``.  Check: regret of each
  answer (exact 0 / float ≤ 1e-6).
* ``zero_sum``   value of random k×k integer games (-100..100), k = 10…500: ours exact (certified) and float vs
  a bare highspy solve of the same LP, scipy ``linprog(method="highs")`` and OpenSpiel's ``lp_solver`` (needs
  cvxopt).  Check: the exact certificate re-verified here with Fractions, every float value within 1e-6.
* ``ce``         utilitarian CE, 2 players k = 5…40 and 3 players 3…8 actions: ours float (HiGHS) and exact
  (certified) vs the same LP through cvxpy's default solver.  Check: values agree (1e-6 / 1e-4 for cvxpy).
* ``evaluation`` policy evaluation V^π, Q^π on random 2-player stochastic games, S = 10…1000: ours exact/float
  vs a bare python-flint solve and a dense numpy solve of the same system (``bench_evaluation.bench``).
  Check: exact result certified, |exact - float| reported.
* ``strategies`` random exact 3×3 games per second from ``jalverify.strategies`` (target ≥ 500/s).
* ``learners``   steps/s on repeated rock-paper-scissors, ours vs OpenSpiel's ``MultiagentQLearner`` (Nash-Q and
  CE-Q solvers), and our step cost against players × actions.  Check: every Q table finite after the run.
* ``soccer``     Minimax-Q steps/s on Littman's soccer, compiled loop and Python loop.  Check: same Q after 5000
  steps from the same seeds (1e-9), finite.
* ``cli``        process wall time of ``import jalverify`` (no heavy module imported) and of ``jalverify verify
  --profile quick`` (fewest examples per theorem claimed to hold; no theorem failed).
* ``validate_all``  ``jalverify validate --all-builtin --profile quick`` (wall time; minutes, skipped by --quick).
* ``first_command`` the README's first command in a fresh venv of a fresh clone (wall time; skipped by --quick).

The last section of the output is the issue-15 goals (``speed_targets``), each met / NOT met / not measured.

Times are CPU seconds of this process (plus children for lrsnash), minimum over repetitions for the LP and
evaluation workloads (as in their per-area scripts), median over instances in the table; wall time is recorded
too.  ``evaluation``, ``strategies`` and ``learners`` reuse their scripts' wall-clock measurements.  The table's
``ours/this`` column is median time of our reference method divided by that row's: below 1 means ours is faster.
The machine is shared: the load average is recorded before and after the run.
"""

# ruff: noqa: B023 - every lambda below is called at once, inside the loop iteration that defines it
from __future__ import annotations

import os

# One BLAS thread unless the caller says otherwise (set before numpy loads): on this 2-core machine shared with
# other jobs, OpenBLAS's spinning worker threads inflated the CPU time of a dense 1000x1000 solve about 10x
# (0.22 s instead of 0.022 s), which made every numpy/scipy-based timing noise.
BLAS_THREADS = os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", BLAS_THREADS)
os.environ.setdefault("MKL_NUM_THREADS", BLAS_THREADS)

import argparse
import datetime as _dt
import json
import shutil
import sys
import time
import warnings
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import _harness as H

WORKLOADS = ("nash_all", "nash_one", "zero_sum", "ce", "evaluation", "strategies", "learners", "soccer", "cli",
             "validate_all", "first_command")
#: Workloads that take minutes whatever the size: ``--quick`` skips them unless ``--only`` names them.
SLOW_WORKLOADS = ("validate_all", "first_command")

# the method the ratios of each workload are taken against
REFERENCE = {
    "nash_all_random": "ours exact vertex enumeration",
    "nash_all_degenerate": "ours exact vertex enumeration",
    "nash_one": "ours exact Lemke-Howson",
    "zero_sum": "ours exact (certified)",
    "ce_2p": "ours float (HiGHS)",
    "ce_3p": "ours float (HiGHS)",
    "evaluation": "ours exact (cold)",
    "strategies": "ours",
    "learner_nash_q_rps": "ours nash-q",
    "learner_ce_q_rps": "ours ce-q-u",
    "learner_other_rps": "ours minimax-q",
    "learner_scaling": "ours friend-q",
    "soccer": "ours minimax-q (compiled)",
}
UNITS = {"strategies": "s/game", "learner_nash_q_rps": "s/step", "learner_ce_q_rps": "s/step",
         "learner_other_rps": "s/step", "learner_scaling": "s/step", "soccer": "s/step", "cli": "s (wall)",
         "validate_all": "s (wall)", "first_command": "s (wall)"}


def _try_import(name: str) -> Any:
    try:
        return __import__(name, fromlist=["_"])
    except ImportError:
        return None


PEER_TIMEOUT = 20  # seconds (5 with --quick); pure-Python peers that exceed it are recorded as "timeout"


def _error(exc: BaseException) -> str:
    if isinstance(exc, H.PeerTimeout):
        return f"timeout ({exc})"
    return f"error: {type(exc).__name__}: {str(exc)[:120]}"


# ---------------------------------------------------------------------------------------------------------
# all equilibria

def _quantecon_game(A: np.ndarray, B: np.ndarray) -> Any:
    from quantecon import game_theory as gt

    return gt.NormalFormGame((gt.Player(A.astype(float)), gt.Player(B.T.astype(float))))


def _not_found_by_float(found: list, exact: set) -> int:
    """How many of our exact equilibria no float answer matches within 1e-6 (what the float peer missed)."""
    arrays = [np.concatenate([np.asarray(x, dtype=float), np.asarray(y, dtype=float)]) for x, y in found]
    missing = 0
    for x, y in exact:
        e = np.concatenate([np.array(x, dtype=float), np.array(y, dtype=float)])
        missing += not any(np.max(np.abs(v - e)) < 1e-6 for v in arrays)
    return missing


def nash_all(quick: bool, seed: int) -> list[dict]:
    import bench_nash as bn

    gbt = _try_import("pygambit")
    nashpy = _try_import("nashpy")
    qe = _try_import("quantecon.game_theory")
    have_lrs = shutil.which("lrsnash") is not None
    if qe is not None:  # numba compilation outside the timings
        qe.vertex_enumeration(_quantecon_game(np.eye(2), np.eye(2)))
    sizes = [4, 6, 8, 10] if quick else [4, 5, 6, 7, 8, 9, 10, 11, 12]
    out: list[dict] = []
    for kind, (low, high) in (("random", (-10, 10)), ("degenerate", (0, 2))):
        rng = np.random.default_rng(seed)
        wl = f"nash_all_{kind}"
        for k in sizes:
            reps = (2 if k <= 8 else 1) if quick else (3 if k <= 8 else 2 if k <= 10 else 1)
            for inst in range(reps):
                A = rng.integers(low, high + 1, (k, k))
                B = rng.integers(low, high + 1, (k, k))
                size = f"{k}x{k}"
                cpu, wall, (_, mine) = H.clock(lambda: bn.ours(A, B))
                exact_peers: dict[str, set | str] = {}
                timings: dict[str, tuple[float, float]] = {}
                if gbt is not None:
                    try:
                        c, w, (_, found) = H.clock(lambda: bn.gambit(A, B))
                        exact_peers["pygambit enummixed (exact)"] = found
                        timings["pygambit enummixed (exact)"] = (c, w)
                    except Exception as exc:  # noqa: BLE001 - a peer's crash is a result, recorded
                        exact_peers["pygambit enummixed (exact)"] = _error(exc)
                else:
                    exact_peers["pygambit enummixed (exact)"] = "not installed"
                if have_lrs:
                    try:
                        c, w, (_, found) = H.clock(lambda: bn.lrsnash(A, B), children=True)
                        exact_peers["lrsnash (lrslib, exact C)"] = found
                        timings["lrsnash (lrslib, exact C)"] = (c, w)
                    except Exception as exc:  # noqa: BLE001
                        exact_peers["lrsnash (lrslib, exact C)"] = _error(exc)
                else:
                    exact_peers["lrsnash (lrslib, exact C)"] = "not installed"
                missed = set()
                for v in exact_peers.values():
                    if isinstance(v, set):
                        missed |= v - mine
                out.append(H.record(wl, size, REFERENCE[wl], "ours", cpu=cpu, wall=wall, instance=inst,
                                    ok=not missed, count=len(mine), missed_vs_exact_peers=len(missed)))
                for name, v in exact_peers.items():
                    if isinstance(v, str):
                        out.append(H.record(wl, size, name, "peer", status=v, instance=inst))
                        continue
                    c, w = timings[name]
                    out.append(H.record(wl, size, name, "peer", cpu=c, wall=w, instance=inst, ok=(v == mine),
                                        count=len(v), not_in_ours=len(v - mine), ours_not_found=len(mine - v)))
                float_peers: list[tuple[str, Callable[[], list]]] = []
                if nashpy is not None and k <= (8 if quick else 9):
                    float_peers.append(("nashpy vertex_enumeration (float)", H.with_timeout(
                        lambda: [tuple(e) for e in bn.nashpy_run(A, B)[1]], PEER_TIMEOUT)))
                if qe is not None:
                    float_peers.append(("quantecon vertex_enumeration (float)",
                                        lambda: [tuple(e) for e in qe.vertex_enumeration(_quantecon_game(A, B))]))
                for name, fn in float_peers:
                    try:
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore")
                            c, w, found = H.clock(fn)
                    except Exception as exc:  # noqa: BLE001
                        out.append(H.record(wl, size, name, "peer", status=_error(exc), instance=inst))
                        continue
                    cov = bn.covered(found, mine)
                    lost = _not_found_by_float(found, mine)
                    out.append(H.record(wl, size, name, "peer", cpu=c, wall=w, instance=inst, ok=cov,
                                        count=len(found), all_within_ours=cov, ours_not_found=lost))
                if nashpy is None:
                    out.append(H.record(wl, size, "nashpy vertex_enumeration (float)", "peer",
                                        status="not installed", instance=inst))
            print(f"  {wl} {k}x{k} done", flush=True)
    return out


# ---------------------------------------------------------------------------------------------------------
# one equilibrium

def nash_one(quick: bool, seed: int) -> list[dict]:
    from jalverify.games.normal_form import NormalFormGame
    from jalverify.games.profiles import MixedProfile, max_regret
    from jalverify.solvers.nash import lemke_howson_solve

    gbt = _try_import("pygambit")
    nashpy = _try_import("nashpy")
    qe = _try_import("quantecon.game_theory")
    if qe is not None:
        qe.lemke_howson(_quantecon_game(np.eye(2), np.eye(2)), init_pivot=0)
    warm = NormalFormGame.bimatrix(np.eye(2, dtype=int), np.eye(2, dtype=int))
    lemke_howson_solve(warm, labels=[0])  # our compiled kernels load from numba's cache once per process,
    lemke_howson_solve(warm.to_field("float"), labels=[0])  # as QuantEcon's warm-up above
    sizes = [10, 20, 50] if quick else [10, 20, 50, 100]
    rng = np.random.default_rng(seed)
    out: list[dict] = []
    wl = "nash_one"
    for k in sizes:
        size = f"{k}x{k}"
        for inst in range(2 if quick else 3):
            A = rng.integers(-10, 11, (k, k))
            B = rng.integers(-10, 11, (k, k))
            exact_game = NormalFormGame.bimatrix(A, B)
            float_game = exact_game.to_field("float")

            def float_ok(x: Any, y: Any) -> bool:
                x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
                if x.shape != (k,) or y.shape != (k,) or not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
                    return False
                return max_regret(float_game, MixedProfile(float_game, [x, y], allow_float=True)) <= 1e-6

            c, w, res = H.clock(lambda: lemke_howson_solve(exact_game, labels=[0]))
            ok = bool(res.equilibria) and max_regret(exact_game, res.equilibria[0]) == 0
            out.append(H.record(wl, size, REFERENCE[wl], "ours", cpu=c, wall=w, instance=inst, ok=ok,
                                summary="regret 0" if ok else "no certified equilibrium"))
            c, w, res = H.clock(lambda: lemke_howson_solve(float_game, labels=[0]))
            ok = bool(res.equilibria) and float_ok(*res.equilibria[0].distributions)
            out.append(H.record(wl, size, "ours float Lemke-Howson", "ours-alt", cpu=c, wall=w, instance=inst,
                                ok=ok, summary="regret<=1e-6" if ok else "regret check failed"))
            if gbt is not None:
                g = gbt.Game.from_arrays(A.astype(int), B.astype(int))
                for rational, name in ((True, "pygambit lcp_solve (exact)"), (False, "pygambit lcp_solve (float)")):
                    try:
                        c, w, r = H.clock(lambda: gbt.nash.lcp_solve(g, rational=rational, stop_after=1))
                    except Exception as exc:  # noqa: BLE001
                        out.append(H.record(wl, size, name, "peer", status=_error(exc), instance=inst))
                        continue
                    if not r.equilibria:
                        ok = False
                    else:
                        eq = r.equilibria[0]
                        if rational:
                            d = [[Fraction(eq[s]) for s in p.strategies] for p in g.players]
                            ok = max_regret(exact_game, MixedProfile(exact_game, d)) == 0
                        else:
                            d = [[float(eq[s]) for s in p.strategies] for p in g.players]
                            ok = float_ok(*d)
                    out.append(H.record(wl, size, name, "peer", cpu=c, wall=w, instance=inst, ok=ok,
                                        summary="regret ok" if ok else "regret check failed"))
            else:
                out.append(H.record(wl, size, "pygambit lcp_solve", "peer", status="not installed", instance=inst))
            peers = []
            if nashpy is not None:
                peers.append(("nashpy lemke_howson (float)", H.with_timeout(
                    lambda: nashpy.Game(A, B).lemke_howson(initial_dropped_label=0), PEER_TIMEOUT)))
            if qe is not None:
                peers.append(("quantecon lemke_howson (float)",
                              lambda: qe.lemke_howson(_quantecon_game(A, B), init_pivot=0)))
            for name, fn in peers:
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        c, w, (x, y) = H.clock(fn)
                    ok = float_ok(x, y)
                except Exception as exc:  # noqa: BLE001
                    out.append(H.record(wl, size, name, "peer", status=_error(exc), instance=inst))
                    continue
                out.append(H.record(wl, size, name, "peer", cpu=c, wall=w, instance=inst, ok=ok,
                                    summary="regret ok" if ok else "regret check failed"))
        print(f"  nash_one {size} done", flush=True)
    return out


# ---------------------------------------------------------------------------------------------------------
# zero-sum value

def _verify_minimax(A: np.ndarray, v: Fraction, x: Any, y: Any) -> bool:
    """Independent exact check: min_j x·A_j = v = max_i A_i·y, x and y distributions."""
    x = [Fraction(t) for t in x]
    y = [Fraction(t) for t in y]
    if sum(x) != 1 or sum(y) != 1 or min(x) < 0 or min(y) < 0:
        return False
    Ai = A.tolist()
    sx = [i for i, t in enumerate(x) if t]
    sy = [j for j, t in enumerate(y) if t]
    guarantee = min(sum(x[i] * Ai[i][j] for i in sx) for j in range(A.shape[1]))
    cap = max(sum(Ai[i][j] * y[j] for j in sy) for i in range(A.shape[0]))
    return guarantee == v == cap


def zero_sum(quick: bool, seed: int) -> list[dict]:
    import bench_minimax_ce as bm

    from jalverify.solvers.minimax import _highs_stage_lp, minimax_value

    try:
        import cvxopt  # noqa: F401
        import pyspiel
        from open_spiel.python.algorithms import lp_solver as os_lp
    except ImportError as exc:
        os_lp, os_missing = None, f"not installed ({exc.name} missing)"
    sizes = [10, 100, 200] if quick else [10, 50, 100, 200, 500]
    reps = 7  # minimum over 7 calls: on the shared 2-core machine the minimum of 3 still moved by ±20%
    rng = np.random.default_rng(seed)
    out: list[dict] = []
    wl = "zero_sum"
    for k in sizes:
        size = f"{k}x{k}"
        A = rng.integers(-100, 101, size=(k, k))
        Af = A.astype(float)
        c, w, (v, x, y) = H.best_clock(lambda: minimax_value(A), reps)
        ok = _verify_minimax(A, v, x, y)
        vf = float(v)
        out.append(H.record(wl, size, REFERENCE[wl], "ours", cpu=c, wall=w, ok=ok, value=str(v),
                            summary=f"certificate re-verified: {ok}"))
        c, w, (fv, _, _) = H.best_clock(lambda: minimax_value(Af, field="float"), reps)
        out.append(H.record(wl, size, "ours float", "ours-alt", cpu=c, wall=w, ok=abs(fv - vf) < 1e-6,
                            summary=f"|v-exact|={abs(fv - vf):.1e}"))
        c, w, res = H.best_clock(lambda: _highs_stage_lp(Af, want_basis=False), reps)
        out.append(H.record(wl, size, "bare HiGHS (highspy, float)", "peer", cpu=c, wall=w,
                            ok=abs(res.objective - vf) < 1e-6, summary=f"|v-exact|={abs(res.objective - vf):.1e}"))
        c, w, sv = H.best_clock(lambda: bm.scipy_value(Af), reps)
        out.append(H.record(wl, size, "scipy linprog highs (float)", "peer", cpu=c, wall=w,
                            ok=abs(sv - vf) < 1e-6, summary=f"|v-exact|={abs(sv - vf):.1e}"))
        if os_lp is None:
            out.append(H.record(wl, size, "OpenSpiel lp_solver (cvxopt)", "peer", status=os_missing))
        else:
            game = pyspiel.create_matrix_game(Af.tolist(), (-Af).tolist())
            c, w, r = H.best_clock(lambda: os_lp.solve_zero_sum_matrix_game(game), reps)
            out.append(H.record(wl, size, "OpenSpiel lp_solver (cvxopt)", "peer", cpu=c, wall=w,
                                ok=abs(float(r[2]) - vf) < 1e-6))
        print(f"  zero_sum {size} done", flush=True)
    return out


# ---------------------------------------------------------------------------------------------------------
# correlated equilibria

def _cvxpy_ce(game: Any) -> tuple[float, str]:
    """The same utilitarian CE LP (our constraint matrix) through cvxpy's default solver."""
    import cvxpy as cp
    import scipy.sparse as sp

    from jalverify.solvers.correlated import correlated_constraints

    (m, N), rows, cols, vals = correlated_constraints(game, field="float")
    G = sp.csr_matrix((vals, (rows, cols)), shape=(m, N))
    welfare = np.asarray(game.payoffs, dtype=float).reshape(game.n_players, -1).sum(axis=0)
    x = cp.Variable(N, nonneg=True)
    problem = cp.Problem(cp.Maximize(welfare @ x), [G @ x <= 0, cp.sum(x) == 1])
    problem.solve()
    return float(problem.value), problem.solver_stats.solver_name


def ce(quick: bool, seed: int) -> list[dict]:
    from jalverify.games.normal_form import NormalFormGame
    from jalverify.solvers.correlated import correlated_solve

    have_cvxpy = _try_import("cvxpy") is not None
    two = [5, 10, 20] if quick else [5, 10, 20, 40]
    three = [3, 4, 5] if quick else [3, 4, 5, 6, 8]
    shapes = [(k, k) for k in two] + [(k, k, k) for k in three]
    reps = 7  # minimum over 7 calls: on the shared 2-core machine the minimum of 3 still moved by ±20%
    rng = np.random.default_rng(seed)
    out: list[dict] = []
    for shape in shapes:
        wl = "ce_2p" if len(shape) == 2 else "ce_3p"
        size = "x".join(map(str, shape))
        P = rng.integers(-10, 11, size=(len(shape), *shape))
        exact_game = NormalFormGame(P)
        float_game = NormalFormGame(P.astype(float), field="float")
        c, w, rf = H.best_clock(lambda: correlated_solve(float_game, field="float"), reps)
        vf = float(rf.objective_value)
        c2, w2, re = H.best_clock(lambda: correlated_solve(exact_game), reps)
        exact_ok = re.certificate is not None and abs(float(re.objective_value) - vf) < 1e-6
        out.append(H.record(wl, size, REFERENCE[wl], "ours", cpu=c, wall=w, ok=abs(float(re.objective_value) - vf) < 1e-6,
                            value=vf, summary=f"welfare {vf:.4g}"))
        out.append(H.record(wl, size, "ours exact (certified)", "ours-alt", cpu=c2, wall=w2, ok=exact_ok,
                            value=str(re.objective_value),
                            summary=f"certificate {'present' if re.certificate is not None else 'MISSING'}"))
        if have_cvxpy:
            try:
                c3, w3, (vc, solver) = H.best_clock(lambda: _cvxpy_ce(float_game), max(1, reps - 1))
                okc = abs(vc - vf) < 1e-4 * max(1.0, abs(vc))
                out.append(H.record(wl, size, "cvxpy default solver, same LP", "peer", cpu=c3, wall=w3, ok=okc,
                                    solver=solver, summary=f"solver {solver}, |v-ours|={abs(vc - vf):.1e}"))
            except Exception as exc:  # noqa: BLE001
                out.append(H.record(wl, size, "cvxpy default solver, same LP", "peer", status=_error(exc)))
        else:
            out.append(H.record(wl, size, "cvxpy default solver, same LP", "peer", status="not installed"))
        print(f"  ce {size} done", flush=True)
    return out


# ---------------------------------------------------------------------------------------------------------
# policy evaluation

def evaluation(quick: bool, seed: int) -> list[dict]:
    """The measurements of ``bench_evaluation.bench`` (same games, same calls), timed in CPU and wall time."""
    import bench_evaluation as be

    from jalverify.games.stochastic import StationaryPolicy
    from jalverify.solvers import evaluation as ev

    out: list[dict] = []
    wl = "evaluation"
    for S in [10, 100, 1000]:
        size = f"S={S}"
        game = be.random_game(S)
        policy = be.random_policy(game)
        reps = 3 if S <= 100 else 2
        ev._MODEL_CACHE.clear()
        c, w, res = H.clock(lambda: ev.evaluate_policy(game, policy))
        digits = max(len(str(v.denominator)) for v in res.V.reshape(-1))
        out.append(H.record(wl, size, "ours exact (cold)", "ours", cpu=c, wall=w, ok=bool(res.certified),
                            digits=digits, summary=f"certified={res.certified}, {digits}-digit denominators"))
        c, w, _ = H.best_clock(lambda: ev.evaluate_policy(game, policy), reps)
        out.append(H.record(wl, size, "ours exact (warm)", "ours-alt", cpu=c, wall=w, ok=bool(res.certified)))
        model = ev._model(game)
        _, _, A, B = ev._assemble_exact(game, model, ev._flat_policy_exact(game, policy))
        c, w, X = H.best_clock(lambda: A.solve(B), reps)
        same = all(Fraction(int(X[i, j].p), int(X[i, j].q)) == res.V[j, i]
                   for i in range(min(S, 5)) for j in range(game.n_players))
        out.append(H.record(wl, size, "bare python-flint solve", "peer", cpu=c, wall=w, ok=same,
                            summary="same V as ours (first rows)" if same else "DIFFERS from ours"))
        c, w, _ = H.best_clock(lambda: A.solve(B, algorithm="dixon"), reps)
        out.append(H.record(wl, size, "bare python-flint solve (dixon)", "peer", cpu=c, wall=w))
        fgame = game.to_field("float")
        fpolicy = StationaryPolicy(fgame, [[np.asarray(d, dtype=float) for d in per] for per in policy.distributions],
                                   allow_float=True)
        ev._MODEL_CACHE.clear()
        c, w, fres = H.clock(lambda: ev.evaluate_policy(fgame, fpolicy))
        err = float(np.max(np.abs(res.V.astype(float) - fres.V)))
        out.append(H.record(wl, size, "ours float (cold)", "ours-alt", cpu=c, wall=w, ok=err < 1e-6,
                            summary=f"|exact-float|={err:.1e}"))
        c, w, _ = H.best_clock(lambda: ev.evaluate_policy(fgame, fpolicy), 5)
        out.append(H.record(wl, size, "ours float (warm)", "ours-alt", cpu=c, wall=w, ok=err < 1e-6))
        M, rp = ev.policy_matrix(fgame, fpolicy)
        Ad = np.eye(S) - float(game.gamma) * M
        Bd = np.ascontiguousarray(rp.T)
        c, w, Xd = H.best_clock(lambda: np.linalg.solve(Ad, Bd), 5)
        errd = float(np.max(np.abs(Xd - fres.V.T))) if Xd.shape == fres.V.T.shape else float("nan")
        out.append(H.record(wl, size, "dense numpy solve", "peer", cpu=c, wall=w, ok=errd < 1e-6,
                            summary=f"|numpy-ours float|={errd:.1e}"))
        print(f"  evaluation S={S} done", flush=True)
    return out


# ---------------------------------------------------------------------------------------------------------
# strategies

def strategies(quick: bool, seed: int) -> list[dict]:
    import bench_strategies as bs

    from jalverify.strategies import normal_form_games, stochastic_games, zero_sum_games

    n = 500 if quick else 2000
    out = []
    for label, strat in [("exact 3x3 bimatrix", normal_form_games(players=2, actions=3)),
                         ("float 3x3 bimatrix", normal_form_games(players=2, actions=3, field="float")),
                         ("exact 3x3 zero-sum", zero_sum_games(actions=3)),
                         ("exact stochastic (1-3 states)", stochastic_games())]:
        rate = bs.rate(strat, n)
        out.append(H.record("strategies", label, "ours", "ours", cpu=1 / rate, wall=1 / rate, ok=None,
                            games_per_s=rate, n=n, summary=f"{rate:.0f} games/s (wall)"))
        print(f"  strategies {label} done", flush=True)
    return out


# ---------------------------------------------------------------------------------------------------------
# learners

def learners(quick: bool, seed: int) -> list[dict]:
    import bench_learners as bl

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

    n_fast = 2000 if quick else 10000
    n_slow = 200 if quick else 1000
    common = {"schedule": RobbinsMonro(0.7), "exploration": EpsilonGreedy(0.2)}
    out: list[dict] = []

    def ours(make: Callable, game: Any, steps: int) -> tuple[float, bool]:
        learner = make(game)
        sim = Simulator(game, 1)
        learner.learn(min(50, steps), sim, record_every=10 ** 9)
        t0 = time.perf_counter()
        learner.learn(steps, sim, record_every=10 ** 9)
        rate = steps / (time.perf_counter() - t0)
        finite = all(np.all(np.isfinite(np.asarray(q, dtype=float))) for q in learner.q_tables())
        return rate, finite

    rps = bl.single_state(bl.RPS, name="rps")
    for wl, name, make, steps in [
        ("learner_nash_q_rps", "ours nash-q", lambda g: nash_q(g, **common), n_slow),
        ("learner_ce_q_rps", "ours ce-q-u", lambda g: ce_q(g, "utilitarian", **common), n_slow),
        ("learner_other_rps", "ours minimax-q", lambda g: minimax_q(g, **common), n_fast),
        ("learner_other_rps", "ours friend-q", lambda g: friend_q(g, **common), n_fast),
        ("learner_other_rps", "ours iql", lambda g: independent_q(g, **common), n_fast),
    ]:
        rate, finite = ours(make, rps, steps)
        out.append(H.record(wl, "rps", name, "ours", cpu=1 / rate, wall=1 / rate, ok=finite, steps_per_s=rate,
                            summary=f"{rate:.0f} steps/s"))
    for wl, solver, name in [("learner_nash_q_rps", "nash", "OpenSpiel MultiagentQLearner nash (x2)"),
                             ("learner_ce_q_rps", "ce", "OpenSpiel MultiagentQLearner CE (x2)")]:
        try:
            rate = bl.time_openspiel(solver, n_slow)
        except Exception as exc:  # noqa: BLE001
            out.append(H.record(wl, "rps", name, "peer", status=_error(exc)))
            continue
        if rate is None:
            out.append(H.record(wl, "rps", name, "peer", status="not installed"))
        else:
            out.append(H.record(wl, "rps", name, "peer", cpu=1 / rate, wall=1 / rate, steps_per_s=rate,
                                summary=f"{rate:.0f} steps/s"))
    print("  learners rps done", flush=True)
    rng = np.random.default_rng(0)
    for n in (2, 3, 4):
        for k in (2, 3, 4, 6):
            J = k ** n
            if J > (300 if quick else 1300):
                continue
            payoffs = rng.integers(-5, 6, size=(n,) + (k,) * n).astype(np.float64)
            g = bl.single_state(payoffs)
            fast = max(200, n_fast // max(1, J // 8))
            slow = max(20, n_slow // max(1, J // 8))
            size = f"n{n} k{k} J{J}"
            makers = [("ours friend-q", lambda g: friend_q(g, **common), fast),
                      ("ours ce-q-u", lambda g: ce_q(g, "utilitarian", **common), slow),
                      ("ours iql", lambda g: independent_q(g, **common), fast)]
            if n == 2:
                makers.append(("ours minimax-q", lambda g: minimax_q(g, **common), fast))
            for name, make, steps in makers:
                rate, finite = ours(make, g, steps)
                out.append(H.record("learner_scaling", size, name, "ours", cpu=1 / rate, wall=1 / rate, ok=finite,
                                    us_per_step=1e6 / rate, summary=f"{1e6 / rate:.0f} us/step"))
        print(f"  learners scaling n={n} done", flush=True)
    return out


def soccer(quick: bool, seed: int) -> list[dict]:
    """Minimax-Q on Littman's (1994) grid soccer (760 states, 5×5 actions): learning steps per second of the
    compiled loop and of the Python loop, under the conditions of ``bench_soccer.py`` (ε = 1, Robbins–Monro ω =
    0.7 per (s, joint a), uniform restarts, episodes of 10).  Check: the two loops, given the same seeds, end with
    the same Q tables (within 1e-9; the compiled loop makes the same random draws), and every entry is finite."""
    from jalverify.games import catalog
    from jalverify.learners import EpsilonGreedy, RobbinsMonro, Simulator, minimax_q

    game = catalog.load("soccer").to_field("float")
    steps_fast = 200_000 if quick else 2_000_000
    steps_python = 20_000 if quick else 100_000
    out = []
    results = {}
    for name, compiled, steps in (("ours minimax-q (compiled)", True, steps_fast),
                                  ("ours minimax-q (python loop)", False, steps_python)):
        learner = minimax_q(game, schedule=RobbinsMonro(0.7), exploration=EpsilonGreedy(1.0), seed=seed,
                            compiled=compiled)
        sim = Simulator(game, seed + 1, start="uniform", episode_length=10)
        learner.learn(1000, sim, record_every=10 ** 9)  # compile / warm up
        c0, t0 = time.process_time(), time.perf_counter()
        learner.learn(steps, sim, record_every=10 ** 9)
        cpu, wall = time.process_time() - c0, time.perf_counter() - t0
        finite = all(np.all(np.isfinite(np.asarray(q, dtype=float))) for q in learner.q_tables())
        results[compiled] = finite
        out.append(H.record("soccer", "760 states", name, "ours" if compiled else "ours-alt", cpu=cpu / steps,
                            wall=wall / steps, ok=finite, steps_per_s=steps / wall,
                            summary=f"{steps / wall:.0f} steps/s ({steps} steps)"))
    same = []
    for compiled in (True, False):
        learner = minimax_q(game, schedule=RobbinsMonro(0.7), exploration=EpsilonGreedy(1.0), seed=seed,
                            compiled=compiled)
        learner.learn(5000, Simulator(game, seed + 1, start="uniform", episode_length=10), record_every=10 ** 9)
        same.append([np.asarray(q, dtype=float) for q in learner.q_tables()])
    gap = max(float(np.max(np.abs(a - b))) for a, b in zip(*same))
    out[0]["check"]["same_q_as_python_loop_after_5000_steps"] = gap
    out[0]["ok"] = bool(out[0]["ok"] and gap <= 1e-9)
    print(f"  soccer: compiled {out[0]['check']['steps_per_s']:.0f} steps/s, python loop "
          f"{out[1]['check']['steps_per_s']:.0f} steps/s, max|Q_compiled - Q_python| after 5000 steps {gap:.1e}",
          flush=True)
    return out


def _wall(command: list[str], *, env: dict[str, str] | None = None, cwd: str | None = None,
          timeout: float = 3600) -> tuple[float, Any]:
    import subprocess

    t0 = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)
    return time.perf_counter() - t0, done


def _console(name: str) -> str:
    """The console script next to this interpreter (the installed ``jalverify``)."""
    return str(Path(sys.executable).with_name(name))


def cli(quick: bool, seed: int) -> list[dict]:
    """What a user waits for: ``python -c "import jalverify"`` (process wall time, median of 7; numba, highspy,
    cvxpy, sympy and matplotlib must not be imported) and ``jalverify verify --profile quick`` (wall time, the
    fewest examples a theorem claimed to hold ran, no theorem failed; no reports written)."""
    out = []
    times = []
    for _ in range(7):
        seconds, done = _wall([sys.executable, "-c", "import jalverify, sys; print(sorted(m for m in ('numba', "
                               "'highspy', 'cvxpy', 'sympy', 'matplotlib') if m in sys.modules))"])
        times.append(seconds)
    heavy = done.stdout.strip()
    out.append(H.record("cli", "import jalverify", "python -c 'import jalverify'", "ours",
                        cpu=float(np.median(times)), wall=float(np.median(times)), ok=heavy == "[]",
                        heavy_modules_imported=heavy, summary=f"median {np.median(times):.3f} s of 7"))
    seconds, done = _wall([_console("jalverify"), "verify", "--profile", "quick", "--format", "json",
                           "--no-reports", "--seed", str(seed)])
    ok, summary, per_theorem = False, f"exit {done.returncode}: {done.stderr.strip()[-300:]}", None
    if done.returncode in (0, 1):
        doc = json.loads(done.stdout)
        theorems = doc["theorems"]
        holding = [t for t in theorems if t["expected"] == "holds"]
        per_theorem = min(t["examples"] for t in holding) if holding else None
        ok = bool(doc["ok"]) and not any(t["failed"] for t in theorems)
        summary = (f"{len(theorems)} theorems ({len(holding)} claimed to hold: at least {per_theorem} examples "
                   f"each); {sum(t['failed'] for t in theorems)} failed")
    out.append(H.record("cli", "verify --profile quick", "jalverify verify --profile quick", "ours", cpu=seconds,
                        wall=seconds, ok=ok, examples_per_theorem=per_theorem, summary=summary))
    return out


def validate_all(quick: bool, seed: int) -> list[dict]:
    """``jalverify validate --all-builtin --profile quick`` (wall time): every built-in adapter whose library is
    installed; its reports go to a temporary folder.  Check: it finished with exit 0 or 1 (findings are the peers'
    known bugs, not ours)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="jalverify-bench-reports-") as reports:
        seconds, done = _wall([_console("jalverify"), "validate", "--all-builtin", "--profile", "quick", "--format",
                               "json", "--seed", str(seed), "--summary-dir", reports])
    ok = done.returncode in (0, 1)
    summary = f"exit {done.returncode}"
    if ok:
        doc = json.loads(done.stdout)
        targets = doc.get("targets", [])
        summary = f"{len(targets)} targets, exit {done.returncode}"
    return [H.record("validate_all", "quick", "jalverify validate --all-builtin --profile quick", "ours",
                     cpu=seconds, wall=seconds, ok=ok, summary=summary)]


def first_command(quick: bool, seed: int) -> list[dict]:
    """The README's first command on a fresh machine, as closely as one run can: a new virtual environment, ``pip
    install -e . -c constraints.txt`` of a fresh clone of HEAD (the pip cache is warm), then ``jalverify verify
    --profile quick``.  Wall time of the whole.  Check: both steps exit 0."""
    import subprocess
    import tempfile

    root = BENCH.parent
    with tempfile.TemporaryDirectory(prefix="jalverify-first-") as tmp:
        clone = Path(tmp) / "jalverify"
        subprocess.run(["git", "clone", "-q", str(root), str(clone)], check=True)
        venv = Path(tmp) / "venv"
        t0 = time.perf_counter()
        steps = [[sys.executable, "-m", "venv", str(venv)],
                 [str(venv / "bin" / "pip"), "install", "-q", "-e", ".", "-c", "constraints.txt"],
                 [str(venv / "bin" / "jalverify"), "verify", "--profile", "quick", "--format", "json",
                  "--no-reports"]]
        codes = []
        for command in steps:
            done = subprocess.run(command, cwd=clone, capture_output=True, text=True, timeout=1800)
            codes.append(done.returncode)
            if done.returncode not in (0,):
                break
        seconds = time.perf_counter() - t0
    ok = codes == [0, 0, 0]
    return [H.record("first_command", "fresh venv", "venv + pip install -e . + verify --profile quick", "ours",
                     cpu=seconds, wall=seconds, ok=ok, exit_codes=codes,
                     summary=f"{seconds:.0f} s, exit codes {codes}")]


RUNNERS: dict[str, Callable[[bool, int], list[dict]]] = {
    "nash_all": nash_all, "nash_one": nash_one, "zero_sum": zero_sum, "ce": ce, "evaluation": evaluation,
    "strategies": strategies, "learners": learners, "soccer": soccer, "cli": cli, "validate_all": validate_all,
    "first_command": first_command,
}


# ---------------------------------------------------------------------------------------------------------
# targets

def _row(rows: list[dict], workload: str, size: str, method: str) -> dict | None:
    return next((r for r in rows if r["workload"] == workload and r["size"] == size and r["method"] == method), None)


def targets(rows: list[dict]) -> list[dict]:
    """The issue-3/4/5 targets, each with its measured ratio and met / not met / not measured."""
    out = []

    def add(name: str, measured: str, met: bool | None) -> None:
        out.append({"target": name, "measured": measured,
                    "verdict": "not measured" if met is None else ("met" if met else "NOT met")})

    ours = _row(rows, "nash_all_random", "10x10", "ours exact vertex enumeration")
    gam = _row(rows, "nash_all_random", "10x10", "pygambit enummixed (exact)")
    lrs = _row(rows, "nash_all_random", "10x10", "lrsnash (lrslib, exact C)")
    if ours and gam and gam["cpu"]:
        add("all equilibria 10x10: ours faster than pygambit enummixed (exact)",
            f"ours/gambit = {ours['cpu'] / gam['cpu']:.3f}"
            + (f"; ours/lrsnash = {ours['cpu'] / lrs['cpu']:.2f}" if lrs and lrs["cpu"] else ""),
            ours["cpu"] < gam["cpu"])
    else:
        add("all equilibria 10x10 vs pygambit", "-", None)
    nash_rows = [r for r in rows if r["workload"].startswith("nash_all") and r["role"] == "ours"]
    if nash_rows:
        missed = sum(c.get("missed_vs_exact_peers", 0) for r in nash_rows for c in r["checks"])
        add("never missed an equilibrium that pygambit or lrsnash finds", f"{missed} missed", missed == 0)
    zs = [r for r in rows if r["workload"] == "zero_sum" and r["method"] == REFERENCE["zero_sum"]
          and int(r["size"].split("x")[0]) >= 100]
    if zs:
        ratios = []
        for r in zs:
            bare = _row(rows, "zero_sum", r["size"], "bare HiGHS (highspy, float)")
            ratios.append((r["size"], r["cpu"] / bare["cpu"]))
        add("exact zero-sum value (certified) within 1.5x of bare HiGHS, k >= 100 (issue 15)",
            ", ".join(f"{s}: {x:.2f}x" for s, x in ratios), all(x <= 1.5 for _, x in ratios))
    ce_rows = [r for r in rows if r["workload"] in ("ce_2p", "ce_3p") and r["method"] == "ours float (HiGHS)"]
    if ce_rows:
        sp, ex = [], []
        for r in ce_rows:
            cv = _row(rows, r["workload"], r["size"], "cvxpy default solver, same LP")
            e = _row(rows, r["workload"], r["size"], "ours exact (certified)")
            if cv and cv["cpu"]:
                sp.append((r["size"], cv["cpu"] / r["cpu"]))
            if e and e["cpu"]:
                ex.append((r["size"], e["cpu"] / r["cpu"]))
        add("float CE LP >= 2x faster than cvxpy (cvxpy/ours)", ", ".join(f"{s}: {x:.1f}x" for s, x in sp),
            all(x >= 2 for _, x in sp) if sp else None)
        add("exact CE within 1.5x of float (exact/float; issue 15)", ", ".join(f"{s}: {x:.2f}x" for s, x in ex),
            all(x <= 1.5 for _, x in ex) if ex else None)
    ec = _row(rows, "evaluation", "S=1000", "ours exact (cold)")
    if ec:
        ew = _row(rows, "evaluation", "S=1000", "ours exact (warm)")
        fl = _row(rows, "evaluation", "S=1000", "bare python-flint solve")
        add("exact policy evaluation S=1000 within 1.5x of bare flint solve (judged cold)",
            f"cold {ec['cpu'] / fl['cpu']:.2f}x, warm {ew['cpu'] / fl['cpu']:.2f}x", ec["cpu"] / fl["cpu"] <= 1.5)
        fc = _row(rows, "evaluation", "S=1000", "ours float (cold)")
        fw = _row(rows, "evaluation", "S=1000", "ours float (warm)")
        npy = _row(rows, "evaluation", "S=1000", "dense numpy solve")
        add("float policy evaluation S=1000 within 1.5x of dense numpy solve (judged warm: game already compiled)",
            f"warm {fw['cpu'] / npy['cpu']:.2f}x, cold (first call compiles the game) {fc['cpu'] / npy['cpu']:.2f}x",
            fw["cpu"] / npy["cpu"] <= 1.5)
    st = _row(rows, "strategies", "exact 3x3 bimatrix", "ours")
    if st:
        rate = st["checks"][0]["games_per_s"]
        add(">= 500 exact 3x3 games/s", f"{rate:.0f}/s", rate >= 500)
    for wl, o, p in [("learner_nash_q_rps", "ours nash-q", "OpenSpiel MultiagentQLearner nash (x2)"),
                     ("learner_ce_q_rps", "ours ce-q-u", "OpenSpiel MultiagentQLearner CE (x2)")]:
        a, b = _row(rows, wl, "rps", o), _row(rows, wl, "rps", p)
        if a and b and b["cpu"]:
            add(f"learner steps/s {o} vs OpenSpiel (aim: beat it)",
                f"{1 / a['cpu']:.0f} vs {1 / b['cpu']:.0f} steps/s ({b['cpu'] / a['cpu']:.1f}x)", a["cpu"] < b["cpu"])
    out += speed_targets(rows)
    return out


def _ratios(rows: list[dict], workload: str, ours: str, peer: str) -> list[tuple[int, float]]:
    """``(k, ours/peer)`` for every size ``kxk`` where both were timed."""
    found = []
    for r in rows:
        if r["workload"] == workload and r["method"] == ours and r["cpu"]:
            p = _row(rows, workload, r["size"], peer)
            if p and p["cpu"]:
                found.append((int(r["size"].split("x")[0]), r["cpu"] / p["cpu"]))
    return sorted(found)


def speed_targets(rows: list[dict]) -> list[dict]:
    """The goals of issue 15 ("speed is search power"), each met / NOT met / not measured."""
    out = []

    def add(name: str, measured: str, met: bool | None) -> None:
        out.append({"target": name, "measured": measured,
                    "verdict": "not measured" if met is None else ("met" if met else "NOT met")})

    def listed(ratios: list[tuple[int, float]]) -> str:
        return ", ".join(f"{k}x{k}: {x:.2f}x" for k, x in ratios) or "-"

    venum = "ours exact vertex enumeration"
    lrs = "lrsnash (lrslib, exact C)"
    rnd = _ratios(rows, "nash_all_random", venum, lrs)
    mid = [x for k, x in rnd if 8 <= k <= 14]
    add("all equilibria, random: <= 1.0x lrsnash at 8-14, never > 2x", listed(rnd),
        (all(x <= 1.0 for x in mid) and all(x <= 2.0 for _, x in rnd)) if rnd else None)
    deg = _ratios(rows, "nash_all_degenerate", venum, lrs)
    add("all equilibria, degenerate 0..2: <= 1.5x lrsnash", listed(deg),
        all(x <= 1.5 for _, x in deg) if deg else None)
    flh = _ratios(rows, "nash_one", "ours float Lemke-Howson", "quantecon lemke_howson (float)")
    add("float Lemke-Howson <= 2x QuantEcon at every size (regret-checked)", listed(flh),
        all(x <= 2 for _, x in flh) if flh else None)
    elh = _ratios(rows, "nash_one", "ours exact Lemke-Howson", "pygambit lcp_solve (exact)")
    add("exact Lemke-Howson <= 1x pygambit lcp exact at every size", listed(elh),
        all(x <= 1 for _, x in elh) if elh else None)
    sc = _row(rows, "soccer", "760 states", "ours minimax-q (compiled)")
    add("Minimax-Q on soccer >= 100k steps/s", f"{sc['checks'][0]['steps_per_s']:.0f} steps/s" if sc else "-",
        sc["checks"][0]["steps_per_s"] >= 100_000 if sc else None)
    va = _row(rows, "validate_all", "quick", "jalverify validate --all-builtin --profile quick")
    add("validate --all-builtin --profile quick <= 5 min", f"{va['wall']:.0f} s" if va and va["wall"] else "-",
        va["wall"] <= 300 if va and va["wall"] else None)
    vq = _row(rows, "cli", "verify --profile quick", "jalverify verify --profile quick")
    if vq and vq["wall"]:
        n = vq["checks"][0]["examples_per_theorem"]
        add("verify --profile quick: 100 examples per theorem in <= 60 s", f"{vq['wall']:.0f} s, >= {n} examples",
            vq["wall"] <= 60 and n is not None and n >= 100)
    else:
        add("verify --profile quick: 100 examples per theorem in <= 60 s", "-", None)
    im = _row(rows, "cli", "import jalverify", "python -c 'import jalverify'")
    add("import jalverify <= 0.3 s (process)", f"{im['wall']:.3f} s" if im else "-",
        im["wall"] <= 0.3 if im else None)
    fc = _row(rows, "first_command", "fresh venv", "venv + pip install -e . + verify --profile quick")
    add("README's first command on a fresh venv <= 2 min", f"{fc['wall']:.0f} s" if fc and fc["wall"] else "-",
        fc["wall"] <= 120 if fc and fc["wall"] else None)
    return out


def _git_state() -> dict[str, Any]:
    """HEAD and the library files that differ from it (the run measures the working tree)."""
    import subprocess

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=BENCH.parent, capture_output=True, text=True,
                                  check=True).stdout.rstrip()
        except (OSError, subprocess.CalledProcessError) as exc:
            return f"unavailable: {exc}"

    return {"head": git("rev-parse", "--short", "HEAD"),
            "uncommitted_library_files": git("status", "--porcelain", "--", "jalverify").splitlines()}


def report(info: dict, records: list[dict], out: Path) -> int:
    """Aggregate, print the table and the targets, write ``out`` (JSON) and its ``.txt`` table."""
    rows = H.aggregate(records, REFERENCE)
    tg = targets(rows)
    table = H.format_table(rows, UNITS)
    verdicts = "\n".join(f"{t['verdict']:>12}  {t['target']}: {t['measured']}" for t in tg)
    print()
    print(table)
    print()
    print(verdicts)
    failed = [r for r in rows if r["ok"] is False and r["role"] in ("ours", "ours-alt")]
    print(f"\ncorrectness: {'all our results passed their checks' if not failed else f'{len(failed)} of ours FAILED'}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"info": info, "targets": tg, "rows": rows, "records": records}, indent=1,
                              default=str))
    out.with_suffix(".txt").write_text(table + "\n\n" + verdicts + "\n")
    print(f"wrote {out} and {out.with_suffix('.txt')}")
    return 1 if failed else 0


def merge(paths: list[str], out: Path) -> int:
    """Merge result files of separate ``--only`` runs (their ``info`` kept side by side)."""
    infos, records = [], []
    for p in paths:
        data = json.loads(Path(p).read_text())
        infos.append({"file": p, **data["info"]})
        records += data["records"]
    return report({"merged_from": infos}, records, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes and budgets (a few minutes)")
    parser.add_argument("--only", nargs="+", choices=WORKLOADS, metavar="NAME", help=f"subset of {WORKLOADS}")
    parser.add_argument("--out", default=str(BENCH / "results" / "latest.json"))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--merge", nargs="+", metavar="JSON",
                        help="run nothing: merge the records of earlier result files into --out, print the table")
    args = parser.parse_args(argv)
    if args.merge:
        return merge(args.merge, Path(args.out))
    selected = args.only or [w for w in WORKLOADS if not (args.quick and w in SLOW_WORKLOADS)]
    global PEER_TIMEOUT
    if args.quick:
        PEER_TIMEOUT = 5
    info = {"date_utc": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"), "quick": args.quick,
            "seed": args.seed, "workloads": selected, "machine_before": H.machine(),
            "lrsnash": shutil.which("lrsnash") or "not installed", "blas_threads": BLAS_THREADS,
            "peer_timeout_s": PEER_TIMEOUT}
    versions = {}
    for mod in ("numpy", "highspy", "flint", "cvxpy", "nashpy", "pygambit", "quantecon", "pyspiel", "hypothesis"):
        m = _try_import(mod)
        versions[mod] = "not installed" if m is None else str(getattr(m, "__version__", "installed"))
    info["versions"] = versions
    info["git"] = _git_state()
    print(f"machine: {info['machine_before']}")
    records: list[dict] = []
    wall_per_workload = {}
    for name in selected:
        print(f"== {name}", flush=True)
        t0 = time.perf_counter()
        try:
            records += RUNNERS[name](args.quick, args.seed)
        except Exception as exc:  # noqa: BLE001 - one broken workload must not hide the others' results
            records.append(H.record(name, "-", "(workload)", "ours", status=_error(exc), ok=False))
            print(f"  {name} FAILED: {_error(exc)}", flush=True)
        wall_per_workload[name] = round(time.perf_counter() - t0, 1)
        print(f"  load average now {H.machine()['loadavg']}", flush=True)
    info["machine_after"] = H.machine()
    info["workload_wall_seconds"] = wall_per_workload
    return report(info, records, Path(args.out))

if __name__ == "__main__":
    sys.exit(main())
