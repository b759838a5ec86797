"""The executor flags of the installed ``jalverify`` command: bad values and combinations exit 2 with one line
naming the flag; a Dask executor without the ``distributed`` extra exits 2 naming the extra."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

JALVERIFY = str(Path(sys.executable).with_name("jalverify"))


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([JALVERIFY, *args], check=False, capture_output=True, text=True, timeout=120)


VERIFY = ["verify", "--theorem", "minimax.theorem", "--max-examples", "1"]
VALIDATE = ["validate", "jalverify.minimax", "--max-examples", "1"]
BAD = [
    (VERIFY, ["--workers", "0"], "--workers must be an integer from 1 to 1024, got 0"),
    (VERIFY, ["--workers", "-3"], "--workers must be an integer from 1 to 1024, got -3"),
    (VERIFY, ["--workers", "two"], "argument --workers: invalid int value: 'two'"),
    (VERIFY, ["--dask"], "--dask starts a local Dask cluster of --workers N processes"),
    (VERIFY, ["--scheduler", "localhost:8786"], "--scheduler must be a Dask scheduler address tcp://HOST:PORT"),
    (VERIFY, ["--scheduler", "tcp://127.0.0.1:99999"], "got 'tcp://127.0.0.1:99999'"),
    (VERIFY, ["--scheduler", "tcp://127.0.0.1:8786", "--workers", "2"], "--workers 2 does not apply"),
    (VERIFY, ["--scheduler", "tcp://127.0.0.1:8786", "--dask"], "--dask does not apply"),
    (VALIDATE, ["--workers", "0"], "--workers must be an integer from 1 to 1024, got 0"),
    (VALIDATE, ["--dask"], "--dask starts a local Dask cluster of --workers N processes"),
    (VALIDATE, ["--scheduler", "10.0.0.5"], "--scheduler must be a Dask scheduler address tcp://HOST:PORT"),
]


@pytest.mark.parametrize("command, flags, words", BAD, ids=[f"{c[0]} {' '.join(f)}" for c, f, _ in BAD])
def test_bad_executor_flags_exit_2_with_one_line(command: list[str], flags: list[str], words: str) -> None:
    done = run(*command, *flags)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert words in lines[0]


@pytest.mark.parametrize("flags", [["--list", "--workers", "2"], ["--replay", "r.json", "--scheduler", "tcp://h:1"]])
def test_validate_modes_without_tasks_refuse_executor_flags(flags: list[str]) -> None:
    done = run("validate", *(["jalverify.minimax"] if "--replay" in flags else []), *flags)
    assert done.returncode == 2, done.stderr
    assert "do not apply" in done.stderr and len(done.stderr.strip().splitlines()) == 1


MISSING_DISTRIBUTED = textwrap.dedent("""
    import sys
    sys.modules["distributed"] = None  # import distributed now raises ImportError, as when it is not installed
    from jalverify.cli import main
    sys.exit(main(sys.argv[1:]))
""")


@pytest.mark.parametrize("flags", [["--workers", "2", "--dask"], ["--scheduler", "tcp://127.0.0.1:8786"]])
def test_dask_without_the_extra_names_the_extra(flags: list[str]) -> None:
    done = subprocess.run([sys.executable, "-c", MISSING_DISTRIBUTED, "verify", "--theorem", "minimax.theorem",
                           "--max-examples", "1", *flags], check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "pip install 'jalverify[distributed]'" in lines[0]


def test_local_processes_need_no_extra() -> None:
    done = subprocess.run([sys.executable, "-c", MISSING_DISTRIBUTED, "verify", "--theorem", "minimax.theorem",
                           "--max-examples", "2", "--seed", "1", "--no-reports", "--workers", "1"],
                          check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "running on 1 local worker process" in done.stderr
