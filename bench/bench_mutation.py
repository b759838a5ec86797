"""Mutation benchmark of ``jalverify validate`` (issue 11 §2): how reliably and how fast the quick profile finds
planted bugs, and that correct targets raise no false alarm.

Targets.  The *mutants* are the planted-bug targets of ``tests/quality/zoo.py`` (its table ``MUTANTS`` gives each
one's kind, bug class, the check or claim ids allowed to report it, and the size of the smallest game that shows
it).  The *correct* targets are jalverify's own adapters (``jalverify.nash_vertex_enumeration``,
``jalverify.minimax``, ``jalverify.stage_correlated``, ``jalverify.policy_evaluation``, ``jalverify.minimax_q``) and
the independent textbook implementations of ``tests/quality/textbook.py``.

What is measured.  Every mutant is validated once per seed ``0..N-1`` (``--seeds N``, default 20) with
``validate(target, profile="quick", seed=s, report_dir=None)``, exactly as a user would run it.  Per mutant:

* **detection rate**: seeds on which a finding reports one of the mutant's claims / seeds;
* **time to detection**: wall seconds from the call of ``validate()`` (worker start-up included) until the
  ``progress=`` callback announces the first finding with one of those claims (the line is emitted after that
  finding was shrunk); median and maximum over the detected seeds;
* the claims that reported it, where the first matching finding came from (a corpus game or a generated one),
  and the largest witness over seeds (per seed the smallest matching witness).

Correct targets are validated on ``--correct-seeds`` seeds (default: ``--seeds`` on the quick profile, 1 on the
thorough profile selected by ``--thorough-correct``); every refuted check is a false alarm, and the script exits
with status 1 if there is one.  Checks where jalverify itself failed (verdict ``error``) are counted too.

Run: ``python bench/bench_mutation.py [--seeds N] [--jobs J] [--thorough-correct] [--only NAME ...]``.  Writes
``bench/results/mutation.json`` and ``bench/results/mutation.txt``; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ZOO = ROOT / "tests" / "quality" / "zoo.py"
TEXTBOOK = ROOT / "tests" / "quality" / "textbook.py"
OWN = ["jalverify.nash_vertex_enumeration", "jalverify.minimax", "jalverify.stage_correlated",
       "jalverify.policy_evaluation", "jalverify.minimax_q"]


def _load(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _describe(case: tuple[Any, ...]) -> tuple[tuple[int, ...], str]:
    """``(size, text)`` of a finding's game: size as ``zoo.witness_size``, text such as ``2×2``, ``3 players
    1×1×2`` or ``1 player, 2 states, 1 action``."""
    game = case[0]
    if hasattr(game, "n_states"):
        actions = max(max(game.n_actions(s)) for s in range(game.n_states))
        size = (game.n_players, game.n_states, actions)
        text = (f"{game.n_players} player{'s' if game.n_players != 1 else ''}, {game.n_states} "
                f"state{'s' if game.n_states != 1 else ''}, ≤{actions} action{'s' if actions != 1 else ''}")
        return size, text
    counts = tuple(game.n_actions)
    size = (game.n_players, *sorted(counts, reverse=True))
    text = "×".join(str(k) for k in counts)
    return size, (text if game.n_players == 2 else f"{game.n_players} players {text}")


def run_one(job: dict[str, Any]) -> dict[str, Any]:
    """Validate one target on one seed (in a pool worker); return a JSON-serialisable record."""
    from jalverify.validation import validate
    from jalverify.verdicts import Status

    claims = set(job["claims"])
    lines: list[tuple[float, str]] = []
    started = time.perf_counter()

    def progress(line: str) -> None:
        lines.append((time.perf_counter() - started, line))

    record: dict[str, Any] = {"target": job["name"], "role": job["role"], "seed": job["seed"],
                              "profile": job["profile"]}
    try:
        result = validate(job["reference"], profile=job["profile"], seed=job["seed"], report_dir=None,
                          progress=progress)
    except Exception as exc:  # noqa: BLE001 - the benchmark records any failure of a run and goes on
        record.update(status="run failed", error=f"{type(exc).__name__}: {exc}",
                      total_seconds=time.perf_counter() - started)
        return record
    total = time.perf_counter() - started
    findings = [(o.check, f) for o in result.outcomes for f in (getattr(o, "findings", ()) or
                                                                  ((o.finding,) if o.finding else ()))]
    reported = sorted({f.verdict.theorem for _, f in findings} | {c for c, _ in findings})
    matching = [(c, f) for c, f in findings if f.verdict.theorem in claims or c in claims]
    detect = None
    for seconds, line in lines:
        if line.lstrip().startswith("found ["):
            theorem = line.split("[", 1)[1].split("]", 1)[0]
            if theorem in claims or not claims:
                detect = seconds
                break
    witness = None
    if matching:
        sized = [(_describe(f.case), f) for _, f in matching]
        (size, text), _ = min(sized, key=lambda t: (math.prod(t[0][0][1:]), t[0][0]))
        witness = {"size": list(size), "text": text}
    record.update(
        status="ok", total_seconds=total, refuted=result.refuted, detected=bool(matching),
        detect_seconds=detect if matching else None,
        first_source=matching[0][1].source if matching else None,
        claims_reported=reported, matching_claims=sorted({f.verdict.theorem for _, f in matching}),
        witness=witness,
        checks={o.check: o.status.value for o in result.outcomes},
        errors=[f"{o.check}: {o.message}" for o in result.outcomes if o.status is Status.ERROR],
        false_alarms=[f"{o.check}: {o.message}" for o in result.outcomes if o.status is Status.REFUTED]
        if job["role"] == "correct" else [],
    )
    return record


def _git_head() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip()


def _summarise(records: list[dict[str, Any]], mutants: dict[str, Any], seeds: int) -> tuple[list[dict], list[dict]]:
    by_target: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        by_target.setdefault(r["target"], []).append(r)
    mutant_rows = []
    for name, info in mutants.items():
        runs = sorted(by_target.get(name, []), key=lambda r: r["seed"])
        if not runs:
            continue
        detected = [r for r in runs if r.get("detected")]
        times = [r["detect_seconds"] for r in detected if r.get("detect_seconds") is not None]
        claims: dict[str, int] = {}
        for r in detected:
            for c in r["matching_claims"]:
                claims[c] = claims.get(c, 0) + 1
        witnesses = [r["witness"] for r in detected if r.get("witness")]
        largest = max(witnesses, key=lambda w: (math.prod(w["size"][1:]), w["size"]), default=None)
        minimal = [w for w in witnesses if all(a <= b for a, b in zip(w["size"], info.smallest))
                   and len(w["size"]) == len(info.smallest)]
        corpus = sum(1 for r in detected if (r.get("first_source") or "").startswith("corpus"))
        mutant_rows.append({
            "mutant": name, "kind": info.kind, "bug": info.bug, "runs": len(runs), "detected": len(detected),
            "missed_seeds": [r["seed"] for r in runs if not r.get("detected")],
            "run_failures": [f"seed {r['seed']}: {r['error']}" for r in runs if r.get("status") != "ok"],
            "median_seconds": statistics.median(times) if times else None,
            "max_seconds": max(times) if times else None, "claims": claims,
            "largest_witness": largest["text"] if largest else None,
            "smallest_possible": list(info.smallest), "minimal_witness_seeds": len(minimal),
            "first_found_on_corpus": corpus,
        })
    correct_rows = []
    for name, runs in by_target.items():
        if name in mutants:
            continue
        correct_rows.append({
            "target": name, "runs": len(runs), "profile": runs[0]["profile"],
            "false_alarms": sum(1 for r in runs if r.get("false_alarms")),
            "false_alarm_messages": [f"seed {r['seed']}: {m}" for r in runs for m in r.get("false_alarms", [])],
            "errors": [f"seed {r['seed']}: {m}" for r in runs for m in r.get("errors", [])]
            + [f"seed {r['seed']}: {r['error']}" for r in runs if r.get("status") != "ok"],
            "median_total_seconds": statistics.median(r["total_seconds"] for r in runs),
        })
    return mutant_rows, correct_rows


def _table(mutant_rows: list[dict], correct_rows: list[dict], meta: dict[str, Any]) -> str:
    def sec(v: float | None) -> str:
        return "-" if v is None else f"{v:.1f}"

    out = [f"Mutation benchmark of jalverify validate ({meta['date']}, git {meta['git_head']}, {meta['machine']})",
           (f"mutants: quick profile, seeds 0..{meta['seeds'] - 1}; correct targets: {meta['correct_profile']} "
            f"profile, {meta['correct_seeds']} seed(s); {meta['jobs']} parallel jobs; {meta['wall_seconds']:.0f} s"),
           ("time to detection: wall seconds from the call of validate() to the progress line of the first matching "
            "finding (after shrinking)"), ""]
    head = (f"{'mutant':<38} {'kind':<34} {'bug class':<58} {'detected':>9} {'median s':>8} {'max s':>6}  "
            f"{'largest witness':<28} {'minimal':>7}  claims")
    out += [head, "-" * len(head)]
    for r in mutant_rows:
        rate = f"{r['detected']}/{r['runs']}"
        claims = ", ".join(f"{c.removeprefix('validate.')} ({n})" for c, n in sorted(r["claims"].items()))
        out.append(f"{r['mutant']:<38} {r['kind']:<34} {r['bug']:<58} {rate:>9} {sec(r['median_seconds']):>8} "
                   f"{sec(r['max_seconds']):>6}  {(r['largest_witness'] or '-'):<28} "
                   f"{str(r['minimal_witness_seeds']) + '/' + str(r['detected']):>7}  {claims}")
    total = sum(r["runs"] for r in mutant_rows)
    found = sum(r["detected"] for r in mutant_rows)
    full = sum(1 for r in mutant_rows if r["detected"] == r["runs"])
    out += ["", f"detected {found}/{total} runs; {full}/{len(mutant_rows)} mutants on every seed", ""]
    head = f"{'correct target':<50} {'profile':<9} {'runs':>5} {'false alarms':>13} {'errors':>7} {'median s':>9}"
    out += [head, "-" * len(head)]
    for r in correct_rows:
        out.append(f"{r['target']:<50} {r['profile']:<9} {r['runs']:>5} {r['false_alarms']:>13} "
                   f"{len(r['errors']):>7} {r['median_total_seconds']:>9.1f}")
    for r in correct_rows:
        for m in r["false_alarm_messages"] + r["errors"]:
            out.append(f"  {r['target']}: {m[:200]}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20, help="seeds 0..N-1 per mutant (default 20)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel validate() runs (default 2)")
    parser.add_argument("--thorough-correct", action="store_true",
                        help="validate the correct targets on the thorough profile (default quick)")
    parser.add_argument("--correct-seeds", type=int, default=None,
                        help="seeds per correct target (default: --seeds on quick, 1 on thorough)")
    parser.add_argument("--only", nargs="*", default=None, help="only these mutants / correct targets")
    parser.add_argument("--no-correct", action="store_true", help="skip the correct targets")
    parser.add_argument("--out-dir", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args(argv)

    zoo = _load(ZOO, "jalverify_bench_zoo")
    textbook = _load(TEXTBOOK, "jalverify_bench_textbook")
    mutants = {k: v for k, v in zoo.MUTANTS.items() if args.only is None or k in args.only}
    correct_profile = "thorough" if args.thorough_correct else "quick"
    correct_seeds = args.correct_seeds if args.correct_seeds is not None else (1 if args.thorough_correct
                                                                                else args.seeds)
    correct = [] if args.no_correct else [(name, name) for name in OWN] + [
        (name, f"{TEXTBOOK.relative_to(ROOT)}:{name}") for name in textbook.TEXTBOOK]
    if args.only is not None:
        correct = [c for c in correct if c[0] in args.only]
    jobs = [{"name": name, "role": "mutant", "seed": s, "profile": "quick", "claims": sorted(info.claims),
             "reference": f"{ZOO.relative_to(ROOT)}:{name}"} for name, info in mutants.items()
            for s in range(args.seeds)]
    jobs += [{"name": name, "role": "correct", "seed": s, "profile": correct_profile, "claims": [],
              "reference": ref} for name, ref in correct for s in range(correct_seeds)]
    # learners first: they take longest, so the pool ends evenly
    jobs.sort(key=lambda j: (0 if "MinimaxQ" in j["name"] or "minimax_q" in j["name"] or "Backup" in j["name"]
                             else 1, j["name"], j["seed"]))
    os.chdir(ROOT)
    started = time.perf_counter()
    records = []
    print(f"bench_mutation: {len(jobs)} validate() runs, {args.jobs} at a time", file=sys.stderr, flush=True)
    with ProcessPoolExecutor(max_workers=args.jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(run_one, job): job for job in jobs}
        for k, future in enumerate(as_completed(futures), 1):
            job = futures[future]
            r = future.result()
            records.append(r)
            if r.get("status") != "ok":
                what = f"RUN FAILED: {r['error'][:120]}"
            elif job["role"] == "mutant":
                what = (f"detected in {r['detect_seconds']:.1f} s ({', '.join(r['matching_claims'])}; "
                        f"{r['witness']['text']})" if r["detected"] else f"MISSED (reported: {r['claims_reported']})")
            else:
                what = f"FALSE ALARM: {r['false_alarms']}" if r["false_alarms"] else "no false alarm"
            print(f"[{k}/{len(jobs)}] {job['name']} seed {job['seed']} ({r['total_seconds']:.1f} s): {what}",
                  file=sys.stderr, flush=True)
    wall = time.perf_counter() - started
    mutant_rows, correct_rows = _summarise(records, mutants, args.seeds)
    meta = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "git_head": _git_head(),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
            "seeds": args.seeds, "jobs": args.jobs, "correct_profile": correct_profile,
            "correct_seeds": correct_seeds, "wall_seconds": wall,
            "time_to_detection": "wall seconds from the call of validate() to the progress line announcing the first "
                                 "finding with one of the mutant's claims (emitted after that finding was shrunk)"}
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "mutation.json").write_text(json.dumps({"meta": meta, "mutants": mutant_rows, "correct": correct_rows,
                                                       "runs": sorted(records, key=lambda r: (r["target"], r["seed"]))},
                                                      indent=1) + "\n")
    table = _table(mutant_rows, correct_rows, meta)
    (out_dir / "mutation.txt").write_text(table)
    print(table)
    return 1 if any(r["false_alarms"] for r in correct_rows) else 0


if __name__ == "__main__":
    sys.exit(main())
