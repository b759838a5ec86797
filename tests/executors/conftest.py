"""Fixtures of the executor tests: a real Dask cluster (a ``dask scheduler`` and two ``dask worker`` processes on
localhost), started once per session and torn down with its process groups; this folder on ``sys.path`` so
that worker processes import :mod:`executor_toys` by name."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)  # spawned workers inherit sys.path; Dask workers get PYTHONPATH below

#: Seconds allowed for the cluster to come up, and for each of its processes to stop.
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


def cluster_environment() -> dict[str, str]:
    """The environment of the cluster's processes: this folder importable, and a scheduler that fails a task
    with KilledWorker at its first dead worker (jalverify's executor then runs it once more, alone)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([HERE] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"] = "0"
    return env


def _stop(process: subprocess.Popen) -> None:
    """Stop a process and everything it started (its own process group): SIGTERM, then SIGKILL."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(STOP_TIMEOUT)
            break
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the nanny's worker process, if it outlived the nanny


@pytest.fixture(scope="session")
def dask_scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address ``tcp://127.0.0.1:PORT`` of a running scheduler with two one-thread workers."""
    import distributed

    folder = tmp_path_factory.mktemp("dask-cluster")
    scheduler_file = folder / "scheduler.json"
    dask = str(Path(sys.executable).with_name("dask"))
    env = cluster_environment()
    processes: list[subprocess.Popen] = []
    logs = []
    try:
        log = open(folder / "scheduler.log", "w")  # noqa: SIM115 - closed in the finally clause
        logs.append(log)
        processes.append(subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file",
             str(scheduler_file)], env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True))
        deadline = time.monotonic() + START_TIMEOUT
        while not scheduler_file.exists():
            if time.monotonic() > deadline or processes[0].poll() is not None:
                pytest.fail(f"the Dask scheduler did not start; log: {(folder / 'scheduler.log').read_text()}")
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        for k in range(2):
            log = open(folder / f"worker-{k}.log", "w")  # noqa: SIM115 - closed in the finally clause
            logs.append(log)
            processes.append(subprocess.Popen(
                [dask, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"], env=env,
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        with distributed.Client(address, timeout=START_TIMEOUT, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=START_TIMEOUT)
        yield address
    finally:
        for process in reversed(processes):
            _stop(process)
        for log in logs:
            log.close()
