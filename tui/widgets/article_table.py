"""The library's table: one row per article, or per search hit with its snippet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from tui.core.models import ArticleInfo, Span
from tui.core.ordering import sort_items
from tui.display import one_line

if TYPE_CHECKING:
    from tui.core.search.hits import Hit

Column = Literal["title", "date", "source", "words", "notes"]
COLUMNS: tuple[tuple[Column, str], ...] = (
    ("title", "Title"),
    ("date", "Date"),
    ("source", "Source"),
    ("words", "Words"),
    ("notes", "Annots"),
)
_FIXED = {"date": 10, "words": 6, "notes": 6}
_SOURCE_MIN, _SOURCE_MAX, _TITLE_MIN = 8, 24, 16
NEAR_END_ROWS = 10
"""The cursor this close to the last row, or the view a screen from it, asks for more."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A row: an article, its annotation count, and the search hit that found it (if any).

    It exposes the article's sortable attributes so ``tui.core.ordering.sort_items``
    orders rows exactly as the CLI orders articles.
    """

    article: ArticleInfo
    notes: int = 0
    """Its annotations (the "Annots" column)."""
    snippet: str = ""
    snippet_spans: tuple[Span, ...] = ()
    spans: tuple[Span, ...] = ()
    is_hit: bool = False
    review: int = 0
    """Its annotations that are fuzzy, orphaned or missing: marked ``!`` in the column."""

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def title(self) -> str:
        return self.article.title

    @property
    def date(self) -> dt.date | None:
        return self.article.date

    @property
    def source(self) -> str | None:
        return self.article.source

    @property
    def words(self) -> int:
        return self.article.words


def hit_entries(
    hits: Sequence[Hit],
    infos: Mapping[str, ArticleInfo],
    notes: Mapping[str, int],
    review: Mapping[str, int],
) -> list[Entry]:
    """A row per hit whose article the catalogue still has, with its snippet and spans."""
    return [
        Entry(
            infos[hit.id],
            notes.get(hit.id, 0),
            hit.snippet,
            tuple(hit.snippet_spans),
            tuple(hit.spans),
            True,
            review.get(hit.id, 0),
        )
        for hit in hits
        if hit.id in infos
    ]


def filtered(entries: list[Entry], needle: str) -> list[Entry]:
    """The rows whose title, source or id holds ``needle`` (case-folded), as the
    catalogue filters pages."""
    folded = needle.strip().casefold()
    if not folded:
        return entries
    return [e for e in entries if folded in f"{e.title}\0{e.source or ''}\0{e.id}".casefold()]


def sorted_entries(entries: list[Entry], key: Column | None, reverse: bool) -> list[Entry]:
    """Rows sorted in Python (hits, or the articles to review), as SQL sorts pages."""
    if key == "notes":
        entries.sort(key=lambda e: -e.notes)
    elif key is not None:
        entries = sort_items(entries, key)
    if reverse:
        # Reverse the values only: rows without one (undated…) stay at the end.
        present = [e for e in entries if key is None or getattr(e, key) not in (None, "")]
        entries = present[::-1] + entries[len(present) :]
    return entries


def row_height(entry: Entry) -> int:
    """A hit takes two lines (title, then snippet); an article one."""
    return 2 if entry.is_hit else 1


def focus_snippet(snippet: str, spans: Sequence[Span], width: int) -> tuple[str, list[Span]]:
    """Drop the snippet's start (marked with an ellipsis) so its first match fits ``width``."""
    if not spans or spans[0][1] <= width - 1:
        return snippet, list(spans)
    cut = max(0, spans[0][0] - width // 4)
    space = snippet.find(" ", cut, spans[0][0])
    if space != -1:
        cut = space + 1  # start on a whole word
    shift = cut - 1
    return "…" + snippet[cut:], [(s - shift, e - shift) for s, e in spans if s >= cut]


class ArticleTable(DataTable[Text]):
    """Articles or hits; columns fit the width, long text ends with an ellipsis.

    A DataTable lays out every row it holds (a second for 10k), so the screen gives it a
    page at a time: ``NearEnd`` says the user has reached the last rows, ``extend`` adds.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Rows fit the width, so home/end go to the first/last row, not column.
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]

    class NearEnd(Message):
        """The cursor or the view reached the last rows: the screen may ``extend`` them."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-table--match",
        "article-table--snippet",
        "article-table--missing",
        "article-table--review",
    }
    DEFAULT_CSS = """
    ArticleTable {
        scrollbar-size-vertical: 1;
        & > .article-table--match { background: $warning 45%; text-style: bold; }
        & > .article-table--snippet { color: $text-muted; }
        & > .article-table--missing { color: $text-disabled; }
        & > .article-table--review { color: $text-warning; text-style: bold; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._entries: Sequence[Entry] = ()
        self._sorted_by: Column | None = None
        self._reverse = False
        self._width = 0
        self._asked_at = -1
        """How many rows there were when NearEnd was last posted: once per page."""
        self._lines = 0
        """Lines the rows take (a hit takes two): ``virtual_size`` lags until a refresh."""

    @property
    def entries(self) -> Sequence[Entry]:
        return self._entries

    @property
    def current(self) -> Entry | None:
        """The entry under the cursor, if the table has rows."""
        if not self._entries or self.cursor_row >= len(self._entries):
            return None
        return self._entries[self.cursor_row]

    def show(self, entries: Sequence[Entry], sorted_by: Column | None, reverse: bool) -> None:
        """Replace the rows, keeping the cursor on the same article when it is still there.

        Rows that only add to the end of those shown (a further page of hits) are
        appended: rebuilding a few thousand rows would block the UI for a quarter second.
        """
        held = self._entries
        if (
            (sorted_by, reverse) == (self._sorted_by, self._reverse)
            and 0 < len(held) < len(entries)
            and list(entries[: len(held)]) == list(held)
        ):
            self.extend(entries[len(held) :])
            return
        keep = self.current.id if self.current else None
        self._entries = entries
        self._sorted_by, self._reverse = sorted_by, reverse
        self._asked_at = -1
        self._lines = sum(map(row_height, entries))
        self._rebuild(keep)

    def extend(self, more: Sequence[Entry]) -> None:
        """Add rows after the last, leaving the cursor and the view where they are."""
        self._entries = [*self._entries, *more]
        self._lines += sum(map(row_height, more))
        if self._width:  # else the first resize builds every row
            self._add_rows(more)

    def _add_rows(self, entries: Sequence[Entry]) -> None:
        styles, title_width = self._styles(), self._widths()["title"]
        for entry in entries:
            cells = self._cells(entry, styles, title_width)
            self.add_row(*cells, key=entry.id, height=row_height(entry))

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        self._check_near_end()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._check_near_end()

    def _check_near_end(self) -> None:
        rows = len(self._entries)
        if not rows or self._asked_at == rows:
            return
        near_cursor = self.cursor_row >= rows - NEAR_END_ROWS
        near_view = self.scroll_y + 2 * self.size.height >= self._lines
        if near_cursor or near_view:
            self._asked_at = rows
            self.post_message(self.NearEnd())

    def on_mount(self) -> None:
        # Cells hold styles resolved from the theme: a new theme needs new cells.
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: object) -> None:
        self._rebuild(self.current.id if self.current else None)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._rebuild(self.current.id if self.current else None)

    def _styles(self) -> dict[str, Style]:
        """The component styles as the theme resolves them.

        Translucent theme colours (``$text-muted``) only blend right in the full style,
        so take that; keep the match's own background, drop the others' so the cursor
        row's background shows through.
        """
        styles: dict[str, Style] = {}
        for name in ("match", "snippet", "missing", "review"):
            full = self.get_component_rich_style(f"article-table--{name}")
            if name != "match":
                full = Style(color=full.color, bold=full.bold, italic=full.italic)
            styles[name] = full
        return styles

    def _widths(self) -> dict[Column, int]:
        # Each column is padded by one cell each side; the vertical scrollbar takes one.
        available = self.size.width - 1 - 2 * len(COLUMNS) - sum(_FIXED.values())
        source = max(_SOURCE_MIN, min(_SOURCE_MAX, (available - _TITLE_MIN) // 3))
        title = max(_TITLE_MIN, available - source)
        return {"title": title, "source": source, **_FIXED}  # type: ignore[dict-item]

    def _rebuild(self, keep: str | None) -> None:
        self._width = self.size.width
        if not self._width:
            return
        widths = self._widths()
        was_at, scrolled = self.cursor_row, self.scroll_y
        self.clear(columns=True)
        for key, label in COLUMNS:
            # Dates and counts sort newest/largest first (tui.core.ordering): a down arrow.
            descending = (key in ("date", "words", "notes")) != self._reverse
            arrow = ("▼" if descending else "▲") if key == self._sorted_by else ""
            header = Text(label + arrow, no_wrap=True, overflow="ellipsis")
            if key in ("words", "notes"):
                header.justify = "right"
            self.add_column(header, width=widths[key], key=key)
        self._add_rows(self._entries)
        if not self._entries:
            return
        cursor = next((i for i, entry in enumerate(self._entries) if entry.id == keep), 0)
        if cursor == was_at and self._entries[cursor].id == keep:
            # The same row under the cursor (a redraw for a store change, a new page of
            # hits): keep the view where the user scrolled it, wheel or keys.
            self.move_cursor(row=cursor, animate=False, scroll=False)
            self.call_after_refresh(self.scroll_to, y=scrolled, animate=False)
        else:
            self.move_cursor(row=cursor, animate=False)

    @staticmethod
    def _cells(entry: Entry, styles: dict[str, Style], title_width: int) -> list[Text]:
        def cell(value: Any, justify: Literal["left", "right"] = "left") -> Text:
            if value in (None, ""):
                return Text("—", style=styles["missing"], justify=justify, no_wrap=True)
            return Text(one_line(str(value)), justify=justify, no_wrap=True, overflow="ellipsis")

        title = cell(entry.title)
        if entry.is_hit:
            text, spans = focus_snippet(one_line(entry.snippet), entry.snippet_spans, title_width)
            snippet = Text(text, style=styles["snippet"])
            for start, end in spans:
                snippet.stylize(styles["match"], start, end)
            title = Text.assemble(title, "\n", snippet, no_wrap=True, overflow="ellipsis")
        date = entry.date.isoformat() if entry.date else None
        return [
            title,
            cell(date),
            cell(entry.source),
            cell(f"{entry.words:,}", "right"),
            notes(entry, styles) if entry.notes else cell(None, "right"),
        ]

    def select_article(self, article_id: str) -> bool:
        """Put the cursor on an article's row; False when it is not shown."""
        try:
            row = self.get_row_index(article_id)
        except RowDoesNotExist:
            return False
        self.move_cursor(row=row, animate=False)
        return True


def notes(entry: Entry, styles: dict[str, Style]) -> Text:
    """The annotation count; ``!`` before it when some need review (fuzzy, orphaned)."""
    count = Text(str(entry.notes), justify="right", no_wrap=True)
    if entry.review:
        count = Text.assemble(("!", styles["review"]), " ", count, justify="right", no_wrap=True)
    return count


__all__ = [
    "COLUMNS",
    "ArticleTable",
    "Column",
    "Entry",
    "filtered",
    "hit_entries",
    "focus_snippet",
    "row_height",
    "sorted_entries",
]
