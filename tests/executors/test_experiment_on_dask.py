"""``jalverify experiment`` on a real Dask cluster (the session's scheduler and two workers, see conftest.py):
the numbers of a serial run, and a worker killed mid-campaign loses no finished run."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

TIMEOUT = 600

CAMPAIGN = """\
name = "on dask"
games = ["catalog:matching_pennies"]
algorithms = ["minimax-q", "iql"]
seeds = { start = 0, count = %d }
steps = %d
checkpoints = 4
gamma = "9/10"
"""


def _jalverify() -> list[str]:
    search = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    script = shutil.which("jalverify", path=search)
    return [script] if script is not None else [sys.executable, "-m", "jalverify"]


def _experiment(folder: Path, *args: str) -> dict[str, Any]:
    result = subprocess.run(_jalverify() + ["experiment", "campaign.toml", "--no-plots", "--format", "json", *args],
                            cwd=folder, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_dask_cluster_gives_the_serial_numbers(tmp_path: Path, dask_scheduler: str) -> None:
    for name in ("serial", "dask"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "campaign.toml").write_text(CAMPAIGN % (3, 600), encoding="utf-8")
    serial = _experiment(tmp_path / "serial")
    on_dask = _experiment(tmp_path / "dask", "--scheduler", dask_scheduler)
    assert on_dask["executor"].startswith(f"Dask cluster {dask_scheduler}")
    assert on_dask["groups"] == serial["groups"]
    assert on_dask["runs"] == serial["runs"] == {"total": 6, "computed": 6, "reused": 0, "failed": 0}


def test_a_worker_killed_mid_campaign_loses_no_finished_run(tmp_path: Path, dask_scheduler: str) -> None:
    import distributed

    (tmp_path / "campaign.toml").write_text(CAMPAIGN % (8, 4000), encoding="utf-8")
    runs = tmp_path / "experiments" / "on-dask" / "runs"
    process = subprocess.Popen(_jalverify() + ["experiment", "campaign.toml", "--no-plots", "--format", "json",
                                               "--scheduler", dask_scheduler],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + TIMEOUT
        while len(list(runs.glob("*.json"))) < 2:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "no run finished in time"
            time.sleep(0.05)
        finished = {p: p.read_bytes() for p in runs.glob("*.json")}
        with distributed.Client(dask_scheduler, timeout=30, set_as_default=False) as client:
            pids = client.run(os.getpid)
        os.kill(sorted(pids.values())[0], signal.SIGKILL)  # the nanny restarts it; its task is run again
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert "a worker died while task" in stderr, stderr  # the killed worker was running a run: it ran again
    summary = json.loads(stdout)
    assert summary["runs"] == {"total": 16, "computed": 16, "reused": 0, "failed": 0}
    assert all(p.read_bytes() == text for p, text in finished.items())  # finished runs untouched
    records = [json.loads(p.read_text(encoding="utf-8")) for p in runs.glob("*.json")]
    assert len(records) == 16 and {r["status"] for r in records} == {"ok"}
    (tmp_path / "serial").mkdir()
    (tmp_path / "serial" / "campaign.toml").write_text(CAMPAIGN % (8, 4000), encoding="utf-8")
    assert _experiment(tmp_path / "serial")["groups"] == summary["groups"]
