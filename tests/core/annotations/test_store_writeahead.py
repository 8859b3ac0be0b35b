"""Write-ahead writes and killed writers' leftovers (issue 17 F1, F2), in one process.

The kill -9 trials themselves are in test_store_crash.py; these check the pieces: what a
failed write puts back, which temp files the next write deletes, and that leftovers never
count as annotation files.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from tui.core.annotations.oplog import read_oplog
from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.load import Corpus
from tui.core.errors import PathError
from tui.core.fileio import is_temp_name

A, B = "000_1b8bce5c4f6c6391", "001_6f77d67fd69055e2"


def _two_files(store: AnnotationStore, corpus: Corpus) -> None:
    store.add(corpus.get(A), 0, 4, tags=["actor/china"])
    store.add(corpus.get(B), 0, 4, tags=["actor/russia"])


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_write_failing_half_way_puts_everything_back(
    store: AnnotationStore, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second file of a rename cannot replace its old one: the first and the log are
    restored."""
    _two_files(store, corpus)
    before = _files(store.root)
    real = os.replace

    def second_fails(source: Any, target: Any) -> None:
        if Path(target) == store.path_for(B):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(source, target)

    monkeypatch.setattr(os, "replace", second_fails)
    with pytest.raises(PathError, match=f"{B}.toml: cannot write: No space left"):
        store.rename_tag("actor", "party")
    monkeypatch.setattr(os, "replace", real)
    assert _files(store.root) == before  # no temp file left either
    assert not store.pending_path.exists()
    assert store.undo_summary() == f"add {store.load(B)[0].id} to {B}"
    assert store.rename_tag("actor", "party") == 2


def test_a_temp_file_that_cannot_be_written_changes_nothing(
    store: AnnotationStore, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every temp file is written before the first rename: one failing stops them all."""
    _two_files(store, corpus)
    before = _files(store.root)
    real = tempfile.mkstemp

    def second_fails(*args: Any, **kwargs: Any) -> tuple[int, str]:
        if kwargs.get("prefix") == f".{store.path_for(B).name}.":
            raise OSError(errno.EDQUOT, "Disk quota exceeded")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", second_fails)
    with pytest.raises(PathError, match=f"{B}.toml: cannot write: Disk quota exceeded"):
        store.rename_tag("actor", "party")
    monkeypatch.setattr(tempfile, "mkstemp", real)
    assert _files(store.root) == before
    assert not store.pending_path.exists()
    assert store.rename_tag("actor", "party") == 2


def test_an_intent_left_by_a_killed_undo_is_finished_by_the_next_write(
    store: AnnotationStore, corpus: Corpus
) -> None:
    """As a kill after the log was written leaves it: the log says undone, files do not."""
    _two_files(store, corpus)
    store.rename_tag("actor", "party")
    renamed = _files(store.root)
    store.undo()
    undone = _files(store.root)
    # Put the files back as they were before the undo, keeping the undo's log and intent.
    for name, data in renamed.items():
        if not name.startswith(".gloss-oplog"):
            (store.root / name).write_bytes(data)
    top = read_oplog(store.oplog_path).undone[-1]
    store.pending_path.write_text(
        json.dumps({"schema": 1, "direction": "undo", "op": top.id, "summary": top.summary})
    )
    fresh = AnnotationStore(store.root, articles=corpus.articles.get)
    assert fresh.recover() == "rename tag actor to party"
    assert _files(store.root) == undone
    assert fresh.recover() is None
    fresh.redo()
    assert {a.tags for a in fresh.scan()} == {("party/china",), ("party/russia",)}


def test_an_intent_from_before_the_log_was_written_changes_nothing(
    store: AnnotationStore, corpus: Corpus
) -> None:
    _two_files(store, corpus)
    before = _files(store.root)
    store.pending_path.write_text(
        json.dumps({"schema": 1, "direction": "undo", "op": "not-logged", "summary": "x"})
    )
    assert store.recover() is None
    assert _files(store.root) == before


def test_recovery_keeps_a_record_changed_by_hand_since(
    store: AnnotationStore, corpus: Corpus
) -> None:
    """Never overwrite another's change, as undo never does: that record stays as it is."""
    _two_files(store, corpus)
    store.rename_tag("actor", "party")
    log_before = store.oplog_path.read_text()
    store.undo()
    log_after = store.oplog_path.read_text()
    store.redo()
    store.oplog_path.write_text(log_after)  # killed after the undo's log was written
    top = read_oplog(store.oplog_path).undone[-1]
    store.pending_path.write_text(
        json.dumps({"schema": 1, "direction": "undo", "op": top.id, "summary": top.summary})
    )
    path = store.path_for(A)
    path.write_text(path.read_text().replace('"party/china"', '"by/hand"'))
    store.recover()
    assert [a.tags for a in store.load(A)] == [("by/hand",)]
    assert [a.tags for a in store.load(B)] == [("actor/russia",)]
    assert log_before != log_after


def _temp(folder: Path, name: str, age: float) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text('schema = 1\n[[annotation]]\nid = "x"\nstart = 0\nend = 1\nexact = "a"\n')
    at = time.time() - age
    os.utime(path, (at, at))
    return path


def test_temp_files_never_count_as_annotation_files(
    store: AnnotationStore, corpus: Corpus, gloss: Any, project_dir: Path
) -> None:
    stale = _temp(store.root, f".{A}.toml.k2j4x9a1.tmp", 60)
    nested = _temp(store.root / "sub", ".piece.toml.q0w9e8r7.tmp", 60)
    assert is_temp_name(stale.name) and is_temp_name(nested.name)
    assert store.article_ids() == []
    assert len(store.scan()) == 0 and not store.scan().problems
    assert store.stamp() == {}
    # The search index's store scan: a store holding only temp files has no annotations.
    _temp(project_dir / "annotations", f".{A}.toml.k2j4x9a1.tmp", 60)
    result = gloss("search", "annotated:yes", "--json")
    assert (result.code, json.loads(result.out)) == (0, [])


def test_the_next_write_deletes_stale_temp_files_only(
    store: AnnotationStore, corpus: Corpus
) -> None:
    stale = _temp(store.root, f".{A}.toml.k2j4x9a1.tmp", 60)
    stale_log = _temp(store.root, ".gloss-oplog.json.abcd1234.tmp", 60)
    in_flight = _temp(store.root, f".{B}.toml.z9y8x7w6.tmp", -60)  # newer than the lock
    kept = [_temp(store.root, name, 60) for name in (".notes.tmp", "README.tmp", ".x.toml")]
    store.add(corpus.get(A), 0, 4)
    assert not stale.exists() and not stale_log.exists()
    assert in_flight.exists() and all(p.exists() for p in kept)
