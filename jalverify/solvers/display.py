"""Shared pieces for showing solver results to people: in notebooks (``_repr_html_``), in one-line ``repr``s and in
LaTeX tables for papers (issue 13 §2–3).

Every piece here is self-contained HTML (inline styles; no scripts, no network) or booktabs LaTeX
(``\\usepackage{booktabs}``).  Exact numbers are written as fractions (``3/4``; LaTeX ``\\tfrac{3}{4}``), float
numbers with six significant digits, by the same helpers as the payoff tables of :mod:`jalverify.games.tables`
(so a probability in a strategy table reads like the payoff beside it).  Verdict words come from
:class:`jalverify.verdicts.Status`: a certificate checked in exact arithmetic is "proven exactly", a float one
"holds within tolerance", an answer a budget cut short "not established".

The higher layers (validation findings, experiment summaries) use these helpers too.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from jalverify.errors import InvalidOption

# the number formatting and cell styles of the payoff tables, re-exported so that results look exactly like the
# payoff tables they are shown beside
from jalverify.games.tables import CELL_STYLE, HEAD_STYLE, TABLE_STYLE, latex_number, latex_text, number_text
from jalverify.numbers import format_number, readable_number
from jalverify.verdicts import STATUS_COLOURS, VERDICT_MEANINGS, Status

__all__ = [
    "CELL_STYLE",
    "HEAD_STYLE",
    "MARK_COLOUR",
    "SUPPORT_COLOUR",
    "TABLE_STYLE",
    "brief_number",
    "escape",
    "game_label",
    "json_number",
    "key_values_html",
    "latex_number",
    "latex_text",
    "number_text",
    "one_line",
    "plural",
    "profiles_table_html",
    "profiles_table_latex",
    "pure_joint",
    "require_game",
    "result_html",
    "state_policy_html",
    "state_values_html",
    "status_html",
    "table_html",
]

#: Background of a highlighted payoff cell (a pure equilibrium, a saddle point, a global optimum).
MARK_COLOUR = "#c8ecd0"
#: Background of a payoff cell in the support of a distribution that is not pure.
SUPPORT_COLOUR = "#fff1b8"

escape = html.escape


def brief_number(x: Any) -> str:
    """A number for a one-line ``repr``: a short exact text (long numerators or denominators abbreviated, with a
    decimal approximation; :func:`jalverify.numbers.readable_number`), a float with four significant digits."""
    if isinstance(x, (Fraction, int)) and not isinstance(x, bool):
        return readable_number(Fraction(x))
    if isinstance(x, float):
        return "0" if x == 0 else f"{x:.4g}"
    return number_text(x)


def json_number(x: Any) -> str | float:
    """A number in JSON: ``"p/q"`` for an exact rational, the float itself otherwise (as the CLI writes it)."""
    return format_number(x)


def game_label(game: Any) -> str:
    """The game's name for a one-line ``repr`` (``'matching pennies'``), or ``unnamed`` / ``no game``."""
    if game is None:
        return "no game"
    return repr(game.name) if getattr(game, "name", None) else "unnamed"


def require_game(given: Any, recorded: Any, where: str) -> Any:
    """The game a result is about: ``given`` when passed, else the one the solver recorded.

    Raises
    ------
    InvalidOption
        Neither is known (e.g. a minimax result computed from a bare matrix): players and actions cannot be named.
    """
    game = given if given is not None else recorded
    if game is None:
        raise InvalidOption(f"{where}: this result was computed without a game (from a bare matrix or built by "
                            "hand), so its players and actions have no names; pass game=")
    return game


def one_line(name: str, *parts: str) -> str:
    """``Name(part, part, …)`` on one line: every run of white space (newlines included) becomes one space."""
    text = f"{name}({', '.join(p for p in parts if p)})"
    return " ".join(text.split())


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``"1 equilibrium"`` / ``"3 equilibria"``."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def pure_joint(distributions: Sequence[Any]) -> tuple[int, ...] | None:
    """The joint action of a profile in which every player plays one action with probability 1, else ``None``."""
    joint = []
    for d in distributions:
        support = [a for a, p in enumerate(list(d)) if p != 0]
        if len(support) != 1:
            return None
        joint.append(support[0])
    return tuple(joint)


def status_html(status: Status, detail: str) -> str:
    """The verdict words of ``status`` in their colour (their meaning on hover), followed by ``detail``."""
    colour = STATUS_COLOURS[status]
    return (f'<div class="jalverify-status"><strong style="color:{colour}" '
            f'title="{escape(VERDICT_MEANINGS[status.value])}">{escape(status.words)}</strong>: '
            f"{escape(detail)}</div>")


def table_html(header: Sequence[str], rows: Sequence[Sequence[str]], *, caption: str = "",
               row_headers: bool = True) -> str:
    """A labelled table: ``header`` names the columns; with ``row_headers`` the first cell of each row is a label.
    Every text is escaped."""
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    head = "<tr>" + "".join(f'<th style="{HEAD_STYLE}">{escape(h)}</th>' for h in header) + "</tr>"
    body = []
    for row in rows:
        cells = []
        for c, text in enumerate(row):
            if c == 0 and row_headers:
                cells.append(f'<th style="{HEAD_STYLE}">{escape(text)}</th>')
            else:
                cells.append(f'<td style="{CELL_STYLE}">{escape(text)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table style="{TABLE_STYLE}">{cap}{head}{"".join(body)}</table>'


def key_values_html(items: Sequence[tuple[str, str]]) -> str:
    """A two-column table of labelled values (``method``, ``field``, ``value``, …)."""
    rows = "".join(f'<tr><th style="{HEAD_STYLE};text-align:left">{escape(k)}</th>'
                   f'<td style="{CELL_STYLE};text-align:left">{escape(v)}</td></tr>' for k, v in items)
    return f'<table style="{TABLE_STYLE}">{rows}</table>'


def profiles_table_html(players: Sequence[str], actions: Sequence[Sequence[str]],
                        rows: Sequence[tuple[str, Sequence[Sequence[Any]]]], *, caption: str = "",
                        extra_columns: Sequence[str] = (), extras: Sequence[Sequence[str]] = ()) -> str:
    """Strategy profiles as one labelled table: a column group per player (its actions as column heads), one row
    per profile (its label first), probabilities as fractions.

    Every probability cell carries ``data-row`` (the row's label), ``data-player`` and ``data-action`` so that a
    reader (or a test) can find the probability of one action in one profile.  ``extra_columns`` / ``extras``
    append already formatted columns (e.g. the maximal regret).
    """
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    top = (f'<tr><th style="{HEAD_STYLE}" rowspan="2"></th>'
           + "".join(f'<th style="{HEAD_STYLE}" colspan="{len(acts)}">{escape(p)}</th>'
                     for p, acts in zip(players, actions))
           + "".join(f'<th style="{HEAD_STYLE}" rowspan="2">{escape(x)}</th>' for x in extra_columns) + "</tr>")
    second = "<tr>" + "".join(f'<th style="{HEAD_STYLE}">{escape(a)}</th>' for acts in actions for a in acts) + "</tr>"
    body = []
    for r, (label, dists) in enumerate(rows):
        cells = [f'<th style="{HEAD_STYLE}">{escape(label)}</th>']
        for p, acts, dist in zip(players, actions, dists):
            for a, prob in zip(acts, list(dist)):
                cells.append(f'<td style="{CELL_STYLE}" data-row="{escape(label)}" data-player="{escape(p)}" '
                             f'data-action="{escape(a)}">{escape(number_text(prob))}</td>')
        if extras:
            cells += [f'<td style="{CELL_STYLE}">{escape(x)}</td>' for x in extras[r]]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table style="{TABLE_STYLE}">{cap}{top}{second}{"".join(body)}</table>'


def profiles_table_latex(players: Sequence[str], actions: Sequence[Sequence[str]],
                         rows: Sequence[tuple[str, Sequence[Sequence[Any]]]], *,
                         extra_columns: Sequence[str] = (), extras: Sequence[Sequence[str]] = ()) -> str:
    """The table of :func:`profiles_table_html` as a booktabs ``tabular``: player names over their actions
    (``\\cmidrule`` under each group), exact probabilities as ``\\tfrac``; ``extras`` are LaTeX already."""
    widths = [len(a) for a in actions]
    spec = "l" + "".join("c" * w for w in widths) + "c" * len(extra_columns)
    lines = [f"\\begin{{tabular}}{{{spec}}}", "\\toprule"]
    lines.append(" & ".join([""] + [f"\\multicolumn{{{w}}}{{c}}{{{latex_text(p)}}}" for p, w in zip(players, widths)]
                            + [latex_text(x) for x in extra_columns]) + " \\\\")
    rules, start = [], 2
    for w in widths:
        rules.append(f"\\cmidrule(lr){{{start}-{start + w - 1}}}")
        start += w
    lines.append(" ".join(rules))
    lines.append(" & ".join([""] + [latex_text(a) for acts in actions for a in acts] + [""] * len(extra_columns))
                 + " \\\\")
    lines.append("\\midrule")
    for r, (label, dists) in enumerate(rows):
        cells = [f"${latex_number(p)}$" for dist in dists for p in list(dist)]
        lines.append(" & ".join([latex_text(label)] + cells + (list(extras[r]) if extras else [])) + " \\\\")
    lines.append("\\bottomrule")
    lines.append("\\end{tabular}")
    return "\n".join(lines) + "\n"


def state_values_html(states: Sequence[str], players: Sequence[str], V: Any, *, caption: str = "") -> str:
    """Values per state: one row per state, one column per player (``V[i][s]``), as fractions."""
    rows = [[s] + [number_text(V[i][k]) for i in range(len(players))] for k, s in enumerate(states)]
    return table_html(["state"] + [f"V({p})" for p in players], rows, caption=caption)


def state_policy_html(game: Any, distributions: Sequence[Sequence[Any]], *, caption: str = "") -> str:
    """A stationary policy: per state, each player's distribution over its actions there (``action p`` pairs)."""
    rows = []
    for k, s in enumerate(game.states):
        for i, p in enumerate(game.players):
            dist = ", ".join(f"{a} {number_text(q)}" for a, q in zip(game.actions[k][i], list(distributions[k][i])))
            rows.append([s if i == 0 else "", p, dist])
    return table_html(["state", "player", "distribution"], rows, caption=caption)


def result_html(kind: str, heading: str, parts: Sequence[str], *, facts: Mapping[str, str] | None = None) -> str:
    """The frame of a result in a notebook: a bold heading, a facts table, then ``parts`` (HTML already)."""
    facts_html = key_values_html(list(facts.items())) if facts else ""
    return (f'<div class="jalverify-result jalverify-{escape(kind)}"><div><strong>{escape(heading)}</strong></div>'
            f"{facts_html}{''.join(parts)}</div>")
