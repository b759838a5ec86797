"""The default executor: every task in this process, one after the other, in order (nothing to start)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Any, Self

from jalverify.executors.base import TaskOutcome, run_task

__all__ = ["SerialExecutor"]


class SerialExecutor:
    """Run tasks in the calling process, in order.

    Nothing is pickled, so items may carry in-process hooks (:attr:`in_process` is true).  A worker cannot die
    without this process dying, so every outcome has ``attempts == 1``.
    """

    description = "serial (in-process)"
    in_process = True

    def map_unordered(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[TaskOutcome]:
        """Yield ``run_task(fn, index, item, 1)`` for each item in order; each task runs when its outcome is asked
        for."""
        for index, item in enumerate(items):
            yield run_task(fn, index, item, 1)

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
