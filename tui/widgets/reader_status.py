"""The reader's status line: which match, how many annotations, what the keys do now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.widgets import Static

from tui.core.annotations.model import Anchored
from tui.core.models import Span
from tui.display import plural


@dataclass(frozen=True, slots=True)
class ReaderState:
    """What the status line tells about the reader right now."""

    title: str
    matches: int = 0
    match_index: int | None = None
    query: str | None = None
    entries: Sequence[Anchored] = ()
    here: Anchored | None = None
    """The annotation at the cursor (``e`` and ``d`` act on it)."""
    selecting: bool = False
    selected: Span | None = None
    page: int | None = None
    """The PDF page of the cursor's line; None for formats without pages."""
    deleted: bool = False
    """The article's file is gone from the corpus: the text shown is read-only."""
    opening: str | None = None
    """A long article is still being laid out (``Opening “Title” (500 KB)…``): said
    alone, until its text and its annotations are painted."""


_QUOTES = "\"'“”‘’«»„"


def quoted(query: str) -> str:
    """The query in curly quotes, unless it is a quoted phrase already (no “"x"”)."""
    if len(query) >= 2 and query[0] in _QUOTES and query[-1] in _QUOTES:
        return query
    return f"“{query}”"


def status_text(state: ReaderState) -> str:
    """The parts that apply, joined by ``·``; the article's title when none does."""
    if state.opening:
        return state.opening
    parts: list[str] = []
    if state.deleted:
        parts.append("This article was deleted from disk (read-only)")
    if state.page is not None:
        parts.append(f"p. {state.page}")
    if state.matches:
        position = "-" if state.match_index is None else str(state.match_index + 1)
        label = f"{quoted(state.query)} " if state.query else ""
        parts.append(f"{label}match {position}/{state.matches}")
    if state.entries:
        orphans = sum(1 for e in state.entries if e.start is None)
        count = plural(len(state.entries), "annotation")
        parts.append(count + (f" ({orphans} orphaned)" if orphans else ""))
    if state.here is not None and not state.deleted:
        parts.append(f"[{', '.join(state.here.tags) or 'no tags'}] e edit, d delete")
    chosen = "" if state.selected is None else f"{state.selected[1] - state.selected[0]} chars"
    if state.selecting:
        parts.append(f"SELECT {chosen or '0 chars'}: arrows extend, a annotate, v/esc stop")
    elif chosen and not state.deleted:
        parts.append(f"{chosen} selected (a annotates)")
    return " · ".join(parts) or state.title


class ReaderStatus(Static):
    """One line under the article; corpus text in it is never read as markup."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def show(self, state: ReaderState) -> None:
        self.update(status_text(state))


__all__ = ["ReaderState", "ReaderStatus", "quoted", "status_text"]
