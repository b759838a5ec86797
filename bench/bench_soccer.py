"""Minimax-Q on Littman's (1994) grid soccer: steps per second and the error curve toward Q*.

Run: ``/work/venv/bin/python bench/bench_soccer.py --steps 20000000 --seed 0 [--deadline 14:30]``

* Game: ``jalverify.games.catalog.load("soccer")`` converted to float64 (the load and conversion are timed).
* Reference Q*: Shapley value iteration in floats (:func:`jalverify.solvers.value_iteration.shapley_value_iteration`,
  HiGHS stage LPs, ``tol`` 1e-10): the returned stage games Γ_s(V_k) are within ``error_bound`` (γ/(1−γ)·‖V_k+1 − V_k‖)
  of the true Q*.  As an independent check the learner's own model-based operator (kernel stage solver) is applied
  to this Q* and its residual max |T Q* − Q*| is logged.
* Learner: Minimax-Q (:func:`jalverify.learners.minimax_q.minimax_q`) with the conditions of Littman & Szepesvári
  (1996): Robbins–Monro steps 1/n(s,a)^ω counted per (state, joint action) and uniform exploration (ε = 1, off-policy);
  episodes restart uniformly over non-terminal states and last at most ``--episode-length`` steps, as in the
  ``minimax_q.convergence`` theorem (ω = 0.7, episodes of 10).  The steps run in
  :meth:`~jalverify.learners.minimax_q.MinimaxQLearner.advance`: the compiled (numba) loop, or with ``--python``
  the Python loop (act / simulator step / update per step) — same random draws, same seed, same trajectory.
* Every ``--every`` steps one line goes to the log: steps, wall time, steps/s (wall and CPU, since the start
  — including the one-off numba cache load and model conversion in the first interval — and over the last
  interval), max and mean |Q − Q*| over every
  non-terminal (state, joint action) and both agents, and the visit counts (min / median per pair).  A JSON summary
  (the whole curve) is rewritten at each line.  ``--deadline HH:MM`` (UTC) stops early at that time.
* Stated tolerance: the theorem's 5% of max(1, |R|max)/(1 − γ) (= 0.5 here); the summary says whether the run
  reached it, and a power-law fit of the error curve's second half projects the steps still needed.

Numbers are wall-clock and CPU time on a shared machine; compare ``--python`` and compiled runs by their CPU rates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import TextIO

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jalverify.games import catalog
from jalverify.learners.minimax_q import minimax_q
from jalverify.learners.schedules import EpsilonGreedy, RobbinsMonro
from jalverify.learners.simulator import Simulator
from jalverify.solvers.value_iteration import shapley_value_iteration

RESULTS = Path(__file__).resolve().parent / "results"


def _errors(q: list[np.ndarray], q_star: list[np.ndarray], live: list[int]) -> tuple[float, float]:
    diff = np.concatenate([np.abs(q[s] - q_star[s]).reshape(-1) for s in live])
    return float(diff.max()), float(diff.mean())


def _projection(curve: list[dict], key: str, target: float) -> dict:
    """Fit log(error) = a + b log(steps) on the second half of the curve; steps where the fit meets ``target``."""
    pts = [(c["steps"], c[key]) for c in curve if c["steps"] > 0 and c[key] > 0]
    pts = pts[len(pts) // 2:]
    if len(pts) < 3:
        return {"fit": None, "reason": "fewer than 3 points in the second half"}
    x = np.log([p[0] for p in pts])
    y = np.log([p[1] for p in pts])
    b, a = np.polyfit(x, y, 1)
    out = {"slope": float(b), "intercept": float(a), "points": len(pts)}
    if b < 0:
        out["steps_for_target"] = float(np.exp((np.log(target) - a) / b))
    else:
        out["steps_for_target"] = None
        out["reason"] = "error not decreasing over the second half"
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=20_000_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--omega", type=float, default=0.7)
    p.add_argument("--episode-length", type=int, default=10)
    p.add_argument("--every", type=int, default=250_000, help="log interval in steps")
    p.add_argument("--deadline", default=None, help="stop at this UTC time HH:MM (today)")
    p.add_argument("--log", default=str(RESULTS / "soccer_minimax_q.log"))
    p.add_argument("--json", default=str(RESULTS / "soccer_minimax_q.json"))
    p.add_argument("--python", action="store_true", help="the Python loop instead of the compiled one (for comparison)")
    args = p.parse_args(argv)
    deadline = None
    if args.deadline:
        hh, mm = (int(x) for x in args.deadline.split(":"))
        now = dt.datetime.now(dt.UTC)
        deadline = now.replace(hour=hh, minute=mm, second=0, microsecond=0).timestamp()
    RESULTS.mkdir(exist_ok=True)
    with open(args.log, "w", buffering=1) as log:
        return _run(args, deadline, log)


def _run(args: argparse.Namespace, deadline: float | None, log: TextIO) -> int:
    def say(text: str) -> None:
        line = f"{dt.datetime.now(dt.UTC):%H:%M:%S} {text}"
        print(line, flush=True)
        log.write(line + "\n")

    t0 = time.perf_counter()
    exact = catalog.load("soccer")
    t1 = time.perf_counter()
    game = exact.to_field("float")
    t2 = time.perf_counter()
    say(f"soccer: {game.n_states} states, gamma {exact.gamma}; load {t1 - t0:.1f}s, to float {t2 - t1:.1f}s")
    live = [s for s in range(game.n_states) if not game.terminal[s]]
    pairs = sum(game.n_joint_actions(s) for s in live)

    vi = shapley_value_iteration(game, field="float", tol=1e-10, max_iterations=10_000)
    t3 = time.perf_counter()
    q_star = [np.asarray(q, dtype=np.float64) for q in vi.Q]
    bound = float(vi.error_bound)
    learner = minimax_q(game, schedule=RobbinsMonro(args.omega), exploration=EpsilonGreedy(1.0), seed=args.seed,
                        compiled=not args.python)
    residual = max(float(np.max(np.abs(a - b))) for a, b in zip(learner.apply_operator(q_star), q_star))
    say(f"reference Q*: Shapley VI (float, HiGHS) {vi.status.value} after {vi.iterations} iterations in "
        f"{t3 - t2:.1f}s, |Q_VI - Q*| <= {bound:.2g}; learner operator residual max|T Q* - Q*| = {residual:.2g}")
    scale = max(1.0, max(float(np.max(np.abs(r))) for r in game.rewards)) / (1.0 - float(game.gamma))
    tolerance = 0.05 * scale
    say(f"Minimax-Q: RobbinsMonro(omega={args.omega}) per (s, joint a), epsilon 1, uniform restarts, episodes of "
        f"{args.episode_length}; {pairs} non-terminal (s, joint a) pairs; seed {args.seed}; stated tolerance "
        f"0.05*{scale:g} = {tolerance:g}")

    sim = Simulator(game, args.seed + 1, start="uniform", episode_length=args.episode_length)
    curve: list[dict] = []
    summary: dict = {
        "game": "soccer", "n_states": game.n_states, "pairs": pairs, "gamma": float(game.gamma),
        "seed": args.seed, "omega": args.omega, "episode_length": args.episode_length, "epsilon": 1.0,
        "reference": {"method": "shapley_value_iteration float (HiGHS)", "tol": 1e-10, "iterations": vi.iterations,
                      "error_bound": bound, "operator_residual": residual},
        "tolerance": tolerance, "scale": scale, "curve": curve,
        "timing": {"load_s": t1 - t0, "to_float_s": t2 - t1, "reference_s": t3 - t2},
    }

    def record(done: int, elapsed: float, cpu: float) -> None:
        mx, mean = _errors(learner.q, q_star, live)
        visits = np.concatenate([learner.counts[s].reshape(-1) for s in live])
        prev = curve[-1] if curve else {"steps": 0, "seconds": 0.0, "cpu_seconds": 0.0}
        dt_wall, dt_cpu = elapsed - prev["seconds"], cpu - prev["cpu_seconds"]
        row = {"steps": done, "seconds": elapsed, "steps_per_s": done / elapsed if elapsed else 0.0,
               "interval_steps_per_s": (done - prev["steps"]) / dt_wall if dt_wall else 0.0,
               "interval_steps_per_cpu_s": (done - prev["steps"]) / dt_cpu if dt_cpu else 0.0,
               "cpu_seconds": cpu, "steps_per_cpu_s": done / cpu if cpu else 0.0, "engine": learner.engine,
               "max_error": mx, "mean_error": mean, "min_visits": int(visits.min()),
               "median_visits": float(np.median(visits)), "stage_solves": learner.stage_solves}
        curve.append(row)
        say(f"steps {done:>10d}  {elapsed:8.1f}s  {row['steps_per_s']:7.0f} steps/s ({row['steps_per_cpu_s']:7.0f} "
            f"per CPU s; last interval {row['interval_steps_per_s']:7.0f} / {row['interval_steps_per_cpu_s']:7.0f}; "
            f"{learner.engine})  max|Q-Q*| {mx:.4f}  "
            f"mean|Q-Q*| {mean:.5f}  visits min {row['min_visits']} median {row['median_visits']:.0f}")
        summary["reached_tolerance"] = mx <= tolerance
        summary["projection_max"] = _projection(curve, "max_error", tolerance)
        summary["projection_mean_0.01"] = _projection(curve, "mean_error", 0.01)
        Path(args.json).write_text(json.dumps(summary, indent=1))

    start = time.perf_counter()
    cpu0 = time.process_time()
    record(0, 0.0, 0.0)
    done = 0
    while done < args.steps:
        chunk = min(args.every, args.steps - done)
        learner.advance(chunk, sim)
        done += chunk
        record(done, time.perf_counter() - start, time.process_time() - cpu0)
        if deadline is not None and time.time() >= deadline:
            say(f"deadline {args.deadline} UTC reached after {done} steps")
            break
    last = curve[-1]
    say(f"end: {done} steps, max|Q-Q*| {last['max_error']:.4f} (tolerance {tolerance:g}: "
        f"{'reached' if summary['reached_tolerance'] else 'not reached'}), mean {last['mean_error']:.5f}; "
        f"projection (max error, power fit of 2nd half): {summary['projection_max']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
