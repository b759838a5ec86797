"""stdout carries only the result: native libraries' output is sent to stderr while a command runs.

C and C++ libraries (HiGHS, OpenSpiel, Gambit) write to file descriptor 1 directly, bypassing ``sys.stdout``; a
banner or log line there corrupts the JSON a command prints.  While a command runs, descriptor 1 points at
stderr, and ``sys.stdout`` writes to a duplicate of the original descriptor 1, so what the command prints
reaches stdout and nothing else does.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator

__all__ = ["native_output_to_stderr"]


@contextlib.contextmanager
def native_output_to_stderr() -> Iterator[None]:
    """Run the body with descriptor 1 on stderr and ``sys.stdout`` on the original stdout.

    When ``sys.stdout`` is not the stream of descriptor 1 (a test harness captured it in Python), only the
    descriptor is redirected and ``sys.stdout`` is left as it is.  Everything is restored on exit.
    """
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no descriptor 1 at all (closed by the caller): nothing native can reach stdout
        yield
        return
    original = sys.stdout
    try:
        stdout_is_fd1 = original.fileno() == 1
    except (AttributeError, OSError, io.UnsupportedOperation):
        stdout_is_fd1 = False
    result = None
    if stdout_is_fd1:
        result = open(os.dup(saved), "w", encoding=original.encoding, errors=original.errors,  # noqa: SIM115
                      newline=None, buffering=1 if original.line_buffering else -1)
        sys.stdout = result
    try:
        os.dup2(2, 1)
        yield
    finally:
        try:
            sys.stdout.flush()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            if result is not None:
                sys.stdout = original
                result.close()
