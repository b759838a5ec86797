"""Handing tasks to a pool of workers that can die: bounded submission and one isolated retry per task.

The loop below keeps at most :data:`IN_FLIGHT_PER_SLOT` tasks per worker slot in flight (one running, one ready
to start when it ends, so a worker does not idle while its next task travels; and few enough that the driver
knows which tasks a dead worker may have held, and an interrupted run has little to cancel), yields every outcome
as it arrives, and treats a worker's death as follows.

* Every task that was in flight on the lost worker(s) is a *suspect*: it may have killed the worker, or it may
  only have been running or waiting beside the task that did (a broken
  :class:`~concurrent.futures.ProcessPoolExecutor` loses every task in flight).  Outcomes that had already
  arrived are kept; nothing finished is run again.
* No new task is submitted until the in-flight tasks have drained; then each suspect runs again **alone**, on a
  fresh worker, as its second attempt.  A suspect that merely ran beside the culprit succeeds; the culprit, run
  alone, is identified without doubt: if its worker dies again its outcome is the error
  ``"worker died twice: ..."`` and the run goes on without it.
* Then the remaining tasks are submitted as before.

This is the usual retry-once policy of batch systems, made exact by isolation; the cost is that the slots idle
while suspects are re-run one at a time, which only happens after a worker died.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any, Protocol, TextIO

from jalverify.executors.base import TaskOutcome, describe_exception

__all__ = ["IN_FLIGHT_PER_SLOT", "Backend", "PoolUnavailable", "WorkerDied", "dispatch"]

#: Tasks in flight per worker slot (see the module docstring).
IN_FLIGHT_PER_SLOT = 2


class WorkerDied(Exception):
    """A backend's :meth:`Backend.result`: the worker running the task died (killed, crashed, lost)."""


class PoolUnavailable(Exception):
    """A backend's :meth:`Backend.submit`: the pool broke before the task could be handed over (not run)."""


class Backend(Protocol):
    """What :func:`dispatch` needs from a pool of workers (local processes, a Dask cluster)."""

    def slots(self) -> int:
        """How many tasks may run at once (worker threads); at least 1."""
        ...

    def submit(self, fn: Callable[[Any], Any], index: int, item: Any, attempt: int) -> Any:
        """Start ``run_task(fn, index, item, attempt)`` on a worker; return a handle (a future)."""
        ...

    def wait_any(self, handles: Collection[Any], timeout: float) -> Collection[Any]:
        """The handles among ``handles`` that have finished, waiting up to ``timeout`` seconds for one."""
        ...

    def result(self, handle: Any) -> TaskOutcome:
        """The finished task's outcome; :class:`WorkerDied` when its worker died, another exception when the
        outcome could not be obtained (e.g. it could not be pickled)."""
        ...

    def broken(self) -> bool:
        """No task can be submitted until :meth:`recover` (a process pool that lost a worker)."""
        ...

    def recover(self) -> None:
        """Make the pool usable again; called when :meth:`broken` and no task is in flight."""
        ...

    def abort(self, handles: Collection[Any]) -> None:
        """Cancel the given tasks and stop what runs them, now (Ctrl-C, an abandoned run)."""
        ...


def _first_sentence(text: str) -> str:
    """The first sentence of an error message (Dask's KilledWorker message goes on with advice and a link)."""
    cut = text.find(". ")
    return text if cut < 0 else text[:cut + 1]


def dispatch(backend: Backend, fn: Callable[[Any], Any], items: Sequence[Any], *, poll: float = 0.5,
             log: TextIO | None = None) -> Iterator[TaskOutcome]:
    """Run ``fn`` on every item through ``backend``; yield the outcomes as they arrive (see the module docstring).

    Parameters
    ----------
    poll : float
        Longest wait, in seconds, between two looks at the in-flight tasks (keeps Ctrl-C prompt).
    log : text stream, optional
        One line per worker death (stderr for the CLI).

    Any exception or interruption while the run is under way (``KeyboardInterrupt`` in the caller, the generator
    being closed early) cancels the tasks in flight and stops the workers (:meth:`Backend.abort`) before it
    propagates.
    """
    waiting: deque[int] = deque(range(len(items)))
    suspects: deque[int] = deque()
    in_flight: dict[Any, tuple[int, int]] = {}
    try:
        while waiting or suspects or in_flight:
            if backend.broken():
                if not in_flight:
                    backend.recover()
                    continue
            elif suspects:
                if not in_flight:
                    index = suspects.popleft()
                    try:
                        in_flight[backend.submit(fn, index, items[index], 2)] = (index, 2)
                    except PoolUnavailable:
                        suspects.appendleft(index)
                        continue
                    except Exception as exc:  # noqa: BLE001 - e.g. the item cannot be pickled: that task failed
                        yield TaskOutcome(index, None, describe_exception(exc), 2)
                        continue
            else:
                while waiting and len(in_flight) < IN_FLIGHT_PER_SLOT * max(1, backend.slots()):
                    index = waiting.popleft()
                    try:
                        in_flight[backend.submit(fn, index, items[index], 1)] = (index, 1)
                    except PoolUnavailable:
                        waiting.appendleft(index)
                        break
                    except Exception as exc:  # noqa: BLE001 - e.g. the item cannot be pickled: that task failed
                        yield TaskOutcome(index, None, describe_exception(exc), 1)
            if not in_flight:
                continue
            for handle in list(backend.wait_any(list(in_flight), poll)):
                index, attempt = in_flight.pop(handle)
                try:
                    outcome = backend.result(handle)
                except WorkerDied as died:
                    death = _first_sentence(str(died))
                    if attempt == 1:
                        suspects.append(index)
                        if log is not None:
                            log.write(f"jalverify: a worker died while task {index + 1} was running ({death}); "
                                      "it will run again, alone, on a fresh worker\n")
                            log.flush()
                    else:
                        yield TaskOutcome(index, None, f"worker died twice: {death}", attempt)
                    continue
                except Exception as exc:  # noqa: BLE001 - the outcome could not be obtained (e.g. unpicklable): that task failed
                    yield TaskOutcome(index, None, describe_exception(exc), attempt)
                    continue
                yield outcome
    except BaseException:
        backend.abort(list(in_flight))
        raise
