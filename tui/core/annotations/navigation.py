"""Moving through one article by body offsets: what the reader asks, without a screen.

Which words a selection stores (the spaces around it are left out), which annotation is
at the cursor, and which annotation or search match comes next or before. Everything is
a character offset into the normalised body, as everywhere in Gloss; orphaned
annotations (no offsets) are never "at" or "next to" anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tui.core.annotations.model import Anchored
from tui.core.models import Span


def trim(body: str, span: Span) -> Span | None:
    """``span`` without the spaces and line breaks at either end: the quote that is stored.

    A mouse or word-wise selection easily takes a space at either end. None when the
    span holds nothing but whitespace.
    """
    start, end = span
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def next_index(starts: Sequence[int], offset: int) -> int:
    """The first of ``starts`` (in order) after ``offset``; past the last, the first again."""
    return next((i for i, start in enumerate(starts) if start > offset), 0)


def previous_index(starts: Sequence[int], offset: int) -> int:
    """The last of ``starts`` (in order) before ``offset``; before the first, the last."""
    before = [i for i, start in enumerate(starts) if start < offset]
    return before[-1] if before else len(starts) - 1


def placed(entries: Iterable[Anchored]) -> list[tuple[Span, Anchored]]:
    """The annotations that have a place in the body, with it, by start (orphans left out)."""
    spans = [
        ((entry.start, entry.end), entry)
        for entry in entries
        if entry.start is not None and entry.end is not None
    ]
    return sorted(spans, key=lambda item: item[0][0])


def next_annotation(entries: Iterable[Anchored], offset: int) -> Anchored | None:
    """The annotation that starts after ``offset`` (wrapping round); None if none is placed."""
    found = placed(entries)
    if not found:
        return None
    return found[next_index([span[0] for span, _ in found], offset)][1]


def previous_annotation(entries: Iterable[Anchored], offset: int) -> Anchored | None:
    """The annotation that starts before ``offset`` (wrapping round); None if none is placed."""
    found = placed(entries)
    if not found:
        return None
    return found[previous_index([span[0] for span, _ in found], offset)][1]


def annotation_at(
    entries: Iterable[Anchored], cursor: int, selected: Span | None = None
) -> Anchored | None:
    """The annotation whose passage is ``selected``, else the innermost one around ``cursor``.

    The cursor counts as inside at either end of a passage. Where annotations overlap,
    the shortest wins, so a short one nested in a long one can still be reached.
    """
    around = [
        (span, entry)
        for span, entry in placed(entries)
        if span == selected or span[0] <= cursor <= span[1]
    ]
    around.sort(key=lambda item: (item[0] != selected, item[0][1] - item[0][0]))
    return around[0][1] if around else None


__all__ = [
    "annotation_at",
    "next_annotation",
    "next_index",
    "placed",
    "previous_annotation",
    "previous_index",
    "trim",
]
