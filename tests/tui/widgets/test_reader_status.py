"""The reader's status line, as text: each part says what applies now."""

from __future__ import annotations

from tui.core.annotations.model import Anchored, Annotation, State
from tui.widgets.reader_status import ReaderState, status_text


def entry(start: int | None, tags: tuple[str, ...] = ()) -> Anchored:
    annotation = Annotation("id", "a", 0, 5, "Alpha", "", "", "", tags=tags)
    state: State = "exact" if start is not None else "orphaned"
    return Anchored(annotation, state, start, start)


def test_nothing_to_say_shows_the_title() -> None:
    assert status_text(ReaderState("A title")) == "A title"


def test_matches_annotations_and_the_selection() -> None:
    here = entry(0, ("trade",))
    state = ReaderState(
        "A title",
        matches=24,
        match_index=1,
        query="Russia",
        entries=(here, entry(None)),
        here=here,
        selected=(10, 16),
    )
    assert status_text(state) == (
        "“Russia” match 2/24 · 2 annotations (1 orphaned) · [trade] e edit, d delete"
        " · 6 chars selected (a annotates)"
    )
    assert status_text(ReaderState("t", matches=3)) == "match -/3"
    selecting = status_text(ReaderState("t", selecting=True, selected=(0, 1)))
    assert selecting == "SELECT 1 chars: arrows extend, a annotate, v/esc stop"


def test_page_deleted_and_a_quoted_query_not_quoted_again() -> None:
    state = ReaderState("t", matches=1, match_index=0, query='"final line"', page=3)
    assert status_text(state) == 'p. 3 · "final line" match 1/1'
    gone = status_text(ReaderState("t", deleted=True, selected=(0, 4)))
    assert gone == "This article was deleted from disk (read-only)"
