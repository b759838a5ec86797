"""The executors on toy tasks: the same outcomes serially, on local processes, on a local Dask cluster and on a
real Dask cluster (scheduler and two workers as subprocesses); a task that raises is an error outcome and the
others complete; a worker killed mid-map loses no finished task and its task is run once more; a task that kills
its worker twice is an error outcome; Ctrl-C stops the workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from executor_toys import FAILING_ITEM, die_always, die_once, square_or_fail, starts

from jalverify.errors import InvalidOption
from jalverify.executors import (
    DaskExecutor,
    Executor,
    ProcessExecutor,
    SerialExecutor,
    TaskOutcome,
    make_executor,
)
from jalverify.executors.dask_cluster import connect_scheduler

HERE = os.path.dirname(os.path.abspath(__file__))
ITEMS = list(range(8))
POOLS = ["processes", "dask-local", "dask-cluster"]


@pytest.fixture(scope="module")
def processes() -> Iterator[Executor]:
    with make_executor(workers=2, log=None) as executor:
        yield executor


@pytest.fixture(scope="module")
def dask_local() -> Iterator[Executor]:
    with make_executor(workers=2, dask=True, log=None) as executor:
        yield executor


@pytest.fixture(scope="module")
def dask_cluster(dask_scheduler: str) -> Iterator[Executor]:
    with make_executor(scheduler=dask_scheduler, log=None) as executor:
        yield executor


@pytest.fixture
def pool(request: pytest.FixtureRequest) -> Executor:
    return request.getfixturevalue(request.param.replace("-", "_"))


def by_index(outcomes: Iterator[TaskOutcome]) -> list[TaskOutcome]:
    collected = list(outcomes)
    indices = [o.index for o in collected]
    assert len(indices) == len(set(indices)), f"an item was reported twice: {sorted(indices)}"
    return sorted(collected, key=lambda o: o.index)


def test_executor_kinds_and_descriptions(processes: Executor, dask_local: Executor, dask_cluster: Executor) -> None:
    serial = make_executor()
    assert isinstance(serial, SerialExecutor) and serial.in_process
    assert serial.description == "serial (in-process)"
    assert isinstance(processes, ProcessExecutor) and not processes.in_process
    assert processes.description == "2 local worker processes"
    assert isinstance(dask_local, DaskExecutor) and "local cluster" in dask_local.description
    assert isinstance(dask_cluster, DaskExecutor) and "(2 workers, 2 threads)" in dask_cluster.description
    for executor in (serial, processes, dask_local, dask_cluster):
        assert isinstance(executor, Executor)


@pytest.mark.parametrize("pool", POOLS, indirect=True)
def test_same_outcomes_as_serial_and_a_raising_task_is_an_error_outcome(pool: Executor) -> None:
    serial = by_index(SerialExecutor().map_unordered(square_or_fail, ITEMS))
    outcomes = by_index(pool.map_unordered(square_or_fail, ITEMS))
    assert [(o.index, o.value, o.error, o.attempts) for o in outcomes] == \
        [(o.index, o.value, o.error, o.attempts) for o in serial]
    for o in outcomes:
        if o.index == FAILING_ITEM:
            assert not o.ok and o.value is None
            assert o.error == f"ValueError: item {FAILING_ITEM} is refused on purpose"  # one line
            assert "Traceback" in o.traceback and "square_or_fail" in o.traceback
        else:
            assert o.ok and o.value == o.index ** 2 and o.attempts == 1 and o.traceback is None


def test_serial_yields_in_order_and_runs_lazily() -> None:
    ran: list[int] = []

    def record(x: int) -> int:  # in-process: no pickling, so a closure is fine here
        ran.append(x)
        return x

    stream = SerialExecutor().map_unordered(record, [5, 6, 7])
    assert ran == []
    assert next(stream).value == 5 and ran == [5]
    assert [o.index for o in stream] == [1, 2]


@pytest.mark.parametrize("pool", POOLS, indirect=True)
def test_a_killed_worker_loses_nothing_and_its_task_runs_again(pool: Executor, tmp_path: Path) -> None:
    victim = 2
    outcomes = by_index(pool.map_unordered(die_once, [(str(tmp_path), victim, x) for x in ITEMS]))
    assert (tmp_path / f"attempted-{victim}").exists()  # the worker was killed once
    assert [o.index for o in outcomes] == ITEMS
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    assert [o.value for o in outcomes] == [10 * x for x in ITEMS]
    assert outcomes[victim].attempts == 2 and starts(str(tmp_path), victim) == 2
    # a task reported with one attempt ran once (nothing delivered is run again); a retried one ran at most twice
    # (a task still waiting in a broken pool never started before its retry).  On Dask a result is kept on the
    # worker that computed it until the client fetches it: if that worker dies in between, Dask recomputes the
    # task itself (lost data, not a failure), so a task may have started once more than its attempts there
    extra = 0 if isinstance(pool, ProcessExecutor) else 1
    for o in outcomes:
        assert 1 <= starts(str(tmp_path), o.index) <= o.attempts + extra, o
    # only the tasks in flight with the victim (two per worker slot at most) are run again
    assert sum(o.attempts == 2 for o in outcomes) <= 2 * 2


@pytest.mark.parametrize("pool", POOLS, indirect=True)
def test_a_task_that_kills_its_worker_twice_is_an_error_outcome(pool: Executor, tmp_path: Path) -> None:
    victim = 5
    outcomes = by_index(pool.map_unordered(die_always, [(str(tmp_path), victim, x) for x in ITEMS]))
    assert [o.index for o in outcomes] == ITEMS
    failed = outcomes[victim]
    assert not failed.ok and failed.attempts == 2 and failed.value is None
    assert failed.error.startswith("worker died twice: ")
    assert "\n" not in failed.error
    assert [o.value for o in outcomes if o.index != victim] == [10 * x for x in ITEMS if x != victim]


def test_a_pool_is_reusable_after_a_death(processes: Executor, tmp_path: Path) -> None:
    list(processes.map_unordered(die_always, [(str(tmp_path), 0, x) for x in range(2)]))
    assert [o.value for o in by_index(processes.map_unordered(square_or_fail, [1, 2]))] == [1, 4]


def test_an_unreachable_scheduler_is_bad_input_within_the_timeout() -> None:
    with pytest.raises(InvalidOption, match=r"--scheduler tcp://127\.0\.0\.1:9: cannot connect .* within 2 s"):
        connect_scheduler("tcp://127.0.0.1:9", timeout=2, log=None)


INTERRUPTED = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {here!r})
    from executor_toys import pid_after_pause, sleep_long
    from jalverify.executors import make_executor

    if __name__ == "__main__":
        signal.signal(signal.SIGINT, signal.default_int_handler)
        with make_executor(workers=2, dask={dask}, log=None) as executor:
            pids = {{o.value for o in executor.map_unordered(pid_after_pause, range(4))}}
            print("ready", flush=True)
            for outcome in executor.map_unordered(sleep_long, range(4)):
                print(outcome, flush=True)
""")


def _gone(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.parametrize("dask", [False, True], ids=["processes", "dask-local"])
def test_ctrl_c_stops_the_workers_and_propagates(tmp_path: Path, dask: bool) -> None:
    script = tmp_path / "interrupted.py"
    script.write_text(INTERRUPTED.format(here=HERE, dask=dask))
    driver = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, cwd=tmp_path)
    try:
        assert driver.stdout.readline().strip() == "ready"
        workers = psutil.Process(driver.pid).children(recursive=True)
        assert workers, "no worker process was started"
        driver.send_signal(signal.SIGINT)
        _, err = driver.communicate(timeout=60)  # the tasks would take 120 s
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.wait()
    assert driver.returncode == -signal.SIGINT, err
    assert "KeyboardInterrupt" in err
    psutil.wait_procs([w for w in workers if not _gone(w)], timeout=10)
    assert all(_gone(w) for w in workers), [w.cmdline() for w in workers if not _gone(w)]
