"""The article cache: a warm start parses nothing, and the cache is never trusted blindly."""

from __future__ import annotations

import marshal
import os
import struct
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.recording import record_reads
from tui.core.corpus import cache as articlecache
from tui.core.corpus.cache import cache_path, load_cached, save_cached
from tui.core.corpus.load import Corpus
from tui.core.corpus.parse import parse_article
from tui.core.errors import CorpusError
from tui.core.models import SourceFile
from tui.core.project import resolve_project
from tui.core.workspace import Workspace

HOUR_NS = 3600 * 1_000_000_000


def age(folder: Path) -> None:
    """Move every file's mtime an hour back: older than the cache's racy window."""
    for path in folder.rglob("*.txt"):
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - HOUR_NS))


def open_corpus(project_dir: Path) -> Corpus:
    """The corpus as a new process would open it."""
    return Workspace(resolve_project(cwd=project_dir)).corpus


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the files parsed from now on."""
    return record_reads(monkeypatch, "tui.core.corpus.load")


@pytest.fixture
def corpus_dir(project_dir: Path) -> Path:
    folder = project_dir / "seeds"
    age(folder)
    return folder


def test_a_second_start_parses_no_file_and_gets_equal_articles(
    project_dir: Path, corpus_dir: Path, reads: list[str]
) -> None:
    first = open_corpus(project_dir)
    assert len(reads) == 5 and cache_path(corpus_dir).is_file()
    reads.clear()
    second = open_corpus(project_dir)
    assert reads == []
    assert second.articles == first.articles  # every field, body and offsets included


def test_changed_added_and_deleted_files_are_seen(
    project_dir: Path, corpus_dir: Path, reads: list[str]
) -> None:
    open_corpus(project_dir)
    changed = corpus_dir / "003_5a4e13669b936add.txt"
    changed.write_text("Rewritten.\n", encoding="utf-8")
    (corpus_dir / "new.txt").write_text("A new article.\n", encoding="utf-8")
    (corpus_dir / "000_1b8bce5c4f6c6391.txt").unlink()
    reads.clear()
    corpus = open_corpus(project_dir)
    assert sorted(reads) == ["003_5a4e13669b936add", "new"]
    assert corpus.get("003_5a4e13669b936add").body == "Rewritten.\n"
    assert "000_1b8bce5c4f6c6391" not in corpus.articles
    assert len(corpus) == 5


def test_a_file_changed_just_before_the_cache_was_written_is_read_again(
    project_dir: Path, corpus_dir: Path, reads: list[str]
) -> None:
    """Coarse file clocks: an edit in the same tick as the cache write keeps its mtime."""
    fresh = corpus_dir / "new.txt"
    fresh.write_text("Written a moment ago.\n", encoding="utf-8")
    open_corpus(project_dir)
    reads.clear()
    open_corpus(project_dir)
    assert reads == ["new"]


@pytest.mark.parametrize(
    "content",
    [b"", b"not marshal at all", b"\xe9" * 100, None],
    ids=["empty", "garbage", "bytes", "truncated"],
)
def test_a_damaged_cache_is_a_miss_and_is_rewritten(
    project_dir: Path, corpus_dir: Path, reads: list[str], content: bytes | None
) -> None:
    open_corpus(project_dir)
    path = cache_path(corpus_dir)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] if content is None else content)
    reads.clear()
    corpus = open_corpus(project_dir)
    assert len(reads) == 5 and len(corpus) == 5
    assert load_cached(corpus_dir).keys() == corpus.articles.keys()


def write_rows(folder: Path, rows: Any) -> None:
    """A well-framed cache file (right header and CRC) holding ``rows``."""
    header = marshal.dumps(
        (articlecache.FORMAT, articlecache.parser_version(), str(folder.resolve()))
    )
    payload = marshal.dumps(rows)
    path = cache_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(struct.pack("<II", len(header), zlib.crc32(payload)) + header + payload)


def test_rows_of_another_shape_are_a_miss(corpus_dir: Path) -> None:
    for rows in ([("too", "short")], [tuple(range(15))], "no rows", None):
        write_rows(corpus_dir, rows)
        assert load_cached(corpus_dir) == {}


def test_a_changed_byte_that_still_unmarshals_is_a_miss(
    project_dir: Path, corpus_dir: Path, reads: list[str]
) -> None:
    """A body altered in the cache (same length, still valid data) is never shown."""
    open_corpus(project_dir)
    path = cache_path(corpus_dir)
    data = path.read_bytes()
    assert b"pragmatic rather than ideological" in data
    path.write_bytes(data.replace(b"pragmatic rather than ideological", b"PRAGMATIC" + b"x" * 24))
    reads.clear()
    corpus = open_corpus(project_dir)
    assert len(reads) == 5
    assert all("PRAGMATIC" not in article.body for article in corpus)


def test_another_parser_version_or_folder_is_a_miss(
    project_dir: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_corpus(project_dir)
    assert len(load_cached(corpus_dir)) == 5
    monkeypatch.setattr(articlecache, "parser_version", lambda: "a newer parser")
    assert load_cached(corpus_dir) == {}


def test_the_cache_key_changes_with_the_parsing_code() -> None:
    version = articlecache.parser_version()
    assert len(version) == 64
    assert "corpus/parse" in articlecache.PARSER_MODULES
    assert "corpus/metadata" in articlecache.PARSER_MODULES


def test_an_unwritable_cache_folder_only_costs_speed(
    project_dir: Path, corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GLOSS_CACHE", str(blocker))
    corpus = open_corpus(project_dir)
    assert len(corpus) == 5
    assert blocker.read_text() == "not a folder"
    assert load_cached(corpus_dir) == {}


def test_reload_saves_what_changed(project_dir: Path, corpus_dir: Path, reads: list[str]) -> None:
    workspace = Workspace(resolve_project(cwd=project_dir))
    assert len(workspace.corpus) == 5
    (corpus_dir / "new.txt").write_text("A new article.\n", encoding="utf-8")
    stat = (corpus_dir / "new.txt").stat()
    os.utime(corpus_dir / "new.txt", ns=(stat.st_atime_ns, time.time_ns() - HOUR_NS))
    workspace.reload_corpus()
    assert "new" in load_cached(corpus_dir)


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(st.characters(blacklist_categories=["Cs"]), max_size=400),
    front=st.booleans(),
)
def test_an_article_round_trips_through_the_cache(
    tmp_path_factory: pytest.TempPathFactory, text: str, front: bool
) -> None:
    folder = tmp_path_factory.mktemp("round")
    if front:
        text = f"---\ntitle: T\ndate: 2024-02-29\ntags: [a, b]\n---\n{text}"
    data = text.encode("utf-8")
    path = folder / "a.txt"
    src = SourceFile("a", path, len(data), time.time_ns() - HOUR_NS)
    try:
        article = parse_article(src, data)
    except CorpusError:
        return  # front matter hypothesis made unreadable: not the cache's concern
    path.write_bytes(data)
    save_cached(folder, {"a": article})
    assert load_cached(folder) == {"a": article}
