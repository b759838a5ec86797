"""The frame of every HTML report: one self-contained page (inline CSS, SVG and one small script; no network).

The page opens with the verdict words and their meanings (each verdict badge links to its meaning), then the
sections the report's documents produced, then the provenance (jalverify and library versions, the command).
Tables with the class ``sortable`` sort by a click on a column header (numbers numerically, exact fractions by
value, text alphabetically; a second click reverses).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from jalverify.errors import InvalidFile
from jalverify.reports.store import versions as report_versions
from jalverify.verdicts import VERDICT_MEANINGS, Status

__all__ = ["Section", "data_table", "e", "exact_text", "html_page", "verdict_badge"]

e = html.escape

#: Badge colours of the verdict words (background, text).
_BADGE = {"proven": ("#dafbe1", "#116329"), "within_tolerance": ("#ddf4ff", "#0a5f7a"),
          "not_established": ("#eaeef2", "#424a53"), "refuted": ("#ffebe9", "#a40e26"),
          "error": ("#fff1e5", "#953800")}

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#fff;
 line-height:1.45}
main{max-width:1180px;margin:0 auto;padding:1.2em 1.6em 3em}
h1{font-size:1.6em;margin:.3em 0}
h2{font-size:1.3em;border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:1.8em}
h3{font-size:1.08em;margin:1.4em 0 .4em}
table{border-collapse:collapse;margin:.4em 0}th,td{border:1px solid #d0d7de;padding:.2em .6em;vertical-align:top}
th{background:#f6f8fa;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
table.sortable{width:100%}table.sortable th{cursor:pointer;user-select:none}
table.sortable th:after{content:" \\2195";color:#8c959f}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
pre{background:#f6f8fa;padding:.6em;overflow-x:auto}
.badge{display:inline-block;padding:.05em .5em;border-radius:1em;font-weight:600;font-size:.9em;text-decoration:none;
 white-space:nowrap}
.note{color:#57606a;font-size:.92em}.card{border:1px solid #d0d7de;border-radius:6px;padding:.6em 1em;margin:.8em 0}
.side{display:flex;gap:1.5em;flex-wrap:wrap;align-items:flex-start}.side>div{flex:1 1 360px;min-width:0}
.figure svg{max-width:100%;height:auto}details>summary{cursor:pointer;color:#0969da}
dl.glossary dt{margin-top:.4em}dl.glossary dd{margin-left:1.2em}
td.changed{background:#fff8c5;font-weight:700}.scroll{overflow-x:auto;max-width:100%}
"""

_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function(table){
  table.querySelectorAll("th").forEach(function(th, column){
    th.addEventListener("click", function(){
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var up = th.getAttribute("data-order") !== "up";
      table.querySelectorAll("th").forEach(function(h){ h.removeAttribute("data-order"); });
      th.setAttribute("data-order", up ? "up" : "down");
      function key(row){
        var cell = row.cells[column]; if (!cell) return "";
        var v = cell.getAttribute("data-sort"); if (v === null) v = cell.textContent.trim();
        var m = /^(-?\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?)(?:\\/(\\d+))?$/i.exec(v);
        return m ? (m[2] ? parseFloat(m[1]) / parseFloat(m[2]) : parseFloat(m[1])) : v.toLowerCase();
      }
      rows.sort(function(a, b){
        var x = key(a), y = key(b), t = typeof x === typeof y ? 0 : (typeof x === "number" ? -1 : 1);
        if (t === 0) t = x < y ? -1 : (x > y ? 1 : 0);
        return up ? t : -t;
      });
      rows.forEach(function(r){ body.appendChild(r); });
    });
  });
});
"""


@dataclass(frozen=True)
class Section:
    """One part of a report page: a heading (with an anchor id) and its HTML body."""

    anchor: str
    title: str
    body: str


def verdict_badge(status: str, words: str | None = None) -> str:
    """The verdict word as a coloured badge that links to its meaning on the page (and says it on hover)."""
    if status not in VERDICT_MEANINGS:
        raise InvalidFile(f"unknown verdict {status!r}; expected one of {', '.join(VERDICT_MEANINGS)}")
    background, colour = _BADGE[status]
    text = words or Status(status).words
    return (f'<a class="badge" style="background:{background};color:{colour}" href="#verdict-{status}" '
            f'title="{e(VERDICT_MEANINGS[status])}">{e(text)}</a>')


def exact_text(value: Any) -> str:
    """A number as a reader writes it: exact values (``"3/4"`` strings, ints, Fractions) as fractions, floats
    with six significant digits; anything else as its text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Fraction)):
        return str(Fraction(value))
    if isinstance(value, float):
        return "0" if value == 0 else f"{value:.6g}"
    return str(value)


def data_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, sortable: bool = False,
               numeric: Sequence[int] = (), css_class: str = "") -> str:
    """An HTML table; ``rows`` hold HTML (escape text first); columns in ``numeric`` are right-aligned."""
    classes = " ".join(c for c in ("sortable" if sortable else "", css_class) if c)
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="num">{cell}</td>' if j in numeric else f"<td>{cell}</td>"
                                    for j, cell in enumerate(row)) + "</tr>" for row in rows)
    cls = f' class="{classes}"' if classes else ""
    thead = f"<thead><tr>{head}</tr></thead>" if any(headers) else ""
    return f'<div class="scroll"><table{cls}>{thead}<tbody>{body}</tbody></table></div>'


def _glossary() -> str:
    items = "".join(f'<dt id="verdict-{status}">{verdict_badge(status)}</dt><dd>{e(meaning)}</dd>'
                    for status, meaning in VERDICT_MEANINGS.items())
    return ("<details><summary>What the verdict words mean (click a verdict anywhere to come here)</summary>"
            f'<dl class="glossary">{items}</dl><p class="note">"refuted (as expected)": the claim is one of the seed '
            "notes' claims that is false by design; its counterexample was found. Definitions and sources: the "
            "theory pages of the documentation (docs/theory.md).</p></details>")


def html_page(title: str, sections: Sequence[Section], *, summary: str = "", command: str = "") -> str:
    """The whole self-contained page: title, summary line, glossary, table of contents, sections, provenance."""
    toc = "".join(f'<li><a href="#{e(s.anchor)}">{e(s.title)}</a></li>' for s in sections)
    body = "".join(f'<section id="{e(s.anchor)}"><h2>{e(s.title)}</h2>{s.body}</section>' for s in sections)
    versions = ", ".join(f"{name} {version}" for name, version in report_versions().items())
    made = f"<p class=\"note\">Command: <code>{e(command)}</code></p>" if command else ""
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{e(title)}</title>"
            f"<style>{_CSS}</style></head><body><main><h1>{e(title)}</h1>"
            f"{f'<p>{summary}</p>' if summary else ''}{_glossary()}"
            f"{f'<nav><ul>{toc}</ul></nav>' if len(sections) > 1 else ''}{body}"
            f"<footer><h2>Provenance</h2>{made}<p class=\"note\">Rendered by jalverify with {e(versions)}. Exact "
            "numbers are fractions; every figure and table is inside this file (no network access).</p></footer>"
            f"</main><script>{_SCRIPT}</script></body></html>\n")
