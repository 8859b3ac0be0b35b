"""The library's query field: search as you type, errors shown on the field itself."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.widgets import Input

PLACEHOLDERS = (
    'Search  /   words, "a phrase", chip*, title:…, tag:…, date:2024',
    'Search  /   words, "a phrase", tag:…, date:2024',
    'Search  /   words, "a phrase"',
    "Search  /",
)
"""The longest that fits the box is shown: a hint is never cut off."""
PLACEHOLDER = PLACEHOLDERS[0]


def placeholder_for(width: int) -> str:
    """The longest placeholder that fits ``width`` cells (the shortest if none does)."""
    return next((p for p in PLACEHOLDERS if cell_len(p) < width), PLACEHOLDERS[-1])


class SearchBox(Input):
    """An Input that turns red-bordered (``-unreadable``) while the query cannot be parsed.

    Not Input's own ``-invalid``: Input clears that one on every submit and blur.
    """

    DEFAULT_CSS = """
    SearchBox.-unreadable, SearchBox.-unreadable:focus { border: tall $error; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, select_on_focus=False)
        self.tooltip = "Type to search; enter opens the top hit; esc goes to the table"

    def on_resize(self, event: events.Resize) -> None:
        self.placeholder = placeholder_for(self.content_size.width)

    def mark_invalid(self, invalid: bool) -> None:
        self.set_class(invalid, "-unreadable")

    @property
    def unreadable(self) -> bool:
        """The query typed cannot be read (its error is on the status line)."""
        return self.has_class("-unreadable")


__all__ = ["SearchBox"]
