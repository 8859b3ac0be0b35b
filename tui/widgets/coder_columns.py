"""CoderColumns: every coder's annotations on one article, side by side (issue 15).

One row per annotated passage (overlapping annotations of any coder make one passage),
one column per coder (the annotations' ``author``), so where coders agree, differ or
one of them coded nothing shows at a glance. ``enter`` on a row selects its passage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from tui.core.annotations.model import Anchored
from tui.core.annotations.navigation import Passage, side_by_side
from tui.display import clip

NO_AUTHOR = "(no author)"
QUOTE_WIDTH = 30


class CoderColumns(DataTable[Text]):
    """The passages of one article, with what each coder put on them."""

    DEFAULT_CSS = """
    CoderColumns {
        height: 40%;
        border-top: tall $border;
        border-title-color: $text-accent;
    }
    """

    @dataclass
    class Chosen(Message):
        """A passage was picked (``enter``): the reader selects it."""

        start: int
        end: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.coders: list[str] = []
        self.passages: list[Passage] = []

    def show(self, body: str, entries: Sequence[Anchored]) -> None:
        """Rebuild the table from the article's annotations (every coder's)."""
        self.coders, self.passages = side_by_side(entries)
        self.clear(columns=True)
        self.add_column("Passage", width=QUOTE_WIDTH)
        for coder in self.coders:
            self.add_column(coder or NO_AUTHOR)
        for number, passage in enumerate(self.passages):
            quote = Text(clip(body[passage.start : passage.end], QUOTE_WIDTH), style="italic")
            cells = [_cell(passage.coded.get(coder, ())) for coder in self.coders]
            self.add_row(quote, *cells, key=str(number), height=None)
        self.border_title = f"Coders ({len(self.coders)}) · {len(self.passages)} passages"

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        passage = self.passages[event.cursor_row]
        self.post_message(self.Chosen(passage.start, passage.end))


def _cell(entries: Sequence[Anchored]) -> Text:
    """A coder's tags on the passage, one annotation per line; a dash for nothing."""
    if not entries:
        return Text("—", style="dim")
    return Text("\n".join(", ".join(e.tags) or "(no tag)" for e in entries))


__all__ = ["NO_AUTHOR", "CoderColumns"]
