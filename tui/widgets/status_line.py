"""One line under the table: counts (or the query error) on the left, the corpus on the right."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from tui.display import keep_end

PATH_SHARE = 0.45
"""At most this share of the line goes to the path; the counts get the rest."""


class StatusLine(Horizontal):
    """Counts and errors shrink with an ellipsis at their end, the path at its start."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        padding: 0 1;
        & > #status-text { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
        & > #status-path { width: auto; color: $text-muted; text-wrap: nowrap; margin-left: 2; }
        &.-error > #status-text { color: $text-error; text-style: bold; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._path = ""

    def compose(self) -> ComposeResult:
        yield Label(id="status-text", markup=False)
        yield Label(id="status-path", markup=False)

    def show(self, text: str, *, error: bool = False) -> None:
        self.set_class(error, "-error")
        self.query_one("#status-text", Label).update(text)

    def show_path(self, path: str) -> None:
        self._path = path
        self._fit_path()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_path()

    def _fit_path(self) -> None:
        room = int(self.size.width * PATH_SHARE) if self.size.width else len(self._path)
        self.query_one("#status-path", Label).update(keep_end(self._path, room))

    @property
    def text(self) -> str:
        return str(self.query_one("#status-text", Label).content)


__all__ = ["StatusLine"]
