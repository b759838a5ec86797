"""Open a generated HTML page in a real headless browser (Debian's Chromium, driven by Playwright) and report what a
reader would see go wrong: console errors, uncaught exceptions, network requests (a report must be self-contained),
images and inline SVGs that did not render, and tables with no size; and save a full-page screenshot as a test
artefact (issue 13 §5).

Fixtures (``tests/browser/conftest.py``): ``browser`` (session: Debian's Chromium, headless, offline),
``browser_context`` (session: the one context pages open in), and the two a test uses, bound to them:

- ``check_page(path, name=None) -> PageCheck``: load the file, screenshot it, collect every problem;
- ``open_page(path)``: a context manager yielding an :class:`OpenedPage` (``.page`` is the Playwright page) for
  interaction, watched for console errors, exceptions and requests the whole time.

Interaction helpers (``from pagecheck import ...``; this folder is on ``sys.path``): :func:`table_rows`,
:func:`click_sort`, :func:`details_opens`. Example::

    import subprocess
    import sys

    from pagecheck import click_sort, details_opens


    def test_verify_report(tmp_path, check_page, open_page):
        report = tmp_path / "report.html"
        subprocess.run([sys.executable, "-m", "jalverify", "verify", "--profile", "quick", "--html", str(report)],
                       check=True)
        result = check_page(report)        # PageCheck; screenshot <test name>-report.png
        result.assert_clean()              # AssertionError listing every problem found
        assert result.tables >= 1
        with open_page(report) as opened:  # OpenedPage
            ascending = click_sort(opened.page, "claim", "table.verdicts")   # body rows after one click
            descending = click_sort(opened.page, "claim", "table.verdicts")  # ... and after a second click
            assert descending == ascending[::-1]
            assert details_opens(opened.page, "details.meaning")
            opened.assert_clean()          # no console error, exception or request during the interaction

Screenshots go to ``$JALVERIFY_ARTIFACTS`` when that variable is set, else to ``<repo>/test-artifacts/screenshots/``
(ignored by git); CI can upload that folder. Without ``/usr/bin/chromium`` the fixtures skip the test, or fail it
when the environment variable ``CI`` is set (:func:`require_chromium`).

Rules of :func:`check_page` (each is a "problem" of :class:`PageCheck`):

- a console message of type ``error`` (this includes Chromium's own "Failed to load resource" messages);
- an uncaught exception in a script of the page (Playwright's ``pageerror``);
- any request other than the page's own file (``http``, ``https``, ``ws``, another ``file://`` path, ...);
  ``data:`` and ``blob:`` URLs are part of the page and are not requests. Every non-``file`` request is aborted,
  so a test never touches the network, and is recorded before it is aborted;
- an ``<img>`` that is not ``complete`` or has ``naturalWidth == 0`` after the page loaded;
- an outermost ``<svg>`` with a zero-width or zero-height bounding box, unless it only holds definitions
  (``<defs>``, ``<symbol>``, ``<style>``, ``<title>``, ``<desc>``);
- a ``<table>`` with a zero-width or zero-height bounding box.

The images, SVGs and tables are measured with every ``<details>`` element opened, so content a reader reaches by one
click is checked too; the screenshot is taken before that, in the state the page opens in.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Route, WebSocket

#: Debian's Chromium (installed by ``.ci/run``).
CHROMIUM = Path("/usr/bin/chromium")

#: Flags that keep Chromium quiet and offline: without the background-networking ones it tries to reach Google
#: services at start-up; ``--no-sandbox`` because CI and the dev containers run as root.
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync")

#: Milliseconds any single browser action (load, click, screenshot) may take before the check fails.
ACTION_TIMEOUT_MS = 15_000

#: CSS pixels of a page's top that the screenshot keeps at most: a longer page (every catalog game on one page is
#: 33 000 px) would cost seconds to encode for an artefact nobody scrolls through.
SCREENSHOT_MAX_HEIGHT = 8_000

#: Repository root (``tests/browser/pagecheck.py`` → two levels up).
REPO = Path(__file__).resolve().parents[2]

#: URL schemes that are part of the page itself, never a request to anything else.
_INLINE_SCHEMES = ("data:", "blob:", "about:")

_MEASURE_JS = """
() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.width, r.height]; };
  const describe = (el) => {
    const id = el.id ? '#' + el.id : '';
    const cls = el.getAttribute('class') ? '.' + el.getAttribute('class').trim().split(/\\s+/).join('.') : '';
    return el.tagName.toLowerCase() + id + cls;
  };
  const defsOnly = new Set(['defs', 'symbol', 'style', 'title', 'desc', 'metadata']);
  const images = [...document.querySelectorAll('img')]
    .filter((img) => !img.complete || img.naturalWidth === 0)
    .map((img) => img.getAttribute('src') || describe(img));
  const svgs = [...document.querySelectorAll('svg')]
    .filter((svg) => !svg.parentElement || !svg.parentElement.closest('svg'))
    .filter((svg) => [...svg.children].some((c) => !defsOnly.has(c.tagName.toLowerCase())))
    .filter((svg) => { const [w, h] = box(svg); return w === 0 || h === 0; })
    .map((svg, i) => describe(svg) + ' #' + i);
  const tables = [...document.querySelectorAll('table')];
  const emptyTables = tables
    .filter((t) => { const [w, h] = box(t); return w === 0 || h === 0; })
    .map((t) => describe(t));
  return {images, svgs, tables: tables.length, emptyTables};
}
"""

_ROWS_JS = """
(table) => {
  const body = table.tBodies.length ? [...table.tBodies].flatMap((b) => [...b.rows])
                                    : [...table.rows].filter((r) => r.parentElement.tagName !== 'THEAD');
  return body.filter((r) => [...r.cells].some((c) => c.tagName === 'TD'))
             .map((r) => [...r.cells].map((c) => c.innerText.trim()));
}
"""


def require_chromium() -> Path:
    """The Chromium executable, or stop the test: skipped when it is absent, failed when it is absent and the
    environment variable ``CI`` is set (CI must run the browser tests)."""
    if CHROMIUM.is_file():
        return CHROMIUM
    reason = f"{CHROMIUM} is absent (Debian package 'chromium'; .ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run on CI: {reason}", pytrace=False)
    pytest.skip(reason)


def artifact_dir() -> Path:
    """The folder screenshots are saved in (created if absent): ``$JALVERIFY_ARTIFACTS`` when set, else
    ``<repo>/test-artifacts/screenshots``."""
    configured = os.environ.get("JALVERIFY_ARTIFACTS")
    folder = Path(configured) if configured else REPO / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def artifact_name(*parts: str) -> str:
    """A file-name-safe stem from ``parts`` (e.g. a test's node name and the page's stem), joined by ``-``."""
    return "-".join(re.sub(r"[^A-Za-z0-9_.-]+", "_", part).strip("_-") for part in parts if part)


@dataclass
class OpenedPage:
    """A live page opened by :func:`open_page`, with everything the page did that a report must not do.

    Attributes
    ----------
    page : playwright.sync_api.Page
        The Playwright page, for interaction (click, evaluate, locators).
    url : str
        The ``file://`` URL of the page.
    console_errors : list of str
        Console messages of type ``error``, as ``"text (url:line)"``.
    page_errors : list of str
        Uncaught exceptions thrown by the page's scripts.
    requests : list of str
        URLs of every request other than the page itself (each one is a problem: reports are self-contained).
    """

    page: Page
    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every console error, uncaught exception and request so far, one line each."""
        return ([f"console error: {m}" for m in self.console_errors]
                + [f"uncaught exception: {m}" for m in self.page_errors]
                + [f"network request: {u}" for u in self.requests])

    def assert_clean(self) -> None:
        """Raises AssertionError listing :meth:`problems` when there is any."""
        found = self.problems()
        assert not found, f"{self.url}: {len(found)} problem(s):\n  " + "\n  ".join(found)


@dataclass(frozen=True)
class PageCheck:
    """What :func:`check_page` found on one page.

    Attributes
    ----------
    path : Path
        The HTML file checked.
    console_errors, page_errors, requests : tuple of str
        As in :class:`OpenedPage`, for the whole load of the page.
    broken_images : tuple of str
        ``src`` of each ``<img>`` that did not render.
    empty_svgs : tuple of str
        Each outermost drawing ``<svg>`` with a zero-size box (tag, id and classes, and its index).
    empty_tables : tuple of str
        Each ``<table>`` with a zero-size box.
    tables : int
        How many ``<table>`` elements the page has.
    screenshot : Path
        The full-page PNG saved in :func:`artifact_dir` (its top :data:`SCREENSHOT_MAX_HEIGHT` pixels for a
        longer page).
    """

    path: Path
    console_errors: tuple[str, ...]
    page_errors: tuple[str, ...]
    requests: tuple[str, ...]
    broken_images: tuple[str, ...]
    empty_svgs: tuple[str, ...]
    empty_tables: tuple[str, ...]
    tables: int
    screenshot: Path

    def problems(self) -> list[str]:
        """Every problem found, one line each (empty for a clean page)."""
        return ([f"console error: {m}" for m in self.console_errors]
                + [f"uncaught exception: {m}" for m in self.page_errors]
                + [f"network request: {u}" for u in self.requests]
                + [f"image not rendered: {s}" for s in self.broken_images]
                + [f"svg with zero size: {s}" for s in self.empty_svgs]
                + [f"table with zero size: {s}" for s in self.empty_tables])

    @property
    def ok(self) -> bool:
        """True when :meth:`problems` is empty."""
        return not self.problems()

    def assert_clean(self) -> None:
        """Raises AssertionError listing every problem (and where the screenshot is) when there is any."""
        found = self.problems()
        assert not found, (f"{self.path}: {len(found)} problem(s) (screenshot {self.screenshot}):\n  "
                           + "\n  ".join(found))


@contextmanager
def open_page(context: BrowserContext, path: str | os.PathLike[str]) -> Iterator[OpenedPage]:
    """Open the local HTML file ``path`` in a new page of ``context`` (see :func:`new_context`), watched from before
    its first byte.

    The page is loaded (``load`` event and two animation frames) when the block starts and closed when it ends.
    Requests other than the file itself are recorded and aborted (``file://`` ones are recorded and allowed,
    so a missing local asset shows up both as a request and as what it breaks).
    """
    target = Path(path).resolve()
    if not target.is_file():
        raise FileNotFoundError(f"open_page(): no HTML file at {target}")
    url = target.as_uri()
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    opened = OpenedPage(page=page, url=url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location
            opened.console_errors.append(f"{message.text} ({where.get('url', '')}:{where.get('lineNumber', '')})")

    def on_request(request: Request) -> None:
        if request.url != url and not request.url.startswith(_INLINE_SCHEMES):
            opened.requests.append(request.url)

    def on_websocket(socket: WebSocket) -> None:
        opened.requests.append(socket.url)

    def route(route_: Route) -> None:
        if route_.request.url.startswith("file:"):
            route_.continue_()
        else:
            route_.abort("blockedbyclient")

    page.on("console", on_console)
    page.on("pageerror", lambda error: opened.page_errors.append(f"{error.name}: {error.message}"))
    page.on("request", on_request)
    page.on("websocket", on_websocket)
    page.route("**/*", route)
    try:
        page.goto(url, wait_until="load")
        page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
        yield opened
    finally:
        page.close()


def check_page(context: BrowserContext, path: str | os.PathLike[str], *, name: str | None = None) -> PageCheck:
    """Load the HTML file ``path``, save a full-page screenshot (at most :data:`SCREENSHOT_MAX_HEIGHT` pixels tall),
    and return every problem a reader would meet.

    Parameters
    ----------
    context : playwright.sync_api.BrowserContext
        The session's browser context (the ``browser_context`` fixture, made by :func:`new_context`); the
        ``check_page`` fixture passes it for you.
    path : path-like
        A local HTML file.
    name : str, optional
        File stem of the screenshot (made file-name safe); default the HTML file's stem. The ``check_page``
        fixture defaults it to ``<test name>-<file stem>`` so tests do not overwrite each other's screenshots.

    Returns
    -------
    PageCheck
        Its :meth:`PageCheck.assert_clean` fails the test on any problem (the rules are in the module docstring).
    """
    target = Path(path)
    shot = artifact_dir() / f"{artifact_name(name if name is not None else target.stem)}.png"
    with open_page(context, target) as opened:
        height = opened.page.evaluate("() => document.documentElement.scrollHeight")
        width = opened.page.evaluate("() => document.documentElement.scrollWidth")
        clip = ({"x": 0, "y": 0, "width": width, "height": SCREENSHOT_MAX_HEIGHT}
                if height > SCREENSHOT_MAX_HEIGHT else None)
        opened.page.screenshot(path=str(shot), full_page=True, clip=clip)
        opened.page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        opened.page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
        measured = opened.page.evaluate(_MEASURE_JS)
        return PageCheck(path=target, console_errors=tuple(opened.console_errors),
                         page_errors=tuple(opened.page_errors), requests=tuple(opened.requests),
                         broken_images=tuple(measured["images"]), empty_svgs=tuple(measured["svgs"]),
                         empty_tables=tuple(measured["emptyTables"]), tables=int(measured["tables"]),
                         screenshot=shot)


def new_context(browser: Browser) -> BrowserContext:
    """The context pages are opened in: service workers blocked, the default 1280×720 viewport. One context serves
    a whole session (a context costs about half a second to make); each check opens and closes its own page."""
    return browser.new_context(service_workers="block")


def table_rows(page: Page, table: str = "table") -> list[list[str]]:
    """The body rows of the first table matching the CSS selector ``table``, each as its cells' visible text
    (rows made only of ``<th>`` cells, and the ``<thead>``, are left out)."""
    return page.locator(table).first.evaluate(_ROWS_JS)


def click_sort(page: Page, header: str, table: str = "table") -> list[list[str]]:
    """Click the column header of ``table`` (CSS selector, first match) whose text is ``header`` (exact, after
    trimming; a ``<th>`` of the ``<thead>``, or of the first row when there is no ``<thead>``) and return the body rows as :func:`table_rows` reads them
    afterwards.

    Call it twice to check the descending order. Raises :class:`LookupError` when no such header exists.
    """
    element = page.locator(table).first
    head = element.locator("thead th") if element.locator("thead").count() else element.locator("tr").first.locator("th")
    headers = head.filter(has_text=re.compile(rf"^\s*{re.escape(header)}\s*$"))
    if headers.count() == 0:
        texts = head.all_inner_texts()
        raise LookupError(f"click_sort(): no header {header!r} in {table!r}; headers are {texts}")
    headers.first.click()
    return table_rows(page, table)


def details_opens(page: Page, details: str = "details") -> bool:
    """Click the ``<summary>`` of the first ``<details>`` matching the CSS selector ``details`` (closed at the
    start) and tell whether it opened: its ``open`` property is set and it is now taller than its summary (its
    content shows).

    Raises :class:`ValueError` when that element is already open (nothing to test) and :class:`LookupError` when it
    does not exist.
    """
    element = page.locator(details).first
    if element.count() == 0:
        raise LookupError(f"details_opens(): no element matches {details!r}")
    if element.evaluate("(d) => d.open"):
        raise ValueError(f"details_opens(): {details!r} is already open")
    element.locator("summary").first.click()
    return bool(element.evaluate("""(d) => {
        const summary = d.querySelector(':scope > summary');
        const whole = d.getBoundingClientRect().height;
        return d.open && summary !== null && whole > summary.getBoundingClientRect().height; }"""))
