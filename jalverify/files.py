"""Writing files so that a failure loses nothing: the one atomic writer every layer uses.

A file is written to a temporary file in the same folder, flushed to disk, and moved over its target with
:func:`os.replace` (atomic on POSIX and Windows), so an interrupted or failed write leaves no partial file and an
existing file unchanged.  The file gets the permissions an ordinary ``open(path, "w")`` would give (``0666``
less the umask; ``tempfile.mkstemp`` alone would leave it ``0600``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

__all__ = ["write_bytes_atomically", "write_text_atomically"]


def write_text_atomically(path: str | os.PathLike, text: str, *, make_parents: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically.

    A missing parent folder is an error (``FileNotFoundError`` naming it: a user's typo is not silently turned
    into new folders) unless ``make_parents`` is true (the report and summary folders jalverify lays out).
    """
    write_bytes_atomically(path, text.encode("utf-8"), make_parents=make_parents)


def write_bytes_atomically(path: str | os.PathLike, data: bytes, *, make_parents: bool = False) -> None:
    """Write ``data`` to ``path`` atomically (as :func:`write_text_atomically`)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if make_parents:
        folder.mkdir(parents=True, exist_ok=True)
    elif not folder.is_dir():
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(folder))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
