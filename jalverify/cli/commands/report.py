"""``jalverify report DIR``: render every saved jalverify JSON document under DIR as one self-contained HTML page.

It finds ``verify`` and ``validate`` summaries, counterexample reports (``counterexamples/``), experiment
summaries (``summary.json`` of ``jalverify experiment``, with its plots), saved ``learn``, ``nosde`` and
``replay`` outputs (``--format json > file.json``), and renders them summaries first, each counterexample once.
"""

from __future__ import annotations

import argparse

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="render a folder of saved reports as one self-contained HTML page",
        description="Render every saved jalverify JSON document under DIR (verify/validate/experiment/learn/nosde "
                    "outputs and counterexample reports) as one HTML page that opens offline.")
    parser.add_argument("folder", metavar="DIR", help="folder to search (recursively) for jalverify JSON documents")
    parser.add_argument("--output", "-o", default=None, metavar="PATH",
                        help="the HTML file to write (default: DIR/report.html)")
    parser.add_argument("--title", default=None, help="page title (default: 'jalverify report: DIR')")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from jalverify.cli.html_option import check_html_argument, write_html_report
    from jalverify.errors import EXIT_OK, InvalidOption
    from jalverify.reports.html.documents import find_documents

    folder = Path(args.folder)
    if not folder.is_dir():
        raise InvalidOption(f"DIR: {args.folder!r} is not a folder")
    args.html = args.output if args.output is not None else str(folder / "report.html")
    check_html_argument(args)
    documents = find_documents(folder)
    if not documents:
        raise InvalidOption(f"DIR: no jalverify report under {args.folder!r} (looked for verify, validate, experiment, "
                            "learn, nosde, replay and counterexample JSON documents)")
    print(f"jalverify report: {len(documents)} document(s) found", file=sys.stderr)
    write_html_report(args, "report", [(d.kind, d.data, d.location) for d in documents],
                      title=args.title or f"jalverify report: {args.folder}")
    print(args.html)
    return EXIT_OK
