"""The extraction cache: a document is extracted once, a damaged entry is a miss, and a
new extractor re-extracts, after which annotations re-anchor through their states."""

from __future__ import annotations

import importlib.metadata
import os
from pathlib import Path

import pytest

from tests.core.recording import record_file_reads
from tests.documents import LOREM, write_pdf
from tui.core.corpus import extracted
from tui.core.corpus.formats import Document, extractor_label, read_document
from tui.core.corpus.load import load_corpus
from tui.core.corpus.options import DEFAULT_OPTIONS, ReadOptions
from tui.core.project import Project
from tui.core.workspace import Workspace

HOUR_NS = 3600 * 10**9

PAGES = [
    ["Opening words of the report.", "Beijing signed the gas deal on Tuesday. " + LOREM],
    ["The second page holds the disputed figure of 50 billion cubic metres a year."],
    ["The last page thanks the ministry of energy for its help with this report."],
]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The paths actually extracted (not served from the cache) from now on."""
    seen: list[Path] = []

    def counting(path: Path, data: bytes, options: ReadOptions = DEFAULT_OPTIONS) -> Document:
        seen.append(path)
        return read_document(path, data, options)

    monkeypatch.setattr(extracted, "read_document", counting)
    return seen


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    write_pdf(folder / "a.pdf", PAGES, title="Report A")
    write_pdf(folder / "b.pdf", PAGES[:2], title="Report B")
    for path in folder.iterdir():  # written an hour ago: not "just changed" (racy) files
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - 3600 * 10**9))
    return folder


def test_documents_are_extracted_once(docs: Path, calls: list[Path]) -> None:
    first = load_corpus(docs)
    assert len(calls) == 2
    second = load_corpus(docs)  # no parsed-article cache here: only the extraction cache
    assert len(calls) == 2
    assert second.get("a").body == first.get("a").body
    assert second.get("a").pages == first.get("a").pages
    assert second.get("a").title == "Report A"


def test_an_unchanged_file_is_not_even_read(
    docs: Path, calls: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_corpus(docs)
    reads = record_file_reads(monkeypatch)
    load_corpus(docs)
    assert [p for p in reads if p.suffix == ".pdf"] == []


def test_a_touched_file_hits_by_content(docs: Path, calls: list[Path]) -> None:
    load_corpus(docs)
    path = docs / "a.pdf"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - HOUR_NS))
    load_corpus(docs)
    assert len(calls) == 2  # same bytes, new mtime: read and hashed, not extracted


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_damaged_entry_is_a_miss(docs: Path, calls: list[Path], damage: str) -> None:
    before = load_corpus(docs).get("a")
    entries = sorted(extracted.cache_root().glob("??/*.doc"))
    assert len(entries) == 2
    for entry in entries:
        data = entry.read_bytes()
        if damage == "truncate":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "flip":
            entry.write_bytes(data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:])
        else:
            entry.write_bytes(b"\x00" * 40)
    after = load_corpus(docs).get("a")
    # Only the body asked for is extracted again: the catalogue holds both articles' rows.
    assert len(calls) == 3 and after.body == before.body


def test_an_unwritable_cache_only_costs_time(
    docs: Path, calls: list[Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("GLOSS_CACHE", str(blocker))
    assert len(load_corpus(docs)) == 2
    assert len(load_corpus(docs)) == 2 and len(calls) == 4


def test_the_key_holds_the_library_version_and_the_options(docs: Path) -> None:
    from tui.core.corpus.formats import format_for
    from tui.core.corpus.options import ReadOptions

    pdf = format_for(docs / "a.pdf")
    label = extractor_label(pdf)
    assert label == f"pdfminer.six {importlib.metadata.version('pdfminer.six')}"
    assert extracted.extractor_key(pdf, ReadOptions()) != extracted.extractor_key(
        pdf, ReadOptions(encoding="cp1252")
    )


def test_a_new_extractor_re_extracts_and_annotations_re_anchor(
    tmp_path: Path, docs: Path, monkeypatch: pytest.MonkeyPatch, calls: list[Path]
) -> None:
    """The body a new pdfminer gives differs: every annotation gets a state, none silently
    keeps offsets into the old text."""
    from tui.core.annotations.selection import select

    project = Project(corpus=docs, annotations=tmp_path / "store")
    workspace = Workspace(project)
    body = workspace.article("a").body
    store = workspace.store
    quotes = {
        "exact": "Beijing signed the gas deal on Tuesday",
        "fuzzy": "officials in both capitals said, deepening an energy partnership",
        "orphaned": "the disputed figure of 50 billion cubic metres a year",
        "moved": "thanks the ministry of energy",
    }
    ids = {}
    for state, quote in quotes.items():
        start = body.index(quote)
        ids[state] = store.add(workspace.article("a"), start, start + len(quote), tags=[state]).id
    assert len(calls) == 2

    # A new pdfminer: its version is part of every key, and its text differs.
    from tui.core.corpus.formats import pdf as pdf_module

    real_version = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata,
        "version",
        lambda name: "99990101" if name == "pdfminer.six" else real_version(name),
    )
    extractor_label.cache_clear()
    real_page_text = pdf_module.page_text

    def new_page_text(layout: object) -> str:
        text = real_page_text(layout)
        text = text.replace("both capitals said", "both capitols said")
        text = text.replace(
            "The second page holds the disputed figure of 50 billion cubic metres a year.",
            "Nothing of the kind appears on this page any more, in any later edition.",
        )
        return text.replace("The last page", "Inserted line.\n\nThe last page")

    monkeypatch.setattr(pdf_module, "page_text", new_page_text)
    try:
        fresh = Workspace(project)  # a new start: the parsed-article cache says pdfminer 2026…
        article = fresh.article("a")
        assert "capitols" in article.body and "Inserted line." in article.body
        assert docs / "a.pdf" in calls[2:]
        states = {a.tags[0]: a.state for a in select(fresh.store, fresh.corpus).items}
        assert states == {
            "exact": "exact",
            "moved": "moved",
            "fuzzy": "fuzzy",
            "orphaned": "orphaned",
        }
    finally:
        extractor_label.cache_clear()
