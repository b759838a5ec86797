"""Choosing an executor from the three options ``workers``, ``scheduler`` and ``dask`` (the CLI's flags).

==================================  ===============================================================
options                             executor
==================================  ===============================================================
none                                :class:`~jalverify.executors.serial.SerialExecutor` (default)
``workers=N``                       :class:`~jalverify.executors.processes.ProcessExecutor`
``scheduler="tcp://HOST:PORT"``     :func:`~jalverify.executors.dask_cluster.connect_scheduler`
``workers=N, dask=True``            :func:`~jalverify.executors.dask_cluster.start_local_cluster`
==================================  ===============================================================
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

from jalverify.errors import InvalidNumber, InvalidOption
from jalverify.executors.base import Executor

__all__ = ["MAX_WORKERS", "check_executor_options", "make_executor"]

#: Largest ``workers`` accepted (a typo guard, far above any one machine's cores).
MAX_WORKERS = 1024

_ADDRESS = re.compile(r"tcp://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(?P<port>[0-9]{1,5})")


def check_executor_options(*, workers: int | None = None, scheduler: str | None = None, dask: bool = False) -> None:
    """Refuse options that cannot mean anything, naming the flag and the value; start nothing.

    Raises
    ------
    InvalidNumber
        ``workers`` is below 1 or above :data:`MAX_WORKERS`.
    InvalidOption
        ``scheduler`` with ``workers`` or ``dask``; ``dask`` without ``workers``; an address that is not
        ``tcp://HOST:PORT`` with a port in 1..65535.
    """
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or not 1 <= workers <= MAX_WORKERS):
        raise InvalidNumber(f"--workers must be an integer from 1 to {MAX_WORKERS}, got {workers!r}")
    if scheduler is not None:
        if workers is not None:
            raise InvalidOption(f"--scheduler {scheduler} runs on that cluster's workers: --workers {workers} does "
                                "not apply (start more workers with dask worker)")
        if dask:
            raise InvalidOption(f"--scheduler {scheduler} is a Dask cluster already: --dask does not apply")
        match = _ADDRESS.fullmatch(scheduler)
        if match is None or not 1 <= int(match["port"]) <= 65535:
            raise InvalidOption(f"--scheduler must be a Dask scheduler address tcp://HOST:PORT (e.g. "
                                f"tcp://10.0.0.5:8786), got {scheduler!r}")
    elif dask and workers is None:
        raise InvalidOption("--dask starts a local Dask cluster of --workers N processes: give --workers N "
                            "(or --scheduler tcp://HOST:PORT for a running cluster)")


def make_executor(*, workers: int | None = None, scheduler: str | None = None, dask: bool = False,
                  log: TextIO | None = sys.stderr) -> Executor:
    """The executor the options ask for (table in the module docstring); a context manager.

    Parameters
    ----------
    workers : int, optional
        Local worker processes (with ``dask``: the local Dask cluster's worker processes).
    scheduler : str, optional
        Address ``tcp://HOST:PORT`` of a running Dask scheduler.
    dask : bool
        With ``workers``: start a :class:`distributed.LocalCluster` instead of a process pool.
    log : text stream, optional
        Where the executor reports starting or connecting, and worker deaths (stderr by default).

    Raises
    ------
    InvalidNumber, InvalidOption
        See :func:`check_executor_options`; also an unreachable scheduler, or one without workers, within
        :data:`~jalverify.executors.dask_cluster.CONNECT_TIMEOUT` seconds.
    MissingExtra
        A Dask executor was asked for and :mod:`distributed` is not installed.
    """
    check_executor_options(workers=workers, scheduler=scheduler, dask=dask)
    if scheduler is not None:
        from jalverify.executors.dask_cluster import connect_scheduler

        return connect_scheduler(scheduler, log=log)
    if workers is None:
        from jalverify.executors.serial import SerialExecutor

        return SerialExecutor()
    if dask:
        from jalverify.executors.dask_cluster import start_local_cluster

        return start_local_cluster(workers, log=log)
    from jalverify.executors.processes import ProcessExecutor

    return ProcessExecutor(workers, log=log)
