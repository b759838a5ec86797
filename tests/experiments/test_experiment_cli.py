"""``jalverify experiment`` as a user runs it: the installed console script in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 600

CAMPAIGN = """\
name = "cli demo"
games = ["catalog:matching_pennies", "catalog:rock_paper_scissors"]
algorithms = ["minimax-q", "iql"]
seeds = { start = 0, count = 2 }
steps = 600
checkpoints = 5
gamma = "9/10"
"""


def _jalverify() -> list[str]:
    search = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    script = shutil.which("jalverify", path=search)
    return [script] if script is not None else [sys.executable, "-m", "jalverify"]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_jalverify() + args, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False)


def _groups(summary: dict[str, Any]) -> list[dict[str, Any]]:
    return summary["groups"]


@pytest.fixture(scope="module")
def serial_summary(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str]:
    folder = tmp_path_factory.mktemp("serial")
    (folder / "campaign.toml").write_text(CAMPAIGN, encoding="utf-8")
    result = _run(["experiment", "campaign.toml", "--format", "json"], folder)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return folder, json.loads(result.stdout), result.stderr


def test_json_output_is_the_summary_file_and_matches_the_schema(serial_summary: Any) -> None:
    import jsonschema

    from jalverify.schemas import schema

    folder, summary, stderr = serial_summary
    jsonschema.Draft202012Validator(schema("experiment")).validate(summary)
    out = folder / "experiments" / "cli-demo"
    assert json.loads((out / "summary.json").read_text(encoding="utf-8")) == summary
    assert summary["runs"] == {"total": 8, "computed": 8, "reused": 0, "failed": 0}
    assert len(list((out / "runs").glob("*.json"))) == 8 and len(list((out / "runs").glob("*.npz"))) == 8
    csv_lines = (out / "summary.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines[0].startswith("game,algorithm,measure,step,mean")
    assert len(csv_lines) == 1 + 4 * 2 * 6  # game × algorithm × measure × (checkpoints + 1)
    assert sorted(summary["plots"]) == ["plots/curves-matching_pennies.svg", "plots/curves-rock_paper_scissors.svg",
                                        "plots/simplex-matching_pennies-iql.svg",
                                        "plots/simplex-matching_pennies-minimax-q.svg"]
    for plot in summary["plots"]:
        assert (out / plot).read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert "8/8 runs" in stderr and "ETA" in stderr


def test_minimax_q_learns_the_exact_value_and_iql_does_not(serial_summary: Any) -> None:
    _, summary, _ = serial_summary
    by = {(g["game"], g["algorithm"]): g for g in summary["groups"]}
    # the exact reference is known: both games have value 0 and a unique fully mixed optimal strategy
    for game in ("catalog:matching_pennies", "catalog:rock_paper_scissors"):
        assert by[(game, "minimax-q")]["reference"]["exact"] is True
        assert by[(game, "minimax-q")]["reference"]["v_star_at_start"] == ["0", "0"]
        # a deterministic greedy policy in a game with no pure equilibrium is exploitable: exact NashConv > 0
        assert all(Fraction(x) > Fraction(1, 2) for x in by[(game, "iql")]["final_nash_conv_exact"])
        q_mm = by[(game, "minimax-q")]["measures"]["q_error"]["final"]
        q_iql = by[(game, "iql")]["measures"]["q_error"]["final"]
        assert max(q_mm) < min(q_iql)


def test_text_summary_and_resume(serial_summary: Any) -> None:
    folder, summary, _ = serial_summary
    result = _run(["experiment", "campaign.toml"], folder)
    assert result.returncode == 0, result.stderr
    assert "8 runs (0 computed now, 8 reused, 0 failed)" in result.stdout
    assert "catalog:matching_pennies — reference: minimax Q* (exact" in result.stdout
    assert "convergence notions" in result.stdout and "{" not in result.stdout  # tables, not Python reprs
    again = json.loads((folder / "experiments" / "cli-demo" / "summary.json").read_text(encoding="utf-8"))
    assert _groups(again) == _groups(summary)


def test_local_worker_processes_give_the_serial_numbers(serial_summary: Any, tmp_path: Path) -> None:
    _, summary, _ = serial_summary
    (tmp_path / "campaign.toml").write_text(CAMPAIGN, encoding="utf-8")
    result = _run(["experiment", "campaign.toml", "--workers", "2", "--no-plots", "--output", "out", "--format",
                   "json"], tmp_path)
    assert result.returncode == 0, result.stderr
    parallel = json.loads(result.stdout)
    assert parallel["executor"] == "2 local worker processes" and parallel["plots"] == []
    assert _groups(parallel) == _groups(summary)


@pytest.mark.parametrize(("text", "args", "message"), [
    (CAMPAIGN.replace('steps = 600', 'steps = "600"'), [], r"steps must be an integer, got '600'"),
    (CAMPAIGN + "[learner]\nschedule = \"rm:2\"\n", [], r"learner.schedule 'rm:2'"),
    (CAMPAIGN.replace('"iql"', '"iql", "nash-q"') + "[learner]\nselection = \"best\"\n", [],
     r"learner.selection must be one of first, utilitarian, egalitarian, got 'best'"),
    (CAMPAIGN + "[learner]\nselection = \"utilitarian\"\n", [], r"learner.selection applies to nash-q only"),
    (CAMPAIGN.replace('gamma = "9/10"', 'gamma = 0.9'), [], r"gamma must be exact"),
    (CAMPAIGN, ["--fresh", "--resume"], r"--fresh recomputes every run and --resume keeps finished ones"),
    (CAMPAIGN, ["--workers", "0"], r"--workers must be an integer from 1"),
    (CAMPAIGN, ["--dask"], r"--dask starts a local Dask cluster of --workers N"),
    (CAMPAIGN, ["--format", "yaml"], r"--format must be one of text, json"),
    ("name = \"x\"\ngames = [\n", [], r"not a TOML file"),
    (b"\xff\xfe not utf-8", [], r"not UTF-8 text"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path: Path, text: str | bytes, args: list[str],
                                                          message: str) -> None:
    import re

    spec = tmp_path / "campaign.toml"
    if isinstance(text, bytes):
        spec.write_bytes(text)
    else:
        spec.write_text(text, encoding="utf-8")
    result = _run(["experiment", "campaign.toml", *args], tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jalverify experiment: error:"), result.stderr
    assert re.search(message, lines[0]), lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campaign.toml"]


def test_the_shipped_example_campaign_is_valid() -> None:
    from jalverify.experiments.campaign import check_campaign_runs
    from jalverify.experiments.spec import load_campaign

    for path in sorted((ROOT / "examples" / "campaigns").glob("*.toml")):
        spec = load_campaign(path)
        check_campaign_runs(spec)
        assert spec.runs()
