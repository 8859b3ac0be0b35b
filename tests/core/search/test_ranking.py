"""Relevance ranking: the same matches, scores and order as Whoosh's own collector.

The index here has several segments and deleted documents, and the queries mix the
forms the parser makes (words, OR, NOT, -word, phrases, prefixes, fuzzy terms, fields,
groups), so both the nodes combined here and the fallback to Whoosh's matchers run. Two
Whoosh bugs are not copied: deleted documents let through by inverse matchers, and
ANDMAYBE losing its optional score inside an AND (tests below).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.searching import Searcher

from tui.core.corpus.load import Corpus, load_corpus
from tui.core.search import postings, ranking
from tui.core.search.hits import SearchCancelled
from tui.core.search.index import SORTS, SearchIndex
from tui.core.search.query import QueryError, parse_query
from tui.core.search.ranking import Check, Ranking, RankingMemo, rank
from tui.core.search.run import run_search
from tui.core.search.schema import build_schema, document

WORDS = ["china", "russia", "trade", "sanctions", "oil", "gas", "belt", "road", "and", "moscow"]
BATCHES = 3


def _article(rng: random.Random, number: int) -> str:
    title = " ".join(rng.choices(WORDS, k=rng.randint(1, 4))).title()
    body = " ".join(rng.choices(WORDS, weights=range(len(WORDS), 0, -1), k=rng.randint(3, 40)))
    meta = [f"title = {json.dumps(title)}"]
    if number % 4:  # a few dates, many ties, some undated
        meta.append(f"date = 2024-03-{number % 6 + 1:02}")
    if number % 5 == 0:
        meta.append(f"source = {json.dumps(rng.choice(WORDS).title() + ' Weekly')}")
    if number % 7 == 0:
        meta.append(f"author = {json.dumps(rng.choice(WORDS).title() + ' Smith')}")
    return "\n".join(["+++", *meta, "+++", body, ""])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    rng = random.Random(7)
    folder = tmp_path_factory.mktemp("corpus")
    for number in range(40 * BATCHES):
        (folder / f"a{number:03}.md").write_text(_article(rng, number), encoding="utf-8")
    return load_corpus(folder)


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Iterator[Searcher]:
    """Three segments of 40 articles each (no merging), with some articles deleted."""
    articles = sorted(corpus.articles.values(), key=lambda article: article.id)
    folder = tmp_path_factory.mktemp("index")
    ix = whoosh_index.create_in(str(folder), build_schema())
    for batch in range(BATCHES):
        writer = ix.writer()
        for article in articles[batch * 40 : (batch + 1) * 40]:
            writer.add_document(**document(article))
        if batch:
            for article in articles[(batch - 1) * 40 : batch * 40 : 9]:
                writer.delete_by_term("id", article.id)
        writer.commit(merge=False)
    with ix.searcher() as opened:
        assert len(opened.leaf_searchers()) == BATCHES
        assert opened.doc_count() < opened.doc_count_all()
        yield opened


def _whoosh(searcher: Searcher, parsed: wq.Query) -> list[tuple[float, int]]:
    """Whoosh's answer: every match by its collector, no block skipping, and without the
    deleted documents its inverse matchers let through (``NOT "a b"``, ``a OR NOT b``);
    before ranking.py the app showed those as stale copies of edited articles."""
    results = searcher.search(parsed, limit=None, optimize=False)
    deleted = searcher.reader().is_deleted
    return [(hit.score, hit.docnum) for hit in results if not deleted(hit.docnum)]


def test_deleted_documents_never_match(searcher: Searcher) -> None:
    deleted = searcher.reader().is_deleted
    for text in ('NOT "china and"', "china OR NOT title:belt", "NOT title:belt"):
        leaked = [h.docnum for h in searcher.search(parse_query(text), limit=None)]
        assert any(deleted(docnum) for docnum in leaked), text  # Whoosh's answer has some
        assert not any(deleted(docnum) for docnum in rank(searcher, parse_query(text), _go).docnums)


def _go() -> None:
    """A cancellation check that never stops."""


def _same(ours: list[tuple[float, int]], theirs: list[tuple[float, int]]) -> None:
    """Same documents, scores equal but for the order floats were added, same order.

    Among equal scores the lower docnum comes first, as in Whoosh's collector; which
    of two tied documents Whoosh puts first can hang on its last bit of float noise,
    so tied documents are compared as a group.
    """
    assert sorted(docnum for _, docnum in ours) == sorted(docnum for _, docnum in theirs)
    score = {docnum: value for value, docnum in theirs}
    for value, docnum in ours:
        assert value == pytest.approx(score[docnum], rel=1e-9, abs=1e-12)
    assert _tied(ours) == _tied(theirs)


def _tied(ranked: list[tuple[float, int]]) -> list[set[int]]:
    groups: list[tuple[float, set[int]]] = []
    for value, docnum in ranked:
        if groups and value == pytest.approx(groups[-1][0], rel=1e-9, abs=1e-12):
            groups[-1][1].add(docnum)
        else:
            groups.append((value, {docnum}))
    return [docnums for _, docnums in groups]


_word = st.sampled_from([*WORDS, "absent"])
_term = st.one_of(
    _word,
    _word.map(lambda word: f"{word[:3]}*"),
    _word.map(lambda word: f"{word}~"),
    _word.map(lambda word: f"title:{word}"),
    st.integers(1, 6).map(lambda day: f"date:2024-03-{day:02}"),
    st.integers(1, 6).map(lambda day: f"date:[2024-03-02 TO 2024-03-{day:02}]"),
    st.integers(1, 6).map(lambda day: f"date:>2024-03-{day:02}"),
    st.lists(_word, min_size=2, max_size=3).map(lambda words: '"' + " ".join(words) + '"'),
)
_clause = st.one_of(
    _term,
    _term.map(lambda term: f"-{term}"),
    _term.map(lambda term: f"NOT {term}"),
    _term.map(lambda term: f"{term}^2.5"),
    st.tuples(_term, _term).map(lambda pair: f"({pair[0]} OR {pair[1]})"),
    st.tuples(_term, _term).map(lambda pair: f"{pair[0]} OR NOT {pair[1]}"),
)
_query = st.lists(_clause, min_size=1, max_size=4).map(" ".join)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_query)
def test_ranking_is_whooshs(searcher: Searcher, text: str) -> None:
    try:
        parsed = parse_query(text)
    except QueryError:
        return
    ranked = rank(searcher, parsed, _go)
    _same(ranked.page(0, len(ranked)), _whoosh(searcher, parsed))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(left=_query, right=_query)
def test_andnot_keeps_the_left_side_without_the_right(
    searcher: Searcher, left: str, right: str
) -> None:
    """Not compared with Whoosh: its AndNotMatcher keeps a segment's first match of the
    left side when the right side's postings start before it. ``a ANDNOT (b c)`` once
    raised KeyError here (the right side matched outside the left's documents)."""
    try:
        parsed = parse_query(f"({left}) ANDNOT ({right})")
        kept, dropped = parse_query(left), parse_query(right)
    except QueryError:
        return
    whole = _as_dict(rank(searcher, parsed, _go))
    expected = _as_dict(rank(searcher, kept, _go))
    for docnum in _as_dict(rank(searcher, dropped, _go)):
        expected.pop(docnum, None)
    assert whole.keys() == expected.keys()
    for docnum, score in whole.items():
        assert score == pytest.approx(expected[docnum], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    "text",
    [
        "china",
        "trade sanctions",
        "belt and road",
        "china NOT russia",
        "china -oil -gas",
        "china OR NOT russia",
        "NOT china",
        "china ANDMAYBE oil",
        '"belt and road" moscow',
        "moscow absent",
        "absent moscow",
        "(china OR russia) (oil OR gas) trade",
    ],
)
def test_each_query_form(searcher: Searcher, text: str) -> None:
    parsed = parse_query(text)
    ranked = rank(searcher, parsed, _go)
    _same(ranked.page(0, len(ranked)), _whoosh(searcher, parsed))


def test_andmaybe_scores_add_up(searcher: Searcher) -> None:
    """Not compared with Whoosh: inside an And, its AndMaybeMatcher.skip_to moves the
    optional side to the target, not to where the required side landed, and loses that
    side's score on some documents. Here the parts add up as they do on their own."""
    whole = _as_dict(rank(searcher, parse_query("china russia ANDMAYBE oil"), _go))
    china = _as_dict(rank(searcher, parse_query("china"), _go))
    maybe = _as_dict(rank(searcher, parse_query("russia ANDMAYBE oil"), _go))
    assert whole.keys() == china.keys() & maybe.keys()
    assert any(docnum in _as_dict(rank(searcher, parse_query("oil"), _go)) for docnum in whole)
    for docnum, score in whole.items():
        assert score == pytest.approx(china[docnum] + maybe[docnum], rel=1e-9)


def _as_dict(ranked: ranking.Ranking) -> dict[int, float]:
    return dict(zip(ranked.docnums, ranked.scores, strict=True))


def test_boosts_of_compound_queries(searcher: Searcher) -> None:
    china = wq.Term("body", "china")
    for parsed in (
        wq.And([china, wq.Term("body", "oil")], boost=2.5),
        wq.Or([china, wq.Term("title", "oil", boost=3.0)], boost=0.5),
        wq.Or([wq.And([china, wq.Term("body", "russia")], boost=4.0)], boost=9.0),
        wq.AndNot(wq.Or([china, wq.Term("body", "oil")], boost=2.0), wq.Term("body", "russia")),
        wq.And([china, wq.Not(wq.Term("body", "russia")), wq.Not(wq.Term("body", "oil"))]),
    ):
        ranked = rank(searcher, parsed, _go)
        assert len(ranked), parsed
        _same(ranked.page(0, len(ranked)), _whoosh(searcher, parsed))


def test_a_rare_word_is_looked_up_in_the_common_ones(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With one child much smaller, the others are skipped through, not read: same answer."""
    calls: list[int | None] = []
    original = postings.read_postings

    def spy(
        reader: Any, fieldname: str, text: bytes, values: bool = False, within: Any = None
    ) -> Any:
        calls.append(None if within is None else len(within))
        return original(reader, fieldname, text, values, within)

    monkeypatch.setattr(ranking, "read_postings", spy)
    parsed = wq.And([wq.Term("body", "china"), wq.Term("title", "moscow")])
    ranked = rank(searcher, parsed, _go)
    assert any(size is not None for size in calls)
    _same(ranked.page(0, len(ranked)), _whoosh(searcher, parsed))


def test_pages_are_slices_of_one_ranking(searcher: Searcher) -> None:
    ranked = rank(searcher, parse_query("china oil"), _go)
    assert len(ranked) > 10
    assert ranked.page(0, 4) + ranked.page(4, 10) == ranked.page(0, 10)
    assert ranked.page(len(ranked), len(ranked) + 5) == []


def test_cancellation_is_polled_while_reading_postings(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stop() -> None:
        raise SearchCancelled("china")

    with pytest.raises(SearchCancelled):
        rank(searcher, parse_query("china"), stop)


def test_the_memo_keeps_the_last_rankings() -> None:
    memo = RankingMemo()
    rankings = {}
    for word in ("a", "b", "c"):
        query = wq.Term("body", word)
        rankings[word] = Ranking(np.array([1], dtype=np.int64), np.array([1.0]))
        memo.put(query, rankings[word])
    assert memo.get(wq.Term("body", "a")) is None  # the oldest went
    assert memo.get(wq.Term("body", "c")) is rankings["c"]
    assert memo.get(wq.Term("body", "b")) is rankings["b"]


def test_next_pages_reuse_the_ranking(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`offset` pages through the same order as one big page, without matching again."""
    index = SearchIndex(seeds_dir, folder=tmp_path / "index")
    index.refresh()
    whole = index.search("china OR russia OR putin", limit=5)
    calls: list[wq.Query] = []
    original = ranking.rank

    def counting(searcher: Searcher, query: wq.Query, check: Check) -> Ranking:
        calls.append(query)
        return original(searcher, query, check)

    monkeypatch.setattr("tui.core.search.run.rank", counting)
    index._rankings.clear()
    first = index.search("china OR russia OR putin", limit=2)
    rest = index.search("china OR russia OR putin", limit=5, offset=2)
    assert [hit.id for hit in first.hits + rest.hits] == [hit.id for hit in whole.hits]
    assert rest.total == whole.total
    assert len(calls) == 1
    assert index.search("china", limit=5, offset=5).hits == ()
    beyond = index.search("chinaa OR china", limit=50, offset=40)  # past the last hit
    assert beyond.hits == () and beyond.total > 0 and beyond.suggestion is None
    with pytest.raises(QueryError, match="offset"):
        index.search("china", limit=5, offset=6)


@pytest.mark.parametrize(
    "text", ["title:russia ANDNOT oil", 'NOT "belt and"', "china -oil", "trade"]
)
def test_every_sort_finds_the_same_hits(searcher: Searcher, corpus: Corpus, text: str) -> None:
    """Date and title order page through the relevance ranking's matches: the same set."""
    parsed = parse_query(text)
    results = {
        sort: run_search(searcher, text, parsed, 500, sort, None, corpus=corpus) for sort in SORTS
    }
    totals = {result.total for result in results.values()}
    assert len(totals) == 1 and totals.pop() > 0
    ids = {sort: [hit.id for hit in result.hits] for sort, result in results.items()}
    assert len(ids["score"]) == results["score"].total
    assert sorted(ids["date"]) == sorted(ids["title"]) == sorted(ids["score"])
    titles = [hit.title.casefold() for hit in results["title"].hits]
    assert titles == sorted(titles)
    dates = [hit.date for hit in results["date"].hits]
    dated = [date for date in dates if date is not None]
    assert dated == sorted(dated, reverse=True) and dates[: len(dated)] == dated  # undated last
    pages = [
        run_search(searcher, text, parsed, end, "title", None, end - 4, corpus=corpus)
        for end in (4, 8, 12)
    ]
    assert [hit.id for page in pages for hit in page.hits] == ids["title"][:12]
