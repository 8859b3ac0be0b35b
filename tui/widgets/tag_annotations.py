"""The annotations of one tag across the corpus: article, quote and note, one line each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from tui.core.annotations.model import Annotation
from tui.display import one_line

ARTICLE_WIDTH = 24


class TagAnnotations(DataTable[Text]):
    """Rows keyed by annotation id; both columns end with an ellipsis when too long."""

    DEFAULT_CSS = """
    TagAnnotations { scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")
        self.annotations: Sequence[Annotation] = ()
        self._titles: Mapping[str, str] = {}
        self._width = 0

    def show(self, annotations: Sequence[Annotation], titles: Mapping[str, str]) -> None:
        """``titles`` maps article ids to titles; a missing article shows its id."""
        self.annotations, self._titles = annotations, titles
        self._rebuild()

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._rebuild()

    @property
    def current(self) -> Annotation | None:
        if not self.annotations or self.cursor_row >= len(self.annotations):
            return None
        return self.annotations[self.cursor_row]

    def _rebuild(self) -> None:
        self._width = self.size.width
        article_width = min(ARTICLE_WIDTH, max(10, self._width // 3))
        quote_width = max(10, self._width - article_width - 4 - 1)
        self.clear(columns=True)
        self.add_column("Article", key="article", width=article_width)
        self.add_column("Quote and note", key="quote", width=quote_width)
        for item in self.annotations:
            title = self._titles.get(item.article, item.article)
            quote = Text(f"“{one_line(item.exact)}”", no_wrap=True, overflow="ellipsis")
            if item.note:
                quote.append(f"  {one_line(item.note)}", style="italic")
            article = Text(one_line(title), no_wrap=True, overflow="ellipsis")
            self.add_row(article, quote, key=item.id)


__all__ = ["TagAnnotations"]
