"""Benchmark: one Nash equilibrium of random k×k integer bimatrix games (Lemke–Howson).

Ours: exact Lemke–Howson (integer pivoting, lexicographic rule) and float Lemke–Howson (numpy), both from label
0, each followed by its regret check.  Peers when installed: pygambit ``lcp_solve(stop_after=1)`` (rational
and float) and nashpy ``lemke_howson(initial_dropped_label=0)``, each in a forked process with a timeout
(a peer that cycles or hangs counts as a failure, its time as the timeout).  Every peer answer is checked:
exact ones with an exact regret computation, float ones within 1e-6.  Plain script, not a test:

    python bench/bench_nash_one.py [--sizes 10 20 50 100] [--reps 3]
"""

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

from jalverify.games.normal_form import NormalFormGame  # noqa: E402
from jalverify.games.profiles import MixedProfile, max_regret  # noqa: E402
from jalverify.solvers.nash import lemke_howson_solve  # noqa: E402


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def _child(conn, fn):  # pragma: no cover - runs in a forked process
    t = time.perf_counter()
    try:
        out = fn()
        conn.send((time.perf_counter() - t, out, None))
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a failure
        conn.send((time.perf_counter() - t, None, repr(exc)))


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
    rng = np.random.default_rng(args.seed)
    print("one equilibrium of random k×k games, payoffs uniform in -10..10, median seconds "
          "(ratio = peer / our exact LH)")
    names = ["ours exact", "ours float", "gambit exact", "gambit float", "nashpy"]
    print(f"{'k':>4} " + " ".join(f"{n:>13}" for n in names) + "   failures")
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
            t, res = timed(lambda: lemke_howson_solve(float_game, labels=[0]))
            times["ours float"].append(t)
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
                return f"{'-':>13}"
            med = statistics.median(times[name])
            ratio = med / statistics.median(times["ours exact"])
            return f"{med:7.3f} ({ratio:4.1f})"

        print(f"{k:>4} " + " ".join(cell(n) for n in names) + f"   {failures}", flush=True)
    print(f"peer answers failing (no answer, timeout after {args.timeout} s, or regret check failed): {failures_total}")
    for note in notes:
        print(f"  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
