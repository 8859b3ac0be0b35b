"""One line under the table: counts (or the query error) on the left, the corpus on the right."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label


class StatusLine(Horizontal):
    """Counts and errors shrink with an ellipsis first; the path keeps its end visible."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        padding: 0 1;
        & > #status-text { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
        & > #status-path {
            width: auto; max-width: 45%; color: $text-muted;
            text-wrap: nowrap; text-overflow: ellipsis; margin-left: 2;
        }
        &.-error > #status-text { color: $text-error; text-style: bold; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Label(id="status-text", markup=False)
        yield Label(id="status-path", markup=False)

    def show(self, text: str, *, error: bool = False) -> None:
        self.set_class(error, "-error")
        self.query_one("#status-text", Label).update(text)

    def show_path(self, path: str) -> None:
        self.query_one("#status-path", Label).update(path)

    @property
    def text(self) -> str:
        return str(self.query_one("#status-text", Label).content)


__all__ = ["StatusLine"]
