"""Benchmark: one Nash equilibrium of random k×k integer bimatrix games (Lemke–Howson).

Ours: exact Lemke–Howson (integer pivoting, lexicographic rule; compiled int64/128-bit kernel, Python integers
past int64) and float Lemke–Howson (compiled kernel), both from label 0, each followed by its regret check.
Both are warmed up once on a 2×2 game first (numba loads its cached machine code on the first call), as
QuantEcon is.  Peers when installed: pygambit ``lcp_solve(stop_after=1)`` (rational and float), nashpy
``lemke_howson(initial_dropped_label=0)`` and QuantEcon ``lemke_howson(init_pivot=0)``; pygambit and nashpy
run in a forked process with a timeout (a peer that cycles or hangs counts as a failure, its time as the
timeout; a forked peer's time is its own CPU time).  Every peer answer is checked: exact ones with an exact
regret computation, float ones within 1e-6.  Times are CPU seconds (``time.process_time``).  Plain script,
not a test:

    python bench/bench_nash_one.py [--sizes 10 20 50 100] [--reps 3]
"""

# ruff: noqa: B023 - every lambda and helper below is called at once, inside the loop iteration that defines it
from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.profiles import MixedProfile, max_regret
from jalverify.solvers.nash import lemke_howson_solve


def timed(fn):
    t = time.process_time()
    out = fn()
    return time.process_time() - t, out


def _child(conn, fn):  # pragma: no cover - runs in a forked process
    t = time.process_time()
    try:
        out = fn()
        conn.send((time.process_time() - t, out, None))
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a failure
        conn.send((time.process_time() - t, None, repr(exc)))


def timed_peer(fn, timeout: float):
    """Run a peer call in a forked process (peers can cycle on degenerate games): ``(seconds, result, error)``;
    on timeout ``(timeout, None, "timeout")``."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn))
    proc.start()
    if parent.poll(timeout):
        result = parent.recv()
        proc.join()
        return result
    proc.terminate()
    proc.join()
    return timeout, None, "timeout"


def _quantecon_game(qe, A: np.ndarray, B: np.ndarray):
    return qe.NormalFormGame((qe.Player(A.astype(float)), qe.Player(B.T.astype(float))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 50, 100])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per peer call (counted as a failure)")
    args = parser.parse_args()
    try:
        import pygambit as gbt
    except ImportError:
        gbt = None
    try:
        import nashpy
    except ImportError:
        nashpy = None
    try:
        import quantecon.game_theory as qe
    except ImportError:
        qe = None
    warm = NormalFormGame.bimatrix(np.eye(2, dtype=int), np.eye(2, dtype=int))
    lemke_howson_solve(warm, labels=[0])
    lemke_howson_solve(warm.to_field("float"), labels=[0])
    if qe is not None:
        qe.lemke_howson(_quantecon_game(qe, np.eye(2), np.eye(2)), init_pivot=0)
    rng = np.random.default_rng(args.seed)
    print("one equilibrium of random k×k games, payoffs uniform in -10..10, median CPU seconds "
          "(ratio = that time / our time of the same kind: exact peers / our exact, float peers / our float)")
    names = ["ours exact", "ours float", "gambit exact", "gambit float", "nashpy", "quantecon"]
    print(f"{'k':>4} " + " ".join(f"{n:>16}" for n in names) + "   failures")
    failures_total = 0
    notes: list[str] = []
    for k in args.sizes:
        times: dict[str, list[float]] = {n: [] for n in names}
        failures = 0
        for _ in range(args.reps):
            A = rng.integers(-10, 11, (k, k))
            B = rng.integers(-10, 11, (k, k))
            exact_game = NormalFormGame.bimatrix(A, B)
            float_game = exact_game.to_field("float")
            t, res = timed(lambda: lemke_howson_solve(exact_game, labels=[0]))
            times["ours exact"].append(t)
            if max_regret(exact_game, res.equilibria[0]) != 0:
                notes.append(f"k={k} ours exact: answer fails the exact regret check")
            t, res = timed(lambda: lemke_howson_solve(float_game, labels=[0]))
            times["ours float"].append(t)
            if max_regret(float_game, res.equilibria[0]) > 1e-6:
                notes.append(f"k={k} ours float: answer fails the regret check")
            if gbt is not None:
                g = gbt.Game.from_arrays(A.astype(int), B.astype(int))
                for rational, name in ((True, "gambit exact"), (False, "gambit float")):
                    def run_gambit(rational=rational):
                        res = gbt.nash.lcp_solve(g, rational=rational, stop_after=1)
                        return [[[Fraction(eq[s]) if rational else float(eq[s]) for s in p.strategies]
                                 for p in g.players] for eq in res.equilibria]

                    t, found, error = timed_peer(run_gambit, args.timeout)
                    times[name].append(t)
                    if error or not found:
                        failures += 1
                        notes.append(f"k={k} {name}: {error or 'no equilibrium returned'}")
                        continue
                    dists = found[0]
                    if rational:
                        ok = max_regret(exact_game, MixedProfile(exact_game, dists)) == 0
                    else:
                        ok = max_regret(float_game, MixedProfile(float_game, dists, allow_float=True)) <= 1e-6
                    if not ok:
                        failures += 1
                        notes.append(f"k={k} {name}: answer fails the regret check")
            if qe is not None:
                t, (x, y) = timed(lambda: qe.lemke_howson(_quantecon_game(qe, A, B), init_pivot=0))
                times["quantecon"].append(t)
                if not (x.shape == (k,) and np.all(np.isfinite(x)) and max_regret(
                        float_game, MixedProfile(float_game, [x, y], allow_float=True)) <= 1e-6):
                    failures += 1
                    notes.append(f"k={k} quantecon: answer is not an equilibrium (or malformed)")
            if nashpy is not None:
                t, res, error = timed_peer(lambda: nashpy.Game(A, B).lemke_howson(initial_dropped_label=0),
                                           args.timeout)
                times["nashpy"].append(t)
                if error:
                    failures += 1
                    notes.append(f"k={k} nashpy: {error}")
                    continue
                x, y = res
                try:
                    ok = x.shape == (k,) and np.all(np.isfinite(x)) and max_regret(
                        float_game, MixedProfile(float_game, [x, y], allow_float=True)) <= 1e-6
                except Exception:  # noqa: BLE001 - a peer's malformed answer counts as a failure
                    ok = False
                if not ok:
                    failures += 1
                    notes.append(f"k={k} nashpy: answer is not an equilibrium (or malformed, e.g. NaN)")
        failures_total += failures

        def cell(name: str) -> str:
            if not times[name]:
                return f"{'-':>16}"
            med = statistics.median(times[name])
            ours = "ours exact" if name in ("ours exact", "gambit exact") else "ours float"
            ratio = med / statistics.median(times[ours])
            return f"{med:8.4f} ({ratio:5.2f})"

        print(f"{k:>4} " + " ".join(cell(n) for n in names) + f"   {failures}", flush=True)
    print(f"peer answers failing (no answer, timeout after {args.timeout} s, or regret check failed): {failures_total}")
    for note in notes:
        print(f"  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
