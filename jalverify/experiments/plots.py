"""Plots of a campaign (SVG, matplotlib): learning curves with 95% bands, and policy trajectories on the strategy
simplex.

* ``curves-<game>.svg``: per game, one panel per measure (max |Q − Q*| against the exact reference where the game
  has one; NashConv of the rounded learned policy at μ), log scale, one line per algorithm (mean over seeds) with
  its 95% band (:mod:`jalverify.experiments.aggregate`) and the tolerance ε drawn;
* ``simplex-<game>-<algorithm>.svg``: for a repeated 2×2 game, the unit square (P(row plays its first action),
  P(column plays its first action)); for 2×3 / 3×2 games, the three-action player's simplex (a triangle, barycentric
  coordinates) with the two-action player's probability of its first action as colour; one trajectory per seed,
  start and end marked, and the exact equilibrium set of the reference (zero-sum: the product of the optimal
  strategy sets) drawn where it is known.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from jalverify.experiments.aggregate import MEASURES, GroupSummary

__all__ = ["draw_campaign_plots", "draw_curves", "plot_slug"]


def plot_slug(text: str) -> str:
    """The part of a plot's file name that names a game or an algorithm (``simplex-<game>-<algorithm>.svg``)."""
    base = text.split(":", 1)[-1]
    base = Path(base).stem if "/" in base or base.endswith((".json", ".nfg")) else base
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", base).strip("_") or "game"


def draw_campaign_plots(spec: Any, groups: Sequence[GroupSummary], records: dict[str, dict[str, Any]],
                        keys: Sequence[Any], folder: Path) -> list[Path]:
    """Draw every plot of the campaign into ``folder`` (created); returns the files written."""
    import matplotlib

    matplotlib.use("Agg")
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    epsilon = float(spec.epsilon)
    for game in spec.games:
        mine = [g for g in groups if g.game == game and g.seeds]
        if mine:
            written.append(draw_curves(game, mine, epsilon, folder / f"curves-{plot_slug(game)}.svg"))
        for algorithm in spec.algorithms:
            runs = [records[k.digest()] for k in keys if k.game == game and k.algorithm == algorithm]
            runs = [r for r in runs if r["status"] == "ok" and r.get("trajectory")]
            if runs:
                written.append(_simplex(game, algorithm, runs,
                                        folder / f"simplex-{plot_slug(game)}-{plot_slug(algorithm)}.svg"))
    return written


def draw_curves(title: str, groups: Sequence[GroupSummary], epsilon: float, path: Path) -> Path:
    """Draw the learning curves of ``groups`` (one panel per measure, log scale, mean over seeds with its 95% band
    and the tolerance ε) into the SVG ``path``; returns ``path``.

    Parameters
    ----------
    title : str
        Title of the figure (the game; ``jalverify learn`` names the algorithm and seed too).
    groups : sequence of GroupSummary
        One line per group (:func:`jalverify.experiments.aggregate.summarise_group`).
    epsilon : float
        The tolerance ε, drawn as a dashed line.
    path : Path
        Where the SVG is written.
    """
    import matplotlib.pyplot as plt

    measures = [m for m in MEASURES if any(g.measures[m] is not None for g in groups)]
    fig, axes = plt.subplots(1, len(measures), figsize=(5.2 * len(measures), 3.6), squeeze=False)
    for ax, measure in zip(axes[0], measures):
        for g in groups:
            m = g.measures[measure]
            if m is None:
                continue
            steps = np.asarray(m.steps, dtype=np.float64)
            floor = 1e-12
            line, = ax.plot(steps, np.maximum(m.mean, floor), lw=1.4, label=f"{g.algorithm} ({len(m.final)} seeds)")
            ax.fill_between(steps, np.maximum(m.low, floor), np.maximum(m.high, floor), color=line.get_color(),
                            alpha=0.2, lw=0)
        ax.axhline(epsilon, color="0.4", ls="--", lw=0.8, label=f"ε = {epsilon:g}")
        ax.set_yscale("log")
        positive = [v for g in groups if g.measures[measure] is not None for v in g.measures[measure].mean if v > 0]
        ax.set_ylim(bottom=0.3 * min(positive + [epsilon]))  # a band reaching 0 is cut here, not at 1e-12
        ax.set_xlabel("step")
        ax.set_ylabel(MEASURES[measure])
        ax.set_title(f"{MEASURES[measure]}: mean over seeds, 95% band", fontsize=9)
        ax.legend(fontsize=7)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _barycentric(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points of the 2-simplex (rows of ``p``) in the plane: vertices (0, 0), (1, 0), (1/2, √3/2)."""
    return p[:, 1] + 0.5 * p[:, 2], (np.sqrt(3) / 2) * p[:, 2]


def _simplex(game: str, algorithm: str, runs: Sequence[dict[str, Any]], path: Path) -> Path:
    import matplotlib.pyplot as plt

    first = runs[0]["trajectory"]
    actions = first["actions"]
    sizes = [len(a) for a in actions]
    fig, ax = plt.subplots(figsize=(4.6, 4.2))
    players = runs[0]["players"]
    eq = first.get("equilibrium_set")
    if sizes == [2, 2]:
        for r in runs:
            row, col = (np.asarray(m, dtype=np.float64) for m in r["trajectory"]["marginals"])
            ax.plot(row[:, 0], col[:, 0], lw=0.8, alpha=0.7)
            ax.plot(row[0, 0], col[0, 0], "o", ms=3, color="0.3")
            ax.plot(row[-1, 0], col[-1, 0], "x", ms=5, color="k")
        if eq is not None:
            xs = [v[0] for v in eq["vertices"][0]]
            ys = [v[0] for v in eq["vertices"][1]]
            ax.add_patch(plt.Rectangle((min(xs), min(ys)), max(xs) - min(xs) or 0.01, max(ys) - min(ys) or 0.01,
                                       fill=False, ec="red", lw=1.5, label="exact equilibrium set"))
            ax.plot([(min(xs) + max(xs)) / 2], [(min(ys) + max(ys)) / 2], "*", color="red", ms=9)
            ax.legend(fontsize=7, loc="upper right")
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(f"P({players[0]} plays {actions[0][0]})")
        ax.set_ylabel(f"P({players[1]} plays {actions[1][0]})")
    else:
        three = 0 if sizes[0] == 3 else 1
        two = 1 - three
        ax.plot([0, 1, 0.5, 0], [0, 0, np.sqrt(3) / 2, 0], color="0.5", lw=0.8)
        for k, (x, y) in enumerate(((0, 0), (1, 0), (0.5, np.sqrt(3) / 2))):
            ax.annotate(actions[three][k], (x, y), textcoords="offset points", xytext=(0, -10 if k < 2 else 4),
                        ha="center", fontsize=8)
        points = None
        for r in runs:
            m = [np.asarray(v, dtype=np.float64) for v in r["trajectory"]["marginals"]]
            x, y = _barycentric(m[three])
            ax.plot(x, y, lw=0.6, alpha=0.5, color="0.5")
            points = ax.scatter(x, y, c=m[two][:, 0], cmap="viridis", vmin=0, vmax=1, s=6)
            ax.plot(x[-1], y[-1], "x", ms=5, color="k")
        if points is not None:
            fig.colorbar(points, ax=ax, label=f"P({players[two]} plays {actions[two][0]})")
        if eq is not None:
            verts = np.asarray(eq["vertices"][three], dtype=np.float64)
            x, y = _barycentric(verts)
            ax.plot(x, y, "*", color="red", ms=9, label="exact optimal strategies (vertices)")
            ax.legend(fontsize=7, loc="upper right")
        ax.set_aspect("equal")
        ax.axis("off")
    ax.set_title(f"{algorithm} on {game}\npolicy per checkpoint, {len(runs)} seeds (o start, x end)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
