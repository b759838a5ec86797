"""Figures of the HTML reports, drawn by matplotlib as inline SVG (text drawn as paths: no font is fetched).

* :func:`curves_svg`: learning curves over steps (log scale where asked), one line per series with an optional
  band (the 95% Student-t band of :mod:`jalverify.experiments.aggregate`) and a tolerance line;
* :func:`components_svg`: the Nash equilibrium set of a 2×n (or n×2) bimatrix game, component by component
  (Avis, Rosenberg, Savani & von Stengel 2010, §2): for 2×2 the unit square of (P(row's first action),
  P(column's first action)) with each maximal Nash subset drawn as a point, segment or rectangle; for 2×3 the
  two-action player's interval beside the three-action player's simplex; for 2×n (n > 3) the interval only;
* :func:`cycle_svg`: the values of a periodic orbit of value iteration per state over the iterations, the
  period marked (the NoSDE cycle of Zinkevich, Greenwald & Littman 2005).

matplotlib is the ``plot`` extra (``pip install 'jalverify[plot]'``); without it these raise
:class:`~jalverify.errors.MissingExtra` naming the extra.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from jalverify.errors import InvalidFile, MissingExtra, UnsupportedGame

__all__ = ["components_svg", "curves_svg", "cycle_svg", "inline_svg"]


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError as exc:
        raise MissingExtra("HTML reports draw their figures with matplotlib: pip install 'jalverify[plot]'") from exc
    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "path"
    matplotlib.rcParams["svg.hashsalt"] = "jalverify"
    import matplotlib.pyplot as plt

    return plt


def inline_svg(text: str) -> str:
    """An SVG document as an element to inline in HTML: the XML declaration, DOCTYPE and comments dropped."""
    start = text.find("<svg")
    if start < 0:
        raise InvalidFile("not an SVG document (no <svg> element)")
    return re.sub(r"<!--.*?-->", "", text[start:], flags=re.S).strip()


def _svg_of(fig: Any) -> str:
    plt = _pyplot()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "jalverify"})
    plt.close(fig)
    return inline_svg(buffer.getvalue())


def curves_svg(steps: Sequence[float], series: Mapping[str, Sequence[float]], *, ylabel: str, title: str = "",
               log: bool = True, bands: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None,
               tolerance: float | None = None) -> str:
    """Curves of ``series`` (label → values per step) over ``steps``; on a log scale, values ≤ 0 are drawn at a
    floor below the smallest positive value (said in the legend)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.6, 3.4))
    x = np.asarray(steps, dtype=np.float64)
    positive = [v for values in series.values() for v in np.asarray(values, dtype=np.float64) if v > 0]
    if tolerance is not None and tolerance > 0:
        positive.append(tolerance)
    floor = 0.3 * min(positive) if (log and positive) else None
    clipped = False
    for label, values in series.items():
        y = np.asarray(values, dtype=np.float64)
        if floor is not None:
            clipped = clipped or bool(np.any(y < floor))
            y = np.maximum(y, floor)
        line, = ax.plot(x[: len(y)], y, lw=1.4, label=label)
        if bands and label in bands:
            low, high = (np.asarray(v, dtype=np.float64) for v in bands[label])
            if floor is not None:
                low, high = np.maximum(low, floor), np.maximum(high, floor)
            ax.fill_between(x[: len(low)], low, high, color=line.get_color(), alpha=0.2, lw=0,
                            label=f"{label}: 95% band")
    if tolerance is not None:
        ax.axhline(tolerance, color="0.4", ls="--", lw=0.8, label=f"ε = {tolerance:g}")
    if log and positive:
        ax.set_yscale("log")
    if clipped:
        ax.plot([], [], " ", label=f"values ≤ {floor:.2g} drawn at {floor:.2g}")
    ax.set_xlabel("step")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return _svg_of(fig)


def _barycentric(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return points[:, 1] + 0.5 * points[:, 2], (np.sqrt(3) / 2) * points[:, 2]


def components_svg(subsets: Sequence[Sequence[tuple[Sequence[Sequence[float]], Sequence[Sequence[float]]]]],
                   actions: Sequence[Sequence[str]], players: Sequence[str]) -> str:
    """The equilibrium set of a 2×n game: ``subsets[c]`` lists the maximal Nash subsets of component ``c``, each
    as (extreme row strategies, extreme column strategies); the two-action player may be either."""
    plt = _pyplot()
    sizes = [len(a) for a in actions]
    if 2 not in sizes:
        raise UnsupportedGame(f"components are drawn for 2×n games only, not {sizes[0]}×{sizes[1]}")
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    if sizes == [2, 2]:
        fig, ax = plt.subplots(figsize=(4.2, 4.0))
        for c, component in enumerate(subsets):
            colour = colours[c % len(colours)]
            for k, (xs, ys) in enumerate(component):
                px = [float(v[0]) for v in xs]
                py = [float(v[0]) for v in ys]
                label = f"component {c + 1}" if k == 0 else None
                if len(set(px)) == 1 and len(set(py)) == 1:
                    ax.plot(px[:1], py[:1], "o", color=colour, ms=8, label=label)
                else:
                    ax.add_patch(plt.Rectangle((min(px), min(py)), max(px) - min(px), max(py) - min(py),
                                               fill=len(set(px)) > 1 and len(set(py)) > 1, alpha=0.35,
                                               fc=colour, ec=colour, lw=3, label=label))
        ax.set_xlim(-0.04, 1.04)
        ax.set_ylim(-0.04, 1.04)
        ax.set_xlabel(f"P({players[0]} plays {actions[0][0]})")
        ax.set_ylabel(f"P({players[1]} plays {actions[1][0]})")
        ax.legend(fontsize=7, loc="best")
        ax.set_title("Nash equilibrium set by component", fontsize=9)
        fig.tight_layout()
        return _svg_of(fig)
    two = 0 if sizes[0] == 2 else 1
    other = 1 - two
    wide = sizes[other] == 3
    fig, axes = plt.subplots(1, 2 if wide else 1, figsize=(8.0 if wide else 4.6, 3.6), squeeze=False)
    line = axes[0][0]
    for c, component in enumerate(subsets):
        colour = colours[c % len(colours)]
        for k, subset in enumerate(component):
            p = [float(v[0]) for v in subset[two]]
            line.plot([min(p), max(p)], [c + 1, c + 1], "-o", color=colour, lw=4, ms=6,
                      label=f"component {c + 1}" if k == 0 else None)
    line.set_xlim(-0.04, 1.04)
    line.set_ylim(0.4, len(subsets) + 0.6)
    line.set_yticks(range(1, len(subsets) + 1))
    line.set_ylabel("component")
    line.set_xlabel(f"P({players[two]} plays {actions[two][0]})")
    line.set_title(f"{players[two]}'s equilibrium strategies", fontsize=9)
    if wide:
        ax = axes[0][1]
        ax.plot([0, 1, 0.5, 0], [0, 0, np.sqrt(3) / 2, 0], color="0.5", lw=0.8)
        for k, (x, y) in enumerate(((0, 0), (1, 0), (0.5, np.sqrt(3) / 2))):
            ax.annotate(actions[other][k], (x, y), textcoords="offset points", xytext=(0, -11 if k < 2 else 4),
                        ha="center", fontsize=8)
        for c, component in enumerate(subsets):
            colour = colours[c % len(colours)]
            for subset in component:
                points = np.asarray([[float(v) for v in s] for s in subset[other]], dtype=np.float64)
                x, y = _barycentric(points)
                if len(points) >= 3:
                    ax.fill(x, y, color=colour, alpha=0.35)
                ax.plot(np.append(x, x[:1]) if len(points) > 2 else x, np.append(y, y[:1]) if len(points) > 2 else y,
                        "-o", color=colour, lw=2.5, ms=5)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(f"{players[other]}'s equilibrium strategies (simplex)", fontsize=9)
    fig.tight_layout()
    return _svg_of(fig)


def cycle_svg(values: Sequence[Sequence[float]], labels: Sequence[str], *, start: int, period: int,
              ylabel: str = "value") -> str:
    """``values[t][j]`` over the iterations t (from ``start``), one line per label, the period shaded."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.6, 3.2))
    data = np.asarray(values, dtype=np.float64)
    t = np.arange(start, start + len(data))
    for j, label in enumerate(labels):
        ax.plot(t, data[:, j], "-o", ms=3, lw=1.2, label=label)
    for k in range(start, start + len(data), max(period, 1) * 2):
        ax.axvspan(k, min(k + period, start + len(data) - 1), color="0.9", lw=0)
    ax.set_xlabel("value-iteration step")
    ax.set_ylabel(ylabel)
    ax.set_title(f"periodic orbit: period {period} (shaded every other period)", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return _svg_of(fig)
