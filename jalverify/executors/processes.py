"""Local worker processes: a :class:`concurrent.futures.ProcessPoolExecutor` started with ``spawn``.

Workers are fresh interpreters (``spawn``), not forks of this process: HiGHS and OpenMP keep thread pools, and a
child forked from a process with running threads can inherit a lock held by a thread that does not exist in the
child and deadlock on its first solve.  Workers ignore SIGINT: Ctrl-C is the driver's to handle, and it
terminates them (see :meth:`ProcessExecutor.terminate`).  Worker deaths are handled by
:func:`~jalverify.executors.dispatch.dispatch` (one isolated retry per task).
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TextIO

from jalverify.executors.base import TaskOutcome, WorkerPoolContext, describe_exception, run_task
from jalverify.executors.dispatch import PoolUnavailable, WorkerDied, dispatch

__all__ = ["ProcessExecutor"]

#: Seconds a terminated worker is given to exit before it is killed.
TERMINATE_GRACE = 3.0


def _worker_setup() -> None:  # pragma: no cover - runs in the worker
    """Runs first in every worker: leave SIGINT (Ctrl-C in the terminal reaches the whole process group) to the
    driver, which stops the workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class ProcessExecutor(WorkerPoolContext):
    """Run tasks on ``workers`` local worker processes.

    The pool starts at the first task (one stderr line says so) and is reused by later calls of
    :meth:`map_unordered`; a pool broken by a worker's death is replaced by a fresh one.

    Parameters
    ----------
    workers : int
        Number of worker processes, at least 1.
    log : text stream, optional
        Where the start line and worker deaths are reported (stderr by default; ``None`` for silence).
    """

    in_process = False

    def __init__(self, workers: int, *, log: TextIO | None = sys.stderr) -> None:
        self.workers = int(workers)
        self.description = f"{self.workers} local worker process{'es' if self.workers != 1 else ''}"
        self._log = log
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False
        self._announced = False

    # --- the executor ----------------------------------------------------------------------------------
    def map_unordered(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[TaskOutcome]:
        """Run ``fn(item)`` for every item on the workers; yield outcomes as they finish."""
        return dispatch(self, fn, items, log=self._log)

    def close(self) -> None:
        """Let the workers finish and exit (idempotent)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def terminate(self) -> None:
        """Stop the workers now, whatever they are running (idempotent)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        stop = getattr(pool, "terminate_workers", None)  # Python >= 3.14
        if stop is not None:
            stop()
            return
        # Python 3.11-3.13 have no public way to stop a running worker: the pool's process table is read (it
        # exists in every version since 3.2), the processes are terminated, then killed after a grace period.
        processes = list((getattr(pool, "_processes", None) or {}).values())
        for process in processes:
            if process.is_alive():
                process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(TERMINATE_GRACE)
            if process.is_alive():
                process.kill()
                process.join(TERMINATE_GRACE)

    # --- the backend of dispatch() ---------------------------------------------------------------------
    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_worker_setup)
            if self._log is not None and not self._announced:
                self._log.write(f"jalverify: running on {self.description} (spawned)\n")
                self._log.flush()
            self._announced = True
        return self._pool

    def slots(self) -> int:
        return self.workers

    def submit(self, fn: Callable[[Any], Any], index: int, item: Any, attempt: int) -> Future:
        try:
            return self._ensure_pool().submit(run_task, fn, index, item, attempt)
        except BrokenProcessPool as exc:
            self._broken = True
            raise PoolUnavailable(describe_exception(exc)) from exc

    def wait_any(self, handles: Collection[Future], timeout: float) -> Collection[Future]:
        done, _ = wait(handles, timeout=timeout, return_when=FIRST_COMPLETED)
        return done

    def result(self, handle: Future) -> TaskOutcome:
        try:
            return handle.result()
        except BrokenProcessPool as exc:
            self._broken = True
            raise WorkerDied(describe_exception(exc)) from exc

    def broken(self) -> bool:
        return self._broken

    def recover(self) -> None:
        self.terminate()
        self._broken = False

    def abort(self, handles: Collection[Future]) -> None:
        for handle in handles:
            handle.cancel()
        self.terminate()
