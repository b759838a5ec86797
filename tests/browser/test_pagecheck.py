"""The browser-test helper (:mod:`pagecheck`) on small pages written for each rule, then on the HTML jalverify
produces today: the notebook displays (``_repr_html_``) of every catalog game and of verdicts of every status."""

from __future__ import annotations

import html
from fractions import Fraction
from pathlib import Path

import pagecheck
import pytest
from pagecheck import click_sort, details_opens, table_rows

from jalverify.games.catalog import load, names
from jalverify.verdicts import Status, Verdict

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def write_page(folder: Path, name: str, body: str, head: str = "") -> Path:
    """A minimal HTML5 page with ``body``, saved as ``folder/name.html``."""
    path = folder / f"{name}.html"
    path.write_text(f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(name)}</title>'
                    f"{head}</head><body>{body}</body></html>\n", encoding="utf-8")
    return path


CLEAN_BODY = ("<h1>Report</h1><table><thead><tr><th>claim</th><th>verdict</th></tr></thead>"
              "<tbody><tr><td>minimax.value_unique</td><td>proven</td></tr></tbody></table>"
              '<svg width="40" height="20" viewBox="0 0 40 20"><rect width="40" height="20" fill="teal"/></svg>'
              '<svg style="display:none"><defs><symbol id="dot"><circle r="2"/></symbol></defs></svg>'
              '<img alt="dot" src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%224%22 '
              'height=%224%22%3E%3Crect width=%224%22 height=%224%22/%3E%3C/svg%3E">'
              "<details><summary>more</summary><table><tr><td>1/3</td></tr></table></details>"
              "<script>document.title = 'ran';</script>")


def test_missing_chromium_skips_locally_and_fails_on_ci(tmp_path, monkeypatch):
    monkeypatch.setattr(pagecheck, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium is absent"):
        pagecheck.require_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="must run on CI"):
        pagecheck.require_chromium()
    (tmp_path / "chromium").write_text("", encoding="utf-8")
    assert pagecheck.require_chromium() == tmp_path / "chromium"


def test_clean_page_passes(tmp_path, check_page):
    result = check_page(write_page(tmp_path, "clean", CLEAN_BODY))
    assert result.problems() == []
    assert result.ok
    result.assert_clean()
    assert result.tables == 2


def test_console_error_is_caught(tmp_path, check_page):
    result = check_page(write_page(tmp_path, "console", '<p>text</p><script>console.error("x")</script>'))
    assert len(result.console_errors) == 1 and result.console_errors[0].startswith("x ")
    assert not result.ok
    with pytest.raises(AssertionError, match="console error: x"):
        result.assert_clean()


def test_uncaught_exception_is_caught(tmp_path, check_page):
    body = "<p>text</p><script>function f() { throw new TypeError('no such column'); } f();</script>"
    result = check_page(write_page(tmp_path, "throws", body))
    assert result.page_errors == ("TypeError: no such column",)
    assert not result.ok


def test_external_image_is_a_request_and_a_broken_image(tmp_path, check_page):
    result = check_page(write_page(tmp_path, "external", '<img alt="plot" src="https://example.com/a.png">'))
    assert result.requests == ("https://example.com/a.png",)
    assert result.broken_images == ("https://example.com/a.png",)
    problems = result.problems()
    assert "network request: https://example.com/a.png" in problems
    assert "image not rendered: https://example.com/a.png" in problems


def test_every_kind_of_request_is_recorded(tmp_path, check_page):
    """Stylesheets, scripts, fetch() and WebSockets count, and so does another local file (not self-contained)."""
    (tmp_path / "local.css").write_text("p { color: red; }", encoding="utf-8")
    head = ('<link rel="stylesheet" href="https://cdn.example.com/style.css">'
            '<link rel="stylesheet" href="local.css">')
    body = ("<p>text</p><script>fetch('http://localhost:9/data.json').catch(() => {});"
            "try { new WebSocket('ws://localhost:9/live'); } catch (e) {}</script>")
    result = check_page(write_page(tmp_path, "requests", body, head))
    assert "https://cdn.example.com/style.css" in result.requests
    assert (tmp_path / "local.css").resolve().as_uri() in result.requests
    assert "http://localhost:9/data.json" in result.requests
    assert "ws://localhost:9/live" in result.requests


def test_collapsed_svg_and_table_are_measured_and_empty_ones_caught(tmp_path, check_page):
    body = ('<details><summary>plot</summary><svg width="30" height="30"><circle cx="15" cy="15" r="10"/></svg>'
            "</details>"
            '<svg width="0" height="10"><line x1="0" y1="0" x2="0" y2="10" stroke="black"/></svg>'
            "<table></table>")
    result = check_page(write_page(tmp_path, "empty", body))
    assert len(result.empty_svgs) == 1, result.empty_svgs
    assert result.empty_tables == ("table",)
    assert not result.ok


def test_screenshot_is_a_png_of_the_page(tmp_path, check_page):
    result = check_page(write_page(tmp_path, "shot", CLEAN_BODY))
    data = result.screenshot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 2000
    assert result.screenshot.name == "test_screenshot_is_a_png_of_the_page-shot.png"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG from its IHDR chunk (bytes 16-24, big-endian)."""
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_screenshot_is_the_whole_page_up_to_the_height_cap(tmp_path, check_page):
    medium = check_page(write_page(tmp_path, "medium", '<div style="height:3000px">tall</div>'))
    assert png_size(medium.screenshot.read_bytes())[1] > 3000  # the whole page, not only the 720 px viewport
    tall = check_page(write_page(tmp_path, "tall", '<div style="height:30000px">very tall</div>'))
    assert png_size(tall.screenshot.read_bytes()) == (1280, pagecheck.SCREENSHOT_MAX_HEIGHT)


def test_screenshot_folder_follows_the_environment(tmp_path, check_page, monkeypatch):
    monkeypatch.setenv("JALVERIFY_ARTIFACTS", str(tmp_path / "artefacts"))
    result = check_page(write_page(tmp_path, "moved", "<p>text</p>"), name="moved")
    assert result.screenshot == tmp_path / "artefacts" / "moved.png"
    assert result.screenshot.read_bytes().startswith(PNG_SIGNATURE)


SORTABLE = """
<table id="t"><thead><tr><th>claim</th><th>gain</th></tr></thead>
<tbody><tr><td>b</td><td>2</td></tr><tr><td>a</td><td>3</td></tr><tr><td>c</td><td>1</td></tr></tbody></table>
<script>
document.querySelectorAll('#t th').forEach((th, column) => {
  let ascending = true;
  th.addEventListener('click', () => {
    const body = th.closest('table').tBodies[0];
    const rows = [...body.rows].sort((x, y) =>
      x.cells[column].innerText.localeCompare(y.cells[column].innerText, 'en', {numeric: true}));
    if (!ascending) rows.reverse();
    ascending = !ascending;
    rows.forEach((row) => body.appendChild(row));
  });
});
</script>
"""


def test_click_sort_reads_the_new_order(tmp_path, open_page):
    with open_page(write_page(tmp_path, "sortable", SORTABLE)) as opened:
        assert table_rows(opened.page, "#t") == [["b", "2"], ["a", "3"], ["c", "1"]]
        assert click_sort(opened.page, "gain", "#t") == [["c", "1"], ["b", "2"], ["a", "3"]]
        assert click_sort(opened.page, "gain", "#t") == [["a", "3"], ["b", "2"], ["c", "1"]]
        assert click_sort(opened.page, "claim", "#t") == [["a", "3"], ["b", "2"], ["c", "1"]]
        with pytest.raises(LookupError, match="headers are"):
            click_sort(opened.page, "seed", "#t")
        opened.assert_clean()


def test_click_sort_on_a_static_table_keeps_the_order(tmp_path, open_page):
    static = SORTABLE[:SORTABLE.index("<script>")]
    with open_page(write_page(tmp_path, "static", static)) as opened:
        assert click_sort(opened.page, "gain", "#t") == [["b", "2"], ["a", "3"], ["c", "1"]]


def test_details_opens(tmp_path, open_page):
    body = ('<details id="yes"><summary>meaning</summary>the claim holds exactly</details>'
            '<details id="no"><summary>witness</summary><p>hidden</p></details>'
            "<script>document.querySelector('#no summary').addEventListener('click', (e) => e.preventDefault());"
            "</script>")
    with open_page(write_page(tmp_path, "details", body)) as opened:
        assert details_opens(opened.page, "#yes")
        assert not details_opens(opened.page, "#no")
        with pytest.raises(ValueError, match="already open"):
            details_opens(opened.page, "#yes")
        with pytest.raises(LookupError):
            details_opens(opened.page, "#absent")
        opened.assert_clean()


def test_open_page_records_errors_during_interaction(tmp_path, open_page):
    body = "<button onclick=\"console.error('clicked'); fetch('https://example.com/x')\">go</button>"
    with open_page(write_page(tmp_path, "interaction", body)) as opened:
        opened.assert_clean()
        with opened.page.expect_event("requestfailed"):  # listening before the click: no race with the abort
            opened.page.click("button")
        assert any(m.startswith("clicked") for m in opened.console_errors)
        assert "https://example.com/x" in opened.requests
        with pytest.raises(AssertionError, match="network request: https://example.com/x"):
            opened.assert_clean()


def verdicts() -> list[Verdict]:
    """One verdict of each status, with witnesses of the kinds reports carry (exact fractions, lists, nesting)."""
    witness = {"deviation": {"player": "row", "from": "C", "to": "D"}, "gain": Fraction(1, 3),
               "profile": [Fraction(1, 2), Fraction(1, 2)], "note": "<b>escaped</b> & kept"}
    return [Verdict("minimax.value_unique", Status.PROVEN, "the value is 0 at every equilibrium", witness),
            Verdict("nash.regret", Status.WITHIN_TOLERANCE, "regret below tolerance", witness, 1e-9, 3.2e-12),
            Verdict("learning.converges", Status.NOT_ESTABLISHED, "gap to Q* still 0.02 after 10^5 steps", {}),
            Verdict("ce.polytope", Status.REFUTED, "row C breaks the correlated equilibrium", witness),
            Verdict("solver.lemke_howson", Status.ERROR, "the solver raised SolverFailed", {"seed": 7})]


def test_jalverify_notebook_html_renders_cleanly(tmp_path, check_page, open_page):
    """Every catalog game's and every verdict status's ``_repr_html_`` on one page: no console error, no request,
    every table drawn with a size; and a verdict's witness opens on click."""
    sections = [f"<section><h2>{html.escape(name)}</h2>{load(name)._repr_html_()}</section>" for name in names()]
    shown = "\n".join(f"<section>{verdict._repr_html_()}</section>" for verdict in verdicts())
    result = check_page(write_page(tmp_path, "notebook_displays", "\n".join(sections) + shown),
                        name="notebook_displays")
    result.assert_clean()
    assert result.tables >= len(sections) + 3  # at least one table per game, one witness table per witnessed verdict
    with open_page(write_page(tmp_path, "verdicts", shown)) as opened:
        assert details_opens(opened.page, ".jalverify-verdict details")
        opened.assert_clean()
