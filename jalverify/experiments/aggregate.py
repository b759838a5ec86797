"""Aggregating a campaign's runs over seeds: per algorithm × game, per checkpoint, the mean, the median and a 95%
confidence band of the mean; the fraction of seeds that reach ε and the steps they need; the convergence verdicts
counted.

The band is the two-sided 95% Student-t confidence interval of the mean over seeds,
``mean ± t_{0.975, n−1} · s / √n`` (``s`` the sample standard deviation; Student 1908), clipped below at 0 for
the non-negative measures (errors, NashConv); with one seed there is no band (``low = high = mean``) and the
summary says so.  A seed *reaches* ε on a measure when, from some checkpoint on, the measure stays ≤ ε to the end
of the run (a single dip below ε does not count); its *steps to ε* is the step of that checkpoint.  The measures:
``q_error`` (max |Q − Q*| against the exact reference, where the game has one) and ``nash_conv`` (the NashConv of
the rounded learned policy at μ: exact where every checkpoint is evaluated exactly, else floats at intermediate
checkpoints, as each run records).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["MEASURES", "GroupSummary", "MeasureSummary", "steps_to_epsilon", "summarise_group"]

#: The per-checkpoint measures aggregated, with their names.
MEASURES = {"q_error": "max |Q − Q*|", "nash_conv": "NashConv at μ"}


@dataclass(frozen=True)
class MeasureSummary:
    """One measure of one algorithm × game over seeds.

    Attributes
    ----------
    steps : list of int
        Checkpoint steps.
    mean, median, low, high : list of float
        Per checkpoint: mean, median and the 95% band of the mean over seeds.
    final : list of float
        The final value of every seed (seed order).
    reached : int
        Seeds that reach ε (module docstring).
    steps_to_epsilon : list of int or None
        Per seed, the step from which the measure stays ≤ ε, or None when it does not.
    """

    steps: list[int]
    mean: list[float]
    median: list[float]
    low: list[float]
    high: list[float]
    final: list[float]
    reached: int
    steps_to_epsilon: list[int | None]

    @property
    def median_steps_to_epsilon(self) -> float | None:
        """The median steps to ε of the seeds that reach it, or None when none does."""
        reached = [s for s in self.steps_to_epsilon if s is not None]
        return float(np.median(reached)) if reached else None

    def to_json(self) -> dict[str, Any]:
        return {"steps": self.steps, "mean": self.mean, "median": self.median, "band_low": self.low,
                "band_high": self.high, "final": self.final, "seeds_reaching_epsilon": self.reached,
                "fraction_reaching_epsilon": self.reached / len(self.final) if self.final else 0.0,
                "steps_to_epsilon": self.steps_to_epsilon,
                "median_steps_to_epsilon": self.median_steps_to_epsilon}


@dataclass(frozen=True)
class GroupSummary:
    """One algorithm on one game over its seeds.

    Attributes
    ----------
    game, algorithm : str
    seeds : list of int
        Seeds of the runs that finished.
    failed : list of dict
        ``{"seed", "error"}`` of the runs that failed.
    measures : dict
        ``{"q_error": MeasureSummary or None, "nash_conv": MeasureSummary}``.
    notions : dict
        Per convergence notion, the number of seeds per verdict word.
    final_nash_conv_exact : list of str
        The exact final NashConv per seed (fractions).
    reference : dict
        The game's reference as the runs record it.
    """

    game: str
    algorithm: str
    seeds: list[int]
    failed: list[dict[str, Any]]
    measures: dict[str, MeasureSummary | None]
    notions: dict[str, dict[str, int]]
    final_nash_conv_exact: list[str]
    reference: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        return {"game": self.game, "algorithm": self.algorithm, "seeds": self.seeds, "failed": self.failed,
                "reference": self.reference,
                "measures": {k: (None if m is None else m.to_json()) for k, m in self.measures.items()},
                "convergence": self.notions, "final_nash_conv_exact": self.final_nash_conv_exact}


def steps_to_epsilon(values: Sequence[float], steps: Sequence[int], epsilon: float) -> int | None:
    """The first checkpoint step from which every value is ≤ ``epsilon`` to the end, or None."""
    index: int | None = None
    for z, v in enumerate(values):
        if v <= epsilon:
            if index is None:
                index = z
        else:
            index = None
    return None if index is None else int(steps[index])


def _band(matrix: np.ndarray, clip_at_zero: bool) -> tuple[list[float], list[float], list[float], list[float]]:
    from scipy.stats import t as student_t

    n = matrix.shape[0]
    mean = matrix.mean(axis=0)
    median = np.median(matrix, axis=0)
    if n < 2:
        low = high = mean
    else:
        half = float(student_t.ppf(0.975, n - 1)) * matrix.std(axis=0, ddof=1) / math.sqrt(n)
        low, high = mean - half, mean + half
        if clip_at_zero:
            low = np.maximum(low, 0.0)
    return mean.tolist(), median.tolist(), low.tolist(), high.tolist()


def _measure(records: Sequence[dict[str, Any]], key: str, epsilon: float) -> MeasureSummary | None:
    series = [r["checkpoints"][key] for r in records]
    if any(s is None for s in series):
        return None
    steps = records[0]["checkpoints"]["steps"]
    matrix = np.asarray(series, dtype=np.float64)
    mean, median, low, high = _band(matrix, clip_at_zero=True)
    to_eps = [steps_to_epsilon(row, steps, epsilon) for row in matrix.tolist()]
    return MeasureSummary(list(steps), mean, median, low, high, [float(row[-1]) for row in matrix],
                          sum(1 for s in to_eps if s is not None), to_eps)


def summarise_group(game: str, algorithm: str, records: Sequence[dict[str, Any]], epsilon: float) -> GroupSummary:
    """Aggregate the records of one algorithm × game (module docstring); failed runs are listed, not averaged."""
    ok = sorted((r for r in records if r["status"] == "ok"), key=lambda r: r["key"]["seed"])
    failed = [{"seed": r["key"]["seed"], "error": r["error"]} for r in records if r["status"] != "ok"]
    measures: dict[str, MeasureSummary | None] = {k: (_measure(ok, k, epsilon) if ok else None) for k in MEASURES}
    notions: dict[str, dict[str, int]] = {}
    for r in ok:
        for v in r["convergence"]:
            counts = notions.setdefault(v["notion"], {})
            counts[v["status"]] = counts.get(v["status"], 0) + 1
    return GroupSummary(game, algorithm, [r["key"]["seed"] for r in ok], failed, measures, notions,
                        [r["checkpoints"]["nash_conv_exact"][-1] for r in ok],
                        ok[0]["reference"] if ok else None)
