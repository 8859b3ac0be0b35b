"""The library's query field: search as you type, errors shown on the field itself."""

from __future__ import annotations

from textual.widgets import Input

PLACEHOLDER = 'Search  /   words, "a phrase", chip*, title:…, tag:…, date:2024'


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

    def mark_invalid(self, invalid: bool) -> None:
        self.set_class(invalid, "-unreadable")

    @property
    def unreadable(self) -> bool:
        """The query typed cannot be read (its error is on the status line)."""
        return self.has_class("-unreadable")


__all__ = ["SearchBox"]
