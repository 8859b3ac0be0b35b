"""Moving through one article by body offsets: what the reader asks, without a screen.

Which words a selection stores (the spaces around it are left out), which annotation is
at the cursor, and which annotation or search match comes next or before. Everything is
a character offset into the normalised body, as everywhere in Gloss; orphaned
annotations (no offsets) are never "at" or "next to" anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tui.core.analysis.agreement import by_coder
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


_WORD = re.compile(r"\w+(?:['’]\w+)*")
"""A word for ctrl+arrows: letters and digits, with apostrophes inside (Moscow's, l’État)."""


def _word_edges(line: str) -> list[int]:
    return sorted({edge for m in _WORD.finditer(line) for edge in (m.start(), m.end())})


def word_right(line: str, column: int) -> int:
    """Where ctrl+right goes on ``line`` from ``column``: past the spaces, to the end of
    the word (or the start of the next one); the line's end when none is left."""
    at = column + len(line[column:]) - len(line[column:].lstrip())
    return next((edge for edge in _word_edges(line) if edge > at), len(line))


def word_left(line: str, column: int) -> int:
    """Where ctrl+left goes on ``line`` from ``column``: back over the spaces, to the start
    of the word (or the end of the one before); the line's start when none is left."""
    before = len(line[:column].rstrip())
    return max((edge for edge in _word_edges(line) if 0 < edge < before), default=0)


def find_all(body: str, text: str) -> list[Span]:
    """Every place ``text`` occurs in ``body``, ignoring case, as body spans.

    Matched on the body itself (not a lowered copy, whose length can differ), so the
    spans are offsets into the body like every other span.
    """
    if not text:
        return []
    return [m.span() for m in re.finditer(re.escape(text), body, re.IGNORECASE)]


@dataclass(frozen=True, slots=True)
class Passage:
    """One stretch of text some coders annotated: what each of them put on it."""

    start: int
    end: int
    coded: dict[str, tuple[Anchored, ...]]
    """Coder (the annotation's ``author``, ``""`` for none) to their annotations here."""


def side_by_side(entries: Iterable[Anchored]) -> tuple[list[str], list[Passage]]:
    """The coders of one article, and its annotated passages with each coder's annotations.

    Overlapping annotations (of any coders) make one passage, so a row lines up what
    every coder did with the same words; a coder with nothing there is missing from
    ``coded``. Orphaned and missing annotations have no passage and are left out.
    """
    items = list(entries)
    coders = list(by_coder(items))
    rows: list[tuple[int, int, list[Anchored]]] = []
    for (start, end), entry in placed(items):
        if rows and start < rows[-1][1]:
            first, last, group = rows[-1]
            rows[-1] = (first, max(last, end), [*group, entry])
        else:
            rows.append((start, end, [entry]))
    passages = [
        Passage(start, end, {coder: tuple(group) for coder, group in by_coder(members).items()})
        for start, end, members in rows
    ]
    return coders, passages


__all__ = [
    "Passage",
    "annotation_at",
    "find_all",
    "next_annotation",
    "next_index",
    "placed",
    "previous_annotation",
    "previous_index",
    "side_by_side",
    "trim",
    "word_left",
    "word_right",
]
