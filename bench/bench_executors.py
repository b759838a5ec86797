"""Executors (issue 12 §2): a 64-run learning campaign serially, on 2 local worker processes, on a local Dask cluster
and on a real two-worker Dask cluster; speed-ups and the per-task overhead of each executor.

Run: ``/work/main/.venv/bin/python bench/bench_executors.py [--seeds 8] [--steps 1500] [--noop 256]``

* Campaign: 2 games (matching pennies, rock-paper-scissors, repeated with γ = 9/10) × 4 learners (Minimax-Q, Foe-Q,
  IQL, Friend-Q) × ``--seeds`` seeds (8: 64 runs) of ``--steps`` steps and one checkpoint, each run
  :func:`jalverify.experiments.runner.execute_run` on its key (learning, then the exact reference, NashConv and
  V^π of the learned policy), about 0.1–0.6 s per run here.  Every executor must return the same records (minus
  their timing fields): checked, and a mismatch fails the benchmark.
* Per executor: *start* = wall time of the first call (starting the workers, importing jalverify there: a no-op on
  2 items per worker slot); *no-op overhead* = wall time per task of ``--noop`` no-op tasks (``abs`` of an int) on
  the started executor: the cost of sending a task and its result; *campaign* = wall time of the 64 runs on the
  started executor (each worker process computes each game's exact reference once, as a real campaign does);
  *speed-up* = serial campaign time / campaign time; *overhead per run* = (campaign time × worker slots − serial
  campaign time) / runs: the time per run lost to distribution (communication, idle slots at the end, the
  per-process references), relative to perfect scaling; *CPU/run over serial* = the extra CPU seconds per run
  spent inside the tasks (each worker process recomputing the games' references, colder caches), measured in
  the processes that ran them, so not inflated by other users of the machine.
* *Parallel capacity*: how much faster 8 equal spin loops run on 2 worker processes than serially, measured
  before and after: the speed-up any executor can reach at that moment.  The machine is shared and the kernel
  shares CPU fairly between sessions (autogroup), so while another session keeps both cores busy, this one gets
  about one core and no executor can be faster than serial; the speed-ups must be read against the capacity.
* The real cluster is a ``dask scheduler`` and two ``dask worker --nworkers 1 --nthreads 1`` processes on this
  machine, started by this script and stopped at the end.

Numbers are wall-clock on a shared 2-core machine (the load averages before and after are recorded).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import machine

from jalverify.executors import Executor, make_executor
from jalverify.experiments.runner import execute_run, prepared_game
from jalverify.experiments.spec import RunKey, parse_campaign

RESULTS = Path(__file__).resolve().parent / "results"
TIMING_FIELDS = ("seconds", "learning_seconds")


def campaign_keys(seeds: int, steps: int) -> list[RunKey]:
    spec = parse_campaign({
        "name": "bench-executors", "games": ["catalog:matching_pennies", "catalog:rock_paper_scissors"],
        "algorithms": ["minimax-q", "foe-q", "iql", "friend-q"], "seeds": {"start": 0, "count": seeds},
        "steps": steps, "checkpoints": 1, "gamma": "9/10", "epsilon": "1/20",
        "learner": {"schedule": "rm:0.7", "explore": "1"}}, where="bench")
    return spec.runs()


def timed_run(key: RunKey) -> tuple[Any, float]:
    """:func:`execute_run` and the CPU seconds it took in the process that ran it."""
    start = time.process_time()
    result = execute_run(key)
    return result, time.process_time() - start


def spin(n: int) -> int:
    """Pure-Python CPU work (for the machine's parallel capacity at the time of the run)."""
    total = 0
    for k in range(n):
        total += k * k % 7
    return total


def _without_timings(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in TIMING_FIELDS}


def timed_map(executor: Executor, fn: Callable[[Any], Any], items: list[Any]) -> tuple[float, list[Any]]:
    """Wall seconds of mapping ``fn`` over ``items``, and the values in item order (a failed task stops the bench)."""
    start = time.perf_counter()
    outcomes = list(executor.map_unordered(fn, items))
    wall = time.perf_counter() - start
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise RuntimeError(f"{executor.description}: task {failed[0].index} failed: {failed[0].error}")
    return wall, [o.value for o in sorted(outcomes, key=lambda o: o.index)]


@contextlib.contextmanager
def dask_cluster(workers: int) -> Iterator[str]:
    """A ``dask scheduler`` and ``workers`` one-thread ``dask worker`` processes on localhost; yields the address."""
    import distributed

    dask = str(Path(sys.executable).with_name("dask"))
    processes: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory() as folder:
        scheduler_file = Path(folder) / "scheduler.json"
        try:
            processes.append(subprocess.Popen(
                [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file",
                 str(scheduler_file)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True))
            deadline = time.monotonic() + 60
            while not scheduler_file.exists():
                if time.monotonic() > deadline:
                    raise RuntimeError("the Dask scheduler did not start within 60 s")
                time.sleep(0.1)
            address = json.loads(scheduler_file.read_text())["address"]
            for _ in range(workers):
                processes.append(subprocess.Popen(
                    [dask, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    start_new_session=True))
            with distributed.Client(address, timeout=60, set_as_default=False) as client:
                client.wait_for_workers(workers, timeout=60)
            yield address
        finally:
            for process in reversed(processes):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(10)


def measure(name: str, make: Callable[[], Executor], slots: int, keys: list[RunKey], noop: int) -> dict[str, Any]:
    """Start, no-op overhead and campaign time of one executor."""
    prepared_game.cache_clear()  # the serial executor computes the references inside the timed campaign too
    start = time.perf_counter()
    with make() as executor:
        created = time.perf_counter() - start
        warm, _ = timed_map(executor, abs, list(range(2 * slots)))
        noop_wall, values = timed_map(executor, abs, list(range(-noop, 0)))
        assert values == list(range(noop, 0, -1))
        campaign, results = timed_map(executor, timed_run, keys)
        description = executor.description
    return {"executor": name, "description": description, "slots": slots, "start_s": created + warm,
            "noop_tasks": noop, "noop_ms_per_task": 1000 * noop_wall / noop, "campaign_s": campaign,
            "campaign_cpu_s": sum(cpu for _, cpu in results), "runs": len(keys),
            "records": [_without_timings(r.record) for r, _ in results],
            "run_seconds": [r.record["seconds"] for r, _ in results]}


def parallel_capacity(tasks: int = 8, n: int = 3_000_000) -> float:
    """How many times faster ``tasks`` equal CPU-bound tasks run on 2 worker processes than serially, now: the
    speed-up any executor can reach on this shared machine at this moment (2.0 when two cores are free)."""
    with make_executor(workers=2, log=None) as executor:
        timed_map(executor, spin, [1000] * 4)
        serial, _ = timed_map(make_executor(log=None), spin, [n] * tasks)
        parallel, _ = timed_map(executor, spin, [n] * tasks)
    return serial / parallel


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=8, help="seeds per (game, learner): 8 gives 64 runs")
    parser.add_argument("--steps", type=int, default=1500, help="learning steps per run")
    parser.add_argument("--noop", type=int, default=256, help="no-op tasks timed per executor")
    args = parser.parse_args()
    keys = campaign_keys(args.seeds, args.steps)
    before = machine()
    capacity_before = parallel_capacity()
    rows = [measure("serial", lambda: make_executor(log=None), 1, keys, args.noop),
            measure("processes", lambda: make_executor(workers=2, log=None), 2, keys, args.noop),
            measure("dask-local", lambda: make_executor(workers=2, dask=True, log=None), 2, keys, args.noop)]
    with dask_cluster(2) as address:
        rows.append(measure("dask-cluster", lambda: make_executor(scheduler=address, log=None), 2, keys, args.noop))
    after = machine()
    capacity_after = parallel_capacity()
    serial = rows[0]
    for row in rows:
        if row["records"] != serial["records"]:
            raise RuntimeError(f"{row['executor']}: the records differ from the serial run's")
    for row in rows:
        row["speedup"] = serial["campaign_s"] / row["campaign_s"]
        row["overhead_per_run_s"] = (row["campaign_s"] * row["slots"] - serial["campaign_s"]) / row["runs"]
        row["cpu_overhead_per_run_s"] = (row["campaign_cpu_s"] - serial["campaign_cpu_s"]) / row["runs"]
        row["identical_records"] = True
        row.pop("records")
    run_times = serial["run_seconds"]
    summary = {"benchmark": "executors", "runs": len(keys), "steps": args.steps, "machine_before": before,
               "machine_after": after, "parallel_capacity": [capacity_before, capacity_after], "serial_run_seconds": {"median": statistics.median(run_times),
                                                              "min": min(run_times), "max": max(run_times)},
               "rows": [{k: v for k, v in row.items() if k != "run_seconds"} for row in rows]}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "executors.json").write_text(json.dumps(summary, indent=1) + "\n")
    title = (f"Executors: a campaign of {len(keys)} runs ({args.steps} steps each; serial run time median "
             f"{statistics.median(run_times):.2f} s, range {min(run_times):.2f}-{max(run_times):.2f} s), "
             f"{before['nproc']} cores, load {before['loadavg'][0]:.1f} before / {after['loadavg'][0]:.1f} after; "
             f"parallel capacity (2 processes / 1 on spin loops) {capacity_before:.2f} before / "
             f"{capacity_after:.2f} after")
    header = (f"{'executor':<14} {'slots':>5} {'start (s)':>9} {'no-op (ms/task)':>15} {'campaign (s)':>12} "
              f"{'speed-up':>8} {'overhead/run (s)':>16} {'CPU/run over serial (s)':>23}")
    lines = [title, "", header, "-" * len(header)]
    for row in rows:
        lines.append(f"{row['executor']:<14} {row['slots']:>5} {row['start_s']:>9.2f} {row['noop_ms_per_task']:>15.2f} "
                     f"{row['campaign_s']:>12.2f} {row['speedup']:>8.2f} {row['overhead_per_run_s']:>16.3f} "
                     f"{row['cpu_overhead_per_run_s']:>23.3f}")
    lines += ["", "Every executor returned the same 64 records as the serial run (timing fields aside).", ""]
    (RESULTS / "executors.txt").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
