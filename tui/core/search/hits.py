"""What a search answers with: hits, a result page, and the report of an index refresh.

Plain frozen dataclasses so the CLI prints them and the UI renders them from a worker
thread without touching Whoosh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tui.core.models import Span


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching article.

    ``spans`` are ``[start, end)`` offsets into the article's body (the text of
    ``gloss show ID --json``), one per match of a query term or phrase, in order.
    ``snippet`` is one line of that body around the best matches; ``snippet_spans``
    are the same matches as offsets into ``snippet``, for styling.
    """

    id: str
    title: str
    source: str | None
    date: dt.date | None
    score: float
    snippet: str
    snippet_spans: tuple[Span, ...]
    spans: tuple[Span, ...]
    author: str | None = None

    def to_json(self) -> dict[str, object]:
        """The fields `gloss search --json` prints."""
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "date": self.date.isoformat() if self.date else None,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "spans": [list(span) for span in self.spans],
        }


class SearchCancelled(Exception):
    """Raised inside a search when its ``cancelled()`` callback turned true; not an error."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The top hits of a query, how many articles match in all, and a spelling hint.

    ``suggestion`` is a corrected query ("did you mean") when nothing matched and the
    index's vocabulary has a close word; ``notices`` are one-line messages such as
    "the index was damaged and has been rebuilt".
    """

    query: str
    hits: tuple[Hit, ...]
    total: int
    suggestion: str | None = None
    notices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RefreshReport:
    """What bringing the index up to date did, and how long it took."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    notices: tuple[str, ...] = ()
    problems: dict[str, str] = field(default_factory=dict)
    """Every file that cannot be read (id: why), new or as before: none is in ``total``."""

    @property
    def indexed(self) -> int:
        """Articles written to the index by this refresh."""
        return self.added + self.updated

    @property
    def total(self) -> int:
        """Articles in the index afterwards."""
        return self.added + self.updated + self.unchanged

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.deleted or self.rebuilt)
