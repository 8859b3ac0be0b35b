"""Markdown, CSV and JSON exports: grouped, one row each, and faithful to the text."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest

from tests.core.reports import export_text as export
from tui.core.annotations.selection import select
from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.load import Corpus
from tui.core.export.records import CSV_COLUMNS, safe_cell
from tui.core.text import body_sha256

FIRST, SECOND = "000_1b8bce5c4f6c6391", "002_02e842533f2f6168"


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
    article.path.write_text(body, encoding="utf-8")
    corpus.refresh()
    changed = corpus
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


def test_annotations_of_a_removed_article_are_kept_as_missing(
    store: AnnotationStore, corpus: Corpus
) -> None:
    """Issue 17 #11: not plain "orphaned": it is the article that is gone."""
    gone = Corpus.of(corpus.root, {k: v for k, v in corpus.articles.items() if k != FIRST})
    chosen = select(store, gone, article=FIRST)
    assert [(item.state, item.start) for item in chosen.items] == [("missing", None)]
    text = export(chosen, "md")
    assert "_Article no longer in the corpus._" in text and "(orphaned)" not in text
    rows = list(csv.DictReader(io.StringIO(export(chosen, "csv"))))
    assert [(r["state"], r["start"], r["exact"]) for r in rows] == [
        ("missing", "", chosen.items[0].exact)
    ]


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


def test_csv_cells_never_start_a_formula(tmp_path: Path, corpus: Corpus) -> None:
    """Issue 17 F5 (OWASP CSV injection): read back, each such cell starts with a quote."""
    article = corpus.get(FIRST)
    body = '=HYPERLINK("http://x.test","click") and @SUM(1) then -2+3\nplain words'
    evil = dataclasses.replace(
        article, body=body, sha256=body_sha256(body), title="+cmd|' /C calc'!A0"
    )
    changed = Corpus.of(corpus.root, {**corpus.articles, FIRST: evil})
    store = AnnotationStore(tmp_path / "store", articles=changed.articles.get, author="@ana")
    notes = ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "plain = fine", ""]
    for note in notes:
        store.add(evil, 0, 10, note=note)
    store.add(evil, body.index("@SUM"), body.index(" then"), note="quote starts with @")
    store.add(evil, body.index("-2"), body.index("\n"), note="quote starts with -")
    store.add(evil, body.index("plain"), len(body), note="safe")
    rows = list(csv.DictReader(io.StringIO(export(select(store, changed), "csv"), newline="")))
    by_note = {r["note"]: r for r in rows}
    for note in notes[:5]:
        assert f"'{note}" in by_note, note
    assert "plain = fine" in by_note and "" in by_note
    assert by_note["quote starts with @"]["exact"] == "'@SUM(1)"
    assert by_note["quote starts with -"]["exact"] == "'-2+3"
    assert by_note["quote starts with -"]["text"] == "'-2+3"
    assert by_note["safe"]["exact"] == "plain words"
    for row in rows:
        assert row["title"] == "'+cmd|' /C calc'!A0" and row["author"] == "'@ana"
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
        assert int(row["start"]) >= 0  # numbers stay numbers
    assert safe_cell("\rx") == "'\rx" and safe_cell(5) == 5  # notes store \r as \n


def test_markdown_renders_each_part_apart_and_keeps_line_breaks(
    tmp_path: Path, corpus: Corpus
) -> None:
    """Issue 17 #10: the italic line and Tags ran into one paragraph, note lines into one."""
    from markdown_it import MarkdownIt

    article = corpus.get(FIRST)
    body = "Intro paragraph here.\n\nFirst line of a quote\nsecond line of it.\n\nMore text after."
    article = dataclasses.replace(article, body=body, sha256=body_sha256(body))
    store = AnnotationStore(tmp_path / "store", articles={FIRST: article}.get, author="ana")
    start = body.index("First")
    store.add(
        article,
        start,
        body.index(" of it") + 6,
        tags=["actor/prc", "sanctions/evasion"],
        note="Line one of note\nLine two: tech imports\n\nA second paragraph",
    )
    edited = body.replace("second line", "2nd line")
    changed = dataclasses.replace(article, body=edited, sha256=body_sha256(edited))
    chosen = select(store, Corpus.of(corpus.root, {FIRST: changed}))
    assert [item.state for item in chosen.items] == ["fuzzy"]
    html = MarkdownIt().render(export(chosen, "md"))
    assert "<blockquote>\n<p>First line of a quote<br />\n2nd line of it</p>\n</blockquote>" in html
    assert "<p><em>The text changed since it was annotated; it read: “First line" in html
    assert "<p>Tags: <code>actor/prc</code>, <code>sanctions/evasion</code></p>" in html
    note = "<p>Line one of note<br />\nLine two: tech imports</p>\n<p>A second paragraph</p>"
    assert note in html
