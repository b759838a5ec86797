"""The HTML reports of ``--html`` and ``jalverify report`` opened in headless Chromium (issue 13 §5): no console
error, no request leaves the page, every figure and table renders, the verdict table sorts on a click, the verdict
words' meanings open, and a screenshot of each page is kept as an artefact."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pagecheck import click_sort, details_opens, table_rows

REPO = Path(__file__).resolve().parents[2]


def _jalverify(*args: str, cwd: Path) -> None:
    exe = shutil.which("jalverify", path=str(Path(sys.executable).parent)) or shutil.which("jalverify")
    command = [exe] if exe else [sys.executable, "-m", "jalverify"]
    done = subprocess.run(command + list(args), cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("html-reports")
    _jalverify("verify", "--theorem", "minimax.*", "--seed", "3", "--reports-dir", "cx", "--html", "verify.html",
               cwd=folder)
    _jalverify("verify", "--theorem", "correlated.cce_is_ce", "--seed", "3", "--reports-dir", "cx", "--html",
               "ce.html", cwd=folder)
    _jalverify("report", str(REPO / "counterexamples"), "--output", str(folder / "committed.html"), cwd=folder)
    _jalverify("report", str(REPO / "examples" / "campaigns" / "results"), "--output", str(folder / "campaign.html"),
               cwd=folder)
    _jalverify("nosde", "catalog:nosde", "--pair", "--out", "prime.json", "--html", "pair.html", cwd=folder)
    _jalverify("nosde", "catalog:nosde", "--cycle", "--html", "cycle.html", cwd=folder)
    return {name: folder / f"{name}.html" for name in ("verify", "ce", "committed", "campaign", "pair", "cycle")}


@pytest.mark.parametrize("name", ["verify", "ce", "committed", "campaign", "pair", "cycle"])
def test_report_renders_cleanly_offline(pages: dict[str, Path], check_page, name: str) -> None:
    result = check_page(pages[name], name=f"report-{name}")
    result.assert_clean()
    assert result.tables >= 1
    assert result.screenshot.is_file() and result.screenshot.stat().st_size > 2000


def test_verdict_table_sorts_and_meanings_open(pages: dict[str, Path], open_page) -> None:
    with open_page(pages["verify"]) as opened:
        before = table_rows(opened.page, "table.sortable")
        ascending = click_sort(opened.page, "verdict", "table.sortable")
        descending = click_sort(opened.page, "verdict", "table.sortable")
        assert sorted(map(tuple, before)) == sorted(map(tuple, ascending))  # same rows, reordered
        verdict_column = [row[2] for row in ascending]
        assert verdict_column == sorted(verdict_column, key=str.lower)
        assert [row[2] for row in descending] == verdict_column[::-1]  # ties keep their order (stable sort)
        assert details_opens(opened.page, "details")
        opened.page.click("a.badge >> nth=0")  # a verdict word jumps to its meaning on the page
        assert opened.page.evaluate("location.hash").startswith("#verdict-")
        opened.assert_clean()


def test_counterexample_cell_is_highlighted_with_its_note(pages: dict[str, Path], open_page) -> None:
    with open_page(pages["ce"]) as opened:
        cells = opened.page.locator("td[data-mark]")
        assert cells.count() >= 1
        notes = [cells.nth(k).get_attribute("title") or "" for k in range(cells.count())]
        assert any("recommended" in note for note in notes)
        opened.assert_clean()
