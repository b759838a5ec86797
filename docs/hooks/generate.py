"""MkDocs hook: pages generated at build time from the code, so they never go stale.

* ``theorems.md``: the marker ``<!-- generated:theorems -->`` becomes one table row per registered theorem,
  read from ``jalverify verify --list --format json`` (id, expected outcome, claim, citation), grouped by
  family.
* ``catalog.md``: the marker ``<!-- generated:catalog -->`` becomes one section per game of
  :func:`jalverify.games.catalog.names`, with its citation, notes and payoff table(s) rendered by
  :func:`jalverify.games.tables.payoff_table_html` / :func:`jalverify.games.tables.stochastic_game_html`.
* every page: Sphinx roles left in docstrings (``:func:`x```, ``:class:`~a.B```, ``:math:`...```), which
  mkdocstrings renders literally, become plain code (``~`` keeps the last dotted component, as in Sphinx).

Registered in ``mkdocs.yml`` under ``hooks:``.  A failure here fails the build (no page is left half made).
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from functools import lru_cache
from typing import Any

THEOREMS_MARKER = "<!-- generated:theorems -->"
CATALOG_MARKER = "<!-- generated:catalog -->"

#: A Sphinx role before inline code, as mkdocstrings renders it: ``:func:<code>~pkg.mod.name</code>``.
SPHINX_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|attr|mod|data|exc|obj|const|math):<code>(~?)([^<]*)</code>")

#: Stochastic games with more states than this show only their first few states (soccer has 760).
LARGE_GAME_STATES = 100
LARGE_GAME_SHOWN = 4


class GenerationError(RuntimeError):
    """A generated page could not be made (the command failed or printed something unexpected)."""


@lru_cache(maxsize=1)
def registered_theorems() -> tuple[dict[str, str], ...]:
    """The theorem list as the command line gives it (``jalverify verify --list --format json``)."""
    command = [sys.executable, "-m", "jalverify.cli", "verify", "--list", "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise GenerationError(f"'jalverify verify --list --format json' exited {done.returncode}: {done.stderr}")
    rows = json.loads(done.stdout)
    if not isinstance(rows, list) or not rows:
        raise GenerationError("'jalverify verify --list --format json' listed no theorems")
    return tuple(rows)


#: Characters Markdown would read as markup inside a claim (``V*`` twice makes emphasis, ``Q_k`` too).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}#+!~])")


def _cell(text: str) -> str:
    """Text for a Markdown table cell: on one line, HTML-escaped, Markdown markup and pipes escaped."""
    escaped = html.escape(" ".join(str(text).split()), quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped).replace("|", "&#124;")


def _link_theory_sections(text: str) -> str:
    """``theory.md §5`` in a citation becomes a link to that section of the theory page."""
    return re.sub(r"theory\.md §(\d)", r"[theory.md §\1](theory.md#s\1)", text)


def theorems_markdown() -> str:
    rows = registered_theorems()
    families: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        families.setdefault(row["id"].split(".")[0], []).append(row)
    expected = sorted({row["expected"] for row in rows})
    out = [f"{len(rows)} theorems in {len(families)} families; expected outcomes: "
           + ", ".join(f"`{e}`" for e in expected) + ".", ""]
    for family, members in families.items():
        out += [f"## `{family}` {{ #{family} }}", "", "| id | expected | claim | source |", "|---|---|---|---|"]
        for row in members:
            out.append(f'| <span id="{html.escape(row["id"])}"></span>`{row["id"]}` | `{row["expected"]}` | '
                       f'{_cell(row["claim"])} | {_link_theory_sections(_cell(row["citation"]))} |')
        out.append("")
    return "\n".join(out)


def _game_section(name: str) -> str:
    from jalverify.games import catalog
    from jalverify.games.normal_form import NormalFormGame
    from jalverify.games.tables import payoff_table_html, stochastic_game_html

    game = catalog.load(name)
    if isinstance(game, NormalFormGame):
        shape = "×".join(str(k) for k in game.n_actions)
        kind = f"normal-form game, {game.n_players} players, {shape}"
        table = payoff_table_html(game)
        shown = ""
    else:
        kind = f"stochastic game, {game.n_players} players, {game.n_states} states, γ = {game.gamma}"
        if game.n_states > LARGE_GAME_STATES:
            table = stochastic_game_html(game, max_states=LARGE_GAME_SHOWN)
            shown = (f"The first {LARGE_GAME_SHOWN} of its {game.n_states} states are shown; "
                     f"`jalverify show catalog:{name}` summarises the rest.")
        else:
            table = stochastic_game_html(game)
            shown = ""
    parts = [f"## `{name}` {{ #{name} }}", "",
             f"*{_cell(kind)}* · `catalog:{name}`", "",
             f"**Source.** {_cell(catalog.citation(name))}", ""]
    if catalog.notes(name):
        parts += [f"**Notes.** {_cell(catalog.notes(name))}", ""]
    parts += [f'<div class="catalog-table" markdown="0" id="table-{name}">{table}</div>', ""]
    if shown:
        parts += [shown, ""]
    return "\n".join(parts)


def catalog_markdown() -> str:
    from jalverify.games import catalog

    names = catalog.names()
    index = ["| game | section |", "|---|---|"] + [f"| `{n}` | [{n}](#{n}) |" for n in names]
    return "\n".join(index + [""] + [_game_section(n) for n in names])


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Replace the generation markers of ``theorems.md`` and ``catalog.md``."""
    if THEOREMS_MARKER in markdown:
        markdown = markdown.replace(THEOREMS_MARKER, theorems_markdown())
    if CATALOG_MARKER in markdown:
        markdown = markdown.replace(CATALOG_MARKER, catalog_markdown())
    return markdown


def _plain_role(match: re.Match[str]) -> str:
    tilde, text = match.group(1), match.group(2)
    return f"<code>{text.rsplit('.', 1)[-1] if tilde else text}</code>"


def on_page_content(html_text: str, page: Any, config: Any, files: Any) -> str:
    """Render Sphinx roles left in docstrings as plain code."""
    return SPHINX_ROLE.sub(_plain_role, html_text)
