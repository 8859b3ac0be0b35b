"""The reader's commands that change annotations (annotate, edit, delete, re-attach,
memo), and find in the article.

Kept apart from :mod:`tui.screens.reader` (which owns the flow: matches, the panel, the
status) so each module stays readable; every change goes through the reader's one
``_write`` worker, so the panel shows the result at once and a failure asks again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.core.annotations.codebook import Codebook
from tui.core.annotations.model import Anchored
from tui.core.annotations.navigation import annotation_at, find_all, trim
from tui.core.models import Article, Span
from tui.dialogs.annotate import AnnotationDraft, ask_annotation
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.memo import MemoDialog
from tui.dialogs.prompt import PromptScreen
from tui.display import clip
from tui.screens.base import GlossScreen

if TYPE_CHECKING:
    from tui.core.annotations.store import AnnotationStore
    from tui.widgets.annotation_panel import AnnotationPanel
    from tui.widgets.reader_view import ReaderView

CHANGES = ("annotate", "edit", "delete", "reattach", "memo")
"""Actions that write: none applies while the article's file is gone from disk."""
REATTACHABLE = ("orphaned", "fuzzy")
"""The states `r` re-points: an exact or moved annotation is where it belongs."""


class AnnotationCommands(GlossScreen):
    """The reader's changing commands; what they use of the reader screen is declared
    here for the type checker."""

    if TYPE_CHECKING:
        article_id: str
        entries: tuple[Anchored, ...]
        memo: str
        codebook: Codebook
        matches: tuple[Span, ...]
        search_query: str | None
        _write: Callable[..., object]

        @property
        def article(self) -> Article: ...

        @property
        def view(self) -> ReaderView: ...

        @property
        def panel(self) -> AnnotationPanel: ...

        @property
        def store(self) -> AnnotationStore: ...

        def _go_to_match(self, index: int) -> None: ...

    def _entry_to_change(self) -> Anchored | None:
        """The annotation `e`/`d` act on, or None after telling the user how to pick one."""
        entry = self._entry_here()
        if entry is None:
            self.notify(
                "No annotation here: move onto one ([ ]) or pick it in the panel (s).",
                severity="warning",
                markup=False,
            )
        return entry

    def _entry_here(self) -> Anchored | None:
        """The panel's entry when the panel has focus, else the annotation at the cursor.

        When annotations overlap, the innermost one containing the cursor wins.
        """
        if self.panel.has_focus:
            return self.panel.highlighted_entry
        return annotation_at(self.entries, self.view.cursor_offset, self.view.selected_span())

    # --- annotations: changing ---------------------------------------------------------

    def _words_selected(self) -> Span | None:
        """The selection without the spaces and line breaks around it: what gets stored
        (and shown in the dialog). None when nothing but whitespace is selected."""
        span = self.view.selected_span()
        return None if span is None else trim(self.article.body, span)

    def action_annotate(self) -> None:
        span = self._words_selected()
        if span is None:
            self.notify(
                "Select a passage first: v then arrows, shift+arrows, or the mouse.",
                severity="warning",
                markup=False,
            )
            return
        self.view.end_selection()
        start, end = span
        article = self.article
        ask_annotation(
            self.app,
            article.body[start:end],
            "Annotate",
            AnnotationDraft(tags=(), note=""),
            self.codebook.names(),
            lambda draft, retry: self._write(
                f"Annotated: {', '.join(draft.tags) or 'note'}",
                lambda: self.store.add(article, start, end, draft.tags, draft.note),
                end,
                retry=retry,
            ),
        )

    def action_edit(self) -> None:
        entry = self._entry_to_change()
        if entry is None:
            return
        ask_annotation(
            self.app,
            entry.exact,
            "Edit annotation",
            AnnotationDraft(tags=entry.tags, note=entry.note),
            self.codebook.names(),
            lambda draft, retry: self._write(
                "Annotation saved",
                lambda: self.store.edit(entry.id, tags=draft.tags, note=draft.note),
                retry=retry,
            ),
        )

    def action_delete(self) -> None:
        entry = self._entry_to_change()
        if entry is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._write("Annotation deleted (u undoes)", lambda: self.store.delete(entry.id))

        tags = ", ".join(entry.tags) or "no tags"
        quote = clip(entry.exact, 60)
        self.app.push_screen(
            ConfirmDialog(
                f"Delete the annotation [{tags}] on\n“{quote}”?", title="Delete", yes="Delete"
            ),
            answer,
        )

    def action_reattach(self) -> None:
        """Re-point the panel's chosen orphaned or fuzzy annotation at the selection,
        after a confirmation that names both quotes."""
        entry = self.panel.highlighted_entry if self.panel.display else None
        span = self._words_selected()
        if entry is None or span is None:
            self.notify(
                "Pick the orphaned or fuzzy annotation in the panel (s, tab, arrows: ▶ marks "
                "it), select its passage, then press r.",
                severity="warning",
                markup=False,
            )
            return
        if entry.state not in REATTACHABLE:
            self.notify(
                f"The chosen annotation “{clip(entry.exact, 40)}” is {entry.state}: only an "
                "orphaned or fuzzy one can be re-attached.",
                severity="warning",
                markup=False,
            )
            return
        article = self.article
        start, end = span

        def answer(yes: bool | None) -> None:
            if yes:
                self._write(
                    "Annotation re-attached (u undoes)",
                    lambda: self.store.reattach(entry.id, article, start, end),
                    end,
                )

        tags = ", ".join(entry.tags) or "no tags"
        old, new = clip(entry.exact, 60), clip(article.body[start:end], 60)
        self.app.push_screen(
            ConfirmDialog(
                f"Re-attach [{tags}] “{old}”\nto “{new}”?",
                title="Re-attach",
                yes="Re-attach",
            ),
            answer,
        )

    def action_memo(self) -> None:
        """Edit the memo on the whole article (stored in its annotation file)."""
        article_id = self.article_id

        def answer(text: str | None) -> None:
            if text is None or text == self.memo.strip():
                return
            self._write(
                "Memo saved (u undoes)" if text else "Memo cleared (u undoes)",
                lambda: self.store.set_memo(article_id, text),
            )

        self.app.push_screen(MemoDialog(self.article.title, self.memo), answer)

    def action_find(self) -> None:
        """Find words in this article; its places replace the search matches (n/N)."""

        def answer(text: str | None) -> None:
            if not text:
                return
            spans = find_all(self.article.body, text)
            if not spans:
                self.notify(f"“{text}” is not in this article.", severity="warning", markup=False)
                return
            here = self.view.cursor_offset
            self.matches = tuple(spans)
            self.search_query = text
            self.view.set_matches(self.matches)
            self.refresh_bindings()
            self._go_to_match(next((i for i, (s, _) in enumerate(spans) if s >= here), 0))

        self.app.push_screen(
            PromptScreen(
                "Find in this article",
                self.search_query or "",
                hint="enter: find (ignoring case), then n/N   esc: cancel",
            ),
            answer,
        )
