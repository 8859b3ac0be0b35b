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


def status_text(state: ReaderState) -> str:
    """The parts that apply, joined by ``·``; the article's title when none does."""
    parts: list[str] = []
    if state.matches:
        position = "-" if state.match_index is None else str(state.match_index + 1)
        label = f"“{state.query}” " if state.query else ""
        parts.append(f"{label}match {position}/{state.matches}")
    if state.entries:
        orphans = sum(1 for e in state.entries if e.start is None)
        count = plural(len(state.entries), "annotation")
        parts.append(count + (f" ({orphans} orphaned)" if orphans else ""))
    if state.here is not None:
        parts.append(f"[{', '.join(state.here.tags) or 'no tags'}] e edit, d delete")
    if state.selecting:
        parts.append("SELECT: arrows extend, a annotate, v/esc stop")
    elif state.selected:
        start, end = state.selected
        parts.append(f"{end - start} chars selected (a annotates)")
    return " · ".join(parts) or state.title


class ReaderStatus(Static):
    """One line under the article; corpus text in it is never read as markup."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def show(self, state: ReaderState) -> None:
        self.update(status_text(state))


__all__ = ["ReaderState", "ReaderStatus", "status_text"]
