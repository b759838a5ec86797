"""Running a campaign: every run of the grid on an executor, each written as it arrives, then the summary.

Output folder layout::

    OUT/campaign.json            the checked campaign (the grid and every parameter)
    OUT/runs/<digest>.json       one record per run (jalverify.experiment-run/1; status "ok" or "error")
    OUT/runs/<digest>.npz        its trace (jalverify-trace/1)
    OUT/summary.json             per game × algorithm: measures with bands, ε reached, notions counted
    OUT/summary.csv              one row per game × algorithm × checkpoint
    OUT/plots/*.svg              learning curves with bands; strategy-simplex trajectories (2×2, 2×3 games)

A run is named by its :meth:`~jalverify.experiments.spec.RunKey.digest`, which covers everything that changes its
numbers, so a re-run of the same (or an extended) campaign skips every run whose record is already there with
status ``ok`` (resume, the default); a run recorded as failed is run again; ``fresh=True`` recomputes every run.
Files are written atomically by the driver as results arrive, so a campaign interrupted (Ctrl-C, a lost worker, a
killed driver) loses no finished run.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from jalverify.errors import InvalidFile
from jalverify.experiments.aggregate import GroupSummary, summarise_group
from jalverify.experiments.runner import RUN_FORMAT, execute_run, learnable_game
from jalverify.experiments.spec import CampaignSpec, RunKey, learner_objects
from jalverify.files import write_bytes_atomically, write_text_atomically
from jalverify.solvers.display import one_line, plural, result_html

__all__ = ["SUMMARY_FORMAT", "CampaignResult", "check_campaign_runs", "run_campaign"]

SUMMARY_FORMAT = "jalverify.experiment/1"


@dataclass(frozen=True)
class CampaignResult:
    """A finished campaign.

    Attributes
    ----------
    spec : CampaignSpec
    output : Path
    total, computed, reused, failed : int
        Runs in the grid; computed now; reused from an earlier run of the campaign; failed (recorded with their
        error).
    seconds : float
    executor : str
        Where the runs were computed.
    groups : list of GroupSummary
        One per game × algorithm, in grid order.
    summary : dict
        The content of ``summary.json``.
    """

    spec: CampaignSpec
    output: Path
    total: int
    computed: int
    reused: int
    failed: int
    seconds: float
    executor: str
    groups: list[GroupSummary]
    summary: dict[str, Any]

    # display (issue 13)
    def to_dict(self) -> dict[str, Any]:
        """The content of ``summary.json``."""
        return self.summary

    def __repr__(self) -> str:
        return one_line("CampaignResult", f"name={self.spec.name!r}", plural(self.total, "run"),
                        f"{self.computed} computed", f"{self.reused} reused", f"{self.failed} failed",
                        plural(len(self.groups), "group"), f"output={str(self.output)!r}")

    def _repr_html_(self) -> str:
        """The runs counted, then every game × algorithm group (curves, per-checkpoint tables, notions counted)."""
        facts = {"runs": f"{self.total} ({self.computed} computed, {self.reused} reused, {self.failed} failed)",
                 "executor": self.executor, "time": f"{self.seconds:.1f} s", "output": str(self.output)}
        return result_html("campaign", f"Campaign {self.spec.name}", [g._repr_html_() for g in self.groups],
                           facts=facts)


def check_campaign_runs(spec: CampaignSpec) -> None:
    """Refuse, before anything runs, a campaign some of whose runs cannot start: a game that cannot be learned
    with the campaign's gamma, a start state the game does not have, a learner that refuses a game.

    Raises
    ------
    InvalidFile
        Naming the game, the algorithm and why.
    """
    from jalverify.errors import BadInput
    from jalverify.learners.by_name import make_learner

    schedule, exploration = learner_objects(spec.learner)
    start = spec.learner.start
    for source in spec.game_sources:
        reference = source.reference
        game = learnable_game(source.location, None if spec.gamma is None else str(spec.gamma))
        if start not in ("uniform", "initial"):
            if start not in game.states:
                raise InvalidFile(f"learner.start {start!r} is not a state of {reference} (states: "
                                  f"{', '.join(game.states[:8])}{' ...' if game.n_states > 8 else ''})")
            if game.terminal[game.state_index(start)]:
                raise InvalidFile(f"learner.start {start!r} is a terminal state of {reference}")
        float_game = game.to_field("float")
        for algorithm in spec.algorithms:
            try:
                make_learner(float_game, algorithm, schedule=schedule, exploration=exploration, seed=0,
                             steps=spec.steps, selection=spec.learner.selection, require=spec.learner.require,
                             reward_scaling=spec.learner.reward_scaling)
            except BadInput as exc:
                raise InvalidFile(f"algorithms: {algorithm} cannot learn {reference}: {exc}") from None


def _read_record(path: Path) -> dict[str, Any] | None:
    """A finished run's record, or None when there is none; a damaged record is an error naming the file."""
    if not path.is_file():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidFile(f"{path}: a damaged run record ({exc}); delete it to recompute the run") from None
    if not isinstance(record, dict) or record.get("format") != RUN_FORMAT or "status" not in record:
        raise InvalidFile(f"{path}: not a {RUN_FORMAT} run record; delete it to recompute the run")
    return record


def _error_record(key: RunKey, error: str, traceback: str | None, attempts: int) -> dict[str, Any]:
    return {"format": RUN_FORMAT, "digest": key.digest(), "key": asdict(key), "status": "error", "error": error,
            "traceback": traceback, "attempts": attempts}


def run_campaign(spec: CampaignSpec, output: str | Path, *, executor: Any = None, fresh: bool = False,
                 progress: Callable[[str], None] | None = None, plots: bool = True) -> CampaignResult:
    """Run every run of ``spec`` not already finished in ``output`` on ``executor`` and summarise.

    Parameters
    ----------
    spec : CampaignSpec
    output : path
        The campaign's folder (created).
    executor : Executor, optional
        :mod:`jalverify.executors` (default: serial, in this process).
    fresh : bool
        Recompute every run (default: resume, skipping finished runs).
    progress : callable, optional
        Receives one-line progress messages (runs done / total, ETA).
    plots : bool
        Draw the plots (needs matplotlib).
    """
    from jalverify.executors import SerialExecutor

    say = progress if progress is not None else (lambda _m: None)
    out = Path(output)
    runs_dir = out / "runs"
    runs_dir.mkdir(parents=True, exist_ok=True)
    write_text_atomically(out / "campaign.json", json.dumps(_campaign_json(spec), indent=2) + "\n")
    keys = spec.runs()
    records: dict[str, dict[str, Any]] = {}
    pending: list[RunKey] = []
    for key in keys:
        record = None if fresh else _read_record(runs_dir / f"{key.digest()}.json")
        if record is not None and record["status"] == "ok":
            records[key.digest()] = record
        else:
            pending.append(key)
    reused = len(records)
    say(f"{len(keys)} runs: {reused} finished earlier, {len(pending)} to compute"
        + (" (--fresh: recomputing all)" if fresh else ""))
    own = executor is None
    ex = SerialExecutor() if own else executor
    t0 = time.perf_counter()
    failed = 0
    try:
        say(f"computing on {ex.description}")
        done = 0
        for outcome in ex.map_unordered(execute_run, pending):
            key = pending[outcome.index]
            digest = key.digest()
            if outcome.ok:
                result = outcome.value
                write_bytes_atomically(runs_dir / f"{digest}.npz", result.trace_npz)
                record = result.record
            else:
                record = _error_record(key, outcome.error or "unknown failure", outcome.traceback, outcome.attempts)
                failed += 1
                say(f"run failed: {key.algorithm} on {key.game}, seed {key.seed}: {outcome.error}")
            write_text_atomically(runs_dir / f"{digest}.json", json.dumps(record, indent=1) + "\n")
            records[digest] = record
            done += 1
            elapsed = time.perf_counter() - t0
            eta = elapsed / done * (len(pending) - done)
            say(f"{reused + done}/{len(keys)} runs ({done} computed now, {failed} failed), {elapsed:.0f} s, "
                f"ETA {eta:.0f} s")
    finally:
        if own:
            ex.close()
    seconds = time.perf_counter() - t0
    epsilon = float(spec.epsilon)
    groups = []
    for game in spec.games:
        for algorithm in spec.algorithms:
            group = [records[k.digest()] for k in keys if k.game == game and k.algorithm == algorithm]
            groups.append(summarise_group(game, algorithm, group, epsilon))
    summary = {"format": SUMMARY_FORMAT, "campaign": _campaign_json(spec), "output": str(out),
               "runs": {"total": len(keys), "computed": len(pending), "reused": reused, "failed": failed},
               "seconds": seconds, "executor": ex.description,
               "groups": [g.to_json() for g in groups]}
    if plots:
        from jalverify.experiments.plots import draw_campaign_plots

        summary["plots"] = [str(p.relative_to(out)) for p in draw_campaign_plots(spec, groups, records, keys,
                                                                                  out / "plots")]
    else:
        summary["plots"] = []
    write_text_atomically(out / "summary.json", json.dumps(summary, indent=1) + "\n")
    write_text_atomically(out / "summary.csv", _csv(groups))
    return CampaignResult(spec, out, len(keys), len(pending), reused, failed, seconds, ex.description, groups,
                          summary)


def _campaign_json(spec: CampaignSpec) -> dict[str, Any]:
    return {"name": spec.name, "games": list(spec.games), "algorithms": list(spec.algorithms),
            "seeds": list(spec.seeds), "steps": spec.steps, "checkpoints": spec.checkpoints, "window": spec.window,
            "gamma": None if spec.gamma is None else str(spec.gamma), "epsilon": str(spec.epsilon),
            "learner": asdict(spec.learner)}


def _csv(groups: list[GroupSummary]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["game", "algorithm", "measure", "step", "mean", "median", "band_low", "band_high", "seeds"])
    for g in groups:
        for name, m in g.measures.items():
            if m is None:
                continue
            for z, step in enumerate(m.steps):
                writer.writerow([g.game, g.algorithm, name, step, repr(m.mean[z]), repr(m.median[z]),
                                 repr(m.low[z]), repr(m.high[z]), len(m.final)])
    return buffer.getvalue()

