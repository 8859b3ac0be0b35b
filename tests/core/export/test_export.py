"""Markdown, CSV and JSON exports: grouped, one row each, and faithful to the text."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest

from tui.core.annotations.selection import Selection, select
from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.load import Corpus, load_corpus
from tui.core.export import Format
from tui.core.export import export as export_any
from tui.core.export.records import CSV_COLUMNS
from tui.core.text import body_sha256

FIRST, SECOND = "000_1b8bce5c4f6c6391", "002_02e842533f2f6168"


def export(selection: Selection, fmt: Format) -> str:
    """A report's text: md, csv, json and w3c are text (qdpx is a zip)."""
    text = export_any(selection, fmt)
    assert isinstance(text, str)
    return text


@pytest.fixture
def corpus(seeds_dir: Path) -> Corpus:
    return load_corpus(seeds_dir)


@pytest.fixture
def store(tmp_path: Path, corpus: Corpus) -> AnnotationStore:
    store = AnnotationStore(tmp_path / "store", articles=corpus.articles.get, author="ana")
    store.add(
        corpus.get(FIRST), 300, 360, tags=["actor/china", "tech"], note="Para one.\n\nPara two."
    )
    store.add(corpus.get(SECOND), 10, 40, tags=["actor/russia"])
    store.add(corpus.get(SECOND), 500, 520, tags=["economy"], note="=SUM(A1) stays text")
    return store


def test_markdown_groups_by_article_with_blockquotes(
    store: AnnotationStore, corpus: Corpus
) -> None:
    text = export(select(store, corpus), "md")
    first, second = corpus.get(FIRST), corpus.get(SECOND)
    assert text.index(f"## {first.title}") < text.index(f"## {second.title}")
    assert f"{first.date.isoformat()} · {first.source} · `{FIRST}`" in text  # type: ignore[union-attr]
    quote = first.body[300:360]
    assert "\n".join(f"> {line}".rstrip() for line in quote.split("\n")) in text
    assert "Tags: `actor/china`, `tech`" in text
    assert "Para one.\n\nPara two." in text


def test_markdown_filtered_by_tag_subtree(store: AnnotationStore, corpus: Corpus) -> None:
    text = export(select(store, corpus, tags=["actor"]), "md")
    assert text.count("\nTags: ") == 2 and "economy" not in text
    assert "_No annotations._" in export(select(store, corpus, tags=["nothing"]), "md")


def test_csv_one_row_per_annotation(store: AnnotationStore, corpus: Corpus) -> None:
    rows = list(csv.DictReader(io.StringIO(export(select(store, corpus), "csv"))))
    assert len(rows) == 3
    assert tuple(rows[0]) == CSV_COLUMNS
    by_note = {r["note"]: r for r in rows}
    first = by_note["Para one.\n\nPara two."]
    assert first["tags"] == "actor/china; tech" and first["state"] == "exact"
    assert corpus.get(FIRST).body[int(first["start"]) : int(first["end"])] == first["exact"]
    assert first["title"] == corpus.get(FIRST).title


def test_json_is_the_listing_model(store: AnnotationStore, corpus: Corpus) -> None:
    data = json.loads(export(select(store, corpus, article=SECOND), "json"))
    assert [d["article"] for d in data] == [SECOND, SECOND]
    for item in data:
        assert {
            "id",
            "article",
            "start",
            "end",
            "exact",
            "tags",
            "note",
            "state",
            "created",
        } <= set(item)
        assert corpus.get(SECOND).body[item["start"] : item["end"]] == item["exact"]
    assert data[0]["start"] < data[1]["start"]


def test_changed_articles_are_exported_honestly(store: AnnotationStore, corpus: Corpus) -> None:
    article = corpus.get(SECOND)
    fuzzy, lost = store.load(SECOND)
    body = article.body.replace(fuzzy.exact, fuzzy.exact[:-1] + "X").replace(lost.exact, "")
    edited = dataclasses.replace(article, body=body, sha256=body_sha256(body))
    changed = Corpus(corpus.root, {**corpus.articles, SECOND: edited})
    chosen = select(store, changed, article=SECOND)
    assert [item.state for item in chosen.items] == ["fuzzy", "orphaned"]
    text = export(chosen, "md")
    assert "The text changed since it was annotated" in text
    assert f"> {fuzzy.exact[:-1]}X".split("\n")[0] in text
    assert "Not found in the current article (orphaned)" in text
    rows = list(csv.DictReader(io.StringIO(export(chosen, "csv"))))
    assert [r["state"] for r in rows] == ["fuzzy", "orphaned"]
    assert rows[0]["text"] == fuzzy.exact[:-1] + "X" and rows[0]["exact"] == fuzzy.exact
    assert rows[1]["start"] == "" and rows[1]["exact"] == lost.exact


def test_annotations_of_a_removed_article_are_kept_as_orphans(
    store: AnnotationStore, corpus: Corpus
) -> None:
    gone = Corpus(corpus.root, {k: v for k, v in corpus.articles.items() if k != FIRST})
    chosen = select(store, gone, article=FIRST)
    assert [item.state for item in chosen.items] == ["orphaned"]
    assert "_Article no longer in the corpus._" in export(chosen, "md")


def test_export_target_errors_name_the_target(
    store: AnnotationStore, corpus: Corpus, tmp_path: Path
) -> None:
    """What the app's palette export does (write_atomic): one-line GlossErrors, no folders made."""
    from tui.core.errors import PathError
    from tui.core.fileio import write_atomic

    text = export(select(store, corpus), "md")
    folder = tmp_path / "qa"
    folder.mkdir()
    with pytest.raises(PathError) as caught:
        write_atomic(folder, text)
    assert str(caught.value) == f"{folder}: it is a folder, not a file: give a file name"
    assert list(folder.iterdir()) == [] and not list(tmp_path.glob(".*.tmp"))

    missing = tmp_path / "nonexistent" / "x.md"
    with pytest.raises(PathError) as caught:
        write_atomic(missing, text)
    assert str(caught.value) == f"{missing}: cannot write: folder {missing.parent} does not exist"
    assert not missing.parent.exists()

    blocker = tmp_path / "afile"
    blocker.write_text("keep")
    with pytest.raises(PathError, match=f"cannot write: {blocker} is not a folder"):
        write_atomic(blocker / "x.md", text)
    assert blocker.read_text() == "keep"

    write_atomic(tmp_path / "ok.md", text)
    assert (tmp_path / "ok.md").read_text(encoding="utf-8") == text
