"""Shared helpers for ``bench/run_all.py``: timing, machine description, result records, the table.

Every timed result is one record (a plain dict, JSON-serialisable)::

    {"workload": "nash_all_random", "size": "10x10", "method": "pygambit enummixed (exact)", "role": "peer",
     "cpu": 2.61, "wall": 2.63, "status": "ok", "check": {...}, "ok": True}

``role`` is ``"ours"`` (the reference the ratios are taken against: the first ``ours`` method of a workload,
unless the workload names another) or ``"peer"`` / ``"ours-alt"``.  ``status`` is ``"ok"``, ``"not installed"``
or ``"error: ..."``; ``ok`` is the correctness check of that result (``None`` when there is nothing to check).
"""

from __future__ import annotations

import os
import platform
import resource
import signal
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any


def clock(fn: Callable[[], Any], *, children: bool = False) -> tuple[float, float, Any]:
    """Run ``fn`` once; return ``(cpu seconds, wall seconds, result)``.

    CPU time is this process's (all threads); with ``children=True`` the CPU time of child processes that
    finished during the call is added (``lrsnash`` runs as a subprocess).  CPU time is the robust measure on
    the shared machine; wall time is recorded next to it.
    """
    c0 = time.process_time()
    k0 = resource.getrusage(resource.RUSAGE_CHILDREN) if children else None
    w0 = time.perf_counter()
    out = fn()
    wall = time.perf_counter() - w0
    cpu = time.process_time() - c0
    if k0 is not None:
        k1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu += (k1.ru_utime - k0.ru_utime) + (k1.ru_stime - k0.ru_stime)
    return cpu, wall, out


class PeerTimeout(Exception):
    """A peer ran past its time limit (recorded as status "timeout", never as a result)."""


def with_timeout(fn: Callable[[], Any], seconds: int) -> Callable[[], Any]:
    """Wrap ``fn`` so that it raises :class:`PeerTimeout` after ``seconds`` (SIGALRM; pure-Python peers only).

    nashpy's Lemke–Howson on random 10×10 integer games runs forever (its tableau overflows to nan and the
    pivoting never ends); the harness records that as a timeout instead of hanging.
    """
    def run() -> Any:
        def on_alarm(signum: int, frame: Any) -> None:
            raise PeerTimeout(f"no answer within {seconds} s")

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.alarm(seconds)
        try:
            return fn()
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    return run


def best_clock(fn: Callable[[], Any], reps: int, *, children: bool = False) -> tuple[float, float, Any]:
    """Minimum CPU and minimum wall time over ``reps`` runs (and the last result)."""
    cpus, walls, out = [], [], None
    for _ in range(max(1, reps)):
        c, w, out = clock(fn, children=children)
        cpus.append(c)
        walls.append(w)
    return min(cpus), min(walls), out


def record(workload: str, size: str, method: str, role: str, *, cpu: float | None = None,
           wall: float | None = None, status: str = "ok", ok: bool | None = None, instance: int = 0,
           **check: Any) -> dict[str, Any]:
    """One result record (see the module docstring)."""
    return {"workload": workload, "size": size, "instance": instance, "method": method, "role": role,
            "cpu": cpu, "wall": wall, "status": status, "ok": ok, "check": check}


def machine() -> dict[str, Any]:
    """nproc, CPU model, memory, load averages, Python and platform."""
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError as exc:
        model = f"unreadable /proc/cpuinfo: {exc}"
    mem_gib = None
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem_gib = round(int(line.split()[1]) / 2 ** 20, 1)
                    break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu_model": model, "mem_total_gib": mem_gib,
            "loadavg": list(os.getloadavg()), "python": platform.python_version(), "platform": platform.platform()}


def aggregate(records: list[dict[str, Any]], reference: dict[str, str]) -> list[dict[str, Any]]:
    """Median CPU time per (workload, size, method) and the ratio ours / method.

    ``reference[workload]`` names the method the ratios are taken against ("ours").  The ratio is
    ``median cpu(ours) / median cpu(method)``: below 1 means ours is faster.  Correctness: ``ok`` is False if
    any instance of the method failed its check, True if all passed, None if nothing was checked.
    """
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    order: list[tuple[str, str, str]] = []
    for r in records:
        key = (r["workload"], r["size"], r["method"])
        if key not in groups:
            order.append(key)
        groups[key].append(r)
    rows = []
    for key in order:
        rs = groups[key]
        cpus = [r["cpu"] for r in rs if r["cpu"] is not None and r["status"] == "ok"]
        walls = [r["wall"] for r in rs if r["wall"] is not None and r["status"] == "ok"]
        oks = [r["ok"] for r in rs if r["ok"] is not None]
        counts: dict[str, int] = defaultdict(int)
        for r in rs:
            counts[r["status"].split(" (")[0] if r["status"] != "ok" else "ok"] += 1
        statuses = ["ok"] if set(counts) == {"ok"} else [f"{v}/{len(rs)} {k}" for k, v in sorted(counts.items())]
        rows.append({"workload": key[0], "size": key[1], "method": key[2], "role": rs[0]["role"],
                     "n": len(rs), "cpu": statistics.median(cpus) if cpus else None,
                     "wall": statistics.median(walls) if walls else None,
                     "status": ",".join(statuses), "ok": (all(oks) if oks else None),
                     "checks": [r["check"] for r in rs]})
    for row in rows:
        ref_name = reference.get(row["workload"])
        ref = next((x for x in rows if x["workload"] == row["workload"] and x["size"] == row["size"]
                    and x["method"] == ref_name), None)
        if ref is not None and ref["cpu"] and row["cpu"]:
            row["ratio_ours_over_this"] = ref["cpu"] / row["cpu"]
        else:
            row["ratio_ours_over_this"] = None
    return rows


def format_table(rows: list[dict[str, Any]], unit: dict[str, str] | None = None) -> str:
    """Plain-text table: workload, size, method, median CPU, median wall, ours/method, check."""
    unit = unit or {}
    lines = [f"{'workload':<20} {'size':<9} {'method':<44} {'cpu':>10} {'wall':>10} {'ours/this':>9}  check"]
    last = None
    for r in rows:
        if last is not None and r["workload"] != last:
            lines.append("")
        last = r["workload"]
        u = unit.get(r["workload"], "s")
        def num(v: float | None, u: str = u) -> str:
            if v is None:
                return "-"
            return f"{v:.4g}{'' if u == 's' else ' ' + u}"
        ratio = "-" if r["ratio_ours_over_this"] is None else f"{r['ratio_ours_over_this']:.3g}"
        check = {True: "ok", False: "FAIL", None: "-"}[r["ok"]]
        if r["status"] != "ok":
            check = r["status"]
        summary = r["checks"][0].get("summary") if r["checks"] else None
        if r["checks"] and "count" in r["checks"][0]:  # equilibrium counts: summed over the instances
            done = [c for c in r["checks"] if "count" in c]
            summary = f"{sum(c['count'] for c in done)} eq in {len(done)}/{r['n']} games"
            for key, label in (("missed_vs_exact_peers", "missed"), ("ours_not_found", "of ours not found"),
                               ("not_in_ours", "not among ours")):
                if key in done[0]:
                    summary += f", {sum(c[key] for c in done)} {label}"
        if summary:
            check += f" ({summary})"
        lines.append(f"{r['workload']:<20} {r['size']:<9} {r['method'][:44]:<44} {num(r['cpu']):>10} "
                     f"{num(r['wall']):>10} {ratio:>9}  {check}")
    return "\n".join(lines)
