"""The reader's logic without a screen: trimming a selection, the annotation at the cursor,
and the next or previous annotation or match, all by body offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.core.annotations.model import Anchored, Annotation, State
from tui.core.annotations.navigation import (
    annotation_at,
    next_annotation,
    next_index,
    placed,
    previous_annotation,
    previous_index,
    trim,
)

BODY = "Alpha beta gamma.\n\nDelta epsilon zeta, eta theta iota."


def anchored(name: str, start: int | None, end: int | None) -> Anchored:
    """An annotation called ``name`` placed at ``start``-``end`` (None: orphaned)."""
    at, to = (start, end) if start is not None and end is not None else (0, 5)
    annotation = Annotation(name, "a", at, to, BODY[at:to], "", "", "")
    state: State = "exact" if start is not None else "orphaned"
    return Anchored(annotation, state, start, end)


LONG = anchored("long", 0, 16)  # Alpha beta gamma
INNER = anchored("inner", 6, 10)  # beta
LATER = anchored("later", 19, 24)  # Delta
ORPHAN = anchored("orphan", None, None)
ENTRIES = (LONG, INNER, LATER, ORPHAN)


def test_trim_leaves_out_the_spaces_and_line_breaks_at_either_end() -> None:
    start = BODY.index("gamma")
    assert trim(BODY, (start - 1, start + 8)) == (start, start + 6)  # " gamma.\n\n"
    assert trim(BODY, (0, 5)) == (0, 5)
    assert trim(BODY, (17, 19)) is None  # only the blank line


@given(st.text(alphabet=" \n\tab", max_size=30), st.data())
def test_trim_keeps_exactly_the_words(body: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(body)))
    end = data.draw(st.integers(start, len(body)))
    trimmed = trim(body, (start, end))
    words = body[start:end].strip()
    if not words:
        assert trimmed is None
    else:
        assert trimmed is not None and start <= trimmed[0] < trimmed[1] <= end
        assert body[trimmed[0] : trimmed[1]] == words


def test_next_and_previous_index_wrap_round() -> None:
    starts = [5, 10, 20]
    assert next_index(starts, 0) == 0
    assert next_index(starts, 5) == 1  # a match that starts here is the current one
    assert next_index(starts, 20) == 0
    assert previous_index(starts, 10) == 0
    assert previous_index(starts, 5) == 2
    assert previous_index(starts, 100) == 2


def test_orphans_have_no_place() -> None:
    assert [entry.id for _, entry in placed(ENTRIES)] == ["long", "inner", "later"]
    assert next_annotation([ORPHAN], 0) is None
    assert previous_annotation([], 0) is None
    assert annotation_at([ORPHAN], 0) is None


def test_next_and_previous_annotation_go_by_start() -> None:
    assert next_annotation(ENTRIES, 0) is INNER
    assert next_annotation(ENTRIES, 6) is LATER
    assert next_annotation(ENTRIES, 30) is LONG  # wraps to the first
    assert previous_annotation(ENTRIES, 19) is INNER
    assert previous_annotation(ENTRIES, 0) is LATER  # wraps to the last


def test_the_innermost_annotation_around_the_cursor_wins() -> None:
    assert annotation_at(ENTRIES, 8) is INNER
    assert annotation_at(ENTRIES, 2) is LONG
    assert annotation_at(ENTRIES, 16) is LONG  # either end counts as inside
    assert annotation_at(ENTRIES, 17) is None


def test_a_selected_passage_picks_its_own_annotation() -> None:
    # The cursor at the end of the long one's selection is inside both; the selection decides.
    assert annotation_at(ENTRIES, 8, selected=(0, 16)) is LONG
    assert annotation_at(ENTRIES, 8, selected=(1, 3)) is INNER
