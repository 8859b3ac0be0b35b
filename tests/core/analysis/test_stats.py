"""Stats: frequencies rolled up the tag tree, passages, timeline, sources and coders."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tui.core.analysis.stats import UNDATED, chosen_tags, compute
from tui.core.annotations.selection import select
from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.load import Corpus, load_corpus

A, B, C = "000_1b8bce5c4f6c6391", "002_02e842533f2f6168", "003_5a4e13669b936add"


@pytest.fixture
def corpus(seeds_dir: Path) -> Corpus:
    return load_corpus(seeds_dir)


@pytest.fixture
def store(tmp_path: Path, corpus: Corpus) -> AnnotationStore:
    store = AnnotationStore(tmp_path / "store", articles=corpus.articles.get, author="ana")
    a, b = corpus.get(A), corpus.get(B)
    store.add(a, 100, 200, tags=["actor/china"])  # overlaps the next: one passage
    store.add(a, 150, 250, tags=["frame/threat"])
    store.add(a, 240, 260, tags=["actor/russia"])  # chained onto that passage
    store.add(a, 400, 420, tags=["actor/china", "actor", "frame/threat"])  # both on one
    store.add(a, 600, 620, tags=["frame/threat"])  # alone
    store.add(b, 10, 30, tags=["actor/russia"])  # articles with both, no passage
    store.add(b, 50, 70, tags=["frame"])
    other = AnnotationStore(store.root, articles=corpus.articles.get, author="ben")
    other.add(corpus.get(C), 5, 25, tags=["actor/china"])
    return store


def test_frequencies_roll_up_the_tree_once_per_annotation(
    store: AnnotationStore, corpus: Corpus
) -> None:
    stats = compute(select(store, corpus))
    assert (stats.annotations, stats.articles) == (8, 3)
    rows = {row.tag: (row.annotations, row.articles) for row in stats.tags}
    assert rows["actor"] == (5, 3)  # the one tagged actor and actor/china counts once
    assert rows["actor/china"] == (3, 2)
    assert rows["frame"] == (4, 2) and rows["frame/threat"] == (3, 1)
    assert [row.tag for row in stats.tags] == sorted(rows)


def test_cooccurrence_counts_passages_and_articles(store: AnnotationStore, corpus: Corpus) -> None:
    stats = compute(select(store, corpus), ["actor", "frame"])
    cell = stats.cooccurrence.cell("frame", "actor")
    assert (cell.passages, cell.articles) == (2, 2)
    passages = stats.cooccurrence.passages("actor", "frame")
    assert [(p.article, p.start, p.end, len(p.annotations)) for p in passages] == [
        (A, 100, 260, 3),
        (A, 400, 420, 1),
    ]
    assert stats.cooccurrence.cell("actor", "actor").passages == 5
    with pytest.raises(KeyError, match="not among the chosen tags"):
        stats.cooccurrence.cell("actor", "place")


def test_chosen_tags_follow_the_rule() -> None:
    used = ["actor/china", "actor/russia/state", "frame"]
    assert chosen_tags([], used) == ("actor", "frame")
    assert chosen_tags(["actor"], used) == ("actor/china", "actor/russia")
    assert chosen_tags(["frame"], used) == ("frame",)
    assert chosen_tags(["frame", "actor"], used) == ("frame", "actor")


def test_timeline_has_every_month_then_undated(store: AnnotationStore, corpus: Corpus) -> None:
    stats = compute(select(store, corpus), ["actor", "frame"])
    months = stats.timeline.months
    dated = [date for x in (A, B, C) if (date := corpus.get(x).date) is not None]
    assert months[0] == min(dated).strftime("%Y-%m")
    assert len(set(months)) == len(months)
    total = sum(sum(stats.timeline.series(tag)) for tag in ("actor", "frame"))
    assert total == 5 + 4
    if any(corpus.get(x).date is None for x in (A, B, C)):
        assert months[-1] == UNDATED


def test_sources_and_coders(store: AnnotationStore, corpus: Corpus) -> None:
    stats = compute(select(store, corpus), ["actor", "frame"])
    coders = {row.name: (row.annotations, row.articles, row.tags) for row in stats.authors}
    assert coders == {
        "ana": (7, 2, {"actor": 4, "frame": 4}),
        "ben": (1, 1, {"actor": 1, "frame": 0}),
    }
    assert sum(row.annotations for row in stats.sources) == 8


def test_a_filtered_selection_counts_only_what_it_holds(
    store: AnnotationStore, corpus: Corpus
) -> None:
    stats = compute(select(store, corpus, tags=["frame"]).only({A}), ["frame"])
    assert (stats.annotations, stats.articles) == (3, 1)
    assert stats.chosen == ("frame/threat",)


def test_csv_and_json_hold_the_same_numbers(store: AnnotationStore, corpus: Corpus) -> None:
    stats = compute(select(store, corpus), ["actor", "frame"])
    rows = list(csv.DictReader(io.StringIO(stats.to_csv())))
    data = stats.to_json()
    tag_rows = {r["name"]: int(r["annotations"]) for r in rows if r["table"] == "tag"}
    assert tag_rows == {t["tag"]: t["annotations"] for t in data["tags"]}
    co = next(r for r in rows if r["table"] == "cooccurrence" and r["other"] == "frame")
    assert (co["name"], co["annotations"], co["articles"]) == ("actor", "2", "2")
    timeline = [r for r in rows if r["table"] == "timeline" and r["name"] == "actor"]
    assert [int(r["annotations"]) for r in timeline] == data["timeline"]["series"]["actor"]
