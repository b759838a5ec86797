"""Results of a validation run: per-check outcomes, findings, and their counterexample reports.

A :class:`Finding` is one refuted check: the minimal case Hypothesis shrank to (exact game, and policy or seed
where the check needs one), the exact verdict with its witness, the target and the capabilities it declared.
It is stored as a counterexample report by :mod:`jalverify.reports.store` (JSON, Markdown, ``.nfg``) that
``jalverify validate TARGET --replay REPORT`` re-checks.  :class:`ValidationResult` groups the outcomes and
raises one :class:`AssertionError` listing every distinct violation (after schemathesis / icontract's grouped
failures).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import sys
import textwrap
from dataclasses import dataclass, replace
from typing import Any

from jalverify.adapters.protocols import Capabilities, InvalidTarget
from jalverify.verdicts import STATUS_COLOURS, VERDICT_MEANINGS, Status, Verdict

__all__ = ["CheckOutcome", "Finding", "ValidationResult", "clip_message", "target_versions"]

#: Width of the message column of :meth:`ValidationResult.table` and of a progress line.
MESSAGE_WIDTH = 110
#: Lines a message may take in :meth:`ValidationResult.table` before it is cut (the JSON output has it all).
MESSAGE_LINES = 3


# The display helpers (jalverify.solvers.display) are imported where they are used: importing the solvers package
# here would slow the start of every validation worker process, whose first call has a time limit.
def _outcome_head() -> str:
    from jalverify.solvers.display import HEAD_STYLE

    return "<tr>" + "".join(f'<th style="{HEAD_STYLE}">{h}</th>' for h in
                            ("check", "verdict", "games", "time", "message")) + "</tr>"


def _game_lines(case: tuple[Any, ...]) -> list[str]:
    """``minimal game:`` and the game of a finding's case (its first argument) as aligned text
    (:mod:`jalverify.games.tables`): the payoff tables of a normal-form game; the discount and, per state, the
    rewards and successors of a stochastic game, and the case's stationary policy if it has one.  No lines when the
    case holds no game."""
    from jalverify.games.normal_form import NormalFormGame
    from jalverify.games.stochastic import StationaryPolicy, StochasticGame
    from jalverify.games.tables import number_text, payoff_table_text, stationary_policy_text, stochastic_game_text

    game = case[0] if case else None
    if isinstance(game, StochasticGame):
        lines = [f"  γ = {number_text(game.gamma)}"] + stochastic_game_text(game).splitlines()
        lines += [f"  policy: {stationary_policy_text(game, p.distributions)}" for p in case[1:]
                  if isinstance(p, StationaryPolicy)]
    elif isinstance(game, NormalFormGame):
        lines = ["  " + line for line in payoff_table_text(game).splitlines()]
    else:
        return []
    return ["minimal game:"] + lines


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


@functools.lru_cache(maxsize=1)
def _distributions_of_packages() -> dict[str, tuple[str, ...]]:
    from importlib import metadata

    return {top: tuple(dict.fromkeys(names)) for top, names in metadata.packages_distributions().items()}


def _installed_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _distribution(name: str) -> dict[str, Any]:
    """A distribution's name, installed version and its requirements (for this environment, extras left out)
    with the versions installed of each."""
    from importlib import metadata

    from packaging.requirements import InvalidRequirement, Requirement

    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return {"name": name, "version": "not installed", "requires": {}}
    requires: dict[str, str] = {}
    for line in dist.requires or []:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            requires[line] = "unreadable requirement"
            continue
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        requires[req.name] = _installed_version(req.name)
    return {"name": dist.metadata["Name"] or name, "version": dist.version, "requires": requires}


def _sha256_of_file(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError as exc:
        raise InvalidTarget(f"target_versions(): cannot read {path!r} to record its SHA-256 ({exc})") from None


def _module_file(module: str) -> str | None:
    """The file ``module`` is loaded from: the loaded module's ``__file__``, else found on ``sys.path`` without
    importing anything (:class:`importlib.machinery.PathFinder`, package by package); ``None`` when neither
    knows it."""
    from importlib.machinery import PathFinder

    loaded = sys.modules.get(module)
    if loaded is not None and getattr(loaded, "__file__", None):
        return os.path.abspath(loaded.__file__)
    parts = module.split(".")
    search: list[str] | None = None
    spec = None
    for part in parts:  # by the last name only: a namespace package's path would otherwise ask for its parent
        spec = PathFinder.find_spec(part, search)
        if spec is None:
            return None
        search = list(spec.submodule_search_locations or [])
    if spec is None or not spec.has_location or not spec.origin:
        return None
    return os.path.abspath(spec.origin)


def _module_versions(module: str) -> dict[str, Any]:
    top = module.split(".")[0]
    names = _distributions_of_packages().get(top, ())
    if names:
        return {"kind": "installed package", "module": module, "distributions": [_distribution(n) for n in names]}
    path = _module_file(module)
    if path is None:
        return {"kind": "module outside any installed distribution", "module": module,
                "file": "not found on sys.path"}
    return {"kind": "module outside any installed distribution", "module": module, "file": path,
            "sha256": _sha256_of_file(path)}


def target_versions(reference: str) -> dict[str, Any]:
    """Which code a validation target runs, with versions, for reports.

    * a built-in adapter (:data:`~jalverify.adapters.registry.BUILTIN_ADAPTERS`): the adapter and the library it
      wraps (:data:`~jalverify.adapters.registry.LIBRARY_OF_FAMILY`);
    * an entry point of ``jalverify.adapters``: the distribution that registers it;
    * ``package.module:object``: the distribution(s) providing the top-level package
      (:func:`importlib.metadata.packages_distributions`), or for a module outside every distribution its file
      and the file's SHA-256;
    * ``path/to/file.py:object``: ``"local file"``, its absolute path and the SHA-256 of its contents.

    Each distribution is given as ``{"name", "version", "requires"}``, ``requires`` mapping each requirement
    that applies here (extras left out) to its installed version (``"not installed"`` when absent).

    Raises
    ------
    InvalidTarget
        When the reference is not a string, or a file it names cannot be read.
    """
    from importlib import metadata

    from jalverify.adapters.registry import BUILTIN_ADAPTERS, ENTRY_POINT_GROUP, LIBRARY_OF_FAMILY

    if not isinstance(reference, str) or not reference.strip():
        raise InvalidTarget(f"target_versions(): expected a target reference string, got {reference!r}")
    ref = reference.strip()
    if ref in BUILTIN_ADAPTERS:
        family = ref.split(".")[0]
        if family not in LIBRARY_OF_FAMILY:
            from jalverify.errors import InternalError

            raise InternalError(f"target_versions(): built-in adapter {ref!r} has no library in LIBRARY_OF_FAMILY")
        library = LIBRARY_OF_FAMILY[family][0]
        names = _distributions_of_packages().get(library, ()) or (library,)
        return {"kind": "built-in adapter", "adapter": BUILTIN_ADAPTERS[ref], "library": library,
                "distributions": [_distribution(n) for n in names]}
    entry_points = {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}
    if ref in entry_points:
        ep = entry_points[ref]
        module = ep.value.partition(":")[0].strip()
        if ep.dist is None:
            return dict(_module_versions(module), kind="entry point", entry_point=f"{ref} = {ep.value}")
        return {"kind": "entry point", "entry_point": f"{ref} = {ep.value}", "module": module,
                "distributions": [_distribution(ep.dist.metadata["Name"])]}
    module_part = ref.rpartition(":")[0] if ":" in ref else ref
    if module_part.endswith(".py") or os.sep in module_part or (os.altsep and os.altsep in module_part):
        path = os.path.abspath(module_part)
        return {"kind": "local file", "file": path, "sha256": _sha256_of_file(path)}
    return _module_versions(module_part)


def clip_message(text: str, width: int = MESSAGE_WIDTH) -> str:
    """``text`` on one line of at most ``width`` characters, cut only between words (never inside a number),
    ending in ``…`` when cut.  Runs of white space become one space.  A first word longer than ``width`` is
    kept whole (cutting it could show a wrong number)."""
    line = " ".join(text.split())
    if len(line) <= width:
        return line
    cut = line.rfind(" ", 0, max(width - 1, 1))
    if cut <= 0:
        first = line.find(" ")
        return line if first == -1 else line[:first] + " …"
    return line[:cut] + " …"


def _wrapped_message(text: str, width: int = MESSAGE_WIDTH, lines: int = MESSAGE_LINES) -> list[str]:
    """``text`` wrapped between words into at most ``lines`` lines of ``width``; the last cut with ``…`` when
    the whole message does not fit."""
    wrapped = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [""]
    if len(wrapped) <= lines:
        return wrapped
    return wrapped[: lines - 1] + [clip_message(" ".join(wrapped[lines - 1:]), width)]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


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
    source: str = ""  # "corpus game <name>" or "generated game (seed S)"

    @property
    def replay_command(self) -> str:
        if self.report is not None:
            return f"jalverify validate {self.target} --replay {self.report}"
        return f"jalverify validate {self.target} --check {self.check}" + (f" --seed {self.seed}" if self.seed is not None else "")

    # display (issue 13)
    def __repr__(self) -> str:
        from jalverify.solvers.display import one_line

        return one_line("Finding", f"check={self.check!r}", f"theorem={self.verdict.theorem!r}", self.verdict.status.words,
                        f"target={self.target!r}", self.source, f"report={self.report!r}" if self.report else "")

    def to_dict(self) -> dict[str, Any]:
        """The finding as the validate JSON lists it (``validate.schema.json``, ``checks[].findings[]``): theorem,
        report path, replay command, message and where it was found."""
        return {"theorem": self.verdict.theorem, "report": self.report, "replay": self.replay_command,
                "message": self.verdict.message, "found_on": self.source}

    def _repr_html_(self) -> str:
        """The verdict (words, message, witness), the minimal game as its payoff table, the replay command and
        where it was found."""
        from jalverify.solvers.display import escape, result_html

        parts = [self.verdict._repr_html_()]
        game = self.case[0] if self.case else None
        if game is not None and hasattr(game, "_repr_html_"):
            parts.append(f"<div>minimal game:</div>{game._repr_html_()}")
        parts.append(f"<div>replay: <code>{escape(self.replay_command)}</code></div>")
        facts = {"check": self.check, "target": self.target, "found on": self.source or "not recorded"}
        if self.seed is not None:
            facts["seed"] = str(self.seed)
        return result_html("finding", f"Finding of {self.check}", parts, facts=facts)

    def report_document(self, reports_dir: str | None = None) -> dict[str, Any]:
        """The counterexample report (format of :mod:`jalverify.reports.store`; the target, its declared
        capabilities and the check are provenance under ``generation``; the target is part of the witness so
        two libraries failing on the same game get two reports)."""
        from types import SimpleNamespace

        from jalverify.reports.store import build_report
        from jalverify.validation.checks import CHECK_IDS

        theorem = SimpleNamespace(
            id=self.verdict.theorem,
            claim=CHECK_IDS.get(self.verdict.theorem, CHECK_IDS.get(self.check, self.check)),
            expected="holds",
            citation=self.capabilities.source or "declared capabilities of the target",
        )
        verdict = Verdict(self.verdict.theorem, self.verdict.status, self.verdict.message,
                          dict(_jsonable(dict(self.verdict.witness)), target=self.target), self.verdict.tolerance)
        generation = {"source": "hypothesis (jalverify validate)", "check": self.check, "target": self.target,
                      "found_on": self.source, "seed": self.seed, "capabilities": self.capabilities.to_dict(), "versions": _versions(),
                      "target_versions": target_versions(self.target)}
        return build_report(theorem=theorem, verdict=verdict, arguments=self.case, generation=generation,
                            reports_dir=reports_dir)

    def written(self, directory: str) -> Finding:
        """Store the report under ``<directory>/<theorem id>/<hash>.json`` (+ ``.md``, ``.nfg``) with
        :func:`jalverify.reports.store.write_report`: atomic, deduplicated, never overwriting another finding.
        The replay line points at ``jalverify validate TARGET --replay`` (re-checking needs the target)."""
        from jalverify.files import write_text_atomically
        from jalverify.reports.store import render_markdown, write_report

        report = self.report_document(directory)
        stored = write_report(report, directory)
        finding = replace(self, report=stored.path.as_posix())
        if stored.status == "new":
            report["replay"] = finding.replay_command
            write_text_atomically(stored.path, json.dumps(report, indent=1) + "\n")
            write_text_atomically(stored.path.with_suffix(".md"), render_markdown(report))
        return finding


@dataclass(frozen=True)
class CheckOutcome:
    """The outcome of one check over all the games it tried, with every distinct violation it found."""

    check: str
    status: Status
    examples: int
    seconds: float
    message: str
    finding: Finding | None
    verdict: Verdict | None = None
    seed: int | None = None
    tolerance: float | None = None
    worst: float | None = None
    findings: tuple[Finding, ...] = ()

    def with_findings(self, findings: tuple[Finding, ...]) -> CheckOutcome:
        """This outcome with its findings (the first is also :attr:`finding`)."""
        return replace(self, findings=findings, finding=findings[0] if findings else None)

    def with_finding(self, finding: Finding) -> CheckOutcome:
        return self.with_findings((finding,))

    def _columns(self) -> str:
        return f"{self.check:<45} {self.status.words:<22} {self.examples:>5} {self.seconds:8.2f}s  "

    def summary_line(self, width: int = MESSAGE_WIDTH) -> str:
        """One line: check, verdict, games, time and the message cut between words to ``width`` characters
        (ending in ``…`` when cut; :meth:`to_dict` has the whole message)."""
        return self._columns() + clip_message(self.message, width)

    def summary_lines(self, width: int = MESSAGE_WIDTH, lines: int = MESSAGE_LINES) -> list[str]:
        """As :meth:`summary_line`, the message wrapped between words onto up to ``lines`` lines (continuation
        lines indented to the message column)."""
        head = self._columns()
        message = _wrapped_message(self.message, width, lines)
        return [head + message[0]] + [" " * len(head) + line for line in message[1:]]

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "verdict": self.status.value, "examples": self.examples,
                "seconds": round(self.seconds, 3), "message": self.message, "tolerance": self.tolerance,
                "worst": self.worst,
                "finding": None if self.finding is None else self.finding.to_dict(),
                "findings": [f.to_dict() for f in self.findings]}

    # display (issue 13)
    def __repr__(self) -> str:
        from jalverify.solvers.display import one_line, plural

        return one_line("CheckOutcome", f"check={self.check!r}", self.status.words,
                        plural(self.examples, "game"), f"{self.seconds:.2f} s",
                        plural(len(self.findings), "finding") if self.findings else "")

    def _row(self) -> str:
        from jalverify.solvers.display import CELL_STYLE, HEAD_STYLE, escape

        colour = STATUS_COLOURS[self.status]
        return (f'<tr><th style="{HEAD_STYLE};text-align:left">{escape(self.check)}</th>'
                f'<td style="{CELL_STYLE}" data-verdict="{escape(self.status.value)}"><strong style="color:{colour}" '
                f'title="{escape(VERDICT_MEANINGS[self.status.value])}">{escape(self.status.words)}</strong></td>'
                f'<td style="{CELL_STYLE}">{self.examples}</td><td style="{CELL_STYLE}">{self.seconds:.2f} s</td>'
                f'<td style="{CELL_STYLE};text-align:left">{escape(self.message)}</td></tr>')

    def _repr_html_(self) -> str:
        """The outcome as a one-row table (verdict words coloured, their meaning on hover) and its findings."""
        from jalverify.solvers.display import TABLE_STYLE

        return (f'<div class="jalverify-check"><table style="{TABLE_STYLE}">{_outcome_head()}{self._row()}</table>'
                + "".join(f._repr_html_() for f in self.findings) + "</div>")


@dataclass(frozen=True)
class ValidationResult:
    """Every check's outcome for one target."""

    target: str
    capabilities: Capabilities
    outcomes: tuple[CheckOutcome, ...]
    seconds: float = 0.0
    profile: str = "quick"
    max_examples: int = 0
    seed: int | None = None

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of every check (several per check when it found distinct violations)."""
        return tuple(f for o in self.outcomes for f in o.findings)

    @property
    def refuted(self) -> bool:
        return any(o.status is Status.REFUTED for o in self.outcomes)

    @property
    def errored(self) -> tuple[CheckOutcome, ...]:
        """Checks in which jalverify itself failed (nothing is claimed about the target there)."""
        return tuple(o for o in self.outcomes if o.status is Status.ERROR)

    def table(self) -> str:
        """A plain-text table: check, verdict, examples, time and message (wrapped between words, never cut
        inside a number; a message longer than three lines ends in ``…``, :meth:`to_dict` has it whole)."""
        head = f"{'check':<45} {'verdict':<22} {'games':>5} {'time':>9}  message"
        seed = f"  (seed {self.seed})" if self.seed is not None else ""
        return "\n".join([f"target: {self.target}{seed}", head, "-" * len(head)]
                         + [line for o in self.outcomes for line in o.summary_lines()])

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "target_versions": target_versions(self.target),
                "capabilities": self.capabilities.to_dict(), "profile": self.profile,
                "max_examples": self.max_examples, "seed": self.seed, "seconds": round(self.seconds, 3),
                "checks": [o.to_dict() for o in self.outcomes],
                "refuted": [o.check for o in self.outcomes if o.status is Status.REFUTED],
                "errors": [o.check for o in self.errored]}

    # display (issue 13)
    def __repr__(self) -> str:
        from jalverify.solvers.display import one_line, plural

        counts: dict[str, int] = {}
        for o in self.outcomes:
            counts[o.status.words] = counts.get(o.status.words, 0) + 1
        summary = ", ".join(f"{n} {words}" for words, n in counts.items())
        return one_line("ValidationResult", f"target={self.target!r}", plural(len(self.outcomes), "check"), summary,
                        plural(len(self.findings), "finding"), f"profile={self.profile}")

    def _repr_html_(self) -> str:
        """Every check as a table row (verdict words coloured, meaning on hover; the whole message), then every
        finding with its minimal game and replay command."""
        from jalverify.solvers.display import TABLE_STYLE, result_html

        rows = "".join(o._row() for o in self.outcomes)
        parts = [f'<table style="{TABLE_STYLE}">{_outcome_head()}{rows}</table>']
        parts += [f._repr_html_() for f in self.findings]
        facts = {"profile": self.profile, "examples per check": str(self.max_examples),
                 "time": f"{self.seconds:.2f} s"}
        if self.seed is not None:
            facts["seed"] = str(self.seed)
        return result_html("validation", f"Validation of {self.target}", parts, facts=facts)

    def assertion_message(self) -> str:
        """Every distinct violation (one per violated claim; the checks that hit it are listed), each with its
        minimal game and a replay command."""
        groups: dict[str, list[tuple[CheckOutcome, Finding | None]]] = {}
        for o in self.outcomes:
            if o.status is not Status.REFUTED:
                continue
            if not o.findings:
                groups.setdefault(o.verdict.theorem if o.verdict is not None else o.check, []).append((o, None))
            for f in o.findings:
                groups.setdefault(f.verdict.theorem, []).append((o, f))
        lines = [f"jalverify found {len(groups)} distinct violation{'s' if len(groups) != 1 else ''} in {self.target}:"]
        for k, (theorem, hits) in enumerate(groups.items(), 1):
            o, f = hits[0]
            checks = ", ".join(dict.fromkeys(x.check for x, _ in hits))
            lines.append(f"  {k}. [{theorem}] {f.verdict.message if f is not None else o.message}")
            lines.append(f"     found by: {checks}" + (f" on a {f.source}" if f is not None and f.source else ""))
            if f is not None:
                lines += [f"     {line}" for line in _game_lines(f.case)]
                lines.append(f"     replay: {f.replay_command}")
        return "\n".join(lines)

    def raise_for_violations(self) -> None:
        """Raise one grouped :class:`AssertionError` listing every distinct violation; when there is none but
        jalverify itself failed in some check, raise :class:`~jalverify.errors.InternalError` naming them (a
        failed check is never a pass).  No-op when every check ended without violation or error."""
        if self.refuted:
            raise AssertionError(self.assertion_message())
        if self.errored:
            from jalverify.errors import InternalError

            raise InternalError(f"jalverify failed in {len(self.errored)} check(s) of {self.target}: "
                                + "; ".join(f"{o.check}: {o.message}" for o in self.errored))

