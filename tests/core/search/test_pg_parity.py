"""Parity: the same queries on Whoosh and on PostgreSQL find the same articles.

Both engines index one corpus (:mod:`tests.core.search.pg_corpus`: seeds, synthetic news, edge
cases, annotations) and every query of :data:`QUERIES` must give the same hit set, the
same exact total and the same spans in every hit. Ranking is the one thing that is
allowed to differ (Whoosh's BM25F, PostgreSQL's ts_rank_cd): date and title orders are
compared as orders of keys. The documented differences are tested one by one in
``test_pg_differences.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.core.search.pg_corpus import LONG_ID, LONG_PHRASE, Compared, build
from tests.postgres import Cluster
from tui.core.search.hits import SearchResult
from tui.core.search.index import SearchIndex
from tui.core.search.pg.backend import PostgresIndex

QUERIES = [
    # words, stems, case, accents
    "china",
    "China",
    "semiconductors",
    "semiconductor",
    "Müller",
    "muller",
    "geneve",
    "naive cafe",
    "Путин",
    "习近平",
    '"习近平 普京"',
    "制裁",
    "제재",
    "俄 OR 京",
    "U.S.",
    "us",
    "２０２４",
    "negotiat*",
    "negotiations",
    "goverment~",
    "government~2",
    "U.S",
    "China's",
    "snake_case_word",
    "2024",
    "supercali* OR here",
    "will",
    "the",
    # boolean
    "china russia",
    "china AND russia",
    "china OR taiwan",
    "china NOT (taiwan OR japan)",
    "china AND (sanctions OR semiconductors) NOT taiwan",
    "NOT china",
    "china OR NOT russia",
    "(sanctions OR exports) AND NOT (china OR russia)",
    "russia ANDMAYBE sanctions",
    "china -russia",
    # phrases and proximity
    '"economic ties"',
    '"Economic Ties"',
    '"the market"',
    '"of the"',
    '"china russia"~3',
    '"russia china"~2',
    '"relations between russia and china"',
    '"the market rose and the market fell"',
    f'"{LONG_PHRASE}"',
    '"zebra quietly"~2',
    '"china is"~2',
    '"share this"',
    '"China\'s ties"',
    '"economic ties"~0',
    'title:"economic ties"',
    'source:"media group"',
    'author:"john smith"',
    # wildcards, prefixes, fuzzy, ranges
    "semicond*",
    "Semi*",
    "chip?",
    "chip*",
    "*ing",
    "s*ctions",
    "?hina",
    "Putn~",
    "Putn~2",
    "Ptuin~",
    "sanctons~",
    "ties~2/1",
    "title:[a TO c]",
    "title:[m TO p}",
    "*",
    "title:*",
    "source:*",
    # fields
    "title:putin",
    "title:china AND source:reuters",
    "source:eastern",
    "source:reuters",
    "author:smith",
    "author:smith~",
    # dates
    "date:2023",
    "date:2024-02",
    "date:2024-02-29",
    "date:[2022-01-01 TO 2022-12-31]",
    "date:{2022-01-01 TO 2022-12-31}",
    "date:>2023-06-01",
    "date:>=2023-06-01",
    "date:<=2022",
    "date:<2022",
    "china date:2021",
    "NOT date:[2015 TO 2030]",
    # tags and annotations
    "tag:actor",
    "tag:actor/china",
    "tag:Actor",
    'tag:"econ ties"',
    "tag:act*",
    "tag:act?r*",
    "tag:actr~",
    "tag:[a TO b]",
    "tag:trade OR tag:x",
    "note:sanctions",
    "note:fair",
    'note:"tech fair"',
    "memo:revisit",
    "memo:sourc*",
    "annotated:yes",
    "annotated:no",
    "annotated:event",
    "annotated:event/fair",
    "annotated:actor AND china",
    "NOT annotated:no",
]


@pytest.fixture(scope="module")
def engines(
    tmp_path_factory: pytest.TempPathFactory, postgres_cluster: Cluster
) -> Iterator[tuple[Compared, SearchIndex, PostgresIndex]]:
    folder = tmp_path_factory.mktemp("parity")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GLOSS_CACHE", str(folder / "cache"))
        compared = build(folder)
        store = compared.store
        whoosh = SearchIndex(
            compared.root,
            exclude=[compared.annotations],
            annotations=compared.annotations,
            store=lambda: store,
            folder=folder / "whoosh",
            corpus=compared.corpus,
        )
        whoosh.refresh()
        pg = PostgresIndex(
            postgres_cluster.url(schema="parity"),
            compared.root,
            exclude=[compared.annotations],
            annotations=compared.annotations,
            store=lambda: store,
            corpus=compared.corpus,
        )
        pg.refresh(publish=True)
        yield compared, whoosh, pg
        pg.close()


def everything(index: SearchIndex | PostgresIndex, query: str, sort: str = "score") -> SearchResult:
    return index.search(query, limit=100_000, sort=sort)


def test_the_long_article_is_stored_in_chunks(
    engines: tuple[Compared, SearchIndex, PostgresIndex], postgres_cluster: Cluster
) -> None:
    parts = postgres_cluster.psql(f"SELECT count(*) FROM parity.body_chunks WHERE id = '{LONG_ID}'")
    assert int(parts) >= 3  # "the" 4,200 times: a chunk ends before its 256th


@pytest.mark.parametrize("query", QUERIES)
def test_both_engines_find_the_same_articles(
    engines: tuple[Compared, SearchIndex, PostgresIndex], query: str
) -> None:
    _, whoosh, pg = engines
    expected, found = everything(whoosh, query), everything(pg, query)
    assert found.total == expected.total
    assert {hit.id for hit in found.hits} == {hit.id for hit in expected.hits}
    spans = {hit.id: hit.spans for hit in expected.hits}
    assert {hit.id: hit.spans for hit in found.hits} == spans


def test_the_queries_cover_every_kind_of_node(
    engines: tuple[Compared, SearchIndex, PostgresIndex],
) -> None:
    """The list exercises each part of the translation, and most queries match something."""
    from whoosh import query as wq

    from tui.core.search.query import parse_query

    kinds: set[str] = set()

    def walk(node: wq.Query) -> None:
        kinds.add(type(node).__name__)
        if not node.is_leaf():
            for child in node.children():
                walk(child)

    for query in QUERIES:
        walk(parse_query(query))
    assert {
        "And", "Or", "Not", "AndMaybe", "Term", "FastPhrase", "Prefix", "Wildcard",
        "FuzzyTerm", "WordPattern", "TermRange", "NumericRange", "Every",
    } <= kinds  # fmt: skip
    _, whoosh, _ = engines
    matched = sum(1 for query in QUERIES if everything(whoosh, query).total)
    assert matched >= len(QUERIES) * 0.8


@pytest.mark.parametrize("sort", ["date", "title"])
@pytest.mark.parametrize("query", ["china", "sanctions OR arctic", "tag:actor OR note:fair"])
def test_date_and_title_orders_agree(
    engines: tuple[Compared, SearchIndex, PostgresIndex], query: str, sort: str
) -> None:
    compared, whoosh, pg = engines
    infos = compared.corpus.catalogue.infos(compared.corpus.catalogue.ids())

    def keys(result: SearchResult) -> list[object]:
        if sort == "date":
            # Newest first, undated last by title; ties may come in either engine's order.
            return [
                (0, -infos[hit.id].date.toordinal(), "")  # type: ignore[union-attr]
                if infos[hit.id].date
                else (1, 0, infos[hit.id].title.casefold())
                for hit in result.hits
            ]
        return [infos[hit.id].title.casefold() for hit in result.hits]

    expected, found = everything(whoosh, query, sort), everything(pg, query, sort)
    assert keys(found) == keys(expected)
    assert keys(found) == sorted(keys(found))  # type: ignore[type-var]


def test_pages_put_together_are_the_whole_list(
    engines: tuple[Compared, SearchIndex, PostgresIndex],
) -> None:
    _, _, pg = engines
    for sort in ("score", "date", "title"):
        whole = pg.search("china", limit=1000, sort=sort)
        pieces = [
            *pg.search("china", limit=40, sort=sort).hits,
            *pg.search("china", limit=140, offset=40, sort=sort).hits,
            *pg.search("china", limit=1000, offset=140, sort=sort).hits,
        ]
        assert [hit.id for hit in pieces] == [hit.id for hit in whole.hits]
        assert pg.search("china", limit=140, offset=140, sort=sort).total == whole.total


def test_a_page_past_the_last_match_still_has_the_total(
    engines: tuple[Compared, SearchIndex, PostgresIndex],
) -> None:
    _, whoosh, pg = engines
    total = whoosh.search("china", limit=20).total
    past = pg.search("china", limit=total + 40, offset=total + 10)
    assert past.hits == ()
    assert past.total == total
    assert pg.search("zzzqqq", limit=20).total == 0


DATED = [
    "china date:2021",
    "china date:[2022-01-01 TO 2022-12-31]",
    "sanctions OR (russia date:>=2023-06-01)",
    "(tag:actor OR china) date:<2023",
]


@pytest.mark.parametrize("query", DATED)
def test_dates_beside_words_agree_led_by_either_index(
    engines: tuple[Compared, SearchIndex, PostgresIndex],
    query: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A date range beside words is led by the date index when it holds few articles and
    by the words' GIN index otherwise (``DATED_ROWS``): both must find the same."""
    from tui.core.search.pg import translate

    _, whoosh, pg = engines
    expected = everything(whoosh, query)
    assert expected.total
    for rows in (1_000_000, -1):  # the date index leads / the words lead
        monkeypatch.setattr(translate, "DATED_ROWS", rows)
        found = everything(pg, query)
        assert found.total == expected.total
        assert {hit.id: hit.spans for hit in found.hits} == {
            hit.id: hit.spans for hit in expected.hits
        }


def test_matching_agrees(engines: tuple[Compared, SearchIndex, PostgresIndex]) -> None:
    compared, whoosh, pg = engines
    among = compared.corpus.catalogue.ids()[::3] + ["not/an-article"]
    for query in ("sanctions", '"economic ties"', "annotated:yes", "NOT china"):
        assert pg.matching(query, among) == whoosh.matching(query, among)


def test_every_span_is_the_word_it_matched(
    engines: tuple[Compared, SearchIndex, PostgresIndex],
) -> None:
    """``body[start:end]`` is the match on PostgreSQL too (spans come from the body)."""
    from tui.core.search.analysis import stem

    compared, _, pg = engines
    for hit in pg.search("semiconductors OR sanctions", limit=30).hits:
        body = compared.corpus.get(hit.id).body
        assert hit.spans
        for start, end in hit.spans:
            assert stem(body[start:end]) in {"semiconductor", "sanction"}
