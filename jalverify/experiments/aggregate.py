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

from jalverify.solvers.display import (
    CELL_STYLE,
    HEAD_STYLE,
    TABLE_STYLE,
    escape,
    one_line,
    plural,
    result_html,
    table_html,
)
from jalverify.verdicts import STATUS_COLOURS, VERDICT_MEANINGS, Status

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

    # display (issue 13)
    def to_dict(self) -> dict[str, Any]:
        """The same as :meth:`to_json` (the measure's entry in ``summary.json``)."""
        return self.to_json()

    def __repr__(self) -> str:
        last = f"final mean {self.mean[-1]:.4g}" if self.mean else "no checkpoints"
        return one_line("MeasureSummary", plural(len(self.steps), "checkpoint"), plural(len(self.final), "seed"),
                        last, f"{self.reached} reaching ε")

    def table_html(self, name: str = "") -> str:
        """Per checkpoint: step, mean, median and the 95% band of the mean (floats, four significant digits)."""
        rows = [[str(step), f"{m:.4g}", f"{md:.4g}", f"{lo:.4g}", f"{hi:.4g}"]
                for step, m, md, lo, hi in zip(self.steps, self.mean, self.median, self.low, self.high)]
        caption = f"{name}: mean over {plural(len(self.final), 'seed')} with its 95% band" if name else ""
        return table_html(["step", "mean", "median", "band low", "band high"], rows, caption=caption)

    def _repr_html_(self) -> str:
        """The per-checkpoint table, the curve with its band (inline SVG when matplotlib is installed) and the
        seeds reaching ε."""
        median = self.median_steps_to_epsilon
        parts = [_curve_svg({"": self}), self.table_html(),
                 f"<div>{self.reached} of {plural(len(self.final), 'seed')} reach ε"
                 + (f" (median {median:g} steps)" if median is not None else "") + "</div>"]
        return result_html("measure-summary", "Measure over seeds", parts)


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

    # display (issue 13)
    def to_dict(self) -> dict[str, Any]:
        """The same as :meth:`to_json` (the group's entry in ``summary.json``)."""
        return self.to_json()

    def __repr__(self) -> str:
        nc = self.measures.get("nash_conv")
        final = f"final mean NashConv {nc.mean[-1]:.4g}" if nc is not None and nc.mean else ""
        return one_line("GroupSummary", f"game={self.game!r}", f"algorithm={self.algorithm!r}",
                        plural(len(self.seeds), "seed"), f"{len(self.failed)} failed" if self.failed else "", final)

    def notions_html(self) -> str:
        """Per convergence notion, the number of seeds per verdict word (the words in their colours)."""
        words = [st for st in Status if any(st.value in counts for counts in self.notions.values())]
        head = "".join(f'<th style="{HEAD_STYLE};color:{STATUS_COLOURS[st]}" title="{escape(VERDICT_MEANINGS[st.value])}">'
                       f"{escape(st.words)}</th>" for st in words)
        rows = "".join(f'<tr><th style="{HEAD_STYLE};text-align:left">{escape(notion)}</th>'
                       + "".join(f'<td style="{CELL_STYLE}" data-notion="{escape(notion)}" data-verdict="{st.value}">'
                                 f"{counts.get(st.value, 0)}</td>" for st in words) + "</tr>"
                       for notion, counts in self.notions.items())
        return (f'<table style="{TABLE_STYLE}"><caption>convergence verdicts (seeds per verdict)</caption>'
                f'<tr><th style="{HEAD_STYLE}">notion</th>{head}</tr>{rows}</table>')

    def _repr_html_(self) -> str:
        """The learning curves (inline SVG when matplotlib is installed), per measure the per-checkpoint mean,
        median and 95% band, the seeds reaching ε, the convergence verdicts counted and the failed runs."""
        present = {k: m for k, m in self.measures.items() if m is not None}
        parts = [_curve_svg({MEASURES[k]: m for k, m in present.items()})]
        for k, m in present.items():
            median = m.median_steps_to_epsilon
            parts.append(m.table_html(MEASURES[k]))
            parts.append(f"<div>{escape(MEASURES[k])}: {m.reached} of {plural(len(m.final), 'seed')} reach ε"
                         + (f" (median {median:g} steps)" if median is not None else "") + "</div>")
        for k in self.measures:
            if k not in present:
                parts.append(f"<div>{escape(MEASURES[k])}: not measured (no exact reference, or no finished run)</div>")
        if self.notions:
            parts.append(self.notions_html())
        if self.final_nash_conv_exact:
            parts.append(table_html(["seed", "final NashConv (exact)"],
                                    [[str(seed), v] for seed, v in zip(self.seeds, self.final_nash_conv_exact)]))
        if self.failed:
            parts.append(table_html(["failed seed", "error"], [[str(f["seed"]), str(f["error"])] for f in self.failed]))
        return result_html("group-summary", f"{self.algorithm} on {self.game}", parts,
                           facts={"seeds": ", ".join(str(x) for x in self.seeds) or "none finished",
                                  "failed": str(len(self.failed))})


def _svg_text(fig: Any) -> str:
    """A matplotlib figure as an inline ``<svg>`` element: no XML prolog, no DOCTYPE, no metadata, no namespace
    declarations (HTML5 does not need them), so the page names no external address."""
    import io
    import re

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Creator": None, "Date": None, "Format": None, "Type": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.DOTALL)
    return re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", text)


def _curve_svg(measures: dict[str, MeasureSummary]) -> str:
    """The measures' mean curves with their 95% bands (log scale) as inline SVG, or a sentence saying that
    matplotlib is not installed (the tables carry the numbers either way)."""
    import importlib.util

    if not measures:
        return ""
    if importlib.util.find_spec("matplotlib") is None:
        return "<div>(matplotlib is not installed: the curves are shown as tables only)</div>"
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(measures), figsize=(3.6 * len(measures), 2.6), squeeze=False)
    try:
        for ax, (name, m) in zip(axes[0], measures.items()):
            positive = all(v > 0 for v in m.low + m.mean)
            ax.plot(m.steps, m.mean, color="#1f5fa8", label="mean")
            ax.fill_between(m.steps, m.low, m.high, color="#1f5fa8", alpha=0.2, label="95% band")
            if positive:
                ax.set_yscale("log")
            ax.set_xlabel("step")
            if name:
                ax.set_title(name, fontsize=9)
        fig.tight_layout()
        return f'<div class="jalverify-curves">{_svg_text(fig)}</div>'
    finally:
        plt.close(fig)


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
