"""Results of a validation run: per-check outcomes, findings, and their counterexample reports.

A :class:`Finding` is one refuted check: the minimal case Hypothesis shrank to (exact game, and policy or seed
where the check needs one), the exact verdict with its witness, the target and the capabilities it declared.
It serialises to a self-contained JSON report (plus a Markdown rendering) that ``jalverify validate TARGET
--replay REPORT`` re-checks.  :class:`ValidationResult` groups the outcomes and raises one
:class:`AssertionError` listing every distinct violation (after schemathesis / icontract's grouped failures).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from dataclasses import dataclass, replace
from typing import Any

from jalverify.adapters.protocols import Capabilities
from jalverify.verdicts import Status, Verdict

__all__ = ["CheckOutcome", "Finding", "ValidationResult", "REPORT_FORMAT", "case_to_json", "case_from_json",
           "load_report"]

REPORT_FORMAT = "jalverify.validation-report/1"


def _versions() -> dict[str, str]:
    from importlib import metadata

    out = {"python": platform.python_version()}
    for dist in ("jalverify", "numpy", "hypothesis", "nashpy", "pygambit", "quantecon", "open_spiel"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    if "jalverify" not in out:
        from jalverify import __version__

        out["jalverify"] = __version__
    return out


def case_to_json(case: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Serialise a check's case (games, policies, ints) exactly."""
    from jalverify.games.formats import dump_game, dump_policy
    from jalverify.games.normal_form import NormalFormGame
    from jalverify.games.stochastic import StationaryPolicy, StochasticGame

    out: list[dict[str, Any]] = []
    for item in case:
        if isinstance(item, (NormalFormGame, StochasticGame)):
            out.append({"kind": "game", "data": dump_game(item)})
        elif isinstance(item, StationaryPolicy):
            out.append({"kind": "policy", "data": dump_policy(item)})
        elif isinstance(item, int):
            out.append({"kind": "int", "value": item})
        else:
            raise TypeError(f"case_to_json(): cannot serialise a {type(item).__name__}")
    return out


def case_from_json(items: list[dict[str, Any]]) -> tuple[Any, ...]:
    """Inverse of :func:`case_to_json` (a policy refers to the game before it)."""
    from jalverify.games.formats import game_from_dict, policy_from_dict

    out: list[Any] = []
    for item in items:
        if item["kind"] == "game":
            out.append(game_from_dict(item["data"], source="report"))
        elif item["kind"] == "policy":
            out.append(policy_from_dict(item["data"], out[-1], source="report"))
        else:
            out.append(int(item["value"]))
    return tuple(out)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in text)[:80]


@dataclass(frozen=True)
class Finding:
    """One refuted check, with its minimal case."""

    check: str
    verdict: Verdict
    case: tuple[Any, ...]
    target: str
    capabilities: Capabilities
    seed: int | None = None
    report: str | None = None

    @property
    def replay_command(self) -> str:
        if self.report is not None:
            return f"jalverify validate {self.target} --replay {self.report}"
        return f"jalverify validate {self.target} --check {self.check}" + (f" --seed {self.seed}" if self.seed is not None else "")

    def to_dict(self) -> dict[str, Any]:
        from jalverify.validation.checks import CHECK_IDS

        return {
            "format": REPORT_FORMAT,
            "check": self.check,
            "claim": CHECK_IDS.get(self.verdict.theorem, CHECK_IDS.get(self.check, self.check)),
            "theorem": self.verdict.theorem,
            "status": self.verdict.status.value,
            "message": self.verdict.message,
            "witness": _jsonable(self.verdict.witness),
            "tolerance": self.verdict.tolerance,
            "target": self.target,
            "capabilities": self.capabilities.to_dict(),
            "case": case_to_json(self.case),
            "hypothesis_seed": self.seed,
            "versions": _versions(),
            "replay": f"jalverify validate {self.target} --replay REPORT.json",
        }

    def key(self) -> str:
        body = json.dumps({k: v for k, v in self.to_dict().items() if k not in ("versions", "hypothesis_seed")},
                          sort_keys=True, default=str)
        return hashlib.sha256(body.encode()).hexdigest()[:12]

    def to_markdown(self) -> str:
        data = self.to_dict()
        lines = [
            f"# {data['theorem']}: refuted for `{self.target}`",
            "",
            f"**Claim** ({data['check']}): {data['claim']}.",
            "",
            f"**Verdict**: {data['status']}: {data['message']}",
            "",
            f"**What the target promised**: {json.dumps(data['capabilities'], sort_keys=True)}",
            "",
            "**Minimal case** (exact):",
            "",
            "```json",
            json.dumps(data["case"], indent=1)[:6000],
            "```",
            "",
            "**Witness**:",
            "",
            "```json",
            json.dumps(data["witness"], indent=1)[:6000],
            "```",
            "",
            f"**Replay**: `{self.replay_command}`",
            "",
            f"Versions: {', '.join(f'{k} {v}' for k, v in data['versions'].items())}.",
            "",
        ]
        return "\n".join(lines)

    def written(self, directory: str) -> Finding:
        """Write ``<directory>/<theorem>/<hash>.json`` and ``.md`` atomically; identical findings share a file."""
        folder = os.path.join(directory, _slug(self.verdict.theorem))
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{self.key()}.json")
        finding = replace(self, report=path)
        if not os.path.exists(path):
            _atomic_write(path, json.dumps(finding.to_dict(), indent=1, sort_keys=False) + "\n")
            _atomic_write(path[:-5] + ".md", finding.to_markdown())
        return finding


def _atomic_write(path: str, text: str) -> None:
    folder = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def load_report(path: str) -> dict[str, Any]:
    """Read a validation report; raises :class:`~jalverify.errors.InvalidFile` when it is not one."""
    from jalverify.errors import InvalidFile

    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, json.JSONDecodeError) as exc:
        raise InvalidFile(f"load_report(): cannot read {path!r}: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        raise InvalidFile(f"load_report(): {path!r} is not a {REPORT_FORMAT} report (format={data.get('format')!r})"
                          if isinstance(data, dict) else f"load_report(): {path!r} is not a JSON object")
    return data


@dataclass(frozen=True)
class CheckOutcome:
    """The outcome of one check over all the games it tried."""

    check: str
    status: Status
    examples: int
    seconds: float
    message: str
    finding: Finding | None
    verdict: Verdict | None = None
    seed: int | None = None

    def with_finding(self, finding: Finding) -> CheckOutcome:
        return replace(self, finding=finding)

    def summary_line(self) -> str:
        return f"{self.check:<45} {self.status.value:<9} {self.examples:>5} {self.seconds:8.2f}s  {self.message[:90]}"

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "verdict": self.status.value, "examples": self.examples,
                "seconds": round(self.seconds, 3), "message": self.message,
                "finding": None if self.finding is None else {
                    "theorem": self.finding.verdict.theorem, "report": self.finding.report,
                    "replay": self.finding.replay_command}}


@dataclass(frozen=True)
class ValidationResult:
    """Every check's outcome for one target."""

    target: str
    capabilities: Capabilities
    outcomes: tuple[CheckOutcome, ...]
    seconds: float = 0.0
    profile: str = "quick"
    max_examples: int = 0

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(o.finding for o in self.outcomes if o.finding is not None)

    @property
    def refuted(self) -> bool:
        return any(o.status is Status.REFUTED for o in self.outcomes)

    def table(self) -> str:
        """A plain-text table: check, verdict, examples, time."""
        head = f"{'check':<45} {'verdict':<9} {'games':>5} {'time':>9}  message"
        return "\n".join([f"target: {self.target}", head, "-" * len(head)] + [o.summary_line() for o in self.outcomes])

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "capabilities": self.capabilities.to_dict(), "profile": self.profile,
                "max_examples": self.max_examples, "seconds": round(self.seconds, 3),
                "checks": [o.to_dict() for o in self.outcomes],
                "refuted": [o.check for o in self.outcomes if o.status is Status.REFUTED]}

    def assertion_message(self) -> str:
        refuted = [o for o in self.outcomes if o.status is Status.REFUTED]
        lines = [f"jalverify found {len(refuted)} distinct violation{'s' if len(refuted) != 1 else ''} in {self.target}:"]
        for k, o in enumerate(refuted, 1):
            lines.append(f"  {k}. [{o.check}] {o.message}")
            if o.finding is not None:
                game = o.finding.case[0] if o.finding.case else None
                payoffs = getattr(game, "payoffs", None)
                if payoffs is not None:
                    lines.append(f"     minimal game payoffs: {[[str(v) for v in row] for row in payoffs.reshape(payoffs.shape[0], -1).tolist()]}"
                                 f" shape {tuple(payoffs.shape)}")
                lines.append(f"     replay: {o.finding.replay_command}")
        return "\n".join(lines)

    def raise_for_violations(self) -> None:
        """Raise one grouped :class:`AssertionError` listing every distinct violation (no-op when none)."""
        if self.refuted:
            raise AssertionError(self.assertion_message())

