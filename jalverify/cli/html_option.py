"""The ``--html PATH`` option shared by ``verify``, ``validate``, ``experiment``, ``learn`` and ``nosde``.

The command's result (the same JSON document ``--format json`` prints, plus the counterexample reports it names)
is rendered as one self-contained HTML page (:mod:`jalverify.reports.html`) and written atomically to PATH once
the command has finished; the path is checked before anything runs (a missing folder or a folder given as the
file is bad input, exit 2, nothing written).  ``jalverify report DIR`` renders saved documents the same way.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["add_html_argument", "check_html_argument", "write_html_report"]


def add_html_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--html PATH`` to ``parser``."""
    parser.add_argument("--html", default=None, metavar="PATH",
                        help="also write the result as one self-contained HTML page (tables, figures, "
                             "counterexamples; opens offline) to PATH")


def check_html_argument(args: argparse.Namespace) -> None:
    """Refuse an ``--html`` path that cannot be written, before the command does any work."""
    from jalverify.errors import InvalidOption, MissingExtra

    if args.html is None:
        return
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise MissingExtra("--html draws its figures with matplotlib: pip install 'jalverify[plot]'") from None
    path = Path(args.html)
    if args.html.strip() == "" or path.is_dir():
        raise InvalidOption(f"--html: {args.html!r} is a folder or empty; give the HTML file to write")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InvalidOption(f"--html: folder {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK):
        raise InvalidOption(f"--html: folder {str(parent)!r} is not writable")


def write_html_report(args: argparse.Namespace, command: str, documents: Sequence[tuple[str, Mapping[str, Any], str]],
                      *, title: str) -> None:
    """Render ``documents`` (kind, JSON document, location) into ``args.html`` (nothing when ``--html`` is absent);
    says where on stderr."""
    if args.html is None:
        return
    from jalverify.files import write_text_atomically
    from jalverify.reports.html.documents import SavedDocument, report_page

    print(f"jalverify {command}: writing the HTML report {args.html} ...", file=sys.stderr)
    line = "jalverify " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if sys.argv[1:] else f"jalverify {command}"
    page = report_page([SavedDocument(kind, data, location) for kind, data, location in documents], title=title,
                       command=line)
    write_text_atomically(args.html, page)
    print(f"jalverify {command}: HTML report written to {args.html}", file=sys.stderr)
