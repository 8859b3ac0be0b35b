"""Long posting lists kept on disk beside their segment, for the next process.

Each `gloss search` is a new process; the arrays a first search decoded are read back by
the next one. What is kept must give the same ranking as decoding the blocks, never bring
back a deleted document, be ignored when damaged, and go with its segment.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.index import Index

from tui.core.corpus.load import load_corpus
from tui.core.search import postings
from tui.core.search.query import parse_query
from tui.core.search.ranking import rank
from tui.core.search.schema import build_schema, document

WORDS = ["china", "russia", "trade", "sanctions", "oil", "gas", "belt", "road"]
QUERIES = ["china", "china oil", "china OR gas", "russia NOT trade", "title:belt", "sanctions*"]


def _go() -> None:
    """A cancellation check that never stops."""


def _build(folder: Path) -> Index:
    """Two segments, a few documents deleted from the first."""
    rng = random.Random(3)
    articles = folder / "corpus"
    articles.mkdir(parents=True)
    for number in range(120):
        body = " ".join(rng.choices(WORDS, weights=range(len(WORDS), 0, -1), k=rng.randint(3, 30)))
        title = " ".join(rng.choices(WORDS, k=2)).title()
        (articles / f"a{number:03}.md").write_text(
            f'+++\ntitle = "{title}"\n+++\n{body}\n', encoding="utf-8"
        )
    corpus = load_corpus(articles)
    (folder / "index").mkdir()
    ix = whoosh_index.create_in(str(folder / "index"), build_schema())
    for batch in range(2):
        writer = ix.writer()
        for number in range(batch * 60, (batch + 1) * 60):
            writer.add_document(**document(corpus.articles[f"a{number:03}"]))
        if batch:
            for number in range(0, 60, 7):
                writer.delete_by_term("id", f"a{number:03}")
        writer.commit(merge=False)
    return ix


@pytest.fixture()
def ix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Index]:
    monkeypatch.setattr(postings, "DISK_FROM", 1)
    yield _build(tmp_path)


def _kept(folder: Path) -> list[Path]:
    root = folder / postings.DISK_FOLDER
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def _ranked(ix: Index, text: str) -> dict[int, float]:
    """The ranking a new process would compute: new segment readers, so nothing in memory."""
    with ix.searcher() as searcher:
        ranked = rank(searcher, parse_query(text), _go)
        return dict(zip(ranked.docnums, ranked.scores, strict=True))


def _decoded(ix: Index, text: str, monkeypatch: pytest.MonkeyPatch) -> dict[int, float]:
    """The same ranking with the disk never looked at."""
    with monkeypatch.context() as patch:
        patch.setattr(postings, "_disk_path", lambda *_: None)
        return _ranked(ix, text)


def test_the_next_process_reads_what_the_first_decoded(
    ix: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = Path(ix.storage.folder)
    for text in QUERIES:
        expected = _decoded(ix, text, monkeypatch)
        assert _ranked(ix, text) == expected, text  # the first: decodes, then keeps
        assert _kept(folder)
        with monkeypatch.context() as patch:
            patch.setattr(postings, "_by_blocks", _never)
            patch.setattr(postings, "_by_matcher", _never)
            assert _ranked(ix, text) == expected, text  # the next: from disk only


def _never(*_: object) -> object:
    raise AssertionError("decoded the blocks although the postings were on disk")


def test_deleted_documents_stay_out(ix: Index) -> None:
    """What is kept is from before deletions; a document deleted after it was kept never
    comes back."""
    before = _ranked(ix, "china")
    writer = ix.writer()
    writer.delete_by_term("id", "a061")
    writer.delete_by_term("id", "a100")
    writer.commit(merge=False)
    with ix.searcher() as searcher:
        gone = {
            number
            for number in range(searcher.doc_count_all())
            if searcher.reader().is_deleted(number)
        }
        after = rank(searcher, parse_query("china"), _go)
        assert not gone & set(after.docnums)
        assert set(after.docnums) <= set(before)
        assert len(after) < len(before)
        for leaf, _offset in searcher.leaf_searchers():
            reader = leaf.reader()
            read = postings.read_postings(reader, "body", b"china")
            assert not any(reader.is_deleted(int(number)) for number in read.ids)


def test_a_damaged_file_is_ignored_and_replaced(ix: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _decoded(ix, "china", monkeypatch)
    _ranked(ix, "china")
    kept = _kept(Path(ix.storage.folder))
    for path in kept:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) - 5])  # cut short: not a whole number of postings
    assert _ranked(ix, "china") == expected
    assert all(path.stat().st_size % 16 == len(postings._DISK_MAGIC) % 16 for path in kept)
    for path in kept:
        path.write_bytes(b"something else entirely, 32 bytes")
    assert _ranked(ix, "china") == expected


def test_merged_away_segments_lose_their_postings(ix: Index) -> None:
    folder = Path(ix.storage.folder)
    _ranked(ix, "china")
    old = {path.parent.name for path in _kept(folder)}
    assert len(old) == 2  # one folder a segment
    writer = ix.writer()
    writer.commit(optimize=True)  # one new segment, the two old ones gone
    _ranked(ix, "china")
    now = {path.parent.name for path in _kept(folder)}
    assert len(now) == 1
    assert not now & old


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_a_read_only_index_still_searches(ix: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = Path(ix.storage.folder)
    expected = _decoded(ix, "china oil", monkeypatch)
    folder.chmod(0o555)
    try:
        assert _ranked(ix, "china oil") == expected
        assert not _kept(folder)
    finally:
        folder.chmod(0o755)


def test_a_file_in_the_way_of_the_folder_is_no_failure(
    ix: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root ignores permissions; a plain file where the folder would go fails for anyone."""
    folder = Path(ix.storage.folder)
    (folder / postings.DISK_FOLDER).write_text("not a folder")
    expected = _decoded(ix, "china oil", monkeypatch)
    assert _ranked(ix, "china oil") == expected
    assert (folder / postings.DISK_FOLDER).read_text() == "not a folder"


def test_short_lists_are_not_kept(tmp_path: Path) -> None:
    ix = _build(tmp_path)
    _ranked(ix, "china oil")
    assert postings.DISK_FROM > 120
    assert not _kept(tmp_path / "index")
