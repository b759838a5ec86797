"""Results of a validation run: per-check outcomes, findings, and their counterexample reports.

A :class:`Finding` is one refuted check: the minimal case Hypothesis shrank to (exact game, and policy or seed
where the check needs one), the exact verdict with its witness, the target and the capabilities it declared.
It is stored as a counterexample report by :mod:`jalverify.reports.store` (JSON, Markdown, ``.nfg``) that
``jalverify validate TARGET --replay REPORT`` re-checks.  :class:`ValidationResult` groups the outcomes and
raises one :class:`AssertionError` listing every distinct violation (after schemathesis / icontract's grouped
failures).
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass, replace
from typing import Any

from jalverify.adapters.protocols import Capabilities
from jalverify.verdicts import Status, Verdict

__all__ = ["CheckOutcome", "Finding", "ValidationResult"]


def _versions() -> dict[str, str]:
    from importlib import metadata

    out = {"python": platform.python_version()}
    for dist in ("jalverify", "numpy", "hypothesis", "nashpy", "pygambit", "quantecon", "open_spiel"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    if "jalverify" not in out:
        from jalverify import __version__

        out["jalverify"] = __version__
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


@dataclass(frozen=True)
class Finding:
    """One refuted check, with its minimal case."""

    check: str
    verdict: Verdict
    case: tuple[Any, ...]
    target: str
    capabilities: Capabilities
    seed: int | None = None
    report: str | None = None
    source: str = ""  # "corpus game <name>" or "generated game (seed S)"

    @property
    def replay_command(self) -> str:
        if self.report is not None:
            return f"jalverify validate {self.target} --replay {self.report}"
        return f"jalverify validate {self.target} --check {self.check}" + (f" --seed {self.seed}" if self.seed is not None else "")

    def report_document(self, reports_dir: str | None = None) -> dict[str, Any]:
        """The counterexample report (format of :mod:`jalverify.reports.store`; the target, its declared
        capabilities and the check are provenance under ``generation``; the target is part of the witness so
        two libraries failing on the same game get two reports)."""
        from types import SimpleNamespace

        from jalverify.reports.store import build_report
        from jalverify.validation.checks import CHECK_IDS

        theorem = SimpleNamespace(
            id=self.verdict.theorem,
            claim=CHECK_IDS.get(self.verdict.theorem, CHECK_IDS.get(self.check, self.check)),
            expected="holds",
            citation=self.capabilities.source or "declared capabilities of the target",
        )
        verdict = Verdict(self.verdict.theorem, self.verdict.status, self.verdict.message,
                          dict(_jsonable(dict(self.verdict.witness)), target=self.target), self.verdict.tolerance)
        generation = {"source": "hypothesis (jalverify validate)", "check": self.check, "target": self.target,
                      "found_on": self.source, "seed": self.seed, "capabilities": self.capabilities.to_dict(), "versions": _versions()}
        return build_report(theorem=theorem, verdict=verdict, arguments=self.case, generation=generation,
                            reports_dir=reports_dir)

    def written(self, directory: str) -> Finding:
        """Store the report under ``<directory>/<theorem id>/<hash>.json`` (+ ``.md``, ``.nfg``) with
        :func:`jalverify.reports.store.write_report`: atomic, deduplicated, never overwriting another finding.
        The replay line points at ``jalverify validate TARGET --replay`` (re-checking needs the target)."""
        from jalverify.files import write_text_atomically
        from jalverify.reports.store import render_markdown, write_report

        report = self.report_document(directory)
        stored = write_report(report, directory)
        finding = replace(self, report=stored.path.as_posix())
        if stored.status == "new":
            report["replay"] = finding.replay_command
            write_text_atomically(stored.path, json.dumps(report, indent=1) + "\n")
            write_text_atomically(stored.path.with_suffix(".md"), render_markdown(report))
        return finding


@dataclass(frozen=True)
class CheckOutcome:
    """The outcome of one check over all the games it tried, with every distinct violation it found."""

    check: str
    status: Status
    examples: int
    seconds: float
    message: str
    finding: Finding | None
    verdict: Verdict | None = None
    seed: int | None = None
    tolerance: float | None = None
    worst: float | None = None
    findings: tuple[Finding, ...] = ()

    def with_findings(self, findings: tuple[Finding, ...]) -> CheckOutcome:
        """This outcome with its findings (the first is also :attr:`finding`)."""
        return replace(self, findings=findings, finding=findings[0] if findings else None)

    def with_finding(self, finding: Finding) -> CheckOutcome:
        return self.with_findings((finding,))

    def summary_line(self) -> str:
        return (f"{self.check:<45} {self.status.words:<22} {self.examples:>5} {self.seconds:8.2f}s  "
                f"{self.message[:110]}")

    def to_dict(self) -> dict[str, Any]:
        def described(finding: Finding) -> dict[str, Any]:
            return {"theorem": finding.verdict.theorem, "report": finding.report, "replay": finding.replay_command,
                    "message": finding.verdict.message, "found_on": finding.source}

        return {"check": self.check, "verdict": self.status.value, "examples": self.examples,
                "seconds": round(self.seconds, 3), "message": self.message, "tolerance": self.tolerance,
                "worst": self.worst,
                "finding": None if self.finding is None else described(self.finding),
                "findings": [described(f) for f in self.findings]}


@dataclass(frozen=True)
class ValidationResult:
    """Every check's outcome for one target."""

    target: str
    capabilities: Capabilities
    outcomes: tuple[CheckOutcome, ...]
    seconds: float = 0.0
    profile: str = "quick"
    max_examples: int = 0
    seed: int | None = None

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of every check (several per check when it found distinct violations)."""
        return tuple(f for o in self.outcomes for f in o.findings)

    @property
    def refuted(self) -> bool:
        return any(o.status is Status.REFUTED for o in self.outcomes)

    @property
    def errored(self) -> tuple[CheckOutcome, ...]:
        """Checks in which jalverify itself failed (nothing is claimed about the target there)."""
        return tuple(o for o in self.outcomes if o.status is Status.ERROR)

    def table(self) -> str:
        """A plain-text table: check, verdict, examples, time."""
        head = f"{'check':<45} {'verdict':<22} {'games':>5} {'time':>9}  message"
        seed = f"  (seed {self.seed})" if self.seed is not None else ""
        return "\n".join([f"target: {self.target}{seed}", head, "-" * len(head)]
                         + [o.summary_line() for o in self.outcomes])

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "capabilities": self.capabilities.to_dict(), "profile": self.profile,
                "max_examples": self.max_examples, "seed": self.seed, "seconds": round(self.seconds, 3),
                "checks": [o.to_dict() for o in self.outcomes],
                "refuted": [o.check for o in self.outcomes if o.status is Status.REFUTED],
                "errors": [o.check for o in self.errored]}

    def assertion_message(self) -> str:
        """Every distinct violation (one per violated claim; the checks that hit it are listed), each with its
        minimal game and a replay command."""
        groups: dict[str, list[tuple[CheckOutcome, Finding | None]]] = {}
        for o in self.outcomes:
            if o.status is not Status.REFUTED:
                continue
            if not o.findings:
                groups.setdefault(o.verdict.theorem if o.verdict is not None else o.check, []).append((o, None))
            for f in o.findings:
                groups.setdefault(f.verdict.theorem, []).append((o, f))
        lines = [f"jalverify found {len(groups)} distinct violation{'s' if len(groups) != 1 else ''} in {self.target}:"]
        for k, (theorem, hits) in enumerate(groups.items(), 1):
            o, f = hits[0]
            checks = ", ".join(dict.fromkeys(x.check for x, _ in hits))
            lines.append(f"  {k}. [{theorem}] {f.verdict.message if f is not None else o.message}")
            lines.append(f"     found by: {checks}" + (f" on a {f.source}" if f is not None and f.source else ""))
            if f is not None:
                game = f.case[0] if f.case else None
                payoffs = getattr(game, "payoffs", None)
                if payoffs is not None:
                    rows = [[str(v) for v in row] for row in payoffs.reshape(payoffs.shape[0], -1).tolist()]
                    lines.append(f"     minimal game: shape {tuple(payoffs.shape)}, payoffs per player {rows}")
                lines.append(f"     replay: {f.replay_command}")
        return "\n".join(lines)

    def raise_for_violations(self) -> None:
        """Raise one grouped :class:`AssertionError` listing every distinct violation; when there is none but
        jalverify itself failed in some check, raise :class:`~jalverify.errors.InternalError` naming them (a
        failed check is never a pass).  No-op when every check ended without violation or error."""
        if self.refuted:
            raise AssertionError(self.assertion_message())
        if self.errored:
            from jalverify.errors import InternalError

            raise InternalError(f"jalverify failed in {len(self.errored)} check(s) of {self.target}: "
                                + "; ".join(f"{o.check}: {o.message}" for o in self.errored))

