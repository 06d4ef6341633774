"""Writing a file whole: the new content or the old one, never half, and no temporary file left over."""

from __future__ import annotations

import stat

import pytest

from bim.atomic_file import write_atomically


def test_the_file_holds_the_new_content_readable_by_others_and_nothing_else_is_left(tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    assert write_atomically(target, b"new") == target
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_a_missing_folder_is_an_error_unless_asked_to_make_it(tmp_path):
    target = tmp_path / "no" / "such" / "report.html"
    with pytest.raises(FileNotFoundError):
        write_atomically(target, b"x")
    assert not (tmp_path / "no").exists()
    write_atomically(target, b"x", make_folder=True)
    assert target.read_bytes() == b"x"


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "minutes.xlsx"
    target.write_bytes(b"old")

    def refuse(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bim.atomic_file.os.replace", refuse)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["minutes.xlsx"]
