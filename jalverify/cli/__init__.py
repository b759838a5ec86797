"""Command-line interface: ``jalverify <command> ...``.

Each subcommand lives in its own module under :mod:`jalverify.cli.commands` and exposes
``register(subparsers) -> None``, which adds its parser and sets ``func`` (a callable taking the parsed
arguments and returning the exit code).

Exit codes (:mod:`jalverify.errors`): 0 success; 1 a claim that should hold was refuted or a check failed;
2 bad input (a flag, a file, a value): one line ``jalverify <cmd>: error: <message>`` on stderr naming the value
and the flag or JSON path, nothing written; 3 jalverify itself failed (a bug, or a solver failure):
``jalverify <cmd>: internal error (a bug in jalverify, please report it): <Type>: <message>``, with the
traceback only when the environment variable ``JALVERIFY_DEBUG=1`` is set; 130 interrupted (Ctrl-C):
``jalverify <cmd>: interrupted``.  Usage errors found by argparse exit with 2 as well.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
import typing
from collections.abc import Sequence

from jalverify.cli.streams import native_output_to_stderr
from jalverify.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, exit_code

__all__ = ["main", "build_parser", "COMMANDS"]

#: Subcommand modules, in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = ("show", "convert", "verify", "replay", "evaluate", "validate", "nosde", "solve", "classify", "learn",
                              "experiment", "report")


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors: ``jalverify <cmd>: error: <message> (see 'jalverify <cmd> --help')``."""

    def error(self, message: str) -> typing.NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {_one_line(message)} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _command_of(argv: Sequence[str] | None) -> str:
    """The subcommand named in ``argv`` (for messages before parsing finished), or ``""``."""
    args = list(sys.argv[1:] if argv is None else argv)
    return next((a for a in args if a in COMMANDS), "")


def _report_internal(command: str, exc: BaseException) -> int:
    prog = f"jalverify {command}".rstrip()
    if os.environ.get("JALVERIFY_DEBUG") == "1":
        traceback.print_exception(exc, file=sys.stderr)
    print(f"{prog}: internal error (a bug in jalverify, please report it): {type(exc).__name__}: "
          f"{_one_line(str(exc))}", file=sys.stderr)
    return EXIT_INTERNAL


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jalverify`` console script; returns the exit code (see the module docstring).

    Never lets an exception escape: bad input exits 2, Ctrl-C 130, anything else 3 (a bug, said so).
    """
    command = _command_of(argv)
    previous_limit = sys.get_int_max_str_digits()
    try:
        # numbers are bounded at reading (jalverify.numbers.MAX_DIGITS); results computed from them may print
        # longer than Python's default 4300-digit str() limit
        sys.set_int_max_str_digits(0)
        return _main(argv)
    except KeyboardInterrupt:
        print(f"jalverify {command}: interrupted".replace("  ", " "), file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        sys.set_int_max_str_digits(previous_limit)


def _main(argv: Sequence[str] | None) -> int:
    command = _command_of(argv)
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help, --version (0) and usage errors (2), printed by argparse
            return int(exc.code) if isinstance(exc.code, int) else EXIT_BAD_INPUT
        command = args.command
        with native_output_to_stderr():
            return int(args.func(args))
    except KeyboardInterrupt:
        raise
    except BrokenPipeError:
        # the reader closed the pipe (e.g. ``| head``): silence the flush at exit, as the Python docs advise
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as exc:
        if exc.filename is None:
            return _report_internal(command, exc)
        # a file the user named cannot be read or written (missing folder, permissions): bad input
        print(f"jalverify {command}: error: {exc.strerror or exc}: {exc.filename}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - the one place that turns every failure into an exit code
        code = exit_code(exc)
        if code == EXIT_BAD_INPUT:
            print(f"jalverify {command}: error: {_one_line(str(exc))}", file=sys.stderr)
            return code
        return _report_internal(command, exc)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
