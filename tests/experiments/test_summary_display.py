"""Experiment summaries in a notebook (issue 13 §3): one-line ``repr``, self-contained HTML with the per-checkpoint
mean and band table, the notions counted and (with matplotlib) an inline SVG curve; ``to_dict()`` equal to
``summary.json``."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from jalverify.experiments.aggregate import summarise_group
from jalverify.experiments.campaign import run_campaign
from jalverify.experiments.spec import parse_campaign


class Table(HTMLParser):
    """Rows of cell texts of every table, in order, and every element's attributes."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cells: list[tuple[dict[str, Any], str]] = []
        self._row: list[str] | None = None
        self._cell: list[Any] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = [dict(attrs), ""]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append((self._cell[0], self._cell[1].strip()))
            if self._row is not None:
                self._row.append(self._cell[1].strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell[1] += data


def _record(seed: int, values: list[float], verdict: str) -> dict[str, Any]:
    return {"status": "ok", "key": {"seed": seed}, "reference": {"kind": None, "reason": "x"},
            "checkpoints": {"steps": [100 * (k + 1) for k in range(len(values))], "q_error": None,
                            "nash_conv": values, "nash_conv_exact": ["1/3"]},
            "convergence": [{"notion": "policy", "status": verdict}]}


def _check_page(page: str) -> Table:
    assert "<script" not in page.lower()
    assert "http" not in page.lower()
    return Table(page)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.lists(st.floats(0.001, 10.0), min_size=3, max_size=3), min_size=1, max_size=4),
       st.lists(st.sampled_from(["proven", "not_established", "refuted"]), min_size=4, max_size=4))
def test_group_summary_html_shows_the_per_checkpoint_table_and_notion_counts(series: list[list[float]],
                                                                              verdicts: list[str]) -> None:
    records = [_record(seed, values, verdicts[seed]) for seed, values in enumerate(series)]
    group = summarise_group("catalog:g", "alg", records, epsilon=0.5)
    m = group.measures["nash_conv"]
    assert m is not None
    table = _check_page(group._repr_html_())
    # the per-checkpoint rows: step, mean, median, band low, band high (four significant digits)
    for k, step in enumerate(m.steps):
        assert [str(step), f"{m.mean[k]:.4g}", f"{m.median[k]:.4g}", f"{m.low[k]:.4g}", f"{m.high[k]:.4g}"] in table.rows
    # the notions counted: one cell per verdict word present, holding the number of seeds
    for attrs, text in table.cells:
        if "data-notion" in attrs:
            assert int(text) == group.notions[attrs["data-notion"]].get(attrs["data-verdict"], 0)
    counted = {(a["data-notion"], a["data-verdict"]): int(t) for a, t in table.cells if "data-notion" in a}
    assert sum(counted.values()) == len(series)
    for obj in (group, m):
        text = repr(obj)
        assert "\n" not in text and "array(" not in text and "Fraction(" not in text
    assert group.to_dict() == group.to_json()
    assert json.loads(json.dumps(group.to_dict())) == group.to_dict()


def test_campaign_summary_to_dict_is_summary_json_and_html_has_the_curves(tmp_path: Path) -> None:
    spec = parse_campaign({"name": "small", "games": ["catalog:matching_pennies"], "algorithms": ["minimax-q"],
                           "seeds": {"start": 0, "count": 2}, "steps": 300, "checkpoints": 3, "gamma": "1/2"})
    result = run_campaign(spec, tmp_path, plots=False)
    written = json.loads((tmp_path / "summary.json").read_text())
    assert result.to_dict() == written
    assert [g.to_dict() for g in result.groups] == written["groups"]
    text = repr(result)
    assert "\n" not in text and "'small'" in text and "2 runs" in text
    page = result._repr_html_()
    table = _check_page(page)
    group = result.groups[0]
    for measure in group.measures.values():
        if measure is not None:
            assert [str(measure.steps[-1]), f"{measure.mean[-1]:.4g}", f"{measure.median[-1]:.4g}",
                    f"{measure.low[-1]:.4g}", f"{measure.high[-1]:.4g}"] in table.rows
    import importlib.util

    if importlib.util.find_spec("matplotlib") is not None:
        assert page.count("<svg") == 1 and "xmlns" not in page
    else:
        assert "matplotlib is not installed" in page
