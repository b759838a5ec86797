"""The main job: run every registered theorem on generated cases and report (``jalverify verify``).

For each selected theorem the runner asks Hypothesis (through :func:`jalverify.strategies.search_refutation`)
for a case that refutes the claim, shrinking it to a minimal one.  Every row ends in one verdict of
:class:`~jalverify.verdicts.Status`, with the meaning it has everywhere:

* claim expected to **hold**: ``proven`` (every case proven exactly), ``within_tolerance`` (no refutation;
  some cases hold only within a stated float tolerance, the worst case is reported), ``not_established`` (no
  refutation, but some case was undecided, a budget ran out, or no case ran), ``refuted`` (a failure: a report
  is written), ``error`` (the check raised or a module it needs is missing: jalverify failed);
* claim expected to be **refuted** (documents a seed-note claim that is false): ``refuted`` when the search or
  the literature example (``known_counterexample``) refutes it (the minimal case is written as a report),
  ``not_established`` when the search found none within its budget and no literature example exists, ``error``
  when the literature example no longer refutes the claim (our check or solver changed).

The job fails (:attr:`VerifyRun.ok` is false) exactly when a claim that should hold is refuted or a row ends
in ``error``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from jalverify.executors import Executor, SerialExecutor
from jalverify.reports.store import ReportConflict, StoredReport, build_report, write_report
from jalverify.theorems.registry import HOLDS, THEOREMS, Theorem, select
from jalverify.verdicts import Status, Verdict

__all__ = ["TIME_LIMITS", "TheoremRun", "TheoremSearch", "VerifyRun", "document_known_counterexamples",
           "format_table", "run_theorem", "run_verify", "search_theorem", "store_search", "verify_json"]

#: Default seconds per theorem (generation, and again shrinking) for each profile.
TIME_LIMITS: dict[str, float | None] = {"quick": 6.0, "thorough": 600.0}
#: Seconds of shrinking for a claim refuted by design (expected "refuted") under a quick budget (at most the
#: profile's time limit): the literature already gives its example; a thorough run shrinks it fully.
EXPECTED_REFUTATION_SHRINK_SECONDS = 2.0


@dataclass(frozen=True)
class TheoremRun:
    """One row of the summary: the verdict on one theorem over the generated cases."""

    theorem: Theorem
    status: Status
    examples: int
    seconds: float
    message: str = ""
    report: StoredReport | None = None
    seed: int | None = None
    tolerance: float | None = None
    worst: float | None = None

    @property
    def failed(self) -> bool:
        """A claim that should hold was refuted, or jalverify failed."""
        return self.status is Status.ERROR or (self.status is Status.REFUTED and self.theorem.expected == HOLDS)

    @property
    def outcome(self) -> str:
        """The verdict words of the text table (``refuted (as expected)`` for a documented false claim)."""
        if self.status is Status.REFUTED:
            return "refuted (as expected)" if self.theorem.expected != HOLDS else "REFUTED"
        return self.status.words


@dataclass(frozen=True)
class VerifyRun:
    rows: tuple[TheoremRun, ...]
    profile: str
    max_examples: int
    seconds: float
    reports_dir: Path | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    seed: int | None = None

    @property
    def ok(self) -> bool:
        return not any(r.failed for r in self.rows)

    @property
    def new_reports(self) -> tuple[StoredReport, ...]:
        return tuple(r.report for r in self.rows if r.report is not None and r.report.status == "new")


def _wants_report(theorem: Theorem, reports_dir: Path | None) -> bool:
    """Whether a refutation of ``theorem`` is to be stored.  A refutation of a claim that should hold is always
    written (identical findings are deduplicated by content).  An expected refutation documents a seed-note claim:
    one report per theorem is enough, so it is written only when ``reports_dir/<theorem id>/`` holds no report
    yet; re-running the main job with other seeds then leaves a committed ``counterexamples/`` unchanged."""
    if reports_dir is None:
        return False
    return theorem.expected == HOLDS or not any((Path(reports_dir) / theorem.id).glob("*.json"))


@dataclass(frozen=True)
class TheoremSearch:
    """What checking one theorem found, computed where the check ran (this process or a worker): plain data, so
    it travels back from a worker; the report of a refutation is its JSON document, stored by the caller."""

    status: Status
    examples: int
    seconds: float
    message: str
    seed: int | None
    tolerance: float | None = None
    worst: float | None = None
    report: dict[str, Any] | None = None


def search_theorem(theorem: Theorem, *, max_examples: int, seed: int | None = None,
                   reports_dir: Path | None = None, time_limit: float | None = None,
                   on_example: Callable[[int], None] | None = None) -> TheoremSearch:
    """Check one theorem on generated cases and build (not write) the report of a refutation.

    ``reports_dir`` is where the caller will store the report (it only fixes the replay line); ``None`` builds
    none.  Writes no file, so it may run on any worker.
    """
    from jalverify.strategies import case_strategy, search_refutation

    missing = theorem.missing_requirements()
    if missing:
        return TheoremSearch(Status.ERROR, 0, 0.0, f"cannot run: module(s) {', '.join(missing)} not importable",
                             seed)
    start = time.perf_counter()
    shrink_limit = None
    if theorem.expected != HOLDS and time_limit is not None and time_limit <= TIME_LIMITS["quick"]:
        # a claim false by design: shrinking only makes its (documented) example smaller; quick budgets cap it
        shrink_limit = min(time_limit, EXPECTED_REFUTATION_SHRINK_SECONDS)
    outcome = search_refutation(theorem.check, case_strategy(theorem.strategy), max_examples=max_examples,
                                seed=seed, time_limit=time_limit, on_example=on_example,
                                shrink_time_limit=shrink_limit)
    generation = {"source": "hypothesis", "strategy": theorem.strategy, "seed": outcome.seed,
                  "max_examples": max_examples, "examples_before_refutation": outcome.examples,
                  "shrink_steps": outcome.shrinks, "time_limit": time_limit, "shrink_time_limit": shrink_limit,
                  "timed_out": outcome.timed_out,
                  "regenerate": f"jalverify verify --theorem {theorem.id} --seed {outcome.seed} "
                                f"--max-examples {max_examples}"}

    def row(status: Status, message: str, refutation: tuple[Verdict, tuple[Any, ...], dict[str, Any]] | None = None,
            extra_examples: int = 0) -> TheoremSearch:
        numeric = status is Status.WITHIN_TOLERANCE
        report = None
        if refutation is not None and reports_dir is not None:
            verdict, arguments, how = refutation
            report = build_report(theorem=theorem, verdict=verdict, arguments=arguments, generation=how,
                                  reports_dir=reports_dir)
        return TheoremSearch(status, outcome.examples + extra_examples, time.perf_counter() - start, message,
                             outcome.seed, outcome.tolerance if numeric else None, outcome.worst if numeric else None,
                             report)

    if outcome.error is not None:
        return row(Status.ERROR, outcome.error)
    if outcome.refutation is not None:
        return row(Status.REFUTED, outcome.refutation.message,
                   (outcome.refutation, outcome.arguments or (), generation))
    if theorem.expected == HOLDS:
        return row(outcome.status(), _summary(outcome, time_limit))
    # expected to be refuted, but the search found no refutation: try the literature example
    if theorem.known_counterexample is None:
        return row(Status.NOT_ESTABLISHED, "no counterexample found in this budget (and no literature example "
                                           "is registered)")
    case = theorem.known_counterexample()
    try:
        verdict_known = theorem.check(*case)
    except Exception as exc:  # noqa: BLE001 - reported as jalverify's failure, with its type and message
        return row(Status.ERROR, f"known counterexample: {type(exc).__name__}: {exc}", extra_examples=1)
    if verdict_known.status is not Status.REFUTED:
        return row(Status.ERROR, "the literature counterexample no longer refutes the claim "
                                 f"({verdict_known.status.words}: {verdict_known.message})", extra_examples=1)
    known_generation = {"source": "known counterexample",
                        "function": f"{theorem.known_counterexample.__module__}."
                                    f"{theorem.known_counterexample.__qualname__}",
                        "searched": f"{outcome.examples} generated cases (seed {outcome.seed}) without a refutation"}
    return row(Status.REFUTED, "known example: " + verdict_known.message, (verdict_known, case, known_generation),
               extra_examples=1)


def store_search(theorem: Theorem, search: TheoremSearch, reports_dir: Path | None) -> TheoremRun:
    """The summary row of a search, after storing its report (here, in the calling process: workers never write
    reports).  A report that conflicts with a stored one is not written; the row's message says so."""
    stored, note = None, ""
    if search.report is not None and reports_dir is not None and _wants_report(theorem, reports_dir):
        try:
            stored = write_report(search.report, reports_dir)
        except ReportConflict as exc:
            note = f"; report not written: {exc}"
    return TheoremRun(theorem, search.status, search.examples, search.seconds, search.message + note, stored,
                      search.seed, search.tolerance, search.worst)


def run_theorem(theorem: Theorem, *, max_examples: int, seed: int | None = None, reports_dir: Path | None = None,
                time_limit: float | None = None, on_example: Callable[[int], None] | None = None) -> TheoremRun:
    """Check one theorem on generated cases and store a refutation's report (see the module docstring for the
    outcomes)."""
    folder = Path(reports_dir) if reports_dir is not None else None
    search = search_theorem(theorem, max_examples=max_examples, seed=seed,
                            reports_dir=folder if _wants_report(theorem, folder) else None, time_limit=time_limit,
                            on_example=on_example)
    return store_search(theorem, search, folder)


@dataclass(frozen=True)
class _Hooks:
    """In-process extras of a task (the serial executor only; never pickled): progress before and during it."""

    announce: Callable[[], None]
    tick: Callable[[int], None]


@dataclass(frozen=True)
class _TheoremTask:
    """One theorem to check, as sent to an executor: the theorem by id (a worker finds it in its own registry
    after importing ``module``), or whole when it is not the registered one."""

    theorem_id: str
    module: str
    theorem: Theorem | None
    max_examples: int
    seed: int
    time_limit: float | None
    reports_dir: Path | None
    hooks: _Hooks | None = None


def _registered(theorem_id: str, module: str) -> Theorem:
    """The registered theorem ``theorem_id`` in this process (a worker imports the suites first)."""
    import importlib

    from jalverify.errors import InternalError
    from jalverify.theorems.registry import THEOREMS, load_all

    importlib.import_module(module)
    if theorem_id not in THEOREMS:
        load_all()
    if theorem_id not in THEOREMS:
        raise InternalError(f"verify: theorem {theorem_id!r} is not registered in this worker after importing "
                            f"{module}")
    return THEOREMS[theorem_id]


def _check_theorem_task(task: _TheoremTask) -> TheoremSearch:
    """Run one :class:`_TheoremTask` where the executor runs it."""
    theorem = task.theorem if task.theorem is not None else _registered(task.theorem_id, task.module)
    if task.hooks is not None:
        task.hooks.announce()
    return search_theorem(theorem, max_examples=task.max_examples, seed=task.seed, reports_dir=task.reports_dir,
                          time_limit=task.time_limit, on_example=task.hooks.tick if task.hooks is not None else None)


def _summary(outcome: Any, time_limit: float | None) -> str:
    """What the cases of a claim expected to hold showed, per verdict, citing the first non-proven case."""
    parts = [f"{outcome.proven} proven exactly"]
    for status in (Status.WITHIN_TOLERANCE, Status.NOT_ESTABLISHED):
        count = outcome.counts.get(status, 0)
        if count:
            parts.append(f"{count} {status.words}")
    message = ", ".join(parts)
    if outcome.worst is not None:
        message += f" (tolerance {outcome.tolerance:.3g}, worst case {outcome.worst:.3g})"
    if outcome.examples == 0:
        message = "no case was checked"
    if outcome.timed_out:
        message += f"; time limit {time_limit:g} s reached"
    for status in (Status.NOT_ESTABLISHED, Status.WITHIN_TOLERANCE):
        if status in outcome.samples:
            message += f" (e.g. {outcome.samples[status].message})"
            break
    return message


def run_verify(*, pattern: str | None = None, profile: str = "quick", max_examples: int | None = None,
               seed: int | None = None, reports_dir: str | os.PathLike | None = "counterexamples",
               progress: TextIO | None = sys.stderr, theorems: Sequence[Theorem] | None = None,
               time_limit: float | str | None = "profile", executor: Executor | None = None) -> VerifyRun:
    """Run the selected theorems with a Hypothesis profile's example budget.

    Parameters
    ----------
    pattern : str, optional
        Glob on theorem ids (``"minimax.*"``).
    profile : {"quick", "thorough"}
    max_examples : int, optional
        Overrides the profile's budget.
    seed : int, optional
        Hypothesis seed for every theorem; when omitted one is drawn at random, used for every theorem and
        reported (:attr:`VerifyRun.seed`), so ``--seed`` with it reproduces the run.
    reports_dir : path or None
        Where new counterexample reports go; ``None`` writes none.
    progress : text stream or None
        Progress lines (stderr by default).
    time_limit : float, "profile" or None
        Seconds per theorem for generating (and again for shrinking), positive; ``"profile"`` (default): the
        profile's (:data:`TIME_LIMITS`); ``None`` means no limit.
    executor : Executor, optional
        Where the theorems are checked (:mod:`jalverify.executors`); serially in this process by default.  Every
        theorem gets the same seed, so the verdicts do not depend on the executor or on the order in which the
        theorems finish; reports are written here, as the results arrive, and the rows keep the theorems' order.
        A theorem whose check raised outside the search, or whose worker died twice, is an ``error`` row.
    """
    import random

    from jalverify.errors import InvalidNumber
    from jalverify.strategies.hypothesis_profiles import PROFILES, VERIFY_EXAMPLES

    if profile not in PROFILES:
        from jalverify.errors import UnknownName

        raise UnknownName(f"run_verify(): unknown profile {profile!r}; profiles are {sorted(PROFILES)}")
    budget = max_examples if max_examples is not None else VERIFY_EXAMPLES[profile]
    if time_limit == "profile":
        limit = TIME_LIMITS[profile]
    elif time_limit is None or (isinstance(time_limit, (int, float)) and time_limit > 0):
        limit = time_limit
    else:
        raise InvalidNumber(f"run_verify(): time_limit must be a positive number of seconds, 'profile' or None, "
                            f"got {time_limit!r}")
    used_seed = seed if seed is not None else random.SystemRandom().getrandbits(32)
    if progress is not None:
        progress.write(f"seed {used_seed} (replay this run with --seed {used_seed})\n")
    chosen = list(theorems) if theorems is not None else select(pattern)
    folder = Path(reports_dir) if reports_dir is not None else None
    runner = executor if executor is not None else SerialExecutor()
    start = time.perf_counter()
    tty = progress is not None and hasattr(progress, "isatty") and progress.isatty()

    def hooks(index: int, item: Theorem) -> _Hooks:
        prefix = f"[{index}/{len(chosen)}] {item.id}"

        def announce() -> None:
            if progress is not None:
                progress.write(f"{prefix} ..." + ("" if tty else "\n"))
                progress.flush()

        def tick(count: int) -> None:
            if tty and progress is not None:
                progress.write(f"\r{prefix} ... {count} examples")
                progress.flush()

        return _Hooks(announce, tick)

    tasks = [_TheoremTask(item.id, item.check.__module__, None if THEOREMS.get(item.id) is item else item, budget,
                          used_seed, limit, folder if _wants_report(item, folder) else None,
                          hooks(index, item) if runner.in_process else None)
             for index, item in enumerate(chosen, 1)]
    found: dict[int, TheoremRun] = {}
    for done, outcome in enumerate(runner.map_unordered(_check_theorem_task, tasks), 1):
        item = chosen[outcome.index]
        if outcome.ok:
            row = store_search(item, outcome.value, folder)
        else:
            row = TheoremRun(item, Status.ERROR, 0, 0.0, f"jalverify failed checking this theorem: {outcome.error}",
                             seed=used_seed)
            if progress is not None and outcome.traceback:
                progress.write(("\n" if tty else "") + outcome.traceback)
        found[outcome.index] = row
        if progress is not None:
            elapsed = time.perf_counter() - start
            eta = elapsed / done * (len(chosen) - done)
            progress.write(("\r" if tty and runner.in_process else "") + f"[{done}/{len(chosen)}] {item.id}: "
                           f"{row.outcome} ({row.examples} examples, {row.seconds:.1f} s; {elapsed:.0f} s elapsed, "
                           f"ETA {eta:.0f} s)\n")
            progress.flush()
    rows = [found[index] for index in range(len(chosen))]
    return VerifyRun(tuple(rows), profile, budget, time.perf_counter() - start, folder, seed=used_seed)


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
    """The summary table (plain text, fixed-width columns), the verdict counts and the failures."""
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
    lines.append(f"{len(run.rows)} theorems, profile {run.profile} ({run.max_examples} examples each), seed "
                 f"{run.seed}, {run.seconds:.1f} s: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    for r in run.rows:
        if r.status in (Status.WITHIN_TOLERANCE, Status.NOT_ESTABLISHED) and r.theorem.expected == HOLDS:
            lines.append(f"{r.status.words}: {r.theorem.id}: {r.message}")
    for r in (r for r in run.rows if r.failed):
        lines.append(f"FAILED {r.theorem.id}: {r.outcome}: {r.message}")
        if r.report is not None:
            lines.append(f"  report: {r.report.path}")
    new = run.new_reports
    if new:
        lines.append(f"{len(new)} new counterexample report(s):")
        lines += [f"  {s.path}" for s in new]
    return "\n".join(lines)


def verify_json(run: VerifyRun) -> dict[str, Any]:
    """The run as one JSON object (``jalverify verify --format json``; schema ``verify.schema.json``)."""
    return {
        "format": "jalverify.verify/1",
        "profile": run.profile,
        "max_examples": run.max_examples,
        "seed": run.seed,
        "seconds": round(run.seconds, 3),
        "ok": run.ok,
        "theorems": [{
            "id": r.theorem.id,
            "expected": r.theorem.expected,
            "verdict": r.status.value,
            "failed": r.failed,
            "examples": r.examples,
            "seconds": round(r.seconds, 3),
            "seed": r.seed,
            "message": r.message,
            "tolerance": r.tolerance,
            "worst": r.worst,
            "report": None if r.report is None else str(r.report.path),
        } for r in run.rows],
        "new_reports": [str(s.path) for s in run.new_reports],
    }
