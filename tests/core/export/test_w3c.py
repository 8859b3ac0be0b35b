"""The W3C export passes the Web Annotation working group's MUST assertions and quotes true text."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.core.export.w3c_schemas import failures
from tui.core.annotations.selection import select
from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.load import Corpus, load_corpus
from tui.core.export.w3c import collection

ITEM_TEST = "annotations/annotationMusts.test"
COLLECTION_TEST = "collections/collectionMusts.test"


@pytest.fixture
def corpus(seeds_dir: Path, tmp_path: Path) -> Corpus:
    """A copy of the seeds: tests edit and remove articles on disk."""
    shutil.copytree(seeds_dir, tmp_path / "seeds")
    return load_corpus(tmp_path / "seeds")


@pytest.fixture
def store(tmp_path: Path, corpus: Corpus) -> AnnotationStore:
    store = AnnotationStore(tmp_path / "store", articles=corpus.articles.get, author="Ana Analyst")
    first, second = corpus.get("000_1b8bce5c4f6c6391"), corpus.get("002_02e842533f2f6168")
    store.add(first, 0, 40, tags=["actor/china", "place"], note='Line one\nline "two" """')
    store.add(first, 100, 180)
    store.add(second, 50, 90, tags=["economy"])
    store.add(second, 400, 450, note="only a note")
    return store


def items(data: dict[str, Any]) -> list[dict[str, Any]]:
    return list(data.get("first", {}).get("items", []))


def test_collection_and_items_pass_the_must_assertions(
    store: AnnotationStore, corpus: Corpus
) -> None:
    data = collection(select(store, corpus))
    assert failures(data, COLLECTION_TEST) == []
    assert data["type"] == "AnnotationCollection" and data["total"] == 4 == len(items(data))
    for item in items(data):
        assert failures(item, ITEM_TEST) == [], item


def test_selectors_point_at_the_text_they_quote(store: AnnotationStore, corpus: Corpus) -> None:
    for item in items(collection(select(store, corpus))):
        article_id = item["target"]["source"].removeprefix("urn:gloss:article:")
        body = corpus.get(article_id).body
        quote = next(s for s in item["target"]["selector"] if s["type"] == "TextQuoteSelector")
        where = next(s for s in item["target"]["selector"] if s["type"] == "TextPositionSelector")
        assert body[where["start"] : where["end"]] == quote["exact"]
        assert body[: where["start"]].endswith(quote.get("prefix", ""))
        assert body[where["end"] :].startswith(quote.get("suffix", ""))


def test_bodies_carry_note_and_tags(store: AnnotationStore, corpus: Corpus) -> None:
    first = items(collection(select(store, corpus, tags=["actor"])))
    assert len(first) == 1
    bodies = first[0]["body"]
    assert bodies[0] == {
        "type": "TextualBody",
        "value": 'Line one\nline "two" """',
        "format": "text/plain",
        "purpose": "commenting",
    }
    assert [b["value"] for b in bodies if b["purpose"] == "tagging"] == ["actor/china", "place"]
    assert first[0]["motivation"] == "commenting"
    assert first[0]["creator"] == {"type": "Person", "name": "Ana Analyst"}


def test_moved_fuzzy_and_orphaned_items(store: AnnotationStore, corpus: Corpus) -> None:
    article = corpus.get("000_1b8bce5c4f6c6391")
    (a, b) = store.load(article.id)
    body = "Inserted headline.\n\n" + article.body
    body = body.replace(b.exact, "")  # b is gone
    article.path.write_text(body, encoding="utf-8")
    corpus.refresh()
    changed = corpus
    data = collection(select(store, changed, article=article.id))
    assert failures(data, COLLECTION_TEST) == []
    by_id = {item["id"].rsplit(":", 1)[1]: item for item in items(data)}
    for item in by_id.values():
        assert failures(item, ITEM_TEST) == []
    moved = by_id[a.id]["target"]["selector"]
    assert body[moved[1]["start"] : moved[1]["end"]] == moved[0]["exact"] == a.exact
    orphan = by_id[b.id]["target"]["selector"]
    assert [s["type"] for s in orphan] == ["TextQuoteSelector"]
    assert orphan[0]["exact"] == b.exact


def test_empty_collection_is_valid(tmp_path: Path, corpus: Corpus) -> None:
    data = collection(select(AnnotationStore(tmp_path / "none"), corpus))
    assert data["total"] == 0 and "first" not in data
    assert failures(data, COLLECTION_TEST) == []


def test_the_validator_catches_a_broken_item(store: AnnotationStore, corpus: Corpus) -> None:
    item = items(collection(select(store, corpus)))[0]
    broken = {**item, "id": "not a uri", "target": None}
    assert failures(broken, ITEM_TEST)
