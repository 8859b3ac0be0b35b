"""A phrase query that checks word positions with integer sets instead of span objects.

Whoosh's ``Phrase`` walks its words' posting lists in step through three layers of
matchers and builds a ``Span`` object per position of every word in every candidate
article; on common phrases that is most of a search's time. This keeps its rule (each
next word 1..slop positions after the previous one, in order) and its scores, and
finds a segment's matches in one pass instead: read the rarest word's posting blocks,
then those of the others' blocks that can hold the same documents, intersect the
document numbers as sets, check positions only where all the words occur, and score
the matches with the terms' own scorers, added up in the order Whoosh's matcher tree
adds them (so every score is the same float). For adjacent words (the usual phrase)
the positions are NumPy arrays of ``docnum << 32 | position`` intersected after a shift,
with no Python loop per document. Decoded postings and positions are kept per segment
reader, for the next keystroke of a search-as-you-type.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterator
from functools import partial
from itertools import accumulate, repeat
from operator import itemgetter
from pickle import loads
from threading import Lock
from typing import Any
from weakref import WeakKeyDictionary

from whoosh import matching
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import Phrase, SpanNear2, Term
from whoosh.query.qcore import QueryError
from whoosh.query.spans import Span
from whoosh.scoring import BM25FScorer, WeightLengthScorer, bm25
from whoosh.system import _INT_SIZE

_AFTER_COUNT = itemgetter(slice(_INT_SIZE, None))
"""A ``Positions`` value without its leading count: the pickled position deltas."""


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
        found = _preloaded(matchers, self.slop, fieldname, reader, [term.text for term in terms])
        if found is None:  # postings this module cannot read whole: Whoosh's stepping
            found = _PositionsMatcher(matchers, slop=self.slop, ordered=True, mindist=1)
        if self.boost != 1.0:
            found = matching.WrappingMatcher(found, boost=self.boost)
        return found


class _PositionsMatcher(SpanNear2.SpanNear2Matcher):  # type: ignore[misc]
    def _get_spans(self) -> list[Span]:
        lists = [_positions(matcher.value()) for matcher in self.ms]
        return [Span(start, end) for start, end in phrase_runs(lists, self.slop)]


def _preloaded(
    matchers: list[Any], slop: int, fieldname: str, reader: Any, texts: list[bytes]
) -> Any:
    """All the phrase's matches in this segment, found at once; None if that is not possible.

    Whoosh's matcher for a phrase (``SpanNear2Matcher`` over a binary tree of
    ``IntersectionMatcher``) scores a match as the sum of its words' scores, ``a + b``
    for two words, ``a + (b + c)`` for three: :func:`_tree_sum` adds in that order.
    """
    leaves = [_leaf(matcher) for matcher in matchers]
    if any(leaf is None for leaf in leaves):
        return None
    # The rarest word first; of the others, only the blocks that can hold its documents.
    order = sorted(range(len(leaves)), key=lambda k: reader.doc_frequency(fieldname, texts[k]))
    postings: list[Any] = [None] * len(leaves)
    docnums: list[int] | None = None
    read = _read_postings(reader)
    for k in order:
        leaf, deleted = leaves[k]  # type: ignore[misc]
        postings[k] = _without(read(leaf, (fieldname, texts[k]), docnums), deleted)
        ids = postings[k][0]
        docnums = ids if docnums is None else sorted(set(docnums).intersection(ids))
    assert docnums is not None
    rows = [  # per word: where each common document is in its (sorted) postings
        list(map(partial(bisect_left, ids), docnums)) for ids, _, _ in postings
    ]
    values = [
        list(map(found.__getitem__, row)) for (_, _, found), row in zip(postings, rows, strict=True)
    ]
    keep = _occurring(values, slop)
    docnums = list(map(docnums.__getitem__, keep))
    weights = [
        list(map(found.__getitem__, map(row.__getitem__, keep)))
        for (_, found, _), row in zip(postings, rows, strict=True)
    ]
    scorers = [leaf.scorer for leaf, _ in leaves]  # type: ignore[misc]
    terms = tuple((fieldname, text) for text in texts)
    return _PhraseMatches(
        docnums,
        _tree_sum(_scores(scorers, weights, docnums)),
        _tree_sum(weights),
        (values, keep),
        slop,
        terms,
    )


def _scores(
    scorers: list[WeightLengthScorer], weights: list[list[float]], docnums: list[int]
) -> list[list[float]]:
    """Each word's score in each document, as its scorer's ``score(matcher)`` computes it.

    BM25F scorers of one field all read the same field length, so it is read once
    per document and handed straight to :func:`whoosh.scoring.bm25`, as
    ``BM25FScorer._score`` does.
    """
    if all(type(scorer) is BM25FScorer for scorer in scorers):
        lengths = list(map(scorers[0].dfl, docnums))
        return [
            list(
                map(
                    bm25,
                    repeat(scorer.idf),
                    word_weights,
                    lengths,
                    repeat(scorer.avgfl),
                    repeat(scorer.B),
                    repeat(scorer.K1),
                )
            )
            for scorer, word_weights in zip(scorers, weights, strict=True)
        ]
    return [
        list(map(scorer._score, word_weights, map(scorer.dfl, docnums)))
        for scorer, word_weights in zip(scorers, weights, strict=True)
    ]


def _leaf(matcher: Any) -> tuple[Any, frozenset[int] | set[int]] | None:
    """The on-disk postings under a term's matcher and the deleted documents it skips.

    Only Whoosh's own posting reader (optionally behind the reader's filter of deleted
    documents) and scorers that score a posting from its weight and field length are
    read whole; anything else keeps Whoosh's matcher.
    """
    deleted: frozenset[int] | set[int] = frozenset()
    if type(matcher) is FilterMatcher:
        if not matcher._exclude or matcher.boost != 1.0:
            return None
        deleted = matcher._ids
        matcher = matcher.child
    if type(matcher) is not W3LeafMatcher:
        return None
    scorer = matcher.scorer
    if not isinstance(scorer, WeightLengthScorer) or (
        type(scorer).score is not WeightLengthScorer.score
    ):
        return None
    return matcher, deleted


_Postings = tuple[list[int], list[float], list[bytes]]
_CACHE_POSTINGS = 250_000
"""Decoded postings kept per segment reader (about 30 MB at most), least recently used out."""


class _Memo(OrderedDict[tuple[str, bytes], _Postings]):
    """One segment's cached postings, oldest first, and how many postings they hold."""

    size = 0


_cache: WeakKeyDictionary[Any, _Memo] = WeakKeyDictionary()
_cache_lock = Lock()


def _read_postings(reader: Any) -> Any:
    """A function reading a word's postings in ``reader``'s segment, through its cache.

    Reading a common word's posting blocks (decompressing and unpickling them) is a
    third of a phrase's time, and a search-as-you-type asks for the same words again
    and again. A segment's postings never change, so they are kept for as long as
    its reader lives (a searcher opened after the next commit has new readers).
    """
    with _cache_lock:
        memo = _cache.get(reader)
        if memo is None:
            memo = _cache[reader] = _Memo()

    def read(leaf: W3LeafMatcher, key: tuple[str, bytes], within: list[int] | None) -> _Postings:
        found = memo.get(key)
        if found is not None:
            memo.move_to_end(key)
            return found
        leaf.reset()  # from the very first posting, deleted documents too: the segment's own
        found, complete = _postings(leaf, within)
        if complete and len(found[0]) <= _CACHE_POSTINGS:
            memo[key] = found
            memo.size += len(found[0])
            while memo.size > _CACHE_POSTINGS:
                memo.size -= len(memo.popitem(last=False)[1][0])
        return found

    return read


def _without(postings: _Postings, deleted: frozenset[int] | set[int]) -> _Postings:
    """``postings`` without the deleted documents."""
    ids, weights, values = postings
    if not deleted or deleted.isdisjoint(ids):
        return postings
    kept = [i for i, docnum in enumerate(ids) if docnum not in deleted]
    return [ids[i] for i in kept], [weights[i] for i in kept], [values[i] for i in kept]


def _postings(leaf: W3LeafMatcher, within: list[int] | None) -> tuple[_Postings, bool]:
    """Document numbers, weights and encoded positions from ``leaf``'s current posting on.

    With ``within`` (sorted document numbers), blocks holding none of them are skipped
    unread, as Whoosh's intersection skips them; the flag says whether none was.
    """
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    complete = True
    lowest = 0  # no document of the current block is below this
    while leaf.is_active():
        highest = leaf.block_max_id()
        if within is not None:
            index = bisect_left(within, lowest)
            if index == len(within):
                return (ids, weights, values), False
            if within[index] > highest:
                complete = False
                lowest = highest + 1
                leaf._next_block()
                continue
        start = leaf._i
        if leaf._data is None:
            leaf._read_data()
        found = leaf._data[0]
        block_ids = found if leaf._byteids else list(accumulate(found))  # as _read_ids
        leaf._read_weights()
        leaf._read_values()
        ids.extend(block_ids[start:])
        weights.extend(leaf._weights[start:])
        values.extend(leaf._values[start:])
        lowest = highest + 1
        leaf._next_block()
    return (ids, weights, values), complete


def _occurring(values: list[list[bytes]], slop: int) -> list[int]:
    """Which documents hold the phrase, given each word's encoded positions in each."""
    decode = [_deltas_of(word) for word in values]
    if slop > 1:
        return [
            j
            for j, found in enumerate(zip(*decode, strict=True))
            if phrase_runs([list(accumulate(deltas)) for deltas in found], slop)
        ]
    # Adjacent words: some p among the first word's positions with p + k in the k-th's.
    # accumulate(deltas, initial=-k) yields -k (never a position), then each position - k.
    if len(values) == 2:
        return [
            j
            for j, (first, second) in enumerate(zip(*decode, strict=True))
            if not set(accumulate(first)).isdisjoint(accumulate(second, initial=-1))
        ]
    return [
        j
        for j, (first, *later) in enumerate(zip(*decode, strict=True))
        if set(accumulate(first)).intersection(
            *(accumulate(deltas, initial=-offset) for offset, deltas in enumerate(later, 1))
        )
    ]


def decoded_deltas(values: list[bytes]) -> list[list[int]]:
    """Each ``Positions`` value's position deltas."""
    return list(_deltas_of(values))


def _adjacent_docs(keys: list[Any]) -> Any:
    """Documents where the words occur one after another: the docnums of the keys
    (``docnum << 32 | position``, one sorted array per word, see
    :func:`tui.core.search.postings.position_keys`) that line up, the k-th word's
    shifted back by k."""
    import numpy as np

    width = len(keys)
    common = keys[0] + width  # + width - k keeps every shifted position >= 0
    for offset, word in enumerate(keys[1:], 1):
        common = _common_sorted(common, word + (width - offset))
        if not len(common):
            break
    return np.unique(common >> 32)


def _common_sorted(left: Any, right: Any) -> Any:
    """The values in both sorted arrays: the smaller looked up in the larger by binary
    search (``intersect1d`` would sort both again)."""
    import numpy as np

    small, large = (left, right) if len(left) <= len(right) else (right, left)
    at = np.searchsorted(large, small)
    inside = at < len(large)
    hit = np.zeros(len(small), dtype=bool)
    hit[inside] = large[at[inside]] == small[inside]
    return small[hit]


def _deltas_of(values: list[bytes]) -> Iterator[list[int]]:
    """The pickled position deltas of ``Positions`` values (after their count), lazily."""
    if all(map(bytes.endswith, values, repeat(b"."))):
        return map(loads, map(_AFTER_COUNT, values))
    return map(_deltas, values)


def _tree_sum(columns: list[Any]) -> Any:
    """Each row of ``columns`` (lists, or NumPy arrays) added up as
    :func:`whoosh.util.make_binary_tree` nests matchers."""
    if len(columns) == 1:
        return columns[0]
    half = len(columns) // 2
    left, right = _tree_sum(columns[:half]), _tree_sum(columns[half:])
    if not isinstance(left, list):
        return left + right
    return [a + b for a, b in zip(left, right, strict=True)]


class _PhraseMatches(matching.Matcher):  # type: ignore[misc]
    """A segment's phrase matches, found beforehand, with their scores and weights."""

    def __init__(
        self,
        ids: list[int],
        scores: list[float],
        weights: list[float],
        values: tuple[list[list[bytes]], list[int]],
        slop: int,
        terms: tuple[tuple[str, bytes], ...],
        position: int = 0,
    ) -> None:
        self._ids = ids
        self._scores = scores
        self._weights = weights
        self._values = values
        self._slop = slop
        self._terms = terms
        self._i = position

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {len(self._ids)} matches at {self._i}>"

    def is_active(self) -> bool:
        return self._i < len(self._ids)

    def reset(self) -> None:
        self._i = 0

    def copy(self) -> _PhraseMatches:
        return _PhraseMatches(
            self._ids, self._scores, self._weights, self._values, self._slop, self._terms, self._i
        )

    def replace(self, minquality: float = 0) -> Any:
        return self if self.is_active() else matching.NullMatcher()

    def id(self) -> int:
        return self._ids[self._i]

    def all_ids(self) -> Iterator[int]:
        ids = self._ids
        while self._i < len(ids):
            yield ids[self._i]
            self._i += 1

    def next(self) -> None:
        self._i += 1

    def skip_to(self, id: int) -> None:
        if self._i < len(self._ids) and self._ids[self._i] < id:
            self._i = bisect_left(self._ids, id, self._i)

    def score(self) -> float:
        return self._scores[self._i]

    def weight(self) -> float:
        return self._weights[self._i]

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return max(self._scores[self._i :], default=0.0)

    def block_quality(self) -> float:
        return self.max_quality()

    def supports(self, astype: str) -> bool:
        return False

    def value(self) -> Any:
        raise NotImplementedError("a phrase has no posting value")

    def value_as(self, astype: str) -> Any:
        raise NotImplementedError("a phrase has no posting value")

    def spans(self) -> list[Span]:
        values, keep = self._values  # each word's values for the candidates; the matches
        lists = [_positions(word[keep[self._i]]) for word in values]
        return [Span(start, end) for start, end in phrase_runs(lists, self._slop)]

    def matching_terms(self, id: int | None = None) -> Iterator[tuple[str, bytes]]:
        if self.is_active() and (id is None or id == self.id()):
            yield from self._terms


def _deltas(value: bytes) -> list[int]:
    """The pickled position deltas of a ``Positions`` value (after its count)."""
    return loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b".")  # type: ignore[no-any-return]


def _positions(value: bytes) -> list[int]:
    """Whoosh's ``Positions.decode_positions`` (a count, then pickled deltas), in C loops."""
    return list(accumulate(_deltas(value)))


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


def phrase_scores(scorer: Any, node: FastPhrase, within: Any) -> Any:
    """A phrase's matches in one segment for :mod:`tui.core.search.ranking`: the words'
    postings intersected (rarest first), positions checked only there, each match
    scored as the sum of its words' BM25F scores in Whoosh's matcher-tree order."""
    import numpy as np

    from tui.core.search.postings import position_keys, read_postings
    from tui.core.search.ranking import _EMPTY, Scores

    fieldname = node.fieldname
    schema = scorer.top.schema
    if fieldname not in schema or not node.words:
        return _EMPTY
    field = schema[fieldname]
    if not field.format or not field.format.supports("positions"):
        raise QueryError(f"phrase search: the {fieldname!r} field has no positions")
    reader = scorer.reader
    try:
        texts = [field.to_bytes(word) for word in node.words]
    except ValueError:
        return _EMPTY
    if any((fieldname, text) not in reader for text in texts):
        return _EMPTY  # a word that never occurs: nothing matches
    order = sorted(range(len(texts)), key=lambda k: reader.doc_frequency(fieldname, texts[k]))
    postings: list[Any] = [None] * len(texts)
    hints: list[Any] = [None] * len(texts)
    candidates = within
    for k in order:
        hint = (
            candidates
            if candidates is not None
            and len(candidates) * 8 < reader.doc_frequency(fieldname, texts[k])
            else None
        )
        found = read_postings(reader, fieldname, texts[k], values=True, within=hint)
        postings[k], hints[k] = found, hint
        candidates = (
            found.ids
            if candidates is None
            else np.intersect1d(candidates, found.ids, assume_unique=True)
        )
        if not len(candidates):
            return _EMPTY
    assert candidates is not None
    rows = [np.searchsorted(found.ids, candidates) for found in postings]
    if node.slop <= 1:  # adjacent words: intersect position arrays (cached per segment)
        keys = [
            position_keys(reader, fieldname, text, found, hint is None)
            for text, found, hint in zip(texts, postings, hints, strict=True)
        ]
        docs = _common_sorted(candidates, _adjacent_docs(keys))
        keep = np.searchsorted(candidates, docs)
    else:
        values = [
            list(map(found.values.__getitem__, row.tolist()))
            for found, row in zip(postings, rows, strict=True)
        ]
        keep = np.array(_occurring(values, node.slop), dtype=np.int64)
    if not len(keep):
        return _EMPTY
    ids = candidates[keep]
    word_scores = [
        scorer.term_scores(fieldname, text, ids, found.weights[row[keep]])
        for text, found, row in zip(texts, postings, rows, strict=True)
    ]
    total = _tree_sum(word_scores)
    if node.boost != 1.0:
        total = total * node.boost
    return Scores(ids, total)
