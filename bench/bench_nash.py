"""Benchmark: exact enumeration of all extreme Nash equilibria of random k×k integer bimatrix games.

Compares jalverify's exact vertex enumeration (``vertex_enumeration_solve``) with pygambit's exact
``enummixed_solve(rational=True)`` and nashpy's (float) ``vertex_enumeration`` when installed, and
``lrsnash`` (lrslib) when on PATH.  Prints per-size median times, ratios (peer / ours) and equilibrium counts,
and checks that we never miss an equilibrium a peer finds (exact comparison with pygambit and lrsnash; within
1e-6 for nashpy's floats).  Plain script, not a test:

    python bench/bench_nash.py [--sizes 4 5 6 7 8 9 10] [--reps 3] [--nashpy-max 8] [--degenerate]

``--degenerate`` draws payoffs in 0..2 (many ties: degenerate games) instead of -10..10.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jalverify.games.normal_form import NormalFormGame
from jalverify.solvers.nash import vertex_enumeration_solve


def warm_up() -> None:
    """Load our compiled kernel (numba, cached on disk) once, outside every timing: like the QuantEcon warm-up
    in ``run_all.py``, the one-off JIT load (about a second of CPU) is not a per-game cost.  Called when this
    module is imported."""
    eye = np.eye(6, dtype=int)
    vertex_enumeration_solve(NormalFormGame.bimatrix(eye, eye), components=False, kernel="compiled")


warm_up()


def ours(A: np.ndarray, B: np.ndarray) -> tuple[float, set]:
    game = NormalFormGame.bimatrix(A, B)
    t = time.perf_counter()
    result = vertex_enumeration_solve(game, components=False)
    elapsed = time.perf_counter() - t
    return elapsed, {tuple(tuple(d.tolist()) for d in e.distributions) for e in result.equilibria}


def gambit(A: np.ndarray, B: np.ndarray) -> tuple[float, set]:
    import pygambit as gbt

    game = gbt.Game.from_arrays(A.astype(int), B.astype(int))
    t = time.perf_counter()
    result = gbt.nash.enummixed_solve(game, rational=True)
    elapsed = time.perf_counter() - t
    found = {tuple(tuple(Fraction(eq[s]) for s in p.strategies) for p in game.players) for eq in result.equilibria}
    return elapsed, found


def nashpy_run(A: np.ndarray, B: np.ndarray) -> tuple[float, list]:
    import nashpy

    t = time.perf_counter()
    found = list(nashpy.Game(A, B).vertex_enumeration())
    return time.perf_counter() - t, found


def lrsnash(A: np.ndarray, B: np.ndarray) -> tuple[float, set]:
    m, n = A.shape
    text = f"{m} {n}\n\n" + "\n".join(" ".join(str(int(v)) for v in row) for row in A) + "\n\n" + \
        "\n".join(" ".join(str(int(v)) for v in row) for row in B) + "\n"
    with tempfile.NamedTemporaryFile("w", suffix=".game", delete=False) as fh:
        fh.write(text)
        path = fh.name
    t = time.perf_counter()
    out = subprocess.run(["lrsnash", path], capture_output=True, text=True, check=True).stdout
    elapsed = time.perf_counter() - t
    # output groups, separated by blank lines: lines "2 y... payoff" then "1 x... payoff"; every x of a group
    # is in equilibrium with every y of it (lrsnash prints Nash subsets of degenerate games this way)
    found = set()
    xs: list = []
    ys: list = []
    for line in out.splitlines() + [""]:
        parts = line.split()
        if not parts:
            found.update((x, y) for x in xs for y in ys)
            xs, ys = [], []
            continue
        if parts[0] not in ("1", "2"):
            continue
        values = tuple(Fraction(v) for v in parts[1:-1])
        (xs if parts[0] == "1" else ys).append(values)
    return elapsed, found


def covered(float_eqs: list, exact: set) -> bool:
    exact_arrays = [np.concatenate([np.array(x, dtype=float), np.array(y, dtype=float)]) for x, y in exact]
    for x, y in float_eqs:
        v = np.concatenate([x, y])
        if not any(np.max(np.abs(v - e)) < 1e-6 for e in exact_arrays):
            return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4, 5, 6, 7, 8, 9, 10])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--nashpy-max", type=int, default=8, help="largest k for nashpy (slow)")
    parser.add_argument("--degenerate", action="store_true", help="payoffs in 0..2 (degenerate games)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    try:
        import pygambit  # noqa: F401
        have_gambit = True
    except ImportError:
        have_gambit = False
    try:
        import nashpy  # noqa: F401
        have_nashpy = True
    except ImportError:
        have_nashpy = False
    have_lrs = shutil.which("lrsnash") is not None
    rng = np.random.default_rng(args.seed)
    low, high = (0, 2) if args.degenerate else (-10, 10)
    print(f"random k×k games, payoffs uniform in {low}..{high}, {args.reps} per size, median seconds; "
          f"pygambit={'yes' if have_gambit else 'no'} nashpy={'yes' if have_nashpy else 'no'} "
          f"lrsnash={'yes' if have_lrs else 'no'}")
    header = f"{'k':>3} {'ours':>8} {'gambit':>8} {'ratio':>6} {'nashpy':>8} {'ratio':>7} {'lrsnash':>8} {'ratio':>6}  equilibria (ours/gambit/nashpy/lrs)  missed"
    print(header)
    total_missed = 0
    for k in args.sizes:
        times: dict[str, list[float]] = {"ours": [], "gambit": [], "nashpy": [], "lrs": []}
        counts: dict[str, list[int]] = {"ours": [], "gambit": [], "nashpy": [], "lrs": []}
        missed = 0
        for _ in range(args.reps):
            A = rng.integers(low, high + 1, (k, k))
            B = rng.integers(low, high + 1, (k, k))
            t, mine = ours(A, B)
            times["ours"].append(t)
            counts["ours"].append(len(mine))
            if have_gambit:
                t, theirs = gambit(A, B)
                times["gambit"].append(t)
                counts["gambit"].append(len(theirs))
                missed += len(theirs - mine)
            if have_nashpy and k <= args.nashpy_max:
                t, found = nashpy_run(A, B)
                times["nashpy"].append(t)
                counts["nashpy"].append(len(found))
                missed += 0 if covered(found, mine) else 1
            if have_lrs:
                t, theirs = lrsnash(A, B)
                times["lrs"].append(t)
                counts["lrs"].append(len(theirs))
                missed += len(theirs - mine)
        total_missed += missed

        def med(name: str, times: dict[str, list[float]] = times) -> str:
            return f"{statistics.median(times[name]):8.3f}" if times[name] else f"{'-':>8}"

        def ratio(name: str, width: int = 6, times: dict[str, list[float]] = times) -> str:
            if not times[name]:
                return f"{'-':>{width}}"
            return f"{statistics.median(times[name]) / statistics.median(times['ours']):{width}.1f}"

        cnt = "/".join(str(sum(counts[n])) if counts[n] else "-" for n in ("ours", "gambit", "nashpy", "lrs"))
        print(f"{k:>3} {med('ours')} {med('gambit')} {ratio('gambit')} {med('nashpy')} {ratio('nashpy', 7)} "
              f"{med('lrs')} {ratio('lrs')}  {cnt:>34}  {missed}", flush=True)
    print(f"never-missed check: {'OK' if total_missed == 0 else f'FAILED ({total_missed} missed)'}")
    return 0 if total_missed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
