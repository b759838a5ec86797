"""``jalverify replay REPORT...``: re-check saved counterexample reports; exit 1 if one no longer reproduces."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "replay",
        help="re-check saved counterexample reports",
        description="Decode each report's exact case, run its theorem's check again with the current code, and "
                    "compare with the recorded verdict.  A directory replays every report under it.",
    )
    parser.add_argument("reports", nargs="+", metavar="REPORT", help="report .json files or directories")
    parser.set_defaults(func=run)


def _is_report(path: Path) -> bool:
    import json

    from jalverify.reports.store import REPORT_FORMAT

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(data, dict) and data.get("format") == REPORT_FORMAT


def _expand(paths: list[str]) -> tuple[list[Path], list[Path]]:
    """Report files to replay, and JSON files under the given directories that are not reports (listed)."""
    out: list[Path] = []
    other: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for q in sorted(p.rglob("*.json")):
                if q.name.startswith("."):
                    continue
                (out if _is_report(q) else other).append(q)
        else:
            out.append(p)
    return out, other


def run(args: argparse.Namespace) -> int:
    from jalverify.errors import InvalidFile
    from jalverify.reports.replay import replay_report
    from jalverify.reports.store import load_report
    from jalverify.validation.replay import is_validation_report, replay_validation_report

    files, other = _expand(args.reports)
    for path in other:
        print(f"skipped  {path}: not a {'jalverify.counterexample/1'} report")
    if not files:
        raise InvalidFile(f"replay: no report files under {args.reports}")
    failed = 0
    for path in files:
        if is_validation_report(load_report(path)):
            outcome = replay_validation_report(path)  # a third-party finding: re-run its check on its target
            if outcome.reproduced:
                print(f"reproduced  {path}: {outcome.target}: {outcome.verdict.message}")
            else:
                failed += 1
                print(f"NOT REPRODUCED  {path}: {outcome.target}: recorded {outcome.recorded_status}, now "
                      f"{outcome.verdict.status.value}: {outcome.verdict.message}")
            continue
        result = replay_report(path)
        if result.reproduced:
            note = "" if result.same_witness else " (witness differs in detail)"
            print(f"reproduced  {path}: {result.verdict.message}{note}")
        else:
            failed += 1
            print(f"NOT REPRODUCED  {path}: recorded {result.recorded_status}, now {result.verdict.status.value}: "
                  f"{result.verdict.message}")
    print(f"{len(files) - failed}/{len(files)} reports reproduce")
    return 0 if failed == 0 else 1
