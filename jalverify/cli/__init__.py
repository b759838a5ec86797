"""Command-line interface: ``jalverify <command> ...``.

Each subcommand lives in its own module under :mod:`jalverify.cli.commands` and exposes
``register(subparsers) -> None``, which adds its parser and sets ``func`` (a callable taking the parsed
arguments and returning the exit code).  Exit codes: 0 success, 1 a claim that should hold was refuted or a
check failed, 2 bad input (one-line error on stderr).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from jalverify.errors import JalverifyError

__all__ = ["main", "build_parser", "COMMANDS"]

#: Subcommand modules, in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = ("show", "convert", "verify", "replay", "evaluate", "validate", "nosde", "solve", "classify", "learn")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jalverify",
        description="Check the theory of joint-action learning by computation.",
    )
    from jalverify import __version__

    parser.add_argument("--version", action="version", version=f"jalverify {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"jalverify.cli.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jalverify`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except JalverifyError as exc:
        print(f"jalverify {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader closed the pipe (e.g. ``| head``): silence the flush at exit, as the Python docs advise
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as exc:
        print(f"jalverify {args.command}: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
