"""`AtomicBatch`: many files replaced atomically, synced together (the store's batch writes)."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tui.core.errors import PathError
from tui.core.fileio import AtomicBatch, is_temp_name


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _count_fsyncs(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts = {"files": 0, "folders": 0}
    real = os.fsync

    def counting(fd: int) -> None:
        counts["folders" if stat.S_ISDIR(os.fstat(fd).st_mode) else "files"] += 1
        real(fd)

    monkeypatch.setattr(os, "fsync", counting)
    return counts


def test_writes_removes_and_makes_folders_in_order(tmp_path: Path) -> None:
    (tmp_path / "old.toml").write_text("old")
    (tmp_path / "gone.toml").write_text("gone")
    batch = AtomicBatch()
    batch.write(tmp_path / "old.toml", "new")
    batch.remove(tmp_path / "gone.toml")
    batch.write(tmp_path / "sub" / "deep" / "a.toml", "ä", make_parents=True)
    batch.remove(tmp_path / "never-there.toml")
    done: list[Path] = []
    batch.commit(done=done.append)
    assert _tree(tmp_path) == {"old.toml": b"new", "sub/deep/a.toml": "ä".encode()}
    assert done == [
        tmp_path / "old.toml",
        tmp_path / "gone.toml",
        tmp_path / "sub" / "deep" / "a.toml",
        tmp_path / "never-there.toml",
    ]


def test_every_file_is_synced_and_each_folder_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a").mkdir()
    counts = _count_fsyncs(monkeypatch)
    batch = AtomicBatch()
    for index in range(20):
        batch.write(tmp_path / "a" / f"{index}.toml", f"text {index}")
    for index in range(5):
        batch.write(tmp_path / "b" / f"{index}.toml", f"text {index}", make_parents=True)
    batch.commit()
    # a/ and b/ hold the renames; b/ is new, so tmp_path's entry for it is synced too.
    assert counts == {"files": 25, "folders": 3}
    assert len(_tree(tmp_path)) == 25


def test_a_temp_file_that_cannot_be_written_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.toml").write_text(f"old {name}")
    before = _tree(tmp_path)
    real = tempfile.mkstemp

    def full_disk(*args: Any, **kwargs: Any) -> tuple[int, str]:
        if kwargs.get("prefix") == ".b.toml.":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", full_disk)
    batch = AtomicBatch()
    for name in ("a", "b", "c"):
        batch.write(tmp_path / f"{name}.toml", f"new {name}")
    done: list[Path] = []
    with pytest.raises(PathError, match=r"b\.toml: cannot write: No space left on device"):
        batch.commit(done=done.append)
    assert done == [] and _tree(tmp_path) == before  # nothing replaced, no temp file left


def test_a_rename_that_fails_stops_there_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.replace

    def refused(source: Any, target: Any) -> None:
        if Path(target).name == "b.toml":
            raise OSError(errno.EACCES, "Permission denied")
        real(source, target)

    monkeypatch.setattr(os, "replace", refused)
    batch = AtomicBatch()
    for name in ("a", "b", "c"):
        batch.write(tmp_path / f"{name}.toml", name)
    done: list[Path] = []
    with pytest.raises(PathError, match=r"b\.toml: cannot write: Permission denied"):
        batch.commit(done=done.append)
    assert done == [tmp_path / "a.toml"]  # what the caller must put back
    assert _tree(tmp_path) == {"a.toml": b"a"}
    assert not any(is_temp_name(p.name) for p in tmp_path.iterdir())


def test_a_folder_in_the_way_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    (tmp_path / "x.toml").mkdir()
    batch = AtomicBatch()
    batch.write(tmp_path / "a.toml", "a")
    with pytest.raises(PathError, match="it is a folder, not a file"):
        batch.write(tmp_path / "x.toml", "x")
    batch.commit()
    assert _tree(tmp_path) == {"a.toml": b"a"}
