"""``jalverify replay REPORT...``: re-check saved counterexample reports.

Exit codes: 0 every report reproduces, 1 some report no longer reproduces, 2 bad input (no report found, a
malformed report), 3 jalverify failed while re-checking (a check ended in ``error``).  Progress (report k of n,
elapsed, ETA) goes to stderr; ``--format json`` prints one object (schema ``replay.schema.json``).
"""

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
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text lines (default) or one JSON object")
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
    import json
    import sys
    import time

    from jalverify.errors import EXIT_INTERNAL, EXIT_OK, EXIT_REFUTED, InvalidFile
    from jalverify.reports.replay import replay_report
    from jalverify.reports.store import load_report
    from jalverify.validation.replay import is_validation_report, replay_validation_report
    from jalverify.verdicts import Status

    files, other = _expand(args.reports)
    if not files:
        raise InvalidFile(f"replay: no report files under {' '.join(args.reports)}")
    rows: list[dict[str, object]] = []
    started = time.perf_counter()
    for index, path in enumerate(files, 1):
        elapsed = time.perf_counter() - started
        eta = f", ETA {elapsed / (index - 1) * (len(files) - index + 1):.0f} s" if index > 1 else ""
        print(f"[{index}/{len(files)}] {path} ({elapsed:.0f} s elapsed{eta})", file=sys.stderr, flush=True)
        if is_validation_report(load_report(path)):
            outcome = replay_validation_report(path)  # a third-party finding: re-run its check on its target
            row = {"report": str(path), "target": outcome.target, "recorded": outcome.recorded_status,
                   "verdict": outcome.verdict.status.value, "reproduced": outcome.reproduced,
                   "message": outcome.verdict.message}
        else:
            result = replay_report(path)
            row = {"report": str(path), "target": None, "recorded": result.recorded_status,
                   "verdict": result.verdict.status.value, "reproduced": result.reproduced,
                   "same_witness": result.same_witness, "message": result.verdict.message}
        rows.append(row)
        if args.format == "text":
            target = f"{row['target']}: " if row["target"] else ""
            if row["reproduced"]:
                note = " (witness differs in detail)" if row.get("same_witness") is False else ""
                print(f"reproduced  {path}: {target}{row['message']}{note}")
            else:
                words = Status(row["verdict"]).words
                print(f"NOT REPRODUCED  {path}: {target}recorded {row['recorded']}, now {words}: {row['message']}")
    reproduced = sum(1 for r in rows if r["reproduced"])
    errors = sum(1 for r in rows if r["verdict"] == Status.ERROR.value)
    if args.format == "json":
        print(json.dumps({"format": "jalverify.replay/1", "reports": rows, "reproduced": reproduced,
                          "total": len(rows), "skipped": [str(q) for q in other],
                          "seconds": round(time.perf_counter() - started, 3)}, indent=2))
    else:
        for q in other:
            print(f"skipped  {q}: not a jalverify.counterexample/1 report")
        print(f"{reproduced}/{len(rows)} reports reproduce")
    if errors:
        return EXIT_INTERNAL
    return EXIT_OK if reproduced == len(rows) else EXIT_REFUTED
