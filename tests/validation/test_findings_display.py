"""Validation results in a notebook (issue 13 §3): one-line ``repr``, self-contained HTML with the verdict words,
the minimal game's payoff table and the replay command, and ``to_dict()`` equal to ``jalverify validate``'s JSON."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from jalverify.validation import validate
from jalverify.verdicts import Status

JALVERIFY = str(Path(sys.executable).with_name("jalverify"))

BROKEN_SOLVER = textwrap.dedent('''\
    import numpy as np

    from jalverify.adapters.own import Minimax
    from jalverify.adapters.protocols import MinimaxAnswer


    class MinimaxOffByOne:
        capabilities = Minimax.capabilities

        def solve(self, game):
            answer = Minimax().solve(game)
            bump = 1 if min(np.asarray(game.payoffs[0], dtype=object).reshape(-1).tolist()) < 0 else 0
            return MinimaxAnswer(answer.value + bump, answer.row_strategy, answer.column_strategy)
''')


class Cells(HTMLParser):
    """The text of every ``td``/``th`` and the attributes of every element."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.cells: list[tuple[str, dict[str, Any], str]] = []
        self.attrs: list[dict[str, Any]] = []
        self._cell: list[Any] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs.append(dict(attrs))
        if tag in ("td", "th"):
            self._cell = [tag, dict(attrs), ""]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append((self._cell[0], self._cell[1], self._cell[2].strip()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell[2] += data


def _without_times(doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if k != "seconds"}
    out["checks"] = [{k: v for k, v in c.items() if k != "seconds"} for c in doc["checks"]]
    return out


def test_a_refuted_validation_shows_its_finding_and_matches_the_cli(tmp_path: Path) -> None:
    target = tmp_path / "broken.py"
    target.write_text(BROKEN_SOLVER)
    reference = f"{target}:MinimaxOffByOne"
    reports = tmp_path / "reports"
    result = validate(reference, max_examples=15, seed=1, report_dir=str(reports))
    assert result.refuted and result.findings
    out = subprocess.run([JALVERIFY, "validate", reference, "--seed", "1", "--max-examples", "15", "--reports-dir",
                          str(reports), "--format", "json"], check=False, capture_output=True, text=True, timeout=600,
                         cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert _without_times(result.to_dict()) == _without_times(json.loads(out.stdout))

    finding = result.findings[0]
    assert result.to_dict()["checks"][0]["finding"] == finding.to_dict()
    for obj in (result, finding, result.outcomes[0]):
        text = repr(obj)
        assert "\n" not in text and "Fraction(" not in text and "array(" not in text and len(text) < 400
    assert "refuted" in repr(finding)

    page = result._repr_html_()
    assert "<script" not in page.lower() and "http" not in page.lower()
    cells = Cells(page)
    verdicts = [attrs["data-verdict"] for tag, attrs, _ in cells.cells if "data-verdict" in attrs]
    assert verdicts == [o.status.value for o in result.outcomes]
    words = [text for tag, attrs, text in cells.cells if "data-verdict" in attrs]
    assert words == [o.status.words for o in result.outcomes]
    assert Status.REFUTED.words in words
    # the minimal game is shown as its payoff table: every payoff of the row player appears in a cell
    game = finding.case[0]
    table = [text for tag, _, text in cells.cells if tag == "td"]
    for joint in game.joint_actions():
        assert ", ".join(str(game.payoffs[(i, *joint)]) for i in range(game.n_players)) in table
    assert finding.replay_command in page.replace("&quot;", '"')

    alone = finding._repr_html_()
    assert "<script" not in alone.lower() and "http" not in alone.lower()
    assert "refuted" in alone and finding.replay_command in alone


def test_a_passing_validation_has_no_findings_in_its_html() -> None:
    result = validate("jalverify.minimax", max_examples=3, seed=2)
    page = result._repr_html_()
    assert "<script" not in page.lower() and "http" not in page.lower()
    cells = Cells(page)
    assert [text for _, attrs, text in cells.cells if "data-verdict" in attrs] == ["proven exactly"]
    assert "jalverify-finding" not in page
    assert "0 findings" in repr(result)
