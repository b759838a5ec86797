"""``jalverify experiment SPEC``: run a learning campaign (games × algorithms × seeds) and judge every run exactly.

``SPEC`` is a campaign file (TOML, :mod:`jalverify.experiments.spec`).  Every run is learned and measured against
the exact reference of its game (:mod:`jalverify.experiments.runner`); runs are written to ``--output`` as they
finish and skipped when the campaign is run again (``--fresh`` recomputes them); the summary per game ×
algorithm (means, medians and 95% bands over seeds, seeds reaching ε, steps to ε, convergence verdicts) is printed
on stdout (``--format json``: the content of ``summary.json``) and written with plots beside the runs.  Runs go to
the executor the options choose (``--workers N``, ``--scheduler tcp://HOST:PORT``, ``--workers N --dask``; default
serial in this process).  Progress (runs done / total, ETA) goes to stderr.  Exit 0 when every run finished, 3
when a run failed (each failed run is recorded with its error and the campaign went on).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from jalverify.errors import EXIT_INTERNAL, InvalidOption

__all__ = ["register", "run"]

_FORMATS = ("text", "json")


def register(subparsers: Any) -> None:
    from jalverify.cli.executor_options import add_executor_arguments
    from jalverify.cli.html_option import add_html_argument

    parser = subparsers.add_parser(
        "experiment",
        help="run a learning campaign (games × algorithms × seeds) judged against exact references",
        description="Run every run of a campaign file (TOML) and judge each against the exact reference of its "
        "game: max|Q − Q*|, exact V^π and NashConv of the learned policy per checkpoint, the six convergence "
        "notions; aggregate over seeds (mean, median, 95%% band, seeds reaching ε, steps to ε). Finished runs are "
        "kept in the output folder and skipped when the campaign runs again.",
    )
    parser.add_argument("spec", metavar="SPEC", help="the campaign file (TOML); see examples/campaigns/")
    parser.add_argument("--output", default=None, metavar="DIR",
                        help="the campaign's folder (default: experiments/<campaign name>)")
    parser.add_argument("--fresh", action="store_true", help="recompute every run (default: resume, skipping "
                        "runs already finished in the output folder)")
    parser.add_argument("--resume", action="store_true", help="skip runs already finished (the default)")
    parser.add_argument("--no-plots", action="store_true", help="do not draw the plots")
    parser.add_argument("--format", default="text", help="text or json")
    add_html_argument(parser)
    add_executor_arguments(parser, what="runs")
    parser.set_defaults(func=run)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.") or "campaign"


def run(args: argparse.Namespace) -> int:
    from jalverify.cli.executor_options import check_executor_arguments, executor_from_args
    from jalverify.cli.html_option import check_html_argument, write_html_report
    from jalverify.experiments.campaign import check_campaign_runs, run_campaign
    from jalverify.experiments.spec import load_campaign

    if args.format not in _FORMATS:
        raise InvalidOption(f"--format must be one of {', '.join(_FORMATS)}; got {args.format!r}")
    check_executor_arguments(args)
    check_html_argument(args)
    if args.fresh and args.resume:
        raise InvalidOption("--fresh recomputes every run and --resume keeps finished ones: give one of them")
    spec = load_campaign(args.spec)
    output = Path(args.output) if args.output is not None else Path("experiments") / _slug(spec.name)
    if output.exists() and not output.is_dir():
        raise InvalidOption(f"--output {str(output)!r} exists and is not a folder")
    plots = not args.no_plots
    if plots:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise InvalidOption("the campaign's plots need matplotlib: pip install 'jalverify[plot]', or give "
                                "--no-plots") from None
    check_campaign_runs(spec)

    def say(message: str) -> None:
        print(f"experiment: {message}", file=sys.stderr, flush=True)

    with executor_from_args(args) as executor:
        result = run_campaign(spec, output, executor=executor, fresh=args.fresh, progress=say, plots=plots)
    write_html_report(args, "experiment", [("experiment", result.summary, str(output / "summary.json"))],
                      title=f"jalverify experiment {spec.name}")
    if args.format == "json":
        json.dump(result.summary, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(result))
    return EXIT_INTERNAL if result.failed else 0


def _num(x: float | None) -> str:
    if x is None:
        return "–"
    return "0" if x == 0 else f"{x:.3g}"


def _band(m: Any) -> str:
    if m is None:
        return "–"
    if len(m.final) < 2:
        return f"{_num(m.mean[-1])} (one seed: no band)"
    return f"{_num(m.mean[-1])} [{_num(m.low[-1])}, {_num(m.high[-1])}]"


def _reach(m: Any) -> tuple[str, str]:
    if m is None:
        return "–", "–"
    median = m.median_steps_to_epsilon
    return f"{m.reached}/{len(m.final)}", "–" if median is None else f"{median:.0f}"


def _table(rows: list[list[str]], indent: str = "  ") -> str:
    from jalverify.games.tables import aligned_rows

    return "".join(line + "\n" for line in aligned_rows(rows, indent))


_NOTION_SHORT = {"q": "Q → Q*", "policy": "policy", "empirical": "empirical", "averaged": "averaged",
                 "expected_return": "E[return]", "average_return": "avg return"}


def render_text(result: Any) -> str:
    """The campaign summary as a reader of the field expects it: one table per game."""
    spec = result.spec
    seeds = spec.seeds
    lines = [f"campaign {spec.name}: {result.total} runs ({result.computed} computed now, {result.reused} reused, "
             f"{result.failed} failed) in {result.seconds:.1f} s on {result.executor}",
             f"  {spec.steps} steps per run, {spec.checkpoints} checkpoints, final window {spec.window}; "
             f"{len(seeds)} seeds ({seeds[0]}–{seeds[-1]}); tolerance ε = {spec.epsilon}"
             + (f"; γ = {spec.gamma} for normal-form games" if spec.gamma is not None else ""),
             f"  output: {result.output} (runs/, summary.json, summary.csv"
             + (", plots/" if result.summary.get("plots") else "") + ")", ""]
    out = "\n".join(lines) + "\n"
    for game in spec.games:
        groups = [g for g in result.groups if g.game == game]
        ref = next((g.reference for g in groups if g.reference is not None), None)
        ref_text = ("none: " + ref["reason"]) if ref is not None and ref["kind"] is None else (
            ref["description"] if ref is not None else "no finished run")
        out += f"{game} — reference: {ref_text}\n"
        rows = [["algorithm", "runs", "max|Q−Q*| final: mean [95% band]", "reach ε", "median steps",
                 "NashConv final: mean [95% band]", "reach ε", "median steps"]]
        notions = [["  convergence notions", *(_NOTION_SHORT[k] for k in _NOTION_SHORT)]]
        for g in groups:
            q, nc = g.measures["q_error"], g.measures["nash_conv"]
            q_reach, q_steps = _reach(q)
            n_reach, n_steps = _reach(nc)
            runs = f"{len(g.seeds)}" + (f" (+{len(g.failed)} failed)" if g.failed else "")
            rows.append([g.algorithm, runs, _band(q), q_reach, q_steps, _band(nc), n_reach, n_steps])
            notions.append([f"  {g.algorithm}", *(f"{g.notions.get(k, {}).get('within_tolerance', 0)}/{len(g.seeds)}"
                                                    for k in _NOTION_SHORT)])
        out += _table(rows)
        out += _table(notions)
        for g in groups:
            for f in g.failed:
                out += f"  FAILED {g.algorithm} seed {f['seed']}: {f['error']}\n"
        out += "\n"
    out += ("NashConv: exact, of each run's learned policy rounded to an exact policy, at the start distribution μ.\n"
            "Convergence notions (book §5.2): seeds whose final window is within ε of the exact reference (holds "
            "within tolerance); the others are not established; a finite run is never proven.\n")
    return out
