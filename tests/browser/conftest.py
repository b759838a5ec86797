"""Fixtures of the browser tests (issue 13 §5): one headless Debian Chromium per session, driven by Playwright, and
:func:`pagecheck.check_page` / :func:`pagecheck.open_page` bound to it (see :mod:`pagecheck` for the API and an
example). This folder is put on ``sys.path`` so tests can ``from pagecheck import click_sort, details_opens``.

Without ``/usr/bin/chromium`` the tests are skipped locally and fail when ``CI`` is set: CI must run them."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import pagecheck
from playwright.sync_api import Browser, BrowserContext, sync_playwright


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless and offline, launched once for the session."""
    executable = pagecheck.require_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), headless=True,
                                              args=list(pagecheck.CHROMIUM_ARGS))
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def browser_context(browser: Browser) -> Iterator[BrowserContext]:
    """The one context of the session's pages (:func:`pagecheck.new_context`); each check opens its own page."""
    context = pagecheck.new_context(browser)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def check_page(browser_context: BrowserContext, request: pytest.FixtureRequest) -> Callable[..., pagecheck.PageCheck]:
    """``check_page(path, name=None) -> PageCheck`` on the session's browser; the screenshot is named
    ``<test name>-<file stem>.png`` unless ``name`` is given."""

    def check(path: str | os.PathLike[str], name: str | None = None) -> pagecheck.PageCheck:
        stem = name if name is not None else pagecheck.artifact_name(request.node.name, Path(path).stem)
        return pagecheck.check_page(browser_context, path, name=stem)

    return check


@pytest.fixture
def open_page(browser_context: BrowserContext) -> Callable[[str | os.PathLike[str]], AbstractContextManager[pagecheck.OpenedPage]]:
    """``with open_page(path) as opened:`` a live, watched page on the session's browser (:func:`pagecheck.open_page`)."""

    def opener(path: str | os.PathLike[str]) -> AbstractContextManager[pagecheck.OpenedPage]:
        return pagecheck.open_page(browser_context, path)

    return opener
