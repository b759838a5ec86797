"""HTML reports (issue 13 §1) as a reader gets them: the installed console script writes the page, the page is parsed
back (stdlib ``html.parser``) and checked for what it must show and what it must never do (load anything from the
network).  The witness highlighting is checked against an independent reading of the witness; the browser tests in
``tests/browser/`` open the same pages in Chromium."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jalverify.games.formats.json_format import game_from_dict
from jalverify.games.normal_form import NormalFormGame
from jalverify.reports.html.counterexample import equilibrium_set_html, witness_marks
from jalverify.reports.html.documents import classify_document

REPO = Path(__file__).resolve().parents[2]
COUNTEREXAMPLES = REPO / "counterexamples"


def _jalverify() -> list[str]:
    found = shutil.which("jalverify", path=str(Path(sys.executable).parent)) or shutil.which("jalverify")
    return [found] if found else [sys.executable, "-m", "jalverify"]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_jalverify() + list(args), cwd=cwd, capture_output=True, text=True, timeout=600)


class _Page(HTMLParser):
    """Every element's tag and attributes, the ids, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _assert_self_contained(page: _Page) -> None:
    for tag, attributes in page.elements:
        assert tag not in ("link", "iframe", "img", "object", "embed"), f"<{tag}> would load a resource"
        assert not (tag == "script" and attributes.get("src")), "external script"
        for name in ("src", "href", "xlink:href", "action"):
            value = attributes.get(name)
            if value is not None:
                assert value.startswith("#"), f"<{tag} {name}={value!r}> leaves the page"


def _assert_links_resolve(page: _Page) -> None:
    for tag, attributes in page.elements:
        href = attributes.get("href")
        if tag == "a" and href:
            assert href[1:] in page.ids, f"link {href} has no target on the page"


def _committed_reports(theorem: str) -> list[dict]:
    folder = COUNTEREXAMPLES / theorem
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def test_report_of_the_committed_counterexamples(tmp_path: Path) -> None:
    out = tmp_path / "all.html"
    done = _run("report", str(COUNTEREXAMPLES), "--output", str(out), cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out)
    page = _parse(out)
    _assert_self_contained(page)
    _assert_links_resolve(page)
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in COUNTEREXAMPLES.rglob("*.json")]
    reports = [r for r in reports if classify_document(r) == "counterexample"]
    assert reports
    for report in reports:
        assert f"report-{report['hash']}" in page.ids
    for status in ("proven", "within_tolerance", "not_established", "refuted", "error"):
        assert f"verdict-{status}" in page.ids  # the meaning of every verdict word is on the page
    text = " ".join(page.text)
    assert "{'" not in text and "Fraction(" not in text


def test_ce_witness_highlights_the_recommendation_that_breaks() -> None:
    report = _committed_reports("correlated.cce_is_ce")[0]
    game = game_from_dict(report["game"])
    assert isinstance(game, NormalFormGame)
    witness = report["verdict"]["witness"]
    marks, legend = witness_marks(game, witness)
    player, rec, dev = witness["player"], witness["recommendation"], witness["deviation"]
    distribution = witness["distribution"]
    support = [cell for cell in itertools.product(*(range(k) for k in game.n_actions))
               if Fraction(distribution[cell[0]][cell[1]]) != 0]
    broken = {c for c in support if c[player] == rec}
    assert broken, "the witness names a recommendation that is played"
    for cell in broken:
        assert "recommended" in marks[cell].note
    for cell in broken:
        moved = cell[:player] + (dev,) + cell[player + 1:]
        assert moved in marks
    # independently: the deviation gains exactly ce_gain, conditional on the recommendation, unnormalised
    payoff = game.payoffs
    gain = sum(Fraction(distribution[c[0]][c[1]]) * (payoff[(player,) + c[:player] + (dev,) + c[player + 1:]]
                                                      - payoff[(player,) + c]) for c in broken)
    assert gain > 0
    assert legend


def test_minimax_witness_marks_the_best_response_cell() -> None:
    report = _committed_reports("minimax.exploits_weak_opponents")[0]
    game = game_from_dict(report["game"])
    witness = report["verdict"]["witness"]
    marks, _ = witness_marks(game, witness)
    opponent = [Fraction(p) for p in witness["opponent"]]
    expected = {(witness["best_response"], j) for j, p in enumerate(opponent) if p != 0}
    assert set(marks) == expected
    # the marked cell earns what the witness says, against the opponent's strategy
    earned = sum(p * game.payoffs[0, witness["best_response"], j] for j, p in enumerate(opponent))
    assert earned == Fraction(witness["best_response_payoff"])


def test_equilibrium_set_of_a_degenerate_and_a_generic_game() -> None:
    constant = NormalFormGame([[[1, 1], [1, 1]], [[2, 2], [2, 2]]])
    html = equilibrium_set_html(constant)
    assert "degenerate" in html and "<svg" in html and "1 component" in html
    pennies = NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    html = equilibrium_set_html(pennies)
    assert "every equilibrium is isolated" in html and "1/2" in html
    three = NormalFormGame([[[1, 0, 0], [0, 0, 1]], [[0, 1, 0], [0, 1, 0]]])
    assert "<svg" in equilibrium_set_html(three)
    assert equilibrium_set_html(NormalFormGame([[[1, 0, 0]] * 3, [[0, 1, 0]] * 3])) == ""  # 3×3: not drawn


def test_verify_html(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = _run("verify", "--theorem", "minimax.*", "--seed", "1", "--reports-dir", "cx", "--html", str(out),
                "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)  # stdout still carries only the JSON
    page = _parse(out)
    _assert_self_contained(page)
    _assert_links_resolve(page)
    text = " ".join(page.text)
    for row in doc["theorems"]:
        assert row["id"] in text
    refuted = [row for row in doc["theorems"] if row["verdict"] == "refuted"]
    assert refuted
    for row in refuted:
        report = json.loads((tmp_path / row["report"]).read_text(encoding="utf-8"))
        assert f"report-{report['hash']}" in page.ids
        assert report["replay"] in text
    assert any(attributes.get("data-mark") for _, attributes in page.elements)  # the witness cell is highlighted
    assert any(tag == "table" and "sortable" in (attributes.get("class") or "") for tag, attributes in page.elements)


def test_experiment_html(tmp_path: Path) -> None:
    spec = tmp_path / "tiny.toml"
    spec.write_text('name = "tiny"\ngames = ["catalog:matching_pennies"]\nalgorithms = ["minimax-q", "iql"]\n'
                    'seeds = { start = 0, count = 2 }\nsteps = 300\ncheckpoints = 6\ngamma = "9/10"\n'
                    'epsilon = "1/20"\n', encoding="utf-8")
    out = tmp_path / "tiny.html"
    done = _run("experiment", str(spec), "--output", str(tmp_path / "runs"), "--html", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = _parse(out)
    _assert_self_contained(page)
    svgs = sum(1 for tag, _ in page.elements if tag == "svg")
    assert svgs >= 2 + 2  # the two curves (max|Q − Q*|, NashConv) and a simplex plot per algorithm
    summary = json.loads((tmp_path / "runs" / "summary.json").read_text(encoding="utf-8"))
    text = " ".join(page.text)
    for group in summary["groups"]:
        for value in group["final_nash_conv_exact"]:
            assert value in text


def test_nosde_pair_html(tmp_path: Path) -> None:
    out = tmp_path / "pair.html"
    done = _run("nosde", "catalog:nosde", "--pair", "--out", str(tmp_path / "prime.json"), "--format", "json",
                "--html", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    page = _parse(out)
    _assert_self_contained(page)
    text = " ".join(page.text)
    changed = [row for row in doc["q"] if row["reward_gamma"] != row["reward_prime"]]
    assert changed
    for row in changed:
        assert f"{row['reward_gamma']} → {row['reward_prime']}" in text
    for row in doc["v"]:
        assert row["v_gamma"] in text and row["v_prime"] in text


def test_learn_html(tmp_path: Path) -> None:
    out = tmp_path / "learn.html"
    done = _run("learn", "catalog:matching_pennies", "--algorithm", "minimax-q", "--steps", "400", "--gamma", "9/10",
                "--html", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = _parse(out)
    _assert_self_contained(page)
    assert sum(1 for tag, _ in page.elements if tag == "svg") == 2  # error against Q* and NashConv over steps
    assert "Q*_row" in " ".join(page.text)


@pytest.mark.parametrize("args", [
    ["verify", "--theorem", "minimax.theorem", "--html", "missing-folder/r.html"],
    ["verify", "--list", "--html", "r.html"],
    ["validate", "--list", "--html", "r.html"],
    ["nosde", "catalog:nosde", "--html", "."],
    ["report", "does-not-exist"],
])
def test_bad_html_arguments_are_one_line_and_write_nothing(tmp_path: Path, args: list[str]) -> None:
    done = _run(*args, cwd=tmp_path)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_report_of_a_folder_without_reports(tmp_path: Path) -> None:
    (tmp_path / "other.json").write_text('{"a": 1}', encoding="utf-8")
    done = _run("report", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2 and "no jalverify report" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.json"]
