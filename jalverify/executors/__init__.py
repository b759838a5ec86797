"""Executors: where independent tasks run (``verify`` distributes theorems, ``validate`` checks, ``experiment`` runs).

* :class:`SerialExecutor`: in this process, one after the other (the default; nothing to start);
* :class:`ProcessExecutor`: local worker processes (``--workers N``);
* :class:`DaskExecutor`: a running Dask cluster (``--scheduler tcp://HOST:PORT``) or a local one
  (``--workers N --dask``), with the ``distributed`` extra.

:func:`make_executor` picks one from those options.  Every executor yields a :class:`TaskOutcome` per task as it
finishes; a task that raised is an outcome with an error, and a task whose worker died is run once more, alone.
"""

from jalverify.executors.base import Executor, TaskOutcome, describe_exception, run_task
from jalverify.executors.dask_cluster import DaskExecutor
from jalverify.executors.options import check_executor_options, make_executor
from jalverify.executors.processes import ProcessExecutor
from jalverify.executors.serial import SerialExecutor

__all__ = ["DaskExecutor", "Executor", "ProcessExecutor", "SerialExecutor", "TaskOutcome", "check_executor_options",
           "describe_exception", "make_executor", "run_task"]
