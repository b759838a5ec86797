"""The README index of a counterexample directory: one row per stored report, grouped by theorem."""

from __future__ import annotations

import json
import os
from pathlib import Path

from jalverify.files import write_text_atomically
from jalverify.reports.store import REPORT_FORMAT

__all__ = ["render_index", "write_index"]

_HEADER = """# Counterexamples

Minimal exact counterexamples found by `jalverify verify` (Hypothesis search, shrunk) and the literature examples
of the seed notes, one folder per theorem id.  Each finding is `<hash>.json` (the report: claim, exact case,
witness, provenance, replay command), `<hash>.md` (readable) and, for normal-form games, `<hash>.nfg` (Gambit).
The hash is of the finding's content, so the same finding is never stored twice.

Replay all of them (exit status 1 if one no longer reproduces):

```bash
jalverify replay counterexamples/
```

| theorem | expected | finding | source | report |
|---|---|---|---|---|
"""


def _rows(folder: Path) -> list[str]:
    rows = []
    for path in sorted(folder.rglob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
            continue
        source = data.get("generation", {}).get("source", "")
        message = str(data["verdict"]["message"]).replace("|", "\\|")
        rel = path.relative_to(folder).as_posix()
        rows.append(f"| `{data['theorem']}` | {data['expected']} | {message} | {source} | [{path.stem}]({rel}) |")
    return rows


def render_index(reports_dir: str | os.PathLike) -> str:
    """The Markdown index of every report under ``reports_dir``."""
    return _HEADER + "\n".join(_rows(Path(reports_dir))) + "\n"


def write_index(reports_dir: str | os.PathLike) -> Path:
    """Write ``README.md`` in ``reports_dir`` (atomically) and return its path."""
    path = Path(reports_dir) / "README.md"
    write_text_atomically(path, render_index(reports_dir), make_parents=True)
    return path
