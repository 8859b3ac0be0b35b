"""A phrase query that checks word positions with integer sets instead of span objects.

Whoosh's ``Phrase`` builds a ``Span`` object per position of every word in every
candidate article; on common phrases that is most of a search's time. This keeps its
rule (each next word 1..slop positions after the previous one, in order) and its
scoring, and only replaces the position check.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate
from pickle import loads
from typing import Any

from whoosh import matching
from whoosh.query import Phrase, SpanNear2, Term
from whoosh.query.qcore import QueryError
from whoosh.query.spans import Span
from whoosh.system import _INT_SIZE


class FastPhrase(Phrase):  # type: ignore[misc]
    """``Phrase`` with the same meaning and scores, cheaper to match."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            raise QueryError(f"phrase search: the {fieldname!r} field has no positions")
        reader = searcher.reader()
        terms = []
        for word in self.words:
            try:
                text = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (fieldname, text) not in reader:
                return matching.NullMatcher()  # a word that never occurs: nothing matches
            terms.append(Term(fieldname, text))
        matchers = [term.matcher(searcher, context) for term in terms]
        found = _PositionsMatcher(matchers, slop=self.slop, ordered=True, mindist=1)
        if self.boost != 1.0:
            found = matching.WrappingMatcher(found, boost=self.boost)
        return found


class _PositionsMatcher(SpanNear2.SpanNear2Matcher):  # type: ignore[misc]
    def _get_spans(self) -> list[Span]:
        lists = [_positions(matcher.value()) for matcher in self.ms]
        return [Span(start, end) for start, end in phrase_runs(lists, self.slop)]


def _positions(value: bytes) -> list[int]:
    """Whoosh's ``Positions.decode_positions`` (a count, then pickled deltas), in C loops."""
    deltas = loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b".")
    return list(accumulate(deltas))


def phrase_runs(positions: list[list[int]], slop: int) -> list[tuple[int, int]]:
    """``(first, last)`` word positions of each phrase occurrence, for sorted position lists."""
    if not positions or not positions[0]:
        return []
    if slop <= 1:
        starts = set(positions[0])
        for offset, later in enumerate(positions[1:], 1):
            starts &= {position - offset for position in later}
            if not starts:
                return []
        last = len(positions) - 1
        return [(start, start + last) for start in sorted(starts)]
    ends = {position: position for position in positions[0]}  # end -> its first word
    for later in positions[1:]:
        reached = sorted(ends)
        following: dict[int, int] = {}
        for position in later:
            index = bisect_left(reached, position - slop)
            if index < len(reached) and reached[index] <= position - 1:
                following[position] = ends[reached[index]]
        ends = following
        if not ends:
            return []
    return sorted((start, end) for end, start in ends.items())


def speed_up(query: Any) -> Any:
    """``query`` with every Whoosh ``Phrase`` swapped for a :class:`FastPhrase`."""

    def swap(node: Any) -> Any:
        if type(node) is Phrase:
            return FastPhrase(
                node.fieldname,
                node.words,
                slop=node.slop,
                boost=node.boost,
                char_ranges=node.char_ranges,
            )
        return node

    return query.accept(swap)
