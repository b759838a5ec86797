"""The Markdown rendering of a counterexample report: the game as payoff tables, the witness readable, and the exact
game JSON (for copy and paste) equal to the report's game."""

from __future__ import annotations

import json
import re
from pathlib import Path

from jalverify.reports.store import load_report, refresh_markdown, render_markdown

ROOT = Path(__file__).resolve().parents[2] / "counterexamples"


def _json_block(markdown: str) -> dict:
    details = markdown.split("<details>", 1)[1]
    return json.loads(re.search(r"```json\n(.*?)\n```", details, re.DOTALL).group(1))


def test_every_committed_report_keeps_its_exact_game_in_the_collapsed_block():
    seen = 0
    for path in sorted(ROOT.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != "jalverify.counterexample/1" or data.get("game") is None:
            continue
        text = render_markdown(data)
        assert _json_block(text) == data["game"], path
        assert text.index("## Game") < text.index("## Provenance") < text.index("<details>")
        seen += 1
    assert seen >= 40


def test_witness_matrices_are_tables_and_records_are_rows():
    report = load_report(ROOT / "minimax.exploits_weak_opponents" / "6364bc3cbafc.json")
    text = render_markdown(report)
    witness = text.split("## Witness", 1)[1].split("## Game", 1)[0]
    A = report["verdict"]["witness"]["A"]
    for r, row in enumerate(A, 1):
        assert f"| **{r}** | " + " | ".join(row) + " |" in witness
    assert "- `opponent`: (" + ", ".join(report["verdict"]["witness"]["opponent"]) + ")" in witness
    nosde = render_markdown(load_report(next((ROOT / "nosde.q_determines_policy").glob("*.json"))))
    assert "| action | player | q_gamma | state |" in nosde and "| keep | agent1 | 4 | s1 |" in nosde
    assert "agent1: keep: 1/3, send: 2/3" in nosde


def test_refresh_markdown_rewrites_only_the_md_files(tmp_path):
    source = ROOT / "iql.converges" / "5f39ab3d770d.json"
    target = tmp_path / "iql.converges" / source.name
    target.parent.mkdir()
    target.write_bytes(source.read_bytes())
    (tmp_path / "summary.json").write_text("{}", encoding="utf-8")  # not a report: left alone
    written = refresh_markdown(tmp_path)
    assert written == [target.with_suffix(".md")]
    assert target.with_suffix(".md").read_text(encoding="utf-8") == render_markdown(load_report(source))
    assert target.read_bytes() == source.read_bytes()
