"""AnnotationPanel: this article's annotations, in reading order, orphans last.

Each entry shows the tags (a swatch in the tag's codebook colour, kept on one line with
its name), the anchoring state, the quote and a preview of the note, so two entries on
the same tags can be told apart. The chosen entry (the one `r`, `e` and `d` act on from
the panel) carries a ▶ even while the panel is not focused.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence

from rich.text import Text
from textual import events
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.core.annotations.model import Anchored
from tui.display import clip

_STATE_LABELS = {
    "exact": "",
    "moved": "moved",
    "fuzzy": "fuzzy?",
    "orphaned": "ORPHANED",
    "missing": "article missing",
}
_CHOSEN = "▶ "
FIRST_ENTRIES = 40
"""Entries laid out when the list is replaced, more than a tall panel shows (each entry
is two lines or more); the rest follow after that frame is painted, in one batch, so a
busy article's panel paints its first screen without laying out all 300 entries first."""


class AnnotationPanel(OptionList):
    """A list of annotations; the option id is the annotation id."""

    DEFAULT_CSS = """
    AnnotationPanel {
        width: 38;
        height: 1fr;
        border: tall $border-blurred;
        border-title-color: $text-accent;
        &:focus { border: tall $border; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: tuple[Anchored, ...] = ()
        self.border_title = "Annotations"
        self._colour_of: Callable[[str], str | None] = lambda _tag: None
        self._marked: int | None = None
        """The option showing the ▶ now."""
        self._pending: list[Anchored] = []
        """Entries not yet added as options (see FIRST_ENTRIES); added by :meth:`complete`."""

    def show(self, entries: Sequence[Anchored], colour_of: Callable[[str], str | None]) -> None:
        """Replace the list, keeping the highlighted annotation if it is still there."""
        keep = self.highlighted_id
        placed = sorted((e for e in entries if e.start is not None), key=lambda e: (e.start, e.end))
        orphans = [e for e in entries if e.start is None]
        self.entries = tuple(placed + orphans)
        self._colour_of = colour_of
        self._marked = None
        self.clear_options()
        ids = [e.id for e in self.entries]
        first = max(FIRST_ENTRIES, ids.index(keep) + FIRST_ENTRIES if keep in ids else 0)
        self._pending = list(self.entries[first:])
        self.add_options([Option(self._prompt(e), id=e.id) for e in self.entries[:first]])
        if self._pending:
            self.call_after_refresh(self.complete)
        count = len(self.entries)
        self.border_title = f"Annotations ({count})"
        if orphans:
            self.border_subtitle = f"{len(orphans)} orphaned · r re-attach"
        else:
            self.border_subtitle = "" if count else "select text, then a"
        if keep is not None and keep in {e.id for e in self.entries}:
            self.highlighted = self.get_option_index(keep)
        self._mark_chosen()

    def complete(self) -> None:
        """Add the entries still pending, all in one call (nothing when they are in)."""
        if self._pending:
            pending, self._pending = self._pending, []
            self.add_options([Option(self._prompt(e), id=e.id) for e in pending])

    def on_focus(self) -> None:
        """Keys on the list (End, PageDown) must see every entry."""
        self.complete()

    def on_resize(self, event: events.Resize) -> None:
        """Lay the entries out again at the new width (chips wrap by hand, see _prompt)."""
        chosen = self.highlighted if self.option_count else None
        for index, entry in enumerate(self.entries[: self.option_count]):
            self.replace_option_prompt_at_index(index, self._prompt(entry, index == chosen))

    def watch_highlighted(self, highlighted: int | None) -> None:
        """Move the ▶ to the newly highlighted entry (OptionList scrolls to it itself)."""
        super().watch_highlighted(highlighted)
        self._mark_chosen()

    def _mark_chosen(self) -> None:
        chosen = self.highlighted if self.option_count else None
        if chosen == self._marked:
            return
        for index, mark in ((self._marked, False), (chosen, True)):
            if index is not None and index < self.option_count:
                self.replace_option_prompt_at_index(
                    index, self._prompt(self.entries[index], chosen=mark)
                )
        self._marked = chosen

    @property
    def highlighted_id(self) -> str | None:
        if self.highlighted is None or not self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    @property
    def highlighted_entry(self) -> Anchored | None:
        wanted = self.highlighted_id
        return next((e for e in self.entries if e.id == wanted), None)

    def highlight_annotation(self, annotation_id: str) -> None:
        """Move the panel's highlight to an annotation (the reader jumped to it)."""
        self.complete()
        with contextlib.suppress(KeyError):
            self.highlighted = self.get_option_index(annotation_id)

    @property
    def _width(self) -> int:
        return max(10, (self.scrollable_content_region.width or 34) - 2)

    def _prompt(self, entry: Anchored, chosen: bool = False) -> Text:
        """Tags (each chip one unit) and state, then the quote, then the note if any."""
        width = self._width
        prompt = Text(_CHOSEN if chosen else "", style="bold")
        chips = [
            Text.assemble(("■ ", self._colour_of(tag) or ""), tag)
            for tag in entry.tags or ("(no tag)",)
        ]
        state = _STATE_LABELS.get(entry.state, entry.state)
        if state:
            lost = entry.state in ("orphaned", "missing")
            chips.append(Text(f"[{state}]", style="bold reverse" if lost else "italic"))
        used = prompt.cell_len
        for chip in chips:  # wrapped by hand: a chip never splits from its swatch
            if used and used + 1 + chip.cell_len > width:
                prompt.append("\n")
                used = 0
            elif used and prompt.plain[-1:] != " ":
                prompt.append(" ")
                used += 1
            prompt.append_text(chip)
            used += chip.cell_len
        prompt.append("\n")
        prompt.append_text(_line(clip("“" + entry.exact + "”", width), width, "italic"))
        if entry.note:
            prompt.append("\n")
            prompt.append_text(_line(clip(entry.note, width), width, "dim"))
        return prompt


def _line(text: str, width: int, style: str) -> Text:
    """One line cut to ``width`` terminal cells (CJK and emoji take two each)."""
    line = Text(text, style=style)
    line.truncate(width, overflow="ellipsis")
    return line
