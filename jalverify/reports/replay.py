"""Replay a stored counterexample report: decode its exact case, re-run the theorem's check, compare.

A report *reproduces* when the check, run on the stored case with the current code, ends in the recorded
status (REFUTED).  The witness is compared too and a difference is reported (a solver may pick another optimal
strategy), but only the status decides.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from jalverify.errors import UnknownName
from jalverify.reports.codec import decode_case
from jalverify.reports.store import load_report
from jalverify.theorems.registry import THEOREMS, load_all
from jalverify.verdicts import Verdict

__all__ = ["ReplayResult", "replay_report"]


@dataclass(frozen=True)
class ReplayResult:
    """Outcome of replaying one report."""

    path: str
    theorem: str
    recorded_status: str
    verdict: Verdict
    reproduced: bool
    same_witness: bool


def replay_report(path: str | os.PathLike) -> ReplayResult:
    """Re-check the report at ``path``.

    Raises
    ------
    InvalidFile
        The file is not a report or its case cannot be decoded.
    UnknownName
        The theorem id is not registered.
    """
    import json

    report = load_report(path)
    load_all()
    tid = report["theorem"]
    if tid not in THEOREMS:
        raise UnknownName(f"replay_report(): {path}: unknown theorem {tid!r}")
    theorem = THEOREMS[tid]
    case: tuple[Any, ...] = decode_case(report["case"], where=f"{path}: case")
    verdict = theorem.check(*case)
    recorded = report["verdict"]["status"]
    witness_now = json.loads(json.dumps(dict(verdict.witness), default=str, sort_keys=True))
    return ReplayResult(str(path), tid, recorded, verdict, verdict.status.value == recorded,
                        witness_now == report["verdict"]["witness"])
