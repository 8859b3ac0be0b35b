"""ReaderScreen: one article, its search matches and its annotations.

The screen owns the flow (which match, which annotation, dialogs, saving); ReaderView
paints and AnnotationPanel lists, and the store in tui.core does every read and write,
in thread workers so a slow disk or a big re-anchoring never freezes the keyboard.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, OptionList, Static
from textual.worker import Worker

from tui.core.annotations.codebook import Codebook
from tui.core.annotations.model import Anchored
from tui.core.annotations.navigation import (
    next_annotation,
    next_index,
    previous_annotation,
    previous_index,
)
from tui.core.annotations.store import NothingToUndo
from tui.core.errors import GlossError, StoreFileError, UnknownArticleError
from tui.core.models import Article, Span
from tui.display import file_size
from tui.keymap import READER_COMMANDS, bindings, bound_keys
from tui.messages import Changed
from tui.screens.reader_changes import CHANGES as _CHANGES
from tui.screens.reader_changes import AnnotationCommands
from tui.widgets.annotation_panel import AnnotationPanel
from tui.widgets.coder_columns import CoderColumns
from tui.widgets.key_footer import KeyFooter
from tui.widgets.reader_status import ReaderState, ReaderStatus
from tui.widgets.reader_view import Mark, ReaderView

if TYPE_CHECKING:
    from tui.core.annotations.store import AnnotationStore
    from tui.core.workspace import Workspace

PANEL_MIN_WIDTH = 100
"""Below this terminal width the side panel starts hidden (`s` shows it)."""
LONG_ARTICLE = 100_000
"""Bodies this long (characters) or longer say they are opening, in the pane and the
status line, until their text and annotations are painted: wrapping and laying out a
500 KB article with hundreds of annotations is a moment the user should not wait
through on a blank pane (issue 17, item 9)."""


class ReaderScreen(AnnotationCommands):
    """Read an article; `n`/`N` walk the search matches, `v` starts a selection."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    COMMAND_LIST = READER_COMMANDS
    BINDINGS: ClassVar[list[BindingType]] = bindings(READER_COMMANDS)

    def __init__(
        self,
        article_id: str,
        *,
        query: str | None = None,
        spans: Sequence[tuple[int, int]] = (),
        annotation_id: str | None = None,
    ) -> None:
        super().__init__()
        self.article_id = article_id
        self.search_query = query
        self.matches: tuple[Span, ...] = tuple(sorted({(start, end) for start, end in spans}))
        self.match_index: int | None = None
        self.pending_annotation = annotation_id
        self.entries: tuple[Anchored, ...] = ()
        self.memo = ""
        self.deleted = False
        """The article's file is gone from the corpus: shown read-only until it is back."""
        self.codebook = Codebook()
        self._article: Article | None = None
        self._reads = itertools.count()
        """Each read of the annotations takes a number when it starts; a later one saw a
        later store, so an earlier one that finishes after it is not shown."""
        self._shown = -1
        self.opening = False
        """A long article is being laid out: the pane and status line say so."""

    # --- wiring ------------------------------------------------------------------------

    @property
    def workspace(self) -> Workspace:
        return self.shell.workspace

    @property
    def store(self) -> AnnotationStore:
        return self.workspace.store

    @property
    def article(self) -> Article:
        """The text on screen: read once, replaced only when the file changes on disk,
        so every offset the user selects refers to what they see."""
        if self._article is None:
            self._article = self.workspace.article(self.article_id)
        return self._article

    @property
    def view(self) -> ReaderView:
        return self.query_one("#reader-view", ReaderView)

    @property
    def panel(self) -> AnnotationPanel:
        return self.query_one("#reader-panel", AnnotationPanel)

    def compose(self) -> ComposeResult:
        article = self.article
        self.opening = len(article.body) >= LONG_ARTICLE
        yield Header()
        with Horizontal(id="reader-body"):
            yield ReaderView(
                article.body,
                boilerplate=article.boilerplate,
                opening=self._opening_text() if self.opening else "",
                id="reader-view",
            )
            with Vertical(id="reader-side"):
                yield Static("", id="reader-memo", markup=False)
                yield AnnotationPanel(id="reader-panel")
        yield CoderColumns(id="reader-coders")
        yield ReaderStatus(id="reader-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        article = self.article
        self.title = article.title
        self.sub_title = article.id
        narrow = self.app.size.width < PANEL_MIN_WIDTH
        self.panel.display = not narrow
        self._show_memo()
        self.query_one(CoderColumns).display = False
        self.query_one(KeyFooter).compact = narrow
        view = self.view
        view.set_matches(self.matches)
        view.focus()
        if self.matches:
            self.call_after_refresh(self._go_to_match, 0)
        self._update_status()
        self._load()

    # --- loading, and following changes on disk ----------------------------------------

    def _opening_text(self) -> str:
        article = self.article
        return f"Opening “{article.title}” ({file_size(article.size)})…"

    def on_reader_view_loaded(self, message: ReaderView.Loaded) -> None:
        self._opened()

    def _opened(self) -> None:
        """Stop saying "Opening" once both the text and the annotations are in: the
        frame that paints them paints the status line too."""
        if self.opening and self.view.loaded and self._shown >= 0:
            self.opening = False
            self._update_status()

    def worker_failed(self, worker: Worker[object]) -> None:
        """The annotations could not be read (the app said why): the text is all there is."""
        if self.opening and worker.group == "annotations":
            self._shown = max(self._shown, 0)
            self._opened()

    def on_changed(self, message: Changed) -> None:
        """The watcher saw the article, its annotation file or the codebook change on disk."""
        reloaded = self._reload_article() if self.article_id in message.articles else False
        if reloaded or message.codebook or self.article_id in message.annotations:
            self._load()

    def _reload_article(self) -> bool:
        """Show the article's new text; True when it differs (its annotations are then
        re-anchored on it)."""
        try:
            fresh = self.workspace.article(self.article_id)
        except UnknownArticleError:
            self._set_deleted(True)
            return False
        except GlossError as error:
            self.notify(str(error), severity="error", markup=False)
            return False
        self._set_deleted(False)
        same = fresh.sha256 == self.article.sha256
        self._article = fresh
        if same:
            return False
        self.matches = ()
        self.match_index = None
        self.view.show_body(fresh.body, fresh.boilerplate)
        self._update_status()
        self.notify(
            "The article changed on disk: showing the new text (search matches cleared).",
            markup=False,
        )
        return True

    def _set_deleted(self, deleted: bool) -> None:
        """The file went away (or came back): say so once, and stop (or allow) changes."""
        if deleted == self.deleted:
            return
        self.deleted = deleted
        if deleted:
            self.view.end_selection()
            self.notify(
                "This article was deleted from disk: it stays on screen read-only; "
                "its annotations are kept (gloss check lists them as article missing).",
                severity="warning",
                timeout=8,
                markup=False,
            )
        else:
            self.notify("The article is back on disk: it can be annotated again.", markup=False)
        self.refresh_bindings()
        self._update_status()

    @work(thread=True, group="annotations", exit_on_error=False)
    def _load(self) -> None:
        """Read and re-anchor this article's annotations off the main thread."""
        self._read()

    def _read(self) -> None:
        """Read the annotations and the codebook (a worker thread), then show them."""
        read = next(self._reads)
        entries = self.store.anchored(self.article)
        memo = self.store.memo(self.article_id)
        codebook = self._read_codebook()
        self.app.call_from_thread(self._show, entries, memo, codebook, read)

    @work(thread=True, group="annotation-change", exit_on_error=False)
    def _write(
        self,
        done: str | Callable[[Any], str],
        change: Callable[[], Any],
        cursor: int | None = None,
        retry: Callable[[], object] | None = None,
    ) -> None:
        """Run one store change, then show the result at once (no wait for the watcher).

        ``retry``: asks again (the dialog with what was typed) if the change fails, so
        a broken annotation file does not cost the analyst their note.
        """
        try:
            result = change()
        except NothingToUndo as answer:  # not a failure: the answer to u or ctrl+r
            self.app.call_from_thread(self.notify, str(answer), severity="warning", markup=False)
            return
        except GlossError:
            if retry is not None:
                self.app.call_from_thread(retry)
            raise
        done = done if isinstance(done, str) else done(result)
        self._read()
        self.app.call_from_thread(self._written, done, cursor)

    def _read_codebook(self) -> Codebook:
        """The codebook; a broken tags.toml is reported and the last good one kept.

        Highlights still show (in the theme's colour) rather than vanish with it.
        """
        try:
            return self.store.codebook()
        except StoreFileError as error:
            self.app.call_from_thread(
                self.notify, str(error), title="Codebook", severity="error", timeout=8
            )
            return self.codebook

    def _show(self, entries: Sequence[Anchored], memo: str, codebook: Codebook, read: int) -> None:
        if not self.is_attached or read < self._shown:  # closed, or a newer read is shown
            return
        self._shown = read
        self.entries = tuple(entries)
        self.memo = memo
        self.codebook = codebook
        self._show_memo()
        coders = self.query_one(CoderColumns)
        if coders.display:
            coders.show(self.article.body, self.entries)
        self.view.set_marks(
            Mark(e.start, e.end, self._colour(e.tags))
            for e in self.entries
            if e.start is not None and e.end is not None
        )
        self.panel.show(self.entries, self._tag_colour)
        self._update_status()
        self._opened()
        if self.pending_annotation is not None:
            wanted, self.pending_annotation = self.pending_annotation, None
            self._go_to_annotation(wanted)

    def _show_memo(self) -> None:
        """The memo at the top of the side panel, shown with the panel when there is one."""
        memo = self.query_one("#reader-memo", Static)
        memo.update(self.memo)
        memo.border_title = "Memo (m edits)"
        memo.display = bool(self.memo) and self.panel.display
        self.query_one("#reader-side").display = self.panel.display

    def _written(self, done: str, cursor: int | None) -> None:
        """Collapse the selection after the passage so its new highlight shows, unless the
        user has selected something since (keys sent with the save: ``ctrl+s n``)."""
        if cursor is not None and self.is_attached and self.view.selected_span() is None:
            self.view.move_cursor(self.view.location_of(cursor))
        self.notify(done, timeout=3, markup=False)

    def _tag_colour(self, tag: str) -> str | None:
        info = self.codebook.get(tag)
        return info.colour if info and info.colour else None

    def _colour(self, tags: Sequence[str]) -> str | None:
        return next((c for c in map(self._tag_colour, tags) if c), None)

    # --- search matches ----------------------------------------------------------------

    def _go_to_match(self, index: int) -> None:
        self.match_index = index % len(self.matches)
        self.view.select_span(*self.matches[self.match_index])
        self._update_status()

    def action_next_match(self) -> None:
        if self._has_matches():
            self._go_to_match(next_index([s for s, _ in self.matches], self._from_offset()))

    def action_previous_match(self) -> None:
        if self._has_matches():
            self._go_to_match(previous_index([s for s, _ in self.matches], self._from_offset()))

    def _has_matches(self) -> bool:
        if not self.matches:
            self.notify("No search matches in this article.", severity="warning", markup=False)
        return bool(self.matches)

    def _from_offset(self) -> int:
        """Where `n`/`N`/`[`/`]` count from: a selection's start, else the cursor."""
        span = self.view.selected_span()
        return span[0] if span else self.view.cursor_offset

    # --- annotations: moving -----------------------------------------------------------

    def action_next_annotation(self) -> None:
        self._select_entry(next_annotation(self.entries, self._from_offset()))

    def action_previous_annotation(self) -> None:
        self._select_entry(previous_annotation(self.entries, self._from_offset()))

    def _select_entry(self, entry: Anchored | None) -> None:
        """Select its passage (an orphan: pick it in the panel); None: none is placed."""
        if entry is None:
            self.notify("No annotations in this article yet.", severity="warning", markup=False)
            return
        if entry.start is None or entry.end is None:
            self.panel.display = True
            self.panel.highlight_annotation(entry.id)
            self.notify(
                "This annotation is orphaned: its passage is gone. Select where it belongs "
                "and press r to re-attach it.",
                severity="warning",
                markup=False,
            )
            return
        self.view.select_span(entry.start, entry.end)
        self.panel.highlight_annotation(entry.id)
        self._update_status()

    def _go_to_annotation(self, annotation_id: str) -> None:
        entry = next((e for e in self.entries if e.id == annotation_id), None)
        if entry is None:
            self.notify(
                f"No annotation {annotation_id} in this article.", severity="warning", markup=False
            )
            return
        self._select_entry(entry)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The status line follows the panel's chosen entry."""
        event.stop()
        self._update_status()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """`enter` on a panel entry jumps to its passage."""
        event.stop()
        entry = next((e for e in self.entries if e.id == event.option.id), None)
        if entry is not None:
            self._select_entry(entry)
            if entry.start is not None:
                self.view.focus()

    def action_toggle_coders(self) -> None:
        """Show (or hide) every coder's annotations on this article, side by side."""
        coders = self.query_one(CoderColumns)
        if coders.display:
            coders.display = False
            self.view.focus()
            return
        coders.show(self.article.body, self.entries)
        if not coders.passages:
            self.notify("No annotations in this article yet.", severity="warning", markup=False)
            return
        if len(coders.coders) < 2:
            self.notify(
                "Only one coder annotated this article: nothing to compare with yet.",
                markup=False,
            )
        coders.display = True
        coders.focus()

    def on_coder_columns_chosen(self, message: CoderColumns.Chosen) -> None:
        self.view.select_span(message.start, message.end)
        self.view.focus()
        self._update_status()

    def action_top(self) -> None:
        self.view.go_to_end(last=False)
        self._update_status()

    def action_bottom(self) -> None:
        self.view.go_to_end(last=True)
        self._update_status()

    def action_undo(self) -> None:
        store = self.store
        self._write(lambda op: f"Undone: {op.summary}", store.undo)

    def action_redo(self) -> None:
        store = self.store
        self._write(lambda op: f"Redone: {op.summary}", store.redo)

    # --- selection, panel, back --------------------------------------------------------

    def action_toggle_select(self) -> None:
        view = self.view
        if view.select_mode:
            view.end_selection()
        else:
            view.focus()
            view.start_selection()
        self._update_status()

    def action_toggle_panel(self) -> None:
        panel = self.panel
        panel.display = not panel.display
        self._show_memo()
        if not panel.display and panel.has_focus:
            self.view.focus()

    def action_back(self) -> None:
        view = self.view
        if view.select_mode:
            view.end_selection()
            self._update_status()
            return
        self.dismiss()

    def on_text_area_selection_changed(self, event: ReaderView.SelectionChanged) -> None:
        self._update_status()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide match keys without matches; grey out Annotate until text is selected."""
        if action in ("next_match", "previous_match"):
            return bool(self.matches)
        if action in _CHANGES and self.deleted:
            return False
        if action == "annotate":
            views = self.query(ReaderView)  # empty while the screen is being composed
            return None if views and views.first().selected_span() is None else True
        return True

    def on_key(self, event: events.Key) -> None:
        """A codebook tag's own key (tags.toml ``key``) tags the selection in one stroke.

        Keys the reader or the app already bind keep their meaning.
        """
        character = event.character
        if not character or not character.isprintable() or event.key in bound_keys(self, self.app):
            return
        tag = next((t.name for t in self.codebook.tags.values() if t.key == character), None)
        span = self._words_selected()
        if tag is None or span is None or self.deleted:
            return
        event.stop()
        self.view.end_selection()
        article, (start, end) = self.article, span
        self._write(f"Annotated: {tag}", lambda: self.store.add(article, start, end, [tag]), end)

    def _update_status(self) -> None:
        view = self.view
        article = self.article
        state = ReaderState(
            article.title,
            len(self.matches),
            self.match_index,
            self.search_query,
            self.entries,
            self._entry_here() if self.entries else None,
            view.select_mode,
            view.selected_span(),
            article.page_at(view.cursor_offset),
            self.deleted,
            self._opening_text() if self.opening else None,
        )
        self.query_one(ReaderStatus).show(state)
