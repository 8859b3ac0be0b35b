"""Review (KWIC): every match of a query, one line each, to mark and code in one go.

Lines come from :class:`~tui.core.analysis.kwic.Kwic` a page at a time in a thread
worker (a query with 10k matches shows its first page at once; scrolling near the end
reads the next); only the articles of a page are read, with ``corpus.get``. Tagging the
marked lines goes through the core's batch code (:mod:`tui.core.analysis.batch`): one
annotation per match, one operation in the op log, so one `u` takes it all back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Header
from textual.worker import get_current_worker

from tui.core.analysis.batch import apply_batch, covering_tags, plan_batch
from tui.core.analysis.kwic import SORTS, Kwic, KwicLine, KwicPage, Layout
from tui.core.annotations.store import NothingToUndo
from tui.core.errors import GlossError
from tui.display import plural
from tui.keymap import REVIEW_COMMANDS, bindings
from tui.messages import Changed
from tui.screens.base import GlossScreen
from tui.widgets.key_footer import KeyFooter
from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from tui.core.annotations.model import Anchored
    from tui.dialogs.annotate import AnnotationDraft

Key = tuple[str, int, int]
"""A match: article id, start, end."""
NEAR_END = 10
"""Rows from the last loaded one at which the next page is read."""
TAGS_MIN_WIDTH = 100
"""Below this width the tags column is left out (the status line names the cursor's)."""
TAGS_CELLS = 18
MARK_CELLS = 2


def key_of(line: KwicLine) -> Key:
    return (line.article, line.start, line.end)


class ReviewScreen(GlossScreen):
    CSS_PATH = "review.tcss"
    BINDINGS: ClassVar[list[BindingType]] = bindings(REVIEW_COMMANDS)
    COMMAND_LIST = REVIEW_COMMANDS
    AUTO_FOCUS = "#kwic"

    @dataclass
    class Paged(Message):
        """A page of lines of ``kwic``, with the tags already covering each match."""

        kwic: Kwic
        page: KwicPage
        covered: dict[Key, tuple[str, ...]]

    @dataclass
    class AllRead(Message):
        """Every line of ``kwic`` (to mark them all)."""

        kwic: Kwic
        lines: list[KwicLine]

    @dataclass
    class Recovered(Message):
        """Covering tags read again after a change (tagging, undo, another process)."""

        covered: dict[Key, tuple[str, ...]]
        done: str = ""
        clear_marks: bool = False

    @dataclass
    class Failed(Message):
        error: str

    def __init__(self, query: str, sort: str = "article") -> None:
        super().__init__(id="review")
        self.search_query = query
        self.sort = sort
        self.kwic: Kwic | None = None
        self.lines: list[KwicLine] = []
        self.covered: dict[Key, tuple[str, ...]] = {}
        self.marked: dict[Key, KwicLine] = {}
        self.page: KwicPage | None = None
        self._placed: dict[str, list[Anchored]] = {}
        self._layout: Layout | None = None
        self._loading = False

    def _new_kwic(self) -> Kwic:
        workspace = self.shell.workspace
        return Kwic(
            workspace.index, self.search_query, workspace.corpus.articles.get, sort=self.sort
        )

    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable[Text | str] = DataTable(
            id="kwic", cursor_type="row", cell_padding=0, zebra_stripes=False
        )
        yield table
        yield StatusLine(id="review-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = f"Review: {self.search_query}"
        self.restart()

    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#kwic", DataTable)

    def restart(self) -> None:
        """The query from its first page, in the current order (marks are kept)."""
        self.kwic = self._new_kwic()
        self.lines = []
        self.page = None
        self._layout = None
        self.table.clear(columns=True)
        self.sub_title = f"by {self.sort}"
        self.query_one(StatusLine).show("Reading the matches…")
        self.load_page(self.kwic, 0)

    # Reading -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="kwic", exit_on_error=False)
    def load_page(self, kwic: Kwic, number: int) -> None:
        try:
            page = kwic.page(number)
        except GlossError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        if get_current_worker().is_cancelled:
            return
        self.post_message(self.Paged(kwic, page, self._covering(page.lines)))

    def _covering(self, lines: tuple[KwicLine, ...] | list[KwicLine]) -> dict[Key, tuple[str, ...]]:
        """The tags of annotations overlapping each line (a worker: reads store files)."""
        return {key_of(line): covering_tags(line, self._placed_in(line.article)) for line in lines}

    def _placed_in(self, article_id: str) -> list[Anchored]:
        found = self._placed.get(article_id)
        if found is None:
            workspace = self.shell.workspace
            try:
                found = workspace.store.anchored(workspace.corpus.get(article_id))
            except GlossError:
                found = []
            self._placed[article_id] = found
        return found

    def on_review_screen_paged(self, message: Paged) -> None:
        if message.kwic is not self.kwic:
            return
        self._loading = False
        self.page = message.page
        self.covered.update(message.covered)
        for notice in message.page.notices:
            self.notify(notice, title="Search index", markup=False)
        if self._layout is None:
            self._layout = self._fit(message.page.lines)
            self._add_columns()
        self.lines.extend(message.page.lines)
        self.table.add_rows(self._row(line) for line in message.page.lines)
        self._show_counts()

    def on_review_screen_failed(self, message: Failed) -> None:
        self._loading = False
        self.query_one(StatusLine).show(message.error, error=True)

    @on(DataTable.RowHighlighted, "#kwic")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        page = self.page
        if (
            page is not None
            and page.has_more
            and not self._loading
            and event.cursor_row >= len(self.lines) - NEAR_END
        ):
            self._loading = True
            self.load_page(self.kwic, page.start // max(1, len(page.lines)) + 1)
        self._show_counts()

    # Laying out ----------------------------------------------------------------------

    @property
    def _tags_cells(self) -> int:
        return TAGS_CELLS if self.size.width >= TAGS_MIN_WIDTH else 0

    def _fit(self, lines: tuple[KwicLine, ...]) -> Layout:
        width = self.size.width - MARK_CELLS - self._tags_cells - 2  # the scrollbar
        return Layout.fit(lines, max(width, 20))

    def _add_columns(self) -> None:
        layout = self._layout
        assert layout is not None
        heading = f"{'date':<{layout.date}} {'title':<{layout.title}}  " if layout.title else ""
        heading += f"{'left':>{layout.left}} {'match':<{layout.keyword}} right"
        self.table.add_column("", width=MARK_CELLS, key="mark")
        self.table.add_column(heading, width=layout.width, key="line")
        if self._tags_cells:
            self.table.add_column(" tags", width=self._tags_cells, key="tags")

    def _row(self, line: KwicLine) -> list[Text | str]:
        layout = self._layout
        assert layout is not None
        key = key_of(line)
        covered = self.covered.get(key, ())
        cells = layout.cells(line)
        text = Text(no_wrap=True, overflow="crop")
        if layout.title:
            text.append(cells.date, style="dim")
            text.append(" ")
            text.append(cells.title, style="italic")
            text.append("  ")
        text.append(cells.left)
        text.append(" ")
        text.append(cells.keyword, style="bold underline" if covered else "bold")
        text.append(" ")
        text.append(cells.right)
        row: list[Text | str] = [self._mark_cell(key), text]
        if self._tags_cells:
            row.append(_tags_cell(covered, self._tags_cells))
        return row

    def _mark_cell(self, key: Key) -> Text:
        return Text("■ " if key in self.marked else "  ", style="bold")

    def _redraw(self) -> None:
        """Marks and tags of every loaded row (after marking all, tagging, undo)."""
        table = self.table
        for row, line in enumerate(self.lines):
            key = key_of(line)
            table.update_cell_at(Coordinate(row, 0), self._mark_cell(key))
            if self._tags_cells:
                table.update_cell_at(
                    Coordinate(row, 2), _tags_cell(self.covered.get(key, ()), self._tags_cells)
                )
        self._show_counts()

    def _show_counts(self) -> None:
        page = self.page
        if page is None:
            return
        total = f"{page.known:,}" if page.complete else f"{page.known:,}+"
        parts = [
            f"{total} matches in {plural(page.articles, 'article')}",
            f"{len(self.marked):,} marked",
            f"by {self.sort}",
        ]
        line = self.current
        if line is not None:
            covered = self.covered.get(key_of(line), ())
            parts.append("tagged " + ", ".join(covered) if covered else "not tagged")
        self.query_one(StatusLine).show(" · ".join(parts))

    @property
    def current(self) -> KwicLine | None:
        row = self.table.cursor_row
        return self.lines[row] if 0 <= row < len(self.lines) else None

    # Actions -------------------------------------------------------------------------

    def action_mark(self) -> None:
        line = self.current
        if line is None:
            return
        key = key_of(line)
        if self.marked.pop(key, None) is None:
            self.marked[key] = line
        self.table.update_cell_at(Coordinate(self.table.cursor_row, 0), self._mark_cell(key))
        if self.table.cursor_row < len(self.lines) - 1:
            self.table.move_cursor(row=self.table.cursor_row + 1)
        self._show_counts()

    def action_mark_all(self) -> None:
        if self.marked:
            self.marked.clear()
            self._redraw()
            return
        if self.kwic is not None:
            self.query_one(StatusLine).show("Reading every match…")
            self.read_all(self.kwic)

    @work(thread=True, exclusive=True, group="kwic-all", exit_on_error=False)
    def read_all(self, kwic: Kwic) -> None:
        self.post_message(self.AllRead(kwic, list(kwic)))

    def on_review_screen_all_read(self, message: AllRead) -> None:
        if message.kwic is not self.kwic:
            return
        self.marked = {key_of(line): line for line in message.lines}
        self._redraw()

    def action_tag(self) -> None:
        from tui.dialogs.annotate import AnnotationDraft, ask_annotation

        lines = list(self.marked.values())
        if not lines and self.current is not None:
            lines = [self.current]
        if not lines:
            return
        try:
            codebook = self.shell.workspace.store.codebook().names()
        except GlossError:
            codebook = []
        heading = f"Tag {_matches(len(lines))} of {self.search_query}"
        quote = (
            lines[0].keyword if len(lines) == 1 else f"{len(lines)} matches of {self.search_query}"
        )

        def write(answer: AnnotationDraft, retry: object) -> None:
            if not answer.tags:
                self.notify("Tagging matches needs a tag.", severity="warning")
                return
            self.tag_lines(lines, answer.tags, answer.note)

        ask_annotation(self.app, quote, heading, AnnotationDraft((), ""), codebook, write)

    @work(thread=True, exclusive=True, group="review-change", exit_on_error=False)
    def tag_lines(self, lines: list[KwicLine], tags: tuple[str, ...], note: str) -> None:
        """One annotation per match lacking a tag, one op-log operation."""
        workspace = self.shell.workspace
        store, corpus = workspace.store, workspace.corpus
        plan = plan_batch(
            sorted(lines, key=key_of), tags, lambda a: store.anchored(corpus.get(a)), note
        )
        if plan.todo:
            summary = (
                f"tag {len(plan.todo)} matches of {self.search_query!r} with {', '.join(tags)}"
            )
            apply_batch(store, plan, corpus.articles.get, summary=summary)
        done = (
            f"Made {plural(len(plan.todo), 'annotation')} tagged {', '.join(tags)}; "
            f"{len(plan.skipped)} already tagged" + ("; u undoes them all" if plan.todo else "")
        )
        self._recover(done, clear_marks=True)

    def _recover(self, done: str, clear_marks: bool = False) -> None:
        self._placed.clear()
        self.post_message(self.Recovered(self._covering(self.lines), done, clear_marks))

    def on_review_screen_recovered(self, message: Recovered) -> None:
        self.covered.update(message.covered)
        if message.clear_marks:
            self.marked.clear()
        if message.done:
            self.notify(message.done, markup=False)
        # Rows are re-made: the keyword's look follows its tags too.
        cursor = self.table.cursor_row
        self.table.clear()
        self.table.add_rows(self._row(line) for line in self.lines)
        self.table.move_cursor(row=cursor)
        self._show_counts()

    def action_undo(self) -> None:
        self._replay(undo=True)

    def action_redo(self) -> None:
        self._replay(undo=False)

    @work(thread=True, exclusive=True, group="review-change", exit_on_error=False)
    def _replay(self, undo: bool) -> None:
        store = self.shell.workspace.store
        try:
            op = store.undo() if undo else store.redo()
        except NothingToUndo as answer:
            self.app.call_from_thread(self.notify, str(answer), severity="warning", markup=False)
            return
        self._recover(f"{'Undone' if undo else 'Redone'}: {op.summary}")

    def action_open_line(self) -> None:
        line = self.current
        if line is not None:
            self.shell.open_reader(
                line.article, query=self.search_query, spans=[(line.start, line.end)]
            )

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.restart()

    def on_resize(self) -> None:
        if self._layout is not None and self.lines:
            self._layout = None
            self.table.clear(columns=True)
            self._layout = self._fit(tuple(self.lines[:100]))
            self._add_columns()
            self.table.add_rows(self._row(line) for line in self.lines)

    def on_changed(self, message: Changed) -> None:
        """Annotations changed elsewhere (the reader, another process): show their tags."""
        if message.corpus is not None:
            self.restart()
        elif message.annotations and any(a in self._placed for a in message.annotations):
            self.refresh_tags()

    @work(thread=True, exclusive=True, group="review-tags", exit_on_error=False)
    def refresh_tags(self) -> None:
        self._recover("")


def _matches(count: int) -> str:
    return f"{count:,} match{'' if count == 1 else 'es'}"


def _tags_cell(tags: tuple[str, ...], cells: int) -> Text:
    text = Text(" " + ", ".join(tags), no_wrap=True, overflow="ellipsis")
    text.truncate(cells, overflow="ellipsis")
    return text


__all__ = ["ReviewScreen"]
