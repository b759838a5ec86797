"""Picklable top-level task functions for the executor tests (imported by name in worker processes and Dask
workers: the tests put this folder on their ``sys.path`` / ``PYTHONPATH``)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

#: The item on which :func:`square_or_fail` raises.
FAILING_ITEM = 3


def square_or_fail(x: int) -> int:
    """``x * x``, after a short pause; raises ``ValueError`` on :data:`FAILING_ITEM` (a message on two lines)."""
    time.sleep(0.02)
    if x == FAILING_ITEM:
        raise ValueError(f"item {x} is refused\non purpose")
    return x * x


def _kill_own_worker() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _count_start(folder: str, x: int) -> None:
    """Record one start of the task on item ``x`` (a line in ``folder/starts-x``)."""
    with open(Path(folder) / f"starts-{x}", "a") as handle:
        handle.write("started\n")


def starts(folder: str, x: int) -> int:
    """How many times the task on item ``x`` started."""
    path = Path(folder) / f"starts-{x}"
    return len(path.read_text().splitlines()) if path.exists() else 0


def die_once(task: tuple[str, int, int]) -> int:
    """Kill the worker process running it on the first attempt at item ``victim`` (a marker file in ``folder``
    records that the first attempt happened); otherwise ``10 * x``.  Every start is recorded (:func:`starts`)."""
    folder, victim, x = task
    _count_start(folder, x)
    time.sleep(0.1)
    marker = Path(folder) / f"attempted-{x}"
    if x == victim and not marker.exists():
        marker.write_text("first attempt: the worker is killed\n")
        _kill_own_worker()
    return 10 * x


def die_always(task: tuple[str, int, int]) -> int:
    """Kill the worker process running it at item ``victim``, every time; otherwise ``10 * x``."""
    _folder, victim, x = task
    time.sleep(0.1)
    if x == victim:
        _kill_own_worker()
    return 10 * x


def pid_after_pause(_x: int) -> int:
    """The worker's process id, after a pause (so that concurrent tasks land on different workers)."""
    time.sleep(0.3)
    return os.getpid()


def sleep_long(x: int) -> int:
    """A task that would take two minutes (for interruption tests)."""
    time.sleep(120)
    return x


def holds_always(*case: object) -> object:
    """A theorem check that never runs in the tests that use it (its case strategy does not exist)."""
    from jalverify.verdicts import Status, Verdict

    return Verdict("toy.holds_always", Status.PROVEN, "holds")
