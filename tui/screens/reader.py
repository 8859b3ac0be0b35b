"""ReaderScreen: one article, its search matches and its annotations.

The screen owns the flow (which match, which annotation, dialogs, saving); the
ReaderView paints, and tui.core does every piece of data work.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tui.core.models import Article, Span
from tui.widgets.reader_view import ReaderView


class ReaderScreen(Screen[None]):
    """Read an article; `n`/`N` walk the search matches, `v` starts a selection."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")

    BINDINGS = [
        Binding("escape", "back", "Back", id="reader.back"),
        Binding("n", "next_match", "Next match", id="reader.next_match"),
        Binding("N", "previous_match", "Prev match", id="reader.previous_match"),
        Binding("v", "toggle_select", "Select", id="reader.select"),
    ]

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
        self.matches: tuple[Span, ...] = tuple(sorted(set(spans)))
        self.match_index: int | None = None
        self.annotation_id = annotation_id

    @property
    def article(self) -> Article:
        return self.app.workspace.corpus.get(self.article_id)  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> ComposeResult:
        article = self.article
        yield Header()
        with Horizontal(id="reader-body"):
            yield ReaderView(article.body, boilerplate=article.boilerplate, id="reader-view")
        yield Static("", id="reader-status", markup=False)
        yield Footer()

    @property
    def view(self) -> ReaderView:
        return self.query_one("#reader-view", ReaderView)

    def on_mount(self) -> None:
        article = self.article
        self.title = article.title
        self.sub_title = article.id
        view = self.view
        view.set_matches(self.matches)
        view.focus()
        if self.matches:
            self.call_after_refresh(self._go_to_match, 0)
        self._update_status()

    # --- search matches ----------------------------------------------------------------

    def _go_to_match(self, index: int) -> None:
        self.match_index = index % len(self.matches)
        start, end = self.matches[self.match_index]
        self.view.select_span(start, end)
        self._update_status()

    def action_next_match(self) -> None:
        if not self.matches:
            self.notify("No search matches in this article.", severity="warning")
            return
        cursor = self.view.cursor_offset
        index = next((i for i, (s, _) in enumerate(self.matches) if s > self._anchor(cursor)), 0)
        self._go_to_match(index)

    def action_previous_match(self) -> None:
        if not self.matches:
            self.notify("No search matches in this article.", severity="warning")
            return
        cursor = self._anchor(self.view.cursor_offset)
        before = [i for i, (s, _) in enumerate(self.matches) if s < cursor]
        self._go_to_match(before[-1] if before else len(self.matches) - 1)

    def _anchor(self, cursor: int) -> int:
        """Where `n`/`N` count from: the current match's start while it is selected."""
        if self.match_index is not None and self.view.selected_span() == self.matches[
            self.match_index
        ]:
            return self.matches[self.match_index][0]
        return cursor

    # --- selection ---------------------------------------------------------------------

    def action_toggle_select(self) -> None:
        view = self.view
        if view.select_mode:
            view.end_selection()
        else:
            view.start_selection()
        self._update_status()

    def action_back(self) -> None:
        view = self.view
        if view.select_mode:
            view.end_selection()
            self._update_status()
            return
        self.dismiss()

    def on_text_area_selection_changed(self, event: ReaderView.SelectionChanged) -> None:
        self._update_status()

    def _update_status(self) -> None:
        parts: list[str] = []
        if self.matches:
            position = "-" if self.match_index is None else str(self.match_index + 1)
            label = f"“{self.search_query}” " if self.search_query else ""
            parts.append(f"{label}match {position}/{len(self.matches)}")
        view = self.view
        span = view.selected_span()
        if view.select_mode:
            parts.append("SELECT: move to extend, a annotate, v/esc stop")
        elif span:
            parts.append(f"{span[1] - span[0]} chars selected")
        self.query_one("#reader-status", Static).update(" · ".join(parts) or self.article.title)
