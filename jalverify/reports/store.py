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
    "load_report",
    "refresh_markdown",
    "render_markdown",
    "report_hash",
    "versions",
    "write_report",
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


def _scalar_text(value: Any) -> str:
    """A witness scalar as text: numbers are stored as fraction strings already; booleans read yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "none"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (Mapping, list, tuple))


def _is_matrix(value: Any) -> bool:
    """A non-empty list of equally long non-empty lists of scalars."""
    return (isinstance(value, (list, tuple)) and len(value) > 0
            and all(isinstance(r, (list, tuple)) and r and all(_is_scalar(x) for x in r) for r in value)
            and len({len(r) for r in value}) == 1)


def _vector_text(value: Sequence[Any]) -> str:
    return "(" + ", ".join(_scalar_text(x) for x in value) + ")"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


#: Mappings of at most this many scalar entries are written on one line (``keep: 1/3, send: 2/3``).
_INLINE_ENTRIES = 8


def _is_record_list(value: Sequence[Any]) -> bool:
    """A list of mappings with the same keys whose values are scalars or vectors of scalars (a table)."""
    if not all(isinstance(r, Mapping) and r for r in value):
        return False
    keys = list(value[0])
    return all(list(r) == keys and all(_is_scalar(v) or (isinstance(v, (list, tuple)) and all(map(_is_scalar, v)))
                                       for v in r.values()) for r in value)


def _cell_text(value: Any) -> str:
    return _scalar_text(value) if _is_scalar(value) else _vector_text(value)


def _table_markdown(rows: Sequence[Sequence[str]]) -> list[str]:
    head, *body = rows
    out = ["| " + " | ".join(_md_cell(c) for c in head) + " |", "|" + "---|" * len(head)]
    return out + ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in body]


def _matrix_markdown(value: Sequence[Sequence[Any]]) -> list[str]:
    """A matrix as a Markdown table, rows and columns numbered from 1."""
    k = len(value[0])
    out = ["| | " + " | ".join(str(c) for c in range(1, k + 1)) + " |", "|---|" + "---|" * k]
    out += [f"| **{r}** | " + " | ".join(_md_cell(_scalar_text(x)) for x in row) + " |"
            for r, row in enumerate(value, 1)]
    return out


def _witness_lines(key: str, value: Any, depth: int) -> list[str]:
    """A witness entry as Markdown: scalars inline, vectors as ``(a, b, c)``, matrices as tables (nested ones as
    rows ``(a, b); (c, d)``), mappings and lists of structures as nested bullets; never a JSON or Python repr."""
    indent = "  " * depth
    name = f"`{key}`" if depth == 0 else key
    if _is_scalar(value):
        text = _scalar_text(value)
        if "\n" in text:  # a traceback or a long error message: keep it as a block
            return [f"{indent}- {name}:", "", "```text", text.rstrip("\n"), "```", ""]
        return [f"{indent}- {name}: {text}"]
    if isinstance(value, Mapping):
        if not value:
            return [f"{indent}- {name}: none"]
        if len(value) <= _INLINE_ENTRIES and all(_is_scalar(v) for v in value.values()):
            return [f"{indent}- {name}: " + ", ".join(f"{k}: {_scalar_text(v)}" for k, v in value.items())]
        out = [f"{indent}- {name}:"]
        for k, v in value.items():
            out.extend(_witness_lines(str(k), v, depth + 1))
        return out
    if not value:
        return [f"{indent}- {name}: none"]
    if all(_is_scalar(x) for x in value):
        return [f"{indent}- {name}: {_vector_text(value)}"]
    if depth == 0 and _is_record_list(value):
        columns = list(value[0])
        rows = [columns] + [[_cell_text(r[c]) for c in columns] for r in value]
        return [f"{indent}- {name}:", ""] + _table_markdown(rows) + [""]
    if _is_matrix(value):
        if depth == 0:
            return [f"{indent}- {name}:", ""] + _matrix_markdown(value) + [""]
        return [f"{indent}- {name}: " + "; ".join(_vector_text(r) for r in value)]
    out = [f"{indent}- {name}:"]
    for index, v in enumerate(value, 1):
        out.extend(_witness_lines(str(index), v, depth + 1))
    return out


def _game_markdown(document: Mapping[str, Any]) -> list[str]:
    """The game of a report as Markdown tables (:func:`jalverify.games.tables.game_table_markdown`)."""
    from jalverify.games.formats import game_from_dict
    from jalverify.games.tables import game_table_markdown

    game = game_from_dict(dict(document), source="report")
    return game_table_markdown(game).rstrip("\n").split("\n")


def _compact_json(document: Mapping[str, Any]) -> str:
    """A JSON object with one top-level key per line and each value on one line (arrays stay compact)."""
    def value(v: Any) -> str:
        if isinstance(v, list) and v and all(isinstance(x, Mapping) for x in v):  # e.g. the states: one a line
            return "[\n" + ",\n".join(f"  {json.dumps(x, ensure_ascii=False)}" for x in v) + "\n ]"
        return json.dumps(v, ensure_ascii=False)

    items = [f" {json.dumps(k)}: {value(v)}" for k, v in document.items()]
    return "{\n" + ",\n".join(items) + "\n}"


def render_markdown(report: Mapping[str, Any]) -> str:
    """A human-readable rendering of a report: claim, finding, the witness (tables and fraction lists), the game
    as payoff tables, provenance, the replay command, and the exact game document (JSON) in a collapsed block."""
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
        lines.extend(_witness_lines(str(key), value, 0))
    game = report.get("game")
    if game is not None:
        name = game.get("name") or ""
        lines += ["", "## Game" + (f": `{name}`" if name else ""), ""] + _game_markdown(game)
    gen = report.get("generation", {})
    lines += ["", "## Provenance", ""]
    for key, value in gen.items():
        lines.extend(_provenance_lines(key, value, 0))
    lines.append("- versions: " + ", ".join(f"{k} {v}" for k, v in report.get("versions", {}).items()))
    lines += ["", "## Replay", "", "```bash", report.get("replay", ""), "```", ""]
    if game is not None:
        lines += [("<details><summary>The game as exact JSON (<code>jalverify.game/1</code>), for copy and paste"
                  "</summary>"), "", "```json", _compact_json(game), "```", "", "</details>",
                  ""]
    lines = [line.rstrip() for line in lines]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


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


def refresh_markdown(reports_dir: str | os.PathLike) -> list[Path]:
    """Rewrite the ``.md`` rendering of every report under ``reports_dir`` from its ``.json`` (after a change of
    :func:`render_markdown`); the reports themselves are not touched.  Returns the files rewritten."""
    written = []
    for path in sorted(Path(reports_dir).rglob("*.json")):
        try:
            report = load_report(path)
        except InvalidFile:
            continue  # summaries, campaign records and other JSON files that are not reports
        md = path.with_suffix(".md")
        write_text_atomically(md, render_markdown(report), make_parents=True)
        written.append(md)
    return written


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
