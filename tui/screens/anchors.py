"""Palette → Review annotations: the fuzzy, orphaned and missing annotations in a queue.

`a` accepts where a fuzzy one was found (``gloss reattach ID``), `r` opens the article
with the annotation chosen so its new passage can be selected and re-attached (`r` in
the reader), `o` or `enter` opens it. The queue follows changes on disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import DataTable, Header, Label
from textual.worker import Worker

from tui.core.annotations.model import Anchored
from tui.display import one_line, plural
from tui.keymap import ANCHORS_COMMANDS, bindings
from tui.messages import Changed
from tui.screens.base import GlossScreen
from tui.shell import failure_text
from tui.widgets.key_footer import KeyFooter

STATE_LABELS = {"fuzzy": "fuzzy", "orphaned": "orphaned", "missing": "article gone"}


@dataclass(frozen=True, slots=True)
class AnchorItem:
    """One row: the annotation placed today, its article's title, the text found now."""

    placed: Anchored
    title: str
    found: str = ""
    """For a fuzzy one, the text it would be attached to on accept."""


class AnchorsScreen(GlossScreen):
    CSS_PATH = "anchors.tcss"
    BINDINGS: ClassVar[list[BindingType]] = bindings(ANCHORS_COMMANDS)
    COMMAND_LIST = ANCHORS_COMMANDS
    AUTO_FOCUS = "#anchors-items"

    @dataclass
    class Loaded(Message):
        """The queue as the worker read it."""

        items: list[AnchorItem] = field(default_factory=list)

    def __init__(self) -> None:
        super().__init__(id="anchors")
        self.items: list[AnchorItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Reading the annotations…", id="anchors-summary", markup=False)
        yield DataTable(id="anchors-items", cursor_type="row")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Review"
        table = self.query_one(DataTable)
        table.add_column("State", key="state", width=12)
        table.add_column("Article", key="article", width=24)
        table.add_column("Tags", key="tags", width=20)
        table.add_column("Quote → found now", key="quote")
        self.load()

    @work(thread=True, exclusive=True, group="anchors", exit_on_error=False)
    def load(self) -> None:
        """Re-anchor what may have moved (only articles changed since), off the loop."""
        from tui.core.annotations.review import needing_review

        workspace = self.shell.workspace
        corpus = workspace.corpus
        review = needing_review(workspace.store, corpus)
        infos = corpus.catalogue.infos(sorted(review))
        items = []
        for article_id in sorted(review):
            info = infos.get(article_id)
            body = corpus.get(article_id).body if info is not None else ""
            for placed in review[article_id]:
                found = placed.text(body) if placed.state == "fuzzy" else ""
                items.append(AnchorItem(placed, info.title if info else article_id, found))
        self.post_message(self.Loaded(items))

    def on_anchors_screen_loaded(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        keep = self.current.placed.id if self.current else None
        self.items = message.items
        table.clear()
        for item in self.items:
            placed = item.placed
            quote = Text(f"“{one_line(placed.exact)}”", no_wrap=True, overflow="ellipsis")
            if item.found:
                quote.append(f" → “{one_line(item.found)}”", style="bold")
            table.add_row(
                Text(STATE_LABELS.get(placed.state, placed.state)),
                Text(one_line(item.title), no_wrap=True, overflow="ellipsis"),
                Text(", ".join(placed.tags), no_wrap=True, overflow="ellipsis"),
                quote,
                key=placed.id,
            )
        rows = [i for i, item in enumerate(self.items) if item.placed.id == keep]
        if rows:
            table.move_cursor(row=rows[0])
        summary = (
            f"{plural(len(self.items), 'annotation')} to review: "
            "a accept a fuzzy match · r re-attach in the reader · o open"
            if self.items
            else "Nothing to review: every annotation is where it was made."
        )
        self.query_one("#anchors-summary", Label).update(summary)

    def on_changed(self, message: Changed) -> None:
        if message.annotations or message.articles or message.corpus:
            self.load()

    @property
    def current(self) -> AnchorItem | None:
        table = self.query_one(DataTable)
        if not self.items or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    def action_accept(self) -> None:
        item = self.current
        if item is None:
            return
        if item.placed.state != "fuzzy":
            self.notify(
                f"{item.placed.id} is {STATE_LABELS[item.placed.state]}: nothing was found to "
                "accept; r opens the article to re-attach it",
                severity="warning",
                markup=False,
            )
            return
        self._accept(item)

    @work(thread=True, group="anchors-accept", exit_on_error=False)
    def _accept(self, item: AnchorItem) -> None:
        from tui.core.annotations.review import accept_match

        workspace = self.shell.workspace
        article = workspace.corpus.get(item.placed.article)
        accept_match(workspace.store, article, item.placed.annotation)
        done = f"Accepted: “{one_line(item.found)}” for [{', '.join(item.placed.tags)}]"
        self.app.call_from_thread(self.notify, done, title="Review", markup=False)
        self.app.call_from_thread(self.load)

    def action_reattach(self) -> None:
        item = self.current
        if item is None:
            return
        if item.placed.state == "missing":
            self.notify(
                "Its article is gone from the corpus: restore the file, or delete the "
                "annotation (gloss delete ID)",
                severity="warning",
                markup=False,
            )
            return
        self.action_open()  # the reader, on it, says to select the passage and press r

    def action_open(self) -> None:
        item = self.current
        if item is not None:
            self.shell.open_reader(item.placed.article, annotation_id=item.placed.id)

    @on(DataTable.RowSelected, "#anchors-items")
    def _chosen(self) -> None:
        self.action_open()

    def worker_failed(self, worker: Worker[object]) -> None:
        if worker.group == "anchors":
            self.query_one("#anchors-summary", Label).update(failure_text(worker.error))


__all__ = ["AnchorItem", "AnchorsScreen"]
