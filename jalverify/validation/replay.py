"""Replay a stored validation finding (a counterexample report written by ``jalverify validate``).

A validation report records, under ``generation``, the check id and the target it was found on; replaying runs
that check again on the stored exact case, against the target, in a child process with a time limit
(:class:`jalverify.validation.runner.IsolatedTarget`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jalverify.errors import InvalidFile
from jalverify.verdicts import Status, Verdict

__all__ = ["ValidationReplay", "is_validation_report", "replay_validation_report"]


@dataclass(frozen=True)
class ValidationReplay:
    """Outcome of replaying one validation report."""

    target: str
    check: str
    recorded_status: str
    verdict: Verdict

    @property
    def reproduced(self) -> bool:
        """The check is refuted again with the recorded theorem id and status."""
        return (self.verdict.status is Status.REFUTED and self.verdict.status.value == self.recorded_status)

    @property
    def passes(self) -> bool:
        """The target now passes the check on the recorded case (proven exactly or within its tolerance)."""
        return self.verdict.status in (Status.PROVEN, Status.WITHIN_TOLERANCE)

    def describe(self) -> str:
        """One line in words: still violated, fixed, or neither (and why)."""
        if self.reproduced:
            return f"still violated: {self.target} fails {self.check} on the recorded case: {self.verdict.message}"
        if self.passes:
            return (f"fixed: {self.target} now passes {self.check} on the recorded case "
                    f"({self.verdict.status.words}: {self.verdict.message})")
        return (f"{self.verdict.status.words}: {self.target} on {self.check}, recorded case: "
                f"{self.verdict.message}")


def is_validation_report(report: dict[str, Any]) -> bool:
    """Whether a loaded report was written by ``jalverify validate`` (it names a check and a target)."""
    generation = report.get("generation") or {}
    return bool(generation.get("check")) and bool(generation.get("target"))


def replay_validation_report(report_path: str | Path, target: str | None = None, *,
                             time_limit: float = 10.0) -> ValidationReplay:
    """Re-run the check recorded in a validation report on its stored case.

    Parameters
    ----------
    report_path : path of a ``jalverify.counterexample/1`` report written by ``jalverify validate``.
    target : the target to check (``pkg.mod:obj`` or a built-in name); default: the one recorded in the report.
    time_limit : seconds per call of the target.

    Raises
    ------
    InvalidFile
        The report is not a validation report, or its check does not apply to the target.
    """
    from jalverify.reports.codec import decode_case
    from jalverify.reports.store import load_report
    from jalverify.validation.runner import IsolatedTarget
    from jalverify.validation.suite import checks_for

    report = load_report(report_path)
    generation = report.get("generation") or {}
    check_id = generation.get("check")
    if not check_id:
        raise InvalidFile(f"replay_validation_report(): {report_path} is not a validation report (no generation.check)")
    target = target or generation.get("target")
    if not target:
        raise InvalidFile(f"replay_validation_report(): {report_path} names no target; pass one")
    case = decode_case(report["case"], where=f"{report_path}: case")
    with IsolatedTarget(target, time_limit=time_limit) as isolated:
        checks = {c.id: c for c in checks_for(isolated)}
        if check_id not in checks:
            raise InvalidFile(f"replay_validation_report(): check {check_id!r} of {report_path} does not apply to "
                              f"{target!r} (its checks: {sorted(checks)})")
        verdict = checks[check_id].run(*case)
    if verdict.status is Status.REFUTED and verdict.theorem != report["theorem"]:
        # a different violation than the recorded one: neither the recorded finding nor a fix is shown
        # (a check that now holds as a whole holds for the recorded sub-claim too, whatever its id)
        verdict = Verdict(verdict.theorem, Status.NOT_ESTABLISHED,
                          f"the check now ends in {verdict.theorem!r} ({verdict.status.value}: {verdict.message}), "
                          f"the report recorded {report['theorem']!r}", dict(verdict.witness))
    return ValidationReplay(target, check_id, report["verdict"]["status"], verdict)
