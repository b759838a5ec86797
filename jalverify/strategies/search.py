"""Drive a theorem check with Hypothesis: generate cases, stop at the first refutation and shrink it.

This is the only place outside the strategy factories that talks to Hypothesis, so the theorem layer stays free
of it and the runner (:mod:`jalverify.reports.runner`) only sees plain results.  A claim expected to hold is
searched for a refutation; a claim expected to fail is searched the same way, and finding the (shrunk, minimal)
refutation is then the expected outcome.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Unsatisfiable
from hypothesis.strategies import SearchStrategy

from jalverify.errors import InternalError
from jalverify.verdicts import Status, Verdict

__all__ = ["SearchOutcome", "keep_worst", "search_refutation"]


@dataclass(frozen=True)
class SearchOutcome:
    """What a Hypothesis search over one claim found.

    Attributes
    ----------
    examples : int
        Checks run before the first refutation (all of them when nothing was refuted); shrinking not counted.
    counts : dict
        How many of those checks ended in each verdict (:class:`~jalverify.verdicts.Status`; REFUTED at most 1).
    samples : dict
        For each status that is neither proven nor refuted, the verdict the summary cites: the one with the
        largest measured ``worst`` (the first when none measures one).
    tolerance, worst : float or None
        The largest tolerance and the largest measured worst case over the cases that held within tolerance.
    refutation : Verdict or None
        The verdict at the minimal (shrunk) counterexample.
    arguments : tuple or None
        The arguments of the minimal counterexample.
    error : str or None
        ``"ExceptionType: message"`` when the check raised instead of returning a verdict.
    seed : int
        The Hypothesis seed used (replaying with it regenerates the same cases).
    max_examples : int
    seconds : float
    shrinks : int
        Checks run while shrinking.
    timed_out : bool
        The time limit stopped the search early (``examples`` counts the checks actually run) or cut shrinking
        short (the refutation is then the smallest found so far).
    """

    examples: int
    counts: dict[Status, int]
    refutation: Verdict | None
    arguments: tuple[Any, ...] | None
    error: str | None
    seed: int
    max_examples: int
    seconds: float
    shrinks: int = 0
    samples: dict[Status, Verdict] = field(default_factory=dict)
    timed_out: bool = False
    tolerance: float | None = None
    worst: float | None = None

    @property
    def proven(self) -> int:
        """Checks that ended proven exactly."""
        return self.counts.get(Status.PROVEN, 0)

    def status(self) -> Status:
        """The verdict over every case checked, the weakest wins: refuted, then error, then not established (also
        when no case ran), then within tolerance; proven exactly only when every case was."""
        if self.refutation is not None:
            return Status.REFUTED
        if self.error is not None:
            return Status.ERROR
        if self.examples == 0 or self.counts.get(Status.NOT_ESTABLISHED, 0):
            return Status.NOT_ESTABLISHED
        if self.counts.get(Status.WITHIN_TOLERANCE, 0):
            return Status.WITHIN_TOLERANCE
        return Status.PROVEN


def keep_worst(samples: dict[Status, Verdict], verdict: Verdict) -> None:
    """Keep in ``samples`` the verdict a summary should cite for its status: the one with the largest measured
    ``worst`` (e.g. the largest gap to Q*), the first one when none measures a worst case."""
    held = samples.get(verdict.status)
    if held is None or (verdict.worst is not None and (held.worst is None or verdict.worst > held.worst)):
        samples[verdict.status] = verdict


class _Refuted(Exception):
    """Raised inside the Hypothesis test to signal a refutation (so Hypothesis shrinks it)."""


class _CheckError(Exception):
    """Raised inside the Hypothesis test when a check returns an ERROR verdict (jalverify itself failed)."""


def search_refutation(check: Callable[..., Verdict], cases: SearchStrategy[tuple[Any, ...]], *, max_examples: int,
                      seed: int | None = None, shrink: bool = True, time_limit: float | None = None,
                      on_example: Callable[[int], None] | None = None,
                      shrink_time_limit: float | None = None) -> SearchOutcome:
    """Run ``check(*case)`` on cases drawn from ``cases`` until one is refuted or the budget is spent.

    Parameters
    ----------
    check : callable returning a Verdict
    cases : strategy of argument tuples
    max_examples : int
        Hypothesis' example budget.
    seed : int, optional
        Fixes generation; a random seed is drawn (and reported) otherwise.
    shrink : bool
        Shrink a refutation to a minimal case (default).
    time_limit : float, optional
        Seconds for generation and, separately, for shrinking.  Past the limit no further check runs: remaining
        generated cases are skipped (cheap), and shrinking keeps the smallest refutation found so far.  A single
        slow check is not interrupted.
    on_example : callable, optional
        Called with the running example count (progress display).
    shrink_time_limit : float, optional
        Seconds for shrinking when it should differ from ``time_limit`` (e.g. a short one for a claim expected to
        be refuted, whose minimal case is only documentation); ``None`` (default): ``time_limit``.
    """
    if shrink_time_limit is not None and not shrink_time_limit > 0:
        raise InternalError(f"search_refutation(): shrink_time_limit must be a positive number of seconds or None, "
                            f"got {shrink_time_limit!r}")
    shrink_limit = time_limit if shrink_time_limit is None else shrink_time_limit
    used_seed = seed if seed is not None else random.SystemRandom().getrandbits(32)
    state: dict[str, Any] = {"examples": 0, "shrinks": 0, "refuted": False, "last": None, "timed_out": False,
                             "shrink_start": None, "tolerance": None, "worst": None, "error": None,
                             "error_verdict": None}
    counts: dict[Status, int] = {}
    samples: dict[Status, Verdict] = {}
    clock = time.perf_counter

    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if shrink else [])

    @settings(max_examples=max_examples, deadline=None, database=None, phases=phases, verbosity=Verbosity.quiet,
              report_multiple_bugs=False, print_blob=False,
              suppress_health_check=list(HealthCheck))
    @given(cases)
    def run(case: tuple[Any, ...]) -> None:
        if state["refuted"]:
            if shrink_limit is not None:
                now = clock()
                if state["shrink_start"] is None:
                    state["shrink_start"] = now
                elif now - state["shrink_start"] > shrink_limit:
                    state["timed_out"] = True
                    return  # stop shrinking: the candidate counts as passing; the smallest refutation is kept
        elif time_limit is not None and clock() - start > time_limit:
            state["timed_out"] = True
            return  # budget spent: skip the check, Hypothesis only generates the remaining cases
        if state["refuted"]:
            state["shrinks"] += 1
        elif state["error"] is None:
            state["examples"] += 1
            if on_example is not None:
                on_example(state["examples"])
        # jalverify failed once: no further case is checked (the same raise site, so Hypothesis sees no flakiness)
        verdict = check(*case) if state["error"] is None else state["error_verdict"]
        if not isinstance(verdict, Verdict):
            raise InternalError(f"search_refutation(): check {getattr(check, '__qualname__', check)!r} returned "
                                f"{type(verdict).__name__}, expected a Verdict")
        if verdict.status is Status.REFUTED:
            state["refuted"] = True
            state["last"] = (case, verdict)
            raise _Refuted(verdict.message)
        if verdict.status is Status.ERROR:
            if state["error"] is None:
                state["error"] = f"the check reported an error: {verdict.message}"
                state["error_verdict"] = verdict
                counts[Status.ERROR] = 1
            raise _CheckError(verdict.message)
        if not state["refuted"]:
            counts[verdict.status] = counts.get(verdict.status, 0) + 1
            if verdict.status is not Status.PROVEN:
                # cite the worst case measured (e.g. the largest gap to Q*), not the first, often trivial, game
                keep_worst(samples, verdict)
            if verdict.status is Status.WITHIN_TOLERANCE:
                state["tolerance"] = max((t for t in (state["tolerance"], verdict.tolerance) if t is not None),
                                         default=None)
                if verdict.worst is not None:
                    state["worst"] = max(verdict.worst, state["worst"] if state["worst"] is not None else verdict.worst)

    runner = hypothesis_seed(used_seed)(run)
    start = clock()
    error: str | None = None
    try:
        runner()
    except _Refuted:
        pass
    except _CheckError:
        error = state["error"]
    except Unsatisfiable as exc:
        error = f"Unsatisfiable: {exc}"
    except Exception as exc:  # noqa: BLE001 - a check that raises is reported, with its type and message
        if state["refuted"] and state["timed_out"] and state["last"] is not None:
            error = None  # shrinking was cut short (Hypothesis reports the replay as flaky): keep the refutation
        else:
            error = f"{type(exc).__name__}: {exc}"
    seconds = clock() - start
    last = state["last"]
    return SearchOutcome(
        examples=state["examples"], counts=counts,
        refutation=None if last is None or error else last[1], arguments=None if last is None or error else last[0],
        error=error, seed=used_seed, max_examples=max_examples, seconds=seconds, shrinks=state["shrinks"],
        samples=samples, timed_out=state["timed_out"], tolerance=state["tolerance"], worst=state["worst"],
    )
