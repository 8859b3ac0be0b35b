"""KWIC (keyword in context): every match of a query, one line each, to review and code.

Each line is one exact span the search found (``body[start:end]`` is the match), with
the body before and after it, and the article's title and date. A :class:`Kwic` asks the
index for the matching articles a chunk at a time (chunks double, 8 to 512 articles), so
the first page of a query with 10k matches costs a few articles, not all of them; once
the lines per article are known, the next chunk is sized to fill what was asked.
Sorting by the words left or right of the match needs every match first: that order
reads every hit once (only its sort key), then builds lines for the page asked.

The API the review screen and ``gloss kwic`` share::

    kwic = Kwic(workspace.index, "sanctions", workspace.corpus.articles.get, sort="article")
    page = kwic.page(0)                 # KwicPage: 100 lines, has_more, matching articles
    kwic.lines(100, 200)                # any slice, fetched as needed
    for line in kwic: ...               # every line (mark all, batch coding)
    layout = Layout.fit(page.lines, width=120)
    layout.cells(line)                  # KwicCells: date, title, left, keyword, right
    layout.render(line)                 # the whole line, exactly ``width`` cells

``Kwic`` is safe to use from one worker thread at a time per instance (a lock guards it).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from tui.core.errors import GlossError
from tui.core.models import Article
from tui.core.search.hits import Hit, SearchResult
from tui.core.text import WORD_RE, neutralise_controls

Sort = Literal["article", "date", "left", "right"]
SORTS: tuple[Sort, ...] = ("article", "date", "left", "right")
CONTEXT = 120
"""Characters of body kept on each side of a match (a 240-column terminal's worth)."""
PAGE_SIZE = 100
FIRST_CHUNK = 8
MAX_CHUNK = 512
SORT_WORDS = 3
"""Words a left/right sort compares, nearest to the match first."""
_KEY_WINDOW = 100
_SPACES = re.compile(r"\s+")
_ELLIPSIS = "…"
DATE_CELLS = 10
UNDATED = "undated"


class KwicError(GlossError):
    """A KWIC request that cannot be served as asked (an unknown sort)."""


class HitSource(Protocol):
    """What KWIC needs of a search index (``SearchIndex.search``)."""

    def search(
        self,
        query: str,
        limit: int = ...,
        sort: str = ...,
        cancelled: Callable[[], bool] | None = ...,
        offset: int = ...,
    ) -> SearchResult: ...


ArticleLookup = Callable[[str], Article | None]


@dataclass(frozen=True, slots=True)
class KwicLine:
    """One match in context: ``keyword`` is ``body[start:end]``; ``left`` and ``right`` are
    up to :data:`CONTEXT` characters of the body before and after it, as written."""

    article: str
    title: str
    date: dt.date | None
    source: str | None
    start: int
    end: int
    keyword: str
    left: str
    right: str

    def to_json(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "keyword": self.keyword,
            "left": self.left,
            "right": self.right,
        }


@dataclass(frozen=True, slots=True)
class KwicPage:
    """Lines ``start`` to ``start + len(lines) - 1`` of a query's KWIC.

    ``articles`` is how many articles match; ``known`` how many lines have been read so
    far (all of them once ``complete``).
    """

    lines: tuple[KwicLine, ...]
    start: int
    has_more: bool
    articles: int
    known: int
    complete: bool
    notices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Match:
    hit: Hit
    body: str
    start: int
    end: int


class Kwic:
    """The KWIC lines of one query in one order, read from the index as they are asked for."""

    def __init__(
        self,
        index: HitSource,
        query: str,
        article: ArticleLookup,
        sort: str = "article",
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        if sort not in SORTS:
            raise KwicError(f"unknown KWIC sort '{sort}': use one of {', '.join(SORTS)}")
        self.index = index
        self.query = query
        self.sort: Sort = sort
        self._article = article
        self._cancelled = cancelled
        self._matches: list[_Match] = []
        self._fetched = 0
        self._total: int | None = None
        self._chunk = FIRST_CHUNK
        self._sorted = False
        self._notices: tuple[str, ...] = ()
        self._lock = threading.RLock()

    # -- what is known ------------------------------------------------------------------

    @property
    def articles(self) -> int:
        """How many articles match the query (reads the first chunk if needed)."""
        with self._lock:
            if self._total is None:
                self._fetch()
            assert self._total is not None
            return self._total

    @property
    def complete(self) -> bool:
        """Whether every matching article has been read."""
        return self._total is not None and self._fetched >= self._total

    def count(self) -> int:
        """Every line of the query (reads all matching articles)."""
        with self._lock:
            self._need(None)
            return len(self._matches)

    # -- lines ----------------------------------------------------------------------------

    def lines(self, start: int, stop: int) -> list[KwicLine]:
        """Lines ``start`` to ``stop - 1`` in this order (fewer at the end)."""
        with self._lock:
            self._need(stop)
            return [_line(match) for match in self._matches[max(0, start) : stop]]

    def page(self, number: int, size: int = PAGE_SIZE) -> KwicPage:
        """Page ``number`` (from 0) of ``size`` lines."""
        start = max(0, number) * size
        with self._lock:
            found = self.lines(start, start + size)
            self._need(start + size + 1)
            return KwicPage(
                lines=tuple(found),
                start=start,
                has_more=len(self._matches) > start + size,
                articles=self.articles,
                known=len(self._matches),
                complete=self.complete,
                notices=self._notices,
            )

    def __iter__(self) -> Iterator[KwicLine]:
        position = 0
        while True:
            chunk = self.lines(position, position + PAGE_SIZE)
            if not chunk:
                return
            yield from chunk
            position += len(chunk)

    # -- reading the index --------------------------------------------------------------

    def _need(self, count: int | None) -> None:
        """Read until ``count`` lines are known (None: all), in the final order."""
        if self.sort in ("left", "right"):
            if not self._sorted:
                while not self._fetch():
                    pass
                self._matches.sort(key=_left_key if self.sort == "left" else _right_key)
                self._sorted = True
            return
        while (count is None or len(self._matches) < count) and not self._fetch(count):
            pass

    def _next_chunk(self, want: int | None) -> int:
        """Articles to read next: double the last chunk, or more when the lines per article
        read so far say ``want`` lines need more (a quarter more, for luck)."""
        chunk = self._chunk
        if want is not None and self._fetched and self._matches:
            per_article = len(self._matches) / self._fetched
            missing = want - len(self._matches)
            chunk = max(chunk, math.ceil(missing / per_article * 1.25))
        return min(chunk, MAX_CHUNK)

    def _fetch(self, want: int | None = None) -> bool:
        """Read the next chunk of matching articles; True once every one has been read."""
        if self.complete:
            return True
        # left/right re-sort everything read: relevance order is the cheapest to read.
        order = {"article": "title", "date": "date"}.get(self.sort, "score")
        offset = self._fetched
        chunk = self._next_chunk(want)
        result = self.index.search(
            self.query,
            limit=offset + chunk,
            sort=order,
            cancelled=self._cancelled,
            offset=offset,
        )
        if self._total is None:
            self._notices = result.notices
        self._total = result.total
        if not result.hits:  # the index changed under us: what we have is all there is
            self._total = self._fetched
            return True
        for hit in result.hits:
            article = self._article(hit.id)
            if article is None:
                continue
            body = article.body
            self._matches.extend(
                _Match(hit, body, start, end)
                for start, end in hit.spans
                if 0 <= start < end <= len(body)
            )
        self._fetched += len(result.hits)
        self._chunk = min(chunk * 2, MAX_CHUNK)
        return self.complete


def _line(match: _Match) -> KwicLine:
    body, start, end = match.body, match.start, match.end
    hit = match.hit
    return KwicLine(
        article=hit.id,
        title=hit.title,
        date=hit.date,
        source=hit.source,
        start=start,
        end=end,
        keyword=body[start:end],
        left=body[max(0, start - CONTEXT) : start],
        right=body[end : end + CONTEXT],
    )


def left_words(body: str, start: int) -> tuple[str, ...]:
    """The words just before ``start``, nearest first, case-folded (the left sort key)."""
    words = WORD_RE.findall(body, max(0, start - _KEY_WINDOW), start)
    return tuple(word.casefold() for word in reversed(words[-SORT_WORDS:]))


def right_words(body: str, end: int) -> tuple[str, ...]:
    """The words just after ``end``, nearest first, case-folded (the right sort key)."""
    words = WORD_RE.findall(body, end, end + _KEY_WINDOW)
    return tuple(word.casefold() for word in words[:SORT_WORDS])


def _left_key(match: _Match) -> tuple[str, ...]:
    return left_words(match.body, match.start)


def _right_key(match: _Match) -> tuple[str, ...]:
    return right_words(match.body, match.end)


# -- laying lines out in terminal cells ------------------------------------------------


@dataclass(frozen=True, slots=True)
class KwicCells:
    """One line's columns, each exactly its column's width in terminal cells."""

    date: str
    title: str
    left: str
    keyword: str
    right: str


@dataclass(frozen=True, slots=True)
class Layout:
    """Column widths (terminal cells) for KWIC lines at one width.

    The keyword column is as wide as the widest keyword of the lines it was fitted to
    (up to a third of the context), so every keyword starts in the same column and every
    right context after it; wide (CJK) characters and emoji count two cells.
    """

    width: int
    date: int
    title: int
    left: int
    keyword: int
    right: int

    GAP = 1
    META_GAP = 2

    @classmethod
    def fit(cls, lines: Sequence[KwicLine], width: int, meta: bool = True) -> Layout:
        """Columns for ``lines`` in ``width`` cells; title and date go first when there is
        room (``meta=False``: never)."""
        from rich.cells import cell_len

        width = max(width, 9)
        date = title = 0
        if meta and width >= 60:
            date = DATE_CELLS
            title = max(10, min(40, width // 5))
        meta_cells = (date + cls.GAP + title + cls.META_GAP) if title else 0
        context = width - meta_cells
        widest = max((cell_len(_flat(line.keyword)) for line in lines), default=1)
        keyword = max(1, min(widest, max(3, context // 3)))
        sides = context - keyword - 2 * cls.GAP
        left = sides // 2
        return cls(width, date, title, left, keyword, sides - left)

    def cells(self, line: KwicLine) -> KwicCells:
        date = line.date.isoformat() if line.date else UNDATED
        return KwicCells(
            date=keep_start(date, self.date) if self.date else "",
            title=keep_start(_flat(line.title), self.title) if self.title else "",
            # One gap between the contexts and the keyword column, whatever the spacing.
            left=keep_end(_flat(line.left).rstrip(), self.left),
            keyword=keep_start(_flat(line.keyword), self.keyword),
            right=keep_start(_flat(line.right).lstrip(), self.right),
        )

    @property
    def keyword_column(self) -> int:
        """The cell where every keyword starts."""
        meta = (self.date + self.GAP + self.title + self.META_GAP) if self.title else 0
        return meta + self.left + self.GAP

    def render(self, line: KwicLine) -> str:
        """The line as text: exactly ``width`` cells (fewer only if ``width`` < 9)."""
        cells = self.cells(line)
        gap = " " * self.GAP
        context = gap.join((cells.left, cells.keyword, cells.right))
        if not self.title:
            return context
        return f"{cells.date}{gap}{cells.title}{' ' * self.META_GAP}{context}"


def _flat(text: str) -> str:
    """One line of text safe for a terminal: whitespace runs as one space, controls visible."""
    return neutralise_controls(_SPACES.sub(" ", text))


def keep_start(text: str, cells: int) -> str:
    """``text`` cut to ``cells`` terminal cells from its start (``…`` at a cut), padded."""
    from rich.cells import cell_len, set_cell_size

    if cells <= 0:
        return ""
    if cell_len(text) <= cells:
        return set_cell_size(text, cells)
    return set_cell_size(set_cell_size(text, cells - 1).rstrip() + _ELLIPSIS, cells)


def keep_end(text: str, cells: int) -> str:
    """``text`` cut to ``cells`` cells from its end (``…`` at a cut), padded on the left."""
    from rich.cells import cell_len

    if cells <= 0:
        return ""
    size = cell_len(text)
    if size > cells:
        # The shortest cut from the left that fits beside the ellipsis (cell_len grows
        # with the text kept, so a binary search finds it).
        low, high = 0, len(text)
        while low < high:
            middle = (low + high) // 2
            if cell_len(text[middle:]) <= cells - 1:
                high = middle
            else:
                low = middle + 1
        text = _ELLIPSIS + text[low:].lstrip()
        size = cell_len(text)
    return " " * (cells - size) + text
