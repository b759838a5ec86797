"""jalverify.files.write_text_atomically: all or nothing, ordinary permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from jalverify.files import write_text_atomically


def test_writes_readable_files_like_open_does(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        target = tmp_path / "sub" / "report.json"
        write_text_atomically(target, "é\n", make_parents=True)
        assert target.read_text(encoding="utf-8") == "é\n"
        assert stat.S_IMODE(target.stat().st_mode) == 0o644  # not mkstemp's 0600
    finally:
        os.umask(umask)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "game.json"
    target.write_text("old")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomically(target, "\udcff")  # a lone surrogate cannot be encoded
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.json"]


def test_a_missing_folder_is_named_and_not_created(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as info:
        write_text_atomically(tmp_path / "no" / "such" / "out.json", "{}")
    assert info.value.filename == str(tmp_path / "no" / "such")
    assert list(tmp_path.iterdir()) == []
