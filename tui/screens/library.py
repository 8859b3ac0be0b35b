"""The library: the main screen. Lists the corpus, searches it as you type, opens articles.

What it lists comes from the app: the load job (tui/jobs.py) reads the corpus and
indexes it, the watcher (tui/watcher.py) tells it of files changed on disk; the screen
counts annotations per article itself, in a worker, whenever the store changed.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Header, Input
from textual.worker import get_current_worker

from tui.core.errors import GlossError
from tui.display import display_path, plural
from tui.keymap import LIBRARY_COMMANDS, bindings
from tui.messages import Changed, CorpusLoaded, Indexed
from tui.screens.base import GlossScreen
from tui.widgets.article_table import (
    COLUMNS,
    ArticleTable,
    Column,
    Entry,
    filtered,
    hit_entries,
    sorted_entries,
)
from tui.widgets.key_footer import KeyFooter
from tui.widgets.search_box import SearchBox
from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from tui.app import GlossApp
    from tui.core.corpus.load import Corpus  # the corpus modules load after the first paint
    from tui.core.search.hits import Hit

# Whoosh and the store load in workers, after the first paint.

PAGES = (20, 100)
"""Hits fetched per query: a screenful first (fast on every keystroke), then more to scroll;
scrolling to the last hit fetches another 100."""
HITS_PAINT_WAIT = 0.25
"""Seconds a search waits for its first page to be painted before fetching the next."""
LIST_PAGE = 500
REVIEW_FILTER = "!"
"""Typed alone in the filter: only the articles whose annotations need review (the ``!``
the Annots column marks them with)."""
"""Rows listed at a time without a query: scrolling to the last adds the next page."""
FIRST_FRAME_WAIT = 0.1
"""The first frame waits this long for the corpus: a small one then appears at once, whole,
instead of a "Reading" frame and a second layout (which, on two cores, the reading thread
slows: it waits for the GIL after every file it opens). A big corpus is shown when read."""
MAX_REPORTS = 3
"""Unreadable files named one by one; beyond that, one notification says how many."""
SORTS: tuple[Column | None, ...] = (None, *(key for key, _ in COLUMNS))


class LibraryScreen(GlossScreen):
    CSS_PATH = "library.tcss"
    BINDINGS: ClassVar[list[BindingType]] = bindings(LIBRARY_COMMANDS)
    COMMAND_LIST = LIBRARY_COMMANDS
    AUTO_FOCUS = "#articles"

    @dataclass
    class Searched(Message):
        """The hits of ``query`` found so far (its first page came in ``seconds``)."""

        query: str
        hits: Sequence[Hit]
        total: int
        suggestion: str | None
        seconds: float

    @dataclass
    class SearchFailed(Message):
        """``query`` cannot be read; ``error`` says why, in one line."""

        query: str
        error: str

    @dataclass
    class NotesCounted(Message):
        """Annotations per article, and those of them that need review."""

        notes: dict[str, int]
        review: dict[str, int]

    def __init__(self) -> None:
        super().__init__(id="library")
        self.corpus: Corpus | None = None
        self.index_ready = False
        self._hits_painted = threading.Event()
        self.notes: dict[str, int] = {}
        self.review: dict[str, int] = {}
        """Per article, its fuzzy, orphaned or missing annotations (marked in the table)."""
        self.hits: LibraryScreen.Searched | None = None
        self._matching = 0
        """Rows the list (or the hits) has in all, filter applied; the table holds a first
        part of them."""
        # Listing and searching keep their own order: newest first, and by relevance.
        self._order: dict[bool, tuple[Column | None, bool]] = {
            False: ("date", False),
            True: (None, False),
        }
        self._open_when_found: str | None = None
        """A query enter was pressed on before its results came: open its top hit then."""
        self._failed: str | None = None
        """The last query that could not be read."""

    @property
    def sorted_by(self) -> Column | None:
        return self._order[self.hits is not None][0]

    @property
    def reverse(self) -> bool:
        return self._order[self.hits is not None][1]

    def _set_order(self, column: Column | None, reverse: bool) -> None:
        self._order[self.hits is not None] = (column, reverse)
        self.show_rows()

    @property
    def gloss(self) -> GlossApp:
        return cast("GlossApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="query-bar"):
            yield SearchBox(id="search")
            yield Input(placeholder="Filter  f", id="filter", select_on_focus=False)
        yield ArticleTable(id="articles")
        yield StatusLine(id="status")
        yield KeyFooter()

    async def on_mount(self) -> None:
        filter_box = self.query_one("#filter", Input)
        filter_box.tooltip = "Keep rows whose title, source or id contain this"
        self.query_one(StatusLine).show_path(display_path(self.gloss.project.corpus))
        self.show_status("Reading the corpus…")
        jobs = self.gloss.jobs
        jobs.load()
        await asyncio.to_thread(jobs.corpus_read.wait, FIRST_FRAME_WAIT)

    def show_status(self, text: str, *, error: bool = False) -> None:
        """What is under way, or what failed, until the counts come back."""
        self.query_one(StatusLine).show(text, error=error)

    # What the app tells --------------------------------------------------------------

    def on_corpus_loaded(self, message: CorpusLoaded) -> None:
        self.corpus = message.corpus
        self._report_problems(message.corpus)
        self.show_rows()
        self.call_after_refresh(message.painted.set)
        self.call_after_refresh(self.count_notes)

    def on_indexed(self, message: Indexed) -> None:
        self.corpus = message.corpus
        self.index_ready = True
        self.search_again()

    def on_changed(self, message: Changed) -> None:
        """Files changed on disk: new titles, counts and hits follow them."""
        if message.annotations or message.codebook:
            self.count_notes()
        if message.corpus is not None:
            self.corpus = message.corpus
            self._report_problems(message.corpus)
            self.search_again()

    def _report_problems(self, corpus: Corpus) -> None:
        problems = list(corpus.problems.items())
        for article_id, problem in problems[:MAX_REPORTS]:
            self.shell.tell_unreadable(article_id, str(problem))
        if len(problems) > MAX_REPORTS:
            self.shell.tell_unreadable(f"{len(problems)} files", "`gloss list` names every one")

    @work(thread=True, exclusive=True, group="annotation-counts", exit_on_error=False)
    def count_notes(self) -> None:
        """Annotations per article; a broken store file is told, the rest still count."""
        store = self.shell.workspace.store
        scan = store.scan()
        problems: list[GlossError] = list(scan.problems.values())
        try:
            store.codebook()
        except GlossError as exc:
            problems.append(exc)
        for problem in problems:
            name = Path(getattr(problem, "path", store.root)).name
            self.app.call_from_thread(self.shell.tell_unreadable, name, str(problem))
        if not get_current_worker().is_cancelled:  # a newer count is under way
            from tui.core.annotations.review import needing_review

            notes = {article_id: len(items) for article_id, items in scan.annotations.items()}
            review = needing_review(store, self.shell.workspace.corpus, scan)
            counted = {article_id: len(items) for article_id, items in review.items()}
            self.post_message(self.NotesCounted(notes, counted))

    def on_library_screen_notes_counted(self, message: NotesCounted) -> None:
        self.notes, self.review = message.notes, message.review
        self.show_rows()

    # Searching -------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.gloss.watcher.typed()
        if event.value.strip():
            self.run_search(event.value)
        else:
            self.workers.cancel_group(self, "search")
            self.hits = None
            self.query_one(SearchBox).mark_invalid(False)
            self.show_rows()

    def search_again(self) -> None:
        """After a change: the active query once more, for as many hits as the user had
        scrolled to, or else the list."""
        query = self.query_one(SearchBox).value
        if not query.strip():
            self.show_rows()
            return
        held = len(self.hits.hits) if self.hits is not None and self.hits.query == query else 0
        self.run_search(query, (held,) if held > PAGES[-1] else None)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(
        self, query: str, limits: Sequence[int] | None = None, more: Searched | None = None
    ) -> None:
        """One query, fetched in pages up to each of ``limits`` hits, after those of
        ``more`` (its hits so far); a newer keystroke cancels this worker and its result
        is dropped."""
        from tui.core.search.index import SearchCancelled

        if not self.index_ready:
            return  # the load worker runs the query once the index is ready
        worker = get_current_worker()
        first_search = limits is None
        hits = list(more.hits) if more is not None else []
        started = time.perf_counter()
        # What the status line tells: the wait for the query's first page.
        seconds = more.seconds if more is not None else None
        for page, limit in enumerate(limits or PAGES):
            try:
                # Later pages reuse the first one's ranking: only their own hits cost.
                result = self.gloss.workspace.index.search(
                    query, limit=limit, offset=len(hits), cancelled=lambda: worker.is_cancelled
                )
            except SearchCancelled:
                return
            except GlossError as exc:
                if not worker.is_cancelled:
                    self.post_message(self.SearchFailed(query, str(exc)))
                return
            if worker.is_cancelled:
                return
            seen = {hit.id for hit in hits}  # (the index may have changed between pages)
            hits.extend(hit for hit in result.hits if hit.id not in seen)
            if seconds is None:
                seconds = time.perf_counter() - started
            self._hits_painted.clear()
            self.post_message(
                self.Searched(query, tuple(hits), result.total, result.suggestion, seconds)
            )
            if page == 0 and first_search:  # told once per query, not per page of it
                for notice in result.notices:
                    self.app.call_from_thread(
                        self.notify, notice, title="Search index", markup=False
                    )
            if result.total <= limit:
                return
            # Let this page paint first: building the next one's snippets would hold the
            # GIL while the table is drawn, and the first page is what the user waits for.
            self._hits_painted.wait(timeout=HITS_PAINT_WAIT)
            if worker.is_cancelled:
                return

    def on_library_screen_searched(self, message: Searched) -> None:
        if message.query != self.query_one(SearchBox).value:
            return  # a stale answer: the user typed on
        self.hits = message
        self.query_one(SearchBox).mark_invalid(False)
        self.show_rows()
        self.call_after_refresh(self._hits_painted.set)
        if self._open_when_found == message.query:
            self._open_when_found = None
            table = self.query_one(ArticleTable)
            if table.entries:
                self.open_entry(table.entries[0])

    def on_library_screen_search_failed(self, message: SearchFailed) -> None:
        if message.query != self.query_one(SearchBox).value:
            return
        self._open_when_found = None  # enter on a query that cannot be read opens nothing
        self._failed = message.query
        self.query_one(SearchBox).mark_invalid(True)
        self.query_one(StatusLine).show(message.error, error=True)

    # Rows ------------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.show_rows()

    def entries(self, offset: int = 0, limit: int | None = None) -> list[Entry]:
        """What the table shows, ``offset`` on: hits, or the catalogue's articles, filtered
        and sorted (the articles by SQLite: a page never reads the other 100,000)."""
        if self.corpus is None:
            return []
        needle = self.query_one("#filter", Input).value
        key, reverse = self.sorted_by, self.reverse
        review_only = needle.strip() == REVIEW_FILTER
        if review_only:
            needle = ""
        if self.hits is None and not review_only:
            if key == "notes":
                infos = self.corpus.catalogue.page_by_count(
                    self.notes, reverse, needle, offset, limit
                )
            else:
                infos = self.corpus.page(key, reverse, needle, offset, limit)
            return [
                Entry(info, self.notes.get(info.id, 0), review=self.review.get(info.id, 0))
                for info in infos
            ]
        if self.hits is None:  # the few articles that need review, sorted here
            known = self.corpus.catalogue.infos(sorted(self.review))
            entries = [
                Entry(info, self.notes.get(info.id, 0), review=self.review[info.id])
                for info in known.values()
            ]
            return sorted_entries(entries, key, reverse)[
                offset : None if limit is None else offset + limit
            ]
        known = self.corpus.catalogue.infos([hit.id for hit in self.hits.hits])
        entries = hit_entries(self.hits.hits, known, self.notes, self.review)
        entries = [e for e in entries if e.review] if review_only else filtered(entries, needle)
        return sorted_entries(entries, key, reverse)[
            offset : None if limit is None else offset + limit
        ]

    def show_rows(self) -> None:
        table = self.query_one(ArticleTable)
        if self.hits is None:
            # As many rows as the user has scrolled through: a store or corpus change
            # redraws the table, and must not pull them back to the first page.
            shown = self.entries(0, max(LIST_PAGE, len(table.entries)))
            needle = self.query_one("#filter", Input).value
            if needle.strip() == REVIEW_FILTER:
                self._matching = len(self.entries())  # the articles to review: a few
            else:
                self._matching = self.corpus.count(needle) if self.corpus is not None else 0
        else:
            shown = self.entries()
            self._matching = len(shown)
        table.show(shown, self.sorted_by, self.reverse)
        self._show_counts()

    @on(ArticleTable.NearEnd)
    def _show_more(self) -> None:
        """The user reached the last rows: the next page of the list, or more hits."""
        table = self.query_one(ArticleTable)
        if self.hits is None:
            shown = len(table.entries)
            if shown < self._matching:
                table.extend(self.entries(shown, LIST_PAGE))
                self._show_counts()
        elif len(self.hits.hits) >= PAGES[-1] and self.hits.total > len(self.hits.hits):
            # (Below PAGES[-1] the query's own second page is on its way.)
            self.run_search(self.hits.query, (len(self.hits.hits) + PAGES[-1],), more=self.hits)

    def _show_counts(self) -> None:
        shown = len(self.query_one(ArticleTable).entries)
        self.query_one(StatusLine).show(self._summary(self._matching, shown))

    def _summary(self, matching: int, shown: int) -> str:
        if self.corpus is None:
            return "Reading the corpus…"
        total = len(self.corpus)
        notes = sum(self.notes.values())
        parts = [plural(total, "article"), plural(notes, "annotation")]
        if not self.index_ready:
            parts.append("indexing…")
        if self.hits is not None:
            found = self.hits.total
            hits = plural(found, "hit")
            parts.insert(0, f"{hits} in {self.hits.seconds * 1000:.0f} ms")
            if found > len(self.hits.hits):
                parts.insert(1, f"top {len(self.hits.hits)}")
            if not found and self.hits.suggestion:
                parts.insert(1, f"did you mean {self.hits.suggestion}?")
        if self.query_one("#filter", Input).value.strip():
            parts.insert(0, f"{matching:,} match the filter")
        if shown < matching:
            parts.insert(0, f"first {shown:,} of {matching:,} (scroll for more)")
        if self.corpus.problems:
            parts.append(f"{len(self.corpus.problems)} unreadable")
        label = self.sorted_by or "relevance"
        parts.append(f"by {label}{' reversed' if self.reverse else ''}")
        return " · ".join(parts)

    # Actions ---------------------------------------------------------------------------

    def focus_search(self, query: str | None = None) -> None:
        box = self.query_one(SearchBox)
        if query is not None:
            box.value = query
        box.focus()
        box.cursor_position = len(box.value)

    def action_focus_results(self) -> None:
        """down from a field (the table uses down itself, so this never shadows it)."""
        self.query_one(ArticleTable).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_cycle_sort(self) -> None:
        position = SORTS.index(self.sorted_by)
        self._set_order(SORTS[(position + 1) % len(SORTS)], False)

    def action_reverse_sort(self) -> None:
        self._set_order(self.sorted_by, not self.reverse)

    def action_review(self) -> None:
        """Every match of the query in context (tui/screens/review.py)."""
        from tui.screens.review import ReviewScreen

        query = self.query_one(SearchBox).value.strip()
        if not query:
            self.notify("Type a query first (/): review lists its matches.", severity="warning")
            return
        self.app.push_screen(ReviewScreen(query))

    def action_insights(self) -> None:
        """Charts of the coding, filtered by the query if one is typed."""
        from tui.screens.insights import InsightsScreen

        self.app.push_screen(InsightsScreen(self.query_one(SearchBox).value.strip()))

    def action_clear_query(self) -> None:
        """escape: leave a field first; from the table, clear the query and the filter."""
        if isinstance(self.focused, Input):
            self.query_one(ArticleTable).focus()
            return
        self.query_one(SearchBox).value = ""
        self.query_one("#filter", Input).value = ""

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        column = cast(Column, event.column_key.value)
        self._set_order(column, not self.reverse if column == self.sorted_by else False)

    @on(Input.Submitted)
    def _open_top(self, event: Input.Submitted) -> None:
        """enter in a field opens the top row; from the search box, the top hit of *its* query.

        A query that cannot be read opens nothing (its error stays on the status line);
        one still being searched opens its top hit when the results arrive.
        """
        self._open_when_found = None
        box = self.query_one(SearchBox)
        if event.input is box and box.value.strip():
            if self._failed == box.value:
                return
            if self.hits is None or self.hits.query != box.value:
                self._open_when_found = box.value
                return
        table = self.query_one(ArticleTable)
        if table.entries:
            self.open_entry(table.entries[0])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        entry = self.query_one(ArticleTable).current
        if entry is not None:
            self.open_entry(entry)

    def open_entry(self, entry: Entry) -> None:
        """Open the reader; back from it, keys go to the table (q quits, t opens tags)."""
        query = self.query_one(SearchBox).value.strip() or None
        self.query_one(ArticleTable).focus()  # the focus the library gets back on escape
        self.gloss.open_reader(entry.id, query=query if entry.is_hit else None, spans=entry.spans)


__all__ = ["LibraryScreen"]
