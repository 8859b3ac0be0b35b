"""The library's query field: search as you type, errors shown on the field itself."""

from __future__ import annotations

from textual.widgets import Input

PLACEHOLDER = 'Search  /   words, "a phrase", chip*, title:…, tag:…, date:2024'


class SearchBox(Input):
    """An Input that turns red-bordered (``-invalid``) while the query cannot be parsed."""

    DEFAULT_CSS = """
    SearchBox.-invalid { border: tall $error; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, select_on_focus=False)
        self.tooltip = "Type to search; enter opens the top hit; esc goes to the table"

    def mark_invalid(self, invalid: bool) -> None:
        self.set_class(invalid, "-invalid")


__all__ = ["SearchBox"]
