"""A counterexample report (``jalverify.counterexample/1``, written by ``verify`` and ``validate``) as HTML.

The game is shown as the field writes it (a bimatrix with ``a, b`` cells; n players one table per slice; a
stochastic game state by state), with the witness highlighted in it where the witness names cells: the CE
recommendation that breaks and the deviation it invites (Greenwald & Hall 2003), the best response against the
opponent's strategy, the saddle point or global optimum of a stage game (Hu & Wellman 2003), the pure
equilibria, the support of a returned equilibrium and the deviation that gains.  The witness's own numbers
follow as a table (fractions, matrices as tables), then the replay command and the provenance (how the case
was found, the seed, the versions).  For a two-player game with a two-action player, the exact equilibrium set
is drawn component by component (Avis, Rosenberg, Savani & von Stengel 2010), which shows degenerate games'
continua of equilibria.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from jalverify.errors import InvalidFile
from jalverify.games.formats.json_format import game_from_dict
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame
from jalverify.games.tables import CellMark, payoff_table_html, stochastic_game_html
from jalverify.reports.html.page import data_table, e, exact_text, verdict_badge

__all__ = ["COMPONENTS_MAX_ACTIONS", "counterexample_html", "equilibrium_set_html", "value_html", "witness_marks"]

#: The equilibrium set is drawn for 2×n games with n at most this (and computed within a few seconds).
COMPONENTS_MAX_ACTIONS = 8

_BREAKS = "#ffd8b5"
_DEVIATION = "#cfe8ff"
_EQUILIBRIUM = "#d3f5d3"


def _fraction(value: Any) -> Fraction | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, str):
        try:
            return Fraction(value)
        except (ValueError, ZeroDivisionError):
            return None
    return None


def _is_profile(game: NormalFormGame, value: Any) -> bool:
    return (isinstance(value, list) and len(value) == game.n_players
            and all(isinstance(s, list) and len(s) == k and all(_fraction(p) is not None for p in s)
                    for s, k in zip(value, game.n_actions)))


def _support_cells(game: NormalFormGame, profile: Sequence[Sequence[Any]]) -> list[tuple[int, ...]]:
    supports = [[a for a, p in enumerate(s) if _fraction(p) != 0] for s in profile]
    return list(itertools.product(*supports))


def _mark(marks: dict[tuple[int, ...], CellMark], cells: Iterable[tuple[int, ...]], colour: str, note: str) -> None:
    for cell in cells:
        if cell in marks:
            marks[cell] = CellMark(marks[cell].colour, f"{marks[cell].note}; {note}")
        else:
            marks[cell] = CellMark(colour, note)


def witness_marks(game: NormalFormGame,
                  witness: Mapping[str, Any]) -> tuple[dict[tuple[int, ...], CellMark], list[str]]:
    """The cells of ``game`` the witness names, with their colours and notes, and the legend lines."""
    marks: dict[tuple[int, ...], CellMark] = {}
    legend: list[str] = []
    players, acts = game.players, game.actions
    player = witness.get("player")
    if isinstance(player, int) and not isinstance(player, bool) and 0 <= player < game.n_players:
        deviation = witness.get("deviation")
        recommendation = witness.get("recommendation")
        distribution = witness.get("distribution")
        if isinstance(recommendation, int) and isinstance(deviation, int) and isinstance(distribution, list):
            import numpy as np

            support = [cell for cell in itertools.product(*(range(k) for k in game.n_actions))
                       if _fraction(np.asarray(distribution, dtype=object)[cell]) not in (None, 0)]
            broken = [c for c in support if c[player] == recommendation]
            gain = exact_text(witness.get("ce_gain", ""))
            _mark(marks, broken, _BREAKS, f"recommended {acts[player][recommendation]} to {players[player]}: "
                                          f"deviating to {acts[player][deviation]} gains {gain}")
            _mark(marks, [c[:player] + (deviation,) + c[player + 1:] for c in broken], _DEVIATION,
                  f"{players[player]}'s deviation to {acts[player][deviation]}")
            legend.append(f"orange: the correlated distribution's cells where {players[player]} is told "
                          f"{acts[player][recommendation]} (the CE row that breaks); blue: where the deviation to "
                          f"{acts[player][deviation]} leads (gain {gain})")
        elif isinstance(deviation, int) and _is_profile(game, witness.get("marginals")):
            support = _support_cells(game, witness["marginals"])
            _mark(marks, support, _EQUILIBRIUM, "support of the returned strategies")
            gain = exact_text(witness.get("gain", witness.get("violation", "")))
            _mark(marks, {c[:player] + (deviation,) + c[player + 1:] for c in support}, _DEVIATION,
                  f"{players[player]} deviates to {acts[player][deviation]}: gains {gain}")
            legend.append(f"green: support of the returned strategies; blue: {players[player]}'s profitable "
                          f"deviation to {acts[player][deviation]} (gain {gain})")
    best, opponent = witness.get("best_response"), witness.get("opponent")
    if (game.n_players == 2 and isinstance(best, int) and isinstance(opponent, list)
            and len(opponent) == game.n_actions[1]):
        cells = [(best, j) for j, p in enumerate(opponent) if _fraction(p) not in (None, 0)]
        _mark(marks, cells, _DEVIATION, f"best response {acts[0][best]} against the opponent's strategy: earns "
                                        f"{exact_text(witness.get('best_response_payoff', ''))}")
        legend.append(f"blue: the best response {acts[0][best]} against the opponent's strategy (gap "
                      f"{exact_text(witness.get('gap', ''))} over the minimax strategy)")
    optimum = witness.get("global_optimum")
    if isinstance(optimum, list) and len(optimum) == game.n_players and all(isinstance(a, int) for a in optimum):
        _mark(marks, [tuple(optimum)], _BREAKS, "global optimum")
        legend.append("orange: the global optimum")
    for key in ("saddle_point", "profile", "equilibrium"):
        if _is_profile(game, witness.get(key)):
            _mark(marks, _support_cells(game, witness[key]), _EQUILIBRIUM, key.replace("_", " "))
            legend.append(f"green: the support of the {key.replace('_', ' ')}")
    equilibria = witness.get("equilibria")
    if isinstance(equilibria, list) and equilibria and all(_is_profile(game, p) for p in equilibria):
        pure = [p for p in equilibria if len(_support_cells(game, p)) == 1]
        _mark(marks, [_support_cells(game, p)[0] for p in pure], _EQUILIBRIUM, "pure equilibrium")
        if pure:
            legend.append("green: the pure equilibria")
    profiles = witness.get("pure_profiles")
    if isinstance(profiles, list):
        index = [{name: a for a, name in enumerate(names)} for names in acts]
        for item in profiles:
            joint = item.get("joint_action") if isinstance(item, Mapping) else None
            if isinstance(joint, list) and len(joint) == game.n_players and all(
                    name in index[i] for i, name in enumerate(joint)):
                _mark(marks, [tuple(index[i][name] for i, name in enumerate(joint))], _BREAKS,
                      f"NashConv {exact_text(item.get('nash_conv', ''))}")
        if marks:
            legend.append("orange: every pure joint action, each with its exact NashConv (hover)")
    return marks, legend


def value_html(value: Any) -> str:
    """A witness value as a reader reads it: numbers as fractions, vectors in parentheses, matrices as tables,
    mappings as nested tables, long text as a preformatted block."""
    if isinstance(value, Mapping):
        return data_table(["", ""], [[f"<strong>{e(str(k))}</strong>", value_html(v)] for k, v in value.items()])
    if isinstance(value, list):
        if not value:
            return "(none)"
        if all(not isinstance(v, (list, Mapping)) for v in value):
            return "(" + ", ".join(e(exact_text(v)) for v in value) + ")"
        if all(isinstance(r, list) and r and all(not isinstance(v, (list, Mapping)) for v in r) for r in value):
            width = max(len(r) for r in value)
            return data_table([""] + [str(j) for j in range(width)],
                              [[str(i)] + [e(exact_text(v)) for v in r] for i, r in enumerate(value)],
                              numeric=range(1, width + 1))
        if len(value) <= 12:
            return "<ol start=\"0\">" + "".join(f"<li>{value_html(v)}</li>" for v in value) + "</ol>"
        return (f"<details><summary>{len(value)} entries</summary><pre>"
                f"{e(json.dumps(value, indent=1, ensure_ascii=False))}</pre></details>")
    if isinstance(value, str) and "\n" in value:
        return f"<pre>{e(value)}</pre>"
    return e(exact_text(value))


def equilibrium_set_html(game: NormalFormGame, *, time_limit: float = 5.0) -> str:
    """The exact Nash equilibrium set of a 2×n game drawn by component, with the extreme equilibria listed; ``""``
    for other games.  The enumeration is exact (vertex enumeration, certified) and bounded by ``time_limit``; a
    budget that runs out is said in the page."""
    from jalverify.reports.html.figures import components_svg
    from jalverify.solvers.nash.vertex_enumeration import vertex_enumeration_solve

    if game.n_players != 2 or 2 not in game.n_actions or max(game.n_actions) > COMPONENTS_MAX_ACTIONS:
        return ""
    result = vertex_enumeration_solve(game, components=True, time_limit=time_limit)
    if not result.complete or result.components is None:
        return (f"<p class=\"note\">Equilibrium set: not established (the exact enumeration did not finish "
                f"within its {time_limit:g} s budget: {e(result.status.value)}).</p>")
    subsets = [[(list(s.row_strategies), list(s.column_strategies)) for s in c.nash_subsets] for c in result.components]
    degenerate = any(not c.is_isolated for c in result.components)
    rows = [[str(k + 1), " / ".join("(" + ", ".join(f"{a} {exact_text(p)}" for a, p in zip(acts, strategy)) + ")"
                                    for acts, strategy in zip(game.actions, profile.distributions))]
            for k, profile in enumerate(result.equilibria)]
    kind = ("degenerate: some components are continua (segments or rectangles), not points" if degenerate else
            "every equilibrium is isolated")
    return (f"<h3>Exact equilibrium set ({len(result.components)} component(s); {kind})</h3>"
            f'<div class="side"><div class="figure">{components_svg(subsets, game.actions, game.players)}</div>'
            f"<div>{data_table(['extreme equilibrium', 'strategies'], rows)}"
            "<p class=\"note\">Every extreme equilibrium is certified exactly (regret 0); each component is the "
            "union of maximal Nash subsets, products of convex hulls of extreme strategies.</p></div></div>")


def counterexample_html(report: Mapping[str, Any], *, location: str = "") -> str:
    """One counterexample report as an HTML card (module docstring)."""
    if not isinstance(report, Mapping) or not isinstance(report.get("verdict"), Mapping):
        raise InvalidFile(f"{location or 'report'}: not a jalverify counterexample report (no 'verdict' object)")
    verdict = report["verdict"]
    claim_id = report.get("theorem") or report.get("check") or "?"
    status = verdict.get("status", "error")
    expected = report.get("expected", "")
    words = "refuted (as expected)" if status == "refuted" and expected == "refuted-as-expected" else None
    witness = verdict.get("witness") or {}
    parts = [f'<div class="card" id="report-{e(str(report.get("hash", "")))}"><h3><code>{e(str(claim_id))}</code> '
             f"{verdict_badge(status, words)}</h3>"]
    if report.get("claim"):
        parts.append(f"<p><strong>Claim.</strong> {e(str(report['claim']))}</p>")
    if report.get("target"):
        parts.append(f"<p><strong>Target.</strong> <code>{e(str(report['target']))}</code></p>")
    parts.append(f"<p><strong>Finding.</strong> {e(str(verdict.get('message', '')))}</p>")
    if report.get("citation"):
        parts.append(f"<p class=\"note\">Source: {e(str(report['citation']))}</p>")
    game_data = report.get("game")
    if isinstance(game_data, Mapping):
        game = game_from_dict(dict(game_data), source=f"{location or 'report'}: game")
        if isinstance(game, NormalFormGame):
            marks, legend = witness_marks(game, witness) if isinstance(witness, Mapping) else ({}, [])
            parts.append("<h4>The game</h4>" + payoff_table_html(game, marks=marks))
            if legend:
                parts.append("<p class=\"note\">Highlighted (hover a cell for its note): " + e("; ".join(legend))
                             + ".</p>")
            parts.append(equilibrium_set_html(game))
        elif isinstance(game, StochasticGame):
            parts.append("<h4>The game</h4>" + stochastic_game_html(game))
    if isinstance(witness, Mapping) and witness:
        parts.append("<h4>Witness (exact)</h4>" + data_table(
            ["", ""], [[f"<strong>{e(str(k))}</strong>", value_html(v)] for k, v in witness.items()]))
    if report.get("replay"):
        parts.append(f"<p><strong>Replay:</strong> <code>{e(str(report['replay']))}</code></p>")
    provenance = [f"{e(str(k))}: {value_html(v)}" for k, v in (report.get("generation") or {}).items()]
    versions = ", ".join(f"{k} {v}" for k, v in (report.get("versions") or {}).items())
    if versions:
        provenance.append(f"versions: {e(versions)}")
    if location:
        provenance.append(f"file: <code>{e(location)}</code>")
    if provenance:
        parts.append("<details><summary>Provenance</summary><ul>" + "".join(f"<li>{p}</li>" for p in provenance)
                     + "</ul></details>")
    return "".join(parts) + "</div>"
