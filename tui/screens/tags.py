"""`t`: the codebook as a tree with counts; rename/merge, describe, recolour; browse by tag.

`enter` on a tag lists its annotations (the tag and its subtree) across the corpus;
`enter` on one of them opens it in the reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Header, Label, Tree
from textual.worker import Worker

from tui.core.annotations.model import Annotation, has_tag, subtree_counts
from tui.core.errors import GlossError
from tui.dialogs.prompt import PromptScreen
from tui.display import one_line, plural
from tui.keymap import TAGS_COMMANDS, bindings
from tui.messages import Changed
from tui.screens.base import GlossScreen
from tui.shell import failure_text
from tui.widgets.key_footer import KeyFooter
from tui.widgets.tag_annotations import TagAnnotations
from tui.widgets.tag_tree import TagInfo, TagTree

if TYPE_CHECKING:
    pass


class TagsScreen(GlossScreen):
    CSS_PATH = "tags.tcss"
    BINDINGS: ClassVar[list[BindingType]] = bindings(TAGS_COMMANDS)
    COMMAND_LIST = TAGS_COMMANDS
    AUTO_FOCUS = "#tag-tree"

    @dataclass
    class Loaded(Message):
        """The codebook with counts, as read by the load worker."""

        tags: list[TagInfo]
        totals: dict[str, int]
        """Annotations under each tag and its subtree, each annotation counted once."""

    @dataclass
    class Listed(Message):
        """The annotations under ``tag``, ready to show."""

        tag: str
        annotations: list[Annotation]

    def __init__(self) -> None:
        super().__init__(id="tags")
        self.listed_tag: str | None = None
        self._listed: list[Annotation] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="tags-body"):
            yield TagTree(id="tag-tree")
            with Vertical(id="tag-side"):
                yield Label("enter on a tag lists its annotations", id="tag-details", markup=False)
                yield TagAnnotations(id="tag-annotations")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Tags"
        self.load()

    # Loading ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="tags", exit_on_error=False)
    def load(self) -> None:
        """Codebook and counts from the store, off the event loop (it reads every file)."""
        store = self.shell.workspace.store
        scan = store.scan()
        book = store.codebook()
        tags = []
        for name, count in store.tag_counts(scan).items():
            info = book.get(name)
            tags.append(
                TagInfo(
                    name, count, info.colour if info else None, info.description if info else ""
                )
            )
        totals = subtree_counts((a.tags for a in scan), book.names())
        self.post_message(self.Loaded(tags, totals))

    def on_tags_screen_loaded(self, message: Loaded) -> None:
        tree = self.query_one(TagTree)
        tree.show_tags(message.tags, message.totals)
        if not message.tags:
            self.query_one("#tag-details", Label).update(
                "No tags yet: annotate a passage in the reader (a) to start the codebook"
            )
        if self.listed_tag is not None:
            self.list_annotations(self.listed_tag)

    def on_changed(self, message: Changed) -> None:
        """Another process (or the reader) changed annotations: show the new counts."""
        if message.annotations or message.codebook:
            self.load()

    @work(thread=True, exclusive=True, group="list", exit_on_error=False)
    def list_annotations(self, tag: str) -> None:
        """Every annotation under ``tag`` (its subtree too), by article then position."""
        found = [a for a in self.shell.workspace.store.scan() if has_tag(a.tags, tag)]
        found.sort(key=lambda a: (a.article, a.start))
        self.post_message(self.Listed(tag, found))

    def on_tags_screen_listed(self, message: Listed) -> None:
        self.listed_tag, self._listed = message.tag, message.annotations
        infos = self.shell.workspace.corpus.catalogue.infos(
            sorted({a.article for a in message.annotations})
        )
        titles = {key: info.title for key, info in infos.items()}
        self.query_one(TagAnnotations).show(message.annotations, titles)
        self._show_details(message.tag)

    def _show_details(self, tag: str) -> None:
        info = self.query_one(TagTree).tags.get(tag)
        described = info.description if info and info.description else "no description"
        colour = info.colour if info and info.colour else "no colour"
        count = len(self._listed) if tag == self.listed_tag else 0
        self.query_one("#tag-details", Label).update(
            f"{tag}: {one_line(described)} ({colour}) · {plural(count, 'annotation')}"
        )

    # Navigation ------------------------------------------------------------------------

    @on(Tree.NodeSelected)
    def _tag_chosen(self, event: Tree.NodeSelected[str]) -> None:
        if event.node.data:
            self.list_annotations(event.node.data)
            self.query_one(TagAnnotations).focus()

    @on(DataTable.RowSelected, "#tag-annotations")
    def _annotation_chosen(self) -> None:
        item = self.query_one(TagAnnotations).current
        if item is not None:
            self.shell.open_reader(item.article, annotation_id=item.id)

    # Editing the codebook --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rename", "describe", "recolour"):
            # None greys the key out in the footer instead of hiding it.
            return True if self.query_one(TagTree).current_tag is not None else None
        return True

    @on(Tree.NodeHighlighted)
    def _tag_highlighted(self) -> None:
        self.refresh_bindings()

    def _ask(self, title: str, value: str, hint: str, then: Callable[[str, str], str]) -> None:
        tag = self.query_one(TagTree).current_tag
        if tag is None:
            return

        def ask(value: str, error: str = "") -> None:
            """The prompt; asked again with the answer and the reason when the store refuses it."""

            def answered(answer: str | None) -> None:
                if answer is not None:
                    self.change(then, tag, answer, ask)

            self.app.push_screen(PromptScreen(title.format(tag=tag), value, hint, error), answered)

        ask(value)

    def action_rename(self) -> None:
        tag = self.query_one(TagTree).current_tag or ""
        self._ask(
            "Rename {tag} (and its subtree) to",
            tag,
            "an existing name merges the two tags   esc: cancel",
            lambda old, new: (
                f"{self.shell.workspace.store.rename_tag(old, new)} annotations "
                f"moved from {old} to {new}"
            ),
        )

    def action_describe(self) -> None:
        info = self._current_info()
        self._ask(
            "Describe {tag}",
            info.description if info else "",
            "",
            lambda tag, text: (
                f"{self.shell.workspace.store.describe_tag(tag, text).name} described"
            ),
        )

    def action_recolour(self) -> None:
        info = self._current_info()
        self._ask(
            "Colour of {tag}",
            (info.colour if info else None) or "",
            "#rrggbb, e.g. #d08770   esc: cancel",
            lambda tag, colour: (
                f"{self.shell.workspace.store.set_tag(tag, colour=colour).name} is now {colour}"
            ),
        )

    def _current_info(self) -> TagInfo | None:
        tree = self.query_one(TagTree)
        return tree.tags.get(tree.current_tag or "")

    @work(thread=True, group="codebook", exit_on_error=False)
    def change(
        self,
        apply: Callable[[str, str], str],
        tag: str,
        value: str,
        again: Callable[[str, str], None],
    ) -> None:
        """Write a codebook change through the store, say what it did, reload the tree.

        An answer the store refuses (a colour that is not ``#rrggbb``…) is asked ``again``,
        with the text typed and the reason, so neither is lost.
        """
        try:
            done = apply(tag, value)
        except GlossError as exc:
            self.app.call_from_thread(again, value, str(exc))
            return
        self.app.call_from_thread(self.notify, done, title="Codebook", markup=False)
        self.app.call_from_thread(self.load)

    def worker_failed(self, worker: Worker[object]) -> None:
        """Told by the app; a codebook that cannot be read is also said where it would be."""
        if worker.group == "tags":
            self.query_one("#tag-details", Label).update(failure_text(worker.error))


__all__ = ["TagsScreen"]
