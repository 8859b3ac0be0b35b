"""KWIC: every match of the search, in order, paged lazily, aligned in terminal cells."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from bench.synth import make_corpus
from tui.core.analysis.kwic import (
    FIRST_CHUNK,
    Kwic,
    KwicError,
    KwicLine,
    Layout,
    keep_end,
    keep_start,
    left_words,
    right_words,
)
from tui.core.corpus.load import Corpus, load_corpus
from tui.core.search.hits import SearchResult
from tui.core.search.index import SearchIndex


@pytest.fixture
def seeds(tmp_path: Path, seeds_dir: Path) -> tuple[SearchIndex, Corpus]:
    corpus = load_corpus(seeds_dir)
    index = SearchIndex(seeds_dir, folder=tmp_path / "index")
    index.refresh(corpus)
    return index, corpus


class Counting:
    """A real index, counting the articles KWIC asks it for."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self.asked: list[int] = []

    def search(
        self,
        query: str,
        limit: int = 50,
        sort: str = "score",
        cancelled: Callable[[], bool] | None = None,
        offset: int = 0,
    ) -> SearchResult:
        self.asked.append(limit - offset)
        return self.index.search(query, limit=limit, sort=sort, cancelled=cancelled, offset=offset)


def test_every_line_is_a_span_of_the_search_in_article_order(
    seeds: tuple[SearchIndex, Corpus],
) -> None:
    index, corpus = seeds
    lines = list(Kwic(index, "russia", corpus.articles.get))
    result = index.search("russia", limit=100, sort="title")
    expected = [(hit.id, start, end) for hit in result.hits for start, end in hit.spans]
    assert [(line.article, line.start, line.end) for line in lines] == expected
    for line in lines:
        body = corpus.get(line.article).body
        assert line.keyword == body[line.start : line.end]
        assert body[: line.start].endswith(line.left) and body[line.end :].startswith(line.right)
        assert line.title == corpus.get(line.article).title


def test_date_order_is_newest_first_then_position(seeds: tuple[SearchIndex, Corpus]) -> None:
    index, corpus = seeds
    lines = list(Kwic(index, "china", corpus.articles.get, sort="date"))
    dates = [line.date or dt.date.min for line in lines if line.date]
    assert dates == sorted(dates, reverse=True)
    undated = [i for i, line in enumerate(lines) if line.date is None]
    assert undated and undated[0] > max(i for i, line in enumerate(lines) if line.date)
    for first, second in zip(lines, lines[1:], strict=False):
        if first.article == second.article:
            assert first.start < second.start


@pytest.mark.parametrize("sort", ["left", "right"])
def test_context_sorts_compare_the_nearest_words(
    seeds: tuple[SearchIndex, Corpus], sort: str
) -> None:
    index, corpus = seeds
    lines = list(Kwic(index, "china", corpus.articles.get, sort=sort))
    assert len(lines) == len(list(Kwic(index, "china", corpus.articles.get)))

    def key(line: KwicLine) -> tuple[str, ...]:
        body = corpus.get(line.article).body
        return left_words(body, line.start) if sort == "left" else right_words(body, line.end)

    keys = [key(line) for line in lines]
    assert keys == sorted(keys)
    assert len(set(keys)) > 5


def test_sort_keys_are_the_words_nearest_first() -> None:
    body = "One Two three [KEY] four, Five six seven"
    start = body.index("[KEY]")
    assert left_words(body, start) == ("three", "two", "one")
    assert right_words(body, start + 5) == ("four", "five", "six")
    assert left_words(body, 0) == ()


def test_the_first_page_reads_a_few_articles_only(tmp_path: Path) -> None:
    root = make_corpus(tmp_path / "corpus", 60, size=1200)
    corpus = load_corpus(root)
    index = SearchIndex(root, folder=tmp_path / "index")
    index.refresh(corpus)
    counting = Counting(index)
    kwic = Kwic(counting, "china OR russia", corpus.articles.get)
    page = kwic.page(0, size=3)
    assert len(page.lines) == 3 and page.has_more and not page.complete
    assert counting.asked == [FIRST_CHUNK]
    assert page.articles == index.search("china OR russia").total > FIRST_CHUNK * 4
    second = kwic.page(1, size=3)
    assert second.start == 3 and second.lines != page.lines
    whole = kwic.lines(0, 100_000)
    assert list(page.lines + second.lines) == whole[:6]
    assert kwic.complete and kwic.count() == len(whole)
    assert counting.asked[0] == FIRST_CHUNK and counting.asked == sorted(counting.asked)
    result = index.search("china OR russia", limit=1000, sort="title")
    assert len(whole) == sum(len(hit.spans) for hit in result.hits)


def test_no_match_and_bad_sort(seeds: tuple[SearchIndex, Corpus]) -> None:
    index, corpus = seeds
    page = Kwic(index, "xylophonezzz", corpus.articles.get).page(0)
    assert page.lines == () and not page.has_more and page.articles == 0
    with pytest.raises(KwicError, match="unknown KWIC sort 'words'"):
        Kwic(index, "china", corpus.articles.get, sort="words")


def _line(left: str, keyword: str, right: str, title: str = "T") -> KwicLine:
    return KwicLine(
        "a", title, dt.date(2024, 1, 2), None, 10, 10 + len(keyword), keyword, left, right
    )


WIDE = [
    _line("Beijing said 中华人民共和国外交部 that the", "sanctions", " would 🇨🇳 hurt 😀 trade"),
    _line("x", "制裁", "今天北京宣布了新的措施，涉及多家公司"),
    _line("👩‍👩‍👧 family text before the match, quite long indeed", "sanction", "ed"),
    _line(
        "",
        "Sanctions",
        "\n\nnew paragraph\twith\x1b[31m escape",
        title="标题很长很长很长很长很长很长",
    ),
]


@pytest.mark.parametrize("width", [40, 80, 120, 200])
def test_keywords_line_up_in_cells_with_wide_characters(width: int) -> None:
    layout = Layout.fit(WIDE, width)
    rows = [layout.render(line) for line in WIDE]
    for row, line in zip(rows, WIDE, strict=True):
        assert cell_len(row) == width, row
        assert "\n" not in row and "\t" not in row and "\x1b" not in row
        cells = layout.cells(line)
        before = row[: row.index(cells.keyword)]
        assert cell_len(before) == layout.keyword_column
        assert cell_len(cells.left) == layout.left and cell_len(cells.right) == layout.right
    assert layout.cells(WIDE[0]).keyword.startswith("sanctions")


def test_cuts_are_marked_and_keep_the_side_near_the_keyword() -> None:
    assert keep_end("the long left context", 8) == "…context"
    assert keep_start("right context goes on", 9) == "right co…"
    assert keep_end("短い", 7) == "   短い"
    assert keep_end("中文中文", 4) == " …文"  # a wide character never half-shown
    assert keep_start("中文中文", 4) == "中… "


@given(st.text(max_size=40), st.integers(min_value=1, max_value=30))
def test_fitted_text_is_always_exactly_the_width(text: str, cells: int) -> None:
    flat = " ".join(text.split())
    flat = "".join(c for c in flat if c.isprintable())
    assert cell_len(keep_end(flat, cells)) == cells
    assert cell_len(keep_start(flat, cells)) == cells


def test_covering_tags_are_those_of_overlapping_annotations(
    tmp_path: Path, seeds: tuple[SearchIndex, Corpus]
) -> None:
    from tui.core.analysis.batch import covering_tags
    from tui.core.annotations.store import AnnotationStore

    index, corpus = seeds
    line = next(iter(Kwic(index, "sanctions", corpus.articles.get)))
    article = corpus.get(line.article)
    store = AnnotationStore(tmp_path / "store", articles=corpus.articles.get)
    store.add(article, line.start - 5, line.start + 1, tags=["a", "b"])
    store.add(article, line.end, line.end + 5, tags=["touching"])  # shares no character
    store.add(article, line.start, line.end, tags=["b", "c"])
    assert covering_tags(line, store.anchored(article)) == ("a", "b", "c")
