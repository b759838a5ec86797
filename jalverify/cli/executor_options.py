"""The executor flags shared by ``verify``, ``validate`` and ``experiment``: ``--workers``, ``--scheduler``, ``--dask``.

Without them the work runs serially in this process, as it always did.  Bad values and combinations are bad input
(exit 2, one line naming the flag), checked before anything starts.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from jalverify.executors import Executor

__all__ = ["add_executor_arguments", "check_executor_arguments", "executor_from_args"]


def add_executor_arguments(parser: argparse.ArgumentParser, *, what: str = "tasks",
                           default: str | None = None) -> None:
    """Add ``--workers N``, ``--scheduler tcp://HOST:PORT`` and ``--dask`` to ``parser`` (one argument group).

    ``what`` names the independent units the command distributes ("theorems", "checks", "runs") in the help;
    ``default`` says where they run without these flags (default: one after the other in this process).
    """
    group = parser.add_argument_group(
        "where the work runs",
        f"By default the {what} {default or 'run one after the other in this process'}.  The results are the same "
        "on every executor (given --seed); only the time differs.")
    group.add_argument("--workers", type=int, default=None, metavar="N",
                       help=f"run the {what} on N local worker processes (with --dask: a local Dask cluster of N "
                            "worker processes)")
    group.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                       help=f"run the {what} on a running Dask cluster (dask scheduler / dask worker, with jalverify "
                            "installed on every machine: pip install 'jalverify[distributed]')")
    group.add_argument("--dask", action="store_true",
                       help="with --workers N: start a local Dask cluster instead of plain worker processes (for "
                            "Dask's dashboard)")


def check_executor_arguments(args: argparse.Namespace) -> None:
    """Refuse bad executor flags (exit 2, naming the flag and the value) without starting anything."""
    from jalverify.executors import check_executor_options

    check_executor_options(**_options(args))


def executor_from_args(args: argparse.Namespace, *, log: TextIO | None = sys.stderr) -> Executor:
    """The executor the flags ask for (a context manager; close it, e.g. ``with executor_from_args(args) as ex``).

    Raises
    ------
    jalverify.errors.InvalidNumber, jalverify.errors.InvalidOption
        Bad flags, an unreachable scheduler or one without workers (exit 2).
    jalverify.errors.MissingExtra
        ``--scheduler`` or ``--dask`` without the ``distributed`` extra installed (exit 2).
    """
    from jalverify.executors import make_executor

    return make_executor(**_options(args), log=log)


def _options(args: argparse.Namespace) -> dict[str, Any]:
    """The executor options of parsed flags; a namespace built without the flags (a caller of a command's
    ``run`` that predates them) asks for the default, serial executor."""
    return {"workers": getattr(args, "workers", None), "scheduler": getattr(args, "scheduler", None),
            "dask": bool(getattr(args, "dask", False))}
