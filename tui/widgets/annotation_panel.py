"""AnnotationPanel: this article's annotations, in reading order, orphans last.

Each entry shows the tags (a swatch in the tag's codebook colour), the anchoring state
and a preview of the note; an orphaned entry shows its stored quote, since it has no
place in the text, so the analyst can select the passage and re-attach it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.core.annotations.model import Anchored
from tui.display import clip

_STATE_LABELS = {"exact": "", "moved": "moved", "fuzzy": "fuzzy?", "orphaned": "ORPHANED"}


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

    def show(self, entries: Sequence[Anchored], colour_of: Callable[[str], str | None]) -> None:
        """Replace the list, keeping the highlighted annotation if it is still there."""
        keep = self.highlighted_id
        placed = sorted((e for e in entries if e.start is not None), key=lambda e: (e.start, e.end))
        orphans = [e for e in entries if e.start is None]
        self.entries = tuple(placed + orphans)
        width = max(10, (self.scrollable_content_region.width or 34) - 2)
        self.clear_options()
        self.add_options([Option(self._prompt(e, colour_of, width), id=e.id) for e in self.entries])
        count = len(self.entries)
        self.border_title = f"Annotations ({count})"
        if orphans:
            self.border_subtitle = f"{len(orphans)} orphaned · r re-attach"
        else:
            self.border_subtitle = "" if count else "select text, then a"
        if keep is not None and keep in {e.id for e in self.entries}:
            self.highlighted = self.get_option_index(keep)

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
        with contextlib.suppress(KeyError):
            self.highlighted = self.get_option_index(annotation_id)

    @staticmethod
    def _prompt(entry: Anchored, colour_of: Callable[[str], str | None], width: int) -> Text:
        prompt = Text(no_wrap=True, overflow="ellipsis")
        for tag in entry.tags or ("(no tag)",):
            colour = colour_of(tag)
            prompt.append("■ ", style=colour or "")
            prompt.append(tag + " ")
        state = _STATE_LABELS.get(entry.state, entry.state)
        if state:
            prompt.append(
                f"[{state}]", style="bold reverse" if entry.state == "orphaned" else "italic"
            )
        prompt.append("\n")
        if entry.state == "orphaned":
            prompt.append(clip("“" + entry.exact + "”", width), style="italic")
        else:
            prompt.append(clip(entry.note or "“" + entry.exact + "”", width), style="dim")
        return prompt
