"""The reader's status line: which match, how many annotations, what the keys do now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from textual.widgets import Static

from tui.core.annotations.model import Anchored
from tui.core.models import Span
from tui.display import clip, plural


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


def _short(query: str) -> str:
    """The query clipped, inside its own quotes if it has them (no “"final li…”)."""
    if len(query) >= 2 and query[0] in _QUOTES and query[-1] in _QUOTES:
        return query[0] + clip(query[1:-1], 14) + query[-1]
    return quoted(clip(query, 16))


def status_text(state: ReaderState, width: int | None = None) -> str:
    """The parts that apply, joined by ``·``; the article's title when none does.

    Given the line's ``width``, a line that would not fit says less before anything is
    cut: key hints go first (the footer has them), then the query and the tags are
    clipped, so the counts and the match position always show.
    """
    if state.opening:
        return state.opening if width is None else clip(state.opening, width)
    # Each part as (full, shorter, shortest); the ones that matter most have no shorter.
    parts: list[tuple[str, ...]] = []
    if state.deleted:
        parts.append(("This article was deleted from disk (read-only)", "deleted from disk"))
    if state.page is not None:
        parts.append((f"p. {state.page}",))
    if state.matches:
        position = "-" if state.match_index is None else str(state.match_index + 1)
        where = f"match {position}/{state.matches}"
        if state.query:
            label = quoted(state.query)
            parts.append((f"{label} {where}", f"{_short(state.query)} {where}", where))
        else:
            parts.append((where,))
    if state.entries:
        orphans = sum(1 for e in state.entries if e.start is None)
        count = plural(len(state.entries), "annotation")
        parts.append((count + (f" ({orphans} orphaned)" if orphans else ""),))
    if state.here is not None and not state.deleted:
        tags = ", ".join(state.here.tags) or "no tags"
        hint = f"[{tags}] e edit, d delete"
        tag_count = len(state.here.tags)
        parts.append(
            (hint, f"[{tags}]", f"[{clip(tags, 16)}]", f"[{plural(tag_count, 'tag')}]")
            if tag_count > 1
            else (hint, f"[{tags}]")
        )
    chosen = "" if state.selected is None else f"{state.selected[1] - state.selected[0]} chars"
    if state.selecting:
        mode = f"SELECT {chosen or '0 chars'}"
        parts.append((f"{mode}: arrows extend, a annotate, v/esc stop", mode))
    elif chosen and not state.deleted:
        parts.append((f"{chosen} selected (a annotates)", f"{chosen} selected", chosen))
    if not parts:
        return state.title
    chosen_forms = [0] * len(parts)

    def line() -> str:
        return " · ".join(part[form] for part, form in zip(parts, chosen_forms, strict=True))

    if width is not None:
        for level in (1, 2, 3):  # hints first, everywhere; then clipped text, then less
            for index in reversed(range(len(parts))):
                if cell_len(line()) <= width:
                    return line()
                chosen_forms[index] = min(level, len(parts[index]) - 1)
    return line()


class ReaderStatus(Static):
    """One line under the article; corpus text in it is never read as markup."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    _state: ReaderState | None = None

    def show(self, state: ReaderState) -> None:
        self._state = state
        self.update(status_text(state, self.content_size.width or None))

    def on_resize(self) -> None:
        if self._state is not None:  # the same state, said to fit the new width
            self.update(status_text(self._state, self.content_size.width or None))


__all__ = ["ReaderState", "ReaderStatus", "quoted", "status_text"]
