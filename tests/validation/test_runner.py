"""The child-process runner: a hang, a crash, an abort and an exception are outcomes, never our crash."""

from __future__ import annotations

import os

import pytest

from jalverify.games.normal_form import NormalFormGame
from jalverify.validation.runner import CallOutcome, IsolatedTarget, TargetLoadError

HERE = os.path.dirname(os.path.abspath(__file__))


def ref(name: str) -> str:
    return f"{os.path.join(HERE, 'broken_solvers.py')}:{name}"


GAME_1x1 = NormalFormGame.bimatrix([[0]], [[0]])
GAME_2x2 = NormalFormGame.bimatrix([[1, 0], [0, 1]], [[0, 1], [1, 0]])


def test_answer_from_child_process() -> None:
    with IsolatedTarget(ref("Hangs"), time_limit=5) as target:
        result = target.call("solve", GAME_1x1)
    assert result.outcome is CallOutcome.OK
    assert [[list(map(int, d)) for d in eq] for eq in result.value] == [[[1], [1]]]


def test_hang_is_a_timeout_and_the_worker_restarts() -> None:
    with IsolatedTarget(ref("Hangs"), time_limit=0.5) as target:
        # calls into a fresh worker import the solver modules first: give those a generous per-call limit
        before = target.call("solve", GAME_1x1, time_limit=60)
        hung = target.call("solve", GAME_2x2)
        after = target.call("solve", GAME_1x1, time_limit=60)
    assert before.outcome is CallOutcome.OK
    assert hung.outcome is CallOutcome.TIMEOUT
    assert "time limit" in hung.describe()
    assert after.outcome is CallOutcome.OK
    assert target.restarts == 1


def test_exit_is_a_crash_with_its_exit_code() -> None:
    with IsolatedTarget(ref("Crashes"), time_limit=5) as target:
        crashed = target.call("solve", GAME_2x2)
        after = target.call("solve", GAME_1x1)
    assert crashed.outcome is CallOutcome.CRASHED
    assert crashed.exitcode == 3
    assert after.outcome is CallOutcome.OK


def test_abort_is_a_crash_by_signal() -> None:
    with IsolatedTarget(ref("Aborts"), time_limit=5) as target:
        crashed = target.call("solve", GAME_1x1)
    assert crashed.outcome is CallOutcome.CRASHED
    assert crashed.exitcode == -6  # SIGABRT
    assert "SIGABRT" in crashed.describe()


def test_exception_is_reported_with_type_message_and_traceback() -> None:
    with IsolatedTarget(ref("Raises"), time_limit=5) as target:
        raised = target.call("solve", NormalFormGame.bimatrix([[0, 0, 0]], [[0, 0, 0]]))
    assert raised.outcome is CallOutcome.RAISED
    assert raised.error_type == "ZeroDivisionError"
    assert "pivot on a zero entry" in raised.error_message
    assert "broken_solvers.py" in raised.traceback


def test_in_process_mode_catches_exceptions() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("broken_solvers_local", os.path.join(HERE, "broken_solvers.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    target = IsolatedTarget(module.Raises(), isolate=False)
    result = target.call("solve", NormalFormGame.bimatrix([[0, 0, 0]], [[0, 0, 0]]))
    assert result.outcome is CallOutcome.RAISED and result.error_type == "ZeroDivisionError"


def test_bad_references_are_load_errors() -> None:
    with pytest.raises(TargetLoadError, match="cannot load"):
        IsolatedTarget(ref("NoSuchClass"))
    with pytest.raises(TargetLoadError, match="cannot load"):
        IsolatedTarget("no_such_module_xyz:Solver")
