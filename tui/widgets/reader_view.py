"""ReaderView: the article body in a read-only TextArea, with painted spans.

Gloss stores every position as a ``str`` offset into ``Article.body``. This widget keeps
the document text the same length as the body (control characters and Unicode line
separators are replaced one character for one), so an offset maps to exactly one
(row, column). Spans are bucketed by row once, and ``get_line`` paints only the row it
is asked for, so repainting costs the visible lines, not the article.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.message import Message
from textual.widgets import TextArea
from textual.widgets.text_area import Location, Selection

from tui.core.annotations.navigation import word_left, word_right
from tui.core.models import Span
from tui.display import display_text

ANNOTATION_TINT = 0.45
"""How much of a tag's colour shows through behind annotated text."""


@dataclass(frozen=True, slots=True)
class Mark:
    """An annotation as painted: its span in body offsets and the colour of its tag."""

    start: int
    end: int
    colour: str | None


# A row's paint: (start column, end column, style key). Style keys are component
# class names, or ("tag", colour) for annotations; they resolve lazily so a theme
# change repaints without rebuilding the rows.
_StyleKey = str | tuple[str, str | None]
_RowPaint = list[tuple[int, int, _StyleKey]]


_READ_ACTIONS = ("cursor_", "select_line", "select_all", "copy")


class ReaderView(TextArea, inherit_bindings=False):
    """A read-only pane over one article body that paints matches and annotations."""

    class Loaded(Message):
        """The body is in the pane, wrapped at its width: the next frame paints it."""

    # Only TextArea's moving, selecting and copying keys: its editing keys do nothing
    # here and would clutter the help screen.
    BINDINGS: ClassVar[list[BindingType]] = [
        binding
        for binding in TextArea.BINDINGS
        if isinstance(binding, Binding) and binding.action.startswith(_READ_ACTIONS)
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = TextArea.COMPONENT_CLASSES | {
        "reader-view--boilerplate",
        "reader-view--match",
        "reader-view--annotation",
        "reader-view--overlap",
    }

    DEFAULT_CSS = """
    ReaderView {
        border: none;
        padding: 0 1;
        overflow-y: scroll;
        &:focus { border: none; }
        & > .reader-view--boilerplate { color: $text-muted; text-style: italic; }
        & > .reader-view--match { background: $warning 45%; color: $text; text-style: bold; }
        & > .reader-view--annotation { background: $accent 40%; }
        & > .reader-view--overlap { text-style: bold underline; }
    }
    """

    def __init__(
        self,
        body: str,
        *,
        boilerplate: Sequence[Span] = (),
        opening: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``opening``: shown in the empty pane until the body is in (a long one takes a
        moment to wrap), e.g. ``Opening “Title” (500 KB)…``."""
        # The text is loaded once the pane knows its width (see on_resize): TextArea
        # wraps on every document change and resize, and a 500 KB body wrapped at the
        # placeholder width while the screen is built costs as much as the real wrap.
        super().__init__(
            "",
            read_only=True,
            soft_wrap=True,
            show_line_numbers=False,
            highlight_cursor_line=False,
            tab_behavior="focus",
            placeholder=opening,
            name=name,
            id=id,
            classes=classes,
        )
        self._pending_text: str | None = display_text(body)
        self._text: tuple[object, str] | None = None
        """(document, its text): see :attr:`text`."""
        self.body_length = len(body)
        self.select_mode = False
        """`v` mode: cursor movements extend the selection instead of moving it."""
        self._line_starts = _line_starts(body)
        self._boilerplate: tuple[Span, ...] = tuple(boilerplate)
        self._matches: tuple[Span, ...] = ()
        self._marks: tuple[Mark, ...] = ()
        self._rows: dict[int, _RowPaint] = {}
        self._styles: dict[_StyleKey, Style] = {}
        self._rebuild_rows()

    def on_resize(self, event: events.Resize) -> None:
        if self._pending_text is not None:
            self.load_pending_text()  # wraps at this width already:
            event.prevent_default()  # TextArea's own resize handler would wrap it again

    def load_pending_text(self) -> None:
        """Load the body into the TextArea, once: at its first size, or when first needed."""
        if self._pending_text is not None:
            text, self._pending_text = self._pending_text, None
            self.placeholder = ""  # an empty article shows nothing, not "Opening"
            self.load_text(text)
            self.post_message(self.Loaded())

    @property
    def loaded(self) -> bool:
        """The body is in the pane (False until it has its first size)."""
        return self._pending_text is None

    @property
    def text(self) -> str:
        """The whole text, joined once per document (this pane never edits it).

        TextArea asks for it on every row it renders (to know whether to show its
        placeholder): joining a 500 KB document each time cost ~0.3 ms a row, ~12 ms a
        frame.
        """
        document = self.document
        if self._text is None or self._text[0] is not document:
            self._text = (document, document.text)
        return self._text[1]

    @text.setter
    def text(self, value: str) -> None:
        self.load_text(value)

    def show_body(self, body: str, boilerplate: Sequence[Span] = ()) -> None:
        """Show a new text (the article changed on disk); spans of the old one are dropped."""
        self._pending_text = None
        self.load_text(display_text(body))
        self.body_length = len(body)
        self._line_starts = _line_starts(body)
        self._boilerplate = tuple(boilerplate)
        self._matches = ()
        self._marks = ()
        self._repaint()

    # --- offsets <-> locations -------------------------------------------------------

    def location_of(self, offset: int) -> Location:
        """(row, column) of a body offset; bisect over line starts, O(log lines).

        Same answer as ``document.get_location_from_index``, which scans every line and
        joins the whole text per call: too slow to place hundreds of spans in 500 KB.
        """
        offset = max(0, min(offset, self.body_length))
        row = bisect_right(self._line_starts, offset) - 1
        return row, offset - self._line_starts[row]

    def offset_of(self, location: Location) -> int:
        """The body offset of a (row, column) location."""
        row, column = location
        row = max(0, min(row, len(self._line_starts) - 1))
        return self._line_starts[row] + column

    def selected_span(self) -> Span | None:
        """The selection as a sorted body span, or None when nothing is selected."""
        start, end = sorted(self.selection)
        if start == end:
            return None
        return self.offset_of(start), self.offset_of(end)

    @property
    def cursor_offset(self) -> int:
        return self.offset_of(self.cursor_location)

    def select_span(self, start: int, end: int) -> None:
        """Select a body span and bring it to the middle of the pane."""
        self.load_pending_text()
        self.select_mode = False
        self.selection = Selection(self.location_of(start), self.location_of(end))
        self.scroll_cursor_visible(center=True)

    # --- painting ----------------------------------------------------------------------

    def set_matches(self, spans: Iterable[Span]) -> None:
        """Paint these search-match spans (body offsets)."""
        self._matches = tuple(spans)
        self._repaint()

    def set_marks(self, marks: Iterable[Mark]) -> None:
        """Paint these annotations; each tints its span with its tag colour."""
        self._marks = tuple(marks)
        self._repaint()

    def _repaint(self) -> None:
        self._rebuild_rows()
        self.notify_style_update()
        self.refresh()

    def _rebuild_rows(self) -> None:
        """Bucket every span by the rows it touches; later entries paint on top."""
        rows: dict[int, _RowPaint] = {}
        for start, end in self._boilerplate:
            self._bucket(rows, start, end, "reader-view--boilerplate")
        # Matches under annotations: a tag's tint wins, the match stays bold on it.
        for start, end in self._matches:
            self._bucket(rows, start, end, "reader-view--match")
        # Longest annotations first, so a short one nested in a long one stays visible.
        marks = sorted(self._marks, key=lambda m: m.start - m.end)
        for mark in marks:
            self._bucket(rows, mark.start, mark.end, ("tag", mark.colour))
        for start, end in _overlaps([(m.start, m.end) for m in self._marks]):
            self._bucket(rows, start, end, "reader-view--overlap")
        self._rows = rows

    def _bucket(self, rows: dict[int, _RowPaint], start: int, end: int, key: _StyleKey) -> None:
        if end <= start:
            return
        first_row, first_col = self.location_of(start)
        last_row, last_col = self.location_of(end)
        for row in range(first_row, last_row + 1):
            col_start = first_col if row == first_row else 0
            col_end = last_col if row == last_row else self._row_length(row)
            if col_end > col_start:
                rows.setdefault(row, []).append((col_start, col_end, key))

    def _row_length(self, row: int) -> int:
        if row + 1 < len(self._line_starts):
            return self._line_starts[row + 1] - self._line_starts[row] - 1
        return self.body_length - self._line_starts[row]

    def notify_style_update(self) -> None:
        """Theme or CSS changed (or spans did): resolve styles afresh."""
        self._styles = {}
        super().notify_style_update()

    def _style(self, key: _StyleKey) -> Style:
        style = self._styles.get(key)
        if style is None:
            style = self._resolve_style(key)
            self._styles[key] = style
        return style

    def _resolve_style(self, key: _StyleKey) -> Style:
        if isinstance(key, str):
            partial = key == "reader-view--overlap"
            return self.get_component_rich_style(key, partial=partial)
        colour = key[1]
        try:
            tint = Color.parse(colour) if colour else None
        except Exception:  # a codebook colour Textual cannot read: use the theme's
            tint = None
        if tint is None:
            return self.get_component_rich_style("reader-view--annotation")
        background = self.background_colors[1]
        return Style(bgcolor=background.blend(tint, ANNOTATION_TINT).rich_color)

    def get_line(self, line_index: int) -> Text:
        """The row's text with its spans painted (called only for visible rows)."""
        line = super().get_line(line_index)
        for start, end, key in self._rows.get(line_index, ()):
            line.stylize(self._style(key), start, end)
        return line

    # --- keyboard selection ----------------------------------------------------------

    def action_cursor_left(self, select: bool = False) -> None:
        super().action_cursor_left(select or self.select_mode)

    def action_cursor_right(self, select: bool = False) -> None:
        super().action_cursor_right(select or self.select_mode)

    def action_cursor_up(self, select: bool = False) -> None:
        super().action_cursor_up(select or self.select_mode)

    def action_cursor_down(self, select: bool = False) -> None:
        super().action_cursor_down(select or self.select_mode)

    def action_cursor_word_left(self, select: bool = False) -> None:
        super().action_cursor_word_left(select or self.select_mode)

    def action_cursor_word_right(self, select: bool = False) -> None:
        super().action_cursor_word_right(select or self.select_mode)

    def action_cursor_line_start(self, select: bool = False) -> None:
        super().action_cursor_line_start(select or self.select_mode)

    def action_cursor_line_end(self, select: bool = False) -> None:
        super().action_cursor_line_end(select or self.select_mode)

    def get_cursor_word_left_location(self) -> Location:
        """ctrl+left: an apostrophe inside a word (Moscow's) does not end it."""
        row, column = self.cursor_location
        if row > 0 and column == 0:
            return row - 1, len(self.document[row - 1])
        return row, word_left(self.document[row], column)

    def get_cursor_word_right_location(self) -> Location:
        """ctrl+right: an apostrophe inside a word (Moscow's) does not end it."""
        row, column = self.selection.end
        line = self.document[row]
        if row < self.document.line_count - 1 and column == len(line):
            return row + 1, 0
        return row, word_right(line, column)

    def go_to_end(self, last: bool) -> None:
        """The cursor to the first line's start (or the last line's end), scrolled there;
        extends the selection in `v` mode."""
        self.load_pending_text()
        target = self.document.end if last else (0, 0)
        self.move_cursor(target, select=self.select_mode)
        self.scroll_cursor_visible()

    def start_selection(self) -> None:
        """Anchor a selection; movements now extend it.

        A selection already there (a search match just selected) is kept and extended
        from its start, so `v` after `n` grows the match instead of dropping it.
        """
        start, end = sorted(self.selection)
        self.select_mode = True
        if start != end:
            self.selection = Selection(start, end)
        else:
            self.selection = Selection.cursor(self.cursor_location)

    def end_selection(self) -> None:
        """Leave `v` mode, keeping what was selected."""
        self.select_mode = False


def _line_starts(body: str) -> list[int]:
    starts = [0]
    index = body.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = body.find("\n", index + 1)
    return starts


def _overlaps(spans: Sequence[Span]) -> list[Span]:
    """The ranges covered by two or more spans, merged."""
    events: list[tuple[int, int]] = []
    for start, end in spans:
        if end > start:
            events.append((start, 1))
            events.append((end, -1))
    events.sort(key=lambda event: (event[0], event[1]))
    result: list[Span] = []
    depth = 0
    opened = 0
    for position, delta in events:
        before = depth
        depth += delta
        if before < 2 <= depth:
            opened = position
        elif before >= 2 > depth and position > opened:
            if result and result[-1][1] == opened:
                result[-1] = (result[-1][0], position)
            else:
                result.append((opened, position))
    return result
