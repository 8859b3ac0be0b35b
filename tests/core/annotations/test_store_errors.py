"""A store folder, lock, op log or file the OS refuses: one-line PathError, never an OSError.

Tests run as root, so permissions are not enforced by chmod: a path under a regular file
forces ENOTDIR/EEXIST, /proc is a place nothing can be created, and "permission denied" is
simulated where the store makes its system calls.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tui.core.annotations.codebook import Codebook
from tui.core.annotations.store import AnnotationStore, PathError
from tui.core.corpus.load import Corpus, load_corpus
from tui.core.errors import GlossError, StoreFileError

ARTICLE = "000_1b8bce5c4f6c6391"
QUOTE = "348 Chinese counterparts"

Op = Callable[[AnnotationStore, Corpus], Any]


def _add(store: AnnotationStore, corpus: Corpus) -> Any:
    article = corpus.get(ARTICLE)
    at = article.body.index(QUOTE)
    return store.add(article, at, at + len(QUOTE), tags=["actor/china"])


READS: dict[str, Op] = {
    "load": lambda s, c: s.load(ARTICLE),
    "anchored": lambda s, c: s.anchored(c.get(ARTICLE)),
    "article_ids": lambda s, c: s.article_ids(),
    "scan": lambda s, c: s.scan(),
    "find": lambda s, c: s.find("abcdef"),
    "codebook": lambda s, c: s.codebook(),
    "tag_counts": lambda s, c: s.tag_counts(),
    "undo_summary": lambda s, c: s.undo_summary(),
    "redo_summary": lambda s, c: s.redo_summary(),
}
WRITES: dict[str, Op] = {
    "add": _add,
    "undo": lambda s, c: s.undo(),
    "redo": lambda s, c: s.redo(),
    "rename_tag": lambda s, c: s.rename_tag("a", "b"),
    "set_tag": lambda s, c: s.set_tag("a", description="x"),
    "fix": lambda s, c: s.fix(c.get(ARTICLE)),
}


@pytest.fixture(scope="module")
def corpus(seeds_dir: Path) -> Corpus:
    return load_corpus(seeds_dir)


@pytest.fixture(scope="module")
def seeds_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "seeds"


def store_at(root: Path, corpus: Corpus) -> AnnotationStore:
    return AnnotationStore(root, articles=corpus.articles.get, author="ana")


def one_line(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text and "Errno" not in text and ".tmp" not in text, text
    return text


@pytest.mark.parametrize("name", [*READS, *WRITES])
def test_store_that_is_a_file(tmp_path: Path, corpus: Corpus, name: str) -> None:
    root = tmp_path / "afile"
    root.write_text("not a store\n")
    with pytest.raises(PathError) as caught:
        {**READS, **WRITES}[name](store_at(root, corpus), corpus)
    assert one_line(caught.value) == f"{root}: annotation store is not a folder"
    assert caught.value.path == root
    assert root.read_text() == "not a store\n"


@pytest.mark.parametrize("name", [*READS, *WRITES])
def test_store_under_a_file(tmp_path: Path, corpus: Corpus, name: str) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    root = blocker / "store"
    with pytest.raises(PathError) as caught:
        {**READS, **WRITES}[name](store_at(root, corpus), corpus)
    message = one_line(caught.value)
    assert message.startswith(f"{root}: ") and f"{blocker} is not a folder" in message


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("name", list(WRITES))
def test_store_that_cannot_be_created(corpus: Corpus, name: str) -> None:
    root = Path("/proc/gloss-no-such-store")
    with pytest.raises(PathError) as caught:
        WRITES[name](store_at(root, corpus), corpus)
    assert one_line(caught.value).startswith(f"{root}: cannot create the annotation store: ")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("name", list(READS))
def test_missing_store_reads_as_empty(corpus: Corpus, name: str) -> None:
    """Nothing written yet is not an error: the first write creates the folder."""
    store = store_at(Path("/proc/gloss-no-such-store"), corpus)
    if name == "find":
        with pytest.raises(GlossError, match="no annotation with id"):
            READS[name](store, corpus)
    else:
        found = READS[name](store, corpus)
        assert not (found.tags if isinstance(found, Codebook) else found)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_lock_that_cannot_be_created_fails_at_once(corpus: Corpus) -> None:
    """Not after LOCK_TIMEOUT with a message blaming another process."""
    store = store_at(Path("/proc/self"), corpus)
    with pytest.raises(PathError) as caught:
        store.set_tag("a", description="x")
    assert one_line(caught.value).startswith(
        "/proc/self/.gloss.lock: cannot lock the annotation store: "
    )


def test_read_only_store_folder(
    tmp_path: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Denied lock and temp files (a read-only folder): one line, files untouched."""
    root = tmp_path / "store"
    store = store_at(root, corpus)
    made = _add(store, corpus)
    path = store.path_for(ARTICLE)
    before = path.read_bytes()
    real_open, real_mkstemp = os.open, tempfile.mkstemp

    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied", str(args[0]))

    def open_but_the_lock(p: Any, *args: Any, **kwargs: Any) -> Any:
        return denied(p) if str(p).endswith(".gloss.lock") else real_open(p, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_but_the_lock)
    with pytest.raises(PathError) as caught:
        store.edit(made.id, note="new")
    assert one_line(caught.value) == (
        f"{root / '.gloss.lock'}: cannot lock the annotation store: Permission denied"
    )
    monkeypatch.setattr(os, "open", real_open)

    def no_temp(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied", kwargs.get("dir"))

    monkeypatch.setattr(tempfile, "mkstemp", no_temp)
    with pytest.raises(PathError) as caught:
        store.edit(made.id, note="new")
    assert one_line(caught.value) == f"{path}: cannot write: Permission denied"
    monkeypatch.setattr(tempfile, "mkstemp", real_mkstemp)
    assert path.read_bytes() == before
    assert store.load(ARTICLE) == (made,)


def test_failed_rename_names_the_file_not_the_temp_file(
    tmp_path: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = store_at(tmp_path / "store", corpus)
    made = _add(store, corpus)
    path = store.path_for(ARTICLE)
    before = path.read_bytes()

    def no_space(src: Any, dst: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(src), None, str(dst))

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(PathError) as caught:
        store.edit(made.id, note="changed")
    assert one_line(caught.value) == f"{path}: cannot write: No space left on device"
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_store_files_that_are_folders(tmp_path: Path, corpus: Corpus) -> None:
    """A folder where the lock, the op log or the codebook should be: said, never written."""
    root = tmp_path / "store"
    store = store_at(root, corpus)
    (root / ".gloss.lock").mkdir(parents=True)
    with pytest.raises(PathError, match=r"\.gloss\.lock: cannot lock the annotation store: "):
        _add(store, corpus)
    (root / ".gloss.lock").rmdir()

    made = _add(store, corpus)
    os.unlink(store.oplog_path)
    store.oplog_path.mkdir()
    with pytest.raises(StoreFileError) as caught:
        store.undo()
    assert one_line(caught.value) == f"{store.oplog_path}: cannot read: it is a folder, not a file"
    with pytest.raises(StoreFileError):
        store.edit(made.id, note="changed")  # refused before anything is written
    assert store.load(ARTICLE) == (made,)

    os.unlink(store.codebook_path)
    store.codebook_path.mkdir()
    with pytest.raises(StoreFileError, match="tags.toml: cannot read: it is a folder"):
        store.codebook()


def test_annotation_file_under_a_file(tmp_path: Path, corpus: Corpus) -> None:
    """An article in a sub-folder whose store folder is a file: that file is named."""
    root = tmp_path / "store"
    root.mkdir()
    (root / "sub").write_text("x")
    store = store_at(root, corpus)
    with pytest.raises(StoreFileError, match="sub/a.toml: cannot read: "):
        store.load("sub/a")
    assert store.scan().annotations == {}
