"""A theorem whose check fails outside the search (here: its case strategy does not exist) is an ``error`` row of
``jalverify verify`` on every executor, with the same one-line message, and the other theorems are unaffected."""

from __future__ import annotations

import io

import pytest
from executor_toys import holds_always

from jalverify.executors import make_executor
from jalverify.reports.runner import run_verify
from jalverify.theorems.registry import HOLDS, Theorem, select
from jalverify.verdicts import Status

BROKEN = Theorem("toy.broken_strategy", "a claim whose cases cannot be drawn", HOLDS, holds_always,
                 "no-such-strategy", "tests/executors")


@pytest.mark.parametrize("workers", [None, 2], ids=["serial", "processes"])
def test_a_theorem_that_raises_is_an_error_row_and_the_others_run(workers: int | None) -> None:
    theorems = [*select("minimax.theorem"), BROKEN, *select("minimax.value_unique")]
    progress = io.StringIO()
    with make_executor(workers=workers, log=None) as executor:
        run = run_verify(theorems=theorems, max_examples=3, seed=1, reports_dir=None, progress=progress,
                         executor=executor)
    assert [r.theorem.id for r in run.rows] == [t.id for t in theorems]
    broken = run.rows[1]
    assert broken.status is Status.ERROR and broken.failed and not run.ok
    assert broken.message.startswith("jalverify failed checking this theorem: UnknownName: case_strategy(): unknown "
                                     "case strategy 'no-such-strategy'")
    assert "Traceback" in progress.getvalue()  # the worker's traceback goes to the progress stream
    assert [r.status for r in run.rows if r is not broken] == [Status.PROVEN, Status.PROVEN]
