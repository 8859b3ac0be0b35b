"""Scoring every match of a query, one leaf at a time, for relevance order and the count.

Whoosh's collector walks the matches document by document through a tree of Union and
Intersection matchers. We count every match (no block skipping), so at 10k articles a
two-word query spends ~90 ms in that tree's Python calls. Here each leaf's own Whoosh
matcher is run once into a ``{docnum: score}`` dict and the dicts are combined the way
Whoosh's matchers combine scores (``And`` and ``Or`` add them, ``AndNot`` keeps the left
side's), which gives the same scores and order in about half the time. A node this module
does not know (phrases, ranges, ``AndMaybe``, an ``Or`` with a ``Not`` inside...) is
scored by its own Whoosh matcher, so what it returns is Whoosh's answer by construction.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.searching import Searcher

from tui.core.search.forms import Forms

Scores = dict[int, float]
Check = Callable[[], None]
CHECK_EVERY = 4096
"""Postings read between two polls of the cancellation callback."""
MEMO_SIZE = 2
"""Rankings kept per searcher: the query being typed and paged, and the one before (or
one query's relevance ranking and its date or title order, while that order is paged)."""


@dataclass(frozen=True, slots=True)
class Ranking:
    """Every match of a query, best first: higher score, then lower docnum (Whoosh's
    order). Two flat arrays: 16 bytes a match, not a tuple's ~100."""

    docnums: array[int]
    scores: array[float]

    def __len__(self) -> int:
        return len(self.docnums)

    def page(self, start: int, stop: int) -> list[tuple[float, int]]:
        """``(score, docnum)`` of the matches ranked ``start`` to ``stop - 1``."""
        return list(zip(self.scores[start:stop], self.docnums[start:stop], strict=True))


class RankingMemo:
    """The last few rankings made with one searcher (docnums only hold for it), so the
    next page of a query's hits costs its hits, not the matching again. Keys are parsed
    queries, or ``(query, sort)`` for a ranking put in date or title order."""

    def __init__(self) -> None:
        self._items: OrderedDict[Hashable, Ranking] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, query: Hashable) -> Ranking | None:
        with self._lock:
            found = self._items.get(query)
            if found is not None:
                self._items.move_to_end(query)
            return found

    def put(self, query: Hashable, ranking: Ranking) -> None:
        with self._lock:
            self._items[query] = ranking
            self._items.move_to_end(query)
            while len(self._items) > MEMO_SIZE:
                self._items.popitem(last=False)


def rank(searcher: Searcher, query: wq.Query, check: Check) -> Ranking:
    """Every match of ``query``, ranked. ``check`` is called every :data:`CHECK_EVERY`
    postings and may raise to stop."""
    scores: Scores = {}
    for sub, offset in searcher.leaf_searchers():
        found = _Scorer(sub, check).scores(query, None)
        reader = sub.reader()
        if reader.has_deletions():
            # Postings leave deleted documents out, but a NOT inside an OR (Whoosh's
            # ArrayUnionMatcher over an InverseMatcher) can bring them back.
            deleted = reader.is_deleted
            found = {docnum: score for docnum, score in found.items() if not deleted(docnum)}
        scores.update(
            {offset + docnum: score for docnum, score in found.items()} if offset else found
        )
    # No (score, docnum) tuples: 10k of them per keystroke would wake the garbage
    # collector's full passes. A stable sort on the score keeps ties in docnum order.
    docnums = sorted(scores)
    docnums.sort(key=scores.__getitem__, reverse=True)
    return Ranking(array("q", docnums), array("d", map(scores.__getitem__, docnums)))


class _Scorer:
    """Scores of one query tree on one segment."""

    def __init__(self, searcher: Searcher, check: Check) -> None:
        self.searcher = searcher
        self.context = searcher.context()
        self.reader = searcher.reader()
        self.check = check

    def scores(self, node: wq.Query, within: Collection[int] | None) -> Scores:
        """``node``'s matches and their scores.

        ``within``: the only documents the caller will look at, when they are few enough
        for skipping to them to beat reading every posting. Scores are exact for those;
        other documents may be missing or carry part of their score.
        """
        kind = type(node)
        if kind is wq.And or kind is wq.Or:
            subs = node.subqueries
            if not subs:
                return {}
            if len(subs) == 1:  # Whoosh drops the boost of a one-child compound too
                return self.scores(subs[0], within)
            if kind is wq.And:
                found = self._and(subs, within)
                if found is not None:
                    return _boosted(found, node.boost)
            elif not node.minmatch and node.scale is None and not _has_not(subs):
                return _boosted(_union([self.scores(sub, within) for sub in subs]), node.boost)
        elif kind is Forms:  # a wildcard or fuzzy term, expanded: its And of stems and forms
            return self.scores(node.query, within)
        elif kind is wq.AndNot:
            found = self.scores(node.a, within)
            if found:
                keys = found.keys()
                for docnum in self.scores(node.b, self._hint(keys, node.b)):
                    found.pop(docnum, None)
            return found
        return self._matched(node, within)

    def _and(self, subs: list[wq.Query], within: Collection[int] | None) -> Scores | None:
        """Documents every positive child matches and no ``Not`` child does, the smallest
        child first; None if all are ``Not`` (then Whoosh's own matcher scores it)."""
        positive = sorted((sub for sub in subs if not isinstance(sub, wq.Not)), key=self._size)
        if not positive:
            return None
        found: Scores | None = None
        for sub in positive:
            keys = within if found is None else found.keys()
            part = self.scores(sub, self._hint(keys, sub))
            if found is None:
                found = part
            else:
                found = {
                    docnum: score + part[docnum]
                    for docnum, score in found.items()
                    if docnum in part
                }
            if not found:
                return {}
        assert found is not None
        for sub in subs:
            if isinstance(sub, wq.Not) and found:
                excluded = self.scores(sub.query, self._hint(found.keys(), sub.query))
                # Whoosh scores a Not child as a matcher of everything else, weight 1.0.
                found = {
                    docnum: score + 1.0 for docnum, score in found.items() if docnum not in excluded
                }
        return found

    def _hint(self, keys: Collection[int] | None, node: wq.Query) -> Collection[int] | None:
        """``keys`` as the ``within`` of ``node`` if skipping to them beats reading all
        of its postings, else None."""
        return keys if keys is not None and len(keys) * 2 < self._size(node) else None

    def _size(self, node: wq.Query) -> int:
        """Matches to expect; only terms are asked (expanding a fuzzy term costs as much
        as matching it), anything else counts as the whole segment."""
        kind = type(node)
        if kind is wq.Term:
            return int(node.estimate_size(self.reader))
        if kind is wq.Or:
            return sum(self._size(sub) for sub in node.subqueries)
        if kind is wq.And and node.subqueries:
            return min(self._size(sub) for sub in node.subqueries)
        if kind is Forms:
            return self._size(node.query)
        return int(self.reader.doc_count_all())

    def _matched(self, node: wq.Query, within: Collection[int] | None) -> Scores:
        """``node``'s matches by its own matcher (leaves, and what is not combined here)."""
        matcher = node.matcher(self.searcher, self.context)
        active, current, score = matcher.is_active, matcher.id, matcher.score
        found: Scores = {}
        read = 0
        if within is None:
            advance = matcher.next
            while active():
                found[current()] = score()
                advance()
                read += 1
                if not read % CHECK_EVERY:
                    self.check()
            return found
        skip_to = matcher.skip_to
        for docnum in sorted(within):
            if not active():
                break
            skip_to(docnum)
            if active() and current() == docnum:
                found[docnum] = score()
            read += 1
            if not read % CHECK_EVERY:
                self.check()
        return found


def _union(parts: list[Scores]) -> Scores:
    parts.sort(key=len, reverse=True)
    found = dict(parts[0])
    for part in parts[1:]:
        get = found.get
        for docnum, score in part.items():
            found[docnum] = get(docnum, 0.0) + score
    return found


def _boosted(found: Scores, boost: float) -> Scores:
    if boost == 1.0:
        return found
    return {docnum: score * boost for docnum, score in found.items()}


def _has_not(subs: list[wq.Query]) -> bool:
    return any(isinstance(sub, wq.Not) for sub in subs)
