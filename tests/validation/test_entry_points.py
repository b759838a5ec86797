"""The three ways in: ``jalverify validate`` (table, JSON, reports, --replay, --list), the pytest plugin, and the
function call (see test_broken_solvers.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from jalverify.cli import main

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def ref(name: str) -> str:
    return f"{os.path.join(HERE, 'broken_solvers.py')}:{name}"


def test_cli_validate_writes_a_report_that_replays(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", ref("MinimaxOffByOne"), "--seed", "1", "--max-examples", "15",
                 "--reports-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1
    assert "validate.minimax" in out and "refuted" in out and "replay: jalverify validate" in out
    reports = [os.path.join(root, f) for root, _, files in os.walk(str(tmp_path)) for f in files if f.endswith(".json")]
    assert len(reports) == 1 and "validate.minimax.value" in reports[0]
    assert os.path.exists(reports[0][:-5] + ".md") and os.path.exists(reports[0][:-5] + ".nfg")
    # --replay is a regression test of the target: exit 1 while the violation reproduces ...
    assert main(["validate", ref("MinimaxOffByOne"), "--replay", reports[0]]) == 1
    assert capsys.readouterr().out.startswith("still violated: ")
    # ... and 0 once the target passes the check on the recorded case (the correct solver does)
    assert main(["validate", "jalverify.minimax", "--replay", reports[0]]) == 0
    assert capsys.readouterr().out.startswith("fixed: jalverify.minimax now passes validate.minimax")
    # `jalverify replay` recognises a validation report and re-runs its check on the recorded target
    assert main(["replay", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "reproduced" in out and "MinimaxOffByOne" in out and "1/1 reports reproduce" in out


def test_cli_validate_json_and_exit_zero_when_nothing_is_refuted(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", "jalverify.minimax", "--max-examples", "5", "--format", "json", "--reports-dir", ""])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["refuted"] == [] and data["checks"][0]["verdict"] == "proven"
    assert data["capabilities"]["concept"] == "minimax"


def test_cli_validate_kind_mismatch_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "jalverify.minimax", "--kind", "learner", "--reports-dir", ""]) == 2
    assert "declares kind 'solver'" in capsys.readouterr().err


def test_cli_validate_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--list"]) == 0
    out = capsys.readouterr().out
    assert "nashpy.support_enumeration" in out and "gambit.enummixed_exact" in out


def test_pytest_plugin_runs_the_suites_against_a_target(tmp_path: object) -> None:
    from importlib import metadata

    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]))
    installed = any(ep.value == "jalverify.pytest_plugin" for ep in metadata.entry_points(group="pytest11"))
    load = [] if installed else ["-p", "jalverify.pytest_plugin"]  # an installed jalverify registers it itself
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *load, "-p", "no:cacheprovider", "-q",
         f"--jalverify-target={ref('MinimaxUniformRow')}", "--jalverify-target=jalverify.minimax",
         "--jalverify-max-examples=10", "--jalverify-seed=3", "--rootdir", str(tmp_path), str(tmp_path)],
        capture_output=True, text=True, timeout=300, env=env, cwd=str(tmp_path),
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "1 failed, 1 passed" in proc.stdout
    assert "[validate.minimax.row_strategy]" in proc.stdout
    assert "replay: jalverify validate" in proc.stdout


def test_pytest_plugin_fails_the_item_when_jalverify_itself_fails(tmp_path: Any) -> None:
    """An error of ours (here an injected SolverError in the minimax judge) fails the item and says it is
    jalverify's failure; it never passes and is never reported as a finding about the target."""
    from importlib import metadata

    (tmp_path / "conftest.py").write_text(
        "import jalverify.validation.suite as suite\n"
        "from jalverify.errors import SolverError\n"
        "def _broken(*args, **kwargs):\n"
        "    raise SolverError('injected failure of our own reference')\n"
        "suite.judge_minimax_answer = _broken\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]))
    installed = any(ep.value == "jalverify.pytest_plugin" for ep in metadata.entry_points(group="pytest11"))
    load = [] if installed else ["-p", "jalverify.pytest_plugin"]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *load, "-p", "no:cacheprovider", "-q", "--jalverify-target=jalverify.minimax",
         "--jalverify-max-examples=3", "--jalverify-seed=3", "--rootdir", str(tmp_path), str(tmp_path)],
        capture_output=True, text=True, timeout=300, env=env, cwd=str(tmp_path),
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "passed" not in proc.stdout.splitlines()[-1]
    assert "jalverify error (a failure of jalverify, not a finding about the target)" in proc.stdout
    assert "injected failure of our own reference" in proc.stdout


def test_cli_validate_exits_3_when_jalverify_itself_fails(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    import jalverify.validation.suite as suite
    from jalverify.errors import SolverError

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise SolverError("injected failure of our own reference")

    monkeypatch.setattr(suite, "judge_minimax_answer", broken)
    code = main(["validate", "jalverify.minimax", "--max-examples", "3", "--seed", "1", "--reports-dir", "",
                 "--format", "json", "--check", "validate.minimax"])
    data = json.loads(capsys.readouterr().out)
    assert code == 3
    assert data["refuted"] == [] and data["errors"] and all(
        c["verdict"] == "error" for c in data["checks"] if c["check"] in data["errors"])


def test_check_prefixes_are_checked(capsys: pytest.CaptureFixture[str], tmp_path: Any) -> None:
    """--check that matches no check at all, or none that applies to the target, is bad input (exit 2, one line,
    nothing run or written); with --all-builtin a prefix only has to exist."""
    assert main(["validate", "jalverify.minimax", "--check", "zzz", "--reports-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--check 'zzz' matches no check of jalverify" in err and len(err.strip().splitlines()) == 1
    assert main(["validate", "jalverify.minimax", "--check", "validate.nash", "--reports-dir", str(tmp_path)]) == 2
    assert "matches none of the checks that apply to jalverify.minimax" in capsys.readouterr().err
    assert main(["validate", "jalverify.minimax", "--time-limit", "-1"]) == 2
    assert "--time-limit must be a positive number" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_pytest_plugin_honours_the_target_limits(tmp_path: Any) -> None:
    """--jalverify-min-actions narrows the games sent: the crash on 1×1 all-zero games is never sent, the CE
    violation on 2×2 games is still reported."""
    from importlib import metadata

    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]))
    installed = any(ep.value == "jalverify.pytest_plugin" for ep in metadata.entry_points(group="pytest11"))
    load = [] if installed else ["-p", "jalverify.pytest_plugin"]
    common = [sys.executable, "-m", "pytest", *load, "-p", "no:cacheprovider", "-q",
              f"--jalverify-target={ref('SummedRowsCE')}", "--jalverify-seed=4", "--rootdir", str(tmp_path),
              str(tmp_path)]
    plain = subprocess.run(common, capture_output=True, text=True, timeout=300, env=env, cwd=str(tmp_path))
    limited = subprocess.run(common + ["--jalverify-min-actions=2", "--jalverify-square-only"], capture_output=True,
                             text=True, timeout=300, env=env, cwd=str(tmp_path))
    assert plain.returncode == 1 and limited.returncode == 1, plain.stdout + limited.stdout
    assert "[validate.target.raised]" in plain.stdout and "[validate.stage.equilibrium]" in plain.stdout
    assert "[validate.stage.equilibrium]" in limited.stdout
    assert "shape (2, 1, 1)" not in limited.stdout and "shape (2, 1, 2)" not in limited.stdout
