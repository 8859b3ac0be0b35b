"""The parse cache: a whole-store read reuses earlier parses only for unchanged bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.core.annotations import store as store_module
from tui.core.annotations.articlefile import ArticleFile, dumps_annotations, parse_article_file
from tui.core.annotations.model import Annotation
from tui.core.annotations.parsecache import BULK, cache_path
from tui.core.annotations.store import AnnotationStore

FILES = BULK + 8


def ann(ident: str, note: str = "") -> Annotation:
    return Annotation(
        id=ident,
        article="",
        start=0,
        end=5,
        exact="hello",
        prefix="",
        suffix=" world",
        body_sha256="",
        tags=("a/b",),
        note=note,
        author="ana",
        created="2026-01-01T00:00:00Z",
        modified="2026-01-01T00:00:00Z",
    )


def write(root: Path, article: str, note: str = "", memo: str = "") -> Path:
    path = root / f"{article}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    items = [ann(f"{article.replace('/', '-')}-1", note), ann(f"{article.replace('/', '-')}-2")]
    path.write_text(dumps_annotations(article, items, memo), encoding="utf-8")
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    for index in range(FILES):
        write(store, f"sub/a{index:02d}" if index % 2 else f"a{index:02d}", memo=f"memo {index}")
    return store


def parses_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The article ids whose TOML is parsed (not taken from the cache) from now on."""
    parsed: list[str] = []
    real = parse_article_file

    def counting(text: str, path: Path, article_id: str) -> ArticleFile:
        parsed.append(article_id)
        return real(text, path, article_id)

    monkeypatch.setattr(store_module, "parse_article_file", counting)
    return parsed


def scan_of(root: Path) -> tuple[dict[str, tuple[Annotation, ...]], dict[str, str], list[str]]:
    found = AnnotationStore(root).scan()  # a new store: nothing held in memory
    return dict(found.annotations), dict(found.memos), sorted(found.problems)


def test_a_second_read_parses_nothing_and_gives_the_same(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = parses_counted(monkeypatch)
    first = scan_of(root)
    assert len(parsed) == FILES and cache_path(root).is_file()
    parsed.clear()
    assert scan_of(root) == first
    assert parsed == []
    assert first[1]["a00"] == "memo 0" and len(first[0]) == FILES
    assert first[0]["sub/a01"][0].article == "sub/a01"


def test_changed_bytes_are_parsed_again_whatever_the_file_times_say(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan_of(root)
    path = root / "a04.toml"
    info = path.stat()
    # The same size, written in place (same inode), the old times put back: only the
    # content tells it changed.
    text = path.read_text("utf-8").replace("memo 4", "memo X")
    with path.open("r+", encoding="utf-8") as handle:
        handle.write(text)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (info.st_size, info.st_mtime_ns)
    parsed = parses_counted(monkeypatch)
    annotations, memos, _ = scan_of(root)
    assert parsed == ["a04"] and memos["a04"] == "memo X"


def test_a_broken_file_is_reported_every_time_and_never_cached(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = root / "a06.toml"
    broken.write_text(broken.read_text("utf-8") + "\n[[annotation]\n", encoding="utf-8")
    assert scan_of(root)[2] == ["a06"]
    assert scan_of(root)[2] == ["a06"]
    write(root, "a06", note="fixed")
    annotations, _, problems = scan_of(root)
    assert problems == [] and annotations["a06"][0].note == "fixed"


def test_a_damaged_cache_is_a_miss_and_is_written_again(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = scan_of(root)
    data = bytearray(cache_path(root).read_bytes())
    data[-20] ^= 0xFF  # one byte of one quote: the CRC catches it
    cache_path(root).write_bytes(bytes(data))
    parsed = parses_counted(monkeypatch)
    assert scan_of(root) == first and len(parsed) == FILES
    parsed.clear()
    assert scan_of(root) == first and parsed == []


def test_other_gloss_code_or_another_store_never_shares_parses(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan_of(root)
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in root.rglob("*.toml"):
        target = copy / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    parsed = parses_counted(monkeypatch)
    scan_of(copy)
    assert len(parsed) == FILES  # its own cache, keyed by its folder
    monkeypatch.setattr("tui.core.annotations.parsecache.parser_version", lambda: "other")
    parsed.clear()
    scan_of(root)
    assert len(parsed) == FILES


def test_a_few_new_files_are_parsed_without_rewriting_the_cache(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan_of(root)
    before = cache_path(root).read_bytes()
    write(root, "a00", note="changed")
    (root / "a02.toml").unlink()
    parsed = parses_counted(monkeypatch)
    annotations, _, _ = scan_of(root)
    assert parsed == ["a00"] and "a02" not in annotations
    assert cache_path(root).read_bytes() == before
    for index in range(BULK):
        write(root, f"new{index:02d}")
    scan_of(root)
    rewritten = cache_path(root).read_bytes()
    assert rewritten != before and b"a02" not in rewritten  # gone files leave the cache


def test_a_cache_folder_that_cannot_be_written_only_costs_time(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("GLOSS_CACHE", str(blocker))
    first = scan_of(root)
    assert scan_of(root) == first and len(first[0]) == FILES


def test_the_memo_only_file_and_the_codebook(root: Path) -> None:
    (root / "memo-only.toml").write_text(
        dumps_annotations("memo-only", [], "just a memo"), encoding="utf-8"
    )
    (root / "tags.toml").write_text("schema = 1\n", encoding="utf-8")
    annotations, memos, problems = scan_of(root)
    assert memos["memo-only"] == "just a memo" and "memo-only" not in annotations
    assert "tags" not in annotations and problems == []
    assert scan_of(root) == (annotations, memos, problems)
