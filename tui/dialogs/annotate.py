"""AnnotateDialog: tags (completed from the codebook) and a note for one passage.

The dialog only collects what the analyst typed and returns an :class:`AnnotationDraft`;
the reader saves it through the store, so this module never touches files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static, TextArea

from tui.core.annotations.model import AnnotationError, normalise_tags
from tui.display import clip
from tui.keymap import ANNOTATE_COMMANDS, bindings

QUOTE_LINES = 3
"""Lines of the dialog the selected passage may take."""


@dataclass(frozen=True, slots=True)
class AnnotationDraft:
    """What the dialog hands back: tags in the order typed, and the note."""

    tags: tuple[str, ...]
    note: str


def parse_tags(value: str) -> tuple[str, ...]:
    """Comma-separated tags, trimmed, empties and repeats dropped, order kept."""
    seen: dict[str, None] = {}
    for part in value.split(","):
        tag = part.strip()
        if tag and tag.casefold() not in {t.casefold() for t in seen}:
            seen[tag] = None
    return tuple(seen)


class TagSuggester(Suggester):
    """Completes the tag being typed (after the last comma) from the codebook."""

    def __init__(self, tags: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = sorted(tags, key=str.casefold)

    def matches(self, value: str) -> list[str]:
        """Codebook tags that start with the fragment being typed and are not yet used."""
        *done, fragment = value.split(",")
        fragment = fragment.strip().casefold()
        used = {tag.strip().casefold() for tag in done}
        return [
            tag
            for tag in self.tags
            if tag.casefold().startswith(fragment) and tag.casefold() not in used
        ]

    async def get_suggestion(self, value: str) -> str | None:
        fragment = value.split(",")[-1].lstrip()
        if not fragment:
            return None
        for tag in self.matches(value):
            if len(tag) > len(fragment):
                return value + tag[len(fragment) :]
        return None


class AnnotateDialog(ModalScreen[AnnotationDraft | None]):
    """`enter` in the tag field or `ctrl+s` anywhere saves; `escape` cancels."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")

    BINDINGS: ClassVar[list[BindingType]] = bindings(ANNOTATE_COMMANDS)

    def __init__(
        self,
        quote: str,
        *,
        codebook: Sequence[str] = (),
        tags: Sequence[str] = (),
        note: str = "",
        heading: str = "Annotate",
    ) -> None:
        super().__init__()
        self.quote = quote
        self.suggester = TagSuggester(codebook)
        self.initial_tags = ", ".join(tags)
        self.initial_note = note
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical(id="annotate-box") as box:
            box.border_title = self.heading
            box.border_subtitle = "enter save · tab note · ctrl+s save · esc cancel"
            yield Static(_quote(self.quote), id="annotate-quote", markup=False)
            yield Label("Tags (comma-separated, → completes)", classes="annotate-label")
            yield Input(
                self.initial_tags,
                placeholder="e.g. sanctions, trade",
                suggester=self.suggester,
                id="annotate-tags",
                select_on_focus=False,  # coming back (or editing) adds a tag, not replaces all
            )
            yield Static("", id="annotate-known", markup=False)
            yield Label("Note", classes="annotate-label")
            yield TextArea(
                self.initial_note, id="annotate-note", soft_wrap=True, tab_behavior="focus"
            )

    def on_mount(self) -> None:
        self.query_one("#annotate-tags", Input).focus()
        self._show_known(self.initial_tags)
        self.call_after_refresh(self._fit_quote)

    def on_resize(self) -> None:
        self._fit_quote()

    def _fit_quote(self) -> None:
        """Cut a long quote to the lines it may use, ending with an ellipsis."""
        widget = self.query_one("#annotate-quote", Static)
        width = widget.content_region.width
        if width > 0:
            widget.update(_quote(self.quote, width * QUOTE_LINES - 2))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show_known(event.value)

    def _show_known(self, value: str) -> None:
        matches = self.suggester.matches(value)
        if not self.suggester.tags:
            text = "No tags in the codebook yet: new ones are added on save."
        elif matches:
            text = "Codebook: " + ", ".join(matches)
        else:
            text = "New tag: added to the codebook on save."
        self.query_one("#annotate-known", Static).update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        tags = parse_tags(self.query_one("#annotate-tags", Input).value)
        note = self.query_one("#annotate-note", TextArea).text.strip()
        if not tags and not note:
            self.notify("Give at least one tag or a note.", severity="warning")
            return
        try:
            tags = normalise_tags(tags)
        except AnnotationError as exc:  # the core's rule for tag names, shown here
            self.notify(str(exc), severity="error")
            return
        self.dismiss(AnnotationDraft(tags=tags, note=note))

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_annotation(
    app: App[Any],
    quote: str,
    heading: str,
    draft: AnnotationDraft,
    codebook: Sequence[str],
    write: Callable[[AnnotationDraft, Callable[[], object]], object],
    failed: bool = False,
) -> None:
    """The dialog on ``draft``; ``write(answer, retry)`` saves the answer, and ``retry``
    asks again with it (headed "not saved") if the save fails, so a broken annotation
    file does not cost the analyst what they typed."""
    dialog = AnnotateDialog(
        quote,
        codebook=codebook,
        tags=draft.tags,
        note=draft.note,
        heading=f"{heading} (not saved: see the error)" if failed else heading,
    )

    def answered(answer: AnnotationDraft | None) -> None:
        if answer is not None:
            retry = partial(ask_annotation, app, quote, heading, answer, codebook, write, True)
            write(answer, retry)

    app.push_screen(dialog, answered)


def _quote(quote: str, limit: int = 240) -> str:
    """The quote on one line (wrapped by the widget), cut with an ellipsis past ``limit``."""
    return "“" + clip(quote, limit) + "”"
