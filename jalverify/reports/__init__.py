"""Counterexample reports (store, render, replay) and the ``jalverify verify`` runner."""

from jalverify.reports.codec import decode_case, encode_case
from jalverify.reports.replay import ReplayResult, replay_report
from jalverify.reports.runner import TheoremRun, VerifyRun, format_table, run_theorem, run_verify
from jalverify.reports.store import (
    REPORT_FORMAT,
    ReportConflict,
    StoredReport,
    build_report,
    load_report,
    render_markdown,
    report_hash,
    write_report,
)

__all__ = [
    "REPORT_FORMAT",
    "ReportConflict",
    "StoredReport",
    "build_report",
    "load_report",
    "render_markdown",
    "report_hash",
    "write_report",
    "encode_case",
    "decode_case",
    "ReplayResult",
    "replay_report",
    "TheoremRun",
    "VerifyRun",
    "run_theorem",
    "run_verify",
    "format_table",
]
