"""What every executor shares: the outcome of one task, the executor protocol, and the call that runs a task.

An *executor* runs ``fn(item)`` for every item of a sequence of independent tasks and yields one
:class:`TaskOutcome` per item as the tasks finish.  ``fn`` is a picklable top-level function and the items are
picklable, so the same call runs in this process (:class:`~jalverify.executors.serial.SerialExecutor`), on local
worker processes (:class:`~jalverify.executors.processes.ProcessExecutor`) or on a Dask cluster
(:class:`~jalverify.executors.dask_cluster.DaskExecutor`).  A task that raises an :class:`Exception` is an outcome
with an ``error``, never an exception in the caller: the caller records that run as failed and the others go on.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar, runtime_checkable

__all__ = ["Executor", "TaskOutcome", "WorkerPoolContext", "describe_exception", "run_task"]

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class TaskOutcome:
    """The outcome of one task.

    Attributes
    ----------
    index : int
        Position of the item in the submitted sequence.
    value : object
        ``fn(item)``'s return value when the task succeeded, else ``None``.
    error : str or None
        ``None`` when the task succeeded; else one line ``"ExceptionType: message"`` (``fn`` raised an
        :class:`Exception`, its result could not be sent back, or its worker died twice: ``"worker died twice:
        ..."``).
    attempts : int
        1, or 2 when the task was run again after its worker died.
    traceback : str or None
        The traceback text, from where the task ran, when ``fn`` raised.
    """

    index: int
    value: Any
    error: str | None
    attempts: int
    traceback: str | None = None

    @property
    def ok(self) -> bool:
        """The task returned a value."""
        return self.error is None


@runtime_checkable
class Executor(Protocol):
    """Runs independent tasks and yields their outcomes as they finish; a context manager (``__exit__`` closes).

    Attributes
    ----------
    description : str
        Human words for where the tasks run: ``"serial (in-process)"``, ``"2 local worker processes"``,
        ``"Dask cluster tcp://10.0.0.5:8786 (4 workers)"``.
    in_process : bool
        The tasks run in the calling process, one after the other, in order (only the serial executor): a caller
        may then hand a task in-process hooks (progress callbacks, open handles) that could not be pickled.
    """

    description: str
    in_process: bool

    def map_unordered(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[TaskOutcome]:
        """Run ``fn(item)`` for every item; yield one outcome per item as it finishes (any order)."""
        ...

    def close(self) -> None:
        """Release the workers (idempotent)."""
        ...

    def __enter__(self) -> Self:
        ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        ...


class WorkerPoolContext:
    """The context-manager part of an executor with workers: leaving the ``with`` block normally closes it (the
    tasks in flight finish); leaving it on an exception (Ctrl-C, an error in the caller) terminates the workers at
    once, since nobody waits for their tasks."""

    def close(self) -> None:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def terminate(self) -> None:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.close()
        else:
            self.terminate()


def describe_exception(error: BaseException) -> str:
    """One line ``"ExceptionType: message"`` (the message's lines joined; the type alone when it has none)."""
    message = " ".join(str(error).split())
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def run_task(fn: Callable[[Any], Any], index: int, item: Any, attempt: int) -> TaskOutcome:
    """Run one task where it is executed (this process, a worker process, a Dask worker) and wrap its result.

    An :class:`Exception` raised by ``fn`` becomes an outcome with ``error`` and the traceback text;
    :class:`BaseException` that is not an :class:`Exception` (``KeyboardInterrupt``, ``SystemExit``) propagates:
    it stops the run, it is not the task's result.
    """
    try:
        value = fn(item)
    except Exception as exc:  # noqa: BLE001 - the task's failure is its outcome; the caller records it and the other tasks go on
        return TaskOutcome(index, None, describe_exception(exc), attempt, traceback.format_exc())
    return TaskOutcome(index, value, None, attempt)
