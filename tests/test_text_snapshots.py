"""What a reader sees in the terminal and in Markdown reports, kept stable and free of Python reprs.

Snapshot tests: each case runs the ``jalverify`` console script in a subprocess (or, for a counterexample report,
:func:`jalverify.reports.store.render_markdown` on a committed report) and compares its text with
``tests/snapshots/<case>.txt``; a mismatch fails with a unified diff.  After an intended change of the output,
rewrite the snapshots with::

    JALVERIFY_UPDATE_SNAPSHOTS=1 python -m pytest -q tests/test_text_snapshots.py

and review the diff of ``tests/snapshots/`` before committing it.

The second half runs every command's text mode on a few games and saved reports and asserts that no Python repr
appears in what it prints (``{'``, ``['``, ``Fraction(``, ``array(``, ``np.``, ``dtype``).
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jalverify.reports.store import load_report, render_markdown

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("JALVERIFY_UPDATE_SNAPSHOTS") == "1"
REPORT = ROOT / "counterexamples" / "minimax.exploits_weak_opponents" / "6364bc3cbafc.json"
NOSDE_POLICY = {"s1": [["1/3", "2/3"], ["1"]], "s2": [["1"], ["7/12", "5/12"]]}
REPR_PATTERNS = ("{'", "['", "Fraction(", "array(", "np.", "dtype")


def _console() -> str:
    found = shutil.which("jalverify", path=str(Path(sys.executable).parent)) or shutil.which("jalverify")
    assert found is not None, "the jalverify console script is not installed in this environment"
    return found


def jalverify(*args: str, cwd: Path | None = None) -> str:
    """Run the console script; returns stdout (and fails the test, with stderr, on a non-zero exit)."""
    res = subprocess.run([_console(), *args], check=False, capture_output=True, text=True, encoding="utf-8",
                         cwd=cwd or ROOT,
                         env={**os.environ, "PYTHONHASHSEED": "0", "COLUMNS": "200"}, timeout=600)
    assert res.returncode == 0, f"jalverify {' '.join(args)} exited {res.returncode}:\n{res.stderr}"
    return res.stdout


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no snapshot {path.name}; create it with JALVERIFY_UPDATE_SNAPSHOTS=1"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), text.splitlines(keepends=True),
                                            f"snapshots/{path.name}", "now"))
        pytest.fail(f"the text of {name} changed (JALVERIFY_UPDATE_SNAPSHOTS=1 rewrites it):\n{diff}",
                    pytrace=False)


def _section(text: str, start: str) -> str:
    """The lines from the one starting with ``start`` up to the next blank line."""
    lines = text.splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    end = next((i for i in range(first, len(lines)) if not lines[i].strip()), len(lines))
    return "".join(lines[first:end])


# --- snapshots ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("game", ["prisoners_dilemma", "three_player_matching_pennies", "nosde"])
def test_show_snapshot(game):
    check_snapshot(f"show_{game}", jalverify("show", f"catalog:{game}"))


def test_solve_snapshot():
    check_snapshot("solve_minimax_rock_paper_scissors",
                   jalverify("solve", "--concept", "minimax", "catalog:rock_paper_scissors"))


def test_counterexample_markdown_snapshot():
    text = render_markdown(load_report(REPORT))
    check_snapshot("counterexample_minimax_exploits_weak_opponents_md", text)
    assert (REPORT.with_suffix(".md")).read_text(encoding="utf-8") == text, \
        "the committed .md is stale: run jalverify.reports.store.refresh_markdown('counterexamples')"


def test_learn_q_table_snapshot():
    out = jalverify("learn", "catalog:matching_pennies", "--gamma", "1/2", "--algorithm", "minimax-q", "--steps",
                    "500", "--seed", "1")
    check_snapshot("learn_q_table_matching_pennies", _section(out, "Q per state and joint action"))


@pytest.mark.parametrize("game", ["stag_hunt", "nosde"])
def test_classify_snapshot(game):
    check_snapshot(f"classify_{game}", jalverify("classify", f"catalog:{game}"))


def test_evaluate_snapshot(tmp_path):
    (tmp_path / "policy.json").write_text(json.dumps(NOSDE_POLICY), encoding="utf-8")
    check_snapshot("evaluate_nosde", jalverify("evaluate", "catalog:nosde", "--policy", str(tmp_path / "policy.json")))


def test_nosde_pair_claims_snapshot(tmp_path):
    out = jalverify("nosde", "catalog:nosde", "--pair", "--out", str(tmp_path / "prime.json"))
    claims = "".join(line for line in _section(out, "claims:").splitlines(keepends=True)
                     if not line.startswith("wrote "))  # the --out path differs from run to run
    check_snapshot("nosde_pair_claims", claims)


# --- no Python reprs anywhere -------------------------------------------------------------------------------------
def _write_inputs(tmp: Path) -> None:
    (tmp / "policy.json").write_text(json.dumps(NOSDE_POLICY), encoding="utf-8")
    (tmp / "tiny.toml").write_text(
        'name = "tiny"\ngames = ["catalog:matching_pennies"]\nalgorithms = ["minimax-q"]\n'
        'seeds = { start = 0, count = 2 }\nsteps = 300\ncheckpoints = 5\ngamma = "9/10"\nepsilon = "1/20"\n',
        encoding="utf-8")


def _commands(tmp: Path) -> dict[str, list[str]]:
    """The commands run in ``tmp`` (their input files are written there by :func:`_write_inputs`)."""
    cases = {f"show {g}": ["show", f"catalog:{g}"]
             for g in ("prisoners_dilemma", "three_player_matching_pennies", "nosde", "grid_game_1")}
    for concept in ("minimax", "nash", "pure-nash", "ce", "cce"):
        for g in ("rock_paper_scissors", "degenerate_3x2", "three_player_matching_pennies"):
            if concept == "minimax" and g != "rock_paper_scissors":
                continue
            cases[f"solve {concept} {g}"] = ["solve", "--concept", concept, f"catalog:{g}"]
    cases.update({
        "convert": ["convert", "catalog:prisoners_dilemma", str(tmp / "pd.nfg")],
        "classify degenerate_3x2": ["classify", "catalog:degenerate_3x2"],
        "classify prisoners_dilemma": ["classify", "catalog:prisoners_dilemma"],
        "classify nosde": ["classify", "catalog:nosde"],
        "evaluate nosde": ["evaluate", "catalog:nosde", "--policy", str(tmp / "policy.json")],
        "nosde": ["nosde", "catalog:nosde", "--cycle"],
        "nosde pair": ["nosde", "catalog:nosde", "--pair", "--out", str(tmp / "prime.json")],
        "learn matching_pennies": ["learn", "catalog:matching_pennies", "--gamma", "1/2", "--algorithm",
                                   "minimax-q", "--steps", "300"],
        "learn nosde": ["learn", "catalog:nosde", "--algorithm", "nash-q", "--steps", "300"],
        "replay": ["replay", str(REPORT), str(ROOT / "counterexamples" / "nash_q.at_most_one_kind"),
                   str(ROOT / "counterexamples" / "nosde.q_determines_policy")],
        "verify": ["verify", "--profile", "quick", "--theorem", "minimax.*", "--max-examples", "5", "--no-reports",
                   "--seed", "1"],
        "validate": ["validate", "jalverify.minimax", "--profile", "quick", "--max-examples", "5", "--no-reports",
                     "--seed", "1"],
        "experiment": ["experiment", str(tmp / "tiny.toml"), "--output", str(tmp / "campaign"), "--no-plots"],
    })
    return cases


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("reprs")
    _write_inputs(tmp)
    return {name: jalverify(*args, cwd=tmp) for name, args in _commands(tmp).items()}


@pytest.mark.parametrize("name", list(_commands(Path("."))))
def test_no_python_repr_in_text_output(outputs, name):
    text = outputs[name]
    assert text.strip(), f"{name}: printed nothing"
    bad = [(p, line) for line in text.splitlines() for p in REPR_PATTERNS if p in line]
    assert not bad, f"{name}: Python repr in the text output:\n" + "\n".join(f"  {p!r} in: {line}" for p, line in bad)


def test_no_python_repr_in_counterexample_markdown():
    for path in sorted((ROOT / "counterexamples").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != "jalverify.counterexample/1":
            continue
        text = render_markdown(data)
        # the recorded finding (the verdict message, stored in the JSON) and the exact JSON block are the report's
        # data, not its rendering; everything the renderer writes must be free of reprs
        body = text.replace(data["verdict"]["message"], "").split("<details>")[0]
        bad = [p for p in REPR_PATTERNS if p in body]
        assert not bad, f"{path}: {bad} in the Markdown rendering"
        if data.get("game") is not None:
            assert "## Game" in text and "| " in text.split("## Game")[1].split("## Provenance")[0]


@pytest.mark.parametrize(("solver", "checks"), [
    ("NonEquilibrium", ["validate.nash.soundness.degenerate"]),
    ("EvaluatorWithoutDiscount", None),
])
def test_grouped_violations_show_the_minimal_game_as_a_table(solver, checks):
    """``check_solver``'s grouped AssertionError names each minimal game by its table (payoff table, or per state
    the rewards and successors), not as flattened lists."""
    from jalverify.games.stochastic import StochasticGame
    from jalverify.games.tables import number_text, payoff_table_text, stochastic_game_text
    from jalverify.validation import validate

    target = f"{ROOT / 'tests' / 'validation' / 'broken_solvers.py'}:{solver}"
    result = validate(target, max_examples=10, seed=2, checks=checks)
    assert result.findings, f"{solver} was not caught"
    text = result.assertion_message()
    bad = [(p, line) for line in text.splitlines() for p in REPR_PATTERNS if p in line]
    assert not bad, f"Python repr in the grouped violation message:\n{text}"
    for finding in result.findings:
        game = finding.case[0]
        table = stochastic_game_text(game) if isinstance(game, StochasticGame) else payoff_table_text(game)
        for line in table.splitlines():
            assert line.strip() in text, f"{line.strip()!r} of the minimal game missing from:\n{text}"
        if isinstance(game, StochasticGame):  # the discount is part of the game
            assert f"γ = {number_text(game.gamma)}" in text, text
    assert text.count("minimal game:") == len({f.verdict.theorem for f in result.findings})
