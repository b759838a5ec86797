"""Each kind of saved jalverify JSON document as sections of an HTML report, and the search of a folder for them.

Kinds (told apart by their ``format`` field, or by the required keys of their JSON Schema where the document
has none): ``verify`` (the verdict table, sortable, each refuted claim's counterexample below it),
``counterexample`` (:mod:`.counterexample`), ``validate`` and ``validate_all`` (checks and findings per target),
``experiment`` (per game: final errors with bands, seeds reaching ε, learning curves of max|Q − Q*| and NashConv
on a log scale with 95% bands, the simplex trajectories drawn by the campaign, the convergence notions),
``learn`` (the error against the exact Q* over steps, the learned policy, exact values and NashConv, the notions),
``nosde`` (the decision and the value-iteration cycle), ``nosde_pair`` (Γ and Γ' side by side, the rewards that
changed highlighted, equal Q, different V) and ``replay``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from jalverify.errors import InvalidFile
from jalverify.games.formats.json_format import read_json
from jalverify.reports.html.counterexample import counterexample_html, value_html
from jalverify.reports.html.page import Section, data_table, e, exact_text, verdict_badge

__all__ = ["KINDS", "SavedDocument", "classify_document", "find_documents", "report_page", "sections_of"]

#: Required top-level keys of the documents without a ``format`` field (from their JSON Schemas).
_SHAPES: tuple[tuple[str, frozenset[str]], ...] = (
    ("validate", frozenset({"target", "capabilities", "checks", "refuted", "errors"})),
    ("validate_all", frozenset({"meta", "targets"})),
    ("nosde_pair", frozenset({"gamma_game", "prime_game", "q", "v", "verdicts"})),
    ("nosde", frozenset({"game", "states", "gamma", "turn_based", "stationary_deterministic_equilibrium"})),
)

_FORMATS = {"jalverify.verify/1": "verify", "jalverify.counterexample/1": "counterexample",
            "jalverify.experiment/1": "experiment", "jalverify.learn/1": "learn", "jalverify.replay/1": "replay"}

KINDS = tuple(sorted(set(_FORMATS.values()) | {kind for kind, _ in _SHAPES}))


class SavedDocument:
    """A JSON document with its kind and where it came from (a file, or ``""`` for a command's own output)."""

    __slots__ = ("kind", "data", "location")

    def __init__(self, kind: str, data: Mapping[str, Any], location: str = "") -> None:
        self.kind, self.data, self.location = kind, data, location


def classify_document(data: Any) -> str | None:
    """The kind of a jalverify JSON document (module docstring), or ``None`` when it is none of them."""
    if not isinstance(data, Mapping):
        return None
    fmt = data.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS:
        return _FORMATS[fmt]
    for kind, keys in _SHAPES:
        if keys <= data.keys():
            return kind
    return None


def find_documents(folder: Path, *, max_files: int = 2000) -> list[SavedDocument]:
    """Every jalverify JSON document under ``folder`` (sorted by path); other JSON files are skipped, a file that
    is not valid JSON is an error naming it.  Counterexample reports already shown by a ``verify`` or
    ``validate`` document of the same folder are kept once (under that document)."""
    if not folder.is_dir():
        raise InvalidFile(f"{folder}: not a folder")
    paths = sorted(p for p in folder.rglob("*.json") if p.is_file() and not p.name.startswith("."))
    if len(paths) > max_files:
        raise InvalidFile(f"{folder}: {len(paths)} JSON files, more than the {max_files} one report renders")
    out = []
    for path in paths:
        data = _plain_floats(read_json(path)[0])
        kind = classify_document(data)
        if kind is not None:
            out.append(SavedDocument(kind, data, str(path)))
    return out


def _plain_floats(value: Any) -> Any:
    """Data read by :func:`read_json` with its float literals (kept as their exact text there) as floats: a saved
    report's floats are measurements, shown with six significant digits."""
    if isinstance(value, dict):
        return {k: _plain_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_floats(v) for v in value]
    if isinstance(value, str) and type(value) is not str:
        return float(value)
    return value


def _anchor(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text).strip("-").lower() or "section"


def _load_report(path_text: str, base: Path | None) -> tuple[dict[str, Any], str] | None:
    """A counterexample report named by a document (relative to the document's folder or the working folder)."""
    for candidate in ([base / path_text] if base is not None else []) + [Path(path_text)]:
        if candidate.is_file():
            data = _plain_floats(read_json(candidate)[0])
            if classify_document(data) == "counterexample":
                return dict(data), str(candidate)
    return None


def _verify(doc: SavedDocument, seen: set[str]) -> list[Section]:
    from jalverify.theorems.registry import load_all

    claims = load_all()
    d = doc.data
    base = Path(doc.location).parent if doc.location else None
    rows, cards = [], []
    for row in d.get("theorems", []):
        theorem = claims.get(row.get("id", ""))
        words = ("refuted (as expected)" if row.get("verdict") == "refuted" and row.get("expected") != "holds"
                 else None)
        link = ""
        if row.get("report"):
            loaded = _load_report(row["report"], base)
            if loaded is not None:
                report, location = loaded
                link = f'<a href="#report-{e(str(report.get("hash", "")))}">counterexample</a>'
                if os.path.abspath(location) not in seen:
                    seen.add(os.path.abspath(location))
                    cards.append(counterexample_html(report, location=location))
            else:
                link = f"<code>{e(row['report'])}</code> (file not found)"
        claim = f'<br><span class="note">{e(theorem.claim)}</span>' if theorem else ""
        verdict = row.get("verdict", "error")
        rows.append([f"<code>{e(row.get('id', ''))}</code>{claim}", e(row.get("expected", "")),
                     f'<span data-sort="{e(verdict)}">{verdict_badge(verdict, words)}</span>',
                     str(row.get("examples", "")), f"{float(row.get('seconds', 0)):.2f}",
                     e(row.get("message", "")) + (f"<br>{link}" if link else "")])
    counts: dict[str, int] = {}
    for row in d.get("theorems", []):
        counts[row.get("verdict", "")] = counts.get(row.get("verdict", ""), 0) + 1
    tally = ", ".join(f"{n} {verdict_badge(v)}" for v, n in sorted(counts.items()))
    head = (f"<p>Profile <strong>{e(str(d.get('profile')))}</strong>, {e(str(d.get('max_examples')))} examples per "
            f"theorem, seed <code>{e(str(d.get('seed')))}</code>, {float(d.get('seconds', 0)):.1f} s. "
            + ("Nothing that should hold was refuted." if d.get("ok") else
               "<strong>A claim that should hold was refuted, or a check failed.</strong>") +
            f"</p><p>{tally}</p><p class=\"note\">Click a column header to sort.</p>")
    table = data_table(["theorem and claim", "expected", "verdict", "examples", "seconds", "finding"], rows,
                       sortable=True, numeric=(3, 4))
    sections = [Section("verify", "Theorems checked (jalverify verify)", head + table)]
    if cards:
        sections.append(Section("counterexamples", "Counterexamples", "".join(cards)))
    return sections


def _validate_one(d: Mapping[str, Any], base: Path | None, seen: set[str], cards: list[str]) -> str:
    rows = []
    for check in d.get("checks", []):
        findings = check.get("findings") or ([check["finding"]] if check.get("finding") else [])
        links = []
        for finding in findings:
            loaded = _load_report(finding.get("report", ""), base) if finding.get("report") else None
            if loaded is not None:
                report, location = loaded
                links.append(f'<a href="#report-{e(str(report.get("hash", "")))}">{e(finding.get("theorem", ""))}</a>')
                if os.path.abspath(location) not in seen:
                    seen.add(os.path.abspath(location))
                    cards.append(counterexample_html(report, location=location))
            elif finding.get("report"):
                links.append(f"<code>{e(finding['report'])}</code> (file not found)")
        worst = "" if check.get("worst") is None else exact_text(check["worst"])
        rows.append([f"<code>{e(check.get('check', ''))}</code>",
                     f'<span data-sort="{e(check.get("verdict", ""))}">'
                     f'{verdict_badge(check.get("verdict", "error"))}</span>',
                     str(check.get("examples", "")), f"{float(check.get('seconds', 0)):.2f}", e(worst),
                     e(check.get("message", "")), "<br>".join(links)])
    capabilities = d.get("capabilities") or {}
    declared = ", ".join(f"{k} = {exact_text(v)}" for k, v in capabilities.items() if k not in ("notes",))
    return (f"<p>Target <code>{e(str(d.get('target')))}</code>; profile {e(str(d.get('profile')))}, seed "
            f"<code>{e(str(d.get('seed')))}</code>, {float(d.get('seconds', 0)):.1f} s.</p>"
            f"<details><summary>Declared capabilities</summary><p class=\"note\">{e(declared)}</p></details>"
            + data_table(["check", "verdict", "examples", "seconds", "worst", "message", "findings"], rows,
                         sortable=True, numeric=(2, 3)))


def _validate(doc: SavedDocument, seen: set[str]) -> list[Section]:
    base = Path(doc.location).parent if doc.location else None
    cards: list[str] = []
    body = _validate_one(doc.data, base, seen, cards)
    sections = [Section(_anchor(f"validate-{doc.data.get('target')}"), f"Validation of {doc.data.get('target')}", body)]
    if cards:
        sections.append(Section(_anchor(f"findings-{doc.data.get('target')}"),
                                f"Findings on {doc.data.get('target')}", "".join(cards)))
    return sections


def _validate_all(doc: SavedDocument, seen: set[str]) -> list[Section]:
    base = Path(doc.location).parent if doc.location else None
    rows, sections, cards = [], [], []
    for target in doc.data.get("targets", []):
        name = str(target.get("target", ""))
        refuted = [c.get("check", "") for c in target.get("checks", []) if c.get("verdict") == "refuted"]
        rows.append([f'<a href="#{_anchor("validate-" + name)}"><code>{e(name)}</code></a>',
                     e(str(target.get("library", ""))), e(str(target.get("status", ""))),
                     e(", ".join(refuted)), e(exact_text(target.get("seconds", "")))])
        if target.get("checks"):
            sections.append(Section(_anchor(f"validate-{name}"), f"Validation of {name}",
                                    _validate_one(target, base, seen, cards)))
    head = Section("validate-all", "Validation of every built-in adapter",
                   data_table(["target", "library", "status", "refuted checks", "seconds"], rows, sortable=True,
                              numeric=(4,)))
    found = [Section("validate-findings", "Findings", "".join(cards))] if cards else []
    return [head, *sections, *found]


def _experiment(doc: SavedDocument, seen: set[str]) -> list[Section]:
    from jalverify.reports.html.figures import curves_svg, inline_svg

    d = doc.data
    campaign = d.get("campaign", {})
    epsilon = campaign.get("epsilon")
    folder = Path(doc.location).parent if doc.location else None
    runs = d.get("runs", {})
    head = (f"<p>Campaign <strong>{e(str(campaign.get('name')))}</strong>: {len(campaign.get('games', []))} game(s) × "
            f"{len(campaign.get('algorithms', []))} algorithm(s) × {len(campaign.get('seeds', []))} seed(s), "
            f"{e(str(campaign.get('steps')))} steps, ε = {e(str(epsilon))}; runs {e(exact_text(runs.get('total')))} "
            f"({e(exact_text(runs.get('failed')))} failed), {float(d.get('seconds', 0)):.1f} s on "
            f"{e(str(d.get('executor')))}.</p>")
    sections = [Section("experiment", f"Learning experiment {campaign.get('name', '')}", head)]
    games: dict[str, list[Mapping[str, Any]]] = {}
    for group in d.get("groups", []):
        games.setdefault(group["game"], []).append(group)
    eps = float(exact_text(epsilon).split("/")[0]) / float(exact_text(epsilon).split("/")[1]) if (
        isinstance(epsilon, str) and "/" in epsilon) else (float(epsilon) if epsilon is not None else None)
    for game, groups in games.items():
        rows, notions = [], []
        for g in groups:
            q = (g.get("measures") or {}).get("q_error")
            nc = (g.get("measures") or {}).get("nash_conv")

            def final(m: Mapping[str, Any] | None) -> str:
                if not m or not m.get("mean"):
                    return "–"
                return f"{m['mean'][-1]:.4g} [{m['band_low'][-1]:.4g}, {m['band_high'][-1]:.4g}]"

            reach = (f"{q['seeds_reaching_epsilon']}/{len(g.get('seeds', []))}"
                     + (f", median step {q['median_steps_to_epsilon']:g}"
                        if q.get("median_steps_to_epsilon") is not None
                        else "")) if q else "–"
            rows.append([e(g["algorithm"]), str(len(g.get("seeds", []))), final(q), e(reach), final(nc),
                         e(", ".join(g.get("final_nash_conv_exact") or [])),
                         e(", ".join(str(s) for s in g.get("failed", [])))])
            counts = g.get("convergence") or {}
            notions.append([e(g["algorithm"])] + [" ".join(f"{n}×{verdict_badge(v)}" for v, n in sorted(c.items()))
                                                  for c in counts.values()])
            notion_names = list(counts)
        body = data_table(["algorithm", "seeds", "final max|Q − Q*| (mean [95% band])", "seeds reaching ε",
                           "final NashConv (mean [95% band])", "exact final NashConv per seed", "failed"], rows,
                          sortable=True, numeric=(1,))
        figures = []
        for measure, label in (("q_error", "max|Q − Q*|"), ("nash_conv", "NashConv")):
            present = [g for g in groups if (g.get("measures") or {}).get(measure)]
            if present:
                m0 = present[0]["measures"][measure]
                figures.append(curves_svg(
                    m0["steps"], {g["algorithm"]: g["measures"][measure]["mean"] for g in present},
                    bands={g["algorithm"]: (g["measures"][measure]["band_low"], g["measures"][measure]["band_high"])
                           for g in present},
                    ylabel=label, title=f"{label}: mean over seeds, 95% band", tolerance=eps))
        if folder is not None:
            for plot in d.get("plots", []):
                path = folder / plot
                if Path(plot).name.startswith("simplex-") and path.is_file() and _game_slug_in(game, Path(plot).name):
                    figures.append(inline_svg(path.read_text(encoding="utf-8")))
        body += '<div class="side">' + "".join(f'<div class="figure">{f}</div>' for f in figures) + "</div>"
        if notions:
            body += "<h3>Convergence notions (seeds per verdict, judged against the exact reference)</h3>"
            body += data_table(["algorithm"] + notion_names, notions)
        sections.append(Section(_anchor(f"game-{game}"), f"Game {game}", body))
    return sections


def _game_slug_in(game: str, filename: str) -> bool:
    """Whether ``filename`` is one of the campaign's simplex plots of ``game`` (named by :func:`plot_slug`)."""
    from jalverify.experiments.plots import plot_slug

    return filename.startswith(f"simplex-{plot_slug(game)}-")


def _q_table(q: Mapping[str, Any], joint: Mapping[str, Sequence[str]], players: Sequence[str],
             reference: Mapping[str, Any] | None) -> str:
    rows = []
    for state, per_player in q.items():
        for j, name in enumerate(joint.get(state, [])):
            cells = [e(state), e(name)]
            for i, _ in enumerate(players):
                learned = per_player[i][j]
                cells.append(e(exact_text(learned)))
                if reference is not None:
                    cells.append(e(exact_text(reference[state][i][j])))
            rows.append(cells)
    headers = ["state", "joint action"]
    for p in players:
        headers += [f"Q_{p}"] + ([f"Q*_{p}"] if reference is not None else [])
    return data_table(headers, rows, numeric=range(2, len(headers)))


def _learn(doc: SavedDocument, seen: set[str]) -> list[Section]:
    from jalverify.reports.html.figures import curves_svg

    d = doc.data
    params = d.get("parameters", {})
    reference = d.get("reference") or {}
    trace = d.get("error_trace") or {}
    parts = [f"<p>{e(str(params.get('algorithm')))} on <strong>{e(str(d.get('game')))}</strong>: "
             f"{e(exact_text(params.get('steps')))} steps, seed {e(exact_text(params.get('seed')))}, γ = "
             f"{e(str(params.get('gamma')))}; reference: {e(str(reference.get('description', 'none')))}.</p>"]
    values = trace.get("max_abs_q_minus_q_star")
    if trace.get("steps") and values:
        parts.append('<div class="figure">' + curves_svg(trace["steps"], {"max|Q − Q*|": values},
                                                         ylabel="max|Q − Q*|",
                                                         title="error against the exact reference Q*") + "</div>")
    nash_trace = d.get("nash_conv_trace")
    if isinstance(nash_trace, Mapping) and nash_trace.get("steps"):
        exact = sum(1 for kind in nash_trace.get("evaluation", []) if kind == "exact")
        parts.append('<div class="figure">' + curves_svg(
            nash_trace["steps"], {"NashConv": nash_trace["values"]}, ylabel="NashConv at the start distribution",
            title=f"NashConv of the rounded learned policy ({exact} of {len(nash_trace['steps'])} snapshots exact)")
            + "</div>")
    if d.get("q"):
        parts.append("<h3>Learned Q against the exact Q*</h3>"
                     + _q_table(d["q"], d.get("joint_actions", {}), d.get("players", []), reference.get("q_star")))
    policy = (d.get("learned_policy") or {}).get("states")
    if isinstance(policy, Mapping):
        rows = [[e(state), e(player), e(", ".join(f"{a} {exact_text(p)}" for a, p in dist.items()))]
                for state, players in policy.items() if isinstance(players, Mapping)
                for player, dist in players.items() if isinstance(dist, Mapping)]
        parts.append("<h3>Learned policy (rounded to an exact policy)</h3>"
                     + data_table(["state", "player", "policy"], rows)
                     + f"<p class=\"note\">{e(str(d['learned_policy'].get('rounding', '')))}</p>")
    nash = d.get("nash_conv") or {}
    if nash:
        parts.append(f"<p><strong>NashConv at the start distribution:</strong> {e(exact_text(nash.get('at_start')))} "
                     f"({'exact, certified' if nash.get('certified') else 'float'}).</p>")
    rows = [[e(c.get("name", c.get("notion", ""))), verdict_badge(c.get("status", "error")), e(c.get("message", ""))]
            for c in d.get("convergence", [])]
    if rows:
        parts.append("<h3>Convergence notions</h3>" + data_table(["notion", "verdict", "message"], rows))
    return [Section(_anchor(f"learn-{d.get('game')}-{params.get('algorithm')}"),
                    f"Learning run: {params.get('algorithm')} on {d.get('game')}", "".join(parts))]


def _nosde(doc: SavedDocument, seen: set[str]) -> list[Section]:
    from jalverify.reports.html.figures import cycle_svg

    d = doc.data
    sde = d.get("stationary_deterministic_equilibrium") or {}
    verdict = sde.get("verdict") or {}
    parts = [f"<p>Game <strong>{e(str(d.get('game')))}</strong> (players {e(', '.join(d.get('players', [])))}; "
             f"states {e(', '.join(d.get('states', [])))}; γ = {e(str(d.get('gamma')))}; "
             f"{'turn-based' if d.get('turn_based') else 'simultaneous moves'}).</p>",
             f"<p>{verdict_badge(verdict.get('status', 'not_established'))} {e(str(sde.get('status', '')))}: "
             f"{e(str(verdict.get('message', '')))}</p>"]
    deviations = sde.get("deviations") or []
    if deviations:
        rows = [[e("; ".join(f"{s}: ({', '.join(a)})" for s, a in dev.get("profile", {}).items())),
                 e(str(dev.get("player"))), e(str(dev.get("state"))), e(str(dev.get("action"))),
                 e(exact_text(dev.get("gain")))] for dev in deviations]
        parts.append("<h3>Every deterministic stationary joint policy has a profitable deviation</h3>"
                     + data_table(["joint policy", "player", "state", "deviates to", "exact gain"], rows, numeric=(4,)))
    equilibria = d.get("stationary_equilibria")
    if isinstance(equilibria, Mapping):
        parts.append("<h3>Stationary equilibria</h3>" + value_html(
            {k: v for k, v in equilibria.items() if k not in ("uniqueness",)}))
    cycle = d.get("value_iteration")
    if isinstance(cycle, Mapping):
        witness = (cycle.get("verdict") or {}).get("witness") or {}
        orbit = witness.get("orbit")
        if isinstance(orbit, list) and orbit:
            players, states = d.get("players", []), d.get("states", [])
            labels = [f"V_{p}({s})" for p in players for s in states]
            points = [[_fraction_value(v) for per_player in point for v in per_player] for point in orbit]
            parts.append("<h3>The value-iteration cycle (exact periodic orbit, drawn over two periods)</h3>"
                         '<div class="figure">' + cycle_svg(points + points, labels, start=int(cycle.get("entered", 0)),
                                                            period=int(cycle.get("period", 1))) + "</div>")
        verdict = cycle.get("verdict") or {}
        steps = [[str(k), e("; ".join(f"{state}: ({', '.join(joint)})" for state, joint in policy.items()))]
                 for k, policy in enumerate(cycle.get("cycle", [])) if isinstance(policy, Mapping)]
        parts.append(f"<p>{verdict_badge(verdict.get('status', 'not_established'))} "
                     f"{e(str(verdict.get('message', cycle.get('status', ''))))}</p>"
                     + (data_table(["phase", "greedy joint policy"], steps) if steps else ""))
    return [Section(_anchor(f"nosde-{d.get('game')}"), f"NoSDE analysis of {d.get('game')}", "".join(parts))]


def _fraction_value(v: Any) -> float:
    from fractions import Fraction

    return float(Fraction(v)) if isinstance(v, (str, int)) else float(v)


def _nosde_pair(doc: SavedDocument, seen: set[str]) -> list[Section]:
    from jalverify.games.formats.json_format import game_from_dict
    from jalverify.games.tables import stochastic_game_html

    d = doc.data
    where = doc.location or "nosde --pair output"
    gamma = game_from_dict(dict(d["gamma_game"]), source=f"{where}: gamma_game")
    prime = game_from_dict(dict(d["prime_game"]), source=f"{where}: prime_game")
    changed = {(row.get("state"), row.get("action"), row.get("player")) for row in d.get("q", [])
               if row.get("reward_gamma") != row.get("reward_prime")}
    rows_q, rows_v = [], []
    for row in d.get("q", []):
        diff = (row.get("state"), row.get("action"), row.get("player")) in changed
        rows_q.append([e(str(row.get(k, ""))) for k in ("state", "action", "next", "player")]
                      + [f"{'<strong>' if diff else ''}{e(exact_text(row.get('reward_gamma')))} → "
                         f"{e(exact_text(row.get('reward_prime')))}{'</strong>' if diff else ''}",
                         e(exact_text(row.get("q_gamma"))), e(exact_text(row.get("q_prime")))])
    for row in d.get("v", []):
        rows_v.append([e(str(v)) if not isinstance(v, (int, float)) else e(exact_text(v)) for v in row.values()])
    v_headers = list(d["v"][0].keys()) if d.get("v") else []
    verdicts = "".join(f"<li>{verdict_badge(v.get('status', 'error'))} <code>{e(str(v.get('theorem', '')))}</code>: "
                       f"{e(str(v.get('message', '')))}</li>" for v in d.get("verdicts", []) if isinstance(v, Mapping))
    body = ('<div class="side"><div><h3>Γ</h3>' + stochastic_game_html(gamma) + "</div><div><h3>Γ′ (rewards only "
            "changed)</h3>" + stochastic_game_html(prime) + "</div></div>"
            "<h3>Equal Q: Q_Γ(s, a) = Q_Γ′(s, a) for every state, joint action and player</h3>"
            + data_table(["state", "action", "next", "player", "reward Γ → Γ′", "Q in Γ", "Q in Γ′"], rows_q)
            + "<p class=\"note\">Rows in bold: rewards that changed.</p>"
            + "<h3>Different V: the equilibrium values differ</h3>" + data_table(v_headers, rows_v)
            + (f"<ul>{verdicts}</ul>" if verdicts else ""))
    return [Section(_anchor(f"nosde-pair-{gamma.name}"), f"NoSDE pair: {gamma.name} and {prime.name}", body)]


def _replay(doc: SavedDocument, seen: set[str]) -> list[Section]:
    d = doc.data
    rows = [[e(str(r.get("report", r.get("path", "")))), e(str(r.get("theorem", ""))),
             verdict_badge(r["status"]) if r.get("status") in ("proven", "within_tolerance", "not_established",
                                                                "refuted", "error") else e(str(r.get("status", ""))),
             e(exact_text(r.get("reproduced", "")))] for r in d.get("reports", []) if isinstance(r, Mapping)]
    return [Section("replay", "Replayed reports", f"<p>{e(exact_text(d.get('reproduced')))} of "
                    f"{e(exact_text(d.get('total')))} reproduced.</p>"
                    + data_table(["report", "claim", "verdict now", "reproduced"], rows, sortable=True))]


def _counterexample(doc: SavedDocument, seen: set[str]) -> list[Section]:
    if doc.location and os.path.abspath(doc.location) in seen:
        return []
    if doc.location:
        seen.add(os.path.abspath(doc.location))
    claim = doc.data.get("theorem") or doc.data.get("check") or "counterexample"
    return [Section(_anchor(f"cx-{doc.data.get('hash', claim)}"), f"Counterexample: {claim}",
                    counterexample_html(doc.data, location=doc.location))]


_RENDERERS: dict[str, Callable[[SavedDocument, set[str]], list[Section]]] = {
    "verify": _verify, "validate": _validate, "validate_all": _validate_all, "experiment": _experiment,
    "learn": _learn, "nosde": _nosde, "nosde_pair": _nosde_pair, "replay": _replay, "counterexample": _counterexample,
}

#: Summary documents first, single reports last (so a report shown under its summary is not repeated).
_ORDER = ("verify", "validate_all", "validate", "experiment", "learn", "nosde", "nosde_pair", "replay",
          "counterexample")


def sections_of(documents: Sequence[SavedDocument]) -> list[Section]:
    """The sections of all ``documents``, summaries first; each counterexample report appears once."""
    seen: set[str] = set()
    out: list[Section] = []
    for kind in _ORDER:
        for doc in documents:
            if doc.kind == kind:
                out.extend(_RENDERERS[kind](doc, seen))
    anchors: dict[str, int] = {}
    unique = []
    for s in out:
        n = anchors.get(s.anchor, 0)
        anchors[s.anchor] = n + 1
        unique.append(s if n == 0 else Section(f"{s.anchor}-{n + 1}", s.title, s.body))
    return unique


def report_page(documents: Sequence[SavedDocument], *, title: str, command: str = "") -> str:
    """The self-contained HTML page of ``documents`` (:func:`jalverify.reports.html.page.html_page`)."""
    from jalverify.reports.html.page import html_page

    if not documents:
        raise InvalidFile("no jalverify report to render (no verify, validate, experiment, learn, nosde, replay or "
                          "counterexample JSON document)")
    kinds = sorted({d.kind for d in documents})
    summary = f"{len(documents)} document(s): {', '.join(kinds)}."
    return html_page(title, sections_of(documents), summary=summary, command=command)
