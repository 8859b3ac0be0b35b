"""Memos: a note on a whole article, in its TOML file, undoable, searchable and exported."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.core.export.w3c_schemas import failures
from tests.core.reports import export_text as export
from tui.core.annotations.articlefile import dumps_annotations, parse_article_file
from tui.core.annotations.selection import select
from tui.core.annotations.store import AnnotationStore
from tui.core.annotations.transaction import StoreConflict
from tui.core.corpus.load import Corpus, load_corpus
from tui.core.errors import StoreFileError
from tui.core.search.index import SearchIndex

A, B = "000_1b8bce5c4f6c6391", "002_02e842533f2f6168"
MEMO = 'Frames China as the junior partner.\nCompare with "002" — follow up.'


@pytest.fixture
def corpus(seeds_dir: Path) -> Corpus:
    return load_corpus(seeds_dir)


@pytest.fixture
def store(tmp_path: Path, corpus: Corpus) -> AnnotationStore:
    return AnnotationStore(tmp_path / "store", articles=corpus.articles.get, author="ana")


def test_a_memo_round_trips_and_an_old_file_has_none(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    text = dumps_annotations("a", [], MEMO + ' """ and a \\ backslash')
    found = parse_article_file(text, path, "a")
    assert found.memo == MEMO + ' """ and a \\ backslash' and found.annotations == ()
    old = "# Gloss annotations of article a\nschema = 1\n"
    assert parse_article_file(old, path, "a").memo == ""
    with pytest.raises(StoreFileError, match=r"a.toml:2: 'memo' must be a string"):
        parse_article_file("schema = 1\nmemo = 3\n", path, "a")


def test_set_keeps_the_memo_beside_annotations_and_undo_takes_it_back(
    store: AnnotationStore, corpus: Corpus
) -> None:
    article = corpus.get(A)
    assert store.memo(A) == ""
    assert store.set_memo(A, "  " + MEMO.replace("\n", "\r\n") + "\n\n") == MEMO
    path = store.path_for(A)
    assert path.is_file() and store.memo(A) == MEMO and store.load(A) == ()
    made = store.add(article, 0, 20, tags=["x"])
    assert store.memo(A) == MEMO  # adding an annotation keeps the memo
    store.delete(made.id)
    assert path.is_file() and store.memo(A) == MEMO  # a memo alone keeps its file
    assert store.memos() == {A: MEMO}
    assert store.undo_summary() == f"delete {made.id} from {A}"
    store.undo()
    store.undo()
    assert store.undo_summary() == f"set memo on {A}"
    assert store.undo().summary == f"set memo on {A}"
    assert store.memo(A) == "" and not path.exists()
    store.redo()
    assert store.memo(A) == MEMO
    store.set_memo(A, "")
    assert store.memo(A) == "" and not path.exists() and store.memos() == {}
    assert store.undo_summary() == f"clear memo on {A}"


def test_setting_the_same_memo_is_not_a_change(store: AnnotationStore) -> None:
    store.set_memo(A, MEMO)
    store.set_memo(A, MEMO + "\n")
    store.undo()
    assert store.memo(A) == "" and store.undo_summary() is None


def test_undo_never_overwrites_a_memo_changed_since(store: AnnotationStore) -> None:
    store.set_memo(A, "first")
    path = store.path_for(A)
    path.write_text(path.read_text().replace("first", "edited by hand"))
    with pytest.raises(StoreConflict, match=f"the memo of '{A}' was changed since"):
        store.undo()
    assert store.memo(A) == "edited by hand"


def test_a_broken_file_is_never_rewritten_by_a_memo(store: AnnotationStore) -> None:
    path = store.path_for(A)
    path.parent.mkdir(parents=True)
    path.write_text("schema = 1\n[[annotation]]\nid = \n")
    before = path.read_bytes()
    with pytest.raises(StoreFileError):
        store.set_memo(A, MEMO)
    assert path.read_bytes() == before


def test_memo_is_searchable_and_reindexed(tmp_path: Path, seeds_dir: Path, corpus: Corpus) -> None:
    store = AnnotationStore(tmp_path / "store", articles=corpus.articles.get)
    index = SearchIndex(
        seeds_dir, annotations=store.root, store=lambda: store, folder=tmp_path / "index"
    )
    index.refresh(corpus)
    assert index.search("memo:junior").total == 0
    store.set_memo(A, MEMO)
    assert [hit.id for hit in index.search("memo:junior").hits] == [A]
    assert [hit.id for hit in index.search('memo:"follow up"').hits] == [A]
    assert index.search("note:junior").total == 0  # a memo is not an annotation note
    store.set_memo(A, "")
    assert index.search("memo:junior").total == 0


@pytest.fixture
def exported(store: AnnotationStore, corpus: Corpus) -> AnnotationStore:
    """A: a memo and an annotation; B: a memo only."""
    store.add(corpus.get(A), 300, 360, tags=["actor"], note="a note")
    store.set_memo(A, MEMO)
    store.set_memo(B, "Only a memo here.")
    return store


def test_markdown_puts_memos_under_their_articles(
    exported: AnnotationStore, corpus: Corpus
) -> None:
    text = export(select(exported, corpus), "md")
    a_at, b_at = text.index(corpus.get(A).title), text.index(corpus.get(B).title)
    assert a_at < text.index("**Memo**") < text.index("Frames China") < text.index("> ")
    assert b_at < text.index("Only a memo here.")
    filtered = export(select(exported, corpus, tags=["actor"]), "md")
    assert "Frames China" in filtered and "Only a memo" not in filtered


def test_csv_and_json_carry_the_memo_per_article(exported: AnnotationStore, corpus: Corpus) -> None:
    rows = list(csv.DictReader(io.StringIO(export(select(exported, corpus), "csv"))))
    assert [(r["article"], r["id"] != "", r["memo"]) for r in rows] == [
        (A, True, MEMO),
        (B, False, "Only a memo here."),
    ]
    assert rows[1]["title"] == corpus.get(B).title and rows[1]["state"] == ""
    data = json.loads(export(select(exported, corpus), "json"))
    assert [(d["article"], d["id"] is not None, d["memo"]) for d in data] == [
        (A, True, MEMO),
        (B, False, "Only a memo here."),
    ]
    assert set(data[0]) == set(data[1])


def test_w3c_memo_targets_the_whole_article(exported: AnnotationStore, corpus: Corpus) -> None:
    data = json.loads(export(select(exported, corpus), "w3c"))
    assert failures(data, "collections/collectionMusts.test") == []
    items = data["first"]["items"]
    assert data["total"] == len(items) == 3
    memos = [item for item in items if item["id"].startswith("urn:gloss:memo:")]
    assert [m["target"] for m in memos] == [f"urn:gloss:article:{A}", f"urn:gloss:article:{B}"]
    for item in items:
        assert failures(item, "annotations/annotationMusts.test") == [], item
    first = memos[0]
    assert first["motivation"] == "commenting" and first["body"][0]["value"] == MEMO
    assert items.index(first) < next(
        i for i, item in enumerate(items) if item["id"].startswith("urn:gloss:annotation:")
    )
