"""The main job: run every registered theorem on generated cases and report (``jalverify verify``).

For each selected theorem the runner asks Hypothesis (through :func:`jalverify.strategies.search_refutation`)
for a case that refutes the claim, shrinking it to a minimal one.  Outcomes:

* claim expected to **hold**: ``confirmed`` (every case confirmed exactly), ``unknown`` (no refutation, some
  cases only within tolerance or undecided), ``REFUTED`` (a failure: a report is written), ``error`` (the check
  raised: a failure), ``skipped`` (a solver module it needs is not installed yet);
* claim expected to be **refuted** (documents a seed-note claim that is false): ``refuted-as-expected`` when
  the search or the literature example (``known_counterexample``) refutes it (the minimal case is written as a
  report), ``not-found`` when neither does (a failure if the literature example no longer refutes it).

The job fails (:attr:`VerifyRun.ok` is false) exactly when a claim that should hold is refuted, a check
crashes, or a literature counterexample stops refuting its claim.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from jalverify.reports.store import ReportConflict, StoredReport, build_report, write_report
from jalverify.theorems.registry import HOLDS, Theorem, select
from jalverify.verdicts import Status, Verdict

__all__ = ["document_known_counterexamples", "TIME_LIMITS", "TheoremRun", "VerifyRun", "run_theorem", "run_verify", "format_table", "FAILING_OUTCOMES"]

#: Default seconds per theorem (generation, and again shrinking) for each profile.
TIME_LIMITS: dict[str, float | None] = {"quick": 6.0, "thorough": 600.0}

#: Outcomes that make the job fail.
FAILING_OUTCOMES = frozenset({"REFUTED", "error", "not-refuted"})


@dataclass(frozen=True)
class TheoremRun:
    """One row of the summary."""

    theorem: Theorem
    outcome: str
    examples: int
    seconds: float
    message: str = ""
    report: StoredReport | None = None
    seed: int | None = None

    @property
    def failed(self) -> bool:
        return self.outcome in FAILING_OUTCOMES


@dataclass(frozen=True)
class VerifyRun:
    rows: tuple[TheoremRun, ...]
    profile: str
    max_examples: int
    seconds: float
    reports_dir: Path | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not any(r.failed for r in self.rows)

    @property
    def new_reports(self) -> tuple[StoredReport, ...]:
        return tuple(r.report for r in self.rows if r.report is not None and r.report.status == "new")


def _store(theorem: Theorem, verdict: Verdict, arguments: tuple[Any, ...], generation: dict[str, Any],
           reports_dir: Path | None) -> tuple[StoredReport | None, str]:
    """Write the report of a refutation.  A refutation of a claim that should hold is always written (identical
    findings are deduplicated by content).  An expected refutation documents a seed-note claim: one report per
    theorem is enough, so it is written only when ``reports_dir/<theorem id>/`` holds no report yet; re-running
    the main job with other seeds then leaves a committed ``counterexamples/`` unchanged."""
    if reports_dir is None:
        return None, ""
    if theorem.expected != HOLDS and any((Path(reports_dir) / theorem.id).glob("*.json")):
        return None, ""
    report = build_report(theorem=theorem, verdict=verdict, arguments=arguments, generation=generation,
                          reports_dir=reports_dir)
    try:
        return write_report(report, reports_dir), ""
    except ReportConflict as exc:
        return None, f"; report not written: {exc}"


def run_theorem(theorem: Theorem, *, max_examples: int, seed: int | None = None, reports_dir: Path | None = None,
                time_limit: float | None = None, on_example: Callable[[int], None] | None = None) -> TheoremRun:
    """Check one theorem on generated cases (see the module docstring for the outcomes)."""
    from jalverify.strategies import case_strategy, search_refutation

    missing = theorem.missing_requirements()
    if missing:
        return TheoremRun(theorem, "skipped", 0, 0.0, f"needs {', '.join(missing)}")
    start = time.perf_counter()
    outcome = search_refutation(theorem.check, case_strategy(theorem.strategy), max_examples=max_examples,
                                seed=seed, time_limit=time_limit, on_example=on_example)
    generation = {"source": "hypothesis", "strategy": theorem.strategy, "seed": outcome.seed,
                  "max_examples": max_examples, "examples_before_refutation": outcome.examples,
                  "shrink_steps": outcome.shrinks, "time_limit": time_limit, "timed_out": outcome.timed_out,
                  "regenerate": f"jalverify verify --theorem {theorem.id} --seed {outcome.seed} "
                                f"--max-examples {max_examples}"}
    if outcome.error is not None:
        return TheoremRun(theorem, "error", outcome.examples, time.perf_counter() - start, outcome.error,
                          seed=outcome.seed)
    if theorem.expected == HOLDS:
        if outcome.refutation is not None:
            stored, note = _store(theorem, outcome.refutation, outcome.arguments or (), generation, reports_dir)
            return TheoremRun(theorem, "REFUTED", outcome.examples, time.perf_counter() - start,
                              outcome.refutation.message + note, stored, outcome.seed)
        verdict = "confirmed" if outcome.unknown == 0 else "unknown"
        message = (f"{outcome.confirmed} confirmed exactly" + (f", {outcome.unknown} unknown" if outcome.unknown else "")
                   + (f"; time limit {time_limit:g} s reached" if outcome.timed_out else "")
                   + (f" (e.g. {outcome.unknown_sample.message})" if outcome.unknown_sample is not None else ""))
        return TheoremRun(theorem, verdict, outcome.examples, time.perf_counter() - start, message, seed=outcome.seed)
    # expected to be refuted
    if outcome.refutation is not None:
        stored, note = _store(theorem, outcome.refutation, outcome.arguments or (), generation, reports_dir)
        return TheoremRun(theorem, "refuted-as-expected", outcome.examples, time.perf_counter() - start,
                          outcome.refutation.message + note, stored, outcome.seed)
    if theorem.known_counterexample is not None:
        case = theorem.known_counterexample()
        try:
            verdict_known = theorem.check(*case)
        except Exception as exc:  # reported as a failure with its type and message
            return TheoremRun(theorem, "error", outcome.examples + 1, time.perf_counter() - start,
                              f"known counterexample: {type(exc).__name__}: {exc}", seed=outcome.seed)
        if verdict_known.status is Status.REFUTED:
            known_generation = {"source": "known counterexample",
                                "function": f"{theorem.known_counterexample.__module__}."
                                            f"{theorem.known_counterexample.__qualname__}",
                                "searched": f"{outcome.examples} generated cases (seed {outcome.seed}) "
                                            "without a refutation"}
            stored, note = _store(theorem, verdict_known, case, known_generation, reports_dir)
            return TheoremRun(theorem, "refuted-as-expected", outcome.examples + 1, time.perf_counter() - start,
                              "known example: " + verdict_known.message + note, stored, outcome.seed)
        return TheoremRun(theorem, "not-refuted", outcome.examples + 1, time.perf_counter() - start,
                          f"the literature counterexample no longer refutes the claim: {verdict_known.message}",
                          seed=outcome.seed)
    return TheoremRun(theorem, "not-found", outcome.examples, time.perf_counter() - start,
                      "no counterexample found in this budget", seed=outcome.seed)


def run_verify(*, pattern: str | None = None, profile: str = "quick", max_examples: int | None = None,
               seed: int | None = None, reports_dir: str | os.PathLike | None = "counterexamples",
               progress: TextIO | None = sys.stderr, theorems: Sequence[Theorem] | None = None,
               time_limit: float | None = -1.0) -> VerifyRun:
    """Run the selected theorems with a Hypothesis profile's example budget.

    Parameters
    ----------
    pattern : str, optional
        Glob on theorem ids (``"minimax.*"``).
    profile : {"quick", "thorough"}
    max_examples : int, optional
        Overrides the profile's budget.
    seed : int, optional
        Hypothesis seed for every theorem (random and reported when omitted).
    reports_dir : path or None
        Where new counterexample reports go; ``None`` writes none.
    progress : text stream or None
        Progress lines (stderr by default).
    time_limit : float or None
        Seconds per theorem for generating (and again for shrinking); default: the profile's
        (:data:`TIME_LIMITS`); ``None`` means no limit.
    """
    from jalverify.strategies.hypothesis_profiles import PROFILES

    if profile not in PROFILES:
        from jalverify.errors import UnknownName

        raise UnknownName(f"run_verify(): unknown profile {profile!r}; profiles are {sorted(PROFILES)}")
    budget = max_examples if max_examples is not None else PROFILES[profile]
    limit = TIME_LIMITS[profile] if time_limit is not None and time_limit < 0 else time_limit
    chosen = list(theorems) if theorems is not None else select(pattern)
    folder = Path(reports_dir) if reports_dir is not None else None
    rows = []
    start = time.perf_counter()
    tty = progress is not None and hasattr(progress, "isatty") and progress.isatty()
    for index, item in enumerate(chosen, 1):
        prefix = f"[{index}/{len(chosen)}] {item.id}"
        if progress is not None:
            progress.write(f"{prefix} ..." + ("" if tty else "\n"))
            progress.flush()

        def tick(count: int, prefix: str = prefix) -> None:
            if tty and progress is not None:
                progress.write(f"\r{prefix} ... {count} examples")
                progress.flush()

        row = run_theorem(item, max_examples=budget, seed=seed, reports_dir=folder, time_limit=limit, on_example=tick)
        rows.append(row)
        if progress is not None:
            progress.write(("\r" if tty else "") + f"{prefix}: {row.outcome} ({row.examples} examples, "
                           f"{row.seconds:.1f} s)\n")
            progress.flush()
    return VerifyRun(tuple(rows), profile, budget, time.perf_counter() - start, folder)


def document_known_counterexamples(theorems: Sequence[Theorem], reports_dir: str | os.PathLike) -> list[StoredReport]:
    """Store a report for the literature counterexample of every refuted-as-expected theorem that has one.

    Raises
    ------
    AssertionError
        Never: a literature example that no longer refutes its claim is skipped here and caught by
        :func:`run_theorem` (outcome ``not-refuted``).
    """
    stored = []
    for item in theorems:
        if item.expected == HOLDS or item.known_counterexample is None or item.missing_requirements():
            continue
        case = item.known_counterexample()
        verdict = item.check(*case)
        if verdict.status is not Status.REFUTED:
            continue
        generation = {"source": "known counterexample",
                      "function": f"{item.known_counterexample.__module__}.{item.known_counterexample.__qualname__}"}
        report = build_report(theorem=item, verdict=verdict, arguments=case, generation=generation,
                              reports_dir=reports_dir)
        try:
            stored.append(write_report(report, reports_dir))
        except ReportConflict:
            continue
    return stored


def format_table(run: VerifyRun) -> str:
    """The summary table (plain text, fixed-width columns)."""
    header = ("theorem", "expected", "verdict", "examples", "time")
    body = [(r.theorem.id, r.theorem.expected, r.outcome, str(r.examples) + ("*" if "time limit" in r.message else ""),
             f"{r.seconds:.1f}s") for r in run.rows]
    widths = [max(len(h), *(len(row[k]) for row in body)) if body else len(h) for k, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in body]
    counts: dict[str, int] = {}
    for r in run.rows:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    lines.append("")
    if any("time limit" in r.message for r in run.rows):
        lines.append("* time limit reached before the example budget (fewer examples checked)")
    lines.append(f"{len(run.rows)} theorems, profile {run.profile} ({run.max_examples} examples each), "
                 f"{run.seconds:.1f} s: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    failures = [r for r in run.rows if r.failed]
    for r in failures:
        lines.append(f"FAILED {r.theorem.id}: {r.outcome}: {r.message}")
        if r.report is not None:
            lines.append(f"  report: {r.report.path}")
    new = run.new_reports
    if new:
        lines.append(f"{len(new)} new counterexample report(s):")
        lines += [f"  {s.path}" for s in new]
    return "\n".join(lines)
