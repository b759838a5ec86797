"""The documentation site builds strictly and shows what it promises; the README's Solver API example runs.

The site is built once per module with ``mkdocs build --strict`` (any warning, a broken link or anchor, a bad
docstring, fails it) into a temporary folder; the tests then read the generated HTML.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from jalverify.games import catalog
from jalverify.games.normal_form import NormalFormGame
from jalverify.games.tables import payoff_table_html, stochastic_game_html
from jalverify.theorems.registry import THEOREMS, load_all

ROOT = Path(__file__).resolve().parents[2]

#: Anchors of docs/theory.md that reports, docstrings and other pages link to.
THEORY_ANCHORS = (
    "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9",
    "stage-game", "minimax-value", "nash-equilibrium", "correlated-equilibrium", "coarse-correlated-equilibrium",
    "nashconv", "minimax-q", "nash-q", "ce-q", "friend-foe-q", "nosde-games", "convergence-notions",
    "convergence-policy", "convergence-expected-return", "convergence-averaged-policy",
    "convergence-empirical-distribution", "convergence-to-a-set", "convergence-average-return",
)

#: Stochastic games above this many states are shown in part on the catalog page (docs/hooks/generate.py).
LARGE_GAME_STATES = 100


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=ROOT,
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, f"mkdocs build --strict failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return out


def page(site: Path, name: str) -> str:
    return (site / name / "index.html").read_text(encoding="utf-8")


def sections(html_text: str) -> dict[str, str]:
    """The HTML of each ``<h2 id=...>`` section of a page, up to the next ``<h2``."""
    starts = [(m.group(1), m.start()) for m in re.finditer(r'<h2 id="([^"]+)"', html_text)]
    ends = [start for _, start in starts[1:]] + [len(html_text)]
    return {name: html_text[start:end] for (name, start), end in zip(starts, ends)}


def test_every_catalog_game_has_its_section_with_its_payoff_tables(site: Path) -> None:
    parts = sections(page(site, "catalog"))
    assert catalog.names(), "the catalog is empty"
    for name in catalog.names():
        assert name in parts, f"catalog page has no section for {name}"
        section = parts[name]
        assert " ".join(catalog.citation(name).split())[:40] in html.unescape(section), f"{name}: citation missing"
        raw = json.loads(Path(catalog.path(name)).read_text(encoding="utf-8"))
        if raw["kind"] == "normal_form":
            game = catalog.load(name)
            assert isinstance(game, NormalFormGame)
            assert payoff_table_html(game) in section, f"{name}: payoff table missing from its section"
        elif len(raw["states"]) <= LARGE_GAME_STATES:
            assert stochastic_game_html(catalog.load(name)) in section, f"{name}: state tables missing"
        else:
            n = len(raw["states"])
            assert f"<strong>{name}</strong>: " in section and f"{n} states" in section
            assert f"<caption>state {raw['states'][0]['name']}</caption>" in section
            assert "more states</div>" in section


def test_theorem_page_lists_every_registered_theorem(site: Path) -> None:
    load_all()
    text = page(site, "theorems")
    assert len(THEOREMS) > 0
    missing = [tid for tid in THEOREMS if f'id="{tid}"' not in text]
    assert not missing, f"theorems missing from the theorem page: {missing}"
    for tid, theorem in THEOREMS.items():
        assert theorem.expected in text, tid


def test_api_page_documents_the_solver_functions(site: Path) -> None:
    from jalverify import solvers

    text = page(site, "api/solvers")
    functions = [name for name in solvers.__all__ if callable(getattr(solvers, name))
                 and not isinstance(getattr(solvers, name), type)]
    assert "nash_solve" in functions and "correlated_solve" in functions
    for name in functions:
        assert f'id="jalverify.solvers.{name}"' in text, f"jalverify.solvers.{name} is not documented"
    for module_and_name in ("best_response.best_response", "zero_sum_policy_iteration.zero_sum_policy_iteration",
                            "general_sum_value_iteration.general_sum_value_iteration"):
        assert f'id="jalverify.solvers.{module_and_name}"' in text
    games = page(site, "api/games")
    for name in ("jalverify.games.NormalFormGame", "jalverify.games.StochasticGame",
                 "jalverify.games.catalog.load", "jalverify.games.formats.reading.read_game"):
        assert f'id="{name}"' in games, name
    assert 'id="jalverify.verdicts.Status"' in page(site, "api/verdicts")


def test_theory_page_has_stable_anchors(site: Path) -> None:
    text = page(site, "theory")
    missing = [a for a in THEORY_ANCHORS if f'id="{a}"' not in text]
    assert not missing, f"theory.md lacks the anchors {missing}"


def test_site_loads_no_script_style_or_font_from_the_network(site: Path) -> None:
    remote = re.compile(r"""<(script|link|img|iframe)\b[^>]*\b(src|href)=["']?(https?:)?//""", re.IGNORECASE)
    css_remote = re.compile(r"""(@import|url\()\s*["']?(https?:)?//""", re.IGNORECASE)
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 15
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert not remote.search(text), f"{path.relative_to(site)} loads {remote.search(text).group(0)}"
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
    for path in list(site.rglob("*.css")) + list(site.rglob("*.js")):
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
        if path.suffix == ".css":
            assert not css_remote.search(text), f"{path.relative_to(site)}: {css_remote.search(text).group(0)}"


def readme_solver_example() -> tuple[str, str]:
    """The Python block of the README's "Solver API" section and the output printed below it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "\n## Solver API\n" in readme, "README has no 'Solver API' section"
    section = readme.split("\n## Solver API\n", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    shown = re.search(r"```text\n(.*?)```", section, re.DOTALL)
    assert code is not None and shown is not None, "the Solver API section needs a python block and its output"
    return code.group(1), shown.group(1)


def test_readme_solver_api_example_runs_and_prints_what_the_readme_shows(tmp_path: Path) -> None:
    code, shown = readme_solver_example()
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == shown
    assert done.stdout.count("max regret 0") == 3
