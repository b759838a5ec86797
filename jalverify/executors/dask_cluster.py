"""A Dask distributed cluster as executor: a running scheduler (``--scheduler tcp://HOST:PORT``) or a local one.

A running cluster is any ``dask scheduler`` with ``dask worker`` processes on machines where jalverify is
installed (``pip install 'jalverify[distributed]'``): tasks are pickled with the function's module path, so every
worker imports the same jalverify.  ``--workers N --dask`` starts a :class:`distributed.LocalCluster` of N worker
processes with one thread each, for a user who wants Dask's dashboard on one machine.

Worker deaths: the Dask scheduler itself re-runs a task whose worker died until the task has been on
``distributed.scheduler.allowed-failures + 1`` dying workers, then fails it with ``KilledWorker``.  A
``KilledWorker`` counts as one death for :func:`~jalverify.executors.dispatch.dispatch`, which runs the task once
more, alone.  The local cluster started here sets ``allowed-failures`` to 0, so there a task is run at most twice
in all, as on local processes; a running cluster keeps its own setting (Dask's default is 3).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import logging
import os
import signal
import sys
import time
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any, TextIO

from jalverify.errors import InvalidOption, MissingExtra
from jalverify.executors.base import TaskOutcome, WorkerPoolContext, describe_exception, run_task
from jalverify.executors.dispatch import WorkerDied, dispatch

__all__ = ["CONNECT_TIMEOUT", "DaskExecutor", "connect_scheduler", "import_distributed", "start_local_cluster"]

#: Seconds allowed to reach a scheduler, and for a reached scheduler to have a worker.
CONNECT_TIMEOUT = 10.0

#: Seconds between two refreshes of the cluster's thread count (workers may join or leave).
SLOTS_REFRESH = 2.0


def import_distributed() -> Any:
    """The :mod:`distributed` module, or :class:`~jalverify.errors.MissingExtra` naming the extra to install."""
    try:
        return importlib.import_module("distributed")
    except ImportError as exc:
        raise MissingExtra("Dask executors (--scheduler, --dask) need the 'distributed' extra: "
                           f"pip install 'jalverify[distributed]' ({describe_exception(exc)})") from exc


def _dashboard_words(link: str | None) -> str:
    """Where the local cluster's dashboard is, or why there is none."""
    if importlib.util.find_spec("bokeh") is None:
        return "no dashboard (it needs bokeh: pip install 'dask[diagnostics]')"
    return f"dashboard {link}" if link else "no dashboard"


class DaskExecutor(WorkerPoolContext):
    """Run tasks on a Dask cluster through a connected :class:`distributed.Client`.

    Use :func:`connect_scheduler` or :func:`start_local_cluster` to make one.  At most two tasks per worker
    thread are in flight (see :mod:`jalverify.executors.dispatch`).

    Parameters
    ----------
    client : distributed.Client
    cluster : distributed.LocalCluster, optional
        A cluster this executor started and closes; ``None`` for a running cluster (left running).
    description : str
    log : text stream, optional
    """

    in_process = False

    def __init__(self, client: Any, *, cluster: Any = None, description: str, log: TextIO | None = sys.stderr) -> None:
        self._distributed = import_distributed()
        self._client = client
        self._cluster = cluster
        self.description = description
        self._log = log
        self._slots = 1
        self._slots_checked = -SLOTS_REFRESH
        self._token = uuid.uuid4().hex[:12]

    # --- the executor ----------------------------------------------------------------------------------
    def map_unordered(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[TaskOutcome]:
        """Run ``fn(item)`` for every item on the cluster; yield outcomes as they finish."""
        if self._client is None:
            raise InvalidOption(f"{self.description}: the executor is closed")
        self._token = uuid.uuid4().hex[:12]
        return dispatch(self, fn, items, log=self._log)

    def close(self) -> None:
        """Close the client, and the local cluster if this executor started it (idempotent)."""
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        if client is not None:
            client.close(timeout=CONNECT_TIMEOUT)
        if cluster is not None:
            cluster.close(timeout=CONNECT_TIMEOUT)

    def terminate(self) -> None:
        """Stop now: a local cluster's worker processes are killed (a Dask worker cannot interrupt a running
        task), then the client and the cluster are closed.  A running cluster's workers are left alone (its tasks
        were cancelled; one already running finishes there)."""
        self._kill_local_workers()
        self.close()

    def _kill_local_workers(self) -> None:
        """Kill the worker processes of the local cluster this executor started (their nannies restart them)."""
        if self._client is None or self._cluster is None:
            return
        for pid in self._client.run(os.getpid, on_error="ignore").values():
            if isinstance(pid, int):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    # --- the backend of dispatch() ---------------------------------------------------------------------
    def slots(self) -> int:
        now = time.monotonic()
        if now - self._slots_checked >= SLOTS_REFRESH:
            self._slots = max(1, sum(self._client.nthreads().values()))
            self._slots_checked = now
        return self._slots

    def submit(self, fn: Callable[[Any], Any], index: int, item: Any, attempt: int) -> Any:
        return self._client.submit(run_task, fn, index, item, attempt, pure=False,
                                   key=f"jalverify-{self._token}-{index}-{attempt}")

    def wait_any(self, handles: Collection[Any], timeout: float) -> Collection[Any]:
        try:
            with self._client.as_current():
                done, _ = self._distributed.wait(list(handles), timeout=timeout, return_when="FIRST_COMPLETED")
        except TimeoutError:
            return ()
        return done

    def result(self, handle: Any) -> TaskOutcome:
        try:
            return handle.result()
        except self._distributed.KilledWorker as exc:
            raise WorkerDied(describe_exception(exc)) from exc

    def broken(self) -> bool:
        return False

    def recover(self) -> None:
        """Nothing to do: the scheduler replaces lost workers' tasks itself."""

    def abort(self, handles: Collection[Any]) -> None:
        if handles and self._client is not None:
            self._client.cancel(list(handles), force=True)
            self._kill_local_workers()  # a Dask worker cannot interrupt a running task: stop our own ones


def _workers_and_threads(client: Any) -> tuple[int, int]:
    threads = client.nthreads()
    return len(threads), sum(threads.values())


def connect_scheduler(address: str, *, log: TextIO | None = sys.stderr,
                      timeout: float = CONNECT_TIMEOUT) -> DaskExecutor:
    """Connect to a running Dask scheduler (``tcp://HOST:PORT``, already checked by the caller).

    Raises
    ------
    MissingExtra
        :mod:`distributed` is not installed.
    InvalidOption
        The scheduler cannot be reached within ``timeout`` seconds, or has no worker after as long again.
    """
    distributed = import_distributed()
    try:
        client = distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise InvalidOption(f"--scheduler {address}: cannot connect to a Dask scheduler there within {timeout:g} s "
                            f"({describe_exception(exc)})") from exc
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError as exc:
        client.close(timeout=timeout)
        raise InvalidOption(f"--scheduler {address}: the scheduler has no worker (waited {timeout:g} s); start "
                            f"workers with: dask worker {address}") from exc
    workers, threads = _workers_and_threads(client)
    description = f"Dask cluster {address} ({workers} worker{'s' if workers != 1 else ''}, {threads} threads)"
    if log is not None:
        log.write(f"jalverify: connected to the {description}; the scheduler's dashboard (when it runs one, with "
                  f"bokeh): {client.dashboard_link}\n")
        log.flush()
    return DaskExecutor(client, description=description, log=log)


def start_local_cluster(workers: int, *, log: TextIO | None = sys.stderr) -> DaskExecutor:
    """Start a :class:`distributed.LocalCluster` of ``workers`` processes with one thread each, and connect.

    ``allowed-failures`` is 0 on its scheduler: a task whose worker dies fails at once with ``KilledWorker`` and
    :func:`~jalverify.executors.dispatch.dispatch` runs it once more, alone (two attempts in all, as on local
    processes).
    """
    distributed = import_distributed()
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                           silence_logs=logging.CRITICAL)
    try:
        client = distributed.Client(cluster, set_as_default=False)
        from jalverify.executors.dask_worker_setup import IgnoreInterrupts

        client.register_plugin(IgnoreInterrupts(), name="jalverify-ignore-sigint")
    except BaseException:
        cluster.close(timeout=CONNECT_TIMEOUT)
        raise
    description = (f"Dask local cluster {cluster.scheduler_address} ({workers} worker process"
                   f"{'es' if workers != 1 else ''})")
    if log is not None:
        log.write(f"jalverify: started a {description}; {_dashboard_words(cluster.dashboard_link)}\n")
        log.flush()
    return DaskExecutor(client, cluster=cluster, description=description, log=log)
