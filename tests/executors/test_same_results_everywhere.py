"""``jalverify verify`` and ``jalverify validate`` give the same results (minus timings) and write the same reports
serially, on two local worker processes, on a real Dask cluster (a scheduler and two workers as subprocesses) and
(verify) on a local Dask cluster."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

JALVERIFY = str(Path(sys.executable).with_name("jalverify"))
BROKEN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "validation", "broken_solvers.py")

#: Three fast theorems: two that hold, one refuted as expected (its report is written).
VERIFY = ["verify", "--theorem", "minimax.[eot]*", "--max-examples", "10", "--seed", "3"]
#: A broken solver (it drops mixed equilibria) on three checks, each refuted; two distinct violations.
VALIDATE = ["validate", f"{BROKEN}:DropSupport", "--check", "validate.nash.soundness", "--check",
            "validate.nash.completeness.nondegenerate", "--max-examples", "10", "--seed", "3"]


def _without_timings(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def run(command: list[str], flags: list[str], folder: Path) -> tuple[Any, int, dict[str, str], str]:
    """Run ``command`` with its own reports folder; return the JSON output (timings dropped, the folder replaced
    by ``REPORTS``), the exit code, every report file, and stderr."""
    done = subprocess.run([JALVERIFY, *command, "--format", "json", "--reports-dir", str(folder), *flags],
                          check=False, capture_output=True, text=True, timeout=300, cwd=folder.parent)
    assert done.returncode in (0, 1), done.stderr
    output = json.loads(done.stdout.replace(str(folder), "REPORTS"))
    files = {p.relative_to(folder).as_posix(): p.read_text().replace(str(folder), "REPORTS")
             for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}
    for unit in output.get("theorems", output.get("checks")):  # a progress line per result, as it arrives
        name = unit.get("id", unit.get("check"))
        assert any(name + " " in line or name + ":" in line for line in done.stderr.splitlines()
                   if not line.endswith("...")), done.stderr
    return _without_timings(output), done.returncode, files, done.stderr


def executors(scheduler: str) -> dict[str, list[str]]:
    return {"processes": ["--workers", "2"], "dask-cluster": ["--scheduler", scheduler],
            "dask-local": ["--workers", "2", "--dask"]}


STARTED = {"processes": "jalverify: running on 2 local worker processes",
           "dask-cluster": "jalverify: connected to the Dask cluster", "dask-local": "jalverify: started a Dask local"}


@pytest.fixture(scope="module")
def verify_runs(dask_scheduler: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("verify")
    runs = {"serial": run(VERIFY, [], folder / "serial")}
    for name, flags in executors(dask_scheduler).items():
        runs[name] = run(VERIFY, flags, folder / name)
    return runs


@pytest.fixture(scope="module")
def validate_runs(dask_scheduler: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("validate")
    runs = {"serial": run(VALIDATE, [], folder / "serial")}
    for name, flags in executors(dask_scheduler).items():
        if name != "dask-local":  # the local cluster is covered by verify (and the executor tests)
            runs[name] = run(VALIDATE, flags, folder / name)
    return runs


def test_the_serial_verify_run_is_a_real_baseline(verify_runs: dict[str, Any]) -> None:
    output, code, files, _ = verify_runs["serial"]
    assert code == 0 and len(output["theorems"]) == 3
    assert {t["verdict"] for t in output["theorems"]} == {"proven", "refuted"}
    assert any(name.startswith("minimax.exploits_weak_opponents/") and name.endswith(".json") for name in files)


@pytest.mark.parametrize("name", ["processes", "dask-cluster", "dask-local"])
def test_verify_gives_the_same_verdicts_and_reports(verify_runs: dict[str, Any], name: str) -> None:
    output, code, files, stderr = verify_runs[name]
    assert STARTED[name] in stderr
    assert (output, code, files) == verify_runs["serial"][:3]


def test_the_serial_validate_run_is_a_real_baseline(validate_runs: dict[str, Any]) -> None:
    output, code, files, _ = validate_runs["serial"]
    assert code == 1 and len(output["checks"]) == 3
    assert "validate.nash.completeness.nondegenerate" in output["refuted"]
    reports = {name.split("/")[0]: json.loads(text) for name, text in files.items() if name.endswith(".json")}
    assert set(reports) == {"validate.nash.at_least_one", "validate.nash.completeness.nondegenerate"}
    # three checks find "no equilibrium returned": its one report names the first check, whatever finished first
    assert reports["validate.nash.at_least_one"]["generation"]["check"] == "validate.nash.soundness"


@pytest.mark.parametrize("name", ["processes", "dask-cluster"])
def test_validate_gives_the_same_outcomes_findings_and_reports(validate_runs: dict[str, Any], name: str) -> None:
    output, code, files, stderr = validate_runs[name]
    assert STARTED[name] in stderr
    assert (output, code, files) == validate_runs["serial"][:3]
