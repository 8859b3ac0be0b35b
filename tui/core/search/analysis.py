"""How search sees words: one tokenizer for indexing, querying and finding match spans.

Whoosh's stock analyzer chains four generators per token; indexing spends most of
its time there. :class:`WordAnalyzer` does the same work (split on words, lowercase,
fold accents, Porter-stem) in one loop with a cache, and :func:`word_spans` reuses it
so the offsets search reports are exactly the words the index saw.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from operator import sub
from pickle import dumps
from typing import Any

from whoosh.analysis import Token, Tokenizer
from whoosh.formats import Positions
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint as _pack_count

# Whoosh's default word pattern without its query-only '*': "U.S" stays one word.
WORD_PATTERN = re.compile(r"\w+(?:\.\w+)*")
MAX_WORD = 40
"""Longer tokens (URLs, hashes) are not words anyone searches for; they are skipped."""

_CACHE_LIMIT = 200_000
_stems: dict[str, str] = {}
_folds: dict[str, str] = {}


def fold(word: str) -> str:
    """Lowercase without accents: ``Müller`` and ``muller`` are the same word to search."""
    found = _folds.get(word)
    if found is None:
        if len(_folds) > _CACHE_LIMIT:
            _folds.clear()
        found = _folds[word] = word.lower().translate(accent_map)
    return found


def stem(word: str) -> str:
    """The index term for a word as written: folded, then Porter-stemmed."""
    found = _stems.get(word)
    if found is None:
        if len(_stems) > _CACHE_LIMIT:
            _stems.clear()
        found = _stems[word] = porter_stem(fold(word))
    return found


def word_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """``(term, start, end)`` for every indexed word of ``text``, offsets into ``text``."""
    for match in WORD_PATTERN.finditer(text):
        word = match.group()
        if len(word) <= MAX_WORD:
            yield stem(word), match.start(), match.end()


class WordAnalyzer(Tokenizer):  # type: ignore[misc]
    """A Whoosh analyzer (tokenizer and filters in one) for titles and bodies.

    No stop words: analysts search for "US", "IT" and "will" and phrases must match
    as written. ``no_morph`` (spelling) skips stemming; ``tokenize=False`` (wildcard
    and fuzzy query text) treats the whole value as one word.
    """

    is_morph = True

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        no_morph: bool = False,
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        convert = fold if no_morph else stem
        if not tokenize:
            token.original = token.text = convert(value)
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        pos = start_pos
        for match in WORD_PATTERN.finditer(value):
            word = match.group()
            if len(word) > MAX_WORD:
                continue
            token.text = convert(word)
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class WordPositions(Positions):  # type: ignore[misc]
    """Whoosh's ``Positions`` posting format, filled without a token stream.

    Indexing calls this once per field value; counting positions straight from
    :data:`WORD_PATTERN` and :func:`stem` makes the same postings as running
    :class:`WordAnalyzer` (a test checks it) at about half the cost.
    """

    def word_values(
        self, value: str, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        positions: dict[str, list[int]] = defaultdict(list)
        words = [word for word in WORD_PATTERN.findall(value) if len(word) <= MAX_WORD]
        stems = _stems
        for position, word in enumerate(words):
            term = stems.get(word)
            positions[term if term is not None else stem(word)].append(position)
        boost = self.field_boost
        for term, found in positions.items():
            count = len(found)
            # Positions.encode's bytes (count, then the pickled deltas), built inline:
            # this runs once per term of every article of a build.
            deltas = found if count == 1 else [found[0], *map(sub, found[1:], found)]
            yield term, count, count * boost, _pack_count(count) + dumps(deltas, 2)

    def add_postings(
        self, value: str, table: dict[bytes, Any], docnum: int, new: Callable[[], Any]
    ) -> int:
        """:meth:`word_values` straight into a bulk writer's per-term postings (``table``,
        ``new()`` makes an entry with ``ids``, ``weights``, ``values``); returns the length.

        The hottest loop of a build (every word of every article): words map to their
        term's bytes through one cache, and positions group with ``setdefault``.
        """
        words = [word for word in WORD_PATTERN.findall(value) if len(word) <= MAX_WORD]
        cached = _term_bytes
        if len(cached) > _CACHE_LIMIT:
            cached.clear()
        keys = [cached.get(word) or _term_key(word) for word in words]
        positions: dict[bytes, list[int]] = {}
        group = positions.setdefault
        for position, key in enumerate(keys):
            group(key, []).append(position)
        boost = self.field_boost
        get = table.get
        for key, found in positions.items():
            postings = get(key)
            if postings is None:
                postings = table[key] = new()
            count = len(found)
            deltas = found if count == 1 else [found[0], *map(sub, found[1:], found)]
            postings.ids.append(docnum)
            postings.weights.append(count * boost)
            postings.values.append(_pack_count(count) + dumps(deltas, 2))
        return len(words)


_term_bytes: dict[str, bytes] = {}


def _term_key(word: str) -> bytes:
    """A word's index term as the bytes Whoosh stores (cached in ``_term_bytes``)."""
    key = _term_bytes[word] = stem(word).encode("utf-8")
    return key
