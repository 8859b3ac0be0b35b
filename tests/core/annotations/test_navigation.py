"""The reader's logic without a screen: trimming a selection, the annotation at the cursor,
and the next or previous annotation or match, all by body offsets."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from tui.core.annotations.model import Anchored, Annotation, State
from tui.core.annotations.navigation import (
    annotation_at,
    find_all,
    next_annotation,
    next_index,
    placed,
    previous_annotation,
    previous_index,
    side_by_side,
    trim,
    word_left,
    word_right,
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


def test_words_keep_their_apostrophes() -> None:
    line = "after Moscow's invasion, l’État"
    assert word_right(line, 5) == len("after Moscow's")
    assert word_right(line, len("after Moscow's")) == len("after Moscow's invasion")
    assert word_left(line, len("after Moscow's")) == len("after ")
    assert word_left(line, len(line)) == len("after Moscow's invasion, ")
    assert word_right(line, len(line)) == len(line) and word_left(line, 0) == 0


@given(st.text(alphabet="ab' ’,.\n", max_size=30), st.integers(0, 30))
def test_word_moves_always_move_and_stay_on_the_line(line: str, column: int) -> None:
    column = min(column, len(line))
    right, left = word_right(line, column), word_left(line, column)
    assert column <= right <= len(line) and (right > column or column == len(line))
    assert 0 <= left <= column and (left < column or column == 0)


def test_find_all_ignores_case_and_gives_body_offsets() -> None:
    body = "İstanbul and RUSSIA, then Russia's."
    spans = find_all(body, "russia")
    assert [body[s:e] for s, e in spans] == ["RUSSIA", "Russia"]
    assert find_all(body, "") == [] and find_all(body, "a.b") == []


def test_side_by_side_lines_up_coders_on_overlapping_passages() -> None:
    def item(start: int, end: int, author: str, tag: str) -> Anchored:
        note = Annotation(f"{author}{start}", "a", start, end, "x", "", "", "", tags=(tag,))
        note = replace(note, author=author)
        return Anchored(note, "exact", start, end)

    orphan = Anchored(
        replace(Annotation("o", "a", 0, 1, "x", "", "", ""), author="c"), "orphaned", None, None
    )
    coders, passages = side_by_side(
        [item(10, 20, "bob", "t"), item(0, 5, "ann", "s"), item(15, 30, "ann", "u"), orphan]
    )
    assert coders == ["ann", "bob", "c"]
    assert [(p.start, p.end) for p in passages] == [(0, 5), (10, 30)]
    assert {c: [e.tags for e in es] for c, es in passages[1].coded.items()} == {
        "ann": [("u",)],
        "bob": [("t",)],
    }
