"""``jalverify validate TARGET``: check a third-party solver, stage solver, evaluator or learner.

``TARGET`` is ``pkg.mod:obj``, ``path/file.py:obj``, a built-in adapter name (``nashpy.support_enumeration``,
``gambit.enummixed_exact``, ...; ``--list`` shows them) or an entry point of the group ``jalverify.adapters``.
The target runs in a child process with a time limit; every applicable check (selected by the capabilities the
target declares) is searched with Hypothesis, and each refutation is shrunk to a minimal exact game and written
as a counterexample report.  Prints a table (check, verdict, games, time) or JSON (``--format json``).

``--replay REPORT`` re-checks a stored finding against the target, as a regression test of the target: exit 0
once the target passes the check on the recorded case, 1 while the violation reproduces (or neither is shown).
``--all-builtin`` validates every built-in adapter whose library is installed and writes a summary
(``summary.md``, ``summary.json``) with links to the reports into ``--summary-dir``
(default ``counterexamples/third_party``).

``--workers N`` runs the checks on N local worker processes, ``--scheduler tcp://HOST:PORT`` on a running Dask
cluster, ``--workers N --dask`` on a local Dask cluster (each worker opens the target once); with
``--all-builtin`` the targets are distributed instead (each worker validates whole targets).  The outcomes are the
same as serially (every check uses the run's seed); reports and the summary are written by this process.

Exit codes: 0 nothing refuted, 1 a check was refuted (a replay: the violation still reproduces), 2 bad input,
3 jalverify itself failed in some check (its own solver or reference failed; nothing is claimed there).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jalverify.cli.executor_options import add_executor_arguments
from jalverify.cli.html_option import add_html_argument

__all__ = ["register", "run", "write_summary"]

DEFAULT_SUMMARY_DIR = os.path.join("counterexamples", "third_party")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="validate a third-party solver, stage solver, evaluator or learner",
        description="Run every check that applies to TARGET (by its declared capabilities) on games generated "
        "by Hypothesis, judge its answers exactly, and shrink each violation to a minimal exact counterexample.",
    )
    parser.add_argument("target", nargs="?", metavar="TARGET",
                        help="pkg.mod:obj, file.py:obj, a built-in adapter name, or a jalverify.adapters entry point")
    parser.add_argument("--kind", choices=("solver", "stage-solver", "learner", "evaluator", "policy-learner"),
                        help="the kind TARGET must declare (checked)")
    parser.add_argument("--profile", choices=("quick", "thorough"), default="quick",
                        help="examples per check: quick 25, thorough 300 (default quick)")
    parser.add_argument("--max-examples", type=int, help="examples per check (overrides --profile)")
    parser.add_argument("--seed", type=int, help="Hypothesis seed (printed with every finding)")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per call into the target (default 10)")
    parser.add_argument("--check", action="append", metavar="PREFIX",
                        help="run only checks whose id starts with PREFIX (repeatable)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    parser.add_argument("--reports-dir", default="counterexamples", metavar="DIR",
                        help="where counterexample reports go (default counterexamples/); '' to write none")
    parser.add_argument("--no-reports", action="store_true", help="write no counterexample reports (as in verify)")
    parser.add_argument("--report-dir", dest="reports_dir_old", metavar="DIR", help=argparse.SUPPRESS)
    limits = parser.add_argument_group(
        "limits of the target", "Narrow the games sent to what TARGET accepts (on top of what it declares in its "
        "capabilities); games outside the limits are never sent, so never reported as violations.")
    limits.add_argument("--min-actions", type=int, metavar="N", help="at least N actions per player")
    limits.add_argument("--max-actions", type=int, metavar="N", help="at most N actions per player")
    limits.add_argument("--square-only", action="store_true", help="only games where every player has as many actions")
    limits.add_argument("--players", type=int, metavar="N", help="only N-player games (a target declaring 'n' players)")
    limits.add_argument("--zero-sum-only", action="store_true", help="only two-player zero-sum games")
    parser.add_argument("--check-time-limit", type=float, metavar="SECONDS",
                        help="wall-clock budget per check (default: quick 120, thorough 900); a check whose budget "
                        "runs out is 'not established'")
    parser.add_argument("--max-findings", type=int, default=5, metavar="N",
                        help="distinct violations reported per check before its search stops (default 5)")
    parser.add_argument("--learner-steps", type=int, default=None, metavar="N",
                        help="learners: transitions of the convergence run; policy learners: environment steps of "
                             "training (default 2000)")
    parser.add_argument("--replay", metavar="REPORT", help="re-check one stored finding against TARGET")
    parser.add_argument("--all-builtin", action="store_true", help="validate every installed built-in adapter")
    parser.add_argument("--summary-dir", default=DEFAULT_SUMMARY_DIR,
                        help=f"with --all-builtin: where the summary and reports go (default {DEFAULT_SUMMARY_DIR})")
    parser.add_argument("--list", action="store_true", help="list the known targets and exit")
    add_html_argument(parser)
    add_executor_arguments(parser, what="checks (with --all-builtin: the targets)")
    parser.set_defaults(func=run)


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _check_arguments(args: argparse.Namespace) -> None:
    """Refuse flags that cannot mean anything, naming the flag and the value (exit 2)."""
    from jalverify.adapters.protocols import InvalidTarget
    from jalverify.errors import InvalidNumber

    if not args.time_limit > 0:
        raise InvalidNumber(f"--time-limit must be a positive number of seconds (per call into the target), got "
                            f"{args.time_limit}")
    if args.reports_dir_old is not None:
        print("jalverify validate: --report-dir is now spelled --reports-dir (as in verify); using it",
              file=sys.stderr)
        args.reports_dir = args.reports_dir_old
    if args.no_reports:
        args.reports_dir = ""
    for flag, value in (("--min-actions", args.min_actions), ("--max-actions", args.max_actions),
                        ("--players", args.players), ("--max-findings", args.max_findings),
                        ("--learner-steps", args.learner_steps)):
        if value is not None and value < 1:
            raise InvalidNumber(f"{flag} must be at least 1, got {value}")
    if args.check_time_limit is not None and not args.check_time_limit > 0:
        raise InvalidNumber(f"--check-time-limit must be a positive number of seconds, got {args.check_time_limit}")
    if args.max_examples is not None and args.max_examples < 1:
        raise InvalidNumber(f"--max-examples must be at least 1, got {args.max_examples}")
    if args.seed is not None and not 0 <= args.seed < 2**32:
        raise InvalidNumber(f"--seed must be an integer in [0, 2**32), got {args.seed}")
    if args.list and (args.target or args.all_builtin or args.replay):
        raise InvalidTarget("--list takes no TARGET, --all-builtin or --replay")
    if args.all_builtin and (args.target or args.replay):
        raise InvalidTarget("--all-builtin validates the built-in adapters: give no TARGET and no --replay")
    search_flags = [flag for flag, given in (
        ("--check", args.check), ("--kind", args.kind), ("--max-examples", args.max_examples is not None),
        ("--seed", args.seed is not None), ("--min-actions", args.min_actions is not None),
        ("--max-actions", args.max_actions is not None), ("--square-only", args.square_only),
        ("--players", args.players is not None), ("--zero-sum-only", args.zero_sum_only),
        ("--check-time-limit", args.check_time_limit is not None),
        ("--learner-steps", args.learner_steps is not None)) if given]
    if args.replay and search_flags:
        raise InvalidTarget(f"--replay re-checks the recorded case: {', '.join(search_flags)} do not apply")
    if args.all_builtin and any(f in search_flags for f in ("--min-actions", "--max-actions", "--square-only",
                                                            "--players", "--zero-sum-only", "--learner-steps")):
        raise InvalidTarget("--all-builtin validates every built-in adapter with its own declared limits: "
                            "--min-actions, --max-actions, --square-only, --players, --zero-sum-only and "
                            "--learner-steps do not apply")
    executor_flags = [flag for flag, given in (("--workers", getattr(args, "workers", None) is not None),
                                               ("--scheduler", getattr(args, "scheduler", None) is not None),
                                               ("--dask", getattr(args, "dask", False))) if given]
    if executor_flags and (args.list or args.replay):
        raise InvalidTarget(f"{'--list' if args.list else '--replay'} runs nothing to distribute: "
                            f"{', '.join(executor_flags)} do not apply")
    from jalverify.cli.executor_options import check_executor_arguments

    check_executor_arguments(args)
    from jalverify.cli.html_option import check_html_argument

    check_html_argument(args)
    if args.html is not None and (args.list or args.replay):
        raise InvalidTarget(f"--html renders a validation run; {'--list' if args.list else '--replay'} runs none")
    if args.check is not None:
        from jalverify.validation.checks import CHECK_IDS

        for prefix in args.check:
            if not prefix or not any(check_id.startswith(prefix) for check_id in CHECK_IDS):
                raise InvalidTarget(f"--check {prefix!r} matches no check of jalverify; check ids: "
                                    + ", ".join(sorted(CHECK_IDS)))


def run(args: argparse.Namespace) -> int:
    from jalverify.adapters.protocols import InvalidTarget
    from jalverify.adapters.registry import available_targets
    from jalverify.errors import EXIT_INTERNAL, EXIT_OK, EXIT_REFUTED

    _check_arguments(args)
    if args.list:
        targets = sorted(available_targets().items())
        if args.format == "json":
            print(json.dumps([{"name": name, "reference": ref} for name, ref in targets], indent=2))
        else:
            for name, ref in targets:
                print(f"{name:<40} {ref}")
        return EXIT_OK
    if args.all_builtin:
        return _run_all_builtin(args)
    if not args.target:
        raise InvalidTarget("validate: give a TARGET, --all-builtin, or --list")
    if args.replay:
        return _replay(args.target, args.replay, args.time_limit, args.format)
    from jalverify.cli.executor_options import executor_from_args
    from jalverify.validation import validate

    with executor_from_args(args) as executor:
        result = validate(args.target, profile=args.profile, max_examples=args.max_examples, seed=args.seed,
                          time_limit=args.time_limit, kind=args.kind, report_dir=args.reports_dir or None,
                          checks=args.check, progress=_progress, min_actions=args.min_actions,
                          max_actions=args.max_actions, square_only=args.square_only, players=args.players,
                          zero_sum_only=args.zero_sum_only, check_time_limit=args.check_time_limit,
                          max_findings=args.max_findings, learner_steps=args.learner_steps, executor=executor)
    from jalverify.cli.html_option import write_html_report

    write_html_report(args, "validate", [("validate", result.to_dict(), "")], title=f"jalverify validate {args.target}")
    if args.format == "json":
        json.dump(result.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(result.table())
        if result.refuted:
            print()
            print(result.assertion_message())
        for outcome in result.errored:
            print(f"ERROR {outcome.check}: {outcome.message}")
    if result.refuted:
        return EXIT_REFUTED
    return EXIT_INTERNAL if result.errored else EXIT_OK


def _replay(target: str, report_path: str, time_limit: float, output: str) -> int:
    """Re-run the check recorded in a report on its stored case: a regression test of the target."""
    from jalverify.errors import EXIT_INTERNAL, EXIT_OK, EXIT_REFUTED
    from jalverify.validation.replay import replay_validation_report
    from jalverify.verdicts import Status

    outcome = replay_validation_report(report_path, target, time_limit=time_limit)
    if output == "json":
        print(json.dumps({"report": str(report_path), "target": outcome.target, "check": outcome.check,
                          "recorded": outcome.recorded_status, "verdict": outcome.verdict.status.value,
                          "message": outcome.verdict.message, "reproduced": outcome.reproduced,
                          "passes": outcome.passes}, indent=2))
    else:
        print(outcome.describe())
    if outcome.passes:
        return EXIT_OK
    return EXIT_INTERNAL if outcome.verdict.status is Status.ERROR else EXIT_REFUTED


@dataclass(frozen=True)
class _BuiltinTask:
    """One built-in adapter to validate (``--all-builtin``), as sent to an executor.  ``announce`` and
    ``progress`` are in-process hooks (the serial executor only; never pickled)."""

    name: str
    library: str
    extra: str
    options: dict[str, Any]
    announce: Callable[[], None] | None = None
    progress: Callable[[str], None] | None = None


@dataclass(frozen=True)
class _BuiltinResult:
    """What validating one built-in adapter gave where it ran: its library missing, a load error, or the result
    (its findings not written yet: the driver writes them)."""

    status: str
    result: Any = None
    seconds: float = 0.0


def _validate_builtin(task: _BuiltinTask) -> _BuiltinResult:
    """Validate one built-in adapter where the executor runs it (its library must be installed there)."""
    from jalverify.validation import validate
    from jalverify.validation.runner import TargetLoadError

    if task.announce is not None:
        task.announce()
    started = time.perf_counter()
    try:
        __import__(task.library)
    except ImportError:
        return _BuiltinResult("not installed")
    try:
        result = validate(task.name, report_dir=None, progress=task.progress, strict_checks=False, **task.options)
    except TargetLoadError as exc:
        return _BuiltinResult(f"could not load: {exc}")
    return _BuiltinResult("validated", result, time.perf_counter() - started)


def _with_reports_written(result: Any, report_dir: str) -> Any:
    """``result`` with every finding's report written under ``report_dir`` (here, by the driver)."""
    from dataclasses import replace

    outcomes = tuple(o.with_findings(tuple(f.written(report_dir) for f in o.findings)) if o.findings else o
                     for o in result.outcomes)
    return replace(result, outcomes=outcomes)


def _run_all_builtin(args: argparse.Namespace) -> int:
    from jalverify.adapters.registry import BUILTIN_ADAPTERS, LIBRARY_OF_FAMILY
    from jalverify.cli.executor_options import executor_from_args

    summary_dir = args.summary_dir
    os.makedirs(summary_dir, exist_ok=True)
    any_refuted = any_error = False
    names = [n for n in sorted(BUILTIN_ADAPTERS) if n.split(".")[0] != "jalverify"]
    options = {"profile": args.profile, "max_examples": args.max_examples, "seed": args.seed,
               "time_limit": args.time_limit, "checks": args.check, "check_time_limit": args.check_time_limit,
               "max_findings": args.max_findings}
    run_started = time.perf_counter()

    def announce(position: int, name: str) -> Callable[[], None]:
        def say() -> None:
            elapsed = time.perf_counter() - run_started
            eta = f", ETA {elapsed / (position - 1) * (len(names) - position + 1):.0f} s" if position > 1 else ""
            _progress(f"== [{position}/{len(names)}] {name} ({elapsed:.0f} s elapsed{eta})")

        return say

    finished: dict[int, dict[str, Any]] = {}
    with executor_from_args(args) as executor:
        tasks = []
        for position, name in enumerate(names, 1):
            library, extra = LIBRARY_OF_FAMILY.get(name.split(".")[0], (name.split(".")[0],) * 2)
            tasks.append(_BuiltinTask(name, library, extra, options,
                                      announce(position, name) if executor.in_process else None,
                                      _progress if executor.in_process else None))
        for done, outcome in enumerate(executor.map_unordered(_validate_builtin, tasks), 1):
            task = tasks[outcome.index]
            row: dict[str, Any] = {"target": task.name, "library": task.library}
            if not outcome.ok:
                any_error = True
                row.update({"status": f"error: jalverify failed validating it: {outcome.error}", "checks": []})
            elif outcome.value.status == "not installed":
                row.update({"status": "not installed", "install": f'pip install "jalverify[{task.extra}]"',
                            "checks": []})
            elif outcome.value.result is None:
                row.update({"status": outcome.value.status, "checks": []})
            else:
                result = _with_reports_written(outcome.value.result, os.path.join(summary_dir, task.name))
                any_refuted = any_refuted or result.refuted
                any_error = any_error or bool(result.errored)
                data = result.to_dict()
                for check in data["checks"]:
                    for finding in [check.get("finding")] + check.get("findings", []):
                        if finding and finding.get("report"):
                            finding["report"] = os.path.relpath(finding["report"], summary_dir)
                row.update({"status": ("refuted" if result.refuted else "error" if result.errored
                                       else "no violation" if result.outcomes else "no selected check applies"),
                            "seed": result.seed, "capabilities": data["capabilities"],
                            "target_versions": data["target_versions"], "checks": data["checks"],
                            "seconds": round(outcome.value.seconds, 2)})
            finished[outcome.index] = row
            if not executor.in_process:
                elapsed = time.perf_counter() - run_started
                _progress(f"== [{done}/{len(names)}] {task.name}: {row['status']} ({elapsed:.0f} s elapsed, ETA "
                          f"{elapsed / done * (len(names) - done):.0f} s)")
    rows = [finished[index] for index in range(len(names))]
    write_summary(rows, summary_dir, profile=args.profile, seed=args.seed, max_examples=args.max_examples)
    from jalverify.cli.html_option import write_html_report

    with open(os.path.join(summary_dir, "summary.json"), encoding="utf-8") as fh:
        summary = json.load(fh)
    write_html_report(args, "validate", [("validate_all", summary, os.path.join(summary_dir, "summary.json"))],
                      title="jalverify validate --all-builtin")
    if args.format == "json":
        with open(os.path.join(summary_dir, "summary.json"), encoding="utf-8") as fh:
            sys.stdout.write(fh.read())
    else:
        with open(os.path.join(summary_dir, "summary.md"), encoding="utf-8") as fh:
            print(fh.read())
    if any_refuted:
        return 1
    return 3 if any_error else 0


def write_summary(rows: list[dict[str, Any]], directory: str, *, profile: str, seed: int | None,
                  max_examples: int | None = None, meta: dict[str, Any] | None = None) -> None:
    """Write ``summary.json`` and ``summary.md`` (what holds and what was refuted, per library)."""
    from pathlib import Path

    from jalverify.files import write_text_atomically
    from jalverify.validation.findings import _versions, clip_message

    if meta is None:
        meta = {"profile": profile, "seed": seed, "max_examples": max_examples, "versions": _versions(),
                "date": time.strftime("%Y-%m-%d", time.gmtime())}
    command = f"jalverify validate --all-builtin --profile {profile}"
    if meta.get("max_examples") is not None:
        command += f" --max-examples {meta['max_examples']}"
    if seed is not None:
        command += f" --seed {seed}"
    write_text_atomically(Path(directory, "summary.json"), json.dumps({"meta": meta, "targets": rows}, indent=1) + "\n")
    lines = [
        "# Third-party solvers validated by jalverify",
        "",
        f"Generated by `{command}` on {meta['date']}.",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()) + ".",
        "",
        "Each target is checked only against what it declares (capabilities taken from its documentation: see",
        "`jalverify/adapters/`).  *proven*: held exactly on every generated game; *within_tolerance*: held within",
        "the declared float tolerance (never a proof; the worst violation is given); *not_established*: neither",
        "shown nor refuted (a budget ran out or no exact reference exists); *refuted*: violated beyond the",
        "tolerance, with an exact minimal counterexample (linked); *error*: jalverify itself failed in that check.",
        "",
        "| target | check | verdict | games | time (s) | finding |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        if not row["checks"]:
            lines.append(f"| `{row['target']}` | - | {row['status']} | | | {row.get('install', '')} |")
            continue
        for check in row["checks"]:
            link = ", ".join(f"[{f['theorem']}]({f['report'].replace(os.sep, '/')[:-5]}.md)"
                             for f in check.get("findings") or [check.get("finding")] if f and f.get("report"))
            message = clip_message(check["message"], 140).replace("|", "\\|")  # cut between words only
            verdict = check["verdict"] + (f": {message}" if check["verdict"] == "refuted" else "")
            lines.append(f"| `{row['target']}` | {check['check']} | {verdict} | {check['examples']} | "
                         f"{check['seconds']} | {link} |")
    lines += ["", "## What each target declares", ""]
    seen: set[str] = set()
    for row in rows:
        caps = row.get("capabilities")
        base = row["target"].split(" ")[0]
        if not caps or base in seen:
            continue
        seen.add(base)
        if caps["concept"] == "minimax":
            finds = "value and optimal strategies"
        elif caps["kind"] in ("learner", "stage-solver", "evaluator", "policy-learner"):
            finds = caps["kind"]
        elif caps["concept"] == "pure-nash":
            finds = "all pure equilibria" if caps["finds_all"] else "some pure equilibria"
        else:
            finds = "all extreme equilibria" if caps["finds_all"] else "one or some equilibria"
        flags = [f"concept {caps['concept']}", f"players {caps['players']}", finds,
                 "exact" if caps["exact"] else f"float, tolerance {caps['tolerance']:g} (× max(1, max|payoff|))",
                 "degenerate games promised" if caps["degenerate_supported"]
                 else "degenerate games not promised (not checked)"]
        if caps["zero_sum_only"]:
            flags.append("zero-sum only")
        lines.append(f"- `{base}`: {'; '.join(flags)}. Source: {caps['source']}.")
        for note in caps.get("notes", []):
            lines.append(f"  - {note}")
    lines += ["", "Replay any finding with `jalverify validate TARGET --replay REPORT.json`.", ""]
    write_text_atomically(Path(directory, "summary.md"), "\n".join(lines))
