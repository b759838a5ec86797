"""Counterexample reports: build, hash, render, and store them safely.

A report is written as ``<reports dir>/<theorem id>/<short hash>.json`` with a Markdown rendering
(``.md``) and, when the case contains a normal-form game, the game in Gambit's ``.nfg`` format.  The short hash
is the first 12 hex digits of the SHA-256 of the report's *canonical content*: the theorem id, the exact case
and the verdict (status, witness).  Seeds, timings and versions are provenance, not content, so finding the same
counterexample twice gives the same file name: the second finding is recognised as a duplicate and nothing is
written.  Files are written atomically (a temporary file in the same directory, then :func:`os.replace`), and
a different report is never overwritten (an existing file with the same name but other content is an error).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jalverify.errors import InvalidFile, JalverifyError
from jalverify.files import write_text_atomically
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame
from jalverify.reports.codec import encode_case
from jalverify.verdicts import Verdict

__all__ = [
    "REPORT_FORMAT",
    "ReportConflict",
    "StoredReport",
    "build_report",
    "canonical_content",
    "report_hash",
    "write_report",
    "render_markdown",
    "load_report",
    "versions",
]

REPORT_FORMAT = "jalverify.counterexample/1"
HASH_LENGTH = 12


class ReportConflict(JalverifyError, FileExistsError):
    """A different report already exists under the same name; nothing was overwritten."""


@dataclass(frozen=True)
class StoredReport:
    """Where a report lives and whether this call wrote it (``new``) or found it already there (``duplicate``)."""

    path: Path
    status: str
    hash: str


def versions() -> dict[str, str]:
    """Versions of jalverify, Python and the main libraries (provenance of a report)."""
    out = {"python": platform.python_version()}
    for name in ("jalverify", "hypothesis", "numpy", "highspy", "flint"):
        try:
            module = __import__(name)
        except ImportError:
            continue
        out[name] = str(getattr(module, "__version__", "unknown"))
    return out


def _witness_json(witness: Mapping[str, Any]) -> Any:
    """The witness as JSON data (it is built from formatted numbers already; anything else is stringified)."""
    return json.loads(json.dumps(dict(witness), default=str, sort_keys=True))


def canonical_content(report: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a report that identifies a finding: theorem, case, verdict status and witness."""
    verdict = report["verdict"]
    return {"theorem": report["theorem"], "case": report["case"],
            "verdict": {"status": verdict["status"], "witness": verdict["witness"]}}


def report_hash(report: Mapping[str, Any]) -> str:
    """First 12 hex digits of the SHA-256 of the canonical content (sorted keys, compact separators)."""
    text = json.dumps(canonical_content(report), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def _first_game(arguments: Sequence[Any]) -> NormalFormGame | StochasticGame | None:
    for a in arguments:
        if isinstance(a, (NormalFormGame, StochasticGame)):
            return a
        game = getattr(a, "game", None)
        if isinstance(game, (NormalFormGame, StochasticGame)):
            return game
    return None


def build_report(*, theorem: Any, verdict: Verdict, arguments: Sequence[Any], generation: Mapping[str, Any],
                 reports_dir: str | os.PathLike | None = None) -> dict[str, Any]:
    """Assemble the report document of a refuted claim.

    Parameters
    ----------
    theorem : Theorem
        The registry entry (id, claim, expected, citation, strategy).
    verdict : Verdict
        The REFUTED verdict at the (minimal) case.
    arguments : sequence
        The check's arguments at that case.
    generation : mapping
        How the case was produced: ``{"source": "hypothesis", "strategy": ..., "seed": ..., ...}`` or
        ``{"source": "known counterexample", ...}``.
    """
    from jalverify.games.formats import dump_game

    game = _first_game(arguments)
    report: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "theorem": theorem.id,
        "claim": theorem.claim,
        "expected": theorem.expected,
        "citation": theorem.citation,
        "verdict": {"status": verdict.status.value, "message": verdict.message,
                    "witness": _witness_json(verdict.witness)},
        "case": encode_case(arguments),
        "game": dump_game(game) if game is not None else None,
        "generation": dict(generation),
        "versions": versions(),
    }
    digest = report_hash(report)
    report["hash"] = digest
    base = Path(reports_dir) if reports_dir is not None else Path("counterexamples")
    report["replay"] = f"jalverify replay {(base / theorem.id / (digest + '.json')).as_posix()}"
    return report


def load_report(path: str | os.PathLike) -> dict[str, Any]:
    """Read a report file.

    Raises
    ------
    InvalidFile
        Not JSON, or not a ``jalverify.counterexample/1`` document.
    """
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InvalidFile(f"load_report(): {p}: not JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        raise InvalidFile(f"load_report(): {p}: expected a {REPORT_FORMAT!r} document")
    for key in ("theorem", "case", "verdict"):
        if key not in data:
            raise InvalidFile(f"load_report(): {p}: missing key {key!r}")
    return data


def _num_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def render_markdown(report: Mapping[str, Any]) -> str:
    """A human-readable rendering of a report."""
    verdict = report["verdict"]
    lines = [
        f"# Counterexample: `{report['theorem']}`",
        "",
        f"**Claim.** {report['claim']}",
        "",
        f"**Expected:** {report['expected']} · **verdict:** {verdict['status']}",
        "",
        f"**Finding.** {verdict['message']}",
        "",
        f"**Source:** {report.get('citation', '')}",
        "",
        "## Witness",
        "",
    ]
    for key, value in verdict["witness"].items():
        lines.append(f"- `{key}`: {_num_text(value)}")
    game = report.get("game")
    if game is not None:
        lines += ["", "## Game (`jalverify.game/1`, exact)", "", "```json", json.dumps(game, indent=1), "```"]
    gen = report.get("generation", {})
    lines += ["", "## Provenance", ""]
    for key, value in gen.items():
        lines.extend(_provenance_lines(key, value, 0))
    lines.append("- versions: " + ", ".join(f"{k} {v}" for k, v in report.get("versions", {}).items()))
    lines += ["", "## Replay", "", "```bash", report.get("replay", ""), "```", ""]
    return "\n".join(lines)


def _provenance_lines(key: str, value: Any, depth: int) -> list[str]:
    """A provenance entry as Markdown bullets: nested mappings and lists become nested bullets, never reprs."""
    indent = "  " * depth
    if isinstance(value, Mapping):
        if not value:
            return [f"{indent}- {key}: none"]
        out = [f"{indent}- {key}:"]
        for k, v in value.items():
            out.extend(_provenance_lines(str(k), v, depth + 1))
        return out
    if isinstance(value, (list, tuple)):
        if all(not isinstance(v, (Mapping, list, tuple)) for v in value):
            return [f"{indent}- {key}: " + (", ".join(str(v) for v in value) if value else "none")]
        out = [f"{indent}- {key}:"]
        for index, v in enumerate(value, 1):
            out.extend(_provenance_lines(str(index), v, depth + 1))
        return out
    return [f"{indent}- {key}: {value}"]


def write_report(report: Mapping[str, Any], reports_dir: str | os.PathLike) -> StoredReport:
    """Store ``report`` under ``reports_dir/<theorem id>/<hash>.json`` (+ ``.md``, + ``.nfg`` for a normal-form
    game), atomically.

    Returns
    -------
    StoredReport
        ``status="new"`` when written, ``"duplicate"`` when the same finding is already stored (nothing written).

    Raises
    ------
    ReportConflict
        A file of that name holds a *different* finding (never overwritten).
    """
    digest = report_hash(report)
    folder = Path(reports_dir) / str(report["theorem"])
    path = folder / f"{digest}.json"
    if path.exists():
        try:
            existing = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ReportConflict(f"write_report(): {path} exists and is not a readable report; not overwritten") from exc
        if canonical_content(existing) == canonical_content(report):
            return StoredReport(path, "duplicate", digest)
        raise ReportConflict(f"write_report(): {path} holds a different finding; not overwritten")
    game = report.get("game")
    if game is not None and game.get("kind") == "normal_form":
        from jalverify.games.formats import dump_nfg, game_from_dict

        nfg = dump_nfg(game_from_dict(game, source=str(path)),
                       comment=f"counterexample to {report['theorem']}: {report['claim']}")
        write_text_atomically(folder / f"{digest}.nfg", nfg, make_parents=True)
    write_text_atomically(folder / f"{digest}.md", render_markdown(report), make_parents=True)
    write_text_atomically(path, json.dumps(dict(report), indent=1, ensure_ascii=False) + "\n",
                          make_parents=True)
    return StoredReport(path, "new", digest)
