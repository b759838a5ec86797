"""Assertions used by the property suites in ``properties/`` (and usable in your own tests).

No pytest import: failures are ``AssertionError`` with the verdict's message and witness, which pytest shows.
"""

from __future__ import annotations

import os
from pathlib import Path

from jalverify.reports.replay import replay_report
from jalverify.reports.runner import run_theorem
from jalverify.reports.store import StoredReport
from jalverify.theorems.registry import THEOREMS, load_all
from jalverify.verdicts import Status, Verdict

__all__ = ["assert_holds", "assert_proven", "assert_counterexample"]


def assert_holds(verdict: Verdict) -> None:
    """The claim was not refuted on this case and jalverify did not fail (PROVEN, WITHIN_TOLERANCE or
    NOT_ESTABLISHED: a case the check could not decide within its budget is no counterexample)."""
    assert verdict.status not in (Status.REFUTED, Status.ERROR), f"{verdict}\nwitness: {dict(verdict.witness)}"


def assert_proven(verdict: Verdict) -> None:
    """The claim was proved exactly on this case."""
    assert verdict.status is Status.PROVEN, f"{verdict}\nwitness: {dict(verdict.witness)}"


def assert_counterexample(theorem_id: str, reports_dir: str | os.PathLike, *, max_examples: int = 200,
                          seed: int = 0) -> StoredReport:
    """A refuted-as-expected claim: search (Hypothesis, shrinking) or use the literature example, require a
    refutation, save the minimal one as a report under ``reports_dir`` and check that the report replays."""
    load_all()
    theorem = THEOREMS[theorem_id]
    missing = theorem.missing_requirements()
    assert not missing, f"{theorem_id}: required modules missing: {missing}"
    row = run_theorem(theorem, max_examples=max_examples, seed=seed, reports_dir=Path(reports_dir))
    assert row.status is Status.REFUTED, f"{theorem_id}: {row.outcome}: {row.message}"
    assert row.report is not None, f"{theorem_id}: no report written ({row.message})"
    replayed = replay_report(row.report.path)
    assert replayed.reproduced, f"{row.report.path} does not replay: {replayed.verdict}"
    return row.report
