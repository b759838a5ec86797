"""Payoff tables of normal-form games as the field writes them: text, HTML and LaTeX (booktabs).

A two-player game is a bimatrix: rows are the first player's actions, columns the second player's, and each cell
lists the payoffs ``a, b``.  A game of n ≥ 3 players is shown as one such table per *slice*, a joint action of
players 3..n (named in the slice's title); a one-player game is one column of payoffs.  Exact payoffs print as
fractions (``7/2``; LaTeX ``\\tfrac{7}{2}``), float payoffs with six significant digits.

The same helpers write numbers, vectors, mixed profiles, joint actions and stationary policies inside messages
(:func:`number_text`, :func:`vector_text`, :func:`profile_text`, :func:`joint_text`, :func:`state_joint_text`,
:func:`stationary_policy_text`), so that a verdict message, a solver result and the payoff table beside them read
alike and never as a Python repr.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from jalverify.games.normal_form import NormalFormGame
from jalverify.games.stochastic import StochasticGame

__all__ = ["CELL_STYLE", "HEAD_STYLE", "MAX_HTML_STATES", "TABLE_STYLE", "CellMark", "PayoffSlice", "aligned_rows",
           "game_table_markdown", "joint_text", "latex_number", "latex_text", "number_text", "payoff_slices",
           "payoff_table_html", "payoff_table_latex", "payoff_table_markdown", "payoff_table_text", "profile_text",
           "state_joint_text", "state_rows", "stationary_policy_text", "stochastic_game_html", "stochastic_game_markdown",
           "stochastic_game_text", "vector_text", "vectors_text"]

#: States shown one by one in a stochastic game's HTML (the rest are counted).
MAX_HTML_STATES = 20

#: Inline styles of the HTML tables (payoff tables here; solver results, findings and summaries use them too, so
#: everything shown side by side looks alike).
TABLE_STYLE = "border-collapse:collapse;margin:0.3em 0;font-family:inherit"
CELL_STYLE = "border:1px solid #bbb;padding:0.15em 0.6em;text-align:center"
HEAD_STYLE = "border:1px solid #bbb;padding:0.15em 0.6em;background:#f3f3f3;font-weight:600"


@dataclass(frozen=True)
class PayoffSlice:
    """One table: the row player's actions × the column player's actions, at one joint action of the others.

    Attributes
    ----------
    title : str
        ``""`` for a one- or two-player game, else ``"p3 = a, p4 = b"``.
    row_labels, column_labels : list of str
    cells : list of list of tuple
        ``cells[r][c]`` holds the payoffs of every player (field elements).
    """

    title: str
    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[tuple[Any, ...]]]


def payoff_slices(game: NormalFormGame) -> list[PayoffSlice]:
    """The tables of ``game`` (module docstring), in the order of the other players' joint actions."""
    P = game.payoffs
    n = game.n_players
    rows = list(game.actions[0])
    if n == 1:
        return [PayoffSlice("", rows, ["payoff"], [[(P[0, r],)] for r in range(len(rows))])]
    columns = list(game.actions[1])
    out = []
    for rest in itertools.product(*(range(k) for k in game.n_actions[2:])):
        title = ", ".join(f"{game.players[2 + j]} = {game.actions[2 + j][a]}" for j, a in enumerate(rest))
        cells = [[tuple(P[(i, r, c) + rest] for i in range(n)) for c in range(len(columns))] for r in range(len(rows))]
        out.append(PayoffSlice(title, rows, columns, cells))
    return out


def number_text(x: Any) -> str:
    """A number as people write it: exact rationals as fractions (``7/2``, ``-2``), floats with six significant
    digits, numpy scalars as their Python value; anything else (a bool, an exact algebraic number) as its text."""
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, (Fraction, int)):
        return str(Fraction(x))
    if isinstance(x, float):
        return "0" if x == 0 else f"{x:.6g}"
    return str(x)


def vector_text(values: Iterable[Any], labels: Iterable[str] | None = None) -> str:
    """A vector for a message: ``(rock 1, paper 0, scissors 0)`` with labels, ``(1/2, 1/2)`` without; numbers as
    :func:`number_text` writes them (never a list repr)."""
    items = [number_text(x) for x in (values.tolist() if isinstance(values, np.ndarray) else values)]
    if labels is not None:
        items = [f"{label} {x}" for label, x in zip(labels, items)]
    return "(" + ", ".join(items) + ")"


def vectors_text(rows: Iterable[Iterable[Any]]) -> str:
    """Several vectors (a matrix, per-player payoffs, ...) for a message: ``(1, 0); (0, 1)``."""
    return "; ".join(vector_text(r) for r in rows)


def profile_text(game: NormalFormGame, distributions: Iterable[Iterable[Any]]) -> str:
    """A mixed profile for a message: ``row (heads 1/2, tails 1/2), column (heads 1, tails 0)``; a profile whose
    shape does not fit the game (a broken solver answer) is written without labels."""
    dists = [list(d.tolist() if isinstance(d, np.ndarray) else d) for d in distributions]
    if len(dists) != game.n_players or any(len(d) != k for d, k in zip(dists, game.n_actions)):
        return vectors_text(dists)
    return ", ".join(f"{p} {vector_text(d, game.actions[i])}" for i, (p, d) in enumerate(zip(game.players, dists)))


def joint_text(game: NormalFormGame, joint: Iterable[Any]) -> str:
    """A joint action for a message, by action names: ``(heads, tails)`` (indices or names accepted)."""
    names = [game.actions[i][a] if isinstance(a, (int, np.integer)) else str(a) for i, a in enumerate(joint)]
    return "(" + ", ".join(names) + ")"


def state_joint_text(game: StochasticGame, s: int, joint: Iterable[Any]) -> str:
    """A joint action of state ``s`` of a stochastic game for a message, by action names: ``(keep, noop)``
    (indices or names accepted)."""
    names = [game.actions[s][i][int(a)] if isinstance(a, (int, np.integer)) else str(a) for i, a in enumerate(joint)]
    return "(" + ", ".join(names) + ")"



def stationary_policy_text(game: StochasticGame, distributions: Sequence[Sequence[Any]]) -> str:
    """A stationary policy for a message, state by state: ``s1: agent1 (keep 1/3, send 2/3), agent2 (noop 1);
    s2: ...`` (``distributions[s][i]`` is player i's distribution in state s); terminal states are left out."""
    return "; ".join(f"{game.states[s]}: " + ", ".join(f"{p} {vector_text(d, game.actions[s][i])}"
                                                       for i, (p, d) in enumerate(zip(game.players, per)))
                     for s, per in enumerate(distributions) if not game.terminal[s])


def aligned_rows(rows: Sequence[Sequence[str]], indent: str) -> list[str]:
    """Text rows with every column left-aligned to its widest cell, two spaces apart, each line indented."""
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    return [indent + "  ".join(cell.ljust(widths[c]) for c, cell in enumerate(r)).rstrip() for r in rows]


def payoff_table_text(game: NormalFormGame, *, indent: str = "  ") -> str:
    """The payoff tables as aligned plain text, one header line per slice (and one naming the players)."""
    names = ", ".join(game.players)
    lines = [f"payoffs ({names}); rows: {game.players[0]}"
             + (f", columns: {game.players[1]}:" if game.n_players > 1 else ":")]
    for piece in payoff_slices(game):
        if piece.title:
            lines.append(f"{indent}{piece.title}:")
        rows = [[""] + piece.column_labels]
        rows += [[label] + [", ".join(number_text(x) for x in cell) for cell in row]
                 for label, row in zip(piece.row_labels, piece.cells)]
        lines.extend(aligned_rows(rows, indent * (2 if piece.title else 1)))
    return "\n".join(lines) + "\n"


def state_rows(game: StochasticGame, s: int) -> list[list[str]]:
    """One row per joint action of the non-terminal state ``s``: the joint action ``(a1, a2)``, the expected
    reward R_i(s, a) of every player, and the next-state distribution (``s2 1/2, s3 1/2``)."""
    rewards = game.expected_rewards(s)
    T = game.transitions[s]
    rows = []
    for joint in game.joint_actions(s):
        label = state_joint_text(game, s, joint)
        nxt = ", ".join(f"{game.states[t]} {number_text(p)}" for t, p in enumerate(T[joint]) if p != 0)
        rows.append([label] + [number_text(rewards[(i,) + joint]) for i in range(game.n_players)] + [nxt])
    return rows


def _state_header(game: StochasticGame) -> list[str]:
    return ["joint action"] + [f"R_{p}" for p in game.players] + ["next state"]


def stochastic_game_text(game: StochasticGame, *, indent: str = "  ", max_states: int = MAX_HTML_STATES) -> str:
    """A stochastic game as aligned plain text: per state (the first ``max_states``), one row per joint action with
    the expected rewards of every player and the next-state distribution; terminal states named as such."""
    lines = []
    for s in range(min(game.n_states, max_states)):
        if game.terminal[s]:
            lines.append(f"{indent}state {game.states[s]}: terminal")
            continue
        lines.append(f"{indent}state {game.states[s]}:")
        lines.extend(aligned_rows([_state_header(game)] + state_rows(game, s), indent * 2))
    if game.n_states > max_states:
        lines.append(f"{indent}... and {game.n_states - max_states} more states")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _markdown_table(rows: Sequence[Sequence[str]]) -> list[str]:
    head, *body = rows
    out = ["| " + " | ".join(_md(c) for c in head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in body]
    return out


def payoff_table_markdown(game: NormalFormGame) -> str:
    """The payoff tables as Markdown (GitHub tables): a bimatrix with ``a, b`` cells, rows the first player's
    actions and columns the second's; for n ≥ 3 players one table per slice, its title above it in bold."""
    corner = (f"{game.players[0]} \\ {game.players[1]}" if game.n_players > 1 else game.players[0])
    out = [f"Payoffs ({', '.join(game.players)}); rows: {game.players[0]}"
           + (f", columns: {game.players[1]}." if game.n_players > 1 else ".")]
    for piece in payoff_slices(game):
        out.append("")
        if piece.title:
            out += [f"**{_md(piece.title)}**", ""]
        rows = [[corner] + piece.column_labels]
        rows += [[label] + [", ".join(number_text(x) for x in cell) for cell in row]
                 for label, row in zip(piece.row_labels, piece.cells)]
        out += _markdown_table(rows)
    return "\n".join(out) + "\n"


def stochastic_game_markdown(game: StochasticGame, *, max_states: int = MAX_HTML_STATES) -> str:
    """A stochastic game as Markdown: per state (the first ``max_states``) a table of joint actions, the expected
    rewards R_i(s, a) of every player and the next-state distribution; terminal states named as such."""
    out = [(f"{game.n_players} players ({', '.join(game.players)}), {game.n_states} states, "
           f"γ = {number_text(game.gamma)}.")]
    if game.initial is not None:
        out[0] += " Initial distribution: " + ", ".join(
            f"{game.states[t]} {number_text(p)}" for t, p in enumerate(game.initial) if p != 0) + "."
    for s in range(min(game.n_states, max_states)):
        out.append("")
        if game.terminal[s]:
            out.append(f"**State {_md(game.states[s])}**: terminal.")
            continue
        out += [f"**State {_md(game.states[s])}**", ""]
        out += _markdown_table([_state_header(game)] + state_rows(game, s))
    if game.n_states > max_states:
        out += ["", f"… and {game.n_states - max_states} more states."]
    return "\n".join(out) + "\n"


def game_table_markdown(game: NormalFormGame | StochasticGame) -> str:
    """:func:`payoff_table_markdown` or :func:`stochastic_game_markdown`, by the kind of game."""
    if isinstance(game, StochasticGame):
        return stochastic_game_markdown(game)
    return payoff_table_markdown(game)


@dataclass(frozen=True)
class CellMark:
    """A highlighted cell of a payoff table: its background colour and the note shown on hover (``title``)."""

    colour: str
    note: str


def payoff_table_html(game: NormalFormGame, *, marks: dict[tuple[int, ...], CellMark] | None = None) -> str:
    """The payoff tables as self-contained HTML (inline styles; no scripts, no network).

    ``marks`` highlights cells, keyed by the full joint action (one action index per player): the cell gets the
    mark's background, a bold border, the ``data-mark`` attribute and the note as its hover text.
    """
    e = html.escape
    marks = marks or {}
    style, cell, head = TABLE_STYLE, CELL_STYLE, HEAD_STYLE
    title = e(game.name) if game.name else "normal-form game"
    shape = "×".join(str(k) for k in game.n_actions)
    parts = [(f'<div class="jalverify-game"><div><strong>{title}</strong>: {game.n_players} players, {shape} '
             f"({e(game.field.name)} field); payoffs ({e(', '.join(game.players))})</div>")]
    rests = list(itertools.product(*(range(k) for k in game.n_actions[2:])))
    for piece, rest in zip(payoff_slices(game), rests):
        caption = f"<caption>{e(piece.title)}</caption>" if piece.title else ""
        corner = (f"{e(game.players[0])} \\ {e(game.players[1])}" if game.n_players > 1 else e(game.players[0]))
        header = f'<tr><th style="{head}">{corner}</th>' + "".join(
            f'<th style="{head}">{e(c)}</th>' for c in piece.column_labels) + "</tr>"

        def td(r: int, c: int, payoffs: tuple[Any, ...], rest: tuple[int, ...] = rest) -> str:
            text = e(", ".join(number_text(x) for x in payoffs))
            joint = (r,) + ((c,) + rest if game.n_players > 1 else ())
            mark = marks.get(joint)
            if mark is None:
                return f'<td style="{cell}">{text}</td>'
            return (f'<td style="{cell};background:{e(mark.colour)};border:2px solid #333;font-weight:700" '
                    f'data-mark="1" title="{e(mark.note)}">{text}</td>')

        body = "".join(f'<tr><th style="{head}">{e(label)}</th>'
                       + "".join(td(r, c, payoffs) for c, payoffs in enumerate(row)) + "</tr>"
                       for r, (label, row) in enumerate(zip(piece.row_labels, piece.cells)))
        parts.append(f'<table style="{style}">{caption}{header}{body}</table>')
    return "".join(parts) + "</div>"


def stochastic_game_html(game: StochasticGame, *, max_states: int = MAX_HTML_STATES) -> str:
    """A stochastic game as self-contained HTML: per state (the first ``max_states``), one row per joint action
    with the expected rewards R_i(s, a) of every player and the next-state distribution, exact numbers as
    fractions; terminal states named as such."""
    e = html.escape
    title = e(game.name) if game.name else "stochastic game"
    parts = [(f'<div class="jalverify-game"><div><strong>{title}</strong>: {game.n_players} players '
             f"({e(', '.join(game.players))}), {game.n_states} states, γ = {e(number_text(game.gamma))} "
             f"({e(game.field.name)} field)</div>")]
    for s in range(min(game.n_states, max_states)):
        name = e(game.states[s])
        if game.terminal[s]:
            parts.append(f"<div>state <strong>{name}</strong>: terminal</div>")
            continue
        head = "".join(f'<th style="{HEAD_STYLE}">R<sub>{e(p)}</sub></th>' for p in game.players)
        rows = []
        for label, *rewards, nxt in state_rows(game, s):
            cells = "".join(f'<td style="{CELL_STYLE}">{e(r)}</td>' for r in rewards)
            rows.append(f'<tr><th style="{HEAD_STYLE}">{e(label)}</th>{cells}<td style="{CELL_STYLE}">{e(nxt)}</td></tr>')
        parts.append(f'<table style="{TABLE_STYLE}"><caption>state {name}</caption><tr><th style="{HEAD_STYLE}">joint '
                     f'action</th>{head}<th style="{HEAD_STYLE}">next state</th></tr>{"".join(rows)}</table>')
    if game.n_states > max_states:
        parts.append(f"<div>… and {game.n_states - max_states} more states</div>")
    return "".join(parts) + "</div>"


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                  "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def latex_text(text: str) -> str:
    """Text with LaTeX's special characters escaped."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def latex_number(x: Any) -> str:
    """A number in LaTeX math mode: ``\\tfrac{3}{4}`` for an exact non-integer, as :func:`number_text` otherwise."""
    if isinstance(x, (Fraction, int)) and not isinstance(x, bool):
        q = Fraction(x)
        if q.denominator == 1:
            return str(q.numerator)
        sign = "-" if q < 0 else ""
        return f"{sign}\\tfrac{{{abs(q.numerator)}}}{{{q.denominator}}}"
    return number_text(x)


def payoff_table_latex(game: NormalFormGame) -> str:
    """The payoff tables as LaTeX ``tabular`` environments with booktabs rules (``\\usepackage{booktabs}``),
    exact payoffs as ``\\tfrac``; one tabular per slice, its title above it."""
    out = []
    for piece in payoff_slices(game):
        k = len(piece.column_labels)
        lines = []
        if piece.title:
            lines.append(f"\\textit{{{latex_text(piece.title)}}}\\\\")
        lines.append(f"\\begin{{tabular}}{{l{'c' * k}}}")
        lines.append("\\toprule")
        corner = (f"{latex_text(game.players[0])} $\\backslash$ {latex_text(game.players[1])}"
                  if game.n_players > 1 else latex_text(game.players[0]))
        lines.append(" & ".join([corner] + [latex_text(c) for c in piece.column_labels]) + " \\\\")
        lines.append("\\midrule")
        for label, row in zip(piece.row_labels, piece.cells):
            cells = ["$" + ", ".join(latex_number(x) for x in c) + "$" for c in row]
            lines.append(" & ".join([latex_text(label)] + cells) + " \\\\")
        lines.append("\\bottomrule")
        lines.append("\\end{tabular}")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"
