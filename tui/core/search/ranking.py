"""Scoring every match of a query, a whole posting list at a time, in NumPy.

Whoosh's collector walks the matches document by document through a tree of matchers,
calling Python for every posting: at 100,000 articles a common word costs a quarter of
a second, a boolean query several. Here each term's postings come as arrays
(:mod:`tui.core.search.postings`), are scored with Whoosh's own BM25F formula in one
vectorised expression (same operations in the same order, so the same floats), and the
query tree is combined with sorted-array set operations: ``And`` and ``Or`` add scores,
``AndNot`` keeps the left side's, a ``Not`` inside an ``And`` adds 1.0 (as Whoosh's
InverseMatcher does). Every match is scored, so totals are exact.

Phrases (:class:`~tui.core.search.phrase.FastPhrase`) are the words' intersection,
checked by position only there, scored as the sum of the words' scores. Nodes this module
does not know (fuzzy and wildcard terms, ranges, ``AndMaybe``, an ``Or`` holding a ``Not``)
are scored by their own Whoosh matcher, restricted to the documents still in play when
there are few, so what they return is Whoosh's answer by construction.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from tui.core.search.forms import Forms
from tui.core.search.postings import field_lengths, read_postings

Check = Callable[[], None]
Ids = np.ndarray[Any, np.dtype[np.int64]]
Values = np.ndarray[Any, np.dtype[np.float64]]
MEMO_SIZE = 2
"""Rankings kept per searcher: the query being typed and paged, and the one before (or
one query's relevance ranking and its date or title order, while that order is paged)."""
_NONE: Ids = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class Scores:
    """Matches in one segment: sorted docnums and their scores."""

    ids: Ids
    values: Values

    def __len__(self) -> int:
        return len(self.ids)


_EMPTY = Scores(_NONE, np.zeros(0, dtype=np.float64))


@dataclass(frozen=True, slots=True)
class Ranking:
    """Every match of a query, best first: higher score, then lower docnum (Whoosh's order)."""

    docnums: Ids
    scores: Values

    def __len__(self) -> int:
        return len(self.docnums)

    def page(self, start: int, stop: int) -> list[tuple[float, int]]:
        """``(score, docnum)`` of the matches ranked ``start`` to ``stop - 1``."""
        return list(
            zip(self.scores[start:stop].tolist(), self.docnums[start:stop].tolist(), strict=True)
        )


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
    """Every match of ``query``, ranked. ``check`` is called between posting lists and
    may raise to stop."""
    ids: list[Ids] = []
    values: list[Values] = []
    for sub, offset in searcher.leaf_searchers():
        found = _Scorer(sub, searcher, check).scores(query, None)
        found = _live(sub.reader(), found)
        ids.append(found.ids + offset)
        values.append(found.values)
    if not ids:
        return Ranking(_NONE, np.zeros(0, dtype=np.float64))
    docnums = np.concatenate(ids)
    scores = np.concatenate(values)
    # Best first; ties in docnum order (a stable sort on the negated scores).
    order = np.lexsort((docnums, -scores))
    return Ranking(docnums[order], scores[order])


def _live(reader: Any, found: Scores) -> Scores:
    """Without deleted documents (a ``Not`` or a Whoosh matcher may bring them back)."""
    if not reader.has_deletions() or not len(found):
        return found
    from tui.core.search.postings import deleted_docs

    keep = ~np.isin(found.ids, deleted_docs(reader), assume_unique=True)
    return found if keep.all() else Scores(found.ids[keep], found.values[keep])


class _Scorer:
    """Scores of one query tree on one segment."""

    def __init__(self, searcher: Searcher, top: Searcher, check: Check) -> None:
        self.searcher = searcher
        self.top = top
        self.reader = searcher.reader()
        self.count = int(self.reader.doc_count_all())
        self.check = check
        weighting = top.weighting
        self.bm25 = weighting if type(weighting) is BM25F else None

    def scores(self, node: wq.Query, within: Ids | None) -> Scores:
        """``node``'s matches and scores. ``within``: the only documents the caller will
        look at; scores are exact for those, others may be missing."""
        self.check()
        kind = type(node)
        if kind is wq.Term and self.bm25 is not None:
            return self._term(node, within)
        if kind is wq.And or kind is wq.Or:
            subs = node.subqueries
            if not subs:
                return _EMPTY
            if len(subs) == 1:  # Whoosh drops the boost of a one-child compound too
                return self.scores(subs[0], within)
            if kind is wq.And:
                found = self._and(subs, within)
                if found is not None:
                    return _boosted(found, node.boost)
            elif not node.minmatch and node.scale is None and not _has_not(subs):
                parts = [self.scores(sub, within) for sub in subs]
                return _boosted(_union(parts, self.count), node.boost)
        elif kind is Forms:  # a wildcard or fuzzy term, expanded: its And of stems and forms
            return self.scores(node.query, within)
        elif kind is wq.AndNot:
            found = self.scores(node.a, within)
            if len(found):
                excluded = self.scores(node.b, self._hint(found.ids, node.b))
                found = _minus(found, excluded.ids)
            return found
        phrase = _phrase_scores(self, node, within)
        if phrase is not None:
            return phrase
        expanded = self._expanded(node, within)
        if expanded is not None:
            return expanded
        return self._matched(node, within)

    def _expanded(self, node: wq.Query, within: Ids | None) -> Scores | None:
        """Nodes Whoosh scores as the terms they expand to, as Whoosh's own ``matcher``
        methods do it (None for any node whose matcher is not Whoosh's own):

        - a prefix, wildcard, fuzzy term or term range (``MultiTerm``): one expanded word
          is that word's ``Term`` (the node's boost dropped, as Whoosh drops it); several
          are an ``Or`` of their terms with the node's boost;
        - a numeric or date range: the query of index terms it compiles to;
        - a ``ConstantScoreQuery``: its child's matches, each scored the constant.
        """
        kind = type(node)
        if isinstance(node, wq.MultiTerm) and kind.matcher is wq.MultiTerm.matcher:
            words = [word for word in node._btexts(self.reader) if word]
            terms = [wq.Term(node.field(), word) for word in words]
            if not terms:
                return _EMPTY
            if len(terms) == 1:
                return self.scores(terms[0], within)
            parts = [self.scores(term, within) for term in terms]
            return _boosted(_union(parts, self.count), node.boost)
        if isinstance(node, wq.NumericRange) and kind.matcher is wq.NumericRange.matcher:
            return self.scores(node._compile_query(self.reader), within)
        if kind is wq.ConstantScoreQuery:
            found = self.scores(node.child, within)
            return Scores(found.ids, np.full(len(found.ids), float(node.score)))
        return None

    def _term(self, node: wq.Term, within: Ids | None) -> Scores:
        """A term's postings scored as Whoosh's BM25F scorer and Term matcher score them."""
        fieldname = node.fieldname
        if fieldname not in self.top.schema:
            return _EMPTY
        field = self.top.schema[fieldname]
        if field is None:
            return _EMPTY
        try:
            text = field.to_bytes(node.text)
        except ValueError:
            return _EMPTY
        postings = read_postings(self.reader, fieldname, text, within=within)
        if not len(postings):
            return _EMPTY
        scores = self.term_scores(fieldname, text, postings.ids, postings.weights)
        return _boosted(Scores(postings.ids, scores), node.boost)

    def term_scores(self, fieldname: str, text: bytes, ids: Ids, weights: Values) -> Values:
        """BM25F (or the plain weight for a field without lengths) for these postings."""
        assert self.bm25 is not None
        if not self.top.schema[fieldname].scorable:
            return weights.copy()
        top = self.top
        idf = top.idf(fieldname, text)
        avgfl = top.avg_field_length(fieldname) or 1
        b = self.bm25._field_B.get(fieldname, self.bm25.B)
        k1 = self.bm25.K1
        lengths = field_lengths(self.reader, fieldname)[ids]
        # whoosh.scoring.bm25, operation for operation.
        scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl)))
        return np.asarray(scores, dtype=np.float64)

    def _and(self, subs: list[wq.Query], within: Ids | None) -> Scores | None:
        """Documents every positive child matches and no ``Not`` child does, the smallest
        child first; None if all are ``Not`` (then Whoosh's own matcher scores it)."""
        positive = sorted((sub for sub in subs if not isinstance(sub, wq.Not)), key=self._size)
        if not positive:
            return None
        found: Scores | None = None
        for sub in positive:
            keys = within if found is None else found.ids
            part = self.scores(sub, self._hint(keys, sub))
            found = part if found is None else _intersection(found, part)
            if not len(found):
                return _EMPTY
        assert found is not None
        for sub in subs:
            if isinstance(sub, wq.Not) and len(found):
                excluded = self.scores(sub.query, self._hint(found.ids, sub.query))
                found = _minus(found, excluded.ids)
                # Whoosh scores a Not child as a matcher of everything else, weight 1.0.
                found = Scores(found.ids, found.values + 1.0)
        return found

    def _hint(self, keys: Ids | None, node: wq.Query) -> Ids | None:
        """``keys`` as the ``within`` of ``node`` if skipping to them beats reading all
        of its postings, else None."""
        return keys if keys is not None and len(keys) * 2 < self._size(node) else None

    def _size(self, node: wq.Query) -> int:
        """Matches to expect; only terms are asked, anything else is the whole segment."""
        kind = type(node)
        if kind is wq.Term:
            return int(node.estimate_size(self.reader))
        if kind is wq.Or:
            return sum(self._size(sub) for sub in node.subqueries)
        if kind is wq.And and node.subqueries:
            return min(self._size(sub) for sub in node.subqueries)
        if kind is Forms:
            return self._size(node.query)
        return self.count

    def _matched(self, node: wq.Query, within: Ids | None) -> Scores:
        """``node``'s matches by its own Whoosh matcher (only at ``within``, if given)."""
        matcher = node.matcher(self.searcher, self.searcher.context())
        active, current, score = matcher.is_active, matcher.id, matcher.score
        ids: list[int] = []
        scores: list[float] = []
        if within is None:
            advance = matcher.next
            while active():
                ids.append(current())
                scores.append(score())
                advance()
                if not len(ids) % 4096:
                    self.check()
        else:
            skip_to = matcher.skip_to
            for docnum in within.tolist():
                if not active():
                    break
                skip_to(docnum)
                if active() and current() == docnum:
                    ids.append(docnum)
                    scores.append(score())
        return Scores(np.array(ids, dtype=np.int64), np.array(scores, dtype=np.float64))


def _phrase_scores(scorer: _Scorer, node: wq.Query, within: Ids | None) -> Scores | None:
    from tui.core.search.phrase import FastPhrase, phrase_scores

    if type(node) is not FastPhrase or scorer.bm25 is None:
        return None
    found: Scores = phrase_scores(scorer, node, within)
    return found


def _intersection(a: Scores, b: Scores) -> Scores:
    common, ia, ib = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
    return Scores(common, a.values[ia] + b.values[ib])


def _minus(found: Scores, excluded: Ids) -> Scores:
    if not len(excluded):
        return found
    keep = ~np.isin(found.ids, excluded, assume_unique=True)
    return Scores(found.ids[keep], found.values[keep])


def _union(parts: list[Scores], count: int) -> Scores:
    parts = [part for part in parts if len(part)]
    if not parts:
        return _EMPTY
    if len(parts) == 1:
        return parts[0]
    ids = np.concatenate([part.ids for part in parts])
    values = np.concatenate([part.values for part in parts])
    size = max(count, int(ids.max()) + 1)
    present = np.bincount(ids, minlength=size) > 0
    summed = np.bincount(ids, weights=values, minlength=size)
    found = np.flatnonzero(present)
    return Scores(found.astype(np.int64), np.asarray(summed[found], dtype=np.float64))


def _boosted(found: Scores, boost: float) -> Scores:
    if boost == 1.0:
        return found
    return Scores(found.ids, found.values * boost)


def _has_not(subs: list[wq.Query]) -> bool:
    return any(isinstance(sub, wq.Not) for sub in subs)
